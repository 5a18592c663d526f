// The trial engine's processes: replica crashes and rescheduling, zone
// outages, datastore and cache failover, deployments, autoscaling and
// injected faults. See docs/model.md ("Failures and automatic recovery",
// "Injected faults").
#include <algorithm>
#include <cmath>

#include "models/world_impl.hpp"

namespace relsim::models {

// ---------------------------------------------------------------- start

void World::Impl::start_processes() {
  const CompiledModel& m = m_;
  const std::size_t nz = m.zone_count();
  for (Index s = 0; s < m.services.size(); ++s) {
    const ServiceRow& svc = m.services[s];
    for (int r = 0; r < svc.max_replicas; ++r) {
      const Index slot = svc.replica_begin + static_cast<Index>(r);
      slots_[slot].service = s;
      slots_[slot].placement = service_zone_placement_[s * nz + m.replica_zone[slot]];
      if (r < svc.replicas) place_and_run(slot, slots_[slot].placement);
    }
    replicas_[s] = svc.replicas;
  }
  if (m.random_failures) {
    for (Index f = 0; f < m.failures.size(); ++f) {
      const FailureRow& row = m.failures[f];
      switch (row.type) {
        case FailureType::zone_outage:
          at(draw(row.every, rng(row.streams.begin)), EventKind::zone_outage, t_zone_ + row.owner,
             f);
          break;
        case FailureType::replica_crash:
          break;  // per slot, in place_and_run
        case FailureType::primary_failure:
        case FailureType::node_failure:
          break;  // below, per store
      }
    }
    for (Index d = 0; d < m.datastores.size(); ++d) schedule_datastore_clocks(d);
    for (Index k = 0; k < m.caches.size(); ++k) schedule_cache_clocks(k);
  }
  if (m.random_deploys) {
    for (Index d = 0; d < m.deploys.size(); ++d) schedule_deploy(d);
  }
  for (Index f = 0; f < m.faults.size(); ++f) at(m.faults[f].start, EventKind::fault_start, t_fault_ + f);
  for (Index k = 0; k < m.slos.size(); ++k) {
    const sim::Duration w = ledger_.window_start(k);
    if (w > sim::Duration::zero() && w < horizon_) at(w, EventKind::window_start, t_window_);
  }
}

// ---------------------------------------------------------------- replicas

void World::Impl::schedule_crash_clocks(Index slot) {
  if (!m_.random_failures) return;
  const Index s = slots_[slot].service;
  const Index r = slot - m_.services[s].replica_begin;
  for (const Index f : crash_rows_[s]) {
    const FailureRow& row = m_.failures[f];
    in(draw(row.every, rng(row.streams.begin + r)), EventKind::replica_crash, slot, f);
  }
}

void World::Impl::kill_slot(Index slot, bool graceful) {
  Slot& sl = slots_[slot];
  if (sl.state != SlotState::running) return;
  const Index p = sl.placement;
  const ServiceRow& svc = m_.services[sl.service];
  sim_.cancel(slot);  // its crash clocks
  --fs_.healthy[p];
  touch_placement(p);
  if (graceful || svc.health_check_delay <= sim::Duration::zero()) {
    --fs_.routed[p];
  } else {
    if (sl.ghost != kNoIndex) {
      --fs_.routed[sl.ghost];  // an older ghost: forget it now
      touch_placement(sl.ghost);
    }
    sl.ghost = p;
    in(svc.health_check_delay, EventKind::lb_forget, t_ghost_ + slot, p);
  }
  sl.state = SlotState::restarting;
  in(draw(svc.restart, rng(r_restart_ + slot)), EventKind::replica_ready, slot);
}

void World::Impl::replica_ready(Index slot) {
  Slot& sl = slots_[slot];
  if (sl.state != SlotState::restarting) return;
  Index p = sl.placement;
  if (p == kNoIndex || !zone_usable(m_.placements[p].zone)) p = choose_placement(sl.service);
  if (p == kNoIndex) {
    sl.state = SlotState::waiting;
    return;
  }
  place_and_run(slot, p);
}

void World::Impl::place_and_run(Index slot, Index p) {
  Slot& sl = slots_[slot];
  sl.state = SlotState::running;
  sl.placement = p;
  ++fs_.healthy[p];
  touch_placement(p);
  if (sl.ghost == p) {
    sl.ghost = kNoIndex;  // the same endpoint is healthy again
  } else {
    ++fs_.routed[p];
  }
  schedule_crash_clocks(slot);
}

Index World::Impl::choose_placement(Index s) const {
  const ServiceRow& svc = m_.services[s];
  const Index c = svc.component;
  Index best = kNoIndex;
  int best_count = 0;
  for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
    const Placement& pl = m_.placements[p];
    if (pl.role != ZoneRole::service_replicas || !zone_usable(pl.zone)) continue;
    if (!svc.topology_spread) return p;  // the first zone with room takes them all
    int count = 0;  // replicas there or on their way back there
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

void World::Impl::place_waiting(Index s) {
  const ServiceRow& svc = m_.services[s];
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    if (slots_[slot].state != SlotState::waiting) continue;
    const Index p = choose_placement(s);
    if (p == kNoIndex) return;
    place_and_run(slot, p);
  }
}

// ---------------------------------------------------------------- zones

void World::Impl::zone_down(Index z) {
  if (zone_down_[z]++ > 0) return;
  fs_.zone_up[z] = 0;
  for (Index slot = 0; slot < slots_.size(); ++slot) {
    const Slot& sl = slots_[slot];
    if (sl.state == SlotState::running && m_.placements[sl.placement].zone == z) {
      kill_slot(slot, false);
    }
  }
  for (Index d = 0; d < m_.datastores.size(); ++d) {
    if (ds_primary_[d] == z) datastore_fail(d, false, std::nullopt);
  }
  for (Index k = 0; k < m_.caches.size(); ++k) {
    if (cache_zone_[k] == z) cache_fail(k);
  }
}

void World::Impl::zone_up(Index z) {
  if (--zone_down_[z] > 0) return;
  fs_.zone_up[z] = 1;
  for (Index s = 0; s < m_.services.size(); ++s) place_waiting(s);
  for (Index d = 0; d < m_.datastores.size(); ++d) {
    if (ds_state_[d] != StoreState::down) continue;
    const DatastoreRow& ds = m_.datastores[d];
    if (ds.automatic_failover) {
      // Waiting for a zone to promote into: the promotion starts now.
      ds_state_[d] = StoreState::failing_over;
      in(draw(ds.failover_duration, rng(r_ds_ + d)), EventKind::datastore_step, t_ds_state_ + d);
    } else if (ds_primary_[d] == z) {
      sim_.cancel(t_ds_state_ + d);
      datastore_step(d);  // the primary comes back with its zone
    }
  }
  for (Index k = 0; k < m_.caches.size(); ++k) {
    if (cache_state_[k] == StoreState::down) {
      cache_state_[k] = StoreState::failing_over;
      in(draw(m_.caches[k].failover_duration, rng(r_cache_ + k)), EventKind::cache_step,
         t_cache_state_ + k);
    }
  }
}

// ---------------------------------------------------------------- datastores

void World::Impl::schedule_datastore_clocks(Index d) {
  if (!m_.random_failures) return;
  const Index c = m_.datastores[d].component;
  for (Index f = 0; f < m_.failures.size(); ++f) {
    const FailureRow& row = m_.failures[f];
    if (row.type == FailureType::primary_failure && row.owner == c) {
      in(draw(row.every, rng(row.streams.begin)), EventKind::datastore_failure, t_ds_clock_ + d, f);
    }
  }
}

void World::Impl::datastore_fail(Index d, bool forced, std::optional<sim::Duration> repair) {
  const DatastoreRow& ds = m_.datastores[d];
  // Partial connection errors serve (fs_.serving): the primary can fail again.
  const bool partial = ds_state_[d] == StoreState::connection_errors && fs_.serving[ds.component];
  if (ds_state_[d] != StoreState::serving && !partial) return;
  if (partial) {
    connection_error_[ds.component] = 0.0;
    set_error_state(ds.component);
  }
  sim_.cancel(t_ds_clock_ + d);
  sim_.cancel(t_ds_state_ + d);
  fs_.serving[ds.component] = 0;
  touch(ds.component);
  if (forced || ds.automatic_failover) {
    ds_state_[d] = StoreState::failing_over;
    sim::Duration delay = draw(ds.failover_duration, rng(r_ds_ + d));
    if (!forced) delay += ds.failover_detect;
    in(delay, EventKind::datastore_step, t_ds_state_ + d);
  } else {
    ds_state_[d] = StoreState::down;
    // Back after the failure's own duration, or with its zone, or by a responder.
    if (repair && zone_usable(ds_primary_[d])) in(*repair, EventKind::datastore_step, t_ds_state_ + d);
  }
}

void World::Impl::datastore_step(Index d) {
  const DatastoreRow& ds = m_.datastores[d];
  switch (ds_state_[d]) {
    case StoreState::failing_over: {
      // Promote the first usable replica zone other than the failed primary's.
      const Index c = ds.component;
      Index zone = kNoIndex;
      for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
        const Index z = m_.placements[p].zone;
        if (z != ds_primary_[d] && zone_usable(z)) {
          zone = z;
          break;
        }
      }
      if (zone == kNoIndex && zone_usable(ds_primary_[d])) zone = ds_primary_[d];
      if (zone == kNoIndex) {
        ds_state_[d] = StoreState::down;  // promoted when a zone comes back
        return;
      }
      ds_primary_[d] = zone;
      if (ds.connection_errors > sim::Duration::zero()) {
        ds_state_[d] = StoreState::connection_errors;
        in(ds.connection_errors, EventKind::datastore_step, t_ds_state_ + d);
        if (ds.connection_error_rate < 1.0) {
          // Only stale pooled connections fail: the store serves the rest.
          fs_.serving[ds.component] = 1;
          touch(ds.component);
          connection_error_[ds.component] = ds.connection_error_rate;
          set_error_state(ds.component);
        }
        return;
      }
      break;
    }
    case StoreState::connection_errors:
      if (connection_error_[ds.component] != 0.0) {
        connection_error_[ds.component] = 0.0;
        set_error_state(ds.component);
      }
      break;
    case StoreState::down:
      break;
    case StoreState::serving:
      return;
  }
  ds_state_[d] = StoreState::serving;
  fs_.serving[ds.component] = 1;
  touch(ds.component);
  schedule_datastore_clocks(d);
}

