// `relsim validate` and `relsim graph` as a user runs them: exit codes, `ok:`
// lines for the example scenarios, located errors for the files in
// tests/data/graph/ (each announces its diagnostics in `# expect:` header
// lines, as tests/data/bad/ does), DOT and JSON output, atomic --output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;

using relsim::test::Outcome;
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

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A fresh directory for output files, removed at the end of the test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-graph-test-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const fs::path kPayments = kSource / "scenarios" / "systems" / "payments.yaml";

TEST(Validate, AcceptsEveryExampleScenario) {
  const auto files = yaml_files(kSource / "scenarios");
  ASSERT_FALSE(files.empty());
  std::string args = "validate";
  for (const auto& f : files) args += " " + quote(f);
  const auto r = relsim(args);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_GE(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')), files.size());
  EXPECT_FALSE(contains(r.out, "error")) << r.out;
}

TEST(Validate, PrintsOneSummaryLinePerDocument) {
  const auto az = kSource / "scenarios" / "payments" / "az-outage.yaml";
  const auto r = relsim("validate " + quote(kPayments) + " " + quote(az));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "ok: payments (System: 2 services, 3 zones, 2 SLOs, 2 teams)\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "ok: az-outage-at-peak (Scenario on payments: 1 fault, 30d horizon)"))
      << r.out;
  EXPECT_LT(r.out.find("ok: payments"), r.out.find("ok: az-outage"));  // file order
}

TEST(Validate, AppliesSetOverridesAndTheirErrors) {
  const auto az = kSource / "scenarios" / "payments" / "az-outage.yaml";
  const auto r = relsim("validate --set scenario.horizon=7d " + quote(az));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "(Scenario on payments: 1 fault, 7d horizon)")) << r.out;
  const auto late = relsim("validate " + quote(az) + " --set scenario.horizon=1d");
  EXPECT_EQ(late.code, 1) << late.out;
  EXPECT_TRUE(contains(late.out, "is beyond the horizon (1d)")) << late.out;
}

TEST(Validate, ExitCodes) {
  EXPECT_EQ(relsim("validate").code, 2);  // no file
  EXPECT_EQ(relsim("validate --no-such-flag " + quote(kPayments)).code, 2);
  const auto missing = relsim("validate /no/such/file.yaml");
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(contains(missing.out, "/no/such/file.yaml: error: cannot open file")) << missing.out;
  EXPECT_EQ(relsim("validate --set nonsense " + quote(kPayments)).code, 1);
}

TEST(Validate, ReportsEachGraphProblemAtItsLocation) {
  const auto files = yaml_files(kSource / "tests" / "data" / "graph");
  ASSERT_GE(files.size(), 5u);
  for (const auto& f : files) {
    const std::string text = read(f);
    ASSERT_EQ(text.rfind("# expect: ", 0), 0u) << f << " has no '# expect:' header";
    const std::string expected = text.substr(10, text.find('\n') - 10);
    const auto r = relsim("validate " + quote(f));
    EXPECT_EQ(r.code, 1) << f << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, "/" + expected)) << "expected: " << expected << "\ngot: " << r.out;
  }
}

TEST(Validate, NamesACycleWithItsExactLocatedMessage) {
  const auto cycle = kSource / "tests" / "data" / "graph" / "cycle.yaml";
  const auto r = relsim("validate " + quote(cycle));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, cycle.string() +
                       ":14:11: error: dependency cycle: checkout \u2192 pricing \u2192 inventory "
                       "\u2192 checkout\n");
}

TEST(Graph, DotHasZoneClustersShapesAndEdgeStyles) {
  const auto r = relsim("graph " + quote(kPayments));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "digraph \"payments\" {")) << r.out;
  EXPECT_TRUE(contains(r.out, "subgraph cluster_us_east_1a {")) << r.out;
  EXPECT_TRUE(contains(r.out, "subgraph cluster_us_east_1c {")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"payment-api\" [shape=box")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"payments-db\" [shape=cylinder")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"payments-redis\" [shape=hexagon")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"payment-api\" -> \"payments-db\" [style=solid]")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "\"payment-api\" -> \"fraud-detection\" [style=dashed, "
                       "label=\"fallback: rules-based-scoring (99%)\"]"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "\"payments-redis\" -> \"payments-db\" [style=dotted")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"us-east-1a/payments-db\" [shape=cylinder")) << r.out;
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(Graph, JsonHasNodesEdgesZonesAndTopologicalOrder) {
  const auto r = relsim("graph --format json " + quote(kPayments));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.front(), '{');
  EXPECT_TRUE(contains(r.out, "\"nodes\": [")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "{\"from\": \"payments-redis\", \"to\": \"payments-db\", \"type\": "
                       "\"backing\", \"callFraction\": 0.1}"))
      << r.out;
  EXPECT_TRUE(contains(r.out,
                       "{\"component\": \"payment-api\", \"role\": \"replicas\", "
                       "\"replicas\": 2}"))
      << r.out;
  EXPECT_TRUE(contains(r.out,
                       "\"topologicalOrder\": [\"payments-db\", \"fraud-detection\", "
                       "\"payments-redis\", \"payment-api\"]"))
      << r.out;
}

TEST(Graph, OfAScenarioFileDrawsItsSystem) {
  const auto r = relsim("graph " + quote(kSource / "scenarios" / "payments" / "az-outage.yaml"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "digraph \"payments\"")) << r.out;
}

TEST(Graph, RejectsACycleAndABadFormat) {
  const auto cycle = relsim("graph " + quote(kSource / "tests" / "data" / "graph" / "cycle.yaml"));
  EXPECT_EQ(cycle.code, 1);
  EXPECT_TRUE(contains(cycle.out, "cycle.yaml:14:11: error: dependency cycle: checkout"))
      << cycle.out;
  EXPECT_EQ(relsim("graph --format svg " + quote(kPayments)).code, 2);
  EXPECT_EQ(relsim("graph").code, 2);
}

TEST(Graph, OutputIsWrittenWhole) {
  TempDir dir;
  const fs::path out = dir.path() / "payments.dot";
  const auto r = relsim("graph " + quote(kPayments) + " --output " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "");  // nothing on stdout
  EXPECT_EQ(read(out), relsim("graph " + quote(kPayments)).out);
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST(Graph, UnwritableOutputIsAnErrorAndLeavesNoFile) {
  TempDir dir;
  const fs::path out = dir.path() / "no-such-dir" / "payments.dot";
  const auto r = relsim("graph " + quote(kPayments) + " --output " + quote(out));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "error: cannot write '" + out.string() + "'")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
  // A path under a regular file: not even root can create it.
  const fs::path under_file = kPayments / "graph.dot";
  const auto r2 = relsim("graph " + quote(kPayments) + " -o " + quote(under_file));
  EXPECT_EQ(r2.code, 1) << r2.out;
  EXPECT_FALSE(fs::exists(under_file));
}

TEST(Graph, ABadFileWritesNothing) {
  TempDir dir;
  const fs::path out = dir.path() / "cycle.dot";
  const auto r = relsim("graph " + quote(kSource / "tests" / "data" / "graph" / "cycle.yaml") +
                        " --output " + quote(out));
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
