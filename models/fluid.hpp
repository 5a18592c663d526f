// The fluid view of a system between two events: given what is up, what is
// routed, what is injected and the external demand, the load each component
// sees, what it admits, the fraction of its requests that succeed, and the
// latency model's stretch and extra delay. See docs/model.md ("Requests are
// a fluid", "Capacity, zones and the load balancer", "Dependencies",
// "Latency").
//
// `evaluate_fluid` is a pure function of (model, state, demand): the trial
// engine calls it between events and `relsim analyze` calls it on every
// state of its Markov chain, so both compute ratios the same way. One pass
// over the components from callers to callees for load, one from callees to
// callers for success: O(components + edges), no allocation once the output
// vectors have their size. Not thread-safe per FluidResult; share the model.
// Both passes are loops over `fluid_load_step` and `fluid_success_step`,
// which FluidUpdater (models/fluid_incremental.hpp) also runs to bring a
// result up to date after a local change, visiting only what moved.
#pragma once

#include <cstdint>
#include <vector>

#include "models/compiled_model.hpp"
#include "sim/cdf_memo.hpp"

namespace relsim::models {

/// Everything the ratios depend on, between two events. Sized by
/// `make_fluid_state(model)` to the model's tables and initialised to the
/// nominal state (everything up, t = 0 placement, nothing injected).
struct FluidState {
  // Per zone.
  std::vector<std::uint8_t> zone_up;  // 1 = up
  // Per placement (model.placements; only service_replicas rows are read):
  std::vector<int> healthy;  // running replicas of the service in the zone
  std::vector<int> routed;   // healthy + dead ones the load balancer still routes to
  // Per component (model.components index).
  std::vector<std::uint8_t>
      serving;                    // datastores: primary serving; caches: node serving; services: 1
  std::vector<double> hit_ratio;  // caches: current hit ratio
  std::vector<double> capacity_factor;  // services: 1 − capacity lost (capacityLoss fault)
  std::vector<double> demand_factor;    // services: external demand multiplier (loadSpike)
  std::vector<double> error_rate;       // fraction of admitted requests failing (bad deploy)
  std::vector<double> added_latency;    // seconds added to every request (bad deploy)
  // Per edge (model.edges index).
  std::vector<double> edge_pass;     // (1 − loss)(1 − injected errors); 0 when partitioned
  std::vector<double> edge_latency;  // seconds of injected network latency

  bool operator==(const FluidState&) const = default;
};

/// The nominal state of `model`: all zones up, every service's t = 0
/// replicas healthy and routed, datastores and caches serving at their
/// configured hit ratios, nothing injected.
FluidState make_fluid_state(const CompiledModel& model);

/// Results per component (model.components index).
struct FluidResult {
  std::vector<double> load;            // requests/s arriving (external demand + callers)
  std::vector<double> load_slope;      // d load / dt at fixed regime, requests/s per second
  std::vector<double> admitted;        // requests/s the component itself serves
  std::vector<double> admitted_slope;  // d admitted / dt at fixed regime (feeds the callees' slope)
  std::vector<double> success;         // fraction of `load` that succeeds end to end (0..1)
  std::vector<double> delay;           // Δ: extra latency of its requests, seconds
  std::vector<double> max_utilisation;   // the highest per-zone (or own) utilisation ρ
  std::vector<std::uint8_t> overloaded;  // some zone (or the component) drops load
  std::vector<double> stretch;           // latency stretch, averaged over zones by admitted
  std::vector<double> median;            // median of the latency distribution (0 without one)
  // Per placement (model.placements; service_replicas rows, else 0):
  std::vector<double> zone_admitted;  // requests/s the zone's replicas serve
  std::vector<double> zone_rho;       // their utilisation
  // Per edge (model.edges index):
  std::vector<double> edge_failure;   // share of one attempt's calls that fail (before retry)
  std::vector<double> retry_scratch;  // the previous pass's edge_failure (client retry only)
  // The latency CDF values fraction_within computed for this buffer (a
  // cache: a hit is the same double; copying a result does not copy it).
  mutable sim::CdfMemo latency_cdf;
};

/// Utilisation above which latency stretches (docs/model.md, "Latency").
inline constexpr double kLatencyKnee = 0.7;
/// Utilisation cap of the stretch: at most 0.3 / 0.01 = 30×.
inline constexpr double kUtilisationCap = 0.99;
/// The most load/success pass pairs an evaluation with client retry makes.
inline constexpr int kMaxRetryPasses = 200;
/// The latency stretch at utilisation `rho`.
double latency_stretch(double rho);

/// Evaluates the fluid. `demand[s]` and `demand_slope[s]` are the external
/// demand (requests/s, before demand_factor) and its time derivative per
/// service row. Resizes `out` on first use. With client retry on some edge
/// (docs/model.md, "Client retry") the load a callee sees depends on the
/// share of calls that fail, which depends on its load: the two passes are
/// repeated from "nothing fails" until the failure shares move by less than
/// 1e-12 (at most kMaxRetryPasses times); they only grow, so this finds the
/// least fixed point.
void evaluate_fluid(const CompiledModel& model, const FluidState& state,
                    const std::vector<double>& demand, const std::vector<double>& demand_slope,
                    FluidResult& out);

// The two per-component steps both evaluate_fluid and FluidUpdater
// (models/fluid_incremental.hpp) run: one implementation of the physics.

/// Component `c`'s load step: given `load` and `slope`, the requests/s its
/// callers send and their derivative (summed in the order of
/// `adds_load`'s edges, callers by descending index), adds its external
/// demand and sets its load, load_slope, admitted, admitted_slope,
/// max_utilisation, overloaded, stretch and its placements' zone_admitted
/// and zone_rho. Touches nothing else.
void fluid_load_step(const CompiledModel& model, const FluidState& state,
                     const std::vector<double>& demand, const std::vector<double>& demand_slope,
                     Index c, double load, double slope, FluidResult& out);

/// Whether edge `e` carries load to its target (every edge of a service or
/// datastore; a cache's backing edge only).
bool edge_adds_load(const CompiledModel& model, Index e);

/// What edge `e` adds to its target's load and load slope, from its
/// source's results (`edge_adds_load(model, e)` must hold).
void edge_load(const CompiledModel& model, const FluidState& state, const FluidResult& out, Index e,
               double& load, double& slope);

/// Component `c`'s success step: from its own load-step results and its
/// callees' results, sets its success, delay and the edge_failure of its
/// edges. Touches nothing else.
void fluid_success_step(const CompiledModel& model, const FluidState& state, Index c,
                        FluidResult& out);

/// Seconds until the load of some component first crosses one of its
/// breakpoints (a zone's or the component's capacity, the latency knee) if
/// the regime of `result` held on; +infinity when none is ahead.
double seconds_to_next_crossing(const CompiledModel& model, const FluidState& state,
                                const FluidResult& result);
/// The same for component `c` alone.
double seconds_to_crossing(const CompiledModel& model, const FluidState& state,
                           const FluidResult& result, Index c);

/// Fraction of component `c`'s requests answered within `seconds` by the
/// latency model (ignores whether they succeed).
double fraction_within(const CompiledModel& model, const FluidResult& result, Index c,
                       double seconds);

/// Fraction of component `c`'s requests that succeed AND are faster than
/// `threshold_seconds` (latency SLIs), from an evaluated result.
double latency_good_fraction(const CompiledModel& model, const FluidState& state,
                             const FluidResult& result, Index c, double threshold_seconds);

}  // namespace relsim::models
