// Internal to the trial engine (models/world*.cpp): the per-trial state and
// the event kinds. Not included by anything outside models/world*.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/burn_history.hpp"
#include "models/compiled_model.hpp"
#include "models/demand.hpp"
#include "models/fluid.hpp"
#include "models/fluid_incremental.hpp"
#include "models/slo_ledger.hpp"
#include "models/trial_observer.hpp"
#include "models/trial_result.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace relsim::models {

/// What the kernel dispatches on. `target` spaces are in World::Impl.
enum class EventKind : std::uint16_t {
  replica_crash,     // target: slot; payload: failure row
  replica_ready,     // target: slot; a restarted or rescheduled replica is ready
  lb_forget,         // target: slot-ghost; payload: placement the LB stops routing to
  zone_outage,       // target: zone clock; payload: failure row
  zone_back,         // target: zone clock; payload: failure row
  datastore_failure, // target: datastore clock; payload: failure row
  datastore_step,    // target: datastore state; the failover's next step
  cache_failure,     // target: cache clock; payload: failure row
  cache_step,        // target: cache state; failover done or a warm-up step
  deploy,            // target: deploy row clock
  rollback,          // target: service rollback; an automated rollback completes
  autoscale,         // target: service autoscaler; the reaction time has passed
  fault_start,       // target: fault
  fault_repeat,      // target: fault; the next pod kill of an interval
  fault_end,         // target: fault
  window_start,      // target: the window target; an SLO window begins
  check,             // target: the check target; a knot, a crossing or an overload step
  // Detection and people (world_detection.cpp, world_people.cpp).
  alert_eval,        // target: alert rule; an evaluation tick where the rule may change
  escalate,          // target: the people target; payload: incident, page generation, step
  responder_ack,     // target: responder; the responder acknowledges their page
  responder_work,    // target: responder; payload: the work phase that ends now
};

/// What the event being handled is, for the incidents it may open.
struct Cause {
  IncidentCause kind = IncidentCause::overload;
  Index index = kNoIndex;      // failure, deploy or fault row
  Index component = kNoIndex;  // the component it hit first, if one
  Index zone = kNoIndex;       // the zone it hit, if one
  bool runbook = false;        // a responder's runbook step
};

/// One alert rule: an alert, or for burn-rate alerts one per route of its
/// windows (page windows and ticket windows fire separately).
struct RuleRow {
  Index alert = 0;
  AlertRoute route = AlertRoute::page;
};

enum class RuleState : std::uint8_t { inactive, pending, firing };

struct Rule {
  RuleState state = RuleState::inactive;
  sim::Duration active_at;                   // the tick it became pending
  sim::Duration last_eval = -sim::Duration::max();
  sim::Duration scheduled = sim::Duration::max();
  bool seen = false;                         // threshold: the condition at the last change
  double pred_total = -1.0, pred_bad = -1.0;  // burn: the rates the prediction assumed
  sim::Duration pred_until;                   // burn: how far the prediction looked
  sim::Duration hot_until = sim::Duration::days(-365000);  // burn: end of the last interval at or above its lowest threshold
  Index incident = kNoIndex;                 // the incident its firing joined
  bool paged = false;                        // its firing paged `incident`
};

/// Work phases of a responder, carried as the responder_work payload.
enum class Phase : std::uint8_t { respond, diagnose, step, decide, confirm, watch };

struct Responder {
  Index team = 0;
  Index incident = kNoIndex;
  bool acking = false;  // drawing an ack for `incident`; else working on it when set
  Phase phase = Phase::watch;
  Index step = 0;         // next runbook step (offset in the runbook)
  int pass = 0;           // passes over the runbook's steps
  bool diagnosed = false;  // the runbook's diagnosis is done for `incident`
};

/// Per-trial state of an incident beyond its row.
struct Incident {
  IncidentRow row;
  int impaired = 0;        // its services impaired now
  int firing = 0;          // alert rules firing on it
  bool page_active = false;  // paged, neither acked nor cancelled
  bool closed = false;       // resolved; nothing joins it any more
  Index page_team = kNoIndex;
  sim::Duration page_time;
  std::uint16_t page_gen = 0;
  std::vector<Index> notified;  // responders paged for the active page
  Index responder = kNoIndex;   // who works on it
  Index slo = kNoIndex;         // its service's first SLO (budget)
  double slo_bad = 0.0;         // bad requests of that SLO in its window while open
  Index drained = kNoIndex;     // a zone its runbook drained
  Index zone = kNoIndex;        // the zone of its cause, if one
};

/// Sub-stepping while some component drops load under changing demand
/// (docs/model.md).
inline constexpr sim::Duration kOverloadStep = sim::Duration::minutes(15);
/// Cache warm-up is a staircase of this many steps.
inline constexpr int kWarmUpSteps = 8;

