// The fluid view on small systems, state set by hand: every expected value is
// worked out from the formulas of docs/model.md ("Capacity, zones and the
// load balancer", "Dependencies", "Latency") in the comment beside it.
#include "models/fluid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"

namespace relsim::models {
namespace {

constexpr double kTol = 1e-12;

/// Compiles a system over zones a, b, c whose `spec` is given (services,
/// datastores, caches) with an empty scenario.
CompiledModel compile_system(const std::string& spec) {
  const std::string text =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: t}\n"
      "spec:\n  zones: [a, b, c]\n" +
      spec +
      "---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\n"
      "spec: {system: t, horizon: 1d, trials: 1, randomFailures: false, randomDeploys: false}\n";
  const Documents docs = load_string(text, "test.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

// One service, two replicas per zone of 100 req/s each, zone-local load
// balancing; exponential latency with a mean of 100 ms.
const std::string kWeb =
    "  services:\n"
    "    - {name: web, replicas: 6, zones: [a, b, c], capacityPerReplica: 100, demand: 300,\n"
    "       loadBalancing: zoneLocal, latency: {exponential: {mean: 100ms}}}\n";

// web -> api (hard, half the requests), web -> recs (soft), web -> kv (cache
// with 90 % hits, backed by db), api -> db (hard). db saturates at 400 req/s.
const std::string kChain =
    "  services:\n"
    "    - {name: web, replicas: 3, zones: [a, b, c], capacityPerReplica: 1000, demand: 300,\n"
    "       latency: {exponential: {mean: 100ms}},\n"
    "       dependsOn: [{service: api, callFraction: 50%},\n"
    "                   {service: recs, type: soft, fallbackSuccess: 80%},\n"
    "                   {cache: kv}]}\n"
    "    - {name: api, replicas: 3, zones: [a, b, c], capacityPerReplica: 100,\n"
    "       latency: {exponential: {mean: 100ms}}, dependsOn: [{datastore: db}]}\n"
    "    - {name: recs, replicas: 3, zones: [a, b, c], capacityPerReplica: 250,\n"
    "       latency: {exponential: {mean: 100ms}}}\n"
    "  datastores:\n"
    "    - {name: db, primaryZone: a, capacity: 400, latency: {lognormal: {mu: -4, sigma: 0.5}}}\n"
    "  caches:\n"
    "    - {name: kv, hitRatio: 90%, backing: db, zones: [a]}\n";

/// A model, its state (nominal to start with) and the last evaluation; the
/// demand starts at each service's `demand`, flat.
struct Fluid {
  explicit Fluid(const std::string& spec)
      : model(compile_system(spec)), state(make_fluid_state(model)), slope(model.services.size()) {
    for (const ServiceRow& s : model.services) demand.push_back(s.demand.base);
  }

  Index c(std::string_view name) const {
    const Index i = model.find_component(name);
    EXPECT_NE(i, kNoIndex) << name;
    return i;
  }
  /// The placement of service `name` (zones [a, b, c]) in zone a = 0, b = 1 or c = 2.
  Index placement(std::string_view name, Index zone) const {
    const Index p = model.placement_begin[c(name)] + zone;
    EXPECT_EQ(model.placements[p].zone, zone);
    return p;
  }
  /// The index of the edge from `from` to `to`.
  Index edge(std::string_view from, std::string_view to) const {
    const Index f = c(from);
    for (Index e = model.edge_begin[f]; e < model.edge_begin[f + 1]; ++e) {
      if (model.edges[e].target == c(to)) return e;
    }
    ADD_FAILURE() << "no edge " << from << " -> " << to;
    return 0;
  }
  void set_demand(std::string_view service, double rps, double rps_per_second = 0.0) {
    demand[model.components[c(service)].row] = rps;
    slope[model.components[c(service)].row] = rps_per_second;
  }
  void evaluate() { evaluate_fluid(model, state, demand, slope, out); }
  void set_replicas(std::string_view service, Index zone, int healthy, int routed) {
    state.healthy[placement(service, zone)] = healthy;
    state.routed[placement(service, zone)] = routed;
  }

  CompiledModel model;
  FluidState state;
  std::vector<double> demand, slope;
  FluidResult out;
};

/// CDF of the exponential latency of mean 100 ms.
double exp_cdf(double x) { return x <= 0.0 ? 0.0 : 1.0 - std::exp(-x / 0.1); }
/// CDF of db's lognormal latency (mu −4, sigma 0.5).
double db_cdf(double x) {
  return 0.5 * (1.0 + std::erf((std::log(x) + 4.0) / (0.5 * std::sqrt(2.0))));
}

TEST(LatencyStretch, IsOneUpToTheKneeThenFollowsTheHyperbolaUpToTheCap) {
  EXPECT_EQ(latency_stretch(0.0), 1.0);
  EXPECT_EQ(latency_stretch(kLatencyKnee), 1.0);
  EXPECT_NEAR(latency_stretch(0.85), 2.0, kTol);   // 0.3 / 0.15
  EXPECT_NEAR(latency_stretch(0.9), 3.0, kTol);    // 0.3 / 0.1
  EXPECT_NEAR(latency_stretch(0.99), 30.0, kTol);  // 0.3 / 0.01
  EXPECT_NEAR(latency_stretch(5.0), 30.0, kTol);   // capped
}

TEST(FluidState, NominalStateHasInitialReplicasAndNothingInjected) {
  const Fluid f(kChain);
  const FluidState& s = f.state;
  EXPECT_EQ(s.zone_up, (std::vector<std::uint8_t>{1, 1, 1}));
  for (Index p = 0; p < f.model.placements.size(); ++p) {
    const bool replicas = f.model.placements[p].role == ZoneRole::service_replicas;
    EXPECT_EQ(s.healthy[p], replicas ? 1 : 0);
    EXPECT_EQ(s.routed[p], replicas ? 1 : 0);
  }
  EXPECT_EQ(s.serving, std::vector<std::uint8_t>(5, 1));
  EXPECT_NEAR(s.hit_ratio[f.c("kv")], 0.9, kTol);
  EXPECT_EQ(s.hit_ratio[f.c("web")], 0.0);
  for (const auto* v : {&s.capacity_factor, &s.demand_factor}) EXPECT_EQ(*v, std::vector(5, 1.0));
  for (const auto* v : {&s.error_rate, &s.added_latency}) EXPECT_EQ(*v, std::vector(5, 0.0));
  EXPECT_EQ(s.edge_pass, std::vector<double>(f.model.edges.size(), 1.0));
  EXPECT_EQ(s.edge_latency, std::vector<double>(f.model.edges.size(), 0.0));
}

TEST(Fluid, NominalServiceAdmitsItsDemandAtDemandOverCapacity) {
  Fluid f(kWeb);
  f.evaluate();
  const Index web = f.c("web");
  EXPECT_DOUBLE_EQ(f.out.load[web], 300.0);
  EXPECT_DOUBLE_EQ(f.out.admitted[web], 300.0);
  EXPECT_DOUBLE_EQ(f.out.success[web], 1.0);
  EXPECT_DOUBLE_EQ(f.out.max_utilisation[web], 0.5);  // 300 / (6 × 100)
  EXPECT_EQ(f.out.overloaded[web], 0);
  EXPECT_NEAR(f.out.median[web], 0.1 * std::log(2.0), kTol);
  for (Index z = 0; z < 3; ++z) {
    EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", z)], 100.0);
    EXPECT_DOUBLE_EQ(f.out.zone_rho[f.placement("web", z)], 0.5);
  }
}

TEST(Fluid, DemandAboveCapacityAdmitsCapacityAndTheRestFails) {
  // A load spike of 3 turns 300 req/s (rising 2 per second) into 900 (6).
  Fluid f(kWeb);
  f.set_demand("web", 300.0, 2.0);
  f.state.demand_factor[f.c("web")] = 3.0;
  f.evaluate();
  const Index web = f.c("web");
  EXPECT_DOUBLE_EQ(f.out.load[web], 900.0);
  EXPECT_DOUBLE_EQ(f.out.load_slope[web], 6.0);
  EXPECT_DOUBLE_EQ(f.out.admitted[web], 600.0);
  EXPECT_DOUBLE_EQ(f.out.success[web], 600.0 / 900.0);
  EXPECT_EQ(f.out.overloaded[web], 1);
  EXPECT_DOUBLE_EQ(f.out.max_utilisation[web], 1.0);
  EXPECT_NEAR(f.out.stretch[web], 30.0, kTol);  // ρ = 1, capped at 0.99
}

TEST(Fluid, ZoneLocalRoutingOverloadsTheZoneWithFewerReplicas) {
  // 450 req/s, a third per zone: a and b (2 replicas) admit 150 at ρ 0.75;
  // c (1 replica) admits 100 of its 150 though the total capacity is 500.
  Fluid f(kWeb);
  f.set_replicas("web", 2, 1, 1);
  f.set_demand("web", 450.0);
  f.evaluate();
  const Index web = f.c("web");
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 0)], 150.0);
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 2)], 100.0);
  EXPECT_DOUBLE_EQ(f.out.zone_rho[f.placement("web", 2)], 1.0);
  EXPECT_DOUBLE_EQ(f.out.admitted[web], 400.0);
  EXPECT_DOUBLE_EQ(f.out.success[web], 400.0 / 450.0);
  EXPECT_EQ(f.out.overloaded[web], 1);
  // Stretch averaged by admitted: (2 × 150 × 0.3/0.25 + 100 × 30) / 400.
  EXPECT_NEAR(f.out.stretch[web], (300.0 * 1.2 + 100.0 * 30.0) / 400.0, 1e-9);
}

