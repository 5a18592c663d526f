#include "analysis/incident_fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

#include "sim/time.hpp"

namespace relsim::analysis {

namespace {

struct LogSums {
  double n = 0.0, sum = 0.0, sum_log = 0.0;
};

LogSums sums(const std::vector<double>& x) {
  LogSums s;
  s.n = static_cast<double>(x.size());
  for (double v : x) {
    if (!(v > 0.0) || !std::isfinite(v)) {
      throw std::invalid_argument("durations must be finite and > 0 to fit");
    }
    s.sum += v;
    s.sum_log += std::log(v);
  }
  if (x.empty()) throw std::invalid_argument("no durations to fit");
  return s;
}

double trigamma(double x) {
  double r = 0.0;
  while (x < 10.0) {
    r += 1.0 / (x * x);
    x += 1.0;
  }
  const double x2 = 1.0 / (x * x);
  return r + 1.0 / x + x2 / 2.0 +
         x2 / x * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)));
}

DistributionFit finish(std::string name, sim::Distribution d, int params, double ll,
                       const std::vector<double>& x) {
  DistributionFit f{std::move(name), std::move(d), params, ll, 2.0 * params - 2.0 * ll, 0.0};
  f.ks = ks_distance(x, f.distribution);
  return f;
}

void require_spread(const std::vector<double>& x, const char* what) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (*lo == *hi) {
    throw std::invalid_argument(std::string("cannot fit a ") + what + ": all durations are equal");
  }
}

}  // namespace

double digamma(double x) {
  double r = 0.0;
  while (x < 10.0) {
    r -= 1.0 / x;
    x += 1.0;
  }
  const double x2 = 1.0 / (x * x);
  return r + std::log(x) - 0.5 / x -
         x2 * (1.0 / 12.0 -
               x2 * (1.0 / 120.0 - x2 * (1.0 / 252.0 - x2 * (1.0 / 240.0 - x2 / 132.0))));
}

DistributionFit fit_lognormal(const std::vector<double>& x) {
  const LogSums s = sums(x);
  const double mu = s.sum_log / s.n;
  double ss = 0.0;
  for (double v : x) ss += (std::log(v) - mu) * (std::log(v) - mu);
  const double sigma = std::sqrt(ss / s.n);
  const double ll =
      -s.sum_log - s.n * std::log(sigma) - 0.5 * s.n * std::log(2.0 * std::numbers::pi) - 0.5 * s.n;
  return finish("lognormal", sim::Distribution::lognormal(mu, sigma), 2, ll, x);
}

DistributionFit fit_exponential(const std::vector<double>& x) {
  const LogSums s = sums(x);
  const double mean = s.sum / s.n;
  return finish("exponential", sim::Distribution::exponential(mean), 1, -s.n * std::log(mean) - s.n,
                x);
}

DistributionFit fit_gamma(const std::vector<double>& x) {
  const LogSums s = sums(x);
  require_spread(x, "gamma");
  const double mean = s.sum / s.n;
  const double target = std::log(mean) - s.sum_log / s.n;  // > 0 by Jensen
  // Minka's starting point, then Newton on f(k) = ln k − ψ(k) − target,
  // which decreases from +inf to 0: a step that leaves k > 0 is halved.
  double k =
      (3.0 - target + std::sqrt((target - 3.0) * (target - 3.0) + 24.0 * target)) / (12.0 * target);
  for (int it = 0; it < 100; ++it) {
    const double f = std::log(k) - digamma(k) - target;
    const double df = 1.0 / k - trigamma(k);
    double next = k - f / df;
    if (!(next > 0.0)) next = k / 2.0;
    const bool done = std::fabs(next - k) <= 1e-13 * k;
    k = next;
    if (done) break;
  }
  const double theta = mean / k;
  const double ll =
      (k - 1.0) * s.sum_log - s.sum / theta - s.n * k * std::log(theta) - s.n * std::lgamma(k);
  return finish("gamma", sim::Distribution::gamma(k, theta), 2, ll, x);
}

