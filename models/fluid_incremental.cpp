// Incremental fluid evaluation: see models/fluid_incremental.hpp.
#include "models/fluid_incremental.hpp"

#include <algorithm>
#include <bit>
#include <functional>

namespace relsim::models {
namespace {

/// Bit-for-bit equality: "unchanged" must mean the same doubles downstream
/// (== would equate 0.0 and −0.0).
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

FluidUpdater::FluidUpdater(const CompiledModel& model) : model_(model) {
  const std::size_t nc = model.components.size();

  // Edges that add load, bucketed by target in the full load pass's order:
  // sources from the highest index down, each source's edges ascending.
  in_begin_.assign(nc + 1, 0);
  for (Index e = 0; e < model.edges.size(); ++e) {
    if (edge_adds_load(model, e)) ++in_begin_[model.edges[e].target + 1];
  }
  for (std::size_t c = 0; c < nc; ++c) in_begin_[c + 1] += in_begin_[c];
  in_edges_.resize(in_begin_[nc]);
  std::vector<Index> fill(in_begin_.begin(), in_begin_.end() - 1);
  for (Index c = static_cast<Index>(nc); c-- > 0;) {
    for (Index e = model.edge_begin[c]; e < model.edge_begin[c + 1]; ++e) {
      if (edge_adds_load(model, e)) in_edges_[fill[model.edges[e].target]++] = {e, c};
    }
  }

  // The success step of a component reads the results of exactly the
  // targets of its load-carrying edges, so its readers are those edges'
  // sources, once each (in_edges_ holds a source's edges together).
  reader_begin_.assign(nc + 1, 0);
  for (std::size_t c = 0; c < nc; ++c) {
    for (Index i = in_begin_[c]; i < in_begin_[c + 1]; ++i) {
      if (i == in_begin_[c] || in_edges_[i].source != in_edges_[i - 1].source) {
        readers_.push_back(in_edges_[i].source);
      }
    }
    reader_begin_[c + 1] = static_cast<Index>(readers_.size());
  }

  Index most_placements = 0;
  Index most_edges = 0;
  for (std::size_t c = 0; c < nc; ++c) {
    most_placements =
        std::max(most_placements, model.placement_begin[c + 1] - model.placement_begin[c]);
    most_edges = std::max(most_edges, model.edge_begin[c + 1] - model.edge_begin[c]);
  }
  old_zone_admitted_.assign(most_placements, 0.0);
  old_zone_rho_.assign(most_placements, 0.0);
  old_edge_failure_.assign(most_edges, 0.0);

  marked_.reserve(nc);
  is_marked_.assign(nc, 0);
  load_heap_.reserve(nc);
  success_heap_.reserve(nc);
  load_dirty_.assign(nc, 0);
  success_dirty_.assign(nc, 0);
  load_moved_.assign(nc, 0);
  is_changed_.assign(nc, 0);
  changed_.reserve(nc);
}

void FluidUpdater::clear_marks() {
  for (const Index c : marked_) is_marked_[c] = 0;
  marked_.clear();
}

inline void FluidUpdater::save_load_fields(Index c, const FluidResult& out) {
  old_load_ = out.load[c];
  old_load_slope_ = out.load_slope[c];
  old_admitted_ = out.admitted[c];
  old_admitted_slope_ = out.admitted_slope[c];
  old_max_utilisation_ = out.max_utilisation[c];
  old_stretch_ = out.stretch[c];
  old_overloaded_ = out.overloaded[c];
  const Index begin = model_.placement_begin[c];
  for (Index p = begin; p < model_.placement_begin[c + 1]; ++p) {
    old_zone_admitted_[p - begin] = out.zone_admitted[p];
    old_zone_rho_[p - begin] = out.zone_rho[p];
  }
}

inline bool FluidUpdater::load_fields_moved(Index c, const FluidResult& out) const {
  if (!same(old_load_, out.load[c]) || !same(old_load_slope_, out.load_slope[c]) ||
      !same(old_admitted_, out.admitted[c]) || !same(old_admitted_slope_, out.admitted_slope[c]) ||
      !same(old_max_utilisation_, out.max_utilisation[c]) || !same(old_stretch_, out.stretch[c]) ||
      old_overloaded_ != out.overloaded[c]) {
    return true;
  }
  const Index begin = model_.placement_begin[c];
  for (Index p = begin; p < model_.placement_begin[c + 1]; ++p) {
    if (!same(old_zone_admitted_[p - begin], out.zone_admitted[p]) ||
        !same(old_zone_rho_[p - begin], out.zone_rho[p])) {
      return true;
    }
  }
  return false;
}

void FluidUpdater::update(const FluidState& state, const std::vector<double>& demand,
                          const std::vector<double>& demand_slope, FluidResult& out) {
  for (const Index c : changed_) is_changed_[c] = 0;
  changed_.clear();
  if (marked_.empty()) return;
  // Client retry couples the whole graph; and when most components of a
  // large model are marked (every service's demand moved) one full pass is
  // cheaper than the heaps. A small model stays incremental: there the
  // comparison copy of the whole result would cost more than the update.
  constexpr std::size_t kSmallModel = 64;
  const std::size_t n = model_.components.size();
  if (model_.has_retry || (n > kSmallModel && 2 * marked_.size() > n)) {
    update_full(state, demand, demand_slope, out);
    clear_marks();
    return;
  }

  // Load, callers before callees. A marked component always passes its
  // (possibly new) contribution on: a cache's hit ratio changes what its
  // backing store gets even when the cache's own fields stay put.
  for (const Index c : marked_) push_load(c);
  while (!load_heap_.empty()) {
    const Index c = pop_load();

    double load = 0.0;
    double slope = 0.0;
    for (Index i = in_begin_[c]; i < in_begin_[c + 1]; ++i) {
      double add = 0.0;
      double add_slope = 0.0;
      edge_load(model_, state, out, in_edges_[i].edge, add, add_slope);
      load += add;
      slope += add_slope;
    }
    save_load_fields(c, out);
    fluid_load_step(model_, state, demand, demand_slope, c, load, slope, out);
    const bool moved = load_fields_moved(c, out);
    if (moved) {
      load_moved_[c] = 1;
      note_changed(c);
    }
    if (!moved && !is_marked_[c]) continue;
    push_success(c);
    for (Index e = model_.edge_begin[c]; e < model_.edge_begin[c + 1]; ++e) {
      if (edge_adds_load(model_, e)) push_load(model_.edges[e].target);
    }
  }

  // Success, callees before callers. A component whose fields moved makes
  // every component that reads them dirty.
  while (!success_heap_.empty()) {
    const Index c = pop_success();

    const double old_success = out.success[c];
    const double old_delay = out.delay[c];
    const Index begin = model_.edge_begin[c];
    const Index end = model_.edge_begin[c + 1];
    for (Index e = begin; e < end; ++e) old_edge_failure_[e - begin] = out.edge_failure[e];
    fluid_success_step(model_, state, c, out);
    bool moved = !same(old_success, out.success[c]) || !same(old_delay, out.delay[c]);
    for (Index e = begin; e < end; ++e) {
      if (!same(old_edge_failure_[e - begin], out.edge_failure[e])) moved = true;
    }
    if (moved) note_changed(c);
    if (!moved && !load_moved_[c]) continue;
    for (Index i = reader_begin_[c]; i < reader_begin_[c + 1]; ++i) push_success(readers_[i]);
  }

  for (const Index c : changed_) load_moved_[c] = 0;
  if (changed_.size() > 1) std::sort(changed_.begin(), changed_.end());
  clear_marks();
}

void FluidUpdater::update_full(const FluidState& state, const std::vector<double>& demand,
                               const std::vector<double>& demand_slope, FluidResult& out) {
  before_ = out;  // copy-assignment keeps before_'s storage: no allocation after the first
  evaluate_fluid(model_, state, demand, demand_slope, out);
  const FluidResult& a = before_;
  for (Index c = 0; c < model_.components.size(); ++c) {
    bool moved =
        !same(a.load[c], out.load[c]) || !same(a.load_slope[c], out.load_slope[c]) ||
        !same(a.admitted[c], out.admitted[c]) ||
        !same(a.admitted_slope[c], out.admitted_slope[c]) || !same(a.success[c], out.success[c]) ||
        !same(a.delay[c], out.delay[c]) || !same(a.stretch[c], out.stretch[c]) ||
        !same(a.max_utilisation[c], out.max_utilisation[c]) || a.overloaded[c] != out.overloaded[c];
    for (Index p = model_.placement_begin[c]; p < model_.placement_begin[c + 1]; ++p) {
      if (!same(a.zone_admitted[p], out.zone_admitted[p]) ||
          !same(a.zone_rho[p], out.zone_rho[p])) {
        moved = true;
      }
    }
    for (Index e = model_.edge_begin[c]; e < model_.edge_begin[c + 1]; ++e) {
      if (!same(a.edge_failure[e], out.edge_failure[e])) moved = true;
    }
    if (moved) changed_.push_back(c);  // ascending by construction
  }
  for (const Index c : changed_) is_changed_[c] = 1;
}

}  // namespace relsim::models
