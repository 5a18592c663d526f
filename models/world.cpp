// The trial engine: set-up, the event dispatch and the fluid accounting.
// The failure, recovery, deploy and fault processes are in
// world_processes.cpp. See models/world.hpp and docs/model.md ("Dynamics").
#include "models/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/world_impl.hpp"

namespace relsim::models {

World::World(const CompiledModel& model) : impl_(std::make_unique<Impl>(model)) {}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

TrialResult World::run(std::uint64_t trial_seed) { return impl_->run(trial_seed); }
void World::set_observer(TrialObserver* observer) { impl_->observer_ = observer; }

World::Impl::Impl(const CompiledModel& m) : m_(m), horizon_(m.horizon) {
  Index next = 0;
  auto take = [&next](std::size_t n) {
    const Index begin = next;
    next += static_cast<Index>(n);
    return begin;
  };
  take(m.replica_zone.size());
  t_ghost_ = take(m.replica_zone.size());
  t_zone_ = take(m.zone_count());
  t_ds_clock_ = take(m.datastores.size());
  t_ds_state_ = take(m.datastores.size());
  t_cache_clock_ = take(m.caches.size());
  t_cache_state_ = take(m.caches.size());
  t_deploy_ = take(m.deploys.size());
  t_rollback_ = take(m.services.size());
  t_autoscale_ = take(m.services.size());
  t_fault_ = take(m.faults.size());
  t_check_ = take(1);
  t_window_ = take(1);
  setup_detection();
  setup_people();
  t_rule_ = take(rule_rows_.size());
  t_people_ = take(1);
  t_responder_ = take(responder_begin_.back());
  t_count_ = next;

  r_restart_ = m.failure_streams.size();
  r_deploy_ = r_restart_ + m.restart_streams.size();
  r_ds_ = r_deploy_ + m.deploys.size();
  r_cache_ = r_ds_ + m.datastores.size();
  r_fault_ = r_cache_ + m.caches.size();
  r_ack_ = r_fault_ + m.faults.size();
  r_respond_ = r_ack_ + m.teams.size();
  r_diagnose_ = r_respond_ + m.teams.size();
  r_step_ = r_diagnose_ + m.runbooks.size();
  rngs_.resize(r_step_ + m.runbook_steps.size(), sim::Rng(0, 0));

  const std::size_t nz = m.zone_count();
  service_zone_placement_.assign(m.services.size() * nz, kNoIndex);
  crash_rows_.assign(m.services.size(), {});
  for (Index p = 0; p < m.placements.size(); ++p) {
    const Placement& pl = m.placements[p];
    if (pl.role != ZoneRole::service_replicas) continue;
    const Index s = m.components[pl.component].row;
    service_zone_placement_[s * nz + pl.zone] = p;
  }
  for (Index f = 0; f < m.failures.size(); ++f) {
    const FailureRow& row = m.failures[f];
    if (row.type == FailureType::replica_crash) {
      crash_rows_[m.components[row.owner].row].push_back(f);
    }
  }
  for (const ServiceRow& s : m.services) demand_.emplace_back(s.demand, m.calendar);
  steady_demand_ =
      std::all_of(demand_.begin(), demand_.end(), [](const DemandCurve& d) { return d.flat(); });
  initial_fs_ = make_fluid_state(m);
  std::fill(initial_fs_.healthy.begin(), initial_fs_.healthy.end(), 0);
  std::fill(initial_fs_.routed.begin(), initial_fs_.routed.end(), 0);
}

void World::Impl::reset(std::uint64_t trial_seed) {
  const CompiledModel& m = m_;
  sim_.reset(trial_seed, t_count_);
  for (std::size_t i = 0; i < m.failure_streams.size(); ++i) {
    rngs_[i] = sim_.stream(m.failure_streams[i]);
  }
  for (std::size_t i = 0; i < m.restart_streams.size(); ++i) {
    rngs_[r_restart_ + i] = sim_.stream(m.restart_streams[i]);
  }
  for (std::size_t i = 0; i < m.deploys.size(); ++i) {
    rngs_[r_deploy_ + i] = sim_.stream(m.deploys[i].stream);
  }
  for (std::size_t i = 0; i < m.datastores.size(); ++i) {
    rngs_[r_ds_ + i] = sim_.stream(m.datastores[i].failover_stream);
  }
  for (std::size_t i = 0; i < m.caches.size(); ++i) {
    rngs_[r_cache_ + i] = sim_.stream(m.caches[i].failover_stream);
  }
  for (std::size_t i = 0; i < m.faults.size(); ++i) {
    rngs_[r_fault_ + i] = sim_.stream(m.faults[i].stream);
  }
  for (std::size_t i = 0; i < m.teams.size(); ++i) {
    rngs_[r_ack_ + i] = sim_.stream(m.teams[i].ack_stream);
    rngs_[r_respond_ + i] = sim_.stream(m.teams[i].respond_stream);
  }
  for (std::size_t i = 0; i < m.runbooks.size(); ++i) {
    rngs_[r_diagnose_ + i] = sim_.stream(m.runbooks[i].diagnose_stream);
  }
  for (std::size_t i = 0; i < m.runbook_steps.size(); ++i) {
    rngs_[r_step_ + i] = sim_.stream(m.runbook_steps[i].stream);
  }

  fs_ = initial_fs_;  // copy-assignment: no allocation after the first trial
  slots_.assign(m.replica_zone.size(), Slot{});
  replicas_.assign(m.services.size(), 0);
  autoscale_pending_.assign(m.services.size(), 0);
  zone_down_.assign(m.zone_count(), 0);
  drained_.assign(m.zone_count(), 0);
  ds_state_.assign(m.datastores.size(), StoreState::serving);
  ds_primary_.resize(m.datastores.size());
  for (std::size_t d = 0; d < m.datastores.size(); ++d) ds_primary_[d] = m.datastores[d].primary_zone;
  cache_state_.assign(m.caches.size(), StoreState::serving);
  cache_zone_.resize(m.caches.size());
  for (std::size_t k = 0; k < m.caches.size(); ++k) {
    const Index c = m.caches[k].component;
    cache_zone_[k] = m.placement_begin[c] < m.placement_begin[c + 1]
                         ? m.placements[m.placement_begin[c]].zone
                         : kNoIndex;
  }
  cache_warm_step_.assign(m.caches.size(), kWarmUpSteps);
  const std::size_t nc = m.components.size();
  deploy_error_.assign(nc, 0.0);
  deploy_latency_.assign(nc, 0.0);
  fault_error_.assign(nc, 0.0);
  fault_latency_.assign(nc, 0.0);
  connection_error_.assign(nc, 0.0);
  fault_active_.assign(m.faults.size(), 0);

  accounted_ = sim::Duration::zero();
  next_check_ = sim::Duration::max();
  next_knot_.assign(m.services.size(), sim::Duration::zero());
  demand_now_.assign(m.services.size(), 0.0);
  slope_now_.assign(m.services.size(), 0.0);
  ledger_.reset(m, horizon_);
  services_.assign(m.services.size(), ServiceTrialResult{});
  reset_detection();
  reset_people();
}

TrialResult World::Impl::run(std::uint64_t trial_seed) {
  reset(trial_seed);
  start_processes();
  changed();
  sim_.run_until(sim::Time::at(horizon_), *this);
  account();
  TrialResult r;
  ledger_.finish(m_, r.slos);
  r.services = services_;
  finish_people(r);
  r.events = sim_.events_processed();
  return r;
}

Cause World::Impl::cause_of(const sim::Event& e) const {
  Cause c;
  switch (static_cast<EventKind>(e.kind())) {
    case EventKind::replica_crash: {
      const Slot& slot = slots_[e.target];
      c = {IncidentCause::replica_crash, static_cast<Index>(e.payload),
           m_.services[slot.service].component,
           slot.placement == kNoIndex ? kNoIndex : m_.placements[slot.placement].zone};
      break;
    }
    case EventKind::zone_outage:
      c = {IncidentCause::zone_outage, static_cast<Index>(e.payload), kNoIndex, e.target - t_zone_};
      break;
    case EventKind::datastore_failure: {
      const Index d = e.target - t_ds_clock_;
      c = {IncidentCause::datastore_failure, static_cast<Index>(e.payload),
           m_.datastores[d].component, ds_primary_[d]};
      break;
    }
    case EventKind::cache_failure: {
      const Index k = e.target - t_cache_clock_;
      c = {IncidentCause::cache_failure, static_cast<Index>(e.payload), m_.caches[k].component,
           cache_zone_[k]};
      break;
    }
    case EventKind::deploy: {
      const Index d = e.target - t_deploy_;
      c = {IncidentCause::bad_deploy, d, m_.services[m_.deploys[d].service].component, kNoIndex};
      break;
    }
    case EventKind::fault_start:
    case EventKind::fault_repeat: {
      const Index f = e.target - t_fault_;
      c = {IncidentCause::injected_fault, f, m_.faults[f].component, m_.faults[f].zone};
      break;
    }
    default:
      break;  // recovery, a check, autoscaling, a runbook step: overload if anything
  }
  return c;
}

void World::Impl::handle(const sim::Event& e, sim::Simulation& /*s*/) {
  const auto kind = static_cast<EventKind>(e.kind());
  // People events that change nothing in the fluid skip the accounting.
  switch (kind) {
    case EventKind::escalate: {
      const Index i = static_cast<Index>(e.payload >> 32);
      const auto gen = static_cast<std::uint16_t>((e.payload >> 16) & 0xFFFF);
      const Incident& inc = incidents_[i];
      if (inc.page_active && inc.page_gen == gen) escalate(i, static_cast<int>(e.payload & 0xFFFF));
      return;
    }
    case EventKind::responder_ack:
      responder_acked(e.target - t_responder_);
      return;
    case EventKind::alert_eval: {
      // A threshold rule reads the fluid state, which has not changed since
      // the last event; only burn-rate rules need the requests accounted to now.
      const Index r = e.target - t_rule_;
      if (m_.alerts[rule_rows_[r].alert].kind == AlertKind::burn_rate) {
        // The ratios now: the same state, evaluated at now by account()
        // (under steady demand cur_ holds them already).
        if (account() && !steady_demand_) std::swap(cur_, end_);
      }
      evaluate_rule(r);
      return;
    }
    case EventKind::responder_work: {
      const auto phase = static_cast<Phase>(e.payload);
      if (phase != Phase::step && phase != Phase::confirm) {
        work_done(e.target - t_responder_, phase);
        return;
      }
      break;
    }
    default:
      break;
  }
  if (kind == EventKind::lb_forget) {
    Slot& slot = slots_[e.target - t_ghost_];
    if (slot.ghost != e.payload) return;  // back in that zone meanwhile
  }
  cause_ = cause_of(e);
  event_incident_ = kNoIndex;
  account();
  switch (kind) {
    case EventKind::replica_crash:
      kill_slot(e.target, false);
      break;
    case EventKind::replica_ready:
      replica_ready(e.target);
      break;
    case EventKind::lb_forget: {
      Slot& slot = slots_[e.target - t_ghost_];
      --fs_.routed[slot.ghost];
      slot.ghost = kNoIndex;
      break;
    }
    case EventKind::zone_outage: {
      const Index z = e.target - t_zone_;
      const FailureRow& row = m_.failures[e.payload];
      zone_down(z);
      if (row.duration) {
        in(draw(*row.duration, rng(row.streams.begin)), EventKind::zone_back, e.target, e.payload);
      }
      break;
    }
    case EventKind::zone_back: {
      const FailureRow& row = m_.failures[e.payload];
      zone_up(e.target - t_zone_);
      in(draw(row.every, rng(row.streams.begin)), EventKind::zone_outage, e.target, e.payload);
      break;
    }
    case EventKind::datastore_failure: {
      const FailureRow& row = m_.failures[e.payload];
      std::optional<sim::Duration> repair;
      if (row.duration) repair = draw(*row.duration, rng(row.streams.begin));
      datastore_fail(e.target - t_ds_clock_, false, repair);
      break;
    }
    case EventKind::datastore_step:
      datastore_step(e.target - t_ds_state_);
      break;
    case EventKind::cache_failure:
      cache_fail(e.target - t_cache_clock_);
      break;
    case EventKind::cache_step:
      cache_step(e.target - t_cache_state_);
      break;
    case EventKind::deploy:
      deploy_arrival(e.target - t_deploy_);
      break;
    case EventKind::rollback: {
      const Index c = m_.services[e.target - t_rollback_].component;
      deploy_error_[c] = 0.0;
      deploy_latency_[c] = 0.0;
      set_error_state(c);
      break;
    }
    case EventKind::autoscale:
      autoscale_act(e.target - t_autoscale_);
      break;
    case EventKind::fault_start:
      fault_start(e.target - t_fault_);
      break;
    case EventKind::fault_repeat:
      pod_kill(e.target - t_fault_);
      if (const FaultRow& f = m_.faults[e.target - t_fault_];
          f.interval && f.duration && now() + *f.interval < f.start + *f.duration) {
        in(*f.interval, EventKind::fault_repeat, e.target);
      }
      break;
    case EventKind::fault_end:
      fault_end(e.target - t_fault_);
      break;
    case EventKind::window_start:
      break;  // only a boundary for the accounting
    case EventKind::check:
      next_check_ = sim::Duration::max();
      break;
    case EventKind::responder_work:
      work_done(e.target - t_responder_, static_cast<Phase>(e.payload));
      break;
    case EventKind::escalate:
    case EventKind::responder_ack:
    case EventKind::alert_eval:
      break;  // handled above
  }
  changed();
}

void World::Impl::evaluate_at(sim::Duration t, FluidResult& out) {
  for (std::size_t s = 0; s < demand_.size(); ++s) {
    demand_now_[s] = demand_[s].rate(t);
    slope_now_[s] = demand_[s].slope(t);
  }
  evaluate_fluid(m_, fs_, demand_now_, slope_now_, out);
}

bool World::Impl::account() {
  // Simpson's rule over [t0, t1] with the state as it was: the ratios at t0
  // are those `changed()` left in cur_, the others are evaluated here.
  const sim::Duration t0 = accounted_;
  const sim::Duration t1 = now();
  if (t1 <= t0) return false;
  accounted_ = t1;
  // Under steady demand the state and the inputs are those cur_ was
  // evaluated with, so the evaluations at the midpoint and at t1 would give
  // cur_ bit for bit: skip them.
  if (!steady_demand_) {
    evaluate_at(t0 + sim::Duration::micros((t1 - t0).count_micros() / 2), mid_);
    evaluate_at(t1, end_);
  }
  const FluidResult& mid = steady_demand_ ? cur_ : mid_;
  const FluidResult& end = steady_demand_ ? cur_ : end_;
  if (observer_) observer_->on_interval(t0, t1, fs_, cur_, mid, end);
  const double w = (t1 - t0).to_seconds() / 6.0;
  auto simpson = [&](auto&& f) { return w * (f(cur_) + 4.0 * f(mid) + f(end)); };
  for (std::size_t s = 0; s < m_.services.size(); ++s) {
    const Index c = m_.services[s].component;
    const double total = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    services_[s].total += total;
    services_[s].good += good;
    interval_bad_[s] = std::max(0.0, total - good);
  }
  for (const Index i : open_) {
    Incident& inc = incidents_[i];
    if (inc.row.mitigated != kNever || inc.impaired == 0) continue;
    inc.row.requests_failed += interval_bad_[m_.components[inc.row.service].row];
  }
  for (Index k = 0; k < m_.slos.size(); ++k) {
    const SloRow& slo = m_.slos[k];
    const Index c = slo.component;
    const double total = simpson([c](const FluidResult& r) { return r.load[c]; });
    double good = 0.0;
    if (slo.sli == SliKind::latency && slo.threshold) {
      const double threshold = slo.threshold->to_seconds();
      good = simpson([&](const FluidResult& r) {
        return r.load[c] * latency_good_fraction(m_, fs_, r, c, threshold);
      });
    } else {
      good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    }
    ledger_.add(k, t0, t1, total, good);
    const double bad = std::max(0.0, total - std::min(good, total));
    if (burn_max_window_[k] > 0) {
      for (Index j = burn_slo_rules_begin_[k]; j < burn_slo_rules_begin_[k + 1]; ++j) {
        const Index r = burn_slo_rules_[j];
        if (total > 0.0 && bad >= rule_min_threshold_[r] * total) rules_[r].hot_until = t1;
      }
      burn_[k].add(t0.count_micros(), t1.count_micros(), total, bad);
      burn_[k].prune(t1.count_micros() - burn_max_window_[k]);
    }
    if (bad > 0.0 && t0 >= ledger_.window_start(k)) {
      for (const Index i : open_) {
        Incident& inc = incidents_[i];
        if (inc.slo == k && inc.row.mitigated == kNever && inc.impaired > 0) inc.slo_bad += bad;
      }
    }
  }
  return true;
}

void World::Impl::changed() {
  evaluate_at(now(), cur_);
  if (observer_) observer_->on_change(now(), fs_, cur_);
  track_impact();
  for (Index s = 0; s < m_.services.size(); ++s) {
    const ServiceRow& svc = m_.services[s];
    if (!svc.autoscale || autoscale_pending_[s]) continue;
    if (desired_replicas(s) != replicas_[s]) {
      autoscale_pending_[s] = 1;
      in(svc.autoscale->reaction_time, EventKind::autoscale, t_autoscale_ + s);
    }
  }
  schedule_check();
  // After the check is scheduled: detection predicts no further than it.
  detection_changed();
}

void World::Impl::schedule_check() {
  const sim::Duration t = now();
  sim::Duration next = sim::Duration::max();
  bool changing = false;
  for (std::size_t s = 0; s < demand_.size(); ++s) {
    if (next_knot_[s] <= t) next_knot_[s] = demand_[s].next_knot_after(t);
    next = std::min(next, next_knot_[s]);
    changing = changing || slope_now_[s] != 0.0;
  }
  double seconds = seconds_to_next_crossing(m_, fs_, cur_);
  // Autoscaling thresholds: the desired count changes at load = n · c · u.
  for (Index s = 0; s < m_.services.size(); ++s) {
    const ServiceRow& svc = m_.services[s];
    if (!svc.autoscale || autoscale_pending_[s]) continue;
    const Index c = svc.component;
    const double slope = cur_.load_slope[c];
    if (slope == 0.0) continue;
    const double per = svc.capacity_per_replica * fs_.capacity_factor[c] *
                       svc.autoscale->target_utilization;
    const int n = replicas_[s];
    auto consider = [&](int k) {
      const double x = (k * per - cur_.load[c]) / slope;
      if (x > 0.0) seconds = std::min(seconds, x);
    };
    if (n < svc.autoscale->max_replicas) consider(n);
    if (n > svc.autoscale->min_replicas) consider(n - 1);
  }
  if (changing) {
    for (std::size_t c = 0; c < cur_.load.size(); ++c) {
      if (cur_.overloaded[c]) {
        next = std::min(next, t + kOverloadStep);
        break;
      }
    }
  }
  if (std::isfinite(seconds)) {
    const double micros = std::ceil(seconds * 1e6);
    if (micros < 9e17) {
      next = std::min(next, t + sim::Duration::micros(std::max<std::int64_t>(
                                    1, static_cast<std::int64_t>(micros))));
    }
  }
  if (next > horizon_) next = sim::Duration::max();
  if (next != next_check_) {
    sim_.cancel(t_check_);
    next_check_ = next;
    if (next != sim::Duration::max()) at(next, EventKind::check, t_check_);
  }
}

}  // namespace relsim::models
