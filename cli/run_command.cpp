// `relsim run SCENARIO`: maps the command line to an analysis::RunRequest
// (analysis/run_request.hpp: the trials, the stopping rule of `--until` or
// the scenario's `until`, the results file of `--out`, an MPI rank's part)
// and prints what analysis::run_scenario returns: the summary as a table,
// or JSON with `--format json`, and the HTML report with `--report`. Under
// mpirun each rank runs its part and rank 0 merges the parts as `relsim
// merge` does. Output files are written atomically: an error or Ctrl-C
// leaves none. Figures and intervals: docs/results.md; options: docs/cli.md;
// files: docs/export.md.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/rare_event.hpp"
#include "analysis/rare_report.hpp"
#include "analysis/report_html.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_report.hpp"
#include "analysis/run_request.hpp"
#include "analysis/text_format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/merge_files.hpp"
#include "cli/mpi_support.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "cli/progress.hpp"
#include "cli/run_support.hpp"
#include "cli/summary_text.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "sim/runner.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

struct RunOptions : TrialOptions, OutputOptions, ResultsOptions, ReplayOptions {
  std::string scenario;
  std::optional<std::string> horizon;
  std::string shard = "0/1";
  std::string report;  // HTML report path
  std::string until;
  std::optional<std::uint64_t> max_trials;
  std::optional<std::uint64_t> batch;  // default: analysis::block_trials(model)
  bool compress_series = false;
  std::string rare;                 // --rare TARGET: importance sampling
  std::optional<double> rare_bias;  // --rare-bias: a fixed θ instead of the pilot
  std::uint64_t rare_pilot = 1000;  // --rare-pilot: trials per pilot stage
};

/// `relsim run --rare TARGET` (docs/results.md, "Rare events").
void run_rare_command(const RunOptions& o, const analysis::RunRequest& rq,
                      const models::CompiledModel& model) {
  analysis::RareOptions ro;
  ro.fixed_bias = o.rare_bias;
  ro.pilot_trials = o.rare_pilot;
  (void)analysis::parse_rare_target(model, o.rare);  // the target's message before any work
  const analysis::RareOutcome out = analysis::run_rare(model, rq, o.rare, ro);
  emit(o, o.format == "json" ? analysis::rare_document_json(model, out, o.scenario)
                             : analysis::rare_text(model, out, o.scenario));
}

/// The progress line and Ctrl-C, as the library sees them.
class ProgressObserver : public analysis::RunObserver {
 public:
  explicit ProgressObserver(Progress& progress) : progress_(progress) {}
  void trial_done() override { progress_.trial_done(); }
  void note(const std::string& text) override { progress_.set_note(text); }
  bool stop_requested() const override { return interrupted(); }

 private:
  Progress& progress_;
};

/// Whether this rank has made the one collective check of an MPI run (so an
/// error after it must not make another); owned by the command's callback.
struct Collective {
  bool done = false;
};

