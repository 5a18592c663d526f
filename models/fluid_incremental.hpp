// Incremental fluid evaluation (issue 18, part 1): after an event changed
// the inputs of a few components, bring a FluidResult up to date by visiting
// only what can have changed, with results bit-identical to a full
// `evaluate_fluid` on the new state (models/fluid.hpp stays the reference;
// both call the same per-component load and success steps).
//
// How: the caller marks the components whose inputs changed (`mark`), then
// `update` runs
//   1. a load phase over a dirty set, highest component index first (callers
//      before callees). A dirty component's incoming load is re-summed from
//      its callers' current results in exactly the order the full pass adds
//      them (callers by descending index, each caller's edges by ascending
//      index, a cache's misses in that same stream), then its own load step
//      runs. When its load-step fields moved (or it was marked) its callees
//      become dirty; when nothing moved the propagation stops there.
//   2. a success phase, lowest index first (callees before callers): every
//      component that was marked or whose load-step fields moved re-runs its
//      success step, and a component any of whose fields moved makes its
//      callers dirty (they read its success, delay, stretch and, for soft
//      timeouts, its per-zone latency split).
// Values are compared bit for bit (not with ==), so "unchanged" means the
// downstream arithmetic would see the very same doubles.
//
// Client retry (`model.has_retry`): the two passes are iterated to a fixed
// point from "nothing fails", whose result depends on the whole graph's
// failure shares; `update` then simply re-runs the full `evaluate_fluid` and
// reports as changed every component whose fields differ from before
// (O(components + edges + placements) per update, as before this class
// existed). It does the same when more than half of the components of a
// model of more than 64 are marked (every service's demand moved): one sweep
// is cheaper than the heaps (a small model stays incremental: copying its
// whole result for the comparison would cost more).
//
// Cost: O(1) allocation-free work per visited component plus its in- and
// out-edges and placements, and O(log dirty) per heap operation; a replica
// kill visits that service, its callees down to where load stops moving and
// its callers up to where success stops moving. Two dirty heaps
// (std::push_heap on reserved vectors) and byte maps sized to the model;
// nothing is allocated per update (the retry fallback's copy of the result
// allocates once, on its first use). Measured with bench/bench_fluid.cpp on
// the generated platform (Release, gcc 12, one core of a loaded 2-core
// machine, CPU ns per call; `relsim_bench --benchmark_filter=BM_Fluid`):
//
//   services | full evaluate_fluid | update, one replica kill | components changed
//         10 |              610 ns |                   540 ns |  5.0 of 11
//        100 |            6,660 ns |                 1,040 ns |  7.7 of 110
//       1000 |           66,800 ns |                 1,090 ns |  7.8 of 1,100
//
// so an update after a local event costs about the same at any size, while
// the full evaluation grows linearly. Every service's demand moving (all
// marked) costs a full evaluation plus ~12 % for the comparison.
//
// What the fluid reads: FluidState::zone_up is not among its inputs (a zone
// outage reaches the fluid through its placements' healthy and routed counts
// and the serving flags of its datastores and caches: mark those).
//
// Not thread-safe: one FluidUpdater per trial engine (share the model).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/fluid.hpp"

namespace relsim::models {

class FluidUpdater {
 public:
  /// Precomputes the ordered reverse adjacency of `model` (kept by
  /// reference: it must outlive the updater).
  explicit FluidUpdater(const CompiledModel& model);

  /// Component `c`'s inputs changed: a FluidState field indexed by `c`, a
  /// placement row of `c` (healthy, routed), an edge leaving `c`
  /// (edge_pass, edge_latency), or its external demand or demand slope.
  void mark(Index c) {
    if (is_marked_[c]) return;
    is_marked_[c] = 1;
    marked_.push_back(c);
  }
  /// Placement `p`'s healthy or routed count changed (marks its component).
  void mark_placement(Index p) { mark(model_.placements[p].component); }
  /// Edge `e`'s edge_pass or edge_latency changed (marks its source).
  void mark_edge(Index e) { mark(model_.edges[e].source); }
  /// Whether some component is marked and not yet updated.
  bool pending() const { return !marked_.empty(); }
  /// Forgets the marks (after the caller re-evaluated in full itself).
  void clear_marks();