TEST(Fluid, CrossZoneBalancingGivesEveryRoutedReplicaAnEqualShare) {
  // 5 routed replicas (a: 1 healthy of 2, b: 2, c: 1), 90 req/s each; the
  // ghost in a loses its 90, nothing is over capacity.
  std::string spec = kWeb;
  spec.replace(spec.find("zoneLocal"), 9, "crossZone");
  Fluid f(spec);
  f.set_replicas("web", 0, 1, 2);
  f.set_replicas("web", 2, 1, 1);
  f.set_demand("web", 450.0, 1.0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 0)], 90.0);
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 1)], 180.0);
  EXPECT_DOUBLE_EQ(f.out.zone_rho[f.placement("web", 2)], 0.9);
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 360.0 / 450.0);
  EXPECT_EQ(f.out.overloaded[f.c("web")], 0);
  // Every zone fills at 5 × 100 = 500 req/s.
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 50.0, 1e-9);
}

TEST(Fluid, RoutedButDeadReplicasDropTheirShare) {
  // Zone c just died (0 healthy, 2 still routed) and one replica of a is a
  // ghost: x = 100 per zone; a admits 100 · 1/2, b 100, c 0.
  Fluid f(kWeb);
  f.set_replicas("web", 0, 1, 2);
  f.set_replicas("web", 2, 0, 2);
  f.evaluate();
  const Index web = f.c("web");
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 0)], 50.0);
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 2)], 0.0);
  EXPECT_DOUBLE_EQ(f.out.success[web], 150.0 / 300.0);
  EXPECT_EQ(f.out.overloaded[web], 0);  // dropped by routing, not by capacity
  // After the health-check delay: a's ghost and zone c are no longer routed.
  f.set_replicas("web", 0, 1, 1);
  f.set_replicas("web", 2, 0, 0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 0)], 100.0);  // min(150, 100)
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 1)], 150.0);
  EXPECT_DOUBLE_EQ(f.out.success[web], 250.0 / 300.0);
}

