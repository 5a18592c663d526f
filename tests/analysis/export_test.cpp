// The streaming summary and the exporters on hand-built trial results:
// blocks of any size give the bits of one whole summary; incident figures
// (MTTR, TTD, TTA, TTM by severity, kNever skipped) match hand computations;
// team pages per shift; the HDF5 file reads back exactly and carries the
// same numbers as the CSV directory and the JSON file; writes are atomic
// (an unwritable target and an abandoned writer leave nothing behind).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/results_file.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/summary_accumulator.hpp"
#include "analysis/summary_figures.hpp"
#include "analysis/text_format.hpp"
#include "analysis/trial_row.hpp"

namespace {

namespace fs = std::filesystem;
using namespace relsim;
using analysis::IncidentMetric;
using models::CompiledModel;
using models::IncidentRow;
using models::kNever;
using models::TrialResult;
using sim::Duration;

/// Two services (api, db), one SLO on api, the default four tiers, two teams.
CompiledModel model() {
  CompiledModel m;
  m.horizon = Duration::days(30);
  m.names.system = "sys";
  m.names.scenario = "scn";
  m.names.components = {"api", "db"};
  m.services.resize(2);
  m.services[0].component = 0;
  m.services[1].component = 1;
  m.slos.resize(1);
  m.slos[0].component = 0;
  m.slos[0].objective = 0.999;
  m.names.slos = {"api-availability"};
  m.budget_policy = {{0.50, models::BudgetAction::ship},
                     {0.25, models::BudgetAction::freeze},
                     {0.0, models::BudgetAction::all_hands},
                     {std::nullopt, models::BudgetAction::leadership_review}};
  m.teams.resize(2);
  m.names.teams = {"web-oncall", "dba"};
  return m;
}

IncidentRow incident(std::uint32_t id, std::uint8_t severity, double start_s, double detected_s,
                     double paged_s, double acked_s, double mitigated_s, double resolved_s) {
  auto d = [](double s) { return std::isnan(s) ? kNever : Duration::from_seconds(s); };
  IncidentRow r;
  r.id = id;
  r.service = 0;
  r.cause = models::IncidentCause::bad_deploy;
  r.cause_index = 3;
  r.severity = severity;
  r.start = d(start_s);
  r.detected = d(detected_s);
  r.paged = d(paged_s);
  r.acked = d(acked_s);
  r.mitigated = d(mitigated_s);
  r.resolved = d(resolved_s);
  r.escalations = 1;
  r.team = 0;
  r.steps_tried = 2;
  r.requests_failed = 1234.5;
  r.budget_consumed = 0.125;
  r.human_needed = true;
  return r;
}

/// A pseudo-random but fixed trial result; `i` varies every figure.
TrialResult trial(int i) {
  TrialResult r;
  models::SloTrialResult s;
  s.total = 1e6 + i;
  s.good = s.total - 37.0 * (i % 7);
  s.attainment = s.good / s.total;
  s.met = i % 3 != 0;
  s.budget_consumed = 0.1 * (i % 11) + 0.013 * i;
  s.budget_minutes = 0.7 * (i % 5);
  s.tier_reached.assign(4, std::nullopt);
  s.tier_reached[0] = Duration::zero();
  if (i % 4 == 0) s.tier_reached[1] = Duration::from_seconds(3600.0 * i);
  for (int j = 0; j < 40; ++j)
    s.remaining_budget.push_back(1.0f - 0.01f * static_cast<float>((i + j) % 13));
  r.slos.push_back(s);
  r.services.push_back({1000.0 - i % 9, 1000.0});
  r.services.push_back({500.0, 500.0 + i % 4});
  r.teams.push_back(
      {static_cast<std::uint32_t>(i % 5), static_cast<std::uint32_t>(i % 2), 1, 2, 4.0});
  r.teams.push_back({static_cast<std::uint32_t>(i % 3), 0, 0, 0, 4.0});
  const double nan = std::nan("");
  for (int k = 0; k < i % 3; ++k) {
    const double t0 = 1000.0 * i + 100.0 * k;
    r.incidents.push_back(incident(static_cast<std::uint32_t>(k),
                                   static_cast<std::uint8_t>(1 + (i + k) % 4), t0, t0 + 60 + i % 7,
                                   t0 + 90, k == 1 ? nan : t0 + 300 + i, t0 + 900 + 10 * i,
                                   t0 + 1800 + 10 * i));
  }
  r.events = 100 + static_cast<std::uint64_t>(i);
  return r;
}

std::vector<TrialResult> trials(int n) {
  std::vector<TrialResult> out;
  for (int i = 0; i < n; ++i) out.push_back(trial(i));
  return out;
}

/// Figures as (name → row), NaN-safe bitwise comparable.
bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

void expect_same_figures(const std::vector<analysis::FigureRow>& a,
                         const std::vector<analysis::FigureRow>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].figure, b[i].figure);
    EXPECT_TRUE(same_bits(a[i].estimate, b[i].estimate)) << a[i].figure;
    EXPECT_TRUE(same_bits(a[i].low, b[i].low)) << a[i].figure;
    EXPECT_TRUE(same_bits(a[i].high, b[i].high)) << a[i].figure;
    EXPECT_EQ(a[i].n, b[i].n) << a[i].figure;
  }
}

