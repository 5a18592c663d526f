// Every scenario in scenarios/ that states what it shows in `# expect:`
// header lines is run here (its own seed, a modest trial count) and each
// claim is checked against the estimate's own 99 % interval
// (docs/scenarios.md, "Claims"). The lines read
//
//   # expect: <slo>.<figure> <op> <value>
//   # expect: service <name>.availability <op> <value>
//
// with <figure> one of attainment, budgetConsumed (mean fraction of the
// window's budget), pMet (P(SLO met)); <op> `>=` (the whole interval at or
// above the value), `<=` (at or below) or `in [lo, hi]` (inside). Values are
// plain numbers or percentages. A scenario may set `# expect-trials: N`
// (default 1000).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace relsim::models {
namespace {

constexpr double kConfidence = 0.99;
constexpr std::uint64_t kDefaultTrials = 1000;
const std::string kRoot = RELSIM_SOURCE_DIR;

struct Claim {
  int line = 0;
  std::string text;      // as written, for messages
  bool service = false;  // `service <name>.availability`
  std::string subject;   // SLO or service name
  std::string figure;    // attainment, budgetConsumed, pMet, availability
  std::string op;        // >=, <=, in
  double lo = 0.0;
  double hi = 0.0;
};

struct ScenarioClaims {
  std::string path;  // relative to the repository
  std::uint64_t trials = kDefaultTrials;
  std::vector<Claim> claims;
};

double number(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const double v = std::stod(percent ? text.substr(0, text.size() - 1) : text);
  return percent ? v / 100.0 : v;
}

/// Parses the `# expect:` lines of `path`; a malformed line fails the test.
ScenarioClaims read_claims(const std::filesystem::path& path) {
  ScenarioClaims out;
  out.path = std::filesystem::relative(path, kRoot).string();
  std::ifstream in(path);
  const std::regex trials_re(R"(^#\s*expect-trials:\s*(\d+)\s*$)");
  const std::regex claim_re(
      R"(^#\s*expect:\s*(service\s+)?([A-Za-z0-9_.-]+)\.(attainment|budgetConsumed|pMet|availability)\s+(>=|<=|in)\s+(.*?)\s*$)");
  const std::regex range_re(R"(^\[\s*([0-9.]+%?)\s*,\s*([0-9.]+%?)\s*\]$)");
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, trials_re)) {
      out.trials = std::stoull(m[1].str());
      continue;
    }
    if (line.rfind("# expect:", 0) != 0) continue;
    if (!std::regex_match(line, m, claim_re)) {
      ADD_FAILURE() << out.path << ":" << n << ": malformed claim: " << line;
      continue;
    }
    Claim c;
    c.line = n;
    c.text = line.substr(line.find(':') + 1);
    c.service = m[1].matched;
    c.subject = m[2].str();
    c.figure = m[3].str();
    c.op = m[4].str();
    const std::string value = m[5].str();
    if (c.service != (c.figure == "availability")) {
      ADD_FAILURE() << out.path << ":" << n << ": `availability` goes with `service <name>`";
      continue;
    }
    if (c.op == "in") {
      std::smatch r;
      if (!std::regex_match(value, r, range_re)) {
        ADD_FAILURE() << out.path << ":" << n << ": expected `in [lo, hi]`: " << line;
        continue;
      }
      c.lo = number(r[1].str());
      c.hi = number(r[2].str());
    } else {
      c.lo = c.hi = number(value);
    }
    out.claims.push_back(c);
  }
  return out;
}

std::vector<ScenarioClaims> all_claims() {
  std::vector<ScenarioClaims> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ScenarioClaims c = read_claims(entry.path());
    if (!c.claims.empty()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(),
            [](const ScenarioClaims& a, const ScenarioClaims& b) { return a.path < b.path; });
  return out;
}

