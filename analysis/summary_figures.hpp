// The run summary flattened into one row per figure (the `/summary` table of
// the HDF5 export and summary.csv): a dotted figure name, the estimate, its
// interval and how it was made. The figure names and units are listed in
// docs/export.md. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

struct FigureRow {
  std::string figure;  // e.g. `slo.payment-availability.budget_consumed.p95`
  double estimate = 0.0;
  double low = 0.0;  // −∞ / +∞ for an unbounded end, NaN without an interval
  double high = 0.0;
  double confidence = 0.0;
  /// `t_log`, `t_logit`, `garwood_quasi`, `wilson`, `order_statistic`,
  /// `ratio_by_trial`, `wilson_by_trial`, `woodruff_by_trial`, `exact`, `count`
  /// (docs/results.md); low and high are NaN below a method's minimum n.
  std::string method;
  std::string unit;     // `fraction`, `minutes`, `seconds`, `events`, `trials`, `pages`, ...
  std::uint64_t n = 0;  // observations behind the estimate
};

/// Every figure of `summary` in a fixed order: run figures, then per SLO
/// (model order), per service, pages and per team, then incidents per
/// severity group (all, sev1..sev4) and duration (mttr, ttd, tta, ttm).
std::vector<FigureRow> summary_figures(const models::CompiledModel& model,
                                       const RunSummary& summary);

}  // namespace relsim::analysis

namespace relsim::analysis {

/// The figure row named `name` in `figures`, or the one an alias stands for:
/// `mttr`, `ttd`, `tta`, `ttm` (incidents.all.<x>.mean), `p_slo_met`, `p_slo_not_met`,
/// `attainment`, `budget_consumed` (of the first SLO), `availability` (of
/// the first service), `pages` (pages.per_trial). nullptr when none.
const FigureRow* find_figure(const std::vector<FigureRow>& figures, const std::string& name);

}  // namespace relsim::analysis
