// The game-day planner on small systems whose answers are known: a pod kill
// whose replacement starts in a fixed time (hypotheses hold with probability
// exactly 0 or 1), a stop condition that cannot fire, a full outage whose
// budget cost is computable by hand (5 min of a 99.9 % service at flat
// demand = 5/43.2 of the month's budget), a stop condition that cuts that
// outage short, and the ranking of start times on a demand profile with an
// obvious trough.
#include "analysis/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "models/compiled_model.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"

namespace relsim::analysis {
namespace {

using models::GameDayMetric;

struct Planned {
  models::Documents docs;
  models::CompiledModel model;
  GameDayRuns runs;
  PlanSummary plan;
};

Planned plan_text(const std::string& text, std::uint64_t trials = 20, unsigned threads = 2) {
  Planned p{models::load_string(text, "test.yaml"), {}, {}, {}};
  p.model = models::compile(p.docs.systems.at(0), p.docs.game_days.at(0));
  PlanOptions o;
  o.trials = trials;
  o.seed = 7;
  o.threads = threads;
  p.runs = run_game_day(p.model, p.docs.game_days.at(0), o);
  p.plan = summarize_plan(p.model, p.docs.game_days.at(0), p.runs, 0.95);
  return p;
}

double metric(const models::GameDayTrial& t, GameDayMetric m) {
  return t.metric[static_cast<std::size_t>(m)];
}

// One service, four replicas in one zone, 100 req/s each, 200 req/s of flat
// demand; a replacement is ready exactly 90 s after its replica dies.
constexpr const char* kPodKill = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 4
      zones: [a]
      capacityPerReplica: 100
      demand: 200
      healthCheckDelay: 30s
      restart: {fixed: 90s}
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: kill-one}
spec:
  system: one
  experiment: {fault: podKill, target: {service: web}, mode: one}
  candidateStarts: ["Tue 10:00", "Tue 14:00"]
  hypotheses:
    - {name: back within 2m, metric: capacityRestored, within: 2m}
    - {name: back within 1m, metric: capacityRestored, within: 1m}
    - {name: traffic shifts within 30s, metric: trafficShift, within: 30s}
  stopConditions:
    - {metric: errorRate, above: 50%, for: 10s, abortLatency: 5s}
  budget: {remainingThisMonth: 80%}
  observe: 30m
)";

TEST(Planner, PodKillWithFixedRestartHoldsWithProbabilityOneOrZero) {
  const Planned p = plan_text(kPodKill);
  ASSERT_EQ(p.plan.candidates.size(), 2u);
  for (const auto& c : p.plan.candidates) {
    ASSERT_EQ(c.hypotheses.size(), 3u);
    EXPECT_EQ(c.hypotheses[0].holds, 20u);
    EXPECT_DOUBLE_EQ(c.hypotheses[0].p_holds.estimate, 1.0);
    EXPECT_EQ(c.hypotheses[1].holds, 0u);
    EXPECT_DOUBLE_EQ(c.hypotheses[1].p_holds.estimate, 0.0);
    EXPECT_EQ(c.hypotheses[2].holds, 20u);
    EXPECT_NEAR(c.hypotheses[0].value.p50.estimate, 90.0, 1e-6);
    EXPECT_NEAR(c.hypotheses[0].value.p99.estimate, 90.0, 1e-6);
    EXPECT_NEAR(c.hypotheses[2].value.p50.estimate, 30.0, 1e-6);
  }
  for (const auto& t : p.runs.candidates[0].with_stop) {
    EXPECT_NEAR(metric(t, GameDayMetric::capacity_restored), 90.0, 1e-6);
    EXPECT_NEAR(metric(t, GameDayMetric::traffic_shift), 30.0, 1e-6);
    EXPECT_DOUBLE_EQ(metric(t, GameDayMetric::failover_time), 0.0);
    // A quarter of the requests reach the dead replica for 30 s: 200 × 30 / 4.
    EXPECT_NEAR(metric(t, GameDayMetric::requests_failed), 1500.0, 1e-6);
    EXPECT_NEAR(metric(t, GameDayMetric::peak_error_rate), 0.25, 1e-9);
  }
}

TEST(Planner, StopConditionThatCannotFireNeverAborts) {
  // The error rate peaks at 25 % (a quarter of the traffic for 30 s), under the 50 % threshold.
  const Planned p = plan_text(kPodKill);
  for (const auto& c : p.plan.candidates) {
    EXPECT_EQ(c.aborts, 0u);
    EXPECT_DOUBLE_EQ(c.p_abort.estimate, 0.0);
    EXPECT_DOUBLE_EQ(c.with_stop.budget_consumed.estimate, c.without_stop.budget_consumed.estimate);
    EXPECT_DOUBLE_EQ(c.with_stop.requests_failed.estimate, c.without_stop.requests_failed.estimate);
  }
}

