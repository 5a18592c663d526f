// BM_Hold: the classic hold model. The queue holds `pending` events; each
// iteration pops the earliest and pushes one at now + Exp(1). Reported as
// events/s (one pop + one push = one event). relsim's EventQueue and
// std::priority_queue of the same 32-byte records run in the same binary so
// the ratio is measured on the same machine state.
#include <benchmark/benchmark.h>

#include <cmath>
#include <queue>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/event_queue.hpp"
#include "sim/random.hpp"

namespace {

using relsim::sim::Duration;
using relsim::sim::Event;
using relsim::sim::EventQueue;
using relsim::sim::Rng;
using relsim::sim::Time;

// Exp(1) in microseconds-of-a-second units: mean 1 s, so ties are rare.
inline Duration exp_delay(Rng& rng) {
  return Duration::micros(static_cast<std::int64_t>(-1e6 * std::log(rng.uniform_open0())));
}

void BM_HoldRelsimQueue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Rng rng(1, 2);
  EventQueue q;
  q.reserve(pending + 1);
  for (std::size_t i = 0; i < pending; ++i)
    q.push(Time::zero() + exp_delay(rng), 0, static_cast<std::uint32_t>(i));
  for (auto _ : state) {
    const Event e = q.pop();
    q.push(e.time + exp_delay(rng), e.kind(), e.target);
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

struct Later {
  bool operator()(const Event& a, const Event& b) const { return relsim::sim::runs_before(b, a); }
};

void BM_HoldStdPriorityQueue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Rng rng(1, 2);
  std::vector<Event> storage;
  storage.reserve(pending + 1);
  std::priority_queue<Event, std::vector<Event>, Later> q(Later{}, std::move(storage));
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < pending; ++i)
    q.push(Event{Time::zero() + exp_delay(rng), (seq++) << 16, static_cast<std::uint32_t>(i), 0, 0});
  for (auto _ : state) {
    const Event e = q.top();
    q.pop();
    q.push(Event{e.time + exp_delay(rng), (seq++) << 16, e.target, 0, 0});
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_HoldRelsimQueue)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_HoldStdPriorityQueue)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
