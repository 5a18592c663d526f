// `relsim plan` as a user runs it: bad input (a missing file, an unsupported
// stop condition, an unknown budget SLO, an unwritable --output, --trials 0)
// gives a located message, exit code 1 and no output file; the five GameDays
// of scenarios/gamedays/ plan, with their documented claims; JSON is written
// whole and is identical for one and two threads.
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
const fs::path kGameDays = kSource / "scenarios" / "gamedays";

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

std::string without_timing(const std::string& text) {
  std::istringstream in(text);
  std::string kept, line;
  while (std::getline(in, line)) {
    if (!contains(line, "\"timing\"")) kept += line + "\n";
  }
  return kept;
}

fs::path temp_dir() {
  const fs::path dir = fs::temp_directory_path() / ("relsim-plan-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

/// Writes a GameDay on the payments system into `dir` with `spec_tail`
/// appended to its spec.
fs::path write_game_day(const fs::path& dir, const std::string& name,
                        const std::string& spec_tail) {
  const fs::path p = dir / name;
  std::ofstream out(p);
  out << "apiVersion: relsim/v1alpha1\nkind: GameDay\nmetadata: {name: t}\nspec:\n"
      << "  system: " << (kSource / "scenarios" / "systems" / "payments.yaml").string() << "\n"
      << "  experiment: {fault: podKill, target: {service: payment-api}, mode: one}\n"
      << "  candidateStarts: \"Tue 10:00\"\n"
      << spec_tail;
  return p;
}

TEST(PlanCommand, MissingFileIsExitOne) {
  const auto r = relsim("plan " + quote(kGameDays / "no-such.yaml"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "no-such.yaml")) << r.out;
}

TEST(PlanCommand, UnsupportedStopConditionIsALocatedError) {
  const fs::path dir = temp_dir();
  const fs::path p =
      write_game_day(dir, "stop.yaml", "  stopConditions:\n    - {metric: firstPage, above: 5m}\n");
  const fs::path out = dir / "plan.json";
  const auto r = relsim("plan " + quote(p) + " --trials 2 -o " + quote(out));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "stop.yaml:9:7: error:")) << r.out;
  EXPECT_TRUE(contains(r.out, "firstPage")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(PlanCommand, UnknownBudgetSloIsALocatedError) {
  const fs::path dir = temp_dir();
  const fs::path p = write_game_day(
      dir, "budget.yaml", "  budget: {remainingThisMonth: 50%, slos: [payment-availabilty]}\n");
  const auto r = relsim("plan " + quote(p) + " --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "budget.yaml:")) << r.out;
  EXPECT_TRUE(contains(r.out, "payment-availabilty")) << r.out;
  fs::remove_all(dir);
}

TEST(PlanCommand, UnwritableOutputFailsBeforeRunningAndWritesNothing) {
  const auto r = relsim("plan " + quote(kGameDays / "week1-pod-kill.yaml") +
                        " --trials 2 -o /nonexistent-dir/plan.json");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cannot write '/nonexistent-dir/plan.json'")) << r.out;
  EXPECT_FALSE(fs::exists("/nonexistent-dir/plan.json"));
}

TEST(PlanCommand, ZeroTrialsIsExitOne) {
  const auto r = relsim("plan " + quote(kGameDays / "week1-pod-kill.yaml") + " --trials 0");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "--trials")) << r.out;
}

TEST(PlanCommand, EveryGameDayOfTheProgrammePlans) {
  for (const char* name :
       {"week1-pod-kill.yaml", "week2-database-failover.yaml", "week3-fraud-latency.yaml",
        "week4-redis-partition.yaml", "month2-az-failure.yaml"}) {
    const auto r = relsim("plan " + quote(kGameDays / name) + " --trials 20 --threads 2");
    EXPECT_EQ(r.code, 0) << name << "\n" << r.out;
    for (const char* part : {"Recommended start:", "hypothesis", "stop condition", "impact",
                             "blast radius", "rank start", "verdict:"}) {
      EXPECT_TRUE(contains(r.out, part)) << name << ": no '" << part << "'\n" << r.out;
    }
  }
}

TEST(PlanCommand, AzFailureIsCheapestAtNineAndANoGo) {
  // docs/gamedays.md: the AZ failure is cheapest at 09:00 and dearest in the
  // afternoon peak (demand peaks at 14:00).
  const fs::path dir = temp_dir();
  const fs::path out = dir / "az.json";
  const auto r = relsim("plan " + quote(kGameDays / "month2-az-failure.yaml") +
                        " --trials 100 --threads 2 --format json -o " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string json = read(out);
  const auto ranking = json.find("\"ranking\": [");
  ASSERT_NE(ranking, std::string::npos);
  const std::string first = json.substr(ranking + 13, 16);
  EXPECT_TRUE(contains(first, "09:00")) << first;
  EXPECT_TRUE(contains(json, "\"decision\": \"no-go\"")) << json.substr(json.find("\"verdict\""));
  fs::remove_all(dir);
}

TEST(PlanCommand, ExportWritesTheManifestOrNothing) {
  const fs::path dir = temp_dir();
  const fs::path fis = dir / "az.json", mesh = dir / "db.yaml";
  auto r = relsim("plan " + quote(kGameDays / "month2-az-failure.yaml") + " --export fis -o " +
                  quote(fis));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(read(fis), "\"aws:ec2:stop-instances\""));
  r = relsim("plan " + quote(kGameDays / "week2-database-failover.yaml") +
             " --export chaos-mesh -o " + quote(mesh));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "week2-database-failover.yaml:")) << r.out;
  EXPECT_FALSE(fs::exists(mesh));
  r = relsim("plan " + quote(kGameDays / "month2-az-failure.yaml") + " --export gremlin");
  EXPECT_EQ(r.code, 2) << r.out;
  fs::remove_all(dir);
}

TEST(PlanCommand, JsonIsIdenticalForOneAndTwoThreads) {
  const fs::path dir = temp_dir();
  const fs::path a = dir / "a.json", b = dir / "b.json";
  const std::string args =
      "plan " + quote(kGameDays / "week2-database-failover.yaml") + " --trials 30 --format json";
  ASSERT_EQ(relsim(args + " --threads 1 -o " + quote(a)).code, 0);
  ASSERT_EQ(relsim(args + " --threads 2 -o " + quote(b)).code, 0);
  EXPECT_EQ(without_timing(read(a)), without_timing(read(b)));
  fs::remove_all(dir);
}

}  // namespace
