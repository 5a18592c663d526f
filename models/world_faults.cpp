// The trial engine's changes to the system: deployments with their bad
// versions and automated rollbacks, and injected faults. See docs/model.md
// ("Deployments", "Injected faults").
#include <algorithm>
#include <cmath>

#include "models/world_impl.hpp"

namespace relsim::models {

// ---------------------------------------------------------------- deploys

Deployments::Deployments(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m),
      deploy_targets_(reg.targets(m.deploys.size())),
      rollback_targets_(reg.targets(m.services.size())),
      streams_(reg.streams(m.deploys.size(), [&m](std::size_t i) { return m.deploys[i].stream; })) {
}

void Deployments::reset() {
  error_.assign(m_.components.size(), 0.0);
  latency_.assign(m_.components.size(), 0.0);
  last_.assign(m_.services.size(), -sim::Duration::max());
  count_ = 0;
}

void Deployments::start() {
  if (!m_.random_deploys) return;
  for (Index d = 0; d < m_.deploys.size(); ++d) schedule(d);
}

void Deployments::schedule(Index d) {
  const DeployRow& row = m_.deploys[d];
  if (row.rate <= 0.0) return;
  sim::Rng& r = rng(streams_[d]);
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
  if (t < w_.horizon) at(t, EventKind::deploy, deploy_targets_[d]);
}

void Deployments::on_deploy(Index target) {
  const Index d = deploy_targets_.local(target);
  const DeployRow& row = m_.deploys[d];
  const Index c = m_.services[row.service].component;
  w_.begin_change({IncidentCause::bad_deploy, d, c, kNoIndex});
  sim::Rng& r = rng(streams_[d]);
  const Index rollback_target = rollback_targets_[row.service];
  w_.sim.cancel(rollback_target);
  note(row.service);
  const bool bad = r.bernoulli(row.change_failure_rate);
  if (bad) {
    error_[c] = row.bad_deploy.error_rate;
    latency_[c] = row.bad_deploy.added_latency.to_seconds();
    if (row.bad_deploy.detects_itself) {
      in(draw(row.rollback, r), EventKind::rollback, rollback_target);
    }
  } else {
    error_[c] = 0.0;  // a good version replaces a bad one
    latency_[c] = 0.0;
  }
  if (w_.observer) w_.observer->on_deploy(now(), row.service, bad);
  w_.set_error_state(c);
  schedule(d);
}

void Deployments::on_rollback(Index target) {
  w_.begin_change(Cause{});
  const Index c = m_.services[rollback_targets_.local(target)].component;
  error_[c] = 0.0;
  latency_[c] = 0.0;
  w_.set_error_state(c);
}

void Deployments::note(Index s) {
  ++count_;
  if (s != kNoIndex) last_[s] = now();
}

void Deployments::roll_back(Index c, Index s) {
  if (error_[c] == 0.0 && latency_[c] == 0.0) return;
  w_.sim.cancel(rollback_targets_[s]);
  error_[c] = 0.0;
  latency_[c] = 0.0;
  w_.set_error_state(c);
}

// ---------------------------------------------------------------- faults

Faults::Faults(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m),
      targets_(reg.targets(m.faults.size())),
      streams_(reg.streams(m.faults.size(), [&m](std::size_t i) { return m.faults[i].stream; })) {}

void Faults::reset() {
  active_.assign(m_.faults.size(), 0);
  error_.assign(m_.components.size(), 0.0);
  latency_.assign(m_.components.size(), 0.0);
}

void Faults::start() {
  for (Index f = 0; f < m_.faults.size(); ++f) {
    at(m_.faults[f].start, EventKind::fault_start, targets_[f]);
  }
}

Cause Faults::cause(Index f) const {
  return {IncidentCause::injected_fault, f, m_.faults[f].component, m_.faults[f].zone};
}

void Faults::on_start(Index target) {
  const Index f = targets_.local(target);
  w_.begin_change(cause(f));
  const FaultRow& row = m_.faults[f];
  active_[f] = 1;
  switch (row.kind) {
    case FaultKind::pod_kill:
      pod_kill(f);
      if (row.interval && row.duration && *row.interval < *row.duration) {
        in(*row.interval, EventKind::fault_repeat, target);
      }
      break;
    case FaultKind::zone_outage:
      w_.zones.down(row.zone);
      break;
    case FaultKind::node_drain:
      node_drain(f, true);
      break;
    case FaultKind::datastore_failover:
      w_.stores.datastore_fail(m_.components[row.component].row, true, std::nullopt);
      break;
    case FaultKind::cache_failover:
      w_.stores.cache_fail(m_.components[row.component].row);
      break;
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition:
    case FaultKind::dependency_errors:
    case FaultKind::capacity_loss:
    case FaultKind::load_spike:
      apply_effects();
      break;
    case FaultKind::bad_deploy:
      w_.deploys.note(m_.components[row.component].kind == ComponentKind::service
                          ? m_.components[row.component].row
                          : kNoIndex);
      apply_effects();
      break;
  }
  if (row.duration) in(*row.duration, EventKind::fault_end, target);
}

void Faults::on_repeat(Index target) {
  const Index f = targets_.local(target);
  w_.begin_change(cause(f));
  pod_kill(f);
  if (const FaultRow& row = m_.faults[f];
      row.interval && row.duration && now() + *row.interval < row.start + *row.duration) {
    in(*row.interval, EventKind::fault_repeat, target);
  }
}

void Faults::on_end(Index target) {
  w_.begin_change(Cause{});
  const Index f = targets_.local(target);
  const FaultRow& row = m_.faults[f];
  active_[f] = 0;
  switch (row.kind) {
    case FaultKind::zone_outage:
      w_.zones.up(row.zone);
      break;
    case FaultKind::node_drain:
      node_drain(f, false);
      break;
    case FaultKind::pod_kill:
    case FaultKind::datastore_failover:
    case FaultKind::cache_failover:
      break;  // recovery runs its own course
    default:
      apply_effects();
      break;
  }
}

bool Faults::clear(FaultKind kind, Index c) {
  bool any = false;
  for (Index f = 0; f < m_.faults.size(); ++f) {
    const FaultRow& row = m_.faults[f];
    if (row.kind == kind && row.component == c && active_[f]) {
      active_[f] = 0;
      w_.sim.cancel(targets_[f]);
      any = true;
    }
  }
  if (any) apply_effects();
  return any;
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

void Faults::pod_kill(Index f) {
  const FaultRow& row = m_.faults[f];
  std::vector<Index>& running = scratch_;
  running.clear();
  w_.replicas.running(m_.components[row.component].row, kNoIndex, running);
  sim::Rng& r = rng(streams_[f]);
  const int k = selected_count(row.mode, static_cast<int>(running.size()), r);
  for (int i = 0; i < k; ++i) {
    const auto j = static_cast<std::size_t>(i) +
                   static_cast<std::size_t>(r.below(running.size() - static_cast<std::size_t>(i)));
    std::swap(running[static_cast<std::size_t>(i)], running[j]);
    w_.replicas.kill(running[static_cast<std::size_t>(i)], false);
  }
}

void Faults::node_drain(Index f, bool start) {
  const FaultRow& row = m_.faults[f];
  const Index z = row.zone;
  if (!start) {
    w_.zones.undrain(z);
    return;
  }
  w_.zones.drain(z);
  sim::Rng& r = rng(streams_[f]);
  for (Index s = 0; s < m_.services.size(); ++s) {
    const ServiceRow& svc = m_.services[s];
    if (row.component != kNoIndex && svc.component != row.component) continue;
    std::vector<Index>& here = scratch_;
    here.clear();
    w_.replicas.running(s, z, here);
    const int k = selected_count(row.mode, static_cast<int>(here.size()), r);
    for (int i = 0; i < k; ++i) {
      const auto j = static_cast<std::size_t>(i) +
                     static_cast<std::size_t>(r.below(here.size() - static_cast<std::size_t>(i)));
      std::swap(here[static_cast<std::size_t>(i)], here[j]);
      w_.replicas.kill(here[static_cast<std::size_t>(i)],
                       true);  // evicted: the endpoint goes at once
    }
  }
}

void Faults::apply_effects() {
  FluidState& fs = w_.fs;
  w_.touch_all();  // rare: every edge and component is reset and re-applied
  std::fill(fs.edge_pass.begin(), fs.edge_pass.end(), 1.0);
  std::fill(fs.edge_latency.begin(), fs.edge_latency.end(), 0.0);
  std::fill(fs.capacity_factor.begin(), fs.capacity_factor.end(), 1.0);
  std::fill(fs.demand_factor.begin(), fs.demand_factor.end(), 1.0);
  std::fill(error_.begin(), error_.end(), 0.0);
  std::fill(latency_.begin(), latency_.end(), 0.0);
  for (Index f = 0; f < m_.faults.size(); ++f) {
    if (!active_[f]) continue;
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
        each_edge([&](Index e) { fs.edge_latency[e] += row.latency.to_seconds(); });
        break;
      case FaultKind::network_loss:
        each_edge([&](Index e) { fs.edge_pass[e] *= 1.0 - row.loss; });
        break;
      case FaultKind::network_partition:
        each_edge([&](Index e) { fs.edge_pass[e] = 0.0; });
        break;
      case FaultKind::dependency_errors:
        each_edge([&](Index e) { fs.edge_pass[e] *= 1.0 - row.error_rate; });
        break;
      case FaultKind::capacity_loss:
        fs.capacity_factor[row.component] *= 1.0 - row.fraction;
        break;
      case FaultKind::load_spike:
        fs.demand_factor[row.component] *= row.factor;
        break;
      case FaultKind::bad_deploy:
        error_[row.component] = 1.0 - (1.0 - error_[row.component]) * (1.0 - row.error_rate);
        latency_[row.component] += row.added_latency.to_seconds();
        break;
      default:
        break;
    }
  }
  for (Index c = 0; c < m_.components.size(); ++c) w_.set_error_state(c);
}

}  // namespace relsim::models