// ---------------------------------------------------------------- caches

void World::Impl::schedule_cache_clocks(Index k) {
  if (!m_.random_failures) return;
  const Index c = m_.caches[k].component;
  for (Index f = 0; f < m_.failures.size(); ++f) {
    const FailureRow& row = m_.failures[f];
    if (row.type == FailureType::node_failure && row.owner == c) {
      in(draw(row.every, rng(row.streams.begin)), EventKind::cache_failure, t_cache_clock_ + k, f);
    }
  }
}

void World::Impl::cache_fail(Index k) {
  if (cache_state_[k] == StoreState::failing_over || cache_state_[k] == StoreState::down) return;
  const CacheRow& cache = m_.caches[k];
  sim_.cancel(t_cache_clock_ + k);
  sim_.cancel(t_cache_state_ + k);
  fs_.serving[cache.component] = 0;
  touch(cache.component);
  cache_state_[k] = StoreState::failing_over;
  in(draw(cache.failover_duration, rng(r_cache_ + k)), EventKind::cache_step, t_cache_state_ + k);
}

void World::Impl::cache_step(Index k) {
  const CacheRow& cache = m_.caches[k];
  const Index c = cache.component;
  if (cache_state_[k] == StoreState::failing_over) {
    Index zone = kNoIndex;
    for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
      const Index z = m_.placements[p].zone;
      if (zone_usable(z) && (zone == kNoIndex || (zone == cache_zone_[k] && z != cache_zone_[k]))) {
        zone = z;
      }
    }
    if (zone == kNoIndex) {
      cache_state_[k] = StoreState::down;  // fails over when a zone comes back
      return;
    }
    cache_zone_[k] = zone;
    cache_state_[k] = StoreState::serving;
    fs_.serving[c] = 1;
    touch(c);
    cache_warm_step_[k] = cache.warm_up > sim::Duration::zero() ? 0 : kWarmUpSteps;
    schedule_cache_clocks(k);
  } else if (cache_state_[k] == StoreState::serving && cache_warm_step_[k] < kWarmUpSteps) {
    ++cache_warm_step_[k];
  } else {
    return;
  }
  const int step = cache_warm_step_[k];
  touch(c);
  if (step < kWarmUpSteps) {
    // Staircase at the middle of each step: the same average as a linear climb.
    fs_.hit_ratio[c] = cache.hit_ratio * (step + 0.5) / kWarmUpSteps;
    in(sim::Duration::micros(cache.warm_up.count_micros() / kWarmUpSteps), EventKind::cache_step,
       t_cache_state_ + k);
  } else {
    fs_.hit_ratio[c] = cache.hit_ratio;
  }
}

