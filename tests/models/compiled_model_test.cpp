// The compile step: index tables, CSR edges, replica placement, stream ids,
// fault offsets, and the checks that need the whole picture.
#include "models/compiled_model.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "sim/random.hpp"

namespace relsim::models {
namespace {

const std::string kScenarios = std::string(RELSIM_SOURCE_DIR) + "/scenarios/";

CompiledModel az_outage() {
  const auto r = load_scenario(kScenarios + "payments/az-outage.yaml");
  return compile(r.system, r.scenario);
}

/// A scenario on a small system: web (5 replicas over 3 zones) -> api -> db,
/// injected faults and extra system text given by the test.
std::string small_yaml(const std::string& inject, const std::string& extra_services = "",
                       const std::string& more_spec = "", const std::string& calendar = "") {
  return "apiVersion: relsim/v1alpha1\n"
         "kind: System\n"
         "metadata: {name: small}\n"
         "spec:\n" +
         calendar +
         "  zones: [z1, z2, z3]\n"
         "  services:\n"
         "    - {name: web, replicas: 5, zones: [z1, z2, z3], capacityPerReplica: 100,\n"
         "       dependsOn: [{service: api}],\n"
         "       failures: [{type: replicaCrash, every: {exponential: {mean: 10d}}},\n"
         "                  {type: replicaCrash, every: {exponential: {mean: 50d}}}]}\n"
         "    - {name: api, replicas: 2, zones: [z1, z2], capacityPerReplica: 100,\n"
         "       dependsOn: [{datastore: db}]}\n" +
         extra_services + "  datastores: [{name: db, primaryZone: z3, replicaZones: [z1]}]\n" +
         more_spec +
         "---\n"
         "apiVersion: relsim/v1alpha1\n"
         "kind: Scenario\n"
         "metadata: {name: small-scenario}\n"
         "spec:\n"
         "  system: small\n"
         "  horizon: 7d\n"
         "  seed: 5\n"
         "  inject:\n" +
         inject;
}

CompiledModel compile_text(const std::string& text) {
  const auto docs = load_string(text, "small.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// The message of the InputError that compiling `text` throws.
std::string compile_error(const std::string& text) {
  try {
    compile_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kZoneOutage =
    "    - {at: \"Tue 14:00\", fault: zoneOutage, zone: z1, duration: 1h}\n";

TEST(CompiledModel, ComponentsAreInTopologicalOrderWithKindRows) {
  const auto m = az_outage();
  ASSERT_EQ(m.components.size(), 4u);
  EXPECT_EQ(m.names.components, (std::vector<std::string>{"payments-db", "fraud-detection",
                                                          "payments-redis", "payment-api"}));
  EXPECT_EQ(m.components[0].kind, ComponentKind::datastore);
  EXPECT_EQ(m.components[3].kind, ComponentKind::service);
  ASSERT_EQ(m.services.size(), 2u);  // fraud-detection, payment-api (topological order)
  EXPECT_EQ(m.services[0].component, 1u);
  EXPECT_EQ(m.services[1].component, 3u);
  EXPECT_EQ(m.components[3].row, 1u);
  EXPECT_EQ(m.datastores.at(0).component, 0u);
  EXPECT_EQ(m.caches.at(0).backing, 0u);
  EXPECT_NEAR(m.caches[0].hit_ratio, 0.9, 1e-12);
  EXPECT_EQ(m.find_component("payment-api"), 3u);
  EXPECT_EQ(m.find_component("nope"), kNoIndex);
}

TEST(CompiledModel, EdgesAreCsrAndPointToEarlierComponents) {
  const auto m = az_outage();
  ASSERT_EQ(m.edge_begin.size(), m.components.size() + 1);
  EXPECT_EQ(m.edge_begin.back(), m.edges.size());
  for (Index c = 0; c < m.components.size(); ++c) {
    for (const auto& e : m.edges_of(c)) {
      EXPECT_EQ(e.source, c);
      EXPECT_LT(e.target, c);
    }
  }
  EXPECT_TRUE(m.edges_of(0).empty());  // the datastore calls nothing
  const auto redis = m.edges_of(2);
  ASSERT_EQ(redis.size(), 1u);
  EXPECT_EQ(redis[0].type, EdgeType::backing);
  EXPECT_NEAR(redis[0].call_fraction, 0.1, 1e-12);
  const auto api = m.edges_of(3);
  ASSERT_EQ(api.size(), 3u);  // in dependsOn order
  EXPECT_EQ(api[0].target, 0u);
  EXPECT_EQ(api[0].type, EdgeType::hard);
  EXPECT_EQ(api[1].target, 1u);
  EXPECT_EQ(api[1].type, EdgeType::soft);
  EXPECT_DOUBLE_EQ(api[1].fallback_success, 0.99);
  EXPECT_EQ(api[1].timeout, sim::Duration::seconds(2));
  EXPECT_EQ(api[2].type, EdgeType::cache);
  // Callers of the datastore: payments-redis' backing edge, payment-api's hard edge.
  const auto callers = m.callers_of(0);
  ASSERT_EQ(callers.size(), 2u);
  EXPECT_EQ(m.edges[callers[0]].source, 2u);
  EXPECT_EQ(m.edges[callers[1]].source, 3u);
}

TEST(CompiledModel, ReplicasSpreadRoundRobinOverTheServiceZones) {
  const auto m = compile_text(small_yaml(kZoneOutage));
  const Index web = m.find_component("web");
  const auto p = m.placements_of(web);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].initial, 2);  // replicas 0 and 3
  EXPECT_EQ(p[1].initial, 2);  // 1 and 4
  EXPECT_EQ(p[2].initial, 1);  // 2
  const ServiceRow& row = m.services[m.components[web].row];
  EXPECT_EQ(row.max_replicas, 5);
  std::vector<Index> zones(m.replica_zone.begin() + row.replica_begin,
                           m.replica_zone.begin() + row.replica_begin + 5);
  EXPECT_EQ(zones, (std::vector<Index>{0, 1, 2, 0, 1}));
  // The datastore: primary first, then its replica.
  const auto db = m.placements_of(m.find_component("db"));
  ASSERT_EQ(db.size(), 2u);
  EXPECT_EQ(db[0].role, ZoneRole::datastore_primary);
  EXPECT_EQ(db[0].zone, 2u);
  EXPECT_EQ(db[1].role, ZoneRole::datastore_replica);
  // Zone z3 holds web's third placement and the db primary.
  const auto in_z3 = m.placements_in(2);
  ASSERT_EQ(in_z3.size(), 2u);
  EXPECT_EQ(m.placements[in_z3[0]].component, m.find_component("db"));
  EXPECT_EQ(m.placements[in_z3[1]].component, web);
}

TEST(CompiledModel, PaymentsReplicaSlotsCoverAutoscaleAndRunbookScaleUp) {
  const auto m = az_outage();
  const ServiceRow& api = m.services[1];
  EXPECT_EQ(api.replicas, 6);
  EXPECT_EQ(api.max_replicas, 12);  // autoscale max 12 > scaleUp to 10
  for (const auto& p : m.placements_of(api.component)) EXPECT_EQ(p.initial, 2);
  ASSERT_TRUE(api.autoscale.has_value());
  EXPECT_EQ(api.autoscale->min_replicas, 6);  // defaulted to replicas
  EXPECT_EQ(api.runbook, 0u);
  EXPECT_EQ(api.owner, 0u);
  ASSERT_NE(api.deploys, kNoIndex);
  EXPECT_TRUE(m.deploys[api.deploys].business_hours_only);
  EXPECT_EQ(m.services[0].runbook, 1u);  // fraud-detection's, the second
}

TEST(CompiledModel, StreamIdsNameTheProcess) {
  const auto m = az_outage();
  const ServiceRow& api = m.services[1];
  EXPECT_EQ(m.restart_streams[api.replica_begin + 3],
            sim::stream_id("payment-api/replica-3/restart"));
  const auto crash = std::find_if(m.failures.begin(), m.failures.end(), [&](const FailureRow& f) {
    return f.type == FailureType::replica_crash && f.owner == api.component;
  });
  ASSERT_NE(crash, m.failures.end());
  EXPECT_EQ(crash->streams.size(), 12u);  // one per replica slot
  EXPECT_EQ(m.failure_streams[crash->streams.begin + 3],
            sim::stream_id("payment-api/replica-3/failures"));
  EXPECT_EQ(m.deploys[api.deploys].stream, sim::stream_id("payment-api/deploys"));
  EXPECT_EQ(m.datastores[0].failover_stream, sim::stream_id("payments-db/failover"));
  EXPECT_EQ(m.teams[0].ack_stream, sim::stream_id("team/payments-oncall/ack"));
  EXPECT_EQ(m.runbook_steps[m.runbooks[0].steps.begin + 2].stream,
            sim::stream_id("runbook/payment-api/step-3"));
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(*m.names.stream(m.faults[0].stream), "fault/" + m.names.faults[0]);
}

TEST(CompiledModel, StreamIdsAreDistinct) {
  const auto m = az_outage();
  std::set<std::uint64_t> ids;
  for (const auto& s : m.names.streams) {
    EXPECT_TRUE(ids.insert(s.id).second) << s.name;
    EXPECT_EQ(s.id, sim::stream_id(s.name));
  }
  EXPECT_GT(ids.size(), 30u);
}

TEST(CompiledModel, StreamIdsAreStableWhenUnrelatedPartsChange) {
  const auto a = compile_text(small_yaml(kZoneOutage));
  // Another service, another fault: web's streams keep their ids (common random numbers).
  const auto b = compile_text(small_yaml(
      kZoneOutage + "    - {at: \"Wed 09:00\", fault: podKill, service: extra, mode: all}\n",
      "    - {name: extra, replicas: 1, zones: [z1], capacityPerReplica: 10}\n"));
  auto web_streams = [](const CompiledModel& m) {
    std::vector<std::uint64_t> out;
    for (const auto& f : m.failures) {
      if (f.owner != m.find_component("web")) continue;
      out.insert(out.end(), m.failure_streams.begin() + f.streams.begin,
                 m.failure_streams.begin() + f.streams.end);
    }
    return out;
  };
  EXPECT_EQ(web_streams(a), web_streams(b));
  ASSERT_EQ(web_streams(a).size(), 10u);  // two processes x five replicas
  EXPECT_EQ(web_streams(a)[5], sim::stream_id("web/replica-0/failures-2"));
  EXPECT_EQ(a.faults[0].stream, b.faults[0].stream);
}

TEST(CompiledModel, FaultOffsetsResolveWeekdayTimesFromTheCalendarStart) {
  // Default calendar: Monday 2026-01-05 00:00. Tue 14:00 is 38 h later.
  const auto m = compile_text(small_yaml(kZoneOutage));
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(m.faults[0].start, sim::Duration::hours(38));
  EXPECT_EQ(m.faults[0].kind, FaultKind::zone_outage);
  EXPECT_EQ(m.faults[0].zone, 0u);
  EXPECT_EQ(m.faults[0].duration, sim::Duration::hours(1));
  EXPECT_EQ(m.horizon, sim::Duration::days(7));
  EXPECT_EQ(m.seed, 5u);
  // The payments calendar starts on Monday 2026-03-02 00:00: same 38 h.
  EXPECT_EQ(az_outage().faults.at(0).start, sim::Duration::hours(38));
}

TEST(CompiledModel, FaultOffsetsFromAMidweekStartAndSortedByStart) {
  const std::string calendar = "  calendar: {start: 2026-01-07T16:30}\n";  // a Wednesday
  const auto m = compile_text(
      small_yaml("    - {at: \"Tue 14:00\", fault: zoneOutage, zone: z1, duration: 1h}\n"
                 "    - {at: \"Wed 17:00\", fault: podKill, service: web, mode: one}\n"
                 "    - {at: 2h, fault: capacityLoss, service: api, fraction: 50%, duration: 1h}\n",
                 "", "", calendar));
  ASSERT_EQ(m.faults.size(), 3u);
  EXPECT_EQ(m.faults[0].start, sim::Duration::minutes(30));  // Wed 17:00, the same day
  EXPECT_EQ(m.faults[0].kind, FaultKind::pod_kill);
  EXPECT_EQ(m.faults[1].start, sim::Duration::hours(2));
  EXPECT_EQ(m.faults[1].component, m.find_component("api"));
  EXPECT_EQ(m.names.faults[1], "capacityLoss@2h");
  EXPECT_EQ(m.faults[2].start,
            sim::Duration::days(6) - sim::Duration::hours(2) - sim::Duration::minutes(30));
}

int oncall_loops(const CompiledModel& m) { return m.teams.at(0).escalation_loops; }

TEST(CompiledModel, PeopleAndAlertsResolveToIndices) {
  const auto m = az_outage();
  ASSERT_EQ(m.slos.size(), 2u);
  EXPECT_EQ(m.slos[0].component, 3u);
  EXPECT_DOUBLE_EQ(m.slos[0].objective, 0.9999);
  ASSERT_EQ(m.alerts.size(), 5u);
  EXPECT_EQ(m.alerts[3].component, 1u);  // FraudDetectionErrors
  EXPECT_EQ(oncall_loops(m), 1);
  EXPECT_EQ(m.alerts[0].slo, 0u);
  EXPECT_EQ(m.alerts[0].component, 3u);
  EXPECT_EQ(m.alerts[0].burn_windows.size(), 4u);  // the SRE workbook's
  EXPECT_EQ(m.alerts[0].team, 0u);                 // the owner of payment-api
  EXPECT_EQ(m.alerts[2].kind, AlertKind::threshold);
  EXPECT_EQ(m.alerts[2].component, 3u);
  ASSERT_EQ(m.teams.size(), 2u);
  const auto& oncall = m.teams[0];
  EXPECT_EQ(oncall.owns.size(), 2u);
  EXPECT_EQ(m.owned_components[oncall.owns.begin], 3u);
  EXPECT_EQ(m.owned_components[oncall.owns.begin + 1], 1u);
  ASSERT_EQ(oncall.escalation.size(), 2u);
  EXPECT_EQ(m.escalations[oncall.escalation.begin + 1].team, 1u);
  const auto& book = m.runbooks.at(0);
  EXPECT_EQ(book.component, 3u);
  ASSERT_EQ(book.steps.size(), 4u);
  EXPECT_EQ(m.runbook_steps[book.steps.begin + 2].to, 10);
  EXPECT_EQ(m.runbook_steps[book.steps.begin + 3].target, 0u);  // failover payments-db
  EXPECT_EQ(m.severity.size(), 4u);
  EXPECT_EQ(m.budget_policy.size(), 4u);
}

TEST(CompiledModel, GameDayCandidateStartsAndHorizon) {
  const auto r = load_game_day(kScenarios + "payments/pod-kill-game-day.yaml");
  const auto m = compile(r.system, r.game_day);
  // Tue 10..17, Wed 09..17, Thu 09..16 on the hour: 8 + 9 + 8 business-hour starts.
  ASSERT_EQ(m.candidate_starts.size(), 25u);
  EXPECT_EQ(m.candidate_starts.front(), sim::Duration::hours(34));
  EXPECT_EQ(m.candidate_starts.back(), sim::Duration::hours(88));
  ASSERT_EQ(m.faults.size(), 1u);
  EXPECT_EQ(m.faults[0].kind, FaultKind::pod_kill);
  EXPECT_EQ(m.faults[0].start, sim::Duration::hours(34));
  EXPECT_EQ(m.faults[0].component, m.find_component("payment-api"));
  EXPECT_EQ(m.horizon, sim::Duration::hours(88) + r.game_day.observe);
}

TEST(CompiledModelChecks, SoftDependencyWithoutFallbackSuccess) {
  const std::string text =
      small_yaml(kZoneOutage,
                 "    - {name: mail, replicas: 1, zones: [z1], capacityPerReplica: 10,\n"
                 "       dependsOn: [{service: api, type: soft}]}\n");
  EXPECT_EQ(compile_error(text),
            "small.yaml:14:20: error: soft dependency of 'mail' on 'api' has no fallbackSuccess: "
            "a fallback that serves nothing fails like a hard dependency (give fallbackSuccess "
            "or write type: hard)");
}

TEST(CompiledModelChecks, ScaleUpBelowTheReplicas) {
  const std::string runbook =
      "  runbooks:\n"
      "    - for: web\n"
      "      steps:\n"
      "        - {action: scaleUp, to: 3, duration: 2m}\n";
  EXPECT_EQ(compile_error(small_yaml(kZoneOutage, "", runbook)),
            "small.yaml:17:11: error: scaleUp to 3 in runbook 'web' is below the 5 replicas "
            "service 'web' already runs");
}

TEST(CompiledModelChecks, AZoneWithNothingInIt) {
  std::string text = small_yaml(kZoneOutage);
  text.replace(text.find("[z1, z2, z3]\n"), 13, "[z1, z2, z3, z4]\n");
  EXPECT_EQ(compile_error(text),
            "small.yaml:5:23: error: zone 'z4' holds no service replicas, datastore or cache "
            "(place something there or remove it)");
}

TEST(CompiledModelChecks, AFaultAfterTheHorizonIsAnError) {
  auto docs = load_string(small_yaml(kZoneOutage), "small.yaml");
  auto scenario = docs.scenarios.at(0);
  scenario.horizon = sim::Duration::days(1);  // as an API caller might; the loader checks files
  try {
    compile(docs.systems.at(0), scenario);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "small.yaml:23:12: error: fault 'zoneOutage@Tue 14:00' at 'Tue 14:00' (+1d14h) is "
              "beyond the horizon (1d)");
  }
}

TEST(CompiledModelChecks, ANetworkFaultBetweenComponentsThatDoNotTalk) {
  const std::string text = small_yaml(
      "    - {at: 1h, fault: networkLatency, from: web, to: db, latency: 200ms, duration: 5m}\n");
  const std::string error = compile_error(text);
  EXPECT_NE(error.find("error: fault 'networkLatency@1h': 'web' does not depend on 'db', so a "
                       "network fault between them changes nothing"),
            std::string::npos)
      << error;
}

TEST(CompiledModelChecks, SystemProblemsAreEmptyForThePaymentsExample) {
  const auto sys = load_files({kScenarios + "systems/payments.yaml"}).systems.at(0);
  EXPECT_TRUE(system_problems(sys, Topology::build(sys)).empty());
}

}  // namespace
}  // namespace relsim::models