  /// Given `out` == evaluate_fluid(model, state_before, demand, demand_slope)
  /// (as left by evaluate_fluid or by a previous update) and the marked
  /// components as the only ones whose inputs differ between state_before
  /// and `state`, brings `out` to evaluate_fluid(model, state, demand,
  /// demand_slope) bit for bit, visiting only what can have changed, and
  /// clears the marks. With nothing marked, does nothing.
  void update(const FluidState& state, const std::vector<double>& demand,
              const std::vector<double>& demand_slope, FluidResult& out);

  /// The components any of whose FluidResult fields (load, load_slope,
  /// admitted, admitted_slope, success, delay, stretch, max_utilisation,
  /// overloaded, the zone_admitted and zone_rho of its placements, the
  /// edge_failure of its edges) changed in the last update, ascending,
  /// without duplicates.
  const std::vector<Index>& changed() const { return changed_; }

 private:
  struct InEdge {
    Index edge;    // into model.edges
    Index source;  // the caller (or the cache whose misses it is)
  };

  void update_full(const FluidState& state, const std::vector<double>& demand,
                   const std::vector<double>& demand_slope, FluidResult& out);
  bool load_fields_moved(Index c, const FluidResult& out) const;
  void save_load_fields(Index c, const FluidResult& out);
  void note_changed(Index c) {
    if (is_changed_[c]) return;
    is_changed_[c] = 1;
    changed_.push_back(c);
  }
  // The dirty heaps. Pop order is by index alone (each index at most once),
  // so a heap of one needs no sift: most updates of a small model dirty one
  // component per phase and never reach std::push_heap or std::pop_heap.
  void push_load(Index c) {
    if (load_dirty_[c]) return;
    load_dirty_[c] = 1;
    load_heap_.push_back(c);
    if (load_heap_.size() > 1) std::push_heap(load_heap_.begin(), load_heap_.end());
  }
  void push_success(Index c) {
    if (success_dirty_[c]) return;
    success_dirty_[c] = 1;
    success_heap_.push_back(c);
    if (success_heap_.size() > 1) {
      std::push_heap(success_heap_.begin(), success_heap_.end(), std::greater<>());
    }
  }
  Index pop_load() {  // the largest index (callers before callees)
    if (load_heap_.size() > 1) std::pop_heap(load_heap_.begin(), load_heap_.end());
    const Index c = load_heap_.back();
    load_heap_.pop_back();
    load_dirty_[c] = 0;
    return c;
  }
  Index pop_success() {  // the smallest index (callees before callers)
    if (success_heap_.size() > 1) {
      std::pop_heap(success_heap_.begin(), success_heap_.end(), std::greater<>());
    }
    const Index c = success_heap_.back();
    success_heap_.pop_back();
    success_dirty_[c] = 0;
    return c;
  }

  const CompiledModel& model_;
  // Per component: the edges that add to its load, callers by descending
  // index, each caller's edges by ascending index (CSR).
  std::vector<Index> in_begin_;
  std::vector<InEdge> in_edges_;
  // Per component: the components that read its results (its callers, and
  // the caches it backs), without duplicates (CSR).
  std::vector<Index> reader_begin_;
  std::vector<Index> readers_;

  std::vector<Index> marked_;
  std::vector<std::uint8_t> is_marked_;
  std::vector<Index> load_heap_;     // max-heap of load-dirty components
  std::vector<Index> success_heap_;  // min-heap of success-dirty components
  std::vector<std::uint8_t> load_dirty_;
  std::vector<std::uint8_t> success_dirty_;
  std::vector<std::uint8_t> load_moved_;  // load-step fields moved in this update
  std::vector<std::uint8_t> is_changed_;
  std::vector<Index> changed_;

  // One component's load-step fields before its step ran.
  double old_load_ = 0.0, old_load_slope_ = 0.0, old_admitted_ = 0.0, old_admitted_slope_ = 0.0;
  double old_max_utilisation_ = 0.0, old_stretch_ = 0.0;
  std::uint8_t old_overloaded_ = 0;
  std::vector<double> old_zone_admitted_, old_zone_rho_;  // sized to the most placements
  std::vector<double> old_edge_failure_;                  // sized to the most out-edges
  FluidResult before_;  // client retry: the result before the full re-evaluation
};

}  // namespace relsim::models
