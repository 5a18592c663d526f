// The HDF5 incident table and data files in scenarios (issue 12): an
// imported table survives HDF5 field by field (and fits identically); the
// file is read back with the HDF5 C++ API alone too; other HDF5 files are
// refused; the data-file reader reads incident tables and CSV columns with
// errors that say which part failed; and a scenario whose team acknowledges
// with `{empirical: {file: incidents.h5, column: tta}}` — a path relative to
// the scenario — simulates acknowledgements whose mean is the column's mean,
// within the simulation's own confidence interval. Bad data files are
// located load errors; the command writes both tables or nothing.
#include "analysis/incident_file.hpp"

#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/incident_data.hpp"
#include "analysis/incident_fit.hpp"
#include "analysis/incident_stats.hpp"
#include "models/compiled_model.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = RELSIM_SOURCE_DIR;
const std::string kExamples = (kSource / "scenarios/incidents").string();
const std::string kPayments = (kSource / "scenarios/systems/payments.yaml").string();

/// A scratch directory of this process, emptied.
fs::path scratch_dir(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("relsim-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

/// Equal as stored: the same double, or both NaN.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

IncidentTable imported() {
  return read_incidents(kExamples + "/incidents.csv", IncidentFormat::generic);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IncidentFile, RoundTripsEveryFieldThroughHdf5) {
  const IncidentTable table = imported();
  const models::System system = models::load_files({kPayments}).systems.at(0);
  const fs::path dir = scratch_dir("incident-file");
  const std::string path = (dir / "incidents.h5").string();
  IncidentFileMeta meta;
  meta.relsim_version = "test";
  meta.source_format = "generic";
  meta.calendar = &system.calendar;
  meta.calendar_of = system.name;
  write_incident_hdf5(path, table, meta);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  ASSERT_TRUE(is_hdf5_file(path));
  const IncidentTable back = read_incident_hdf5(path);
  ASSERT_EQ(back.incidents.size(), table.incidents.size());
  ASSERT_EQ(back.incidents.size(), 560u);
  EXPECT_EQ(back.rows, table.rows);
  EXPECT_EQ(back.times_without_offset, table.times_without_offset);
  ASSERT_EQ(back.skipped.size(), table.skipped.size());
  for (std::size_t k = 0; k < table.skipped.size(); ++k) {
    EXPECT_EQ(back.skipped[k].reason, table.skipped[k].reason);
    EXPECT_EQ(back.skipped[k].count, table.skipped[k].count);
    EXPECT_EQ(back.skipped[k].first_line, table.skipped[k].first_line);
  }
  for (std::size_t i = 0; i < table.incidents.size(); ++i) {
    const Incident& a = table.incidents[i];
    const Incident& b = back.incidents[i];
    SCOPED_TRACE(a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.service, b.service);
    EXPECT_EQ(a.severity, b.severity);
    EXPECT_EQ(a.line, b.line);
    EXPECT_TRUE(same(a.created, b.created));
    EXPECT_TRUE(same(a.acknowledged, b.acknowledged));
    EXPECT_TRUE(same(a.mitigated, b.mitigated));
    EXPECT_TRUE(same(a.resolved, b.resolved));
  }
  // The same fit, bit for bit, from either table.
  for (const RecordedTime m : {RecordedTime::tta, RecordedTime::ttr}) {
    std::vector<double> x, y;
    for (const double v : metric_values(table, m))
      if (v > 0) x.push_back(v);
    for (const double v : metric_values(back, m))
      if (v > 0) y.push_back(v);
    const FitResult fx = fit_durations(x), fy = fit_durations(y);
    ASSERT_EQ(fx.fits.size(), fy.fits.size());
    for (std::size_t k = 0; k < fx.fits.size(); ++k) {
      EXPECT_EQ(fx.fits[k].name, fy.fits[k].name);
      EXPECT_EQ(fx.fits[k].aic, fy.fits[k].aic);
      EXPECT_EQ(fx.fits[k].ks, fy.fits[k].ks);
    }
  }

  // Read with the HDF5 C++ API alone: the durations and the business-hours flag.
  H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::DataSet ds = file.openDataSet("incidents");
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  ASSERT_EQ(n, 560u);
  std::vector<double> tta(n);
  H5::CompType t1(sizeof(double));
  t1.insertMember("tta_s", 0, H5::PredType::NATIVE_DOUBLE);
  ds.read(tta.data(), t1);
  std::vector<std::uint8_t> business(n);
  H5::CompType t2(sizeof(std::uint8_t));
  t2.insertMember("business_hours", 0, H5::PredType::NATIVE_UINT8);
  ds.read(business.data(), t2);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(same(tta[i], table.incidents[i].seconds(RecordedTime::tta)));
    EXPECT_EQ(business[i], created_in_business_hours(table.incidents[i], system.calendar) ? 1 : 0);
  }
  const H5::Group g = file.openGroup("meta");
  std::string kind;
  const H5::Attribute a = g.openAttribute("kind");
  a.read(a.getStrType(), kind);
  EXPECT_EQ(kind, "incident_table");
  file.close();
  fs::remove_all(dir);
}

TEST(IncidentFile, RefusesFilesThatAreNotIncidentTables) {
  const fs::path dir = scratch_dir("incident-file-bad");
  const std::string other = (dir / "other.h5").string();
  {
    H5::H5File f(other, H5F_ACC_TRUNC);
    f.createGroup("meta");
    f.createGroup("incidents");
  }
  EXPECT_NE(error_of([&] { read_incident_hdf5(other); }).find("not a relsim incident table"),
            std::string::npos);
  const std::string text = (dir / "text.h5").string();
  std::ofstream(text) << "id,created\n";
  EXPECT_NE(error_of([&] { read_incident_hdf5(text); }).find("not an HDF5 file"),
            std::string::npos);
  const auto r = test::relsim("incidents fit " + other);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("not a relsim incident table"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(IncidentDataReader, ReadsTablesAndCsvColumnsAndSaysWhatFailed) {
  const fs::path dir = scratch_dir("data-reader");
  const IncidentTable table = imported();
  const std::string h5 = (dir / "incidents.h5").string();
  write_incident_hdf5(h5, table, {});
  const IncidentDataReader reader;
  EXPECT_EQ(reader.read_column(h5, "tta"), metric_values(table, RecordedTime::tta));
  EXPECT_EQ(reader.read_column(h5, "tta_s"), metric_values(table, RecordedTime::tta));
  // The generic CSV the table came from: durations computed as import does.
  EXPECT_EQ(reader.read_column(kExamples + "/incidents.csv", "ttm"),
            metric_values(table, RecordedTime::ttm));
  // A CSV with a column of durations: seconds or relsim syntax, empty = none.
  const std::string csv = (dir / "acks.csv").string();
  std::ofstream(csv) << "id,Ack Time\nA,90\nB,2m30s\nC,\nD,1.5\n";
  EXPECT_EQ(reader.read_column(csv, "acktime"), (std::vector<double>{90.0, 150.0, 1.5}));
  using Part = models::DataReadError::Part;
  auto part = [&](const std::string& path, const std::string& column) {
    try {
      reader.read_column(path, column);
    } catch (const models::DataReadError& e) {
      return std::make_pair(e.part(), std::string(e.what()));
    }
    return std::make_pair(Part::data, std::string("(no error)"));
  };
  auto [p1, m1] = part((dir / "missing.h5").string(), "tta");
  EXPECT_EQ(p1, Part::file);
  EXPECT_NE(m1.find("not found"), std::string::npos) << m1;
  auto [p2, m2] = part(h5, "tat");
  EXPECT_EQ(p2, Part::column);
  EXPECT_NE(m2.find("no column 'tat'"), std::string::npos) << m2;
  auto [p3, m3] = part(csv, "resolved");
  EXPECT_EQ(p3, Part::column);
  std::ofstream(csv) << "id,tta\nA,90\nB,soon\n";
  auto [p4, m4] = part(csv, "tta");
  EXPECT_EQ(p4, Part::data);
  EXPECT_NE(m4.find(csv + ":3:3: error: expected a duration"), std::string::npos) << m4;
  fs::remove_all(dir);
}

// One service whose bad deploy (Monday 10:18, for 2 hours) pages a team of
// one; the only random time in a trial is the acknowledgement.
constexpr const char* kAckFromData = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: pay}
spec:
  calendar: {start: 2026-03-02T00:00}
  zones: [a]
  services:
    - {name: api, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 100}
  slos:
    - {name: api-availability, service: api, objective: 99.9%, window: 1d}
  alerts:
    - {name: ApiErrors, service: api, condition: {errorRate: {above: 5%}}, for: 1m, route: page}
  teams:
    - name: oncall
      members: 1
      ack: ACK
      owns: [api]
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: replay}
spec:
  system: pay
  horizon: 1d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "Mon 10:18", fault: badDeploy, service: api, errorRate: 15%, duration: 2h}
)";

