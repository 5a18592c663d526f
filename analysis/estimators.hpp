// Estimators with confidence intervals for Monte Carlo figures.
//
// `MeanAccumulator` keeps a streaming mean and variance (Welford) over
// per-trial values added in trial order; intervals come from Student's t.
// `wilson_interval` gives the score interval of a proportion (P(SLO met)),
// which stays inside [0, 1] and behaves at 0 and n successes.
// Value types; not thread-safe (the runner reduces in trial order on one
// thread, which keeps results bit-identical for every thread count).
#pragma once

#include <cstdint>
#include <limits>

namespace relsim::analysis {

struct Interval {
  double estimate = 0.0;
  double low = 0.0;
  double high = 0.0;
  double half_width() const { return (high - low) / 2.0; }
  bool contains(double x) const { return low <= x && x <= high; }
};

class MeanAccumulator {
 public:
  /// Adds one observation.
  void add(double x) {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
  }
  std::uint64_t count() const { return n_; }
  double mean() const { return n_ > 0 ? mean_ : std::numeric_limits<double>::quiet_NaN(); }
  /// Sample variance (n − 1 denominator); NaN below two observations.
  double variance() const {
    return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : std::numeric_limits<double>::quiet_NaN();
  }
  /// Student-t interval for the mean at `confidence` (e.g. 0.95); the
  /// interval is the point itself when the variance is zero and infinite
  /// below two observations.
  Interval interval(double confidence) const;

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

/// Wilson score interval for `successes` out of `trials` at `confidence`.
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double confidence);

/// Quantile of Student's t distribution with `dof` > 0 degrees of freedom at
/// probability p in (0, 1); accurate to ~1e-12.
double student_t_quantile(double p, double dof);

/// Standard normal quantile at p in (0, 1).
double normal_quantile(double p);

}  // namespace relsim::analysis
