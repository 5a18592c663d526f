// Internal to the trial engine (models/world*.cpp): the components a trial is
// made of. Each owns its per-trial state, claims its event targets and random
// streams from the Registry when it is constructed, schedules its own events
// and handles them (the `on_*` methods, one per EventKind). They reach the
// shared things (model, simulation, fluid state, evaluation and accounting
// entry points) and each other through the Engine (models/world_impl.hpp).
// See docs/architecture.md ("The trial engine").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/burn_history.hpp"
#include "models/compiled_model.hpp"
#include "models/failure_bias.hpp"
#include "models/slo_ledger.hpp"
#include "models/trial_result.hpp"
#include "models/world_registry.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace relsim::models {

struct Engine;

/// Sub-stepping while some component drops load under changing demand
/// (docs/model.md).
inline constexpr sim::Duration kOverloadStep = sim::Duration::minutes(15);
/// Cache warm-up is a staircase of this many steps.
inline constexpr int kWarmUpSteps = 8;

/// What every component holds: the engine and the model, and short forms of
/// the engine's scheduling and random-stream calls (inline, world_impl.hpp).
struct Part {
  Part(Engine& w, const CompiledModel& m) : w_(w), m_(m) {}
  sim::Duration now() const;
  void at(sim::Duration t, EventKind k, Index target, std::uint64_t payload = 0);
  void in(sim::Duration d, EventKind k, Index target, std::uint64_t payload = 0);
  sim::Rng& rng(Index stream);
  sim::Duration draw(const sim::Distribution& d, sim::Rng& r) {
    return sim::Duration::from_seconds(d.sample(r));
  }
  /// A time to failure of failure row `row` on its clock `clock` (an index
  /// into FailureRow::streams' range): nominal, or biased when importance
  /// sampling is on (models/failure_bias.hpp). `failure_fired` /
  /// `failure_cancelled` close the clock for the likelihood ratio.
  sim::Duration draw_failure(Index row, Index clock, int cls = kBiasUp);
  void failure_fired(Index clock);
  void failure_cancelled(Index clock);
  void touch(Index component);
  void touch_placement(Index p);

  Engine& w_;
  const CompiledModel& m_;
};

// ---------------------------------------------------------------- replicas

enum class SlotState : std::uint8_t { off, running, restarting, waiting };

struct Slot {
  SlotState state = SlotState::off;
  Index service = 0;           // service row
  Index placement = kNoIndex;  // where it runs (running), or where it last ran
  Index ghost = kNoIndex;      // placement the LB still routes to after it died
};

