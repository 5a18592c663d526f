// The incident table as HDF5 and the data-file reader (see incident_file.hpp).
#include "analysis/incident_file.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "analysis/hdf5_support.hpp"
#include "analysis/hdf5_table.hpp"
#include "analysis/incident_stats.hpp"
#include "analysis/safe_output.hpp"
#include "models/diagnostics.hpp"
#include "models/limits.hpp"

namespace relsim::analysis {

namespace {

constexpr const char* kKind = "incident_table";
constexpr std::uint8_t kNoCalendar = 255;

std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_u64s(H5::H5Object& obj, const std::string& name, const std::vector<std::uint64_t>& v) {
  const hsize_t n = v.size();
  auto a = obj.createAttribute(name, H5::PredType::NATIVE_UINT64, H5::DataSpace(1, &n));
  if (n > 0) a.write(H5::PredType::NATIVE_UINT64, v.data());
}

std::vector<std::uint64_t> read_u64s(const H5::H5Object& obj, const std::string& name) {
  if (!obj.attrExists(name)) throw std::runtime_error("missing attribute '" + name + "'");
  auto a = obj.openAttribute(name);
  std::vector<std::uint64_t> v(static_cast<std::size_t>(a.getSpace().getSimpleExtentNpoints()));
  if (!v.empty()) a.read(H5::PredType::NATIVE_UINT64, v.data());
  return v;
}

[[noreturn]] void not_a_table(const std::string& path, const std::string& why) {
  throw models::InputError(models::SourceLocation{path, 0, 0},
                           "not a relsim incident table (" + why +
                               "); write one with `relsim incidents import FILE -o " +
                               "incidents.h5`");
}

/// The `/incidents` dataset of an incident table at `path`, checked.
H5::DataSet open_table(H5::H5File& file, const std::string& path) {
  if (!file.nameExists("meta") || !file.nameExists("incidents")) {
    not_a_table(path, "no /meta and /incidents");
  }
  H5::Group meta = file.openGroup("meta");
  if (!meta.attrExists("kind") || h5::read_string(meta, "kind") != kKind) {
    not_a_table(path, meta.attrExists("kind") ? "its /meta kind is not incident_table"
                                              : "a relsim results file or other HDF5 file");
  }
  const std::uint64_t version = h5::read_u64(meta, "format_version");
  if (version != kIncidentTableVersion) {
    not_a_table(path, "format version " + std::to_string(version) + ", this relsim reads " +
                          std::to_string(kIncidentTableVersion));
  }
  return file.openDataSet("incidents");
}

}  // namespace

bool is_hdf5_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[8] = {};
  in.read(sig, 8);
  return in.gcount() == 8 && std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

void write_incident_hdf5(const std::string& path, const IncidentTable& table,
                         const IncidentFileMeta& meta) {
  H5::Exception::dontPrint();
  AtomicFile out(path);  // a unique temporary beside PATH, removed on error
  const std::string tmp = out.temp_path();
  auto cleanup = [&] {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
  };
  try {
    {
      H5::H5File file(tmp, H5F_ACC_TRUNC);
      H5::Group g = file.createGroup("meta");
      h5::write_string(g, "kind", kKind);
      h5::write_u64(g, "format_version", kIncidentTableVersion);
      h5::write_string(g, "relsim_version", meta.relsim_version);
      h5::write_string(g, "source_file", table.file);
      h5::write_string(g, "source_format", meta.source_format);
      h5::write_u64(g, "rows", table.rows);
      h5::write_u64(g, "incidents", table.incidents.size());
      h5::write_u64(g, "times_without_offset", table.times_without_offset);
      std::vector<std::string> reasons;
      std::vector<std::uint64_t> counts, lines;
      for (const auto& s : table.skipped) {
        reasons.push_back(s.reason);
        counts.push_back(s.count);
        lines.push_back(static_cast<std::uint64_t>(s.first_line));
      }
      h5::write_strings(g, "skipped_reasons", reasons);
      write_u64s(g, "skipped_counts", counts);
      write_u64s(g, "skipped_first_lines", lines);
      h5::write_string(g, "calendar_of", meta.calendar ? meta.calendar_of : "");
      h5::write_string(g, "command_line", meta.command_line);
      h5::write_string(g, "created", meta.created);

      const auto& inc = table.incidents;
      const std::size_t n = inc.size();
      h5::TableBuilder t(n);
      std::vector<std::string> id, service, severity;
      std::vector<std::uint32_t> line;
      std::vector<double> created, acked, mitigated, resolved, tta, ttm, ttr;
      std::vector<std::uint8_t> business;
      for (const Incident& i : inc) {
        id.push_back(i.id);
        service.push_back(i.service);
        severity.push_back(i.severity);
        line.push_back(static_cast<std::uint32_t>(i.line));
        created.push_back(i.created);
        acked.push_back(i.acknowledged);
        mitigated.push_back(i.mitigated);
        resolved.push_back(i.resolved);
        tta.push_back(i.seconds(RecordedTime::tta));
        ttm.push_back(i.seconds(RecordedTime::ttm));
        ttr.push_back(i.seconds(RecordedTime::ttr));
        business.push_back(meta.calendar ? (created_in_business_hours(i, *meta.calendar) ? 1 : 0)
                                         : kNoCalendar);
      }
      t.str("id", std::move(id));
      t.str("service", std::move(service));
      t.str("severity", std::move(severity));
      t.u32("line", std::move(line));
      t.f64("created_s", std::move(created));
      t.f64("acknowledged_s", std::move(acked));
      t.f64("mitigated_s", std::move(mitigated));
      t.f64("resolved_s", std::move(resolved));
      t.f64("tta_s", std::move(tta));
      t.f64("ttm_s", std::move(ttm));
      t.f64("ttr_s", std::move(ttr));
      t.u8("business_hours", std::move(business));
      t.write(file, "incidents", true);
      file.close();
    }
  } catch (const H5::Exception& e) {
    cleanup();
    throw std::runtime_error("cannot write '" + path + "': " + e.getDetailMsg());
  } catch (const std::runtime_error& e) {
    cleanup();
    throw std::runtime_error("cannot write '" + path + "': " + e.what());
  }
  out.commit();
}

IncidentTable read_incident_hdf5(const std::string& path) {
  H5::Exception::dontPrint();
  if (!is_hdf5_file(path)) not_a_table(path, "not an HDF5 file");
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::DataSet ds = open_table(file, path);
    H5::Group meta = file.openGroup("meta");
    IncidentTable table;
    table.file = path;
    table.rows = h5::read_u64(meta, "rows");
    table.times_without_offset = h5::read_u64(meta, "times_without_offset");
    const auto reasons = h5::read_strings(meta, "skipped_reasons");
    const auto counts = read_u64s(meta, "skipped_counts");
    const auto lines = read_u64s(meta, "skipped_first_lines");
    for (std::size_t k = 0; k < reasons.size() && k < counts.size() && k < lines.size(); ++k) {
      table.skipped.push_back({reasons[k], counts[k], static_cast<int>(lines[k])});
    }
    const auto id = h5::read_string_column(ds, "id");
    const auto service = h5::read_string_column(ds, "service");
    const auto severity = h5::read_string_column(ds, "severity");
    const auto line = h5::read_u64_column(ds, "line");
    const auto created = h5::read_f64_column(ds, "created_s");
    const auto acked = h5::read_f64_column(ds, "acknowledged_s");
    const auto mitigated = h5::read_f64_column(ds, "mitigated_s");
    const auto resolved = h5::read_f64_column(ds, "resolved_s");
    for (std::size_t i = 0; i < id.size(); ++i) {
      Incident inc;
      inc.id = id[i];
      inc.service = service[i];
      inc.severity = severity[i];
      inc.line = static_cast<int>(line[i]);
      inc.created = created[i];
      inc.acknowledged = acked[i];
      inc.mitigated = mitigated[i];
      inc.resolved = resolved[i];
      table.incidents.push_back(std::move(inc));
    }
    return table;
  } catch (const H5::Exception& e) {
    not_a_table(path, e.getDetailMsg());
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const models::InputError*>(&e)) throw;
    not_a_table(path, e.what());
  }
}

