// The results layout as users meet it (docs/export.md): a generated platform
// of 600 services, 500 SLOs and 60 teams runs with `--out x.h5` and `--out
// dir/` (a compound row of a column per SLO stopped at about 33 SLOs), its
// per-figure datasets hold the closed-form request counts of a system that
// never fails, merge of its shards gives the single run's file, and
// `relsim report x.h5` opens it; and docs/export.md lists exactly the
// attributes, columns, datasets and CSV headers a real export has.
#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/results_file.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::test::relsim;

const fs::path kSource = RELSIM_SOURCE_DIR;

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-layout-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr int kServices = 600;
constexpr int kSlos = 500;
constexpr int kTeams = 60;

/// Demand of service j (requests/s): constant, distinct per service.
double demand(int j) { return 1.0 + j; }

/// A system of kServices one-replica services that never fail (so every
/// request is good and the counts have a closed form), an availability SLO
/// with a 1 h window on each of the first kSlos, and kTeams teams of ten
/// services each; a 2 h scenario.
void write_platform(const fs::path& dir) {
  std::ostringstream y;
  y << "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: generated}\nspec:\n"
    << "  zones: [zone-a]\n  services:\n";
  for (int j = 0; j < kServices; ++j) {
    y << "    - {name: svc-" << j << ", replicas: 1, zones: [zone-a], capacityPerReplica: 10000, "
      << "demand: {base: " << demand(j) << "}}\n";
  }
  y << "  slos:\n";
  for (int k = 0; k < kSlos; ++k) {
    y << "    - {name: slo-" << k << ", service: svc-" << k
      << ", sli: availability, objective: 99.9%, window: 1h}\n";
  }
  y << "  teams:\n";
  for (int t = 0; t < kTeams; ++t) {
    y << "    - name: team-" << t << "\n      members: 5\n"
      << "      rotation: {length: 1w, handoff: \"Mon 10:00\"}\n"
      << "      ack: {businessHours: {fixed: 2m}, offHours: {fixed: 5m}}\n      owns: [";
    for (int j = t * 10; j < t * 10 + 10; ++j) y << (j > t * 10 ? ", " : "") << "svc-" << j;
    y << "]\n";
  }
  std::ofstream(dir / "system.yaml") << y.str();
  std::ofstream(dir / "scenario.yaml")
      << "apiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: generated-2h}\n"
      << "spec:\n  system: system.yaml\n  horizon: 2h\n  trials: 3\n  seed: 5\n";
}

std::vector<std::string> string_dataset(const H5::H5File& f, const std::string& name) {
  const H5::DataSet ds = f.openDataSet(name);
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  std::vector<char*> ptrs(n);
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  ds.read(ptrs.data(), t);
  std::vector<std::string> out(ptrs.begin(), ptrs.end());
  H5Dvlen_reclaim(t.getId(), ds.getSpace().getId(), H5P_DEFAULT, ptrs.data());
  return out;
}

/// A 2-D dataset as doubles, with its shape.
std::vector<double> matrix(const H5::H5File& f, const std::string& name, hsize_t (&dims)[2]) {
  const H5::DataSet ds = f.openDataSet(name);
  EXPECT_EQ(ds.getSpace().getSimpleExtentNdims(), 2) << name;
  ds.getSpace().getSimpleExtentDims(dims);
  std::vector<double> out(dims[0] * dims[1]);
  ds.read(out.data(), H5::PredType::NATIVE_DOUBLE);
  return out;
}

