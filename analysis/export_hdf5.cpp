// Writing the HDF5 results file (see results_file.hpp and docs/export.md).
#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "analysis/hdf5_matrix.hpp"
#include "analysis/hdf5_support.hpp"
#include "analysis/results_file.hpp"
#include "analysis/summary_figures.hpp"
#include "models/slo_ledger.hpp"

namespace relsim::analysis {

namespace {

/// Samples per chunk of `/budget/<slo>` (the envelope reads this many at once).
constexpr hsize_t kChunkSamples = 16;

struct SummaryRecord {
  const char* figure;
  double estimate, low, high, confidence;
  const char* method;
  const char* unit;
  std::uint64_t n;
};

struct EnvelopeRecord {
  std::uint64_t sample;
  double time_s, mean, p05, p95;
};

}  // namespace

struct ResultsFileWriter::Impl {
  std::string path;
  const models::CompiledModel& model;
  std::uint64_t first_trial = 0;
  TrialLayout layout;
  std::uint64_t chunk_rows = kResultsChunkTrials;  // block_trials(model)
  H5::H5File file;
  H5::CompType row_type;
  H5::DataSet trials;
  std::vector<H5::DataSet> figures;   // the 2-D datasets, for_each_figure_dataset order
  std::vector<unsigned char> buffer;  // one figure of a block, reused
  H5::DataSet incidents;
  H5::CompType incident_type;
  std::uint64_t incident_rows = 0;
  H5::DataSet impacts, incident_slos;  // /incident_services, /incident_slos
  H5::CompType impact_type, incident_slo_type;
  std::uint64_t impact_rows = 0, incident_slo_rows = 0;
  std::vector<std::optional<H5::DataSet>> budget;  // created at the first append
  std::vector<std::size_t> lengths;
  std::uint64_t rows = 0;  // written to the file
  TrialBlock pending;      // gathered, not yet written
  bool compress = true;
  bool compress_series = false;
  bool series_only = false;  // Content::series_only: `/budget` alone, rows only counted
  bool open = false;

  Impl(const std::string& p, const models::CompiledModel& m) : path(p), model(m) {}

  void create(const RunMeta& meta, bool compress_tables, bool deflate_series, bool only_series);
  void write_block(const TrialBlock& block);
  void flush() {
    if (pending.rows.empty()) return;
    write_block(pending);
    pending.rows.clear();
    pending.incidents.clear();
    pending.impacts.clear();
    pending.incident_slos.clear();
    for (auto& s : pending.series) s.clear();
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("cannot write '" + path + "': " + why);
  }

  template <class F>
  auto guarded(F&& f) {
    try {
      return f();
    } catch (const H5::Exception& e) {
      fail(e.getDetailMsg());
    }
  }