TEST(Fluid, ZoneAdmitsTheLesserOfItsHealthyShareAndItsReducedCapacity) {
  // capacityLost 50 %: 50 req/s per replica. x = 120 per zone;
  // a (h 1, r 2): min(60, 50) = 50; b, c: min(120, 100) = 100.
  Fluid f(kWeb);
  f.state.capacity_factor[f.c("web")] = 0.5;
  f.set_replicas("web", 0, 1, 2);
  f.set_demand("web", 360.0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 0)], 50.0);
  EXPECT_DOUBLE_EQ(f.out.zone_admitted[f.placement("web", 1)], 100.0);
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 250.0 / 360.0);
}

TEST(Fluid, IdleServiceReportsWhatAVanishingLoadWouldGet) {
  // No load: a ghost in a (h 1, r 2) loses half of a's third: (1/2 + 1 + 1) / 3.
  Fluid f(kWeb);
  f.set_demand("web", 0.0);
  f.set_replicas("web", 0, 1, 2);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.load[f.c("web")], 0.0);
  EXPECT_NEAR(f.out.success[f.c("web")], 2.5 / 3.0, kTol);
  // No routable zone: everything fails, with or without load.
  for (Index z = 0; z < 3; ++z) f.set_replicas("web", z, 0, 0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 0.0);
  f.set_demand("web", 300.0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.admitted[f.c("web")], 0.0);
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 0.0);
}

