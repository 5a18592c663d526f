// Located error messages for bad input, formatted like a compiler's:
// `payments.yaml:14:7: error: unknown service 'payment-db' in dependsOn (did
// you mean 'payments-db'?)`. The loader collects `Diagnostic`s in one pass
// (at most `kMaxErrors`) and throws them together in an `InputError`; later
// stages (graph, compile) throw `InputError` too, with the `SourceLocation`s
// the structs carry. Also: the nearest-name suggestion used everywhere.
// Values; thread-safe as values are.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "models/source_location.hpp"

namespace relsim::models {

struct Diagnostic {
  SourceLocation location;
  std::string message;  // without the `error: ` prefix

  /// `file:line:col: error: message` (or `file: error: ...` without a line).
  std::string str() const;
};

/// Input that cannot be used, with every problem found (one line each).
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  /// One diagnostic.
  InputError(SourceLocation location, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// `text` with its control characters made visible, for a message that
/// quotes input: C0 bytes (a newline too; a tab stays), DEL and the C1
/// controls U+0080–U+009F become `\xNN` or `\u00NN`, so that a name or key
/// in a hostile file cannot move the cursor, retitle the terminal or start a
/// message line of its own. Everything else, invalid UTF-8 included, is kept.
/// With `keep_newlines`, '\n' stays (a message of several lines).
std::string printable(std::string_view text, bool keep_newlines = false);

/// The loader stops collecting after this many errors ("too many errors; stopping").
inline constexpr std::size_t kMaxErrors = 20;

/// Levenshtein distance (insert, delete, substitute: cost 1 each).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `name` if it is close enough to be a typo
/// (distance <= 2 or <= a third of the name's length); ties: the first.
std::optional<std::string> nearest_name(std::string_view name,
                                        const std::vector<std::string>& candidates);

/// ` (did you mean 'x'?)` or `` when nothing is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

/// `'a', 'b' or 'c'` for a message listing valid choices.
std::string list_choices(const std::vector<std::string>& choices);

}  // namespace relsim::models
