// Distributions: factories with validation, sampling, moments, quantiles and
// CDFs.
//
// The sampling algorithms are pinned (golden-value tests in
// tests/sim/distribution_test.cpp); changing one changes every result, so do
// it only on purpose. Words of `Rng` consumed per draw:
//   fixed 0; uniform, exponential, weibull, empirical 1 (empirical without
//   interpolation may take more, rarely: Lemire rejection); normal and
//   lognormal 2; gamma a variable number (3 per Marsaglia–Tsang attempt, plus
//   1 when shape < 1).
#include "sim/distribution.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

namespace relsim::sim {
namespace {

/// Shortest text that reads back as `x` ("2.5", "3", "-1", "inf", "nan").
std::string num(double x) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

/// `x` to 6 significant digits, for describe().
std::string short_num(double x) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return std::string(buf, res.ptr);
}

[[noreturn]] void fail(const std::string& message) { throw DistributionError(message); }

void require_finite(const char* kind, const char* name, double x) {
  if (!std::isfinite(x)) {
    fail(std::string(kind) + ": " + name + " must be finite (got " + num(x) + ")");
  }
}

void require_positive(const char* kind, const char* name, double x) {
  require_finite(kind, name, x);
  if (!(x > 0)) fail(std::string(kind) + ": " + name + " must be > 0 (got " + num(x) + ")");
}

void require_non_negative(const char* kind, const char* name, double x) {
  require_finite(kind, name, x);
  if (x < 0) fail(std::string(kind) + ": " + name + " must be >= 0 (got " + num(x) + ")");
}

/// Box–Muller, cosine branch only: u1 = uniform_open0 (safe under log),
/// u2 = uniform01. No cached second value, so a draw is a pure function of
/// exactly two words.
double standard_normal(Rng& rng) {
  const double u1 = rng.uniform_open0();
  const double u2 = rng.uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Marsaglia & Tsang (2000), "A simple method for generating gamma
/// variables", for shape >= 1 and unit scale. Each attempt takes a normal
/// (2 words) and u = uniform_open0 (1 word).
double standard_gamma_ge1(double shape, Rng& rng) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double z = standard_normal(rng);
    double v = 1.0 + c * z;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = rng.uniform_open0();
    const double z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2) return d * v;
    if (std::log(u) < 0.5 * z2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

/// log Γ(a) for a > 0 without std::lgamma (which writes the global signgam).
double log_gamma(double a) {
  if (a < 30.0) return std::log(std::tgamma(a));
  // Stirling series; the first omitted term is below 1e-16 for a >= 30.
  const double r = 1.0 / a;
  const double r2 = r * r;
  return (a - 0.5) * std::log(a) - a + 0.5 * std::log(2.0 * std::numbers::pi) +
         r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
}

/// Regularized incomplete gamma: P(a, x) if `upper` is false, else
/// Q(a, x) = 1 − P(a, x), each computed directly where it is accurate
/// (series for x < a + 1, Lentz continued fraction otherwise), as in
/// Numerical Recipes §6.2. Relative accuracy ~1e-15 for moderate a.
double incomplete_gamma(double a, double x, bool upper) {
  if (x <= 0.0) return upper ? 1.0 : 0.0;
  if (std::isinf(x)) return upper ? 0.0 : 1.0;  // the prefix below would be NaN
  const double log_prefix = a * std::log(x) - x - log_gamma(a);
  constexpr double kEps = 1e-17;
  if (x < a + 1.0) {
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n < 10'000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * kEps) break;
    }
    const double p = sum * std::exp(log_prefix);
    return upper ? 1.0 - p : p;
  }
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 10'000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) break;
  }
  const double q = std::exp(log_prefix) * h;
  return upper ? q : 1.0 - q;
}

