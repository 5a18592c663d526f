// What `relsim alerts` prints and writes (docs/alerting.md): the terminal
// table of rule sets × figures, the "when does it fire" table, the window
// scaling note, the low-traffic table, and the same as JSON, as an HTML
// report (detection-time CDFs, precision vs recall, pages per shift) and as
// the HDF5 group `/alerts`. Pure builders over values, except the HDF5
// writer (not thread-safe: HDF5 is not).
#pragma once

#include <string>
#include <vector>

#include "analysis/alert_lab.hpp"
#include "analysis/alert_low_traffic.hpp"
#include "analysis/alert_rules.hpp"
#include "analysis/report_html.hpp"

namespace relsim::analysis {

/// One error ratio of the "when does it fire" table: per rule set, the page
/// and the ticket route's closed form.
struct WhenRow {
  double error = 0.0;
  std::vector<FireTiming> page;    // per rule set
  std::vector<FireTiming> ticket;  // per rule set
};

/// The closed forms for every rule set at every error ratio of `errors`
/// (threshold alerts count when they watch `service`, the SLO's).
std::vector<WhenRow> when_table(const std::vector<RuleSet>& sets, const std::vector<double>& errors,
                                double baseline, double objective, sim::Duration period,
                                const std::string& service = "");

/// `ratios` ascending, each once: ratios within 1e-9 (relative) of each
/// other, which differ by rounding only, become the larger one.
std::vector<double> distinct_error_ratios(std::vector<double> ratios);

/// The default error ratios of the table: burn rates 1, 2, 6, 10, 14.4, 35,
/// 36, 100 and 1000 of the budget, and 100 %, each at most 100 %, ascending.
std::vector<double> default_error_ratios(double objective);

/// For an SLO window other than 30 days: what the workbook's 30-day factors
/// would spend on it, one line per window (empty for 30 days).
std::vector<std::string> scaling_notes(sim::Duration period);

struct LowTrafficSection {
  bool present = false;
  std::string why;  // `below 1 req/s` or `--low-traffic`
  LowTrafficConfig config;
  std::vector<LowTrafficResult> plain;  // per rule set, no gate
  std::vector<LowTrafficResult> gated;  // per rule set, with config.min_requests (when > 0)
};

struct AlertLabReport {
  AlertLabResult lab;
  std::vector<RuleSet> sets;
  std::vector<WhenRow> when;
  LowTrafficSection low;
};

std::string alert_lab_text(const AlertLabReport& r);
std::string alert_lab_json(const AlertLabReport& r);
Report alert_lab_html(const AlertLabReport& r);

/// Writes the HDF5 file `path` (via a unique temporary and a rename) with the group
/// `/alerts` (docs/alerting.md, "HDF5"). Throws std::runtime_error.
void write_alert_lab_hdf5(const std::string& path, const AlertLabReport& r);

}  // namespace relsim::analysis
