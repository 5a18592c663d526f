// `relsim run` as a user runs it: exit codes and messages for bad input
// (a missing scenario, a bad --horizon, a bad --set path, an unwritable
// --output), and the output of real runs of the payments example: the table's
// rows, JSON written whole, and JSON identical for one and two threads.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;
const fs::path kBaseline = kSource / "scenarios" / "payments" / "baseline.yaml";

using relsim::test::Outcome;
using relsim::test::relsim;

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The lines of `text` without the one holding the "timing" key (wall time,
/// trials per second and threads: the only figures allowed to differ).
std::string without_timing(const std::string& text) {
  std::istringstream in(text);
  std::string kept, line;
  while (std::getline(in, line)) {
    if (!contains(line, "\"timing\"")) kept += line + "\n";
  }
  return kept;
}

/// A fresh directory for output files, removed at the end of the test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-run-test-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(RunCommand, UnknownScenarioFileExitsWithOneNamingThePath) {
  const fs::path missing = kSource / "scenarios" / "no-such-scenario.yaml";
  const auto r = relsim("run " + quote(missing));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, missing.string() + ": error:")) << r.out;
}

TEST(RunCommand, BadHorizonIsRejectedWithAClearMessage) {
  const auto garbage = relsim("run " + quote(kBaseline) + " --horizon 5x --trials 2");
  EXPECT_EQ(garbage.code, 1) << garbage.out;
  EXPECT_TRUE(contains(garbage.out, "--horizon: invalid duration '5x'")) << garbage.out;
  const auto zero = relsim("run " + quote(kBaseline) + " --horizon 0 --trials 2");
  EXPECT_EQ(zero.code, 1) << zero.out;
  EXPECT_TRUE(contains(zero.out, "--horizon must be positive")) << zero.out;
  const auto negative = relsim("run " + quote(kBaseline) + " --horizon=-3d --trials 2");
  EXPECT_NE(negative.code, 0) << negative.out;
  EXPECT_TRUE(contains(negative.out, "--horizon")) << negative.out;
}

TEST(RunCommand, BadSetPathIsLocatedAtTheCommandLine) {
  const auto r = relsim("run " + quote(kBaseline) + " --set services.no-such.replicas=3");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "<command line>: error:")) << r.out;
  EXPECT_TRUE(contains(r.out, "no-such")) << r.out;
}

TEST(RunCommand, BadOptionValuesExitWithOneOrTwo) {
  EXPECT_EQ(relsim("run " + quote(kBaseline) + " --confidence 1.5 --trials 2").code, 1);
  EXPECT_EQ(relsim("run " + quote(kBaseline) + " --shard 2/2 --trials 2").code, 1);
  EXPECT_EQ(relsim("run " + quote(kBaseline) + " --trials 0").code, 1);
  EXPECT_EQ(relsim("run " + quote(kBaseline) + " --format xml").code, 2);
  EXPECT_EQ(relsim("run").code, 2);
}

TEST(RunCommand, UnwritableOutputExitsWithOneAndLeavesNoFile) {
  TempDir dir;
  const fs::path out = dir.path() / "no-such-dir" / "run.json";
  const auto r =
      relsim("run " + quote(kBaseline) + " --trials 2 --format json --output " + quote(out));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "error: cannot write '" + out.string() + "'")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
  // A path under a regular file: not even root can create it.
  const fs::path under_file = kBaseline / "run.json";
  const auto r2 = relsim("run " + quote(kBaseline) + " --trials 2 -o " + quote(under_file));
  EXPECT_EQ(r2.code, 1) << r2.out;
  EXPECT_FALSE(fs::exists(under_file));
}

TEST(RunCommand, ABadScenarioWritesNoOutputFile) {
  TempDir dir;
  const fs::path out = dir.path() / "run.json";
  const auto r = relsim("run " + quote(kBaseline) +
                        " --set scenario.horizon=banana --format json -o " + quote(out));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "<command line>: error:")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

// The tests below run trials: they need the trial engine (models/world.cpp).

TEST(RunCommand, TablePrintsEverySloFigureAndService) {
  const auto r = relsim("run " + quote(kBaseline) + " --trials 20 --threads 2");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* row :
       {"payments-baseline on payments: 20 trials, seed 7, horizon 30d", "trials/s",
        "SLO payment-availability", "attainment (mean)", "P(met)", "budget consumed mean",
        "budget consumed p95", "of 4.32 min", "P(freeze)", "P(all hands)", "P(leadership review)",
        "payment-api", "availability (mean)"}) {
    EXPECT_TRUE(contains(r.out, row)) << "missing '" << row << "' in\n" << r.out;
  }
}

TEST(RunCommand, JsonDoesNotDependOnThreads) {
  const std::string args = "run " + quote(kBaseline) + " --trials 20 --format json";
  const auto one = relsim(args + " --threads 1");
  const auto two = relsim(args + " --threads 2");
  ASSERT_EQ(one.code, 0) << one.out;
  ASSERT_EQ(two.code, 0) << two.out;
  EXPECT_TRUE(contains(one.out, "\"timing\"")) << one.out;
  EXPECT_TRUE(contains(one.out, "\"attainment\"")) << one.out;
  EXPECT_EQ(without_timing(one.out), without_timing(two.out));
}

TEST(RunCommand, JsonOutputFileIsWrittenWhole) {
  TempDir dir;
  const fs::path out = dir.path() / "run.json";
  const std::string args = "run " + quote(kBaseline) + " --trials 8 --threads 1 --format json";
  const auto r = relsim(args + " --output " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "");  // nothing on stdout
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
  EXPECT_EQ(without_timing(read(out)), without_timing(relsim(args).out));
}

TEST(RunCommand, ReplayedTrialMatchesItsShard) {
  // --trial-index 3 and shard 3/8 of 8 trials both summarise exactly trial 3.
  const std::string args = "run " + quote(kBaseline) + " --trials 8 --format json";
  const auto replay = relsim(args + " --trial-index 3");
  const auto shard = relsim(args + " --shard 3/8");
  ASSERT_EQ(replay.code, 0) << replay.out;
  ASSERT_EQ(shard.code, 0) << shard.out;
  EXPECT_TRUE(contains(replay.out, "\"firstTrial\": 3")) << replay.out;
  EXPECT_EQ(without_timing(replay.out), without_timing(shard.out));
}

TEST(RunCommand, UntilOnAProbabilityWaitsForTenEvents) {
  // Every baseline trial breaches its SLO: P(not met)'s relative half-width is
  // tiny from the first block, but the rarer outcome (a month that met it)
  // never happens, so the run goes to the cap and says why.
  const auto r = relsim("run " + quote(kBaseline) +
                        " --until p_slo_not_met:rel=50% --batch 50 --max-trials 200");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "stopped at the cap of 200 trials: p_slo_not_met")) << r.out;
  EXPECT_TRUE(contains(r.out, "0 of the rarer outcome, 10 needed")) << r.out;
  EXPECT_TRUE(contains(r.out, "P(not met)")) << r.out;
}

}  // namespace