// ---------------------------------------------------------------- deploys

void World::Impl::schedule_deploy(Index d) {
  const DeployRow& row = m_.deploys[d];
  if (row.rate <= 0.0) return;
  sim::Rng& r = rng(r_deploy_ + d);
  const double e = -std::log(r.uniform_open0());
  sim::Duration t;
  if (row.business_hours_only) {
    // `rate` deploys per day, all inside the day's business hours.
    const double per_business_second =
        row.rate * 86'400.0 / m_.calendar.business_seconds_per_business_day();
    t = m_.calendar.advance_business_time(now(), e / per_business_second);
  } else {
    t = now() + sim::Duration::from_seconds(e / row.rate);
  }
  if (t < horizon_) at(t, EventKind::deploy, t_deploy_ + d);
}

void World::Impl::deploy_arrival(Index d) {
  const DeployRow& row = m_.deploys[d];
  sim::Rng& r = rng(r_deploy_ + d);
  const Index c = m_.services[row.service].component;
  const Index rollback_target = t_rollback_ + row.service;
  sim_.cancel(rollback_target);
  ++deploys_;
  last_deploy_[row.service] = now();
  const bool bad = r.bernoulli(row.change_failure_rate);
  if (bad) {
    deploy_error_[c] = row.bad_deploy.error_rate;
    deploy_latency_[c] = row.bad_deploy.added_latency.to_seconds();
    if (row.bad_deploy.detects_itself) {
      in(draw(row.rollback, r), EventKind::rollback, rollback_target);
    }
  } else {
    deploy_error_[c] = 0.0;  // a good version replaces a bad one
    deploy_latency_[c] = 0.0;
  }
  if (observer_) observer_->on_deploy(now(), row.service, bad);
  set_error_state(c);
  schedule_deploy(d);
}

