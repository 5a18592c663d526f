// Alert rule sets for the alert design lab (`relsim alerts`, docs/alerting.md):
// the six approaches of the SRE workbook's "Alerting on SLOs" chapter as
// presets, burn-rate factors derived from a budget share for any SLO window,
// and the closed forms of when a rule fires and stops firing under a
// constant error ratio.
//
// A rule set is a list of `models::Alert`s, all burn-rate alerts on one SLO:
// a window pair (factor f, long L, short S) holds when the error ratio over
// L and over S are both >= f·(1 − objective); a single-window rule has
// S = L; pairs of one route are OR-ed; `for` delays firing. Value types;
// pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/system.hpp"
#include "sim/time.hpp"

namespace relsim::analysis {

struct RuleSet {
  std::string name;
  std::string description;
  std::vector<models::Alert> alerts;
};

/// The burn-rate factor that spends `share` of an SLO window `period`'s
/// budget in `window`: share × period / window (2 %, 1 h, 30 d → 14.4).
double factor_for_share(double share, sim::Duration window, sim::Duration period);

/// The budget share a burn of `factor` over `window` spends: factor ×
/// window / period (14.4, 1 h, 7 d → 8.57 %).
double share_of_factor(double factor, sim::Duration window, sim::Duration period);

/// Names of the presets, in the chapter's order: errorRatio10m,
/// errorRatioLong, errorRatioFor1h, burnRate1h, multiBurnRate, multiwindow.
const std::vector<std::string>& preset_names();

/// The six approaches for SLO `slo` with an SLO window `period`, their
/// factors and long windows derived from the chapter's budget shares so that
/// each means for `period` what it means for 30 days (identical to the
/// chapter for 30 d). `evaluation_interval`: every rule's.
std::vector<RuleSet> workbook_presets(const std::string& slo, sim::Duration period,
                                      sim::Duration evaluation_interval);

/// The rules of one route of a rule set, flattened: every window pair with
/// its alert's `for` and evaluation interval; and threshold alerts on the
/// error ratio (`errorRate`, `usersAffected`) of `service` when it is given,
/// as a pair with `threshold` set (instantaneous: no window).
struct RulePair {
  std::optional<double> threshold;  // threshold alerts: fires while the ratio is above it
  double factor = 1.0;
  sim::Duration long_window;
  sim::Duration short_window;
  sim::Duration for_duration;
  sim::Duration evaluation_interval;
  std::string alert;
};
std::vector<RulePair> pairs_of(const RuleSet& set, models::AlertRoute route,
                               const std::string& service = "");

/// Closed form of a route of a rule set under a constant error ratio `error`
/// that starts at a tick after a history of ratio `baseline` at least as long
/// as the longest window, on an SLO with `objective` over `period`. A
/// threshold pair sees the errors at the tick they start (the engine's
/// faults are seen by the tick at their instant) and clears at the tick
/// they stop (reset 0).
struct FireTiming {
  bool fires = false;
  std::string reason;            // why it never fires (empty when it fires)
  double condition_seconds = 0;  // from the start of the errors to the condition holding
  double fire_seconds = 0;       // to the firing tick: ceil to the grid, plus `for` in ticks
  double budget_at_fire = 0;     // share of the period's budget the errors spent by then
  /// After errors that lasted long enough to fire stop: to the instant the
  /// condition fails (the rule clears at the first tick after it).
  double reset_seconds = 0;
};
FireTiming fire_timing(const std::vector<RulePair>& pairs, double error, double baseline,
                       double objective, sim::Duration period);

/// Why a window pair can never fire on an SLO (its threshold f·(1 − o) is
/// above 100 %), or nullopt.
std::optional<std::string> never_fires(const RulePair& pair, double objective);

/// `1h`, `5m`, `36h`, `3d`: a duration in its largest whole unit.
std::string window_text(sim::Duration d);

}  // namespace relsim::analysis