// A 99.9 % service at a flat 100 req/s; a bad deploy failing every request for 5 minutes.
constexpr const char* kOutage = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 2
      zones: [a]
      capacityPerReplica: 100
      demand: 100
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: outage}
spec:
  system: one
  experiment: {fault: badDeploy, target: {service: web}, errorRate: 100%, duration: 5m}
  candidateStarts: "Wed 11:00"
  hypotheses:
    - {name: under a tenth of the budget, metric: budgetConsumed, max: 10%}
    - {name: errors, metric: meanErrorRate, max: 100%}
  budget: {remainingThisMonth: 55%}
  observe: 1h
  worstCasePercentile: 90%
)";

TEST(Planner, FullOutageOfFiveMinutesCostsFiveOver43Point2OfTheBudget) {
  const Planned p = plan_text(kOutage, 5);
  ASSERT_EQ(p.plan.candidates.size(), 1u);
  const auto& c = p.plan.candidates[0];
  EXPECT_NEAR(c.with_stop.budget_consumed.estimate, 5.0 / 43.2, 1e-9);
  EXPECT_NEAR(c.with_stop.budget_worst.estimate, 5.0 / 43.2, 1e-9);
  EXPECT_NEAR(c.with_stop.requests_failed.estimate, 100.0 * 300.0, 1e-6);
  EXPECT_NEAR(c.of_remaining.estimate, 5.0 / 43.2 / 0.55, 1e-9);
  EXPECT_EQ(c.hypotheses[0].holds, 0u);
  // 55 % − 11.6 % = 43.4 % left: from ship (> 50 %) to freeze.
  EXPECT_EQ(c.pushed, 5u);
  EXPECT_EQ(p.plan.verdict, Verdict::no_go);
  // Peak error rate 100 %; mean over the hour 5/60.
  const auto& t = p.runs.candidates[0].with_stop[0];
  EXPECT_NEAR(metric(t, GameDayMetric::peak_error_rate), 1.0, 1e-9);
  EXPECT_NEAR(metric(t, GameDayMetric::mean_error_rate), 5.0 / 60.0, 1e-9);
}

TEST(Planner, StopConditionRevertsTheFaultAfterItsAbortLatency) {
  // Fires after 1 min above 50 %, reverted 30 s later: 90 s of outage, not 300 s.
  std::string text = kOutage;
  text.replace(
      text.find("  budget:"), 0,
      "  stopConditions:\n    - {metric: errorRate, above: 50%, for: 1m, abortLatency: 30s}\n");
  const Planned p = plan_text(text, 5);
  const auto& c = p.plan.candidates[0];
  EXPECT_EQ(c.aborts, 5u);
  EXPECT_NEAR(c.stops[0].seconds_to_fire.estimate, 60.0, 1e-9);
  EXPECT_NEAR(c.with_stop.budget_consumed.estimate, 1.5 / 43.2, 1e-9);
  EXPECT_NEAR(c.without_stop.budget_consumed.estimate, 5.0 / 43.2, 1e-9);
  EXPECT_NEAR(c.with_stop.requests_failed.estimate, 100.0 * 90.0, 1e-6);
}

TEST(Planner, RanksTheDemandTroughFirst) {
  // Demand peaks at 14:00 and bottoms out at 04:00; a full 5-minute outage
  // costs requests in proportion to demand, so 04:00 is the cheapest start
  // and 14:00 the dearest. Same seeds everywhere: paired differences exact.
  std::string text = kOutage;
  text.replace(text.find("demand: 100"), 11,
               "demand: {base: 100, daily: {peak: \"14:00\", peakFactor: 2.0, trough: \"04:00\", "
               "troughFactor: 0.2}}");
  text.replace(text.find("candidateStarts: \"Wed 11:00\""), 28,
               "candidateStarts: {from: \"Wed 00:00\", to: \"Wed 22:00\", every: 2h}");
  const Planned p = plan_text(text, 3);
  ASSERT_EQ(p.plan.candidates.size(), 12u);
  const auto& best = p.plan.candidates[p.plan.ranking.front()];
  const auto& worst = p.plan.candidates[p.plan.ranking.back()];
  EXPECT_EQ(best.start, sim::Duration::days(2) + sim::Duration::hours(4));
  EXPECT_EQ(worst.start, sim::Duration::days(2) + sim::Duration::hours(14));
  EXPECT_GT(worst.budget_vs_best.estimate, 0.0);
  EXPECT_DOUBLE_EQ(worst.budget_vs_best.low, worst.budget_vs_best.high);  // no noise: CRN
  // Budget cost is proportional to the demand during the outage (near 0.2 vs 2.0 × base).
  EXPECT_GT(worst.with_stop.budget_consumed.estimate,
            5.0 * best.with_stop.budget_consumed.estimate);
}

