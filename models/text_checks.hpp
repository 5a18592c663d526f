// Checks of a YAML file's text before yaml-cpp parses it, for messages that
// say what is wrong (docs/security.md): bytes that are not UTF-8, nesting
// deeper than models::kMaxNesting (yaml-cpp recurses once per level, so a
// file of 100,000 `[` would exhaust the stack), and, after a parse error, a
// tab in a line's indentation. Positions are 1-based line and byte column.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace relsim::models::detail {

struct TextPosition {
  std::size_t line = 0;
  std::size_t column = 0;
  unsigned char byte = 0;  // invalid_utf8: the offending byte
};

/// The first byte that does not belong to a valid UTF-8 sequence (overlong
/// forms, surrogates and code points above U+10FFFF included).
std::optional<TextPosition> invalid_utf8(std::string_view text);

/// The first control character YAML does not allow in a file: a C0 byte
/// other than tab, line feed and carriage return (a NUL among them), or DEL.
/// (yaml-cpp reads a NUL as the end of its input and reports an unrelated
/// error further on.) Quoted text writes them as escapes (`"\e"`).
std::optional<TextPosition> control_character(std::string_view text);

/// Where the nesting of collections first passes `max_depth`: block
/// mappings and lists by indentation and `- ` markers, flow `[` and `{` by
/// brackets (outside quotes and comments).
std::optional<TextPosition> too_deep(std::string_view text, int max_depth);

/// Where yaml-cpp 0.7's parser would run away on `text`: a `,` where a
/// document's first token belongs (`,`, `  ,`, `"x"\n,`) makes it emit nodes
/// without end, eating memory. The text is parsed once with a handler that
/// counts events; no YAML text yields more than a few events per byte, so
/// past 4 × bytes + 64 the parse is stopped and the position of the last
/// event returned. Nullopt when the parse ends (well-formed or with a
/// yaml-cpp error, which the real parse then reports).
std::optional<TextPosition> yaml_runaway(const std::string& text);

/// The first tab in the indentation of a line at or before `last_line`
/// (outside block scalars and quoted text).
std::optional<TextPosition> tab_indentation(std::string_view text, std::size_t last_line);

}  // namespace relsim::models::detail
