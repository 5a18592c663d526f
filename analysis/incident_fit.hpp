// Maximum-likelihood fits of incident durations (docs/incident-data.md):
// lognormal and exponential in closed form, gamma and Weibull by Newton's
// method on the one-dimensional score equation of the shape (safeguarded by
// bisection), ranked by AIC, each with its Kolmogorov–Smirnov distance; the
// empirical distribution beside them; a warning when the data's top 5 % is
// heavier than the best fit; and each fit as a scenario snippet in relsim's
// distribution syntax (docs/reference/README.md#distributions).
// Durations are seconds and must be > 0 (zeros are left out by the caller).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/distribution.hpp"

namespace relsim::analysis {

struct DistributionFit {
  std::string name;  // lognormal, gamma, weibull, exponential
  sim::Distribution distribution;
  int parameters = 0;
  double log_likelihood = 0.0;
  double aic = 0.0;  // 2·parameters − 2·log_likelihood
  double ks = 0.0;   // sup |F_n − F| over the data
};

/// Lognormal MLE: mu = mean of ln x, sigma² = mean of (ln x − mu)² (n in the
/// denominator). Requires x > 0, n >= 1.
DistributionFit fit_lognormal(const std::vector<double>& x);
/// Exponential MLE: mean = sample mean.
DistributionFit fit_exponential(const std::vector<double>& x);
/// Gamma MLE: shape k solves ln k − ψ(k) = ln(mean) − mean(ln x), scale = mean/k.
/// Throws std::invalid_argument when all values are equal.
DistributionFit fit_gamma(const std::vector<double>& x);
/// Weibull MLE: shape k solves Σxᵏ ln x / Σxᵏ − 1/k = mean(ln x), scale = (Σxᵏ/n)^(1/k).
/// Throws std::invalid_argument when all values are equal.
DistributionFit fit_weibull(const std::vector<double>& x);

/// Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| of the sample from `d`.
double ks_distance(std::vector<double> x, const sim::Distribution& d);

/// ψ(x), the digamma function, for x > 0 (~1e-13 relative).
double digamma(double x);

struct TailCheck {
  bool heavier = false;
  double level = 0.95;    // the fit's quantile checked: 0.95 or 0.99 (the more telling)
  std::size_t above = 0;  // observations above the fit's `level` quantile
  double expected = 0.0;  // (1 − level) · n
  double p_value = 1.0;   // P(Binomial(n, 1 − level) >= above)
  double data_p99 = 0.0;  // sample 99th percentile (seconds)
  double fit_p99 = 0.0;   // the fit's 99th percentile (seconds)
};

/// Whether the data's top 5 % is heavier than `fit`: more observations above
/// the fit's 95th (or 99th) percentile than Binomial(n, 5 % (1 %)) allows at
/// the 1 % level; reports the level with the smaller p-value.
TailCheck check_tail(const std::vector<double>& x, const sim::Distribution& fit);

struct FitResult {
  std::vector<DistributionFit> fits;  // by AIC, best first
  std::size_t n = 0;
  TailCheck tail;  // of the best fit
};

/// Every fit of `x` (seconds, > 0, n >= 2), ranked by AIC. Throws
/// std::invalid_argument for fewer than two values or a value <= 0.
FitResult fit_durations(const std::vector<double>& x);

/// A distribution as relsim scenario syntax: `{lognormal: {mu: 6.31, sigma: 0.9}}`,
/// `{gamma: {shape: 1.4, scale: 7m12s}}`, `{weibull: ...}`, `{exponential: {mean: ...}}`.
std::string distribution_yaml(const sim::Distribution& d);

/// The observations as `{empirical: {values: [4m, 7m30s, ...]}}`, rounded to
/// the second: resampled with equal weights (interpolate: false, the default).
std::string empirical_yaml(std::vector<double> x);

/// `lognormal(mu=8.3, sigma=0.78) — median 1h8m29s, p90 3h6m17s`: the
/// parameters and the median and p90 the distribution implies.
std::string fit_summary_text(const sim::Distribution& d);

/// A duration in seconds as relsim syntax, rounded to the millisecond (`7m12.5s` is
/// written `7m12s500ms`).
std::string duration_yaml(double seconds);

}  // namespace relsim::analysis
