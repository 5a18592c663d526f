// Analytic validation of detection and people (docs/model.md, "Detection",
// "People"): with a fixed seed, the Monte Carlo estimate's own 99 %
// confidence interval must contain the exact value.
//
// - Burn-rate detection: a constant error rate e after a clean history on an
//   SLO with budget b = 1 − objective is detected, under a window pair
//   (factor f, long L, short S), max(f·b/e·L, f·b/e·S) after it starts, then
//   rounded up to the evaluation grid. Deploys arrive at uniformly random
//   times relative to the grid, so the rounding adds a uniform [0, I): the
//   mean delay is f·b/e·L + I/2 (51.84 s + 30 s for 100 % errors on 99.9 %
//   at 14.4x over 1h/5m on a 1-minute grid).
// - Escalation: ack ~ Exp(mean m), escalation after d: P(escalate) = e^(−d/m).
// - Queueing: K services deploy bad versions at rate λ each while healthy;
//   c responders take the pages first come, first served and roll back after
//   an Exp(mean 1/μ) diagnosis. That is the finite-source queue (machine
//   repair, M/M/c//K) with the exact stationary mean wait Lq / throughput
//   (sim::machine_repair_exact); as K grows it tends to M/M/1's
//   λ/(μ(μ − λ)) and, for c responders, Erlang C. Detection on a 1-second
//   grid adds under a second to each outage (mean waits are tens of minutes).
// - Postmortem replay: scenarios/payments/postmortem-bad-deploy.yaml
//   reproduces the reference postmortem's TTD exactly and its TTA / TTM /
//   TTR inside the model's stated distributions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/machine_repair.hpp"
#include "sim/runner.hpp"

namespace relsim::models {
namespace {

constexpr double kConfidence = 0.99;

CompiledModel compile_text(const std::string& text) {
  const Documents docs = load_string(text, "people-validation.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

std::vector<TrialResult> run(const CompiledModel& m) {
  sim::RunnerOptions o;
  o.master_seed = m.seed;
  o.trials = static_cast<std::uint64_t>(m.trials);
  o.threads = 2;
  return sim::run_trials<TrialResult>(o,
                                      [&m]() {
                                        return [w = World(m)](std::uint64_t,
                                                              std::uint64_t seed) mutable {
                                          return w.run(seed);
                                        };
                                      })
      .results;
}

bool agrees(const char* name, double exact, const analysis::Interval& ci) {
  std::printf("%s: exact %.6g, estimate %.6g, 99%% CI [%.6g, %.6g]\n", name, exact, ci.estimate,
              ci.low, ci.high);
  return ci.contains(exact);
}

TEST(PeopleValidation, BurnRateDetectionDelay) {
  const std::string text = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: burn}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 2
      zones: [a]
      capacityPerReplica: 1000
      demand: 50
      deploys: {rate: 1/day, changeFailureRate: 100%, badDeploy: {errorRate: 100%, detectsItself: true}, rollback: 30m}
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
  alerts:
    - name: WebBurn
      slo: web-availability
      evaluationInterval: 1m
      burnRate: [{severity: page, factor: 14.4, longWindow: 1h, shortWindow: 5m}]
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: burn
  horizon: 2d
  trials: 4000
  seed: 20261130
  randomFailures: false
)";
  const CompiledModel m = compile_text(text);
  analysis::MeanAccumulator acc;
  for (const TrialResult& t : run(m)) {
    // The first incident, after an hour of clean history.
    if (t.incidents.empty()) continue;
    const IncidentRow& inc = t.incidents[0];
    if (inc.start < sim::Duration::hours(1) || inc.detected == kNever) continue;
    acc.add((inc.detected - inc.start).to_seconds());
  }
  ASSERT_GT(acc.count(), 1000u);
  EXPECT_TRUE(agrees("burn-rate detection delay (s)", 51.84 + 30.0, acc.interval(kConfidence)));
}

TEST(PeopleValidation, EscalationProbability) {
  // Ack ~ Exp(mean 10 min), escalation after 15 min: e^-1.5.
  const std::string text = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: esc}
spec:
  zones: [a]
  services:
    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 50}
  alerts:
    - {name: WebErrors, service: web, condition: {errorRate: {above: 5%}}, for: 1m}
  teams:
    - name: oncall
      members: 4
      secondary: true
      ack: {businessHours: {exponential: {mean: 10m}}, offHours: {exponential: {mean: 10m}}}
      escalation: [{after: 15m, to: secondary}]
      owns: [web]
  runbooks:
    - {for: web, diagnose: 5m, steps: [{action: rollback, duration: 4m}], confirmStable: 10m}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: esc
  horizon: 1d
  trials: 6000
  seed: 20261130
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "+3h", fault: badDeploy, service: web, errorRate: 50%}
)";
  const CompiledModel m = compile_text(text);
  std::uint64_t escalated = 0, n = 0;
  for (const TrialResult& t : run(m)) {
    ASSERT_EQ(t.incidents.size(), 1u);
    ++n;
    if (t.incidents[0].escalations > 0) ++escalated;
  }
  EXPECT_TRUE(
      agrees("P(escalate)", std::exp(-1.5), analysis::wilson_interval(escalated, n, kConfidence)));
}