TEST(Planner, LatencyPercentilesOfAnUnloadedServiceAreItsOwnBeforeAndAfterTheStart) {
  // Latency lognormal with median 40 ms and p99 300 ms, utilisation far below
  // the knee before and after the kill: the window's p50 and p99 are those.
  std::string text = kPodKill;
  text.replace(text.find("      restart: {fixed: 90s}"), 0,
               "      latency: {lognormal: {median: 40ms, p99: 300ms}}\n");
  text.replace(text.find("    - {name: back within 2m"), 0,
               "    - {name: p99 under 301ms, metric: latencyP99, within: 301ms}\n"
               "    - {name: median, metric: latencyPercentile, percentile: 50%, within: 1s}\n");
  text.replace(text.find("  stopConditions:"), 0,
               "  steadyState: {errorRate: {below: 0.1%}, latencyP99: {below: 200ms}}\n");
  const Planned p = plan_text(text, 3);
  const auto& c = p.plan.candidates[0];
  // Before the start: no errors (holds), p99 300 ms (never under 200 ms).
  ASSERT_EQ(c.steady_checks.size(), 2u);
  EXPECT_EQ(c.steady_checks[0].holds, 3u);
  EXPECT_EQ(c.steady_checks[1].holds, 0u);
  EXPECT_NEAR(c.steady_checks[1].value.p50.estimate, 0.300, 0.300 * 0.01);
  EXPECT_EQ(c.steady, 0u);
  EXPECT_EQ(p.plan.verdict, Verdict::caution);
  EXPECT_NEAR(c.hypotheses[0].value.p50.estimate, 0.300, 0.300 * 0.01);
  EXPECT_NEAR(c.hypotheses[1].value.p50.estimate, 0.040, 0.040 * 0.01);
  EXPECT_EQ(c.hypotheses[0].holds, 3u);
}

TEST(Planner, FirstPageOfANamedAlert) {
  // payments-db fails over: payment-api's threshold alert pages (error rate
  // above 5 % for 1 min); fraud-detection's alert watches a service the
  // failover does not touch, so its first page never comes.
  const auto r = models::load_game_day(std::string(RELSIM_SOURCE_DIR) +
                                       "/scenarios/gamedays/week2-database-failover.yaml");
  models::GameDay g = r.game_day;
  g.hypotheses.resize(1);
  g.hypotheses[0].name = "api alert";
  g.hypotheses[0].check.metric = GameDayMetric::first_page;
  g.hypotheses[0].check.below = 120.0;
  g.hypotheses[0].check.above.reset();
  models::Hypothesis fraud = g.hypotheses[0];
  fraud.name = "fraud alert";
  fraud.alert.name = "FraudDetectionErrors";
  g.hypotheses[0].alert.name = "PaymentAPIHighErrorRate";
  models::Hypothesis any = g.hypotheses[0];
  any.name = "any alert";
  any.alert.name.clear();
  g.hypotheses.push_back(fraud);
  g.hypotheses.push_back(any);
  g.candidate_starts.window.reset();
  g.candidate_starts.at.resize(1);
  g.candidate_starts.at[0].kind = models::TimeSpec::Kind::weekday_time;
  g.candidate_starts.at[0].weekday = models::Weekday::wed;
  g.candidate_starts.at[0].time_of_day = sim::Duration::hours(11);
  g.candidate_starts.at[0].text = "Wed 11:00";
  const models::CompiledModel m = models::compile(r.system, g);
  PlanOptions o;
  o.trials = 30;
  o.threads = 2;
  const GameDayRuns runs = run_game_day(m, g, o);
  const PlanSummary plan = summarize_plan(m, g, runs, 0.95);
  const auto& c = plan.candidates[0];
  EXPECT_GT(c.hypotheses[0].holds, 20u);
  EXPECT_EQ(c.hypotheses[1].holds, 0u);
  EXPECT_TRUE(std::isinf(c.hypotheses[1].value.p50.estimate));
  // The API alert's page is never earlier than the first page of any alert.
  const auto api = static_cast<models::Index>(
      std::find(m.names.alerts.begin(), m.names.alerts.end(), "PaymentAPIHighErrorRate") -
      m.names.alerts.begin());
  ASSERT_LT(api, m.names.alerts.size());
  for (const auto& t : runs.candidates[0].with_stop) {
    const double named = models::hypothesis_value(t, g.hypotheses[0], api, runs.percentiles);
    EXPECT_GE(named,
              models::hypothesis_value(t, g.hypotheses[2], models::kNoIndex, runs.percentiles));
  }
}

