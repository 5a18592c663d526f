// Writing a run's results while its trials run: `ResultsWriter` takes blocks
// of trials in trial order, feeds the streaming summary and appends them to
// the export (HDF5, CSV or JSON; docs/export.md), so memory holds one block
// whatever the trial count.
//
// The remaining-budget envelope of the summary (JSON, the HTML report, the
// CSV and HDF5 exports) needs every trial's series: they go to an HDF5
// store — the output file itself for HDF5; for CSV or JSON a scratch file
// `.NAME.relsim-tmp.scratch.XXXXXX` beside the output; without an output,
// `relsim-scratch.relsim-tmp.XXXXXX` in the system's temporary directory
// ($TMPDIR, else /tmp) — from which the envelope is read back at the end. A writer
// told that no envelope is wanted and given no output keeps no store at all.
// The scratch file is unlinked as soon as HDF5 has opened it, so no exit
// path (an error, a signal, even SIGKILL) leaves it behind; its disk space
// is freed when the writer closes it or the process ends.
//
// Nothing appears at the target path until `commit`: output goes to a
// unique temporary (analysis/safe_output.hpp: a file, or a directory for
// CSV) and the scratch store to another, both in the target's directory; `commit` renames the
// temporary into place, and destroying an uncommitted writer (an error, an
// interrupt) removes them. Not thread-safe: one writer per run, used from
// one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "analysis/export_json.hpp"
#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

enum class ExportFormat { hdf5, csv, json };

/// `hdf5`, `csv`, `json`.
const char* to_string(ExportFormat f);

/// The format named `name` (`hdf5`, `csv`, `json`); nullopt otherwise.
std::optional<ExportFormat> parse_export_format(const std::string& name);

/// The format a path implies: `.h5`/`.hdf5` HDF5, `.json` JSON, `.csv`, a
/// trailing `/` or no extension CSV (a directory); nullopt for any other
/// extension.
std::optional<ExportFormat> export_format_of(const std::string& path);

struct ExportTarget {
  std::string path;
  ExportFormat format = ExportFormat::hdf5;
  /// HDF5: deflate the remaining-budget series too (`--compress-series`).
  bool compress_series = false;
};

/// Throws std::runtime_error ("cannot write 'PATH': reason") unless `target`
/// can be written: its directory exists and is writable; an HDF5 or JSON
/// path is not a directory; a CSV path is not a file, nor a non-empty
/// directory other than an earlier CSV export (which commit replaces).
void check_export_target(const ExportTarget& target);

class ResultsWriter {
 public:
  /// Opens the temporaries for `target` (none: a scratch store in the
  /// system's temporary directory when `envelopes`, else nothing).
  /// `meta.trial_count` is the number of trials that will be recorded.
  /// `envelopes`: whether summarize() computes the remaining-budget
  /// envelopes (always with a target). Throws std::runtime_error.
  ResultsWriter(const models::CompiledModel& model, RunMeta meta,
                std::optional<ExportTarget> target, bool envelopes = true);
  ~ResultsWriter();
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  /// Records the next trials (in trial order, from the file's first trial on).
  void record(const TrialBlock& block);
  /// Trials recorded so far.
  std::uint64_t trials() const;
  /// The summary of the trials recorded so far without the remaining-budget
  /// envelopes (cheap enough to call after every block, for `--until`).
  RunSummary snapshot() const;
  /// Corrects the metadata before commit: the run's trial count (a run that
  /// `--until` stopped early is a run of the trials it did) and the trials
  /// in this file.
  void set_trials(std::uint64_t run_trials, std::uint64_t trial_count);
  /// The metadata as it will be written.
  const RunMeta& meta() const;
  /// The summary, at `meta.confidence`, of every trial recorded (call once,
  /// after the last block); its remaining-budget envelopes are empty when
  /// the writer has no target and was told none are wanted.
  RunSummary summarize();
  /// Writes the summary tables and renames the output into place.
  void commit(const RunSummary& summary, const Timing& timing);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relsim::analysis
