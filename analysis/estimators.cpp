#include "analysis/estimators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "sim/distribution.hpp"

namespace relsim::analysis {

namespace {

// Regularized incomplete beta I_x(a, b) by Lentz's continued fraction.
double incomplete_beta_cf(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < 1e-16) break;
  }
  return h;
}

double regularized_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * incomplete_beta_cf(a, b, x) / a;
  return 1.0 - std::exp(log_front) * incomplete_beta_cf(b, a, 1.0 - x) / b;
}

// CDF of Student's t with `dof` degrees of freedom.
double student_t_cdf(double t, double dof) {
  const double x = dof / (dof + t * t);
  const double tail = 0.5 * regularized_beta(dof / 2.0, 0.5, x);
  return t >= 0 ? 1.0 - tail : tail;
}

}  // namespace

double normal_quantile(double p) { return sim::standard_normal_quantile(p); }

double student_t_quantile(double p, double dof) {
  if (!(p > 0.0 && p < 1.0) || !(dof > 0.0))
    throw std::invalid_argument("student_t_quantile: need 0 < p < 1 and dof > 0");
  if (p == 0.5) return 0.0;
  // Newton's method from the normal quantile, guarded by bisection.
  double lo = -1e6, hi = 1e6;
  double t = normal_quantile(p);
  for (int i = 0; i < 200; ++i) {
    const double f = student_t_cdf(t, dof) - p;
    if (f > 0)
      hi = t;
    else
      lo = t;
    const double density =
        std::exp(std::lgamma((dof + 1) / 2) - std::lgamma(dof / 2) -
                 0.5 * std::log(dof * std::numbers::pi) - (dof + 1) / 2 * std::log1p(t * t / dof));
    double next = t - f / density;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - t) <= 1e-14 * std::max(1.0, std::fabs(t))) return next;
    t = next;
  }
  return t;
}

Interval MeanAccumulator::interval(double confidence) const {
  const double m = mean();
  if (n_ < 2) {
    const double inf = std::numeric_limits<double>::infinity();
    return {m, -inf, inf};
  }
  const double se = std::sqrt(variance() / static_cast<double>(n_));
  const double t = student_t_quantile(0.5 + confidence / 2.0, static_cast<double>(n_ - 1));
  return {m, m - t * se, m + t * se};
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double confidence) {
  if (trials == 0) return {std::numeric_limits<double>::quiet_NaN(), 0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = normal_quantile(0.5 + confidence / 2.0);
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

namespace {
constexpr double kNaNv = std::numeric_limits<double>::quiet_NaN();
double t_of(double confidence, std::uint64_t n) {
  return student_t_quantile(0.5 + confidence / 2.0, static_cast<double>(n - 1));
}
}  // namespace

Interval wilson_effective(double p, double n_eff, double confidence) {
  if (!(n_eff > 0.0) || std::isnan(p)) return {p, kNaNv, kNaNv};
  const double n = n_eff;
  const double z = normal_quantile(0.5 + confidence / 2.0);
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::clamp(centre - half, 0.0, p), std::clamp(centre + half, p, 1.0)};
}

Interval log_scale_mean_interval(const MeanAccumulator& acc, double confidence) {
  const double m = acc.mean();
  if (acc.count() < 2) return {m, kNaNv, kNaNv};
  const double var = acc.variance();
  if (m <= 0.0 || var <= 0.0) return {m, m, m};
  const double se = std::sqrt(var / static_cast<double>(acc.count())) / m;
  const double t = t_of(confidence, acc.count());
  return {m, m * std::exp(-t * se), m * std::exp(t * se)};
}

Interval logit_mean_interval(const MeanAccumulator& acc, double confidence) {
  const double m = acc.mean();
  if (acc.count() < 2) return {m, kNaNv, kNaNv};
  const double var = acc.variance();
  if (var <= 0.0 || m <= 0.0 || m >= 1.0) return {m, m, m};
  const double se = std::sqrt(var / static_cast<double>(acc.count())) / (m * (1.0 - m));
  const double t = t_of(confidence, acc.count());
  const double l = std::log(m / (1.0 - m));
  auto inv = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  return {m, std::min(m, inv(l - t * se)), std::max(m, inv(l + t * se))};
}

Interval garwood_interval(double count, double confidence) {
  const double alpha = 1.0 - confidence;
  const double low = count > 0.0 ? sim::Distribution::gamma(count, 1.0).quantile(alpha / 2.0) : 0.0;
  const double high = sim::Distribution::gamma(count + 1.0, 1.0).quantile(1.0 - alpha / 2.0);
  return {count, low, high};
}

Interval count_mean_interval(const MeanAccumulator& acc, double confidence) {
  const double m = acc.mean();
  if (acc.count() < 2) return {m, kNaNv, kNaNv};
  const double var = acc.variance();
  const double trials = static_cast<double>(acc.count());
  // No event in any trial: Garwood's upper end for 0 (3.69 / n at 95 %).
  if (m == 0.0) return {m, 0.0, garwood_interval(0.0, confidence).high / trials};
  if (var <= 0.0) return {m, m, m};
  // Quasi-Poisson: the total behaves like φ × Poisson(total / φ).
  const double phi = m > 0.0 ? std::max(1.0, var / m) : 1.0;
  const Interval g = garwood_interval(m * trials / phi, confidence);
  return {m, std::min(m, g.low * phi / trials), std::max(m, g.high * phi / trials)};
}

double RatioAccumulator::ratio_variance() const {
  if (trials_ < 2 || total_ == 0) return kNaNv;
  const double r = ratio();
  const double ss = std::max(0.0, cyy_ - 2.0 * r * cyn_ + r * r * cnn_);
  const double t = static_cast<double>(trials_);
  return ss / ((t - 1.0) * t * mn_ * mn_);
}

Interval RatioAccumulator::positive_interval(double confidence) const {
  const double r = ratio();
  if (!enough() || trials_ < 2) return {r, kNaNv, kNaNv};
  const double var = ratio_variance();
  if (r <= 0.0 || !(var > 0.0)) return {r, r, r};
  const double se = std::sqrt(var) / r;
  const double t = t_of(confidence, trials_);
  return {r, r * std::exp(-t * se), r * std::exp(t * se)};
}

Interval RatioAccumulator::proportion_interval(double confidence) const {
  const double r = ratio();
  if (!enough() || trials_ < 2) return {r, kNaNv, kNaNv};
  const double n = static_cast<double>(total_);
  // deff = Σ(yᵢ − R nᵢ)² / (Σnᵢ · R(1 − R)): 1 in expectation for independent
  // observations (ratio_variance carries the T / (T − 1) of its estimate).
  const double t = static_cast<double>(trials_);
  const double binomial = r * (1.0 - r) / n * t / (t - 1.0);
  const double var = ratio_variance();
  const double deff = binomial > 0.0 && var > binomial * (1.0 + 1e-9) ? var / binomial : 1.0;
  return wilson_effective(r, n / deff, confidence);
}

}  // namespace relsim::analysis
