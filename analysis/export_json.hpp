// The run summary as JSON: the document `relsim run --format json` prints
// (keys in docs/results.md, "JSON") and, with the run's metadata added under
// `meta`, the JSON export of `relsim run --out PATH.json` (docs/export.md).
// Built as a models::JsonNode tree, one function per section; numbers are
// shortest round-trip text, so they read back as the exact doubles of the
// HDF5 and CSV exports. Pure functions; thread-safe.
#pragma once

#include <string>

#include "analysis/estimators.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"

namespace relsim::analysis {

/// How long the run took: the only machine-dependent figures.
struct Timing {
  double wall_seconds = 0.0;
  unsigned threads = 1;
};

/// `{"estimate": x, "low": l, "high": h}` on one line: every interval of
/// every JSON document relsim writes.
models::JsonNode interval_node(const Interval& iv);

/// `meta` as a JSON object (keys in docs/export.md): `formatVersion`, then
/// every field of for_each_meta_field under its camelCase name.
models::JsonNode meta_node(const RunMeta& meta);

/// meta_node as text, with a final line break (a CSV folder's meta.json).
std::string meta_json(const RunMeta& meta);

/// The incident figures beyond severity (`incidentFigures`: by cause, by
/// impaired service, the budget incidents consumed per SLO, SEV target
/// compliance, change failure rate, DORA MTTR) — the JSON of the text
/// summary's `format_incident_extras`.
models::JsonNode incident_figures_node(const models::CompiledModel& model,
                                       const IncidentSummary& incidents);

/// The summary document; with `with_meta` it holds `"meta": {...}` before
/// `timing`, which is always the last key, on one line. With `incidents`,
/// `incidentFigures` follows `incidents`.
models::JsonNode summary_node(const models::CompiledModel& model, const RunSummary& summary,
                              const RunMeta& meta, const Timing& timing, bool with_meta,
                              const IncidentSummary* incidents = nullptr);

/// summary_node as text, with a final line break.
std::string summary_json(const models::CompiledModel& model, const RunSummary& summary,
                         const RunMeta& meta, const Timing& timing, bool with_meta,
                         const IncidentSummary* incidents = nullptr);

}  // namespace relsim::analysis
