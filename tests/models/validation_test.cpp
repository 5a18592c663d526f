// Analytic validation of the reliability dynamics (docs/validation.md): the
// Monte Carlo estimate's own 99 % confidence interval, with a fixed seed,
// must contain the exact value.
//
// Every trial starts with everything up, so the exact value of a finite
// horizon T is the time average of the transient, not the steady state: for
// an exponential up/down component with rates λ (failure) and μ (repair),
// P(up at t) = A + (1 − A)·e^{−(λ+μ)t} with A = μ / (λ + μ), and the exact
// expectation of a trial's served fraction is (1/T)∫₀ᵀ g(p(t)) dt for the
// served-fraction function g of the case — integrated here numerically to
// 1e-9. Cases with non-exponential repair use a horizon long enough that the
// transient is far inside the interval.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "analysis/estimators.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace relsim::models {
namespace {

constexpr double kConfidence = 0.99;

CompiledModel compile_text(const std::string& text) {
  const Documents docs = load_string(text, "validation.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// A scenario document on system `sys` with no deploys, `days` long.
std::string scenario(const std::string& sys, int days, int trials) {
  return "---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: v}\nspec:\n"
         "  system: " +
         sys + "\n  horizon: " + std::to_string(days) + "d\n  trials: " + std::to_string(trials) +
         "\n  seed: 20261125\n  randomDeploys: false\n";
}

/// Runs the model and returns the interval `relsim run` gives a per-trial
/// availability: t on the logit scale (docs/results.md).
analysis::Interval estimate(const CompiledModel& m,
                            const std::function<double(const TrialResult&)>& figure) {
  sim::RunnerOptions o;
  o.master_seed = m.seed;
  o.trials = static_cast<std::uint64_t>(m.trials);
  o.threads = 2;
  const auto r = sim::run_trials<TrialResult>(o, [&m]() {
    return [w = World(m)](std::uint64_t, std::uint64_t seed) mutable { return w.run(seed); };
  });
  analysis::MeanAccumulator acc;
  for (const TrialResult& t : r.results) acc.add(figure(t));
  return analysis::logit_mean_interval(acc, kConfidence);
}

/// Prints the comparison for docs/validation.md and returns whether it holds.
bool agrees(const char* name, double exact, const analysis::Interval& ci) {
  std::printf("%s: exact %.6f, estimate %.6f, 99%% CI [%.6f, %.6f]\n", name, exact, ci.estimate,
              ci.low, ci.high);
  return ci.contains(exact);
}

double availability(const TrialResult& t) { return t.services.at(0).availability(); }

/// The availability of the service named `name` (services are in topological order).
std::function<double(const TrialResult&)> availability_of(const CompiledModel& m,
                                                          const std::string& name) {
  const Index row = m.components.at(m.find_component(name)).row;
  return [row](const TrialResult& t) { return t.services.at(row).availability(); };
}

/// (1/T)∫₀ᵀ f(t) dt by composite Simpson with `n` (even) panels.
double time_average(double horizon, const std::function<double(double)>& f, int n = 20000) {
  const double h = horizon / n;
  double sum = f(0.0) + f(horizon);
  for (int i = 1; i < n; ++i) sum += f(i * h) * (i % 2 ? 4.0 : 2.0);
  return sum * h / 3.0 / horizon;
}

/// P(up at t) of an exponential up/down component that starts up.
double p_up(double t, double mtbf, double mttr) {
  const double lambda = 1.0 / mtbf;
  const double mu = 1.0 / mttr;
  const double a = mu / (lambda + mu);
  return a + (1.0 - a) * std::exp(-(lambda + mu) * t);
}

std::string one_service(const std::string& replicas, const std::string& restart,
                        const std::string& every, const std::string& demand) {
  return R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - name: web
      replicas: )" +
         replicas + R"(
      zones: [a]
      capacityPerReplica: 100
      demand: )" +
         demand + R"(
      healthCheckDelay: 0s
      restart: )" +
         restart + R"(
      failures:
        - {type: replicaCrash, every: )" +
         every + R"(}
)";
}

TEST(Validation, SingleComponentAlternatingRenewal) {
  // MTBF 4 h, MTTR 1 h (both exponential): A = 0.8, plus the transient.
  const CompiledModel m = compile_text(
      one_service("1", "{exponential: {mean: 1h}}", "{exponential: {mean: 4h}}", "50") +
      scenario("s", 30, 400));
  const double horizon = 30 * 24.0;
  const double exact = time_average(horizon, [](double t) { return p_up(t, 4.0, 1.0); });
  const analysis::Interval ci = estimate(m, availability);
  EXPECT_TRUE(agrees(::testing::UnitTest::GetInstance()->current_test_info()->name(), exact, ci));
  EXPECT_LT(ci.half_width(), 0.005);
}

