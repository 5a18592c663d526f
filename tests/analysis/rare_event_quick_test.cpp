// Rare events by importance sampling (issue 19 part 3), the quick part:
// the cumulative hazards the biasing draws by, the likelihood ratio of a
// biased trial, nominal trials unchanged when no bias is set, the same
// result for 1 and 2 threads and for a 2-shard split, the degenerate-weight
// warning, and bad `--rare` input refused with a clear message.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "analysis/estimators.hpp"
#include "analysis/rare_event.hpp"
#include "analysis/rare_report.hpp"
#include "models/world.hpp"
#include "sim/distribution.hpp"
#include "sim/random.hpp"
#include "tests/analysis/rare_event_support.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

const std::string kScenario =
    std::string(RELSIM_SOURCE_DIR) + "/scenarios/rare/poisson-outages-9999.yaml";

TEST(RareHazard, InverseUndoesTheCumulativeHazard) {
  const sim::Distribution ds[] = {
      sim::Distribution::exponential(3600.0), sim::Distribution::weibull(1.7, 5000.0),
      sim::Distribution::gamma(2.5, 800.0), sim::Distribution::lognormal(7.0, 0.8),
      sim::Distribution::uniform(10.0, 1000.0)};
  for (const auto& d : ds) {
    ASSERT_TRUE(d.has_hazard()) << d.describe();
    for (double y : {1e-6, 0.01, 0.5, 2.0, 8.0}) {
      const double x = d.inverse_cumulative_hazard(y);
      EXPECT_NEAR(d.cumulative_hazard(x), y, 1e-7 * std::max(1.0, y)) << d.describe() << " " << y;
      EXPECT_NEAR(d.cumulative_hazard(x), -std::log1p(-d.cdf(x)), 1e-6 * std::max(1.0, y))
          << d.describe();
    }
  }
  EXPECT_DOUBLE_EQ(sim::Distribution::exponential(100.0).cumulative_hazard(250.0), 2.5);
  EXPECT_DOUBLE_EQ(sim::Distribution::weibull(2.0, 10.0).cumulative_hazard(30.0), 9.0);
  EXPECT_FALSE(sim::Distribution::fixed(5.0).has_hazard());
  EXPECT_FALSE(sim::Distribution::normal(5.0, 1.0).has_hazard());
  EXPECT_FALSE(sim::Distribution::empirical({1.0, 2.0}, true).has_hazard());
  EXPECT_THROW((void)sim::Distribution::fixed(5.0).cumulative_hazard(1.0), sim::DistributionError);
}

models::CompiledModel fixed_model(const std::string& mtbf, int trials) {
  return test::compile_text(test::rare_model(1, mtbf, "1m", trials));
}

TEST(RareBias, NoBiasLeavesTheTrialsAsTheyWere) {
  const models::CompiledModel m = fixed_model("100h", 100);
  models::World plain(m), unit(m);
  unit.set_failure_bias(std::vector<double>(m.failures.size(), 1.0));  // θ = 1: nominal draws
  for (std::uint64_t i = 0; i < 20; ++i) {
    const std::uint64_t seed = sim::trial_seed(m.seed, i);
    const models::TrialResult a = plain.run(seed);
    const models::TrialResult b = unit.run(seed);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.slos[0].good, b.slos[0].good);
    EXPECT_EQ(a.slos[0].budget_consumed, b.slos[0].budget_consumed);
    EXPECT_EQ(unit.bias_tally().log_lr, 0.0);
  }
  // Cleared again: the same as never set.
  unit.set_failure_bias({});
  EXPECT_EQ(unit.run(sim::trial_seed(m.seed, 3)).events,
            plain.run(sim::trial_seed(m.seed, 3)).events);
}

TEST(RareBias, LikelihoodRatioOfExponentialClocks) {
  // θ = 1.5 on an Exp(100 h) crash clock of one replica: ln w = −n ln 1.5 +
  // 0.5·Λ, Λ the up time over 100 h; n crashes of one minute each.
  const models::CompiledModel m = fixed_model("100h", 100);
  models::World w(m);
  w.set_failure_bias({1.5});
  analysis::MeanAccumulator weights;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    const models::TrialResult r = w.run(sim::trial_seed(m.seed, i));
    const models::BiasTally& t = w.bias_tally();
    const double n = t.failures[0];
    EXPECT_NEAR(r.slos[0].budget_minutes, n, 1.0 + 1e-6);  // the last may be cut by the horizon
    const double up_hours = (test::kMonth - 60.0 * r.slos[0].budget_minutes) / 3600.0;
    EXPECT_NEAR(t.exposure[0], up_hours / 100.0, 1e-6);
    EXPECT_NEAR(t.log_lr, -n * std::log(1.5) + 0.5 * t.exposure[0], 1e-9);
    weights.add(std::exp(t.log_lr));
  }
  // E_θ[w] = 1: the weights' mean is 1 within its own 99 % interval.
  EXPECT_TRUE(weights.interval(0.99).contains(1.0)) << weights.mean();
}

