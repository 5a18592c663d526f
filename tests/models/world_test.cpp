// The trial engine on small systems whose every event is known: injected
// faults at fixed times, no random failures, so request counts have exact
// values. Statistical checks against closed forms are in validation_test.cpp.
#include "models/world.hpp"

#include <gtest/gtest.h>

#include <string>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "sim/random.hpp"

namespace relsim::models {
namespace {

CompiledModel compile_text(const std::string& text) {
  const Documents docs = load_string(text, "test.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

constexpr const char* kOneService = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  zones: [a, b, c]
  services:
    - name: web
      replicas: 3
      zones: [a, b, c]
      capacityPerReplica: 100
      demand: 150
      healthCheckDelay: 30s
      restart: {fixed: 2m}
      topologySpread: SPREAD
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 1d}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: outage}
spec:
  system: one
  horizon: 1d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "+6h", fault: zoneOutage, zone: a, duration: 1h}
)";

std::string with_spread(bool spread) {
  std::string text = kOneService;
  text.replace(text.find("SPREAD"), 6, spread ? "true" : "false");
  return text;
}

TEST(World, NothingHappeningServesEverything) {
  std::string text = with_spread(true);
  text = text.substr(0, text.find("  inject:"));
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.services.size(), 1u);
  EXPECT_DOUBLE_EQ(r.services[0].total, 150.0 * 86400.0);
  EXPECT_DOUBLE_EQ(r.services[0].good, r.services[0].total);
  ASSERT_EQ(r.slos.size(), 1u);
  EXPECT_TRUE(r.slos[0].met);
  EXPECT_DOUBLE_EQ(r.slos[0].budget_consumed, 0.0);
}

TEST(World, ZoneOutageWithSpreadLosesOnlyTheHealthCheckDelayAndTheRestart) {
  // Zone a dies at 6h: for 30 s the load balancer still sends a third of the
  // traffic there (lost). Then b and c take 75 req/s each with one replica of
  // 100: fine. After the 2 min restart, a's replica is rescheduled (spread:
  // into b, the first of the least-loaded zones); nothing more is lost.
  const CompiledModel m = compile_text(with_spread(true));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  const double lost = 150.0 / 3.0 * 30.0;
  EXPECT_NEAR(r.services[0].total - r.services[0].good, lost, 1e-6);
  // Budget: 0.1 % of a day's requests.
  EXPECT_NEAR(r.slos[0].budget_consumed, lost / (0.001 * 150.0 * 86400.0), 1e-9);
}

TEST(World, ZoneOutageWithoutSpreadOverloadsTheShortZoneUnderZoneLocalRouting) {
  // The same outage with two replicas per zone and a demand that needs
  // them, zone-local routing: without topology spread the replacements all
  // land in b, and c (which keeps its own replicas only) is overloaded
  // until the end: pods are not moved back when a recovers, and a has no
  // replicas left.
  std::string text = with_spread(false);
  text.replace(text.find("capacityPerReplica"), 0, "loadBalancing: zoneLocal\n      ");
  text.replace(text.find("replicas: 3"), 11, "replicas: 6");
  text.replace(text.find("demand: 150"), 11, "demand: 450");
  const CompiledModel spread_model = [&] {
    std::string t = text;
    t.replace(t.find("topologySpread: false"), 21, "topologySpread: true");
    return compile_text(t);
  }();
  const CompiledModel pile_model = compile_text(text);
  World spread(spread_model);
  World pile(pile_model);
  const TrialResult a = spread.run(sim::trial_seed(1, 0));
  const TrialResult b = pile.run(sim::trial_seed(1, 0));
  // With spread: b and c get one replacement each (3 per zone, 225 req/s of
  // capacity 300 each): only the 30 s of health-check delay plus the 2 min
  // with two replicas per zone (225 offered vs 200 capacity) are lost.
  const double spread_lost = 450.0 / 3.0 * 30.0 + 2.0 * 25.0 * 90.0;
  EXPECT_NEAR(a.services[0].total - a.services[0].good, spread_lost, 1e-6);
  // Without: b gets both (4 replicas), c keeps 2: c drops 225 − 200 = 25
  // req/s from 6h00m30s to the end of the day.
  const double pile_lost = 450.0 / 3.0 * 30.0 + 2.0 * 25.0 * 90.0 + 25.0 * (18.0 * 3600.0 - 120.0);
  EXPECT_NEAR(b.services[0].total - b.services[0].good, pile_lost, 1e-3);
  EXPECT_TRUE(a.slos[0].met);
  EXPECT_FALSE(b.slos[0].met);
}

