// The scenario loader on good input: the sketch's three documents round trip
// into the structs, multi-document files, systems by name and by path,
// overrides, the error cap.
#include "models/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "models/game_day.hpp"

namespace relsim::models {
namespace {

const std::string kRoot = RELSIM_SOURCE_DIR;
const std::string kSystem = kRoot + "/scenarios/systems/payments.yaml";
const std::string kAzOutage = kRoot + "/scenarios/payments/az-outage.yaml";
const std::string kBaseline = kRoot + "/scenarios/payments/baseline.yaml";
const std::string kPodKill = kRoot + "/scenarios/payments/pod-kill-game-day.yaml";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The diagnostics of a load that must fail, as `file:line:col: error: ...` lines.
template <typename F>
std::vector<std::string> errors_of(F&& load) {
  try {
    load();
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

/// 1-based line of the first occurrence of `needle` in `text`.
int line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  return at == std::string::npos
             ? 0
             : 1 + static_cast<int>(std::count(
                       text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

bool any_contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(Loader, LoadsTheSketchSystem) {
  const Documents docs = load_files({kSystem});
  ASSERT_EQ(docs.systems.size(), 1u);
  const System& s = docs.systems[0];
  EXPECT_EQ(s.name, "payments");
  EXPECT_EQ(s.location.line, 12);  // metadata.name
  EXPECT_EQ(s.calendar.start, (CivilTime{2026, 3, 2, 0, 0, 0}));
  EXPECT_EQ(s.calendar.start_weekday(), Weekday::mon);
  EXPECT_EQ(s.calendar.utc_offset, -sim::Duration::hours(5));
  EXPECT_EQ(s.calendar.business_hours.from, sim::Duration::hours(9));
  EXPECT_FALSE(s.calendar.business_hours.days[5]);
  ASSERT_EQ(s.zones.size(), 3u);
  EXPECT_EQ(s.zones[2].name, "us-east-1c");

  const Service* api = s.find_service("payment-api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->replicas, 6);
  EXPECT_EQ(api->zones.size(), 3u);
  EXPECT_TRUE(api->topology_spread);
  EXPECT_DOUBLE_EQ(api->capacity_per_replica, 400.0);
  EXPECT_DOUBLE_EQ(api->demand.base, 1200.0);
  ASSERT_TRUE(api->demand.daily.has_value());
  EXPECT_EQ(api->demand.daily->peak, sim::Duration::hours(14));
  EXPECT_DOUBLE_EQ(api->demand.daily->trough_factor, 0.3);
  ASSERT_TRUE(api->latency.has_value());
  EXPECT_NEAR(api->latency->quantile(0.5), 0.040, 1e-9);
  EXPECT_NEAR(api->latency->quantile(0.99), 0.200, 1e-9);
  EXPECT_NEAR(api->restart.quantile(0.5), 45.0, 1e-9);
  ASSERT_TRUE(api->autoscale.has_value());
  EXPECT_EQ(api->autoscale->max_replicas, 12);
  EXPECT_EQ(api->autoscale->min_replicas, 6);
  EXPECT_DOUBLE_EQ(api->autoscale->target_utilization, 0.7);
  EXPECT_EQ(api->autoscale->reaction_time, sim::Duration::minutes(2));
  ASSERT_EQ(api->failures.size(), 1u);
  EXPECT_EQ(api->failures[0].type, FailureType::replica_crash);
  EXPECT_NEAR(api->failures[0].every.mean(), 30.0 * 86400.0, 1e-6);
  ASSERT_TRUE(api->deploys.has_value());
  EXPECT_NEAR(api->deploys->rate, 2.0 / 86400.0, 1e-15);
  EXPECT_EQ(api->deploys->during, DeployWindow::business_hours);
  EXPECT_DOUBLE_EQ(api->deploys->change_failure_rate, 0.15);
  EXPECT_DOUBLE_EQ(api->deploys->bad_deploy.error_rate, 0.15);
  EXPECT_NEAR(api->deploys->rollback.quantile(0.9), 480.0, 1e-6);
  ASSERT_EQ(api->depends_on.size(), 3u);
  EXPECT_EQ(api->depends_on[0].target_kind, ComponentKind::datastore);
  EXPECT_EQ(api->depends_on[0].type, DependencyType::hard);
  const std::string text = read_text(kSystem);
  EXPECT_EQ(api->depends_on[0].location.line, line_of(text, "- {datastore: payments-db"));
  EXPECT_EQ(api->depends_on[1].target.name, "fraud-detection");
  EXPECT_EQ(api->depends_on[1].type, DependencyType::soft);
  EXPECT_EQ(api->depends_on[1].timeout, sim::Duration::seconds(2));
  EXPECT_EQ(api->depends_on[1].fallback, "rules-based-scoring");
  EXPECT_DOUBLE_EQ(api->depends_on[1].fallback_success, 0.99);
  EXPECT_EQ(api->depends_on[2].type, DependencyType::cache);
  EXPECT_EQ(api->depends_on[2].target.location.line, line_of(text, "- {cache: payments-redis}"));
  EXPECT_EQ(api->depends_on[2].target.location.column, 19);

  ASSERT_EQ(s.datastores.size(), 1u);
  const Datastore& db = s.datastores[0];
  EXPECT_EQ(db.primary_zone.name, "us-east-1a");
  EXPECT_EQ(db.replica_zones.size(), 2u);
  EXPECT_DOUBLE_EQ(db.capacity, 3000.0);
  EXPECT_EQ(db.failover.detect, sim::Duration::seconds(30));
  EXPECT_EQ(db.failover.connection_errors, sim::Duration::seconds(12));
  EXPECT_EQ(db.failures[0].type, FailureType::primary_failure);

  const Cache* redis = s.find_cache("payments-redis");
  ASSERT_NE(redis, nullptr);
  EXPECT_DOUBLE_EQ(redis->hit_ratio, 0.9);
  EXPECT_EQ(redis->backing_kind, ComponentKind::datastore);
  EXPECT_EQ(redis->failover.warm_up, sim::Duration::minutes(5));

  ASSERT_EQ(s.slos.size(), 2u);
  EXPECT_DOUBLE_EQ(s.slos[0].objective, 0.9999);
  EXPECT_EQ(s.slos[0].window, sim::Duration::days(30));
  EXPECT_EQ(s.slos[1].sli, SliKind::latency);
  EXPECT_EQ(s.slos[1].threshold, sim::Duration::millis(500));

  ASSERT_EQ(s.budget_policy.size(), 4u);
  EXPECT_EQ(s.budget_policy[2].action, BudgetAction::all_hands);
  EXPECT_FALSE(s.budget_policy[3].remaining_above.has_value());

  ASSERT_EQ(s.alerts.size(), 5u);
  EXPECT_EQ(s.alerts[4].route, AlertRoute::ticket);
  EXPECT_EQ(s.alerts[4].condition.metric, ConditionMetric::latency);
  EXPECT_EQ(s.alerts[0].kind, AlertKind::burn_rate);
  ASSERT_EQ(s.alerts[0].burn_windows.size(), 4u);
  EXPECT_DOUBLE_EQ(s.alerts[0].burn_windows[0].factor, 14.4);
  EXPECT_EQ(s.alerts[1].burn_windows[3].long_window, sim::Duration::days(3));
  EXPECT_EQ(s.alerts[1].burn_windows[3].severity, AlertRoute::ticket);
  EXPECT_EQ(s.alerts[2].kind, AlertKind::threshold);
  EXPECT_EQ(s.alerts[2].condition.metric, ConditionMetric::error_rate);
  EXPECT_DOUBLE_EQ(s.alerts[2].condition.above, 0.05);
  EXPECT_EQ(s.alerts[2].for_duration, sim::Duration::minutes(1));
  EXPECT_EQ(s.alerts[2].evaluation_interval, sim::Duration::minutes(1));

  const Team* oncall = s.find_team("payments-oncall");
  ASSERT_NE(oncall, nullptr);
  EXPECT_EQ(oncall->members, 6);
  EXPECT_EQ(oncall->rotation.length, sim::Duration::days(7));
  EXPECT_EQ(oncall->rotation.handoff_day, Weekday::mon);
  EXPECT_EQ(oncall->rotation.handoff_time, sim::Duration::hours(10));
  EXPECT_TRUE(oncall->secondary);
  EXPECT_NEAR(oncall->ack.off_hours.quantile(0.9), 900.0, 1e-6);
  ASSERT_EQ(oncall->escalation.size(), 2u);
  EXPECT_EQ(oncall->escalation[0].target, EscalationTarget::secondary);
  EXPECT_EQ(oncall->escalation[1].target, EscalationTarget::team);
  EXPECT_EQ(oncall->escalation[1].team.name, "platform-senior");
  EXPECT_EQ(oncall->owns.size(), 2u);

  ASSERT_EQ(s.runbooks.size(), 2u);
  const Runbook& rb = s.runbooks[0];
  EXPECT_EQ(rb.service.name, "payment-api");
  ASSERT_EQ(rb.steps.size(), 4u);
  EXPECT_EQ(rb.steps[0].condition.kind, StepCondition::Kind::deployed_within);
  EXPECT_EQ(rb.steps[0].condition.within, sim::Duration::hours(1));
  EXPECT_DOUBLE_EQ(rb.steps[0].success, 0.95);
  EXPECT_EQ(rb.steps[2].action, RunbookAction::scale_up);
  EXPECT_EQ(rb.steps[2].to, 10);
  EXPECT_EQ(rb.steps[3].target_kind, ComponentKind::datastore);
  EXPECT_EQ(rb.confirm_stable, sim::Duration::minutes(15));

  ASSERT_EQ(s.severity.size(), 4u);
  EXPECT_EQ(s.severity[0].level, 1);
  EXPECT_DOUBLE_EQ(s.severity[1].when->above, 0.10);
  EXPECT_EQ(s.severity[2].respond, sim::Duration::hours(4));
  EXPECT_TRUE(s.severity[3].ack_next_business_day);
}

TEST(Loader, ResolvesScenarioSystemByRelativePath) {
  const ResolvedScenario r = load_scenario(kAzOutage);
  EXPECT_EQ(r.system.name, "payments");
  EXPECT_EQ(r.scenario.name, "az-outage-at-peak");
  EXPECT_TRUE(r.scenario.system_is_path);
  EXPECT_EQ(r.scenario.horizon, sim::Duration::days(30));
  EXPECT_EQ(r.scenario.trials, 10000);
  EXPECT_EQ(r.scenario.seed, 42u);
  ASSERT_EQ(r.scenario.inject.size(), 1u);
  const Fault& f = r.scenario.inject[0];
  EXPECT_EQ(f.kind, FaultKind::zone_outage);
  EXPECT_EQ(f.target.zone.name, "us-east-1a");
  EXPECT_EQ(f.duration, sim::Duration::hours(1));
  ASSERT_TRUE(f.at.has_value());
  // The calendar starts on Monday 00:00: Tuesday 14:00 is 38 hours later.
  EXPECT_EQ(resolve_time(*f.at, r.system.calendar), sim::Duration::hours(38));
  EXPECT_TRUE(r.system.calendar.in_business_hours(sim::Duration::hours(38)));
}

TEST(Loader, ReadsAStoppingRule) {
  const ResolvedScenario r = load_scenario(kBaseline);
  ASSERT_TRUE(r.scenario.until.has_value());
  EXPECT_EQ(r.scenario.until->metric, "mttr");
  EXPECT_DOUBLE_EQ(*r.scenario.until->relative_half_width, 0.05);
  EXPECT_EQ(r.scenario.until->max_trials, 20000);
  EXPECT_TRUE(r.scenario.inject.empty());
}

TEST(Loader, LoadsTheSketchGameDay) {
  const ResolvedGameDay r = load_game_day(kPodKill);
  const GameDay& g = r.game_day;
  EXPECT_EQ(g.name, "pod-kill-50");
  EXPECT_EQ(g.experiment.kind, FaultKind::pod_kill);
  EXPECT_EQ(g.experiment.target.service.name, "payment-api");
  EXPECT_EQ(g.experiment.mode.kind, KillMode::Kind::fixed_percent);
  EXPECT_DOUBLE_EQ(g.experiment.mode.value, 0.5);
  EXPECT_EQ(g.experiment.duration, sim::Duration::seconds(60));
  EXPECT_EQ(g.experiment.interval, sim::Duration::seconds(10));
  ASSERT_TRUE(g.candidate_starts.window.has_value());
  EXPECT_EQ(g.candidate_starts.window->from.weekday, Weekday::tue);
  EXPECT_EQ(g.candidate_starts.window->to.time_of_day, sim::Duration::hours(16));
  EXPECT_TRUE(g.candidate_starts.window->business_hours_only);
  ASSERT_EQ(g.steady_state.size(), 2u);
  EXPECT_EQ(g.steady_state[1].metric, GameDayMetric::latency_p99);
  EXPECT_DOUBLE_EQ(*g.steady_state[1].below, 0.2);
  ASSERT_EQ(g.hypotheses.size(), 3u);
  EXPECT_EQ(g.hypotheses[0].check.metric, GameDayMetric::capacity_restored);
  EXPECT_DOUBLE_EQ(*g.hypotheses[0].check.below, 120.0);
  EXPECT_DOUBLE_EQ(*g.hypotheses[1].check.below, 0.001);
  EXPECT_EQ(g.hypotheses[2].name, "page fires within 2m");
  ASSERT_EQ(g.stop_conditions.size(), 1u);
  EXPECT_DOUBLE_EQ(*g.stop_conditions[0].check.above, 0.05);
  EXPECT_EQ(g.stop_conditions[0].for_duration, sim::Duration::minutes(1));
  EXPECT_EQ(g.stop_conditions[0].abort_latency, sim::Duration::seconds(30));
  EXPECT_DOUBLE_EQ(g.budget.remaining_this_month, 0.6);
}

/// The system file with a Scenario and a GameDay that name it, in one file.
std::string multi_document_text() {
  return read_text(kSystem) + R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: az-outage-at-peak}
spec:
  system: payments
  horizon: 7d
  trials: 500
  inject:
    - {at: "+36h", fault: zoneOutage, zone: us-east-1a, duration: 1h}
    - {at: "2026-03-04T10:00", fault: networkLatency, from: payment-api, to: fraud-detection, latency: 5s, duration: 10m}
---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: db-failover}
spec:
  system: payments
  experiment: {fault: datastoreFailover, target: {datastore: payments-db}}
  candidateStarts: ["Tue 10:00", "Wed 10:00"]
  hypotheses:
    - {name: failover under 60s, metric: failoverTime, within: 60s}
)";
}

TEST(Loader, LoadsAMultiDocumentFileWithSystemByName) {
  const Documents docs = load_string(multi_document_text(), "all.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  ASSERT_EQ(docs.scenarios.size(), 1u);
  ASSERT_EQ(docs.game_days.size(), 1u);
  const Scenario& sc = docs.scenarios[0];
  EXPECT_FALSE(sc.system_is_path);
  EXPECT_EQ(sc.system.name, "payments");
  EXPECT_EQ(sc.horizon, sim::Duration::days(7));
  EXPECT_EQ(resolve_time(*sc.inject[0].at, docs.systems[0].calendar), sim::Duration::hours(36));
  EXPECT_EQ(resolve_time(*sc.inject[1].at, docs.systems[0].calendar), sim::Duration::hours(58));
  EXPECT_EQ(sc.inject[1].target.to_kind, ComponentKind::service);
  EXPECT_EQ(sc.inject[1].latency, sim::Duration::seconds(5));
  const GameDay& g = docs.game_days[0];
  EXPECT_EQ(g.experiment.kind, FaultKind::datastore_failover);
  EXPECT_FALSE(g.experiment.duration.has_value());  // until recovered
  EXPECT_EQ(g.candidate_starts.at.size(), 2u);
  EXPECT_EQ(g.candidate_starts.at[1].weekday, Weekday::wed);
}

TEST(Loader, MergeKeysCopyAnAnchoredMappingsKeys) {
  // YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`): the keys a mapping does
  // not set come from the merged ones, the first of a list winning; an error
  // in a merged value is located at the anchored text, once per user.
  const std::string text = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: merged}
spec:
  zones: [zone-a, zone-b]
  services:
    - &svc
      name: api
      replicas: 3
      zones: [zone-a, zone-b]
      capacityPerReplica: 50
      demand: 100
      restart: {fixed: 5m}
    - <<: *svc
      name: worker
      demand: 20
    - &small {name: small, replicas: 1, zones: [zone-a], capacityPerReplica: 10}
    - <<: [*small, *svc]
      name: mixed
)";
  const Documents docs = load_string(text, "merged.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  const System& sys = docs.systems[0];
  const Service* worker = sys.find_service("worker");
  const Service* mixed = sys.find_service("mixed");
  ASSERT_TRUE(worker && mixed);
  EXPECT_EQ(worker->replicas, 3);
  EXPECT_EQ(worker->zones.size(), 2u);
  EXPECT_DOUBLE_EQ(worker->demand.base, 20.0);
  EXPECT_DOUBLE_EQ(worker->capacity_per_replica, 50.0);
  EXPECT_EQ(mixed->replicas, 1);                        // from *small, listed first
  EXPECT_DOUBLE_EQ(mixed->capacity_per_replica, 10.0);  // from *small
  EXPECT_DOUBLE_EQ(mixed->demand.base, 100.0);          // only *svc has it
  EXPECT_EQ(sys.find_service("api")->replicas, 3);      // the anchor is unchanged

  std::string bad = text;
  bad.replace(bad.find("capacityPerReplica: 50"), 22, "capacityPerReplica: lots");
  const auto errors = errors_of([&] { load_string(bad, "merged.yaml"); });
  const std::string at = "merged.yaml:" + std::to_string(line_of(bad, "lots")) + ":27: error: ";
  EXPECT_TRUE(any_contains(errors, at + "spec.services[api].capacityPerReplica:"));
  EXPECT_TRUE(any_contains(errors, at + "spec.services[worker].capacityPerReplica:"));

  std::string scalar = text;
  scalar.replace(scalar.find("<<: *svc"), 8, "<<: 5");
  // The merge is refused at its value; the keys it would have given are missing.
  const auto refused = errors_of([&] { load_string(scalar, "merged.yaml"); });
  EXPECT_TRUE(any_contains(refused, "merged.yaml:" + std::to_string(line_of(scalar, "<<: 5")) +
                                        ":11: error: '<<' (a YAML merge key) takes a mapping or "
                                        "a list of mappings, like '<<: *defaults' or '<<: [*a, "
                                        "*b]'; got '5'"));
  EXPECT_TRUE(any_contains(refused, "missing required key 'replicas' in spec.services[worker]"));
}

TEST(Loader, MergeKeysVisitEachSharedMappingOnce) {
  // Thirty levels each merging the one before twice: 2^30 expansions, 31
  // mappings. The load ends (with the unknown keys x0..x29 reported).
  std::string text =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: bomb}\nspec:\n"
      "  zones: [zone-a]\n  x0: &a0 {k: 1}\n";
  for (int i = 1; i < 30; ++i) {
    text += "  x" + std::to_string(i) + ": &a" + std::to_string(i) + " {<<: [*a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "], k" + std::to_string(i) +
            ": " + std::to_string(i) + "}\n";
  }
  const auto errors = errors_of([&] { load_string(text, "bomb.yaml"); });
  EXPECT_TRUE(any_contains(errors, "bomb.yaml:6:3: error: unknown key 'x0' in spec"));
}

TEST(Loader, AppliesCommandLineOverrides) {
  const ResolvedScenario r = load_scenario(
      kAzOutage,
      {"services.payment-api.replicas=8",
       "services[fraud-detection].zones=[us-east-1a, us-east-1b]",
       "slos.payment-availability.objective=99.9%", "slos.1.window=7d",
       "runbooks.payment-api.confirmStable=10m", "services.payment-api.autoscale.maxReplicas=20",
       "calendar.start=2026-03-03T00:00", "scenario.horizon=7d", "scenario.inject.0.duration=2h"});
  const Service* api = r.system.find_service("payment-api");
  EXPECT_EQ(api->replicas, 8);
  EXPECT_EQ(api->autoscale->max_replicas, 20);
  EXPECT_EQ(r.system.find_service("fraud-detection")->zones.size(), 2u);
  EXPECT_DOUBLE_EQ(r.system.slos[0].objective, 0.999);
  EXPECT_EQ(r.system.slos[1].window, sim::Duration::days(7));
  EXPECT_EQ(r.system.runbooks[0].confirm_stable, sim::Duration::minutes(10));
  EXPECT_EQ(r.system.calendar.start_weekday(), Weekday::tue);
  EXPECT_EQ(r.scenario.horizon, sim::Duration::days(7));
  EXPECT_EQ(r.scenario.inject[0].duration, sim::Duration::hours(2));
}

TEST(Loader, OverrideValueMayBeAFlowList) {
  const Documents docs = load_files(
      {kSystem}, {"services.fraud-detection.dependsOn=[{datastore: payments-db, type: soft, "
                  "fallbackSuccess: 50%}]"});
  const Service* fraud = docs.systems[0].find_service("fraud-detection");
  ASSERT_EQ(fraud->depends_on.size(), 1u);
  EXPECT_EQ(fraud->depends_on[0].type, DependencyType::soft);
  EXPECT_DOUBLE_EQ(fraud->depends_on[0].fallback_success, 0.5);
}

TEST(Loader, BadOverridePathIsALocatedError) {
  const auto errors =
      errors_of([] { load_scenario(kAzOutage, {"services.payment-apix.replicas=8"}); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "<command line>: error: --set services.payment-apix.replicas=8: no item named "
            "'payment-apix' in spec.services (did you mean 'payment-api'?)");
}

TEST(Loader, OverriddenValuesAreValidatedLikeWrittenOnes) {
  const auto errors = errors_of([] {
    load_files({kSystem}, {"services.payment-api.replicas=zero", "services.payment-api.replicaz=3",
                           "zones.0.name=x"});
  });
  EXPECT_TRUE(any_contains(errors,
                           "<command line>: error: spec.services[payment-api].replicas: "
                           "expected an integer, got 'zero' (set by --set "
                           "services.payment-api.replicas=zero)"));
  EXPECT_TRUE(any_contains(errors,
                           "unknown key 'replicaz' in spec.services[payment-api] (did you "
                           "mean 'replicas'?) (set by --set"));
  EXPECT_TRUE(any_contains(errors, "cannot set 'name' inside spec.zones[0]"));
  EXPECT_EQ(errors.size(), 3u);
}

TEST(Loader, MalformedSetOptionIsReported) {
  const auto errors = errors_of([] { load_files({kSystem}, {"replicas", "x=[1,"}); });
  EXPECT_TRUE(any_contains(errors, "--set 'replicas': expected path=value"));
  EXPECT_TRUE(any_contains(errors, "--set 'x=[1,': the value is not valid YAML"));
}

TEST(Loader, AppliesScenarioSpecOverrides) {
  const std::string text = multi_document_text() + R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: what-if}
spec:
  system: payments
  overrides:
    services.payment-api.replicas: 9
    services.payment-api.topologySpread: false
)";
  const Documents docs = load_string(text, "what-if.yaml");
  ASSERT_EQ(docs.scenarios.size(), 2u);
  ASSERT_EQ(docs.scenarios[1].overrides.size(), 2u);
  EXPECT_EQ(docs.scenarios[1].overrides[0].path, "services.payment-api.replicas");
  EXPECT_EQ(docs.scenarios[1].overrides[0].location.line,
            line_of(text, "    services.payment-api.replicas: 9"));
  // The system as written is unchanged; load_scenario applies the overrides.
  EXPECT_EQ(docs.systems[0].find_service("payment-api")->replicas, 6);

