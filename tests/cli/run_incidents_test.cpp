// `relsim run` prints the incident section (analysis/incident_summary.hpp):
// the postmortem replay's one SEV-2 incident per trial, its MTTR parts, SEV
// compliance, DORA and the team's pages per shift; identical for one and two
// threads.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kPostmortem =
    fs::path(RELSIM_SOURCE_DIR) / "scenarios" / "payments" / "postmortem-bad-deploy.yaml";

using relsim::test::Outcome;
using relsim::test::relsim;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The output from the incident section on (the header line holds the wall time).
std::string incidents(const std::string& out) {
  const auto at = out.find("\nincidents:");
  return at == std::string::npos ? std::string() : out.substr(at);
}

TEST(RunIncidents, PostmortemReplayPrintsItsIncidentFigures) {
  const Outcome r = relsim("run '" + kPostmortem.string() + "' --trials 200 --threads 1");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "  all    200 incidents, 1.00")) << r.out;
  EXPECT_TRUE(has(r.out, "  sev2   200 incidents, 1.00")) << r.out;
  EXPECT_TRUE(has(r.out, "    TTD   mean 60.0 s       [60.0, 60.0]        median 60.0 s")) << r.out;
  EXPECT_TRUE(has(r.out, "  injected fault: 200 incidents, 200 paged, 200 needed a human"))
      << r.out;
  EXPECT_TRUE(has(r.out, "    detect       n=200     mean 60.0 s [60.0 s, 60.0 s], median 60.0 s"))
      << r.out;
  EXPECT_TRUE(has(r.out, "  injected fault: 200 incidents")) << r.out;
  EXPECT_TRUE(has(r.out, "SEV target compliance")) << r.out;
  EXPECT_TRUE(has(r.out, "DORA: change failure rate 100.0 %")) << r.out;
  EXPECT_TRUE(has(r.out, "(200 of 200 deploys)")) << r.out;
  EXPECT_TRUE(has(r.out, "  payments-oncall        7.00         [7.00, 7.00]")) << r.out;
}

TEST(RunIncidents, SameForOneAndTwoThreads) {
  const Outcome one = relsim("run '" + kPostmortem.string() + "' --trials 100 --threads 1");
  const Outcome two = relsim("run '" + kPostmortem.string() + "' --trials 100 --threads 2");
  ASSERT_EQ(one.code, 0) << one.out;
  ASSERT_EQ(two.code, 0) << two.out;
  EXPECT_FALSE(incidents(one.out).empty()) << one.out;
  EXPECT_EQ(incidents(one.out), incidents(two.out));
}

}  // namespace