void weights_average_one(const std::string& every) {
  // 1-of-2 replicas: θ = 2 while both run, 30 while one is down (its clock
  // re-timed when the other dies or comes back). E_θ[w] = 1, and the
  // weighted mean of a nominal figure (the budget consumed) matches the
  // plain run's within the intervals.
  std::string text = test::rare_model(2, "300h", "{exponential: {mean: 2h}}", 100);
  text.replace(text.find("{exponential: {mean: 300h}}"), 27, every);
  const models::CompiledModel m = test::compile_text(text);
  models::World biased(m), plain(m);
  biased.set_failure_bias({2.0, 30.0});
  analysis::MeanAccumulator weights, weighted_budget, budget;
  double degraded = 0.0;
  for (std::uint64_t i = 0; i < 6000; ++i) {
    const models::TrialResult r = biased.run(sim::trial_seed(m.seed, i));
    const double w = std::exp(biased.bias_tally().log_lr);
    weights.add(w);
    weighted_budget.add(w * r.slos[0].budget_consumed);
    budget.add(plain.run(sim::trial_seed(m.seed, i)).slos[0].budget_consumed);
    degraded += biased.bias_tally().exposure[1];
  }
  EXPECT_GT(degraded, 0.0);  // time with one replica down is counted in its class
  EXPECT_TRUE(weights.interval(0.99).contains(1.0)) << every << ": " << weights.mean();
  const auto a = weighted_budget.interval(0.99);
  const auto b = budget.interval(0.99);
  EXPECT_LT(std::fabs(a.estimate - b.estimate), a.half_width() + b.half_width())
      << every << ": " << a.estimate << " vs " << b.estimate;
}

TEST(RareBias, WeightsAverageOneWhenTheClassesDiffer) {
  weights_average_one("{exponential: {mean: 300h}}");
  // Not memoryless: a re-timed clock keeps the hazard it has consumed.
  weights_average_one("{weibull: {shape: 1.6, scale: 300h}}");
  weights_average_one("{lognormal: {median: 200h, p90: 600h}}");
}

RareOutcome rare(const models::CompiledModel& m, unsigned threads, sim::Shard shard,
                 std::uint64_t trials = 600) {
  RunRequest rq;
  rq.trials = trials;
  rq.threads = threads;
  rq.shard = shard;
  rq.confidence = 0.99;
  RareOptions o;
  o.pilot_trials = 300;
  return run_rare(m, rq, "slo_not_met", o);
}

TEST(RareRun, SameResultForAnyThreadCountAndShardSplit) {
  const models::CompiledModel m = fixed_model("1750h", 600);
  const RareOutcome one = rare(m, 1, {0, 1});
  const RareOutcome two = rare(m, 2, {0, 1});
  const RareOutcome a = rare(m, 2, {0, 2});
  const RareOutcome b = rare(m, 1, {1, 2});
  EXPECT_EQ(one.plan.theta, two.plan.theta);
  EXPECT_EQ(one.plan.theta, a.plan.theta);
  EXPECT_EQ(one.plan.theta, b.plan.theta);
  ASSERT_EQ(one.samples.size(), 600u);
  ASSERT_EQ(a.samples.size() + b.samples.size(), 600u);
  EXPECT_EQ(b.first_trial, a.samples.size());
  std::vector<RareSample> merged = a.samples;
  merged.insert(merged.end(), b.samples.begin(), b.samples.end());
  for (std::size_t i = 0; i < 600; ++i) {
    EXPECT_EQ(one.samples[i].weight, two.samples[i].weight) << i;
    EXPECT_EQ(one.samples[i].hit, two.samples[i].hit) << i;
    EXPECT_EQ(one.samples[i].weight, merged[i].weight) << i;
    EXPECT_EQ(one.samples[i].hit, merged[i].hit) << i;
  }
  const RareEstimate e = estimate_rare(merged, 0.99);
  EXPECT_EQ(e.estimate, one.estimate.estimate);
  EXPECT_EQ(e.high, one.estimate.high);
  std::string json_one, json_two;
  rare_json(m, one).write(json_one);
  rare_json(m, two).write(json_two);
  EXPECT_EQ(json_one, json_two);
  EXPECT_GT(one.estimate.hits, 100u);  // the bias makes the breach common
}

