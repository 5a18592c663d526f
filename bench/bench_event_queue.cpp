// BM_Hold: the classic hold model. The queue holds `pending` events; each
// iteration pops the earliest and pushes one at now + Exp(1) (mean 1 s in
// microseconds, so ties are rare). Reported as events/s (one pop + one push
// = one event). relsim's EventQueue and std::priority_queue of the same
// 32-byte records, ordered by the same (time, sequence) key, run in the same
// binary so the ratio is measured on the same machine state.
//
// Two ways to draw the increments, the same for both queues:
//  - BM_HoldRelsimQueue / BM_HoldStdPriorityQueue: one draw per event from
//    the project's exponential distribution (sim/distribution.hpp: inversion,
//    one std::log), as a model would;
//  - ...Predrawn: 2^16 increments drawn the same way before the timed region,
//    read from a ring in the loop, so the figure is the queue's alone.
// Before timing, each queue runs 2 * pending hold steps: the hold model's
// steady state (and, for relsim's queue, its first window) is reached
// outside the timed region, for both queues alike.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/event_queue.hpp"
#include "sim/random.hpp"

namespace {

using relsim::sim::Distribution;
using relsim::sim::Duration;
using relsim::sim::Event;
using relsim::sim::EventQueue;
using relsim::sim::Rng;
using relsim::sim::Time;

// Exp(1) in microseconds: mean 1 s.
struct DrawEach {
  Rng rng{1, 2};
  Distribution dist = Distribution::exponential(1e6);
  Duration next() { return Duration::micros(static_cast<std::int64_t>(dist.sample(rng))); }
};

// The same draws, made in advance and read from a ring of 2^16.
struct Predrawn {
  static constexpr std::size_t kSize = std::size_t{1} << 16;
  std::vector<std::int64_t> ring;
  std::size_t i = 0;
  Predrawn() {
    DrawEach d;
    ring.resize(kSize);
    for (auto& x : ring) x = d.next().count_micros();
  }
  Duration next() { return Duration::micros(ring[i++ & (kSize - 1)]); }
};

// std::priority_queue of the same records with relsim's push/pop interface.
class StdQueue {
 public:
  void reserve(std::size_t n) {
    std::vector<Event> storage;
    storage.reserve(n);
    q_ = Heap(Later{}, std::move(storage));
  }
  void push(Time time, std::uint16_t kind, std::uint32_t target) {
    q_.push(Event{time, (seq_++ << 16) | kind, target, 0, 0});
  }
  Event pop() {
    const Event e = q_.top();
    q_.pop();
    return e;
  }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return relsim::sim::runs_before(b, a); }
  };
  using Heap = std::priority_queue<Event, std::vector<Event>, Later>;
  Heap q_;
  std::uint64_t seq_ = 0;
};

template <class Queue, class Increments>
void hold(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  Increments inc;
  DrawEach initial;
  Queue q;
  q.reserve(pending + 1);
  for (std::size_t i = 0; i < pending; ++i)
    q.push(Time::zero() + initial.next(), 0, static_cast<std::uint32_t>(i));
  auto step = [&q, &inc] {
    const Event e = q.pop();
    q.push(e.time + inc.next(), e.kind(), e.target);
  };
  for (std::size_t i = 0; i < 2 * pending; ++i) step();  // warm-up, untimed
  for (auto _ : state) step();
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_HoldRelsimQueue(benchmark::State& state) { hold<EventQueue, DrawEach>(state); }
void BM_HoldStdPriorityQueue(benchmark::State& state) { hold<StdQueue, DrawEach>(state); }
void BM_HoldRelsimQueuePredrawn(benchmark::State& state) { hold<EventQueue, Predrawn>(state); }
void BM_HoldStdPriorityQueuePredrawn(benchmark::State& state) { hold<StdQueue, Predrawn>(state); }

}  // namespace

BENCHMARK(BM_HoldRelsimQueue)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_HoldStdPriorityQueue)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_HoldRelsimQueuePredrawn)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_HoldStdPriorityQueuePredrawn)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000);
