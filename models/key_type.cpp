// The registry's type grammar: parser and primitive table.
#include "models/key_type.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace relsim::models {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument("bad registry type '" + std::string(text) + "': " + std::string(why));
}

/// Splits at `sep` outside brackets and parentheses.
std::vector<std::string_view> split_top(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (depth < 0) bad(text, "unbalanced brackets");
    if (c == sep && depth == 0) {
      parts.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0) bad(text, "unbalanced brackets");
  parts.push_back(trim(text.substr(start)));
  return parts;
}

/// The text inside `prefix(...)`, or false when `text` is not of that form.
bool inside(std::string_view text, std::string_view prefix, std::string_view& out) {
  if (text.size() < prefix.size() + 2 || text.substr(0, prefix.size()) != prefix ||
      text[prefix.size()] != '(' || text.back() != ')') {
    return false;
  }
  out = text.substr(prefix.size() + 1, text.size() - prefix.size() - 2);
  return true;
}

std::vector<std::string> names_in(std::string_view whole, std::string_view list) {
  std::vector<std::string> out;
  for (std::string_view p : split_top(list, ',')) {
    if (p.empty()) bad(whole, "empty name in a list");
    out.emplace_back(p);
  }
  return out;
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

void collect_objects(const KeyType& t, std::vector<std::string>& out) {
  if (t.kind == KeyType::Kind::object) out.push_back(t.name);
  for (const KeyType& item : t.items) collect_objects(item, out);
}

}  // namespace

KeyType parse_key_type(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) bad(text, "empty");
  KeyType out;
  if (auto parts = split_top(t, '|'); parts.size() > 1) {
    out.kind = KeyType::Kind::alternatives;
    for (std::string_view p : parts) out.items.push_back(parse_key_type(p));
    return out;
  }
  std::string_view body;
  if (t.front() == '[') {
    if (t.back() != ']') bad(text, "a list must end with ']'");
    out.kind = KeyType::Kind::list;
    out.items.push_back(parse_key_type(t.substr(1, t.size() - 2)));
  } else if (inside(t, "enum", body)) {
    out.kind = KeyType::Kind::enumeration;
    out.names = names_in(text, body);
  } else if (inside(t, "ref", body)) {
    out.kind = KeyType::Kind::reference;
    out.names = names_in(text, body);
  } else if (inside(t, "map", body)) {
    out.kind = KeyType::Kind::map;
    out.items.push_back(parse_key_type(body));
  } else if (find_primitive(t) != nullptr) {
    out.kind = KeyType::Kind::primitive;
    out.name = std::string(t);
  } else if (is_identifier(t) && std::isupper(static_cast<unsigned char>(t.front())) != 0) {
    out.kind = KeyType::Kind::object;
    out.name = std::string(t);
  } else {
    bad(text, "not a primitive, object id, list, enum, ref or map");
  }
  return out;
}

const std::vector<PrimitiveType>& primitive_types() {
  static const std::vector<PrimitiveType> kPrimitives = {
      {"string", "Any text.", "payments, \"rules-based scoring\""},
      {"integer", "A whole number.", "6, 10000"},
      {"number", "A number, with or without a fraction.", "1200, 0.3, 2.5"},
      {"boolean", "`true` or `false`.", "true, false"},
      {"null", "The YAML null: `null`, `~` or nothing.", "null"},
      {"duration",
       "One or more `<number><unit>` parts with units `us`, `ms`, `s`, `m`, `h`, `d`, `w`, "
       "largest first, without spaces; a bare `0` is zero. Negative durations are not "
       "accepted.",
       "250ms, 30s, 5m, 1h30m, 1.5h, 2d, 1w, 0"},
      {"fraction",
       "A percentage from `0%` to `100%`, or a plain number from 0 to 1. Probabilities, "
       "objectives and ratios all use it.",
       "99.9%, 15%, 0.999, 0"},
      {"rate",
       "Events per unit of time: `<count>/<unit>` with unit `s`, `m`/`min`, `h`/`hour`, "
       "`d`/`day`, `w`/`week` (plurals accepted) or a duration such as `30d`.",
       "2/day, 0.5/h, 10/s, 3/week, 1/30d"},
      {"timeOfDay", "A local time of day `HH:MM` or `HH:MM:SS`; quote it in YAML.",
       "\"14:00\", \"09:30\", \"24:00\""},
      {"weekTime", "A weekday (`Mon`..`Sun` or the full name, any case) and a local time of day.",
       "\"Mon 10:00\", \"Tue 14:00\", \"Friday 17:30\""},
      {"timeSpec",
       "An instant in a trial: a `weekTime` (the first such moment at or after the calendar "
       "start), an offset from the start (`+36h`), or a local date and time.",
       "\"Tue 14:00\", +36h, 2026-03-03T14:00"},
      {"civilTime", "A local date `YYYY-MM-DD`, optionally with a time `THH:MM[:SS]`.",
       "2026-03-02T00:00, 2026-03-02"},
      {"utcOffset", "`+HH:MM` or `-HH:MM` (up to 14 hours), `Z` or `UTC`; quote it in YAML.",
       "\"-05:00\", \"+01:00\", Z"},
      {"weekdays",
       "Days of the week: ranges and lists of `Mon`..`Sun` (ranges may wrap), as one string "
       "or a YAML list.",
       "Mon-Fri, \"Sat,Sun\", [Mon, Wed, Fri]"},
      {"distribution",
       "A random duration: a bare duration (always that value) or a one-key mapping naming "
       "the distribution (see Distribution).",
       "90s, {exponential: {mean: 30d}}, {lognormal: {median: 45s, p99: 3m}}"},
      {"metricValue",
       "A threshold in the metric's unit: a duration for time metrics, a fraction for "
       "rates and ratios, a number for counts.",
       "2m, 0.1%, 500"},
      {"any", "Any YAML value.", "8, 99.9%, [a, b]"},
  };
  return kPrimitives;
}

const PrimitiveType* find_primitive(std::string_view name) {
  for (const PrimitiveType& p : primitive_types()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> referenced_objects(const KeyType& type) {
  std::vector<std::string> out;
  collect_objects(type, out);
  return out;
}

std::string human_kind(std::string_view id) {
  if (id == "Slo") return "SLO";
  std::string out(id);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string as_sentence(std::string_view text) {
  std::string out(text);
  // A leading camelCase identifier (`podKill/nodeDrain: ...`) keeps its case.
  const std::string_view first = text.substr(0, text.find_first_of(" :/"));
  const bool identifier = std::any_of(first.begin(), first.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0;
  });
  if (!out.empty() && !identifier) {
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  }
  if (!out.empty() && out.back() != '.') out += '.';
  return out;
}

bool is_document(const ObjectSpec& o) { return o.id.ends_with("Document"); }

std::string object_summary(const ObjectSpec& o) {
  // The registry marks one-of objects in the description too; say it in words.
  std::string d(o.description);
  for (std::string_view marker : {" (one_of)", "one_of; "}) {
    if (const auto at = d.find(marker); at != std::string::npos) d.erase(at, marker.size());
  }
  d = as_sentence(d);
  if (is_document(o)) {
    d += " A document with `kind: " + std::string(o.path) + "`.";
  } else if (o.path.starts_with('(')) {
    d += " At " + std::string(o.path.substr(1, o.path.size() - 2)) + ".";  // prose, not a path
  } else {
    d += " At `" + std::string(o.path) + "`.";
  }
  if (o.one_of) d += " Give exactly one of its keys.";
  return d;
}

}  // namespace relsim::models
