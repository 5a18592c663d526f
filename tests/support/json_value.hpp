// A strict JSON parser (RFC 8259) for tests: the documents relsim writes
// are read back and compared by value, without a JSON library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relsim::testing {

struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  /// The member `key` of an object, or nullptr.
  const JsonValue* find(std::string_view key) const;
  /// The member `key` of an object; throws std::runtime_error when there is none.
  const JsonValue& at(std::string_view key) const;
  /// Item `index` of an array; throws std::runtime_error past the end.
  const JsonValue& at(std::size_t index) const;
  /// The keys of an object, in document order.
  std::vector<std::string> keys() const;
};

/// Parses JSON text strictly (no trailing commas, comments or duplicate keys);
/// throws std::runtime_error with the byte offset of the problem.
JsonValue parse_json(std::string_view text);

}  // namespace relsim::testing
