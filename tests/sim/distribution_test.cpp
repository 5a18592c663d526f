// Distributions: golden draws that pin every sampling algorithm, factory
// validation, and closed-form means, variances and quantiles.
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
