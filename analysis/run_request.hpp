// "Run a scenario to a summary" as a library call (what `relsim run` does
// between parsing its flags and printing): a RunRequest says which trials
// (count, seed, threads, shard or one replayed trial), when to stop (a
// fixed count, or a models::StoppingRule: the scenario's `trials: {until:
// ...}` or `--until`), where the trials go (the results file of `--out`, or
// under MPI this rank's part file) and what the summary needs (envelopes,
// the report's resolve times). run_scenario runs the trials on a pool of
// threads in blocks, streams each block in trial order into the summary
// and the results file, checks the stopping rule after each block, and
// returns the summary, the incident figures and how the run ended. The
// results are bit-identical for any thread count and shard split; memory
// holds one block whatever the trial count. No global state: progress and
// interruption come in through a RunObserver. Figures and intervals:
// docs/results.md; the stopping rule: docs/results.md, "Stopping".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_meta.hpp"
#include "analysis/run_report.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/scenario.hpp"
#include "sim/runner.hpp"

namespace relsim::analysis {

/// `FIGURE:rel=5%` / `FIGURE:abs=0.01` (`rel=0.05` too) as a stopping rule
/// with the default trial bounds (100 to 1,000,000). Throws
/// std::invalid_argument naming `--until` and the expected form.
models::StoppingRule parse_until(const std::string& spec);

/// Where the trials of one MPI rank go: rank `rank` of `ranks` runs shard
/// rank/ranks into the HDF5 part file `part`.
struct RunPart {
  std::uint32_t rank = 0;
  std::uint32_t ranks = 1;
  std::string part;
};

/// The part files of an MPI run with `ranks` ranks whose rank 0 has process
/// id `id`: beside `target` (or in the temporary directory without one),
/// `relsim-mpi-<id>-rank-<r>.part.h5`.
std::vector<std::string> mpi_part_paths(const std::optional<ExportTarget>& target, std::uint64_t id,
                                        std::uint32_t ranks);

struct RunRequest {
  std::optional<std::uint64_t> trials;  // nullopt: the scenario's (or its stopping rule)
  std::optional<std::uint64_t> seed;    // nullopt: the scenario's
  unsigned threads = 0;                 // 0: all cores; results do not depend on it
  sim::Shard shard{0, 1};
  std::optional<std::uint64_t> trial_index;  // replay this trial alone
  double confidence = 0.95;
  /// `--until` and its text (as given, for messages); it wins over the
  /// scenario's rule, which applies only to a whole run given no `trials`.
  std::optional<models::StoppingRule> until;
  std::string until_text;
  std::optional<models::StoppingRule> scenario_until;  // the scenario's `trials: {until: ...}`
  std::optional<std::uint64_t> max_trials;             // overrides the rule's cap
  std::optional<std::uint64_t> batch;                  // trials per block; default block_trials
  /// Output sinks: the results file (`--out`), whether the summary needs
  /// the remaining-budget envelopes without one (JSON, the report), and
  /// whether to keep the report's times to resolve.
  std::optional<ExportTarget> target;
  bool envelopes = false;
  bool report_resolve_times = false;
  /// This process's part of an MPI run (ranks > 1): the shard and target
  /// are then rank/ranks and the part file; no stopping rule, shard or
  /// trial index may be asked for.
  RunPart mpi;
  /// The metadata the results start from (names, files and their text,
  /// overrides, command line, version); run_scenario fills the seed, trial
  /// counts, shard and confidence.
  RunMeta meta;
};

/// What the caller sees while the trials run. trial_done is called from
/// worker threads (once per trial); note and stop_requested from the
/// thread that reduces blocks. Default: nothing shown, never stopped.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// One more trial finished (any thread).
  virtual void trial_done() {}
  /// The stopping rule's state after a block, e.g. `rel half-width 2.1 % (target 5 %)`.
  virtual void note(const std::string& /*text*/) {}
  /// True to stop at the next block and throw away what is running (Ctrl-C).
  virtual bool stop_requested() const { return false; }
};

struct RunOutcome {
  RunMeta meta;  // as written to the results file (trials: the run's, a stopped run's count)
  RunSummary summary;
  IncidentSummary incidents;  // the incident extras (by cause, severity, DORA, ...)
  RunReportInput report;      // resolve times when asked for; model and summary not set
  std::uint64_t master_seed = 0;
  std::uint64_t first_trial = 0;
  std::uint64_t trials_done = 0;
  std::string stop_note;  // how a stopping rule ended the run; empty otherwise
  Timing timing;          // wall seconds of the trials, threads used
  bool stopped = false;   // the observer asked to stop: nothing was committed
};

/// Checks a request before anything is loaded or run: the confidence level,
/// the batch size, the MPI constraints. Throws std::invalid_argument.
void check_request(const RunRequest& request);

/// The runner options `request` resolves to on `model` (trial count, seed,
/// shard; the stopping rule's cap), with every check run_scenario makes
/// first. Throws std::invalid_argument as run_scenario does.
sim::RunnerOptions runner_options(const models::CompiledModel& model, const RunRequest& request);

/// Runs `model`'s trials as `request` says into its sinks and returns the
/// summary. Throws std::invalid_argument for a request that does not fit
/// the model (no trials, an empty shard, a stopping rule with --trials or
/// a shard, an unknown figure), sim::TrialFailure for a failed trial (its
/// index and seed), std::runtime_error for output errors. When the observer
/// asks to stop, returns with `stopped` set and no results file.
RunOutcome run_scenario(const models::CompiledModel& model, const RunRequest& request,
                        RunObserver* observer = nullptr);

}  // namespace relsim::analysis
