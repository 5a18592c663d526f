#include "sim/runner.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "sim/machine_repair.hpp"

namespace relsim::sim {
namespace {

MachineRepairParams small_params() {
  MachineRepairParams p;
  p.machines = 5;
  p.crews = 1;
  p.horizon = Duration::days(30);
  p.warmup = Duration::days(1);
  return p;
}

TrialResults<MachineRepairResult> run(RunnerOptions o) {
  const auto params = small_params();
  return run_trials<MachineRepairResult>(o, [&params]() {
    return [model = MachineRepairModel(params)](std::uint64_t, std::uint64_t seed) mutable {
      return model.run_trial(seed);
    };
  });
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_identical(const std::vector<MachineRepairResult>& a,
                      const std::vector<MachineRepairResult>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(same_bits(a[i].availability, b[i].availability)) << "trial " << i;
    EXPECT_TRUE(same_bits(a[i].mean_queue, b[i].mean_queue)) << "trial " << i;
    EXPECT_EQ(a[i].failures, b[i].failures) << "trial " << i;
    EXPECT_EQ(a[i].events, b[i].events) << "trial " << i;
  }
}

TEST(Runner, ResultsAreBitIdenticalForOneTwoAndEightThreads) {
  RunnerOptions o;
  o.master_seed = 2024;
  o.trials = 203;
  o.threads = 1;
  const auto one = run(o);
  o.threads = 2;
  const auto two = run(o);
  o.threads = 8;
  const auto eight = run(o);
  expect_identical(one.results, two.results);
  expect_identical(one.results, eight.results);
  // Trials differ from each other (the seeds really vary).
  EXPECT_NE(one.results[0].failures + one.results[0].events,
            one.results[1].failures + one.results[1].events);
}

TEST(Runner, ShardSplitsMergeIntoTheOneRunResult) {
  RunnerOptions o;
  o.master_seed = 99;
  o.trials = 101;
  o.threads = 2;
  const auto whole = run(o);
  for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
    std::vector<TrialResults<MachineRepairResult>> parts;
    for (std::uint32_t i = n; i-- > 0;) {  // out of order on purpose
      o.shard = {i, n};
      parts.push_back(run(o));
    }
    const auto merged = merge_shards(std::move(parts));
    EXPECT_EQ(merged.first_trial, 0u);
    expect_identical(whole.results, merged.results);
  }
}

TEST(Runner, ShardRangesAreContiguousAndCoverEveryTrial) {
  EXPECT_EQ(shard_range(10, {0, 3}).begin, 0u);
  EXPECT_EQ(shard_range(10, {0, 3}).end, 3u);
  EXPECT_EQ(shard_range(10, {1, 3}).end, 6u);
  EXPECT_EQ(shard_range(10, {2, 3}).end, 10u);
  EXPECT_EQ(shard_range(2, {0, 4}).size(), 0u);
  EXPECT_THROW(shard_range(10, {3, 3}), std::invalid_argument);
}

TEST(Runner, MergeRejectsGapsOverlapsAndMixedRuns) {
  RunnerOptions o;
  o.trials = 10;
  o.threads = 1;
  o.shard = {0, 2};
  const auto first = run(o);
  EXPECT_THROW(merge_shards(std::vector{first}), std::invalid_argument);
  EXPECT_THROW(merge_shards(std::vector{first, first}), std::invalid_argument);
  o.trials = 12;
  o.shard = {1, 2};
  const auto other = run(o);
  EXPECT_THROW(merge_shards(std::vector{first, other}), std::invalid_argument);
}

TEST(Runner, ParsesShards) {
  EXPECT_EQ(parse_shard("2/5").index, 2u);
  EXPECT_EQ(parse_shard("2/5").count, 5u);
  for (const char* bad : {"", "3", "5/5", "1/0", "a/b", "1/2x", "-1/2"}) {
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
  }
}

TEST(Runner, OnlyTrialReplaysOneTrialExactly) {
  RunnerOptions o;
  o.master_seed = 5;
  o.trials = 20;
  o.threads = 2;
  const auto whole = run(o);
  o.only_trial = 13;
  const auto alone = run(o);
  ASSERT_EQ(alone.results.size(), 1u);
  EXPECT_EQ(alone.first_trial, 13u);
  expect_identical({whole.results[13]}, alone.results);
  o.only_trial = 20;
  EXPECT_THROW(run(o), std::invalid_argument);
}

TEST(Runner, ReportsLowestFailingTrialWithSeedForAnyThreadCount) {
  for (unsigned threads : {1u, 2u, 8u}) {
    RunnerOptions o;
    o.master_seed = 31337;
    o.trials = 500;
    o.threads = threads;
    try {
      run_trials<int>(o, []() {
        return [](std::uint64_t trial, std::uint64_t) -> int {
          if (trial == 123 || trial == 77 || trial == 400) throw std::runtime_error("boom");
          return 0;
        };
      });
      FAIL() << "expected TrialFailure";
    } catch (const TrialFailure& e) {
      EXPECT_EQ(e.trial_index(), 77u);
      EXPECT_EQ(e.master_seed(), 31337u);
      EXPECT_NE(std::string(e.what()).find("trial 77 (seed 31337) failed: boom"), std::string::npos)
          << e.what();
    }
  }
}

TEST(Runner, TrialSeedsDependOnlyOnMasterSeedAndIndex) {
  EXPECT_EQ(trial_seed(1, 0), trial_seed(1, 0));
  EXPECT_NE(trial_seed(1, 0), trial_seed(1, 1));
  EXPECT_NE(trial_seed(1, 0), trial_seed(2, 0));
}

}  // namespace
}  // namespace relsim::sim
