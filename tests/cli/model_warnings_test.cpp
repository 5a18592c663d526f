// `relsim validate` and `relsim explain` on the files of tests/data/warn/:
// each announces its warning in an `# expect:` header line (as
// tests/data/graph/ does its error); the warning is printed located, the exit code is 0,
// and `--strict` turns it into an error with exit code 1. The shipped
// scenarios validate under --strict.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;

using relsim::test::relsim;

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

/// The expected message after `warning: `, and the `file:` prefix.
struct Expected {
  std::string file;
  std::string message;
  std::string whole;  // file:line:col: warning: message
};

Expected expected_of(const fs::path& f) {
  const std::string head = first_line(f);
  EXPECT_EQ(head.rfind("# expect: ", 0), 0u) << f << " has no '# expect:' header";
  const auto colon = head.find(':', 10);
  const auto warn = head.find("warning: ");
  return {head.substr(10, colon - 10), head.substr(warn + 9), head.substr(10)};
}

TEST(ModelWarningsCli, ValidateWarnsLocatedAndExitsZero) {
  const auto files = yaml_files(kSource / "tests" / "data" / "warn");
  ASSERT_GE(files.size(), 7u);
  for (const auto& f : files) {
    const Expected e = expected_of(f);
    const auto r = relsim("validate " + quote(f));
    EXPECT_EQ(r.code, 0) << f << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, "ok: shop (System:")) << r.out;
    EXPECT_TRUE(contains(r.out, "/" + e.whole)) << r.out;
    EXPECT_TRUE(contains(r.out, ": warning: " + e.message))
        << "expected: " << e.message << "\ngot: " << r.out;
    EXPECT_FALSE(contains(r.out, "error:")) << r.out;
  }
}

TEST(ModelWarningsCli, StrictMakesEachWarningAnError) {
  for (const auto& f : yaml_files(kSource / "tests" / "data" / "warn")) {
    const Expected e = expected_of(f);
    const auto r = relsim("validate --strict " + quote(f));
    EXPECT_EQ(r.code, 1) << f << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, ": error: " + e.message)) << r.out;
    EXPECT_FALSE(contains(r.out, "warning:")) << r.out;
    EXPECT_FALSE(contains(r.out, "ok: shop")) << r.out;
  }
}

TEST(ModelWarningsCli, ExplainWarnsToo) {
  const auto f = kSource / "tests" / "data" / "warn" / "overload.yaml";
  const Expected e = expected_of(f);
  auto r = relsim("explain " + quote(f));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, f.string() + ":19:13: warning: " + e.message)) << r.out;
  EXPECT_TRUE(contains(r.out, "System shop")) << r.out;
  r = relsim("explain --strict " + quote(f));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, ": error: " + e.message)) << r.out;
  EXPECT_FALSE(contains(r.out, "System shop")) << r.out;
}

/// Line `n` (1-based) of `p`, or "" past its end.
std::string line_of(const fs::path& p, int n) {
  std::ifstream in(p);
  std::string line;
  for (int k = 1; k <= n && std::getline(in, line); ++k) {
    if (k == n) return line;
  }
  return "";
}

TEST(ModelWarningsCli, ShippedScenariosWarnOnlyWhereTheirCommentsSayWhy) {
  const auto files = yaml_files(kSource / "scenarios");
  ASSERT_FALSE(files.empty());
  std::string args = "validate";
  for (const auto& f : files) args += " " + quote(f);
  const auto r = relsim(args);
  ASSERT_EQ(r.code, 0) << r.out;
  // Each `path:line:col: warning:` needs `relsim warns` in a comment on the
  // line or the three above it.
  std::istringstream lines(r.out);
  std::string line;
  int warnings = 0;
  while (std::getline(lines, line)) {
    const auto at = line.find(": warning: ");
    if (at == std::string::npos) continue;
    ++warnings;
    const std::string where = line.substr(0, at);  // path:line:col
    const auto c2 = where.rfind(':');
    const auto c1 = where.rfind(':', c2 - 1);
    const fs::path file = where.substr(0, c1);
    const int n = std::stoi(where.substr(c1 + 1, c2 - c1 - 1));
    bool said = false;
    for (int k = n; k >= std::max(1, n - 3); --k)
      said = said || contains(line_of(file, k), "# relsim warns");
    EXPECT_TRUE(said) << line;
  }
  EXPECT_EQ(warnings, 5) << r.out;  // first-system, postmortem-bad-deploy, internal-tools,
                                    // web-service, rare/poisson-outages-9999
}

}  // namespace