/// Quantile of the unit-scale gamma: bracket [lo, 2·lo] by doubling or
/// halving from the mean, then bisect to a relative width of 1e-15. For
/// p > 0.5 the upper tail Q is matched against 1 − p (exact there), so both
/// tails keep their relative accuracy.
double standard_gamma_quantile(double shape, double p) {
  const bool upper = p > 0.5;
  const double target = upper ? 1.0 - p : p;
  // below(x): x lies below the quantile.
  auto below = [&](double x) {
    const double v = incomplete_gamma(shape, x, upper);
    return upper ? v > target : v < target;
  };
  double lo = shape;
  double hi = shape;
  if (below(lo)) {
    do {
      lo = hi;
      hi *= 2.0;
    } while (below(hi) && std::isfinite(hi));
  } else {
    do {
      hi = lo;
      lo *= 0.5;
    } while (!below(lo) && lo > 0.0);
  }
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi) break;
    (below(mid) ? lo : hi) = mid;
  }
  return lo + 0.5 * (hi - lo);
}

/// Inverse of the piecewise-linear CDF through (i/(n−1), x_i), u in [0, 1].
double interpolated_quantile(const std::vector<double>& t, double u) {
  if (t.size() == 1) return t.front();
  const double pos = u * static_cast<double>(t.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(pos), t.size() - 2);
  const double frac = pos - static_cast<double>(i);
  return t[i] + frac * (t[i + 1] - t[i]);
}

/// The piecewise-linear CDF through (x_i, i/(n−1)), sorted `t`. Tied
/// observations make a vertical step (an atom); cdf is right-continuous there.
double interpolated_cdf(const std::vector<double>& t, double x) {
  if (x < t.front()) return 0.0;
  if (x >= t.back()) return 1.0;
  // t[i] <= x < t[i + 1], so the piece has positive width.
  const auto i = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), x) - t.begin()) - 1;
  const double frac = (x - t[i]) / (t[i + 1] - t[i]);
  return (static_cast<double>(i) + frac) / static_cast<double>(t.size() - 1);
}

/// Φ((x − mean)/sd), by erfc so the lower tail keeps its relative accuracy;
/// sd = 0 is the step at the mean.
double normal_cdf(double x, double mean, double sd) {
  if (sd == 0.0) return x >= mean ? 1.0 : 0.0;
  return 0.5 * std::erfc(-(x - mean) / (sd * std::numbers::sqrt2));
}

}  // namespace

Distribution Distribution::fixed(double value) {
  require_finite("fixed", "value", value);
  return {DistributionKind::fixed, value, 0.0};
}

Distribution Distribution::uniform(double min, double max) {
  require_finite("uniform", "min", min);
  require_finite("uniform", "max", max);
  if (min > max) fail("uniform: min (" + num(min) + ") must not exceed max (" + num(max) + ")");
  return {DistributionKind::uniform, min, max};
}

Distribution Distribution::exponential(double mean) {
  require_positive("exponential", "mean", mean);
  return {DistributionKind::exponential, mean, 0.0};
}

Distribution Distribution::weibull(double shape, double scale) {
  require_positive("weibull", "shape", shape);
  require_positive("weibull", "scale", scale);
  return {DistributionKind::weibull, shape, scale};
}

Distribution Distribution::lognormal(double mu, double sigma) {
  require_finite("lognormal", "mu", mu);
  require_non_negative("lognormal", "sigma", sigma);
  return {DistributionKind::lognormal, mu, sigma};
}

Distribution Distribution::lognormal_from_quantile(double median, double p, double quantile_value) {
  require_positive("lognormal", "median", median);
  require_finite("lognormal", "p", p);
  if (!(p > 0.5 && p < 1.0)) fail("lognormal: p must be in (0.5, 1) (got " + num(p) + ")");
  std::string name = "p";  // 0.99 → "p99"; built by += (GCC 12 -Wrestrict false positive)
  name += num(std::round(p * 1e6) / 1e4);
  require_finite("lognormal", name.c_str(), quantile_value);
  if (!(quantile_value > median)) {
    fail("lognormal: " + name + " (" + num(quantile_value) + ") must be greater than the median (" +
         num(median) + ")");
  }
  const double mu = std::log(median);
  const double sigma = std::log(quantile_value / median) / standard_normal_quantile(p);
  return lognormal(mu, sigma);
}

Distribution Distribution::gamma(double shape, double scale) {
  require_positive("gamma", "shape", shape);
  require_positive("gamma", "scale", scale);
  return {DistributionKind::gamma, shape, scale};
}

Distribution Distribution::erlang(int k, double mean) {
  if (k < 1) fail("erlang: k must be >= 1 (got " + std::to_string(k) + ")");
  require_positive("erlang", "mean", mean);
  return gamma(static_cast<double>(k), mean / k);
}

