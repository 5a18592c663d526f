// The run summary as JSON: the document `relsim run --format json` prints
// (keys in docs/results.md, "JSON") and, with the run's metadata added under
// `meta`, the JSON export of `relsim run --out PATH.json` (docs/export.md).
// Numbers are shortest round-trip text, so they read back as the exact
// doubles of the HDF5 and CSV exports. Pure functions; thread-safe.
#pragma once

#include <string>

#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

/// How long the run took: the only machine-dependent figures.
struct Timing {
  double wall_seconds = 0.0;
  unsigned threads = 1;
};

/// `meta` as a JSON object (keys in docs/export.md), indented by `indent` spaces.
std::string meta_json(const RunMeta& meta, int indent);

/// The summary document; with `with_meta` it holds `"meta": {...}` before
/// `timing`, which is always the last key, on one line.
std::string summary_json(const models::CompiledModel& model, const RunSummary& summary,
                         const RunMeta& meta, const Timing& timing, bool with_meta);

}  // namespace relsim::analysis
