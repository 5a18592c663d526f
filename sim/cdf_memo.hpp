// CdfMemo: a small direct-mapped cache of Distribution::cdf values.
//
// The fluid evaluates the same latency CDFs at the same arguments event after
// event (a component's latency budget moves only when its delay or stretch
// does), and a lognormal's CDF costs a log, an erfc and an exp. A hit returns
// the value computed before for the same (distribution, x): the same double,
// bit for bit, so results do not depend on what the memo holds. Not
// thread-safe: one per evaluation buffer (models::FluidResult), which belongs
// to one thread. Keys are addresses: the distributions a memo sees must
// outlive it (a FluidResult lives within its model's lifetime). Copying a memo copies nothing (a
// cache, not state): the copy starts empty and an assignment keeps the target's entries.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "sim/distribution.hpp"

namespace relsim::sim {

class CdfMemo {
 public:
  CdfMemo() = default;
  CdfMemo(const CdfMemo& /*other*/) {}
  CdfMemo& operator=(const CdfMemo& /*other*/) { return *this; }

  /// d.cdf(x), from the memo when (d, x) was the last pair in its slot.
  double cdf(const Distribution& d, double x) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    const std::uint64_t key = bits ^ (bits >> 29) ^ reinterpret_cast<std::uintptr_t>(&d);
    Entry& e = entries_[(key * 0x9E3779B97F4A7C15ULL) >> (64 - kBits)];
    // Compared by bits, so no argument is ever answered with another's value.
    // A NaN is never stored: cdf reports it.
    if (e.d == &d && e.bits == bits) return e.value;
    e = {&d, bits, d.cdf(x)};
    return e.value;
  }

 private:
  static constexpr unsigned kBits = 8;  // 256 slots, 6 KiB
  struct Entry {
    const Distribution* d = nullptr;
    std::uint64_t bits = 0;
    double value = 0.0;
  };
  std::array<Entry, std::size_t{1} << kBits> entries_{};
};

}  // namespace relsim::sim