void World::Impl::set_error_state(Index c) {
  fs_.error_rate[c] =
      1.0 - (1.0 - deploy_error_[c]) * (1.0 - fault_error_[c]) * (1.0 - connection_error_[c]);
  fs_.added_latency[c] = deploy_latency_[c] + fault_latency_[c];
  touch(c);
}

// ---------------------------------------------------------------- autoscaling

int World::Impl::desired_replicas(Index s) const {
  const ServiceRow& svc = m_.services[s];
  const Index c = svc.component;
  const double per =
      svc.capacity_per_replica * fs_.capacity_factor[c] * svc.autoscale->target_utilization;
  int want = per > 0.0 ? static_cast<int>(std::ceil(load_now(c) / per - 1e-9)) : replicas_[s];
  want = std::clamp(want, svc.autoscale->min_replicas, svc.autoscale->max_replicas);
  return want;
}

void World::Impl::autoscale_act(Index s) {
  autoscale_pending_[s] = 0;
  const int want = desired_replicas(s);
  if (want != replicas_[s]) set_replicas(s, want);
  if (!eager_) update_crossing(m_.services[s].component);  // its thresholds count again
}

void World::Impl::set_replicas(Index s, int count) {
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
    sim_.cancel(slot);
    if (sl.state == SlotState::running) {
      --fs_.healthy[sl.placement];
      --fs_.routed[sl.placement];
      touch_placement(sl.placement);
    }
    sl.state = SlotState::off;
  }
  replicas_[s] = count;
}

