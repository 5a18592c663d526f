// What `relsim run` and `relsim merge` share: the shard from `--shard`
// (with `auto/n` from the batch system's environment), the export target
// from `--out`, early checks of output paths, the command line for the
// results' metadata, and Ctrl-C handling that lets a run stop at the next
// block and remove its temporaries (exit code 130, no file left).
// Process-wide state: the recorded command line and the interrupt flag.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/results_writer.hpp"
#include "analysis/run_meta.hpp"
#include "models/compiled_model.hpp"
#include "sim/runner.hpp"

namespace relsim::cli {

/// `i/n`, or `auto/n` with i from JOB_COMPLETION_INDEX (Kubernetes Indexed
/// Jobs) or else SLURM_ARRAY_TASK_ID (Slurm job arrays). Throws
/// std::invalid_argument naming the variable when it is missing or out of range.
sim::Shard resolve_shard(const std::string& text);

/// The export target of `--out PATH` (`--out-format` when given, else the
/// format PATH's extension implies). Throws std::invalid_argument when
/// neither says.
analysis::ExportTarget export_target(const std::string& path, const std::string& format);

/// Throws std::runtime_error (`cannot write 'PATH': reason`) before any
/// work when `path` cannot be written: no directory, not writable, a directory.
void check_writable(const std::string& path);

/// The metadata a results file of a run of `file` (a Scenario or GameDay,
/// whose system is `system_file`, or `file` itself when that is empty) with
/// `overrides` starts from: the names, both files and their text verbatim,
/// the overrides, seed, trials (all of them in this file), confidence, the
/// program's command line and the start time. The caller sets the version
/// and, for a shard, the shard fields.
analysis::RunMeta run_meta_for(const std::string& file, const std::string& system_file,
                               const models::CompiledModel& model,
                               const std::vector<std::string>& overrides, std::uint64_t seed,
                               std::uint64_t trials, double confidence);

/// Records the program's arguments (called by main).
void set_command_line(int argc, const char* const* argv);
/// The recorded arguments, shell-quoted and joined.
const std::string& app_command_line();

/// Thrown when SIGINT or SIGTERM stopped the work; main exits with 130.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted; no output written") {}
};

/// While alive, SIGINT and SIGTERM set a flag (`interrupted()`) instead of
/// killing the process; a second signal kills it as usual.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// True once a signal arrived under an InterruptGuard.
bool interrupted();

}  // namespace relsim::cli