/// Replica slots of every service: crashes, restarts, rescheduling across
/// zones, the load balancer's ghosts and autoscaling (world_processes.cpp).
/// Targets: a slot's crash and ready events, its ghost, a service's
/// autoscaler; streams: one restart stream per slot.
struct Replicas : Part {
  Replicas(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_crash(Index slot, Index failure_row);
  void on_ready(Index slot);
  void on_forget(Index slot, Index placement);
  void on_autoscale(Index service_row);

  void kill(Index slot, bool graceful);
  /// Every running replica in zone z.
  void kill_in_zone(Index z, bool graceful);
  void ready(Index slot);
  /// Places the waiting replicas of every service (a zone usable again).
  void place_waiting_all();
  /// A runbook's restart: the service's restarting replicas are ready now.
  void finish_restarts(Index service_row);
  int count(Index service_row) const { return replicas_[service_row]; }
  void set_replicas(Index service_row, int count);
  /// The running slots of a service (in zone z unless kNoIndex) into out.
  void running(Index service_row, Index z, std::vector<Index>& out) const;
  /// After a change: services whose desired count moved schedule their autoscaler.
  void after_change(const std::vector<Index>& moved);
  /// The next time service component c's load crosses an autoscaling
  /// threshold (max: none).
  sim::Duration autoscale_crossing(Index c) const;
  /// Some service autoscales (else autoscale_crossing is always max).
  bool any_autoscale() const { return any_autoscale_; }

 private:
  void schedule_crash_clocks(Index slot);
  /// Importance sampling: the slot's pending times to failure end now.
  void cancel_crash_clocks(Index slot);
  /// Importance sampling: service row s is degraded while fewer of its
  /// replicas run than it is scaled to; when that changes, the crash clocks
  /// of its running replicas are re-timed (models/failure_bias.hpp).
  void update_bias_class(Index s);
  void place_and_run(Index slot, Index preferred_placement);
  Index choose_placement(Index service_row) const;
  void place_waiting(Index service_row);
  int desired_replicas(Index service_row) const;

  Range slot_targets_, ghost_targets_, autoscale_targets_, restart_streams_;
  std::vector<Index> service_zone_placement_;   // service row × zone → placement
  std::vector<std::vector<Index>> crash_rows_;  // per service row: its replica-crash failure rows
  std::vector<Slot> slots_;
  std::vector<int> replicas_;  // per service row: the replica count it is scaled to
  std::vector<std::uint8_t> autoscale_pending_;
  bool any_autoscale_ = false;  // some service autoscales (else after_change has nothing to do)
  std::vector<int> running_;    // per service row: running replicas
  std::vector<std::uint8_t> bias_class_;  // per service row: kBiasUp / kBiasDegraded
  std::vector<std::pair<Index, sim::Duration>> rebiased_;  // scratch: (row, fire time)
};

// ---------------------------------------------------------------- zones

/// Zones: random outages, outage and drain counts (world_processes.cpp).
/// Targets: one per zone (its outage clock).
struct Zones : Part {
  Zones(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_outage(Index z, Index failure_row);
  void on_back(Index z, Index failure_row);

  void down(Index z);
  void up(Index z);
  void drain(Index z) { ++drained_[z]; }
  /// The end of a drain: waiting replicas come back when it was the last.
  void undrain(Index z);
  bool usable(Index z) const { return zone_down_[z] == 0 && drained_[z] == 0; }

 private:
  Range targets_;
  std::vector<int> zone_down_;  // outage sources per zone
  std::vector<int> drained_;    // drains per zone
};

// ---------------------------------------------------------------- datastores and caches

enum class StoreState : std::uint8_t { serving, failing_over, connection_errors, down };

/// Datastores (primary failure, failover, stale connections) and caches
/// (node failure, failover, warm-up) (world_stores.cpp). Targets: a
/// failure clock and a state per datastore and per cache; streams: one
/// failover stream per datastore and per cache.
struct Stores : Part {
  Stores(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_datastore_failure(Index d, Index failure_row);
  void on_datastore_step(Index d);
  void on_cache_failure(Index k, Index failure_row);
  void on_cache_step(Index k);

  void datastore_fail(Index d, bool forced, std::optional<sim::Duration> repair);
  void cache_fail(Index k);
  /// Zone z went down / came back: the stores there fail / recover.
  void zone_down(Index z);
  void zone_up(Index z);
  /// A runbook's failover of a datastore or cache component: promotes now.
  void failover_now(Index component);
  double connection_error(Index c) const { return connection_error_[c]; }

 private:
  void schedule_datastore_clocks(Index d);
  /// Importance sampling: the pending times to failure of failure type
  /// `type` on component c end now.
  void cancel_clocks(FailureType type, Index c);
  void schedule_cache_clocks(Index k);
  void datastore_step(Index d);
  void cache_step(Index k);

  Range ds_clock_, ds_state_targets_, cache_clock_, cache_state_targets_;
  Range ds_streams_, cache_streams_;
  std::vector<StoreState> ds_state_;      // per datastore row
  std::vector<Index> ds_primary_;         // per datastore row: the primary's zone
  std::vector<StoreState> cache_state_;   // per cache row
  std::vector<Index> cache_zone_;         // per cache row: the node's zone
  std::vector<int> cache_warm_step_;      // warm-up steps done (kWarmUpSteps = warm)
  std::vector<double> connection_error_;  // per component: partial connection errors
};

// ---------------------------------------------------------------- deploys

/// Deployments, bad versions and automated rollbacks (world_faults.cpp).
/// Targets: one per deploy row, one rollback per service row; streams: one
/// per deploy row.
struct Deployments : Part {
  Deployments(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_deploy(Index deploy_row);
  void on_rollback(Index service_row);

  /// A deploy happened to service row s (kNoIndex: to no service).
  void note(Index service_row);
  /// A runbook's rollback of component c (service row s): the good version.
  void roll_back(Index c, Index s);
  double error(Index c) const { return error_[c]; }
  double latency(Index c) const { return latency_[c]; }
  sim::Duration last(Index service_row) const { return last_[service_row]; }
  std::uint64_t count() const { return count_; }

 private:
  void schedule(Index deploy_row);

  Range deploy_targets_, rollback_targets_, streams_;
  std::vector<double> error_, latency_;  // per component: the bad version running
  std::vector<sim::Duration> last_;      // per service row
  std::uint64_t count_ = 0;
};

// ---------------------------------------------------------------- faults

/// Injected faults (world_faults.cpp). Targets and streams: one per fault.
struct Faults : Part {
  Faults(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_start(Index fault);
  void on_repeat(Index fault);
  void on_end(Index fault);

  /// Ends the active faults of `kind` on component c now (a runbook step);
  /// true when there were any.
  bool clear(FaultKind kind, Index c);
  double error(Index c) const { return error_[c]; }
  double latency(Index c) const { return latency_[c]; }

 private:
  Cause cause(Index fault) const;
  void pod_kill(Index fault);
  void node_drain(Index fault, bool start);
  void apply_effects();

  Range targets_, streams_;
  std::vector<std::uint8_t> active_;
  std::vector<double> error_, latency_;  // per component: injected bad deploys
  std::vector<Index> scratch_;           // pod-kill and drain candidates
};

// ---------------------------------------------------------------- accounting

/// Good and total requests per service and SLO: the lazy segments, the eager
/// Simpson integration, the SLO ledger and the burn-rate histories
/// (world_accounts.cpp). Target: one (SLO window starts).
struct Accounts : Part {
  Accounts(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();
  void start();

  void on_window_start();

  /// Eager mode: integrates requests from the last accounted instant to now
  /// with the state as it was, by Simpson's rule over three full
  /// evaluations (call before every state change). False when there was
  /// nothing to integrate; true when it did (and left the ratios at now in
  /// the engine's `end`).
  bool account();
  /// Before a burn-rate rule of SLO k reads its history: requests up to now.
  void settle_for_rule(Index k);
  /// Lazy mode: closes the segment of a service row / SLO at now with the
  /// rates it was opened with, and opens the next with the current rates.
  void settle_service(Index s);
  void settle_slo(Index k);
  /// The units on component c (after it changed): settle them.
  void settle_component(Index c);
  /// Every segment, at now (entering eager mode, the end of a trial).
  void close_all_segments();
  void open_all_segments();
  /// Entering eager mode at t: the segments were integrated to t.
  void accounted_to(sim::Duration t) { accounted_ = t; }
  void finish(TrialResult& r);

  sim::Duration window_start(Index k) const { return ledger_.window_start(k); }
  const BurnHistory& burn(Index k) const { return burn_[k]; }

 private:
  struct Segment {
    sim::Duration t0;
    double load = 0.0, slope = 0.0, good = 0.0;
  };
  void accrue_service(Index s, double total, double good);
  void accrue_slo(Index k, sim::Duration t0, sim::Duration t1, double total, double good,
                  double total_slope, double bad_slope);

  Range window_target_;
  std::vector<Index> comp_slo_begin_, comp_slos_;  // CSR: component → SLOs on it
  std::vector<std::int64_t>
      burn_max_window_;  // per SLO: longest window of its burn alerts (0: none)
  // Per unit (service row, SLO) the rates since its segment began:
  // load(t) = load + slope · (t − t0), a constant fraction `good` of it good.
  std::vector<Segment> svc_seg_, slo_seg_;
  sim::Duration accounted_;  // eager mode: requests are integrated up to here
  SloLedger ledger_;
  std::vector<ServiceTrialResult> services_;
  std::vector<BurnHistory> burn_;  // per SLO
};

// ---------------------------------------------------------------- detection

/// One alert rule: an alert, or for burn-rate alerts one per route of its
/// windows (page windows and ticket windows fire separately).
struct RuleRow {
  Index alert = 0;
  AlertRoute route = AlertRoute::page;
};

enum class RuleState : std::uint8_t { inactive, pending, firing };

struct Rule {
  RuleState state = RuleState::inactive;
  sim::Duration active_at;  // the tick it became pending
  sim::Duration last_eval = -sim::Duration::max();
  sim::Duration scheduled = sim::Duration::max();
  bool seen = false;                          // threshold: the condition at the last change
  double pred_total = -1.0, pred_bad = -1.0;  // burn: the rates the prediction assumed
  sim::Duration pred_until;                   // burn: how far the prediction looked
  sim::Duration hot_until = sim::Duration::days(
      -365000);               // burn: end of the last interval at or above its lowest threshold
  Index incident = kNoIndex;  // the incident its firing joined
  bool limited = false;       // burn: in Detection::limited_ (pred_until may be < horizon)
};

/// Alert rules on the evaluation grid (world_detection.cpp). Targets: one
/// per rule.
struct Detection : Part {
  Detection(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();

  void on_eval(Index rule);

  /// After a state change: threshold conditions and burn-rate predictions
  /// of the rules reading a component that moved.
  void after_change();
  /// The next check moved later, to `next`: predictions look further.
  void check_moved(sim::Duration next);
  /// SLO k accrued requests up to t1 with this bad fraction of `total`.
  void note_burn(Index k, sim::Duration t1, double total, double bad);
  bool condition_holds(const ConditionRow& cond, Index component) const;

 private:
  void changed(Index rule);
  void evaluate_rule(Index rule);
  bool rule_condition(Index rule);
  void schedule_rule(Index rule, sim::Duration t);
  void predict_rule(Index rule);
  sim::Duration tick_at_or_after(Index alert, sim::Duration t) const;
  void rule_fired(Index rule);
  void rule_resolved(Index rule);

  std::vector<RuleRow> rule_rows_;
  Range targets_;
  std::vector<Rule> rules_;
  std::vector<Index> burn_slo_rules_begin_;  // CSR per SLO over burn_slo_rules_
  std::vector<Index> burn_slo_rules_;
  std::vector<double> rule_min_threshold_;  // per burn rule: lowest factor × budget of its windows
  std::vector<sim::Duration> rule_max_window_;       // per burn rule: its longest window
  std::vector<Index> comp_rule_begin_, comp_rules_;  // CSR: component → rules reading it
  std::vector<double> slo_fraction_;                 // per SLO: its bad fraction now (cache)
  std::vector<sim::Duration> slo_fraction_at_;       // when slo_fraction_ was computed
  std::vector<Index> limited_;  // burn rules whose prediction may stop short of the horizon
  std::vector<Index> due_;      // check_moved's scratch: the rules it re-predicts
};

// ---------------------------------------------------------------- people

/// Work phases of a responder, carried as the responder_work payload.
enum class Phase : std::uint8_t { respond, diagnose, step, decide, confirm, watch };

struct Responder {
  Index team = 0;
  Index incident = kNoIndex;
  bool acking = false;  // drawing an ack for `incident`; else working on it when set
  Phase phase = Phase::watch;
  Index step = 0;          // next runbook step (offset in the runbook)
  int pass = 0;            // passes over the runbook's steps
  bool diagnosed = false;  // the runbook's diagnosis is done for `incident`
};

/// Per-trial state of an incident beyond its row.
struct Incident {
  IncidentRow row;
  int impaired = 0;          // its services impaired now
  int firing = 0;            // alert rules firing on it
  bool page_active = false;  // paged, neither acked nor cancelled
  bool closed = false;       // resolved; nothing joins it any more
  Index page_team = kNoIndex;
  sim::Duration page_time;
  std::uint16_t page_gen = 0;
  std::vector<Index> notified;       // responders paged for the active page
  Index responder = kNoIndex;        // who works on it
  Index primary = kNoIndex;          // service row: its primary service while it runs
  Index first_impact = kNoIndex;     // its first entry in People::impacts_
  bool runbook_chosen = false;       // runbook / runbook_service are set
  Index runbook = kNoIndex;          // the runbook its responder follows
  Index runbook_service = kNoIndex;  // service row the runbook's steps act on
  Index drained = kNoIndex;          // a zone its runbook drained
  Index zone = kNoIndex;             // the zone of its cause, if one
};

/// A service in an incident's impact set (People::impacts_).
struct ImpactEntry {
  Index incident = 0;
  Index service = 0;  // service row
  sim::Duration impaired, recovered;
  double failed = 0.0;
};

/// An SLO in an incident's budget table (People::slo_costs_).
struct SloCostEntry {
  Index incident = 0;
  Index slo = 0;
  double bad = 0.0;
};

/// Incidents and the people who answer them: impact tracking and grouping,
/// severity, paging, on-call, escalation, responders and their runbooks
/// (world_people.cpp). Targets: one for escalations, one per responder;
/// streams: ack and respond per team, diagnosis per runbook, one per
/// runbook step.
struct People : Part {
  People(Engine& w, const CompiledModel& m, Registry& reg);
  void reset();