/// K services deploying bad versions at `per_day` each, one team of
/// `responders` taking the pages, Exp(mean `repair_minutes`) to fix.
std::string queue_system(int services, double per_day, int responders, double repair_minutes) {
  std::string s =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: queue}\nspec:\n"
      "  zones: [a]\n  services:\n";
  std::string alerts = "  alerts:\n", owns, books = "  runbooks:\n";
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.9g/day", per_day);
  for (int i = 0; i < services; ++i) {
    const std::string name = "svc" + std::to_string(i);
    s += "    - {name: " + name +
         ", replicas: 1, zones: [a], capacityPerReplica: 100, demand: 1, deploys: {rate: " + rate +
         ", changeFailureRate: 100%, badDeploy: {errorRate: 100%, detectsItself: false}}}\n";
    alerts += "    - {name: " + name + "-errors, service: " + name +
              ", condition: {errorRate: {above: 50%}}, for: 0s, evaluationInterval: 1s}\n";
    owns += (i ? ", " : "") + name;
    books += "    - {for: " + name +
             ", diagnose: {exponential: {mean: " + std::to_string(repair_minutes) +
             "m}}, steps: [{action: rollback, duration: 0s}], confirmStable: 0s}\n";
  }
  s += alerts;
  s += "  teams:\n    - name: oncall\n      members: " + std::to_string(responders) + "\n";
  if (responders > 1)
    s += "      secondary: true\n      escalation: [{after: 1s, to: secondary}]\n";
  s += "      ack: {businessHours: 0s, offHours: 0s}\n      owns: [" + owns + "]\n";
  s += books;
  s += "---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: v}\nspec:\n"
       "  system: queue\n  horizon: 200d\n  trials: 40\n  seed: 20261130\n"
       "  randomFailures: false\n";
  return s;
}

/// Mean wait from page to the responder starting work, per trial, after a day of warm-up.
analysis::Interval queue_wait(const CompiledModel& m) {
  analysis::MeanAccumulator per_trial;
  for (const TrialResult& t : run(m)) {
    analysis::MeanAccumulator acc;
    for (const IncidentRow& r : t.incidents) {
      if (r.paged < sim::Duration::days(1) || r.responding == kNever) continue;
      acc.add((r.responding - r.paged).to_seconds());
    }
    per_trial.add(acc.mean());
  }
  return per_trial.interval(kConfidence);
}

/// Exact stationary mean wait (seconds) of the finite-source queue.
double finite_source_wait(int k, int c, double mttf_s, double repair_s) {
  const auto x = sim::machine_repair_exact(static_cast<std::uint32_t>(k),
                                           static_cast<std::uint32_t>(c), mttf_s, repair_s);
  const double throughput = k * x.availability / mttf_s;
  return x.mean_queue / throughput;
}