void run(RunOptions o, const std::string& command_line, Collective& collective) {
  resolve_legacy_output(o);  // `-o json` was short for --format json (deprecated)
  analysis::RunRequest rq;
  rq.confidence = o.confidence;
  rq.batch = o.batch;
  analysis::check_request(rq);
  rq.shard = resolve_shard(o.shard);
  rq.threads = o.threads;
  rq.trial_index = o.trial_index;
  rq.trials = o.trials;
  rq.seed = o.seed;
  rq.max_trials = o.max_trials;
  if (o.horizon) {
    sim::Duration h;
    try {
      h = sim::parse_duration(*o.horizon);
    } catch (const sim::DurationError& e) {
      throw std::invalid_argument(std::string("--horizon: ") + e.what());
    }
    if (h <= sim::Duration::zero()) {
      throw std::invalid_argument("--horizon must be positive (got '" + *o.horizon + "')");
    }
    // As an override, so the scenario's checks (a fault after the horizon)
    // see it; it comes last and so wins over a --set scenario.horizon.
    o.overrides.push_back("scenario.horizon=" + *o.horizon);
  }
  if (!o.until.empty()) {
    rq.until = analysis::parse_until(o.until);
    rq.until_text = o.until;
  }
  if (!o.out.empty()) rq.target = export_target(o.out, o.out_format);
  if (rq.target) rq.target->compress_series = o.compress_series;
  if (rq.target) analysis::check_export_target(*rq.target);
  check_output(o);

  if (!o.rare.empty() && (rq.until || rq.target || !o.report.empty() || rq.trial_index)) {
    throw std::invalid_argument(
        "--rare estimates one probability from weighted trials: it does not go with --until, "
        "--out, --report or --trial-index");
  }
  if (o.rare.empty() && (o.rare_bias || o.rare_pilot != 1000)) {
    throw std::invalid_argument("--rare-bias and --rare-pilot go with --rare TARGET");
  }
  if (o.rare_pilot < 10 || o.rare_pilot > 1000000) {
    throw std::invalid_argument("--rare-pilot must be between 10 and 1000000 (got " +
                                std::to_string(o.rare_pilot) + ")");
  }

  const auto resolved = models::load_scenario(o.scenario, o.overrides, data_files());
  const models::CompiledModel model = models::compile(resolved.system, resolved.scenario);
  if (!o.rare.empty()) {
    if (mpi_size() > 1) throw std::invalid_argument("--rare does not go with mpirun");
    run_rare_command(o, rq, model);
    return;
  }
  rq.scenario_until = resolved.scenario.until;
  // Under mpirun each rank runs shard rank/size into a part file beside the
  // output (or in the temporary directory), named with rank 0's process id,
  // and rank 0 merges the parts (docs/scaling.md).
  const int ranks = mpi_size();
  const int rank = mpi_rank();
  if (ranks > 1) {
    rq.mpi.rank = static_cast<std::uint32_t>(rank);
    rq.mpi.ranks = static_cast<std::uint32_t>(ranks);
  }
  // Every check of the request against the model, before any work.
  const std::uint64_t planned = sim::selected_trials(analysis::runner_options(model, rq)).size();
  std::vector<std::string> parts;
  if (ranks > 1) {
    const std::uint64_t id = mpi_broadcast(static_cast<std::uint64_t>(::getpid()));
    parts = analysis::mpi_part_paths(rq.target, id, rq.mpi.ranks);
    rq.mpi.part = parts[static_cast<std::size_t>(rank)];
    if (rank != 0) o.quiet = true;
  }
  rq.meta = run_meta_for(o.scenario, resolved.system.location.file, model, o.overrides, 0, 0,
                         o.confidence);
  rq.meta.relsim_version = RELSIM_VERSION;
  rq.meta.command_line = command_line;

  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
  // The envelopes need every trial's series (a scratch store without --out):
  // only JSON, the report and the exports show them.
  rq.envelopes = o.format == "json" || !o.report.empty();
  rq.report_resolve_times = !o.report.empty();
  InterruptGuard interrupt;
  Progress progress(planned, !o.quiet);
  ProgressObserver observer(progress);
  analysis::RunOutcome run = analysis::run_scenario(model, rq, &observer);
  progress.finish();
  if (run.stopped || interrupted()) throw Interrupted();
  const unsigned threads = run.timing.threads;

  if (ranks > 1) {
    // The part is written; rank 0 merges once every rank has written its own.
    collective.done = true;
    if (!mpi_all_ok(true)) {
      std::error_code ec;
      std::filesystem::remove(rq.mpi.part, ec);
      throw std::runtime_error("another MPI rank failed; no output written");
    }
    if (rank != 0) return;
    struct RemoveParts {
      const std::vector<std::string>& paths;
      ~RemoveParts() {
        std::error_code ec;
        for (const auto& p : paths) std::filesystem::remove(p, ec);
      }
    } remove_parts{parts};
    const MergedRun merged = merge_files(parts, rq.target, rq.target || o.format == "json");
    // Wall time of the whole run: rank 0's trials, then the merge.
    const analysis::Timing all{run.timing.wall_seconds + merged.wall_seconds,
                               threads * static_cast<unsigned>(ranks)};
    std::string text =
        o.format == "json"
            ? analysis::summary_json(model, merged.summary, merged.meta, all, false,
                                     &merged.incidents)
            : summary_text(
                  model, merged.summary,
                  {o.scenario, run.master_seed, run.meta.trials, 0, threads, all.wall_seconds,
                   std::to_string(ranks) + " MPI ranks × " + std::to_string(threads) + " thread" +
                       (threads == 1 ? "" : "s") + ", merged in " +
                       analysis::shortest(std::round(merged.wall_seconds * 100) / 100) + " s"});
    // The incident extras of a single run, from the merged parts' rows.
    if (o.format != "json") text += analysis::format_incident_extras(model, merged.incidents);
    emit(o, text);
    return;
  }

  std::string text;
  if (o.format == "json") {
    text = analysis::summary_json(model, run.summary, run.meta, run.timing, false, &run.incidents);
  } else {
    text = summary_text(model, run.summary,
                        {o.scenario, run.master_seed, run.meta.trials, run.first_trial, threads,
                         run.timing.wall_seconds, run.stop_note});
    text += analysis::format_incident_extras(model, run.incidents);
  }
  if (!o.report.empty()) {
    analysis::RunReportInput& in = run.report;
    in.model = &model;
    in.summary = &run.summary;
    in.scenario_file = o.scenario;
    in.seed = run.master_seed;
    in.trials = run.trials_done;
    analysis::record_sample_trial(in, run.master_seed, run.first_trial);
    write_file_atomically(o.report,
                          analysis::render_html(analysis::build_run_report(in), chart_js));
  }
  emit(o, text);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run the Monte Carlo trials of a Scenario and summarise them with confidence intervals:\n"
      "per SLO attainment, P(met), budget consumed (mean, p95), budget minutes and the\n"
      "budget-policy tiers reached; per service availability; pages per team; MTTR and its\n"
      "parts by severity. See docs/results.md; files written with --out: docs/export.md.");
  cmd->add_option("scenario", opts->scenario, "Scenario file (YAML)")->required();
  add_trial_options(cmd, *opts,
                    {"Number of trials (default: the scenario's, or its stopping rule)",
                     "Master seed (default: the scenario's)", true});
  cmd->add_option("--horizon", opts->horizon,
                  "Simulated time per trial, e.g. 7d (default: the scenario's)");
  cmd->add_option("--shard", opts->shard,
                  "Run only shard i of n (i/n); auto/n takes i from JOB_COMPLETION_INDEX "
                  "(Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm)")
      ->capture_default_str()
      ->group(kReplayGroup);
  add_replay_options(cmd, *opts);
  add_output_options(cmd, *opts, {"text", "json"},
                     "Write the summary to FILE (atomically) instead of standard output "
                     "(`-o json`, deprecated, means --format json; -o ./json writes a file json)");
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report with charts to this file "
                  "(docs/report.md)")
      ->group(kOutputGroup);
  add_results_options(
      cmd, *opts, {"hdf5", "csv", "json"},
      "Export every trial, incident and figure: PATH.h5 (HDF5), PATH.json, or a "
      "directory of CSV files (see docs/export.md). Scratch file: the remaining-"
      "budget envelope of --out CSV/JSON, --format json and --report needs every "
      "trial's series, kept in .NAME.relsim-tmp.scratch.* beside --out (without --out: "
      "relsim-scratch.relsim-tmp.* in $TMPDIR, else /tmp), unlinked as soon as it "
      "is opened, so no exit leaves it behind; a text run needs none");
  cmd->add_flag("--compress-series", opts->compress_series,
                "HDF5: deflate /budget too (about half the file, ~12 % more CPU per trial)")
      ->group(kResultsGroup);
  cmd->add_option("--until", opts->until,
                  "Run batches until the interval of FIGURE is narrow enough: FIGURE:rel=5% or "
                  "FIGURE:abs=0.01 (FIGURE: mttr, p_slo_met, p_slo_not_met, ... or a summary "
                  "figure name; a probability also waits for 10 events)")
      ->group(kTrialsGroup);
  cmd->add_option("--rare", opts->rare,
                  "Estimate one rare probability by importance sampling (failure biasing): "
                  "slo_not_met[:SLO], tier:ACTION[:SLO], or FIGURE>VALUE[:NAME] / "
                  "FIGURE<VALUE[:NAME] (budget_consumed, budget_minutes, attainment, "
                  "availability); prints the estimate, its interval, the effective sample "
                  "size and the variance ratio (docs/results.md, \"Rare events\")")
      ->group(kTrialsGroup);
  cmd->add_option("--rare-bias", opts->rare_bias,
                  "With --rare: multiply every failure rate by this factor instead of "
                  "choosing the factors by the cross-entropy pilot")
      ->group(kTrialsGroup);
  cmd->add_option("--rare-pilot", opts->rare_pilot,
                  "With --rare: trials per cross-entropy pilot stage (default 1000)")
      ->group(kTrialsGroup);
  cmd->add_option("--max-trials", opts->max_trials,
                  "With --until: stop after this many trials at most (default 1000000)")
      ->group(kTrialsGroup);
  cmd->add_option("--batch", opts->batch,
                  "Trials per block (the --until check runs after each block; default 1024, "
                  "fewer for a model whose trials hold more than 16 KiB of results, at least "
                  "4 per thread; with --until, fewer past 64 KiB)")
      ->group(kTrialsGroup);
  cmd->callback([opts] {
    Collective collective;
    try {
      run(*opts, app_command_line(), collective);
    } catch (...) {
      // Under MPI, tell the other ranks (waiting in the collective check).
      if (mpi_size() > 1 && !collective.done) mpi_all_ok(false);
      throw;
    }
  });
}

}  // namespace relsim::cli
