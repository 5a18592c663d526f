// The HTML report: the page is self-contained (Chart.js and the data
// inline, nothing fetched), escapes what it prints, and the commands that
// write it fail early and cleanly (unwritable path, Chart.js missing).
// The drawing itself is checked in a real browser by report_browser_test.cpp.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/report_html.hpp"
#include "analysis/run_report.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;
const std::string kOneReplica = (kSource / "tests/data/compare/one-replica.yaml").string();

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

Report sample() {
  Report r;
  r.title = "A <b>bold</b> & \"quoted\" title";
  r.facts = {{"seed", "42"}};
  ReportSection s;
  s.title = "Budget";
  s.text = "Text with </script> inside.";
  s.charts.push_back({"Band", " caption",
                      band_chart("remaining budget (%)", 0.0, 1.0, {100, 90, 80}, {95, 80, 60},
                                 {100, 95, 90}, "mean", {{"freeze", 50.0}})});
  s.charts.push_back(
      {"Intervals", "", interval_chart("%", {"a", "b"}, {1, 2}, {0.5, 1.5}, {1.5, 2.5})});
  s.tables.push_back({"caption", {"x", "y"}, {{"1", "</script><script>alert(1)</script>"}}});
  r.sections.push_back(s);
  return r;
}

TEST(ReportHtml, IsOnePageWithItsDataInlineAndEscaped) {
  const std::string html = render_html(sample(), "/* chart.js */");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<canvas data-chart="), 2u);
  EXPECT_EQ(count(html, "/* chart.js */"), 1u);
  EXPECT_EQ(count(html, "<title>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</title>"),
            1u);
  // Nothing from outside: no script or stylesheet is fetched.
  EXPECT_EQ(count(html, "src="), 0u);
  EXPECT_EQ(count(html, "href="), 0u);
  // A table cell cannot close the page's scripts; the JSON data cannot either.
  EXPECT_EQ(count(html, "<script>alert(1)"), 0u);
  EXPECT_EQ(count(html, "</script>"), 3u);  // the data, Chart.js, the drawing script
  EXPECT_NE(html.find("\"borderDash\""), std::string::npos);  // the tier line
  EXPECT_NE(html.find("id=\"relsim-errors\""), std::string::npos);
}

TEST(ReportHtml, ChartJsIsReadFromTheDebianPackageOrNamesIt) {
  try {
    read_chart_js("/nonexistent/chart.min.js");
    ADD_FAILURE() << "no error for a missing Chart.js";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("libjs-chart.js"), std::string::npos) << e.what();
  }
}

using relsim::test::Outcome;
using relsim::test::shell;