Distribution Distribution::normal(double mean, double sd) {
  require_finite("normal", "mean", mean);
  require_non_negative("normal", "sd", sd);
  return {DistributionKind::normal, mean, sd};
}

Distribution Distribution::empirical(std::vector<double> values, bool interpolate) {
  if (values.empty()) fail("empirical: values must hold at least one observation");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      fail("empirical: values[" + std::to_string(i) + "] must be finite (got " + num(values[i]) +
           ")");
    }
  }
  std::sort(values.begin(), values.end());
  Distribution d(DistributionKind::empirical, values.front(), values.back());
  d.table_ = std::move(values);
  d.interpolate_ = interpolate;
  return d;
}

double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case DistributionKind::fixed:
      return a_;
    case DistributionKind::uniform:  // min + (max − min)·u, u in [0, 1)
      return a_ + (b_ - a_) * rng.uniform01();
    case DistributionKind::exponential:  // inversion: −mean·ln u, u in (0, 1]
      return -a_ * std::log(rng.uniform_open0());
    case DistributionKind::weibull:  // inversion: λ·(−ln u)^(1/k), u in (0, 1]
      return b_ * std::pow(-std::log(rng.uniform_open0()), 1.0 / a_);
    case DistributionKind::lognormal:  // exp(mu + sigma·Z), Z by Box–Muller
      return std::exp(a_ + b_ * standard_normal(rng));
    case DistributionKind::gamma:
      if (a_ >= 1.0) return b_ * standard_gamma_ge1(a_, rng);
      {
        // Shape < 1 (Marsaglia–Tsang §6): G(k+1)·u^(1/k), G drawn first, then
        // u = uniform_open0.
        const double g = standard_gamma_ge1(a_ + 1.0, rng);
        return b_ * g * std::pow(rng.uniform_open0(), 1.0 / a_);
      }
    case DistributionKind::normal:  // mean + sd·Z, Z by Box–Muller
      return a_ + b_ * standard_normal(rng);
    case DistributionKind::empirical:
      // Interpolated: inverse piecewise-linear CDF at u = uniform01.
      // Resampled: table[below(n)].
      if (interpolate_) return interpolated_quantile(table_, rng.uniform01());
      return table_[rng.below(table_.size())];
  }
  return 0.0;  // unreachable: every kind is handled above
}

double Distribution::mean() const {
  switch (kind_) {
    case DistributionKind::fixed:
      return a_;
    case DistributionKind::uniform:
      return a_ + 0.5 * (b_ - a_);
    case DistributionKind::exponential:
      return a_;
    case DistributionKind::weibull:  // λ·Γ(1 + 1/k)
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case DistributionKind::lognormal:  // exp(mu + sigma²/2)
      return std::exp(a_ + 0.5 * b_ * b_);
    case DistributionKind::gamma:  // kθ
      return a_ * b_;
    case DistributionKind::normal:
      return a_;
    case DistributionKind::empirical: {
      const std::size_t n = table_.size();
      double sum = 0.0;
      if (!interpolate_ || n == 1) {
        for (double x : table_) sum += x;
        return sum / static_cast<double>(n);
      }
      // Equal-weight mixture of the n − 1 uniforms on [x_i, x_(i+1)].
      for (std::size_t i = 0; i + 1 < n; ++i) sum += 0.5 * (table_[i] + table_[i + 1]);
      return sum / static_cast<double>(n - 1);
    }
  }
  return 0.0;  // unreachable
}

