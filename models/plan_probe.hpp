// What the game-day planner measures in one trial (docs/gamedays.md,
// "Metrics"): the experiment's targets resolved on the compiled model, and a
// TrialObserver that turns the engine's intervals and state changes into the
// game-day metrics of models/game_day.hpp over the observation window
// [start, start + observe), plus a 10-second error-rate timeline on which
// stop conditions are evaluated.
//
// The probe borrows the model and the targets; `begin` resets it for a trial
// without allocating after the first. One probe per World (per thread).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/game_day.hpp"
#include "models/trial_observer.hpp"
#include "models/trial_result.hpp"
#include "sim/time.hpp"

namespace relsim::models {

/// Width of the error-rate timeline's buckets (the peak error rate and the
/// stop conditions are evaluated on it).
inline constexpr sim::Duration kPlanBucket = sim::Duration::seconds(10);

/// The steady state is checked over this window before the start.
inline constexpr sim::Duration kSteadyWindow = sim::Duration::minutes(10);

/// Number of GameDayMetric values.
inline constexpr std::size_t kGameDayMetricCount = 13;

/// The parts of the system a game day's experiment (model.faults[0]) touches.
struct GameDayTargets {
  std::vector<Index> hit;                // components the fault hits directly
  std::vector<Index> affected;           // `hit` and everything depending on them (blast radius)
  std::vector<std::uint8_t> hard_path;   // per `affected`: some all-hard path from a hit component
  std::vector<Index> capacity_services;  // service rows whose replicas/capacity the fault removes
  std::vector<Index> stores;             // components (datastores, caches) it may fail over
  std::vector<Index> budget_slos;        // SLO indices whose budget counts
  std::vector<double>
      month_budget;  // per budget SLO: (1 − objective) × nominal requests in its window
  std::vector<Index> watched;  // service rows: error rate, requests failed, latency
};

/// Resolves the targets of `game_day` on `model` (compiled from it). Budget
/// SLOs: `budget.slos`, else the SLOs of the affected services. Watched
/// services: the services of the budget SLOs, else the affected services no
/// other service calls. The month's budget of an SLO is (1 − objective) ×
/// its service's nominal load (nothing failed) averaged over one local week
/// × the SLO window, so it does not depend on the start time. Throws
/// InputError for an unknown SLO name.
GameDayTargets game_day_targets(const CompiledModel& model, const GameDay& game_day);

/// The measured outcome of one trial. Durations in seconds from the start
/// of the experiment; +infinity: not within the window.
struct GameDayTrial {
  std::array<double, kGameDayMetricCount> metric{};  // by GameDayMetric
  std::vector<double> latency;          // per requested percentile (GameDayProbe::percentiles)
  std::vector<double> slo_budget;       // per budget SLO: fraction of the month's budget
  std::vector<double> service_error;    // per service row: failed / arrived in the window
  std::vector<double> component_error;  // per affected component (targets.affected order)
  /// The metrics of the steady-state window [start − kSteadyWindow, start):
  /// errorRate/peakErrorRate (10 s buckets), meanErrorRate, usersAffected,
  /// requestsFailed; the others NaN. Latency per requested percentile.
  std::array<double, kGameDayMetricCount> before{};
  std::vector<double> latency_before;
  std::vector<double>
      alert_page;  // per model alert: first page-route firing in the window (s from start)
  /// Per model alert: from the first page that alert sent in the window
  /// (IncidentRow::paged_alert) to its acknowledgement, seconds; +infinity
  /// when it sent none or nobody acknowledged it.
  std::vector<double> alert_ack;
  double abort_at = std::numeric_limits<double>::infinity();  // stop condition fired (s from start)
  int abort_condition = -1;  // the stop condition that fired first (index), -1: none
};

/// The value a check reads from a trial.
double metric_value(const GameDayTrial& trial, const MetricCheck& check,
                    const std::vector<double>& percentiles);
/// The value a hypothesis reads: as metric_value, but for a named alert
/// (model.alerts index `alert`, kNoIndex: any) firstPage is that alert's
/// first page-route firing in the window and ackTime the acknowledgement of
/// the first page that alert sent.
double hypothesis_value(const GameDayTrial& trial, const Hypothesis& h, Index alert,
                        const std::vector<double>& percentiles);
/// The steady-state value a check reads from a trial (NaN: not measured before the start).
double steady_value(const GameDayTrial& trial, const MetricCheck& check,
                    const std::vector<double>& percentiles);
/// True when `value` satisfies the check's bounds (NaN never does).
bool check_holds(const MetricCheck& check, double value);

class GameDayProbe final : public TrialObserver {
 public:
  /// `percentiles`: the latency percentiles to measure (empty: no latency work).
  GameDayProbe(const CompiledModel& model, const GameDayTargets& targets,
               std::vector<double> percentiles);