class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() / ("relsim-export-test-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(read(p));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    out.push_back(cells);
  }
  return out;
}

double csv_double(const std::string& s) {
  return s.empty() ? std::nan("") : std::strtod(s.c_str(), nullptr);
}

analysis::RunMeta meta(std::uint64_t trials) {
  analysis::RunMeta m;
  m.relsim_version = "test";
  m.scenario_name = "scn";
  m.system_name = "sys";
  m.scenario_text = "kind: Scenario\n";
  m.seed = 7;
  m.trials = trials;
  m.trial_count = trials;
  return m;
}

TEST(SummaryAccumulator, BlocksOfAnySizeGiveTheBitsOfOneSummary) {
  const CompiledModel m = model();
  const auto all = trials(97);
  const auto whole = analysis::summary_figures(m, analysis::summarize(m, all, 0.95));
  for (const std::size_t block : {1u, 7u, 32u, 97u}) {
    analysis::SummaryAccumulator acc(m, 0.95);
    for (std::size_t first = 0; first < all.size(); first += block) {
      const std::vector<TrialResult> part(
          all.begin() + static_cast<std::ptrdiff_t>(first),
          all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), first + block)));
      acc.add(analysis::to_block(m, part, first));
    }
    expect_same_figures(whole, analysis::summary_figures(m, acc.snapshot()));
  }
}

