// One trial's scalar figures as a flat row, the unit that the summary
// accumulator reads and the exporters write (the `/trials` table of
// docs/export.md), plus the remaining-budget series kept beside it.
//
// A `TrialLayout` names the columns of a model: per SLO good, total,
// attainment, met, budget consumed, budget minutes and the time each
// budget-policy tier was first reached; per service good, total,
// availability. Rows of one model always have the layout's shape, so blocks
// of rows from threads, shards and files concatenate in trial order.
// Value types; thread-safe as values are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

struct SloTrialRow {
  double good = 0.0;
  double total = 0.0;
  double attainment = 1.0;
  bool met = true;
  double budget_consumed = 0.0;
  double budget_minutes = 0.0;
  /// Per budget-policy tier: seconds from the trial's start to when the tier
  /// was first reached; NaN when it never was.
  std::vector<double> tier_reached_s;
};

struct ServiceTrialRow {
  double good = 0.0;
  double total = 0.0;
  double availability = 1.0;  // good / total, 1 when total is 0
};

struct TrialRow {
  std::uint64_t trial = 0;   // index in the run
  std::uint64_t events = 0;  // kernel events
  std::vector<SloTrialRow> slos;          // model.slos order
  std::vector<ServiceTrialRow> services;  // model.services order
};

/// A block of consecutive trials: their rows and, per SLO, their
/// remaining-budget series as a rows × samples matrix (row-major).
struct TrialBlock {
  std::vector<TrialRow> rows;
  std::vector<std::vector<float>> series;  // per SLO
};

/// The names of a model's columns (see docs/export.md, "/trials").
struct TrialLayout {
  std::vector<std::string> slos;      // SLO names, model order
  std::vector<std::string> tiers;     // budget-policy tier labels (the action; `action_k` when repeated)
  std::vector<std::string> services;  // service names, model order

  /// Column names, in the order of the exported tables: `trial`, `events`,
  /// then `slo.<name>.<field>` per SLO and `service.<name>.<field>` per service.
  std::vector<std::string> columns() const;
  friend bool operator==(const TrialLayout&, const TrialLayout&) = default;
};

/// The layout of `model`'s trial rows.
TrialLayout trial_layout(const models::CompiledModel& model);

/// The row of trial `trial` from its result. Throws std::invalid_argument
/// ("trial result N has ...") when `r` does not have the model's shape.
TrialRow to_row(const models::CompiledModel& model, const models::TrialResult& r,
                std::uint64_t trial);

/// Rows and series of the consecutive trials `results` (the first is trial
/// `first_trial`). Throws std::invalid_argument when a result does not have
/// the model's shape or its series lengths differ from the first result's.
TrialBlock to_block(const models::CompiledModel& model,
                    const std::vector<models::TrialResult>& results, std::uint64_t first_trial);

}  // namespace relsim::analysis
