// Per service and severity summaries of an incident table: time to
// acknowledge, mitigate and resolve, each as mean, median and p90 with
// intervals, for all hours and split into business hours vs nights and
// weekends by a System's calendar (docs/incident-data.md).
//
// The mean's interval is Student's t (analysis/estimators.hpp); a quantile's
// is the distribution-free order-statistic interval [x(l), x(u)] whose
// coverage is a binomial probability, so it holds for any distribution of
// durations (it is at least the confidence asked for, and an end is infinite
// when too few incidents pin it). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/incident_data.hpp"
#include "models/calendar.hpp"

namespace relsim::analysis {

/// Distribution-free interval for the p-quantile (0 < p < 1) of the
/// distribution `sorted` (ascending) was drawn from: order statistics
/// x(l) <= x(u) with P(l <= B < u) >= confidence for B ~ Binomial(n, p),
/// split evenly between the tails. The estimate is the sample quantile
/// (linear interpolation, type 7). Ends not pinned by n are ∓infinity; all
/// NaN for an empty sample.
Interval quantile_interval(const std::vector<double>& sorted, double p, double confidence);

/// The sample p-quantile of ascending `sorted` (linear interpolation between
/// order statistics, Hyndman–Fan type 7); NaN when empty.
double sample_quantile(const std::vector<double>& sorted, double p);

struct DurationSummary {
  std::size_t n = 0;
  Interval mean;
  Interval median;
  Interval p90;
};

/// The summary of `values` (seconds, any order) at `confidence`.
DurationSummary summarize_durations(std::vector<double> values, double confidence);

enum class HoursClass { all, business, off_hours };

/// `all`, `business`, `off-hours`.
const char* hours_name(HoursClass h);

struct SummaryRow {
  std::string service;   // `*` for all services
  std::string severity;  // `*` for all severities
  IncidentMetric metric = IncidentMetric::ttr;
  HoursClass hours = HoursClass::all;
  DurationSummary summary;
};

/// True when the incident was created inside `calendar`'s business hours
/// (its weekdays and hours, at its UTC offset).
bool created_in_business_hours(const Incident& incident, const models::Calendar& calendar);

/// One row per (service, severity) — plus `*` totals — per metric with data,
/// per hours class (only `all` without a calendar). Rows in sorted order.
std::vector<SummaryRow> summarize_incidents(const IncidentTable& table,
                                            const models::Calendar* calendar, double confidence);

}  // namespace relsim::analysis
