#include "analysis/incident_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "analysis/run_summary.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Interval as_interval(const QuantileInterval& q) { return {q.estimate, q.low, q.high}; }

}  // namespace

RecordedTimeStats summarize_durations(std::vector<double> values, double confidence) {
  RecordedTimeStats s;
  s.n = values.size();
  std::sort(values.begin(), values.end());
  MeanAccumulator acc;
  for (double v : values) acc.add(v);
  s.mean = values.empty() ? Interval{kNaN, kNaN, kNaN} : acc.interval(confidence);
  s.median = as_interval(quantile_interval(values, 0.5, confidence));
  s.p90 = as_interval(quantile_interval(values, 0.9, confidence));
  return s;
}

const char* hours_name(HoursClass h) {
  switch (h) {
    case HoursClass::all:
      return "all";
    case HoursClass::business:
      return "business";
    case HoursClass::off_hours:
      return "off-hours";
  }
  return "?";
}

bool created_in_business_hours(const Incident& incident, const models::Calendar& calendar) {
  const auto& s = calendar.start;
  // The calendar's t = 0 is local civil time; UTC = local − offset.
  const double start_utc =
      static_cast<double>(models::days_from_civil(s.year, s.month, s.day)) * 86400.0 +
      s.hour * 3600.0 + s.minute * 60.0 + s.second - calendar.utc_offset.to_seconds();
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
    for (RecordedTime m : {RecordedTime::tta, RecordedTime::ttm, RecordedTime::ttr}) {
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
    r.metric = static_cast<RecordedTime>(std::get<2>(key));
    r.hours = static_cast<HoursClass>(std::get<3>(key));
    r.summary = summarize_durations(std::move(values), confidence);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace relsim::analysis
