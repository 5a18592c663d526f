// Internal to the trial engine (models/world*.cpp): the Engine, the context
// the components of models/world_parts.hpp share. It owns the simulation,
// the fluid state and its evaluation (the touch API, the crossings and the
// check), the random streams the Registry handed out, and the components;
// `handle` routes each event to its component. Not included by anything
// outside models/world*.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/demand.hpp"
#include "models/failure_bias.hpp"
#include "models/fluid.hpp"
#include "models/fluid_incremental.hpp"
#include "models/trial_observer.hpp"
#include "models/trial_result.hpp"
#include "models/world.hpp"
#include "models/world_parts.hpp"
#include "models/world_registry.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace relsim::models {

struct Engine {
  explicit Engine(const CompiledModel& model);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ------------------------------------------------------------ trial (world.cpp)
  TrialResult run(std::uint64_t trial_seed);
  void reset(std::uint64_t trial_seed);
  /// Routes an event to its component's `on_*` handler.
  void handle(const sim::Event& e, sim::Simulation& s);
  /// A handler is about to change the state for `cause`: accounts requests
  /// up to now under the state as it was (eager mode), and marks the event
  /// so that `handle` re-evaluates after it (after_change).
  void begin_change(const Cause& c);
  void on_check();

  // ------------------------------------------------------------ evaluation (world.cpp)
  /// After a state change: brings the ratios up to date (refresh), then
  /// impact, autoscaling intent, the next check and detection for what moved.
  void after_change();
  /// Brings cur up to date with the touched components: incrementally in
  /// t_ref coordinates when it can, else a full evaluation at now. Leaves
  /// the components that moved in `moved` (all_moved: every one).
  void refresh();
  /// A full evaluation at now: t_ref = now, cur and nominal, crossings,
  /// the mode (eager), every component changed.
  void evaluate_all();
  void evaluate_at(sim::Duration t, FluidResult& out);
  void schedule_check();
  /// The component's state changed (its FluidState fields, its placements,
  /// an edge leaving it): marked for the next incremental update.
  void touch(Index c) { updater_.mark(c); }
  void touch_placement(Index p) { touch(m.placements[p].component); }
  void touch_all() { touch_all_ = true; }
  /// Component c's load at now: cur holds loads at t_ref and their slopes.
  double load_now(Index c) const {
    return cur.load[c] + cur.load_slope[c] * (now() - t_ref).to_seconds();
  }
  /// Recomputes component c's next crossing (fluid breakpoints from t_ref,
  /// autoscaling thresholds from now) into the crossing tree; returns the
  /// fluid crossing.
  sim::Duration update_crossing(Index c);
  bool nonlinear(const FluidResult& r, Index c) const;
  void verify_incremental();
  void set_crossing(Index c, std::int64_t t);
  /// Component c's error rate and added latency from the deploys, faults
  /// and stores that set them.
  void set_error_state(Index c);

  // ------------------------------------------------------------ helpers
  sim::Duration now() const { return sim.now().since_start(); }
  sim::Rng& rng(Index stream) { return rngs_[stream]; }
  /// Failure row streams (FailureRow::streams indexes the model's failure_streams).
  sim::Rng& failure_rng(Index i) { return rngs_[failure_streams_[i]]; }
  void at(sim::Duration t, EventKind k, Index target, std::uint64_t payload = 0) {
    sim.schedule_at(sim::Time::at(t), static_cast<std::uint16_t>(k), target, payload);
  }
  void in(sim::Duration d, EventKind k, Index target, std::uint64_t payload = 0) {
    sim.schedule_in(d, static_cast<std::uint16_t>(k), target, payload);
  }

  const CompiledModel& m;
  sim::Simulation sim;
  sim::Duration horizon;
  World::Checks checks;
  TrialObserver* observer = nullptr;  // set_observer; see models/trial_observer.hpp
  Cause cause;                        // of the event being handled
  FailureBias bias;                   // importance sampling (World::set_failure_bias)

