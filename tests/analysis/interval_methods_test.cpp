// The interval methods of docs/results.md (issue 19) on values worked out by
// hand: Garwood's Poisson interval against its table, the range of the log-
// and logit-scale intervals, the ratio estimator's by-trial variance, the
// effective-n Wilson interval, and QuantileSketch — exact order statistics up
// to 4,096 values, within its relative accuracy beyond, the by-trial interval
// equal to the order-statistic one when each trial has one value, wider when
// a trial's values move together, NaN below the minimum n — and the run
// summary's `n/a (n = 3)` figures and escalation counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/quantile_sketch.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/summary_figures.hpp"
#include "sim/random.hpp"

namespace {

using namespace relsim;
using analysis::Interval;
using analysis::MeanAccumulator;
using analysis::QuantileSketch;
using analysis::RatioAccumulator;

/// Two quantile intervals equal bit for bit: estimate, ends and ranks.
void expect_same(const analysis::QuantileInterval& a, const analysis::QuantileInterval& b) {
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.lower_rank, b.lower_rank);
  EXPECT_EQ(a.upper_rank, b.upper_rank);
}

TEST(IntervalMethods, GarwoodMatchesThePoissonTable) {
  // 95 %: 0 → [0, 3.689], 3 → [0.6187, 8.7673], 10 → [4.7954, 18.3904].
  const Interval z = analysis::garwood_interval(0.0, 0.95);
  EXPECT_EQ(z.low, 0.0);
  EXPECT_NEAR(z.high, 3.6889, 1e-4);
  const Interval three = analysis::garwood_interval(3.0, 0.95);
  EXPECT_NEAR(three.low, 0.6187, 1e-4);
  EXPECT_NEAR(three.high, 8.7673, 1e-4);
  const Interval ten = analysis::garwood_interval(10.0, 0.95);
  EXPECT_NEAR(ten.low, 4.7954, 1e-4);
  EXPECT_NEAR(ten.high, 18.3904, 1e-4);
}

TEST(IntervalMethods, SparseCountsUseGarwoodAndNeverGoBelowZero) {
  MeanAccumulator acc;  // 3 events in 100 trials, one per trial: Poisson-like
  for (int i = 0; i < 100; ++i) acc.add(i == 10 || i == 50 || i == 90 ? 1.0 : 0.0);
  const Interval c = analysis::count_mean_interval(acc, 0.95);
  EXPECT_DOUBLE_EQ(c.estimate, 0.03);
  EXPECT_NEAR(c.low, 0.006187, 1e-6);  // Garwood(3) / 100 (φ = s²/m < 1 is floored at 1)
  EXPECT_NEAR(c.high, 0.087673, 1e-6);
  EXPECT_LT(acc.interval(0.95).low, 0.0);  // what the t interval said
  MeanAccumulator none;
  for (int i = 0; i < 50; ++i) none.add(0.0);
  const Interval n = analysis::count_mean_interval(none, 0.95);
  EXPECT_EQ(n.low, 0.0);
  EXPECT_NEAR(n.high, 3.6889 / 50, 1e-5);
  // Overdispersed counts (0 or 10): wider than Garwood of the plain total.
  MeanAccumulator bursty;
  for (int i = 0; i < 40; ++i) bursty.add(i % 4 == 0 ? 10.0 : 0.0);
  const Interval b = analysis::count_mean_interval(bursty, 0.95);
  const Interval plain = analysis::garwood_interval(100.0, 0.95);
  EXPECT_GT(b.high - b.low, (plain.high - plain.low) / 40 * 2.0);
  EXPECT_GE(b.low, 0.0);
}

TEST(IntervalMethods, LogAndLogitScalesStayInRange) {
  // Budget consumed: mostly 0 with one huge month (the 2043 % [−1006, 5091]).
  MeanAccumulator budget;
  for (int i = 0; i < 19; ++i) budget.add(0.02);
  budget.add(400.0);
  const Interval t = budget.interval(0.99);
  EXPECT_LT(t.low, 0.0);
  const Interval l = analysis::log_scale_mean_interval(budget, 0.99);
  EXPECT_DOUBLE_EQ(l.estimate, t.estimate);
  EXPECT_GT(l.low, 0.0);
  EXPECT_GT(l.high, t.high);  // the skew is on the right
  // Attainment near 1 (99.796 % [99.491, 100.101] with the t interval).
  MeanAccumulator att;
  for (int i = 0; i < 20; ++i) att.add(i == 3 ? 0.96 : 0.99995);
  EXPECT_GT(att.interval(0.99).high, 1.0);
  const Interval g = analysis::logit_mean_interval(att, 0.99);
  EXPECT_DOUBLE_EQ(g.estimate, att.mean());
  EXPECT_GT(g.low, 0.0);
  EXPECT_LT(g.high, 1.0);
  EXPECT_LT(g.low, g.estimate);
  // All equal: the point; one trial: no interval.
  MeanAccumulator same;
  same.add(0.5);
  EXPECT_TRUE(std::isnan(analysis::logit_mean_interval(same, 0.95).low));
  same.add(0.5);
  EXPECT_EQ(analysis::logit_mean_interval(same, 0.95).low, 0.5);
}

