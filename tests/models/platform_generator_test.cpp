// The generated platform (models/platform_generator.hpp): its text loads and
// compiles for small and odd sizes with the counts the header promises, a
// trial runs, the same N gives the same text, and bad sizes are refused by
// the generator and by `relsim init --services`.
#include "models/platform_generator.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"
#include "models/world.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using namespace relsim;

class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(fs::temp_directory_path() /
              ("relsim-platform-" + tag + "-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

models::ResolvedScenario load_generated(int services, const TempDir& dir) {
  const models::PlatformText text = models::generate_platform(services, "gen");
  std::ofstream(dir.path() / "system.yaml") << text.system;
  std::ofstream(dir.path() / "scenario.yaml") << text.scenario;
  return models::load_scenario((dir.path() / "scenario.yaml").string());
}

int count_edges(const models::CompiledModel& m, models::EdgeType type) {
  int n = 0;
  for (const auto& e : m.edges) n += e.type == type ? 1 : 0;
  return n;
}

TEST(PlatformGenerator, LoadsWithTheShapeItPromises) {
  // 37 services in 6 layers of 6, 6, 6, 6, 6, 7 (the remainder goes deep).
  const TempDir dir("shape");
  const auto resolved = load_generated(37, dir);
  const models::CompiledModel m = models::compile(resolved.system, resolved.scenario);
  EXPECT_EQ(m.services.size(), 37u);
  EXPECT_EQ(m.datastores.size(), 4u);  // one per 10 services, rounded up
  EXPECT_EQ(m.teams.size(), 4u);
  EXPECT_EQ(m.zone_count(), 3u);
  EXPECT_EQ(m.slos.size(), 6u);  // the front layer
  EXPECT_EQ(m.replica_zone.size(), 3u * 37u);
  EXPECT_EQ(m.deploys.size(), 37u);
  // Every service of the first five layers calls one hard and one soft
  // dependency; the 7 of the last layer call a datastore (hard).
  EXPECT_EQ(count_edges(m, models::EdgeType::soft), 30);
  EXPECT_EQ(count_edges(m, models::EdgeType::hard), 37);
  EXPECT_EQ(m.horizon, sim::Duration::days(30));
}

TEST(PlatformGenerator, ValidatesWithoutWarnings) {
  // Soft timeouts shrink with depth, so no caller gives up on a service
  // before that service's own soft dependency falls back (the check that
  // warned once per service when every timeout was 300 ms).
  for (const int n : {10, 37, 250}) {
    const TempDir dir("warnings-" + std::to_string(n));
    const auto resolved = load_generated(n, dir);
    const auto warnings =
        models::system_warnings(resolved.system, models::Topology::build(resolved.system));
    EXPECT_TRUE(warnings.empty()) << n << " services: "
                                  << (warnings.empty() ? "" : models::warning_text(warnings[0]));
  }
  EXPECT_EQ(models::platform_soft_timeout_ms(0), 300);
  EXPECT_EQ(models::platform_soft_timeout_ms(4), 100);
}

TEST(PlatformGenerator, SmallSizesLoadAndATrialRuns) {
  for (const int n : {1, 2, 6, 10}) {
    const TempDir dir("small-" + std::to_string(n));
    const auto resolved = load_generated(n, dir);
    const models::CompiledModel m = models::compile(resolved.system, resolved.scenario);
    ASSERT_EQ(m.services.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(m.slos.size(), 1u) << n;  // min(6, n) layers: one front service
    models::World world(m);
    const models::TrialResult r = world.run(1234);
    EXPECT_GT(r.events, 0u) << n;
    ASSERT_EQ(r.services.size(), static_cast<std::size_t>(n));
    // The front service (svc-0000; service rows are in topological order)
    // sees its daily demand: base 100/s between 0.5x and 1.5x.
    std::size_t front = m.services.size();
    for (std::size_t s = 0; s < m.services.size(); ++s) {
      if (m.names.components[m.services[s].component] == "svc-0000") front = s;
    }
    ASSERT_LT(front, m.services.size()) << n;
    const double mean_rate = r.services[front].total / (30.0 * 86400.0);
    EXPECT_GT(mean_rate, 50.0) << n;
    EXPECT_LT(mean_rate, 150.0) << n;
    EXPECT_GT(r.services[front].availability(), 0.99) << n;
  }
}

TEST(PlatformGenerator, IsDeterministic) {
  EXPECT_EQ(models::generate_platform(250, "a").system, models::generate_platform(250, "a").system);
  EXPECT_EQ(models::generate_platform(250, "a").scenario,
            models::generate_platform(250, "a").scenario);
}

TEST(PlatformGenerator, DocumentsAreEmittedSoANameStaysOneValue) {
  // The documents come from yaml-cpp's emitter: a name with a colon, a quote
  // or a `#` is quoted, and reads back as written.
  const std::string name = "team: \"core\" # 1";
  const models::PlatformText text = models::generate_platform(7, name, "sys: a.yaml");
  const YAML::Node system = YAML::Load(text.system);
  EXPECT_EQ(system["metadata"]["name"].as<std::string>(), name);
  EXPECT_EQ(system["spec"]["services"].size(), 7u);
  const YAML::Node first = system["spec"]["services"][0];
  EXPECT_EQ(first["demand"]["daily"]["peak"].as<std::string>(), "14:00");
  EXPECT_EQ(first["demand"]["daily"]["peakFactor"].as<double>(), 1.5);
  EXPECT_EQ(first["dependsOn"][0]["callFraction"].as<std::string>(), "50%");
  EXPECT_EQ(first["failures"][0]["every"]["exponential"]["mean"].as<std::string>(), "20d");
  EXPECT_TRUE(first["deploys"]["badDeploy"]["detectsItself"].as<bool>());
  EXPECT_EQ(system["spec"]["teams"][0]["owns"].size(), 7u);
  const YAML::Node scenario = YAML::Load(text.scenario);
  EXPECT_EQ(scenario["metadata"]["name"].as<std::string>(), name + "-month");
  EXPECT_EQ(scenario["spec"]["system"].as<std::string>(), "sys: a.yaml");
  EXPECT_EQ(scenario["spec"]["trials"].as<int>(), 100);
  // And the loader takes the system as relsim's own.
  const models::Documents docs = models::load_string(text.system, "platform.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  EXPECT_EQ(docs.systems[0].name, name);
}

TEST(PlatformGenerator, RefusesBadSizes) {
  EXPECT_THROW(models::generate_platform(0, "x"), std::invalid_argument);
  EXPECT_THROW(models::generate_platform(models::kMaxPlatformServices + 1, "x"),
               std::invalid_argument);
}

TEST(PlatformGenerator, InitWritesAGeneratedPlatform) {
  const TempDir tmp("init");
  const fs::path dir = tmp.path() / "big";
  const auto init = test::relsim("init --template platform --services 25 '" + dir.string() + "'");
  ASSERT_EQ(init.code, 0) << init.out;
  EXPECT_NE(init.out.find("25 generated services"), std::string::npos) << init.out;
  const auto resolved = models::load_scenario((dir / "scenario.yaml").string());
  EXPECT_EQ(resolved.system.name, "big");
  EXPECT_EQ(resolved.system.services.size(), 25u);
  // Without --services the template is the three-service platform.
  const auto plain = test::relsim("init --template platform '" + (tmp.path() / "p").string() + "'");
  ASSERT_EQ(plain.code, 0) << plain.out;
  EXPECT_EQ(
      models::load_scenario((tmp.path() / "p" / "scenario.yaml").string()).system.services.size(),
      3u);
}

TEST(PlatformGenerator, InitRefusesBadServiceCounts) {
  const TempDir tmp("init-bad");
  const auto zero =
      test::relsim("init --template platform --services 0 '" + (tmp.path() / "a").string() + "'");
  EXPECT_NE(zero.code, 0) << zero.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "a"));
  const auto other =
      test::relsim("init --template payments --services 10 '" + (tmp.path() / "b").string() + "'");
  EXPECT_EQ(other.code, 1) << other.out;
  EXPECT_NE(other.out.find("--services generates a platform"), std::string::npos) << other.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "b" / "system.yaml"));
}

}  // namespace
