// Backstage catalog entities (backstage.io/v1alpha1, catalog-info.yaml) as
// relsim entities: a Component becomes a service (its owner the owning
// team, its lifecycle kept, `dependsOn` hard dependencies, the APIs it
// provides and consumes), a Resource of type database a datastore and of a
// cache type a cache, a System the system's name; the annotations
// backstage.io/kubernetes-id and pagerduty.com/service-id become aliases the
// join matches against Kubernetes labels and PagerDuty services. Entity
// references ("component:default/payments") are reduced to the name.
// Field table: docs/import.md.
#include <algorithm>
#include <cctype>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// An entity reference "[kind:][namespace/]name": its kind (lower case, ""
/// if not written) and name.
struct EntityRef {
  std::string kind, name;
};
EntityRef parse_ref(const std::string& ref) {
  EntityRef r;
  std::string rest = ref;
  const auto colon = rest.find(':');
  if (colon != std::string::npos) {
    r.kind = lower(rest.substr(0, colon));
    rest = rest.substr(colon + 1);
  }
  const auto slash = rest.find('/');
  r.name = slash == std::string::npos ? rest : rest.substr(slash + 1);
  return r;
}

bool is_database(const std::string& type) {
  static const char* const kTypes[] = {"database", "db",      "postgres", "postgresql", "mysql",
                                       "mariadb",  "mongodb", "dynamodb", "cassandra",  "rds"};
  return std::any_of(std::begin(kTypes), std::end(kTypes),
                     [&](const char* t) { return type == t; });
}

bool is_cache(const std::string& type) {
  static const char* const kTypes[] = {"cache", "redis", "memcached", "elasticache", "valkey"};
  return std::any_of(std::begin(kTypes), std::end(kTypes),
                     [&](const char* t) { return type == t; });
}

class BackstageReader {
 public:
  BackstageReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void document(const YAML::Node& root) {
    if (!root.IsMap()) {
      r_.warn(root, "(document)",
              "expected a Backstage entity (apiVersion, kind, metadata): skipped");
      return;
    }
    const std::string kind = r_.text(root, "kind", "kind").value_or("");
    const std::string name = r_.metadata_name(root, "", "a Backstage entity");
    if (name.empty()) return;
    const YAML::Node meta = C(root, "metadata");
    const Origin origin = r_.origin(C(meta, "name"), "metadata.name");
    const YAML::Node spec = r_.map(root, "spec", "spec");
    if (kind == "Component") {
      component(name, origin, meta, spec);
    } else if (kind == "Resource") {
      resource(name, origin, meta, spec);
    } else if (kind == "System") {
      if (!r_.out.system_name) {
        r_.out.system_name = Sourced<std::string>{name, origin};
      } else if (r_.out.system_name->value != name) {
        r_.note(Level::note, C(meta, "name"), "metadata.name",
                "a second System: relsim imports one system, kept '" + r_.out.system_name->value +
                    "' (" + r_.out.system_name->origin.text() + ")");
      }
    } else if (kind == "Group" || kind == "User") {
      group_members(kind, name, origin, spec);
    } else if (kind == "Location") {
      r_.note(Level::note, root, "kind",
              "a Location's targets are not followed: pass the catalog files themselves");
    } else {
      r_.note(Level::note, C(root, "kind").IsDefined() ? C(root, "kind") : root, "kind",
              "kind " + (kind.empty() ? std::string("(none)") : kind) +
                  " holds nothing relsim reads (Component, Resource, System): skipped");
    }
  }

 private:
  FieldReader r_;

  static YAML::Node C(const YAML::Node& n, const std::string& key) {
    return FieldReader::child(n, key);
  }

  /// A Group's `spec.members`, or a User's `spec.memberOf`: who is in which
  /// group (a team's size, when no on-call schedule gives it).
  void group_members(const std::string& kind, const std::string& name, const Origin& origin,
                     const YAML::Node& spec) {
    if (kind == "Group") {
      ImportedGroup g{name, origin, {}};
      const YAML::Node members = r_.list(spec, "members", "spec.members");
      for (std::size_t i = 0; members.IsDefined() && i < members.size(); ++i) {
        if (members[i].IsScalar()) add_unique(g.members, parse_ref(members[i].Scalar()).name);
      }
      r_.out.catalog_groups.push_back(std::move(g));
      return;
    }
    const YAML::Node of = r_.list(spec, "memberOf", "spec.memberOf");
    for (std::size_t i = 0; of.IsDefined() && i < of.size(); ++i) {
      if (!of[i].IsScalar()) continue;
      r_.out.catalog_groups.push_back(
          ImportedGroup{parse_ref(of[i].Scalar()).name,
                        r_.origin(of[i], "spec.memberOf[" + std::to_string(i) + "]"),
                        {name}});
    }
  }

