// Rare-event estimation against closed forms (docs/validation.md, "Rare
// events"; issue 19 part 3): P(SLO not met) of a single service with
// Poisson outages of fixed length against a 99.99 % budget at P ≈ 1e-4,
// 1e-6 and 1e-8, P(budget tier reached) and P(budget minutes > 5.5) ≈ 1e-10
// of the same model, and of a 1-of-2 service with exponential restarts. Each
// estimate's own 99 % interval must contain the exact value, and its
// relative half-width must be at most 10 % with 20,000 trials. Slow.
#include "analysis/rare_event.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "tests/analysis/rare_event_support.hpp"

namespace relsim::analysis {
namespace {

constexpr std::uint64_t kTrials = 20000;

RareOutcome run(const models::CompiledModel& m, const std::string& target) {
  RunRequest rq;
  rq.trials = kTrials;
  rq.confidence = 0.99;
  rq.threads = 2;
  return run_rare(m, rq, target, RareOptions{});
}

void check(const char* name, const RareOutcome& o, double exact, double seconds) {
  const RareEstimate& e = o.estimate;
  std::printf(
      "%s: exact %.4e, estimate %.4e, 99%% [%.4e, %.4e], rel half-width %.2f %%, hits %llu, "
      "ESS %.0f, variance ratio %.3g, mean weight %.3f, trials %llu + pilot %llu, %.1f s\n",
      name, exact, e.estimate, e.low, e.high, 100 * e.relative_half_width,
      static_cast<unsigned long long>(e.hits), e.ess, e.variance_ratio, e.mean_weight,
      static_cast<unsigned long long>(e.trials),
      static_cast<unsigned long long>(o.plan.pilot_trials), seconds);
  EXPECT_LE(e.low, exact) << name;
  EXPECT_GE(e.high, exact) << name;
  EXPECT_LE(e.relative_half_width, 0.10) << name;
  EXPECT_EQ(e.trials, kTrials);
  EXPECT_TRUE(o.plan.reached) << name;
  EXPECT_TRUE(e.warnings.empty()) << name << ": " << (e.warnings.empty() ? "" : e.warnings[0]);
}

void fixed_outages(const char* name, double mtbf_hours) {
  const models::CompiledModel m = test::compile_text(test::rare_model(
      1, std::to_string(static_cast<int>(mtbf_hours)) + "h", "1m", static_cast<int>(kTrials)));
  const double exact = test::exact_fixed_outages(mtbf_hours * 3600.0);
  const auto t0 = std::chrono::steady_clock::now();
  const RareOutcome o = run(m, "slo_not_met");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  check(name, o, exact, s);
}

TEST(RareEvents, FixedOutagesAtOneInTenThousand) {
  fixed_outages("P ~ 1e-4 (MTBF 1,750 h)", 1750.0);  // exact 6.98e-5
}

TEST(RareEvents, FixedOutagesAtOneInAMillion) {
  fixed_outages("P ~ 1e-6 (MTBF 4,400 h)", 4400.0);  // exact 8.53e-7
}

TEST(RareEvents, FixedOutagesAtOneInAHundredMillion) {
  fixed_outages("P ~ 1e-8 (MTBF 11,000 h)", 11000.0);  // exact 9.48e-9
}

TEST(RareEvents, BudgetTierAndFigureThresholds) {
  // The freeze tier (half the budget, 129.6 s) is reached when the third
  // crash comes before T − 129.6 s of up time; more than 5.5 budget minutes
  // take a sixth before T − 330 s (M = 11,000 h: P ≈ 1e-10).
  const models::CompiledModel m4400 =
      test::compile_text(test::rare_model(1, "4400h", "1m", static_cast<int>(kTrials)));
  const double freeze = test::poisson_tail((test::kMonth - 129.6) / (4400.0 * 3600.0), 3);
  check("tier:freeze (MTBF 4,400 h)", run(m4400, "tier:freeze"), freeze, 0.0);
  const models::CompiledModel m11000 =
      test::compile_text(test::rare_model(1, "11000h", "1m", static_cast<int>(kTrials)));
  const double minutes = test::poisson_tail((test::kMonth - 330.0) / (11000.0 * 3600.0), 6);
  check("budget_minutes>5.5 (MTBF 11,000 h)", run(m11000, "budget_minutes>5.5"), minutes, 0.0);
}

TEST(RareEvents, OneOfTwoReplicasAgainstItsChain) {
  // 1-of-2, crashes Exp(5,000 h) while running, restarts Exp(30 min): the
  // down time of the month exceeds the 4.32-minute budget with P 2.16e-5.
  const models::CompiledModel m = test::compile_text(
      test::rare_model(2, "5000h", "{exponential: {mean: 30m}}", static_cast<int>(kTrials)));
  const double exact =
      test::exact_one_of_two(1.0 / (5000.0 * 3600.0), 1.0 / 1800.0, test::kMonth, test::kBudget);
  const auto t0 = std::chrono::steady_clock::now();
  const RareOutcome o = run(m, "slo_not_met");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  check("1-of-2 (MTBF 5,000 h, restart Exp(30 min))", o, exact, s);
}

}  // namespace
}  // namespace relsim::analysis
