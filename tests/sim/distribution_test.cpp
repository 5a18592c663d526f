// Distributions: golden draws that pin every sampling algorithm, factory
// validation, and closed-form means, variances, quantiles and CDFs.
#include "sim/distribution.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kZ975 = 1.959963984540054;

/// The key every golden-draw test uses.
Rng golden_rng() { return Rng::for_stream(7, 3, stream_id("golden")); }

void expect_golden(const Distribution& d, const std::array<double, 5>& golden) {
  SCOPED_TRACE(d.describe());
  Rng rng = golden_rng();
  for (double expected : golden) EXPECT_DOUBLE_EQ(d.sample(rng), expected);
}

/// How many words of the stream one draw of `d` consumed.
int words_per_draw(const Distribution& d) {
  Rng rng = golden_rng();
  d.sample(rng);
  const std::uint64_t next = rng.next_u64();
  Rng fresh = golden_rng();
  for (int words = 0; words < 100; ++words) {
    if (fresh.next_u64() == next) return words;
  }
  return -1;
}

/// The DistributionError message `make` throws, or "" if it does not throw.
std::string error_of(const std::function<Distribution()>& make) {
  try {
    make();
  } catch (const DistributionError& e) {
    return e.what();
  }
  return "";
}

// Golden values: the first five draws from golden_rng(). They pin the
// algorithms documented in sim/distribution.cpp; regenerate only on purpose.
TEST(DistributionGolden, FixedUniformExponentialWeibull) {
  expect_golden(Distribution::fixed(2.5), {2.5, 2.5, 2.5, 2.5, 2.5});
  expect_golden(Distribution::uniform(1, 3),
                {1.7527209930792742, 1.9657283346471242, 1.4059027671018163, 1.1608327436363015,
                 1.7997607465528083});
  expect_golden(Distribution::exponential(2),
                {1.9544156550469611, 1.4560397839093671, 3.1895776370392768, 5.0410749878958283,
                 1.8331796868250816});
  expect_golden(Distribution::weibull(1.5, 100),
                {98.474690540899147, 80.927383126277405, 136.50088109518634, 185.20900905003316,
                 94.359006676562146});
}

TEST(DistributionGolden, NormalAndLognormal) {
  expect_golden(Distribution::normal(10, 2),
                {7.2201821178613326, 13.125547847611287, 12.698760900272568, 8.2305135524123756,
                 11.44523612913533});
  expect_golden(Distribution::lognormal(3.8, 0.6),
                {19.415168371003205, 114.16723581737074, 100.4468036134087, 26.289091091066702,
                 68.963048953480978});
}

TEST(DistributionGolden, GammaAndErlang) {
  expect_golden(Distribution::gamma(2.5, 3),
                {2.0914906921189651, 3.3235729786362835, 5.4717172660318383, 8.1184011744365563,
                 5.5320125364766799});
  expect_golden(Distribution::gamma(0.5, 2),
                {0.0028101007003136203, 1.1709705048685679, 1.3983666722588759, 1.9814183261106919,
                 0.32426418084247427});
  expect_golden(Distribution::erlang(3, 6),
                {1.9600094386556042, 2.9342063629888426, 4.5685455211207273, 6.5214769673890292,
                 4.6136439506873081});
}

TEST(DistributionGolden, Empirical) {
  expect_golden(Distribution::empirical({5, 1, 4, 2, 3}, false), {2, 3, 2, 1, 2});
  expect_golden(Distribution::empirical({5, 1, 4, 2, 3}, true),
                {2.5054419861585484, 2.9314566692942483, 1.8118055342036326, 1.321665487272603,
                 2.5995214931056165});
}

TEST(DistributionSample, ConsumesTheDocumentedNumberOfWords) {
  EXPECT_EQ(words_per_draw(Distribution::fixed(1)), 0);
  EXPECT_EQ(words_per_draw(Distribution::uniform(0, 1)), 1);
  EXPECT_EQ(words_per_draw(Distribution::exponential(1)), 1);
  EXPECT_EQ(words_per_draw(Distribution::weibull(2, 1)), 1);
  EXPECT_EQ(words_per_draw(Distribution::normal(0, 1)), 2);
  EXPECT_EQ(words_per_draw(Distribution::lognormal(0, 1)), 2);
  EXPECT_EQ(words_per_draw(Distribution::empirical({1, 2, 3}, true)), 1);
  EXPECT_EQ(words_per_draw(Distribution::empirical({1, 2, 3}, false)), 1);
  EXPECT_EQ(words_per_draw(Distribution::empirical({4}, true)), 1);
  EXPECT_EQ(words_per_draw(Distribution::gamma(2.5, 1)) % 3, 0);  // 3 per attempt
}

