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
  const auto browser =
      relsim::test::shell("(" + std::string(kChromium) +
                          " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
                          "--virtual-time-budget=10000 --dump-dom 'file://" +
                          page.string() + "' 2>/dev/null)");
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
  s.charts.push_back({"band", "",
                      band_chart("%", 0.0, 0.5, {100, 90, 70, 60}, {100, 80, 50, 30},
                                 {100, 95, 85, 80}, "mean", {{"freeze", 50.0}})});
  s.charts.push_back(
      {"intervals", "",
       interval_chart("%", {"a", "b"}, {99.9, 99.95}, {99.85, 99.94}, {99.95, 99.96})});
  s.charts.push_back({"bars", "", bar_chart("team", "pages", {"x", "y"}, {3, 4})});
  s.charts.push_back({"grouped", "",
                      grouped_bar_chart("severity", "minutes", {"SEV-1", "SEV-2"},
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
  const auto made = relsim::test::relsim(
      "compare '" + (kSource / "scenarios/payments/az-outage.yaml").string() +
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
      "' --trials 30 --report '" + (dir / "plan.html").string() + "' -o '" +
      (dir / "plan.txt").string() + "'");
  ASSERT_EQ(made.code, 0) << made.out;
  made = relsim::test::relsim("run '" + (kSource / "scenarios/payments/baseline.yaml").string() +
                              "' --trials 30 --quiet --out '" + (dir / "run.h5").string() +
                              "' -o '" + (dir / "run.txt").string() + "'");
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

/// The value of attribute `name` on the canvas whose aria-label is `label`.
std::string canvas_attribute(const std::string& dom, const std::string& label,
                             const std::string& name) {
  const auto at = dom.find("aria-label=\"" + label + "\"");
  if (at == std::string::npos) return "<no canvas " + label + ">";
  const auto open = dom.rfind("<canvas", at);
  const auto close = dom.find('>', at);
  const std::string tag = dom.substr(open, close - open);
  const auto a = tag.find(" " + name + "=\"");
  if (a == std::string::npos) return "<no " + name + ">";
  const auto from = a + name.size() + 3;
  return tag.substr(from, tag.find('"', from) - from);
}

// What the run's page drew, read back from the browser: the day axes tick at
// whole days counted from day 1, the budget chart's legend has every tier of
// the policy and two different percentile swatches, and the incident rows'
// labels fit inside the canvas.
TEST(ReportInBrowser, RunPageTicksLegendsAndLabels) {
  if (!fs::exists(kChromium)) {
    GTEST_SKIP() << "Chromium is not installed; run scripts/install-deps.sh --browser";
  }
  const fs::path dir = fs::temp_directory_path() / ("relsim-browser3-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path page = dir / "run.html";
  const auto made =
      relsim::test::relsim("run '" + (kSource / "scenarios/payments/az-outage.yaml").string() +
                           "' --trials 40 --quiet --report '" + page.string() + "'");
  ASSERT_EQ(made.code, 0) << made.out;
  const std::string dom = dom_of(page);
  EXPECT_EQ(dom.find("data-errors=\"true\""), std::string::npos) << dom.substr(0, 2000);
  // A 30-day window: ticks every 7 days from day 1 (day 1 is at 1).
  EXPECT_EQ(canvas_attribute(dom, "Remaining error budget", "data-ticks-x"), "7|14|21|28");
  EXPECT_EQ(canvas_attribute(dom, "Trial 0 over the horizon", "data-ticks-x"), "7|14|21|28");
  const std::string legend = canvas_attribute(dom, "Remaining error budget", "data-legend");
  for (const char* tier : {"ship: 100 % to 50 %=", "freeze: 50 % to 25 %=",
                           "all hands: 25 % to 0 %=", "leadership review: 0 % and below="}) {
    EXPECT_NE(legend.find(tier), std::string::npos) << tier << " in " << legend;
  }
  auto swatch = [&](const std::string& name) {
    const std::string all = "|" + legend;  // "5th" must not match inside "95th"
    const auto found = all.find("|" + name + "=");
    if (found == std::string::npos) return std::string("<none>");
    const auto at = found;  // the position in `legend` of the name
    const auto end = legend.find('|', at);
    return legend.substr(at, end == std::string::npos ? std::string::npos : end - at)
        .substr(name.size() + 1);
  };
  EXPECT_NE(swatch("95th percentile"), "<none>") << legend;
  EXPECT_NE(swatch("5th percentile"), "<none>") << legend;
  EXPECT_NE(swatch("95th percentile"), swatch("5th percentile")) << legend;
  // The incidents' row labels ("day 2 14:00 fraud-detection ...") are whole.
  EXPECT_EQ(canvas_attribute(dom, "Trial 0: its incidents", "data-labels-fit-y"), "true");
  EXPECT_EQ(canvas_attribute(dom, "Trial 0 over the horizon", "data-labels-fit-y"), "true");
  // The services chart spans the intervals, not 75-100 %.
  const std::string ticks = canvas_attribute(dom, "Availability", "data-ticks-x");
  EXPECT_EQ(ticks.find("75"), std::string::npos) << ticks;
  EXPECT_NE(ticks.find("99.99"), std::string::npos) << ticks;
  // Pages cannot be negative: the axis starts at 0, with no tick at a margin.
  const std::string pages = canvas_attribute(dom, "Pages per on-call shift", "data-ticks-x");
  EXPECT_EQ(pages.rfind("0|", 0), 0u) << pages;
  EXPECT_EQ(pages.find('-'), std::string::npos) << pages;
  fs::remove_all(dir);
}

}  // namespace
