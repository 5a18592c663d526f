// Statistical checks of every distribution against its closed forms (slow).
//
// For each kind, 200,000 draws with a fixed seed. The sample mean must lie in
// its own 99.9 % confidence interval around the exact mean (±3.29·s/√n), and
// the sample variance in its own interval around the exact variance, using
// the asymptotic variance of the sample variance, (m4 − s⁴)/n, with the
// sample fourth central moment m4. A Kolmogorov–Smirnov check compares
// quantile() with the draws at the 0.1 % critical value 1.95/√n.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/random.hpp"

namespace relsim::sim {
namespace {

constexpr std::size_t kDraws = 200'000;
constexpr double kZ999 = 3.29;        // two-sided 99.9 % normal quantile
constexpr double kKsCritical = 1.95;  // 0.1 % Kolmogorov critical value times √n

/// The distributions under test; the names key their random streams.
std::vector<Distribution> all_kinds() {
  return {
      Distribution::fixed(2.5),
      Distribution::uniform(1, 3),
      Distribution::exponential(2),
      Distribution::weibull(0.7, 10),
      Distribution::weibull(1.5, 100),
      Distribution::weibull(3, 1),
      Distribution::lognormal(3.8, 0.6),
      Distribution::lognormal_from_quantile(45, 0.99, 180),
      Distribution::gamma(2.5, 3),
      Distribution::gamma(0.5, 2),
      Distribution::gamma(40, 0.25),
      Distribution::erlang(3, 6),
      Distribution::normal(10, 2),
      Distribution::normal(-1, 0.1),
      Distribution::empirical({12, 3, 7, 7, 1, 30, 4.5}, false),
      Distribution::empirical({12, 3, 7, 7, 1, 30, 4.5}, true),
  };
}

/// `kDraws` draws of `d` from a stream named after it.
std::vector<double> draw(const Distribution& d) {
  Rng rng = Rng::for_stream(20'240'611, 0, stream_id("moments/" + d.describe()));
  std::vector<double> xs(kDraws);
  for (double& x : xs) x = d.sample(rng);
  return xs;
}

struct SampleMoments {
  double mean = 0.0;
  double variance = 0.0;  // unbiased, 1/(n − 1)
  double m4 = 0.0;        // fourth central moment, 1/n
};

SampleMoments moments_of(const std::vector<double>& xs) {
  const auto n = static_cast<double>(xs.size());
  SampleMoments m;
  for (double x : xs) m.mean += x;
  m.mean /= n;
  double s2 = 0.0;
  double s4 = 0.0;
  for (double x : xs) {
    const double d2 = (x - m.mean) * (x - m.mean);
    s2 += d2;
    s4 += d2 * d2;
  }
  m.variance = s2 / (n - 1);
  m.m4 = s4 / n;
  return m;
}

TEST(DistributionMoments, SampleMeanIsWithinItsConfidenceInterval) {
  for (const Distribution& d : all_kinds()) {
    SCOPED_TRACE(d.describe());
    const SampleMoments m = moments_of(draw(d));
    const double half_width = kZ999 * std::sqrt(m.variance / kDraws);
    // The floor only absorbs summation rounding for the zero-variance kind.
    EXPECT_NEAR(m.mean, d.mean(), half_width + 1e-12 * std::fabs(d.mean()));
  }
}

TEST(DistributionMoments, SampleVarianceIsWithinItsConfidenceInterval) {
  for (const Distribution& d : all_kinds()) {
    SCOPED_TRACE(d.describe());
    const SampleMoments m = moments_of(draw(d));
    const double var_of_var = std::max(0.0, m.m4 - m.variance * m.variance) / kDraws;
    EXPECT_NEAR(m.variance, d.variance(), kZ999 * std::sqrt(var_of_var) + 1e-12);
  }
}

/// Kolmogorov–Smirnov distance between the draws and the distribution,
/// evaluated at the quantiles j/m (j = 1..m−1) of a fine grid: the empirical
/// CDF just below and at quantile(j/m) is compared with j/m.
double ks_distance(const Distribution& d, std::vector<double> xs, int grid) {
  std::sort(xs.begin(), xs.end());
  const auto n = static_cast<double>(xs.size());
  double worst = 0.0;
  for (int j = 1; j < grid; ++j) {
    const double p = static_cast<double>(j) / grid;
    const double x = d.quantile(p);
    const auto below = std::lower_bound(xs.begin(), xs.end(), x) - xs.begin();
    const auto at_or_below = std::upper_bound(xs.begin(), xs.end(), x) - xs.begin();
    worst = std::max(worst, std::fabs(static_cast<double>(below) / n - p));
    worst = std::max(worst, std::fabs(static_cast<double>(at_or_below) / n - p));
  }
  return worst;
}

TEST(DistributionQuantile, AgreesWithSamplesByKolmogorovSmirnov) {
  const std::vector<Distribution> kinds = {
      Distribution::uniform(1, 3),
      Distribution::exponential(2),
      Distribution::weibull(0.7, 10),
      Distribution::lognormal_from_quantile(45, 0.99, 180),
      Distribution::gamma(2.5, 3),
      Distribution::gamma(0.5, 2),
      Distribution::normal(10, 2),
      // No tied values: a tie is an atom of the CDF, which this grid form of
      // the statistic (it assumes a continuous CDF) would misjudge.
      Distribution::empirical({12, 3, 7, 1, 30, 4.5}, true),
  };
  const double critical = kKsCritical / std::sqrt(static_cast<double>(kDraws));
  for (const Distribution& d : kinds) {
    SCOPED_TRACE(d.describe());
    EXPECT_LT(ks_distance(d, draw(d), 2'000), critical);
  }
}

TEST(DistributionQuantile, KolmogorovSmirnovDetectsAWrongDistribution) {
  // The check has power: gamma(2.5, 3) draws against a same-mean exponential.
  const Distribution drawn = Distribution::gamma(2.5, 3);
  const Distribution claimed = Distribution::exponential(7.5);
  const double critical = kKsCritical / std::sqrt(static_cast<double>(kDraws));
  EXPECT_GT(ks_distance(claimed, draw(drawn), 2'000), 10 * critical);
}

}  // namespace
}  // namespace relsim::sim