TEST(DistributionFactory, RejectsImpossibleParameters) {
  const double nan = std::nan("");
  const std::vector<std::pair<std::function<Distribution()>, std::string>> cases = {
      {[&] { return Distribution::fixed(nan); }, "fixed: value must be finite (got nan)"},
      {[] { return Distribution::uniform(3, 2); }, "uniform: min (3) must not exceed max (2)"},
      {[] { return Distribution::uniform(kInf, 2); }, "uniform: min must be finite (got inf)"},
      {[] { return Distribution::uniform(0, kInf); }, "uniform: max must be finite (got inf)"},
      {[] { return Distribution::exponential(-1); }, "exponential: mean must be > 0 (got -1)"},
      {[] { return Distribution::exponential(0); }, "exponential: mean must be > 0 (got 0)"},
      {[&] { return Distribution::exponential(nan); }, "exponential: mean must be finite"},
      {[] { return Distribution::weibull(0, 1); }, "weibull: shape must be > 0 (got 0)"},
      {[] { return Distribution::weibull(1, -2); }, "weibull: scale must be > 0 (got -2)"},
      {[] { return Distribution::weibull(kInf, 1); }, "weibull: shape must be finite"},
      {[&] { return Distribution::lognormal(nan, 1); }, "lognormal: mu must be finite"},
      {[] { return Distribution::lognormal(0, -0.5); }, "lognormal: sigma must be >= 0 (got -0.5)"},
      {[] { return Distribution::lognormal_from_quantile(3, 0.99, 2.5); },
       "lognormal: p99 (2.5) must be greater than the median (3)"},
      {[] { return Distribution::lognormal_from_quantile(3, 0.9, 3); },
       "lognormal: p90 (3) must be greater than the median (3)"},
      {[] { return Distribution::lognormal_from_quantile(3, 0.999, 1); }, "lognormal: p99.9 (1)"},
      {[] { return Distribution::lognormal_from_quantile(0, 0.99, 2); },
       "lognormal: median must be > 0 (got 0)"},
      {[] { return Distribution::lognormal_from_quantile(1, 0.5, 2); },
       "lognormal: p must be in (0.5, 1) (got 0.5)"},
      {[] { return Distribution::lognormal_from_quantile(1, 1.0, 2); },
       "lognormal: p must be in (0.5, 1) (got 1)"},
      {[&] { return Distribution::lognormal_from_quantile(1, nan, 2); },
       "lognormal: p must be finite"},
      {[] { return Distribution::lognormal_from_quantile(1, 0.9, kInf); },
       "lognormal: p90 must be finite (got inf)"},
      {[] { return Distribution::gamma(0, 1); }, "gamma: shape must be > 0 (got 0)"},
      {[] { return Distribution::gamma(1, -1); }, "gamma: scale must be > 0 (got -1)"},
      {[] { return Distribution::erlang(0, 1); }, "erlang: k must be >= 1 (got 0)"},
      {[] { return Distribution::erlang(2, -1); }, "erlang: mean must be > 0 (got -1)"},
      {[] { return Distribution::normal(kInf, 1); }, "normal: mean must be finite (got inf)"},
      {[] { return Distribution::normal(0, -1); }, "normal: sd must be >= 0 (got -1)"},
      {[] { return Distribution::empirical({}, true); },
       "empirical: values must hold at least one observation"},
      {[&] {
         return Distribution::empirical({1, nan}, false);
       },
       "empirical: values[1] must be finite (got nan)"},
  };
  for (const auto& [make, message] : cases) {
    SCOPED_TRACE(message);
    const std::string what = error_of(make);
    EXPECT_NE(what.find(message), std::string::npos) << "message: " << what;
  }
}

