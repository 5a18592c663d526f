// `relsim plan GAMEDAY`: loads a GameDay (with `--set` overrides), compiles
// it, runs its experiment from every candidate start with the same trial
// seeds (analysis/plan.hpp), and prints the plan: hypotheses, stop
// conditions, impact, budget, blast radius, ranked start times and the
// verdict; or JSON with `--format json`. Output is built whole before
// anything is written, and `--output` writes atomically. See docs/gamedays.md
// and docs/cli.md.
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/chaos_export.hpp"
#include "analysis/plan.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/plan_report.hpp"
#include "cli/run_support.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "sim/runner.hpp"

namespace relsim::cli {

namespace {

struct PlanCliOptions {
  std::string game_day;
  std::optional<std::uint64_t> trials;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::vector<std::string> overrides;
  double confidence = 0.95;
  std::string format = "text";
  std::string output;
  std::string export_tool;  // chaos-mesh, litmus, fis: write the manifest, run nothing
  std::string report;       // HTML report path
};

// ---------------------------------------------------------------- the command

void plan(const PlanCliOptions& o) {
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " +
                                std::to_string(o.confidence) + ")");
  }
  if (o.trials && *o.trials == 0) throw std::invalid_argument("--trials must be at least 1");
  if (!o.output.empty()) check_writable(o.output);
  if (!o.report.empty()) check_writable(o.report);
  const auto resolved = models::load_game_day(o.game_day, o.overrides);
  const models::CompiledModel model = models::compile(resolved.system, resolved.game_day);
  if (!o.export_tool.empty()) {
    const auto tool = o.export_tool == "fis"      ? analysis::ChaosTool::fis
                      : o.export_tool == "litmus" ? analysis::ChaosTool::litmus
                                                  : analysis::ChaosTool::chaos_mesh;
    const std::string manifest = analysis::export_experiment(model, resolved.game_day, tool);
    if (o.output.empty()) {
      std::cout << manifest << std::flush;
    } else {
      write_file_atomically(o.output, manifest);
    }
    return;
  }
  analysis::PlanOptions po;
  po.trials = o.trials.value_or(static_cast<std::uint64_t>(model.trials));
  if (po.trials == 0) throw std::invalid_argument("trials must be at least 1");
  po.seed = o.seed.value_or(model.seed);
  po.threads = o.threads;
  po.confidence = o.confidence;
  const std::string chart_js = o.report.empty() ? std::string() : analysis::read_chart_js();
  const auto t0 = std::chrono::steady_clock::now();
  const auto runs = analysis::run_game_day(model, resolved.game_day, po);
  const auto plan = analysis::summarize_plan(model, resolved.game_day, runs, o.confidence);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const PlanReport report{model,
                          resolved.game_day,
                          runs,
                          plan,
                          o.game_day,
                          wall,
                          sim::detail::resolve_threads(o.threads, po.trials)};
  const std::string out = o.format == "json" ? plan_json(report) : plan_text(report);
  if (!o.report.empty()) {
    write_file_atomically(o.report, analysis::render_html(plan_html(report), chart_js));
  }
  if (o.output.empty()) {
    std::cout << out << std::flush;
  } else {
    write_file_atomically(o.output, out);
  }
}

}  // namespace

void add_plan_command(CLI::App& app) {
  auto opts = std::make_shared<PlanCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "plan",
      "Plan a GameDay before running it: per candidate start (same trial seeds for all),\n"
      "P(hypothesis holds), P(abort), impact with and without the stop conditions, error\n"
      "budget, blast radius, ranked start times and a go/no-go verdict. See docs/gamedays.md.");
  cmd->add_option("gameday", opts->game_day, "GameDay file (YAML)")->required();
  cmd->add_option("--trials", opts->trials, "Trials per candidate start (default: the file's)");
  cmd->add_option("--seed", opts->seed, "Master seed (default: the file's)");
  cmd->add_option("--threads", opts->threads, "Worker threads (0: all cores)")
      ->capture_default_str();
  cmd->add_option("--set", opts->overrides,
                  "Override a value, e.g. services.payment-api.replicas=8 (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--confidence", opts->confidence, "Confidence level of intervals")
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "Write to this file (atomically) instead of standard output");
  CLI::Option* export_opt =
      cmd->add_option("--export", opts->export_tool,
                      "Write the experiment as a manifest for the chaos tool (no trials run)")
          ->check(CLI::IsMember({"chaos-mesh", "litmus", "fis"}));
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report of the plan with charts to this file "
                  "(docs/report.md)")
      ->excludes(export_opt);
  cmd->callback([opts] { plan(*opts); });
}

}  // namespace relsim::cli