// A bad deploy fails every request of web for 10 minutes. A ticket-routed
// alert (errors above 1 %) fires first; the paging alert needs the errors
// for 2 minutes; the one responder acknowledges exactly 3 minutes after
// the page.
constexpr const char* kTwoAlerts = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  calendar: {start: 2026-03-02T00:00, businessHours: {days: Mon-Fri, from: "09:00", to: "18:00"}}
  zones: [a]
  services:
    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 100}
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
  alerts:
    - {name: WebErrorsTicket, service: web, condition: {errorRate: {above: 1%}}, route: ticket}
    - {name: WebErrorsPage, service: web, condition: {errorRate: {above: 50%}}, for: 2m, route: page}
  teams:
    - name: oncall
      members: 1
      ack: {businessHours: 3m, offHours: 3m}
      respond: 1m
      owns: [web]
---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: outage}
spec:
  system: one
  experiment: {fault: badDeploy, target: {service: web}, errorRate: 100%, duration: 10m}
  candidateStarts: ["Tue 10:00"]
  hypotheses:
    - {name: page acked within 4m, metric: ackTime, alert: WebErrorsPage, within: 4m}
    - {name: ticket acked within 4m, metric: ackTime, alert: WebErrorsTicket, within: 4m}
    - {name: any page acked within 4m, metric: ackTime, within: 4m}
    - {name: page within 4m, metric: firstPage, alert: WebErrorsPage, within: 4m}
  budget: {remainingThisMonth: 80%}
  observe: 30m
)";

TEST(Planner, AckTimeOfANamedAlert) {
  // The page comes from WebErrorsPage (the ticket alert sends none), so its
  // ackTime is the responder's fixed 3 minutes, and the ticket alert's is
  // never. (Before IncidentRow recorded the paging alert, a named ackTime
  // measured the first page of any alert.)
  const Planned p = plan_text(kTwoAlerts, 10);
  const auto& c = p.plan.candidates.at(0);
  ASSERT_EQ(c.hypotheses.size(), 4u);
  EXPECT_EQ(c.hypotheses[0].holds, 10u);
  EXPECT_NEAR(c.hypotheses[0].value.p50.estimate, 180.0, 1e-6);
  EXPECT_NEAR(c.hypotheses[0].value.p99.estimate, 180.0, 1e-6);
  EXPECT_EQ(c.hypotheses[1].holds, 0u);
  EXPECT_TRUE(std::isinf(c.hypotheses[1].value.p50.estimate));
  EXPECT_EQ(c.hypotheses[2].holds, 10u);
  EXPECT_NEAR(c.hypotheses[2].value.p50.estimate, 180.0, 1e-6);
  EXPECT_EQ(c.hypotheses[3].holds, 10u);
  for (const auto& note : p.plan.notes) EXPECT_EQ(note.find("ackTime"), std::string::npos) << note;
  for (const auto& t : p.runs.candidates[0].with_stop) {
    ASSERT_EQ(t.alert_ack.size(), 2u);
    EXPECT_TRUE(std::isinf(t.alert_ack[0]));
    EXPECT_NEAR(t.alert_ack[1], 180.0, 1e-6);
    // The ticket alert fired before the page: it is not the one that paged.
    EXPECT_LT(t.alert_page[1], metric(t, GameDayMetric::first_page) + 1e-9);
  }
}

TEST(Planner, SameResultForOneAndTwoThreads) {
  const Planned a = plan_text(kPodKill, 10, 1);
  const Planned b = plan_text(kPodKill, 10, 2);
  for (std::size_t i = 0; i < a.plan.candidates.size(); ++i) {
    EXPECT_EQ(a.plan.candidates[i].with_stop.budget_consumed.estimate,
              b.plan.candidates[i].with_stop.budget_consumed.estimate);
  }
}

TEST(Planner, UnknownBudgetSloIsALocatedError) {
  std::string text = kOutage;
  text.replace(text.find("{remainingThisMonth: 55%}"), 25,
               "{remainingThisMonth: 55%, slos: [web-availabilty]}");
  try {
    plan_text(text, 1);
    FAIL() << "expected an InputError";
  } catch (const models::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("web-availabilty"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace relsim::analysis