TEST(Fluid, CallersSendCallFractionOfAdmittedAndCacheMissesToTheStore) {
  Fluid f(kChain);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.load[f.c("api")], 150.0);  // 50 % of 300
  EXPECT_DOUBLE_EQ(f.out.load[f.c("recs")], 300.0);
  EXPECT_DOUBLE_EQ(f.out.load[f.c("kv")], 300.0);
  EXPECT_DOUBLE_EQ(f.out.admitted[f.c("kv")], 270.0);      // hits
  EXPECT_NEAR(f.out.load[f.c("db")], 150.0 + 30.0, 1e-9);  // api + misses 300 × (1 − 0.9)
  EXPECT_NEAR(f.out.max_utilisation[f.c("db")], 180.0 / 400.0, kTol);
  for (const char* name : {"web", "api", "recs", "kv", "db"}) {
    EXPECT_DOUBLE_EQ(f.out.success[f.c(name)], 1.0) << name;
  }
  f.state.hit_ratio[f.c("kv")] = 0.5;  // warming up: 150 misses
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.admitted[f.c("kv")], 150.0);
  EXPECT_DOUBLE_EQ(f.out.load[f.c("db")], 150.0 + 150.0);
}

TEST(Fluid, HardDependencyMultipliesOwnSuccessByTheCalleesOnItsCallFraction) {
  // web loses zone a (a ghost): own 2/3, admits 200, api gets 100; api's bad
  // deploy fails 20 %: σ = 0.8, web = 2/3 × (1 − 0.5 + 0.5 × 0.8).
  Fluid f(kChain);
  f.set_replicas("web", 0, 0, 1);
  f.state.error_rate[f.c("api")] = 0.2;
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.load[f.c("api")], 100.0);
  EXPECT_DOUBLE_EQ(f.out.success[f.c("api")], 0.8);
  EXPECT_NEAR(f.out.success[f.c("web")], 2.0 / 3.0 * 0.9, kTol);
}

TEST(Fluid, DatastoreNotServingFailsItsHardCallersAndCacheMisses) {
  // api fails outright; web: hard 1 − 0.5 + 0 = 0.5, cache 0.9 × 1 + 0.1 × 0.
  Fluid f(kChain);
  f.state.serving[f.c("db")] = 0;
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.success[f.c("db")], 0.0);
  EXPECT_DOUBLE_EQ(f.out.success[f.c("api")], 0.0);
  EXPECT_NEAR(f.out.success[f.c("kv")], 0.9, kTol);
  EXPECT_NEAR(f.out.success[f.c("web")], 0.5 * 0.9, kTol);
}

// web (3 × 1000 req/s, 300 req/s of demand) calls db on a hard edge that
// retries: `attempts` tries in all, 100 ms of backoff before each retry.
std::string retry_system(int attempts, double db_capacity) {
  return "  services:\n"
         "    - {name: web, replicas: 3, zones: [a, b, c], capacityPerReplica: 1000, demand: 300,\n"
         "       dependsOn: [{datastore: db, retry: {attempts: " +
         std::to_string(attempts) + ", backoff: 100ms}}]}\n" +
         "  datastores:\n    - {name: db, primaryZone: a, capacity: " +
         std::to_string(db_capacity) + "}\n";
}