  void create_budget(std::size_t s, std::size_t length) {
    lengths[s] = length;
    H5::Group g = file.openGroup("budget");
    const hsize_t dims[2] = {0, length};
    const hsize_t max[2] = {H5S_UNLIMITED, length};
    const auto props =
        h5::chunked({chunk_rows, std::max<hsize_t>(1, std::min<hsize_t>(kChunkSamples, length))},
                    compress_series);
    budget[s] = g.createDataSet(h5::object_name(layout.slos[s]), H5::PredType::NATIVE_FLOAT,
                                H5::DataSpace(2, dims, max), props);
    const SloWindow w = slo_window(model, static_cast<models::Index>(s));
    h5::write_string(*budget[s], "slo", layout.slos[s]);
    h5::write_f64(*budget[s], "start_s", w.start.to_seconds());
    h5::write_f64(*budget[s], "step_s", models::budget_series_step(w.length).to_seconds());
    h5::write_f64(*budget[s], "end_s", (w.start + w.length).to_seconds());
    h5::write_u64(*budget[s], "first_trial", first_trial);
  }
};

ResultsFileWriter::ResultsFileWriter(const std::string& path, const models::CompiledModel& model,
                                     const RunMeta& meta, bool compress, bool compress_series)
    : impl_(std::make_unique<Impl>(path, model)) {
  impl_->create(meta, compress, compress_series, false);
}

ResultsFileWriter::ResultsFileWriter(const std::string& path, const models::CompiledModel& model,
                                     const RunMeta& meta, Content content)
    : impl_(std::make_unique<Impl>(path, model)) {
  const bool series_only = content == Content::series_only;
  impl_->create(meta, !series_only, false, series_only);
}

void ResultsFileWriter::Impl::create(const RunMeta& meta, bool compress_tables, bool deflate_series,
                                     bool only_series) {
  H5::Exception::dontPrint();
  auto& d = *this;
  d.compress = compress_tables;
  d.compress_series = compress_tables && deflate_series;
  d.series_only = only_series;
  d.pending.series.resize(model.slos.size());
  d.first_trial = meta.first_trial;
  d.layout = trial_layout(model);
  d.budget.resize(model.slos.size());
  d.lengths.assign(model.slos.size(), 0);
  d.chunk_rows = block_trials(model);
  d.guarded([&] {
    d.file = H5::H5File(path, H5F_ACC_TRUNC);
    d.open = true;
    if (d.series_only) {
      d.file.createGroup("budget");
      return 0;
    }
    H5::Group g = d.file.createGroup("meta");
    h5::write_run_meta(g, meta);
    H5::Group names = d.file.createGroup("names");
    h5::write_string_dataset(names, "slos", d.layout.slos);
    h5::write_string_dataset(names, "tiers", d.layout.tiers);
    h5::write_string_dataset(names, "services", d.layout.services);
    h5::write_string_dataset(names, "teams", d.layout.teams);
    h5::write_string_dataset(names, "components", model.names.components);
    std::vector<std::string> causes;
    for (std::uint8_t c = 0; c < kIncidentCauses; ++c) causes.emplace_back(incident_cause_name(c));
    h5::write_string_dataset(names, "causes", causes);

    d.row_type = h5::trials_type();
    const hsize_t dims[1] = {0};
    const hsize_t max[1] = {H5S_UNLIMITED};
    d.trials = d.file.createDataSet("trials", d.row_type, H5::DataSpace(1, dims, max),
                                    h5::chunked({d.chunk_rows}, d.compress));
    h5::write_u64(d.trials, "first_trial", meta.first_trial);
    for (const char* group : {"slo", "service", "team"}) d.file.createGroup(group);
    h5::for_each_figure_dataset(
        d.layout, [&](const char* group, const char* columns, const std::string& name,
                      std::size_t width, auto member, auto field) {
          using Entity = typename h5::EntityOf<decltype(member)>::type;
          using S = h5::Stored<h5::FigureType<Entity, decltype(field)>>;
          const hsize_t m_dims[2] = {0, width};
          const hsize_t m_max[2] = {H5S_UNLIMITED, width > 0 ? width : H5S_UNLIMITED};
          H5::Group parent = d.file.openGroup(group);
          d.figures.push_back(parent.createDataSet(
              name, h5::native_type<S>(), H5::DataSpace(2, m_dims, m_max),
              h5::chunked(h5::matrix_chunk(d.chunk_rows, width, sizeof(S)), d.compress)));
          h5::write_string(d.figures.back(), "columns", std::string("/names/") + columns);
        });

    d.incident_type = h5::incident_type();
    d.incidents = d.file.createDataSet("incidents", d.incident_type, H5::DataSpace(1, dims, max),
                                       h5::chunked({kResultsChunkTrials}, d.compress));
    d.impact_type = h5::impact_type();
    d.impacts =
        d.file.createDataSet("incident_services", d.impact_type, H5::DataSpace(1, dims, max),
                             h5::chunked({kResultsChunkTrials}, d.compress));
    d.incident_slo_type = h5::incident_slo_type();
    d.incident_slos =
        d.file.createDataSet("incident_slos", d.incident_slo_type, H5::DataSpace(1, dims, max),
                             h5::chunked({kResultsChunkTrials}, d.compress));
    d.file.createGroup("budget");
    return 0;
  });
}

ResultsFileWriter::~ResultsFileWriter() {
  try {
    close();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
  }
}

void ResultsFileWriter::append(const TrialBlock& block) {
  auto& d = *impl_;
  if (block.series.size() != d.lengths.size()) d.fail("a block without one series per SLO");
  if (d.pending.rows.empty() && block.rows.size() >= d.chunk_rows) {
    d.write_block(block);
    return;
  }
  if (d.series_only) {
    // Only the number of rows matters (write_block's n): empty rows.
    d.pending.rows.resize(d.pending.rows.size() + block.rows.size());
    for (std::size_t s = 0; s < block.series.size(); ++s) {
      d.pending.series[s].insert(d.pending.series[s].end(), block.series[s].begin(),
                                 block.series[s].end());
    }
    if (d.pending.rows.size() >= d.chunk_rows) d.flush();
    return;
  }
  d.pending.rows.insert(d.pending.rows.end(), block.rows.begin(), block.rows.end());
  d.pending.incidents.insert(d.pending.incidents.end(), block.incidents.begin(),
                             block.incidents.end());
  d.pending.impacts.insert(d.pending.impacts.end(), block.impacts.begin(), block.impacts.end());
  d.pending.incident_slos.insert(d.pending.incident_slos.end(), block.incident_slos.begin(),
                                 block.incident_slos.end());
  for (std::size_t s = 0; s < block.series.size(); ++s) {
    d.pending.series[s].insert(d.pending.series[s].end(), block.series[s].begin(),
                               block.series[s].end());
  }
  if (d.pending.rows.size() >= d.chunk_rows) d.flush();
}

void ResultsFileWriter::Impl::write_block(const TrialBlock& block) {
  auto& d = *this;
  const hsize_t n = block.rows.size();
  if (n == 0) return;
  if (block.series.size() != d.lengths.size()) d.fail("a block without one series per SLO");
  // A series-only store's rows are empty: they only count the trials.
  const std::size_t checked = d.series_only ? 0 : block.rows.size();
  for (std::size_t i = 0; i < checked; ++i) {
    const TrialRow& r = block.rows[i];
    if (r.slos.size() != d.layout.slos.size() || r.services.size() != d.layout.services.size() ||
        r.teams.size() != d.layout.teams.size()) {
      d.fail("trial " + std::to_string(r.trial) + " does not have the model's shape");
    }
    for (const SloTrialRow& x : r.slos) {
      if (x.tier_reached_s.size() != d.layout.tiers.size()) {
        d.fail("trial " + std::to_string(r.trial) + " does not have the model's budget tiers");
      }
    }
  }
  d.guarded([&] {
    if (d.series_only) return 0;
    std::vector<h5::TrialScalars> scalars;
    scalars.reserve(n);
    for (const TrialRow& r : block.rows)
      scalars.push_back({r.trial, r.events, r.incidents, r.pages, r.deploys});
    const hsize_t start[1] = {d.rows};
    const hsize_t count[1] = {n};
    const hsize_t extent[1] = {d.rows + n};
    d.trials.extend(extent);
    H5::DataSpace file_space = d.trials.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, count, start);
    d.trials.write(scalars.data(), d.row_type, H5::DataSpace(1, count), file_space);

    std::size_t k = 0;
    h5::for_each_figure_dataset(d.layout, [&](const char*, const char*, const std::string&,
                                              std::size_t width, auto member, auto field) {
      using Entity = typename h5::EntityOf<decltype(member)>::type;
      using S = h5::Stored<h5::FigureType<Entity, decltype(field)>>;
      H5::DataSet& ds = d.figures[k++];
      const hsize_t m_extent[2] = {d.rows + n, width};
      ds.extend(m_extent);
      if (width == 0) return;
      h5::gather(block.rows, member, field, width, d.buffer);
      const hsize_t m_start[2] = {d.rows, 0};
      const hsize_t m_count[2] = {n, width};
      H5::DataSpace space = ds.getSpace();
      space.selectHyperslab(H5S_SELECT_SET, m_count, m_start);
      ds.write(d.buffer.data(), h5::native_type<S>(), H5::DataSpace(2, m_count), space);
    });

    auto append_rows = [](H5::DataSet& ds, const H5::CompType& type, std::uint64_t at,
                          const auto& records) {
      if (records.empty()) return;
      const hsize_t i_start[1] = {at};
      const hsize_t i_count[1] = {records.size()};
      const hsize_t i_extent[1] = {at + records.size()};
      ds.extend(i_extent);
      H5::DataSpace i_space = ds.getSpace();
      i_space.selectHyperslab(H5S_SELECT_SET, i_count, i_start);
      ds.write(records.data(), type, H5::DataSpace(1, i_count), i_space);
    };
    append_rows(d.incidents, d.incident_type, d.incident_rows, block.incidents);
    append_rows(d.impacts, d.impact_type, d.impact_rows, block.impacts);
    append_rows(d.incident_slos, d.incident_slo_type, d.incident_slo_rows, block.incident_slos);
    return 0;
  });
  d.guarded([&] {
    for (std::size_t s = 0; s < d.lengths.size(); ++s) {
      const auto& m = block.series[s];
      if (m.size() % n != 0) d.fail("a series block that is not rows × samples");
      const std::size_t length = m.size() / n;
      if (!d.budget[s]) d.create_budget(s, length);
      if (length != d.lengths[s]) {
        d.fail("trial " + std::to_string(block.rows.front().trial) + " has " +
               std::to_string(length) + " remaining-budget samples of SLO '" + d.layout.slos[s] +
               "', earlier trials " + std::to_string(d.lengths[s]));
      }
      if (length == 0) continue;
      const hsize_t s_start[2] = {d.rows, 0};
      const hsize_t s_count[2] = {n, length};
      const hsize_t s_extent[2] = {d.rows + n, length};
      d.budget[s]->extend(s_extent);
      H5::DataSpace space = d.budget[s]->getSpace();
      space.selectHyperslab(H5S_SELECT_SET, s_count, s_start);
      d.budget[s]->write(m.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, s_count), space);
    }
    return 0;
  });
  d.rows += n;
  d.incident_rows += block.incidents.size();
  d.impact_rows += block.impacts.size();
  d.incident_slo_rows += block.incident_slos.size();
}

