// `--set path=value` and `spec.overrides`: edits of the YAML tree made before
// conversion, so an overridden value gets the same validation as a written
// one; errors inside it point at the override (Reader::origins).
#include <cctype>
#include <charconv>
#include <limits>

#include "models/loader_internal.hpp"
#include "models/text_checks.hpp"

namespace relsim::models::detail {

namespace {

const SourceLocation kCommandLine{"<command line>", 0, 0};

/// Splits `services[payment-api].zones` / `services.payment-api.zones` into
/// segments; nullopt on unbalanced brackets or empty segments.
std::optional<std::vector<std::string>> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::string current;
  bool pending = false;  // a segment was started (possibly empty text after '.')
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      if (current.empty()) return std::nullopt;
      out.push_back(current);
      current.clear();
      pending = true;
    } else if (c == '[') {
      if (!current.empty()) out.push_back(current);
      current.clear();
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return std::nullopt;
      out.emplace_back(path.substr(i + 1, close - i - 1));
      i = close;
      pending = false;
      if (i + 1 < path.size() && path[i + 1] != '.' && path[i + 1] != '[') return std::nullopt;
      if (i + 1 < path.size() && path[i + 1] == '.') {
        ++i;
        pending = true;
      }
    } else if (c == ']') {
      return std::nullopt;
    } else {
      current += c;
      pending = false;
    }
  }
  if (!current.empty())
    out.push_back(current);
  else if (pending)
    return std::nullopt;
  if (out.empty()) return std::nullopt;
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

/// The list index `digits` names (all_digits); SIZE_MAX when it is too large
/// for any list (was std::stoul, whose std::out_of_range said only "stoul").
std::size_t index_value(std::string_view digits) {
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  return ec == std::errc() && end == digits.data() + digits.size()
             ? index
             : std::numeric_limits<std::size_t>::max();
}

/// The value of scalar key `key` of a mapping item, or "".
std::string scalar_field(const YAML::Node& item, std::string_view key) {
  if (!item.IsMap()) return {};
  for (auto it = item.begin(); it != item.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key && it->second.IsScalar()) {
      return it->second.Scalar();
    }
  }
  return {};
}

/// What identifies a list item for a path: its name, `for` (runbooks),
/// `level` (severity rules) or, for a plain scalar item, the scalar itself.
std::string item_key(const YAML::Node& item) {
  if (item.IsScalar()) return item.Scalar();
  for (const char* key : {"name", "for", "level"}) {
    if (std::string v = scalar_field(item, key); !v.empty()) return v;
  }
  return {};
}

bool find_key(const YAML::Node& map, const std::string& key) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  }
  return false;
}

}  // namespace

std::optional<ParsedOverride> parse_set_option(const std::string& text, Sink& sink) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    sink.add(kCommandLine, "--set '" + text +
                               "': expected path=value, e.g. "
                               "services.payment-api.replicas=8");
    return std::nullopt;
  }
  ParsedOverride o;
  o.path = text.substr(0, eq);
  o.label = "--set " + text;
  o.location = kCommandLine;
  for (auto [prefix, target] : {std::pair{"scenario.", OverrideTarget::scenario},
                                {"gameDay.", OverrideTarget::game_day},
                                {"system.", OverrideTarget::system}}) {
    const std::string p(prefix);
    if (o.path.rfind(p, 0) == 0) {
      o.target = target;
      o.path = o.path.substr(p.size());
      break;
    }
  }
  if (detail::yaml_runaway(text.substr(eq + 1))) {
    sink.add(kCommandLine,
             "--set '" + text + "': the value is not valid YAML (the parser runs away on it)");
    return std::nullopt;
  }
  try {
    o.value = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    sink.add(kCommandLine, "--set '" + text + "': the value is not valid YAML: " + e.msg);
    return std::nullopt;
  }
  return o;
}

void apply_override(Reader& r, YAML::Node doc, const ParsedOverride& o) {
  auto fail = [&](const std::string& message) { r.error(o.location, o.label + ": " + message); };
  auto segments = split_path(o.path);
  if (!segments) {
    fail("malformed path '" + o.path +
         "' (write e.g. services.payment-api.replicas or "
         "services[payment-api].replicas)");
    return;
  }
  if (!doc.IsMap() || !find_key(doc, "spec") || !doc["spec"].IsMap()) {
    fail("the document has no spec to override");
    return;
  }
  YAML::Node cur = doc["spec"];
  std::string canonical = "spec";
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const std::string& seg = (*segments)[i];
    const bool last = i + 1 == segments->size();
    if (cur.IsMap()) {
      canonical += "." + seg;
      if (last) {
        cur[seg] = o.value;
        break;
      }
      if (!find_key(cur, seg)) cur[seg] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next = cur[seg];
      cur.reset(next);
      continue;
    }
    if (cur.IsSequence()) {
      std::size_t index = cur.size();
      if (all_digits(seg)) {
        index = index_value(seg);
        if (index >= cur.size()) {
          fail("index " + seg + " is out of range: " + canonical + " has " +
               std::to_string(cur.size()) + " items");
          return;
        }
      } else {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < cur.size(); ++k) {
          const std::string key = item_key(cur[k]);
          if (key == seg) index = k;
          if (!key.empty()) names.push_back(key);
        }
        if (index == cur.size()) {
          fail("no item named '" + seg + "' in " + canonical + did_you_mean(seg, names));
          return;
        }
      }
      canonical += item_segment(cur[index], index);
      if (last) {
        cur[index] = o.value;
        break;
      }
      YAML::Node next = cur[index];
      cur.reset(next);
      continue;
    }
    fail("cannot set '" + seg + "' inside " + canonical + ": it is " + describe(cur) +
         ", not a mapping or a list");
    return;
  }
  r.origins().push_back(OverrideOrigin{canonical, o.location, o.label});
}

std::optional<std::string> lookup_scalar(Reader& r, const YAML::Node& doc,
                                         const ParsedOverride& o) {
  auto fail = [&](const std::string& message) {
    r.error(o.location, o.label + ": " + message);
    return std::nullopt;
  };
  auto segments = split_path(o.path);
  if (!segments) return fail("malformed path '" + o.path + "'");
  if (!doc.IsMap() || !find_key(doc, "spec") || !doc["spec"].IsMap()) {
    return fail("the document has no spec");
  }
  YAML::Node cur = doc["spec"];
  std::string canonical = "spec";
  for (const std::string& seg : *segments) {
    if (cur.IsMap()) {
      if (!find_key(cur, seg)) return fail(canonical + " has no key '" + seg + "'");
      canonical += "." + seg;
      YAML::Node next = cur[seg];
      cur.reset(next);
    } else if (cur.IsSequence()) {
      std::size_t index = cur.size();
      if (all_digits(seg)) {
        index = index_value(seg);
      } else {
        for (std::size_t k = 0; k < cur.size(); ++k) {
          if (item_key(cur[k]) == seg) index = k;
        }
      }
      if (index >= cur.size()) return fail("no item '" + seg + "' in " + canonical);
      canonical += item_segment(cur[index], index);
      YAML::Node next = cur[index];
      cur.reset(next);
    } else {
      return fail("'" + seg + "' is not inside " + canonical + ": it is " + describe(cur));
    }
  }
  if (!cur.IsScalar()) return fail(canonical + " is " + describe(cur) + ", not a single value");
  return cur.Scalar();
}

}  // namespace relsim::models::detail
