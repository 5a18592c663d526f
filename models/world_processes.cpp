// The trial engine's replicas (crashes, rescheduling, the load balancer's
// ghosts, autoscaling) and zones (outages, drains). See docs/model.md
// ("Failures and automatic recovery").
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/world_impl.hpp"

namespace relsim::models {

// ---------------------------------------------------------------- replicas

Replicas::Replicas(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m),
      slot_targets_(reg.targets(m.replica_zone.size())),
      ghost_targets_(reg.targets(m.replica_zone.size())),
      autoscale_targets_(reg.targets(m.services.size())),
      restart_streams_(reg.streams(m.restart_streams.size(),
                                   [&m](std::size_t i) { return m.restart_streams[i]; })) {
  const std::size_t nz = m.zone_count();
  service_zone_placement_.assign(m.services.size() * nz, kNoIndex);
  crash_rows_.assign(m.services.size(), {});
  for (Index p = 0; p < m.placements.size(); ++p) {
    const Placement& pl = m.placements[p];
    if (pl.role != ZoneRole::service_replicas) continue;
    const Index s = m.components[pl.component].row;
    service_zone_placement_[s * nz + pl.zone] = p;
  }
  for (const ServiceRow& svc : m.services) any_autoscale_ = any_autoscale_ || svc.autoscale;
  for (Index f = 0; f < m.failures.size(); ++f) {
    const FailureRow& row = m.failures[f];
    if (row.type == FailureType::replica_crash) {
      crash_rows_[m.components[row.owner].row].push_back(f);
    }
  }
}

void Replicas::reset() {
  slots_.assign(m_.replica_zone.size(), Slot{});
  replicas_.assign(m_.services.size(), 0);
  autoscale_pending_.assign(m_.services.size(), 0);
  running_.assign(m_.services.size(), 0);
  bias_class_.assign(m_.services.size(), kBiasUp);
}

void Replicas::start() {
  const std::size_t nz = m_.zone_count();
  for (Index s = 0; s < m_.services.size(); ++s) {
    const ServiceRow& svc = m_.services[s];
    for (int r = 0; r < svc.max_replicas; ++r) {
      const Index slot = svc.replica_begin + static_cast<Index>(r);
      slots_[slot].service = s;
      slots_[slot].placement = service_zone_placement_[s * nz + m_.replica_zone[slot]];
      if (r < svc.replicas) place_and_run(slot, slots_[slot].placement);
    }
    replicas_[s] = svc.replicas;
    update_bias_class(s);
  }
}

void Replicas::on_crash(Index target, Index failure_row) {
  const Index slot = slot_targets_.local(target);
  const Slot& sl = slots_[slot];
  w_.begin_change({IncidentCause::replica_crash, failure_row, m_.services[sl.service].component,
                   sl.placement == kNoIndex ? kNoIndex : m_.placements[sl.placement].zone});
  failure_fired(m_.failures[failure_row].streams.begin +
                (slot - m_.services[sl.service].replica_begin));
  kill(slot, false);
}

void Replicas::on_ready(Index target) {
  w_.begin_change(Cause{});
  ready(slot_targets_.local(target));
}

void Replicas::on_forget(Index target, Index placement) {
  Slot& sl = slots_[ghost_targets_.local(target)];
  if (sl.ghost != placement) return;  // back in that zone meanwhile
  w_.begin_change(Cause{});
  --w_.fs.routed[sl.ghost];
  touch_placement(sl.ghost);
  sl.ghost = kNoIndex;
}

void Replicas::on_autoscale(Index target) {
  w_.begin_change(Cause{});
  const Index s = autoscale_targets_.local(target);
  autoscale_pending_[s] = 0;
  const int want = desired_replicas(s);
  if (want != replicas_[s]) set_replicas(s, want);
  if (!w_.eager) w_.update_crossing(m_.services[s].component);  // its thresholds count again
}

void Replicas::schedule_crash_clocks(Index slot) {
  if (!m_.random_failures) return;
  const Index s = slots_[slot].service;
  const Index r = slot - m_.services[s].replica_begin;
  for (const Index f : crash_rows_[s]) {
    const FailureRow& row = m_.failures[f];
    in(draw_failure(f, row.streams.begin + r, bias_class_[s]), EventKind::replica_crash,
       slot_targets_[slot], f);
  }
}

void Replicas::cancel_crash_clocks(Index slot) {
  if (!w_.bias.active()) return;
  const Index s = slots_[slot].service;
  const Index r = slot - m_.services[s].replica_begin;
  for (const Index f : crash_rows_[s]) failure_cancelled(m_.failures[f].streams.begin + r);
}

void Replicas::update_bias_class(Index s) {
  if (!w_.bias.active()) return;
  const std::uint8_t cls = running_[s] < replicas_[s] ? kBiasDegraded : kBiasUp;
  if (cls == bias_class_[s]) return;
  bias_class_[s] = cls;
  const ServiceRow& svc = m_.services[s];
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    if (slots_[slot].state != SlotState::running) continue;
    const Index r = slot - svc.replica_begin;
    rebiased_.clear();
    for (const Index f : crash_rows_[s]) {
      const auto t = w_.bias.rebias(m_.failures[f].streams.begin + r, cls, now());
      if (t) rebiased_.emplace_back(f, *t);
    }
    if (rebiased_.empty()) continue;
    // Its target holds only its crash clocks while it runs: all re-timed.
    w_.sim.cancel(slot_targets_[slot]);
    for (const auto& [f, t] : rebiased_)
      at(std::max(t, now()), EventKind::replica_crash, slot_targets_[slot], f);
  }
}

