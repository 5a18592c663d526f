#include "sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <utility>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {
namespace {

Time at_us(std::int64_t us) { return Time::from_micros(us); }

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue q;
  for (std::int64_t t : {50, 10, 40, 20, 30}) q.push(at_us(t), 1, static_cast<std::uint32_t>(t));
  std::vector<std::int64_t> got;
  while (!q.empty()) got.push_back(q.pop().time.count_micros());
  EXPECT_EQ(got, (std::vector<std::int64_t>{10, 20, 30, 40, 50}));
}

TEST(EventQueue, PopsSimultaneousEventsInSchedulingOrder) {
  EventQueue q;
  for (std::uint32_t i = 0; i < 100; ++i) q.push(at_us(7), static_cast<std::uint16_t>(i % 5), i);
  for (std::uint32_t i = 0; i < 100; ++i) {
    const Event e = q.pop();
    EXPECT_EQ(e.target, i);
    EXPECT_EQ(e.kind(), i % 5);
    EXPECT_EQ(e.sequence(), i);
  }
  EXPECT_TRUE(q.empty());
}

// Simultaneous events spread over the window's buckets, the overflow and the
// sorted front, pushed in a scrambled time order: each instant's events must
// still come out in scheduling order.
TEST(EventQueue, PopsSimultaneousEventsInSchedulingOrderInEveryTier) {
  EventQueue q;
  std::uint32_t pushed = 0;
  auto push_round = [&](std::int64_t base) {
    for (std::uint32_t i = 0; i < 2000; ++i) {
      const std::int64_t t = base + static_cast<std::int64_t>((i * 37) % 64) * 1000;
      q.push(at_us(t), 0, pushed++);
    }
  };
  push_round(0);
  // Pop a little so the window exists, then push more at the same instants
  // (now in the window and in the sorted front) and later ones (overflow).
  for (int i = 0; i < 10; ++i) q.pop();
  push_round(0);
  push_round(64000);
  std::int64_t prev_time = kMin;
  std::uint64_t prev_seq = 0;
  while (!q.empty()) {
    const Event e = q.pop();
    const std::int64_t t = e.time.count_micros();
    ASSERT_GE(t, prev_time);
    if (t == prev_time) {
      ASSERT_GT(e.sequence(), prev_seq);
    }
    prev_time = t;
    prev_seq = e.sequence();
  }
}

TEST(EventQueue, KeepsKindTargetGenerationAndPayload) {
  EventQueue q;
  q.push(at_us(5), 65535, 4000000000u, 77, 0xdeadbeefcafef00dULL);
  const Event e = q.pop();
  EXPECT_EQ(e.kind(), 65535);
  EXPECT_EQ(e.target, 4000000000u);
  EXPECT_EQ(e.generation, 77u);
  EXPECT_EQ(e.payload, 0xdeadbeefcafef00dULL);
}

TEST(EventQueue, SizeAndTopTrackPushesAndPops) {
  EventQueue q;
  q.push(at_us(1), 0, 1);
  q.push(at_us(2), 0, 2);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.pop().target, 1u);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.top().target, 2u);
  EXPECT_EQ(q.pop().target, 2u);
  EXPECT_TRUE(q.empty());
  q.push(at_us(3), 0, 3);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.pop().target, 3u);
}

// top() looks at the front; a push due before it must still come first.
TEST(EventQueue, PushBeforeTopComesFirst) {
  EventQueue q;
  for (std::uint32_t i = 0; i < 1000; ++i) q.push(at_us(1000 + 10 * i), 0, i);
  EXPECT_EQ(q.pop().target, 0u);
  EXPECT_EQ(q.top().target, 1u);
  q.push(at_us(1005), 0, 5000);  // after the popped one, before top
  EXPECT_EQ(q.top().target, 5000u);
  q.push(at_us(1005), 0, 5001);  // same instant: scheduling order
  EXPECT_EQ(q.pop().target, 5000u);
  EXPECT_EQ(q.pop().target, 5001u);
  EXPECT_EQ(q.pop().target, 1u);
  // Earlier than anything popped so far: the queue is a plain priority
  // queue, not only a monotone one.
  q.push(at_us(0), 0, 6000);
  EXPECT_EQ(q.pop().target, 6000u);
  EXPECT_EQ(q.pop().target, 2u);
}

TEST(EventQueue, ClearRestartsSequences) {
  EventQueue q;
  q.push(at_us(1), 0, 0);
  q.push(at_us(1), 0, 0);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.push(at_us(1), 0, 0), 0u);
}

