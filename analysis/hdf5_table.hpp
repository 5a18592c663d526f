// Internal to analysis/ (like hdf5_support.hpp, it includes H5Cpp.h): small
// compound tables built column by column — the plan's `/gameday` tables and
// the incident table — and single columns read back by member name, so a
// reader needs no struct mirroring the file's row. Not thread-safe (HDF5 is
// not).
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

namespace relsim::analysis::h5 {

/// A table of `rows` rows whose columns are added one at a time, then
/// written as one packed compound dataset (float64, uint64, uint32, uint8
/// and UTF-8 variable-length string members, in the order added).
class TableBuilder {
 public:
  explicit TableBuilder(std::size_t rows) : rows_(rows) {}
  /// Each adds a column; throws std::logic_error when `values` has another length.
  void f64(const std::string& name, std::vector<double> values);
  void u64(const std::string& name, std::vector<std::uint64_t> values);
  void u32(const std::string& name, std::vector<std::uint32_t> values);
  void u8(const std::string& name, std::vector<std::uint8_t> values);
  void str(const std::string& name, std::vector<std::string> values);
  /// Creates dataset `name` in `parent` (chunked and compressed when
  /// `compress` and the table is not empty) and writes the rows.
  H5::DataSet write(H5::Group& parent, const std::string& name, bool compress = false) const;

 private:
  enum class Kind : std::uint8_t { f64, u64, u32, u8, str };
  struct Column {
    std::string name;
    Kind kind;
    std::vector<double> f;
    std::vector<std::uint64_t> u;
    std::vector<std::string> s;
  };
  void add(Column c, std::size_t size);
  std::size_t rows_;
  std::vector<Column> columns_;
};

/// True when the compound dataset `ds` has a member `name`.
bool has_member(const H5::DataSet& ds, const std::string& name);
/// Member `name` of every row as float64 (integers converted). Throws
/// std::runtime_error naming the member when it is absent.
std::vector<double> read_f64_column(const H5::DataSet& ds, const std::string& name);
/// Member `name` of every row as uint64.
std::vector<std::uint64_t> read_u64_column(const H5::DataSet& ds, const std::string& name);
/// A variable-length string member of every row.
std::vector<std::string> read_string_column(const H5::DataSet& ds, const std::string& name);

}  // namespace relsim::analysis::h5
