// What MTTR can and cannot tell (docs/incident-data.md), after Davidovič,
// "Incident Metrics in SRE" (Google, 2021): two periods of N incidents each
// are drawn from one duration distribution (the imported durations,
// resampled with replacement, or a lognormal or normal); one period's
// durations are shortened by X %; each period is summarised by its mean,
// median, p95 and geometric mean; repeated with a fixed seed. Reported per
// statistic: how often a real X % improvement shows as none, how often no
// change shows as an improvement of at least Y, the 90 % interval of the
// difference when nothing changed, and the N needed to detect X % with a
// given power. Beside them, the analytic normal (CLT) answers for the mean.
//
// Random streams: repeat r of a run with N incidents draws from
// sim::Rng(trial_seed(seed, r), stream_id("incidents/power/<N>")), so the
// figures are reproducible and do not depend on anything else.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/distribution.hpp"

namespace relsim::analysis {

enum class PowerStatistic { mean, median, p95, geometric_mean };
inline constexpr PowerStatistic kPowerStatistics[] = {PowerStatistic::mean, PowerStatistic::median,
                                                      PowerStatistic::p95,
                                                      PowerStatistic::geometric_mean};

/// `mean`, `median`, `p95`, `geometric mean`.
const char* statistic_name(PowerStatistic s);

struct PowerSettings {
  std::size_t incidents = 100;  // N per period
  double improvement = 0.10;    // X: the improved period's durations × (1 − X)
  double threshold = 0.0;       // Y, in the durations' unit (seconds)
  std::size_t repeats = 10'000;
  std::uint64_t seed = 1;
  double power = 0.80;        // for the N needed to detect X
  double alpha = 0.05;        // one-sided: detected = improvement beyond the null's 95th percentile
  bool search_needed = true;  // false: skip the search for the N needed (it costs the most)
};

struct StatisticPower {
  PowerStatistic statistic = PowerStatistic::mean;
  double baseline = 0.0;            // the statistic of the distribution (average over repeats)
  double p_improvement_hidden = 0;  // P(improved period's statistic >= the other's)
  double p_false_improvement = 0;   // no change: P(difference >= threshold)
  double diff_low = 0.0;            // no change: 5th percentile of (A − B)
  double diff_high = 0.0;           // no change: 95th percentile of (A − B)
  double power = 0.0;               // P(detected) at N
  std::size_t incidents_needed =
      0;  // smallest N with power >= settings.power; 0: over the cap (or not searched)
  double mc_error = 0.0;  // standard error of the probabilities at their estimate (max)
  std::vector<double> null_differences;      // per repeat: stat(A) − stat(B), nothing changed
  std::vector<double> improved_differences;  // per repeat: stat(A) − stat(B shortened by X)
};

struct AnalyticPower {
  double mean = 0.0, sd = 0.0;
  double p_improvement_hidden = 0.0;
  double p_false_improvement = 0.0;
  double half_width90 = 0.0;  // 1.645 σ √(2/N)
  double power = 0.0;
  double incidents_needed = 0.0;
};

struct PowerResult {
  PowerSettings settings;
  std::vector<StatisticPower> statistics;
  AnalyticPower analytic;
};

/// The largest N the search for "incidents needed" tries.
inline constexpr std::size_t kMaxIncidentsSearched = 200'000;

/// Runs the resampling for `d` (a sim::Distribution; an empirical one
/// resamples the data). Throws std::invalid_argument for N < 2, repeats <
/// 100, X outside (0, 1) or power outside (0, 1).
PowerResult incident_power(const sim::Distribution& d, const PowerSettings& settings);

/// The analytic normal answers for the mean of N draws with mean `mean` and
/// standard deviation `sd`.
AnalyticPower analytic_power(double mean, double sd, const PowerSettings& settings);

/// One period's statistic of `values` (reorders them).
double period_statistic(std::vector<double>& values, PowerStatistic s);

}  // namespace relsim::analysis
