// The summary of a scenario run: per SLO, per service, per team, per
// incident severity and in total, every figure `relsim run` prints, each with
// its confidence interval (the choice of interval per figure, its minimum n
// and why are documented in docs/results.md). No interval leaves its
// quantity's range:
//   attainment, availability (per-trial means in [0, 1])  t on the logit scale;
//   budget consumed and minutes, first time a tier was reached, pages per
//   shift (per-trial means >= 0)          t on the log scale;
//   pages, tickets, incidents per trial (counts)
//                                        Garwood, widened by overdispersion;
//   P(SLO met), P(not met), P(tier reached) (per trial)  Wilson;
//   figures pooled over incidents — mean MTTR/TTD/TTA/TTM, P(humans needed),
//   P(escalated), escalations per incident, P(acked after an escalation),
//   P(another team acked)                by trial: the ratio of per-trial sums
//                                        with its delta-method variance (log
//                                        scale for means; Wilson with the
//                                        effective n for proportions);
//   the median/p90/p95 of MTTR and its parts
//                                        by trial: Woodruff's interval with the
//                                        trials' variance (QuantileSketch);
//   the p95 of budget consumed           order statistics (one value per trial).
// Pooled figures below kMinPooledObservations or kMinPooledTrials have NaN
// ends (`n/a (n = 3)` in text).
// `summarize` reads the trial results in the order given (trial order), so
// the summary is bit-identical for any thread count, and shards concatenated
// with sim::merge_shards summarise exactly like one run. It is the
// streaming `SummaryAccumulator` (summary_accumulator.hpp) fed with every
// result, so a run summarised block by block gives the same bits. Pure
// functions over values; thread-safe. Cost: O(trials × (SLOs × series length
// + services)) time, plus one sort per SLO.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"
#include "sim/time.hpp"

