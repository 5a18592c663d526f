// The system graph on Boost.Graph: construction from a System, topological
// order, cycle naming (depth-first search, back edges) and reachability
// (breadth-first search on the reversed or filtered graph).
#include "models/topology.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>
#include <limits>

#include "models/diagnostics.hpp"

namespace relsim::models {

struct EdgeProperty {
  EdgeId id = 0;
  EdgeType type = EdgeType::hard;
};

// vecS/vecS: vertex descriptors are the VertexIds; out- and in-edge lists keep
// insertion (EdgeId) order, which makes every search deterministic.
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                         boost::no_property, EdgeProperty>;
using BoostEdge = boost::graph_traits<BoostGraph>::edge_descriptor;
using BoostVertex = boost::graph_traits<BoostGraph>::vertex_descriptor;

struct Topology::Graph {
  BoostGraph g;         // caller → callee
  BoostGraph reversed;  // callee → caller, same edge ids: searches for dependents
};

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<VertexId>::max();

/// Records, for each vertex, the tree edge that discovered it, and every back
/// edge (each closes one cycle).
class CycleRecorder : public boost::default_dfs_visitor {
 public:
  CycleRecorder(std::vector<EdgeId>& parent_edge, std::vector<EdgeId>& back_edges)
      : parent_edge_(parent_edge), back_edges_(back_edges) {}
  void tree_edge(BoostEdge e, const BoostGraph& g) const {
    parent_edge_[boost::target(e, g)] = g[e].id;
  }
  void back_edge(BoostEdge e, const BoostGraph& g) const { back_edges_.push_back(g[e].id); }

 private:
  std::vector<EdgeId>& parent_edge_;
  std::vector<EdgeId>& back_edges_;
};

/// Visits vertices breadth-first, recording the edge each was reached by.
class ReachRecorder : public boost::default_bfs_visitor {
 public:
  explicit ReachRecorder(std::vector<EdgeId>& via) : via_(via) {}
  template <typename Edge, typename G>
  void tree_edge(Edge e, const G& g) const {
    via_[boost::target(e, g)] = g[e].id;
  }

 private:
  std::vector<EdgeId>& via_;
};

/// Edge filter for the "does a path avoid these edge types" questions.
struct EdgeTypeFilter {
  const BoostGraph* g = nullptr;
  bool allow_soft = true;
  bool hard_only = false;
  bool operator()(BoostEdge e) const {
    const EdgeType t = (*g)[e].type;
    if (hard_only) return t == EdgeType::hard;
    return allow_soft || t != EdgeType::soft;
  }
};

/// Vertices reachable from `start` in `g` (a BGL graph whose edges carry EdgeProperty).
template <typename G>
std::vector<EdgeId> bfs_from(const G& g, VertexId start, std::size_t n) {
  std::vector<EdgeId> via(n, kNone);
  std::vector<boost::default_color_type> color(n);
  auto color_map =
      boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  boost::breadth_first_search(g, start, boost::visitor(ReachRecorder(via)).color_map(color_map));
  return via;
}

std::vector<bool> reached(const std::vector<EdgeId>& via, VertexId start) {
  std::vector<bool> out(via.size(), false);
  for (std::size_t v = 0; v < via.size(); ++v) out[v] = via[v] != kNone;
  out[start] = false;
  return out;
}

}  // namespace

Topology::Topology() : graph_(std::make_unique<Graph>()) {}
Topology::Topology(const Topology& other)
    : vertices_(other.vertices_),
      edges_(other.edges_),
      out_(other.out_),
      in_(other.in_),
      order_(other.order_),
      zone_names_(other.zone_names_),
      zone_members_(other.zone_members_),
      vertex_zones_(other.vertex_zones_),
      graph_(std::make_unique<Graph>(*other.graph_)) {}
Topology& Topology::operator=(const Topology& other) {
  if (this != &other) *this = Topology(other);
  return *this;
}
Topology::Topology(Topology&&) noexcept = default;
Topology& Topology::operator=(Topology&&) noexcept = default;
Topology::~Topology() = default;

