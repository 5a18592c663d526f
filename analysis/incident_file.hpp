// The normalised incident table as an HDF5 file (`relsim incidents import
// -o incidents.h5`; layout in docs/incident-data.md): `/meta` attributes
// saying what was imported, and one `/incidents` compound row per incident
// with its instants, its durations (tta_s, ttm_s, ttr_s) and, when a
// calendar was given, whether it was created in business hours. Reading an
// incident file back by content (HDF5 by its signature, else CSV), and the
// models::DataReader through which a scenario's `{empirical: {file,
// column}}` reads a column of such a table or of any CSV. HDF5 handles stay
// inside analysis/. Not thread-safe (HDF5 is not): one call at a time.
#pragma once

#include <string>
#include <vector>

#include "analysis/incident_data.hpp"
#include "models/calendar.hpp"
#include "models/data_reader.hpp"

namespace relsim::analysis {

/// Version of the incident-table layout; a reader refuses other versions.
inline constexpr std::uint64_t kIncidentTableVersion = 1;

struct IncidentFileMeta {
  std::string relsim_version;
  std::string source_format;  // generic, pagerduty, opsgenie
  std::string command_line;
  std::string created;                         // ISO-8601 UTC
  const models::Calendar* calendar = nullptr;  // business_hours column; nullptr: 255 (unknown)
  std::string calendar_of;                     // the System whose calendar it is
};

/// Writes `table` to `path` via a unique temporary and a rename (analysis/safe_output.hpp). Throws
/// std::runtime_error ("cannot write 'PATH': reason").
void write_incident_hdf5(const std::string& path, const IncidentTable& table,
                         const IncidentFileMeta& meta);

/// Reads an incident table written by write_incident_hdf5 (ids, services,
/// severities, instants, source lines, skipped rows). Throws
/// models::InputError naming `path` when it is not one.
IncidentTable read_incident_hdf5(const std::string& path);

/// True when the file at `path` starts with the HDF5 signature.
bool is_hdf5_file(const std::string& path);

/// An HDF5 incident table, or an export in `format` (CSV). Throws models::InputError.
IncidentTable read_incident_file(const std::string& path, IncidentFormat format);

/// Reads `{empirical: {file, column}}` for the loader: from an HDF5
/// incident table, `tta`, `ttm`, `ttr` (or any numeric `/incidents` member,
/// e.g. `tta_s`); from a CSV, a column of durations of that name, else
/// `tta`, `ttm` or `ttr` of an incident export in the generic format.
/// Values are seconds; incidents that did not record the duration are left out.
class IncidentDataReader final : public models::DataReader {
 public:
  std::vector<double> read_column(const std::string& path,
                                  const std::string& column) const override;
};

}  // namespace relsim::analysis
