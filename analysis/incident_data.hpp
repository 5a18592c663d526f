// Real incident history as data (docs/incident-data.md): reading an export
// of PagerDuty, Opsgenie or a documented generic CSV into one normalised
// incident table, and writing that table back as generic CSV.
//
// An `Incident` holds UTC instants as Unix seconds (double, NaN = not
// recorded); its durations (time to acknowledge, mitigate, resolve) are
// differences from `created`. Rows that cannot be read (a bad time, a missing
// required field, times out of order, a wrong number of fields) are errors
// located like a compiler's (`file:line:column: error: ...`, 1-based), all
// collected (up to models::kMaxErrors) and thrown together as
// models::InputError. Rows that are well formed but unusable (still open,
// a repeated id) are skipped and counted by reason. Pure functions over
// values; thread-safe.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/incident_time.hpp"

namespace relsim::analysis {

enum class IncidentFormat { generic, pagerduty, opsgenie };

/// `generic`, `pagerduty` or `opsgenie`; nullopt for anything else.
std::optional<IncidentFormat> parse_incident_format(std::string_view text);

/// Which duration of an incident: created → acknowledged, → mitigated, → resolved.
enum class RecordedTime { tta, ttm, ttr };

/// `tta`, `ttm`, `ttr`.
const char* metric_name(RecordedTime m);
/// `tta`, `ttm` or `ttr`; nullopt for anything else.
std::optional<RecordedTime> parse_metric(std::string_view text);

struct Incident {
  std::string id;
  std::string service;
  std::string severity;
  double created = 0.0;                                            // Unix seconds, UTC
  double acknowledged = std::numeric_limits<double>::quiet_NaN();  // NaN: not recorded
  double mitigated = std::numeric_limits<double>::quiet_NaN();     // NaN: not recorded
  double resolved = std::numeric_limits<double>::quiet_NaN();      // NaN: not recorded
  int line = 0;  // 1-based line of the row in its file

  /// Seconds from creation to the metric's instant; NaN when not recorded.
  double seconds(RecordedTime m) const;
};

/// Rows left out for one reason, with the first line it applied to.
struct SkippedRows {
  std::string reason;
  std::size_t count = 0;
  int first_line = 0;
};

struct IncidentTable {
  std::string file;
  std::size_t rows = 0;  // data rows read (excluding the header)
  std::vector<Incident> incidents;
  std::vector<SkippedRows> skipped;
  std::size_t times_without_offset = 0;  // ISO times with no zone, read as UTC
};

/// Parses `text` (CSV, RFC 4180 quoting, header row first) in `format`;
/// `file_name` labels diagnostics. Throws models::InputError.
IncidentTable parse_incidents(const std::string& text, const std::string& file_name,
                              IncidentFormat format);

/// Reads and parses the file at `path`. Throws models::InputError (also when
/// the file cannot be read).
IncidentTable read_incidents(const std::string& path, IncidentFormat format);

/// The table as generic CSV (times as UTC ISO-8601 with `Z`), which
/// parse_incidents reads back with IncidentFormat::generic.
std::string write_incident_csv(const IncidentTable& table);

/// The column of `text` (CSV, header row first) whose header is `column`
/// (compared as header names are: lower case, letters and digits only), as
/// seconds: a number is seconds, else relsim duration syntax (`4m30s`);
/// empty fields are left out. Nullopt when there is no such column. Throws
/// models::InputError locating every value that is neither.
std::optional<std::vector<double>> csv_duration_column(const std::string& text,
                                                       const std::string& file_name,
                                                       const std::string& column);

/// The values of `m` for every incident that recorded it (seconds), in table order.
std::vector<double> metric_values(const IncidentTable& table, RecordedTime m);

}  // namespace relsim::analysis