std::string with_ack(const std::string& ack) {
  std::string text = kAckFromData;
  text.replace(text.find("ACK"), 3, ack);
  return text;
}

TEST(EmpiricalFile, SimulatedAcksHaveTheColumnsMean) {
  const fs::path dir = scratch_dir("empirical-file");
  fs::create_directories(dir / "data");
  const IncidentTable table = imported();
  write_incident_hdf5((dir / "data" / "incidents.h5").string(), table, {});
  const std::vector<double> tta = metric_values(table, RecordedTime::tta);
  MeanAccumulator column;
  for (const double v : tta) column.add(v);
  // The path is relative to the scenario file's directory.
  const fs::path scenario = dir / "replay.yaml";
  std::ofstream(scenario) << with_ack("{empirical: {file: data/incidents.h5, column: tta}}");
  const IncidentDataReader reader;
  const models::ResolvedScenario r = models::load_scenario(scenario.string(), {}, &reader);
  const sim::Distribution& d = r.system.teams.at(0).ack.business_hours;
  EXPECT_NEAR(d.mean(), column.mean(), 1e-9 * column.mean());
  const models::CompiledModel m = models::compile(r.system, r.scenario);
  models::World world(m);
  MeanAccumulator acks;
  for (std::uint64_t t = 0; t < 2000; ++t) {
    const models::TrialResult res = world.run(sim::trial_seed(5, t));
    ASSERT_EQ(res.incidents.size(), 1u);
    const auto& inc = res.incidents[0];
    ASSERT_NE(inc.acked, models::kNever);
    acks.add((inc.acked - inc.paged).to_seconds());
  }
  const Interval iv = acks.interval(0.99);
  RecordProperty("column_mean_s", std::to_string(column.mean()));
  RecordProperty("simulated_mean_s", std::to_string(acks.mean()));
  RecordProperty("interval_99", std::to_string(iv.low) + " .. " + std::to_string(iv.high));
  EXPECT_TRUE(iv.contains(column.mean()))
      << "simulated mean ack " << acks.mean() << " s, 99 % interval [" << iv.low << ", " << iv.high
      << "], column mean " << column.mean() << " s";
  // A CSV file works the same way (the generic table the HDF5 came from).
  // (Copied beside the scenario: a data file must lie under its folder.)
  fs::copy_file(kExamples + "/incidents.csv", dir / "incidents.csv",
                fs::copy_options::overwrite_existing);
  std::ofstream(scenario) << with_ack("{empirical: {file: incidents.csv, column: tta}}");
  const auto from_csv = models::load_scenario(scenario.string(), {}, &reader);
  EXPECT_EQ(from_csv.system.teams.at(0).ack.business_hours.mean(), d.mean());
  fs::remove_all(dir);
}