IncidentTable read_incident_file(const std::string& path, IncidentFormat format) {
  if (is_hdf5_file(path)) return read_incident_hdf5(path);
  return read_incidents(path, format);
}

std::vector<double> IncidentDataReader::read_column(const std::string& path,
                                                    const std::string& column) const {
  using Part = models::DataReadError::Part;
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);  // follows links
  if (!std::filesystem::exists(st)) {
    throw models::DataReadError(Part::file, "data file '" + path + "' not found");
  }
  if (!std::filesystem::is_regular_file(st)) {
    const char* what = std::filesystem::is_directory(st)        ? "a directory"
                       : std::filesystem::is_fifo(st)           ? "a FIFO"
                       : std::filesystem::is_character_file(st) ? "a character device"
                       : std::filesystem::is_block_file(st)     ? "a block device"
                       : std::filesystem::is_socket(st)         ? "a socket"
                                                                : "not a regular file";
    throw models::DataReadError(
        Part::file, "data file '" + path + "' is " + what + "; data files must be regular files");
  }
  if (const auto size = std::filesystem::file_size(path, ec);
      !ec && size > models::kMaxDataFileBytes) {
    throw models::DataReadError(Part::file, "data file '" + path + "' is " + std::to_string(size) +
                                                " bytes, above 256 MiB" +
                                                models::limit_note("bytes of one data file"));
  }
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw models::DataReadError(Part::file, "cannot read data file '" + path + "'");
  }
  const auto metric = parse_metric(column);
  if (is_hdf5_file(path)) {
    H5::Exception::dontPrint();
    try {
      H5::H5File file(path, H5F_ACC_RDONLY);
      const H5::DataSet ds = open_table(file, path);
      const std::string member = metric ? column + "_s" : column;
      if (!h5::has_member(ds, member)) {
        throw models::DataReadError(
            Part::column, "no column '" + column + "' in incident table '" + path +
                              "' (expected tta, ttm, ttr, or a member of /incidents such as "
                              "tta_s)");
      }
      std::vector<double> out;
      for (const double v : h5::read_f64_column(ds, member)) {
        if (!std::isnan(v)) out.push_back(v);
      }
      return out;
    } catch (const models::InputError& e) {
      throw models::DataReadError(Part::file, e.what());
    } catch (const H5::Exception& e) {
      throw models::DataReadError(Part::file,
                                  "cannot read data file '" + path + "': " + e.getDetailMsg());
    }
  }
  const std::string text = text_of(path);
  try {
    if (auto values = csv_duration_column(text, path, column)) return *values;
    if (!metric) {
      throw models::DataReadError(
          Part::column, "no column '" + column + "' in the header of '" + path +
                            "' (a CSV column of durations, or tta, ttm or ttr of an incident "
                            "table)");
    }
    return metric_values(parse_incidents(text, path, IncidentFormat::generic), *metric);
  } catch (const models::InputError& e) {
    // Where each problem is and what was expected, never the line's text
    // (docs/security.md): a data file may be anything.
    std::string message;
    for (const auto& d : e.diagnostics()) {
      std::string what = d.message;
      if (const auto at = what.find(", found '"); at != std::string::npos) what.resize(at);
      if (!message.empty()) message += "\n";
      message += d.location.str() + ": error: " + what;
    }
    throw models::DataReadError(Part::data, message);
  }
}

}  // namespace relsim::analysis
