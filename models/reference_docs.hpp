// The scenario-language reference (docs/reference/*.md), generated from the
// key registry (models/schema_keys.hpp) like the JSON Schema, so every key the
// loader accepts is documented with its type, default and meaning. The prose
// that the registry does not hold (page introductions, one YAML example per
// object) lives in reference_examples.cpp; a test checks each example against
// the JSON Schema and the committed pages against this generator.
//
// Pages: README.md (index, the envelope, value types, distributions),
// system.md, scenario.md, game-day.md. An object is documented on the page of
// the first kind that uses it (System, Scenario, GameDay), in the order a file
// nests them; objects every kind uses, and distributions, are in README.md.
// Pure functions over static data; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relsim::models {

struct ReferencePage {
  std::string file_name;  // e.g. `system.md`
  std::string text;       // Markdown, ending with a newline
};

struct ReferenceExample {
  std::string_view object;   // registry object id
  std::string_view context;  // where the object sits in `yaml`: `services[]`, `calendar`, or ``
  std::string_view yaml;     // a YAML snippet as a user would write it
};

struct PageIntro {
  std::string_view file_name;
  std::string_view title;
  std::string_view intro;  // Markdown paragraphs
};

/// Every page of docs/reference/, README.md first; deterministic.
std::vector<ReferencePage> reference_pages();
/// The hand-written example of each object (at most one per object).
const std::vector<ReferenceExample>& reference_examples();
/// The hand-written title and introduction of each page.
const std::vector<PageIntro>& reference_intros();

}  // namespace relsim::models
