// The results file of `relsim compare` and `relsim sensitivity` (`--out`,
// docs/compare.md "The results file"): every run's per-trial figures, one column
// per (run, subject, figure), one row per trial, in trial order. Written
// atomically as HDF5 (`/figures`), JSON or a folder of CSV files; a value a
// trial does not have (no incident to take a mean over) is NaN in HDF5,
// null in JSON and empty in CSV. Plain data in, no model needed: the
// columns point into the caller's vectors, which must outlive the call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/results_writer.hpp"

namespace relsim::analysis {

/// One per-trial figure of one run: values[i] belongs to trial first_trial + i.
struct FigureColumn {
  std::string run;      // the variant: `baseline`, `replicas=6`, a parameter's `+10%`
  std::string subject;  // an SLO, service or team name, or `incidents`
  std::string figure;   // attainment, pMet, budgetConsumed, availability, mttr, pages, ...
  std::string unit;     // fraction, count or minutes
  const std::vector<double>* values = nullptr;
};

struct FigureTableMeta {
  std::string command;  // compare or sensitivity
  std::string relsim_version;
  std::string command_line;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;       // trials of each run
  std::uint64_t first_trial = 0;  // the first row's trial (a replayed trial's index)
  double confidence = 0.95;
};

/// Calls `visit(name, camel_name, field)` for every field of `meta` in file
/// order: the one list the HDF5 attributes of `/figures` and the JSON and
/// CSV `meta` objects are written from (as for_each_meta_field for a run).
/// `field` is a std::string, std::uint64_t or double.
template <class Meta, class Visit>
void for_each_figure_meta_field(Meta& meta, Visit&& visit) {
  visit("command", "command", meta.command);
  visit("relsim_version", "relsimVersion", meta.relsim_version);
  visit("command_line", "commandLine", meta.command_line);
  visit("seed", "seed", meta.seed);
  visit("trials", "trials", meta.trials);
  visit("first_trial", "firstTrial", meta.first_trial);
  visit("confidence", "confidence", meta.confidence);
}

/// Writes `columns` to `target` (every column as long as the first). Throws
/// std::invalid_argument for columns of different lengths,
/// std::runtime_error when the file cannot be written (nothing is left).
void write_figure_table(const ExportTarget& target, const FigureTableMeta& meta,
                        const std::vector<FigureColumn>& columns);

}  // namespace relsim::analysis
