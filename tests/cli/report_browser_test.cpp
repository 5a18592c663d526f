// The HTML report checked as a person would: written by `relsim compare
// --report`, opened in headless Chromium, which must run every script
// without error and draw every chart (each canvas is marked
// data-drawn="true" by the page once Chart.js has rendered it). Skipped,
// saying so, when Chromium is not installed (`scripts/install-deps.sh
// --browser`, which `make test` runs, installs it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

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

TEST(ReportInBrowser, EveryChartIsDrawnWithoutScriptErrors) {
  const char* chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) {
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
  // Chromium's own stderr chatter stays out of the DOM.
  const auto browser = relsim::test::shell(
      "(" + std::string(chromium) +
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--virtual-time-budget=10000 --dump-dom 'file://" + page.string() + "' 2>/dev/null)");
  ASSERT_EQ(browser.code, 0) << "chromium failed";
  const std::string& dom = browser.out;
  const std::size_t canvases = count(dom, "<canvas data-chart=");
  EXPECT_EQ(canvases, 16u);  // (3 per SLO × 2 SLOs + 2 services) × (per variant, difference)
  EXPECT_EQ(count(dom, "data-drawn=\"true\""), canvases);
  EXPECT_NE(dom.find("data-rendered=\"true\""), std::string::npos);
  EXPECT_EQ(dom.find("data-errors=\"true\""), std::string::npos) << dom.substr(0, 2000);
  fs::remove_all(dir);
}

}  // namespace