  void on_escalate(std::uint64_t payload);
  void on_ack(Index responder);
  void on_work(Index responder, Phase phase);

  /// A new event is being handled: it has opened no incident yet.
  void begin_event() { event_incident_ = kNoIndex; }
  /// After a state change: opens, joins, mitigates and re-assesses incidents.
  void track_impact();
  /// Failed requests of service row s / bad requests of SLO k (in its
  /// window) over a stretch: charged to the open incidents they feed.
  void accrue_service(Index s, double bad);
  void accrue_slo(Index k, double bad);
  /// An alert rule fired: the incident it joins (kNoIndex: none), paging
  /// and tickets; `resolved`: its firing ended.
  Index alert_fired(Index alert, AlertRoute route);
  void alert_resolved(Index incident);
  void finish(TrialResult& r);

 private:
  Index open_incident();
  void track_service(Index s);
  /// Service row s joins incident i (its impact entry and SLO cost entries).
  void join(Index i, Index s);
  Index incident_for(Index component);
  void choose_runbook(Index i);
  void noise_page(Index team);
  void page(Index incident, Index team);
  void cancel_page(Index incident);
  void notify(Index incident, Index responder);
  void start_ack(Index responder, Index incident);
  void release(Index responder);
  void work(Index responder, Phase phase, sim::Duration after);
  void work_done(Index responder, Phase phase);
  void next_step(Index responder);
  void apply_step(Index incident, const RunbookStepRow& step);
  void start_confirm(Index responder);
  void maybe_close(Index incident);
  void escalate(Index incident, int step);
  Index on_call(Index team, bool secondary, sim::Duration t) const;
  int assess_severity(Index component) const;
  /// The final primary service row of incident i (finish), from its impact
  /// entries `entries` (indices into impacts_, in join order).
  Index final_primary(Index i, const TrialResult& r, std::span<const Index> entries) const;