TEST(ReportCommand, FailsBeforeRunningAndLeavesNoFile) {
  const fs::path dir = fs::temp_directory_path() / ("relsim-report-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string base = std::string(RELSIM_BINARY) + " compare '" + kOneReplica +
                           "' --variant 'two:--set services.web.replicas=2' --trials 20";
  Outcome r = shell(base + " --report '" + (dir / "no-such-dir" / "r.html").string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("cannot write"), std::string::npos) << r.out;
  r = shell("RELSIM_CHART_JS=/nonexistent/chart.js " + base + " --report '" +
            (dir / "r.html").string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("libjs-chart.js"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "r.html"));
  r = shell(base + " --report '" + (dir / "r.html").string() + "'");
  EXPECT_EQ(r.code, 0) << r.out;
  std::ifstream in(dir / "r.html");
  std::stringstream text;
  text << in.rdbuf();
  // Two charts per figure: the SLO's three, the service's availability, the
  // incidents' count and times.
  const std::size_t charts = count(text.str(), "<canvas data-chart=");
  EXPECT_EQ(charts % 2, 0u);
  EXPECT_GE(charts, 12u);
  EXPECT_NE(text.str().find("web-availability: attainment (mean)"), std::string::npos);
  EXPECT_NE(text.str().find("incidents: time to resolve"), std::string::npos);
  fs::remove_all(dir);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh directory for one test, removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("relsim-" + name + "-" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// `relsim report RUN.h5` rebuilds exactly the page `relsim run --report`
// wrote: the summary replayed from the stored trials, the incidents read
// back from /incidents.
TEST(ReportFromFile, IsThePageTheRunWrote) {
  const TempDir dir("report-file");
  const std::string scenario = (kSource / "scenarios/payments/baseline.yaml").string();
  Outcome r = relsim::test::relsim(
      "run '" + scenario + "' --trials 60 --threads 2 --quiet --out '" +
      (dir.path / "run.h5").string() + "' --report '" + (dir.path / "run.html").string() +
      "' -o '" + (dir.path / "summary.txt").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  r = relsim::test::relsim("report '" + (dir.path / "run.h5").string() + "' -o '" +
                           (dir.path / "again.html").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("wrote " + (dir.path / "again.html").string()), std::string::npos) << r.out;
  const std::string first = read_text(dir.path / "run.html");
  const std::string again = read_text(dir.path / "again.html");
  // Per SLO the remaining budget (2), availability, MTTR by severity, time
  // to resolve, the sample trial's two timelines, pages per shift.
  EXPECT_EQ(count(first, "<canvas data-chart="), 8u);
  EXPECT_NE(first.find("Trial 0: its incidents"), std::string::npos);
  EXPECT_NE(first.find("Trial 0 over the horizon"), std::string::npos);
  EXPECT_NE(first.find("\"deploy payment-api\""), std::string::npos);
  EXPECT_EQ(first, again);
  // Without --out: RUN.html beside RUN.h5.
  r = relsim::test::relsim("report -q '" + (dir.path / "run.h5").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_text(dir.path / "run.html"), first);
}

TEST(ReportFromFile, RefusesWhatIsNotAWholeRunAndWritesNothing) {
  const TempDir dir("report-bad");
  const std::string scenario = (kSource / "scenarios/payments/baseline.yaml").string();
  const std::string out = (dir.path / "r.html").string();
  auto refused = [&](const std::string& args, const std::string& message) {
    const Outcome r = relsim::test::relsim("report " + args + " --out '" + out + "'");
    EXPECT_EQ(r.code, 1) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << args << "\n" << r.out;
    EXPECT_FALSE(fs::exists(out)) << args;
  };
  refused("'" + (dir.path / "missing.h5").string() + "'", "missing.h5");
  // A CSV export does not keep what the report needs.
  Outcome r = relsim::test::relsim("run '" + scenario + "' --trials 8 --quiet --out '" +
                                   (dir.path / "csv/").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  refused("'" + (dir.path / "csv").string() + "'", "is not an HDF5 results file");
  // Not HDF5 at all.
  std::ofstream(dir.path / "text.h5") << "not hdf5\n";
  refused("'" + (dir.path / "text.h5").string() + "'", "text.h5");
  // One shard of a run: merge first.
  r = relsim::test::relsim("run '" + scenario + "' --trials 8 --shard 1/2 --quiet --out '" +
                           (dir.path / "part.h5").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  refused("'" + (dir.path / "part.h5").string() + "'", "merge the shards first");
  // An unwritable report path is refused before anything is read.
  r = relsim::test::relsim("report '" + (dir.path / "part.h5").string() + "' --out '" +
                           (dir.path / "no-dir" / "r.html").string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("cannot write"), std::string::npos) << r.out;
}

// `relsim plan --report`: the plan's page, with the same numbers as its JSON.
TEST(PlanReport, HasEverySectionOfThePlan) {
  const TempDir dir("plan-report");
  const std::string game_day = (kSource / "scenarios/guide/game-day.yaml").string();
  const std::string page = (dir.path / "plan.html").string();
  Outcome r =
      relsim::test::relsim("plan '" + game_day + "' --trials 40 --report '" + page +
                           "' --format json -o '" + (dir.path / "plan.json").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string html = read_text(page);
  for (const char* title :
       {"Verdict: ", "Hypotheses", "Stop conditions", "Impact and error budget", "Blast radius",
        "Candidate starts", "capacity back within 3m", "errors stay under 1%"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  // Hypotheses, stop conditions, impact, blast radius, starts: one chart each.
  EXPECT_EQ(count(html, "<canvas data-chart="), 5u);
  // The verdict the JSON states.
  const std::string json = read_text(dir.path / "plan.json");
  const auto at = json.find("\"decision\": \"");
  ASSERT_NE(at, std::string::npos);
  std::string decision = json.substr(at + 13, json.find('"', at + 13) - at - 13);
  for (auto& ch : decision) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_NE(html.find("Verdict: " + decision + " at "), std::string::npos) << decision;
  // Bad paths: refused before the trials, nothing written.
  r = relsim::test::relsim("plan '" + game_day + "' --trials 40 --report '" +
                           (dir.path / "no-dir" / "p.html").string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("cannot write"), std::string::npos) << r.out;
  r = relsim::test::relsim("plan '" + game_day + "' --export litmus --report '" +
                           (dir.path / "p.html").string() + "'");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_FALSE(fs::exists(dir.path / "p.html"));
}

// The sample trial run again is the same trial: its incidents are the run's
// trial's, and every random deploy is seen once.
TEST(ReportSampleTrial, IsTheRunsTrialWithItsDeploys) {
  const auto loaded =
      models::load_scenario((kSource / "scenarios/payments/baseline.yaml").string(), {});
  const models::CompiledModel model = models::compile(loaded.system, loaded.scenario);
  constexpr std::uint64_t kSeed = 42;
  RunReportInput in;
  in.model = &model;
  for (const std::uint64_t trial : {0u, 7u}) {
    models::World world(model);
    const models::TrialResult r = world.run(sim::trial_seed(kSeed, trial));
    record_sample_trial(in, kSeed, trial);
    EXPECT_EQ(in.sample_trial, trial);
    ASSERT_EQ(in.sample_incidents.size(), r.incidents.size());
    for (std::size_t k = 0; k < r.incidents.size(); ++k) {
      EXPECT_EQ(in.sample_incidents[k].start, r.incidents[k].start);
      EXPECT_EQ(in.sample_incidents[k].resolved, r.incidents[k].resolved);
    }
    // The baseline injects no badDeploy fault: every deploy is a random one.
    EXPECT_EQ(in.sample_deploys.size(), r.deploys);
    EXPECT_GT(r.deploys, 20u);  // two services deploying most business days of a month
    std::size_t bad = 0;
    std::size_t bad_deploy_incidents = 0;
    for (const SampleDeploy& d : in.sample_deploys) bad += d.bad ? 1 : 0;
    for (const auto& i : r.incidents) {
      bad_deploy_incidents += i.cause == models::IncidentCause::bad_deploy ? 1 : 0;
    }
    // Each bad deploy that hurt opens one incident; a bad deploy can land
    // while the previous one's incident is still open.
    EXPECT_LE(bad_deploy_incidents, bad);
  }
}

// The inverse of the /incidents record conversion is exact.
TEST(IncidentRecords, ReadBackToTheSameRow) {
  models::IncidentRow i;
  i.id = 3;
  i.service = 2;
  i.cause = models::IncidentCause::bad_deploy;
  i.cause_index = 1;
  i.severity = 2;
  i.start = sim::Duration::micros(1'234'567'890'123);
  i.detected = i.start + sim::Duration::micros(81'000'001);
  i.acked = i.detected + sim::Duration::micros(300'000'007);
  i.mitigated = i.acked + sim::Duration::micros(999);
  i.resolved = i.mitigated + sim::Duration::micros(600'000'000);
  i.team = 1;
  i.escalations = 2;
  i.steps_tried = 3;
  i.requests_failed = 12.5;
  i.budget_consumed = 0.01;
  i.human_needed = true;
  models::TrialResult r;
  r.incidents = {i};
  TrialBlock block;
  append_incidents(r, 9, block);
  const std::vector<IncidentRecord>& records = block.incidents;
  ASSERT_EQ(records.size(), 1u);
  const models::IncidentRow back = incident_row_of(records[0]);
  EXPECT_EQ(back.start, i.start);
  EXPECT_EQ(back.detected, i.detected);
  EXPECT_EQ(back.paged, models::kNever);
  EXPECT_EQ(back.acked, i.acked);
  EXPECT_EQ(back.mitigated, i.mitigated);
  EXPECT_EQ(back.resolved, i.resolved);
  EXPECT_EQ(back.cause, i.cause);
  EXPECT_EQ(back.cause_index, 1u);
  EXPECT_EQ(back.severity, 2);
  EXPECT_EQ(back.team, 1u);
  EXPECT_EQ(back.escalations, 2);
  EXPECT_EQ(back.steps_tried, 3);
  EXPECT_EQ(back.requests_failed, 12.5);
  EXPECT_TRUE(back.human_needed);
}

}  // namespace
}  // namespace relsim::analysis