TEST(IntervalMethods, RatioVarianceIsTheDeltaMethodOverTrials) {
  // Trials (y, n): (10, 1), (50, 2), (0, 0), (90, 3), (30, 2).
  RatioAccumulator r;
  const double y[] = {10, 50, 0, 90, 30};
  const std::uint64_t n[] = {1, 2, 0, 3, 2};
  for (int i = 0; i < 5; ++i) r.add(y[i], n[i]);
  const double R = 180.0 / 8.0;
  double ss = 0.0;
  for (int i = 0; i < 5; ++i) ss += std::pow(y[i] - R * static_cast<double>(n[i]), 2);
  EXPECT_DOUBLE_EQ(r.ratio(), R);
  EXPECT_NEAR(r.ratio_variance(), ss * 5.0 / (4.0 * 64.0), 1e-12);
  EXPECT_EQ(r.observations(), 8u);
  EXPECT_EQ(r.trials_with_data(), 4u);
  // 8 observations in 4 trials: below the minimum (10 in 5).
  EXPECT_TRUE(std::isnan(r.positive_interval(0.95).low));
}

TEST(IntervalMethods, EffectiveWilsonIsWilsonWithoutClustering) {
  const Interval w = analysis::wilson_interval(30, 100, 0.95);
  const Interval e = analysis::wilson_effective(0.3, 100.0, 0.95);
  EXPECT_NEAR(e.low, w.low, 1e-12);
  EXPECT_NEAR(e.high, w.high, 1e-12);
  // One incident per trial: deff = 1, the plain Wilson interval.
  RatioAccumulator one;
  for (int i = 0; i < 100; ++i) one.add(i < 30 ? 1.0 : 0.0, 1);
  const Interval p = one.proportion_interval(0.95);
  EXPECT_NEAR(p.low, w.low, 1e-6);
  EXPECT_NEAR(p.high, w.high, 1e-6);
  // All of a trial's incidents alike: 10 per trial, 30 trials all-yes, 70 all-no.
  RatioAccumulator alike;
  for (int i = 0; i < 100; ++i) alike.add(i < 30 ? 10.0 : 0.0, 10);
  const Interval a = alike.proportion_interval(0.95);
  EXPECT_DOUBLE_EQ(a.estimate, 0.3);
  EXPECT_NEAR(a.high - a.low, w.high - w.low, 0.01);  // 1,000 incidents count as 100
  // None at all: [0, Wilson's upper end], not [0, 0].
  RatioAccumulator zero;
  for (int i = 0; i < 20; ++i) zero.add(0.0, 5);
  EXPECT_GT(zero.proportion_interval(0.95).high, 0.0);
}

TEST(QuantileSketch, ExactOrderStatisticsUpTo4096Values) {
  sim::Rng rng(7, 1);
  QuantileSketch q;
  std::vector<double> all;
  for (int i = 0; i < 3000; ++i) {
    all.push_back(-600.0 * std::log(rng.uniform_open0()));
    q.add(all.back());
  }
  std::sort(all.begin(), all.end());
  ASSERT_TRUE(q.exact());
  for (const double p : {0.5, 0.9, 0.95}) {
    const auto a = q.iid_interval(p, 0.95, -INFINITY);
    const auto b = analysis::quantile_interval(all, p, 0.95);
    expect_same(a, b);
  }
}

TEST(QuantileSketch, HistogramWithinItsAccuracyAndFoldedIntoTheInterval) {
  sim::Rng rng(8, 1);
  QuantileSketch q;
  std::vector<double> all;
  for (int i = 0; i < 50000; ++i) {
    all.push_back(-600.0 * std::log(rng.uniform_open0()));
    q.add(all.back());
  }
  std::sort(all.begin(), all.end());
  ASSERT_FALSE(q.exact());
  for (const double p : {0.5, 0.9, 0.95}) {
    const auto a = q.iid_interval(p, 0.95, -INFINITY);
    const auto b = analysis::quantile_interval(all, p, 0.95);
    EXPECT_NEAR(a.estimate, b.estimate, b.estimate * QuantileSketch::kAlpha);
    EXPECT_LE(a.low, b.low);  // the bucket's outer edges
    EXPECT_GE(a.high, b.high);
    EXPECT_LE(a.high - a.low, (b.high - b.low) + 2.5 * QuantileSketch::kAlpha * b.high * 2);
  }
}

