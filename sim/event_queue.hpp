// The pending-event set: a two-tier ladder queue (a calendar of time buckets
// in front of an unsorted overflow), built for the hold pattern of a
// discrete-event loop (pop the earliest, push one or two later).
//
// Ordering: events are totally ordered by (time, sequence). The sequence is
// assigned at push time from a per-queue counter, so events at the same
// instant pop in the order they were scheduled. This makes every run
// deterministic, and the order is exactly that of a heap on (time, sequence):
// the structure changes the speed, never the order.
//
// Structure, earliest first (every event of a tier is due before every event
// of the next one):
//  - `bottom_`: the events up to `bottom_last_`, sorted by (time, sequence);
//    pops take its front (an index moves, nothing is shifted).
//  - the window: `nb_` buckets of 2^`shift_` µs each from `base_`, covering
//    (bottom_last_, window_last_]; a bucket is an unsorted singly linked list
//    over one node pool. When `bottom_` runs dry, the next non-empty bucket
//    is copied into it and sorted.
//  - `far_`: the events after `window_last_`, unsorted. When the window runs
//    dry it is rebuilt from the overflow: the bucket width (a power of two)
//    is chosen from the density near the front of the overflow (a sample of
//    64 times) so a bucket holds ~kPerBucket events, and the window holds at
//    most ~kCoverage * n events; the rest stays in `far_`.
// A push lands in the tier its time belongs to: an append, or, for an event
// due before the current bucket ends, a sorted insert into `bottom_`. Few
// pending events (<= kSmall at a rebuild) make `bottom_` a plain sorted array.
// (After Tang, Goh and Thng, "Ladder queue", ACM TOMACS 15(3), 2005, with
// one rung and a sampled width.)
//
// Why: in the hold loop a heap pays a sift-down through log n levels of
// dependent cache misses per pop; this queue pays a bucket append per push
// and, amortised, part of a small sort and about 0.3 moves out of the
// overflow. With a few pending events (the machine-repair example, ~11) a
// heap is as fast or faster. What it measured, against std::priority_queue
// (BM_Hold, bench/bench_event_queue.cpp): docs/event-queue.md.
//
// Complexity: push O(1) (an append, or an insert into the current bucket's
// few events); pop O(1) amortised (a share of one bucket's sort, O(k log k)
// for k events, and of a rebuild, O(n) about once every n pops in the hold
// pattern). Worst case: many events of distinct times crowded into one
// bucket's span make its sort and inserts O(k); equal times stay cheap (an
// insert at the latest time is an append).
// Cancellation is not done here: the Simulation stamps events with a
// generation counter and discards stale ones at pop (O(1) cancel, no search).
// Memory: 36 bytes per event in the window, 32 in the overflow, 4 per bucket
// (at most n); nothing shrinks and `clear()` keeps the capacity, so a trial
// loop reaches a steady state with no allocation per event.
// Not thread-safe; one queue per trial.
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "sim/time.hpp"

namespace relsim::sim {

/// One scheduled event: 32 bytes, trivially copyable.
struct Event {
  Time time;
  /// (sequence << 16) | kind. Comparing this word orders equal-time events
  /// by sequence, since sequences are unique.
  std::uint64_t order = 0;
  /// The entity the event is about (an index into the model's arrays).
  std::uint32_t target = 0;
  /// The cancellation generation of `target` when the event was scheduled.
  std::uint32_t generation = 0;
  /// A free word for the model (an index, a count, packed flags).
  std::uint64_t payload = 0;

  constexpr std::uint16_t kind() const { return static_cast<std::uint16_t>(order & 0xFFFFu); }
  constexpr std::uint64_t sequence() const { return order >> 16; }
};
static_assert(std::is_trivially_copyable_v<Event>);
static_assert(sizeof(Event) == 32);

/// True when `a` must run before `b`. One branch-free 128-bit comparison of
/// (time, order): the time's sign bit is flipped so unsigned order matches.
inline bool runs_before(const Event& a, const Event& b) {
  __extension__ using Key = unsigned __int128;
  auto key = [](const Event& e) {
    const auto t = static_cast<std::uint64_t>(e.time.count_micros()) ^ (1ULL << 63);
    return (static_cast<Key>(t) << 64) | e.order;
  };
  return key(a) < key(b);
}

class EventQueue {
 public:
  EventQueue() = default;