TEST(Validation, AvailabilityIsInsensitiveToTheRepairDistribution) {
  // The same means with a lognormal repair (median 40 min, mean 1 h): the
  // long-run availability MTBF / (MTBF + MTTR) = 0.8 is unchanged. A year
  // makes the start-up transient (~1e-4) negligible against the interval.
  const double sigma = std::sqrt(2.0 * std::log(60.0 / 40.0));
  const double p99 = 40.0 * std::exp(2.326347874040841 * sigma);
  const std::string restart = "{lognormal: {median: 40m, p99: " + std::to_string(p99) + "m}}";
  const CompiledModel m = compile_text(
      one_service("1", restart, "{exponential: {mean: 4h}}", "50") + scenario("s", 365, 150));
  const analysis::Interval ci = estimate(m, availability);
  EXPECT_TRUE(agrees(::testing::UnitTest::GetInstance()->current_test_info()->name(), 0.8, ci));
  EXPECT_LT(ci.half_width(), 0.003);
}

TEST(Validation, ReplicasWithANeedServeTheBinomialFraction) {
  // 4 replicas of 100 req/s for 250 req/s: k up serve min(1, k·100/250).
  const CompiledModel m = compile_text(
      one_service("4", "{exponential: {mean: 1h}}", "{exponential: {mean: 4h}}", "250") +
      scenario("s", 30, 300));
  const double horizon = 30 * 24.0;
  const double exact = time_average(horizon, [](double t) {
    const double p = p_up(t, 4.0, 1.0);
    double sum = 0.0;
    for (int k = 0; k <= 4; ++k) {
      const double c = std::tgamma(5.0) / (std::tgamma(k + 1.0) * std::tgamma(5.0 - k));
      sum += c * std::pow(p, k) * std::pow(1.0 - p, 4 - k) * std::min(1.0, k * 100.0 / 250.0);
    }
    return sum;
  });
  const analysis::Interval ci = estimate(m, availability);
  EXPECT_TRUE(agrees(::testing::UnitTest::GetInstance()->current_test_info()->name(), exact, ci));
}

std::string two_services(const std::string& dependency) {
  return R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - name: front
      replicas: 1
      zones: [a]
      capacityPerReplica: 100
      demand: 50
      healthCheckDelay: 0s
      restart: {exponential: {mean: 30m}}
      failures:
        - {type: replicaCrash, every: {exponential: {mean: 6h}}}
      dependsOn:
        - )" +
         dependency + R"(
    - name: back
      replicas: 1
      zones: [a]
      capacityPerReplica: 100
      healthCheckDelay: 0s
      restart: {exponential: {mean: 1h}}
      failures:
        - {type: replicaCrash, every: {exponential: {mean: 3h}}}
)";
}

TEST(Validation, SeriesOfHardDependenciesMultiplies) {
  const CompiledModel m =
      compile_text(two_services("{service: back, type: hard}") + scenario("s", 30, 300));
  const double exact =
      time_average(30 * 24.0, [](double t) { return p_up(t, 6.0, 0.5) * p_up(t, 3.0, 1.0); });
  const analysis::Interval ci = estimate(m, availability_of(m, "front"));
  EXPECT_TRUE(agrees(::testing::UnitTest::GetInstance()->current_test_info()->name(), exact, ci));
}

TEST(Validation, SoftDependencyFallsBack) {
  const CompiledModel m = compile_text(
      two_services("{service: back, type: soft, fallback: cached, fallbackSuccess: 90%}") +
      scenario("s", 30, 300));
  const double exact = time_average(30 * 24.0, [](double t) {
    const double b = p_up(t, 3.0, 1.0);
    return p_up(t, 6.0, 0.5) * (b + (1.0 - b) * 0.9);
  });
  const analysis::Interval ci = estimate(m, availability_of(m, "front"));
  EXPECT_TRUE(agrees(::testing::UnitTest::GetInstance()->current_test_info()->name(), exact, ci));
}

TEST(Validation, BudgetMinutesOfTheReferenceObjectives) {
  // A 10-minute full outage in a 30-day window, against the reference
  // text's objectives: the allowed budget is (1 − objective) × 30 d.
  struct Row {
    const char* objective;
    double allowed_minutes;
  };
  for (const Row row : {Row{"99.99%", 4.32}, Row{"99.95%", 21.6}, Row{"99.9%", 43.2},
                        Row{"99.5%", 216.0}, Row{"99%", 432.0}}) {
    const std::string text = std::string(R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - {name: web, replicas: 1, zones: [a], capacityPerReplica: 100, demand: 50, healthCheckDelay: 0s, restart: 1m}
  slos:
    - {name: web-availability, service: web, objective: )") +
                             row.objective + R"(, window: 30d}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: s
  horizon: 30d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "+3d", fault: zoneOutage, zone: a, duration: 10m}
)";
    const CompiledModel m = compile_text(text);
    World w(m);
    const TrialResult r = w.run(sim::trial_seed(1, 0));
    EXPECT_NEAR(r.slos[0].budget_minutes, 10.0, 1e-6) << row.objective;
    EXPECT_NEAR(r.slos[0].budget_consumed, 10.0 / row.allowed_minutes, 1e-6) << row.objective;
    EXPECT_EQ(r.slos[0].met, 10.0 <= row.allowed_minutes) << row.objective;
  }
}

}  // namespace
}  // namespace relsim::models
