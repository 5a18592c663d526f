// Random streams: golden values that pin the generator and the stream keying,
// ranges, determinism and the uniformity of Rng::below.
#include "sim/random.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace relsim::sim {
namespace {

constexpr std::uint64_t kPaymentFailures = stream_id("payment-api/replica-3/failures");

/// Pearson's chi-square statistic of `counts` against equal expected counts.
double chi_square_uniform(const std::vector<std::uint64_t>& counts, std::uint64_t draws) {
  const double expected = static_cast<double>(draws) / static_cast<double>(counts.size());
  double chi2 = 0.0;
  for (std::uint64_t c : counts) {
    const double diff = static_cast<double>(c) - expected;
    chi2 += diff * diff / expected;
  }
  return chi2;
}

TEST(StreamId, IsFnv1a64) {
  static_assert(stream_id("a") == 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(stream_id(""), 0xcbf29ce484222325ULL);  // the FNV offset basis
  EXPECT_EQ(stream_id("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(stream_id("foobar"), 0x85944171f73967e8ULL);
  EXPECT_NE(stream_id("payment-api/replica-3/failures"),
            stream_id("payment-api/replica-4/failures"));
}

TEST(Rng, MatchesGoldenWords) {
  // Pins xoshiro256**, SplitMix64 seeding, trial_seed and the stream keying.
  // Changing any of them changes every result: update only on purpose.
  Rng rng = Rng::for_stream(42, 0, kPaymentFailures);
  const std::array<std::uint64_t, 5> golden = {
      0xc8e4834ce41ac168ULL, 0x98d2d5884e42629eULL, 0xc2fdae9b40b93790ULL,
      0xffb1f892a7b7b366ULL, 0xf50437d2d025552dULL,
  };
  for (std::uint64_t expected : golden) EXPECT_EQ(rng.next_u64(), expected);
}

TEST(Rng, MatchesGoldenBelowValues) {
  // Pins Lemire's method: the high word of x·n.
  Rng rng = Rng::for_stream(42, 0, stream_id("below"));
  for (std::uint64_t expected : {762U, 940U, 622U, 28U, 671U}) EXPECT_EQ(rng.below(1000), expected);
}

TEST(Rng, IsUsableAtCompileTime) {
  constexpr std::uint64_t first = [] {
    Rng rng = Rng::for_stream(42, 0, kPaymentFailures);
    return rng.next_u64();
  }();
  static_assert(first == 0xc8e4834ce41ac168ULL);
}

TEST(Rng, GivesDifferentSequencesForDifferentKeys) {
  auto first_words = [](Rng rng) {
    std::array<std::uint64_t, 4> words{};
    for (auto& w : words) w = rng.next_u64();
    return words;
  };
  const auto base = first_words(Rng::for_stream(42, 0, kPaymentFailures));
  EXPECT_NE(base, first_words(Rng::for_stream(42, 1, kPaymentFailures)));
  EXPECT_NE(base, first_words(Rng::for_stream(43, 0, kPaymentFailures)));
  EXPECT_NE(base, first_words(Rng::for_stream(42, 0, stream_id("payment-api/replica-4/failures"))));
  EXPECT_NE(first_words(Rng::for_stream(0, 0, 0)), first_words(Rng::for_stream(0, 0, 1)));
  EXPECT_NE(first_words(Rng::for_stream(0, 0, 0)), first_words(Rng::for_stream(0, 1, 0)));
  EXPECT_NE(trial_seed(42, 0), trial_seed(42, 1));
}

TEST(Rng, IsDeterministicForTheSameKey) {
  Rng a = Rng::for_stream(2024, 17, kPaymentFailures);
  Rng b = Rng::for_stream(2024, 17, kPaymentFailures);
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64()) << "draw " << i;
  Rng c(trial_seed(2024, 17), kPaymentFailures);
  Rng d = Rng::for_stream(2024, 17, kPaymentFailures);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(c.next_u64(), d.next_u64());
}

TEST(Rng, DrawsUniformDoublesInTheirRanges) {
  Rng rng = Rng::for_stream(1, 0, stream_id("uniform01"));
  double sum = 0.0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = rng.uniform_open0();
    ASSERT_GT(v, 0.0);
    ASSERT_LE(v, 1.0);
    sum += u;
  }
  // Mean 1/2, sd of the mean sqrt(1/12/n) ≈ 0.00091: 0.005 is > 5 sd.
  EXPECT_NEAR(sum / kDraws, 0.5, 0.005);
}

TEST(Rng, BernoulliRespectsItsBounds) {
  Rng rng = Rng::for_stream(1, 0, stream_id("bernoulli"));
  int hits = 0;
  for (int i = 0; i < 10'000; ++i) {
    EXPECT_FALSE(rng.bernoulli(0.0));
    EXPECT_FALSE(rng.bernoulli(-1.0));
    EXPECT_TRUE(rng.bernoulli(1.0));
    hits += rng.bernoulli(0.25) ? 1 : 0;
  }
  EXPECT_NEAR(hits / 10'000.0, 0.25, 0.02);  // sd ≈ 0.0043
}

TEST(RngBelow, StaysInRange) {
  Rng rng = Rng::for_stream(5, 0, stream_id("below-range"));
  for (std::uint64_t n : {1ULL, 2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 63) + 1, ~0ULL}) {
    for (int i = 0; i < 2'000; ++i) ASSERT_LT(rng.below(n), n);
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.below(1), 0U);
}

TEST(RngBelow, IsRoughlyUniformForASmallRange) {
  // 10 cells, 9 degrees of freedom: the 0.1 % critical value is 27.877.
  Rng rng = Rng::for_stream(7, 0, stream_id("below-chi-square"));
  constexpr std::uint64_t kDraws = 100'000;
  std::vector<std::uint64_t> counts(10, 0);
  for (std::uint64_t i = 0; i < kDraws; ++i) ++counts[rng.below(10)];
  EXPECT_LT(chi_square_uniform(counts, kDraws), 27.877);
}

TEST(RngBelow, IsUnbiasedForAHugeRange) {
  // n ≈ 2/3·2^64: plain `x % n` would give the lower half of [0, n) double
  // weight, so the thirds of the range would hold about 4/9, 3/9, 2/9 of the
  // draws. Thirds must be equal: 2 degrees of freedom, 0.1 % critical 13.816.
  constexpr std::uint64_t n = 0xAAAAAAAAAAAAAAAAULL;
  Rng rng = Rng::for_stream(7, 0, stream_id("below-huge"));
  constexpr std::uint64_t kDraws = 30'000;
  std::vector<std::uint64_t> counts(3, 0);
  for (std::uint64_t i = 0; i < kDraws; ++i) {
    const std::uint64_t x = rng.below(n);
    ++counts[x < n / 3 ? 0 : (x < n / 3 * 2 ? 1 : 2)];
  }
  EXPECT_LT(chi_square_uniform(counts, kDraws), 13.816);
}

}  // namespace
}  // namespace relsim::sim