TEST(DistributionFactory, AcceptsBoundaryParameters) {
  Rng rng = golden_rng();
  EXPECT_EQ(Distribution::uniform(2, 2).sample(rng), 2.0);
  EXPECT_EQ(Distribution::normal(1, 0).sample(rng), 1.0);
  EXPECT_EQ(Distribution::normal(1, 0).variance(), 0.0);
  EXPECT_EQ(Distribution::lognormal(0, 0).quantile(0.9), 1.0);
  const Distribution one = Distribution::empirical({4.5}, true);
  EXPECT_EQ(one.sample(rng), 4.5);
  EXPECT_EQ(one.mean(), 4.5);
  EXPECT_EQ(one.variance(), 0.0);
}

TEST(StandardNormalQuantile, MatchesKnownValues) {
  EXPECT_NEAR(standard_normal_quantile(0.975), kZ975, 1e-12);
  EXPECT_NEAR(standard_normal_quantile(0.025), -kZ975, 1e-12);
  EXPECT_EQ(standard_normal_quantile(0.5), 0.0);
  EXPECT_NEAR(standard_normal_quantile(0.8413447460685429), 1.0, 1e-12);
  EXPECT_NEAR(standard_normal_quantile(0.99), 2.3263478740408408, 1e-12);
  EXPECT_NEAR(standard_normal_quantile(1e-10), -6.3613409024040557, 1e-11);
  EXPECT_EQ(standard_normal_quantile(0.0), -kInf);
  EXPECT_EQ(standard_normal_quantile(1.0), kInf);
  EXPECT_TRUE(std::isnan(standard_normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(standard_normal_quantile(std::nan(""))));
}

TEST(StandardNormalQuantile, InvertsTheNormalCdfAcrossTheRange) {
  // Φ(x) = erfc(−x/√2)/2; check Φ(q(p)) / p in the lower half (where erfc is
  // accurate) from the deep tail to the centre. Rounding x to a double alone
  // moves Φ by a relative ~|x|·ulp(x), hence the x² term.
  for (int i = 0; i < 1'300; ++i) {
    const double p = 1e-300 * std::pow(1.7, i);
    if (p >= 0.5) break;
    const double x = standard_normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-x / std::numbers::sqrt2) / p, 1.0, 1e-14 + 1e-15 * x * x) << p;
  }
  // Exactly antisymmetric where both p and 1 − p are exact doubles.
  for (int k = 1; k < 512; ++k) {
    const double p = k / 1024.0;
    EXPECT_EQ(standard_normal_quantile(1.0 - p), -standard_normal_quantile(p)) << p;
  }
}

TEST(DistributionQuantile, MatchesClosedForms) {
  EXPECT_DOUBLE_EQ(Distribution::exponential(2).quantile(0.5), 2 * std::log(2.0));
  EXPECT_DOUBLE_EQ(Distribution::uniform(1, 3).quantile(0.25), 1.5);
  EXPECT_DOUBLE_EQ(Distribution::weibull(1.5, 100).quantile(0.5),
                   100 * std::pow(std::log(2.0), 1 / 1.5));
  EXPECT_DOUBLE_EQ(Distribution::weibull(1, 3).quantile(0.9),
                   Distribution::exponential(3).quantile(0.9));
  EXPECT_DOUBLE_EQ(Distribution::lognormal(3.8, 0.6).quantile(0.5), std::exp(3.8));
  EXPECT_NEAR(Distribution::normal(10, 2).quantile(0.975), 10 + 2 * kZ975, 1e-11);
  EXPECT_EQ(Distribution::fixed(7).quantile(0.3), 7.0);
}

TEST(DistributionQuantile, RecoversTheQuantileALognormalWasBuiltFrom) {
  const Distribution d = Distribution::lognormal_from_quantile(45, 0.99, 180);
  EXPECT_NEAR(d.quantile(0.99) / 180, 1.0, 1e-9);
  EXPECT_NEAR(d.quantile(0.5) / 45, 1.0, 1e-12);
  EXPECT_NEAR(d.param_a(), std::log(45.0), 1e-15);
  EXPECT_NEAR(d.param_b(), std::log(4.0) / 2.3263478740408408, 1e-14);
  const Distribution p90 = Distribution::lognormal_from_quantile(2, 0.9, 7);
  EXPECT_NEAR(p90.quantile(0.9) / 7, 1.0, 1e-9);
}