TEST(EmpiricalFile, BadDataFilesAreLocatedLoadErrors) {
  const fs::path dir = scratch_dir("empirical-bad");
  write_incident_hdf5((dir / "incidents.h5").string(), imported(), {});
  std::ofstream(dir / "zeros.csv") << "id,tta\nA,0\nB,0\n";
  std::ofstream(dir / "empty.csv") << "id,tta\nA,\n";
  std::ofstream(dir / "negative.csv") << "id,tta\nA,-5\n";
  const IncidentDataReader reader;
  const fs::path scenario = dir / "s.yaml";
  auto load_error = [&](const std::string& ack) {
    std::ofstream(scenario) << with_ack(ack);
    try {
      models::load_scenario(scenario.string(), {}, &reader);
    } catch (const models::InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string f = scenario.string();
  // `ack:` is on line 17 of the file (the text starts with a newline).
  std::string e = load_error("{empirical: {file: nowhere.h5, column: tta}}");
  EXPECT_NE(e.find(f + ":17:31: error: spec.teams[oncall].ack.empirical: data file '" +
                   (dir / "nowhere.h5").string() + "' not found"),
            std::string::npos)
      << e;
  e = load_error("{empirical: {file: incidents.h5, column: tat}}");
  EXPECT_NE(e.find(f + ":17:53: error: spec.teams[oncall].ack.empirical: no column 'tat'"),
            std::string::npos)
      << e;
  e = load_error("{empirical: {file: zeros.csv, column: tta}}");
  EXPECT_NE(e.find(f + ":17:24: error:"), std::string::npos) << e;
  EXPECT_NE(e.find("holds only zero durations"), std::string::npos) << e;
  e = load_error("{empirical: {file: empty.csv, column: tta}}");
  EXPECT_NE(e.find("holds no values"), std::string::npos) << e;
  e = load_error("{empirical: {file: negative.csv, column: tta}}");  // located in the CSV too
  EXPECT_NE(e.find(f + ":17:24: error: spec.teams[oncall].ack.empirical: " +
                   (dir / "negative.csv").string() +
                   ":2:3: error: expected a duration (seconds like 90 or 1.5, or 4m30s) in "
                   "column 'tta' (the value is not shown: a data file's lines are never "
                   "echoed)"),
            std::string::npos)
      << e;
  e = load_error("{empirical: {file: incidents.h5}}");
  EXPECT_NE(e.find("needs a column"), std::string::npos) << e;
  e = load_error("{empirical: {values: [1m], file: incidents.h5, column: tta}}");
  EXPECT_NE(e.find("either values"), std::string::npos) << e;
  // Without a data reader (a caller that reads no files) it is an error too.
  std::ofstream(scenario) << with_ack("{empirical: {file: incidents.h5, column: tta}}");
  e = error_of([&] { models::load_scenario(scenario.string()); });
  EXPECT_NE(e.find("cannot read data files"), std::string::npos) << e;
  // The program: validate reports it with exit code 1.
  const auto v = test::relsim("validate " + scenario.string() + " --set " +
                              "'teams.oncall.ack={empirical: {file: incidents.h5, column: ttx}}'");
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.out.find("no column 'ttx'"), std::string::npos) << v.out;
  fs::remove_all(dir);
}

TEST(IncidentsCommand, ImportWritesBothTablesOrNothing) {
  const fs::path dir = scratch_dir("import-both");
  const std::string h5 = (dir / "i.h5").string(), csv = (dir / "i.csv").string();
  auto r = test::relsim("incidents import " + kExamples + "/pagerduty.csv --format pagerduty " +
                        "--system " + kPayments + " -o " + h5 + " -o " + csv);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("wrote 560 incidents to " + h5 + " (HDF5 incident table)"),
            std::string::npos)
      << r.out;
  const IncidentTable a = read_incident_file(h5, IncidentFormat::generic);
  const IncidentTable b = read_incident_file(csv, IncidentFormat::generic);
  EXPECT_EQ(a.incidents.size(), 560u);
  EXPECT_EQ(b.incidents.size(), 560u);
  // fit and power read the HDF5 table and print what they print for the CSV.
  for (const char* cmd : {"fit", "power"}) {
    const std::string extra = std::string(cmd) == "power" ? " --repeats 100" : "";
    auto x = test::relsim(std::string("incidents ") + cmd + " " + h5 + " --column ttr" + extra);
    auto y = test::relsim(std::string("incidents ") + cmd + " " + csv + " --column ttr" + extra);
    ASSERT_EQ(x.code, 0) << x.out;
    ASSERT_EQ(y.code, 0) << y.out;
    x.out.replace(x.out.find(h5), h5.size(), "FILE");
    y.out.replace(y.out.find(csv), csv.size(), "FILE");
    EXPECT_EQ(x.out, y.out);
  }
  // An unwritable second output: nothing is written, not even the first.
  fs::remove(h5);
  r = test::relsim("incidents import " + kExamples + "/incidents.csv -o " + h5 +
                   " -o /nonexistent-dir/i.csv");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot write '/nonexistent-dir/i.csv'"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(h5));
  fs::remove_all(dir);
}