  std::vector<std::string> aliases(const YAML::Node& meta, const std::string& name) {
    std::vector<std::string> out;
    const YAML::Node ann = C(meta, "annotations");
    for (const char* key : {"backstage.io/kubernetes-id", "pagerduty.com/service-id"}) {
      const std::string v = str(C(ann, key));
      if (v != name) add_unique(out, v);
    }
    return out;
  }

  std::optional<Sourced<std::string>> owner(const YAML::Node& spec) {
    const auto o = r_.text(spec, "owner", "spec.owner");
    if (!o || o->empty()) return std::nullopt;
    const EntityRef ref = parse_ref(*o);
    if (ref.kind == "user") {
      r_.note(Level::note, C(spec, "owner"), "spec.owner",
              "owned by a person (" + *o +
                  "): relsim's owner is an on-call team, named here "
                  "after '" +
                  ref.name + "'");
    }
    return Sourced<std::string>{ref.name, r_.origin(C(spec, "owner"), "spec.owner")};
  }

  /// spec.<key>: a list of entity references, each with its node.
  std::vector<std::pair<EntityRef, YAML::Node>> refs(const YAML::Node& spec,
                                                     const std::string& key) {
    std::vector<std::pair<EntityRef, YAML::Node>> out;
    const YAML::Node list = r_.list(spec, key, "spec." + key);
    for (std::size_t i = 0; list.IsDefined() && i < list.size(); ++i) {
      if (!list[i].IsScalar() || list[i].Scalar().empty()) {
        r_.warn(list[i], "spec." + key + "[" + std::to_string(i) + "]",
                "expected an entity reference (component:name): skipped");
        continue;
      }
      out.emplace_back(parse_ref(list[i].Scalar()), list[i]);
    }
    return out;
  }

  void component(const std::string& name, const Origin& origin, const YAML::Node& meta,
                 const YAML::Node& spec) {
    const std::string type = lower(str(C(spec, "type")));
    if (type == "library" || type == "documentation" || type == "tool") {
      r_.note(Level::note, C(spec, "type"), "spec.type",
              "a Component of type " + type + " does not run: not a service, skipped");
      return;
    }
    ImportedService s;
    s.name = name;
    s.origin = origin;
    s.aliases = aliases(meta, name);
    s.owner = owner(spec);
    if (const auto l = r_.text(spec, "lifecycle", "spec.lifecycle")) {
      s.lifecycle = Sourced<std::string>{*l, r_.origin(C(spec, "lifecycle"), "spec.lifecycle")};
    }
    for (const auto& [ref, node] : refs(spec, "dependsOn")) {
      if (ref.kind == "component" || ref.kind == "resource" || ref.kind.empty()) {
        s.depends_on.push_back(
            ImportedDependency{ref.name, "hard", r_.origin(node, "spec.dependsOn")});
      } else {
        r_.note(Level::note, node, "spec.dependsOn",
                "a dependency on a " + ref.kind + " is not a runtime dependency: skipped");
      }
    }
    for (const auto& [ref, node] : refs(spec, "providesApis")) {
      s.provides_apis.push_back(
          Sourced<std::string>{ref.name, r_.origin(node, "spec.providesApis")});
    }
    for (const auto& [ref, node] : refs(spec, "consumesApis")) {
      s.consumes_apis.push_back(
          Sourced<std::string>{ref.name, r_.origin(node, "spec.consumesApis")});
    }
    r_.out.services.push_back(std::move(s));
  }

  void resource(const std::string& name, const Origin& origin, const YAML::Node& meta,
                const YAML::Node& spec) {
    const std::string type = lower(str(C(spec, "type")));
    if (!is_database(type) && !is_cache(type)) {
      r_.note(Level::note, C(spec, "type").IsDefined() ? C(spec, "type") : spec, "spec.type",
              "a Resource of type '" + type +
                  "' is neither a database nor a cache: not a datastore, skipped");
      return;
    }
    ImportedStore st;
    st.name = name;
    st.origin = origin;
    st.cache = is_cache(type);
    st.owner = owner(spec);
    st.aliases = aliases(meta, name);
    r_.out.stores.push_back(std::move(st));
    // dependencyOf: the components that depend on this resource.
    for (const auto& [ref, node] : refs(spec, "dependencyOf")) {
      if (ref.kind != "component" && !ref.kind.empty()) continue;
      ImportedService s;
      s.name = ref.name;
      s.origin = r_.origin(node, "spec.dependencyOf");
      s.depends_on.push_back(ImportedDependency{name, st.cache ? "cache" : "hard", s.origin});
      r_.out.services.push_back(std::move(s));
    }
  }
};

}  // namespace

void read_backstage(const SourceDocument& doc, ImportModel& out) {
  try {
    BackstageReader(doc, out).document(doc.root);
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "Backstage");
  }
}

}  // namespace relsim::analysis::import
