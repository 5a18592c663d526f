// The summary of a scenario run (see run_summary.hpp and docs/results.md).
#include "analysis/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/quantile_sketch.hpp"
#include "analysis/summary_accumulator.hpp"
#include "analysis/trial_row.hpp"
#include "models/slo_ledger.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
/// Up to this many draws, order-statistic ranks come from the exact binomial.
constexpr std::uint64_t kExactRankLimit = 100000;

/// The pmf of Binomial(n, p) for 0 < p < 1, by the ratio recurrence outwards
/// from the mode (whose value comes from lgamma once), so no term is a
/// difference of huge logarithms. Terms below the double range are 0.
std::vector<double> binomial_pmf(std::uint64_t n, double p) {
  std::vector<double> pmf(n + 1, 0.0);
  const double nd = static_cast<double>(n);
  const auto mode = std::min<std::uint64_t>(n, static_cast<std::uint64_t>((nd + 1.0) * p));
  const double md = static_cast<double>(mode);
  pmf[mode] = std::exp(std::lgamma(nd + 1.0) - std::lgamma(md + 1.0) - std::lgamma(nd - md + 1.0) +
                       md * std::log(p) + (nd - md) * std::log1p(-p));
  const double odds = p / (1.0 - p);
  for (std::uint64_t k = mode; k < n && pmf[k] > 0.0; ++k) {  // pmf(k+1) = pmf(k)·(n−k)/(k+1)·odds
    pmf[k + 1] = pmf[k] * static_cast<double>(n - k) / static_cast<double>(k + 1) * odds;
  }
  for (std::uint64_t k = mode; k > 0 && pmf[k] > 0.0; --k) {  // pmf(k−1) = pmf(k)·k/(n−k+1)/odds
    pmf[k - 1] = pmf[k] * static_cast<double>(k) / static_cast<double>(n - k + 1) / odds;
  }
  return pmf;
}

/// x_(rank) of `sorted` with the conventions x_(0) = −∞, x_(n+1) = +∞.
double order_statistic(std::span<const double> sorted, std::uint64_t rank) {
  if (rank == 0) return -kInf;
  if (rank > sorted.size()) return kInf;
  return sorted[rank - 1];
}

/// ⌈n·p⌉ clamped to [1, n]; a relative 1e-12 below n·p absorbs the rounding
/// of p (0.95 · 100 must give rank 95, not 96).
std::uint64_t quantile_rank(std::uint64_t n, double p) {
  const double np = static_cast<double>(n) * p;
  const auto rank = static_cast<std::uint64_t>(std::ceil(np - 1e-12 * np));
  return std::clamp<std::uint64_t>(rank, 1, n);
}

}  // namespace

