// The engine's incremental evaluation and lazy accounting against their
// references: every scenario under scenarios/ and the generated platform run
// with the fluid re-evaluated in full after every incremental update (they
// must agree bit for bit), and again with every event integrated eagerly by
// Simpson's rule over full evaluations (the per-trial request counts must
// agree: totals to 1e-9, good requests to 1e-7) with the same incidents. See docs/model.md ("What
// an event costs").
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/platform_generator.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"

namespace relsim::models {
namespace {

const std::string kRoot = RELSIM_SOURCE_DIR;

std::vector<std::string> scenario_files() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("\nkind: Scenario") != std::string::npos) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

CompiledModel compile_file(const std::string& path) {
  const auto resolved = load_scenario(path);
  return compile(resolved.system, resolved.scenario);
}

/// Request totals are exact in both modes (the load is linear between
/// events): they agree to rounding.
bool close(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({std::abs(a), std::abs(b), 1e-300});
}
/// Good requests too, except while some ratio drifts (past the latency knee,
/// dropping load): both modes then integrate by Simpson's rule, and its
/// small error depends on where events (alert evaluations among them, which
/// differ between the modes) split the interval.
bool close_good(double a, double b) {
  return std::abs(a - b) <= 1e-7 * std::max({std::abs(a), std::abs(b), 1e-300});
}

/// Runs `trials` trials lazily with the incremental check on and eagerly,
/// and compares their request counts; returns the lazy trials' events.
std::uint64_t compare_modes(const CompiledModel& m, int trials, const std::string& what) {
  World lazy(m);
  World::Checks checks;
  checks.verify_incremental = true;
  lazy.set_checks(checks);
  World eager(m);
  checks = {};
  checks.always_eager = true;
  eager.set_checks(checks);
  std::uint64_t events = 0;
  for (int i = 0; i < trials; ++i) {
    const std::uint64_t seed = sim::trial_seed(m.seed, static_cast<std::uint64_t>(i));
    TrialResult a;
    EXPECT_NO_THROW(a = lazy.run(seed)) << what << " trial " << i;
    const TrialResult b = eager.run(seed);
    events += a.events;
    EXPECT_EQ(a.incidents.size(), b.incidents.size()) << what << " trial " << i;
    for (std::size_t k = 0; k < a.slos.size(); ++k) {
      EXPECT_PRED2(close, a.slos[k].total, b.slos[k].total)
          << what << " trial " << i << " SLO " << k;
      EXPECT_PRED2(close_good, a.slos[k].good, b.slos[k].good)
          << what << " trial " << i << " SLO " << k;
    }
    for (std::size_t s = 0; s < a.services.size(); ++s) {
      EXPECT_PRED2(close, a.services[s].total, b.services[s].total)
          << what << " trial " << i << " service " << s;
      EXPECT_PRED2(close_good, a.services[s].good, b.services[s].good)
          << what << " trial " << i << " service " << s;
    }
  }
  return events;
}

TEST(WorldLazy, EveryScenarioAgreesWithTheReferences) {
  const std::vector<std::string> files = scenario_files();
  ASSERT_GE(files.size(), 20u);
  for (const std::string& f : files) {
    const CompiledModel m = compile_file(f);
    EXPECT_GT(compare_modes(m, 12, f), 0u) << f;
  }
}

TEST(WorldLazy, GeneratedPlatformAgreesWithTheReferences) {
  for (const int n : {10, 60}) {
    const PlatformText p = generate_platform(n, "gen");
    const auto dir =
        std::filesystem::temp_directory_path() / ("relsim-lazy-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "system.yaml") << p.system;
    std::ofstream(dir / "scenario.yaml") << p.scenario;
    const auto resolved = load_scenario((dir / "scenario.yaml").string());
    std::filesystem::remove_all(dir);
    const CompiledModel m = compile(resolved.system, resolved.scenario);
    EXPECT_GT(compare_modes(m, 3, "platform " + std::to_string(n)), 0u);
  }
}

}  // namespace
}  // namespace relsim::models