Topology Topology::build(const System& system) {
  Topology t;
  auto add_vertex = [&](const std::string& name, ComponentKind kind, std::size_t index,
                        const SourceLocation& location) {
    t.vertices_.push_back({name, kind, index, location});
  };
  for (std::size_t i = 0; i < system.services.size(); ++i) {
    add_vertex(system.services[i].name, ComponentKind::service, i, system.services[i].location);
  }
  for (std::size_t i = 0; i < system.datastores.size(); ++i) {
    add_vertex(system.datastores[i].name, ComponentKind::datastore, i,
               system.datastores[i].location);
  }
  for (std::size_t i = 0; i < system.caches.size(); ++i) {
    add_vertex(system.caches[i].name, ComponentKind::cache, i, system.caches[i].location);
  }
  const std::size_t n = t.vertices_.size();

  // The loader has checked every reference; one it could not resolve is
  // skipped here rather than turned into a second error.
  for (std::size_t i = 0; i < system.services.size(); ++i) {
    const auto& svc = system.services[i];
    for (std::size_t k = 0; k < svc.depends_on.size(); ++k) {
      const Dependency& d = svc.depends_on[k];
      const auto to = t.find(d.target_kind, d.target.name);
      if (!to) continue;
      EdgeType type = EdgeType::hard;
      if (d.type == DependencyType::soft) type = EdgeType::soft;
      if (d.type == DependencyType::cache) type = EdgeType::cache;
      t.edges_.push_back({static_cast<VertexId>(i), *to, type, d.call_fraction, d.fallback_success,
                          d.fallback, k, d.location});
    }
  }
  for (std::size_t i = 0; i < system.caches.size(); ++i) {
    const auto& c = system.caches[i];
    const auto from = t.find(ComponentKind::cache, c.name);
    const auto to = t.find(c.backing_kind, c.backing.name);
    if (!from || !to) continue;
    // Every request that misses the cache reaches the backing store.
    t.edges_.push_back({*from,
                        *to,
                        EdgeType::backing,
                        1.0 - c.hit_ratio,
                        0.0,
                        {},
                        std::nullopt,
                        c.backing.location});
  }

  t.out_.assign(n, {});
  t.in_.assign(n, {});
  t.graph_->g = BoostGraph(n);
  t.graph_->reversed = BoostGraph(n);
  for (std::size_t e = 0; e < t.edges_.size(); ++e) {
    const auto& edge = t.edges_[e];
    t.out_[edge.from].push_back(static_cast<EdgeId>(e));
    t.in_[edge.to].push_back(static_cast<EdgeId>(e));
    const EdgeProperty property{static_cast<EdgeId>(e), edge.type};
    boost::add_edge(edge.from, edge.to, property, t.graph_->g);
    boost::add_edge(edge.to, edge.from, property, t.graph_->reversed);
  }

  t.check_acyclic();
  // Boost emits vertices in reverse topological order of the edges: callees
  // (edge targets) before their callers, which is the propagation order.
  t.order_.reserve(n);
  boost::topological_sort(t.graph_->g, std::back_inserter(t.order_));

  for (const auto& z : system.zones) t.zone_names_.push_back(z.name);
  t.zone_members_.assign(t.zone_names_.size(), {});
  t.vertex_zones_.assign(n, {});
  auto place = [&](VertexId v, const NameRef& zone, ZoneRole role) {
    const auto z = t.find_zone(zone.name);
    if (!z) return;
    t.zone_members_[*z].push_back({v, role});
    t.vertex_zones_[v].push_back(*z);
  };
  for (VertexId v = 0; v < n; ++v) {
    const auto& vx = t.vertices_[v];
    switch (vx.kind) {
      case ComponentKind::service:
        for (const auto& z : system.services[vx.index].zones) {
          place(v, z, ZoneRole::service_replicas);
        }
        break;
      case ComponentKind::datastore: {
        const auto& ds = system.datastores[vx.index];
        place(v, ds.primary_zone, ZoneRole::datastore_primary);
        for (const auto& z : ds.replica_zones) place(v, z, ZoneRole::datastore_replica);
        break;
      }
      case ComponentKind::cache:
        for (const auto& z : system.caches[vx.index].zones) place(v, z, ZoneRole::cache_nodes);
        break;
    }
  }
  for (auto& members : t.zone_members_) {
    std::stable_sort(members.begin(), members.end(),
                     [](const ZoneMember& a, const ZoneMember& b) { return a.vertex < b.vertex; });
  }
  return t;
}

