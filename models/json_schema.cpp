// The JSON Schema generator: registry -> a small JSON tree -> text.
#include "models/json_schema.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <regex>
#include <utility>
#include <vector>

#include "models/json_node.hpp"
#include "models/key_type.hpp"
#include "models/schema_keys.hpp"

namespace relsim::models {

namespace {

// ---- patterns of the primitive types (ECMAScript, as JSON Schema uses)

/// `[Mm][Oo][Nn]` for `mon`: weekday names are case-insensitive in the loader.
std::string any_case(std::string_view word) {
  std::string out;
  for (char c : word) {
    out += '[';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += c;
    out += ']';
  }
  return out;
}

std::string weekday_name_pattern() {
  static const std::pair<std::string_view, std::string_view> kDays[] = {
      {"mon", "day"}, {"tue", "sday"},  {"wed", "nesday"}, {"thu", "rsday"},
      {"fri", "day"}, {"sat", "urday"}, {"sun", "day"}};
  std::string out = "(";
  for (const auto& [abbreviation, rest] : kDays) {
    if (out.size() > 1) out += '|';
    out += any_case(abbreviation) + "(" + any_case(rest) + ")?";
  }
  return out + ")";
}

constexpr std::string_view kDurationParts = R"((\d+(\.\d+)?(us|ms|s|m|h|d|w))+)";
constexpr std::string_view kClock = R"(([01]?\d|2[0-3]):[0-5]?\d(:[0-5]?\d)?)";
constexpr std::string_view kDate = R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))";
constexpr std::string_view kDay = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";

struct Pattern {
  std::string_view primitive;
  std::string regex;
  std::string_view message;  // editors show it instead of the regex
};

const std::vector<Pattern>& patterns() {
  const std::string dur(kDurationParts);
  const std::string clock(kClock);
  const std::string day(kDay);
  static const std::vector<Pattern> kPatterns = {
      {"duration", "^" + dur + "$|^0$", "expected a duration like 250ms, 30s, 5m, 1h30m, 2d, 1w"},
      {"fraction", R"(^(100(\.0+)?|\d{1,2}(\.\d+)?)%$)",
       "expected a percentage from 0% to 100% (e.g. 99.9%) or a number from 0 to 1"},
      {"rate",
       R"(^\d+(\.\d+)?\s*/\s*((s|sec|second|m|min|minute|h|hr|hour|d|day|w|wk|week)s?|)" + dur +
           ")$",
       "expected a rate like 2/day, 0.5/h or 1/30d"},
      {"timeOfDay", "^(" + clock + R"(|24:0?0(:0?0)?)$)", "expected a time of day like \"14:00\""},
      {"weekTime", "^" + weekday_name_pattern() + " +" + clock + "$",
       "expected a weekday and time like \"Tue 14:00\""},
      {"timeOffset", R"(^\+?()" + dur + "|0)$", "expected an offset like +36h"},
      {"civilTime", "^" + std::string(kDate) + "([T ]" + clock + ")?$",
       "expected a date and time like 2026-03-02T00:00"},
      {"utcOffset", R"(^([+-](0\d|1[0-4]):[0-5]\d|Z|UTC)$)", "expected an offset like \"-05:00\""},
      {"weekdays", "^ *" + day + "( *- *" + day + ")?( *, *" + day + "( *- *" + day + ")?)* *$",
       "expected days like Mon-Fri or Sat,Sun"},
      {"weekday", "^" + day + "(-" + day + ")?$",
       "expected a day like Mon or a range like Mon-Fri"},
  };
  return kPatterns;
}

const Pattern* find_pattern(std::string_view primitive) {
  for (const Pattern& p : patterns()) {
    if (p.primitive == primitive) return &p;
  }
  return nullptr;
}

JsonNode def_ref(std::string_view definition) {
  JsonNode j;
  j.set("$ref", "#/definitions/" + std::string(definition));
  return j;
}

JsonNode patterned(std::string_view primitive) {
  const Pattern* p = find_pattern(primitive);
  JsonNode j;
  j.set("type", "string");
  j.set("pattern", p->regex);
  j.set("patternErrorMessage", p->message);
  return j;
}

JsonNode any_of(JsonNode::Array items) {
  JsonNode j;
  j.set("anyOf", std::move(items));
  return j;
}

