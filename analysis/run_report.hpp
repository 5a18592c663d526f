// The HTML report of one run (`relsim run --report PATH`): per SLO the
// remaining error budget over the window (mean and the 5–95 % band across
// trials, the budget-policy tiers as dashed lines) with its figures; per
// service availability; MTTR and its parts by severity; the distribution of
// incident durations; a sample trial's incidents as a timeline with the
// injected faults (each named by its primary service and its cause); pages per on-call shift. Built
// from the run's summary plus what the run kept for it (every incident's time to resolve, and the
// incidents of its first trial). Pure function over values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/report_html.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

struct SampleDeploy {
  sim::Duration at;
  models::Index service = 0;  // model.services index
  bool bad = false;
};

struct RunReportInput {
  const models::CompiledModel* model = nullptr;
  const RunSummary* summary = nullptr;
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;
  /// Time to resolve of every resolved incident of the run, in minutes.
  std::vector<double> resolve_minutes;
  /// One trial of the run (`sample_trial`), for the timelines: its
  /// incidents and its random deploys (record_sample_trial fills both).
  std::vector<models::IncidentRow> sample_incidents;
  std::vector<models::IncidentImpact> sample_impacts;  // their impact sets
  std::vector<SampleDeploy> sample_deploys;
  std::uint64_t sample_trial = 0;
};

/// Adds the times to resolve of one trial's incidents to `in`.
void add_resolve_times(RunReportInput& in, const std::vector<models::IncidentRow>& incidents);

/// Runs trial `trial` of the run with master seed `master_seed` again (the
/// same trial, bit for bit: its random streams derive from the pair) on
/// `*in.model` and keeps its incidents and deploys as the sample trial.
void record_sample_trial(RunReportInput& in, std::uint64_t master_seed, std::uint64_t trial);

/// A sample incident as the timelines name it: its primary service, its
/// cause and what the cause hit, and how many other services it impaired
/// (`edge-api: zone outage (zone-a), +2 services`).
std::string incident_label(const models::CompiledModel& model, const models::IncidentRow& incident,
                           const std::vector<models::IncidentImpact>& impacts);

Report build_run_report(const RunReportInput& in);

}  // namespace relsim::analysis