TEST(DistributionQuantile, MatchesKnownGammaQuantiles) {
  // Chi-square(ν) is gamma(ν/2, 2); reference values from standard tables.
  EXPECT_NEAR(Distribution::gamma(0.5, 2).quantile(0.95), 3.841458820694124, 1e-10);
  EXPECT_NEAR(Distribution::gamma(5, 2).quantile(0.99), 23.209251158954356, 1e-9);
  EXPECT_NEAR(Distribution::gamma(2.5, 2).quantile(0.5), 4.351460191095526, 1e-10);
  EXPECT_NEAR(Distribution::gamma(0.5, 2).quantile(0.5), 0.45493642311957283, 1e-12);
  // Shape 1 is the exponential, including far in both tails.
  for (double p : {1e-12, 1e-6, 0.1, 0.5, 0.9, 1 - 1e-6, 1 - 1e-12}) {
    const double exact = -3.0 * std::log1p(-p);
    EXPECT_NEAR(Distribution::gamma(1, 3).quantile(p) / exact, 1.0, 1e-10) << p;
    EXPECT_NEAR(Distribution::erlang(1, 3).quantile(p) / exact, 1.0, 1e-10) << p;
  }
  // Small shape, lower tail: P(a, x) ≈ x^a / Γ(a + 1).
  EXPECT_NEAR(Distribution::gamma(0.1, 1).quantile(1e-6) / std::pow(1e-6 * std::tgamma(1.1), 10),
              1.0, 1e-10);
  EXPECT_EQ(Distribution::gamma(2, 1).quantile(0.0), 0.0);
  EXPECT_EQ(Distribution::gamma(2, 1).quantile(1.0), kInf);
}

TEST(DistributionQuantile, GivesTheAtomOfZeroSpreadDistributionsAtEveryP) {
  for (double p : {0.0, 0.3, 1.0}) {
    EXPECT_EQ(Distribution::normal(-1, 0).quantile(p), -1.0) << p;
    EXPECT_EQ(Distribution::lognormal(1, 0).quantile(p), std::exp(1.0)) << p;
  }
}

TEST(DistributionQuantile, RejectsProbabilitiesOutsideTheUnitInterval) {
  const Distribution d = Distribution::exponential(1);
  EXPECT_THROW(d.quantile(-0.01), DistributionError);
  EXPECT_THROW(d.quantile(1.5), DistributionError);
  EXPECT_THROW(d.quantile(std::nan("")), DistributionError);
  EXPECT_EQ(d.quantile(0.0), 0.0);
  EXPECT_EQ(d.quantile(1.0), kInf);
}

