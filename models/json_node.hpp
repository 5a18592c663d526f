// A JSON value to build and print: null, booleans, integers (signed and
// unsigned 64-bit), doubles, strings, arrays, objects, with object keys kept
// in insertion order so the output is deterministic and reads in the order
// it was built. `write` pretty-prints with 2-space indentation; arrays of
// scalars stay on one line, and so does any value marked `one_line()` (an
// interval `{"estimate": 0.99, "low": 0.98, "high": 1}`, a table row).
// Doubles are the shortest text that reads back as the same double
// (std::to_chars); `sample` values that are exactly a float are the shortest
// float text; a NaN or infinite number is written as null. Strings are
// escaped by `json_quote`, which also replaces bytes that are not UTF-8.
// relsim's one JSON writer: every JSON document it prints or exports (the
// run summary and results metadata, compare, plan, sensitivity, graph,
// analyze, validate, explain, alerts, the JSON Schema, the FIS experiment
// template, the report's charts) is a tree of these. A value type;
// thread-safe as values are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace relsim::models {

/// `text` as a JSON string literal with quotes, escaping `"`, `\` and control
/// characters; a byte that does not start a valid UTF-8 sequence (stray,
/// truncated, overlong, a surrogate, beyond U+10FFFF) becomes `\ufffd`, so
/// the result is valid JSON whatever `text` holds. Every JSON document relsim
/// writes quotes its strings here.
std::string json_quote(std::string_view text);

/// The length (1–4) of the valid UTF-8 sequence starting at byte `at` of
/// `text`, or 0 when the bytes there are not valid UTF-8.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

class JsonNode {
 public:
  using Array = std::vector<JsonNode>;
  using Object = std::vector<std::pair<std::string, JsonNode>>;

  /// An empty object.
  JsonNode() : value_(Object{}) {}
  JsonNode(bool b) : value_(b) {}                            // NOLINT(google-explicit-constructor)
  JsonNode(int i) : value_(static_cast<std::int64_t>(i)) {}  // NOLINT
  JsonNode(std::int64_t i) : value_(i) {}                    // NOLINT
  JsonNode(std::uint64_t u) : value_(u) {}                   // NOLINT
  JsonNode(unsigned u) : value_(static_cast<std::uint64_t>(u)) {}  // NOLINT
  JsonNode(double d) : value_(d) {}                                // NOLINT
  JsonNode(std::string s) : value_(std::move(s)) {}                // NOLINT
  JsonNode(std::string_view s) : value_(std::string(s)) {}         // NOLINT
  JsonNode(const char* s) : value_(std::string(s)) {}              // NOLINT
  JsonNode(Array a) : value_(std::move(a)) {}                      // NOLINT

  /// An array of strings.
  static JsonNode strings(const std::vector<std::string>& items);
  /// JSON's `null` (a value that is not there, e.g. an optional section).
  static JsonNode null();
  /// A number that is `null` when absent.
  static JsonNode optional(const std::optional<double>& v);
  /// A sampled value (a remaining-budget fraction kept as a float): written
  /// as the shortest float text (`0.9999`) when `v` is exactly a float,
  /// else as a double; reading it as a float gives the same bits.
  static JsonNode sample(double v);
  /// An array of numbers; with `samples`, each one as `sample`.
  static JsonNode numbers(const std::vector<double>& items, bool samples = false);
  /// Marks this value to be written on one line, children included.
  JsonNode& one_line();
  /// Sets `key` of this object: appended on first use, replaced in place after.
  JsonNode& set(std::string_view key, JsonNode value);
  /// Sets every key of the object `other`, in its order.
  JsonNode& merge(JsonNode other);
  /// Appends `value` to this array.
  JsonNode& push(JsonNode value);
  /// Appends the pretty-printed value to `out`; `indent` is the current column.
  void write(std::string& out, int indent = 0) const;
  /// The pretty-printed document with a final line break.
  std::string text() const;

 private:
  bool is_scalar() const;
  void write_value(std::string& out, int indent, bool one_line) const;
  struct Null {};
  std::variant<Null, bool, std::int64_t, std::uint64_t, double, float, std::string, Array, Object>
      value_;
  bool one_line_ = false;
};

}  // namespace relsim::models