TEST(RareRun, DegenerateWeightsAreWarnedAbout) {
  // θ = 1,000: about 400 crashes a month instead of 0.4: every trial
  // breaches and a handful of weights carry the estimate.
  const models::CompiledModel m = fixed_model("1750h", 300);
  RunRequest rq;
  rq.trials = 300;
  rq.threads = 2;
  RareOptions o;
  o.fixed_bias = 1000.0;
  const RareOutcome out = run_rare(m, rq, "slo_not_met", o);
  ASSERT_FALSE(out.estimate.warnings.empty());
  EXPECT_NE(out.estimate.warnings[0].find("degenerate"), std::string::npos)
      << out.estimate.warnings[0];
  EXPECT_LT(out.estimate.ess, 30.0);
  // θ = 40 on the 1-of-2 service at both classes: hits found, but a few
  // weights carry them.
  const models::CompiledModel two =
      test::compile_text(test::rare_model(2, "5000h", "{exponential: {mean: 30m}}", 2000));
  rq.trials = 2000;
  o.fixed_bias = 40.0;
  const RareOutcome skew = run_rare(two, rq, "slo_not_met", o);
  EXPECT_GT(skew.estimate.hits, 10u);
  ASSERT_FALSE(skew.estimate.warnings.empty());
  EXPECT_NE(skew.estimate.warnings[0].find("degenerate"), std::string::npos)
      << skew.estimate.warnings[0];
  const std::string text = rare_text(m, out, "x.yaml");
  EXPECT_NE(text.find("warning: "), std::string::npos) << text;
  // A sound bias warns of nothing.
  const RareOutcome fine = rare(m, 2, {0, 1}, 2000);
  EXPECT_TRUE(fine.estimate.warnings.empty())
      << (fine.estimate.warnings.empty() ? "" : fine.estimate.warnings[0]);
}

TEST(RareEstimate, FiguresOfHandWeights) {
  // 8 trials: hits weigh 0.1, 0.3, 0.2 (w·I); misses 2, 1, 1, 1.5, 1.9.
  const std::vector<RareSample> s = {{0.1, true},  {2.0, false}, {0.3, true},  {1.0, false},
                                     {1.0, false}, {0.2, true},  {1.5, false}, {1.9, false}};
  const RareEstimate e = estimate_rare(s, 0.95);
  const double p = 0.6 / 8.0;
  EXPECT_DOUBLE_EQ(e.estimate, p);
  EXPECT_EQ(e.hits, 3u);
  EXPECT_NEAR(e.ess, 0.36 / (0.01 + 0.09 + 0.04), 1e-12);
  EXPECT_NEAR(e.mean_weight, 8.0 / 8.0, 1e-12);
  double ss = 0.0;
  for (const auto& x : s) ss += std::pow((x.hit ? x.weight : 0.0) - p, 2);
  const double var = ss / 7.0;
  EXPECT_NEAR(e.variance_ratio, p * (1 - p) / var, 1e-12);
  const double cv = std::sqrt(var / 8.0) / p;
  EXPECT_NEAR(e.low, p * std::exp(-1.959963984540054 * cv), 1e-9);
  EXPECT_NEAR(e.high, p * std::exp(1.959963984540054 * cv), 1e-9);
  EXPECT_GT(e.low, 0.0);
  EXPECT_NEAR(e.largest_share, 0.5, 1e-12);
  // No hit: 0 without an upper end, and a warning.
  const RareEstimate none = estimate_rare({{1.0, false}, {0.5, false}}, 0.95);
  EXPECT_EQ(none.estimate, 0.0);
  EXPECT_TRUE(std::isnan(none.high));
  ASSERT_FALSE(none.warnings.empty());
  EXPECT_NE(none.warnings[0].find("no trial reached the event"), std::string::npos);
}

