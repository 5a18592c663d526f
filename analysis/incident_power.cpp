#include "analysis/incident_power.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "analysis/estimators.hpp"
#include "models/limits.hpp"
#include "sim/random.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kStats = 4;

double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double quantile_of(std::vector<double>& v, double p) {
  // Type 7, by two selections (O(n)).
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (h - static_cast<double>(lo)) * (b - a);
}

/// Per repeat and statistic: the null difference stat(A) − stat(B) and the
/// statistic of each period (the improved period is B × (1 − X): every
/// statistic here is scale-equivariant, so its statistic is (1 − X)·stat(B)).
struct Draws {
  std::array<std::vector<double>, kStats> null_diff;
  std::array<std::vector<double>, kStats> alt_diff;  // stat(A) − (1 − X)·stat(B)
  std::array<double, kStats> average{};              // mean of stat(A) over repeats
};

Draws simulate(const sim::Distribution& d, std::size_t n, std::size_t repeats, std::uint64_t seed,
               double improvement) {
  Draws out;
  for (auto& v : out.null_diff) v.reserve(repeats);
  for (auto& v : out.alt_diff) v.reserve(repeats);
  const std::uint64_t stream = sim::stream_id("incidents/power/" + std::to_string(n));
  std::vector<double> a(n), b(n);
  for (std::size_t r = 0; r < repeats; ++r) {
    sim::Rng rng(sim::trial_seed(seed, r), stream);
    for (double& x : a) x = d.sample(rng);
    for (double& x : b) x = d.sample(rng);
    for (std::size_t s = 0; s < kStats; ++s) {
      const double sa = period_statistic(a, kPowerStatistics[s]);
      const double sb = period_statistic(b, kPowerStatistics[s]);
      out.null_diff[s].push_back(sa - sb);
      out.alt_diff[s].push_back(sa - (1.0 - improvement) * sb);
      out.average[s] += sa / static_cast<double>(repeats);
    }
  }
  return out;
}

/// P(detected): the share of alternative differences above the null's
/// (1 − alpha) quantile.
double power_of(Draws& w, std::size_t s, double alpha) {
  std::vector<double> null = w.null_diff[s];
  const double crit = quantile_of(null, 1.0 - alpha);
  if (std::isnan(crit)) return kNaN;
  std::size_t hits = 0;
  for (double v : w.alt_diff[s]) hits += v > crit ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(w.alt_diff[s].size());
}

}  // namespace

const char* statistic_name(PowerStatistic s) {
  switch (s) {
    case PowerStatistic::mean:
      return "mean";
    case PowerStatistic::median:
      return "median";
    case PowerStatistic::p95:
      return "p95";
    case PowerStatistic::geometric_mean:
      return "geometric mean";
  }
  return "?";
}

double period_statistic(std::vector<double>& values, PowerStatistic s) {
  switch (s) {
    case PowerStatistic::mean: {
      double sum = 0.0;
      for (double v : values) sum += v;
      return sum / static_cast<double>(values.size());
    }
    case PowerStatistic::median:
      return quantile_of(values, 0.5);
    case PowerStatistic::p95:
      return quantile_of(values, 0.95);
    case PowerStatistic::geometric_mean: {
      double sum = 0.0;
      for (double v : values) {
        if (!(v > 0.0)) return kNaN;  // undefined with a duration <= 0
        sum += std::log(v);
      }
      return std::exp(sum / static_cast<double>(values.size()));
    }
  }
  return kNaN;
}

AnalyticPower analytic_power(double mean, double sd, const PowerSettings& st) {
  AnalyticPower a;
  a.mean = mean;
  a.sd = sd;
  const double n = static_cast<double>(st.incidents);
  const double x = st.improvement;
  const double sd_null = sd * std::sqrt(2.0 / n);
  const double sd_alt = sd * std::sqrt((1.0 + (1.0 - x) * (1.0 - x)) / n);
  const double effect = x * mean;
  const double z_alpha = normal_quantile(1.0 - st.alpha);
  a.p_improvement_hidden = phi(-effect / sd_alt);
  a.p_false_improvement = 1.0 - phi(st.threshold / sd_null);
  a.half_width90 = normal_quantile(0.95) * sd_null;
  a.power = phi((effect - z_alpha * sd_null) / sd_alt);
  const double root = (z_alpha * sd * std::numbers::sqrt2 +
                       normal_quantile(st.power) * sd * std::sqrt(1.0 + (1.0 - x) * (1.0 - x))) /
                      effect;
  a.incidents_needed = root * root;
  return a;
}

