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

// ------------------------------------------------------------ range-respecting
// The interval methods of docs/results.md, "Intervals". Each takes what a
// streamed accumulator holds and never leaves its quantity's range.

/// Fewest observations (incidents, pages, deploys) behind a figure pooled over
/// incidents, and fewest trials holding one, for an interval by trial; below
/// either, the interval is NaN and the text prints `n/a (n = 3)`.
inline constexpr std::uint64_t kMinPooledObservations = 10;
inline constexpr std::uint64_t kMinPooledTrials = 5;

/// Wilson's score interval for a proportion `p` of an effective sample of
/// `n_eff` (> 0) independent draws (Korn & Graubard's effective-n form for
/// clustered data); inside [0, 1], with `p` as its estimate.
Interval wilson_effective(double p, double n_eff, double confidence);

/// Mean of non-negative per-trial values (durations, budgets, minutes) from
/// its accumulator: Student's t on the log scale, m · exp(±t · se / m), so
/// both ends stay above 0 and the upper end follows a right skew; the point
/// when the mean or its variance is 0; NaN ends below two trials.
Interval log_scale_mean_interval(const MeanAccumulator& acc, double confidence);

/// Mean of per-trial values in [0, 1] (attainment, availability): Student's t
/// on the logit scale, inside [0, 1]; the point when the variance is 0.
Interval logit_mean_interval(const MeanAccumulator& acc, double confidence);

/// Mean of per-trial counts (pages, incidents): Garwood's exact Poisson
/// interval of the total, widened by the counts' dispersion φ = s² / mean
/// when they vary more than Poisson counts (quasi-Poisson: Garwood of
/// total / φ, times φ); never below 0; the point when every count is equal.
Interval count_mean_interval(const MeanAccumulator& acc, double confidence);

/// Garwood's exact interval for the mean of a Poisson variable of which
/// `count` (>= 0, may be fractional) was observed.
Interval garwood_interval(double count, double confidence);

/// A ratio of per-trial sums, Σ yᵢ / Σ nᵢ (the mean of pooled incident
/// durations, a pooled proportion), streamed in trial order: the trial is
/// the independent unit, so its variance is the delta method's over trials,
/// Σ (yᵢ − R nᵢ)² · T / ((T − 1) (Σ nᵢ)²), whatever the incidents of one
/// trial share. Running co-moments (Welford) keep it stable; trials with
/// nᵢ = 0 count (they are part of the sample of trials).
class RatioAccumulator {
 public:
  void add(double y, std::uint64_t n) {
    ++trials_;
    total_ += n;
    if (n > 0) ++with_data_;
    const double nd = static_cast<double>(n);
    const double dy = y - my_;
    const double dn = nd - mn_;
    const double t = static_cast<double>(trials_);
    my_ += dy / t;
    mn_ += dn / t;
    cyy_ += dy * (y - my_);
    cnn_ += dn * (nd - mn_);
    cyn_ += dy * (nd - mn_);
  }
  std::uint64_t trials() const { return trials_; }
  std::uint64_t observations() const { return total_; }
  std::uint64_t trials_with_data() const { return with_data_; }
  /// Σ y / Σ n; NaN when Σ n = 0.
  double ratio() const { return total_ > 0 ? my_ / mn_ : std::numeric_limits<double>::quiet_NaN(); }
  /// The delta-method variance of ratio() over trials; NaN below 2 trials.
  double ratio_variance() const;
  /// Whether kMinPooledObservations and kMinPooledTrials are met.
  bool enough() const { return total_ >= kMinPooledObservations && with_data_ >= kMinPooledTrials; }
  /// A mean of non-negative values: log-scale t (T − 1 degrees of freedom).
  Interval positive_interval(double confidence) const;
  /// A proportion (y ∈ {0, 1} per observation): Wilson with the effective n
  /// Σn / deff, deff = ratio_variance / (R(1 − R)/Σn) floored at 1.
  Interval proportion_interval(double confidence) const;

 private:
  std::uint64_t trials_ = 0, total_ = 0, with_data_ = 0;
  double my_ = 0.0, mn_ = 0.0, cyy_ = 0.0, cnn_ = 0.0, cyn_ = 0.0;
};

/// Quantile of Student's t distribution with `dof` > 0 degrees of freedom at
/// probability p in (0, 1); accurate to ~1e-12.
double student_t_quantile(double p, double dof);

/// Standard normal quantile at p in (0, 1).
double normal_quantile(double p);

}  // namespace relsim::analysis
