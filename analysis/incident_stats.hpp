// Per service and severity summaries of an incident table: time to
// acknowledge, mitigate and resolve, each as mean, median and p90 with
// intervals, for all hours and split into business hours vs nights and
// weekends by a System's calendar (docs/incident-data.md).
//
// The mean's interval is Student's t (analysis/estimators.hpp); a quantile's
// is the distribution-free order-statistic interval of
// analysis/run_summary.hpp (`quantile_interval`, the one `relsim run` uses):
// its coverage is a binomial probability, so it holds for any distribution of
// durations, and an end is infinite when too few incidents pin it. The
// quantile's estimate is the order statistic x(⌈n·p⌉). Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/incident_data.hpp"
#include "models/calendar.hpp"

namespace relsim::analysis {

struct RecordedTimeStats {
  std::size_t n = 0;
  Interval mean;
  Interval median;
  Interval p90;
};

/// The summary of `values` (seconds, any order) at `confidence`.
RecordedTimeStats summarize_durations(std::vector<double> values, double confidence);

enum class HoursClass { all, business, off_hours };

/// `all`, `business`, `off-hours`.
const char* hours_name(HoursClass h);

struct SummaryRow {
  std::string service;   // `*` for all services
  std::string severity;  // `*` for all severities
  RecordedTime metric = RecordedTime::ttr;
  HoursClass hours = HoursClass::all;
  RecordedTimeStats summary;
};

/// True when the incident was created inside `calendar`'s business hours
/// (its weekdays and hours, at its UTC offset).
bool created_in_business_hours(const Incident& incident, const models::Calendar& calendar);

/// One row per (service, severity) — plus `*` totals — per metric with data,
/// per hours class (only `all` without a calendar). Rows in sorted order.
std::vector<SummaryRow> summarize_incidents(const IncidentTable& table,
                                            const models::Calendar* calendar, double confidence);

}  // namespace relsim::analysis
