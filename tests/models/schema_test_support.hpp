// Test support for the schema and reference-doc tests: a strict JSON parser
// (RFC 8259, tests/support/json_value.hpp), a YAML -> JSON conversion that types plain scalars like
// the YAML 1.2 core schema (as yaml-language-server does), and a validator for the subset of JSON
// Schema draft-07 that relsim's schema uses. With them the tests check that the generated schema is
// well-formed JSON and accepts the example files, without Python or a JSON library. Plus file
// helpers.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/json_value.hpp"

namespace YAML {
class Node;
}

namespace relsim::testing {

/// A YAML node as the JSON value an editor's YAML 1.2 parser would see.
JsonValue yaml_to_json(const YAML::Node& node);
/// Validates `value` against `schema` (a subschema of `root`); returns the
/// problems as `path: message`, empty when valid.
std::vector<std::string> validate(const JsonValue& root, const JsonValue& schema,
                                  const JsonValue& value, const std::string& path = "$");
/// The schema keywords `validate` understands (others must be annotations).
const std::vector<std::string>& validator_keywords();

/// The generated schema (models::json_schema()), parsed once.
const JsonValue& generated_schema();
/// `definitions.<name>` of the generated schema; throws when there is none.
const JsonValue& definition(std::string_view name);
/// The whole file (empty when it cannot be read).
std::string read_text(const std::filesystem::path& path);
/// Where `committed` and `generated` first differ, for a failure message.
std::string first_difference(const std::string& committed, const std::string& generated);
/// One indented line per item, for a failure message.
std::string joined(const std::vector<std::string>& lines);

}  // namespace relsim::testing
