// The CSV export: a directory of tables with a header row each (columns in
// docs/export.md), in long form so that a system of any size has the same
// columns: trials.csv (one row per trial), slos.csv (one row per trial and
// SLO), services.csv (per trial and service), teams.csv (per trial and
// team), all appended block by block; incidents.csv (one row per incident,
// with service, cause and team names), incident_services.csv (its impact
// set: one row per service it impaired) and incident_slos.csv (the budget it
// cost each SLO); budget.csv (the remaining-budget
// series of the directory's first kCsvBudgetTrials trials, one row per
// trial, SLO and sample), envelope.csv (per SLO and sample), summary.csv and
// meta.json. Numbers are shortest round-trip text (NaN is an empty field),
// so they read back as the exact doubles of the HDF5 export. Not
// thread-safe.
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
  /// Creates `dir` (which must not exist) with the headers of the per-trial
  /// files. Throws std::runtime_error ("cannot write 'DIR/FILE': reason").
  CsvResultsWriter(const std::string& dir, const models::CompiledModel& model);

  /// Appends the next trials in trial order.
  void append(const TrialBlock& block);
  /// Writes summary.csv, envelope.csv and meta.json and closes every file.
  void finish(const RunSummary& summary, const RunMeta& meta);

 private:
  void check(std::ofstream& out, const std::string& file);
  void open(std::ofstream& out, const std::string& file, const std::string& header);

  std::string dir_;
  const models::CompiledModel& model_;
  TrialLayout layout_;
  std::ofstream trials_;
  std::ofstream slos_;
  std::ofstream services_;
  std::ofstream teams_;
  std::ofstream incidents_;
  std::ofstream impacts_;        // incident_services.csv
  std::ofstream incident_slos_;  // incident_slos.csv
  std::ofstream budget_;
  std::uint64_t rows_ = 0;
};

/// The header line (without newline) of each per-trial CSV file of a run
/// with `layout`: `trials.csv`, `slos.csv`, `services.csv`, `teams.csv`,
/// `incidents.csv`, `budget.csv`; envelope.csv and summary.csv have fixed
/// headers (csv_header("envelope.csv"), csv_header("summary.csv")). Throws
/// std::invalid_argument for another name.
std::string csv_header(const TrialLayout& layout, const std::string& file);

}  // namespace relsim::analysis