TEST(QuantileSketch, ByTrialIntervalWidensWhenATrialsValuesMoveTogether) {
  sim::Rng rng(9, 1);
  QuantileSketch single, alike;
  std::vector<double> trial;
  for (int t = 0; t < 400; ++t) {
    const double x = -600.0 * std::log(rng.uniform_open0());
    single.add_trial(std::span<double>(&trial.emplace_back(x), 1));
    trial.clear();
    const double u = rng.bernoulli(0.5) ? 0.5 : 1.5;
    for (int k = 0; k < 10; ++k) trial.push_back(-600.0 * u * std::log(rng.uniform_open0()));
    alike.add_trial(trial);
    trial.clear();
  }
  // One value per trial: exactly the order-statistic interval.
  const auto c = single.clustered_interval(0.9, 0.95, 0.0);
  const auto i = single.iid_interval(0.9, 0.95, 0.0);
  EXPECT_EQ(c.low, i.low);
  EXPECT_EQ(c.high, i.high);
  // Ten alike values per trial: wider than if the 4,000 were independent.
  const auto w = alike.clustered_interval(0.5, 0.95, 0.0);
  const auto n = alike.iid_interval(0.5, 0.95, 0.0);
  EXPECT_LT(w.lower_rank, n.lower_rank);
  EXPECT_GT(w.upper_rank, n.upper_rank);
  EXPECT_EQ(w.estimate, n.estimate);
}

TEST(QuantileSketch, NoIntervalBelowTheMinimumAndNeverBelowZero) {
  QuantileSketch q;
  std::vector<double> v{5.0, 7.0, 9.0};
  q.add_trial(v);
  const auto few = q.clustered_interval(0.5, 0.95, 0.0);
  EXPECT_EQ(few.estimate, 7.0);
  EXPECT_TRUE(std::isnan(few.low) && std::isnan(few.high));
  QuantileSketch many;
  for (int t = 0; t < 12; ++t) {
    std::vector<double> one{1.0 + t};
    many.add_trial(one);
  }
  const auto p = many.clustered_interval(0.05, 0.95, 0.0);
  EXPECT_EQ(p.low, 0.0);  // rank 0 is the range's floor, not −∞
}

TEST(QuantileSketch, KeyedValuesGiveTheSameSketch) {
  // Keys computed once by the caller (as the incident summaries do) give
  // exactly the sketch of plain values: negative, zero and positive values,
  // trials of 0 to 6 values, past the exact range.
  sim::Rng rng(10, 1);
  QuantileSketch plain, keyed;
  std::vector<double> values;
  std::vector<QuantileSketch::Keyed> pairs;
  for (int t = 0; t < 3000; ++t) {
    values.clear();
    pairs.clear();
    const int n = static_cast<int>(rng.uniform_open0() * 7.0);
    for (int k = 0; k < n; ++k) {
      const double u = rng.uniform_open0();
      const double x = u < 0.05 ? 0.0 : u < 0.15 ? 40.0 * std::log(u) : -600.0 * std::log(u);
      values.push_back(x);
      pairs.push_back({x, QuantileSketch::key_of(x)});
    }
    plain.add_trial(values);
    keyed.add_trial(pairs);
  }
  ASSERT_FALSE(plain.exact());
  EXPECT_EQ(plain.count(), keyed.count());
  for (const double p : {0.05, 0.1, 0.5, 0.9, 0.95}) {
    const auto a = plain.clustered_interval(p, 0.95, -INFINITY);
    const auto b = keyed.clustered_interval(p, 0.95, -INFINITY);
    expect_same(a, b);
  }
}

