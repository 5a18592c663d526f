// Reading an HDF5 results file back (see results_file.hpp and docs/export.md).
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <stdexcept>

#include "analysis/hdf5_support.hpp"
#include "analysis/results_file.hpp"

namespace relsim::analysis {

namespace {

RunMeta read_meta(const H5::Group& g) {
  RunMeta m;
  m.relsim_version = h5::read_string(g, "relsim_version");
  m.scenario_name = h5::read_string(g, "scenario");
  m.system_name = h5::read_string(g, "system");
  m.scenario_file = h5::read_string(g, "scenario_file");
  m.system_file = h5::read_string(g, "system_file");
  m.scenario_text = h5::read_string(g, "scenario_text");
  m.system_text = h5::read_string(g, "system_text");
  m.overrides = h5::read_strings(g, "overrides");
  m.seed = h5::read_u64(g, "seed");
  m.trials = h5::read_u64(g, "trials");
  m.shard_index = static_cast<std::uint32_t>(h5::read_u64(g, "shard_index"));
  m.shard_count = static_cast<std::uint32_t>(h5::read_u64(g, "shard_count"));
  m.first_trial = h5::read_u64(g, "first_trial");
  m.trial_count = h5::read_u64(g, "trial_count");
  m.confidence = h5::read_f64(g, "confidence");
  m.command_line = h5::read_string(g, "command_line");
  m.start_time = h5::read_string(g, "start_time");
  m.merged_from = h5::read_strings(g, "merged_from");
  return m;
}

}  // namespace

struct ResultsFileReader::Impl {
  std::string path;
  H5::H5File file;
  RunMeta meta;
  TrialLayout layout;
  H5::CompType row_type;
  H5::DataSet trials;
  H5::DataSet incidents;
  H5::CompType incident_type;
  std::uint64_t incident_rows = 0;
  // read_block's position in /incidents: the first incident of trial row
  // `cursor_row` is incident `cursor_incident` (blocks are read in order).
  std::uint64_t cursor_row = 0;
  std::uint64_t cursor_incident = 0;
  std::vector<H5::DataSet> budget;
  std::vector<std::size_t> lengths;
  std::uint64_t rows = 0;

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("cannot read '" + path + "': " + why);
  }
};

ResultsFileReader::ResultsFileReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  H5::Exception::dontPrint();
  auto& d = *impl_;
  d.path = path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    d.fail(std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  }
  try {
    if (!H5::H5File::isHdf5(path)) d.fail("not an HDF5 file");
    d.file = H5::H5File(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    d.fail("not a readable HDF5 file (" + e.getDetailMsg() + ")");
  }
  try {
    if (!d.file.nameExists("meta") || !d.file.nameExists("trials") ||
        !d.file.nameExists("budget")) {
      d.fail("not a relsim results file (no /meta, /trials or /budget)");
    }
    const H5::Group g = d.file.openGroup("meta");
    const auto version = h5::read_u64(g, "format_version");
    if (version != kResultsFormatVersion) {
      d.fail("results format version " + std::to_string(version) + ", this relsim reads " +
             std::to_string(kResultsFormatVersion));
    }
    d.meta = read_meta(g);
    d.trials = d.file.openDataSet("trials");
    d.layout.slos = h5::read_strings(d.trials, "slos");
    d.layout.tiers = h5::read_strings(d.trials, "tiers");
    d.layout.services = h5::read_strings(d.trials, "services");
    d.layout.teams = h5::read_strings(d.trials, "teams");
    if (!d.file.nameExists("incidents")) d.fail("not a relsim results file (no /incidents)");
    d.incidents = d.file.openDataSet("incidents");
    d.incident_type = h5::incident_type();
    hsize_t ni = 0;
    d.incidents.getSpace().getSimpleExtentDims(&ni);
    d.incident_rows = ni;
    d.row_type = h5::trial_row_type(d.layout);
    const H5::CompType file_type = d.trials.getCompType();
    const auto columns = d.layout.columns();
    bool same = file_type.getNmembers() == static_cast<int>(columns.size());
    for (std::size_t i = 0; same && i < columns.size(); ++i) {
      same = file_type.getMemberName(static_cast<unsigned>(i)) == columns[i];
    }
    if (!same) d.fail("/trials columns do not match its slos/tiers/services attributes");
    hsize_t n = 0;
    d.trials.getSpace().getSimpleExtentDims(&n);
    d.rows = n;
    for (const auto& slo : d.layout.slos) {
      const std::string name = "budget/" + h5::object_name(slo);
      if (!d.file.nameExists(name)) d.fail("no /" + name);
      d.budget.push_back(d.file.openDataSet(name));
      hsize_t dims[2] = {0, 0};
      d.budget.back().getSpace().getSimpleExtentDims(dims);
      if (dims[0] != d.rows) d.fail("/" + name + " does not have one row per trial");
      d.lengths.push_back(dims[1]);
    }
  } catch (const H5::Exception& e) {
    d.fail(e.getDetailMsg());
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.rfind("cannot read", 0) == 0) throw;
    d.fail(what);
  }
}

ResultsFileReader::~ResultsFileReader() = default;

