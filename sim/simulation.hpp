// One trial's simulation: the clock, the pending-event set, the cancellation
// generations and the trial's random-stream key. A model drives it through
// `run_until(horizon, handler)`, which pops events in (time, sequence) order
// and calls `handler.handle(event, simulation)`; the handler dispatches with
// a `switch` on `event.kind()` (no virtual call, no closure per event).
//
// Cancellation: every event names a target (an index the model chooses) and
// carries the target's generation at scheduling time. `cancel(target)` bumps
// the generation in O(1); events of the old generation are dropped when they
// reach the front of the queue, without searching for them.
//
// Ownership: one Simulation per trial (or per worker thread, `reset` between
// trials to keep the allocated capacity). No global state; not thread-safe.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace relsim::sim {

class Simulation {
 public:
  Simulation() = default;

  /// Starts a new trial at t = 0 with `targets` cancellable targets; keeps
  /// the queue's capacity.
  void reset(std::uint64_t trial_seed_value, std::uint32_t targets) {
    queue_.clear();
    generation_.assign(targets, 0);
    now_ = Time::zero();
    trial_seed_ = trial_seed_value;
    processed_ = 0;
    stop_requested_ = false;
  }

  Time now() const { return now_; }
  std::uint64_t trial_seed() const { return trial_seed_; }
  /// The random stream of the process named by `stream` in this trial.
  Rng stream(std::uint64_t stream) const { return Rng(trial_seed_, stream); }
  /// Events handled so far in this trial (cancelled ones not counted).
  std::uint64_t events_processed() const { return processed_; }
  std::size_t pending() const { return queue_.size(); }
  std::uint32_t targets() const { return static_cast<std::uint32_t>(generation_.size()); }

  /// Schedules `kind` for `target` at `time` (>= now). Events at equal times
  /// run in the order they were scheduled.
  void schedule_at(Time time, std::uint16_t kind, std::uint32_t target, std::uint64_t payload = 0) {
    assert(time >= now_);
    assert(target < generation_.size());
    queue_.push(time, kind, target, generation_[target], payload);
  }
  /// Schedules `kind` for `target` after `delay` (>= 0).
  void schedule_in(Duration delay, std::uint16_t kind, std::uint32_t target,
                   std::uint64_t payload = 0) {
    schedule_at(now_ + delay, kind, target, payload);
  }
  /// Voids every pending event of `target` in O(1).
  void cancel(std::uint32_t target) {
    assert(target < generation_.size());
    ++generation_[target];
  }
  /// Makes run_until return after the current event.
  void request_stop() { stop_requested_ = true; }

  /// Handles events in order while their time is <= horizon, then sets the
  /// clock to `horizon` (or leaves it at the last event after request_stop).
  /// `handler.handle(const Event&, Simulation&)` is called once per live event.
  template <class Handler>
  void run_until(Time horizon, Handler& handler) {
    while (!queue_.empty() && !stop_requested_) {
      if (queue_.top().time > horizon) break;
      const Event e = queue_.pop();
      if (e.generation != generation_[e.target]) continue;  // cancelled
      now_ = e.time;
      ++processed_;
      handler.handle(e, *this);
    }
    if (!stop_requested_ && now_ < horizon) now_ = horizon;
  }

 private:
  EventQueue queue_;
  std::vector<std::uint32_t> generation_;
  Time now_;
  std::uint64_t trial_seed_ = 0;
  std::uint64_t processed_ = 0;
  bool stop_requested_ = false;
};

}  // namespace relsim::sim
