// Probability distributions, implemented in the project so that a seed gives
// the same draws with every standard library (std::*_distribution algorithms
// differ between implementations). Golden-value tests pin the first draws.
//
// A `Distribution` is an immutable value: a kind plus parameters (and, for the
// empirical kind, a sorted table). Values are plain doubles; the caller gives
// them a unit (the loader uses seconds for durations). Sampling never
// allocates. Thread-safe: concurrent `sample` calls with different `Rng`s are
// fine.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {

enum class DistributionKind : std::uint8_t {
  fixed,        // a: value
  uniform,      // a: min, b: max
  exponential,  // a: mean
  weibull,      // a: shape k, b: scale lambda
  lognormal,    // a: mu, b: sigma (of the underlying normal)
  gamma,        // a: shape k, b: scale theta (Erlang: integer k)
  normal,       // a: mean, b: standard deviation
  empirical,    // table: sorted observations; interpolate or resample
};

/// Thrown by the factories for impossible parameters; the message names the
/// parameter and the rule it breaks (the loader adds the file location).
class DistributionError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Distribution {
 public:
  /// Always `value`.
  static Distribution fixed(double value);
  /// Uniform on [min, max); requires min <= max.
  static Distribution uniform(double min, double max);
  /// Exponential with the given mean > 0.
  static Distribution exponential(double mean);
  /// Weibull with shape k > 0 and scale lambda > 0.
  static Distribution weibull(double shape, double scale);
  /// Lognormal with log-mean mu and log-sd sigma >= 0.
  static Distribution lognormal(double mu, double sigma);
  /// Lognormal whose median and p-th quantile (0.5 < p < 1) are given;
  /// requires 0 < median < quantile_value.
  static Distribution lognormal_from_quantile(double median, double p, double quantile_value);
  /// Gamma with shape k > 0 and scale theta > 0.
  static Distribution gamma(double shape, double scale);
  /// Erlang: the sum of k >= 1 exponentials, with the given total mean > 0.
  static Distribution erlang(int k, double mean);
  /// Normal with sd >= 0 (draws may be negative; callers clamp if they must).
  static Distribution normal(double mean, double sd);
  /// Observed values (at least one, all finite). With `interpolate`, draws
  /// follow the piecewise-linear empirical CDF between sorted observations;
  /// without, draws resample the observations with equal weights.
  static Distribution empirical(std::vector<double> values, bool interpolate);

  /// One draw. Consumes a documented, kind-dependent number of `rng` words.
  double sample(Rng& rng) const;
  /// Exact mean and variance of the distribution (of the empirical
  /// distribution as defined above for the empirical kind).
  double mean() const;
  double variance() const;
  /// Inverse CDF at p in (0, 1); p = 0 and p = 1 give the ends of the support
  /// (possibly infinite); p outside [0, 1] or NaN throws DistributionError.
  double quantile(double p) const;
  /// P(X <= x): 0 below the support and 1 above it (±inf included), never
  /// NaN; NaN x throws DistributionError. An atom (fixed, resampled
  /// empirical, sd or sigma 0) counts at its value, so quantile(p) is the
  /// smallest x with cdf(x) >= p. Gamma and Erlang evaluate the regularized
  /// lower incomplete gamma function P(k, x/θ), to ~1e-15 relative.
  double cdf(double x) const;

  /// Whether the distribution has a cumulative hazard H(x) = −ln(1 − F(x))
  /// that is continuous and strictly increasing on its support, so that
  /// proportional-hazards biasing (models/failure_bias.hpp) applies:
  /// exponential, Weibull, gamma, lognormal (sigma > 0) and uniform
  /// (min < max). Fixed, normal and empirical distributions have none.
  bool has_hazard() const;
  /// H(x) = −ln S(x), 0 at or below the support's start, +inf past its end.
  /// Only for has_hazard().
  double cumulative_hazard(double x) const;
  /// The x with H(x) = y for y >= 0 (H⁻¹; exact for exponential and Weibull,
  /// through quantile() otherwise). Only for has_hazard().
  double inverse_cumulative_hazard(double y) const;

  DistributionKind kind() const { return kind_; }
  double param_a() const { return a_; }
  double param_b() const { return b_; }
  const std::vector<double>& table() const { return table_; }
  bool interpolates() const { return interpolate_; }
  /// A short human form, e.g. `lognormal(mu=3.8, sigma=0.6)`.
  std::string describe() const;
  /// Same kind, parameters and table, bit for bit (tests compare loaded models).
  friend bool operator==(const Distribution&, const Distribution&) = default;

 private:
  Distribution(DistributionKind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}
  DistributionKind kind_ = DistributionKind::fixed;
  bool interpolate_ = false;
  double a_ = 0.0;
  double b_ = 0.0;
  std::vector<double> table_;
};

/// Standard normal quantile (inverse CDF) at p in (0, 1), to ~1e-15 relative;
/// -inf at 0, +inf at 1, NaN outside [0, 1].
double standard_normal_quantile(double p);

}  // namespace relsim::sim