TEST(Fluid, ClientRetryTurnsATransientErrorShareEIntoEToTheAttempts) {
  // 20 % of the calls fail (injected): after 3 tries 0.2³ = 0.8 % fail, the
  // store sees 300 × (1 + 0.2 + 0.04) = 372 req/s, and the expected backoff
  // is (0.2 + 0.04) × 100 ms = 24 ms (db has no latency of its own).
  Fluid f(retry_system(3, 0));
  f.state.edge_pass[f.edge("web", "db")] = 0.8;
  f.evaluate();
  EXPECT_NEAR(f.out.edge_failure[f.edge("web", "db")], 0.2, kTol);
  EXPECT_NEAR(f.out.success[f.c("web")], 1.0 - 0.008, kTol);
  EXPECT_NEAR(f.out.load[f.c("db")], 372.0, 1e-9);
  EXPECT_NEAR(f.out.delay[f.c("web")], 0.024, kTol);

  // One attempt is no retry: the plain hard edge, 80 %, 300 req/s, no delay.
  Fluid once(retry_system(1, 0));
  once.state.edge_pass[once.edge("web", "db")] = 0.8;
  once.evaluate();
  EXPECT_DOUBLE_EQ(once.out.success[once.c("web")], 0.8);
  EXPECT_DOUBLE_EQ(once.out.load[once.c("db")], 300.0);
  EXPECT_DOUBLE_EQ(once.out.delay[once.c("web")], 0.0);
}

TEST(Fluid, ClientRetryCannotRideOutATotalOutageAndMultipliesItsLoad) {
  Fluid f(retry_system(3, 0));
  f.state.serving[f.c("db")] = 0;
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 0.0);
  EXPECT_NEAR(f.out.load[f.c("db")], 900.0, 1e-9);
}

TEST(Fluid, ClientRetryOnASaturatedStoreReachesItsFixedPoint) {
  // db admits 200 of the L = 300 req/s. With 2 tries the per-try failure
  // share q solves q = 1 − C / (L (1 + q)), i.e. q² = 1/3: the store sees
  // 300 (1 + 1/√3) ≈ 473 req/s and web still gets 1 − q² = 2/3 = C / L, as
  // without retry: retrying into a saturated store only adds load.
  Fluid f(retry_system(2, 200));
  f.evaluate();
  const double q = 1.0 / std::sqrt(3.0);
  EXPECT_NEAR(f.out.edge_failure[f.edge("web", "db")], q, 1e-9);
  EXPECT_NEAR(f.out.load[f.c("db")], 300.0 * (1.0 + q), 1e-6);
  EXPECT_NEAR(f.out.success[f.c("web")], 2.0 / 3.0, 1e-9);
  Fluid plain(retry_system(1, 200));
  plain.evaluate();
  EXPECT_NEAR(plain.out.success[plain.c("web")], 2.0 / 3.0, kTol);
  EXPECT_DOUBLE_EQ(plain.out.load[plain.c("db")], 300.0);
}

TEST(Fluid, SoftDependencyFallsBackWithItsFallbackSuccess) {
  Fluid f(kChain);
  for (Index z = 0; z < 3; ++z) f.set_replicas("recs", z, 0, 0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.success[f.c("recs")], 0.0);
  EXPECT_NEAR(f.out.success[f.c("web")], 0.8, kTol);  // 0 + 1 × 0.8
  // One zone back: it takes all 300 req/s and admits 250, σ = 5/6.
  f.set_replicas("recs", 0, 1, 1);
  f.evaluate();
  EXPECT_NEAR(f.out.success[f.c("recs")], 250.0 / 300.0, kTol);
  EXPECT_NEAR(f.out.success[f.c("web")], 5.0 / 6.0 + 1.0 / 6.0 * 0.8, kTol);
}

