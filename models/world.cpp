// The trial engine: set-up, the event dispatch and the fluid accounting.
// The failure, recovery, deploy and fault processes are in
// world_processes.cpp. See models/world.hpp and docs/model.md ("Dynamics").
#include "models/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/world_impl.hpp"

namespace relsim::models {

World::World(const CompiledModel& model) : impl_(std::make_unique<Impl>(model)) {}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

TrialResult World::run(std::uint64_t trial_seed) { return impl_->run(trial_seed); }
void World::set_observer(TrialObserver* observer) { impl_->observer_ = observer; }
void World::set_checks(const Checks& checks) { impl_->checks_ = checks; }

World::Impl::Impl(const CompiledModel& m) : m_(m), horizon_(m.horizon), updater_(m) {
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
  // Lookups of the lazy accounting and detection: which SLOs and rules read
  // a component.
  const std::size_t nc = m.components.size();
  comp_slo_begin_.assign(nc + 1, 0);
  for (Index k = 0; k < m.slos.size(); ++k) ++comp_slo_begin_[m.slos[k].component + 1];
  for (std::size_t c = 0; c < nc; ++c) comp_slo_begin_[c + 1] += comp_slo_begin_[c];
  comp_slos_.resize(m.slos.size());
  {
    std::vector<Index> fill(comp_slo_begin_.begin(), comp_slo_begin_.end() - 1);
    for (Index k = 0; k < m.slos.size(); ++k) comp_slos_[fill[m.slos[k].component]++] = k;
  }
  auto rule_component = [&](Index r) {
    const AlertRow& alert = m.alerts[rule_rows_[r].alert];
    return alert.kind == AlertKind::threshold ? alert.component : m.slos[alert.slo].component;
  };
  comp_rule_begin_.assign(nc + 1, 0);
  for (Index r = 0; r < rule_rows_.size(); ++r) {
    if (const Index c = rule_component(r); c != kNoIndex) ++comp_rule_begin_[c + 1];
  }
  for (std::size_t c = 0; c < nc; ++c) comp_rule_begin_[c + 1] += comp_rule_begin_[c];
  comp_rules_.resize(comp_rule_begin_[nc]);
  {
    std::vector<Index> fill(comp_rule_begin_.begin(), comp_rule_begin_.end() - 1);
    for (Index r = 0; r < rule_rows_.size(); ++r) {
      if (const Index c = rule_component(r); c != kNoIndex) comp_rules_[fill[c]++] = r;
    }
  }
  all_components_.resize(nc);
  for (Index c = 0; c < nc; ++c) all_components_[c] = c;
  touched_flag_.assign(nc, 0);
  nonlinear_flag_.assign(nc, 0);
  while (tree_leaves_ < nc) tree_leaves_ *= 2;
  cross_tree_.assign(2 * tree_leaves_, std::numeric_limits<std::int64_t>::max());
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
  t_ref_ = sim::Duration::zero();
  for (const Index c : touched_) touched_flag_[c] = 0;
  touched_.clear();
  touch_all_ = true;
  all_changed_ = true;
  eager_ = true;  // until the first evaluation says otherwise: no segments open
  svc_seg_.assign(m.services.size(), Segment{});
  slo_seg_.assign(m.slos.size(), Segment{});
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
  if (eager_) {
    account();
  } else {
    close_all_segments();
  }
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
      if (const AlertRow& alert = m_.alerts[rule_rows_[r].alert];
          alert.kind == AlertKind::burn_rate) {
        if (!eager_) {
          settle_slo(alert.slo);  // its history up to now
        } else if (account() && !steady_demand_) {
          // The ratios now: the same state, evaluated at now by account()
          // (under steady demand cur_ holds them already).
          std::swap(cur_, end_);
          std::swap(demand_now_, demand_end_);
          t_ref_ = now();
        }
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
  if (eager_) account();
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
      touch_placement(slot.ghost);
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
      // Only a boundary for the accounting: the SLOs whose window begins now.
      if (!eager_) {
        for (Index k = 0; k < m_.slos.size(); ++k) {
          if (ledger_.window_start(k) == now()) settle_slo(k);
        }
      }
      break;
    case EventKind::check:
      next_check_ = sim::Duration::max();
      touch_all();  // a knot or a crossing: every ratio anew
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

bool World::Impl::nonlinear(const FluidResult& r, Index c) const {
  // Dropping load while demand moves, or stretched past the knee while its
  // own load moves: the ratios drift between events. A check lands on a
  // crossing to the µs, where rounding may leave the load a hair short of
  // it: a component at a breakpoint and climbing counts as past it.
  constexpr double kAtBreakpoint = 1e-9;
  const double slope = r.load_slope[c];
  const double rho = r.max_utilisation[c];
  return (changing_ && r.overloaded[c]) || (slope != 0.0 && rho > kLatencyKnee) ||
         (slope > 0.0 && (rho >= kLatencyKnee * (1.0 - kAtBreakpoint) ||
                          rho >= 1.0 - kAtBreakpoint));
}

void World::Impl::set_crossing(Index c, std::int64_t t) {
  std::size_t i = tree_leaves_ + c;
  cross_tree_[i] = t;
  for (i /= 2; i >= 1; i /= 2) cross_tree_[i] = std::min(cross_tree_[2 * i], cross_tree_[2 * i + 1]);
}

namespace {

/// `from` plus `seconds` rounded up to whole µs (at least 1); max when
/// infinite or beyond reach.
sim::Duration after_seconds(sim::Duration from, double seconds) {
  if (!std::isfinite(seconds)) return sim::Duration::max();
  const double micros = std::ceil(seconds * 1e6);
  if (micros >= 9e17) return sim::Duration::max();
  return from + sim::Duration::micros(std::max<std::int64_t>(1, static_cast<std::int64_t>(micros)));
}

}  // namespace

sim::Duration World::Impl::update_crossing(Index c) {
  const sim::Duration fluid = after_seconds(t_ref_, seconds_to_crossing(m_, fs_, cur_, c));
  sim::Duration t = fluid;
  // Autoscaling thresholds: the desired count changes at load = n · c · u.
  if (const ComponentRow& row = m_.components[c]; row.kind == ComponentKind::service) {
    const Index s = row.row;
    const ServiceRow& svc = m_.services[s];
    const double slope = cur_.load_slope[c];
    if (svc.autoscale && !autoscale_pending_[s] && slope != 0.0) {
      const double per = svc.capacity_per_replica * fs_.capacity_factor[c] *
                         svc.autoscale->target_utilization;
      const double load = load_now(c);
      const int n = replicas_[s];
      double seconds = std::numeric_limits<double>::infinity();
      auto consider = [&](int k) {
        const double x = (k * per - load) / slope;
        if (x > 0.0) seconds = std::min(seconds, x);
      };
      if (n < svc.autoscale->max_replicas) consider(n);
      if (n > svc.autoscale->min_replicas) consider(n - 1);
      t = std::min(t, after_seconds(now(), seconds));
    }
  }
  set_crossing(c, t.count_micros());
  return fluid;
}

void World::Impl::evaluate_all() {
  const sim::Duration t = now();
  if (!eager_) close_all_segments();
  for (const Index c : touched_) touched_flag_[c] = 0;
  touched_.clear();
  touch_all_ = false;
  t_ref_ = t;
  evaluate_at(t, cur_);
  // Impact is measured against the nominal system at the same demand.
  evaluate_fluid(m_, nominal_state_, demand_now_, slope_now_, nominal_);
  changing_ = false;
  knot_min_ = sim::Duration::max();
  for (std::size_t s = 0; s < demand_.size(); ++s) {
    changing_ = changing_ || slope_now_[s] != 0.0;
    if (next_knot_[s] <= t) next_knot_[s] = demand_[s].next_knot_after(t);
    knot_min_ = std::min(knot_min_, next_knot_[s]);
  }
  nominal_cross_ = after_seconds(t, seconds_to_next_crossing(m_, nominal_state_, nominal_));
  nominal_nonlinear_ = false;
  nonlinear_count_ = 0;
  for (Index c = 0; c < m_.components.size(); ++c) {
    nominal_nonlinear_ = nominal_nonlinear_ || nonlinear(nominal_, c);
    nonlinear_flag_[c] = nonlinear(cur_, c) ? 1 : 0;
    nonlinear_count_ += nonlinear_flag_[c];
    update_crossing(c);
  }
  const bool was_eager = eager_;
  eager_ = observer_ != nullptr || checks_.always_eager || nonlinear_count_ > 0 ||
           nominal_nonlinear_;
  if (!eager_) {
    open_all_segments();
  } else if (!was_eager) {
    accounted_ = t;  // the segments were integrated to now
  }
  all_changed_ = true;
}

void World::Impl::refresh() {
  const sim::Duration t = now();
  if (eager_ || touch_all_ || t >= nominal_cross_) {
    evaluate_all();
    return;
  }
  all_changed_ = false;
  changed_ = nullptr;
  if (touched_.empty()) return;
  for (const Index c : touched_) {
    touched_flag_[c] = 0;
    updater_.mark(c);
  }
  touched_.clear();
  updater_.update(fs_, demand_now_, slope_now_, cur_);
  changed_ = &updater_.changed();
  if (checks_.verify_incremental) verify_incremental();
  for (const Index c : *changed_) {
    // A component now in another regime at t than at t_ref_ (a crossing in
    // between), or in one where its ratios drift: evaluate everything at t.
    const bool nl = nonlinear(cur_, c);
    nonlinear_count_ += (nl ? 1 : 0) - nonlinear_flag_[c];
    nonlinear_flag_[c] = nl ? 1 : 0;
    if (update_crossing(c) <= t) {
      evaluate_all();
      return;
    }
  }
  if (nonlinear_count_ > 0) {
    evaluate_all();
    return;
  }
  for (const Index c : *changed_) settle_component(c);
}

void World::Impl::verify_incremental() {
  evaluate_fluid(m_, fs_, demand_now_, slope_now_, mid_);
  auto same = [](const auto& a, const auto& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
  };
  const bool ok = same(cur_.load, mid_.load) && same(cur_.load_slope, mid_.load_slope) &&
                  same(cur_.admitted, mid_.admitted) && same(cur_.success, mid_.success) &&
                  same(cur_.delay, mid_.delay) && same(cur_.stretch, mid_.stretch) &&
                  same(cur_.max_utilisation, mid_.max_utilisation) &&
                  same(cur_.overloaded, mid_.overloaded) &&
                  same(cur_.zone_admitted, mid_.zone_admitted) &&
                  same(cur_.zone_rho, mid_.zone_rho) && same(cur_.edge_failure, mid_.edge_failure);
  if (!ok) {
    throw std::logic_error("incremental fluid evaluation differs from the full one at t = " +
                           std::to_string(now().to_seconds()) + " s");
  }
}

void World::Impl::changed() {
  refresh();
  if (observer_) observer_->on_change(now(), fs_, cur_);
  track_impact();
  const std::vector<Index>& moved = all_changed_ ? all_components_ : *changed_;
  if (all_changed_ || changed_) {
    for (const Index c : moved) {
      const ComponentRow& row = m_.components[c];
      if (row.kind != ComponentKind::service) continue;
      const Index s = row.row;
      const ServiceRow& svc = m_.services[s];
      if (!svc.autoscale || autoscale_pending_[s]) continue;
      if (desired_replicas(s) != replicas_[s]) {
        autoscale_pending_[s] = 1;
        in(svc.autoscale->reaction_time, EventKind::autoscale, t_autoscale_ + s);
        update_crossing(c);
      }
    }
  }
  schedule_check();
  // After the check is scheduled: detection predicts no further than it.
  detection_changed();
}

void World::Impl::schedule_check() {
  const sim::Duration t = now();
  sim::Duration next = std::min(knot_min_, sim::Duration::micros(cross_tree_[1]));
  if (eager_ && changing_) {
    for (Index c = 0; c < m_.components.size(); ++c) {
      if (cur_.overloaded[c]) {
        next = std::min(next, t + kOverloadStep);
        break;
      }
    }
  }
  if (next > horizon_) next = sim::Duration::max();
  if (next != next_check_) {
    const sim::Duration before = next_check_;
    sim_.cancel(t_check_);
    next_check_ = next;
    if (next != sim::Duration::max()) at(next, EventKind::check, t_check_);
    // Burn-rate predictions look as far as the check that was next when they
    // were made: when it moved later, they must look further.
    if (next > before && !all_changed_) {
      for (Index r = 0; r < rule_rows_.size(); ++r) {
        if (m_.alerts[rule_rows_[r].alert].kind == AlertKind::burn_rate &&
            rules_[r].pred_until < std::min(horizon_, next_check_)) {
          predict_rule(r);
        }
      }
    }
  }
}

}  // namespace relsim::models
