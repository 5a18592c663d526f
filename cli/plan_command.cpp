// `relsim plan GAMEDAY`: loads a GameDay (with `--set` overrides), compiles
// it, runs its experiment from every candidate start with the same trial
// seeds (analysis/plan.hpp), and prints the plan: hypotheses, stop
// conditions, impact, budget, blast radius, ranked start times and the
// verdict; or JSON with `--format json`; `--out plan.h5` also writes the
// results as HDF5 (analysis/plan_file.hpp) or JSON, `--report` as an HTML
// page (cli/plan_report.hpp). Output is built whole
// before anything is written, and `--output` and `--out` write atomically.
// See docs/gamedays.md and docs/cli.md.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/chaos_export.hpp"
#include "analysis/plan.hpp"
#include "analysis/plan_file.hpp"
#include "analysis/run_meta.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "cli/plan_report.hpp"
#include "cli/run_support.hpp"
#include "models/compiled_model.hpp"
#include "models/limits.hpp"
#include "models/loader.hpp"
#include "sim/runner.hpp"

namespace relsim::cli {

namespace {

// --out: the plan as HDF5 (.h5, .hdf5) or JSON (.json); --out-format: hdf5
// or json, overriding the extension.
struct PlanCliOptions : TrialOptions, OutputOptions, ResultsOptions, ReplayOptions {
  std::string game_day;
  std::string export_tool;  // chaos-mesh, litmus, fis: write the manifest, run nothing
  std::string report;       // --report: the plan as an HTML page
};

enum class PlanOut { hdf5, json };

/// The format of `--out PATH`: `--out-format` when given, else the extension.
PlanOut plan_out_format(const std::string& path, const std::string& format) {
  if (format == "hdf5") return PlanOut::hdf5;
  if (format == "json") return PlanOut::json;
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".h5" || ext == ".hdf5") return PlanOut::hdf5;
  if (ext == ".json") return PlanOut::json;
  throw std::invalid_argument("--out '" + path +
                              "': cannot tell the format from the extension (use .h5, .hdf5 or "
                              ".json, or --out-format hdf5|json)");
}

// ---------------------------------------------------------------- the command

void plan(const PlanCliOptions& o) {
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " +
                                std::to_string(o.confidence) + ")");
  }
  if (o.trials && *o.trials == 0) throw std::invalid_argument("--trials must be at least 1");
  if (!o.output.empty()) check_writable(o.output);
  if (!o.report.empty()) check_writable(o.report);
  std::optional<PlanOut> out_format;
  if (!o.out.empty()) {
    if (!o.export_tool.empty()) {
      throw std::invalid_argument("--out writes the plan's results; --export runs no trials");
    }
    out_format = plan_out_format(o.out, o.out_format);
    check_writable(o.out);
  } else if (!o.out_format.empty()) {
    throw std::invalid_argument("--out-format needs --out");
  }
  const auto resolved = models::load_game_day(o.game_day, o.overrides, data_files());
  const models::CompiledModel model = models::compile(resolved.system, resolved.game_day);
  if (!o.export_tool.empty()) {
    const auto tool = o.export_tool == "fis"      ? analysis::ChaosTool::fis
                      : o.export_tool == "litmus" ? analysis::ChaosTool::litmus
                                                  : analysis::ChaosTool::chaos_mesh;
    const std::string manifest = analysis::export_experiment(model, resolved.game_day, tool);
    emit(o, manifest);
    return;
  }
  analysis::PlanOptions po;
  po.trials = o.trials.value_or(static_cast<std::uint64_t>(model.trials));
  if (po.trials == 0) throw std::invalid_argument("trials must be at least 1");
  // Every candidate's trials are kept in memory: the limit before allocation.
  const std::uint64_t starts = model.candidate_starts.size();
  if (starts > 0 && po.trials > static_cast<std::uint64_t>(models::kMaxPlanTrials) / starts) {
    throw std::invalid_argument(std::to_string(po.trials) + " trials from each of " +
                                std::to_string(starts) + " candidate starts is above " +
                                std::to_string(models::kMaxPlanTrials) + " trials" +
                                models::limit_note("trials of a plan"));
  }
  po.seed = o.seed.value_or(model.seed);
  po.threads = o.threads;
  po.confidence = o.confidence;
  if (o.trial_index) {
    if (*o.trial_index >= po.trials) {
      throw std::invalid_argument("--trial-index " + std::to_string(*o.trial_index) +
                                  " is not below the trial count " + std::to_string(po.trials));
    }
    po.only_trial = o.trial_index;
  }
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
  if (out_format == PlanOut::json) {
    write_file_atomically(o.out, o.format == "json" ? out : plan_json(report));
  } else if (out_format == PlanOut::hdf5) {
    analysis::RunMeta meta = run_meta_for(o.game_day, resolved.system.location.file, model,
                                          o.overrides, po.seed, po.trials, o.confidence);
    meta.relsim_version = RELSIM_VERSION;
    analysis::write_plan_hdf5(o.out, model, resolved.game_day, runs, plan, meta);
  }
  emit(o, out);
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
  add_trial_options(cmd, *opts,
                    {"Trials per candidate start (default: the file's)",
                     "Master seed (default: the file's)", true});
  add_replay_options(cmd, *opts);
  add_output_options(cmd, *opts, {"text", "json"});
  add_results_options(cmd, *opts, {"hdf5", "json"},
                      "Also write the plan's results to this file: HDF5 (.h5, .hdf5; a /gameday "
                      "group, docs/export.md) or JSON (.json); no CSV");
  CLI::Option* export_opt =
      add_export_option(cmd, opts->export_tool, {"chaos-mesh", "litmus", "fis"},
                        "Write the experiment as a manifest for the chaos tool (no trials run)");
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report of the plan with charts to this file "
                  "(docs/report.md)")
      ->excludes(export_opt)
      ->group(kOutputGroup);
  cmd->callback([opts] { plan(*opts); });
}

}  // namespace relsim::cli
