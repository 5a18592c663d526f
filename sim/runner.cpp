#include "sim/runner.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace relsim::sim {

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto bad = [&]() {
    return std::invalid_argument("invalid shard '" + text + "': expected i/n with 0 <= i < n");
  };
  if (slash == std::string::npos) throw bad();
  Shard s;
  const char* b = text.data();
  auto r1 = std::from_chars(b, b + slash, s.index);
  auto r2 = std::from_chars(b + slash + 1, b + text.size(), s.count);
  if (r1.ec != std::errc() || r1.ptr != b + slash || r2.ec != std::errc() ||
      r2.ptr != b + text.size() || s.count == 0 || s.index >= s.count)
    throw bad();
  return s;
}

TrialRange shard_range(std::uint64_t trials, Shard shard) {
  if (shard.count == 0 || shard.index >= shard.count)
    throw std::invalid_argument("shard index must be below the shard count");
  // floor(trials·i/n) = q·i + floor(r·i/n) with trials = q·n + r; no overflow
  // since r < n <= 2^32 and i <= n.
  const std::uint64_t q = trials / shard.count;
  const std::uint64_t r = trials % shard.count;
  auto cut = [&](std::uint64_t i) { return q * i + r * i / shard.count; };
  return {cut(shard.index), cut(shard.index + 1ULL)};
}

TrialRange selected_trials(const RunnerOptions& options) {
  if (options.only_trial) {
    if (*options.only_trial >= options.trials)
      throw std::invalid_argument("trial index " + std::to_string(*options.only_trial) +
                                  " is not below the trial count " +
                                  std::to_string(options.trials));
    return {*options.only_trial, *options.only_trial + 1};
  }
  return shard_range(options.trials, options.shard);
}

TrialFailure::TrialFailure(std::uint64_t trial_index, std::uint64_t master_seed,
                           const std::string& what)
    : std::runtime_error("trial " + std::to_string(trial_index) + " (seed " +
                         std::to_string(master_seed) + ") failed: " + what +
                         " [replay it alone with --seed " + std::to_string(master_seed) +
                         " --trial-index " + std::to_string(trial_index) + "]"),
      trial_index_(trial_index),
      master_seed_(master_seed) {}

namespace detail {

unsigned resolve_threads(unsigned threads, std::uint64_t trials) {
  unsigned t = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  if (trials < t) t = static_cast<unsigned>(std::max<std::uint64_t>(1, trials));
  return t;
}

void run_parallel(TrialRange range, unsigned threads, std::uint64_t master_seed,
                  const std::function<void(unsigned, std::uint64_t)>& body) {
  if (range.size() == 0) return;
  // Small chunks keep threads balanced; the result does not depend on them.
  const std::uint64_t chunk =
      std::clamp<std::uint64_t>(range.size() / (std::uint64_t{threads} * 32), 1, 64);
  std::atomic<std::uint64_t> next{range.begin};
  // Trials at or after `stop_at` are not handed out (set by the first failure).
  std::atomic<std::uint64_t> stop_at{std::numeric_limits<std::uint64_t>::max()};
  std::mutex failure_mutex;
  std::uint64_t failed_trial = std::numeric_limits<std::uint64_t>::max();
  std::string failure_what;

  auto work = [&](unsigned worker) {
    for (;;) {
      const std::uint64_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= range.end || begin >= stop_at.load(std::memory_order_relaxed)) return;
      const std::uint64_t end = std::min(begin + chunk, range.end);
      for (std::uint64_t trial = begin; trial < end; ++trial) {
        try {
          body(worker, trial);
        } catch (const std::exception& e) {
          const std::lock_guard lock(failure_mutex);
          if (trial < failed_trial) {
            failed_trial = trial;
            failure_what = e.what();
            stop_at.store(trial, std::memory_order_relaxed);
          }
          return;
        }
      }
    }
  };

  if (threads <= 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned w = 1; w < threads; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
  }
  if (failed_trial != std::numeric_limits<std::uint64_t>::max())
    throw TrialFailure(failed_trial, master_seed, failure_what);
}

}  // namespace detail
}  // namespace relsim::sim
