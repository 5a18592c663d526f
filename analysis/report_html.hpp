// The HTML report (docs/report.md): one self-contained file that opens
// offline. The page carries its data inline as JSON (one Chart.js
// configuration per chart, plus tables), Chart.js itself inlined from
// Debian's libjs-chart.js, and a few lines of script that draw each chart
// and mark its canvas `data-drawn="true"` once drawn (what the browser test
// checks). Any script error is written into the page's `#relsim-errors`.
// Builders here turn relsim's results into sections; the commands choose
// which. Pure functions over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/json_node.hpp"

namespace relsim::analysis {

struct ReportTable {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct ReportChart {
  std::string title;
  std::string caption;      // one sentence on how to read it
  models::JsonNode config;  // a Chart.js configuration: {type, data, options}
};

struct ReportSection {
  std::string title;
  std::string text;  // a paragraph; plain text
  std::vector<ReportChart> charts;
  std::vector<ReportTable> tables;
};

struct Report {
  std::string title;
  std::string subtitle;
  std::vector<std::pair<std::string, std::string>> facts;  // label, value (scenario, seed, ...)
  std::vector<ReportSection> sections;
};

/// Where Debian's libjs-chart.js puts the standalone build.
inline constexpr const char* kChartJsPath = "/usr/share/javascript/chart.js/chart.min.js";

/// The text of Chart.js from $RELSIM_CHART_JS when set, else `path`; throws
/// std::runtime_error naming the package to install when it is missing.
std::string read_chart_js(const std::string& path = kChartJsPath);

/// The whole page. `chart_js` is inlined verbatim.
std::string render_html(const Report& report, const std::string& chart_js);

// ---------------------------------------------------------------- chart builders

/// A dashed horizontal line of a band chart: its legend label and value.
struct BandLevel {
  std::string label;
  double value = 0.0;
};

/// The step of a day axis's ticks for a span of `span_days`: a whole number
/// of hours (1, 2, 3, 6, 12) or days (1, 2, 7, 14, 28, ...), the smallest
/// that gives at most 12 ticks.
double day_tick_step(double span_days);

/// A band chart over the days of a trial: `mid` as a line, [low, high] as a
/// shaded band between the 5th and 95th percentile lines (each its own
/// colour), and a dashed horizontal line per level. Sample i is at
/// `start_days + i * step_days` elapsed days, drawn on a day axis where
/// day 1 is the first day (its start at 1), ticks at whole days or hours.
models::JsonNode band_chart(const std::string& y_label, double start_days, double step_days,
                            const std::vector<double>& mid, const std::vector<double>& low,
                            const std::vector<double>& high, const std::string& mid_label,
                            const std::vector<BandLevel>& levels);

/// Horizontal interval bars: one row per label, a bar from low to high and
/// a point at the estimate; values are shown as given (already scaled). The
/// axis spans the intervals with a 10 % margin, so narrow intervals near
/// 100 % stay visible.
models::JsonNode interval_chart(const std::string& x_label, const std::vector<std::string>& labels,
                                const std::vector<double>& estimate, const std::vector<double>& low,
                                const std::vector<double>& high);

/// A vertical bar chart of one series.
models::JsonNode bar_chart(const std::string& x_label, const std::string& y_label,
                           const std::vector<std::string>& labels,
                           const std::vector<double>& values);

/// Grouped vertical bars: one group per label, one bar per series;
/// `values[series][label]`.
models::JsonNode grouped_bar_chart(const std::string& x_label, const std::string& y_label,
                                   const std::vector<std::string>& labels,
                                   const std::vector<std::string>& series,
                                   const std::vector<std::vector<double>>& values);

/// A histogram of `values` over `bins` equal bins from the smallest to the
/// largest value (labels are the bins' lower edges); empty values give an
/// empty chart.
models::JsonNode histogram_chart(const std::string& x_label, const std::vector<double>& values,
                                 int bins);

/// One phase of a timeline row: [from, to] in the chart's unit.
struct TimelinePhase {
  double from = 0.0;
  double to = 0.0;
};

/// A point event on a timeline: drawn on the row `row` (one row per distinct
/// name, below the phase rows, in order of first appearance), shown as
/// `name` in its tooltip.
struct TimelineMarker {
  std::string row;  // e.g. "deploys", "faults"
  std::string name;
  double at = 0.0;
};

/// The span of a timeline over a trial's days, in elapsed days.
struct DayRange {
  double from_days = 0.0;
  double to_days = 0.0;
};

/// A timeline: one row per label, each row's phases drawn as floating bars
/// of the phase's colour (phase_names[k] names phase k of every row; a phase
/// with to <= from is not drawn), plus the markers, one row per kind. With
/// `days`, phases and markers are elapsed days drawn on a day axis (day 1
/// the first day, ticks at whole days or hours).
models::JsonNode timeline_chart(const std::string& x_label, const std::vector<std::string>& rows,
                                const std::vector<std::string>& phase_names,
                                const std::vector<std::vector<TimelinePhase>>& phases,
                                const std::vector<TimelineMarker>& markers,
                                std::optional<DayRange> days = std::nullopt);

}  // namespace relsim::analysis
