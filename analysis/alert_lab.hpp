// The alert design lab (`relsim alerts`, docs/alerting.md): runs a scenario
// once per alert rule set on common random numbers — the same trial indices
// and master seed, so the same failures, deploys and traffic for every set;
// only what detection changes (who is paged, when a runbook starts) differs —
// and judges each set as the SRE workbook does: detection time, reset time,
// precision and recall, plus the on-call load it causes.
//
// The rule set replaces every alert of the system. Figures are per SLO (the
// target): an *incident of the SLO* is one during which the SLO's bad
// requests exceed its t = 0 (nominal) ratio; it is *significant* when it
// spent at least `significant_share` of the SLO window's budget or the budget
// ran out while it lasted. Precision counts page firings (an alert episode
// on the page route, attributed to an incident as the engine attributes it);
// recall counts significant incidents paged before their impact ended.
// Reduced in trial order: bit-identical for any thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/alert_rules.hpp"
#include "analysis/estimators.hpp"
#include "models/loader.hpp"

namespace relsim::analysis {

struct AlertLabConfig {
  std::string slo;                  // target SLO; empty: the system's first
  double significant_share = 0.02;  // of the SLO window's budget
  std::uint64_t trials = 0;         // 0: the scenario's
  std::uint64_t seed = 0;           // used when has_seed
  bool has_seed = false;
  unsigned threads = 0;
  double confidence = 0.95;
  std::optional<std::uint64_t> only_trial;  // --trial-index: run this trial alone
};

/// An estimate and the number of observations behind it (trials, incidents
/// or alert firings, as the figure says).
struct LabFigure {
  Interval value;
  std::uint64_t n = 0;
};

struct LabGroup {
  std::string label;  // a cause (`bad deploy`) or a severity (`SEV-2`)
  LabFigure ttd_minutes;
  std::uint64_t incidents = 0;  // of the SLO in this group, detected or not
};

struct RuleSetResult {
  std::string name;
  std::string description;
  std::vector<std::string> notes;  // windows left out because they can never fire
  LabFigure ttd_minutes;           // mean over detected incidents of the SLO
  LabFigure detected;              // share of incidents of the SLO detected (page or ticket)
  std::vector<LabGroup> ttd_by_cause;
  std::vector<LabGroup> ttd_by_severity;
  LabFigure reset_minutes;    // page firings: clear − the incident's mitigation (>= 0)
  LabFigure precision;        // page firings on significant incidents / page firings
  LabFigure recall;           // significant incidents paged before they ended
  LabFigure pages_per_shift;  // pages / on-call shifts of the paged team (per trial)
  LabFigure tickets_per_shift;
  LabFigure night_pages_per_night;  // pages outside business hours / nights in the horizon
  LabFigure noise_pages_per_shift;
  LabFigure budget_before_detection;  // share of the budget spent before detection
  LabFigure budget_consumed;          // the SLO's whole window (per trial)
  std::uint64_t incidents = 0;        // of the SLO, over all trials
  std::uint64_t significant_incidents = 0;
  std::uint64_t page_firings = 0;
  /// Detection times (minutes) of the incidents of the SLO, ascending;
  /// undetected ones are left out (the CDF tops at `detected`).
  std::vector<double> ttd_sorted;
  /// Per trial (trial order): pages and significant page firings, for export.
  std::vector<double> trial_pages;
  std::vector<double> trial_precision_num;
  std::vector<double> trial_firings;
};

struct AlertLabResult {
  std::string system;
  std::string scenario;
  std::string slo;
  double objective = 0.0;
  sim::Duration slo_window;
  sim::Duration horizon;
  std::uint64_t trials = 0;       // the run's trial count (the scenario's or --trials)
  std::uint64_t first_trial = 0;  // the first trial run (--trial-index: that trial)
  std::uint64_t trials_run = 0;   // trials behind the figures (--trial-index: 1)
  std::uint64_t seed = 0;
  double confidence = 0.95;
  double significant_share = 0.02;
  double requests_per_second = 0.0;  // the SLO's mean request rate in the trials
  double baseline_error = 0.0;       // its bad ratio at t = 0
  std::vector<RuleSetResult> sets;
};

/// The index of `config.slo` among `system`'s SLOs (the first when empty).
/// Throws std::invalid_argument naming the SLOs.
std::size_t target_slo(const models::System& system, const std::string& slo);

/// The alert rules declared in `system` that watch `slo` (burn-rate alerts
/// on it, threshold alerts on its service), as rule sets: one per alert
/// (`system:<alert>`), then the whole set (`system`) when two or more
/// watch it. Burn-rate alerts without burnWindows get the workbook's, as
/// the engine gives them. The names of alerts that watch something else are
/// appended to `others` (they would count as pages of other incidents).
/// Empty when no alert watches the SLO.
std::vector<RuleSet> system_rule_sets(const models::System& system, const models::Slo& slo,
                                      std::vector<std::string>& others);

/// Runs `base` once per rule set (each replaces the system's alerts; windows
/// that can never fire are left out and noted). Throws models::InputError
/// when a rule set's references do not resolve, std::invalid_argument for a
/// bad configuration.
AlertLabResult run_alert_lab(const models::ResolvedScenario& base, const std::vector<RuleSet>& sets,
                             const AlertLabConfig& config);

/// Ratio estimate Σnum / Σden over trials with its delta-method Student-t
/// interval (trials are the independent units), clipped to [0, 1].
LabFigure ratio_figure(const std::vector<double>& num, const std::vector<double>& den,
                       double confidence);

}  // namespace relsim::analysis
