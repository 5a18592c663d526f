#include "sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {
namespace {

Time at_us(std::int64_t us) { return Time::from_micros(us); }

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

TEST(EventQueue, KeepsKindTargetGenerationAndPayload) {
  EventQueue q;
  q.push(at_us(5), 65535, 4000000000u, 77, 0xdeadbeefcafef00dULL);
  const Event e = q.pop();
  EXPECT_EQ(e.kind(), 65535);
  EXPECT_EQ(e.target, 4000000000u);
  EXPECT_EQ(e.generation, 77u);
  EXPECT_EQ(e.payload, 0xdeadbeefcafef00dULL);
}

TEST(EventQueue, SizeAndTopAccountForDeferredPop) {
  EventQueue q;
  q.push(at_us(1), 0, 1);
  q.push(at_us(2), 0, 2);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.pop().target, 1u);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.top().target, 2u);
  EXPECT_EQ(q.pop().target, 2u);
  EXPECT_TRUE(q.empty());
  q.push(at_us(3), 0, 3);  // fills the hole at the root
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.pop().target, 3u);
}

TEST(EventQueue, ClearRestartsSequences) {
  EventQueue q;
  q.push(at_us(1), 0, 0);
  q.push(at_us(1), 0, 0);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.push(at_us(1), 0, 0), 0u);
}

// Interleaved pushes and pops against a sorted reference over random
// sequences, with many equal times to exercise the tie rule.
TEST(EventQueue, MatchesReferenceModelOnRandomSequences) {
  for (std::uint64_t round = 0; round < 50; ++round) {
    Rng rng(round, stream_id("event-queue-test"));
    EventQueue q;
    std::vector<std::pair<std::int64_t, std::uint64_t>> ref;  // (time, sequence)
    std::int64_t now = 0;
    for (int step = 0; step < 2000; ++step) {
      const auto op = rng.below(10);
      if (op < 6 || ref.empty()) {
        const std::int64_t t = now + static_cast<std::int64_t>(rng.below(20));
        const auto seq = q.push(at_us(t), 0, static_cast<std::uint32_t>(step));
        ref.emplace_back(t, seq);
      } else {
        const auto it = std::min_element(ref.begin(), ref.end());
        const Event e = q.pop();
        ASSERT_EQ(e.time.count_micros(), it->first);
        ASSERT_EQ(e.sequence(), it->second);
        now = it->first;
        ref.erase(it);
      }
      ASSERT_EQ(q.size(), ref.size());
    }
  }
}

}  // namespace
}  // namespace relsim::sim