TEST(RareTargets, ParseEveryKindAndRefuseNonsense) {
  const models::CompiledModel m = fixed_model("1750h", 10);
  EXPECT_EQ(parse_rare_target(m, "slo_not_met").kind, RareTarget::Kind::slo_not_met);
  EXPECT_EQ(parse_rare_target(m, "slo_not_met:avail").slo, 0u);
  const RareTarget tier = parse_rare_target(m, "tier:freeze");
  EXPECT_EQ(tier.kind, RareTarget::Kind::tier_reached);
  EXPECT_DOUBLE_EQ(tier.level, 0.5);  // freeze below 50 % left
  EXPECT_DOUBLE_EQ(parse_rare_target(m, "tier:leadershipReview:avail").level, 1.0);
  const RareTarget above = parse_rare_target(m, "budget_consumed>200%");
  EXPECT_EQ(above.kind, RareTarget::Kind::above);
  EXPECT_DOUBLE_EQ(above.threshold, 2.0);
  const RareTarget below = parse_rare_target(m, "availability<99.95%:web");
  EXPECT_EQ(below.kind, RareTarget::Kind::below);
  EXPECT_DOUBLE_EQ(below.level, -0.9995);
  auto message = [&](const std::string& spec) {
    try {
      (void)parse_rare_target(m, spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("slo_not_met:nope").find("no SLO 'nope' (the SLOs: avail)"), std::string::npos);
  EXPECT_NE(message("tier:panic").find("no budget tier 'panic'"), std::string::npos);
  EXPECT_NE(message("budget_consumed>lots").find("'lots' is not a number"), std::string::npos);
  EXPECT_NE(message("frobnicate").find("--rare 'frobnicate': unknown target"), std::string::npos);
  EXPECT_NE(message("availability<0.9:nope").find("no service 'nope'"), std::string::npos);
  EXPECT_NE(message("").find("no target"), std::string::npos);
}

TEST(RareRun, RefusesAModelWithoutFailureProcesses) {
  std::string text = test::rare_model(1, "100h", "1m", 10);
  text.replace(text.find("randomDeploys: false"), 20,
               "randomDeploys: false\n  randomFailures: false");
  const models::CompiledModel m = test::compile_text(text);
  RunRequest rq;
  rq.trials = 10;
  try {
    (void)run_rare(m, rq, "slo_not_met", RareOptions{});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no failure process to bias"), std::string::npos)
        << e.what();
  }
}

TEST(RareCommand, PrintsTheEstimateAndRefusesBadInput) {
  const auto ok =
      test::relsim("run " + kScenario + " --rare slo_not_met --trials 400 --rare-pilot 200");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("Rare event: P(SLO web-availability not met)"), std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("effective samples"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("variance ratio"), std::string::npos) << ok.out;
  const auto json = test::relsim("run " + kScenario +
                                 " --rare slo_not_met --trials 400 --rare-pilot 200 --format json");
  EXPECT_EQ(json.code, 0) << json.out;
  EXPECT_NE(json.out.find("\"effectiveSampleSize\": "), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"varianceRatio\": "), std::string::npos) << json.out;

  const auto bad_target = test::relsim("run " + kScenario + " --rare slo_not_met:nope --trials 10");
  EXPECT_EQ(bad_target.code, 1) << bad_target.out;
  EXPECT_NE(bad_target.out.find("--rare 'slo_not_met:nope': no SLO 'nope'"), std::string::npos)
      << bad_target.out;
  const std::string out = (std::filesystem::temp_directory_path() / "relsim-rare-test.h5").string();
  const auto with_out =
      test::relsim("run " + kScenario + " --rare slo_not_met --trials 10 --out " + out);
  EXPECT_EQ(with_out.code, 1) << with_out.out;
  EXPECT_NE(with_out.out.find("does not go with"), std::string::npos) << with_out.out;
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto bad_bias =
      test::relsim("run " + kScenario + " --rare slo_not_met --trials 10 --rare-bias -2");
  EXPECT_EQ(bad_bias.code, 1) << bad_bias.out;
  EXPECT_NE(bad_bias.out.find("--rare-bias must be a positive number"), std::string::npos)
      << bad_bias.out;
  // A factor so large that every clock fires at once used to hang the run.
  const auto huge_bias =
      test::relsim("run " + kScenario + " --rare slo_not_met --trials 10 --rare-bias 1e300");
  EXPECT_EQ(huge_bias.code, 1) << huge_bias.out;
  EXPECT_NE(huge_bias.out.find("--rare-bias must be between 0.01 and 1000 (got 1e+300)"),
            std::string::npos)
      << huge_bias.out;
  const auto lone_bias = test::relsim("run " + kScenario + " --trials 10 --rare-bias 3");
  EXPECT_EQ(lone_bias.code, 1) << lone_bias.out;
  EXPECT_NE(lone_bias.out.find("go with --rare"), std::string::npos) << lone_bias.out;
}

}  // namespace
}  // namespace relsim::analysis
