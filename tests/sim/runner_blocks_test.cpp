// sim::run_trials_in_blocks, the pipelined block runner behind `relsim run`:
// blocks arrive in trial order and hold exactly run_trials' results for any
// block size and thread count; returning false stops the hand-over; an
// exception of the consumer propagates; a failing trial surfaces as
// TrialFailure once the blocks before it were consumed.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/random.hpp"
#include "sim/runner.hpp"

namespace relsim::sim {
namespace {

/// A trial's result that depends only on its seed.
auto worker() {
  return [](std::uint64_t, std::uint64_t seed) {
    Rng rng(seed, stream_id("blocks"));
    return rng.next_u64();
  };
}

TEST(RunTrialsInBlocks, BlocksConcatenateToTheResultsOfRunTrials) {
  RunnerOptions o;
  o.master_seed = 11;
  o.trials = 103;
  const auto whole = run_trials<std::uint64_t>(o, worker);
  for (const unsigned threads : {1u, 2u, 3u}) {
    for (const std::uint64_t block : {1u, 7u, 50u, 103u, 500u}) {
      o.threads = threads;
      std::vector<std::uint64_t> got;
      std::uint64_t expected_first = 0;
      run_trials_in_blocks<std::uint64_t>(o, block, worker, [&](TrialResults<std::uint64_t>&& r) {
        EXPECT_EQ(r.first_trial, expected_first);
        EXPECT_LE(r.results.size(), block);
        expected_first += r.results.size();
        got.insert(got.end(), r.results.begin(), r.results.end());
        return true;
      });
      EXPECT_EQ(got, whole.results) << threads << " threads, blocks of " << block;
    }
  }
}

TEST(RunTrialsInBlocks, FalseStopsTheHandOverAndShardsAreRespected) {
  RunnerOptions o;
  o.trials = 100;
  o.threads = 2;
  o.shard = {1, 4};  // trials 25..49
  int calls = 0;
  run_trials_in_blocks<std::uint64_t>(o, 10, worker, [&](TrialResults<std::uint64_t>&& r) {
    EXPECT_EQ(r.first_trial, 25u + 10u * static_cast<unsigned>(calls));
    ++calls;
    return calls < 2;
  });
  EXPECT_EQ(calls, 2);
}

TEST(RunTrialsInBlocks, ConsumerErrorsAndTrialFailuresPropagate) {
  RunnerOptions o;
  o.trials = 40;
  o.threads = 2;
  EXPECT_THROW(run_trials_in_blocks<std::uint64_t>(o, 8, worker,
                                                   [](TrialResults<std::uint64_t>&&) -> bool {
                                                     throw std::runtime_error("disk full");
                                                   }),
               std::runtime_error);
  auto failing = []() {
    return [](std::uint64_t trial, std::uint64_t) -> std::uint64_t {
      if (trial == 21) throw std::runtime_error("boom");
      return trial;
    };
  };
  std::uint64_t consumed = 0;
  try {
    run_trials_in_blocks<std::uint64_t>(o, 8, failing, [&](TrialResults<std::uint64_t>&& r) {
      consumed += r.results.size();
      return true;
    });
    FAIL() << "no TrialFailure";
  } catch (const TrialFailure& e) {
    EXPECT_EQ(e.trial_index(), 21u);
  }
  EXPECT_EQ(consumed, 16u);  // the blocks before the failing one
}

}  // namespace
}  // namespace relsim::sim
