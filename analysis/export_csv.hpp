// The CSV export: a directory of tables with a header row each (columns in
// docs/export.md): trials.csv (one row per trial, appended block by block),
// incidents.csv (one row per incident, with service, cause and team names),
// budget_<slo>.csv (the remaining-budget series of the directory's first
// kCsvBudgetTrials trials, one row per trial and sample), envelope_<slo>.csv,
// summary.csv and meta.json. Numbers are shortest round-trip text (NaN is an
// empty field), so they read back as the exact doubles of the HDF5 export.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/run_meta.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

/// Trials whose series budget_<slo>.csv holds (the first ones of the directory).
inline constexpr std::uint64_t kCsvBudgetTrials = 100;

class CsvResultsWriter {
 public:
  /// Creates `dir` (which must not exist) with the headers of trials.csv and
  /// budget_<slo>.csv. Throws std::runtime_error ("cannot write 'DIR/FILE': reason").
  CsvResultsWriter(const std::string& dir, const models::CompiledModel& model);

  /// Appends the next trials in trial order.
  void append(const TrialBlock& block);
  /// Writes summary.csv, envelope_<slo>.csv and meta.json and closes every file.
  void finish(const RunSummary& summary, const RunMeta& meta);

 private:
  void check(std::ofstream& out, const std::string& file);
  std::string slo_file_name(std::size_t slo) const;

  std::string dir_;
  const models::CompiledModel& model_;
  TrialLayout layout_;
  std::vector<std::string> budget_files_;
  std::ofstream trials_;
  std::ofstream incidents_;
  std::vector<std::ofstream> budget_;
  std::uint64_t rows_ = 0;
};

/// `name` made safe as part of a file name: characters other than letters,
/// digits, `-`, `_` and `.` become `_`.
std::string file_safe(const std::string& name);

}  // namespace relsim::analysis