double Distribution::variance() const {
  switch (kind_) {
    case DistributionKind::fixed:
      return 0.0;
    case DistributionKind::uniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case DistributionKind::exponential:
      return a_ * a_;
    case DistributionKind::weibull: {  // λ²·(Γ(1 + 2/k) − Γ(1 + 1/k)²)
      const double g1 = std::tgamma(1.0 + 1.0 / a_);
      return b_ * b_ * (std::tgamma(1.0 + 2.0 / a_) - g1 * g1);
    }
    case DistributionKind::lognormal:  // (exp(sigma²) − 1)·exp(2mu + sigma²)
      return std::expm1(b_ * b_) * std::exp(2.0 * a_ + b_ * b_);
    case DistributionKind::gamma:  // kθ²
      return a_ * b_ * b_;
    case DistributionKind::normal:
      return b_ * b_;
    case DistributionKind::empirical: {
      // Centred on the mean to avoid cancellation.
      const double m = mean();
      const std::size_t n = table_.size();
      double sum = 0.0;
      if (!interpolate_ || n == 1) {
        for (double x : table_) sum += (x - m) * (x - m);
        return sum / static_cast<double>(n);
      }
      // Second moment of the uniform on [y0, y1] is (y0² + y0·y1 + y1²)/3.
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double y0 = table_[i] - m;
        const double y1 = table_[i + 1] - m;
        sum += (y0 * y0 + y0 * y1 + y1 * y1) / 3.0;
      }
      return sum / static_cast<double>(n - 1);
    }
  }
  return 0.0;  // unreachable
}

double Distribution::quantile(double p) const {
  if (!(p >= 0.0 && p <= 1.0))
    fail(describe() + ": quantile p must be in [0, 1] (got " + num(p) + ")");
  switch (kind_) {
    case DistributionKind::fixed:
      return a_;
    case DistributionKind::uniform:
      return a_ + (b_ - a_) * p;
    case DistributionKind::exponential:
      return -a_ * std::log1p(-p);
    case DistributionKind::weibull:
      return b_ * std::pow(-std::log1p(-p), 1.0 / a_);
    case DistributionKind::lognormal:
      if (b_ == 0.0) return std::exp(a_);  // 0·(±inf) at p = 0 or 1 would be NaN
      return std::exp(a_ + b_ * standard_normal_quantile(p));
    case DistributionKind::gamma:
      if (p == 0.0) return 0.0;
      if (p == 1.0) return std::numeric_limits<double>::infinity();
      return b_ * standard_gamma_quantile(a_, p);
    case DistributionKind::normal:
      if (b_ == 0.0) return a_;  // as for the lognormal
      return a_ + b_ * standard_normal_quantile(p);
    case DistributionKind::empirical: {
      if (interpolate_) return interpolated_quantile(table_, p);
      // Resampling puts mass 1/n on each x_i: the smallest x_i with i+1 >= p·n.
      const auto n = static_cast<double>(table_.size());
      const double rank = std::ceil(p * n);
      const auto i = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
      return table_[std::min(i, table_.size() - 1)];
    }
  }
  return 0.0;  // unreachable
}

bool Distribution::has_hazard() const {
  switch (kind_) {
    case DistributionKind::exponential:
    case DistributionKind::weibull:
    case DistributionKind::gamma:
      return true;
    case DistributionKind::lognormal:
      return b_ > 0.0;
    case DistributionKind::uniform:
      return a_ < b_;
    case DistributionKind::fixed:
    case DistributionKind::normal:
    case DistributionKind::empirical:
      return false;
  }
  return false;  // unreachable
}

double Distribution::cumulative_hazard(double x) const {
  if (std::isnan(x)) fail(describe() + ": cumulative hazard x must not be NaN");
  switch (kind_) {
    case DistributionKind::exponential:  // x / mean
      return x <= 0.0 ? 0.0 : x / a_;
    case DistributionKind::weibull:  // (x/λ)^k
      return x <= 0.0 ? 0.0 : std::pow(x / b_, a_);
    case DistributionKind::gamma:  // −ln Q(k, x/θ)
      return x <= 0.0 ? 0.0 : -std::log(incomplete_gamma(a_, x / b_, true));
    case DistributionKind::lognormal:  // −ln Φ((mu − ln x)/sigma)
      return x <= 0.0 ? 0.0 : -std::log(normal_cdf(-std::log(x), -a_, b_));
    case DistributionKind::uniform:  // −ln((max − x)/(max − min))
      if (x <= a_) return 0.0;
      if (x >= b_) return std::numeric_limits<double>::infinity();
      return -std::log((b_ - x) / (b_ - a_));
    case DistributionKind::fixed:
    case DistributionKind::normal:
    case DistributionKind::empirical:
      break;
  }
  fail(describe() + ": has no cumulative hazard");
}

