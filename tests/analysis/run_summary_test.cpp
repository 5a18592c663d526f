// The run summary on synthetic trial results with answers known by hand:
// Wilson and t intervals, the order-statistic interval of a quantile against
// its exact binomial definition, tiers, the remaining-budget envelope.
#include "analysis/run_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace {

using relsim::analysis::quantile_interval;
using relsim::analysis::summarize;
using relsim::models::BudgetAction;
using relsim::models::CompiledModel;
using relsim::models::SloTrialResult;
using relsim::models::TrialResult;
using relsim::sim::Duration;

/// One service, one 99.9 % availability SLO over a rolling 30 d window, the
/// default four-tier budget policy, a 30 d horizon.
CompiledModel one_slo_model(double objective = 0.999) {
  CompiledModel m;
  m.horizon = Duration::days(30);
  m.services.resize(1);
  m.slos.resize(1);
  m.slos[0].objective = objective;
  m.slos[0].window = Duration::days(30);
  m.budget_policy = {{0.50, BudgetAction::ship},
                     {0.25, BudgetAction::freeze},
                     {0.0, BudgetAction::all_hands},
                     {std::nullopt, BudgetAction::leadership_review}};
  return m;
}

TrialResult trial(double attainment, bool met, double consumed = 0.0) {
  TrialResult r;
  SloTrialResult s;
  s.attainment = attainment;
  s.met = met;
  s.budget_consumed = consumed;
  s.tier_reached.assign(4, std::nullopt);
  s.tier_reached[0] = Duration::zero();
  s.remaining_budget = {1.0f, 1.0f};
  r.slos.push_back(s);
  r.services.push_back({attainment * 1000.0, 1000.0});
  r.events = 10;
  return r;
}

/// P(B <= k) for B ~ Binomial(n, p), summed term by term in long double from
/// lgamma: the definition, independent of the implementation under test.
long double binomial_cdf_reference(int k, int n, long double p) {
  long double sum = 0.0L;
  for (int i = 0; i <= k; ++i) {
    sum += std::exp(std::lgamma(n + 1.0L) - std::lgamma(i + 1.0L) - std::lgamma(n - i + 1.0L) +
                    i * std::log(p) + (n - i) * std::log1p(-p));
  }
  return sum;
}

TEST(RunSummary, ProbabilityMetIsWilsonForSevenOfTen) {
  std::vector<TrialResult> results;
  for (int i = 0; i < 10; ++i) results.push_back(trial(0.999, i < 7));
  const auto s = summarize(one_slo_model(), results, 0.95);
  ASSERT_EQ(s.slos.size(), 1u);
  EXPECT_EQ(s.slos[0].met, 7u);
  EXPECT_DOUBLE_EQ(s.slos[0].p_met.estimate, 0.7);
  // Wilson by hand: p = 0.7, n = 10, z = 1.959964:
  // (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
  EXPECT_NEAR(s.slos[0].p_met.low, 0.396778147, 1e-8);
  EXPECT_NEAR(s.slos[0].p_met.high, 0.892208733, 1e-8);
}

TEST(RunSummary, MeanAttainmentHasALogitScaleTInterval) {
  const std::vector<double> att = {0.9991, 0.9995, 0.9987, 0.9999, 0.9993,
                                   0.9990, 0.9996, 0.9984, 0.9998, 0.9992};
  std::vector<TrialResult> results;
  for (const double a : att) results.push_back(trial(a, a >= 0.999));
  const auto s = summarize(one_slo_model(), results, 0.95);
  // mean 0.99925, sample sd 4.7667e-4, t(0.975, 9) = 2.2621572; on the logit
  // scale logit(m) ± t · (sd/√10) / (m(1 − m)), back-transformed (the plain t
  // interval was [0.9989106764, 0.9995893236]).
  EXPECT_NEAR(s.slos[0].attainment.estimate, 0.99925, 1e-12);
  EXPECT_NEAR(s.slos[0].attainment.low, 0.9988210084, 1e-9);
  EXPECT_NEAR(s.slos[0].attainment.high, 0.9995229719, 1e-9);
  // Service availability is the mean of good/total: the same numbers here.
  ASSERT_EQ(s.services.size(), 1u);
  EXPECT_NEAR(s.services[0].availability.low, 0.9988210084, 1e-9);
  EXPECT_EQ(s.trials, 10u);
  EXPECT_EQ(s.events, 100u);
  EXPECT_DOUBLE_EQ(s.events_per_trial, 10.0);
}

