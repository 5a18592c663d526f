// The JSON Schema against the key registry (both ways), the committed file,
// JSON syntax and the loader's value grammar; the registry's type grammar.
#include "models/json_schema.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <limits>
#include <regex>
#include <set>

#include "models/json_node.hpp"
#include "models/key_type.hpp"
#include "models/schema_keys.hpp"
#include "sim/time.hpp"
#include "tests/models/schema_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::testing::definition;
using relsim::testing::first_difference;
using relsim::testing::joined;
using relsim::testing::JsonValue;
using relsim::testing::parse_json;
using relsim::testing::read_text;
using relsim::testing::validate;
using relsim::testing::yaml_to_json;

const fs::path kSource = RELSIM_SOURCE_DIR;

const JsonValue& schema() { return relsim::testing::generated_schema(); }

// ---- the committed files

TEST(JsonSchema, CommittedSchemaMatchesTheGenerator) {
  const std::string generated = relsim::models::json_schema();
  const std::string committed = read_text(kSource / "docs/schema/relsim.schema.json");
  EXPECT_TRUE(committed == generated)
      << "docs/schema/relsim.schema.json is out of date (the key registry changed). Regenerate:\n"
         "  ./build/release/cli/relsim schema --output docs/schema/relsim.schema.json\n"
      << first_difference(committed, generated);
}

// ---- well-formed JSON

TEST(JsonSchema, IsStrictJsonOfDraft07WithOneBranchPerKind) {
  ASSERT_NO_THROW(parse_json(relsim::models::json_schema()));
  EXPECT_EQ(schema().find("$schema")->string, "http://json-schema.org/draft-07/schema#");
  const JsonValue* kinds = schema().find("oneOf");
  ASSERT_NE(kinds, nullptr);
  std::vector<std::string> refs;
  for (const JsonValue& k : kinds->array) refs.push_back(k.find("$ref")->string);
  EXPECT_EQ(refs, (std::vector<std::string>{
                      "#/definitions/SystemDocument", "#/definitions/ScenarioDocument",
                      "#/definitions/GameDayDocument", "#/definitions/AlertRulesDocument"}));
  EXPECT_EQ(relsim::models::json_schema(), relsim::models::json_schema()) << "not deterministic";
}