  // Static lookups.
  std::vector<DemandCurve> demand;  // per service row
  /// Every demand curve is flat: the ratios between two events do not move,
  /// so account() reuses cur for the midpoint and the end of a stretch and
  /// the nominal ratios are evaluated once (docs/model.md, "What an event costs").
  bool steady_demand = false;
  FluidState initial_fs;              // make_fluid_state(m), copied into fs by reset()
  std::vector<Index> all_components;  // 0 .. components − 1

  // Evaluation: cur holds the ratios of the current state with loads at
  // t_ref (and their slopes); between a full evaluation and the next knot or
  // crossing every load is linear in time and every ratio constant, so
  // events update cur incrementally in those coordinates (docs/model.md,
  // "What an event costs").
  FluidState fs;
  FluidState nominal_state;   // everything up, nothing injected: the baseline of impact
  FluidResult nominal;        // its ratios at the current demand
  FluidResult cur, mid, end;  // ratios now (after the last change), mid-interval, at its end
  std::vector<double> demand_now, slope_now;   // at t_ref
  std::vector<double> demand_mid, demand_end;  // eager: at the Simpson nodes
  sim::Duration t_ref;
  bool all_moved = true;                      // the last refresh changed every component
  const std::vector<Index>* moved = nullptr;  // else: these (ascending)
  /// Eager mode: some ratio moves between events (a component dropping load
  /// or past the latency knee while demand changes, or an observer is set):
  /// every event integrates every unit by Simpson's rule over full
  /// evaluations, as the engine always did. Lazy mode otherwise.
  bool eager = true;
  sim::Duration next_check;  // the scheduled check (max: none)

 private:
  Registry registry_;
  Range failure_streams_;  // the model's failure clocks (FailureRow::streams)
  Range check_target_;
  std::vector<sim::Rng> rngs_;
  FluidUpdater updater_;
  bool touch_all_ = true;
  bool event_changes_ = false;  // begin_change was called for the event being handled
  int nonlinear_count_ = 0;     // components in a moving regime
  std::vector<std::uint8_t> nonlinear_flag_;
  bool changing_ = false;        // some demand slope is not zero
  sim::Duration knot_min_;       // the next demand knot
  sim::Duration nominal_cross_;  // the nominal state's next crossing
  bool nominal_nonlinear_ = false;
  std::vector<sim::Duration> next_knot_;  // per service row
  // Crossing times per component (µs; max: none) in a min-tree.
  std::size_t tree_leaves_ = 1;
  std::vector<std::int64_t> cross_tree_;

 public:
  // The components, in the order they claim targets and streams.
  Replicas replicas;
  Zones zones;
  Stores stores;
  Deployments deploys;
  Faults faults;
  Accounts accounts;
  Detection detection;
  People people;
};

/// `from` plus `seconds` rounded up to whole µs (at least 1); max when
/// infinite or beyond reach.
inline sim::Duration after_seconds(sim::Duration from, double seconds) {
  if (!std::isfinite(seconds)) return sim::Duration::max();
  const double micros = std::ceil(seconds * 1e6);
  if (micros >= 9e17) return sim::Duration::max();
  return from + sim::Duration::micros(std::max<std::int64_t>(1, static_cast<std::int64_t>(micros)));
}

// The Part short forms.
inline sim::Duration Part::now() const { return w_.now(); }
inline void Part::at(sim::Duration t, EventKind k, Index target, std::uint64_t payload) {
  w_.at(t, k, target, payload);
}
inline void Part::in(sim::Duration d, EventKind k, Index target, std::uint64_t payload) {
  w_.in(d, k, target, payload);
}
inline sim::Rng& Part::rng(Index stream) { return w_.rng(stream); }
inline void Part::touch(Index c) { w_.touch(c); }
inline sim::Duration Part::draw_failure(Index row, Index clock, int cls) {
  return w_.bias.draw(m_.failures[row], row, clock, w_.failure_rng(clock), w_.now(), cls);
}
inline void Part::failure_fired(Index clock) { w_.bias.fired(clock); }
inline void Part::failure_cancelled(Index clock) { w_.bias.cancel(clock, w_.now()); }
inline void Part::touch_placement(Index p) { w_.touch_placement(p); }

}  // namespace relsim::models