TEST(QuantileInterval, MatchesExactBinomialDefinitionForP95OfHundred) {
  std::vector<double> sorted(100);
  std::iota(sorted.begin(), sorted.end(), 1.0);  // x_(i) = i
  const auto q = quantile_interval(sorted, 0.95, 0.95);
  // l: the smallest k with F(k) >= 0.025; u − 1: the smallest k with F(k) >= 0.975.
  int l = 0;
  while (binomial_cdf_reference(l, 100, 0.95L) < 0.025L) ++l;
  int u = l;
  while (binomial_cdf_reference(u, 100, 0.95L) < 0.975L) ++u;
  ++u;
  EXPECT_EQ(l, 90);   // F(89) = 0.01147 < 0.025 <= F(90) = 0.02819
  EXPECT_EQ(u, 100);  // F(98) = 0.96292 < 0.975 <= F(99) = 0.99408
  EXPECT_EQ(q.lower_rank, static_cast<std::uint64_t>(l));
  EXPECT_EQ(q.upper_rank, static_cast<std::uint64_t>(u));
  EXPECT_DOUBLE_EQ(q.low, 90.0);
  EXPECT_DOUBLE_EQ(q.high, 100.0);
  EXPECT_DOUBLE_EQ(q.estimate, 95.0);  // x_(⌈100 · 0.95⌉)
  const long double coverage =
      binomial_cdf_reference(u - 1, 100, 0.95L) - binomial_cdf_reference(l - 1, 100, 0.95L);
  EXPECT_NEAR(q.coverage, static_cast<double>(coverage), 1e-12);
  EXPECT_NEAR(q.coverage, 0.9826070607, 1e-9);
  EXPECT_GE(q.coverage, 0.95);
}

TEST(QuantileInterval, UpperEndIsUnboundedBelowSeventyTwoDraws) {
  // 0.95^n > 0.025 for n <= 71: the largest draw is not yet above the p95
  // with 97.5 % probability.
  std::vector<double> v(71, 1.0);
  const auto few = quantile_interval(v, 0.95, 0.95);
  EXPECT_EQ(few.upper_rank, 72u);
  EXPECT_TRUE(std::isinf(few.high));
  EXPECT_GE(few.coverage, 0.95);
  v.push_back(1.0);
  const auto enough = quantile_interval(v, 0.95, 0.95);
  EXPECT_EQ(enough.upper_rank, 72u);
  EXPECT_DOUBLE_EQ(enough.high, 1.0);
}

TEST(QuantileInterval, CoverageIsAtLeastConfidenceForManySizes) {
  for (std::size_t n : {1u, 5u, 20u, 100u, 1000u, 20000u}) {
    std::vector<double> v(n);
    std::iota(v.begin(), v.end(), 0.0);
    for (double p : {0.05, 0.5, 0.95, 0.99}) {
      const auto q = quantile_interval(v, p, 0.9);
      EXPECT_GE(q.coverage, 0.9 - 1e-12) << "n=" << n << " p=" << p;
      EXPECT_LE(q.lower_rank, q.upper_rank);
    }
  }
}

TEST(QuantileInterval, RejectsProbabilitiesOutsideTheOpenInterval) {
  const std::vector<double> v = {1.0, 2.0};
  EXPECT_THROW(quantile_interval(v, 0.0, 0.95), std::invalid_argument);
  EXPECT_THROW(quantile_interval(v, 0.95, 1.0), std::invalid_argument);
}

TEST(BinomialCdf, MatchesExactSmallCase) {
  // P(B <= 2) for B ~ Binomial(5, 0.3) = 0.16807 + 0.36015 + 0.3087.
  EXPECT_NEAR(relsim::analysis::binomial_cdf(2, 5, 0.3), 0.83692, 1e-12);
  EXPECT_EQ(relsim::analysis::binomial_quantile(0.5, 5, 0.3), 1u);  // F(1) = 0.52822
  EXPECT_DOUBLE_EQ(relsim::analysis::binomial_cdf(5, 5, 0.3), 1.0);
}

TEST(RunSummary, BudgetConsumedMeanAndP95) {
  std::vector<TrialResult> results;
  for (int i = 1; i <= 100; ++i) results.push_back(trial(0.999, true, i / 100.0));
  const auto s = summarize(one_slo_model(), results, 0.95);
  EXPECT_NEAR(s.slos[0].budget_consumed.estimate, 0.505, 1e-12);
  EXPECT_DOUBLE_EQ(s.slos[0].budget_consumed_p95.estimate, 0.95);
  EXPECT_DOUBLE_EQ(s.slos[0].budget_consumed_p95.low, 0.90);
  EXPECT_DOUBLE_EQ(s.slos[0].budget_consumed_p95.high, 1.00);
}

TEST(RunSummary, BudgetMinutesAllowedFollowObjectiveAndWindow) {
  const auto s = summarize(one_slo_model(0.9999), {trial(1.0, true)}, 0.95);
  EXPECT_NEAR(s.slos[0].budget_minutes_allowed, 4.32, 1e-9);  // 0.01 % of 30 d
  EXPECT_EQ(s.slos[0].window.start, Duration::zero());
  EXPECT_EQ(s.slos[0].window.length, Duration::days(30));

  auto week = one_slo_model(0.999);  // a 7 d trial of a 30 d rolling SLO: the whole trial
  week.horizon = Duration::days(7);
  const auto w = summarize(week, {trial(1.0, true)}, 0.95);
  EXPECT_EQ(w.slos[0].window.length, Duration::days(7));
  EXPECT_NEAR(w.slos[0].budget_minutes_allowed, 10.08, 1e-9);
  EXPECT_EQ(w.slos[0].remaining_budget.step, Duration::hours(1));
}