std::vector<TrialResult> run(const CompiledModel& m, std::uint64_t trials) {
  sim::RunnerOptions o;
  o.master_seed = m.seed;
  o.trials = trials;
  o.threads = 2;
  return sim::run_trials<TrialResult>(o,
                                      [&m]() {
                                        return [w = World(m)](std::uint64_t,
                                                              std::uint64_t seed) mutable {
                                          return w.run(seed);
                                        };
                                      })
      .results;
}

analysis::Interval interval_of(const CompiledModel& m, const std::vector<TrialResult>& results,
                               const Claim& c) {
  if (c.service) {
    const Index comp = m.find_component(c.subject);
    if (comp == kNoIndex || m.components[comp].kind != ComponentKind::service) {
      throw std::invalid_argument("no service named " + c.subject);
    }
    const Index row = m.components[comp].row;
    analysis::MeanAccumulator acc;
    for (const TrialResult& t : results) acc.add(t.services[row].availability());
    return analysis::logit_mean_interval(acc, kConfidence);
  }
  const auto it = std::find(m.names.slos.begin(), m.names.slos.end(), c.subject);
  if (it == m.names.slos.end()) throw std::invalid_argument("no SLO named " + c.subject);
  const auto k = static_cast<std::size_t>(it - m.names.slos.begin());
  if (c.figure == "pMet") {
    const auto met = static_cast<std::uint64_t>(std::count_if(
        results.begin(), results.end(), [k](const TrialResult& t) { return t.slos[k].met; }));
    return analysis::wilson_interval(met, results.size(), kConfidence);
  }
  // The summary's intervals (docs/results.md): logit t for attainment, log t
  // for budget consumed.
  analysis::MeanAccumulator acc;
  for (const TrialResult& t : results) {
    acc.add(c.figure == "attainment" ? t.slos[k].attainment : t.slos[k].budget_consumed);
  }
  return c.figure == "attainment" ? analysis::logit_mean_interval(acc, kConfidence)
                                  : analysis::log_scale_mean_interval(acc, kConfidence);
}

class ScenarioClaimsTest : public ::testing::TestWithParam<ScenarioClaims> {};

TEST_P(ScenarioClaimsTest, HoldsWithinTheEstimatesInterval) {
  const ScenarioClaims& s = GetParam();
  const ResolvedScenario r = load_scenario(kRoot + "/" + s.path);
  const CompiledModel m = compile(r.system, r.scenario);
  const std::vector<TrialResult> results = run(m, s.trials);
  std::printf("%s (%llu trials, seed %llu)\n", s.path.c_str(),
              static_cast<unsigned long long>(s.trials), static_cast<unsigned long long>(m.seed));
  for (const Claim& c : s.claims) {
    analysis::Interval ci;
    try {
      ci = interval_of(m, results, c);
    } catch (const std::invalid_argument& e) {
      ADD_FAILURE() << s.path << ":" << c.line << ": " << e.what();
      continue;
    }
    const bool holds = c.op == ">="   ? ci.low >= c.lo
                       : c.op == "<=" ? ci.high <= c.hi
                                      : ci.low >= c.lo && ci.high <= c.hi;
    std::printf("  %-60s estimate %.6g, 99%% CI [%.6g, %.6g]%s\n", c.text.c_str(), ci.estimate,
                ci.low, ci.high, holds ? "" : "  FAILS");
    EXPECT_TRUE(holds) << s.path << ":" << c.line << ":" << c.text << ": estimate " << ci.estimate
                       << ", 99 % interval [" << ci.low << ", " << ci.high << "]";
  }
  std::fflush(stdout);
}

std::string name_of(const ::testing::TestParamInfo<ScenarioClaims>& info) {
  std::string n = info.param.path;
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioClaimsTest, ::testing::ValuesIn(all_claims()), name_of);

TEST(ScenarioClaims, TheLibraryStatesClaims) {
  // Guards against a regex that silently matches nothing.
  EXPECT_GE(all_claims().size(), 2u);
}

}  // namespace
}  // namespace relsim::models