enum class SlotState : std::uint8_t { off, running, restarting, waiting };
enum class StoreState : std::uint8_t { serving, failing_over, connection_errors, down };

struct Slot {
  SlotState state = SlotState::off;
  Index service = 0;        // service row
  Index placement = kNoIndex;  // where it runs (running), or where it last ran
  Index ghost = kNoIndex;   // placement the LB still routes to after it died
};

struct World::Impl {
  explicit Impl(const CompiledModel& m);

  // ------------------------------------------------------------ trial
  TrialResult run(std::uint64_t trial_seed);
  void reset(std::uint64_t trial_seed);
  void handle(const sim::Event& e, sim::Simulation& s);
  Cause cause_of(const sim::Event& e) const;

  // ------------------------------------------------------------ evaluation (world.cpp)
  /// After a state change: brings the ratios up to date (refresh), then
  /// impact, autoscaling intent, the next check and detection for what moved.
  void changed();
  /// Brings cur_ up to date with the touched components: incrementally in
  /// t_ref_ coordinates when it can, else a full evaluation at now. Leaves
  /// the components that moved in changed_ (all_changed_: every one).
  void refresh();
  /// A full evaluation at now: t_ref_ = now, cur_ and nominal_, crossings,
  /// the mode (eager_), every component changed.
  void evaluate_all();
  void evaluate_at(sim::Duration t, FluidResult& out);
  void schedule_check();
  /// The component's state changed (its FluidState fields, its placements,
  /// an edge leaving it).
  void touch(Index c) {
    if (!touched_flag_[c]) {
      touched_flag_[c] = 1;
      touched_.push_back(c);
    }
  }
  void touch_placement(Index p) { touch(m_.placements[p].component); }
  void touch_all() { touch_all_ = true; }
  /// Component c's load at now: cur_ holds loads at t_ref_ and their slopes.
  double load_now(Index c) const {
    return cur_.load[c] + cur_.load_slope[c] * (now() - t_ref_).to_seconds();
  }
  /// Recomputes component c's next crossing (fluid breakpoints from t_ref_,
  /// autoscaling thresholds from now) into the crossing tree; returns the
  /// fluid crossing.
  sim::Duration update_crossing(Index c);
  bool nonlinear(const FluidResult& r, Index c) const;
  void verify_incremental();
  World::Checks checks_;

  // ------------------------------------------------------------ accounting (world_accounts.cpp)
  /// Eager mode: integrates requests from the last accounted instant to now
  /// with the state as it was, by Simpson's rule over three full
  /// evaluations (call before every state change). False when there was
  /// nothing to integrate; true when it did (and left the ratios at now in end_).
  bool account();
  /// Requests of service row s over [t0, t1): totals, and the failed ones of
  /// its open incidents.
  void accrue_service(Index s, double total, double good);
  /// Requests of SLO k over [t0, t1) (their rates changing by the slopes,
  /// per second): burn history, incidents. The caller feeds the ledger.
  void accrue_slo(Index k, sim::Duration t0, sim::Duration t1, double total, double good,
                  double total_slope, double bad_slope);
  /// Lazy mode: closes the segment of a service row / SLO at now with the
  /// rates it was opened with, and opens the next with the rates of cur_.
  void settle_service(Index s);
  void settle_slo(Index k);
  /// Every segment, at now (entering eager mode, the end of a trial).
  void close_all_segments();
  void open_all_segments();
  /// The units on component c (after it changed): settle them.
  void settle_component(Index c);
  /// Before incident i starts or stops accruing: settle its lead service and SLO.
  void settle_incident(Index i);

  // ------------------------------------------------------------ processes (world_processes.cpp)
  void start_processes();
  void schedule_crash_clocks(Index slot);
  void kill_slot(Index slot, bool graceful);
  void replica_ready(Index slot);
  void place_and_run(Index slot, Index preferred_placement);
  Index choose_placement(Index service_row) const;
  void place_waiting(Index service_row);
  void zone_down(Index zone);
  void zone_up(Index zone);
  void datastore_fail(Index ds, bool forced, std::optional<sim::Duration> repair);
  void schedule_datastore_clocks(Index ds);
  void schedule_cache_clocks(Index cache);
  void datastore_step(Index ds);
  void cache_fail(Index cache);
  void cache_step(Index cache);
  void deploy_arrival(Index deploy_row);
  void schedule_deploy(Index deploy_row);
  void autoscale_act(Index service_row);
  int desired_replicas(Index service_row) const;
  void set_replicas(Index service_row, int count);
  void fault_start(Index fault);
  void fault_end(Index fault);
  void pod_kill(Index fault);
  void node_drain(Index fault, bool start);
  void apply_fault_effects();
  void set_error_state(Index component);