  /// Schedules an event; returns its sequence number. The sequence fixes the
  /// order among events at the same time. Any time is accepted (also one
  /// before the last popped event), though the loop only pushes times >= now.
  std::uint64_t push(Time time, std::uint16_t kind, std::uint32_t target,
                     std::uint32_t generation = 0, std::uint64_t payload = 0) {
    const std::uint64_t seq = next_sequence_++;
    const Event e{time, (seq << 16) | kind, target, generation, payload};
    const std::int64_t t = time.count_micros();
    ++size_;
    if (t > window_last_) {
      far_.push_back(e);
      far_min_ = std::min(far_min_, t);
      far_max_ = std::max(far_max_, t);
    } else if (t > bottom_last_) {
      link(bucket_of(t), e);
    } else {
      insert_bottom(e);
    }
    return seq;
  }

  /// Removes and returns the earliest event. Precondition: !empty().
  Event pop() {
    if (head_ == bottom_.size()) refill();
    --size_;
    return bottom_[head_++];
  }

  /// The earliest event without removing it; valid until the next push or
  /// pop. Precondition: !empty().
  const Event& top() {
    if (head_ == bottom_.size()) refill();
    return bottom_[head_];
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  /// Removes every event and restarts the sequence counter; keeps capacity.
  void clear() {
    for (std::size_t b = cur_; b < nb_; ++b) head_of_[b] = kNil;
    nodes_.clear();
    next_.clear();
    free_ = kNil;
    bottom_.clear();
    far_.clear();
    head_ = 0;
    size_ = 0;
    next_sequence_ = 0;
    nb_ = 0;
    cur_ = 0;
    bottom_last_ = kMinTime;
    window_last_ = kMinTime;
    far_min_ = kMaxTime;
    far_max_ = kMinTime;
  }
  /// Room for `n` pending events without reallocation.
  void reserve(std::size_t n) {
    far_.reserve(n);
    nodes_.reserve(n);
    next_.reserve(n);
  }

 private:
  static constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  // Average events per bucket after a rebuild (the width is a power of two,
  // so the real figure lies between kPerBucket / 2 and kPerBucket).
  static constexpr std::uint64_t kPerBucket = 4;
  // An overflow this small is sorted straight into `bottom_`, no window.
  static constexpr std::size_t kSmall = 16;
  // Overflow times sampled to estimate the density near the front.
  static constexpr std::size_t kSample = 64;
  // At most kCoverage * n / kPerBucket buckets (and at least kMinBuckets):
  // at the front density the window then holds about kCoverage * n events.
  static constexpr std::size_t kCoverage = 4;
  static constexpr std::size_t kMinBuckets = 64;

  std::size_t bucket_of(std::int64_t t) const {
    return static_cast<std::size_t>(
        (static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(base_)) >> shift_);
  }

  // The last instant of the first `b` buckets of the window: base_ +
  // b * 2^shift_ - 1, clamped to kMaxTime (the window may reach past it).
  std::int64_t bucket_end(std::size_t b) const {
    __extension__ using Wide = __int128;
    const Wide last = static_cast<Wide>(base_) + (static_cast<Wide>(b) << shift_) - 1;
    return last > kMaxTime ? kMaxTime : static_cast<std::int64_t>(last);
  }

  // Inserts after every event of `bottom_` with time <= e.time: `e` has the
  // largest sequence so far, so this is its (time, sequence) place.
  void insert_bottom(const Event& e) {
    const std::int64_t t = e.time.count_micros();
    auto pos = bottom_.end();
    while (pos != bottom_.begin() + static_cast<std::ptrdiff_t>(head_) &&
           (pos - 1)->time.count_micros() > t)
      --pos;
    bottom_.insert(pos, e);
  }

  // Prepends `e` to bucket `b`, taking the most recently freed node (warm in
  // the cache).
  void link(std::size_t b, const Event& e) {
    std::uint32_t i = free_;
    if (i != kNil) {
      free_ = next_[i];
      nodes_[i] = e;
    } else {
      i = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(e);
      next_.push_back(kNil);
    }
    next_[i] = head_of_[b];
    head_of_[b] = i;
  }

  // Moves the bucket that starts at node `first` into `bottom_` and returns
  // its nodes to the free list.
  void unlink_into_bottom(std::uint32_t first) {
    std::uint32_t i = first;
    std::uint32_t last = first;
    do {
      bottom_.push_back(nodes_[i]);
      last = i;
      i = next_[i];
    } while (i != kNil);
    next_[last] = free_;
    free_ = first;
  }

  static void sort_events(std::vector<Event>& v) {
    if (v.size() <= 16) {  // insertion sort: buckets are small
      for (std::size_t i = 1; i < v.size(); ++i) {
        const Event e = v[i];
        std::size_t j = i;
        for (; j > 0 && runs_before(e, v[j - 1]); --j) v[j] = v[j - 1];
        v[j] = e;
      }
    } else {
      std::sort(v.begin(), v.end(), runs_before);
    }
  }

  // Loads the next non-empty bucket into `bottom_` (rebuilding the window
  // from the overflow when it runs dry). Precondition: `bottom_` consumed,
  // size_ > 0.
  void refill() {
    assert(size_ > 0);
    bottom_.clear();
    head_ = 0;
    for (;;) {
      while (cur_ < nb_) {
        const std::uint32_t first = head_of_[cur_];
        head_of_[cur_++] = kNil;
        if (first == kNil) continue;
        unlink_into_bottom(first);
        bottom_last_ = bucket_end(cur_);
        sort_events(bottom_);
        return;
      }
      if (rebuild()) return;
    }
  }

  // Spreads the overflow over a new window. Returns true when the overflow
  // was small enough to go straight into `bottom_`. Precondition: the window
  // and `bottom_` are empty, `far_` is not.
  bool rebuild() {
    assert(!far_.empty());
    const std::int64_t lo = far_min_;
    const std::int64_t hi = far_max_;
    const std::size_t n = far_.size();
    nb_ = 0;
    cur_ = 0;
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (n <= kSmall || span == 0) {
      bottom_.swap(far_);
      far_.clear();
      far_min_ = kMaxTime;
      far_max_ = kMinTime;
      sort_events(bottom_);
      bottom_last_ = hi;
      window_last_ = hi;
      return true;
    }
    // The width comes from the density near the front (the overflow of a
    // hold loop is much denser there than on average): the time by which an
    // eighth of a sample of the overflow is due, spread over kPerBucket
    // events per bucket.
    std::int64_t sample[kSample];
    const std::size_t m = std::min(n, kSample);
    for (std::size_t i = 0; i < m; ++i) sample[i] = far_[i * (n / m)].time.count_micros();
    std::nth_element(sample, sample + m / 8, sample + m);
    const std::uint64_t front =
        static_cast<std::uint64_t>(sample[m / 8]) - static_cast<std::uint64_t>(lo);
    __extension__ using Wide = unsigned __int128;
    const auto width = static_cast<std::uint64_t>(
        std::max<Wide>(1, static_cast<Wide>(front) * (8 * kPerBucket) / n));
    shift_ = static_cast<unsigned>(std::bit_width(width) - 1);
    const std::size_t cap = std::max<std::size_t>(kMinBuckets, n * kCoverage / kPerBucket);
    const std::size_t nb =
        static_cast<std::size_t>(std::min<std::uint64_t>(span >> shift_, cap - 1)) + 1;
    if (head_of_.size() < nb) head_of_.resize(nb, kNil);
    nb_ = nb;
    base_ = lo;
    bottom_last_ = lo - 1;  // lo > the old window_last_ >= kMinTime
    window_last_ = bucket_end(nb);
    // Distribute what the window covers; keep the rest, compacted, in far_.
    far_min_ = kMaxTime;
    far_max_ = kMinTime;
    std::size_t kept = 0;
    for (const Event& e : far_) {
      const std::int64_t t = e.time.count_micros();
      if (t <= window_last_) {
        link(bucket_of(t), e);
      } else {
        far_[kept++] = e;
        far_min_ = std::min(far_min_, t);
        far_max_ = std::max(far_max_, t);
      }
    }
    far_.resize(kept);
    return false;
  }

  std::vector<Event> bottom_;  // sorted; bottom_[head_..] are pending
  std::size_t head_ = 0;
  // The window: bucket b is a singly linked list from head_of_[b] through
  // next_ over the node pool nodes_ (free nodes chained from free_), so a
  // bucket costs 4 bytes and a push no allocation once the pool has grown.
  std::vector<std::uint32_t> head_of_;  // [cur_, nb_) pending
  std::vector<Event> nodes_;
  std::vector<std::uint32_t> next_;
  std::uint32_t free_ = kNil;
  std::size_t nb_ = 0;
  std::size_t cur_ = 0;
  std::int64_t base_ = 0;
  unsigned shift_ = 0;
  std::vector<Event> far_;
  std::int64_t bottom_last_ = kMinTime;  // the last instant `bottom_` covers
  std::int64_t window_last_ = kMinTime;  // the last instant the window covers
  std::int64_t far_min_ = kMaxTime;
  std::int64_t far_max_ = kMinTime;
  std::size_t size_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace relsim::sim