TEST(SummaryAccumulator, IncidentFiguresByHand) {
  const CompiledModel m = model();
  const double nan = std::nan("");
  TrialResult a = trial(1);
  TrialResult b = trial(2);
  a.incidents = {
      incident(0, 1, 100, 160, 170, 230, 700, 1000),           // MTTR 900, TTD 60, TTA 60, TTM 600
      incident(1, 2, 5000, 5030, 5040, 5100, 5600, 6200)};     // 1200, 30, 60, 600
  b.incidents = {incident(0, 1, 0, nan, nan, nan, 400, 1100),  // 1100, -, -, 400
                 incident(1, 0, 10, 20, 25, 45, 70, 110)};     // severity none: 100, 10, 20, 60
  const auto s = analysis::summarize(m, {a, b}, 0.95);
  const auto& all = s.incidents[0];
  EXPECT_EQ(all.incidents, 4u);
  const auto& mttr = all.durations[static_cast<int>(IncidentMetric::mttr)];
  EXPECT_EQ(mttr.n, 4u);
  EXPECT_DOUBLE_EQ(mttr.mean.estimate, (900.0 + 1200 + 1100 + 100) / 4);
  EXPECT_DOUBLE_EQ(mttr.median.estimate, 900.0);  // x_(⌈4·0.5⌉) = x_(2) of 100, 900, 1100, 1200
  EXPECT_DOUBLE_EQ(mttr.p95.estimate, 1200.0);
  const auto& ttd = all.durations[static_cast<int>(IncidentMetric::ttd)];
  EXPECT_EQ(ttd.n, 3u);  // the undetected one is left out
  EXPECT_DOUBLE_EQ(ttd.mean.estimate, (60.0 + 30 + 10) / 3);
  const auto& tta = all.durations[static_cast<int>(IncidentMetric::tta)];
  EXPECT_DOUBLE_EQ(tta.mean.estimate, (60.0 + 60 + 20) / 3);
  const auto& sev1 = s.incidents[1];
  EXPECT_EQ(sev1.incidents, 2u);
  EXPECT_DOUBLE_EQ(sev1.durations[static_cast<int>(IncidentMetric::ttm)].mean.estimate, 500.0);
  EXPECT_DOUBLE_EQ(sev1.per_trial.estimate, 1.0);
  EXPECT_EQ(s.incidents[2].incidents, 1u);
  EXPECT_EQ(s.incidents[3].incidents, 0u);
  EXPECT_TRUE(std::isnan(s.incidents[3].durations[0].mean.estimate));
  EXPECT_DOUBLE_EQ(all.per_trial.estimate, 2.0);
  EXPECT_DOUBLE_EQ(all.p_human_needed.estimate, 1.0);

  const auto figures = analysis::summary_figures(m, s);
  const auto* f = analysis::find_figure(figures, "mttr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->figure, "incidents.all.mttr.mean");
  EXPECT_EQ(f->unit, "seconds");
  ASSERT_NE(analysis::find_figure(figures, "incidents.sev1.ttm.p90"), nullptr);
  EXPECT_EQ(analysis::find_figure(figures, "p_slo_met")->figure, "slo.api-availability.p_met");
  EXPECT_EQ(analysis::find_figure(figures, "no-such-figure"), nullptr);
}

TEST(SummaryAccumulator, TeamPagesPerShift) {
  const CompiledModel m = model();
  TrialResult a = trial(0);
  TrialResult b = trial(0);
  a.teams[0] = {6, 2, 1, 0, 3.0};
  b.teams[0] = {3, 0, 0, 0, 3.0};
  const auto s = analysis::summarize(m, {a, b}, 0.95);
  EXPECT_DOUBLE_EQ(s.teams[0].pages_per_shift.estimate, 1.5);
  EXPECT_DOUBLE_EQ(s.teams[0].pages_per_trial.estimate, 4.5);
  EXPECT_DOUBLE_EQ(s.teams[0].night_pages_per_trial.estimate, 1.0);
  // A result without team entries (an engine that does not count pages) has none.
  TrialResult c = trial(0);
  c.teams.clear();
  const auto t = analysis::summarize(m, {c}, 0.95);
  EXPECT_DOUBLE_EQ(t.teams[0].pages_per_trial.estimate, 0.0);
  EXPECT_TRUE(std::isnan(t.teams[0].pages_per_shift.estimate));
}

TEST(ResultsFile, Hdf5ReadsBackAndAgreesWithCsvAndJson) {
  TempDir dir;
  const CompiledModel m = model();
  const auto all = trials(2500);  // more than two chunks
  const analysis::RunSummary expected = analysis::summarize(m, all, 0.9);
  auto write = [&](const fs::path& path, analysis::ExportFormat format) {
    auto r = meta(all.size());
    r.confidence = 0.9;
    analysis::ResultsWriter w(m, r, analysis::ExportTarget{path.string(), format});
    for (std::size_t first = 0; first < all.size(); first += 1000) {
      const std::vector<TrialResult> part(
          all.begin() + static_cast<std::ptrdiff_t>(first),
          all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), first + 1000)));
      w.record(analysis::to_block(m, part, first));
    }
    const auto s = w.summarize();
    expect_same_figures(analysis::summary_figures(m, expected), analysis::summary_figures(m, s));
    w.commit(s, {1.0, 1});
  };
  const fs::path h5 = dir.path() / "run.h5";
  const fs::path csv = dir.path() / "run";
  const fs::path json = dir.path() / "run.json";
  write(h5, analysis::ExportFormat::hdf5);
  write(csv, analysis::ExportFormat::csv);
  write(json, analysis::ExportFormat::json);
  EXPECT_FALSE(fs::exists(dir.path() / "run.h5.tmp"));
  EXPECT_FALSE(fs::exists(dir.path() / "run.tmp"));

  const analysis::ResultsFileReader reader(h5.string());
  EXPECT_EQ(reader.meta().seed, 7u);
  EXPECT_EQ(reader.meta().scenario_text, "kind: Scenario\n");
  ASSERT_EQ(reader.rows(), all.size());
  const auto expected_block = analysis::to_block(m, all, 0);
  ASSERT_EQ(reader.incident_rows(), expected_block.incidents.size());
  const auto block = reader.read_block(0, all.size());
  const auto csv_trials = csv_rows(csv / "trials.csv");
  ASSERT_EQ(csv_trials.size(), all.size() + 1);
  EXPECT_EQ(csv_trials[0][0], "trial");
  const auto csv_slos = csv_rows(csv / "slos.csv");  // one SLO: one row per trial
  ASSERT_EQ(csv_slos.size(), all.size() + 1);
  EXPECT_EQ(csv_slos[0][1], "slo");
  EXPECT_EQ(csv_slos[0][8], "incident_budget_consumed");
  EXPECT_EQ(csv_slos[0][10], "freeze_reached_s");
  const auto csv_services = csv_rows(csv / "services.csv");  // two services
  ASSERT_EQ(csv_services.size(), 2 * all.size() + 1);
  const auto csv_teams = csv_rows(csv / "teams.csv");
  ASSERT_EQ(csv_teams.size(), 2 * all.size() + 1);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& x = block.rows[i];
    const auto& y = expected_block.rows[i];
    ASSERT_EQ(x.trial, y.trial);
    EXPECT_EQ(x.incidents, y.incidents);
    EXPECT_TRUE(same_bits(x.slos[0].attainment, y.slos[0].attainment));
    EXPECT_TRUE(same_bits(x.slos[0].tier_reached_s[1], y.slos[0].tier_reached_s[1]));
    EXPECT_EQ(x.teams[0].pages, y.teams[0].pages);
    EXPECT_EQ(x.events, y.events);
    EXPECT_EQ(x.slos[0].met, y.slos[0].met);
    EXPECT_TRUE(same_bits(x.services[1].total, y.services[1].total));
    EXPECT_TRUE(same_bits(x.teams[1].shifts, y.teams[1].shifts));
    EXPECT_EQ(x.teams[0].pages_at_night, y.teams[0].pages_at_night);
    EXPECT_EQ(std::stoull(csv_trials[i + 1][0]), x.trial);
    EXPECT_EQ(std::stoull(csv_trials[i + 1][1]), x.events);
    // slos.csv: trial, slo, good, total, attainment, met, budget_consumed,
    // budget_minutes, incident_budget_consumed, ship_reached_s, freeze_reached_s, ...
    const auto& c = csv_slos[i + 1];
    EXPECT_EQ(std::stoull(c[0]), x.trial);
    EXPECT_EQ(c[1], "api-availability");
    EXPECT_TRUE(same_bits(csv_double(c[4]), x.slos[0].attainment)) << c[4];
    EXPECT_EQ(c[5], x.slos[0].met ? "1" : "0");
    EXPECT_TRUE(same_bits(csv_double(c[6]), x.slos[0].budget_consumed)) << c[6];
    EXPECT_TRUE(same_bits(csv_double(c[8]), x.slos[0].incident_budget_consumed)) << c[8];
    EXPECT_TRUE(same_bits(csv_double(c[10]), x.slos[0].tier_reached_s[1])) << c[10];
    // services.csv: trial, service, good, total, availability (api, then db).
    const auto& v = csv_services[2 * i + 2];
    EXPECT_EQ(v[1], "db");
    EXPECT_TRUE(same_bits(csv_double(v[3]), x.services[1].total)) << v[3];
    const auto& t = csv_teams[2 * i + 1];
    EXPECT_EQ(t[1], "web-oncall");
    EXPECT_EQ(std::stoul(t[2]), x.teams[0].pages);
  }
  const auto csv_incidents = csv_rows(csv / "incidents.csv");
  ASSERT_EQ(csv_incidents.size(), block.incidents.size() + 1);
  EXPECT_EQ(csv_incidents[0][9], "detected_s");
  for (std::size_t i = 0; i < block.incidents.size(); ++i) {
    const auto& x = block.incidents[i];
    const auto& y = expected_block.incidents[i];
    EXPECT_EQ(x.trial, y.trial);
    EXPECT_TRUE(same_bits(x.acked_s, y.acked_s));
    EXPECT_TRUE(same_bits(x.resolved_s, y.resolved_s));
    EXPECT_EQ(csv_incidents[i + 1][3], "api");
    EXPECT_EQ(csv_incidents[i + 1][5], "bad_deploy");
    EXPECT_TRUE(same_bits(csv_double(csv_incidents[i + 1][11]), x.acked_s));
  }
  for (std::size_t j = 0; j < 40; ++j) {
    EXPECT_EQ(block.series[0][5 * 40 + j], expected_block.series[0][5 * 40 + j]);
  }

  // /summary of the HDF5 file, summary.csv and the JSON: the same numbers.
  const auto figures = reader.read_summary();
  const auto csv_summary = csv_rows(csv / "summary.csv");
  ASSERT_EQ(csv_summary.size(), figures.size() + 1);
  const std::string json_text = read(json);
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const auto& f = figures[i];
    EXPECT_EQ(csv_summary[i + 1][0], f.figure);
    EXPECT_TRUE(same_bits(csv_double(csv_summary[i + 1][1]), f.estimate)) << f.figure;
    EXPECT_TRUE(same_bits(csv_double(csv_summary[i + 1][2]), f.low)) << f.figure;
    EXPECT_TRUE(same_bits(csv_double(csv_summary[i + 1][3]), f.high)) << f.figure;
  }
  expect_same_figures(figures, analysis::summary_figures(m, expected));
  const auto* mttr = analysis::find_figure(figures, "incidents.all.mttr.mean");
  ASSERT_NE(mttr, nullptr);
  const std::string key = "\"mttrSeconds\": {\"n\": " + std::to_string(mttr->n) +
                          ", \"mean\": {\"estimate\": " + analysis::shortest(mttr->estimate) +
                          ", \"low\": " + analysis::shortest(mttr->low) +
                          ", \"high\": " + analysis::shortest(mttr->high) + "}";
  EXPECT_NE(json_text.find(key), std::string::npos) << key;
  const auto* att = analysis::find_figure(figures, "attainment");
  EXPECT_NE(json_text.find("\"attainment\": {\"estimate\": " + analysis::shortest(att->estimate) +
                           ", \"low\": " + analysis::shortest(att->low)),
            std::string::npos);
}