DistributionFit fit_weibull(const std::vector<double>& x) {
  const LogSums s = sums(x);
  require_spread(x, "Weibull");
  // Scaled by the maximum (y <= 1) so that y^k neither overflows nor loses
  // everything; the score equation is the same for y as for x.
  const double m = *std::max_element(x.begin(), x.end());
  std::vector<double> ly(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) ly[i] = std::log(x[i] / m);
  const double mean_ly = s.sum_log / s.n - std::log(m);
  auto g = [&](double k, double* dg) {
    double a = 0.0, b = 0.0, c = 0.0;  // Σyᵏ, Σyᵏ ln y, Σyᵏ ln²y
    for (double l : ly) {
      const double w = std::exp(k * l);
      a += w;
      b += w * l;
      c += w * l * l;
    }
    if (dg) *dg = (c * a - b * b) / (a * a) + 1.0 / (k * k);
    return b / a - 1.0 / k - mean_ly;
  };
  // g increases from −inf (k → 0) to max ln y − mean ln y > 0: bracket the
  // root, then Newton steps kept inside the bracket (bisection otherwise).
  double lo = 1e-3, hi = 1.0;
  while (g(lo, nullptr) > 0.0) lo /= 2.0;
  while (g(hi, nullptr) < 0.0) hi *= 2.0;
  double k = 0.5 * (lo + hi);
  for (int it = 0; it < 200; ++it) {
    double dg = 0.0;
    const double v = g(k, &dg);
    if (v < 0.0) {
      lo = k;
    } else {
      hi = k;
    }
    double next = k - v / dg;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const bool done = std::fabs(next - k) <= 1e-13 * k;
    k = next;
    if (done || hi - lo <= 1e-14 * hi) break;
  }
  double a = 0.0;
  for (double l : ly) a += std::exp(k * l);
  const double lambda = m * std::pow(a / s.n, 1.0 / k);
  double sum_pow = 0.0;
  for (double v : x) sum_pow += std::pow(v / lambda, k);
  const double ll =
      s.n * std::log(k) - s.n * k * std::log(lambda) + (k - 1.0) * s.sum_log - sum_pow;
  return finish("weibull", sim::Distribution::weibull(k, lambda), 2, ll, x);
}

double ks_distance(std::vector<double> x, const sim::Distribution& d) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double D = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double F = d.cdf(x[i]);
    D = std::max({D, F - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - F});
  }
  return D;
}

TailCheck check_tail(const std::vector<double>& x, const sim::Distribution& fit) {
  const std::size_t n = x.size();
  const double dn = static_cast<double>(n);
  TailCheck t;
  for (double level : {0.95, 0.99}) {
    const double q = fit.quantile(level);
    const double p = 1.0 - level;
    std::size_t above = 0;
    for (double v : x) above += v > q ? 1 : 0;
    // P(B >= above) = 1 − Σ_{k < above} P(B = k).
    double below = 0.0;
    for (std::size_t k = 0; k < above; ++k) {
      const double dk = static_cast<double>(k);
      below += std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) +
                        dk * std::log(p) + (dn - dk) * std::log1p(-p));
    }
    const double p_value = std::max(0.0, 1.0 - below);
    if (level == 0.95 || p_value < t.p_value) {
      t.level = level;
      t.above = above;
      t.expected = p * dn;
      t.p_value = p_value;
    }
  }
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  const double h = (dn - 1.0) * 0.99;
  const auto i = static_cast<std::size_t>(h);
  t.data_p99 =
      sorted[i] + (h - static_cast<double>(i)) * (sorted[std::min(i + 1, n - 1)] - sorted[i]);
  t.fit_p99 = fit.quantile(0.99);
  t.heavier = static_cast<double>(t.above) > t.expected && t.p_value < 0.01;
  return t;
}

FitResult fit_durations(const std::vector<double>& x) {
  if (x.size() < 2) throw std::invalid_argument("need at least two durations to fit");
  sums(x);  // checks every value
  FitResult r;
  r.n = x.size();
  require_spread(x, "distribution");
  r.fits.push_back(fit_lognormal(x));
  r.fits.push_back(fit_gamma(x));
  r.fits.push_back(fit_weibull(x));
  r.fits.push_back(fit_exponential(x));
  std::stable_sort(
      r.fits.begin(), r.fits.end(),
      [](const DistributionFit& a, const DistributionFit& b) { return a.aic < b.aic; });
  r.tail = check_tail(x, r.fits.front().distribution);
  return r;
}

std::string duration_yaml(double seconds) {
  return sim::format_duration(sim::Duration::millis(std::llround(seconds * 1000.0)));
}

std::string distribution_yaml(const sim::Distribution& d) {
  char buf[160];
  switch (d.kind()) {
    case sim::DistributionKind::lognormal:
      std::snprintf(buf, sizeof buf, "{lognormal: {mu: %.6g, sigma: %.6g}}", d.param_a(),
                    d.param_b());
      return buf;
    case sim::DistributionKind::gamma:
      return "{gamma: {shape: " +
             std::string((std::snprintf(buf, sizeof buf, "%.6g", d.param_a()), buf)) +
             ", scale: " + duration_yaml(d.param_b()) + "}}";
    case sim::DistributionKind::weibull:
      return "{weibull: {shape: " +
             std::string((std::snprintf(buf, sizeof buf, "%.6g", d.param_a()), buf)) +
             ", scale: " + duration_yaml(d.param_b()) + "}}";
    case sim::DistributionKind::exponential:
      return "{exponential: {mean: " + duration_yaml(d.param_a()) + "}}";
    default:
      return d.describe();
  }
}

std::string fit_summary_text(const sim::Distribution& d) {
  return d.describe() + " — median " + duration_yaml(std::round(d.quantile(0.5))) + ", p90 " +
         duration_yaml(std::round(d.quantile(0.9)));
}

std::string empirical_yaml(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  std::string out = "{empirical: {values: [";
  for (std::size_t i = 0; i < x.size(); ++i) {
    out += (i ? ", " : "") +
           sim::format_duration(sim::Duration::seconds(std::max<long long>(0, std::llround(x[i]))));
  }
  return out + "]}}";
}

}  // namespace relsim::analysis
