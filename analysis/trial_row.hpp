// One trial's figures as a row, the unit that the summary accumulator reads
// and the exporters write (`/trials`, `/slo/*`, `/service/*` and `/team/*`
// of docs/export.md), plus the remaining-budget series kept beside it.
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
/// A model whose trials are big gets fewer (block_trials).
inline constexpr std::uint64_t kResultsChunkTrials = 1024;

/// What one block of trial results may hold, about: block_trials keeps a
/// block of a big model (hundreds of SLOs, each with its remaining-budget
/// series) under this many bytes.
inline constexpr std::uint64_t kBlockBytes = std::uint64_t{64} << 20;
/// What the runner's default block of trial results may hold, about
/// (run_block_trials); a file chunk gathers several such blocks.
inline constexpr std::uint64_t kRunBlockBytes = std::uint64_t{16} << 20;
/// Trials per worker thread a default block holds at least.
inline constexpr unsigned kRunBlockTrialsPerThread = 4;

struct SloTrialRow {
  double good = 0.0;
  double total = 0.0;
  double attainment = 1.0;
  bool met = true;
  double budget_consumed = 0.0;
  double budget_minutes = 0.0;
  /// The part of budget_consumed charged to incidents (the sum of the
  /// SLO's IncidentSloRecord::budget_consumed in the trial).
  double incident_budget_consumed = 0.0;
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
  std::uint64_t deploys = 0;              // deployments (DORA's change failure denominator)
  std::vector<SloTrialRow> slos;          // model.slos order
  std::vector<ServiceTrialRow> services;  // model.services order
  std::vector<TeamTrialRow> teams;        // model.teams order
};

/// One incident (models::IncidentRow) with the trial it belongs to; times
/// are seconds from the trial's start, NaN when the step never happened
/// (models::kNever). `service` is a component index, `team` a team index
/// (0xFFFFFFFF: none), `cause_index` 0xFFFFFFFF when none. `service` is
/// the primary service; `impacts` and `slo_costs` count its rows in the
/// impact set and SLO cost tables, which follow the incidents' order.
struct IncidentRecord {
  std::uint64_t trial = 0;
  std::uint32_t id = 0;
  std::uint32_t service = 0;
  std::uint32_t cause_index = 0;
  std::uint32_t team = 0xFFFFFFFF;
  std::uint32_t cause_component = 0xFFFFFFFF;  // component index
  std::uint32_t cause_zone = 0xFFFFFFFF;       // zone index
  std::uint32_t runbook = 0xFFFFFFFF;          // model.runbooks index
  std::uint32_t impacts = 0;                   // its rows in /incident_services
  std::uint32_t slo_costs = 0;                 // its rows in /incident_slos
  std::uint8_t cause = 0;                      // models::IncidentCause
  std::uint8_t severity = 0;                   // 1..4; 0 none assigned
  std::uint8_t human_needed = 0;
  std::uint16_t escalations = 0;
  std::uint16_t steps_tried = 0;
  double start_s = 0.0;
  double detected_s = 0.0;
  double paged_s = 0.0;
  double acked_s = 0.0;
  double mitigated_s = 0.0;
  double resolved_s = 0.0;
  double responding_s = 0.0;  // a responder started working on it (SEV response targets)
  double requests_failed = 0.0;
  double budget_consumed = 0.0;

  /// MTTR and its parts in seconds, NaN when a step is missing:
  /// resolved − start, detected − start, acked − paged, mitigated − start.
  double mttr_s() const { return resolved_s - start_s; }
  double ttd_s() const { return detected_s - start_s; }
  double tta_s() const { return acked_s - paged_s; }
  double ttm_s() const { return mitigated_s - start_s; }
};

/// A service an incident impaired (models::IncidentImpact): `service` a
/// component index, times in seconds from the trial's start (recovered_s
/// NaN: still impaired at the horizon).
struct ImpactRecord {
  std::uint64_t trial = 0;
  std::uint32_t incident = 0;  // IncidentRecord::id
  std::uint32_t service = 0;
  double impaired_s = 0.0;
  double recovered_s = 0.0;
  double requests_failed = 0.0;
};

/// The budget an incident cost an SLO (models::IncidentSloCost).
struct IncidentSloRecord {
  std::uint64_t trial = 0;
  std::uint32_t incident = 0;  // IncidentRecord::id
  std::uint32_t slo = 0;       // model.slos index
  double bad_requests = 0.0;
  double budget_consumed = 0.0;
};

/// `replica_crash`, `zone_outage`, ... (the models::IncidentCause names).
const char* incident_cause_name(std::uint8_t cause);
/// The models::IncidentRow an IncidentRecord was made from (times back to
/// whole microseconds, NaN back to models::kNever).
models::IncidentRow incident_row_of(const IncidentRecord& r);
models::IncidentImpact incident_impact_of(const ImpactRecord& r);
models::IncidentSloCost incident_slo_cost_of(const IncidentSloRecord& r);

/// The name of what caused an incident: the zone of a zone outage, the
/// fault of an injected fault, else the component the cause hit (the
/// datastore, the cache, the crashed replica's or the deployed service);
/// empty when none (overload).
std::string incident_cause_subject(const models::CompiledModel& model,
                                   const models::IncidentRow& r);

/// Number of models::IncidentCause values.
inline constexpr std::uint8_t kIncidentCauses = 7;

