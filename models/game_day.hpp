// A planned chaos experiment: a `kind: GameDay` document. It names the system,
// the fault to inject (the experiment), the candidate start times, the steady
// state, the hypotheses to check, the stop conditions (with the abort's own
// latency) and the error budget left this month.
//
// The closed set of metrics that hypotheses, steady-state checks and stop
// conditions may name lives here (`game_day_metrics()`), with its units.
// Plain structs, built by the loader, then only read; thread-safe as values are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/calendar.hpp"
#include "models/key_defaults.hpp"
#include "models/scenario.hpp"
#include "models/source_location.hpp"
#include "sim/time.hpp"

namespace relsim::models {

enum class GameDayMetric : std::uint8_t {
  capacity_restored,   // time from the fault until capacity is back to its level before
  traffic_shift,       // time until traffic has left the failed replicas/zone
  failover_time,       // time until a datastore/cache failover completed
  error_rate,          // peak error rate (same as peak_error_rate)
  peak_error_rate,     // highest error rate over any evaluation interval
  mean_error_rate,     // failed / total requests over the observation window
  latency_p99,         // 99th percentile latency over the observation window
  latency_percentile,  // the `percentile` given with the hypothesis
  first_page,          // time from the fault until the first page
  ack_time,            // time from the first page until it was acknowledged
  budget_consumed,     // fraction of the month's error budget consumed
  requests_failed,     // number of failed requests
  users_affected,      // fraction of demand that was not served well
};

enum class MetricUnit : std::uint8_t { duration, fraction, count };

struct MetricInfo {
  GameDayMetric metric;
  std::string_view name;  // as written in files, e.g. `capacityRestored`
  MetricUnit unit;
  std::string_view description;
  friend bool operator==(const MetricInfo&, const MetricInfo&) = default;
};

/// All game-day metrics, in a fixed order.
const std::vector<MetricInfo>& game_day_metrics();
/// The metric named `name` (exact, case-sensitive), or nullptr.
const MetricInfo* find_game_day_metric(std::string_view name);
/// The nearest metric name to `name` when it is close enough to be a typo.
std::optional<std::string> suggest_game_day_metric(std::string_view name);
/// The file name of a metric (`capacityRestored`).
std::string_view to_string(GameDayMetric m);

/// A threshold on a metric. Values are in the metric's base unit: seconds for
/// durations, a fraction for fractions, a number for counts.
struct MetricCheck {
  GameDayMetric metric = GameDayMetric::error_rate;
  std::string metric_name;      // as written
  double percentile = 0.99;     // latency_percentile only (required there)
  std::optional<double> below;  // holds when value <= below (`within`, `max`, `below`)
  std::optional<double> above;  // holds when value >= above (`min`, `above`)
  SourceLocation location;
  friend bool operator==(const MetricCheck&, const MetricCheck&) = default;
};

struct Hypothesis {
  std::string name;
  MetricCheck check;  // `within` / `max` -> below; `min` -> above
  NameRef alert;      // firstPage/ackTime: only pages of this alert count (empty: any)
  SourceLocation location;
  friend bool operator==(const Hypothesis&, const Hypothesis&) = default;
};

struct StopCondition {
  MetricCheck check;  // fires when the metric exceeds `above` (or drops under `below`)
  sim::Duration for_duration = defaults::kStopConditionFor;
  sim::Duration abort_latency = defaults::kStopConditionAbortLatency;  // firing -> fault reverted
  SourceLocation location;
  friend bool operator==(const StopCondition&, const StopCondition&) = default;
};

struct CandidateWindow {
  TimeSpec from;
  TimeSpec to;
  sim::Duration every = defaults::kCandidateWindowEvery;
  bool business_hours_only = defaults::kCandidateWindowBusinessHoursOnly;
  friend bool operator==(const CandidateWindow&, const CandidateWindow&) = default;
};

struct CandidateStarts {
  std::vector<TimeSpec> at;               // explicit start times
  std::optional<CandidateWindow> window;  // or a window stepped by `every`
  SourceLocation location;
  friend bool operator==(const CandidateStarts&, const CandidateStarts&) = default;
};

struct GameDayBudget {
  double remaining_this_month = 1.0;  // fraction of the month's budget left
  std::vector<NameRef> slos;          // empty: every SLO of the targeted services
  SourceLocation location;
  friend bool operator==(const GameDayBudget&, const GameDayBudget&) = default;
};

struct GameDay {
  std::string name;
  std::string description;
  NameRef system;  // a System's name, or a path relative to this file
  bool system_is_path = false;
  Fault experiment;  // `at` is empty: the planner picks from candidate_starts
  CandidateStarts candidate_starts;
  std::vector<MetricCheck> steady_state;
  std::vector<Hypothesis> hypotheses;
  std::vector<StopCondition> stop_conditions;
  GameDayBudget budget;
  sim::Duration observe = defaults::kGameDayObserve;  // metrics window after the start
  std::int64_t trials = defaults::kGameDayTrials;
  std::uint64_t seed = defaults::kGameDaySeed;
  double worst_case_percentile = defaults::kGameDayWorstCasePercentile;
  SourceLocation location;  // of the document
  friend bool operator==(const GameDay&, const GameDay&) = default;
};

}  // namespace relsim::models
