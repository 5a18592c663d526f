// The relsim program as a user runs it: exit codes and output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/json_value.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

using relsim::test::Outcome;
using relsim::test::relsim;

TEST(Cli, PrintsVersion) {
  const auto r = relsim("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("relsim 0."), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(relsim("").code, 2);
  EXPECT_EQ(relsim("no-such-command").code, 2);
  EXPECT_EQ(relsim("kernel-demo --no-such-flag").code, 2);
  EXPECT_EQ(relsim("kernel-demo --trials notanumber").code, 2);
}

TEST(Cli, BadValuesExitWithOneAndSayWhy) {
  const auto r = relsim("kernel-demo --mtbf 5x --trials 10");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("invalid duration '5x'"), std::string::npos) << r.out;
  const auto shard = relsim("kernel-demo --shard 3/3 --trials 10");
  EXPECT_EQ(shard.code, 1);
  EXPECT_NE(shard.out.find("invalid shard '3/3'"), std::string::npos) << shard.out;
}

TEST(Cli, KernelDemoPrintsEstimateBesideExactValue) {
  const auto r = relsim("kernel-demo --trials 200 --threads 2 --seed 3");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("availability"), std::string::npos) << r.out;
  // The exact stationary availability of 10 machines, 2 crews, MTBF 100h, MTTR 10h.
  EXPECT_NE(r.out.find("0.896136"), std::string::npos) << r.out;
}

TEST(Cli, KernelDemoWritesItsFiguresAsJson) {
  const auto r = relsim("kernel-demo --trials 200 --threads 2 --seed 3 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const relsim::testing::JsonValue doc = relsim::testing::parse_json(r.out);
  EXPECT_EQ(doc.at("machines").number, 10.0);
  EXPECT_EQ(doc.at("trials").number, 200.0);
  EXPECT_EQ(doc.at("trialsRun").number, 200.0);
  EXPECT_EQ(doc.at("seed").number, 3.0);
  // The exact stationary availability of 10 machines, 2 crews, MTBF 100h, MTTR 10h,
  // inside the estimate's own interval (fixed seed).
  const relsim::testing::JsonValue& a = doc.at("availability");
  EXPECT_NEAR(a.at("exact").number, 0.896136, 5e-7);
  EXPECT_LE(a.at("low").number, a.at("exact").number);
  EXPECT_GE(a.at("high").number, a.at("exact").number);
  EXPECT_EQ(doc.at("failuresPerTrial").at("exact").type, relsim::testing::JsonValue::Type::null);
  EXPECT_EQ(doc.keys().back(), "timing");
  // The text says the same estimate.
  const auto text = relsim("kernel-demo --trials 200 --threads 2 --seed 3");
  char estimate[32];
  std::snprintf(estimate, sizeof estimate, "%12.6f", a.at("estimate").number);
  EXPECT_NE(text.out.find(estimate), std::string::npos) << text.out;
}

TEST(Cli, KernelDemoQuietPrintsNothingAndOutputWritesTheFile) {
  const auto quiet = relsim("kernel-demo --trials 20 -q");
  EXPECT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.out, "");
  const auto dir =
      std::filesystem::temp_directory_path() / ("relsim-kernel-demo-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "demo.json";
  const auto r = relsim("kernel-demo --trials 20 --format json -o '" + file.string() + "'");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "");
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(relsim::testing::parse_json(text).at("trials").number, 20.0);
  std::filesystem::remove_all(dir);
}

TEST(Cli, KernelDemoOutputDoesNotDependOnThreads) {
  auto numbers = [](const std::string& out) {  // drop the timing line
    std::string kept;
    std::size_t pos = 0;
    while (pos < out.size()) {
      const auto end = out.find('\n', pos);
      const auto line = out.substr(pos, end - pos);
      if (line.find("events/s") == std::string::npos && line.find("threads") == std::string::npos)
        kept += line + "\n";
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    return kept;
  };
  const auto a = relsim("kernel-demo --trials 64 --threads 1 --seed 9");
  const auto b = relsim("kernel-demo --trials 64 --threads 2 --seed 9");
  ASSERT_EQ(a.code, 0);
  ASSERT_EQ(b.code, 0);
  EXPECT_EQ(numbers(a.out), numbers(b.out));
}

}  // namespace
