// The run summary as the aligned text tables `relsim run` and `relsim merge`
// print (docs/results.md): per SLO, per service, pages per team and shift,
// and MTTR and its parts by severity, each value with its interval.
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"

namespace relsim::cli {

/// What the heading of the summary says about the run.
struct RunHeading {
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t total_trials = 0;  // of the whole run (all shards)
  std::uint64_t first_trial = 0;
  unsigned threads = 1;
  double wall_seconds = 0.0;
  std::string stop_note;  // why the run stopped (`--until`), or empty
};

/// The summary text, ending in a newline.
std::string summary_text(const models::CompiledModel& model, const analysis::RunSummary& summary,
                         const RunHeading& heading);

}  // namespace relsim::cli
