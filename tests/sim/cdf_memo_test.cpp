// CdfMemo: a hit is the value Distribution::cdf gives, bit for bit, whatever
// the memo held before; copies start empty.
#include "sim/cdf_memo.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/distribution.hpp"

namespace relsim::sim {
namespace {

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

TEST(CdfMemo, GivesTheDistributionsValuesBitForBit) {
  const Distribution a = Distribution::lognormal(-3.2, 0.9);
  const Distribution b = Distribution::lognormal(-3.2, 0.5);  // same x, another answer
  const Distribution c = Distribution::gamma(2.5, 0.01);
  const std::vector<const Distribution*> ds = {&a, &b, &c};
  CdfMemo memo;
  // Far more arguments than slots, each asked three times in an order that
  // mixes hits, misses and slot collisions.
  std::vector<double> xs;
  for (int i = 0; i < 3000; ++i) xs.push_back(1e-4 * (1 + (i * 7919) % 2003));
  int checked = 0;
  for (int round = 0; round < 3; ++round) {
    for (const double x : xs) {
      for (const Distribution* d : ds) {
        ASSERT_EQ(bits(memo.cdf(*d, x)), bits(d->cdf(x))) << d->describe() << " x=" << x;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 27000);
  // Two distributions at one argument keep their own values.
  EXPECT_NE(memo.cdf(a, 0.05), memo.cdf(b, 0.05));
  EXPECT_EQ(bits(memo.cdf(a, 0.05)), bits(a.cdf(0.05)));
}

TEST(CdfMemo, ACopyStartsEmptyAndAnAssignmentKeepsItsOwnEntries) {
  const Distribution a = Distribution::exponential(2.0);
  CdfMemo memo;
  EXPECT_EQ(bits(memo.cdf(a, 1.0)), bits(a.cdf(1.0)));
  CdfMemo copy(memo);
  EXPECT_EQ(bits(copy.cdf(a, 1.0)), bits(a.cdf(1.0)));
  CdfMemo other;
  other = memo;
  EXPECT_EQ(bits(other.cdf(a, 3.0)), bits(a.cdf(3.0)));
  EXPECT_EQ(bits(other.cdf(a, 1.0)), bits(a.cdf(1.0)));
}

TEST(CdfMemo, ANanArgumentIsReportedEveryTime) {
  const Distribution a = Distribution::exponential(2.0);
  CdfMemo memo;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_ANY_THROW(memo.cdf(a, nan));
  EXPECT_ANY_THROW(memo.cdf(a, nan));
}

}  // namespace
}  // namespace relsim::sim
