// The JSON Schema (draft-07) of relsim's scenario files, generated from the
// key registry (models/schema_keys.hpp) so it cannot drift from the loader.
// Editors use the committed copy, docs/schema/relsim.schema.json, through a
// `# yaml-language-server: $schema=...` comment; `relsim schema` prints it.
//
// Shape: the top level is `oneOf` the three documents (System, Scenario,
// GameDay), told apart by `kind`. `definitions` holds one entry per registry
// object (UpperCamelCase, `additionalProperties: false`, `required`, each
// key's description with its default and type) followed by one entry per
// primitive type (lowerCamelCase: `duration`, `fraction`, ... with patterns).
// `A | B` types become `anyOf` (alternatives may overlap, e.g. `secondary` is
// also a valid team name); objects that take exactly one key get `oneOf`.
// The output is deterministic: registry order, then primitive-table order.
// Pure functions over static data; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace relsim::models {

/// The whole schema as pretty-printed JSON (2-space indent), ending with a newline.
std::string json_schema();
/// The regular expression (ECMAScript) a string of primitive `name` must match, or "".
std::string_view primitive_pattern(std::string_view name);

}  // namespace relsim::models
