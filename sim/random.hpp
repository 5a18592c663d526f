// Reproducible random streams.
//
// Every random process of a trial draws from its own stream, keyed by
// (master seed, trial index, stream id). The stream id is a stable 64-bit
// hash of what the process is ("payment-api/replica-3/failures"), never of
// creation order, thread or clock, so results do not depend on thread count
// or shard layout, and two variants of a scenario that share a process share
// its draws (common random numbers).
//
// Generator: xoshiro256** (Blackman & Vigna), seeded through SplitMix64 from
// the key. Period 2^256 − 1; streams from distinct keys are statistically
// independent for simulation purposes. `Rng` is a small value type; one per
// process per trial; not shared between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace relsim::sim {

/// FNV-1a 64-bit hash of a name: the stable stream id of a random process.
constexpr std::uint64_t stream_id(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// One step of SplitMix64: advances `state` and returns a mixed word.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The seed a trial's streams derive from; also what a failed trial reports
/// so it can be replayed alone.
constexpr std::uint64_t trial_seed(std::uint64_t master_seed, std::uint64_t trial_index) {
  std::uint64_t s = master_seed ^ 0x6a09e667f3bcc909ULL;
  splitmix64(s);
  s ^= trial_index * 0xd1b54a32d192ed03ULL;
  return splitmix64(s);
}

class Rng {
 public:
  /// The stream of process `stream` in the trial whose seed is `trial_seed`.
  constexpr Rng(std::uint64_t trial_seed_value, std::uint64_t stream) {
    std::uint64_t sm = trial_seed_value ^ (stream * 0x9e3779b97f4a7c15ULL);
    sm = splitmix64(sm) ^ stream;
    for (auto& w : s_) w = splitmix64(sm);
  }
  /// Convenience: the stream keyed by (master seed, trial index, stream id).
  static constexpr Rng for_stream(std::uint64_t master_seed, std::uint64_t trial_index,
                                  std::uint64_t stream) {
    return Rng(trial_seed(master_seed, trial_index), stream);
  }

  /// The next 64 random bits.
  constexpr std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform double in [0, 1) with 53 random bits.
  constexpr double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform double in (0, 1]: safe under log().
  constexpr double uniform_open0() {
    return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53;
  }
  /// Uniform integer in [0, n) for n >= 1 (Lemire's multiply-shift; unbiased).
  std::uint64_t below(std::uint64_t n);
  /// True with probability p (p <= 0 never, p >= 1 always; one word drawn).
  constexpr bool bernoulli(double p) { return uniform01() < p; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace relsim::sim
