// The alert lab's HTML report as a person sees it: written by `relsim alerts
// --report`, opened in headless Chromium, which must run every script
// without error and draw its three charts (detection-time CDFs, precision vs
// recall, pages per shift). Skipped, saying so, without Chromium.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

constexpr const char* kChromium = "/usr/bin/chromium";

TEST(AlertsReportInBrowser, EveryChartIsDrawn) {
  if (!fs::exists(kChromium)) {
    GTEST_SKIP() << "Chromium is not installed; run scripts/install-deps.sh --browser";
  }
  const fs::path dir =
      fs::temp_directory_path() / ("relsim-alerts-html-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path page = dir / "alerts.html";
  const auto run = relsim::test::relsim(
      "alerts '" + std::string(RELSIM_SOURCE_DIR) +
      "/scenarios/alerting/burn-rate-alerts.yaml' --trials 10 --report '" + page.string() + "'");
  ASSERT_EQ(run.code, 0) << run.out;
  const auto browser =
      relsim::test::shell("(" + std::string(kChromium) +
                          " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
                          "--virtual-time-budget=10000 --dump-dom 'file://" +
                          page.string() + "' 2>/dev/null)");
  ASSERT_EQ(browser.code, 0) << "chromium failed";
  EXPECT_EQ(count(browser.out, "<canvas data-chart="), 3U);
  EXPECT_EQ(count(browser.out, "data-drawn=\"true\""), 3U);
  EXPECT_EQ(browser.out.find("data-errors=\"true\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
