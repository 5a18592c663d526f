// YAML -> JSON, a draft-07 subset validator and file helpers (tests only).
#include "tests/models/schema_test_support.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "models/json_schema.hpp"

namespace relsim::testing {

namespace {

/// A plain YAML scalar typed by the YAML 1.2 core schema.
JsonValue plain_scalar(const std::string& s) {
  static const std::regex kNull("^(null|Null|NULL|~|)$");
  static const std::regex kTrue("^(true|True|TRUE)$");
  static const std::regex kFalse("^(false|False|FALSE)$");
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  JsonValue v;
  if (std::regex_match(s, kNull)) return v;
  if (std::regex_match(s, kTrue) || std::regex_match(s, kFalse)) {
    v.type = JsonValue::Type::boolean;
    v.boolean = std::regex_match(s, kTrue);
  } else if (std::regex_match(s, kInt) || std::regex_match(s, kFloat)) {
    v.type = JsonValue::Type::number;
    v.number = std::stod(s);
  } else {
    v.type = JsonValue::Type::string;
    v.string = s;
  }
  return v;
}

std::string type_of(const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::null:
      return "null";
    case JsonValue::Type::boolean:
      return "boolean";
    case JsonValue::Type::number:
      return v.number == std::floor(v.number) ? "integer" : "number";
    case JsonValue::Type::string:
      return "string";
    case JsonValue::Type::array:
      return "array";
    case JsonValue::Type::object:
      return "object";
  }
  return "?";
}

bool equal(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case JsonValue::Type::null:
      return true;
    case JsonValue::Type::boolean:
      return a.boolean == b.boolean;
    case JsonValue::Type::number:
      return a.number == b.number;
    case JsonValue::Type::string:
      return a.string == b.string;
    default:
      return false;  // not needed for relsim's schema
  }
}

std::string show(const JsonValue& v) {
  switch (v.type) {
    case JsonValue::Type::string:
      return "'" + v.string + "'";
    case JsonValue::Type::number:
      return std::to_string(v.number);
    default:
      return type_of(v);
  }
}

}  // namespace

JsonValue yaml_to_json(const YAML::Node& node) {
  JsonValue v;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return v;
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") {  // quoted: always a string
        v.type = JsonValue::Type::string;
        v.string = node.Scalar();
        return v;
      }
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence:
      v.type = JsonValue::Type::array;
      for (const auto& item : node) v.array.push_back(yaml_to_json(item));
      return v;
    case YAML::NodeType::Map:
      v.type = JsonValue::Type::object;
      for (const auto& kv : node) v.object.emplace_back(kv.first.Scalar(), yaml_to_json(kv.second));
      return v;
  }
  return v;
}

const std::vector<std::string>& validator_keywords() {
  static const std::vector<std::string> kKeywords = {
      "$ref",    "type",      "enum",     "const",      "pattern",  "minimum",
      "maximum", "minLength", "minItems", "properties", "required", "additionalProperties",
      "items",   "anyOf",     "oneOf",    "allOf"};
  return kKeywords;
}