/// A block of consecutive trials: their rows, their incidents (trial order,
/// then id order), the incidents' impact sets and SLO costs (in the order of
/// their incidents) and, per SLO, their remaining-budget series as a rows ×
/// samples matrix (row-major).
struct TrialBlock {
  std::vector<TrialRow> rows;
  std::vector<IncidentRecord> incidents;
  std::vector<ImpactRecord> impacts;
  std::vector<IncidentSloRecord> incident_slos;
  std::vector<std::vector<float>> series;  // per SLO
};

/// The names of a model's per-trial figures: the columns of the 2-D datasets
/// (`/names/*` in docs/export.md).
struct TrialLayout {
  std::vector<std::string> slos;  // SLO names, model order
  std::vector<std::string>
      tiers;  // budget-policy tier labels (the action; `action_k` when repeated)
  std::vector<std::string> services;  // service names, model order
  std::vector<std::string> teams;     // team names, model order

  friend bool operator==(const TrialLayout&, const TrialLayout&) = default;
};

/// Every per-SLO figure of a trial, in file order: `visit(name, field)` for
/// `good`, `total`, `attainment`, `met`, `budget_consumed`,
/// `budget_minutes`, `incident_budget_consumed`, then `<tier>_reached_s` per tier of `layout`;
/// `field` maps an SloTrialRow (const or not) to that figure (double& or bool&). The one list the
/// HDF5 writer and reader, the CSV export and the documentation test go through.
template <class Visit>
void for_each_slo_field(const TrialLayout& layout, Visit&& visit) {
  visit(
      std::string("good"), [](auto& s) -> auto& { return s.good; });
  visit(
      std::string("total"), [](auto& s) -> auto& { return s.total; });
  visit(
      std::string("attainment"), [](auto& s) -> auto& { return s.attainment; });
  visit(
      std::string("met"), [](auto& s) -> auto& { return s.met; });
  visit(
      std::string("budget_consumed"), [](auto& s) -> auto& { return s.budget_consumed; });
  visit(
      std::string("budget_minutes"), [](auto& s) -> auto& { return s.budget_minutes; });
  visit(
      std::string("incident_budget_consumed"),
      [](auto& s) -> auto& { return s.incident_budget_consumed; });
  for (std::size_t t = 0; t < layout.tiers.size(); ++t) {
    visit(
        layout.tiers[t] + "_reached_s", [t](auto& s) -> auto& { return s.tier_reached_s[t]; });
  }
}

/// Every per-service figure: `good`, `total`, `availability` (double&).
template <class Visit>
void for_each_service_field(Visit&& visit) {
  visit(
      std::string("good"), [](auto& v) -> auto& { return v.good; });
  visit(
      std::string("total"), [](auto& v) -> auto& { return v.total; });
  visit(
      std::string("availability"), [](auto& v) -> auto& { return v.availability; });
}

/// Every per-team figure: `pages`, `pages_at_night`, `noise_pages`,
/// `tickets` (std::uint32_t&), `shifts` (double&).
template <class Visit>
void for_each_team_field(Visit&& visit) {
  visit(
      std::string("pages"), [](auto& t) -> auto& { return t.pages; });
  visit(
      std::string("pages_at_night"), [](auto& t) -> auto& { return t.pages_at_night; });
  visit(
      std::string("noise_pages"), [](auto& t) -> auto& { return t.noise_pages; });
  visit(
      std::string("tickets"), [](auto& t) -> auto& { return t.tickets; });
  visit(
      std::string("shifts"), [](auto& t) -> auto& { return t.shifts; });
}

/// Trials per block of `model`: kResultsChunkTrials, or the largest power of
/// two below it whose trial results (remaining-budget series of every SLO,
/// per-SLO, per-service and per-team figures) fit in kBlockBytes; at least 1.
/// Writers chunk their tables by it and `relsim run` uses it as the default
/// --batch, so memory holds about one such block whatever the trial count.
std::uint64_t block_trials(const models::CompiledModel& model);

/// Trials per block of the runner when no --batch is given and no stopping
/// rule needs the blocks (a stopped run's length depends on them, so it keeps
/// block_trials): block_trials, or fewer for a model whose trials are big, so
/// that a block of results stays under kRunBlockBytes — but at least
/// kRunBlockTrialsPerThread trials per worker thread, so the workers seldom
/// wait for one another at a block's end. The writers still chunk by
/// block_trials, gathering blocks. Blocks do not change results.
/// (A 1,000-service platform: 32 trials per chunk, 8 per block on 2 threads;
/// its trials also hold some 6,000 incidents each, which the estimate
/// cannot know.)
std::uint64_t run_block_trials(const models::CompiledModel& model, unsigned threads);

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
/// The incident records of trial `trial` appended to `block` (with their
/// impact sets and SLO costs).
void append_incidents(const models::TrialResult& r, std::uint64_t trial, TrialBlock& block);
/// The incidents of one trial from a block's records: `first` of its
/// incidents and the next `count`, with the impact and SLO cost rows from
/// positions `impact` and `cost` (advanced past them).
void incidents_of(const TrialBlock& block, std::size_t first, std::size_t count,
                  std::size_t& impact, std::size_t& cost, models::TrialResult& out);

TrialBlock to_block(const models::CompiledModel& model,
                    const std::vector<models::TrialResult>& results, std::uint64_t first_trial);

}  // namespace relsim::analysis
