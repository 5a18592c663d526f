// What-if statistics over runs on common random numbers (docs/compare.md).
//
// Variants of a scenario run on the same trials with the same trial seeds;
// random streams are keyed by what a process is, so trial i of two variants
// sees the same failures wherever the variants agree. Differences are then
// estimated from per-trial differences (a paired t interval), which is far
// narrower than the interval of two independent runs when the variants are
// alike: `compare_paired` reports both, and their variance ratio.
//
// `fit_local_linear` fits y ≈ b0 + Σ b_p·δ_p by least squares (Eigen) over
// design points δ (relative perturbations of parameters), trial by trial:
// with one design matrix for every trial the coefficients are a fixed
// linear map of the trial's responses, so the per-trial coefficient vectors
// are independent across trials and their t intervals are exact in the same
// sense as any Monte Carlo mean. Pure functions over values; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "analysis/estimators.hpp"

namespace relsim::analysis {

struct PairedComparison {
  Interval baseline;    // mean over trials, t interval
  Interval variant;     // mean over trials, t interval
  Interval difference;  // mean of variant − baseline per trial, paired t interval
  /// Half-width a comparison of two independent runs of the same size would
  /// have (Welch's t interval).
  double unpaired_half_width = 0.0;
  /// (s²_baseline + s²_variant) / s²_difference: how many times more trials
  /// independent runs would need for the same precision; +inf when every
  /// per-trial difference is equal, NaN when nothing varies.
  double variance_reduction = 0.0;
};

/// Compares per-trial values of the same trials (equal sizes >= 2) at
/// `confidence` in (0, 1). Throws std::invalid_argument on unequal sizes.
PairedComparison compare_paired(std::span<const double> baseline, std::span<const double> variant,
                                double confidence);

/// Coefficients b0 (the figure at the baseline), b_1..b_P (its change per
/// unit relative change of each parameter), each with its t interval.
struct LocalLinearFit {
  std::vector<Interval> coefficients;  // size P + 1, b0 first
};

/// Fits the local linear model. `design` is row-major, `points` rows of
/// `parameters` relative perturbations (0 = the baseline value); responses
/// are [point][trial], every point with the same trial count (>= 2). Needs
/// points >= parameters + 1 and a design of full column rank (with the
/// intercept); throws std::invalid_argument otherwise.
LocalLinearFit fit_local_linear(const std::vector<double>& design, std::size_t parameters,
                                const std::vector<std::vector<double>>& responses,
                                double confidence);

}  // namespace relsim::analysis