// Clearing in the middle of a window (buckets, overflow and sorted front all
// in use) leaves a queue that behaves exactly like a new one.
TEST(EventQueue, ClearMidWindowBehavesLikeNewQueue) {
  auto run = [](EventQueue& q) {
    Rng rng(9, stream_id("event-queue-clear"));
    std::vector<std::pair<std::int64_t, std::uint64_t>> out;
    for (std::uint32_t i = 0; i < 5000; ++i)
      q.push(at_us(static_cast<std::int64_t>(rng.below(1000000))), 0, i);
    for (int i = 0; i < 20000; ++i) {
      const Event e = q.pop();
      out.emplace_back(e.time.count_micros(), e.sequence());
      q.push(e.time + Duration::micros(static_cast<std::int64_t>(rng.below(500000))), 0, 0);
    }
    return out;
  };
  EventQueue fresh;
  const auto expected = run(fresh);
  EventQueue reused;
  for (std::uint32_t i = 0; i < 3000; ++i) reused.push(at_us(7 * i), 0, i);
  for (int i = 0; i < 1500; ++i) reused.pop();
  reused.push(at_us(1LL << 40), 0, 0);  // something in the overflow
  reused.clear();
  EXPECT_TRUE(reused.empty());
  EXPECT_EQ(run(reused), expected);
}

// Random interleaved pushes and pops (and looks at top) against an ordered
// set of (time, sequence); `delay(rng)` is the push time relative to the last
// popped time.
void check_against_reference(std::uint64_t seed, int steps, std::uint64_t push_percent,
                             const std::function<std::int64_t(Rng&)>& delay,
                             std::size_t preload = 0) {
  Rng rng(seed, stream_id("event-queue-test"));
  EventQueue q;
  std::set<std::pair<std::int64_t, std::uint64_t>> ref;
  std::int64_t now = 0;
  auto push = [&] {
    const std::int64_t d = delay(rng);
    const std::int64_t t = d > kMax - now ? kMax : now + d;  // saturate
    const auto seq = q.push(at_us(t), 3, static_cast<std::uint32_t>(ref.size()));
    ref.emplace(t, seq);
  };
  for (std::size_t i = 0; i < preload; ++i) push();
  for (int step = 0; step < steps; ++step) {
    const auto op = rng.below(100);
    if (op < push_percent || ref.empty()) {
      push();
    } else {
      const auto first = *ref.begin();
      if (op % 7 == 0) {
        const Event& top = q.top();
        ASSERT_EQ(top.time.count_micros(), first.first) << "seed " << seed << " step " << step;
        ASSERT_EQ(top.sequence(), first.second);
      }
      const Event e = q.pop();
      ASSERT_EQ(e.time.count_micros(), first.first) << "seed " << seed << " step " << step;
      ASSERT_EQ(e.sequence(), first.second) << "seed " << seed << " step " << step;
      ASSERT_EQ(e.kind(), 3);
      now = first.first;
      ref.erase(ref.begin());
    }
    ASSERT_EQ(q.size(), ref.size());
    ASSERT_EQ(q.empty(), ref.empty());
  }
  while (!ref.empty()) {  // drain: every event comes out, in order
    const Event e = q.pop();
    ASSERT_EQ(e.time.count_micros(), ref.begin()->first);
    ASSERT_EQ(e.sequence(), ref.begin()->second);
    ref.erase(ref.begin());
  }
  EXPECT_TRUE(q.empty());
}

// Many equal times: a small range of delays.
TEST(EventQueue, MatchesReferenceModelOnRandomSequences) {
  for (std::uint64_t round = 0; round < 50; ++round)
    check_against_reference(round, 2000, 60,
                            [](Rng& r) { return static_cast<std::int64_t>(r.below(20)); });
}

// The hold pattern with exponential delays at a queue large enough to use
// the window, its width estimate and the overflow, plus zero delays.
TEST(EventQueue, MatchesReferenceModelOnHoldWithExponentialDelays) {
  for (std::uint64_t round = 0; round < 4; ++round)
    check_against_reference(
        100 + round, 60000, 50,
        [](Rng& r) {
          if (r.below(20) == 0) return std::int64_t{0};
          return static_cast<std::int64_t>(-1e6 * std::log(r.uniform_open0()));
        },
        5000);
}

// Far-future events and large jumps of the clock: delays from microseconds
// to centuries, so windows are rebuilt over very uneven overflows.
TEST(EventQueue, MatchesReferenceModelWithFarFutureEventsAndLargeJumps) {
  for (std::uint64_t round = 0; round < 20; ++round)
    check_against_reference(
        200 + round, 20000, 55,
        [](Rng& r) {
          const auto scale = r.below(5);
          if (scale == 0) return static_cast<std::int64_t>(r.below(10));
          if (scale == 1) return static_cast<std::int64_t>(r.below(1000000));
          if (scale == 2) return static_cast<std::int64_t>(r.below(1ULL << 40));
          if (scale == 3) return static_cast<std::int64_t>(r.below(1ULL << 60));  // ~36,000 years
          return std::int64_t{1000};
        },
        300);
}