void Replicas::kill(Index slot, bool graceful) {
  Slot& sl = slots_[slot];
  if (sl.state != SlotState::running) return;
  const Index p = sl.placement;
  const ServiceRow& svc = m_.services[sl.service];
  w_.sim.cancel(slot_targets_[slot]);  // its crash clocks
  cancel_crash_clocks(slot);
  --running_[sl.service];
  update_bias_class(sl.service);
  --w_.fs.healthy[p];
  touch_placement(p);
  if (graceful || svc.health_check_delay <= sim::Duration::zero()) {
    --w_.fs.routed[p];
  } else {
    if (sl.ghost != kNoIndex) {
      --w_.fs.routed[sl.ghost];  // an older ghost: forget it now
      touch_placement(sl.ghost);
    }
    sl.ghost = p;
    in(svc.health_check_delay, EventKind::lb_forget, ghost_targets_[slot], p);
  }
  sl.state = SlotState::restarting;
  in(draw(svc.restart, rng(restart_streams_[slot])), EventKind::replica_ready, slot_targets_[slot]);
}

void Replicas::kill_in_zone(Index z, bool graceful) {
  for (Index slot = 0; slot < slots_.size(); ++slot) {
    const Slot& sl = slots_[slot];
    if (sl.state == SlotState::running && m_.placements[sl.placement].zone == z) {
      kill(slot, graceful);
    }
  }
}

void Replicas::ready(Index slot) {
  Slot& sl = slots_[slot];
  if (sl.state != SlotState::restarting) return;
  Index p = sl.placement;
  if (p == kNoIndex || !w_.zones.usable(m_.placements[p].zone)) p = choose_placement(sl.service);
  if (p == kNoIndex) {
    sl.state = SlotState::waiting;
    return;
  }
  place_and_run(slot, p);
}

void Replicas::finish_restarts(Index s) {
  const ServiceRow& svc = m_.services[s];
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    if (slots_[slot].state != SlotState::restarting) continue;
    w_.sim.cancel(slot_targets_[slot]);
    ready(slot);
  }
}

void Replicas::place_and_run(Index slot, Index p) {
  Slot& sl = slots_[slot];
  sl.state = SlotState::running;
  sl.placement = p;
  ++running_[sl.service];
  update_bias_class(sl.service);
  ++w_.fs.healthy[p];
  touch_placement(p);
  if (sl.ghost == p) {
    sl.ghost = kNoIndex;  // the same endpoint is healthy again
  } else {
    ++w_.fs.routed[p];
  }
  schedule_crash_clocks(slot);
}

Index Replicas::choose_placement(Index s) const {
  const ServiceRow& svc = m_.services[s];
  const Index c = svc.component;
  Index best = kNoIndex;
  int best_count = 0;
  for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
    const Placement& pl = m_.placements[p];
    if (pl.role != ZoneRole::service_replicas || !w_.zones.usable(pl.zone)) continue;
    if (!svc.topology_spread) return p;  // the first zone with room takes them all
    int count = 0;                       // replicas there or on their way back there
    for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
      const Slot& sl = slots_[slot];
      if (sl.placement == p &&
          (sl.state == SlotState::running || sl.state == SlotState::restarting)) {
        ++count;
      }
    }
    if (best == kNoIndex || count < best_count) {
      best = p;
      best_count = count;
    }
  }
  return best;
}

void Replicas::place_waiting(Index s) {
  const ServiceRow& svc = m_.services[s];
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    if (slots_[slot].state != SlotState::waiting) continue;
    const Index p = choose_placement(s);
    if (p == kNoIndex) return;
    place_and_run(slot, p);
  }
}

void Replicas::place_waiting_all() {
  for (Index s = 0; s < m_.services.size(); ++s) place_waiting(s);
}

void Replicas::running(Index s, Index z, std::vector<Index>& out) const {
  const ServiceRow& svc = m_.services[s];
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    const Slot& sl = slots_[slot];
    if (sl.state == SlotState::running &&
        (z == kNoIndex || m_.placements[sl.placement].zone == z)) {
      out.push_back(slot);
    }
  }
}