std::uint64_t ResultsFileWriter::rows() const { return impl_->rows + impl_->pending.rows.size(); }

std::size_t ResultsFileWriter::series_length(std::size_t slo) const {
  auto& d = *impl_;
  if (d.lengths.at(slo) == 0 && !d.pending.rows.empty()) {
    return d.pending.series.at(slo).size() / d.pending.rows.size();
  }
  return d.lengths.at(slo);
}

void ResultsFileWriter::read_series(std::size_t slo, std::size_t first, std::size_t count,
                                    std::vector<float>& out) {
  auto& d = *impl_;
  d.flush();
  out.resize(d.rows * count);
  if (d.rows == 0 || count == 0) return;
  d.guarded([&] {
    const hsize_t start[2] = {0, first};
    const hsize_t cnt[2] = {d.rows, count};
    H5::DataSpace space = d.budget.at(slo)->getSpace();
    space.selectHyperslab(H5S_SELECT_SET, cnt, start);
    d.budget[slo]->read(out.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, cnt), space);
    return 0;
  });
}

void ResultsFileWriter::finish(const RunSummary& summary, const RunMeta& meta) {
  auto& d = *impl_;
  d.flush();
  d.guarded([&] {
    H5::Group mg = d.file.openGroup("meta");
    h5::write_run_meta(mg, meta);
    const auto figures = summary_figures(d.model, summary);
    std::vector<SummaryRecord> records;
    for (const auto& f : figures) {
      records.push_back({f.figure.c_str(), f.estimate, f.low, f.high, f.confidence,
                         f.method.c_str(), f.unit.c_str(), f.n});
    }
    const auto str = h5::string_type();
    H5::CompType type(sizeof(SummaryRecord));
    type.insertMember("figure", offsetof(SummaryRecord, figure), str);
    type.insertMember("estimate", offsetof(SummaryRecord, estimate), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("low", offsetof(SummaryRecord, low), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("high", offsetof(SummaryRecord, high), H5::PredType::NATIVE_DOUBLE);
    type.insertMember("confidence", offsetof(SummaryRecord, confidence),
                      H5::PredType::NATIVE_DOUBLE);
    type.insertMember("method", offsetof(SummaryRecord, method), str);
    type.insertMember("unit", offsetof(SummaryRecord, unit), str);
    type.insertMember("n", offsetof(SummaryRecord, n), H5::PredType::NATIVE_UINT64);
    const hsize_t n = records.size();
    d.file.createDataSet("summary", type, H5::DataSpace(1, &n)).write(records.data(), type);

    H5::CompType env(sizeof(EnvelopeRecord));
    env.insertMember("sample", offsetof(EnvelopeRecord, sample), H5::PredType::NATIVE_UINT64);
    env.insertMember("time_s", offsetof(EnvelopeRecord, time_s), H5::PredType::NATIVE_DOUBLE);
    env.insertMember("mean", offsetof(EnvelopeRecord, mean), H5::PredType::NATIVE_DOUBLE);
    env.insertMember("p05", offsetof(EnvelopeRecord, p05), H5::PredType::NATIVE_DOUBLE);
    env.insertMember("p95", offsetof(EnvelopeRecord, p95), H5::PredType::NATIVE_DOUBLE);
    H5::Group g = d.file.createGroup("envelope");
    for (std::size_t s = 0; s < summary.slos.size(); ++s) {
      const auto& rb = summary.slos[s].remaining_budget;
      const auto end = summary.slos[s].window.start + summary.slos[s].window.length;
      std::vector<EnvelopeRecord> rows;
      for (std::size_t j = 0; j < rb.mean.size(); ++j) {
        const auto t = std::min(rb.start + rb.step * static_cast<std::int64_t>(j), end);
        rows.push_back({j, t.to_seconds(), rb.mean[j], rb.p05[j], rb.p95[j]});
      }
      const hsize_t m = rows.size();
      auto ds = g.createDataSet(h5::object_name(d.layout.slos[s]), env, H5::DataSpace(1, &m));
      if (m > 0) ds.write(rows.data(), env);
      h5::write_string(ds, "slo", d.layout.slos[s]);
    }
    return 0;
  });
  close();
}

void ResultsFileWriter::close() {
  auto& d = *impl_;
  if (!d.open) return;
  d.flush();
  d.open = false;
  d.guarded([&] {
    for (auto& b : d.budget) b.reset();
    for (auto& f : d.figures) f.close();
    d.incidents.close();
    d.impacts.close();
    d.incident_slos.close();
    d.trials.close();
    d.file.close();
    return 0;
  });
}

}  // namespace relsim::analysis
