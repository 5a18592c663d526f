// The trial engine: the Engine's set-up, the event dispatch to the
// components and the fluid evaluation after a change. The components are in
// world_processes.cpp (replicas, zones), world_stores.cpp, world_faults.cpp
// (deploys, faults), world_accounts.cpp, world_detection.cpp and world_people.cpp. See
// models/world_impl.hpp, docs/architecture.md ("The trial engine") and
// docs/model.md ("Dynamics").
#include "models/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/world_impl.hpp"

namespace relsim::models {

World::World(const CompiledModel& model) : impl_(std::make_unique<Engine>(model)) {}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

TrialResult World::run(std::uint64_t trial_seed) { return impl_->run(trial_seed); }
void World::set_observer(TrialObserver* observer) { impl_->observer = observer; }
void World::set_checks(const Checks& checks) { impl_->checks = checks; }
void World::set_failure_bias(const std::vector<double>& theta) {
  if (theta.empty()) {
    impl_->bias.clear();
  } else {
    impl_->bias.configure(impl_->m, theta);
  }
}
const BiasTally& World::bias_tally() const { return impl_->bias.tally(); }

Engine::Engine(const CompiledModel& model)
    : m(model),
      horizon(model.horizon),
      failure_streams_(
          registry_.streams(model.failure_streams.size(),
                            [&model](std::size_t i) { return model.failure_streams[i]; })),
      updater_(model),
      replicas(*this, model, registry_),
      zones(*this, model, registry_),
      stores(*this, model, registry_),
      deploys(*this, model, registry_),
      faults(*this, model, registry_),
      accounts(*this, model, registry_),
      detection(*this, model, registry_),
      people(*this, model, registry_) {
  check_target_ = registry_.targets(1);
  rngs_.resize(registry_.stream_keys().size(), sim::Rng(0, 0));
  for (const ServiceRow& s : m.services) demand.emplace_back(s.demand, m.calendar);
  steady_demand =
      std::all_of(demand.begin(), demand.end(), [](const DemandCurve& d) { return d.flat(); });
  const std::size_t nc = m.components.size();
  all_components.resize(nc);
  for (Index c = 0; c < nc; ++c) all_components[c] = c;
  nonlinear_flag_.assign(nc, 0);
  while (tree_leaves_ < nc) tree_leaves_ *= 2;
  cross_tree_.assign(2 * tree_leaves_, std::numeric_limits<std::int64_t>::max());
  initial_fs = make_fluid_state(m);
  std::fill(initial_fs.healthy.begin(), initial_fs.healthy.end(), 0);
  std::fill(initial_fs.routed.begin(), initial_fs.routed.end(), 0);
  nominal_state = make_fluid_state(m);
}

void Engine::reset(std::uint64_t trial_seed) {
  sim.reset(trial_seed, registry_.target_count());
  const std::vector<std::uint64_t>& keys = registry_.stream_keys();
  for (std::size_t i = 0; i < keys.size(); ++i) rngs_[i] = sim.stream(keys[i]);
  fs = initial_fs;  // copy-assignment: no allocation after the first trial
  next_check = sim::Duration::max();
  t_ref = sim::Duration::zero();
  updater_.clear_marks();
  touch_all_ = true;
  all_moved = true;
  eager = true;  // until the first evaluation says otherwise: no segments open
  next_knot_.assign(m.services.size(), sim::Duration::zero());
  demand_now.assign(m.services.size(), 0.0);
  slope_now.assign(m.services.size(), 0.0);
  cause = Cause{};
  bias.reset();
  replicas.reset();
  zones.reset();
  stores.reset();
  deploys.reset();
  faults.reset();
  accounts.reset();
  detection.reset();
  people.reset();
}

TrialResult Engine::run(std::uint64_t trial_seed) {
  reset(trial_seed);
  replicas.start();
  zones.start();
  stores.start();
  deploys.start();
  faults.start();
  accounts.start();
  after_change();
  sim.run_until(sim::Time::at(horizon), *this);
  bias.finish(horizon);
  if (eager) {
    accounts.account();
  } else {
    accounts.close_all_segments();
  }
  TrialResult r;
  accounts.finish(r);
  people.finish(r);
  r.events = sim.events_processed();
  return r;
}

void Engine::handle(const sim::Event& e, sim::Simulation& /*s*/) {
  // A handler that changes the state calls begin_change first; after it
  // the ratios are brought up to date. Targets are engine-wide: each
  // component's Range turns them into its own indices.
  event_changes_ = false;
  const Index t = e.target;
  const auto row = static_cast<Index>(e.payload);
  switch (static_cast<EventKind>(e.kind())) {
    // clang-format off
    case EventKind::replica_crash:     replicas.on_crash(t, row); break;
    case EventKind::replica_ready:     replicas.on_ready(t); break;
    case EventKind::lb_forget:         replicas.on_forget(t, row); break;
    case EventKind::autoscale:         replicas.on_autoscale(t); break;
    case EventKind::zone_outage:       zones.on_outage(t, row); break;
    case EventKind::zone_back:         zones.on_back(t, row); break;
    case EventKind::datastore_failure: stores.on_datastore_failure(t, row); break;
    case EventKind::datastore_step:    stores.on_datastore_step(t); break;
    case EventKind::cache_failure:     stores.on_cache_failure(t, row); break;
    case EventKind::cache_step:        stores.on_cache_step(t); break;
    case EventKind::deploy:            deploys.on_deploy(t); break;
    case EventKind::rollback:          deploys.on_rollback(t); break;
    case EventKind::fault_start:       faults.on_start(t); break;
    case EventKind::fault_repeat:      faults.on_repeat(t); break;
    case EventKind::fault_end:         faults.on_end(t); break;
    case EventKind::window_start:      accounts.on_window_start(); break;
    case EventKind::check:             on_check(); break;
    case EventKind::alert_eval:        detection.on_eval(t); break;
    case EventKind::escalate:          people.on_escalate(e.payload); break;
    case EventKind::responder_ack:     people.on_ack(t); break;
    case EventKind::responder_work:    people.on_work(t, static_cast<Phase>(e.payload)); break;
      // clang-format on
  }
  if (event_changes_) after_change();
}

void Engine::begin_change(const Cause& c) {
  cause = c;
  people.begin_event();
  if (eager) accounts.account();
  event_changes_ = true;
}

void Engine::on_check() {
  begin_change(Cause{});
  next_check = sim::Duration::max();
  touch_all();  // a knot or a crossing: every ratio anew
}

void Engine::set_error_state(Index c) {
  fs.error_rate[c] =
      1.0 - (1.0 - deploys.error(c)) * (1.0 - faults.error(c)) * (1.0 - stores.connection_error(c));
  fs.added_latency[c] = deploys.latency(c) + faults.latency(c);
  touch(c);
}

void Engine::evaluate_at(sim::Duration t, FluidResult& out) {
  for (std::size_t s = 0; s < demand.size(); ++s) {
    demand_now[s] = demand[s].rate(t);
    slope_now[s] = demand[s].slope(t);
  }
  evaluate_fluid(m, fs, demand_now, slope_now, out);
}

bool Engine::nonlinear(const FluidResult& r, Index c) const {
  // Dropping load while demand moves, or stretched past the knee while its
  // own load moves: the ratios drift between events. A check lands on a
  // crossing to the µs, where rounding may leave the load a hair short of
  // it: a component at a breakpoint and climbing counts as past it.
  constexpr double kAtBreakpoint = 1e-9;
  const double slope = r.load_slope[c];
  const double rho = r.max_utilisation[c];
  return (changing_ && r.overloaded[c]) || (slope != 0.0 && rho > kLatencyKnee) ||
         (slope > 0.0 &&
          (rho >= kLatencyKnee * (1.0 - kAtBreakpoint) || rho >= 1.0 - kAtBreakpoint));
}

void Engine::set_crossing(Index c, std::int64_t t) {
  std::size_t i = tree_leaves_ + c;
  cross_tree_[i] = t;
  for (i /= 2; i >= 1; i /= 2)
    cross_tree_[i] = std::min(cross_tree_[2 * i], cross_tree_[2 * i + 1]);
}

sim::Duration Engine::update_crossing(Index c) {
  const sim::Duration fluid = after_seconds(t_ref, seconds_to_crossing(m, fs, cur, c));
  sim::Duration t = fluid;
  // Autoscaling thresholds: the desired count changes at load = n · c · u.
  if (replicas.any_autoscale() && m.components[c].kind == ComponentKind::service)
    t = std::min(t, replicas.autoscale_crossing(c));
  set_crossing(c, t.count_micros());
  return fluid;
}

void Engine::evaluate_all() {
  const sim::Duration t = now();
  if (!eager) accounts.close_all_segments();
  updater_.clear_marks();
  touch_all_ = false;
  t_ref = t;
  evaluate_at(t, cur);
  // Impact is measured against the nominal system at the same demand; in
  // the nominal state itself (most of the time) its ratios are cur's.
  if (fs == nominal_state) {
    nominal = cur;  // copy-assignment: no allocation after the first
  } else {
    evaluate_fluid(m, nominal_state, demand_now, slope_now, nominal);
  }
  changing_ = false;
  knot_min_ = sim::Duration::max();
  for (std::size_t s = 0; s < demand.size(); ++s) {
    changing_ = changing_ || slope_now[s] != 0.0;
    if (next_knot_[s] <= t) next_knot_[s] = demand[s].next_knot_after(t);
    knot_min_ = std::min(knot_min_, next_knot_[s]);
  }
  nominal_cross_ = after_seconds(t, seconds_to_next_crossing(m, nominal_state, nominal));
  nominal_nonlinear_ = false;
  nonlinear_count_ = 0;
  for (Index c = 0; c < m.components.size(); ++c) {
    nominal_nonlinear_ = nominal_nonlinear_ || nonlinear(nominal, c);
    nonlinear_flag_[c] = nonlinear(cur, c) ? 1 : 0;
    nonlinear_count_ += nonlinear_flag_[c];
    update_crossing(c);
  }
  const bool was_eager = eager;
  eager = observer != nullptr || checks.always_eager || nonlinear_count_ > 0 || nominal_nonlinear_;
  if (!eager) {
    accounts.open_all_segments();
  } else if (!was_eager) {
    accounts.accounted_to(t);  // the segments were integrated to now
  }
  all_moved = true;
}

void Engine::refresh() {
  const sim::Duration t = now();
  if (eager || touch_all_ || t >= nominal_cross_) {
    evaluate_all();
    return;
  }
  all_moved = false;
  moved = nullptr;
  if (!updater_.pending()) return;
  updater_.update(fs, demand_now, slope_now, cur);
  moved = &updater_.changed();
  if (checks.verify_incremental) verify_incremental();
  for (const Index c : *moved) {
    // A component now in another regime at t than at t_ref (a crossing in
    // between), or in one where its ratios drift: evaluate everything at t.
    const bool nl = nonlinear(cur, c);
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
  for (const Index c : *moved) accounts.settle_component(c);
}

void Engine::verify_incremental() {
  evaluate_fluid(m, fs, demand_now, slope_now, mid);
  auto same = [](const auto& a, const auto& b) {
    // Bit for bit (memcmp); an empty vector's data() may be null.
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0);
  };
  const bool ok = same(cur.load, mid.load) && same(cur.load_slope, mid.load_slope) &&
                  same(cur.admitted, mid.admitted) && same(cur.success, mid.success) &&
                  same(cur.delay, mid.delay) && same(cur.stretch, mid.stretch) &&
                  same(cur.max_utilisation, mid.max_utilisation) &&
                  same(cur.overloaded, mid.overloaded) &&
                  same(cur.zone_admitted, mid.zone_admitted) && same(cur.zone_rho, mid.zone_rho) &&
                  same(cur.edge_failure, mid.edge_failure);
  if (!ok) {
    throw std::logic_error("incremental fluid evaluation differs from the full one at t = " +
                           std::to_string(now().to_seconds()) + " s");
  }
}

void Engine::after_change() {
  refresh();
  if (observer) observer->on_change(now(), fs, cur);
  people.track_impact();
  if (all_moved || moved) replicas.after_change(all_moved ? all_components : *moved);
  schedule_check();
  // After the check is scheduled: detection predicts no further than it.
  detection.after_change();
}

void Engine::schedule_check() {
  const sim::Duration t = now();
  sim::Duration next = std::min(knot_min_, sim::Duration::micros(cross_tree_[1]));
  if (eager && changing_) {
    for (Index c = 0; c < m.components.size(); ++c) {
      if (cur.overloaded[c]) {
        next = std::min(next, t + kOverloadStep);
        break;
      }
    }
  }
  if (next > horizon) next = sim::Duration::max();
  if (next != next_check) {
    const sim::Duration before = next_check;
    sim.cancel(check_target_[0]);
    next_check = next;
    if (next != sim::Duration::max()) at(next, EventKind::check, check_target_[0]);
    // Burn-rate predictions look as far as the check that was next when they
    // were made: when it moved later, they must look further.
    if (next > before && !all_moved) detection.check_moved(next);
  }
}

}  // namespace relsim::models