TEST(ResultsFile, UnwritableTargetAndAbandonedWriterLeaveNoFile) {
  TempDir dir;
  const CompiledModel m = model();
  const analysis::ExportTarget missing{(dir.path() / "no-such-dir" / "x.h5").string(),
                                       analysis::ExportFormat::hdf5};
  EXPECT_THROW(analysis::check_export_target(missing), std::runtime_error);
  EXPECT_THROW(analysis::ResultsWriter(m, meta(10), missing), std::runtime_error);
  const analysis::ExportTarget a_dir{dir.path().string(), analysis::ExportFormat::json};
  EXPECT_THROW(analysis::check_export_target(a_dir), std::runtime_error);
  for (const auto format :
       {analysis::ExportFormat::hdf5, analysis::ExportFormat::csv, analysis::ExportFormat::json}) {
    const fs::path out = dir.path() / (std::string("abandoned.") + analysis::to_string(format));
    {
      analysis::ResultsWriter w(m, meta(10), analysis::ExportTarget{out.string(), format});
      w.record(analysis::to_block(m, trials(10), 0));
      // destroyed without commit: an error or an interrupt
    }
    EXPECT_TRUE(fs::is_empty(dir.path())) << analysis::to_string(format);
  }
}

TEST(ResultsFile, ScratchStoreIsUnlinkedAtOnceAndOnlyKeptWhenNeeded) {
  TempDir dir;
  const CompiledModel m = model();
  const auto all = trials(50);
  const analysis::RunSummary expected = analysis::summarize(m, all, 0.95);
  // CSV and JSON keep the series in a scratch file beside PATH
  // (`.NAME.relsim-tmp.scratch.XXXXXX`), which no one ever sees.
  for (const auto format : {analysis::ExportFormat::csv, analysis::ExportFormat::json}) {
    const fs::path out = dir.path() / (std::string("run.") + analysis::to_string(format));
    analysis::ResultsWriter w(m, meta(all.size()), analysis::ExportTarget{out.string(), format});
    w.record(analysis::to_block(m, all, 0));
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      EXPECT_EQ(entry.path().filename().string().find("scratch"), std::string::npos)
          << entry.path() << " " << analysis::to_string(format);
    }
    const auto s = w.summarize();
    EXPECT_EQ(s.slos[0].remaining_budget.p95, expected.slos[0].remaining_budget.p95);
    w.commit(s, {});
  }
  // Without a target, with envelopes: a scratch file in the temporary
  // directory, unlinked at once; without envelopes: none at all.
  for (const bool envelopes : {true, false}) {
    analysis::ResultsWriter w(m, meta(all.size()), std::nullopt, envelopes);
    w.record(analysis::to_block(m, all, 0));
    const auto s = w.summarize();
    if (envelopes) {
      EXPECT_EQ(s.slos[0].remaining_budget.mean, expected.slos[0].remaining_budget.mean);
    } else {
      EXPECT_TRUE(s.slos[0].remaining_budget.mean.empty());
    }
    expect_same_figures(analysis::summary_figures(m, expected), analysis::summary_figures(m, s));
    w.commit(s, {});
  }
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.path())) left.push_back(e.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"run.csv", "run.json"}));
}

TEST(ResultsFile, ReaderRefusesWhatIsNotAResultsFile) {
  TempDir dir;
  const fs::path text = dir.path() / "x.h5";
  std::ofstream(text) << "not hdf5";
  EXPECT_THROW(analysis::ResultsFileReader(text.string()), std::runtime_error);
  EXPECT_THROW(analysis::ResultsFileReader((dir.path() / "none.h5").string()), std::runtime_error);
  try {
    analysis::ResultsFileReader r(text.string());
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("x.h5"), std::string::npos) << e.what();
  }
}

}  // namespace
