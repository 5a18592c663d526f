// The Monte Carlo runner: runs trials over a pool of threads and returns
// their results indexed by trial, so any reduction done in trial order is
// bit-identical for every thread count.
//
// Trial i of a run with master seed S draws all its randomness from
// `trial_seed(S, i)`: results do not depend on threads, chunking or shards.
//
// Shards: `shard i of n` takes the contiguous trials
// [floor(i·N/n), floor((i+1)·N/n)) of a run of N trials. Shard results carry
// their first trial index; `merge_shards` checks that the parts cover the run
// exactly once and concatenates them in trial order, which is exactly the
// one-run result.
//
// Failures: a trial that throws stops the hand-out of later trials; every
// trial before it still runs, and the run throws `TrialFailure` naming the
// lowest failing trial index and its seed (deterministic for any threads),
// so it can be replayed alone with `--trial-index`.
#pragma once

#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {

struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};

/// Parses `i/n` (0 <= i < n); throws std::invalid_argument otherwise.
Shard parse_shard(const std::string& text);

struct TrialRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end - begin; }
};

/// The trials shard `shard` takes from a run of `trials` trials.
TrialRange shard_range(std::uint64_t trials, Shard shard);

struct RunnerOptions {
  std::uint64_t master_seed = 1;
  std::uint64_t trials = 1000;
  /// Worker threads; 0 means std::thread::hardware_concurrency().
  unsigned threads = 0;
  Shard shard{};
  /// Replays this one trial alone (its result is identical to the same
  /// trial inside a full run); overrides `shard`.
  std::optional<std::uint64_t> only_trial;
};

/// The trials `options` asks for: one trial, or the shard's range.
TrialRange selected_trials(const RunnerOptions& options);

class TrialFailure : public std::runtime_error {
 public:
  TrialFailure(std::uint64_t trial_index, std::uint64_t master_seed, const std::string& what);
  std::uint64_t trial_index() const { return trial_index_; }
  std::uint64_t master_seed() const { return master_seed_; }

 private:
  std::uint64_t trial_index_;
  std::uint64_t master_seed_;
};

/// Results of the trials [first_trial, first_trial + results.size()) of a run
/// of `total_trials` trials.
template <class Result>
struct TrialResults {
  std::uint64_t first_trial = 0;
  std::uint64_t total_trials = 0;
  std::vector<Result> results;
};

namespace detail {
/// One worker's state, alone in its cache lines: workers kept side by side
/// in a vector would share the line at their boundary, and a model that
/// holds its Simulation inline (clock, queue counters) would then bounce
/// that line between the cores on every event (false sharing: the
/// machine-repair example ran 1.08x faster on 2 threads instead of ~2x).
/// 128 bytes: the adjacent-line prefetcher pairs 64-byte lines.
template <class Worker>
struct alignas(128) WorkerSlot {
  std::optional<Worker> worker;
};

/// Runs body(worker, trial) for every trial in `range` on `threads` workers,
/// handing out trials in increasing order in small chunks. Rethrows the
/// lowest failing trial as TrialFailure. `worker` is in [0, threads).
void run_parallel(TrialRange range, unsigned threads, std::uint64_t master_seed,
                  const std::function<void(unsigned, std::uint64_t)>& body);
/// The number of workers `threads` asks for on this machine, capped by trials.
unsigned resolve_threads(unsigned threads, std::uint64_t trials);
}  // namespace detail

/// Runs the trials of `options.shard`. `make_worker()` is called once per
/// thread and returns a callable `Result(std::uint64_t trial_index,
/// std::uint64_t trial_seed)` that may keep per-thread scratch state.
template <class Result, class MakeWorker>
TrialResults<Result> run_trials(const RunnerOptions& options, MakeWorker&& make_worker) {
  const TrialRange range = selected_trials(options);
  const unsigned threads = detail::resolve_threads(options.threads, range.size());
  using Worker = decltype(make_worker());
  std::vector<detail::WorkerSlot<Worker>> workers(threads);
  TrialResults<Result> out{range.begin, options.trials, std::vector<Result>(range.size())};
  detail::run_parallel(range, threads, options.master_seed, [&](unsigned w, std::uint64_t trial) {
    std::optional<Worker>& worker = workers[w].worker;
    if (!worker) worker.emplace(make_worker());
    out.results[trial - range.begin] = (*worker)(trial, trial_seed(options.master_seed, trial));
  });
  return out;
}

