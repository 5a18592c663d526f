// Reading a column of durations from a data file that a scenario names —
// `ack: {empirical: {file: incidents.h5, column: tta}}` (docs/incident-data.md).
//
// The loader knows YAML, paths and locations, not file formats: it resolves
// the path against the scenario file's directory and asks a `DataReader`
// for the values. The reader is supplied by the caller — the relsim program
// passes analysis::IncidentDataReader, which reads relsim's HDF5 incident
// tables and CSV files — so that models/ stays free of HDF5 and of the
// incident-table formats, which live in analysis/ (the one-way dependency
// cli → analysis → models → sim). Implementations must be safe to call from
// one loading thread; the loader calls them once per distribution that
// names a file, never during a trial.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace relsim::models {

/// Why a column could not be read; the loader locates the message at the
/// `file` key (file), the `column` key (column) or the distribution (data).
class DataReadError : public std::runtime_error {
 public:
  enum class Part { file, column, data };
  DataReadError(Part part, const std::string& message) : std::runtime_error(message), part_(part) {}
  Part part() const { return part_; }

 private:
  Part part_;
};

class DataReader {
 public:
  virtual ~DataReader() = default;
  /// The values of `column` in the file at `path` (as resolved by the
  /// loader), in seconds, in file order; missing entries (an incident never
  /// acknowledged) are left out. Throws DataReadError.
  virtual std::vector<double> read_column(const std::string& path,
                                          const std::string& column) const = 0;
  /// Folders, besides the folder of the file that names a data file, under
  /// which data files may lie (`--data-dir`; docs/security.md). The loader
  /// refuses a data file outside all of them. Default: none.
  virtual std::vector<std::string> data_dirs() const { return {}; }
  /// Called with every file the loader is about to read (the files it is
  /// given, the system files they name); may throw std::runtime_error to
  /// refuse one (the program refuses a file that is also an output).
  /// Default: nothing.
  virtual void opening(const std::string& /*path*/) const {}
};

}  // namespace relsim::models
