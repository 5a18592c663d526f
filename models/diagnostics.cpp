// Located diagnostics and nearest-name suggestions.
#include "models/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace relsim::models {

std::string Diagnostic::str() const {
  std::string where = location.str();
  return printable((where.empty() ? std::string() : where + ": ") + "error: " + message);
}

std::string printable(std::string_view text, bool keep_newlines) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      const auto low = static_cast<unsigned char>(text[i + 1]);  // U+0080..U+009F
      out += "\\u00";
      out += kHex[low >> 4];
      out += kHex[low & 0xF];
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {
std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.str();
  }
  return out;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(SourceLocation location, std::string message)
    : InputError(std::vector<Diagnostic>{Diagnostic{std::move(location), std::move(message)}}) {}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest_name(std::string_view name,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  const std::string lname = lower(name);
  for (const auto& c : candidates) {
    if (c == name) continue;  // the same name is not a suggestion
    // Case-insensitive, so `PodKill` suggests `podKill` at distance 0.
    const std::size_t d = edit_distance(lname, lower(c));
    const std::size_t limit = std::max<std::size_t>(2, std::max(name.size(), c.size()) / 3);
    if (d > limit) continue;
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  if (auto n = nearest_name(name, candidates)) return " (did you mean '" + *n + "'?)";
  return {};
}

std::string list_choices(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
    out += "'" + choices[i] + "'";
  }
  return out;
}

}  // namespace relsim::models
