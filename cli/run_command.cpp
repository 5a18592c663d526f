// `relsim run SCENARIO`: loads a Scenario (with `--set` overrides and
// `--horizon`), compiles it and runs its Monte Carlo trials on a pool of
// threads (one models::World per worker) in blocks: each block's results go,
// in trial order, to the streaming summary and to the export (`--out`: HDF5,
// a CSV directory or JSON; analysis/results_writer.hpp), so memory holds one
// block whatever the trial count. With `--until` (or the scenario's `until`)
// the run stops after the first block at which the named figure's interval is
// narrow enough (a probability also waits for 10 observed events). The
// incident extras are streamed too (analysis::IncidentSummaryAccumulator).
// Then it prints the summary as a table, or JSON with
// `--format json`. Output files are written atomically: an error or Ctrl-C
// leaves none. Figures and intervals: docs/results.md; options: docs/cli.md;
// files: docs/export.md.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/report_html.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_report.hpp"
#include "analysis/summary_figures.hpp"
#include "analysis/text_format.hpp"
#include "analysis/trial_row.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/merge_files.hpp"
#include "cli/mpi_support.hpp"
#include "cli/output_file.hpp"
#include "cli/progress.hpp"
#include "cli/run_support.hpp"
#include "cli/summary_text.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

/// Whether this rank has made the one collective check of an MPI run (so an
/// error after it must not make another).
bool g_collective_done = false;

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> trials;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::optional<std::string> horizon;
  std::vector<std::string> overrides;
  std::string shard = "0/1";
  std::optional<std::uint64_t> trial_index;
  double confidence = 0.95;
  std::string format = "text";
  std::string output;
  std::string out;
  std::string out_format;
  std::string report;  // HTML report path
  std::string until;
  std::optional<std::uint64_t> max_trials;
  std::optional<std::uint64_t> batch;  // default: analysis::block_trials(model)
  bool quiet = false;
  bool compress_series = false;
};

/// A stopping rule: the figure, which half-width, and the trials bounds.
struct StopRule {
  std::string figure;
  bool relative = true;
  double target = 0.0;
  std::uint64_t min_trials = 100;
  std::uint64_t max_trials = 1'000'000;
  std::string text;  // as given, for messages
};

/// Parses `figure:rel=5%` / `figure:abs=0.01` (`rel=0.05` too).
StopRule parse_until(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("--until '" + spec + "': " + why +
                                 " (expected FIGURE:rel=5% or FIGURE:abs=0.01)");
  };
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0) throw bad("no ':'");
  StopRule r;
  r.figure = spec.substr(0, colon);
  r.text = spec;
  std::string kind = spec.substr(colon + 1);
  const auto eq = kind.find('=');
  if (eq == std::string::npos) throw bad("no '='");
  const std::string what = kind.substr(0, eq);
  std::string value = kind.substr(eq + 1);
  if (what == "rel") {
    r.relative = true;
  } else if (what == "abs") {
    r.relative = false;
  } else {
    throw bad("'" + what + "' is neither rel nor abs");
  }
  bool percent = false;
  if (!value.empty() && value.back() == '%') {
    percent = true;
    value.pop_back();
  }
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(v > 0.0) || !std::isfinite(v)) {
    throw bad("the width must be a positive number");
  }
  r.target = percent ? v / 100.0 : v;
  return r;
}

/// The half-width the rule reads from `f` (relative to |estimate| for rel);
/// +inf when the interval is unbounded or the estimate undefined.
double rule_width(const StopRule& rule, const analysis::FigureRow& f) {
  const double inf = std::numeric_limits<double>::infinity();
  if (!std::isfinite(f.low) || !std::isfinite(f.high) || !std::isfinite(f.estimate)) return inf;
  const double half = (f.high - f.low) / 2.0;
  if (!rule.relative) return half;
  return f.estimate != 0.0 ? half / std::fabs(f.estimate) : (half == 0.0 ? 0.0 : inf);
}