TEST(QuantileSketch, ExactSketchKeepsNoPagesAndItsByTrialRanksAreTheBuckets) {
  // While exact, the by-trial sums come from the held trials, not from
  // pages: the ranks are those of the definition (aᵢ(b) = trial i's values
  // in buckets up to the estimate's bucket b), computed here by brute force.
  sim::Rng rng(13, 1);
  QuantileSketch q;
  std::vector<std::vector<double>> trials;
  std::size_t n = 0;
  while (n < 4000) {
    std::vector<double>& t = trials.emplace_back();
    const int k = static_cast<int>(rng.uniform_open0() * 9.0);
    const double u = rng.bernoulli(0.5) ? 0.5 : 2.0;
    for (int j = 0; j < k; ++j) t.push_back(-600.0 * u * std::log(rng.uniform_open0()));
    q.add_trial(t);
    n += t.size();
  }
  ASSERT_TRUE(q.exact());
  EXPECT_LT(q.heap_bytes(), n * (sizeof(double) + 2 * sizeof(std::int32_t)) * 2 + 4096);
  std::vector<std::int32_t> keys;
  for (const auto& t : trials) {
    for (const double x : t) keys.push_back(QuantileSketch::key_of(x));
  }
  std::sort(keys.begin(), keys.end());
  for (const double p : {0.05, 0.5, 0.9, 0.95}) {
    const auto rank = static_cast<std::size_t>(std::ceil(static_cast<double>(n) * p));
    const std::int32_t b = keys[rank - 1];
    long double sq = 0, an = 0, nn = 0;
    for (const auto& t : trials) {
      long double a = 0;
      for (const double x : t) a += QuantileSketch::key_of(x) <= b ? 1 : 0;
      sq += a * a;
      an += a * static_cast<long double>(t.size());
      nn += static_cast<long double>(t.size() * t.size());
    }
    const double nd = static_cast<double>(n);
    const double ss =
        static_cast<double>(sq - 2.0L * p * an + static_cast<long double>(p) * p * nn);
    const double binomial = nd * p * (1.0 - p);
    const double deff = ss > binomial * (1.0 + 1e-9) ? ss / binomial : 1.0;
    const auto m = static_cast<std::uint64_t>(std::floor(nd / deff));
    const auto r = analysis::order_statistic_ranks(m, p, 0.95);
    const auto c = q.clustered_interval(p, 0.95, 0.0);
    EXPECT_EQ(c.coverage, r.coverage) << p;
    EXPECT_EQ(c.lower_rank,
              std::min<std::uint64_t>(rank, static_cast<std::uint64_t>(
                                                std::floor(static_cast<double>(r.lower) * nd / m))))
        << p;
    EXPECT_GT(c.upper_rank, rank) << p;
  }
  // Past kExactValues the pages take over with the same counts.
  std::vector<double> more(200, 300.0);
  q.add_trial(more);
  EXPECT_FALSE(q.exact());
  EXPECT_EQ(q.count(), n + 200);
}

TEST(QuantileSketch, HistogramOrderAcrossSignsAndFarValues) {
  // Values from −1e9 to 1e12 (buckets on pages far apart, zero in between):
  // every estimate within α of the exact order statistic.
  sim::Rng rng(11, 1);
  QuantileSketch q;
  std::vector<double> all;
  for (int i = 0; i < 20000; ++i) {
    const double u = rng.uniform_open0();
    const double x = i % 1000 == 0 ? 1e12 * u
                     : i % 7 == 0  ? -1e9 * u
                     : i % 11 == 0 ? 0.0
                                   : -600.0 * std::log(u);
    all.push_back(x);
    q.add(x);
  }
  std::sort(all.begin(), all.end());
  for (const double p : {0.01, 0.1, 0.12, 0.2, 0.5, 0.9, 0.99, 0.9995}) {
    const auto a = q.iid_interval(p, 0.95, -INFINITY);
    const auto b = analysis::quantile_interval(all, p, 0.95);
    EXPECT_NEAR(a.estimate, b.estimate, std::fabs(b.estimate) * QuantileSketch::kAlpha) << p;
    EXPECT_LE(a.low, b.low) << p;
    EXPECT_GE(a.high, b.high) << p;
  }
}

TEST(QuantileSketch, MemoryHoldsThePagesValuesFellInNotTheGap) {
  // 50,000 durations of about 10 min and one of 30 days: the rare far value
  // costs one page, not the 7,000 empty buckets between; the exact values
  // are freed once there are more than kExactValues.
  sim::Rng rng(12, 1);
  QuantileSketch q;
  for (int i = 0; i < 50000; ++i) q.add(-600.0 * std::log(rng.uniform_open0()));
  const std::size_t body = q.heap_bytes();
  q.add(30.0 * 86400.0);
  EXPECT_LE(q.heap_bytes(), body + 1024 + 8 * 256);  // one page and a wider directory
  // The body: 600 s · [0.0001, 20] in buckets of 0.2 %: about 6,100 buckets
  // of 24 bytes, no exact values.
  EXPECT_LT(body, 200000u);
  QuantileSketch few;
  for (int i = 0; i < 100; ++i) few.add(60.0 + i);
  EXPECT_GE(few.heap_bytes(), 100 * sizeof(double));  // exact values held
  EXPECT_LT(few.heap_bytes(), 16384u);                // 100 values over 16 pages
}

