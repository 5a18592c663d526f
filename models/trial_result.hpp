// What one trial of a scenario produces: per SLO and per service, fixed in
// shape for a given compiled model (so results of threads and shards merge
// by concatenation in trial order). See docs/model.md, "SLOs and error
// budgets", for every definition.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/time.hpp"

namespace relsim::models {

struct SloTrialResult {
  double good = 0.0;             // good requests in the SLO window
  double total = 0.0;            // all requests in the SLO window
  double attainment = 1.0;       // good / total (1 when total is 0)
  bool met = true;               // attainment >= objective
  double budget_consumed = 0.0;  // (total − good) / ((1 − objective) × total)
  double budget_minutes = 0.0;   // (total − good) / total × window, in minutes
  /// Per budget-policy tier (model.budget_policy order): the offset from the
  /// start of the trial at which the tier was first reached; nullopt when
  /// never. The first tier (ship) is reached at the window's start.
  std::vector<std::optional<sim::Duration>> tier_reached;
  /// Remaining budget fraction (1 − consumed so far / the window's budget),
  /// sampled every `series_step` from the window's start; the last sample is
  /// at the window's end.
  std::vector<float> remaining_budget;
};

struct ServiceTrialResult {
  double good = 0.0;   // requests that succeeded, over the whole trial
  double total = 0.0;  // requests that arrived
  double availability() const { return total > 0.0 ? good / total : 1.0; }
};

struct TrialResult {
  std::vector<SloTrialResult> slos;          // model.slos order
  std::vector<ServiceTrialResult> services;  // model.services order
  std::uint64_t events = 0;                  // events the kernel handled
};

}  // namespace relsim::models