std::vector<std::string> validate(const JsonValue& root, const JsonValue& schema,
                                  const JsonValue& value, const std::string& path) {
  std::vector<std::string> errors;
  auto error = [&](const std::string& message) { errors.push_back(path + ": " + message); };
  if (schema.type == JsonValue::Type::boolean) {
    if (!schema.boolean) error("not allowed");
    return errors;
  }
  if (const JsonValue* ref = schema.find("$ref")) {  // draft-07: siblings are ignored
    const std::string prefix = "#/definitions/";
    const JsonValue* defs = root.find("definitions");
    const JsonValue* target = ref->string.starts_with(prefix) && defs
                                  ? defs->find(ref->string.substr(prefix.size()))
                                  : nullptr;
    if (target == nullptr) {
      error("unresolved $ref " + ref->string);
      return errors;
    }
    return validate(root, *target, value, path);
  }
  if (const JsonValue* t = schema.find("type")) {
    const std::string actual = type_of(value);
    if (!(t->string == actual || (t->string == "number" && actual == "integer"))) {
      error("expected " + t->string + ", got " + show(value));
      return errors;
    }
  }
  if (const JsonValue* e = schema.find("enum")) {
    bool any = false;
    for (const JsonValue& option : e->array) any = any || equal(option, value);
    if (!any) error(show(value) + " is not one of the allowed values");
  }
  if (const JsonValue* c = schema.find("const"); c && !equal(*c, value)) {
    error(show(value) + " is not the constant");
  }
  if (value.type == JsonValue::Type::string) {
    if (const JsonValue* p = schema.find("pattern");
        p && !std::regex_search(value.string, std::regex(p->string))) {
      error(show(value) + " does not match " + p->string);
    }
    if (const JsonValue* m = schema.find("minLength");
        m && static_cast<double>(value.string.size()) < m->number) {
      error("string too short");
    }
  }
  if (value.type == JsonValue::Type::number) {
    if (const JsonValue* m = schema.find("minimum"); m && value.number < m->number) {
      error(show(value) + " is below the minimum");
    }
    if (const JsonValue* m = schema.find("maximum"); m && value.number > m->number) {
      error(show(value) + " is above the maximum");
    }
  }
  if (value.type == JsonValue::Type::array) {
    if (const JsonValue* m = schema.find("minItems");
        m && static_cast<double>(value.array.size()) < m->number) {
      error("too few items");
    }
    if (const JsonValue* items = schema.find("items")) {
      for (std::size_t i = 0; i < value.array.size(); ++i) {
        auto sub = validate(root, *items, value.array[i], path + "[" + std::to_string(i) + "]");
        errors.insert(errors.end(), sub.begin(), sub.end());
      }
    }
  }
  if (value.type == JsonValue::Type::object) {
    const JsonValue* properties = schema.find("properties");
    const JsonValue* additional = schema.find("additionalProperties");
    for (const auto& [key, member] : value.object) {
      const JsonValue* p = properties ? properties->find(key) : nullptr;
      const JsonValue* s = p ? p : additional;
      if (s == nullptr) continue;
      if (p == nullptr && s->type == JsonValue::Type::boolean && !s->boolean) {
        error("unknown key '" + key + "'");
        continue;
      }
      auto sub = validate(root, *s, member, path + "." + key);
      errors.insert(errors.end(), sub.begin(), sub.end());
    }
    if (const JsonValue* required = schema.find("required")) {
      for (const JsonValue& key : required->array) {
        if (value.find(key.string) == nullptr) error("missing required key '" + key.string + "'");
      }
    }
  }
  auto count_valid = [&](const JsonValue& list, std::vector<std::string>& branch_errors) {
    int valid = 0;
    for (const JsonValue& s : list.array) {
      auto sub = validate(root, s, value, path);
      if (sub.empty()) ++valid;
      branch_errors.insert(branch_errors.end(), sub.begin(), sub.end());
    }
    return valid;
  };
  if (const JsonValue* all = schema.find("allOf")) {
    for (const JsonValue& s : all->array) {
      auto sub = validate(root, s, value, path);
      errors.insert(errors.end(), sub.begin(), sub.end());
    }
  }
  if (const JsonValue* any = schema.find("anyOf")) {
    std::vector<std::string> branch_errors;
    if (count_valid(*any, branch_errors) == 0) {
      error("matches no alternative (" + std::to_string(branch_errors.size()) +
            " problems; first: " + (branch_errors.empty() ? "" : branch_errors.front()) + ")");
    }
  }
  if (const JsonValue* one = schema.find("oneOf")) {
    std::vector<std::string> branch_errors;
    const int valid = count_valid(*one, branch_errors);
    if (valid != 1) {
      error("matches " + std::to_string(valid) + " of the oneOf alternatives, not exactly one" +
            (branch_errors.empty() ? "" : " (first problem: " + branch_errors.front() + ")"));
    }
  }
  return errors;
}

const JsonValue& generated_schema() {
  static const JsonValue kSchema = parse_json(models::json_schema());
  return kSchema;
}

const JsonValue& definition(std::string_view name) {
  const JsonValue* d = generated_schema().find("definitions")->find(name);
  if (d == nullptr) throw std::runtime_error("no definition " + std::string(name));
  return *d;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string first_difference(const std::string& committed, const std::string& generated) {
  std::istringstream a(committed);
  std::istringstream b(generated);
  std::string la;
  std::string lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "only the final newline differs";
    if (la != lb || more_a != more_b) {
      return "first difference at line " + std::to_string(line) +
             ":\n  committed: " + (more_a ? la : "<end of file>") +
             "\n  generated: " + (more_b ? lb : "<end of file>");
    }
  }
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

}  // namespace relsim::testing