  const std::string bad = text + "    services.payment-api.autoscale.maxReplicas: -1\n";
  const auto errors = errors_of([&] { load_string(bad, "what-if.yaml"); });
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0],
            "what-if.yaml:" + std::to_string(line_of(bad, "    services.payment-api.auto")) +
                ":5: error: spec.services[payment-api].autoscale.maxReplicas: must be "
                "at least 1, got -1 (set by override "
                "'services.payment-api.autoscale.maxReplicas')");
}

TEST(Loader, ScenarioOverridesReachTheResolvedSystem) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "relsim-loader-test";
  fs::create_directories(dir / "systems");
  fs::create_directories(dir / "what-if");
  fs::copy_file(kSystem, dir / "systems" / "payments.yaml", fs::copy_options::overwrite_existing);
  const std::string scenario = (dir / "what-if" / "s.yaml").string();
  std::ofstream(scenario) << R"(apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: what-if}
spec:
  system: ../systems/payments.yaml
  overrides: {services.payment-api.replicas: 9, slos.payment-availability.objective: 99.5%}
)";
  const ResolvedScenario r = load_scenario(scenario);
  EXPECT_EQ(r.system.find_service("payment-api")->replicas, 9);
  EXPECT_DOUBLE_EQ(r.system.slos[0].objective, 0.995);
  // The command line is applied after spec.overrides, so it wins.
  const ResolvedScenario r2 = load_scenario(scenario, {"services.payment-api.replicas=4"});
  EXPECT_EQ(r2.system.find_service("payment-api")->replicas, 4);
  fs::remove_all(dir);
}

