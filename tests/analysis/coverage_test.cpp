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
//
// Issue 19, every interval method of docs/results.md on cases with a known
// value, 200 seeds each, where coverage must also stay at or below 99 %
// (an interval far wider than it claims is flagged too):
// - by trial, incidents sharing their trial's slowness (each trial's
//   durations are u · Exp(30 min), u = 0.5 or 1.5; 20 incidents per trial):
//   the ratio mean, and the Woodruff median and p90 of the pooled mixture,
//   with the sketch exact (1,200 values) and as a histogram (5,000 values);
// - by trial, a proportion of incidents whose per-trial probability is 0.2
//   or 0.6 (P(humans needed) = 0.4);
// - quasi-Poisson Garwood, sparse Poisson pages (0.05 per trial, 100 trials;
//   an exact method for a discrete count, conservative by design, so only
//   its lower bound is checked) and overdispersed ones (Poisson with rate 0.5
//   or 4.5, 100 trials);
// - logit-scale t, attainment 1 − 0.002 · Exp(1) over 200 trials;
// - log-scale t, budget consumed 0.5 · Exp(1) over 200 trials (with 60
//   trials of such skewed values both cover about 93–94.7 %: docs/validation.md);
// - Wilson, a rare P(not met) of 1 % over 500 trials.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/incident_summary.hpp"
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

/// Also no wider than it claims: at most 99 % of intervals hold the value.
constexpr double kAtMost = 0.99;
void report_band(const char* name, const Coverage& c) {
  report(name, c);
  EXPECT_LE(c.rate(), kAtMost) << name;
}

bool holds(const analysis::QuantileInterval& q, double x) { return q.low <= x && x <= q.high; }

/// A model shell for hand-built trial results: one SLO, one service, one team.
models::CompiledModel shell() {
  models::CompiledModel m;
  m.horizon = sim::Duration::days(30);
  m.slos.resize(1);
  m.services.resize(1);
  m.teams.resize(1);
  m.budget_policy = {{std::nullopt, models::BudgetAction::ship}};
  return m;
}

models::TrialResult empty_trial() {
  models::TrialResult r;
  models::SloTrialResult s;
  s.tier_reached.assign(1, sim::Duration::zero());
  r.slos.push_back(s);
  r.services.push_back({1.0, 1.0});
  r.teams.push_back({});
  return r;
}

/// Poisson(lambda) by counting exponential gaps in [0, 1].
std::uint32_t poisson(sim::Rng& rng, double lambda) {
  std::uint32_t k = 0;
  double t = -std::log(rng.uniform_open0()) / lambda;
  while (t <= 1.0) {
    ++k;
    t += -std::log(rng.uniform_open0()) / lambda;
  }
  return k;
}

/// The p-quantile of the pooled durations: F(x) = 1 − ½(e^{−x/(0.5m)} + e^{−x/(1.5m)}).
double mixture_quantile(double mean, double p) {
  double lo = 0.0, hi = 100.0 * mean;
  for (int i = 0; i < 200; ++i) {
    const double x = 0.5 * (lo + hi);
    const double f = 1.0 - 0.5 * (std::exp(-x / (0.5 * mean)) + std::exp(-x / (1.5 * mean)));
    (f < p ? lo : hi) = x;
  }
  return 0.5 * (lo + hi);
}

/// Incidents that share their trial's slowness u (0.5 or 1.5): the mean and
/// quantiles by trial, for `trials` trials of 20 incidents.
void clustered_durations(std::uint64_t trials, const char* label) {
  const double mean = 1800.0;
  const double median = mixture_quantile(mean, 0.5), p90 = mixture_quantile(mean, 0.9);
  const models::CompiledModel m = shell();
  Coverage c_mean, c_median, c_p90, c_pooled_t;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::vector<models::TrialResult> results;
    analysis::MeanAccumulator pooled;  // the old interval, incidents as independent
    for (std::uint64_t t = 0; t < trials; ++t) {
      sim::Rng rng(sim::trial_seed(static_cast<std::uint64_t>(seed), t),
                   sim::stream_id("clustered"));
      models::TrialResult r = empty_trial();
      const double u = rng.bernoulli(0.5) ? 0.5 : 1.5;
      for (std::uint32_t k = 0; k < 20; ++k) {
        models::IncidentRow i;
        i.id = k;
        i.severity = 2;
        i.start = sim::Duration::hours(1);
        i.resolved =
            i.start + sim::Duration::from_seconds(-u * mean * std::log(rng.uniform_open0()));
        pooled.add((i.resolved - i.start).to_seconds());
        r.incidents.push_back(i);
      }
      results.push_back(std::move(r));
    }
    const auto s = analysis::summarize(m, results, kConfidence);
    const auto& d = s.incidents[0].durations[static_cast<int>(analysis::IncidentMetric::mttr)];
    ASSERT_EQ(d.n, trials * 20);
    c_mean.add(d.mean.contains(mean));
    c_median.add(holds(d.median, median));
    c_p90.add(holds(d.p90, p90));
    c_pooled_t.add(pooled.interval(kConfidence).contains(mean));
  }
  std::printf("%s: the old t interval over incidents: %d of %d\n", label, c_pooled_t.hits,
              c_pooled_t.total);
  report_band((std::string(label) + ": mean (ratio by trial)").c_str(), c_mean);
  report_band((std::string(label) + ": median (Woodruff by trial)").c_str(), c_median);
  report_band((std::string(label) + ": p90 (Woodruff by trial)").c_str(), c_p90);
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