int Replicas::desired_replicas(Index s) const {
  const ServiceRow& svc = m_.services[s];
  const Index c = svc.component;
  const double per =
      svc.capacity_per_replica * w_.fs.capacity_factor[c] * svc.autoscale->target_utilization;
  int want = per > 0.0 ? static_cast<int>(std::ceil(w_.load_now(c) / per - 1e-9)) : replicas_[s];
  want = std::clamp(want, svc.autoscale->min_replicas, svc.autoscale->max_replicas);
  return want;
}

void Replicas::after_change(const std::vector<Index>& moved) {
  if (!any_autoscale_) return;
  for (const Index c : moved) {
    const ComponentRow& row = m_.components[c];
    if (row.kind != ComponentKind::service) continue;
    const Index s = row.row;
    const ServiceRow& svc = m_.services[s];
    if (!svc.autoscale || autoscale_pending_[s]) continue;
    if (desired_replicas(s) != replicas_[s]) {
      autoscale_pending_[s] = 1;
      in(svc.autoscale->reaction_time, EventKind::autoscale, autoscale_targets_[s]);
      w_.update_crossing(c);
    }
  }
}

sim::Duration Replicas::autoscale_crossing(Index c) const {
  const Index s = m_.components[c].row;
  const ServiceRow& svc = m_.services[s];
  const double slope = w_.cur.load_slope[c];
  if (!svc.autoscale || autoscale_pending_[s] || slope == 0.0) return sim::Duration::max();
  const double per =
      svc.capacity_per_replica * w_.fs.capacity_factor[c] * svc.autoscale->target_utilization;
  const double load = w_.load_now(c);
  const int n = replicas_[s];
  double seconds = std::numeric_limits<double>::infinity();
  auto consider = [&](int k) {
    const double x = (k * per - load) / slope;
    if (x > 0.0) seconds = std::min(seconds, x);
  };
  if (n < svc.autoscale->max_replicas) consider(n);
  if (n > svc.autoscale->min_replicas) consider(n - 1);
  return after_seconds(now(), seconds);
}

void Replicas::set_replicas(Index s, int count) {
  const ServiceRow& svc = m_.services[s];
  count = std::clamp(count, 0, svc.max_replicas);
  for (int r = replicas_[s]; r < count; ++r) {
    const Index slot = svc.replica_begin + static_cast<Index>(r);
    const Index p = choose_placement(s);
    if (p == kNoIndex) {
      slots_[slot].state = SlotState::waiting;
    } else {
      place_and_run(slot, p);
    }
  }
  for (int r = replicas_[s]; r-- > count;) {
    const Index slot = svc.replica_begin + static_cast<Index>(r);
    Slot& sl = slots_[slot];
    w_.sim.cancel(slot_targets_[slot]);
    if (sl.state == SlotState::running) {
      cancel_crash_clocks(slot);
      --running_[s];
      --w_.fs.healthy[sl.placement];
      --w_.fs.routed[sl.placement];
      touch_placement(sl.placement);
    }
    sl.state = SlotState::off;
  }
  replicas_[s] = count;
  update_bias_class(s);
}

// ---------------------------------------------------------------- zones

Zones::Zones(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m), targets_(reg.targets(m.zone_count())) {}

void Zones::reset() {
  zone_down_.assign(m_.zone_count(), 0);
  drained_.assign(m_.zone_count(), 0);
}

void Zones::start() {
  if (!m_.random_failures) return;
  for (Index f = 0; f < m_.failures.size(); ++f) {
    const FailureRow& row = m_.failures[f];
    if (row.type == FailureType::zone_outage) {
      at(draw_failure(f, row.streams.begin), EventKind::zone_outage, targets_[row.owner], f);
    }
  }
}

void Zones::on_outage(Index target, Index failure_row) {
  const Index z = targets_.local(target);
  w_.begin_change({IncidentCause::zone_outage, failure_row, kNoIndex, z});
  const FailureRow& row = m_.failures[failure_row];
  failure_fired(row.streams.begin);
  down(z);
  if (row.duration) {
    in(draw(*row.duration, w_.failure_rng(row.streams.begin)), EventKind::zone_back, target,
       failure_row);
  }
}

void Zones::on_back(Index target, Index failure_row) {
  w_.begin_change(Cause{});
  const FailureRow& row = m_.failures[failure_row];
  up(targets_.local(target));
  in(draw_failure(failure_row, row.streams.begin), EventKind::zone_outage, target, failure_row);
}

void Zones::down(Index z) {
  if (zone_down_[z]++ > 0) return;
  w_.fs.zone_up[z] = 0;
  w_.replicas.kill_in_zone(z, false);
  w_.stores.zone_down(z);
}

void Zones::up(Index z) {
  if (--zone_down_[z] > 0) return;
  w_.fs.zone_up[z] = 1;
  w_.replicas.place_waiting_all();
  w_.stores.zone_up(z);
}

void Zones::undrain(Index z) {
  if (--drained_[z] == 0) w_.replicas.place_waiting_all();
}

}  // namespace relsim::models
