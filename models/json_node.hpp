// A JSON value to build and print, for generated files (the JSON Schema)
// and reports: null, booleans, integers, doubles, strings, arrays, objects, with
// object keys kept in insertion order so the output is deterministic and
// reads in the order it was built. `write` pretty-prints with 2-space
// indentation; arrays of scalars stay on one line; a NaN or infinite double
// is written as null. Strings are escaped by `json_quote`, which also
// replaces bytes that are not UTF-8. relsim's one JSON writer: the JSON
// Schema, the FIS experiment template, the report's charts and the alert
// lab's document are built as trees, and every other
// JSON document quotes its strings with `json_quote` (analysis::json_string). A value type;
// thread-safe as values are.
#pragma once

#include <cstddef>
#include <cstdint>
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
  JsonNode(double d) : value_(d) {}                          // NOLINT
  JsonNode(std::string s) : value_(std::move(s)) {}          // NOLINT
  JsonNode(std::string_view s) : value_(std::string(s)) {}   // NOLINT
  JsonNode(const char* s) : value_(std::string(s)) {}        // NOLINT
  JsonNode(Array a) : value_(std::move(a)) {}                // NOLINT

  /// An array of strings.
  static JsonNode strings(const std::vector<std::string>& items);
  /// JSON's `null` (a value that is not there, e.g. an optional section).
  static JsonNode null();
  /// Sets `key` of this object: appended on first use, replaced in place after.
  JsonNode& set(std::string_view key, JsonNode value);
  /// Sets every key of the object `other`, in its order.
  JsonNode& merge(JsonNode other);
  /// Appends the pretty-printed value to `out`; `indent` is the current column.
  void write(std::string& out, int indent = 0) const;

 private:
  bool is_scalar() const;
  struct Null {};
  std::variant<Null, bool, std::int64_t, double, std::string, Array, Object> value_;
};

}  // namespace relsim::models