void Topology::check_acyclic() const {
  const std::size_t n = vertices_.size();
  std::vector<EdgeId> parent_edge(n, kNone);
  std::vector<EdgeId> back_edges;
  std::vector<boost::default_color_type> color(n);
  const auto& g = graph_->g;
  boost::depth_first_search(g, boost::visitor(CycleRecorder(parent_edge, back_edges))
                                   .color_map(boost::make_iterator_property_map(
                                       color.begin(), boost::get(boost::vertex_index, g))));
  if (back_edges.empty()) return;

  std::vector<Diagnostic> diagnostics;
  for (const EdgeId back : back_edges) {
    // The back edge u → v closes the cycle v → ... → u → v along tree edges.
    std::vector<EdgeId> cycle{back};
    const VertexId head = edges_[back].to;
    for (VertexId u = edges_[back].from; u != head; u = edges_[parent_edge[u]].from) {
      cycle.push_back(parent_edge[u]);
    }
    std::reverse(cycle.begin(), cycle.end());
    // Start at the vertex declared first, so the message does not depend on
    // where the search happened to enter the cycle.
    const auto first = std::min_element(cycle.begin(), cycle.end(), [&](EdgeId a, EdgeId b) {
      return edges_[a].from < edges_[b].from;
    });
    std::rotate(cycle.begin(), first, cycle.end());
    std::string path = vertices_[edges_[cycle.front()].from].name;
    for (const EdgeId e : cycle) path += " \u2192 " + vertices_[edges_[e].to].name;
    std::string message = "dependency cycle: " + path;
    if (cycle.size() == 2 && edges_[cycle[1]].type == EdgeType::backing) {
      message += " (cache '" + vertices_[edges_[cycle[1]].from].name +
                 "' is backed by its own caller '" + vertices_[edges_[cycle[1]].to].name + "')";
    }
    Diagnostic d{edges_[cycle.front()].location, std::move(message)};
    const bool seen = std::any_of(diagnostics.begin(), diagnostics.end(),
                                  [&](const Diagnostic& x) { return x.message == d.message; });
    if (!seen) diagnostics.push_back(std::move(d));
    if (diagnostics.size() == kMaxErrors) break;
  }
  throw InputError(std::move(diagnostics));
}

std::optional<VertexId> Topology::find(ComponentKind kind, std::string_view name) const {
  for (VertexId v = 0; v < vertices_.size(); ++v) {
    if (vertices_[v].kind == kind && vertices_[v].name == name) return v;
  }
  return std::nullopt;
}

std::optional<VertexId> Topology::find(std::string_view name) const {
  for (VertexId v = 0; v < vertices_.size(); ++v) {
    if (vertices_[v].name == name) return v;
  }
  return std::nullopt;
}

std::optional<ZoneId> Topology::find_zone(std::string_view name) const {
  for (ZoneId z = 0; z < zone_names_.size(); ++z) {
    if (zone_names_[z] == name) return z;
  }
  return std::nullopt;
}

std::vector<Reach> Topology::dependents_of(VertexId v) const { return reach(v, true); }
std::vector<Reach> Topology::dependencies_of(VertexId v) const { return reach(v, false); }

std::vector<Reach> Topology::reach(VertexId v, bool towards_callers) const {
  const std::size_t n = vertices_.size();
  if (v >= n) throw std::out_of_range("Topology: no vertex " + std::to_string(v));
  const BoostGraph& graph = towards_callers ? graph_->reversed : graph_->g;
  const std::vector<EdgeId> via = bfs_from(graph, v, n);
  const std::vector<bool> without_soft = reached(
      bfs_from(boost::make_filtered_graph(graph, EdgeTypeFilter{&graph, false, false}), v, n), v);
  const std::vector<bool> hard_only = reached(
      bfs_from(boost::make_filtered_graph(graph, EdgeTypeFilter{&graph, true, true}), v, n), v);

  std::vector<Reach> out;
  for (VertexId u = 0; u < n; ++u) {
    if (u == v || via[u] == kNone) continue;
    Reach r;
    r.vertex = u;
    // Walk the BFS tree back to the query vertex, collecting the path.
    std::vector<VertexId> path{u};
    for (VertexId w = u; w != v;) {
      const auto& e = edges_[via[w]];
      w = towards_callers ? e.to : e.from;
      path.push_back(w);
    }
    if (!towards_callers) std::reverse(path.begin(), path.end());
    r.path = std::move(path);
    r.soft_only = !without_soft[u];
    r.hard = hard_only[u];
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Reach& a, const Reach& b) { return a.path.size() < b.path.size(); });
  return out;
}

const char* to_string(EdgeType v) {
  switch (v) {
    case EdgeType::hard:
      return "hard";
    case EdgeType::soft:
      return "soft";
    case EdgeType::cache:
      return "cache";
    case EdgeType::backing:
      return "backing";
  }
  return "?";
}

const char* to_string(ZoneRole v) {
  switch (v) {
    case ZoneRole::service_replicas:
      return "replicas";
    case ZoneRole::datastore_primary:
      return "primary";
    case ZoneRole::datastore_replica:
      return "replica";
    case ZoneRole::cache_nodes:
      return "nodes";
  }
  return "?";
}

}  // namespace relsim::models