PowerResult incident_power(const sim::Distribution& d, const PowerSettings& st) {
  if (st.incidents < 2) throw std::invalid_argument("--incidents must be at least 2");
  if (st.repeats < 100) throw std::invalid_argument("--repeats must be at least 100");
  // Checked before anything is sized by them: each repeat holds two periods of draws.
  if (st.repeats > static_cast<std::size_t>(models::kMaxPowerRepeats)) {
    throw std::invalid_argument("--repeats " + std::to_string(st.repeats) + " is above " +
                                std::to_string(models::kMaxPowerRepeats) +
                                models::limit_note("draws of a power analysis"));
  }
  if (st.incidents > static_cast<std::size_t>(models::kMaxPowerDraws) / st.repeats) {
    throw std::invalid_argument("--incidents " + std::to_string(st.incidents) + " × --repeats " +
                                std::to_string(st.repeats) + " is above " +
                                std::to_string(models::kMaxPowerDraws) + " draws" +
                                models::limit_note("draws of a power analysis"));
  }
  if (!(st.improvement > 0.0 && st.improvement < 1.0)) {
    throw std::invalid_argument("--improvement must be between 0 % and 100 % (exclusive)");
  }
  if (!(st.power > 0.0 && st.power < 1.0)) {
    throw std::invalid_argument("--power must be between 0 and 1 (exclusive)");
  }
  PowerResult res;
  res.settings = st;
  Draws w = simulate(d, st.incidents, st.repeats, st.seed, st.improvement);
  const double reps = static_cast<double>(st.repeats);
  for (std::size_t s = 0; s < kStats; ++s) {
    StatisticPower p;
    p.statistic = kPowerStatistics[s];
    p.baseline = w.average[s];
    std::size_t hidden = 0, false_imp = 0;
    for (double v : w.alt_diff[s]) hidden += v <= 0.0 ? 1 : 0;
    for (double v : w.null_diff[s]) false_imp += v >= st.threshold ? 1 : 0;
    p.p_improvement_hidden = static_cast<double>(hidden) / reps;
    p.p_false_improvement = static_cast<double>(false_imp) / reps;
    std::vector<double> null = w.null_diff[s];
    p.diff_low = quantile_of(null, 0.05);
    p.diff_high = quantile_of(null, 0.95);
    p.power = power_of(w, s, st.alpha);
    p.null_differences = w.null_diff[s];
    p.improved_differences = w.alt_diff[s];
    if (std::isnan(p.baseline)) {
      // Undefined in some repeats (a geometric mean with a duration <= 0):
      // no figure of this statistic means anything.
      p.p_improvement_hidden = p.p_false_improvement = p.power = kNaN;
      p.diff_low = p.diff_high = kNaN;
    }
    for (double q : {p.p_improvement_hidden, p.p_false_improvement, p.power}) {
      if (!std::isnan(q)) p.mc_error = std::max(p.mc_error, std::sqrt(q * (1.0 - q) / reps));
    }
    res.statistics.push_back(p);
  }

  // Incidents needed: powers on a doubling grid of N (fewer repeats), then
  // bisection per statistic to within 2 % of N.
  const std::size_t search_repeats = std::min<std::size_t>(st.repeats, 500);
  auto powers_at = [&](std::size_t n) {
    Draws g = simulate(d, n, search_repeats, st.seed, st.improvement);
    std::array<double, kStats> out{};
    for (std::size_t s = 0; s < kStats; ++s) out[s] = power_of(g, s, st.alpha);
    return out;
  };
  std::vector<std::pair<std::size_t, std::array<double, kStats>>> grid;
  for (std::size_t n = 4; st.search_needed && n <= kMaxIncidentsSearched; n *= 2) {
    grid.emplace_back(n, powers_at(n));
    bool all = true;
    for (double p : grid.back().second) all = all && (std::isnan(p) || p >= st.power);
    if (all) break;
  }
  for (std::size_t s = 0; s < kStats; ++s) {
    std::size_t lo = 2, hi = 0;
    for (const auto& [n, p] : grid) {
      if (!std::isnan(p[s]) && p[s] >= st.power) {
        hi = n;
        break;
      }
      lo = n;
    }
    if (hi == 0) continue;  // not reached within the cap
    while (hi - lo > std::max<std::size_t>(1, lo / 50)) {
      const std::size_t mid = lo + (hi - lo) / 2;
      Draws g = simulate(d, mid, search_repeats, st.seed, st.improvement);
      if (power_of(g, s, st.alpha) >= st.power) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    res.statistics[s].incidents_needed = hi;
  }
  res.analytic = analytic_power(d.mean(), std::sqrt(d.variance()), st);
  return res;
}

}  // namespace relsim::analysis
