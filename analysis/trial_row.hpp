// One trial's scalar figures as a flat row, the unit that the summary
// accumulator reads and the exporters write (the `/trials` table of
// docs/export.md), plus the remaining-budget series kept beside it.
//
// A `TrialLayout` names the columns of a model: the trial's incident and
// page counts; per SLO good, total, attainment, met, budget consumed, budget
// minutes and the time each budget-policy tier was first reached; per
// service good, total, availability; per team pages, pages at night, noise
// pages, tickets and shifts. Incidents become `IncidentRecord`s (the
// `/incidents` table), with times in seconds and NaN for steps that never
// happened. Rows of one model always have the layout's shape, so blocks
// of rows from threads, shards and files concatenate in trial order.
// Value types; thread-safe as values are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

/// Trials per chunk of the exported tables, and the runner's default block:
/// writers append blocks of this many trials so each chunk is compressed once.
inline constexpr std::uint64_t kResultsChunkTrials = 1024;

struct SloTrialRow {
  double good = 0.0;
  double total = 0.0;
  double attainment = 1.0;
  bool met = true;
  double budget_consumed = 0.0;
  double budget_minutes = 0.0;
  /// Per budget-policy tier: seconds from the trial's start to when the tier
  /// was first reached; NaN when it never was.
  std::vector<double> tier_reached_s;
};

struct ServiceTrialRow {
  double good = 0.0;
  double total = 0.0;
  double availability = 1.0;  // good / total, 1 when total is 0
};

struct TeamTrialRow {
  std::uint32_t pages = 0;
  std::uint32_t pages_at_night = 0;
  std::uint32_t noise_pages = 0;
  std::uint32_t tickets = 0;
  double shifts = 0.0;
};

struct TrialRow {
  std::uint64_t trial = 0;                // index in the run
  std::uint64_t events = 0;               // kernel events
  std::uint32_t incidents = 0;            // incident rows of the trial
  std::uint32_t pages = 0;                // pages over all teams
  std::vector<SloTrialRow> slos;          // model.slos order
  std::vector<ServiceTrialRow> services;  // model.services order
  std::vector<TeamTrialRow> teams;        // model.teams order
};

/// One incident (models::IncidentRow) with the trial it belongs to; times
/// are seconds from the trial's start, NaN when the step never happened
/// (models::kNever). `service` is a component index, `team` a team index
/// (0xFFFFFFFF: none), `cause_index` 0xFFFFFFFF when none.
struct IncidentRecord {
  std::uint64_t trial = 0;
  std::uint32_t id = 0;
  std::uint32_t service = 0;
  std::uint32_t cause_index = 0;
  std::uint32_t team = 0xFFFFFFFF;
  std::uint8_t cause = 0;     // models::IncidentCause
  std::uint8_t severity = 0;  // 1..4; 0 none assigned
  std::uint8_t human_needed = 0;
  std::uint16_t escalations = 0;
  std::uint16_t steps_tried = 0;
  double start_s = 0.0;
  double detected_s = 0.0;
  double paged_s = 0.0;
  double acked_s = 0.0;
  double mitigated_s = 0.0;
  double resolved_s = 0.0;
  double requests_failed = 0.0;
  double budget_consumed = 0.0;

  /// MTTR and its parts in seconds, NaN when a step is missing:
  /// resolved − start, detected − start, acked − paged, mitigated − start.
  double mttr_s() const { return resolved_s - start_s; }
  double ttd_s() const { return detected_s - start_s; }
  double tta_s() const { return acked_s - paged_s; }
  double ttm_s() const { return mitigated_s - start_s; }
};

/// `replica_crash`, `zone_outage`, ... (the models::IncidentCause names).
const char* incident_cause_name(std::uint8_t cause);
/// The models::IncidentRow an IncidentRecord was made from (times back to
/// whole microseconds, NaN back to models::kNever); `responding` is not
/// stored in the record and comes back as kNever.
models::IncidentRow incident_row_of(const IncidentRecord& r);

/// Number of models::IncidentCause values.
inline constexpr std::uint8_t kIncidentCauses = 7;

/// A block of consecutive trials: their rows, their incidents (trial order,
/// then id order) and, per SLO, their remaining-budget series as a rows ×
/// samples matrix (row-major).
struct TrialBlock {
  std::vector<TrialRow> rows;
  std::vector<IncidentRecord> incidents;
  std::vector<std::vector<float>> series;  // per SLO
};

/// The names of a model's columns (see docs/export.md, "/trials").
struct TrialLayout {
  std::vector<std::string> slos;  // SLO names, model order
  std::vector<std::string>
      tiers;  // budget-policy tier labels (the action; `action_k` when repeated)
  std::vector<std::string> services;  // service names, model order
  std::vector<std::string> teams;     // team names, model order

  /// Column names, in the order of the exported tables: `trial`, `events`,
  /// `incidents`, `pages`, then `slo.<name>.<field>` per SLO,
  /// `service.<name>.<field>` per service and `team.<name>.<field>` per team.
  std::vector<std::string> columns() const;
  friend bool operator==(const TrialLayout&, const TrialLayout&) = default;
};

/// The layout of `model`'s trial rows.
TrialLayout trial_layout(const models::CompiledModel& model);

/// The row of trial `trial` from its result. Throws std::invalid_argument
/// ("trial result N has ...") when `r` does not have the model's shape. A
/// result without team entries (an engine that does not report pages) gives
/// zero pages for every team.
TrialRow to_row(const models::CompiledModel& model, const models::TrialResult& r,
                std::uint64_t trial);

/// Rows and series of the consecutive trials `results` (the first is trial
/// `first_trial`). Throws std::invalid_argument when a result does not have
/// the model's shape or its series lengths differ from the first result's.
/// The incident records of trial `trial` appended to `out`.
void append_incidents(const models::TrialResult& r, std::uint64_t trial,
                      std::vector<IncidentRecord>& out);

TrialBlock to_block(const models::CompiledModel& model,
                    const std::vector<models::TrialResult>& results, std::uint64_t first_trial);

}  // namespace relsim::analysis