TEST(Fluid, CacheFailoverSendsTheMissStormToASaturatedStore) {
  // The cache serves nothing: db takes 150 + 300 = 450 > 400 and admits 400.
  Fluid f(kChain);
  f.state.serving[f.c("kv")] = 0;
  f.state.edge_latency[f.edge("kv", "db")] = 0.01;
  f.evaluate();
  const double db_ok = 400.0 / 450.0;
  EXPECT_DOUBLE_EQ(f.out.load[f.c("db")], 450.0);
  EXPECT_DOUBLE_EQ(f.out.admitted[f.c("db")], 400.0);
  EXPECT_EQ(f.out.overloaded[f.c("db")], 1);
  EXPECT_NEAR(f.out.stretch[f.c("db")], 30.0, kTol);
  EXPECT_NEAR(f.out.success[f.c("api")], db_ok, kTol);
  EXPECT_NEAR(f.out.success[f.c("kv")], db_ok, kTol);
  EXPECT_NEAR(f.out.success[f.c("web")], (0.5 + 0.5 * db_ok) * db_ok, kTol);
  // db at stretch 30 delays each miss and each api call by 29 × its median
  // e^−4; misses also cross the 10 ms edge; web sends api half its requests.
  const double db_extra = 29.0 * std::exp(-4.0);
  EXPECT_NEAR(f.out.delay[f.c("api")], db_extra, 1e-9);
  EXPECT_NEAR(f.out.delay[f.c("kv")], 0.01 + db_extra, 1e-9);
  EXPECT_NEAR(f.out.delay[f.c("web")], 0.5 * db_extra + 0.01 + db_extra, 1e-9);
}

TEST(Fluid, InjectedEdgeFaultsAndBadDeployReduceSuccess) {
  Fluid f(kChain);
  f.state.edge_pass[f.edge("web", "api")] = 0.9;  // 10 % loss: 1 − 0.5 + 0.5 × 0.9
  f.evaluate();
  EXPECT_NEAR(f.out.success[f.c("web")], 0.95, kTol);
  f.state.error_rate[f.c("web")] = 0.1;  // bad deploy on web itself
  f.evaluate();
  EXPECT_NEAR(f.out.success[f.c("web")], 0.95 * 0.9, kTol);
  f.state.edge_pass[f.edge("kv", "db")] = 0.5;  // misses lose half: kv 0.9 + 0.1 × 0.5
  f.evaluate();
  EXPECT_NEAR(f.out.success[f.c("web")], 0.95 * 0.9 * 0.95, kTol);
  f.state.edge_pass[f.edge("web", "kv")] = 0.0;  // partition from the cache
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.success[f.c("web")], 0.0);
}

TEST(Fluid, DelayAddsInjectedLatencyCalleeDelayAndStretchedMedian) {
  // api at 5/6 utilisation (capacity 60 per zone, 50 offered): stretch 1.8.
  Fluid f(kChain);
  f.state.capacity_factor[f.c("api")] = 0.6;
  f.state.added_latency[f.c("api")] = 0.02;
  f.state.added_latency[f.c("web")] = 0.1;
  f.state.edge_latency[f.edge("web", "api")] = 0.05;
  f.evaluate();
  EXPECT_NEAR(f.out.stretch[f.c("api")], 1.8, 1e-9);
  EXPECT_NEAR(f.out.delay[f.c("api")], 0.02, kTol);
  const double api_call = 0.05 + 0.02 + 0.8 * 0.1 * std::log(2.0);
  EXPECT_NEAR(f.out.delay[f.c("web")], 0.1 + 0.5 * api_call, 1e-9);
}

TEST(Fluid, SoftTimeoutCountsSlowCallsAsFailedAndCapsTheirDelay) {
  std::string spec = kChain;
  spec.replace(spec.find("type: soft,"), 11, "type: soft, timeout: 200ms,");
  Fluid f(spec);
  f.evaluate();
  const double in_time = exp_cdf(0.2);  // 1 − e^−2
  EXPECT_NEAR(f.out.success[f.c("web")], in_time + (1.0 - in_time) * 0.8, kTol);
  f.state.edge_latency[f.edge("web", "recs")] = 0.5;  // every call times out
  f.evaluate();
  EXPECT_NEAR(f.out.success[f.c("web")], 0.8, kTol);
  EXPECT_NEAR(f.out.delay[f.c("web")], 0.2, kTol);
}

