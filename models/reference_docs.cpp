// The reference-doc generator: registry + hand-written examples -> Markdown.
#include "models/reference_docs.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "models/key_type.hpp"
#include "models/limits.hpp"
#include "models/schema_keys.hpp"

namespace relsim::models {

namespace {

constexpr std::string_view kIndex = "README.md";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// `GameDay` -> `game-day.md`.
std::string page_of_kind(std::string_view kind) {
  std::string out;
  for (char c : kind) {
    if (std::isupper(static_cast<unsigned char>(c)) != 0 && !out.empty()) out += '-';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + ".md";
}

/// Text for a table cell: `|` escaped, `<` outside code spans as an entity.
std::string cell(std::string_view text) {
  std::string out;
  bool code = false;
  for (char c : text) {
    if (c == '`') code = !code;
    if (c == '|') {
      out += "\\|";
    } else if (!code && c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

/// Where each object is documented, and in which order on its page.
struct Layout {
  std::map<std::string, std::string, std::less<>> home;      // object id -> page
  std::map<std::string, std::vector<std::string>> sections;  // page -> object ids
  std::vector<std::string> distribution_objects;             // README, "Distributions"
  std::vector<std::string> shared_objects;                   // README, "The envelope"
  std::vector<std::string> unplaced;                         // reached by no kind
};

/// Objects reachable from `id` through key types, depth first, in key order.
/// The `distribution` primitive is not followed (distributions live in README).
void reach(std::string_view id, std::vector<std::string>& order) {
  if (std::find(order.begin(), order.end(), id) != order.end()) return;
  if (find_object(id) == nullptr) return;
  order.emplace_back(id);
  for (const KeySpec* k : keys_of(id)) {
    for (const std::string& child : referenced_objects(parse_key_type(k->type))) {
      reach(child, order);
    }
  }
}

Layout make_layout() {
  Layout l;
  reach("Distribution", l.distribution_objects);
  std::vector<std::pair<std::string, std::vector<std::string>>> by_root;
  for (const ObjectSpec& o : accepted_objects()) {
    if (!is_document(o)) continue;
    std::vector<std::string> order;
    reach(o.id, order);
    by_root.emplace_back(page_of_kind(o.path), std::move(order));
  }
  for (const std::string& id : l.distribution_objects) l.home[id] = kIndex;
  for (const auto& [page, order] : by_root) {
    for (const std::string& id : order) {
      if (l.home.contains(id)) continue;
      const bool everywhere = std::all_of(by_root.begin(), by_root.end(), [&](const auto& r) {
        return std::find(r.second.begin(), r.second.end(), id) != r.second.end();
      });
      l.home[id] = everywhere ? std::string(kIndex) : page;
      (everywhere ? l.shared_objects : l.sections[page]).push_back(id);
    }
  }
  for (const ObjectSpec& o : accepted_objects()) {
    if (!l.home.contains(o.id)) {
      l.home[std::string(o.id)] = kIndex;
      l.unplaced.emplace_back(o.id);
    }
  }
  return l;
}

/// The anchor of a primitive's heading; `(value type)` avoids clashing with an object.
std::string primitive_heading(std::string_view name) {
  std::string object_id(name);
  object_id[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(object_id[0])));
  return find_object(object_id) != nullptr ? std::string(name) + " (value type)"
                                           : std::string(name);
}

std::string anchor(std::string_view heading) {
  std::string out;
  for (char c : lower(heading)) {
    if (c == ' ') {
      out += '-';
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_') {
      out += c;
    }
  }
  return out;
}

class Writer {
 public:
  Writer(const Layout& layout, std::string page) : layout_(layout), page_(std::move(page)) {}

  std::string link_object(std::string_view id, std::string_view text = {}) const {
    auto it = layout_.home.find(id);
    const std::string page = it == layout_.home.end() ? std::string(kIndex) : it->second;
    return "[" + std::string(text.empty() ? id : text) + "](" + (page == page_ ? "" : page) + "#" +
           anchor(id) + ")";
  }

  std::string link_primitive(std::string_view name) const {
    return "[" + std::string(name) + "](" + (page_ == kIndex ? "" : std::string(kIndex)) + "#" +
           anchor(primitive_heading(name)) + ")";
  }

  std::string type_md(const KeyType& t) const {
    using K = KeyType::Kind;
    switch (t.kind) {
      case K::alternatives: {
        std::string out;
        for (std::size_t i = 0; i < t.items.size(); ++i) {
          if (i > 0) out += i + 1 == t.items.size() ? " or " : ", ";
          out += type_md(t.items[i]);
        }
        return out;
      }
      case K::list:
        if (t.items[0].kind == K::reference) {
          std::string out = "list of ";
          const auto& names = t.items[0].names;
          for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
            out += link_object(names[i], human_kind(names[i]));
          }
          return out + " names";
        }
        return "list of " + type_md(t.items[0]);
      case K::map:
        return "mapping of names to " + type_md(t.items[0]);
      case K::object:
        return link_object(t.name);
      case K::enumeration: {
        std::string out = t.names.size() == 1 ? "" : "one of ";
        for (std::size_t i = 0; i < t.names.size(); ++i) {
          if (i > 0) out += ", ";
          out += "`" + t.names[i] + "`";
        }
        return out;
      }
      case K::reference: {
        std::string out = "name of a ";
        for (std::size_t i = 0; i < t.names.size(); ++i) {
          if (i > 0) out += i + 1 == t.names.size() ? " or " : ", ";
          out += link_object(t.names[i], human_kind(t.names[i]));
        }
        return out;
      }
      case K::primitive:
        return link_primitive(t.name);
    }
    return t.name;
  }

  /// The keys that hold objects of `id`, as `` `key` of [Owner] ``.
  std::string used_in(std::string_view id) const {
    std::vector<std::string> uses;
    for (const KeySpec& k : accepted_keys()) {
      const auto objects = referenced_objects(parse_key_type(k.type));
      if (std::find(objects.begin(), objects.end(), id) != objects.end()) {
        uses.push_back("`" + std::string(k.key) + "` of " + link_object(k.object));
      }
    }
    std::string out;
    for (std::size_t i = 0; i < uses.size(); ++i) out += (i > 0 ? ", " : "") + uses[i];
    return out;
  }

  void object_section(std::string& out, std::string_view id, std::string_view level) const {
    const ObjectSpec* o = find_object(id);
    out += std::string(level) + " " + std::string(id) + "\n\n";
    out += object_summary(*o);
    if (const std::string uses = used_in(id); !uses.empty()) out += " Used in " + uses + ".";
    if (id == "Distribution")
      out += " Used by every key of type " + link_primitive("distribution") + ".";
    out += "\n\n| key | type | default | meaning |\n|---|---|---|---|\n";
    for (const KeySpec* k : keys_of(id)) {
      std::string def = k->required ? "*required*" : "—";
      if (!k->required && !k->default_value.empty()) {
        const bool prose = k->default_value.find(' ') != std::string_view::npos;
        def = prose ? cell(k->default_value) : "`" + std::string(k->default_value) + "`";
      }
      out += "| `" + std::string(k->key) + "` | " + cell(type_md(parse_key_type(k->type))) + " | " +
             def + " | " + cell(as_sentence(k->description)) + " |\n";
    }
    for (const ReferenceExample& e : reference_examples()) {
      if (e.object != id) continue;
      out += "\nExample:\n\n```yaml\n" + std::string(e.yaml);
      if (!e.yaml.ends_with('\n')) out += '\n';
      out += "```\n";
    }
    out += '\n';
  }

 private:
  const Layout& layout_;
  std::string page_;
};

const PageIntro& intro(std::string_view file_name) {
  for (const PageIntro& p : reference_intros()) {
    if (p.file_name == file_name) return p;
  }
  static const PageIntro kNone{};
  return kNone;
}

std::string header(std::string_view file_name) {
  const PageIntro& p = intro(file_name);
  return "<!-- Generated by `relsim schema --markdown docs/reference` from the key registry "
         "(models/schema_keys.cpp) and models/reference_examples.cpp; do not edit. -->\n\n# " +
         std::string(p.title) + "\n\n" + std::string(p.intro) + "\n";
}

/// The model's warnings (models::system_warnings), one row each.
constexpr std::string_view kWarnings =
    "## Warnings\n\n"
    "A model that runs but is probably not what was meant gets a warning from `relsim "
    "validate` and `relsim explain`: `file:line:col: warning: ...` on stderr, exit code 0. "
    "`--strict` makes every warning an error (exit 1), for CI. A shipped example that "
    "warns says why in its comments.\n\n"
    "| warning | when | example |\n"
    "|---|---|---|\n"
    "| overloaded with nothing failed | at some time of the first week (every demand knot and "
    "every 15 minutes) the fluid view of the nominal state — every zone up, every replica "
    "running, autoscaled services at `maxReplicas` — drops load at a service, datastore or "
    "cache; the worst moment is named | `service 'recommendations' is overloaded with nothing "
    "failed: at Mon 19:00 (local time) it receives 2000 req/s against a capacity of 1000 req/s "
    "(1 replica × 1000 req/s)` |\n"
    "| a failed change that changes nothing | `deploys.changeFailureRate` above 0 with a "
    "`badDeploy` of 0 % `errorRate` and no `addedLatency` (the defaults) | `deploys of service "
    "'web' fail 10 % of the time, but a bad deploy fails 0 % of requests and adds no latency` "
    "|\n"
    "| an SLO no alert watches | no `burnRate` alert names the SLO and no threshold alert "
    "watches its service | `no alert watches SLO 'web-availability' (nor service 'web')` |\n"
    "| an alert on a service no team owns | the alert names no `team`, no team `owns` the "
    "service, and it only tickets (or the system has no teams); a paging one with teams "
    "declared is an error | `alert 'WebSlow' watches service 'web', which no team owns: its "
    "tickets reach nobody` |\n"
    "| an escalation to a level that does not exist | `to: secondary` in a team of one member "
    "(without `secondary: true` it is an error); `to:` the team itself | `escalation step 1 of "
    "team 'shop-oncall' goes to the secondary, but the team has only one member, so no "
    "secondary` |\n"
    "| a runbook step that can never apply | `rollback` or `if: deployedWithin` on a service "
    "without `deploys` (only a scenario's `badDeploy` fault could make it apply); `scaleUp` "
    "to the replicas a service without autoscale always runs; `drainZone` of a zone without "
    "the service's replicas, or of a service in one zone | `step 1 of runbook 'web' rolls "
    "back, but service 'web' has no deploys` |\n"
    "| a fallback never reached | a soft dependency's `timeout` is not shorter than the "
    "`timeout` a caller of the service gives it: the caller gives up before the fallback "
    "answers | `soft dependency of 'catalog' on 'reviews' times out after 2s, but 'web' gives "
    "up on 'catalog' after 1s` |\n\n";

std::string index_page(const Layout& l) {
  Writer w(l, std::string(kIndex));
  std::string out = header(kIndex);
  out += "## Pages\n\n";
  for (const ObjectSpec& o : accepted_objects()) {
    if (!is_document(o)) continue;
    const std::string page = page_of_kind(o.path);
    out += "- [" + std::string(o.path) + "](" + page + "): " + std::string(o.description) + ". ";
    auto it = l.sections.find(page);
    std::vector<std::string> objects =
        it == l.sections.end() ? std::vector<std::string>{} : it->second;
    for (std::size_t i = 0; i < objects.size(); ++i) {
      out += (i > 0 ? ", " : "Objects: ") + w.link_object(objects[i]);
    }
    out += ".\n";
  }
  out +=
      "- [The envelope](#the-envelope), [value types](#value-types), "
      "[distributions](#distributions) and [limits](#limits): on this page.\n\n";
  out +=
      "## The envelope\n\nEvery document starts with `apiVersion: relsim/v1alpha1`, its "
      "`kind` and `metadata`, then its `spec`.\n\n";
  for (const std::string& id : l.shared_objects) w.object_section(out, id, "###");
  out +=
      "## Value types\n\nThe `type` column of every table uses these. Units are part of "
      "the value (`30s`, `99.9%`, `2/day`); plain numbers carry the unit named in the key's "
      "meaning (requests/s for capacities and demand).\n\n";
  for (const PrimitiveType& p : primitive_types()) {
    out += "### " + primitive_heading(p.name) + "\n\n" + std::string(p.summary) + "\n\nExamples: ";
    std::string_view rest = p.examples;
    bool first = true;
    while (!rest.empty()) {
      // Examples are `, `-separated, but flow mappings contain `, ` too: split at depth 0.
      int depth = 0;
      std::size_t end = 0;
      for (; end < rest.size(); ++end) {
        if (rest[end] == '{' || rest[end] == '[') ++depth;
        if (rest[end] == '}' || rest[end] == ']') --depth;
        if (depth == 0 && rest.substr(end, 2) == ", ") break;
      }
      out += (first ? "`" : ", `") + std::string(rest.substr(0, end)) + "`";
      first = false;
      rest.remove_prefix(std::min(rest.size(), end + 2));
    }
    out += ".\n\n";
  }
  out += "## Distributions\n\n" + std::string(intro("#distributions").intro) + "\n";
  for (const std::string& id : l.distribution_objects) w.object_section(out, id, "###");
  out +=
      "## Limits\n\nrelsim refuses input beyond these limits, each far above any real "
      "system, with a message that names the file, line and column (or the option) and the "
      "limit; they are checked before anything is sized by the value, so a hostile file "
      "cannot make relsim hang or exhaust memory ([security](../security.md)).\n\n"
      "| limit | at most | applies to |\n|---|---|---|\n";
  for (const InputLimit& lim : input_limits()) {
    out += "| " + std::string(lim.what) + " | " + std::string(lim.value) + " | " +
           std::string(lim.where) + " |\n";
  }
  out += "\n";
  if (!l.unplaced.empty()) {
    out += "## Other objects\n\n";
    for (const std::string& id : l.unplaced) w.object_section(out, id, "###");
  }
  out += kWarnings;
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

std::string kind_page(const Layout& l, const std::string& page) {
  Writer w(l, page);
  std::string out = header(page);
  auto it = l.sections.find(page);
  if (it != l.sections.end()) {
    for (const std::string& id : it->second) w.object_section(out, id, "##");
  }
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

}  // namespace

std::vector<ReferencePage> reference_pages() {
  const Layout layout = make_layout();
  std::vector<ReferencePage> pages;
  pages.push_back({std::string(kIndex), index_page(layout)});
  for (const ObjectSpec& o : accepted_objects()) {
    if (!is_document(o)) continue;
    const std::string page = page_of_kind(o.path);
    pages.push_back({page, kind_page(layout, page)});
  }
  return pages;
}

}  // namespace relsim::models