/// A model shell for hand-built results: one SLO, service and team.
models::CompiledModel shell() {
  models::CompiledModel m;
  m.horizon = sim::Duration::days(30);
  m.slos.resize(1);
  m.services.resize(1);
  m.services[0].component = 0;
  m.services[0].owner = 0;
  m.names.components = {"web"};
  m.names.slos = {"web-availability"};
  m.names.teams = {"ops", "dba"};
  m.teams.resize(2);
  m.budget_policy = {{std::nullopt, models::BudgetAction::ship}};
  return m;
}

models::TrialResult trial_with(std::vector<models::IncidentRow> incidents) {
  models::TrialResult r;
  models::SloTrialResult s;
  s.tier_reached.assign(1, sim::Duration::zero());
  r.slos.push_back(s);
  r.services.push_back({1.0, 1.0});
  r.teams.resize(2);
  r.incidents = std::move(incidents);
  return r;
}

models::IncidentRow paged(std::uint16_t escalations, std::uint32_t team) {
  models::IncidentRow i;
  i.severity = 2;
  i.start = sim::Duration::minutes(1);
  i.detected = sim::Duration::minutes(2);
  i.paged = sim::Duration::minutes(2);
  i.acked = sim::Duration::minutes(10);
  i.mitigated = sim::Duration::minutes(20);
  i.resolved = sim::Duration::minutes(30);
  i.escalations = escalations;
  i.team = team;
  return i;
}

TEST(RunSummaryIntervals, EscalationFiguresCountPagedAndAckedIncidents) {
  const models::CompiledModel m = shell();
  std::vector<models::TrialResult> results;
  for (int t = 0; t < 10; ++t) {
    // Per trial: one unescalated, one escalated once to the secondary, and
    // every other trial one escalated twice and acked by the DBA team.
    std::vector<models::IncidentRow> rows{paged(0, 0), paged(1, 0)};
    if (t % 2 == 0) rows.push_back(paged(2, 1));
    results.push_back(trial_with(rows));
  }
  const auto s = analysis::summarize(m, results, 0.95);
  const auto& all = s.incidents[0];
  EXPECT_EQ(all.paged, 25u);
  EXPECT_EQ(all.acked, 25u);
  EXPECT_DOUBLE_EQ(all.p_escalated.estimate, 15.0 / 25.0);
  EXPECT_DOUBLE_EQ(all.escalations_per_incident.estimate, 20.0 / 25.0);
  EXPECT_DOUBLE_EQ(all.p_acked_after_escalation.estimate, 15.0 / 25.0);
  EXPECT_DOUBLE_EQ(all.p_other_team_acked.estimate, 5.0 / 25.0);
  for (const Interval* iv :
       {&all.p_escalated, &all.p_acked_after_escalation, &all.p_other_team_acked}) {
    EXPECT_GE(iv->low, 0.0);
    EXPECT_LE(iv->high, 1.0);
    EXPECT_LT(iv->low, iv->estimate);
  }
  const auto figures = analysis::summary_figures(m, s);
  const auto* f = analysis::find_figure(figures, "incidents.all.p_other_team_acked");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->method, "wilson_by_trial");
  EXPECT_EQ(f->n, 25u);
  ASSERT_NE(analysis::find_figure(figures, "p_slo_not_met"), nullptr);
  EXPECT_EQ(analysis::find_figure(figures, "p_slo_not_met")->figure,
            "slo.web-availability.p_not_met");
}

TEST(RunSummaryIntervals, FewIncidentsHaveNoInterval) {
  const models::CompiledModel m = shell();
  std::vector<models::TrialResult> results;
  results.push_back(trial_with({paged(0, 0), paged(0, 0)}));
  results.push_back(trial_with({paged(0, 0)}));
  results.push_back(trial_with({}));
  const auto s = analysis::summarize(m, results, 0.95);
  const auto& mttr = s.incidents[0].durations[0];
  EXPECT_EQ(mttr.n, 3u);
  EXPECT_DOUBLE_EQ(mttr.mean.estimate, 29.0 * 60.0);
  EXPECT_TRUE(std::isnan(mttr.mean.low));
  EXPECT_TRUE(std::isnan(mttr.p95.high));
  const auto extras = analysis::summarize_incidents(m, results, 0.95);
  const std::string text = analysis::format_incident_extras(extras);
  EXPECT_NE(text.find("n/a (n = 3)"), std::string::npos) << text;
}

}  // namespace
