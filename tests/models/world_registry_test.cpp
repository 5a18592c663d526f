// The trial engine's registry (models/world_registry.hpp): components claim
// contiguous, disjoint target and stream ranges in construction order, and
// a range maps its local indices to engine-wide ones and back.
#include "models/world_registry.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace relsim::models {
namespace {

TEST(WorldRegistry, HandsOutContiguousDisjointTargetRanges) {
  Registry reg;
  const Range slots = reg.targets(6);
  const Range zones = reg.targets(3);
  const Range none = reg.targets(0);
  const Range check = reg.targets(1);
  EXPECT_EQ(slots.begin, 0u);
  EXPECT_EQ(slots.size, 6u);
  EXPECT_EQ(zones.begin, 6u);
  EXPECT_EQ(none.begin, 9u);
  EXPECT_EQ(none.size, 0u);
  EXPECT_EQ(check.begin, 9u);
  EXPECT_EQ(reg.target_count(), 10u);
  EXPECT_EQ(zones[2], 8u);
  EXPECT_EQ(zones.local(8), 2u);
  EXPECT_EQ(check[0], 9u);
}

TEST(WorldRegistry, KeepsStreamKeysInClaimOrder) {
  Registry reg;
  const std::vector<std::uint64_t> failures = {11, 12, 13};
  const Range f = reg.streams(failures.size(), [&](std::size_t i) { return failures[i]; });
  const Range r = reg.streams(2, [](std::size_t i) { return 100 + i; });
  EXPECT_EQ(f.begin, 0u);
  EXPECT_EQ(r.begin, 3u);
  EXPECT_EQ(r[1], 4u);
  EXPECT_EQ(reg.stream_keys(), (std::vector<std::uint64_t>{11, 12, 13, 100, 101}));
  EXPECT_EQ(reg.target_count(), 0u);  // streams and targets are separate spaces
}

}  // namespace
}  // namespace relsim::models
