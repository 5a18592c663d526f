// The game-day planner (`relsim plan`): runs a GameDay's experiment from
// every candidate start with the same trial seeds (common random numbers),
// twice where a stop condition fires (as planned, and reverted at the
// firing plus the abort latency), and summarises per candidate: hypotheses
// (P(holds) with a Wilson interval; median, p90, p99 of the metric with
// order-statistic intervals), stop conditions (P(abort)), impact with and
// without the stop conditions, the error budget (mean, worst case at
// worstCasePercentile, P(a stricter budget-policy tier)), the blast radius,
// a ranking of the starts with paired differences, and a go/no-go verdict.
// See docs/gamedays.md.
//
// Trials are indexed by trial and reduced in trial order: the plan is
// identical for any thread count. Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/game_day.hpp"
#include "models/plan_probe.hpp"

namespace relsim::analysis {

struct PlanOptions {
  std::uint64_t trials = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: all cores
  double confidence = 0.95;
  std::optional<std::uint64_t> only_trial;  // --trial-index: run this trial alone
};

/// The per-trial outcomes of one candidate start.
struct CandidateRuns {
  sim::Duration start;
  std::vector<models::GameDayTrial> with_stop;     // the drill as run: reverted when a stop fires
  std::vector<models::GameDayTrial> without_stop;  // the same trials with no stop condition
};

struct GameDayRuns {
  models::GameDayTargets targets;
  std::vector<double> percentiles;  // latency percentiles measured
  std::vector<CandidateRuns> candidates;
  std::uint64_t trials = 0;
  std::uint64_t seed = 0;
};

/// Runs every candidate start of `model` (compiled from `game_day`). Throws
/// InputError for an unsupported stop condition or an unknown budget SLO.
GameDayRuns run_game_day(const models::CompiledModel& model, const models::GameDay& game_day,
                         const PlanOptions& options);

struct Distribution3 {
  QuantileInterval p50, p90, p99;
};

struct HypothesisSummary {
  std::uint64_t holds = 0;
  Interval p_holds;
  Distribution3 value;
};

struct StopSummary {
  std::uint64_t fires = 0;  // this condition fired first
  Interval p_fires;
  Interval seconds_to_fire;  // mean over the trials where it fired first
};

struct ImpactSummary {
  Interval budget_consumed;       // mean, fraction of the month's budget (largest over budget SLOs)
  QuantileInterval budget_worst;  // at worstCasePercentile
  Interval requests_failed;       // mean
  Interval peak_error_rate;       // mean
  Interval users_affected;        // mean
};

struct CandidateSummary {
  sim::Duration start;
  std::uint64_t steady = 0;  // trials whose steady state held over the 10 min before the start
  Interval p_steady;         // NaN when the game day has no steady state the planner measures
  std::vector<HypothesisSummary> steady_checks;  // per steadyState check (NaN values: not measured)
  std::vector<HypothesisSummary> hypotheses;     // game_day.hypotheses order
  std::vector<StopSummary> stops;                // game_day.stop_conditions order
  std::uint64_t aborts = 0;
  Interval p_abort;
  ImpactSummary with_stop, without_stop;
  Interval of_remaining;  // mean consumed / remainingThisMonth
  std::uint64_t pushed = 0;
  Interval p_tier_pushed;                 // the drill moves the budget into a stricter tier
  std::vector<Interval> slo_budget;       // per budget SLO (targets.budget_slos): mean consumed
  std::vector<Interval> component_error;  // per affected component: mean failed fraction
  Interval budget_vs_best;  // paired: mean (this − the best start) of budget consumed
  Interval abort_vs_best;   // paired: mean (this − the best start) of the abort indicator
};

enum class Verdict { go, caution, no_go };

struct PlanSummary {
  std::vector<CandidateSummary> candidates;  // in start order
  std::vector<std::size_t> ranking;          // best first
  Verdict verdict = Verdict::go;
  std::vector<std::string> reasons;  // why, for the best start
  std::vector<std::string> notes;    // what the plan did not evaluate
  double confidence = 0.95;
  std::size_t tier_before = 0;  // budget-policy tier at remainingThisMonth (index)
};

/// The budget-policy tier (index into model.budget_policy) for `remaining`.
std::size_t budget_tier(const models::CompiledModel& model, double remaining);

/// Summarises the runs; `confidence` in (0, 1).
PlanSummary summarize_plan(const models::CompiledModel& model, const models::GameDay& game_day,
                           const GameDayRuns& runs, double confidence);

/// "go", "go with caution", "no-go".
const char* to_string(Verdict v);

}  // namespace relsim::analysis