  // ------------------------------------------------------------ detection (world_detection.cpp)
  void setup_detection();
  void reset_detection();
  /// After a state change: threshold conditions and burn-rate predictions.
  void detection_changed();
  void detection_changed(Index rule);
  void evaluate_rule(Index rule);
  bool rule_condition(Index rule);
  void schedule_rule(Index rule, sim::Duration t);
  void predict_rule(Index rule);
  sim::Duration tick_at_or_after(Index alert, sim::Duration t) const;
  void rule_fired(Index rule);
  void rule_resolved(Index rule);
  bool condition_holds(const ConditionRow& cond, Index component) const;

  // ------------------------------------------------------------ people (world_people.cpp)
  void setup_people();
  void reset_people();
  /// After a state change: opens, joins, mitigates and re-assesses incidents.
  void track_impact();
  void track_service(Index s);
  Index open_incident(Index service_row);
  Index incident_for(Index component);
  void page(Index incident, Index team);
  void cancel_page(Index incident);
  void notify(Index incident, Index responder);
  void start_ack(Index responder, Index incident);
  void responder_acked(Index responder);
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
  void finish_people(TrialResult& r);

  // ------------------------------------------------------------ helpers
  sim::Duration now() const { return sim_.now().since_start(); }
  sim::Rng& rng(std::size_t index) { return rngs_[index]; }
  sim::Duration draw(const sim::Distribution& d, sim::Rng& r) {
    return sim::Duration::from_seconds(d.sample(r));
  }
  void at(sim::Duration t, EventKind k, Index target, std::uint64_t payload = 0) {
    sim_.schedule_at(sim::Time::at(t), static_cast<std::uint16_t>(k), target, payload);
  }
  void in(sim::Duration d, EventKind k, Index target, std::uint64_t payload = 0) {
    sim_.schedule_in(d, static_cast<std::uint16_t>(k), target, payload);
  }
  bool zone_usable(Index z) const { return zone_down_[z] == 0 && drained_[z] == 0; }

  const CompiledModel& m_;
  sim::Simulation sim_;
  sim::Duration horizon_;

  // Targets: [slots | ghosts | zones | datastore clocks | datastore states |
  //           cache clocks | cache states | deploys | rollbacks | autoscalers |
  //           faults | check | window | alert rules | people | responders].
  Index t_ghost_ = 0, t_zone_ = 0, t_ds_clock_ = 0, t_ds_state_ = 0, t_cache_clock_ = 0,
        t_cache_state_ = 0, t_deploy_ = 0, t_rollback_ = 0, t_autoscale_ = 0, t_fault_ = 0,
        t_check_ = 0, t_window_ = 0, t_count_ = 0;
  // Random streams: [failure_streams | restart_streams | deploys | datastore failover |
  //                  cache failover | faults | team acks | team responds |
  //                  runbook diagnoses | runbook steps].
  std::size_t r_restart_ = 0, r_deploy_ = 0, r_ds_ = 0, r_cache_ = 0, r_fault_ = 0;
  std::vector<sim::Rng> rngs_;

  // Static lookups.
  std::vector<Index> service_zone_placement_;  // service row × zone → placement
  std::vector<std::vector<Index>> crash_rows_;  // per service row: its replica-crash failure rows
  std::vector<DemandCurve> demand_;            // per service row
  /// Every demand curve is flat: the ratios between two events do not move,
  /// so account() reuses cur_ for the midpoint and the end of a stretch and
  /// the nominal ratios are evaluated once (docs/model.md, "What an event costs").
  bool steady_demand_ = false;
  FluidState initial_fs_;  // make_fluid_state(m_), copied into fs_ by reset()

  // State.
  FluidState fs_;
  std::vector<Slot> slots_;
  std::vector<int> replicas_;             // per service row: the replica count it is scaled to
  std::vector<std::uint8_t> autoscale_pending_;
  std::vector<int> zone_down_;            // outage sources per zone
  std::vector<int> drained_;              // drains per zone
  std::vector<StoreState> ds_state_;      // per datastore row
  std::vector<Index> ds_primary_;         // per datastore row: the primary's zone
  std::vector<StoreState> cache_state_;   // per cache row
  std::vector<Index> cache_zone_;         // per cache row: the node's zone
  std::vector<int> cache_warm_step_;      // warm-up steps done (kWarmUpSteps = warm)
  std::vector<double> deploy_error_, deploy_latency_;  // per component: the bad version running
  std::vector<double> fault_error_, fault_latency_;    // per component: injected bad deploys
  std::vector<double> connection_error_;  // per component: datastores in partial connection errors
  std::vector<std::uint8_t> fault_active_;

