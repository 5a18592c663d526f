// Checks of YAML text before parsing (see text_checks.hpp).
#include "models/text_checks.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cstdint>
#include <sstream>
#include <vector>

namespace relsim::models::detail {

namespace {

/// Lines of `text` (without their '\n'), with their 1-based numbers.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!f(line, text.substr(start, end - start))) return;
    if (end == text.size()) return;
    start = end + 1;
    ++line;
  }
}

/// True when `rest` (a line's content after a `key:` or `- `) opens a block
/// scalar: `|` or `>` with optional chomping/indentation indicators.
bool opens_block_scalar(std::string_view content) {
  // Strip a trailing comment and spaces.
  std::size_t end = content.size();
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '#' && (i == 0 || content[i - 1] == ' ')) {
      end = i;
      break;
    }
  }
  while (end > 0 && (content[end - 1] == ' ' || content[end - 1] == '\r')) --end;
  std::size_t i = end;
  while (i > 0 && (content[i - 1] == '-' || content[i - 1] == '+' ||
                   (content[i - 1] >= '0' && content[i - 1] <= '9'))) {
    --i;
  }
  if (i == 0 || (content[i - 1] != '|' && content[i - 1] != '>')) return false;
  --i;
  return i == 0 || content[i - 1] == ' ';
}

}  // namespace

std::optional<TextPosition> control_character(std::string_view text) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
      return TextPosition{line, i - line_start + 1, c};
    }
  }
  return std::nullopt;
}

std::optional<TextPosition> invalid_utf8(std::string_view text) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  std::size_t i = 0;
  const auto at = [&](std::size_t pos) {
    return TextPosition{line, pos - line_start + 1, static_cast<unsigned char>(text[pos])};
  };
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      }
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1Fu;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0Fu;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07u;
      min = 0x10000;
    } else {
      return at(i);
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= text.size()) return at(i);
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return at(i);  // the sequence that breaks off
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return at(i);
    i += n + 1;
  }
  return std::nullopt;
}

std::optional<TextPosition> too_deep(std::string_view text, int max_depth) {
  std::vector<std::size_t> indents;         // open block levels, by indentation
  int flow = 0;                             // open [ and {
  int block_depth = 0;                      // block levels where the open flow began
  char quote = 0;                           // inside '...' or "..." (may span lines)
  std::optional<std::size_t> block_scalar;  // indentation of its parent line
  std::optional<TextPosition> found;
  for_each_line(text, [&](std::size_t line, std::string_view s) {
    std::size_t indent = 0;
    while (indent < s.size() && s[indent] == ' ') ++indent;
    const bool blank = indent == s.size() || s[indent] == '#' || s[indent] == '\r';
    if (block_scalar) {
      if (blank || indent > *block_scalar) return true;  // the scalar's text
      block_scalar.reset();
    }
    if (blank && quote == 0) return true;
    std::size_t i = indent;
    if (quote == 0 && flow == 0) {
      int depth = 0;
      while (!indents.empty() && indents.back() > indent) indents.pop_back();
      if (indents.empty() || indents.back() < indent) indents.push_back(indent);
      depth = static_cast<int>(indents.size());
      // `- - - x`: each marker opens one more list.
      while (i + 1 < s.size() && s[i] == '-' && s[i + 1] == ' ') {
        ++depth;
        i += 2;
        while (i < s.size() && s[i] == ' ') ++i;
      }
      if (depth > max_depth) {
        found = TextPosition{line, i + 1, 0};
        return false;
      }
      block_depth = depth;
    }
    char prev = ' ';  // the last non-space character outside quotes
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quote != 0) {
        if (quote == '"' && c == '\\') {
          ++i;
        } else if (c == quote) {
          if (quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
            ++i;
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) break;
      // In block context a bracket opens a collection only where a value starts
      // (`key: [`, `- [`); inside a plain scalar (`a[0]`) it is text.
      const bool value_start = flow > 0 || prev == ' ' || prev == ':' || prev == '-' || prev == '?';
      if ((c == '"' || c == '\'') && value_start) {
        quote = c;
      } else if ((c == '[' || c == '{') && value_start) {
        ++flow;
        if (block_depth + flow > max_depth) {
          found = TextPosition{line, i + 1, 0};
          return false;
        }
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      if (c != ' ') prev = c;
    }
    if (quote == 0 && flow == 0 && opens_block_scalar(s.substr(indent))) block_scalar = indent;
    return true;
  });
  return found;
}

std::optional<TextPosition> tab_indentation(std::string_view text, std::size_t last_line) {
  std::optional<TextPosition> found;
  std::optional<std::size_t> block_scalar;
  for_each_line(text, [&](std::size_t line, std::string_view s) {
    if (line > last_line) return false;
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
      if (s[i] == '\t' && !block_scalar) {
        found = TextPosition{line, i + 1, '\t'};
        return false;
      }
      ++i;
    }
    std::size_t indent = 0;
    while (indent < s.size() && s[indent] == ' ') ++indent;
    if (block_scalar && indent != s.size() && indent <= *block_scalar) block_scalar.reset();
    if (!block_scalar && opens_block_scalar(s.substr(indent))) block_scalar = indent;
    return true;
  });
  return found;
}

namespace {

/// Counts yaml-cpp's events and stops the parse past a budget.
class EventBudget : public YAML::EventHandler {
 public:
  explicit EventBudget(std::size_t budget) : budget_(budget) {}
  struct Exceeded {
    YAML::Mark mark;
  };
  void OnDocumentStart(const YAML::Mark& m) override { count(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { count(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    count(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    count(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    count(m);
  }
  void OnMapEnd() override {}

 private:
  void count(const YAML::Mark& m) {
    if (++events_ > budget_) throw Exceeded{m};
  }
  std::size_t budget_;
  std::size_t events_ = 0;
};

}  // namespace

std::optional<TextPosition> yaml_runaway(const std::string& text) {
  std::istringstream in(text);
  EventBudget budget(4 * text.size() + 64);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(budget)) {
    }
  } catch (const EventBudget::Exceeded& e) {
    return TextPosition{static_cast<std::size_t>(e.mark.line) + 1,
                        static_cast<std::size_t>(e.mark.column) + 1, 0};
  } catch (const YAML::Exception&) {
    // malformed: the real parse reports it
  }
  return std::nullopt;
}

}  // namespace relsim::models::detail