double Distribution::inverse_cumulative_hazard(double y) const {
  if (!(y >= 0.0))
    fail(describe() + ": inverse cumulative hazard y must be >= 0 (got " + num(y) + ")");
  switch (kind_) {
    case DistributionKind::exponential:
      return a_ * y;
    case DistributionKind::weibull:
      return b_ * std::pow(y, 1.0 / a_);
    case DistributionKind::uniform:
      return std::isinf(y) ? b_ : b_ - (b_ - a_) * std::exp(-y);
    case DistributionKind::gamma:
    case DistributionKind::lognormal:
      return quantile(-std::expm1(-y));
    case DistributionKind::fixed:
    case DistributionKind::normal:
    case DistributionKind::empirical:
      break;
  }
  fail(describe() + ": has no cumulative hazard");
}

double Distribution::cdf(double x) const {
  if (std::isnan(x)) fail(describe() + ": cdf x must not be NaN");
  switch (kind_) {
    case DistributionKind::fixed:
      return x >= a_ ? 1.0 : 0.0;
    case DistributionKind::uniform:
      if (x >= b_) return 1.0;  // also the atom of uniform(m, m)
      if (x <= a_) return 0.0;
      return (x - a_) / (b_ - a_);
    case DistributionKind::exponential:  // 1 − exp(−x/mean)
      return x <= 0.0 ? 0.0 : -std::expm1(-x / a_);
    case DistributionKind::weibull:  // 1 − exp(−(x/λ)^k)
      return x <= 0.0 ? 0.0 : -std::expm1(-std::pow(x / b_, a_));
    case DistributionKind::lognormal:  // Φ((ln x − mu)/sigma); log(inf) = inf
      if (x <= 0.0) return 0.0;
      // The atom at exp(mu) as quantile() places it: ln(exp(mu)) may round below mu.
      if (b_ == 0.0) return x >= std::exp(a_) ? 1.0 : 0.0;
      return normal_cdf(std::log(x), a_, b_);
    case DistributionKind::gamma:                  // P(k, x/θ)
      return incomplete_gamma(a_, x / b_, false);  // 0 for x <= 0, 1 when x/θ overflows
    case DistributionKind::normal:
      return normal_cdf(x, a_, b_);
    case DistributionKind::empirical: {
      if (interpolate_) return interpolated_cdf(table_, x);
      // Resampling puts mass 1/n on each observation: the share at or below x.
      const auto at_or_below = std::upper_bound(table_.begin(), table_.end(), x) - table_.begin();
      return static_cast<double>(at_or_below) / static_cast<double>(table_.size());
    }
  }
  return 0.0;  // unreachable
}

std::string Distribution::describe() const {
  switch (kind_) {
    case DistributionKind::fixed:
      return "fixed(value=" + short_num(a_) + ")";
    case DistributionKind::uniform:
      return "uniform(min=" + short_num(a_) + ", max=" + short_num(b_) + ")";
    case DistributionKind::exponential:
      return "exponential(mean=" + short_num(a_) + ")";
    case DistributionKind::weibull:
      return "weibull(shape=" + short_num(a_) + ", scale=" + short_num(b_) + ")";
    case DistributionKind::lognormal:
      return "lognormal(mu=" + short_num(a_) + ", sigma=" + short_num(b_) + ")";
    case DistributionKind::gamma:
      return "gamma(shape=" + short_num(a_) + ", scale=" + short_num(b_) + ")";
    case DistributionKind::normal:
      return "normal(mean=" + short_num(a_) + ", sd=" + short_num(b_) + ")";
    case DistributionKind::empirical:
      return "empirical(n=" + std::to_string(table_.size()) +
             (interpolate_ ? ", interpolate)" : ", resample)");
  }
  return "unknown";  // unreachable
}

// Acklam's rational approximation (relative error < 1.15e-9) refined by one
// Halley step on Φ(x) − p using erfc, which brings it to ~1e-15. The lower
// half is computed directly and the upper half by symmetry, because 1 − p is
// exact for p >= 0.5 and erfc keeps the lower tail's relative accuracy.
double standard_normal_quantile(double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  if (p > 0.5) return -standard_normal_quantile(1.0 - p);

  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x = 0.0;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // Halley step: e = Φ(x) − p, u = e / φ(x).
  const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

}  // namespace relsim::sim
