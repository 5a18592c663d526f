// The HDF5 file of a game-day plan (`relsim plan GAMEDAY --out plan.h5`;
// layout in docs/export.md, "Game-day plans"): `/meta` as in a run's results
// file (scenario = the GameDay), and a `/gameday` group whose attributes hold
// the experiment, the budget and the verdict with its reasons, and whose
// compound tables hold, per candidate start, the hypotheses, steady-state
// checks, stop conditions, impact with and without the stop conditions, the
// budget per SLO, the blast radius and the ranking. HDF5 handles stay inside
// analysis/. Not thread-safe (HDF5 is not).
#pragma once

#include <string>

#include "analysis/plan.hpp"
#include "analysis/run_meta.hpp"
#include "models/compiled_model.hpp"
#include "models/game_day.hpp"

namespace relsim::analysis {

/// Writes the plan to `path` via a unique temporary and a rename (analysis/safe_output.hpp):
/// nothing appears at `path` unless the whole file was written. Throws std::runtime_error
/// ("cannot write 'PATH': reason").
void write_plan_hdf5(const std::string& path, const models::CompiledModel& model,
                     const models::GameDay& game_day, const GameDayRuns& runs,
                     const PlanSummary& plan, const RunMeta& meta);

/// A candidate start as the report prints it: `Tue 09:00` in the model's
/// calendar, with ` (day N)` from the second week on.
std::string start_label(const models::CompiledModel& model, sim::Duration start);

/// The experiment in words: `zoneOutage in us-east-1a for 5m`.
std::string experiment_label(const models::CompiledModel& model);

}  // namespace relsim::analysis