double empirical_quantile(std::vector<double>& values, double p) {
  if (values.empty()) return kNaN;
  const auto k = quantile_rank(values.size(), p) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

double binomial_cdf(std::uint64_t k, std::uint64_t n, double p) {
  if (k >= n) return 1.0;
  if (p <= 0.0) return 1.0;
  if (p >= 1.0) return 0.0;
  const auto pmf = binomial_pmf(n, p);
  double sum = 0.0;
  for (std::uint64_t i = 0; i <= k; ++i) sum += pmf[i];
  return std::min(sum, 1.0);
}

std::uint64_t binomial_quantile(double q, std::uint64_t n, double p) {
  if (!(q > 0.0 && q < 1.0)) throw std::invalid_argument("binomial_quantile: need 0 < q < 1");
  if (p <= 0.0) return 0;
  if (p >= 1.0) return n;
  const auto pmf = binomial_pmf(n, p);
  double sum = 0.0;
  for (std::uint64_t k = 0; k < n; ++k) {
    sum += pmf[k];
    if (sum >= q) return k;
  }
  return n;
}

RankInterval order_statistic_ranks(std::uint64_t n, double p, double confidence) {
  RankInterval out;
  const double alpha = 1.0 - confidence;
  if (n <= kExactRankLimit) {
    const auto pmf = binomial_pmf(n, p);
    // cdf[k] = F(k − 1) = P(B < k), for k in 0..n+1.
    std::vector<double> cdf(n + 2, 0.0);
    for (std::uint64_t k = 0; k <= n; ++k) cdf[k + 1] = cdf[k] + pmf[k];
    cdf[n + 1] = 1.0;
    // l = the smallest k with F(k) >= α/2; u − 1 = the smallest k with F(k) >= 1 − α/2.
    std::uint64_t l = 0;
    while (l < n && cdf[l + 1] < alpha / 2.0) ++l;
    std::uint64_t u_minus_1 = l;
    while (u_minus_1 < n && cdf[u_minus_1 + 1] < 1.0 - alpha / 2.0) ++u_minus_1;
    out.lower = l;
    out.upper = u_minus_1 + 1;
    out.coverage = std::min(1.0, cdf[out.upper] - cdf[out.lower]);
    return out;
  }
  // Beyond kExactRankLimit draws, the normal approximation of B with a
  // continuity correction (its error is a fraction of a rank's width).
  const double nd = static_cast<double>(n);
  const double mu = nd * p, sd = std::sqrt(nd * p * (1.0 - p));
  const double z = normal_quantile(1.0 - alpha / 2.0);
  const double l = std::ceil(mu - z * sd - 0.5);
  const double u1 = std::ceil(mu + z * sd - 0.5);
  out.lower = static_cast<std::uint64_t>(std::clamp(l, 0.0, nd));
  out.upper = static_cast<std::uint64_t>(std::clamp(u1, 0.0, nd)) + 1;
  out.coverage = confidence;
  return out;
}

QuantileInterval quantile_interval(std::span<const double> sorted, double p, double confidence) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("quantile_interval: need 0 < p < 1");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("quantile_interval: need 0 < confidence < 1");
  const std::uint64_t n = sorted.size();
  QuantileInterval out;
  if (n == 0) return {kNaN, -kInf, kInf, 0, 1, 1.0};
  const RankInterval r = order_statistic_ranks(n, p, confidence);
  out.lower_rank = r.lower;
  out.upper_rank = r.upper;
  out.estimate = order_statistic(sorted, quantile_rank(n, p));
  out.low = order_statistic(sorted, out.lower_rank);
  out.high = order_statistic(sorted, out.upper_rank);
  out.coverage = r.coverage;
  return out;
}

SloWindow slo_window(const models::CompiledModel& model, models::Index slo) {
  const sim::Duration horizon = model.horizon;
  const sim::Duration start = models::slo_window_start(model, model.slos.at(slo), horizon);
  return {start, horizon - start};
}

const char* to_string(IncidentMetric m) {
  switch (m) {
    case IncidentMetric::mttr:
      return "mttr";
    case IncidentMetric::ttd:
      return "ttd";
    case IncidentMetric::tta:
      return "tta";
    case IncidentMetric::ttm:
      return "ttm";
  }
  return "?";
}

std::string severity_group_name(std::size_t group) {
  return group == 0 ? std::string("all") : "sev" + std::to_string(group);
}

RunSummary summarize(const models::CompiledModel& model,
                     const std::vector<models::TrialResult>& results, double confidence) {
  SummaryAccumulator acc(model, confidence);
  const TrialBlock block = to_block(model, results, 0);
  acc.add(block);
  std::vector<BudgetSeriesSummary> envelopes;
  for (std::size_t s = 0; s < model.slos.size(); ++s) {
    const std::size_t samples = results.empty() ? 0 : results[0].slos[s].remaining_budget.size();
    envelopes.push_back(budget_envelope(
        results.size(), samples,
        [&](std::size_t first, std::size_t count, std::vector<float>& out) {
          out.resize(results.size() * count);
          for (std::size_t i = 0; i < results.size(); ++i) {
            std::copy_n(block.series[s].begin() + static_cast<std::ptrdiff_t>(i * samples + first),
                        count, out.begin() + static_cast<std::ptrdiff_t>(i * count));
          }
        }));
  }
  return acc.finish(std::move(envelopes));
}

}  // namespace relsim::analysis