  Range escalate_target_, responder_targets_;
  Range ack_streams_, respond_streams_, diagnose_streams_, step_streams_;
  std::vector<Index> responder_begin_;           // per team, size teams + 1
  std::vector<sim::Duration> first_handoff_;     // per team
  std::vector<Index> svc_slo_begin_, svc_slos_;  // CSR: service row → its SLOs
  std::vector<std::uint8_t> user_facing_;        // per service row: no service calls it
  Index event_incident_ = kNoIndex;              // the incident opened by the event being handled
  std::vector<Responder> responders_;
  std::vector<Incident> incidents_;
  std::vector<Index> open_;               // incidents not closed
  std::vector<Index> waiting_;            // incidents with an active page, in page order
  std::vector<std::uint8_t> impaired_;    // per service row
  std::vector<Index> svc_incident_;       // per service row: its latest incident
  std::vector<Index> svc_impact_;         // per service row: its entry in that incident's impacts
  std::vector<Index> slo_cost_;           // per SLO: its entry in its service's latest incident
  std::vector<ImpactEntry> impacts_;      // every incident's impact set, in the order joined
  std::vector<SloCostEntry> slo_costs_;   // every incident's SLO costs, in the order joined
  std::vector<double> slo_incident_bad_;  // per SLO: bad requests charged to incidents
  std::vector<Index> newly_impaired_;     // track_impact: services impaired by this event
  std::vector<TeamTrialResult> teams_;
};

}  // namespace relsim::models
