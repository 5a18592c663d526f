#include "analysis/estimators.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace relsim::analysis {
namespace {

TEST(StudentT, QuantilesMatchTables) {
  // Reference values from standard t tables (to the digits printed there).
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174698, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652729749464, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228138851986273, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.995, 30), 2.749995653567, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.228138851986273, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.959966, 1e-5);
  EXPECT_THROW(student_t_quantile(1.0, 3), std::invalid_argument);
}

TEST(MeanAccumulator, MeanVarianceAndInterval) {
  MeanAccumulator m;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) m.add(x);
  EXPECT_EQ(m.count(), 8u);
  EXPECT_DOUBLE_EQ(m.mean(), 5.0);
  EXPECT_DOUBLE_EQ(m.variance(), 32.0 / 7.0);
  const auto ci = m.interval(0.95);
  const double half = student_t_quantile(0.975, 7) * std::sqrt(32.0 / 7.0 / 8.0);
  EXPECT_NEAR(ci.low, 5.0 - half, 1e-12);
  EXPECT_NEAR(ci.high, 5.0 + half, 1e-12);
}

TEST(MeanAccumulator, DegenerateCases) {
  MeanAccumulator m;
  EXPECT_TRUE(std::isnan(m.mean()));
  m.add(3.0);
  EXPECT_TRUE(std::isinf(m.interval(0.95).high));
  m.add(3.0);
  EXPECT_EQ(m.interval(0.95).low, 3.0);
  EXPECT_EQ(m.interval(0.95).high, 3.0);
}

TEST(Wilson, MatchesClosedForm) {
  // 8 of 10 at 95 %: the textbook Wilson interval (0.4902, 0.9433).
  const auto ci = wilson_interval(8, 10, 0.95);
  EXPECT_DOUBLE_EQ(ci.estimate, 0.8);
  EXPECT_NEAR(ci.low, 0.49016, 1e-4);
  EXPECT_NEAR(ci.high, 0.94332, 1e-4);
  const auto all = wilson_interval(50, 50, 0.95);
  EXPECT_DOUBLE_EQ(all.high, 1.0);
  EXPECT_GT(all.low, 0.9);
  const auto none = wilson_interval(0, 50, 0.95);
  EXPECT_DOUBLE_EQ(none.low, 0.0);
  EXPECT_LT(none.high, 0.08);
}

}  // namespace
}  // namespace relsim::analysis