TEST(ExportLayout, PlatformOf600ServicesAnd500SlosWritesReadsMergesAndReports) {
  TempDir dir;
  write_platform(dir / "");
  const std::string scenario = quote(dir / "scenario.yaml");
  const auto run = relsim("run " + scenario + " --quiet --threads 2 --out " + quote(dir / "x.h5"));
  ASSERT_EQ(run.code, 0) << run.out;

  H5::H5File f((dir / "x.h5").string(), H5F_ACC_RDONLY);
  const auto services = string_dataset(f, "names/services");
  const auto slos = string_dataset(f, "names/slos");
  ASSERT_EQ(services.size(), static_cast<std::size_t>(kServices));
  ASSERT_EQ(slos.size(), static_cast<std::size_t>(kSlos));
  EXPECT_EQ(services[599], "svc-599");
  EXPECT_EQ(string_dataset(f, "names/teams").size(), static_cast<std::size_t>(kTeams));
  hsize_t dims[2];
  // Every request is good: per service demand × 2 h, per SLO demand × its 1 h window.
  const auto total = matrix(f, "service/total", dims);
  ASSERT_EQ(dims[0], 3u);
  ASSERT_EQ(dims[1], static_cast<hsize_t>(kServices));
  const auto good = matrix(f, "service/good", dims);
  const auto availability = matrix(f, "service/availability", dims);
  for (hsize_t i = 0; i < 3; ++i) {
    for (int j = 0; j < kServices; ++j) {
      const double expected = demand(j) * 7200.0;
      EXPECT_NEAR(total[i * kServices + j], expected, 1e-9 * expected) << j;
      EXPECT_EQ(good[i * kServices + j], total[i * kServices + j]) << j;
      EXPECT_EQ(availability[i * kServices + j], 1.0) << j;
    }
  }
  const auto slo_total = matrix(f, "slo/total", dims);
  ASSERT_EQ(dims[1], static_cast<hsize_t>(kSlos));
  const auto consumed = matrix(f, "slo/budget_consumed", dims);
  const auto met = matrix(f, "slo/met", dims);
  for (hsize_t i = 0; i < 3; ++i) {
    for (int k = 0; k < kSlos; ++k) {
      const double expected = demand(k) * 3600.0;
      EXPECT_NEAR(slo_total[i * kSlos + k], expected, 1e-9 * expected) << k;
      EXPECT_EQ(consumed[i * kSlos + k], 0.0) << k;
      EXPECT_EQ(met[i * kSlos + k], 1.0) << k;
    }
  }
  const auto shifts = matrix(f, "team/shifts", dims);
  EXPECT_EQ(dims[1], static_cast<hsize_t>(kTeams));
  f.close();

  // The program's own reader gives the same rows.
  const relsim::analysis::ResultsFileReader reader((dir / "x.h5").string());
  EXPECT_EQ(reader.layout().services.size(), static_cast<std::size_t>(kServices));
  const auto block = reader.read_block(0, reader.rows());
  ASSERT_EQ(block.rows.size(), 3u);
  EXPECT_EQ(block.rows[2].services[599].total, total[2 * kServices + 599]);
  EXPECT_EQ(block.rows[1].teams[59].shifts, shifts[1 * kTeams + 59]);
  const auto figures = reader.read_summary();
  const auto p_met = std::find_if(figures.begin(), figures.end(),
                                  [](const auto& r) { return r.figure == "slo.slo-499.p_met"; });
  ASSERT_NE(p_met, figures.end());
  EXPECT_EQ(p_met->estimate, 1.0);

  // Shards merge into exactly this file's rows and summary.
  for (int i = 0; i < 2; ++i) {
    const auto part = relsim("run " + scenario + " --quiet --shard " + std::to_string(i) +
                             "/2 --out " + quote(dir / ("p" + std::to_string(i) + ".h5")));
    ASSERT_EQ(part.code, 0) << part.out;
  }
  const auto merge = relsim("merge " + quote(dir / "p1.h5") + " " + quote(dir / "p0.h5") +
                            " -q --out " + quote(dir / "m.h5"));
  ASSERT_EQ(merge.code, 0) << merge.out;
  const relsim::analysis::ResultsFileReader merged((dir / "m.h5").string());
  const auto mf = merged.read_summary();
  ASSERT_EQ(mf.size(), figures.size());
  for (std::size_t i = 0; i < mf.size(); ++i) {
    EXPECT_EQ(mf[i].figure, figures[i].figure);
    EXPECT_EQ(std::memcmp(&mf[i].estimate, &figures[i].estimate, sizeof(double)), 0)
        << mf[i].figure;
  }
  const auto mb = merged.read_block(0, merged.rows());
  ASSERT_EQ(mb.rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    for (int j = 0; j < kServices; ++j) {
      EXPECT_EQ(mb.rows[i].services[j].total, block.rows[i].services[j].total);
    }
  }
  EXPECT_EQ(mb.series, block.series);

  // The report opens the file.
  const auto report = relsim("report " + quote(dir / "x.h5") + " --out " + quote(dir / "x.html"));
  ASSERT_EQ(report.code, 0) << report.out;
  EXPECT_NE(read(dir / "x.html").find("slo-499"), std::string::npos);

  // The CSV directory: long tables, one row per trial and entity.
  const auto csv = relsim("run " + scenario + " --quiet --out " + quote(dir / "csv") + "/");
  ASSERT_EQ(csv.code, 0) << csv.out;
  std::istringstream lines(read(dir / "csv" / "services.csv"));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "trial,service,good,total,availability");
  std::size_t rows = 0;
  while (std::getline(lines, line)) ++rows;
  EXPECT_EQ(rows, 3u * kServices);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir / "")) left.push_back(e.path().filename());
  for (const auto& name : left) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

// --- docs/export.md against a real export ---------------------------------

/// The backticked words of `text`.
std::vector<std::string> backticked(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t a = text.find('`'); a != std::string::npos; a = text.find('`', a)) {
    const std::size_t b = text.find('`', a + 1);
    if (b == std::string::npos) break;
    out.push_back(text.substr(a + 1, b - a - 1));
    a = b + 1;
  }
  return out;
}

/// The table after `<!-- MARKER -->` in docs/export.md: per row, its cells.
std::vector<std::vector<std::string>> doc_table(const std::string& marker) {
  const std::string doc = read(kSource / "docs" / "export.md");
  const std::size_t at = doc.find("<!-- " + marker + " -->");
  EXPECT_NE(at, std::string::npos) << marker;
  std::vector<std::vector<std::string>> rows;
  if (at == std::string::npos) return rows;
  std::istringstream in(doc.substr(at));
  std::string line;
  std::getline(in, line);  // the marker
  int seen = 0;
  while (std::getline(in, line) && !line.empty() && line[0] == '|') {
    if (++seen <= 2) continue;  // the header and the |---| line
    std::vector<std::string> cells;
    std::size_t a = 1;
    for (std::size_t b = line.find('|', a); b != std::string::npos; b = line.find('|', a)) {
      cells.push_back(line.substr(a, b - a));
      a = b + 1;
    }
    rows.push_back(cells);
  }
  return rows;
}

