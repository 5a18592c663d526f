// The relsim program as a user runs it: exit codes and output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

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
