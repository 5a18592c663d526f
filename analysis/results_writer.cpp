// Writing a run's results block by block (see results_writer.hpp).
#include "analysis/results_writer.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "analysis/export_csv.hpp"
#include "analysis/results_file.hpp"
#include "analysis/safe_output.hpp"
#include "analysis/summary_accumulator.hpp"

namespace relsim::analysis {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  throw std::runtime_error("cannot write '" + path + "': " + why);
}

/// A directory `relsim run --out-format csv` wrote (so commit may replace it).
bool is_csv_export(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "meta.json", ec) && fs::is_regular_file(dir / "trials.csv", ec);
}

}  // namespace

const char* to_string(ExportFormat f) {
  switch (f) {
    case ExportFormat::hdf5:
      return "hdf5";
    case ExportFormat::csv:
      return "csv";
    case ExportFormat::json:
      return "json";
  }
  return "?";
}

std::optional<ExportFormat> parse_export_format(const std::string& name) {
  for (const auto f : {ExportFormat::hdf5, ExportFormat::csv, ExportFormat::json}) {
    if (name == to_string(f)) return f;
  }
  return std::nullopt;
}

std::optional<ExportFormat> export_format_of(const std::string& path) {
  if (!path.empty() && path.back() == '/') return ExportFormat::csv;
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".h5" || ext == ".hdf5") return ExportFormat::hdf5;
  if (ext == ".json") return ExportFormat::json;
  if (ext == ".csv" || ext.empty()) return ExportFormat::csv;
  return std::nullopt;
}

void check_export_target(const ExportTarget& t) {
  fs::path p(t.path);
  if (!t.path.empty() && t.path.back() == '/') p = fs::path(t.path.substr(0, t.path.size() - 1));
  if (p.empty()) cannot_write(t.path, "empty path");
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) cannot_write(t.path, "no directory '" + dir.string() + "'");
  const bool in_place = written_in_place(t.path);  // a device or FIFO: its folder is not written
  if (!in_place && ::access(dir.c_str(), W_OK) != 0) cannot_write(t.path, std::strerror(errno));
  const bool is_dir = fs::is_directory(p, ec);
  if (t.format == ExportFormat::csv) {
    if (in_place) {
      cannot_write(t.path,
                   "it is a device, FIFO or socket, and CSV output is a folder (choose "
                   "--out-format hdf5 or json)");
    }
    if (fs::exists(p, ec) && !is_dir)
      cannot_write(t.path, "it is a file (CSV output is a directory)");
    if (is_dir && !fs::is_empty(p, ec) && !is_csv_export(p)) {
      cannot_write(t.path, "it is a directory that does not hold a relsim CSV export");
    }
  } else if (is_dir) {
    cannot_write(t.path, "it is a directory");
  }
  // Not an input of the command, and no other relsim process writes it.
  claim_output(t.path, t.format == ExportFormat::csv ? OutputKind::directory : OutputKind::file);
}

struct ResultsWriter::Impl {
  const models::CompiledModel& model;
  RunMeta meta;
  std::optional<ExportTarget> target;
  std::unique_ptr<AtomicFile> output;    // the target's temporary (file or directory)
  std::unique_ptr<ScratchFile> scratch;  // the series store's name when it is not the output
  std::unique_ptr<ResultsFileWriter> store;
  std::unique_ptr<CsvResultsWriter> csv;
  SummaryAccumulator acc;
  bool committed = false;

  Impl(const models::CompiledModel& m, RunMeta r, std::optional<ExportTarget> t)
      : model(m), meta(std::move(r)), target(std::move(t)), acc(m, meta.confidence) {}

  void remove_temporaries() noexcept {
    store.reset();
    csv.reset();
    if (output) output->discard();
    scratch.reset();
  }

  /// The series store in a scratch file beside `beside` (empty: the system's
  /// temporary directory), unlinked as soon as HDF5 has it open (HDF5 keeps
  /// its descriptor), so no exit path leaves it behind. Series only: the
  /// summary reads back nothing else.
  void open_scratch(const std::string& beside) {
    scratch = std::make_unique<ScratchFile>(beside);
    store = std::make_unique<ResultsFileWriter>(scratch->path(), model, meta,
                                                ResultsFileWriter::Content::series_only);
    std::error_code ec;
    if (!fs::remove(scratch->path(), ec) || ec) {
      store.reset();
      cannot_write(scratch->path(), "cannot remove the scratch file: " + ec.message());
    }
  }
};

ResultsWriter::ResultsWriter(const models::CompiledModel& model, RunMeta meta,
                             std::optional<ExportTarget> target, bool envelopes)
    : impl_(std::make_unique<Impl>(model, std::move(meta), std::move(target))) {
  auto& d = *impl_;
  try {
    if (!d.target) {
      if (envelopes) d.open_scratch(std::string());
      return;
    }
    const bool csv = d.target->format == ExportFormat::csv;
    d.output = std::make_unique<AtomicFile>(d.target->path,
                                            csv ? OutputKind::directory : OutputKind::file);
    if (d.target->format == ExportFormat::hdf5) {
      d.store = std::make_unique<ResultsFileWriter>(d.output->temp_path(), model, d.meta, true,
                                                    d.target->compress_series);
      return;
    }
    d.open_scratch(d.target->path);
    if (csv) d.csv = std::make_unique<CsvResultsWriter>(d.output->temp_path(), model);
  } catch (...) {
    d.remove_temporaries();
    throw;
  }
}

ResultsWriter::~ResultsWriter() {
  if (!impl_->committed) impl_->remove_temporaries();
}

void ResultsWriter::record(const TrialBlock& block) {
  auto& d = *impl_;
  d.acc.add(block);
  if (d.store) d.store->append(block);
  if (d.csv) d.csv->append(block);
}

std::uint64_t ResultsWriter::trials() const { return impl_->acc.trials(); }

RunSummary ResultsWriter::snapshot() const { return impl_->acc.snapshot(); }

void ResultsWriter::set_trials(std::uint64_t run_trials, std::uint64_t trial_count) {
  impl_->meta.trials = run_trials;
  impl_->meta.trial_count = trial_count;
}

const RunMeta& ResultsWriter::meta() const { return impl_->meta; }

RunSummary ResultsWriter::summarize() {
  auto& d = *impl_;
  std::vector<BudgetSeriesSummary> envelopes;
  for (std::size_t s = 0; s < d.model.slos.size(); ++s) {
    if (!d.store) {
      envelopes.emplace_back();
      continue;
    }
    envelopes.push_back(
        budget_envelope(d.store->rows(), d.store->series_length(s),
                        [&](std::size_t first, std::size_t count, std::vector<float>& out) {
                          d.store->read_series(s, first, count, out);
                        }));
  }
  return d.acc.finish(std::move(envelopes));
}

void ResultsWriter::commit(const RunSummary& summary, const Timing& timing) {
  auto& d = *impl_;
  if (!d.target) {
    d.remove_temporaries();
    d.committed = true;
    return;
  }
  switch (d.target->format) {
    case ExportFormat::hdf5:
      d.store->finish(summary, d.meta);
      break;
    case ExportFormat::csv:
      d.store->close();
      d.csv->finish(summary, d.meta);
      break;
    case ExportFormat::json: {
      d.store->close();
      d.output->write(summary_json(d.model, summary, d.meta, timing, true));
      break;
    }
  }
  d.store.reset();  // closes the HDF5 file before the rename
  d.csv.reset();
  d.scratch.reset();
  d.output->commit();  // replaces an earlier CSV export whole (check_export_target)
  d.committed = true;
  d.store.reset();
  d.csv.reset();
}

}  // namespace relsim::analysis