/// The names the first cells of a table list, `prefix` removed,
/// `<tier>_reached_s` once per tier.
std::vector<std::string> doc_names(const std::string& marker, const std::string& prefix,
                                   const std::vector<std::string>& tiers) {
  std::vector<std::string> out;
  for (const auto& row : doc_table(marker)) {
    for (std::string name : backticked(row.at(0))) {
      if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
      if (name == "<tier>_reached_s") {
        for (const auto& t : tiers) out.push_back(t + "_reached_s");
      } else {
        out.push_back(name);
      }
    }
  }
  return out;
}

std::vector<std::string> members(const H5::DataSet& ds) {
  const H5::CompType t = ds.getCompType();
  std::vector<std::string> out;
  for (int i = 0; i < t.getNmembers(); ++i)
    out.push_back(t.getMemberName(static_cast<unsigned>(i)));
  return out;
}

std::set<std::string> links(const H5::Group& g) {
  std::set<std::string> out;
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) out.insert(g.getObjnameByIdx(i));
  return out;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(ExportLayout, DocsListExactlyTheColumnsOfARealExport) {
  TempDir dir;
  const fs::path baseline = kSource / "scenarios" / "payments" / "baseline.yaml";
  const std::string run = "run " + quote(baseline) + " --trials 20 --quiet --out ";
  ASSERT_EQ(relsim(run + quote(dir / "x.h5")).code, 0);
  ASSERT_EQ(relsim(run + quote(dir / "csv") + "/").code, 0);

  H5::H5File f((dir / "x.h5").string(), H5F_ACC_RDONLY);
  const auto tiers = string_dataset(f, "names/tiers");
  ASSERT_FALSE(tiers.empty());
  const H5::Group meta = f.openGroup("meta");
  std::set<std::string> attributes;
  for (int i = 0; i < meta.getNumAttrs(); ++i) {
    attributes.insert(meta.openAttribute(static_cast<unsigned>(i)).getName());
  }
  EXPECT_EQ(as_set(doc_names("columns:meta", "", tiers)), attributes);
  EXPECT_EQ(doc_names("columns:trials", "", tiers), members(f.openDataSet("trials")));
  // (HDF5 may list a compound's members by offset: compare the sets.)
  EXPECT_EQ(as_set(doc_names("columns:incidents", "", tiers)),
            as_set(members(f.openDataSet("incidents"))));
  EXPECT_EQ(as_set(doc_names("columns:incident_services", "", tiers)),
            as_set(members(f.openDataSet("incident_services"))));
  EXPECT_EQ(as_set(doc_names("columns:incident_slos", "", tiers)),
            as_set(members(f.openDataSet("incident_slos"))));
  EXPECT_EQ(as_set(doc_names("columns:slo", "slo/", tiers)), links(f.openGroup("slo")));
  EXPECT_EQ(as_set(doc_names("columns:service", "service/", tiers)), links(f.openGroup("service")));
  EXPECT_EQ(as_set(doc_names("columns:team", "team/", tiers)), links(f.openGroup("team")));
  EXPECT_EQ(links(f.openGroup("names")),
            (std::set<std::string>{"slos", "tiers", "services", "teams", "components", "causes"}));
  // The tier names the text gives for the default policy are the file's.
  const std::string doc = read(kSource / "docs" / "export.md");
  for (const auto& t : tiers) EXPECT_NE(doc.find("`" + t + "`"), std::string::npos) << t;

  // Each CSV file's header, against the second column of the CSV table.
  const auto incident_columns = doc_names("columns:incidents", "", tiers);
  std::set<std::string> files;
  for (const auto& row : doc_table("csv-files")) {
    const std::string file = backticked(row.at(0)).at(0);
    files.insert(file);
    if (file == "meta.json") continue;
    std::set<std::string> expected;
    for (const std::string& name : backticked(row.at(1))) {
      if (name == "/incidents") {
        expected.insert(incident_columns.begin(), incident_columns.end());
      } else if (name == "<tier>_reached_s") {
        for (const auto& t : tiers) expected.insert(t + "_reached_s");
      } else if (name.find('/') == std::string::npos) {
        expected.insert(name);
      }
    }
    std::ifstream in(dir / "csv" / file);
    std::string header;
    ASSERT_TRUE(std::getline(in, header)) << file;
    std::set<std::string> actual;
    std::istringstream cells(header);
    for (std::string c; std::getline(cells, c, ',');) actual.insert(c);
    EXPECT_EQ(actual, expected) << file;
  }
  std::set<std::string> written;
  for (const auto& e : fs::directory_iterator(dir / "csv")) written.insert(e.path().filename());
  EXPECT_EQ(files, written);
}

}  // namespace
