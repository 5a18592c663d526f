#include "sim/simulation.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace relsim::sim {
namespace {

struct Recorder {
  std::vector<std::pair<std::int64_t, std::uint32_t>> seen;
  // Optional reaction: when target `trigger` fires, cancel `victim`.
  std::uint32_t trigger = ~0u;
  std::uint32_t victim = ~0u;
  std::uint32_t stop_on = ~0u;
  void handle(const Event& e, Simulation& sim) {
    seen.emplace_back(sim.now().count_micros(), e.target);
    if (e.target == trigger) sim.cancel(victim);
    if (e.target == stop_on) sim.request_stop();
    if (e.kind() == 1) sim.schedule_in(Duration::micros(10), 0, e.target);  // a follow-up
  }
};

TEST(Simulation, RunsEventsUpToHorizonAndSetsClock) {
  Simulation sim;
  sim.reset(1, 4);
  sim.schedule_at(Time::from_micros(5), 0, 0);
  sim.schedule_at(Time::from_micros(15), 0, 1);
  sim.schedule_at(Time::from_micros(25), 0, 2);
  Recorder r;
  sim.run_until(Time::from_micros(20), r);
  ASSERT_EQ(r.seen.size(), 2u);
  EXPECT_EQ(r.seen[1], (std::pair<std::int64_t, std::uint32_t>{15, 1}));
  EXPECT_EQ(sim.now().count_micros(), 20);
  EXPECT_EQ(sim.pending(), 1u);
  EXPECT_EQ(sim.events_processed(), 2u);
}

TEST(Simulation, EventAtHorizonRuns) {
  Simulation sim;
  sim.reset(1, 1);
  sim.schedule_at(Time::from_micros(20), 0, 0);
  Recorder r;
  sim.run_until(Time::from_micros(20), r);
  EXPECT_EQ(r.seen.size(), 1u);
}

TEST(Simulation, CancelVoidsPendingEventsOfTargetOnly) {
  Simulation sim;
  sim.reset(1, 3);
  sim.schedule_at(Time::from_micros(1), 0, 0);  // trigger: cancels target 1
  sim.schedule_at(Time::from_micros(2), 0, 1);
  sim.schedule_at(Time::from_micros(3), 0, 1);
  sim.schedule_at(Time::from_micros(4), 0, 2);
  Recorder r;
  r.trigger = 0;
  r.victim = 1;
  sim.run_until(Time::from_micros(100), r);
  ASSERT_EQ(r.seen.size(), 2u);
  EXPECT_EQ(r.seen[0].second, 0u);
  EXPECT_EQ(r.seen[1].second, 2u);
}

TEST(Simulation, EventsScheduledAfterCancelStillRun) {
  Simulation sim;
  sim.reset(1, 2);
  sim.schedule_at(Time::from_micros(5), 0, 1);
  sim.cancel(1);
  sim.schedule_at(Time::from_micros(6), 0, 1);
  Recorder r;
  sim.run_until(Time::from_micros(100), r);
  ASSERT_EQ(r.seen.size(), 1u);
  EXPECT_EQ(r.seen[0].first, 6);
}

TEST(Simulation, FollowUpsAndStop) {
  Simulation sim;
  sim.reset(1, 2);
  sim.schedule_at(Time::from_micros(1), 1, 0);  // schedules a follow-up at 11
  sim.schedule_at(Time::from_micros(50), 0, 1);
  Recorder r;
  r.stop_on = 0;
  sim.run_until(Time::from_micros(100), r);
  // Stops right after the first event; the follow-up is still pending.
  ASSERT_EQ(r.seen.size(), 1u);
  EXPECT_EQ(sim.now().count_micros(), 1);
  EXPECT_EQ(sim.pending(), 2u);
}

TEST(Simulation, StreamsDependOnTrialSeedAndStreamId) {
  Simulation a, b;
  a.reset(7, 0);
  b.reset(7, 0);
  EXPECT_EQ(a.stream(3).next_u64(), b.stream(3).next_u64());
  EXPECT_NE(a.stream(3).next_u64(), a.stream(4).next_u64());
  b.reset(8, 0);
  EXPECT_NE(a.stream(3).next_u64(), b.stream(3).next_u64());
}

}  // namespace
}  // namespace relsim::sim