namespace relsim::analysis {

// ---------------------------------------------------------------- quantiles

/// A distribution-free confidence interval [x_(l), x_(u)] for the p-quantile
/// ξ_p of a continuous distribution, from the order statistics
/// x_(1) <= ... <= x_(n) of n independent draws. With B ~ Binomial(n, p) the
/// number of draws below ξ_p, P(x_(l) <= ξ_p < x_(u)) = F(u − 1) − F(l − 1);
/// l is the α/2 quantile of B and u − 1 its 1 − α/2 quantile (α = 1 −
/// confidence), so the coverage is at least `confidence` (equal-tailed).
/// Ranks are 1-based; rank 0 stands for x_(0) = −∞ and rank n + 1 for
/// x_(n+1) = +∞ — too few draws to bound that side (e.g. the upper end of a
/// p95 from fewer than 72 draws at 95 %).
struct QuantileInterval {
  double estimate = 0.0;  // x_(⌈n·p⌉), the empirical p-quantile; NaN when n = 0
  double low = 0.0;       // x_(l); −∞ when lower_rank = 0
  double high = 0.0;      // x_(u); +∞ when upper_rank = n + 1
  std::uint64_t lower_rank = 0;
  std::uint64_t upper_rank = 0;
  double coverage = 0.0;  // F(u − 1) − F(l − 1), exact for continuous distributions
};

/// P(B <= k) for B ~ Binomial(n, p), p in [0, 1]; 1 when k >= n.
double binomial_cdf(std::uint64_t k, std::uint64_t n, double p);

/// The smallest k in [0, n] with P(B <= k) >= q for B ~ Binomial(n, p), q in (0, 1).
std::uint64_t binomial_quantile(double q, std::uint64_t n, double p);

/// The empirical p-quantile x_(⌈n·p⌉) (p in (0, 1)) of `values`, which it
/// reorders (std::nth_element); NaN when empty.
double empirical_quantile(std::vector<double>& values, double p);

/// The order-statistic interval for the p-quantile (p in (0, 1)) of the values
/// in `sorted` (ascending) at `confidence` in (0, 1); see QuantileInterval.
/// Throws std::invalid_argument for p or confidence outside (0, 1).
QuantileInterval quantile_interval(std::span<const double> sorted, double p, double confidence);

/// Ranks [l, u] of the order-statistic interval for the p-quantile of n
/// independent values at `confidence` (as quantile_interval: 0 and n + 1 for
/// unbounded ends) and its coverage; exact binomial up to 100,000 values,
/// the normal approximation with continuity correction beyond (no n-sized
/// table).
struct RankInterval {
  std::uint64_t lower = 0, upper = 0;
  double coverage = 0.0;
};
RankInterval order_statistic_ranks(std::uint64_t n, double p, double confidence);

// ---------------------------------------------------------------- the summary

/// Where an SLO's window lies in a trial: from models::slo_window_start
/// (the last `window` of the trial, or the calendar month holding its end) to
/// the horizon.
struct SloWindow {
  sim::Duration start;   // offset from the start of the trial
  sim::Duration length;  // horizon − start
};

/// The window of SLO `slo` of `model` over the model's horizon.
SloWindow slo_window(const models::CompiledModel& model, models::Index slo);

/// One budget-policy tier of one SLO.
struct TierSummary {
  models::BudgetAction action = models::BudgetAction::ship;
  std::optional<double> remaining_above;  // the tier's threshold (nullopt: exhausted)
  std::uint64_t reached = 0;              // trials in which the tier was reached
  Interval probability;                   // P(reached), Wilson
  /// Seconds from the start of the trial to when the tier was first reached,
  /// mean over the trials that reached it (t interval; NaN when none did).
  Interval first_reached_seconds;
};

/// The remaining budget fraction over the window, per sample across trials:
/// mean and the empirical 5 % and 95 % quantiles (x_(⌈0.05·n⌉), x_(⌈0.95·n⌉)).
/// Sample j is at start + j · step (the last one at the window's end); the
/// step is models::budget_series_step of the window, max(1 h, window / 720).
struct BudgetSeriesSummary {
  sim::Duration start;
  sim::Duration step;
  std::vector<double> mean;
  std::vector<double> p05;
  std::vector<double> p95;
};

struct SloSummary {
  SloWindow window;
  Interval attainment;       // mean of per-trial good/total, logit-scale t
  std::uint64_t met = 0;     // trials in which the SLO was met
  Interval p_met;            // Wilson
  Interval p_not_met;        // 1 − P(met), Wilson (its ends are 1 − p_met's)
  Interval budget_consumed;  // mean, log-scale t; 1 = the whole budget
  QuantileInterval budget_consumed_p95;
  Interval budget_minutes;              // mean, log-scale t
  double budget_minutes_allowed = 0.0;  // (1 − objective) × window, in minutes
  std::vector<TierSummary> tiers;       // model.budget_policy order
  BudgetSeriesSummary remaining_budget;
};

struct ServiceSummary {
  Interval availability;  // mean of per-trial successful/total requests, logit-scale t
};

/// One incident duration (MTTR or a part) over the incidents of a group:
/// the mean (Σ per-trial sums / Σ counts) with its by-trial delta-method
/// interval on the log scale, and the median, p90 and p95 with Woodruff
/// intervals by trial (see QuantileSketch). Incidents missing either end of
/// the duration (never detected, never acked...) are not counted.
struct DurationSummary {
  std::uint64_t n = 0;
  Interval mean;  // seconds
  QuantileInterval median, p90, p95;
};

/// Incident figures of one severity group.
enum class IncidentMetric : std::uint8_t { mttr, ttd, tta, ttm };
inline constexpr std::size_t kIncidentMetrics = 4;
/// `mttr`, `ttd`, `tta`, `ttm`.
const char* to_string(IncidentMetric m);

/// Incidents of all severities (group 0) and of SEV-1..SEV-4 (groups 1..4).
inline constexpr std::size_t kSeverityGroups = 5;
/// `all`, `sev1` ... `sev4`.
std::string severity_group_name(std::size_t group);

struct IncidentGroupSummary {
  std::uint64_t incidents = 0;
  Interval per_trial;       // incidents of the group per trial (mean, quasi-Poisson Garwood)
  Interval p_human_needed;  // of the group's incidents, by trial (Wilson, effective n)
  std::uint64_t paged = 0;  // incidents that paged someone
  std::uint64_t acked = 0;  // of those, acknowledged
  /// Escalation (by trial, as p_human_needed): of paged incidents, the share
  /// with at least one escalation step and the steps per incident; of acked
  /// incidents, the share acknowledged after an escalation (by the
  /// secondary, a manager or another team) and the share acknowledged by a
  /// team other than the service's owner.
  Interval p_escalated;
  Interval escalations_per_incident;
  Interval p_acked_after_escalation;
  Interval p_other_team_acked;
  std::array<DurationSummary, kIncidentMetrics> durations;  // IncidentMetric order
};

struct TeamSummary {
  Interval pages_per_trial;  // mean, quasi-Poisson Garwood
  Interval pages_per_shift;  // mean over trials of pages / shifts, log-scale t; NaN without shifts
  Interval night_pages_per_trial;  // mean, quasi-Poisson Garwood
  Interval noise_pages_per_trial;  // mean, quasi-Poisson Garwood
  Interval tickets_per_trial;      // mean, quasi-Poisson Garwood
};

struct RunSummary {
  double confidence = 0.95;
  std::uint64_t trials = 0;                                     // trials summarised
  std::uint64_t events = 0;                                     // kernel events over those trials
  double events_per_trial = 0.0;                                // NaN when trials = 0
  std::vector<SloSummary> slos;                                 // model.slos order
  std::vector<ServiceSummary> services;                         // model.services order
  std::vector<TeamSummary> teams;                               // model.teams order
  std::array<IncidentGroupSummary, kSeverityGroups> incidents;  // all, sev1..sev4
  Interval pages_per_trial;  // over all teams, mean, quasi-Poisson Garwood
};

/// Summarises `results` (in trial order) of runs of `model` at `confidence`
/// in (0, 1). Throws std::invalid_argument when a result does not have the
/// model's shape (SLO, service or tier counts) or its remaining-budget series
/// are not as long as the first result's.
RunSummary summarize(const models::CompiledModel& model,
                     const std::vector<models::TrialResult>& results, double confidence);

}  // namespace relsim::analysis