TEST(JsonSchema, QuotesEveryCharacterThatNeedsEscaping) {
  std::string all;
  for (int c = 1; c < 128; ++c) all += static_cast<char>(c);
  for (const std::string& s : {all, std::string("say \"hi\"\\n"), std::string("µs → ≥ 99.9%"),
                               std::string("tab\there\nline\r\b\f\x1f")}) {
    const std::string quoted = relsim::models::json_quote(s);
    const JsonValue v = parse_json("[" + quoted + "]");
    ASSERT_EQ(v.array.size(), 1U);
    EXPECT_EQ(v.array[0].string, s) << quoted;
  }
  EXPECT_EQ(relsim::models::json_quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST(JsonSchema, TestParserRejectsMalformedJson) {
  for (const char* bad : {"", "{", "{,}", "[1,]", "{\"a\":1,}", "\"a\nb\"", "{\"a\":1,\"a\":2}",
                          "01", "[1] 2", "{'a':1}", "\"\\x\"", "\"\\ud800\"", "nul", "[.5]"}) {
    EXPECT_THROW(parse_json(bad), std::runtime_error) << bad;
  }
  EXPECT_EQ(parse_json("\"\\u00e9\\ud83d\\ude00\"").string, "é\xF0\x9F\x98\x80");
}

// ---- the schema against the registry, both ways

TEST(JsonSchema, EveryRegistryKeyIsAPropertyWithItsRequiredFlag) {
  using relsim::models::accepted_objects;
  for (const auto& o : accepted_objects()) {
    const JsonValue& d = definition(o.id);
    const JsonValue* properties = d.find("properties");
    ASSERT_NE(properties, nullptr) << o.id;
    std::set<std::string> required;
    if (const JsonValue* r = d.find("required")) {
      for (const JsonValue& k : r->array) required.insert(k.string);
    }
    for (const auto* k : relsim::models::keys_of(o.id)) {
      const JsonValue* p = properties->find(k->key);
      EXPECT_NE(p, nullptr) << o.id << "." << k->key << " is missing from the schema";
      if (p != nullptr) {
        EXPECT_FALSE(p->find("description")->string.empty()) << k->key;
      }
      EXPECT_EQ(required.contains(std::string(k->key)), k->required) << o.id << "." << k->key;
    }
    const JsonValue* additional = d.find("additionalProperties");
    ASSERT_NE(additional, nullptr) << o.id;
    EXPECT_EQ(additional->type, JsonValue::Type::boolean);
    EXPECT_FALSE(additional->boolean) << o.id << " must reject unknown keys";
    EXPECT_EQ(d.find("oneOf") != nullptr, o.one_of) << o.id;
  }
}

/// Checks every `properties` in the tree sits in a registry object's definition.
void check_properties(const JsonValue& node, const std::string& where, bool is_definition_of_object,
                      std::vector<std::string>& problems) {
  if (node.type != JsonValue::Type::object) return;
  for (const auto& [key, value] : node.object) {
    if (key == "properties") {
      const std::string id = where.substr(where.rfind('/') + 1);
      if (!is_definition_of_object || relsim::models::find_object(id) == nullptr) {
        problems.push_back(where + " has properties but is not a registry object");
        continue;
      }
      for (const auto& [name, sub] : value.object) {
        if (relsim::models::find_key(id, name) == nullptr) {
          problems.push_back(id + "." + name + " is in the schema but not in the registry");
        }
        check_properties(sub, where + "/properties/" + name, false, problems);
      }
    } else if (key == "definitions") {
      for (const auto& [name, sub] : value.object) {
        check_properties(sub, "#/definitions/" + name, true, problems);
      }
    } else if (value.type == JsonValue::Type::array) {
      for (const JsonValue& item : value.array)
        check_properties(item, where + "/" + key, false, problems);
    } else {
      check_properties(value, where + "/" + key, false, problems);
    }
  }
}

TEST(JsonSchema, EveryPropertyIsARegistryKey) {
  std::vector<std::string> problems;
  check_properties(schema(), "#", false, problems);
  EXPECT_TRUE(problems.empty()) << joined(problems);
  std::size_t objects = 0;
  for (const auto& [name, d] : schema().find("definitions")->object) {
    if (d.find("properties") != nullptr) ++objects;
  }
  EXPECT_EQ(objects, relsim::models::accepted_objects().size());
}

/// Collects keywords and checks `$ref`s resolve.
void walk(const JsonValue& node, std::set<std::string>& keywords,
          std::vector<std::string>& bad_refs) {
  if (node.type != JsonValue::Type::object) return;
  for (const auto& [key, value] : node.object) {
    if (key == "properties" || key == "definitions") {
      for (const auto& [name, sub] : value.object) walk(sub, keywords, bad_refs);
      continue;
    }
    keywords.insert(key);
    if (key == "$ref" && (!value.string.starts_with("#/definitions/") ||
                          !schema().find("definitions")->find(value.string.substr(14)))) {
      bad_refs.push_back(value.string);
    }
    if (key == "anyOf" || key == "oneOf" || key == "allOf") {
      for (const JsonValue& item : value.array) walk(item, keywords, bad_refs);
    } else if (key == "items" || key == "additionalProperties") {
      walk(value, keywords, bad_refs);
    }
  }
}

TEST(JsonSchema, ReferencesResolveAndKeywordsAreKnown) {
  std::set<std::string> keywords;
  std::vector<std::string> bad_refs;
  walk(schema(), keywords, bad_refs);
  EXPECT_TRUE(bad_refs.empty()) << joined(bad_refs);
  std::set<std::string> known(relsim::testing::validator_keywords().begin(),
                              relsim::testing::validator_keywords().end());
  for (const char* annotation :
       {"$schema", "$comment", "title", "description", "default", "patternErrorMessage"}) {
    known.insert(annotation);
  }
  for (const std::string& k : keywords) EXPECT_TRUE(known.contains(k)) << "unchecked keyword " << k;
}

// ---- the type grammar

TEST(KeyTypes, EveryRegistryTypeParsesAndNamesKnownObjects) {
  for (const auto& k : relsim::models::accepted_keys()) {
    relsim::models::KeyType t;
    ASSERT_NO_THROW(t = relsim::models::parse_key_type(k.type)) << k.object << "." << k.key;
    for (const std::string& id : relsim::models::referenced_objects(t)) {
      EXPECT_NE(relsim::models::find_object(id), nullptr) << k.object << "." << k.key << ": " << id;
    }
  }
  EXPECT_THROW(relsim::models::parse_key_type("[string"), std::invalid_argument);
  EXPECT_THROW(relsim::models::parse_key_type("enum()"), std::invalid_argument);
  EXPECT_THROW(relsim::models::parse_key_type("durations"), std::invalid_argument);
  EXPECT_THROW(relsim::models::parse_key_type("string |"), std::invalid_argument);
}

TEST(KeyTypes, EveryReferencedKindIsAnObject) {
  std::function<void(const relsim::models::KeyType&)> check = [&](const auto& t) {
    if (t.kind == relsim::models::KeyType::Kind::reference) {
      for (const auto& n : t.names) EXPECT_NE(relsim::models::find_object(n), nullptr) << n;
    }
    for (const auto& item : t.items) check(item);
  };
  for (const auto& k : relsim::models::accepted_keys())
    check(relsim::models::parse_key_type(k.type));
}

// ---- the patterns of the value types

TEST(JsonSchema, DurationPatternAgreesWithTheParser) {
  const std::regex pattern{std::string(relsim::models::primitive_pattern("duration"))};
  // Order and repetition of units are the parser's to check (`1m1h`), not the pattern's.
  for (const char* s :
       {"250ms", "30s",    "5m", "1h30m", "1.5h", "2d", "1w",  "0",   "10us", "1w2d3h4m5s6ms7us",
        "",      "5",      "5x", "-5m",   "1 h",  "h",  "1.h", ".5h", "5m5",  "5mm",
        "00",    "1h 30m", "+5m"}) {
    bool parses = true;
    try {
      relsim::sim::parse_duration(s);
    } catch (const relsim::sim::DurationError&) {
      parses = false;
    }
    EXPECT_EQ(std::regex_search(std::string(s), pattern), parses) << "'" << s << "'";
  }
}

JsonValue scalar(const std::string& yaml) { return yaml_to_json(YAML::Load(yaml)); }

TEST(JsonSchema, ValueTypesAcceptTheirDocumentedExamples) {
  for (const auto& p : relsim::models::primitive_types()) {
    const JsonValue* d = schema().find("definitions")->find(p.name);
    if (d == nullptr) continue;  // string, number, ...: plain JSON types
    const JsonValue examples = scalar("[" + std::string(p.examples) + "]");
    ASSERT_EQ(examples.type, JsonValue::Type::array) << p.name;
    for (const JsonValue& e : examples.array) {
      const auto errors = validate(schema(), *d, e);
      EXPECT_TRUE(errors.empty()) << p.name << ": " << joined(errors);
    }
  }
}

TEST(JsonSchema, ValueTypesRejectWhatTheLoaderRejects) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"duration", "5"},
      {"duration", "-5m"},
      {"duration", "5 min"},
      {"fraction", "150%"},
      {"fraction", "1.5"},
      {"fraction", "-0.1"},
      {"rate", "2"},
      {"rate", "2/fortnight"},
      {"timeOfDay", "25:00"},
      {"timeOfDay", "14h"},
      {"weekTime", "Tue 24:00"},
      {"weekTime", "Tues 14:00"},
      {"timeSpec", "-36h"},
      {"civilTime", "2026-13-01"},
      {"civilTime", "2026-03-02 25:00"},
      {"utcOffset", "-5:00"},
      {"utcOffset", "+15:00"},
      {"weekdays", "Mon-Funday"},
      {"weekdays", "mon-fri"},
      {"distribution", "{exponential: {mean: 30d}, fixed: 1m}"},
      {"distribution", "{poisson: {mean: 1m}}"},
      {"metricValue", "fast"},
  };
  for (const auto& [type, yaml] : bad) {
    EXPECT_FALSE(validate(schema(), definition(type), scalar(yaml)).empty())
        << type << " accepts " << yaml;
  }
}

