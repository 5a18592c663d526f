// The HTML report: the page is self-contained (Chart.js and the data
// inline, nothing fetched), escapes what it prints, and the commands that
// write it fail early and cleanly (unwritable path, Chart.js missing).
// The drawing itself is checked in a real browser by report_browser_test.cpp.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/report_html.hpp"
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
  s.charts.push_back({"Intervals", "", interval_chart("%", {"a", "b"}, {1, 2}, {0.5, 1.5},
                                                      {1.5, 2.5})});
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

}  // namespace
}  // namespace relsim::analysis
