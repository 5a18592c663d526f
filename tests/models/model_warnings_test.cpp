// models::system_warnings on systems written here: each warning of
// docs/reference/README.md ("Warnings") with its exact numbers, and a
// system that means what it says gets none. tests/cli/model_warnings_test.cpp
// runs them through `relsim validate` and `relsim explain`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace {

using relsim::models::Diagnostic;

std::vector<Diagnostic> warnings_of(const std::string& spec) {
  const std::string text =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: shop}\nspec:\n" + spec;
  const auto docs = relsim::models::load_string(text, "shop.yaml");
  const auto& system = docs.systems.at(0);
  const auto topology = relsim::models::Topology::build(system);
  relsim::models::check_system(system, topology);
  return relsim::models::system_warnings(system, topology);
}

std::string joined(const std::vector<Diagnostic>& ws) {
  std::string out;
  for (const auto& w : ws) out += relsim::models::warning_text(w) + "\n";
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// edge-api: 1000 req/s × 2.0 at the 19:00 peak, all of it calling
// recommendations (1 replica of 1000 req/s): 2000 against 1000, worst at the peak.
const std::string kOverloaded = R"(  zones: [zone-a]
  services:
    - name: edge-api
      replicas: 4
      zones: [zone-a]
      capacityPerReplica: 1000
      demand:
        base: 1000
        daily: {peak: "19:00", peakFactor: 2.0, trough: "04:00", troughFactor: 0.5}
      dependsOn:
        - {service: recommendations, type: soft, fallbackSuccess: 100%}
    - name: recommendations
      REPLICAS
      zones: [zone-a]
      capacityPerReplica: 1000
)";

std::string with(std::string text, const std::string& what, const std::string& by) {
  text.replace(text.find(what), what.size(), by);
  return text;
}

TEST(ModelWarnings, OverloadNamesTheWorstTimeLoadAndCapacity) {
  const auto ws = warnings_of(with(kOverloaded, "REPLICAS", "replicas: 1"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_EQ(ws[0].location.line, 16);
  EXPECT_EQ(ws[0].message,
            "service 'recommendations' is overloaded with nothing failed: at Mon 19:00 (local "
            "time) it receives 2000 req/s against a capacity of 1000 req/s (1 replica × 1000 "
            "req/s); its requests fail or queue at every such peak (add capacity, or lower the "
            "demand)");
}

TEST(ModelWarnings, EnoughReplicasOrAutoscalingSilenceTheOverload) {
  EXPECT_TRUE(warnings_of(with(kOverloaded, "REPLICAS", "replicas: 2")).empty());
  // 1 replica at the start, but autoscaling reaches 3 (3000 req/s): enough.
  EXPECT_TRUE(
      warnings_of(with(kOverloaded, "REPLICAS", "replicas: 1\n      autoscale: {maxReplicas: 3}"))
          .empty());
  // Autoscaling that cannot add a replica is no help: judged at maxReplicas.
  const auto ws =
      warnings_of(with(kOverloaded, "REPLICAS", "replicas: 1\n      autoscale: {maxReplicas: 1}"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message, "(1 replica at maxReplicas × 1000 req/s)")) << ws[0].message;
}

TEST(ModelWarnings, TheTroughIsNotThePeak) {
  // 1500 req/s of capacity: 2000 at 19:00 overloads; the worst moment is the peak.
  std::string spec = with(kOverloaded, "REPLICAS", "replicas: 3");
  spec.replace(spec.rfind("capacityPerReplica: 1000"), 24, "capacityPerReplica: 500");
  const auto ws = warnings_of(spec);
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message,
                       "at Mon 19:00 (local time) it receives 2000 req/s against "
                       "a capacity of 1500 req/s (3 replicas × 500 req/s)"))
      << ws[0].message;
}

TEST(ModelWarnings, BadDeployThatChangesNothing) {
  const std::string base = R"(  zones: [zone-a]
  services:
    - name: web
      replicas: 2
      zones: [zone-a]
      capacityPerReplica: 100
      deploys: DEPLOYS
)";
  auto ws = warnings_of(with(base, "DEPLOYS", "{rate: 1/day, changeFailureRate: 10%}"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_EQ(ws[0].location.line, 11);
  EXPECT_TRUE(contains(ws[0].message,
                       "deploys of service 'web' fail 10 % of the time, but a bad "
                       "deploy fails 0 % of requests and adds no latency"));
  ws = warnings_of(
      with(base, "DEPLOYS", "{rate: 1/day, changeFailureRate: 10%, badDeploy: {errorRate: 0%}}"));
  EXPECT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(warnings_of(with(base, "DEPLOYS",
                               "{rate: 1/day, changeFailureRate: 10%, badDeploy: {addedLatency: "
                               "2s}}"))
                  .empty());
  EXPECT_TRUE(warnings_of(with(base, "DEPLOYS", "{rate: 1/day}")).empty());
}

const std::string kWatched = R"(  zones: [zone-a]
  services:
    - {name: web, replicas: 2, zones: [zone-a], capacityPerReplica: 100}
  slos:
    - {name: web-availability, service: web, objective: 99.9%}
  ALERTS
  teams:
    - name: shop-oncall
      members: 4
      secondary: true
      ack: 5m
      escalation:
        - {after: 15m, to: secondary}
      owns: [web]
)";