TEST(Coverage, ClusteredIncidentsExactSketch) {
  clustered_durations(60, "clustered, 1,200 values");
}

TEST(Coverage, ClusteredIncidentsHistogramSketch) {
  clustered_durations(250, "clustered, 5,000 values");
}

TEST(Coverage, PerTrialMethods) {
  const models::CompiledModel m = shell();
  Coverage c_sparse, c_over, c_attain, c_budget, c_rare, c_prop, c_extras;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const auto s64 = static_cast<std::uint64_t>(seed);
    auto rng_of = [&](std::uint64_t t, const char* what) {
      return sim::Rng(sim::trial_seed(s64, t), sim::stream_id(what));
    };
    // Sparse and overdispersed pages per trial.
    std::vector<models::TrialResult> sparse, over;
    for (std::uint64_t t = 0; t < 100; ++t) {
      sim::Rng rng = rng_of(t, "pages");
      models::TrialResult r = empty_trial();
      r.teams[0].pages = poisson(rng, 0.05);
      sparse.push_back(r);
    }
    for (std::uint64_t t = 0; t < 100; ++t) {
      sim::Rng rng = rng_of(t, "over");
      models::TrialResult r = empty_trial();
      r.teams[0].pages = poisson(rng, rng.bernoulli(0.5) ? 0.5 : 4.5);
      over.push_back(r);
    }
    c_sparse.add(analysis::summarize(m, sparse, kConfidence).pages_per_trial.contains(0.05));
    c_over.add(analysis::summarize(m, over, kConfidence).pages_per_trial.contains(2.5));
    // Attainment near 1 and budget consumed over 200 trials; rare breaches over 500.
    std::vector<models::TrialResult> attain, budget, rare;
    for (std::uint64_t t = 0; t < 200; ++t) {
      sim::Rng rng = rng_of(t, "attainment");
      models::TrialResult r = empty_trial();
      r.slos[0].attainment = 1.0 + 0.002 * std::log(rng.uniform_open0());
      attain.push_back(r);
    }
    for (std::uint64_t t = 0; t < 200; ++t) {
      sim::Rng rng = rng_of(t, "budget");
      models::TrialResult r = empty_trial();
      r.slos[0].budget_consumed = -0.5 * std::log(rng.uniform_open0());
      budget.push_back(r);
    }
    for (std::uint64_t t = 0; t < 500; ++t) {
      sim::Rng rng = rng_of(t, "rare");
      models::TrialResult r = empty_trial();
      r.slos[0].met = !rng.bernoulli(0.01);
      rare.push_back(r);
    }
    c_attain.add(analysis::summarize(m, attain, kConfidence).slos[0].attainment.contains(0.998));
    c_budget.add(analysis::summarize(m, budget, kConfidence).slos[0].budget_consumed.contains(0.5));
    c_rare.add(analysis::summarize(m, rare, kConfidence).slos[0].p_not_met.contains(0.01));
    // A pooled proportion by trial: 10 incidents per trial, P(human) 0.2 or 0.6.
    std::vector<models::TrialResult> prop;
    for (std::uint64_t t = 0; t < 40; ++t) {
      sim::Rng rng = rng_of(t, "human");
      models::TrialResult r = empty_trial();
      const double p = rng.bernoulli(0.5) ? 0.2 : 0.6;
      for (std::uint32_t k = 0; k < 10; ++k) {
        models::IncidentRow i;
        i.id = k;
        i.severity = 3;
        i.start = sim::Duration::hours(1);
        i.resolved = i.start + sim::Duration::minutes(10);
        i.human_needed = rng.bernoulli(p);
        r.incidents.push_back(i);
      }
      prop.push_back(std::move(r));
    }
    c_prop.add(analysis::summarize(m, prop, kConfidence).incidents[0].p_human_needed.contains(0.4));
    // The same proportion through the incident extras' streamed accumulator
    // (night pages by trial: each trial's pages are at night w.p. 0.2 or 0.6).
    analysis::IncidentSummaryAccumulator extras(m, kConfidence);
    for (std::uint64_t t = 0; t < 40; ++t) {
      sim::Rng rng = rng_of(t, "night");
      models::TrialResult r = empty_trial();
      const double p = rng.bernoulli(0.5) ? 0.2 : 0.6;
      r.teams[0].pages = 10;
      r.teams[0].shifts = 4.0;
      for (int k = 0; k < 10; ++k) r.teams[0].pages_at_night += rng.bernoulli(p) ? 1 : 0;
      extras.add(r);
    }
    c_extras.add(extras.finish().teams[0].night_fraction.contains(0.4));
  }
  report("pages per trial, sparse (quasi-Poisson Garwood)", c_sparse);
  report_band("pages per trial, overdispersed (quasi-Poisson Garwood)", c_over);
  report_band("attainment (logit t)", c_attain);
  report_band("budget consumed (log t)", c_budget);
  report_band("P(not met) = 1 % (Wilson)", c_rare);
  report_band("P(humans needed) (Wilson, effective n by trial)", c_prop);
  report_band("night pages share (Wilson, effective n by trial)", c_extras);
}

}  // namespace