TEST(JsonSchema, RejectsUnknownKeysWrongKindsAndMissingKeys) {
  const std::string ok = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec: {zones: [a]}
)";
  EXPECT_TRUE(validate(schema(), schema(), scalar(ok)).empty());
  for (const std::string& bad : {std::string(ok) + "extra: 1\n", ok.substr(0, ok.find("spec")),
                                 std::regex_replace(ok, std::regex("kind: System"), "kind: Sistem"),
                                 std::regex_replace(ok, std::regex("zones: \\[a\\]"), "zone: [a]"),
                                 std::regex_replace(ok, std::regex("v1alpha1"), "v1")}) {
    EXPECT_FALSE(validate(schema(), schema(), scalar(bad)).empty()) << bad;
  }
}

}  // namespace

TEST(JsonSchema, QuoteReplacesBytesThatAreNotUtf8) {
  // Issue 22: a name with invalid UTF-8 must not make `run`/`graph --format
  // json` write invalid JSON. Each bad byte becomes U+FFFD; valid sequences
  // (2, 3 and 4 bytes) pass through.
  using relsim::models::json_quote;
  EXPECT_EQ(json_quote("a\xff"
                       "b"),
            "\"a\\ufffdb\"");                    // never a lead byte
  EXPECT_EQ(json_quote("\x80"), "\"\\ufffd\"");  // stray continuation
  EXPECT_EQ(json_quote("\xc3"), "\"\\ufffd\"");  // truncated at the end
  EXPECT_EQ(json_quote("\xe2\x82"
                       "x"),
            "\"\\ufffd\\ufffdx\"");                                    // truncated 3-byte
  EXPECT_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\"");             // overlong '/'
  EXPECT_EQ(json_quote("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");  // overlong 3-byte
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // a UTF-16 surrogate
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
  EXPECT_EQ(json_quote("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
            "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");  // é € 😀 unchanged
  const JsonValue v = parse_json("[" + json_quote("api\xfe\n") + "]");
  ASSERT_EQ(v.array.size(), 1U);
  EXPECT_EQ(v.array[0].string, "api\xef\xbf\xbd\n");
}

TEST(JsonSchema, NodeWritesNonFiniteNumbersAsNull) {
  relsim::models::JsonNode j;
  j.set("nan", std::numeric_limits<double>::quiet_NaN());
  j.set("inf", std::numeric_limits<double>::infinity());
  std::string out;
  j.write(out);
  EXPECT_EQ(out, "{\n  \"nan\": null,\n  \"inf\": null\n}");
}