  // Evaluation (world.cpp): cur_ holds the ratios of the current state with
  // loads at t_ref_ (and their slopes); between a full evaluation and the
  // next knot or crossing every load is linear in time and every ratio
  // constant, so events update cur_ incrementally in those coordinates
  // (docs/model.md, "What an event costs").
  FluidUpdater updater_;
  sim::Duration t_ref_;
  std::vector<Index> touched_;
  std::vector<std::uint8_t> touched_flag_;
  bool touch_all_ = true;
  bool all_changed_ = true;        // the last refresh changed every component
  const std::vector<Index>* changed_ = nullptr;  // else: these (ascending)
  /// Eager mode: some ratio moves between events (a component dropping load
  /// or past the latency knee while demand changes, or an observer is set):
  /// every event integrates every unit by Simpson's rule over full
  /// evaluations, as the engine always did. Lazy mode otherwise.
  bool eager_ = true;
  int nonlinear_count_ = 0;              // components in a moving regime
  std::vector<std::uint8_t> nonlinear_flag_;
  bool changing_ = false;                // some demand slope is not zero
  sim::Duration knot_min_;               // the next demand knot
  sim::Duration nominal_cross_;          // the nominal state's next crossing
  bool nominal_nonlinear_ = false;
  // Crossing times per component (µs; max: none) in a min-tree.
  std::size_t tree_leaves_ = 1;
  std::vector<std::int64_t> cross_tree_;
  void set_crossing(Index c, std::int64_t t);

  // Lazy accounting (world_accounts.cpp): per unit (service row, SLO) the
  // rates since its segment began: load(t) = load + slope · (t − t0), a
  // constant fraction `good` of it good.
  struct Segment {
    sim::Duration t0;
    double load = 0.0, slope = 0.0, good = 0.0;
  };
  std::vector<Segment> svc_seg_, slo_seg_;
  std::vector<Index> comp_slo_begin_, comp_slos_;    // CSR: component → SLOs on it
  std::vector<Index> comp_rule_begin_, comp_rules_;  // CSR: component → rules reading it
  std::vector<Index> all_components_;                // 0 .. components − 1

  // Accounting.
  sim::Duration accounted_;    // eager mode: requests are integrated up to here
  sim::Duration next_check_;   // the scheduled check (max: none)
  std::vector<sim::Duration> next_knot_;  // per service row
  std::vector<double> demand_now_, slope_now_;  // at t_ref_
  std::vector<double> demand_mid_, demand_end_;  // eager: at the Simpson nodes
  FluidResult cur_, mid_, end_;  // ratios now (after the last change), mid-interval, at its end
  SloLedger ledger_;
  std::vector<ServiceTrialResult> services_;
  std::vector<Index> scratch_;  // pod-kill and drain candidates

  // Detection.
  Index t_rule_ = 0, t_people_ = 0, t_responder_ = 0;
  std::size_t r_ack_ = 0, r_respond_ = 0, r_diagnose_ = 0, r_step_ = 0;
  std::vector<RuleRow> rule_rows_;
  std::vector<Rule> rules_;
  std::vector<Index> burn_slo_rules_begin_;  // CSR per SLO over burn_slo_rules_
  std::vector<Index> burn_slo_rules_;
  std::vector<std::int64_t> burn_max_window_;  // per SLO: longest window of its burn alerts (0: none)
  std::vector<double> rule_min_threshold_;         // per burn rule: lowest factor × budget of its windows
  std::vector<sim::Duration> rule_max_window_;     // per burn rule: its longest window
  std::vector<BurnHistory> burn_;              // per SLO
  std::vector<double> slo_fraction_;           // per SLO: its bad fraction now (cache)
  std::vector<sim::Duration> slo_fraction_at_;  // when slo_fraction_ was computed

  // People and incidents.
  Cause cause_;
  FluidState nominal_state_;  // everything up, nothing injected: the baseline of impact
  FluidResult nominal_;       // its ratios at the current demand
  Index event_incident_ = kNoIndex;  // the incident opened by the event being handled
  std::vector<Index> responder_begin_;  // per team, size teams + 1
  std::vector<sim::Duration> first_handoff_;  // per team
  std::vector<Responder> responders_;
  std::vector<Incident> incidents_;
  std::vector<Index> open_;      // incidents not closed
  std::vector<Index> waiting_;   // incidents with an active page, in page order
  std::vector<std::uint8_t> impaired_;  // per service row
  std::vector<Index> svc_incident_;     // per service row: its latest incident
  std::vector<Index> first_slo_;        // per service row
  std::vector<sim::Duration> last_deploy_;  // per service row
  std::vector<TeamTrialResult> teams_;
  std::uint64_t deploys_ = 0;

  TrialObserver* observer_ = nullptr;  // set_observer; see models/trial_observer.hpp
};

}  // namespace relsim::models
