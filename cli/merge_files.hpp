// Merging the result files of the shards of one run (`relsim merge`, and
// the ranks of an MPI run): checks that the parts come from one run and
// cover its trials exactly once, recompiles the model from the scenario and
// system text they carry, and replays their rows in trial order through the
// streaming summary into `target` (or only the summary without one). The
// result is bit-identical to the summary of a single run. Parts are read
// one block (their chunk of trials) at a time, so memory does not grow with
// the trial count. Throws std::invalid_argument (`merge: ...`) when the
// parts do not fit together.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/incident_summary.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"

namespace relsim::cli {

struct MergedRun {
  models::CompiledModel model;
  analysis::RunMeta meta;
  analysis::RunSummary summary;
  /// The incident figures a single run prints after its summary (by cause,
  /// SEV target compliance, DORA), from the parts' rows: the same values.
  analysis::IncidentSummary incidents;
  double wall_seconds = 0.0;
};

/// `envelopes`: whether the summary needs its remaining-budget envelopes
/// (always with a target; without one they need a scratch store, see
/// analysis::ResultsWriter).
MergedRun merge_files(const std::vector<std::string>& parts,
                      const std::optional<analysis::ExportTarget>& target, bool envelopes = true);

}  // namespace relsim::cli
