// A read-only window on one trial of the engine, for measurements the trial
// result does not carry (the game-day planner's timelines: error rate per
// interval, capacity, load-balancer routing, store failovers).
//
// The World calls an observer, when one is set, and changes nothing because
// of it: after integrating every accounting interval [t0, t1) (with the
// state as it was and the ratios at t0, the midpoint and t1, the three
// Simpson nodes the engine itself uses), after every state change (with the
// new state and its ratios), when an alert fires or clears, and at every random
// deploy. The references are valid only during the call. Observers are per
// World, hence per thread; the cost of a null observer is one branch per
// event.
#pragma once

#include "models/fluid.hpp"
#include "sim/time.hpp"

namespace relsim::models {

class TrialObserver {
 public:
  virtual ~TrialObserver() = default;
  /// Requests of [t0, t1) were integrated with `state` and the ratios
  /// `at_t0`, `at_mid`, `at_t1` (Simpson's rule: weights 1, 4, 1 over 6).
  virtual void on_interval(sim::Duration t0, sim::Duration t1, const FluidState& state,
                           const FluidResult& at_t0, const FluidResult& at_mid,
                           const FluidResult& at_t1) = 0;
  /// The state changed at `t` (also once at t = 0 with the initial state).
  virtual void on_change(sim::Duration t, const FluidState& state, const FluidResult& ratios) = 0;
  /// Alert `alert` (model.alerts index) fired at `t`, on its page route or not.
  virtual void on_alert(sim::Duration /*t*/, Index /*alert*/, bool /*page*/) {}
  /// The same rule stopped firing at `t` (its condition failed at a tick).
  virtual void on_alert_resolved(sim::Duration /*t*/, Index /*alert*/, bool /*page*/) {}
  /// A random deploy of service `service` (model.services index) at `t`;
  /// `bad`: the new version is a bad one. Injected badDeploy faults are
  /// faults, not reported here.
  virtual void on_deploy(sim::Duration /*t*/, Index /*service*/, bool /*bad*/) {}
};

}  // namespace relsim::models