// ---------------------------------------------------------------- faults

void World::Impl::fault_start(Index f) {
  const FaultRow& row = m_.faults[f];
  fault_active_[f] = 1;
  switch (row.kind) {
    case FaultKind::pod_kill:
      pod_kill(f);
      if (row.interval && row.duration && *row.interval < *row.duration) {
        in(*row.interval, EventKind::fault_repeat, t_fault_ + f);
      }
      break;
    case FaultKind::zone_outage:
      zone_down(row.zone);
      break;
    case FaultKind::node_drain:
      node_drain(f, true);
      break;
    case FaultKind::datastore_failover:
      datastore_fail(m_.components[row.component].row, true, std::nullopt);
      break;
    case FaultKind::cache_failover:
      cache_fail(m_.components[row.component].row);
      break;
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition:
    case FaultKind::dependency_errors:
    case FaultKind::capacity_loss:
    case FaultKind::load_spike:
      apply_fault_effects();
      break;
    case FaultKind::bad_deploy:
      ++deploys_;
      if (m_.components[row.component].kind == ComponentKind::service) {
        last_deploy_[m_.components[row.component].row] = now();
      }
      apply_fault_effects();
      break;
  }
  if (row.duration) in(*row.duration, EventKind::fault_end, t_fault_ + f);
}

void World::Impl::fault_end(Index f) {
  const FaultRow& row = m_.faults[f];
  fault_active_[f] = 0;
  switch (row.kind) {
    case FaultKind::zone_outage:
      zone_up(row.zone);
      break;
    case FaultKind::node_drain:
      node_drain(f, false);
      break;
    case FaultKind::pod_kill:
    case FaultKind::datastore_failover:
    case FaultKind::cache_failover:
      break;  // recovery runs its own course
    default:
      apply_fault_effects();
      break;
  }
}

namespace {

/// How many of `n` replicas a Chaos Mesh-style mode selects.
int selected_count(const KillMode& mode, int n, sim::Rng& r) {
  switch (mode.kind) {
    case KillMode::Kind::one:
      return std::min(1, n);
    case KillMode::Kind::all:
      return n;
    case KillMode::Kind::fixed:
      return std::min(n, static_cast<int>(mode.value));
    case KillMode::Kind::fixed_percent:
      return std::min(n, static_cast<int>(std::ceil(mode.value * n - 1e-9)));
    case KillMode::Kind::random_max_percent: {
      const int most = std::min(n, static_cast<int>(std::ceil(mode.value * n - 1e-9)));
      return static_cast<int>(r.below(static_cast<std::uint64_t>(most) + 1));
    }
  }
  return 0;
}

}  // namespace

void World::Impl::pod_kill(Index f) {
  const FaultRow& row = m_.faults[f];
  const Index s = m_.components[row.component].row;
  const ServiceRow& svc = m_.services[s];
  std::vector<Index>& running = scratch_;
  running.clear();
  for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
    if (slots_[slot].state == SlotState::running) running.push_back(slot);
  }
  sim::Rng& r = rng(r_fault_ + f);
  const int k = selected_count(row.mode, static_cast<int>(running.size()), r);
  for (int i = 0; i < k; ++i) {
    const auto j = static_cast<std::size_t>(i) +
                   static_cast<std::size_t>(r.below(running.size() - static_cast<std::size_t>(i)));
    std::swap(running[static_cast<std::size_t>(i)], running[j]);
    kill_slot(running[static_cast<std::size_t>(i)], false);
  }
}