/// Runs the trials of `options` like run_trials, but in consecutive blocks of
/// `block_size` (>= 1) trials, the last one shorter: each block runs on all
/// workers (whose per-thread state lives across blocks), then
/// `on_block(TrialResults<Result>&&)` receives the block's results in trial
/// order on the calling thread. When it returns false no further block is
/// handed over. Memory holds two blocks, whatever the trial count; a block's
/// results are exactly those trials' results of run_trials.
///
/// Pipelined: while `on_block` digests block k (writing it to a file, say),
/// the workers already run block k + 1 on a helper thread, so the consumer's
/// time hides behind the trials' instead of adding to it. A block computed
/// ahead of an `on_block` that returns false (or throws) is discarded; a
/// trial failure in it is reported only if its block would have been used.
template <class Result, class MakeWorker, class OnBlock>
void run_trials_in_blocks(const RunnerOptions& options, std::uint64_t block_size,
                          MakeWorker&& make_worker, OnBlock&& on_block) {
  if (block_size == 0) throw std::invalid_argument("run_trials_in_blocks: block size 0");
  const TrialRange range = selected_trials(options);
  if (range.size() == 0) return;
  const unsigned threads = detail::resolve_threads(options.threads, range.size());
  using Worker = decltype(make_worker());
  std::vector<detail::WorkerSlot<Worker>> workers(threads);
  auto compute = [&](std::uint64_t begin) {
    const TrialRange block{begin, std::min(range.end, begin + block_size)};
    TrialResults<Result> out{block.begin, options.trials, std::vector<Result>(block.size())};
    const auto block_threads =
        static_cast<unsigned>(std::min<std::uint64_t>(block.size(), threads));
    detail::run_parallel(block, block_threads, options.master_seed,
                         [&](unsigned w, std::uint64_t trial) {
                           std::optional<Worker>& worker = workers[w].worker;
                           if (!worker) worker.emplace(make_worker());
                           out.results[trial - block.begin] =
                               (*worker)(trial, trial_seed(options.master_seed, trial));
                         });
    return out;
  };
  TrialResults<Result> current = compute(range.begin);
  for (;;) {
    const std::uint64_t next = current.first_trial + current.results.size();
    std::optional<TrialResults<Result>> ahead;
    std::exception_ptr error;
    std::thread helper;
    if (next < range.end) {
      helper = std::thread([&] {
        try {
          ahead.emplace(compute(next));
        } catch (...) {
          error = std::current_exception();
        }
      });
    }
    bool more = false;
    try {
      more = on_block(std::move(current));
    } catch (...) {
      if (helper.joinable()) helper.join();
      throw;
    }
    if (helper.joinable()) helper.join();
    if (!more || next >= range.end) return;
    if (error) std::rethrow_exception(error);
    current = std::move(*ahead);
  }
}

/// Concatenates shard results in trial order; throws std::invalid_argument
/// when the parts do not cover one run exactly once.
template <class Result>
TrialResults<Result> merge_shards(std::vector<TrialResults<Result>> parts) {
  if (parts.empty()) throw std::invalid_argument("merge_shards: no parts");
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.first_trial < b.first_trial; });
  TrialResults<Result> merged{0, parts.front().total_trials, {}};
  std::uint64_t next = 0;
  for (auto& p : parts) {
    if (p.total_trials != merged.total_trials)
      throw std::invalid_argument("merge_shards: parts come from runs of different sizes");
    if (p.first_trial != next)
      throw std::invalid_argument("merge_shards: trials " + std::to_string(next) + ".." +
                                  std::to_string(p.first_trial) + " are " +
                                  (p.first_trial > next ? "missing" : "covered twice"));
    next += p.results.size();
    merged.results.insert(merged.results.end(), std::make_move_iterator(p.results.begin()),
                          std::make_move_iterator(p.results.end()));
  }
  if (next != merged.total_trials)
    throw std::invalid_argument("merge_shards: trials from " + std::to_string(next) +
                                " on are missing");
  return merged;
}

}  // namespace relsim::sim