  /// Starts a trial whose experiment starts at `start`, lasts `duration`
  /// (nullopt: an instant, as a pod kill until recovered) and is watched
  /// until start + observe (the model's horizon should not end earlier).
  /// Recovery metrics count only impairments that begin before the fault
  /// ends, so a random crash later in the window does not count.
  void begin(sim::Duration start, sim::Duration observe,
             std::optional<sim::Duration> duration = std::nullopt);
  /// The metrics of the trial just run.
  GameDayTrial finish(const TrialResult& result) const;
  /// The first instant (seconds from the start) at which a stop condition
  /// fires on this trial's timeline, and which; nullopt when none does.
  std::optional<std::pair<double, int>> first_abort(
      const std::vector<StopCondition>& conditions) const;

  void on_interval(sim::Duration t0, sim::Duration t1, const FluidState& state,
                   const FluidResult& at_t0, const FluidResult& at_mid,
                   const FluidResult& at_t1) override;
  void on_change(sim::Duration t, const FluidState& state, const FluidResult& ratios) override;
  void on_alert(sim::Duration t, Index alert, bool page) override;

  const std::vector<double>& percentiles() const { return percentiles_; }

 private:
  /// Tracks "impaired" periods of a signal after the start: the end of the
  /// last one is the recovery time.
  struct Recovery {
    bool impaired = false;
    bool ever = false;
    double last_end = 0.0;  // seconds from the start
    void update(bool now_impaired, double t, bool may_begin);
    double value() const;
  };
  double capacity(const FluidState& state) const;
  /// Adds the part of [t0, t1) inside the steady-state window.
  template <class Simpson>
  void steady_interval(sim::Duration t0, sim::Duration t1, const FluidState& state,
                       const Simpson& simpson);

  const CompiledModel& m_;
  const GameDayTargets& targets_;
  std::vector<double> percentiles_;
  std::vector<double> grid_;  // latency thresholds, seconds

  sim::Duration start_, end_, fault_end_;
  std::vector<double> bucket_bad_, bucket_total_;
  std::vector<std::vector<double>> bucket_slo_bad_;  // per budget SLO
  double bad_ = 0.0, total_ = 0.0, slow_ = 0.0;
  // The steady-state window before the start.
  double pre_bad_ = 0.0, pre_total_ = 0.0, pre_slow_ = 0.0;
  std::vector<double> pre_bucket_bad_, pre_bucket_total_, pre_within_;
  std::vector<double> within_;                 // per grid threshold: requests within it
  std::vector<double> slo_bad_;                // per budget SLO, in the window
  std::vector<double> svc_bad_, svc_total_;    // per service row, in the window
  std::vector<double> comp_bad_, comp_total_;  // per component, in the window
  std::vector<double> alert_page_;             // per alert: first page-route firing, s from start
  std::vector<double> scratch_slo_bad_;        // per budget SLO: this interval's bad requests
  std::vector<double> slow_threshold_;  // per watched service: latency SLO threshold (0: none)
  double baseline_capacity_ = 0.0, last_capacity_ = 0.0;
  bool started_ = false;
  Recovery capacity_, shift_, failover_;
};

}  // namespace relsim::models
