// The HTML report checked as a person would: written by `relsim compare
// --report`, opened in headless Chromium, which must run every script
// without error and draw every chart (each canvas is marked
// data-drawn="true" by the page once Chart.js has rendered it). Skipped,
// saying so, when Chromium is not installed (`scripts/install-deps.sh
// --browser`, which `make test` runs, installs it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/report_html.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

constexpr const char* kChromium = "/usr/bin/chromium";

/// The DOM of `page` after Chromium has loaded it and run its scripts.
std::string dom_of(const fs::path& page) {
  const auto browser = relsim::test::shell(
      "(" + std::string(kChromium) +
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--virtual-time-budget=10000 --dump-dom 'file://" + page.string() + "' 2>/dev/null)");
  EXPECT_EQ(browser.code, 0) << "chromium failed";
  return browser.out;
}

TEST(ReportInBrowser, EveryKindOfChartIsDrawn) {
  if (!fs::exists(kChromium)) {
    GTEST_SKIP() << "Chromium is not installed; run scripts/install-deps.sh --browser";
  }
  using namespace relsim::analysis;
  Report r;
  r.title = "Every chart";
  ReportSection s;
  s.title = "charts";
  s.charts.push_back({"band", "", band_chart("%", 0.0, 0.5, {100, 90, 70, 60}, {100, 80, 50, 30},
                                             {100, 95, 85, 80}, "mean", {{"freeze", 50.0}})});
  s.charts.push_back({"intervals", "", interval_chart("%", {"a", "b"}, {99.9, 99.95},
                                                      {99.85, 99.94}, {99.95, 99.96})});
  s.charts.push_back({"bars", "", bar_chart("team", "pages", {"x", "y"}, {3, 4})});
  s.charts.push_back({"grouped", "", grouped_bar_chart("severity", "minutes", {"SEV-1", "SEV-2"},
                                                       {"detect", "resolve"}, {{2, 4}, {30, 60}})});
  s.charts.push_back({"histogram", "", histogram_chart("minutes", {1, 2, 2, 3, 8, 13, 40}, 5)});
  s.charts.push_back({"timeline", "",
                      timeline_chart("hours", {"#0 api", "#1 db"}, {"detect", "mitigate"},
                                     {{{1, 1.1}, {1.1, 1.5}}, {{5, 5.2}, {5.2, 6}}},
                                     {{"faults", "zoneOutage", 4.9},
                                      {"deploys", "deploy api", 2.5},
                                      {"bad deploys", "bad deploy api", 4.0}})});
  r.sections.push_back(s);
  const fs::path dir = fs::temp_directory_path() / ("relsim-charts-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path page = dir / "charts.html";
  {
    std::ofstream out(page);
    out << render_html(r, read_chart_js());
  }
  const std::string dom = dom_of(page);
  EXPECT_EQ(count(dom, "<canvas data-chart="), 6u);
  EXPECT_EQ(count(dom, "data-drawn=\"true\""), 6u);
  EXPECT_EQ(dom.find("data-errors=\"true\""), std::string::npos) << dom.substr(0, 3000);
  fs::remove_all(dir);
}

TEST(ReportInBrowser, EveryChartIsDrawnWithoutScriptErrors) {
  if (!fs::exists(kChromium)) {
    GTEST_SKIP() << "Chromium is not installed; run scripts/install-deps.sh --browser";
  }
  const fs::path dir = fs::temp_directory_path() / ("relsim-browser-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path page = dir / "compare.html";
  const auto made = relsim::test::relsim("compare '" +
          (kSource / "scenarios/payments/az-outage.yaml").string() +
          "' --variant 'no-spread:--set services.payment-api.topologySpread=false' --sweep "
          "services.payment-api.healthCheckDelay=15s,60s --trials 40 --report '" +
          page.string() + "'");
  ASSERT_EQ(made.code, 0) << made.out;
  const std::string dom = dom_of(page);
  const std::size_t canvases = count(dom, "<canvas data-chart=");
  // Two charts per figure: 3 per SLO × 2 SLOs, 2 services, incidents, teams.
  EXPECT_GE(canvases, 16u);
  EXPECT_EQ(count(dom, "data-drawn=\"true\""), canvases);
  EXPECT_NE(dom.find("data-rendered=\"true\""), std::string::npos);
  EXPECT_EQ(dom.find("data-errors=\"true\""), std::string::npos) << dom.substr(0, 2000);
  fs::remove_all(dir);
}

// The plan's page (`relsim plan --report`) and a run's page rebuilt from its
// results file (`relsim report RUN.h5`).
TEST(ReportInBrowser, PlanAndResultsFilePagesAreDrawn) {
  if (!fs::exists(kChromium)) {
    GTEST_SKIP() << "Chromium is not installed; run scripts/install-deps.sh --browser";
  }
  const fs::path dir = fs::temp_directory_path() / ("relsim-browser2-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto made = relsim::test::relsim(
      "plan '" + (kSource / "scenarios/gamedays/month2-az-failure.yaml").string() +
      "' --trials 30 --report '" + (dir / "plan.html").string() + "' -o /dev/null");
  ASSERT_EQ(made.code, 0) << made.out;
  made = relsim::test::relsim("run '" + (kSource / "scenarios/payments/baseline.yaml").string() +
                              "' --trials 30 --quiet --out '" + (dir / "run.h5").string() +
                              "' -o /dev/null");
  ASSERT_EQ(made.code, 0) << made.out;
  made = relsim::test::relsim("report -q '" + (dir / "run.h5").string() + "'");
  ASSERT_EQ(made.code, 0) << made.out;
  for (const char* page : {"plan.html", "run.html"}) {
    const std::string dom = dom_of(dir / page);
    const std::size_t canvases = count(dom, "<canvas data-chart=");
    EXPECT_GE(canvases, 5u) << page;
    EXPECT_EQ(count(dom, "data-drawn=\"true\""), canvases) << page;
    EXPECT_EQ(dom.find("data-errors=\"true\""), std::string::npos) << page << dom.substr(0, 2000);
  }
  fs::remove_all(dir);
}

}  // namespace
