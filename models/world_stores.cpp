// The trial engine's datastores (primary failure, failover, stale pooled
// connections) and caches (node failure, failover, warm-up). See
// docs/model.md ("Failures and automatic recovery").
#include <optional>

#include "models/world_impl.hpp"

namespace relsim::models {

// ---------------------------------------------------------------- datastores and caches

Stores::Stores(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m),
      ds_clock_(reg.targets(m.datastores.size())),
      ds_state_targets_(reg.targets(m.datastores.size())),
      cache_clock_(reg.targets(m.caches.size())),
      cache_state_targets_(reg.targets(m.caches.size())),
      ds_streams_(reg.streams(m.datastores.size(),
                              [&m](std::size_t i) { return m.datastores[i].failover_stream; })),
      cache_streams_(reg.streams(m.caches.size(),
                                 [&m](std::size_t i) { return m.caches[i].failover_stream; })) {}

void Stores::reset() {
  const CompiledModel& m = m_;
  ds_state_.assign(m.datastores.size(), StoreState::serving);
  ds_primary_.resize(m.datastores.size());
  for (std::size_t d = 0; d < m.datastores.size(); ++d)
    ds_primary_[d] = m.datastores[d].primary_zone;
  cache_state_.assign(m.caches.size(), StoreState::serving);
  cache_zone_.resize(m.caches.size());
  for (std::size_t k = 0; k < m.caches.size(); ++k) {
    const Index c = m.caches[k].component;
    cache_zone_[k] = m.placement_begin[c] < m.placement_begin[c + 1]
                         ? m.placements[m.placement_begin[c]].zone
                         : kNoIndex;
  }
  cache_warm_step_.assign(m.caches.size(), kWarmUpSteps);
  connection_error_.assign(m.components.size(), 0.0);
}

void Stores::start() {
  if (!m_.random_failures) return;
  for (Index d = 0; d < m_.datastores.size(); ++d) schedule_datastore_clocks(d);
  for (Index k = 0; k < m_.caches.size(); ++k) schedule_cache_clocks(k);
}

void Stores::on_datastore_failure(Index target, Index failure_row) {
  const Index d = ds_clock_.local(target);
  w_.begin_change(
      {IncidentCause::datastore_failure, failure_row, m_.datastores[d].component, ds_primary_[d]});
  const FailureRow& row = m_.failures[failure_row];
  failure_fired(row.streams.begin);
  std::optional<sim::Duration> repair;
  if (row.duration) repair = draw(*row.duration, w_.failure_rng(row.streams.begin));
  datastore_fail(d, false, repair);
}

void Stores::on_datastore_step(Index target) {
  w_.begin_change(Cause{});
  datastore_step(ds_state_targets_.local(target));
}

void Stores::on_cache_failure(Index target, Index failure_row) {
  const Index k = cache_clock_.local(target);
  w_.begin_change(
      {IncidentCause::cache_failure, failure_row, m_.caches[k].component, cache_zone_[k]});
  failure_fired(m_.failures[failure_row].streams.begin);
  cache_fail(k);
}

void Stores::on_cache_step(Index target) {
  w_.begin_change(Cause{});
  cache_step(cache_state_targets_.local(target));
}

void Stores::zone_down(Index z) {
  for (Index d = 0; d < m_.datastores.size(); ++d) {
    if (ds_primary_[d] == z) datastore_fail(d, false, std::nullopt);
  }
  for (Index k = 0; k < m_.caches.size(); ++k) {
    if (cache_zone_[k] == z) cache_fail(k);
  }
}

void Stores::zone_up(Index z) {
  for (Index d = 0; d < m_.datastores.size(); ++d) {
    if (ds_state_[d] != StoreState::down) continue;
    const DatastoreRow& ds = m_.datastores[d];
    if (ds.automatic_failover) {
      // Waiting for a zone to promote into: the promotion starts now.
      ds_state_[d] = StoreState::failing_over;
      in(draw(ds.failover_duration, rng(ds_streams_[d])), EventKind::datastore_step,
         ds_state_targets_[d]);
    } else if (ds_primary_[d] == z) {
      w_.sim.cancel(ds_state_targets_[d]);
      datastore_step(d);  // the primary comes back with its zone
    }
  }
  for (Index k = 0; k < m_.caches.size(); ++k) {
    if (cache_state_[k] == StoreState::down) {
      cache_state_[k] = StoreState::failing_over;
      in(draw(m_.caches[k].failover_duration, rng(cache_streams_[k])), EventKind::cache_step,
         cache_state_targets_[k]);
    }
  }
}

void Stores::failover_now(Index component) {
  const ComponentRow& comp = m_.components[component];
  if (comp.kind == ComponentKind::datastore) {
    const Index d = comp.row;
    if (ds_state_[d] == StoreState::down || ds_state_[d] == StoreState::failing_over) {
      w_.sim.cancel(ds_state_targets_[d]);
      ds_state_[d] = StoreState::failing_over;
      datastore_step(d);  // promotes a replica now
    }
  } else if (comp.kind == ComponentKind::cache) {
    const Index k = comp.row;
    if (cache_state_[k] == StoreState::down || cache_state_[k] == StoreState::failing_over) {
      w_.sim.cancel(cache_state_targets_[k]);
      cache_state_[k] = StoreState::failing_over;
      cache_step(k);
    }
  }
}

void Stores::cancel_clocks(FailureType type, Index c) {
  if (!w_.bias.active()) return;
  for (const FailureRow& row : m_.failures) {
    if (row.type == type && row.owner == c) failure_cancelled(row.streams.begin);
  }
}

void Stores::schedule_datastore_clocks(Index d) {
  if (!m_.random_failures) return;
  const Index c = m_.datastores[d].component;
  for (Index f = 0; f < m_.failures.size(); ++f) {
    const FailureRow& row = m_.failures[f];
    if (row.type == FailureType::primary_failure && row.owner == c) {
      in(draw_failure(f, row.streams.begin), EventKind::datastore_failure, ds_clock_[d], f);
    }
  }
}

void Stores::datastore_fail(Index d, bool forced, std::optional<sim::Duration> repair) {
  const DatastoreRow& ds = m_.datastores[d];
  FluidState& fs = w_.fs;
  // Partial connection errors serve (fs.serving): the primary can fail again.
  const bool partial = ds_state_[d] == StoreState::connection_errors && fs.serving[ds.component];
  if (ds_state_[d] != StoreState::serving && !partial) return;
  if (partial) {
    connection_error_[ds.component] = 0.0;
    w_.set_error_state(ds.component);
  }
  w_.sim.cancel(ds_clock_[d]);
  cancel_clocks(FailureType::primary_failure, ds.component);
  w_.sim.cancel(ds_state_targets_[d]);
  fs.serving[ds.component] = 0;
  touch(ds.component);
  if (forced || ds.automatic_failover) {
    ds_state_[d] = StoreState::failing_over;
    sim::Duration delay = draw(ds.failover_duration, rng(ds_streams_[d]));
    if (!forced) delay += ds.failover_detect;
    in(delay, EventKind::datastore_step, ds_state_targets_[d]);
  } else {
    ds_state_[d] = StoreState::down;
    // Back after the failure's own duration, or with its zone, or by a responder.
    if (repair && w_.zones.usable(ds_primary_[d])) {
      in(*repair, EventKind::datastore_step, ds_state_targets_[d]);
    }
  }
}

void Stores::datastore_step(Index d) {
  const DatastoreRow& ds = m_.datastores[d];
  FluidState& fs = w_.fs;
  switch (ds_state_[d]) {
    case StoreState::failing_over: {
      // Promote the first usable replica zone other than the failed primary's.
      const Index c = ds.component;
      Index zone = kNoIndex;
      for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
        const Index z = m_.placements[p].zone;
        if (z != ds_primary_[d] && w_.zones.usable(z)) {
          zone = z;
          break;
        }
      }
      if (zone == kNoIndex && w_.zones.usable(ds_primary_[d])) zone = ds_primary_[d];
      if (zone == kNoIndex) {
        ds_state_[d] = StoreState::down;  // promoted when a zone comes back
        return;
      }
      ds_primary_[d] = zone;
      if (ds.connection_errors > sim::Duration::zero()) {
        ds_state_[d] = StoreState::connection_errors;
        in(ds.connection_errors, EventKind::datastore_step, ds_state_targets_[d]);
        if (ds.connection_error_rate < 1.0) {
          // Only stale pooled connections fail: the store serves the rest.
          fs.serving[ds.component] = 1;
          touch(ds.component);
          connection_error_[ds.component] = ds.connection_error_rate;
          w_.set_error_state(ds.component);
        }
        return;
      }
      break;
    }
    case StoreState::connection_errors:
      if (connection_error_[ds.component] != 0.0) {
        connection_error_[ds.component] = 0.0;
        w_.set_error_state(ds.component);
      }
      break;
    case StoreState::down:
      break;
    case StoreState::serving:
      return;
  }
  ds_state_[d] = StoreState::serving;
  fs.serving[ds.component] = 1;
  touch(ds.component);
  schedule_datastore_clocks(d);
}