TEST(ModelWarnings, AWatchedOwnedSystemHasNone) {
  EXPECT_TRUE(warnings_of(with(kWatched, "ALERTS",
                               "alerts:\n    - {name: WebBurn, slo: web-availability, burnRate: "
                               "sreWorkbook}"))
                  .empty());
  // A threshold alert on the SLO's service watches it too.
  EXPECT_TRUE(warnings_of(with(kWatched, "ALERTS",
                               "alerts:\n    - {name: WebErrors, service: web, condition: "
                               "{errorRate: {above: 5%}}}"))
                  .empty());
}

TEST(ModelWarnings, SloThatNoAlertWatches) {
  const auto ws = warnings_of(with(kWatched, "ALERTS", ""));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_EQ(ws[0].location.line, 9);
  EXPECT_TRUE(contains(ws[0].message,
                       "no alert watches SLO 'web-availability' (nor service "
                       "'web')"));
}

TEST(ModelWarnings, EscalationToASecondaryThatDoesNotExist) {
  // `secondary: false` with `to: secondary` is a loader error; one member
  // with `secondary: true` has no secondary either.
  const std::string alert =
      "alerts:\n    - {name: WebBurn, slo: web-availability, burnRate: sreWorkbook}";
  auto ws = warnings_of(with(with(kWatched, "ALERTS", alert), "members: 4", "members: 1"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message,
                       "escalation step 1 of team 'shop-oncall' goes to the "
                       "secondary, but the team has only one member, so no "
                       "secondary"))
      << ws[0].message;
  ws = warnings_of(with(with(kWatched, "ALERTS", alert), "to: secondary", "to: shop-oncall"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message, "escalates to the team itself")) << ws[0].message;
}

TEST(ModelWarnings, AlertOnAServiceNoTeamOwns) {
  const std::string spec = R"(  zones: [zone-a]
  services:
    - {name: web, replicas: 2, zones: [zone-a], capacityPerReplica: 100}
  alerts:
    - {name: WebSlow, service: web, condition: {latency: {above: 2s}}, route: ticket}
)";
  const auto ws = warnings_of(spec);
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message,
                       "alert 'WebSlow' watches service 'web', which no team "
                       "owns: the system declares no teams, so its tickets reach "
                       "nobody"))
      << ws[0].message;
}

TEST(ModelWarnings, RunbookStepsThatCanNeverApply) {
  const std::string spec = R"(  zones: [zone-a, zone-b]
  services:
    - {name: web, replicas: 2, zones: [zone-a], capacityPerReplica: 100}
    - {name: api, replicas: 2, zones: [zone-b], capacityPerReplica: 100}
  runbooks:
    - for: web
      steps:
        - {action: rollback, duration: 4m}
        - {action: restart, if: deployedWithin 1h, duration: 3m}
        - {action: scaleUp, to: 2, duration: 2m}
        - {action: drainZone, target: zone-b, duration: 5m}
        - {action: drainZone, duration: 5m}
)";
  const auto ws = warnings_of(spec);
  ASSERT_EQ(ws.size(), 5u) << joined(ws);
  EXPECT_TRUE(contains(ws[0].message,
                       "step 1 of runbook 'web' rolls back, but service 'web' "
                       "has no deploys"));
  EXPECT_TRUE(contains(ws[1].message, "step 2 of runbook 'web' applies only after a deploy"));
  EXPECT_TRUE(contains(ws[2].message, "step 3 of runbook 'web' scales up to 2, the replicas"));
  EXPECT_TRUE(contains(ws[3].message,
                       "drains zone 'zone-b', where service 'web' has no "
                       "replicas"));
  EXPECT_TRUE(contains(ws[4].message, "runs in one zone only"));
}

TEST(ModelWarnings, FallbackBehindALongerTimeoutThanTheCallers) {
  const std::string spec = R"(  zones: [zone-a]
  services:
    - name: web
      replicas: 2
      zones: [zone-a]
      capacityPerReplica: 100
      dependsOn:
        - {service: catalog, type: soft, timeout: 1s, fallbackSuccess: 80%}
    - name: catalog
      replicas: 2
      zones: [zone-a]
      capacityPerReplica: 100
      dependsOn:
        - {service: reviews, type: soft, timeout: TIMEOUT, fallbackSuccess: 90%}
    - {name: reviews, replicas: 2, zones: [zone-a], capacityPerReplica: 100}
)";
  auto ws = warnings_of(with(spec, "TIMEOUT", "2s"));
  ASSERT_EQ(ws.size(), 1u) << joined(ws);
  EXPECT_EQ(ws[0].location.line, 18);
  EXPECT_TRUE(contains(ws[0].message,
                       "soft dependency of 'catalog' on 'reviews' times out after "
                       "2s, but 'web' gives up on 'catalog' after 1s"))
      << ws[0].message;
  EXPECT_EQ(warnings_of(with(spec, "TIMEOUT", "1s")).size(), 1u);  // equal: still too late
  EXPECT_TRUE(warnings_of(with(spec, "TIMEOUT", "500ms")).empty());
}

}  // namespace
