// The report of `relsim plan`: the plan as terminal text and as JSON, built
// whole as strings (the command writes them atomically). See
// docs/gamedays.md ("Reading the plan") and docs/cli.md. Pure functions.
#pragma once

#include <string>

#include "analysis/plan.hpp"
#include "models/compiled_model.hpp"
#include "models/game_day.hpp"

namespace relsim::cli {

struct PlanReport {
  const models::CompiledModel& model;
  const models::GameDay& game_day;
  const analysis::GameDayRuns& runs;
  const analysis::PlanSummary& plan;
  std::string file;
  double wall = 0.0;
  unsigned threads = 1;
};

/// The terminal report.
std::string plan_text(const PlanReport& r);
/// Every candidate's figures as JSON.
std::string plan_json(const PlanReport& r);

}  // namespace relsim::cli
