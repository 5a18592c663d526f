// Alert rules on a low-traffic service (docs/alerting.md, "Low traffic").
// The fluid model counts requests as a continuum: at 10 requests an hour one
// failed request is not the 10 % spike it is in production. Here requests
// are counted per evaluation interval instead: good ~ Poisson(λΔ(1 − p)) and
// bad ~ Poisson(λΔp), independent (a Poisson stream of requests, each failing
// with probability p, splits so), with p the baseline ratio, or the incident
// ratio while one of the incidents (Poisson arrivals, fixed length) lasts.
// The rules are evaluated at every tick on those counts, with an optional
// minimum-traffic gate (the long window must hold at least `min_requests`
// requests), and judged like the lab judges them: pages, noise pages,
// precision and recall. Every rule set sees the same counts and incidents
// (streams keyed by seed and trial only: common random numbers).
#pragma once

#include <cstdint>

#include "analysis/alert_lab.hpp"
#include "analysis/alert_rules.hpp"
#include "sim/random.hpp"

namespace relsim::analysis {

struct LowTrafficConfig {
  double requests_per_second = 10.0 / 3600.0;
  double baseline_error = 0.0;
  double objective = 0.999;
  sim::Duration period = sim::Duration::days(30);   // the SLO window (the budget's)
  sim::Duration horizon = sim::Duration::days(30);  // of one trial
  double incidents_per_day = 1.0 / 7.0;
  double incident_error = 0.1;
  sim::Duration incident_duration = sim::Duration::minutes(30);
  double significant_share = 0.02;
  std::uint64_t min_requests = 0;  // 0: no gate
  std::uint64_t trials = 200;
  std::uint64_t seed = 1;
  double confidence = 0.95;
};

struct LowTrafficResult {
  LabFigure pages_per_week;        // page firings per 7 days (per trial)
  LabFigure noise_pages_per_week;  // firings outside every incident (+ its longest window)
  LabFigure precision;             // firings on significant incidents / firings
  LabFigure recall;                // significant incidents with a firing while they lasted
  LabFigure ttd_minutes;           // over significant incidents detected while they lasted
  std::uint64_t significant_incidents = 0;
};

/// Runs the page route of `set` on counted traffic. Throws
/// std::invalid_argument for a rate or share out of range.
LowTrafficResult run_low_traffic(const RuleSet& set, const LowTrafficConfig& config);

/// A Poisson(mean) draw (inversion; sums of parts of mean <= 30 above that),
/// written in the project so it is the same on every standard library.
std::uint64_t poisson(sim::Rng& rng, double mean);

}  // namespace relsim::analysis
