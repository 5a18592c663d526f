// The system graph: services, datastores and caches as vertices, their
// dependencies as typed edges, zones as failure domains holding replicas.
//
// Edges point from the caller to the callee (`payment-api → payments-db`):
// one per `dependsOn` entry of a service (hard, soft or cache, as written),
// plus one `backing` edge from every cache to its backing store (where its
// misses go). Vertex ids are small integers in declaration order: services,
// then datastores, then caches, each in file order. Edge ids follow the same
// order: every service's dependsOn entries, then the caches' backing edges.
//
// `Topology::build` rejects a dependency cycle with a located error naming
// it (`file:line:col: error: dependency cycle: a → b → c → a`). The graph is
// a Boost.Graph adjacency list kept behind a pimpl: no Boost type appears
// here. Built once, then only read; concurrent const calls are safe.
// Complexity: build and each reachability query are O(V + E).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/source_location.hpp"
#include "models/system.hpp"

namespace relsim::models {

using VertexId = std::uint32_t;
using EdgeId = std::uint32_t;
using ZoneId = std::uint32_t;  // index into System::zones

enum class EdgeType : std::uint8_t {
  hard,     // dependsOn type hard: the caller fails when the callee fails
  soft,     // dependsOn type soft: the caller falls back (fallback_success)
  cache,    // dependsOn a cache: hits served by the cache, misses go to its backing
  backing,  // a cache's own edge to its backing store
};

struct TopologyVertex {
  std::string name;
  ComponentKind kind = ComponentKind::service;
  std::size_t index = 0;  // position in System::services / datastores / caches
  SourceLocation location;
};

struct TopologyEdge {
  VertexId from = 0;  // caller (or the cache, for backing edges)
  VertexId to = 0;    // callee (or the backing store)
  EdgeType type = EdgeType::hard;
  double call_fraction = 1.0;             // fraction of the caller's requests that use the edge
  double fallback_success = 0.0;          // soft: fraction the fallback still serves
  std::string fallback;                   // soft: what the fallback is (free text)
  std::optional<std::size_t> dependency;  // index in the caller's dependsOn; none for backing
  SourceLocation location;                // the Dependency (or the cache's `backing` reference)
};

/// How a component sits in a zone.
enum class ZoneRole : std::uint8_t {
  service_replicas,   // some of the service's replicas run there
  datastore_primary,  // the datastore's primary
  datastore_replica,  // one of the datastore's replicas
  cache_nodes,        // the cache's nodes
};

struct ZoneMember {
  VertexId vertex = 0;
  ZoneRole role = ZoneRole::service_replicas;
};

/// One vertex reached from a query vertex along dependency edges.
struct Reach {
  VertexId vertex = 0;
  /// A shortest path in edge direction (caller first): for dependents_of(x)
  /// `[vertex, ..., x]`, for dependencies_of(x) `[x, ..., vertex]`.
  std::vector<VertexId> path;
  /// Every path between the two crosses a soft edge: the caller side falls
  /// back instead of failing.
  bool soft_only = false;
  /// Some path consists of hard edges only: the caller side fails outright.
  bool hard = false;
};

class Topology {
 public:
  /// The graph of `system` (whose references the loader has checked). Throws
  /// InputError naming every dependency cycle (at most kMaxErrors).
  static Topology build(const System& system);

  Topology(const Topology& other);
  Topology& operator=(const Topology& other);
  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;
  ~Topology();

  /// Number of vertices (services + datastores + caches).
  std::size_t vertex_count() const { return vertices_.size(); }
  /// All vertices, indexed by VertexId.
  const std::vector<TopologyVertex>& vertices() const { return vertices_; }
  /// One vertex; `v` must be < vertex_count().
  const TopologyVertex& vertex(VertexId v) const { return vertices_.at(v); }
  /// The vertex of a component, by kind and name; nullopt when absent.
  std::optional<VertexId> find(ComponentKind kind, std::string_view name) const;
  /// The vertex with this name, of any kind (the first by id); nullopt when absent.
  std::optional<VertexId> find(std::string_view name) const;

  /// All edges, indexed by EdgeId.
  const std::vector<TopologyEdge>& edges() const { return edges_; }
  /// Edges leaving `v` (its callees), in EdgeId order.
  const std::vector<EdgeId>& out_edges(VertexId v) const { return out_.at(v); }
  /// Edges entering `v` (its callers), in EdgeId order.
  const std::vector<EdgeId>& in_edges(VertexId v) const { return in_.at(v); }

  /// Every vertex once, callees before callers: the order in which served
  /// fractions propagate up the graph. Deterministic for a given system.
  const std::vector<VertexId>& topological_order() const { return order_; }

  /// Everything that depends on `v`, transitively (its blast radius), sorted
  /// by path length then id; `v` itself is not included.
  std::vector<Reach> dependents_of(VertexId v) const;
  /// Everything `v` depends on, transitively, sorted by path length then id.
  std::vector<Reach> dependencies_of(VertexId v) const;

  /// Number of zones (as System::zones).
  std::size_t zone_count() const { return zone_names_.size(); }
  /// The zone's name.
  const std::string& zone_name(ZoneId z) const { return zone_names_.at(z); }
  /// The zone named `name`; nullopt when absent.
  std::optional<ZoneId> find_zone(std::string_view name) const;
  /// Components placed in zone `z`, by vertex id (a datastore may appear twice
  /// only if its primary and a replica share the zone).
  const std::vector<ZoneMember>& zone_members(ZoneId z) const { return zone_members_.at(z); }
  /// Zones of vertex `v` in declaration order (datastores: primary first).
  const std::vector<ZoneId>& zones_of(VertexId v) const { return vertex_zones_.at(v); }

 private:
  struct Graph;  // the Boost.Graph adjacency list (topology.cpp)
  Topology();
  void check_acyclic() const;  // throws InputError naming each cycle
  std::vector<Reach> reach(VertexId v, bool towards_callers) const;

  std::vector<TopologyVertex> vertices_;
  std::vector<TopologyEdge> edges_;
  std::vector<std::vector<EdgeId>> out_;
  std::vector<std::vector<EdgeId>> in_;
  std::vector<VertexId> order_;
  std::vector<std::string> zone_names_;
  std::vector<std::vector<ZoneMember>> zone_members_;
  std::vector<std::vector<ZoneId>> vertex_zones_;
  std::unique_ptr<Graph> graph_;
};

/// `hard`, `soft`, `cache`, `backing`.
const char* to_string(EdgeType v);
/// `replicas`, `primary`, `replica`, `nodes`.
const char* to_string(ZoneRole v);

}  // namespace relsim::models
