// The HDF5 results file of a run (layout in docs/export.md): `/meta`
// (attributes), `/names` (the SLO, tier, service, team, component and cause
// names that columns and indices refer to), `/trials` (one compound row of
// scalars per trial), one 2-D dataset per figure — `/slo/<field>` trials ×
// SLOs, `/service/<field>` trials × services, `/team/<field>` trials × teams
// — so a file holds a system of any size, `/incidents` (one compound row per
// incident), `/budget/<slo>` (every trial's remaining-budget series, trials
// × samples), `/summary` (one compound row per figure) and
// `/envelope/<slo>`. HDF5 handles never leave analysis/: these classes hide
// them.
//
// The writer appends blocks of trials as they finish (chunked datasets of
// block_trials(model) rows, deflate-compressed when the library has it), so
// memory holds one block;
// the series it stored are read back a few samples at a time for the
// summary's envelope. The reader serves `relsim merge` and tests.
// Neither is thread-safe (the HDF5 library of Debian is not built
// thread-safe): use one object on one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/summary_figures.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

class ResultsFileWriter {
 public:
  /// What a file holds: the whole layout, or (a scratch store whose series
  /// are read back for the summary's envelope and then deleted) only
  /// `/budget/<slo>`, uncompressed: no trial, figure or incident table is
  /// written that nobody would read.
  enum class Content { results, series_only };
  /// Creates (or truncates) `path` with `/meta` and an empty `/trials`.
  /// `compress`: deflate `/trials` and `/incidents`; `compress_series`:
  /// deflate `/budget/<slo>` too — it halves the file but costs ~12 % more
  /// CPU per trial (bench/bench_export.cpp), so it is off by default.
  /// Throws std::runtime_error ("cannot write 'PATH': reason").
  ResultsFileWriter(const std::string& path, const models::CompiledModel& model,
                    const RunMeta& meta, bool compress = true, bool compress_series = false);
  /// A store of `content` (Content::series_only: only `/budget`, which
  /// read_series serves; finish is then not to be called).
  ResultsFileWriter(const std::string& path, const models::CompiledModel& model,
                    const RunMeta& meta, Content content);
  ~ResultsFileWriter();
  ResultsFileWriter(const ResultsFileWriter&) = delete;
  ResultsFileWriter& operator=(const ResultsFileWriter&) = delete;

  /// Appends the next trials (rows in trial order, series per SLO). Small
  /// blocks are gathered until a whole chunk (block_trials(model) trials) can
  /// be written, so each chunk is compressed once. Throws std::runtime_error
  /// on a write error, a row of another shape or a series of another length.
  void append(const TrialBlock& block);
  /// Trials appended so far.
  std::uint64_t rows() const;
  /// Samples per trial of SLO `slo`'s series (0 before the first append).
  std::size_t series_length(std::size_t slo) const;
  /// Samples [first, first + count) of every stored trial's series of SLO
  /// `slo`, trial-major (an analysis::SeriesColumnReader). Writes gathered
  /// trials first.
  void read_series(std::size_t slo, std::size_t first, std::size_t count, std::vector<float>& out);
  /// Writes `/summary` and `/envelope/<slo>`, rewrites `/meta` from `meta`
  /// (whose trial counts may have changed) and closes the file.
  void finish(const RunSummary& summary, const RunMeta& meta);
  /// Closes the file (also done by the destructor).
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ResultsFileReader {
 public:
  /// Opens a results file. Throws std::runtime_error naming `path` when it
  /// is missing, not HDF5, not a relsim results file, of another format
  /// version, or when a dataset's shape disagrees with `/names`.
  explicit ResultsFileReader(const std::string& path);
  ~ResultsFileReader();
  ResultsFileReader(const ResultsFileReader&) = delete;
  ResultsFileReader& operator=(const ResultsFileReader&) = delete;

  const std::string& path() const;
  const RunMeta& meta() const;
  const TrialLayout& layout() const;
  /// Rows in `/trials`.
  std::uint64_t rows() const;
  /// Trials per chunk of `/trials`: the block to read at a time, which keeps
  /// memory at what the writer held.
  std::uint64_t block_trials() const;
  /// Samples per trial of SLO `slo`'s series.
  std::size_t series_length(std::size_t slo) const;
  /// The `/summary` table (empty when the file has none: an unfinished run).
  std::vector<FigureRow> read_summary() const;
  /// Rows in `/incidents`.
  std::uint64_t incident_rows() const;
  /// Rows [first, first + count), their incidents and their series. Reading
  /// blocks in increasing order is O(block); jumping back rescans the rows.
  TrialBlock read_block(std::uint64_t first, std::uint64_t count) const;

 private:
  TrialBlock read_rows(std::uint64_t first, std::uint64_t count) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relsim::analysis
