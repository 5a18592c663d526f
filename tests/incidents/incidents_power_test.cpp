// `relsim incidents power` (issue 12): Davidovič's resampling against
// independent computations. With a normal of known σ the 90 % interval of a
// difference of two means of N is ±1.645·σ·√(2/N); with a lognormal of
// stated parameters the resampled figures agree, within their Monte Carlo
// error, with a separate simulation written here with the standard
// library's generator (not relsim's streams or distributions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "analysis/incident_power.hpp"
#include "sim/distribution.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

TEST(IncidentPower, NormalHalfWidthIsTheClosedForm) {
  PowerSettings st;
  st.incidents = 100;
  st.repeats = 20'000;
  st.improvement = 0.10;
  st.threshold = 300;
  const double sigma = 1200;
  const auto r = incident_power(sim::Distribution::normal(3600, sigma), st);
  const double expected = 1.6448536269514722 * sigma * std::sqrt(2.0 / 100.0);  // 279.1 s
  const auto& mean = r.statistics[0];
  // The 5 % and 95 % quantiles of 20 000 differences: standard error of each
  // ≈ √(0.05·0.95/20000)/φ(1.645) · σ√(2/N) ≈ 0.015 · 170 s = 2.5 s.
  EXPECT_NEAR((mean.diff_high - mean.diff_low) / 2.0, expected, 4 * 2.5);
  EXPECT_NEAR(mean.diff_high + mean.diff_low, 0.0, 4 * 2.5 * std::sqrt(2.0));
  EXPECT_NEAR(r.analytic.half_width90, expected, 1e-9);
  // P(no change looks ≥ 5 min better) = 1 − Φ(300 / 169.7) = 0.0385.
  EXPECT_NEAR(mean.p_false_improvement,
              0.5 * std::erfc(300.0 / (sigma * std::sqrt(0.02)) / std::sqrt(2.0)),
              4 * std::sqrt(0.0385 * 0.9615 / 20000));
  // A real 10 % (360 s): P(hidden) = Φ(−360 / (σ√((1 + 0.81)/100))) = 0.0037.
  const double sd_alt = sigma * std::sqrt(1.81 / 100.0);
  const double hidden = 0.5 * std::erfc(360.0 / sd_alt / std::sqrt(2.0));
  EXPECT_NEAR(mean.p_improvement_hidden, hidden,
              4 * std::sqrt(hidden * (1 - hidden) / 20000) + 1e-4);
  EXPECT_NEAR(r.analytic.p_improvement_hidden, hidden, 1e-12);
  // N needed for 80 % power ≈ ((1.645·√2 + 0.8416·√1.81)·σ / 360)² = 132.9.
  EXPECT_NEAR(r.analytic.incidents_needed, 132.9, 0.5);
  EXPECT_NEAR(static_cast<double>(mean.incidents_needed), 132.9, 20.0);
}

struct Independent {
  double p_hidden_mean = 0, p_hidden_median = 0, p_false_mean = 0;
  double low_mean = 0, high_mean = 0;
};

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// The same experiment with std::mt19937_64 and std::lognormal_distribution.
Independent independent(double mu, double sigma, std::size_t n, std::size_t repeats, double x,
                        double y) {
  std::mt19937_64 gen(20210601);
  std::lognormal_distribution<double> d(mu, sigma);
  std::vector<double> a(n), b(n), nulls;
  Independent r;
  for (std::size_t k = 0; k < repeats; ++k) {
    double sa = 0, sb = 0;
    for (double& v : a) sa += (v = d(gen));
    for (double& v : b) sb += (v = d(gen));
    sa /= static_cast<double>(n);
    sb /= static_cast<double>(n);
    r.p_hidden_mean += sa - (1 - x) * sb <= 0 ? 1 : 0;
    r.p_false_mean += sa - sb >= y ? 1 : 0;
    r.p_hidden_median += median_of(a) - (1 - x) * median_of(b) <= 0 ? 1 : 0;
    nulls.push_back(sa - sb);
  }
  const double R = static_cast<double>(repeats);
  r.p_hidden_mean /= R;
  r.p_hidden_median /= R;
  r.p_false_mean /= R;
  std::sort(nulls.begin(), nulls.end());
  r.low_mean = nulls[static_cast<std::size_t>(0.05 * (R - 1))];
  r.high_mean = nulls[static_cast<std::size_t>(0.95 * (R - 1))];
  return r;
}

TEST(IncidentPower, LognormalAgreesWithAnIndependentSimulation) {
  // Davidovič's shape: median 30 min, sigma 1.2 (p90 ≈ 2.3 h).
  const double mu = std::log(1800.0), sigma = 1.2;
  PowerSettings st;
  st.incidents = 200;
  st.repeats = 20'000;
  st.improvement = 0.10;
  st.threshold = 300;
  st.search_needed = false;
  const auto r = incident_power(sim::Distribution::lognormal(mu, sigma), st);
  const Independent ind = independent(mu, sigma, 200, 20'000, 0.10, 300);
  auto se = [](double p) { return std::sqrt(2 * p * (1 - p) / 20000.0); };  // both estimates
  EXPECT_NEAR(r.statistics[0].p_improvement_hidden, ind.p_hidden_mean, 4 * se(ind.p_hidden_mean));
  EXPECT_NEAR(r.statistics[1].p_improvement_hidden, ind.p_hidden_median,
              4 * se(ind.p_hidden_median));
  EXPECT_NEAR(r.statistics[0].p_false_improvement, ind.p_false_mean, 4 * se(ind.p_false_mean));
  // The interval ends: sd of the null difference σ_d = sd·√(2/N); each 5 %
  // quantile has a standard error near 0.015·σ_d (more in a skewed tail).
  const double sd = std::sqrt((std::exp(sigma * sigma) - 1) * std::exp(2 * mu + sigma * sigma));
  const double sd_diff = sd * std::sqrt(2.0 / 200);
  EXPECT_NEAR(r.statistics[0].diff_low, ind.low_mean, 4 * 0.025 * sd_diff);
  EXPECT_NEAR(r.statistics[0].diff_high, ind.high_mean, 4 * 0.025 * sd_diff);
  // Heavy tails: a real 10 % improvement is hidden often; the median hides it less.
  EXPECT_GT(r.statistics[0].p_improvement_hidden, 0.15);
  EXPECT_LT(r.statistics[1].p_improvement_hidden, r.statistics[0].p_improvement_hidden);
}

TEST(IncidentPower, CommandPrintsResampledAndAnalyticFigures) {
  const auto r = test::relsim(
      "incidents power --normal 60m,20m --improvement 10% --incidents 100 "
      "--repeats 2000 --threshold 5m");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("analytic"), std::string::npos) << r.out;
  // ±1.645·20·√(2/100) = ±4.65 minutes.
  EXPECT_NE(r.out.find("±4.65"), std::string::npos) << r.out;
  const auto f = test::relsim(std::string("incidents power ") + RELSIM_SOURCE_DIR +
                              "/scenarios/incidents/incidents.csv --column ttr --incidents 100 "
                              "--repeats 1000 --improvement 30%");
  EXPECT_EQ(f.code, 0) << f.out;
}

}  // namespace
}  // namespace relsim::analysis
