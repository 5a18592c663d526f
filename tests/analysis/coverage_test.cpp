// Coverage of the run summary's 95 % intervals over 200 seeds of small cases
// with known answers (docs/results.md, "Coverage"): at least 93 % of the
// intervals must contain the exact value (the nominal 95 % less ~1.3
// binomial standard deviations of 200 draws). Fixed seeds: deterministic.
//
// - the Student-t interval of a service's mean availability, through the
//   whole pipeline (World trials → summarize): one replica, exponential
//   failures (MTBF 4 h) and restarts (MTTR 1 h), 2-day horizon; the exact
//   value is the time average of the transient P(up at t);
// - the incident figures on hand-built incidents whose MTTR is exponential
//   (mean 30 min): the t interval of the mean, the order-statistic intervals
//   of the median and p90 (exact: 30 min · ln 2, 30 min · ln 10);
// - the Wilson interval of P(SLO met) with a known probability 0.3.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/distribution.hpp"
#include "sim/random.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim;
constexpr int kSeeds = 200;
constexpr double kConfidence = 0.95;
constexpr double kRequired = 0.93;

struct Coverage {
  int hits = 0;
  int total = 0;
  void add(bool hit) {
    hits += hit ? 1 : 0;
    ++total;
  }
  double rate() const { return static_cast<double>(hits) / total; }
};

void report(const char* name, const Coverage& c) {
  std::printf("%s: %d of %d 95 %% intervals hold the exact value (%.1f %%)\n", name, c.hits,
              c.total, 100.0 * c.rate());
  EXPECT_GE(c.rate(), kRequired) << name;
}

TEST(Coverage, AvailabilityMeanThroughTheWholePipeline) {
  const std::string text = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 1
      zones: [a]
      capacityPerReplica: 100
      demand: 50
      healthCheckDelay: 0s
      restart: {exponential: {mean: 1h}}
      failures:
        - {type: replicaCrash, every: {exponential: {mean: 4h}}}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: c}
spec:
  system: s
  horizon: 2d
  trials: 100
  seed: 1
  randomDeploys: false
)";
  const auto docs = models::load_string(text, "coverage.yaml");
  const models::CompiledModel m = models::compile(docs.systems.at(0), docs.scenarios.at(0));
  // Exact: (1/T)∫₀ᵀ P(up at t) dt = A + (1 − A)(1 − e^{−(λ+μ)T}) / ((λ+μ)T), hours.
  const double horizon = 48.0;
  const double a = 0.8;
  const double rate = 1.0 / 4.0 + 1.0;
  const double exact = a + (1.0 - a) * (1.0 - std::exp(-rate * horizon)) / (rate * horizon);
  Coverage c;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    sim::RunnerOptions o;
    o.master_seed = static_cast<std::uint64_t>(seed);
    o.trials = 100;
    o.threads = 2;
    const auto r = sim::run_trials<models::TrialResult>(o, [&m]() {
      return [w = models::World(m)](std::uint64_t, std::uint64_t s) mutable { return w.run(s); };
    });
    const auto summary = analysis::summarize(m, r.results, kConfidence);
    c.add(summary.services.at(0).availability.contains(exact));
  }
  report("availability (t)", c);
}

TEST(Coverage, IncidentDurationsAndProportions) {
  const double mean = 1800.0;
  const auto mttr = sim::Distribution::exponential(mean);
  models::CompiledModel m;
  m.horizon = sim::Duration::days(30);
  m.slos.resize(1);
  m.services.resize(1);
  m.budget_policy = {{std::nullopt, models::BudgetAction::ship}};
  Coverage c_mean, c_median, c_p90, c_wilson;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::vector<models::TrialResult> results;
    for (std::uint64_t t = 0; t < 150; ++t) {
      sim::Rng rng(sim::trial_seed(static_cast<std::uint64_t>(seed), t),
                   sim::stream_id("coverage"));
      models::TrialResult r;
      models::SloTrialResult s;
      s.met = rng.bernoulli(0.3);
      s.tier_reached.assign(1, sim::Duration::zero());
      r.slos.push_back(s);
      r.services.push_back({1.0, 1.0});
      for (std::uint32_t k = 0; k < 2; ++k) {
        models::IncidentRow i;
        i.id = k;
        i.severity = 2;
        i.start = sim::Duration::hours(1);
        i.resolved = i.start + sim::Duration::from_seconds(mttr.sample(rng));
        r.incidents.push_back(i);
      }
      results.push_back(std::move(r));
    }
    const auto s = analysis::summarize(m, results, kConfidence);
    const auto& d = s.incidents[0].durations[static_cast<int>(analysis::IncidentMetric::mttr)];
    ASSERT_EQ(d.n, 300u);
    c_mean.add(d.mean.contains(mean));
    c_median.add(d.median.low <= mean * std::log(2.0) && mean * std::log(2.0) <= d.median.high);
    c_p90.add(d.p90.low <= mean * std::log(10.0) && mean * std::log(10.0) <= d.p90.high);
    c_wilson.add(s.slos[0].p_met.contains(0.3));
  }
  report("MTTR mean (t)", c_mean);
  report("MTTR median (order statistic)", c_median);
  report("MTTR p90 (order statistic)", c_p90);
  report("P(met) (Wilson)", c_wilson);
}

}  // namespace