std::string file_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(EmpiricalFile, ShardsOfARunThatReadsADataFileMerge) {
  // `relsim merge` reloads the scenario from the text stored in the parts, in
  // a scratch directory; the data file is still read from beside the
  // original scenario.
  const fs::path dir = scratch_dir("empirical-merge");
  fs::create_directories(dir / "data");
  fs::create_directories(dir / "systems");
  fs::create_directories(dir / "scen");
  write_incident_hdf5((dir / "data" / "incidents.h5").string(), imported(), {});
  std::string system = file_text(kPayments);
  const std::string ack =
      "      ack:\n        businessHours: {lognormal: {median: 2m, p90: 5m}}\n"
      "        offHours: {lognormal: {median: 6m, p90: 15m}}\n";
  ASSERT_NE(system.find(ack), std::string::npos);
  system.replace(system.find(ack), ack.size(),
                 "      ack: {empirical: {file: ../data/incidents.h5, column: tta}}\n");
  std::ofstream(dir / "systems" / "payments.yaml") << system;
  fs::copy_file(kSource / "scenarios/payments/baseline.yaml", dir / "scen" / "baseline.yaml");
  const std::string scen = (dir / "scen" / "baseline.yaml").string();
  for (const char* shard : {"0/2", "1/2"}) {
    // The data lies beside the system's folder: --data-dir allows it (docs/security.md).
    const auto r = test::relsim("run " + scen + " --trials 6 --quiet --shard " + shard +
                                " --data-dir " + (dir / "data").string() + " --out " +
                                (dir / (std::string("p") + shard[0] + ".h5")).string());
    ASSERT_EQ(r.code, 0) << r.out;
  }
  const auto m = test::relsim("merge " + (dir / "p0.h5").string() + " " + (dir / "p1.h5").string() +
                              " --out " + (dir / "all.h5").string());
  EXPECT_EQ(m.code, 0) << m.out;
  EXPECT_TRUE(fs::exists(dir / "all.h5"));
  fs::remove_all(dir);
}

TEST(IncidentsCommand, PowerTakesAnyDistributionOfTheScenarioLanguage) {
  // The same normal as --normal gives the same figures (the same draws).
  const std::string common = " --improvement 10% --incidents 50 --repeats 400";
  const auto a = test::relsim("incidents power --normal 60m,20m" + common);
  const auto b =
      test::relsim("incidents power --distribution '{normal: {mean: 60m, sd: 20m}}'" + common);
  ASSERT_EQ(a.code, 0) << a.out;
  ASSERT_EQ(b.code, 0) << b.out;
  auto table = [](const std::string& out) { return out.substr(out.find("\n  statistic")); };
  EXPECT_EQ(table(a.out), table(b.out));
  const auto g =
      test::relsim("incidents power --distribution '{gamma: {shape: 1.2, scale: 40m}}'" + common);
  EXPECT_EQ(g.code, 0) << g.out;
  EXPECT_NE(g.out.find("gamma(shape=1.2, scale=2400)"), std::string::npos) << g.out;
  const auto bad = test::relsim("incidents power --distribution '{gama: {shape: 1}}'" + common);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("--distribution:1:2: error:"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("gamma"), std::string::npos) << bad.out;  // did you mean
}

}  // namespace
}  // namespace relsim::analysis
