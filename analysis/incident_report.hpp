// The HTML report of `relsim incidents fit --report` (docs/incident-data.md):
// the fits ranked by AIC with their scenario syntax, and a Q-Q chart per fit
// (a Chart.js scatter config on log axes) for analysis::render_html.
// Pure functions over values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "analysis/incident_fit.hpp"
#include "analysis/incident_power.hpp"
#include "analysis/report_html.hpp"
#include "models/json_node.hpp"
#include "sim/distribution.hpp"

namespace relsim::analysis {

/// A Q-Q chart of `x` (seconds) against `d`: each observation (at most 400,
/// evenly spaced by rank) against d's quantile at (i + ½)/n, in minutes on
/// logarithmic axes, with the line y = x. Requires x > 0 and non-empty.
models::JsonNode qq_chart(std::vector<double> x, const sim::Distribution& d);

/// The report page of a fit of `x` from `file`; `subject` names the duration
/// (`ttr of payment-api`); `tail_text` is the tail warning or empty.
Report incident_fit_report(const FitResult& r, const std::vector<double>& x,
                           const std::string& file, const std::string& subject,
                           const std::string& tail_text);

/// Two overlaid histograms (a Chart.js bar config, `bins` equal bins over
/// both samples' 0.5–99.5 % range, in minutes): the differences between two
/// periods when nothing changed, and when one period improved.
models::JsonNode difference_histogram(const std::vector<double>& no_change,
                                      const std::vector<double>& improved,
                                      const std::string& improved_label, int bins = 40);

/// The report page of `relsim incidents power`: per statistic, the histogram
/// of differences and its figures; `source` says what was resampled.
Report incident_power_report(const PowerResult& r, const std::string& source);

}  // namespace relsim::analysis