const std::string& ResultsFileReader::path() const { return impl_->path; }
const RunMeta& ResultsFileReader::meta() const { return impl_->meta; }
const TrialLayout& ResultsFileReader::layout() const { return impl_->layout; }
std::uint64_t ResultsFileReader::rows() const { return impl_->rows; }
std::size_t ResultsFileReader::series_length(std::size_t slo) const {
  return impl_->lengths.at(slo);
}

std::vector<FigureRow> ResultsFileReader::read_summary() const {
  auto& d = *impl_;
  std::vector<FigureRow> out;
  struct Record {
    char* figure;
    double estimate, low, high, confidence;
    char* method;
    char* unit;
    std::uint64_t n;
  };
  try {
    if (!d.file.nameExists("summary")) return out;
    const auto str = h5::string_type();
    H5::CompType type(sizeof(Record));
    type.insertMember("figure", offsetof(Record, figure), str);
    type.insertMember("estimate", offsetof(Record, estimate), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("low", offsetof(Record, low), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("high", offsetof(Record, high), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("confidence", offsetof(Record, confidence), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("method", offsetof(Record, method), str);
    type.insertMember("unit", offsetof(Record, unit), str);
    type.insertMember("n", offsetof(Record, n), H5::PredType::NATIVE_UINT64);
    H5::DataSet ds = d.file.openDataSet("summary");
    const H5::DataSpace space = ds.getSpace();
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    std::vector<Record> records(n);
    if (n == 0) return out;
    ds.read(records.data(), type);
    for (const auto& r : records) {
      out.push_back({r.figure ? r.figure : "", r.estimate, r.low, r.high, r.confidence,
                     r.method ? r.method : "", r.unit ? r.unit : "", r.n});
    }
    H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, records.data());
  } catch (const H5::Exception& e) {
    d.fail(e.getDetailMsg());
  }
  return out;
}

std::uint64_t ResultsFileReader::incident_rows() const { return impl_->incident_rows; }

TrialBlock ResultsFileReader::read_block(std::uint64_t first, std::uint64_t count) const {
  auto& d = *impl_;
  if (first != d.cursor_row) {
    // Not where the last block ended: count the incidents of the rows before.
    d.cursor_row = 0;
    d.cursor_incident = 0;
    while (d.cursor_row < first) {
      const std::uint64_t n = std::min<std::uint64_t>(kResultsChunkTrials, first - d.cursor_row);
      const TrialBlock skipped = read_rows(d.cursor_row, n);
      for (const auto& r : skipped.rows) d.cursor_incident += r.incidents;
      d.cursor_row += n;
    }
  }
  TrialBlock block = read_rows(first, count);
  std::uint64_t incidents = 0;
  for (const auto& r : block.rows) incidents += r.incidents;
  if (d.cursor_incident + incidents > d.incident_rows) {
    d.fail("/trials counts more incidents than /incidents holds");
  }
  if (incidents > 0) {
    try {
      block.incidents.resize(incidents);
      const hsize_t start[1] = {d.cursor_incident};
      const hsize_t cnt[1] = {incidents};
      H5::DataSpace space = d.incidents.getSpace();
      space.selectHyperslab(H5S_SELECT_SET, cnt, start);
      d.incidents.read(block.incidents.data(), d.incident_type, H5::DataSpace(1, cnt), space);
    } catch (const H5::Exception& e) {
      d.fail(e.getDetailMsg());
    }
  }
  d.cursor_row = first + count;
  d.cursor_incident += incidents;
  return block;
}

TrialBlock ResultsFileReader::read_rows(std::uint64_t first, std::uint64_t count) const {
  auto& d = *impl_;
  if (first + count > d.rows) d.fail("rows beyond the end of /trials");
  TrialBlock block;
  if (count == 0) {
    block.series.resize(d.layout.slos.size());
    return block;
  }
  try {
    const std::size_t size = d.row_type.getSize();
    std::vector<unsigned char> buf(count * size);
    const hsize_t start[1] = {first};
    const hsize_t cnt[1] = {count};
    H5::DataSpace space = d.trials.getSpace();
    space.selectHyperslab(H5S_SELECT_SET, cnt, start);
    d.trials.read(buf.data(), d.row_type, H5::DataSpace(1, cnt), space);
    block.rows.reserve(count);
    for (hsize_t i = 0; i < count; ++i) {
      block.rows.push_back(h5::unpack_row(d.layout, buf.data() + i * size));
    }
    for (std::size_t s = 0; s < d.budget.size(); ++s) {
      std::vector<float> m(count * d.lengths[s]);
      if (!m.empty()) {
        const hsize_t s_start[2] = {first, 0};
        const hsize_t s_cnt[2] = {count, d.lengths[s]};
        H5::DataSpace bs = d.budget[s].getSpace();
        bs.selectHyperslab(H5S_SELECT_SET, s_cnt, s_start);
        d.budget[s].read(m.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, s_cnt), bs);
      }
      block.series.push_back(std::move(m));
    }
  } catch (const H5::Exception& e) {
    d.fail(e.getDetailMsg());
  }
  return block;
}

}  // namespace relsim::analysis
