// The report of `relsim plan`: the plan as terminal text, JSON and an HTML
// report (`--report`), built
// whole as strings (the command writes them atomically). See
// docs/gamedays.md ("Reading the plan") and docs/cli.md. Pure functions.
#pragma once

#include <string>

#include "analysis/plan.hpp"
#include "analysis/report_html.hpp"
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
/// The plan as the sections of an HTML report (analysis::render_html):
/// verdict, hypotheses, stop conditions, impact and budget, blast radius,
/// and the candidate starts ranked, each with charts and tables.
analysis::Report plan_html(const PlanReport& r);

}  // namespace relsim::cli