JsonNode typed(std::string_view type) {
  JsonNode j;
  j.set("type", type);
  return j;
}

JsonNode const_zero() {
  JsonNode j;
  j.set("const", 0);
  return j;
}

/// The definition of a primitive that gets its own entry in `definitions`.
JsonNode primitive_definition(const PrimitiveType& p) {
  const std::string_view n = p.name;
  JsonNode out;
  out.set("description", std::string(p.summary) + " Examples: " + std::string(p.examples) + ".");
  if (n == "duration") {
    out.set("anyOf", JsonNode::Array{patterned(n), const_zero()});
  } else if (n == "fraction") {
    JsonNode number = typed("number");
    number.set("minimum", 0);
    number.set("maximum", 1);
    out.set("anyOf", JsonNode::Array{patterned(n), number});
  } else if (n == "timeSpec") {
    out.set("anyOf", JsonNode::Array{def_ref("weekTime"), patterned("timeOffset"),
                                     def_ref("civilTime"), const_zero()});
  } else if (n == "weekdays") {
    JsonNode list = typed("array");
    list.set("items", patterned("weekday"));
    list.set("minItems", 1);
    out.set("anyOf", JsonNode::Array{patterned(n), list});
  } else if (n == "distribution") {
    out.set("anyOf", JsonNode::Array{def_ref("duration"), def_ref("Distribution")});
  } else if (n == "metricValue") {
    JsonNode number = typed("number");
    number.set("minimum", 0);
    out.set("anyOf", JsonNode::Array{def_ref("duration"), def_ref("fraction"), number});
  } else {
    out.merge(patterned(n));
  }
  return out;
}

bool has_definition(std::string_view primitive) {
  return primitive != "string" && primitive != "integer" && primitive != "number" &&
         primitive != "boolean" && primitive != "null" && primitive != "any";
}

// ---- key types -> schemas and prose

std::string join_names(const std::vector<std::string>& names, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? last_sep : ", ";
    out += names[i];
  }
  return out;
}

std::string type_prose(const KeyType& t) {
  using K = KeyType::Kind;
  switch (t.kind) {
    case K::alternatives: {
      std::vector<std::string> parts;
      for (const KeyType& item : t.items) parts.push_back(type_prose(item));
      return join_names(parts, " or ");
    }
    case K::list:
      if (t.items[0].kind == K::reference) {
        std::vector<std::string> kinds;
        for (const auto& n : t.items[0].names) kinds.push_back(human_kind(n));
        return "list of " + join_names(kinds, " or ") + " names";
      }
      return "list of " + type_prose(t.items[0]);
    case K::map:
      return "mapping of names to " + type_prose(t.items[0]);
    case K::object:
      return t.name;
    case K::enumeration: {
      std::vector<std::string> quoted;
      for (const auto& n : t.names) quoted.push_back("`" + n + "`");
      return (quoted.size() == 1 ? "" : "one of ") + join_names(quoted, ", ");
    }
    case K::reference: {
      std::vector<std::string> kinds;
      for (const auto& n : t.names) kinds.push_back(human_kind(n));
      return "name of a " + join_names(kinds, " or ");
    }
    case K::primitive:
      return t.name;
  }
  return t.name;
}

JsonNode type_schema(const KeyType& t) {
  using K = KeyType::Kind;
  switch (t.kind) {
    case K::alternatives: {
      JsonNode::Array items;
      for (const KeyType& item : t.items) items.push_back(type_schema(item));
      return any_of(std::move(items));
    }
    case K::list: {
      JsonNode j = typed("array");
      j.set("items", type_schema(t.items[0]));
      return j;
    }
    case K::map: {
      JsonNode j = typed("object");
      j.set("additionalProperties", type_schema(t.items[0]));
      return j;
    }
    case K::object:
      return def_ref(t.name);
    case K::enumeration: {
      JsonNode j = typed("string");
      j.set("enum", JsonNode::strings(t.names));
      return j;
    }
    case K::reference: {
      JsonNode j = typed("string");
      j.set("minLength", 1);
      j.set("description", "The " + type_prose(t) + " defined in the System.");
      return j;
    }
    case K::primitive:
      if (t.name == "any") return JsonNode();
      if (has_definition(t.name)) return def_ref(t.name);
      return typed(t.name);
  }
  return JsonNode();
}