TEST(World, ZoneOutageWithoutSpreadOverloadsTheCrowdedZoneWithLimitedRoom) {
  // Cross-zone routing (every replica gets 1/6 of 480 req/s) and room for 3
  // replicas per zone. Zone a dies at 6h: for 30 s its two replicas still get
  // their share (160 req/s lost); then b and c run two replicas each (120
  // req/s offered to each, 100 served) until the replacements are ready at
  // 6h02m. With spread they go one to b and one to c (240 offered per zone,
  // 300 served); without, both land in b, whose 4 replicas get 320 req/s but
  // run at the speed of 3 (300): b drops 20 req/s until the end of the day.
  std::string text = with_spread(true);
  text.replace(text.find("replicas: 3"), 11, "replicas: 6");
  text.replace(text.find("demand: 150"), 11, "demand: 480");
  text.replace(text.find("capacityPerReplica"), 0, "zoneRoom: 3\n      ");
  std::string pile_text = text;
  pile_text.replace(pile_text.find("topologySpread: true"), 20, "topologySpread: false");
  const CompiledModel spread_model = compile_text(text);
  const CompiledModel pile_model = compile_text(pile_text);
  World spread(spread_model);
  World pile(pile_model);
  const TrialResult a = spread.run(sim::trial_seed(1, 0));
  const TrialResult b = pile.run(sim::trial_seed(1, 0));
  const double spread_lost = 160.0 * 30.0 + 80.0 * 90.0;
  EXPECT_NEAR(a.services[0].total - a.services[0].good, spread_lost, 1e-6);
  const double pile_lost = spread_lost + 20.0 * (18.0 * 3600.0 - 120.0);
  EXPECT_NEAR(b.services[0].total - b.services[0].good, pile_lost, 1e-3);
  EXPECT_TRUE(a.slos[0].met);
  EXPECT_FALSE(b.slos[0].met);
}

TEST(World, CacheWarmUpIsAStaircaseAtTheMiddleOfEachStep) {
  // 1,000 req/s through a 90 % cache in front of a store of capacity 500.
  // The cache fails over at 1h for 30 s: every call misses, the store serves
  // 500 of the 1,000 (15,000 lost). Then 8 steps of 1 min, step k at
  // h = 0.9 (k + 1/2) / 8: the store gets 1000 (1 - h) and serves 500, so
  // 1000 max(0, 0.5 - h) req/s fail: 443.75, 331.25, 218.75, 106.25 for the
  // first four minutes (66,000), nothing from the step with h = 0.50625 on.
  // A linear climb would lose 66,667 and recover at 4 min 27 s.
  const CompiledModel m = compile_text(R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: storm}
spec:
  zones: [a]
  services:
    - {name: web, replicas: 1, zones: [a], capacityPerReplica: 10000, demand: 1000,
       dependsOn: [{cache: c}]}
  datastores:
    - {name: db, primaryZone: a, capacity: 500}
  caches:
    - {name: c, hitRatio: 90%, backing: db, zones: [a], failover: {duration: 30s, warmUp: 8m}}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: storm}
spec:
  system: storm
  horizon: 1d
  trials: 1
  inject:
    - {fault: cacheFailover, cache: c, at: 1h}
)");
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.services.size(), 1u);
  EXPECT_NEAR(r.services[0].total - r.services[0].good, 15000.0 + 66000.0, 1e-6);
  ASSERT_EQ(r.incidents.size(), 1u);
  EXPECT_EQ(r.incidents[0].start, sim::Duration::hours(1));
  EXPECT_EQ(r.incidents[0].mitigated - r.incidents[0].start, sim::Duration::seconds(30 + 240));
}

TEST(World, SameSeedSameResult) {
  const CompiledModel m = compile_text(with_spread(true));
  World w1(m);
  World w2(m);
  const TrialResult a = w1.run(sim::trial_seed(7, 3));
  w2.run(sim::trial_seed(7, 1));  // a World reused for another trial first
  const TrialResult b = w2.run(sim::trial_seed(7, 3));
  EXPECT_EQ(a.services[0].good, b.services[0].good);
  EXPECT_EQ(a.events, b.events);
}

}  // namespace
}  // namespace relsim::models