TEST(DistributionMoments, MatchClosedForms) {
  EXPECT_DOUBLE_EQ(Distribution::uniform(1, 3).mean(), 2.0);
  EXPECT_DOUBLE_EQ(Distribution::uniform(1, 3).variance(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(Distribution::exponential(2).mean(), 2.0);
  EXPECT_DOUBLE_EQ(Distribution::exponential(2).variance(), 4.0);
  EXPECT_DOUBLE_EQ(Distribution::weibull(1.5, 100).mean(), 90.274529295093361);
  EXPECT_DOUBLE_EQ(Distribution::weibull(1, 5).variance(), 25.0);
  EXPECT_DOUBLE_EQ(Distribution::weibull(2, 1).mean(), std::sqrt(std::numbers::pi) / 2);
  EXPECT_DOUBLE_EQ(Distribution::weibull(2, 1).variance(), 1 - std::numbers::pi / 4);
  EXPECT_DOUBLE_EQ(Distribution::lognormal(3.8, 0.6).mean(), std::exp(3.98));
  EXPECT_DOUBLE_EQ(Distribution::lognormal(3.8, 0.6).variance(),
                   (std::exp(0.36) - 1) * std::exp(7.96));
  EXPECT_DOUBLE_EQ(Distribution::gamma(2.5, 3).mean(), 7.5);
  EXPECT_DOUBLE_EQ(Distribution::gamma(2.5, 3).variance(), 22.5);
  EXPECT_DOUBLE_EQ(Distribution::erlang(3, 6).mean(), 6.0);
  EXPECT_DOUBLE_EQ(Distribution::erlang(3, 6).variance(), 12.0);
  EXPECT_DOUBLE_EQ(Distribution::normal(10, 2).variance(), 4.0);
  EXPECT_EQ(Distribution::fixed(2.5).variance(), 0.0);
}

TEST(DistributionEmpirical, ResamplesTheSortedObservations) {
  const Distribution d = Distribution::empirical({5, 1, 4, 2, 3}, false);
  EXPECT_EQ(d.table(), (std::vector<double>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(d.interpolates());
  EXPECT_DOUBLE_EQ(d.mean(), 3.0);
  EXPECT_DOUBLE_EQ(d.variance(), 2.0);  // population variance of the table
  EXPECT_EQ(d.quantile(0.2), 1.0);
  EXPECT_EQ(d.quantile(0.21), 2.0);
  EXPECT_EQ(d.quantile(0.0), 1.0);
  EXPECT_EQ(d.quantile(1.0), 5.0);
}

TEST(DistributionEmpirical, InterpolatesThePiecewiseLinearCdf) {
  // Points (0, 0), (1/2, 1), (1, 10): a half-half mixture of U[0,1], U[1,10].
  const Distribution d = Distribution::empirical({10, 0, 1}, true);
  EXPECT_TRUE(d.interpolates());
  EXPECT_DOUBLE_EQ(d.mean(), 3.0);
  EXPECT_DOUBLE_EQ(d.variance(), (1.0 / 3 + 111.0 / 3) / 2 - 9.0);
  EXPECT_DOUBLE_EQ(d.quantile(0.25), 0.5);
  EXPECT_DOUBLE_EQ(d.quantile(0.75), 5.5);
  EXPECT_EQ(d.quantile(1.0), 10.0);
  EXPECT_DOUBLE_EQ(Distribution::empirical({5, 1, 4, 2, 3}, true).variance(), 16.0 / 12.0);
}

TEST(DistributionCdf, MatchesClosedForms) {
  const double e = std::numbers::e;
  EXPECT_DOUBLE_EQ(Distribution::exponential(2).cdf(1), 1 - std::exp(-0.5));
  EXPECT_DOUBLE_EQ(Distribution::uniform(1, 3).cdf(1.5), 0.25);
  EXPECT_DOUBLE_EQ(Distribution::weibull(2, 1).cdf(1), 1 - 1 / e);
  EXPECT_DOUBLE_EQ(Distribution::weibull(1.5, 100).cdf(100), 1 - 1 / e);
  EXPECT_NEAR(Distribution::gamma(2, 1).cdf(1), 1 - 2 / e, 1e-15);
  // Erlang(3, mean 6) has scale 2: P(X <= 4) = 1 − e^−2·(1 + 2 + 2²/2).
  EXPECT_NEAR(Distribution::erlang(3, 6).cdf(4), 1 - 5 * std::exp(-2.0), 1e-15);
  EXPECT_DOUBLE_EQ(Distribution::normal(10, 2).cdf(10), 0.5);
  EXPECT_NEAR(Distribution::normal(10, 2).cdf(10 + 2 * kZ975), 0.975, 1e-15);
  EXPECT_NEAR(Distribution::normal(0, 1).cdf(-3), 0.0013498980316300945, 1e-17);
  EXPECT_NEAR(Distribution::lognormal(3.8, 0.6).cdf(std::exp(3.8)), 0.5, 1e-15);
  EXPECT_NEAR(Distribution::lognormal_from_quantile(45, 0.99, 180).cdf(180), 0.99, 1e-12);
  EXPECT_EQ(Distribution::fixed(7).cdf(7), 1.0);
  EXPECT_EQ(Distribution::fixed(7).cdf(6.999), 0.0);
}

TEST(DistributionCdf, MatchesTheIncompleteGammaFunction) {
  // Half-integer shapes have closed forms: P(1/2, x) = erf(√x),
  // P(3/2, x) = erf(√x) − 2·√(x/π)·e^−x; both branches (series below
  // x = a + 1, continued fraction above) and the far tail.
  for (double x : {1e-8, 0.01, 0.3, 1.0, 1.4999, 1.5, 1.5001, 2.5, 5.0, 12.0, 40.0}) {
    const double half = std::erf(std::sqrt(x));
    EXPECT_NEAR(Distribution::gamma(0.5, 1).cdf(x), half, 1e-15 + 1e-14 * half) << x;
    const double three_halves = half - 2 * std::sqrt(x / std::numbers::pi) * std::exp(-x);
    EXPECT_NEAR(Distribution::gamma(1.5, 1).cdf(x), three_halves, 1e-15 + 1e-13 * three_halves)
        << x;
  }
  // Reference values from mpmath.gammainc(a, 0, x, regularized=True), 40 digits.
  EXPECT_NEAR(Distribution::gamma(2.5, 1).cdf(1), 0.15085496391539036377, 1e-14);
  EXPECT_NEAR(Distribution::gamma(2.5, 2).cdf(14), 0.98439058389973308527, 1e-14);
  EXPECT_NEAR(Distribution::gamma(0.1, 1).cdf(0.001), 0.52676856839244511182, 1e-14);
  EXPECT_NEAR(Distribution::gamma(7, 1).cdf(3), 0.033508535308841206914, 1e-15);
  EXPECT_NEAR(Distribution::gamma(30, 1).cdf(45), 0.99266280070220349637, 1e-13);
  EXPECT_NEAR(Distribution::gamma(100, 1).cdf(100), 0.51329879827914866486, 1e-12);
  EXPECT_NEAR(Distribution::gamma(100, 0.5).cdf(45), 0.1582209891864301681, 1e-12);
  // Shape 1 is the exponential.
  for (double x : {1e-6, 0.5, 3.0, 10.0, 50.0}) {
    EXPECT_NEAR(Distribution::gamma(1, 3).cdf(x), Distribution::exponential(3).cdf(x), 1e-15) << x;
  }
  // No jump where the evaluation switches from the series to the fraction.
  const Distribution g = Distribution::gamma(3, 1);
  EXPECT_NEAR(g.cdf(std::nextafter(4.0, 0.0)), g.cdf(4.0), 1e-15);
}

TEST(DistributionCdf, HandlesEmpiricalTablesLikeSampleAndQuantile) {
  // Interpolated: points (0, 0), (1, 1/2), (10, 1), as in the quantile test.
  const Distribution lin = Distribution::empirical({10, 0, 1}, true);
  EXPECT_DOUBLE_EQ(lin.cdf(0.5), 0.25);
  EXPECT_DOUBLE_EQ(lin.cdf(5.5), 0.75);
  EXPECT_EQ(lin.cdf(1), 0.5);
  EXPECT_EQ(lin.cdf(-0.1), 0.0);
  EXPECT_EQ(lin.cdf(10), 1.0);
  // Tied observations are an atom: the CDF steps from 1/3 to 2/3 at 2.
  const Distribution tied = Distribution::empirical({1, 2, 2, 3}, true);
  EXPECT_NEAR(tied.cdf(std::nextafter(2.0, 0.0)), 1.0 / 3, 1e-15);
  EXPECT_DOUBLE_EQ(tied.cdf(2), 2.0 / 3);
  EXPECT_DOUBLE_EQ(tied.cdf(2.5), 5.0 / 6);
  // Resampled: mass 1/5 on each observation.
  const Distribution pick = Distribution::empirical({5, 1, 4, 2, 3}, false);
  EXPECT_EQ(pick.cdf(0.99), 0.0);
  EXPECT_DOUBLE_EQ(pick.cdf(1), 0.2);
  EXPECT_DOUBLE_EQ(pick.cdf(3.5), 0.6);
  EXPECT_EQ(pick.cdf(5), 1.0);
  EXPECT_DOUBLE_EQ(Distribution::empirical({2, 2, 7}, false).cdf(2), 2.0 / 3);
  // One observation is a point mass either way.
  for (bool interpolate : {true, false}) {
    const Distribution one = Distribution::empirical({4}, interpolate);
    EXPECT_EQ(one.cdf(3.9), 0.0);
    EXPECT_EQ(one.cdf(4), 1.0);
  }
}

/// One distribution of every kind (and of the special cases of some), and
/// whether it is continuous.
std::vector<std::pair<Distribution, bool>> every_kind() {
  return {
      {Distribution::fixed(7), false},
      {Distribution::uniform(1, 3), true},
      {Distribution::uniform(2, 2), false},
      {Distribution::exponential(2), true},
      {Distribution::weibull(1.5, 100), true},
      {Distribution::weibull(0.5, 3), true},
      {Distribution::lognormal(3.8, 0.6), true},
      {Distribution::lognormal(1, 0), false},
      {Distribution::lognormal_from_quantile(2, 0.9, 7), true},
      {Distribution::gamma(2.5, 3), true},
      {Distribution::gamma(0.3, 2), true},
      {Distribution::gamma(400, 0.01), true},
      {Distribution::erlang(3, 6), true},
      {Distribution::normal(10, 2), true},
      {Distribution::normal(-1, 0), false},
      {Distribution::empirical({3, 9, 1, 4, 7}, true), true},
      {Distribution::empirical({1, 2, 2, 3}, true), false},
      {Distribution::empirical({3, 9, 1, 4, 7}, false), false},
      {Distribution::empirical({4}, true), false},
  };
}

TEST(DistributionCdf, InvertsTheQuantile) {
  // cdf is the generalized inverse of quantile: p lies between the CDF just
  // below quantile(p) and the CDF at it; both equal p where F is continuous.
  for (const auto& [d, continuous] : every_kind()) {
    SCOPED_TRACE(d.describe());
    for (double p : {0.01, 0.5, 0.9, 0.99}) {
      const double q = d.quantile(p);
      const double at = d.cdf(q);
      if (continuous) {
        EXPECT_NEAR(at, p, 1e-12) << p;
      } else {
        EXPECT_GE(at, p - 1e-12) << p;
        EXPECT_LE(d.cdf(std::nextafter(q, -kInf)), p + 1e-12) << p;
      }
    }
  }
}

TEST(DistributionCdf, IsZeroBelowAndOneAboveTheSupportAndNeverNaN) {
  const double big = std::numeric_limits<double>::max();
  for (const auto& [d, continuous] : every_kind()) {
    SCOPED_TRACE(d.describe());
    EXPECT_EQ(d.cdf(-kInf), 0.0);
    EXPECT_EQ(d.cdf(-big), 0.0);
    EXPECT_EQ(d.cdf(big), 1.0);
    EXPECT_EQ(d.cdf(kInf), 1.0);
    EXPECT_EQ(d.cdf(d.quantile(0.0) - 1e-9 - std::fabs(d.quantile(0.0)) * 1e-9), 0.0);
    // Non-decreasing and within [0, 1] from −1e6 to 1e6.
    double previous = 0.0;
    for (int i = -2'000; i <= 2'000; ++i) {
      // ±10^(−4 .. 6), increasing with i.
      const double x = std::copysign(std::pow(10.0, std::abs(i) / 200.0 - 4.0), i);
      const double f = d.cdf(x);
      ASSERT_FALSE(std::isnan(f)) << x;
      EXPECT_GE(f, previous) << x;
      EXPECT_LE(f, 1.0) << x;
      previous = f;
    }
  }
  EXPECT_THROW(Distribution::exponential(1).cdf(std::nan("")), DistributionError);
}

TEST(DistributionDescribe, NamesKindAndParameters) {
  EXPECT_EQ(Distribution::lognormal(3.8, 0.6).describe(), "lognormal(mu=3.8, sigma=0.6)");
  EXPECT_EQ(Distribution::fixed(2).describe(), "fixed(value=2)");
  EXPECT_EQ(Distribution::uniform(1, 2.5).describe(), "uniform(min=1, max=2.5)");
  EXPECT_EQ(Distribution::exponential(60).describe(), "exponential(mean=60)");
  EXPECT_EQ(Distribution::weibull(1.5, 100).describe(), "weibull(shape=1.5, scale=100)");
  EXPECT_EQ(Distribution::erlang(3, 6).describe(), "gamma(shape=3, scale=2)");
  EXPECT_EQ(Distribution::normal(0, 1).describe(), "normal(mean=0, sd=1)");
  EXPECT_EQ(Distribution::empirical({1, 2}, true).describe(), "empirical(n=2, interpolate)");
  EXPECT_EQ(Distribution::empirical({1}, false).describe(), "empirical(n=1, resample)");
}

}  // namespace
}  // namespace relsim::sim