/// Fewest observed events a probability's relative stopping rule waits for (of the
/// rarer outcome: breaches for P(not met), or trials that met it when
/// P(met) is small); docs/results.md, "Stopping".
constexpr std::uint64_t kMinEvents = 10;
constexpr std::uint64_t kNoEventCount = std::numeric_limits<std::uint64_t>::max();

/// The count of the rarer outcome behind a probability figure (`wilson`
/// or `wilson_by_trial`); kNoEventCount for other figures.
std::uint64_t rare_events(const analysis::FigureRow& f) {
  if (f.method != "wilson" && f.method != "wilson_by_trial") return kNoEventCount;
  if (!std::isfinite(f.estimate)) return 0;
  const auto k = static_cast<std::uint64_t>(std::llround(f.estimate * static_cast<double>(f.n)));
  return std::min(k, f.n - std::min(k, f.n));
}

std::string width_text(const StopRule& rule, double width) {
  if (!std::isfinite(width)) return "n/a";
  return rule.relative ? analysis::shortest(std::round(width * 1e4) / 1e2) + " %"
                       : analysis::shortest(width);
}

void run(RunOptions o, const std::string& command_line) {
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " +
                                analysis::shortest(o.confidence) + ")");
  }
  // `--output json|text` is a shorthand for --format (a file is never called that).
  if (o.output == "json" || o.output == "text") {
    o.format = o.output;
    o.output.clear();
  }
  if (o.batch && *o.batch == 0) throw std::invalid_argument("--batch must be at least 1");
  sim::RunnerOptions ro;
  ro.shard = resolve_shard(o.shard);
  ro.threads = o.threads;
  ro.only_trial = o.trial_index;
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
  std::optional<StopRule> rule;
  if (!o.until.empty()) rule = parse_until(o.until);
  std::optional<analysis::ExportTarget> target;
  if (!o.out.empty()) target = export_target(o.out, o.out_format);
  if (target) target->compress_series = o.compress_series;
  if (target) analysis::check_export_target(*target);
  if (!o.output.empty()) check_writable(o.output);

  const auto resolved = models::load_scenario(o.scenario, o.overrides, data_files());
  const models::CompiledModel model = models::compile(resolved.system, resolved.scenario);
  // The scenario's stopping rule applies to a whole run given no --trials; a
  // shard, a replayed trial or an MPI rank runs the scenario's trial count.
  const bool whole_run = !o.trials && !o.trial_index && ro.shard.count == 1 && mpi_size() == 1;
  if (!rule && whole_run && resolved.scenario.until && !resolved.scenario.until->metric.empty()) {
    const auto& u = *resolved.scenario.until;
    StopRule r;
    r.figure = u.metric;
    r.relative = u.relative_half_width.has_value();
    r.target = u.relative_half_width ? *u.relative_half_width : u.absolute_half_width.value_or(0.0);
    r.min_trials = static_cast<std::uint64_t>(u.min_trials);
    r.max_trials = static_cast<std::uint64_t>(u.max_trials);
    r.text = u.metric + (r.relative ? ":rel=" : ":abs=") + analysis::shortest(r.target) +
             " (the scenario's until)";
    rule = r;
  }
  ro.master_seed = o.seed.value_or(model.seed);
  // Under mpirun each rank runs shard rank/size into a part file, and rank 0
  // merges the parts (docs/scaling.md).
  const int ranks = mpi_size();
  const int rank = mpi_rank();
  if (ranks > 1) {
    if (rule) {
      throw std::invalid_argument(
          "--until (or the scenario's until) is not supported across MPI ranks; give --trials");
    }
    if (o.shard != "0/1" || o.trial_index) {
      throw std::invalid_argument(
          "--shard and --trial-index do not go with mpirun (each rank "
          "already runs shard rank/size)");
    }
    ro.shard = {static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(ranks)};
    if (rank != 0) o.quiet = true;
  }
  if (rule) {
    if (o.max_trials) rule->max_trials = *o.max_trials;
    if (o.trials) {
      throw std::invalid_argument("--trials and --until do not go together (use --max-trials)");
    }
    if (ro.shard.count != 1 || o.trial_index) {
      throw std::invalid_argument(
          "--until stops a whole run; it cannot be combined with --shard or --trial-index");
    }
    if (rule->max_trials == 0) throw std::invalid_argument("--max-trials must be at least 1");
    ro.trials = rule->max_trials;
  } else {
    ro.trials = o.trials.value_or(static_cast<std::uint64_t>(model.trials));
  }
  if (ro.trials == 0) throw std::invalid_argument("--trials must be at least 1");
  const sim::TrialRange range = sim::selected_trials(ro);
  if (range.size() == 0) {
    throw std::invalid_argument("shard " + std::to_string(ro.shard.index) + "/" +
                                std::to_string(ro.shard.count) + " of " +
                                std::to_string(ro.trials) + " trials holds no trials");
  }

  analysis::RunMeta meta = run_meta_for(o.scenario, resolved.system.location.file, model,
                                        o.overrides, ro.master_seed, ro.trials, o.confidence);
  meta.relsim_version = RELSIM_VERSION;
  meta.shard_index = o.trial_index ? 0 : ro.shard.index;
  meta.shard_count = o.trial_index ? 1 : ro.shard.count;
  meta.first_trial = range.begin;
  meta.trial_count = range.size();
  meta.command_line = command_line;

  // With MPI, this rank's trials go to a part file beside the output (or in
  // the temporary directory), named with rank 0's process id.
  std::string part;
  std::vector<std::string> parts;
  if (ranks > 1) {
    namespace fs = std::filesystem;
    const std::uint64_t id = mpi_broadcast(static_cast<std::uint64_t>(::getpid()));
    const fs::path dir =
        target ? fs::absolute(fs::path(target->path)).parent_path() : fs::temp_directory_path();
    for (int r = 0; r < ranks; ++r) {
      parts.push_back(
          (dir / ("relsim-mpi-" + std::to_string(id) + "-rank-" + std::to_string(r) + ".part.h5"))
              .string());
    }
    part = parts[static_cast<std::size_t>(rank)];
  }
  const std::optional<analysis::ExportTarget> own_target =
      ranks > 1 ? std::optional<analysis::ExportTarget>({part, analysis::ExportFormat::hdf5})
                : target;

  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
  // The incident extras, streamed (no incident is kept), and for the HTML
  // report the times to resolve of the run's first kReportResolveTimes
  // resolved incidents (the MTTR chart).
  analysis::IncidentSummaryAccumulator incident_extras(model, o.confidence);
  constexpr std::size_t kReportResolveTimes = 100000;
  analysis::RunReportInput report_in;
  InterruptGuard interrupt;
  // The envelopes need every trial's series (a scratch store without --out):
  // only JSON, the report and the exports show them.
  const bool envelopes = own_target || o.format == "json" || !o.report.empty();
  analysis::ResultsWriter writer(model, meta, own_target, envelopes);
  const std::uint64_t batch = o.batch.value_or(analysis::block_trials(model));
  Progress progress(range.size(), !o.quiet);
  std::string stop_note;
  const auto start = std::chrono::steady_clock::now();
  sim::run_trials_in_blocks<models::TrialResult>(
      ro, batch,
      [&model, &progress]() {
        return
            [world = models::World(model), &progress](std::uint64_t, std::uint64_t seed) mutable {
              if (interrupted()) return models::TrialResult{};  // the block is thrown away
              auto r = world.run(seed);
              progress.trial_done();
              return r;
            };
      },
      [&](sim::TrialResults<models::TrialResult>&& block) {
        if (interrupted()) return false;
        writer.record(analysis::to_block(model, block.results, block.first_trial));
        // What the incident extras and the report need: incidents, pages, deploys.
        for (const models::TrialResult& t : block.results) {
          incident_extras.add(t);
          if (!o.report.empty() && report_in.resolve_minutes.size() < kReportResolveTimes) {
            analysis::add_resolve_times(report_in, t.incidents);
          }
        }
        if (!rule) return true;
        const auto figures = analysis::summary_figures(model, writer.snapshot());
        const analysis::FigureRow* f = analysis::find_figure(figures, rule->figure);
        if (f == nullptr) {
          throw std::invalid_argument(rule->text + ": no figure '" + rule->figure +
                                      "' (use a name from the summary table of docs/export.md, "
                                      "or mttr, ttd, tta, ttm, p_slo_met, p_slo_not_met, "
                                      "attainment, budget_consumed, availability, pages)");
        }
        const double width = rule_width(*rule, *f);
        // A probability stops only once both outcomes were seen kMinEvents
        // times: a rare event's interval is narrow by chance before that.
        // (`abs` targets bound a probability honestly at any count: 0 in 300
        // trials gives [0, 1.3 %]; the rule is for `rel`.)
        const std::uint64_t events = rule->relative ? rare_events(*f) : kNoEventCount;
        const bool enough_events = events >= kMinEvents;
        progress.set_note((rule->relative ? "rel half-width " : "half-width ") +
                          width_text(*rule, width) + " (target " + width_text(*rule, rule->target) +
                          ")" +
                          (enough_events ? std::string()
                                         : "; " + std::to_string(events) + " of " +
                                               std::to_string(kMinEvents) + " events"));
        const std::uint64_t done = writer.trials();
        if (done >= rule->min_trials && f->n == 0) {
          // E.g. mttr of a model whose trials record no incidents: more
          // trials would not make an interval appear.
          stop_note = "stopped at " + std::to_string(done) + " trials: " + rule->figure +
                      " has no observations (" + rule->text + " cannot be met)";
          return false;
        }
        const std::string event_note =
            events == kNoEventCount ? std::string()
                                    : "; " + std::to_string(events) + " of the rarer outcome, " +
                                          std::to_string(kMinEvents) + " needed";
        if (done >= rule->min_trials && width <= rule->target && enough_events) {
          stop_note = "stopped at " + std::to_string(done) + " trials: " + rule->figure +
                      " half-width " + width_text(*rule, width) +
                      " <= " + width_text(*rule, rule->target) + " (" + rule->text + ")" +
                      event_note;
          return false;
        }
        if (done >= rule->max_trials) {
          stop_note = "stopped at the cap of " + std::to_string(done) + " trials: " + rule->figure +
                      " half-width " + width_text(*rule, width) +
                      (width <= rule->target ? " <= " : " > ") + width_text(*rule, rule->target) +
                      " (" + rule->text + ")" + event_note;
        }
        return true;
      });
  progress.finish();
  if (interrupted()) throw Interrupted();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const std::uint64_t done = writer.trials();
  if (rule) meta.trials = done;  // a stopped run is a run of this many trials
  writer.set_trials(meta.trials, done);
  const analysis::RunSummary summary = writer.summarize();
  const unsigned threads = sim::detail::resolve_threads(ro.threads, range.size());
  const analysis::Timing timing{wall, threads};
  writer.commit(summary, timing);

  if (ranks > 1) {
    // The part is written; rank 0 merges once every rank has written its own.
    g_collective_done = true;
    if (!mpi_all_ok(true)) {
      std::error_code ec;
      std::filesystem::remove(part, ec);
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
    const MergedRun merged = merge_files(parts, target, target || o.format == "json");
    // Wall time of the whole run: rank 0's trials, then the merge.
    const analysis::Timing all{wall + merged.wall_seconds, threads * static_cast<unsigned>(ranks)};
    std::string text =
        o.format == "json"
            ? analysis::summary_json(model, merged.summary, merged.meta, all, false)
            : summary_text(
                  model, merged.summary,
                  {o.scenario, ro.master_seed, meta.trials, 0, threads, all.wall_seconds,
                   std::to_string(ranks) + " MPI ranks × " + std::to_string(threads) + " thread" +
                       (threads == 1 ? "" : "s") + ", merged in " +
                       analysis::shortest(std::round(merged.wall_seconds * 100) / 100) + " s"});
    // The incident extras of a single run, from the merged parts' rows.
    if (o.format != "json") text += analysis::format_incident_extras(merged.incidents);
    if (o.output.empty()) {
      std::cout << text << std::flush;
    } else {
      write_file_atomically(o.output, text);
    }
    return;
  }

  std::string text;
  if (o.format == "json") {
    auto m = meta;
    m.trial_count = done;
    text = analysis::summary_json(model, summary, m, timing, false);
  } else {
    text = summary_text(
        model, summary,
        {o.scenario, ro.master_seed, meta.trials, range.begin, threads, wall, stop_note});
    text += analysis::format_incident_extras(incident_extras.finish());
  }
  if (!o.report.empty()) {
    analysis::RunReportInput& in = report_in;
    in.model = &model;
    in.summary = &summary;
    in.scenario_file = o.scenario;
    in.seed = ro.master_seed;
    in.trials = done;
    analysis::record_sample_trial(in, ro.master_seed, range.begin);
    write_file_atomically(o.report,
                          analysis::render_html(analysis::build_run_report(in), chart_js));
  }
  if (o.output.empty()) {
    std::cout << text << std::flush;
  } else {
    write_file_atomically(o.output, text);
  }
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
  cmd->add_option("--trials", opts->trials, "Number of trials (default: the scenario's)");
  cmd->add_option("--seed", opts->seed, "Master seed (default: the scenario's)");
  cmd->add_option("--threads", opts->threads, "Worker threads (0: all cores)")
      ->capture_default_str();
  cmd->add_option("--horizon", opts->horizon,
                  "Simulated time per trial, e.g. 7d (default: the scenario's)");
  cmd->add_option("--set", opts->overrides,
                  "Override a value, e.g. services.payment-api.replicas=8 or "
                  "scenario.horizon=7d (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report with charts to this file "
                  "(docs/report.md)");
  cmd->add_option("--shard", opts->shard,
                  "Run only shard i of n (i/n); auto/n takes i from JOB_COMPLETION_INDEX "
                  "(Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm)")
      ->capture_default_str();
  cmd->add_option("--trial-index", opts->trial_index,
                  "Replay one trial alone (as printed by a failed run)");
  cmd->add_option("--confidence", opts->confidence, "Confidence level of intervals")
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "Write the summary to this file (atomically) instead of standard output; "
                  "`--output json` is short for --format json");
  cmd->add_option("--out", opts->out,
                  "Export every trial, incident and figure: PATH.h5 (HDF5), PATH.json, or a "
                  "directory of CSV files (see docs/export.md). Scratch file: the remaining-"
                  "budget envelope of --out CSV/JSON, --format json and --report needs every "
                  "trial's series, kept in .NAME.relsim-tmp.scratch.* beside --out (without --out: "
                  "relsim-scratch.relsim-tmp.* in $TMPDIR, else /tmp), unlinked as soon as it "
                  "is opened, so no exit leaves it behind; a text run needs none");
  cmd->add_option("--out-format", opts->out_format, "Format of --out when its name does not say")
      ->check(CLI::IsMember({"hdf5", "csv", "json"}));
  cmd->add_option("--until", opts->until,
                  "Run batches until the interval of FIGURE is narrow enough: FIGURE:rel=5% or "
                  "FIGURE:abs=0.01 (FIGURE: mttr, p_slo_met, p_slo_not_met, ... or a summary "
                  "figure name; a probability also waits for 10 events)");
  cmd->add_option("--max-trials", opts->max_trials,
                  "With --until: stop after this many trials at most (default 1000000)");
  cmd->add_option("--batch", opts->batch,
                  "Trials per block (the --until check runs after each block; default 1024, "
                  "fewer for a model whose trials hold more than 64 KiB of results)");
  cmd->add_flag("-q,--quiet", opts->quiet, "No progress line on standard error");
  cmd->add_flag("--compress-series", opts->compress_series,
                "HDF5: deflate /budget too (about half the file, ~12 % more CPU per trial)");
  cmd->callback([opts] {
    try {
      run(*opts, app_command_line());
    } catch (...) {
      // Under MPI, tell the other ranks (waiting in the collective check).
      if (mpi_size() > 1 && !g_collective_done) mpi_all_ok(false);
      throw;
    }
  });
}

}  // namespace relsim::cli