// Queues that empty and refill often, and stay small (the sorted-array mode
// of a few pending events) or swing between small and large.
TEST(EventQueue, MatchesReferenceModelWhenEmptyingAndRefilling) {
  for (std::uint64_t round = 0; round < 30; ++round)
    check_against_reference(300 + round, 5000, 45,
                            [](Rng& r) { return static_cast<std::int64_t>(r.below(100000)); });
  for (std::uint64_t round = 0; round < 10; ++round) {
    Rng rng(400 + round, stream_id("event-queue-swing"));
    EventQueue q;
    std::set<std::pair<std::int64_t, std::uint64_t>> ref;
    std::int64_t now = 0;
    for (int wave = 0; wave < 6; ++wave) {
      const auto n = 1 + rng.below(wave % 2 == 0 ? 5000 : 12);
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::int64_t t = now + static_cast<std::int64_t>(rng.below(1000000));
        ref.emplace(t, q.push(at_us(t), 0, 0));
      }
      while (!ref.empty()) {  // empty it completely
        const Event e = q.pop();
        ASSERT_EQ(e.time.count_micros(), ref.begin()->first);
        ASSERT_EQ(e.sequence(), ref.begin()->second);
        now = e.time.count_micros();
        ref.erase(ref.begin());
      }
      ASSERT_TRUE(q.empty());
    }
  }
}

// A queue that starts empty and grows to thousands of events, then shrinks:
// the few-events mode (a sorted array) hands over to a window when inserts
// get long, and comes back when the overflow is small.
TEST(EventQueue, MatchesReferenceModelGrowingFromFewToManyAndBack) {
  for (std::uint64_t round = 0; round < 4; ++round) {
    check_against_reference(700 + round, 20000, 70, [](Rng& r) {
      return static_cast<std::int64_t>(-1e6 * std::log(r.uniform_open0()));
    });
    check_against_reference(
        800 + round, 20000, 30, [](Rng& r) { return static_cast<std::int64_t>(r.below(1000000)); },
        8000);
  }
}

// Clusters: many events at one instant (a window over a zero span), a dense
// front with a sparse tail (the sampled width is tiny; the bucket cap leaves
// most of the overflow out of the window) and bimodal times.
TEST(EventQueue, MatchesReferenceModelOnClusteredTimes) {
  for (std::uint64_t round = 0; round < 10; ++round) {
    check_against_reference(
        500 + round, 20000, 50,
        [](Rng& r) { return r.below(2) == 0 ? std::int64_t{0} : std::int64_t{1000000}; }, 3000);
    check_against_reference(
        600 + round, 20000, 50,
        [](Rng& r) {
          return r.below(100) < 90 ? static_cast<std::int64_t>(r.below(3))
                                   : static_cast<std::int64_t>(r.below(1ULL << 35));
        },
        3000);
  }
}

// Times at the ends of the int64 range: the window's end saturates.
TEST(EventQueue, HandlesTimesAtTheEndsOfTheRange) {
  EventQueue q;
  std::set<std::pair<std::int64_t, std::uint64_t>> ref;
  Rng rng(7, stream_id("event-queue-extremes"));
  for (int i = 0; i < 3000; ++i) {
    std::int64_t t = 0;
    switch (rng.below(4)) {
      case 0:
        t = kMax - static_cast<std::int64_t>(rng.below(1000));
        break;
      case 1:
        t = kMin + static_cast<std::int64_t>(rng.below(1000));
        break;
      case 2:
        t = static_cast<std::int64_t>(rng.next_u64());
        break;
      default:
        t = kMax;
        break;
    }
    ref.emplace(t, q.push(at_us(t), 0, 0));
  }
  while (!ref.empty()) {
    const Event e = q.pop();
    ASSERT_EQ(e.time.count_micros(), ref.begin()->first);
    ASSERT_EQ(e.sequence(), ref.begin()->second);
    ref.erase(ref.begin());
  }
  EXPECT_TRUE(q.empty());
}

// The benchmark's hold loop at 20,000 pending events against
// std::priority_queue: the same events come out in the same order.
TEST(EventQueue, AgreesWithPriorityQueueOnLongHold) {
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return runs_before(b, a); }
  };
  Rng rng(11, stream_id("event-queue-hold"));
  auto delay = [&rng] {
    return Duration::micros(static_cast<std::int64_t>(-1e6 * std::log(rng.uniform_open0())));
  };
  EventQueue q;
  std::priority_queue<Event, std::vector<Event>, Later> ref;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    const Time t = Time::zero() + delay();
    const auto seq = q.push(t, 0, i);
    ref.push(Event{t, seq << 16, i, 0, 0});
  }
  for (int i = 0; i < 400000; ++i) {
    const Event e = q.pop();
    ASSERT_EQ(e.time, ref.top().time) << i;
    ASSERT_EQ(e.order, ref.top().order) << i;
    ASSERT_EQ(e.target, ref.top().target) << i;
    ref.pop();
    const Time t = e.time + delay();
    const auto seq = q.push(t, 0, e.target);
    ref.push(Event{t, seq << 16, e.target, 0, 0});
  }
}

}  // namespace
}  // namespace relsim::sim