bool matches(std::string_view primitive, std::string_view text) {
  const Pattern* p = find_pattern(primitive);
  if (p == nullptr) return false;
  return std::regex_search(std::string(text), std::regex(p->regex));
}

/// The registry default as a JSON value, when it is a valid value of the type.
std::optional<JsonNode> default_value(const KeyType& t, std::string_view text) {
  using K = KeyType::Kind;
  if (t.kind == K::alternatives) {
    for (const KeyType& item : t.items) {
      if (auto v = default_value(item, text)) return v;
    }
    return std::nullopt;
  }
  if (t.kind == K::enumeration) {
    for (const auto& name : t.names) {
      if (name == text) return JsonNode(text);
    }
    return std::nullopt;
  }
  if (t.kind != K::primitive) return std::nullopt;
  if (t.name == "integer") {
    std::int64_t i = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc() && end == text.data() + text.size()) return JsonNode(i);
  } else if (t.name == "number") {
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc() && end == text.data() + text.size()) return JsonNode(d);
  } else if (t.name == "boolean") {
    if (text == "true" || text == "false") return JsonNode(text == "true");
  } else if (t.name == "distribution") {
    if (matches("duration", text)) return JsonNode(text);
  } else if (matches(t.name, text)) {
    return JsonNode(text);
  }
  return std::nullopt;
}

std::string key_description(const KeySpec& k, const KeyType& t) {
  std::string d = as_sentence(k.description);
  if (k.required) {
    d += " Required.";
  } else if (!k.default_value.empty()) {
    d += " Default: " + std::string(k.default_value) + ".";
  }
  return d + " Type: " + type_prose(t) + ".";
}

JsonNode object_definition(const ObjectSpec& o) {
  JsonNode j;
  j.set("description", object_summary(o));
  j.set("type", "object");
  JsonNode properties;
  std::vector<std::string> required;
  JsonNode::Array exactly_one;
  for (const KeySpec* k : keys_of(o.id)) {
    const KeyType t = parse_key_type(k->type);
    JsonNode p;
    p.set("description", "");  // first, for readers of the file
    p.merge(type_schema(t));
    p.set("description", key_description(*k, t));  // replaces a reference's generic one
    if (!k->required && !k->default_value.empty()) {
      if (auto v = default_value(t, k->default_value)) p.set("default", *v);
    }
    properties.set(k->key, std::move(p));
    if (k->required) required.emplace_back(k->key);
    JsonNode one;
    one.set("required", JsonNode::strings({std::string(k->key)}));
    exactly_one.push_back(std::move(one));
  }
  j.set("properties", std::move(properties));
  if (!required.empty()) j.set("required", JsonNode::strings(required));
  j.set("additionalProperties", false);
  if (o.one_of) j.set("oneOf", std::move(exactly_one));
  return j;
}

}  // namespace

std::string json_schema() {
  JsonNode root;
  root.set("$schema", "http://json-schema.org/draft-07/schema#");
  root.set("$comment",
           "Generated from the key registry (models/schema_keys.cpp); do not edit. Regenerate: "
           "./build/release/cli/relsim schema --output docs/schema/relsim.schema.json");
  root.set("title", "relsim scenario file");
  JsonNode::Array kinds;
  std::vector<std::string> kind_names;
  for (const ObjectSpec& o : accepted_objects()) {
    if (!is_document(o)) continue;
    kinds.push_back(def_ref(o.id));
    kind_names.push_back("a " + std::string(o.path));
  }
  root.set("description", "One document of a relsim file: " + join_names(kind_names, " or ") +
                              ", told apart by `kind`. Reference: docs/reference/README.md.");
  root.set("oneOf", std::move(kinds));
  JsonNode definitions;
  for (const ObjectSpec& o : accepted_objects()) definitions.set(o.id, object_definition(o));
  for (const PrimitiveType& p : primitive_types()) {
    if (has_definition(p.name)) definitions.set(p.name, primitive_definition(p));
  }
  root.set("definitions", std::move(definitions));
  std::string out;
  root.write(out, 0);
  return out + '\n';
}

std::string_view primitive_pattern(std::string_view name) {
  const Pattern* p = find_pattern(name);
  return p == nullptr ? std::string_view() : std::string_view(p->regex);
}

}  // namespace relsim::models