TEST(FractionWithin, IsTheLatencyCdfAfterTheDelayOverTheStretch) {
  Fluid f(kChain);
  f.state.added_latency[f.c("web")] = 0.05;
  f.evaluate();
  const Index web = f.c("web");
  EXPECT_NEAR(fraction_within(f.model, f.out, web, 0.25), exp_cdf(0.2), kTol);
  EXPECT_EQ(fraction_within(f.model, f.out, web, 0.04), 0.0);       // below the delay
  EXPECT_EQ(fraction_within(f.model, f.out, f.c("kv"), 0.0), 1.0);  // no latency model
  // The saturated store: F_db(T / 30).
  f.state.serving[f.c("kv")] = 0;
  f.evaluate();
  EXPECT_NEAR(fraction_within(f.model, f.out, f.c("db"), 0.3), db_cdf(0.3 / 30.0), 1e-12);
  EXPECT_EQ(fraction_within(f.model, f.out, f.c("kv"), 0.3), 0.0);  // misses take 29 e^−4 s
}

TEST(FractionWithin, AveragesZonesByAdmittedRequests) {
  // As ZoneLocalRouting...: a and b admit 150 at stretch 1.2, c 100 at 30.
  Fluid f(kWeb);
  f.set_replicas("web", 2, 1, 1);
  f.set_demand("web", 450.0);
  f.evaluate();
  const double t = 0.3;
  const double expected = (300.0 * exp_cdf(t / 1.2) + 100.0 * exp_cdf(t / 30.0)) / 400.0;
  EXPECT_NEAR(fraction_within(f.model, f.out, f.c("web"), t), expected, 1e-12);
  EXPECT_NEAR(latency_good_fraction(f.model, f.state, f.out, f.c("web"), t),
              400.0 / 450.0 * expected, 1e-12);
}

TEST(NextCrossing, SolvesTheLinearLoadForTheKneeOrTheZoneCapacity) {
  Fluid f(kWeb);
  f.evaluate();  // no slope: no crossing ahead
  EXPECT_EQ(seconds_to_next_crossing(f.model, f.state, f.out),
            std::numeric_limits<double>::infinity());
  f.set_demand("web", 300.0, 0.1);  // knee at 0.7 × 3 × 2 × 100 = 420
  f.evaluate();
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 1200.0, 1e-9);
  f.set_demand("web", 500.0, 0.1);  // past the knee: capacity at 600
  f.evaluate();
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 1000.0, 1e-9);
  f.set_demand("web", 500.0, -0.1);  // falling: back under the knee
  f.evaluate();
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 800.0, 1e-9);
  // One replica in c: c saturates when load / 3 = 100, before a's knee.
  f.set_replicas("web", 2, 1, 1);
  f.set_demand("web", 250.0, 1.0);
  f.evaluate();
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 50.0, 1e-9);
}

TEST(NextCrossing, PropagatesTheSlopeToCalleesAndTheStore) {
  Fluid f(kChain);
  f.set_demand("web", 300.0, 1.0);
  f.evaluate();
  EXPECT_DOUBLE_EQ(f.out.load_slope[f.c("api")], 0.5);
  EXPECT_NEAR(f.out.load_slope[f.c("db")], 0.5 + 0.1, kTol);
  // api's knee (210 at 0.5/s) comes first: 120 s; recs' at 525 after 225 s.
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 120.0, 1e-9);
  // Without it, db's knee: 280 at 0.6/s from 180.
  f.state.capacity_factor[f.c("api")] = 10.0;
  f.evaluate();
  EXPECT_NEAR(seconds_to_next_crossing(f.model, f.state, f.out), 100.0 / 0.6, 1e-9);
}

}  // namespace
}  // namespace relsim::models
