#include "analysis/incident_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// P(B = k) for B ~ Binomial(n, p), through log-gamma (no overflow for large n).
double binomial_pmf(std::size_t n, std::size_t k, double p) {
  const double dn = static_cast<double>(n), dk = static_cast<double>(k);
  return std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) +
                  dk * std::log(p) + (dn - dk) * std::log1p(-p));
}

}  // namespace

double sample_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Interval quantile_interval(const std::vector<double>& sorted, double p, double confidence) {
  const std::size_t n = sorted.size();
  if (n == 0) return {kNaN, kNaN, kNaN};
  const double tail = (1.0 - confidence) / 2.0;
  // cdf[k] = P(B <= k). The interval [x(l), x(u)] (1-based) misses the
  // quantile when B <= l-1 or B >= u: take the largest l with P(B <= l-1) <=
  // tail and the smallest u with P(B >= u) <= tail.
  std::vector<double> cdf(n + 1);
  double acc = 0.0;
  for (std::size_t k = 0; k <= n; ++k) {
    acc += binomial_pmf(n, k, p);
    cdf[k] = acc;
  }
  Interval iv{sample_quantile(sorted, p), -kInf, kInf};
  for (std::size_t l = n; l >= 1; --l) {
    if (cdf[l - 1] <= tail) {
      iv.low = sorted[l - 1];
      break;
    }
  }
  for (std::size_t u = 1; u <= n; ++u) {
    if (1.0 - cdf[u - 1] <= tail) {
      iv.high = sorted[u - 1];
      break;
    }
  }
  return iv;
}

DurationSummary summarize_durations(std::vector<double> values, double confidence) {
  DurationSummary s;
  s.n = values.size();
  std::sort(values.begin(), values.end());
  MeanAccumulator acc;
  for (double v : values) acc.add(v);
  s.mean = values.empty() ? Interval{kNaN, kNaN, kNaN} : acc.interval(confidence);
  s.median = quantile_interval(values, 0.5, confidence);
  s.p90 = quantile_interval(values, 0.9, confidence);
  return s;
}

const char* hours_name(HoursClass h) {
  switch (h) {
    case HoursClass::all: return "all";
    case HoursClass::business: return "business";
    case HoursClass::off_hours: return "off-hours";
  }
  return "?";
}

bool created_in_business_hours(const Incident& incident, const models::Calendar& calendar) {
  const auto& s = calendar.start;
  // The calendar's t = 0 is local civil time; UTC = local − offset.
  const double start_utc = static_cast<double>(models::days_from_civil(s.year, s.month, s.day)) *
                               86400.0 +
                           s.hour * 3600.0 + s.minute * 60.0 + s.second -
                           calendar.utc_offset.to_seconds();
  return calendar.in_business_hours(sim::Duration::from_seconds(incident.created - start_utc));
}

std::vector<SummaryRow> summarize_incidents(const IncidentTable& table,
                                            const models::Calendar* calendar, double confidence) {
  using Key = std::tuple<std::string, std::string, int, int>;  // service, severity, metric, hours
  std::map<Key, std::vector<double>> groups;
  for (const Incident& inc : table.incidents) {
    std::vector<HoursClass> hours{HoursClass::all};
    if (calendar) {
      hours.push_back(created_in_business_hours(inc, *calendar) ? HoursClass::business
                                                                : HoursClass::off_hours);
    }
    for (IncidentMetric m : {IncidentMetric::tta, IncidentMetric::ttm, IncidentMetric::ttr}) {
      const double v = inc.seconds(m);
      if (std::isnan(v)) continue;
      for (HoursClass h : hours) {
        for (const std::string& svc : {inc.service, std::string("*")}) {
          for (const std::string& sev : {inc.severity, std::string("*")}) {
            groups[{svc, sev, static_cast<int>(m), static_cast<int>(h)}].push_back(v);
          }
        }
      }
    }
  }
  std::vector<SummaryRow> rows;
  for (auto& [key, values] : groups) {
    SummaryRow r;
    r.service = std::get<0>(key);
    r.severity = std::get<1>(key);
    r.metric = static_cast<IncidentMetric>(std::get<2>(key));
    r.hours = static_cast<HoursClass>(std::get<3>(key));
    r.summary = summarize_durations(std::move(values), confidence);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace relsim::analysis
