// Reading an HDF5 results file back (see results_file.hpp and docs/export.md).
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <stdexcept>

#include "analysis/hdf5_matrix.hpp"
#include "analysis/hdf5_support.hpp"
#include "analysis/hdf5_table.hpp"
#include "analysis/results_file.hpp"

namespace relsim::analysis {

struct ResultsFileReader::Impl {
  std::string path;
  H5::H5File file;
  RunMeta meta;
  TrialLayout layout;
  H5::CompType row_type;
  H5::DataSet trials;
  std::uint64_t chunk_rows = kResultsChunkTrials;
  std::vector<H5::DataSet> figures;  // for_each_figure_dataset order
  H5::DataSet incidents;
  H5::CompType incident_type;
  std::uint64_t incident_rows = 0;
  // read_block's position in /incidents: the first incident of trial row
  // `cursor_row` is incident `cursor_incident` (blocks are read in order).
  std::uint64_t cursor_row = 0;
  std::uint64_t cursor_incident = 0;
  // ... and its first impact and SLO cost rows.
  H5::DataSet impacts, incident_slos;
  H5::CompType impact_type, incident_slo_type;
  std::uint64_t impact_rows = 0, incident_slo_rows = 0;
  std::uint64_t cursor_impact = 0, cursor_cost = 0;
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
    // Checked before anything else, so an old file gets the version message.
    const H5::Group g = d.file.openGroup("meta");
    const auto version = h5::read_u64(g, "format_version");
    if (version != kResultsFormatVersion) {
      d.fail("results format version " + std::to_string(version) + ", this relsim reads " +
             std::to_string(kResultsFormatVersion));
    }
    d.meta = h5::read_run_meta(g);
    if (!d.file.nameExists("names")) d.fail("not a relsim results file (no /names)");
    d.layout.slos = h5::read_string_dataset(d.file, "names/slos");
    d.layout.tiers = h5::read_string_dataset(d.file, "names/tiers");
    d.layout.services = h5::read_string_dataset(d.file, "names/services");
    d.layout.teams = h5::read_string_dataset(d.file, "names/teams");
    d.trials = d.file.openDataSet("trials");
    for (const char* column : {"trial", "events", "incidents", "pages"}) {
      if (!h5::has_member(d.trials, column)) d.fail(std::string("/trials has no column ") + column);
    }
    d.row_type = h5::trials_type();
    hsize_t n = 0;
    d.trials.getSpace().getSimpleExtentDims(&n);
    d.rows = n;
    const H5::DSetCreatPropList props = d.trials.getCreatePlist();
    if (props.getLayout() == H5D_CHUNKED) {
      hsize_t chunk = 0;
      props.getChunk(1, &chunk);
      d.chunk_rows = std::max<hsize_t>(chunk, 1);
    }
    h5::for_each_figure_dataset(d.layout, [&](const char* group, const char*,
                                              const std::string& name, std::size_t width, auto,
                                              auto) {
      const std::string dataset = std::string(group) + "/" + name;
      if (!d.file.nameExists(group) || !d.file.nameExists(dataset)) d.fail("no /" + dataset);
      d.figures.push_back(d.file.openDataSet(dataset));
      const H5::DataSpace space = d.figures.back().getSpace();
      hsize_t dims[2] = {0, 0};
      if (space.getSimpleExtentNdims() != 2) d.fail("/" + dataset + " is not 2-D");
      space.getSimpleExtentDims(dims);
      if (dims[0] != d.rows || dims[1] != width) {
        d.fail("/" + dataset + " is " + std::to_string(dims[0]) + " × " + std::to_string(dims[1]) +
               ", expected " + std::to_string(d.rows) + " trials × " + std::to_string(width));
      }
    });
    if (!d.file.nameExists("incidents")) d.fail("not a relsim results file (no /incidents)");
    d.incidents = d.file.openDataSet("incidents");
    d.incident_type = h5::incident_type();
    hsize_t ni = 0;
    d.incidents.getSpace().getSimpleExtentDims(&ni);
    d.incident_rows = ni;
    for (const char* name : {"incident_services", "incident_slos"}) {
      if (!d.file.nameExists(name))
        d.fail(std::string("not a relsim results file (no /") + name + ")");
    }
    d.impacts = d.file.openDataSet("incident_services");
    d.impact_type = h5::impact_type();
    d.impacts.getSpace().getSimpleExtentDims(&ni);
    d.impact_rows = ni;
    d.incident_slos = d.file.openDataSet("incident_slos");
    d.incident_slo_type = h5::incident_slo_type();
    d.incident_slos.getSpace().getSimpleExtentDims(&ni);
    d.incident_slo_rows = ni;
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
std::uint64_t ResultsFileReader::block_trials() const { return impl_->chunk_rows; }
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

namespace {

/// Rows [start, start + count) of a 1-D compound dataset.
template <class Row>
void read_table(H5::DataSet& ds, const H5::CompType& type, std::uint64_t start, std::uint64_t count,
                std::vector<Row>& out) {
  out.resize(count);
  if (count == 0) return;
  const hsize_t first[1] = {start};
  const hsize_t cnt[1] = {count};
  H5::DataSpace space = ds.getSpace();
  space.selectHyperslab(H5S_SELECT_SET, cnt, first);
  ds.read(out.data(), type, H5::DataSpace(1, cnt), space);
}

}  // namespace

TrialBlock ResultsFileReader::read_block(std::uint64_t first, std::uint64_t count) const {
  auto& d = *impl_;
  if (first != d.cursor_row) {
    // Not where the last block ended: count the incidents (and their impact
    // and SLO cost rows) of the rows before.
    d.cursor_row = 0;
    d.cursor_incident = 0;
    d.cursor_impact = 0;
    d.cursor_cost = 0;
    while (d.cursor_row < first) {
      const std::uint64_t n = std::min<std::uint64_t>(kResultsChunkTrials, first - d.cursor_row);
      const TrialBlock skipped = read_rows(d.cursor_row, n);
      std::uint64_t incidents = 0;
      for (const auto& r : skipped.rows) incidents += r.incidents;
      std::vector<IncidentRecord> records;
      try {
        read_table(d.incidents, d.incident_type, d.cursor_incident, incidents, records);
      } catch (const H5::Exception& e) {
        d.fail(e.getDetailMsg());
      }
      for (const auto& r : records) {
        d.cursor_impact += r.impacts;
        d.cursor_cost += r.slo_costs;
      }
      d.cursor_incident += incidents;
      d.cursor_row += n;
    }
  }
  TrialBlock block = read_rows(first, count);
  std::uint64_t incidents = 0;
  for (const auto& r : block.rows) incidents += r.incidents;
  if (d.cursor_incident + incidents > d.incident_rows) {
    d.fail("/trials counts more incidents than /incidents holds");
  }
  std::uint64_t impacts = 0, costs = 0;
  try {
    read_table(d.incidents, d.incident_type, d.cursor_incident, incidents, block.incidents);
    for (const auto& r : block.incidents) {
      impacts += r.impacts;
      costs += r.slo_costs;
    }
    if (d.cursor_impact + impacts > d.impact_rows || d.cursor_cost + costs > d.incident_slo_rows) {
      d.fail("/incidents counts more rows than /incident_services or /incident_slos holds");
    }
    read_table(d.impacts, d.impact_type, d.cursor_impact, impacts, block.impacts);
    read_table(d.incident_slos, d.incident_slo_type, d.cursor_cost, costs, block.incident_slos);
  } catch (const H5::Exception& e) {
    d.fail(e.getDetailMsg());
  }
  d.cursor_row = first + count;
  d.cursor_incident += incidents;
  d.cursor_impact += impacts;
  d.cursor_cost += costs;
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
    std::vector<h5::TrialScalars> scalars(count);
    const hsize_t start[1] = {first};
    const hsize_t cnt[1] = {count};
    H5::DataSpace space = d.trials.getSpace();
    space.selectHyperslab(H5S_SELECT_SET, cnt, start);
    d.trials.read(scalars.data(), d.row_type, H5::DataSpace(1, cnt), space);
    block.rows.resize(count);
    for (hsize_t i = 0; i < count; ++i) {
      TrialRow& r = block.rows[i];
      r.trial = scalars[i].trial;
      r.events = scalars[i].events;
      r.incidents = scalars[i].incidents;
      r.pages = scalars[i].pages;
      r.deploys = scalars[i].deploys;
      r.slos.resize(d.layout.slos.size());
      for (SloTrialRow& x : r.slos) x.tier_reached_s.resize(d.layout.tiers.size());
      r.services.resize(d.layout.services.size());
      r.teams.resize(d.layout.teams.size());
    }
    std::size_t k = 0;
    std::vector<unsigned char> buffer;
    h5::for_each_figure_dataset(d.layout, [&](const char*, const char*, const std::string&,
                                              std::size_t width, auto member, auto field) {
      using Entity = typename h5::EntityOf<decltype(member)>::type;
      using S = h5::Stored<h5::FigureType<Entity, decltype(field)>>;
      const H5::DataSet& ds = d.figures[k++];
      if (width == 0) return;
      buffer.resize(count * width * sizeof(S));
      const hsize_t m_start[2] = {first, 0};
      const hsize_t m_count[2] = {count, width};
      H5::DataSpace ms = ds.getSpace();
      ms.selectHyperslab(H5S_SELECT_SET, m_count, m_start);
      ds.read(buffer.data(), h5::native_type<S>(), H5::DataSpace(2, m_count), ms);
      h5::scatter(block.rows, member, field, width, buffer);
    });
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
