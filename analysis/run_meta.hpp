// What a results file says about the run that made it (`/meta` in HDF5,
// `meta` in JSON, meta.json in a CSV directory): enough to reproduce the run
// (scenario and system text verbatim, overrides, seed, trial count) and to
// decide whether shards belong to the same run. See docs/export.md.
// Value type; thread-safe as values are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relsim::analysis {

/// Version of the results layout; bumped when a reader would misread a file.
/// 2: per-figure trials × SLOs/services/teams datasets and `/names`
/// (docs/export.md) instead of one compound column per SLO, service and team.
/// 3: `/trials` `deploys` and `/incidents` `responding_s`, so a merged run
/// (relsim merge, MPI) has the SEV response compliance and DORA figures.
/// 4: incidents with an impact set: `/incidents` `cause_component`,
/// `cause_zone`, `runbook`, `impacts`, `slo_costs`; `/incident_services`,
/// `/incident_slos` and `/slo/incident_budget_consumed`.
inline constexpr std::uint32_t kResultsFormatVersion = 4;

struct RunMeta {
  std::string relsim_version;
  std::string scenario_name;
  std::string system_name;
  std::string scenario_file;  // the path as given on the command line
  std::string system_file;    // the system's file (the scenario file when it holds the system)
  std::string scenario_text;  // the scenario file, verbatim
  std::string system_text;    // the system file, verbatim
  /// `--set path=value` overrides in order, `--horizon D` last as
  /// `scenario.horizon=D`: the run's model is the scenario text with these.
  std::vector<std::string> overrides;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;  // trials of the whole run (all shards)
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  std::uint64_t first_trial = 0;  // the first trial in this file
  std::uint64_t trial_count = 0;  // trials in this file
  double confidence = 0.95;
  std::string command_line;
  std::string start_time;                // ISO-8601 UTC, e.g. 2026-03-02T14:00:00Z
  std::vector<std::string> merged_from;  // the part files of `relsim merge`, in trial order
};

/// Calls `visit(name, camel_name, field)` for every field of `meta` (const or
/// not), in the order the files list them: the one list of run metadata that
/// the HDF5 writer and reader, the JSON `meta` object and a CSV directory's
/// meta.json all go through. `name` is the HDF5 attribute (`scenario_text`),
/// `camel_name` the JSON key (`scenarioText`); `field` is a std::string,
/// std::vector<std::string>, std::uint64_t, std::uint32_t or double. The
/// format version is not a field: each writer adds kResultsFormatVersion.
template <class Meta, class Visit>
void for_each_meta_field(Meta& meta, Visit&& visit) {
  visit("relsim_version", "relsimVersion", meta.relsim_version);
  visit("scenario", "scenario", meta.scenario_name);
  visit("system", "system", meta.system_name);
  visit("scenario_file", "scenarioFile", meta.scenario_file);
  visit("system_file", "systemFile", meta.system_file);
  visit("overrides", "overrides", meta.overrides);
  visit("seed", "seed", meta.seed);
  visit("trials", "trials", meta.trials);
  visit("shard_index", "shardIndex", meta.shard_index);
  visit("shard_count", "shardCount", meta.shard_count);
  visit("first_trial", "firstTrial", meta.first_trial);
  visit("trial_count", "trialCount", meta.trial_count);
  visit("confidence", "confidence", meta.confidence);
  visit("command_line", "commandLine", meta.command_line);
  visit("start_time", "startTime", meta.start_time);
  visit("merged_from", "mergedFrom", meta.merged_from);
  visit("scenario_text", "scenarioText", meta.scenario_text);
  visit("system_text", "systemText", meta.system_text);
}

/// The current time as ISO-8601 UTC with seconds (`2026-03-02T14:00:07Z`).
std::string iso8601_utc_now();

/// The arguments joined by spaces, each shell-quoted when it needs to be.
std::string command_line_text(int argc, const char* const* argv);

}  // namespace relsim::analysis
