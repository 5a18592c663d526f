// The type grammar of the key registry (models/schema_keys.hpp), parsed: the
// `type` text of a key such as `[ref(Zone)]`, `number | Demand` or
// `enum(page,ticket)` becomes a small tree. The JSON Schema generator and the
// reference-doc generator both read types through it, so they agree on what
// every type means. Also the table of primitive types (`duration`, `fraction`,
// ...) with a one-line meaning and examples as a user writes them, and the
// few prose helpers both generators share.
// Values and static data; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/schema_keys.hpp"

namespace relsim::models {

struct KeyType {
  enum class Kind : std::uint8_t {
    alternatives,  // `A | B`: items are the alternatives
    list,          // `[T]`: items[0] is T
    map,           // `map(T)`: any keys, items[0] is the value type
    object,        // an object id: name
    enumeration,   // `enum(a,b)`: names are the values
    reference,     // `ref(A,B)`: names are the kinds referred to
    primitive,     // `duration`, `string`, ...: name
  };
  Kind kind = Kind::primitive;
  std::string name;
  std::vector<std::string> names;
  std::vector<KeyType> items;
};

struct PrimitiveType {
  std::string_view name;      // as in the grammar, e.g. `duration`
  std::string_view summary;   // what values look like, one sentence
  std::string_view examples;  // examples as written in YAML, separated by `, `
};

/// Parses a registry type; throws std::invalid_argument on text outside the grammar.
KeyType parse_key_type(std::string_view text);
/// Every primitive type of the grammar, in a fixed order.
const std::vector<PrimitiveType>& primitive_types();
/// The primitive named `name`, or nullptr.
const PrimitiveType* find_primitive(std::string_view name);
/// Object ids that `type` mentions directly or inside lists, maps and alternatives.
std::vector<std::string> referenced_objects(const KeyType& type);
/// A kind name for prose: `Slo` -> `SLO`, `Datastore` -> `datastore`.
std::string human_kind(std::string_view id);
/// Registry text as a sentence: a final period, the first letter capitalized
/// unless the text starts with a camelCase identifier.
std::string as_sentence(std::string_view text);
/// True for the three roots (`SystemDocument`, ...): their `path` is the kind.
bool is_document(const ObjectSpec& o);
/// `A replicated service. At `System.spec.services[]`.` (+ the one-of rule).
std::string object_summary(const ObjectSpec& o);

}  // namespace relsim::models
