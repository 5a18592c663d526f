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
inline constexpr std::uint32_t kResultsFormatVersion = 1;

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

/// The current time as ISO-8601 UTC with seconds (`2026-03-02T14:00:07Z`).
std::string iso8601_utc_now();

/// The arguments joined by spaces, each shell-quoted when it needs to be.
std::string command_line_text(int argc, const char* const* argv);

}  // namespace relsim::analysis
