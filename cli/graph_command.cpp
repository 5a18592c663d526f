// `relsim graph FILE [--format dot|json] [--output PATH] [--set path=value]`:
// the dependency graph of the system in FILE (or of the system a Scenario or
// GameDay in FILE names), after the same checks `relsim validate` runs.
// DOT: components as nodes (box service, cylinder datastore, hexagon cache),
// edges styled by dependency type (solid hard, dashed soft with its fallback,
// dotted cache and backing), zones as clusters holding where each component
// runs. JSON: nodes, edges, zones and the topological order. Layout of both
// in docs/graph.md. `--output` writes atomically (PATH.tmp, then rename).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analysis/format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace relsim::cli {

namespace {

using models::ComponentKind;
using models::EdgeType;
using models::System;
using models::Topology;

struct GraphOptions : OutputOptions {
  std::string file;
  std::vector<std::string> overrides;
};

/// A number with 15 significant digits, so that `1 - 0.9` prints as `0.1`.
std::string number(double v) { return analysis::decimal_text(v); }

/// `99%`, `10%`, `12.5%` (6 significant digits: for labels).
std::string percent(double fraction) { return analysis::printf_text("%.6g%%", fraction * 100.0); }

/// Replicas of service `v` in its `slot`-th zone at t = 0.
int replicas_in(const System& s, const models::TopologyVertex& v, std::size_t slot) {
  const auto& svc = s.services[v.index];
  return models::initial_replicas(svc.replicas, static_cast<int>(svc.zones.size()),
                                  static_cast<int>(slot));
}

/// `component in zone`: replicas, primary, replica or nodes, with a count for services.
std::string placement_label(const System& s, const Topology& t, models::VertexId v,
                            models::ZoneId z) {
  const auto& vx = t.vertex(v);
  const auto& zones = t.zones_of(v);
  switch (vx.kind) {
    case ComponentKind::service:
      for (std::size_t slot = 0; slot < zones.size(); ++slot) {
        if (zones[slot] == z) return vx.name + " \u00d7" + std::to_string(replicas_in(s, vx, slot));
      }
      return vx.name;
    case ComponentKind::datastore:
      return vx.name + (zones.front() == z ? " primary" : " replica");
    case ComponentKind::cache:
      return vx.name + " node";
  }
  return vx.name;
}

std::string node_label(const System& s, const models::TopologyVertex& v) {
  switch (v.kind) {
    case ComponentKind::service: {
      const auto& svc = s.services[v.index];
      return v.name + "\n" + std::to_string(svc.replicas) + " \u00d7 " +
             number(svc.capacity_per_replica) + " req/s";
    }
    case ComponentKind::datastore: {
      const auto& ds = s.datastores[v.index];
      return v.name + (ds.capacity > 0 ? "\n" + number(ds.capacity) + " req/s" : "");
    }
    case ComponentKind::cache:
      return v.name + "\nhit ratio " + percent(s.caches[v.index].hit_ratio);
  }
  return v.name;
}

std::string dot(const System& s, const Topology& t) {
  static const char* kShape[] = {"box", "cylinder", "hexagon"};  // by ComponentKind
  std::string out =
      "// relsim graph of system " + analysis::dot_quote(s.name) + "; layout: dot -Tsvg\n";
  out += "digraph " + analysis::dot_quote(s.name) + " {\n";
  out += "  graph [rankdir=TB, fontname=\"Helvetica\", label=" + analysis::dot_quote(s.name) +
         ", labelloc=t];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n\n";
  out += "  // Components: box = service, cylinder = datastore, hexagon = cache.\n";
  for (const auto& v : t.vertices()) {
    out += "  " + analysis::dot_quote(v.name) + " [shape=" + kShape[static_cast<int>(v.kind)] +
           ", label=" + analysis::dot_quote(node_label(s, v)) + "];\n";
  }
  out += "\n  // Dependencies: solid = hard, dashed = soft (label: fallback), dotted = cache.\n";
  for (const auto& e : t.edges()) {
    std::string attrs;
    switch (e.type) {
      case EdgeType::hard:
        attrs = "style=solid";
        break;
      case EdgeType::soft:
        attrs = "style=dashed, label=" +
                analysis::dot_quote("fallback" + (e.fallback.empty() ? "" : ": " + e.fallback) +
                                    " (" + percent(e.fallback_success) + ")");
        break;
      case EdgeType::cache:
        attrs = "style=dotted, label=\"cache\"";
        break;
      case EdgeType::backing:
        attrs = "style=dotted, label=" +
                analysis::dot_quote("misses (" + percent(e.call_fraction) + ")");
        break;
    }
    if (e.type != EdgeType::backing && e.call_fraction < 1.0) {
      attrs += ", taillabel=" + analysis::dot_quote(percent(e.call_fraction));
    }
    out += "  " + analysis::dot_quote(t.vertex(e.from).name) + " -> " +
           analysis::dot_quote(t.vertex(e.to).name) + " [" + attrs + "];\n";
  }
  out += "\n  // Zones (failure domains) and what runs in each.\n";
  std::set<std::string> cluster_ids;
  for (models::ZoneId z = 0; z < t.zone_count(); ++z) {
    std::string id = "cluster_";
    for (const char c : t.zone_name(z)) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    for (int n = 2; !cluster_ids.insert(id).second; ++n) id += "_" + std::to_string(n);
    out += "  subgraph " + id + " {\n";
    out += "    label=" + analysis::dot_quote(t.zone_name(z)) + "; style=rounded; color=gray50;\n";
    for (const auto& m : t.zone_members(z)) {
      const auto& v = t.vertex(m.vertex);
      out += "    " + analysis::dot_quote(t.zone_name(z) + "/" + v.name) +
             " [shape=" + kShape[static_cast<int>(v.kind)] + ", style=dashed, fontsize=9, label=" +
             analysis::dot_quote(placement_label(s, t, m.vertex, z)) + "];\n";
    }
    out += "  }\n";
  }
  out += "\n  // Each component linked to where it runs (thin gray lines, no arrow).\n";
  for (models::ZoneId z = 0; z < t.zone_count(); ++z) {
    for (const auto& m : t.zone_members(z)) {
      const auto& name = t.vertex(m.vertex).name;
      out += "  " + analysis::dot_quote(t.zone_name(z) + "/" + name) + " -> " +
             analysis::dot_quote(name) + " [dir=none, color=gray75, penwidth=0.6];\n";
    }
  }
  return out + "}\n";
}

/// `v` rounded to 15 significant digits, so that `1 - 0.9` is written as `0.1`.
double rounded(double v) { return std::strtod(number(v).c_str(), nullptr); }

models::JsonNode names_json(const Topology& t, const std::vector<models::VertexId>& ids) {
  models::JsonNode::Array names;
  for (const models::VertexId v : ids) names.emplace_back(t.vertex(v).name);
  return names;
}

models::JsonNode zones_json(const Topology& t, const std::vector<models::ZoneId>& ids) {
  models::JsonNode::Array names;
  for (const models::ZoneId z : ids) names.emplace_back(t.zone_name(z));
  return names;
}

models::JsonNode node_json(const System& s, const Topology& t, models::VertexId v) {
  const auto& vx = t.vertex(v);
  models::JsonNode node;
  node.set("id", v);
  node.set("name", vx.name);
  node.set("kind", models::to_string(vx.kind));
  switch (vx.kind) {
    case ComponentKind::service: {
      const auto& svc = s.services[vx.index];
      node.set("replicas", svc.replicas);
      node.set("capacityPerReplica", rounded(svc.capacity_per_replica));
      break;
    }
    case ComponentKind::datastore:
      node.set("capacity", rounded(s.datastores[vx.index].capacity));
      break;
    case ComponentKind::cache: {
      const auto& c = s.caches[vx.index];
      node.set("hitRatio", rounded(c.hit_ratio));
      node.set("backing", c.backing.name);
      break;
    }
  }
  std::vector<models::VertexId> dependents;
  for (const auto& r : t.dependents_of(v)) dependents.push_back(r.vertex);
  node.set("zones", zones_json(t, t.zones_of(v)));
  node.set("dependents", names_json(t, dependents));
  return std::move(node.one_line());
}

models::JsonNode edge_json(const Topology& t, const models::TopologyEdge& e) {
  models::JsonNode edge;
  edge.set("from", t.vertex(e.from).name);
  edge.set("to", t.vertex(e.to).name);
  edge.set("type", models::to_string(e.type));
  edge.set("callFraction", rounded(e.call_fraction));
  if (e.type == EdgeType::soft) {
    edge.set("fallback", e.fallback);
    edge.set("fallbackSuccess", rounded(e.fallback_success));
  }
  return std::move(edge.one_line());
}

models::JsonNode zone_json(const System& s, const Topology& t, models::ZoneId z) {
  models::JsonNode zone;
  zone.set("name", t.zone_name(z));
  zone.set("region", s.zones[z].region);
  models::JsonNode::Array members;
  for (const auto& m : t.zone_members(z)) {
    const auto& vx = t.vertex(m.vertex);
    models::JsonNode member;
    member.set("component", vx.name);
    member.set("role", models::to_string(m.role));
    if (m.role == models::ZoneRole::service_replicas) {
      const auto& zones = t.zones_of(m.vertex);
      const auto slot =
          static_cast<std::size_t>(std::find(zones.begin(), zones.end(), z) - zones.begin());
      member.set("replicas", replicas_in(s, vx, slot));
    }
    members.push_back(std::move(member));
  }
  zone.set("members", std::move(members));
  return std::move(zone.one_line());
}

models::JsonNode json(const System& s, const Topology& t) {
  models::JsonNode doc;
  doc.set("system", s.name);
  models::JsonNode::Array nodes, edges, zones;
  for (models::VertexId v = 0; v < t.vertex_count(); ++v) nodes.push_back(node_json(s, t, v));
  for (const auto& e : t.edges()) edges.push_back(edge_json(t, e));
  for (models::ZoneId z = 0; z < t.zone_count(); ++z) zones.push_back(zone_json(s, t, z));
  doc.set("nodes", std::move(nodes));
  doc.set("edges", std::move(edges));
  doc.set("zones", std::move(zones));
  doc.set("topologicalOrder", names_json(t, t.topological_order()));
  return doc;
}

/// The system of FILE: its first System document, else the system its first
/// Scenario or GameDay names (with that document's overrides).
System system_of(const GraphOptions& o) {
  const auto docs = models::load_files({o.file}, o.overrides, data_files());
  if (!docs.systems.empty()) return docs.systems.front();
  if (!docs.scenarios.empty())
    return models::load_scenario(o.file, o.overrides, data_files()).system;
  if (!docs.game_days.empty())
    return models::load_game_day(o.file, o.overrides, data_files()).system;
  throw models::InputError({o.file, 0, 0}, "no System, Scenario or GameDay document in file");
}

void run_graph(const GraphOptions& o) {
  check_output(o);
  const System s = system_of(o);
  const Topology t = Topology::build(s);
  models::check_system(s, t);
  const std::string text = o.format == "json" ? json(s, t).text() : dot(s, t);
  emit(o, text);
}

}  // namespace

void add_graph_command(CLI::App& app) {
  auto opts = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand(
      "graph",
      "Print the dependency graph of a system: DOT (zones as clusters, edge style by\n"
      "dependency type; render with `dot -Tsvg`) or JSON (nodes, edges, zones, topological "
      "order).");
  cmd->add_option("file", opts->file, "A file with a System (or a Scenario/GameDay naming one)")
      ->required();
  add_set_option(cmd, opts->overrides);
  add_output_options(cmd, *opts, {"dot", "json"});
  cmd->callback([opts] { run_graph(*opts); });
}

}  // namespace relsim::cli