TEST(PeopleValidation, SingleResponderIsAnMM1Queue) {
  // 24 services, each bad every 24 h while healthy (λ ≈ 1/h in all), repairs
  // of mean 30 min (μ = 2/h).
  const int k = 24;
  const CompiledModel m = compile_text(queue_system(k, 1.0, 1, 30.0));
  const double exact = finite_source_wait(k, 1, 86400.0, 1800.0);
  const double lambda = 1.0 / 3600.0, mu = 1.0 / 1800.0;
  std::printf("M/M/1 limit (K -> inf): %.6g s\n", lambda / (mu * (mu - lambda)));
  EXPECT_TRUE(agrees("single responder mean wait (s), M/M/1//24", exact, queue_wait(m)));
}

TEST(PeopleValidation, TwoRespondersAreAnErlangCQueue) {
  // The same 24 services at 2.5 bad versions a day each with two responders.
  const int k = 24;
  const CompiledModel m = compile_text(queue_system(k, 2.5, 2, 30.0));
  const double exact = finite_source_wait(k, 2, 86400.0 / 2.5, 1800.0);
  // Erlang C for the infinite-source limit, for the record.
  const double a = 24 * 2.5 / 24.0 * 0.5;  // offered load λ/μ in erlangs
  const double c = 2.0;
  const double pw = (a * a / 2.0) * (c / (c - a)) / (1.0 + a + (a * a / 2.0) * (c / (c - a)));
  std::printf("Erlang C limit (K -> inf): %.6g s\n", pw / (c / 1800.0 - a / 1800.0));
  EXPECT_TRUE(agrees("two responders mean wait (s), M/M/2//24", exact, queue_wait(m)));
}

TEST(PeopleValidation, PostmortemReplayReproducesTheTimeline) {
  const auto resolved = load_scenario(std::string(RELSIM_SOURCE_DIR) +
                                      "/scenarios/payments/postmortem-bad-deploy.yaml");
  const CompiledModel m = compile(resolved.system, resolved.scenario);
  std::vector<double> tta, ttm, ttr;
  analysis::MeanAccumulator ack;
  for (const TrialResult& t : run(m)) {
    ASSERT_EQ(t.incidents.size(), 1u);
    const IncidentRow& r = t.incidents[0];
    // 10:18 errors begin; the alert fires at 10:19 in every trial.
    EXPECT_EQ((r.detected - r.start).to_seconds(), 60.0);
    EXPECT_EQ(r.severity, 2);
    ASSERT_NE(r.resolved, kNever);
    tta.push_back((r.acked - r.paged).to_seconds());
    ttm.push_back((r.mitigated - r.start).to_seconds());
    ttr.push_back((r.resolved - r.start).to_seconds());
    ack.add(tta.back());
  }
  std::sort(tta.begin(), tta.end());
  std::sort(ttm.begin(), ttm.end());
  std::sort(ttr.begin(), ttr.end());
  auto central = [](const std::vector<double>& v, double x, const char* name) {
    const double lo = v[v.size() / 20], hi = v[v.size() - 1 - v.size() / 20];
    std::printf("%s: postmortem %.0f s, model's central 90 %% [%.0f, %.0f] s\n", name, x, lo, hi);
    return lo <= x && x <= hi;
  };
  EXPECT_TRUE(central(tta, 120.0, "TTA"));      // ack 10:21
  EXPECT_TRUE(central(ttm, 14 * 60.0, "TTM"));  // rollback complete 10:32
  EXPECT_TRUE(central(ttr, 27 * 60.0, "TTR"));  // confirmed stable 10:45
  // The ack distribution is lognormal with median 2 min and p90 5 min.
  const double sigma = std::log(2.5) / 1.2815515655446004;
  EXPECT_TRUE(agrees("postmortem mean TTA (s)", 120.0 * std::exp(sigma * sigma / 2.0),
                     ack.interval(kConfidence)));
}

}  // namespace
}  // namespace relsim::models
