// Per-trial SLO accounting: good and total requests over each SLO's window,
// and the record of when errors were spent, from which the budget-policy
// tier crossings and the remaining-budget series are derived once the
// window's total (hence its budget) is known. See docs/model.md ("SLOs and
// error budgets").
//
// The trial engine feeds it intervals with their request counts; intervals never
// straddle a window start (the engine puts an event there). Reused across
// trials without reallocating. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::models {

/// The start (offset from t = 0) of SLO `slo`'s window in a trial of
/// `horizon`: horizon − window for a rolling window (0 when the trial is
/// shorter), the first instant of the calendar month holding the trial's
/// end for a calendar-month window (0 when the month began earlier).
sim::Duration slo_window_start(const CompiledModel& model, const SloRow& slo,
                               sim::Duration horizon);

/// Spacing of the remaining-budget series: max(1 h, window length / 720).
sim::Duration budget_series_step(sim::Duration window_length);

class SloLedger {
 public:
  /// Starts a trial of `horizon` on `model`.
  void reset(const CompiledModel& model, sim::Duration horizon);
  /// The window start of SLO `k` in this trial.
  sim::Duration window_start(Index k) const { return slos_[k].start; }
  /// The spacing of SLO `k`'s remaining-budget series (from its window start).
  sim::Duration series_step(Index k) const { return budget_series_step(horizon_ - slos_[k].start); }
  /// Adds the `total` and `good` requests of [a, b).
  void add(Index k, sim::Duration a, sim::Duration b, double total, double good);
  /// Fills `out` (resized to the SLOs) at the end of the trial.
  void finish(const CompiledModel& model, std::vector<SloTrialResult>& out) const;

 private:
  struct Point {
    sim::Duration t;
    double bad = 0.0;  // cumulative bad requests at t
  };
  struct Slo {
    sim::Duration start;
    double good = 0.0;
    double total = 0.0;
    std::vector<Point> record;  // (start, bad before), (end, bad after) of each bad interval
  };
  /// Cumulative bad requests at `t` (linear inside a recorded interval).
  static double bad_at(const Slo& s, sim::Duration t);
  /// First instant the cumulative bad requests reach `target`; nullopt if never.
  static std::optional<sim::Duration> reaches(const Slo& s, double target);

  std::vector<Slo> slos_;
  sim::Duration horizon_;
};

}  // namespace relsim::models