TEST(RunSummary, TierProbabilitiesAndMeanTimeFirstReached) {
  std::vector<TrialResult> results;
  for (int i = 0; i < 10; ++i) {
    auto r = trial(0.998, false, 0.8);
    if (i < 4) r.slos[0].tier_reached[1] = Duration::days(10 + i);  // freeze on days 10..13
    if (i < 1) r.slos[0].tier_reached[2] = Duration::days(20);
    results.push_back(r);
  }
  const auto s = summarize(one_slo_model(), results, 0.95);
  const auto& tiers = s.slos[0].tiers;
  ASSERT_EQ(tiers.size(), 4u);
  EXPECT_EQ(tiers[0].action, BudgetAction::ship);
  EXPECT_EQ(tiers[0].reached, 10u);
  EXPECT_EQ(tiers[1].action, BudgetAction::freeze);
  EXPECT_EQ(tiers[1].reached, 4u);
  EXPECT_DOUBLE_EQ(tiers[1].probability.estimate, 0.4);
  EXPECT_NEAR(tiers[1].first_reached_seconds.estimate, 11.5 * 86400.0, 1e-6);
  EXPECT_EQ(tiers[2].reached, 1u);
  EXPECT_DOUBLE_EQ(tiers[2].first_reached_seconds.estimate, 20.0 * 86400.0);
  EXPECT_TRUE(std::isnan(tiers[2].first_reached_seconds.high));  // one observation: no interval
  EXPECT_EQ(tiers[3].reached, 0u);
  EXPECT_TRUE(std::isnan(tiers[3].first_reached_seconds.estimate));
  EXPECT_DOUBLE_EQ(tiers[3].probability.low, 0.0);
}

TEST(RunSummary, RemainingBudgetEnvelopeIsPerSampleQuantiles) {
  std::vector<TrialResult> results;
  for (int i = 1; i <= 20; ++i) {  // sample 1 of trial i: 1 − i/20
    auto r = trial(0.999, true);
    r.slos[0].remaining_budget = {1.0f, 1.0f - static_cast<float>(i) / 20.0f};
    results.push_back(r);
  }
  const auto s = summarize(one_slo_model(), results, 0.95);
  const auto& series = s.slos[0].remaining_budget;
  ASSERT_EQ(series.mean.size(), 2u);
  EXPECT_DOUBLE_EQ(series.mean[0], 1.0);
  EXPECT_DOUBLE_EQ(series.p05[0], 1.0);
  EXPECT_NEAR(series.mean[1], 1.0 - 10.5 / 20.0, 1e-6);
  EXPECT_NEAR(series.p05[1], 0.0, 1e-6);  // x_(1) of 0, 0.05, ..., 0.95
  EXPECT_NEAR(series.p95[1], 0.9, 1e-6);  // x_(19)
  EXPECT_EQ(series.start, Duration::zero());
  EXPECT_EQ(series.step, Duration::hours(1));  // max(1 h, 30 d / 720)
}

TEST(RunSummary, IsTheSameForResultsConcatenatedFromShards) {
  std::vector<TrialResult> all;
  for (int i = 0; i < 50; ++i) all.push_back(trial(0.999 + i * 1e-6, i % 3 != 0, i * 0.02));
  const auto whole = summarize(one_slo_model(), all, 0.9);
  const std::vector<TrialResult> first(all.begin(), all.begin() + 17);
  std::vector<TrialResult> merged = first;
  merged.insert(merged.end(), all.begin() + 17, all.end());
  const auto again = summarize(one_slo_model(), merged, 0.9);
  EXPECT_EQ(whole.slos[0].attainment.low, again.slos[0].attainment.low);
  EXPECT_EQ(whole.slos[0].budget_consumed.high, again.slos[0].budget_consumed.high);
  EXPECT_EQ(whole.slos[0].p_met.low, again.slos[0].p_met.low);
}

TEST(RunSummary, RejectsResultsOfAnotherShape) {
  auto r = trial(1.0, true);
  r.slos.push_back(r.slos[0]);
  EXPECT_THROW(summarize(one_slo_model(), {r}, 0.95), std::invalid_argument);
  auto t = trial(1.0, true);
  t.slos[0].tier_reached.resize(3);
  EXPECT_THROW(summarize(one_slo_model(), {t}, 0.95), std::invalid_argument);
}

TEST(RunSummary, EmptyRunHasNoEstimates) {
  const auto s = summarize(one_slo_model(), {}, 0.95);
  EXPECT_EQ(s.trials, 0u);
  EXPECT_TRUE(std::isnan(s.events_per_trial));
  EXPECT_TRUE(std::isnan(s.slos[0].attainment.estimate));
  EXPECT_TRUE(std::isnan(s.slos[0].budget_consumed_p95.estimate));
}

}  // namespace