void Stores::schedule_cache_clocks(Index k) {
  if (!m_.random_failures) return;
  const Index c = m_.caches[k].component;
  for (Index f = 0; f < m_.failures.size(); ++f) {
    const FailureRow& row = m_.failures[f];
    if (row.type == FailureType::node_failure && row.owner == c) {
      in(draw_failure(f, row.streams.begin), EventKind::cache_failure, cache_clock_[k], f);
    }
  }
}

void Stores::cache_fail(Index k) {
  if (cache_state_[k] == StoreState::failing_over || cache_state_[k] == StoreState::down) return;
  const CacheRow& cache = m_.caches[k];
  w_.sim.cancel(cache_clock_[k]);
  cancel_clocks(FailureType::node_failure, cache.component);
  w_.sim.cancel(cache_state_targets_[k]);
  w_.fs.serving[cache.component] = 0;
  touch(cache.component);
  cache_state_[k] = StoreState::failing_over;
  in(draw(cache.failover_duration, rng(cache_streams_[k])), EventKind::cache_step,
     cache_state_targets_[k]);
}

void Stores::cache_step(Index k) {
  const CacheRow& cache = m_.caches[k];
  const Index c = cache.component;
  FluidState& fs = w_.fs;
  if (cache_state_[k] == StoreState::failing_over) {
    Index zone = kNoIndex;
    for (Index p = m_.placement_begin[c]; p < m_.placement_begin[c + 1]; ++p) {
      const Index z = m_.placements[p].zone;
      if (w_.zones.usable(z) &&
          (zone == kNoIndex || (zone == cache_zone_[k] && z != cache_zone_[k]))) {
        zone = z;
      }
    }
    if (zone == kNoIndex) {
      cache_state_[k] = StoreState::down;  // fails over when a zone comes back
      return;
    }
    cache_zone_[k] = zone;
    cache_state_[k] = StoreState::serving;
    fs.serving[c] = 1;
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
    fs.hit_ratio[c] = cache.hit_ratio * (step + 0.5) / kWarmUpSteps;
    in(sim::Duration::micros(cache.warm_up.count_micros() / kWarmUpSteps), EventKind::cache_step,
       cache_state_targets_[k]);
  } else {
    fs.hit_ratio[c] = cache.hit_ratio;
  }
}

}  // namespace relsim::models
