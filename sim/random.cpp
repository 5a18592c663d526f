// Out-of-line parts of the random streams.
#include "sim/random.hpp"

#include <cstdint>

namespace relsim::sim {
namespace {

__extension__ typedef unsigned __int128 U128;  // NOLINT: GCC/Clang builtin

}  // namespace

// Lemire, "Fast Random Integer Generation in an Interval" (ACM TOMACS 2019):
// the high word of x·n is uniform on [0, n) once the low words below
// 2^64 mod n are rejected. The modulo runs only when the low word is < n, so
// most draws cost one multiply; each draw consumes one or (rarely) more words.
// For n = 0 the low word is never < n and the result is 0 after one word.
std::uint64_t Rng::below(std::uint64_t n) {
  U128 m = static_cast<U128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<U128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace relsim::sim