void World::Impl::node_drain(Index f, bool start) {
  const FaultRow& row = m_.faults[f];
  const Index z = row.zone;
  if (!start) {
    if (--drained_[z] == 0) {
      for (Index s = 0; s < m_.services.size(); ++s) place_waiting(s);
    }
    return;
  }
  ++drained_[z];
  sim::Rng& r = rng(r_fault_ + f);
  for (Index s = 0; s < m_.services.size(); ++s) {
    const ServiceRow& svc = m_.services[s];
    if (row.component != kNoIndex && svc.component != row.component) continue;
    std::vector<Index>& here = scratch_;
    here.clear();
    for (Index slot = svc.replica_begin; slot < svc.replica_begin + svc.max_replicas; ++slot) {
      const Slot& sl = slots_[slot];
      if (sl.state == SlotState::running && m_.placements[sl.placement].zone == z) {
        here.push_back(slot);
      }
    }
    const int k = selected_count(row.mode, static_cast<int>(here.size()), r);
    for (int i = 0; i < k; ++i) {
      const auto j = static_cast<std::size_t>(i) +
                     static_cast<std::size_t>(r.below(here.size() - static_cast<std::size_t>(i)));
      std::swap(here[static_cast<std::size_t>(i)], here[j]);
      kill_slot(here[static_cast<std::size_t>(i)], true);  // evicted: the endpoint goes at once
    }
  }
}

void World::Impl::apply_fault_effects() {
  touch_all();  // rare: every edge and component is reset and re-applied
  std::fill(fs_.edge_pass.begin(), fs_.edge_pass.end(), 1.0);
  std::fill(fs_.edge_latency.begin(), fs_.edge_latency.end(), 0.0);
  std::fill(fs_.capacity_factor.begin(), fs_.capacity_factor.end(), 1.0);
  std::fill(fs_.demand_factor.begin(), fs_.demand_factor.end(), 1.0);
  std::fill(fault_error_.begin(), fault_error_.end(), 0.0);
  std::fill(fault_latency_.begin(), fault_latency_.end(), 0.0);
  for (Index f = 0; f < m_.faults.size(); ++f) {
    if (!fault_active_[f]) continue;
    const FaultRow& row = m_.faults[f];
    auto each_edge = [&](auto&& apply) {
      for (Index e = 0; e < m_.edges.size(); ++e) {
        const EdgeRow& edge = m_.edges[e];
        switch (row.kind) {
          case FaultKind::dependency_errors:
            if (edge.target == row.component && (row.from == kNoIndex || edge.source == row.from)) {
              apply(e);
            }
            break;
          default:
            if (edge.source == row.from && edge.target == row.to) apply(e);
            break;
        }
      }
    };
    switch (row.kind) {
      case FaultKind::network_latency:
        each_edge([&](Index e) { fs_.edge_latency[e] += row.latency.to_seconds(); });
        break;
      case FaultKind::network_loss:
        each_edge([&](Index e) { fs_.edge_pass[e] *= 1.0 - row.loss; });
        break;
      case FaultKind::network_partition:
        each_edge([&](Index e) { fs_.edge_pass[e] = 0.0; });
        break;
      case FaultKind::dependency_errors:
        each_edge([&](Index e) { fs_.edge_pass[e] *= 1.0 - row.error_rate; });
        break;
      case FaultKind::capacity_loss:
        fs_.capacity_factor[row.component] *= 1.0 - row.fraction;
        break;
      case FaultKind::load_spike:
        fs_.demand_factor[row.component] *= row.factor;
        break;
      case FaultKind::bad_deploy:
        fault_error_[row.component] = 1.0 - (1.0 - fault_error_[row.component]) * (1.0 - row.error_rate);
        fault_latency_[row.component] += row.added_latency.to_seconds();
        break;
      default:
        break;
    }
  }
  for (Index c = 0; c < m_.components.size(); ++c) set_error_state(c);
}

}  // namespace relsim::models
