// The system graph: topological order, blast radius, zones, and dependency
// cycles named with their location.
#include "models/topology.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/diagnostics.hpp"
#include "models/loader.hpp"

namespace relsim::models {
namespace {

const std::string kPayments = std::string(RELSIM_SOURCE_DIR) + "/scenarios/systems/payments.yaml";

System payments() { return load_files({kPayments}).systems.at(0); }

/// A System document with zone `z1` and the given `services:` items (each a
/// flow mapping on one line) plus optional extra spec text.
std::string system_yaml(const std::vector<std::string>& services, const std::string& more = "") {
  std::string text =
      "apiVersion: relsim/v1alpha1\n"
      "kind: System\n"
      "metadata: {name: hand}\n"
      "spec:\n"
      "  zones: [z1, z2]\n"
      "  services:\n";
  for (const auto& s : services) text += "    - " + s + "\n";
  return text + more;
}

std::string service(const std::string& name, const std::string& deps = "") {
  return "{name: " + name + ", replicas: 1, zones: [z1, z2], capacityPerReplica: 100" +
         (deps.empty() ? "" : ", dependsOn: [" + deps + "]") + "}";
}

System load_system(const std::string& text, const std::string& file = "hand.yaml") {
  return load_string(text, file).systems.at(0);
}

std::vector<std::string> names(const Topology& t, const std::vector<VertexId>& ids) {
  std::vector<std::string> out;
  for (auto v : ids) out.push_back(t.vertex(v).name);
  return out;
}

/// The message of the InputError that building `text`'s topology throws.
std::string cycle_error(const std::string& text, const std::string& file) {
  try {
    Topology::build(load_system(text, file));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Topology, PaymentsHasVerticesInDeclarationOrder) {
  const auto t = Topology::build(payments());
  ASSERT_EQ(t.vertex_count(), 4u);
  EXPECT_EQ(t.vertex(0).name, "payment-api");
  EXPECT_EQ(t.vertex(1).name, "fraud-detection");
  EXPECT_EQ(t.vertex(2).name, "payments-db");
  EXPECT_EQ(t.vertex(2).kind, ComponentKind::datastore);
  EXPECT_EQ(t.vertex(3).name, "payments-redis");
  EXPECT_EQ(t.vertex(3).kind, ComponentKind::cache);
  EXPECT_EQ(t.find("payments-db"), VertexId{2});
  EXPECT_EQ(t.find(ComponentKind::service, "payments-db"), std::nullopt);
}

TEST(Topology, PaymentsEdgesAreTypedAndIncludeTheCacheBacking) {
  const auto t = Topology::build(payments());
  ASSERT_EQ(t.edges().size(), 4u);
  const auto& e = t.edges();
  EXPECT_EQ(e[0].type, EdgeType::hard);  // payment-api -> payments-db
  EXPECT_EQ(e[0].to, 2u);
  EXPECT_EQ(e[1].type, EdgeType::soft);  // payment-api -> fraud-detection
  EXPECT_DOUBLE_EQ(e[1].fallback_success, 0.99);
  EXPECT_EQ(e[1].fallback, "rules-based-scoring");
  EXPECT_EQ(e[2].type, EdgeType::cache);    // payment-api -> payments-redis
  EXPECT_EQ(e[3].type, EdgeType::backing);  // payments-redis -> payments-db
  EXPECT_EQ(e[3].from, 3u);
  EXPECT_EQ(e[3].to, 2u);
  EXPECT_NEAR(e[3].call_fraction, 0.1, 1e-12);  // the misses
  EXPECT_FALSE(e[3].dependency.has_value());
  EXPECT_EQ(t.out_edges(0), (std::vector<EdgeId>{0, 1, 2}));
  EXPECT_EQ(t.in_edges(2), (std::vector<EdgeId>{0, 3}));
}

TEST(Topology, PaymentsTopologicalOrderPutsCalleesFirst) {
  const auto t = Topology::build(payments());
  EXPECT_EQ(names(t, t.topological_order()),
            (std::vector<std::string>{"payments-db", "fraud-detection", "payments-redis",
                                      "payment-api"}));
}

TEST(Topology, TopologicalOrderPrecedesEveryCallerByItsCallees) {
  const auto sys = load_system(system_yaml(
      {
          service("web", "{service: api}, {service: search, type: soft, fallbackSuccess: 50%}"),
          service("api", "{service: auth}, {datastore: db}"),
          service("search", "{service: api}"),
          service("auth", "{datastore: db}"),
      },
      "  datastores: [{name: db, primaryZone: z1, replicaZones: [z2]}]\n"));
  const auto t = Topology::build(sys);
  const auto& order = t.topological_order();
  ASSERT_EQ(order.size(), 5u);
  std::vector<std::size_t> position(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  for (const auto& e : t.edges()) EXPECT_LT(position[e.to], position[e.from]);
  EXPECT_EQ(names(t, order), (std::vector<std::string>{"db", "auth", "api", "search", "web"}));
}

TEST(Topology, BlastRadiusOfTheDatastoreReachesItsCallersAndTheCache) {
  const auto t = Topology::build(payments());
  const auto db = *t.find("payments-db");
  const auto hit = t.dependents_of(db);
  ASSERT_EQ(hit.size(), 2u);
  EXPECT_EQ(t.vertex(hit[0].vertex).name, "payment-api");
  EXPECT_EQ(names(t, hit[0].path), (std::vector<std::string>{"payment-api", "payments-db"}));
  EXPECT_TRUE(hit[0].hard);
  EXPECT_FALSE(hit[0].soft_only);
  EXPECT_EQ(t.vertex(hit[1].vertex).name, "payments-redis");
  EXPECT_FALSE(hit[1].hard);  // a backing edge: hits are still served
  EXPECT_FALSE(hit[1].soft_only);
}

TEST(Topology, BlastRadiusThroughASoftEdgeIsSoftOnly) {
  const auto t = Topology::build(payments());
  const auto hit = t.dependents_of(*t.find("fraud-detection"));
  ASSERT_EQ(hit.size(), 1u);
  EXPECT_EQ(t.vertex(hit[0].vertex).name, "payment-api");
  EXPECT_TRUE(hit[0].soft_only);
  EXPECT_FALSE(hit[0].hard);
  EXPECT_TRUE(t.dependents_of(*t.find("payment-api")).empty());
}

TEST(Topology, BlastRadiusIsTransitiveWithShortestPaths) {
  // web -> api -> auth -> db, web -soft-> search -> db; also web -> db directly.
  const auto sys = load_system(system_yaml(
      {
          service("web",
                  "{service: api}, {service: search, type: soft, fallbackSuccess: 50%}, "
                  "{datastore: db}"),
          service("api", "{service: auth}"),
          service("search", "{datastore: db}"),
          service("auth", "{datastore: db}"),
          service("lonely"),
      },
      "  datastores: [{name: db, primaryZone: z1}]\n"));
  const auto t = Topology::build(sys);
  const auto hit = t.dependents_of(*t.find("auth"));
  ASSERT_EQ(hit.size(), 2u);
  EXPECT_EQ(names(t, hit[0].path), (std::vector<std::string>{"api", "auth"}));
  EXPECT_EQ(names(t, hit[1].path), (std::vector<std::string>{"web", "api", "auth"}));
  EXPECT_TRUE(hit[1].hard);

  const auto via_search = t.dependents_of(*t.find("search"));
  ASSERT_EQ(via_search.size(), 1u);
  EXPECT_TRUE(via_search[0].soft_only);

  const auto from_db = t.dependents_of(*t.find("db"));
  EXPECT_EQ(from_db.size(), 4u);  // web, search, auth (distance 1), api (2); not lonely
  EXPECT_EQ(names(t, from_db.back().path), (std::vector<std::string>{"api", "auth", "db"}));
  for (const auto& r : from_db) EXPECT_TRUE(r.hard) << t.vertex(r.vertex).name;
}

TEST(Topology, DependenciesOfFollowEdgesDownward) {
  const auto t = Topology::build(payments());
  const auto deps = t.dependencies_of(*t.find("payment-api"));
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(names(t, deps[0].path), (std::vector<std::string>{"payment-api", "fraud-detection"}));
  EXPECT_TRUE(deps[0].soft_only);
  EXPECT_EQ(t.vertex(deps[1].vertex).name, "payments-db");
  EXPECT_TRUE(deps[1].hard);
  EXPECT_EQ(t.vertex(deps[2].vertex).name, "payments-redis");
  EXPECT_FALSE(deps[2].hard);
  const auto below_cache = t.dependencies_of(*t.find("payments-redis"));
  ASSERT_EQ(below_cache.size(), 1u);
  EXPECT_EQ(t.vertex(below_cache[0].vertex).name, "payments-db");
}

TEST(Topology, ZonesMapToTheirComponents) {
  const auto t = Topology::build(payments());
  ASSERT_EQ(t.zone_count(), 3u);
  const auto a = *t.find_zone("us-east-1a");
  const auto& in_a = t.zone_members(a);
  ASSERT_EQ(in_a.size(), 4u);  // both services, the db primary, a cache node
  EXPECT_EQ(in_a[2].vertex, *t.find("payments-db"));
  EXPECT_EQ(in_a[2].role, ZoneRole::datastore_primary);
  const auto& in_b = t.zone_members(*t.find_zone("us-east-1b"));
  ASSERT_EQ(in_b.size(), 3u);  // no cache node in 1b
  EXPECT_EQ(in_b[2].role, ZoneRole::datastore_replica);
  EXPECT_EQ(t.zones_of(*t.find("payments-redis")), (std::vector<ZoneId>{0, 2}));
  EXPECT_EQ(t.zones_of(*t.find("payments-db")), (std::vector<ZoneId>{0, 1, 2}));
}

TEST(Topology, NamesACycleAtItsFirstEdge) {
  const std::string text = system_yaml({
      service("a", "{service: b}"),
      service("b", "{service: c}"),
      service("c", "{service: a}"),
  });
  // Line 7 is service a; its dependsOn item `{service: b}` starts at column 84.
  EXPECT_EQ(cycle_error(text, "loop.yaml"),
            "loop.yaml:7:84: error: dependency cycle: a \u2192 b \u2192 c \u2192 a");
}

TEST(Topology, CycleStartsAtTheFirstDeclaredVertexWhereverTheSearchEnters) {
  // The search enters at `entry`, which is not on the cycle; the cycle is
  // still named from b, the first declared of its vertices.
  const std::string text = system_yaml({
      service("entry", "{service: c}"),
      service("b", "{service: c}"),
      service("c", "{service: d}"),
      service("d", "{service: b}"),
  });
  EXPECT_EQ(cycle_error(text, "loop.yaml"),
            "loop.yaml:8:84: error: dependency cycle: b \u2192 c \u2192 d \u2192 b");
}

TEST(Topology, NamesASelfDependency) {
  const std::string text = system_yaml({service("a", "{service: a}")});
  EXPECT_EQ(cycle_error(text, "self.yaml"), "self.yaml:7:84: error: dependency cycle: a \u2192 a");
}

TEST(Topology, NamesEveryIndependentCycle) {
  const std::string text = system_yaml({
      service("a", "{service: b}"),
      service("b", "{service: a}"),
      service("c", "{service: d}"),
      service("d", "{service: c}"),
  });
  try {
    Topology::build(load_system(text));
    FAIL() << "no error";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].message, "dependency cycle: a \u2192 b \u2192 a");
    EXPECT_EQ(e.diagnostics()[1].message, "dependency cycle: c \u2192 d \u2192 c");
  }
}

TEST(Topology, ACacheBackedByItsOwnCallerIsACycle) {
  const std::string text =
      system_yaml({service("a", "{cache: c}")},
                  "  caches: [{name: c, hitRatio: 90%, backing: a, zones: [z1]}]\n");
  EXPECT_EQ(cycle_error(text, "cache.yaml"),
            "cache.yaml:7:84: error: dependency cycle: a \u2192 c \u2192 a (cache 'c' is backed "
            "by its own caller 'a')");
}

TEST(Topology, IsCopyableAndMovable) {
  const auto t = Topology::build(payments());
  Topology copy = t;
  Topology moved = std::move(copy);
  EXPECT_EQ(moved.topological_order(), t.topological_order());
  EXPECT_EQ(moved.dependents_of(2).size(), 2u);
  copy = moved;
  EXPECT_EQ(copy.dependents_of(2).size(), 2u);
}

}  // namespace
}  // namespace relsim::models