TEST(Loader, UnknownSystemNameSuggestsTheNearest) {
  const std::string text = read_text(kSystem) + R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: s}
spec: {system: paymnts}
)";
  const auto errors = errors_of([&] { load_string(text, "x.yaml"); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "x.yaml:" + std::to_string(line_of(text, "spec: {system: paymnts}")) +
                           ":16: error: unknown system 'paymnts' in spec.system (did you mean "
                           "'payments'?)");
}

TEST(Loader, MissingSystemFileIsLocated) {
  const auto errors = errors_of([] {
    load_string(
        "apiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\n"
        "spec: {system: ../nowhere/payments.yaml}\n",
        "dir/s.yaml");
  });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(any_contains(errors,
                           "dir/s.yaml:4:16: error: system file "
                           "'../nowhere/payments.yaml' not found"));
}

TEST(Loader, StopsAfterTwentyErrors) {
  std::string text =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: s}\nspec:\n"
      "  zones: [a]\n  services:\n";
  for (int i = 0; i < 30; ++i) {
    text += "    - {name: s" + std::to_string(i) +
            ", replicas: 0, zones: [a], "
            "capacityPerReplica: 1}\n";
  }
  const auto errors = errors_of([&] { load_string(text, "many.yaml"); });
  ASSERT_EQ(errors.size(), kMaxErrors + 1);
  EXPECT_EQ(errors.back(), "error: too many errors; stopping");
}

TEST(Loader, DiagnosticsJoinIntoWhat) {
  const InputError e({Diagnostic{{"a.yaml", 1, 2}, "one"}, Diagnostic{{"", 0, 0}, "two"}});
  EXPECT_STREQ(e.what(), "a.yaml:1:2: error: one\nerror: two");
}

}  // namespace
}  // namespace relsim::models
