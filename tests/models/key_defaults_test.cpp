// Every default of the key registry, checked against the loader and the
// compile step: for each registry key whose default is a value (the JSON
// Schema gives it a `default`), a fixture document that leaves the key out
// must load and compile to exactly what the same document with the key set to
// the registry's default text does (set through `--set`, so no location in the
// file moves). The keys come from the registry, not from a list here: a new
// key with a default is checked as soon as some fixture has its object.
#include "models/key_defaults.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/schema_keys.hpp"
#include "tests/models/schema_test_support.hpp"

namespace {

namespace m = relsim::models;
using relsim::testing::definition;
using relsim::testing::JsonValue;

// The fixtures: every object that has a key with a value default appears, with
// its required keys only. Several texts, because some keys exclude others (a
// scenario's `trials` is a number or a stopping rule; `addedLatency` belongs
// to a badDeploy experiment).
const char* const kSystem = R"(apiVersion: relsim/v1alpha1
kind: System
metadata:
  name: shop
spec:
  calendar:
    businessHours: {}
  zones:
    - name: a
      failures:
        - every: 30d
          duration: 1h
    - b
  services:
    - name: api
      replicas: 2
      zones: [a, b]
      capacityPerReplica: 100
      latency:
        empirical:
          values: [10ms, 20ms]
      demand:
        base: 50
        daily: {peak: "14:00", peakFactor: 1.5, trough: "04:00", troughFactor: 0.5}
      autoscale:
        maxReplicas: 4
      failures:
        - every: 30d
      deploys:
        rate: 1/day
        badDeploy: {}
      dependsOn:
        - service: backend
          retry:
            attempts: 2
        - datastore: db
        - cache: c
    - name: backend
      replicas: 1
      zones: [a]
      capacityPerReplica: 100
  datastores:
    - name: db
      primaryZone: a
      replicaZones: [b]
      failover: {}
  caches:
    - name: c
      hitRatio: 90%
      backing: db
      zones: [a]
      failover: {}
  slos:
    - name: api-availability
      service: api
      objective: 99.9%
  alerts:
    - name: api-burn
      slo: api-availability
    - name: api-slow
      service: api
      condition:
        latency:
          above: 500ms
  teams:
    - name: ops
      ack: 5m
      owns: [api, backend]
      rotation: {}
  runbooks:
    - for: api
      steps:
        - action: restart
          duration: 1m
)";

const char* const kScenario = R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata:
  name: run
spec:
  system: shop
  inject:
    - fault: podKill
      at: "Tue 14:00"
      service: api
    - fault: badDeploy
      at: "Wed 10:00"
      service: api
      errorRate: 5%
      duration: 10m
)";

const char* const kStoppingScenario = R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata:
  name: until
spec:
  system: shop
  trials:
    until:
      metric: mttr
      relativeHalfWidth: 10%
)";

const char* const kGameDay = R"(---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata:
  name: drill
spec:
  system: shop
  experiment:
    fault: podKill
    service: api
  candidateStarts:
    from: "Tue 09:00"
    to: "Tue 12:00"
  steadyState:
    latencyP99:
      below: 500ms
  hypotheses:
    - name: fast enough
      metric: latencyP99
      max: 1s
  stopConditions:
    - metric: latencyP99
      above: 2s
  budget:
    remainingThisMonth: 50%
)";

const char* const kBadDeployGameDay = R"(---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata:
  name: bad-deploy-drill
spec:
  system: shop
  experiment:
    fault: badDeploy
    service: api
    errorRate: 5%
    duration: 10m
  candidateStarts: "Tue 10:00"
)";

/// `fallbackSuccess` is left out on a soft dependency only, which does not
/// compile (a fallback that serves nothing): leaving it out must fail as
/// writing its default does.
std::string soft_dependency(std::string system) {
  const std::string hard = "        - service: backend\n";
  system.replace(system.find(hard), hard.size(), hard + "          type: soft\n");
  return system;
}

std::vector<std::string> fixtures() {
  const std::string system = kSystem;
  return {system + kScenario + kGameDay, system + kStoppingScenario + kBadDeployGameDay,
          soft_dependency(system) + kScenario};
}

/// Where a distribution-valued key sits in the fixtures: the objects under
/// `Distribution` (`(any distribution-valued key)` in the registry) are
/// reached through it.
constexpr std::string_view kDistributionAnchor = "System.spec.services[].latency";

/// The first path of `object` in the registry, from a document root
/// (`Condition.latency` -> `System.spec.alerts[].condition.latency`).
std::string object_path(std::string_view object) {
  const m::ObjectSpec* o = m::find_object(object);
  if (o == nullptr) return {};
  std::string path(o->path.substr(0, o->path.find(", ")));
  if (!path.empty() && path.front() == '(') return std::string(kDistributionAnchor);
  const std::string head = path.substr(0, path.find('.'));
  if (head == "System" || head == "Scenario" || head == "GameDay") return path;
  return object_path(head) + path.substr(head.size());
}

/// One place in a fixture where `key` is absent from a mapping of its object:
/// the `--set` path of the key there.
struct Place {
  std::string set_path;
};

void find_places(const YAML::Node& node, const std::vector<std::string>& segments, std::size_t at,
                 const std::string& path, std::string_view key, std::vector<Place>& out) {
  if (at == segments.size()) {
    if (node.IsMap() && !node[std::string(key)]) {
      out.push_back({path + (path.empty() || path.back() == '.' ? "" : ".") + std::string(key)});
    }
    return;
  }
  if (!node.IsMap()) return;
  const std::string join = path.empty() || path.back() == '.' ? "" : ".";
  std::string seg = segments[at];
  if (seg == "*") {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string k = it->first.Scalar();
      find_places(it->second, segments, at + 1, path + join + k, key, out);
    }
    return;
  }
  const bool list = seg.size() > 2 && seg.substr(seg.size() - 2) == "[]";
  if (list) seg.resize(seg.size() - 2);
  const YAML::Node child = node[seg];
  if (!child) return;
  if (!list) {
    find_places(child, segments, at + 1, path + join + seg, key, out);
    return;
  }
  if (!child.IsSequence()) return;
  for (std::size_t i = 0; i < child.size(); ++i) {
    find_places(child[i], segments, at + 1, path + join + seg + "." + std::to_string(i), key, out);
  }
}

/// The places of `key` of `object` in the fixture `text`.
std::vector<Place> places(const std::string& text, std::string_view object, std::string_view key) {
  const std::string path = object_path(object);
  std::vector<std::string> segments;
  for (std::size_t begin = 0; begin <= path.size();) {
    const std::size_t end = std::min(path.find('.', begin), path.size());
    segments.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  if (segments.size() < 2 || segments[1] != "spec") return {};
  const std::string& kind = segments[0];
  const std::string prefix = kind == "Scenario" ? "scenario." : kind == "GameDay" ? "gameDay." : "";
  std::vector<Place> out;
  for (const YAML::Node& doc : YAML::LoadAll(text)) {
    if (!doc.IsMap() || doc["kind"].Scalar() != kind) continue;
    find_places(doc["spec"], segments, 2, prefix, key, out);
  }
  return out;
}

/// A compiled model, or the text of the error that stopped the compile step.
struct Compiled {
  std::optional<m::CompiledModel> model;
  std::string error;
  friend bool operator==(const Compiled&, const Compiled&) = default;
};

template <typename Doc>
Compiled compiled(const m::System& system, const Doc& doc) {
  try {
    return {m::compile(system, doc), {}};
  } catch (const m::InputError& e) {
    return {std::nullopt, e.what()};
  }
}

/// A fixture loaded and compiled.
struct Loaded {
  m::Documents docs;
  std::vector<Compiled> models;  // per scenario, then per game day
};

Loaded load(const std::string& text, const std::vector<std::string>& overrides) {
  Loaded l{m::load_string(text, "fixture.yaml", overrides), {}};
  const m::System& system = l.docs.systems.at(0);
  for (const auto& s : l.docs.scenarios) l.models.push_back(compiled(system, s));
  for (const auto& g : l.docs.game_days) l.models.push_back(compiled(system, g));
  return l;
}

/// True when the registry's default of `k` is a value the JSON Schema gives
/// (not a rule such as "the service name").
bool has_value_default(const m::KeySpec& k) {
  if (k.required || k.default_value.empty()) return false;
  const JsonValue* props = definition(k.object).find("properties");
  const JsonValue* p = props != nullptr ? props->find(k.key) : nullptr;
  return p != nullptr && p->find("default") != nullptr;
}

TEST(SchemaDefaults, FixturesLoadAndCompile) {
  const auto texts = fixtures();
  for (std::size_t f = 0; f < texts.size(); ++f) {
    const Loaded l = load(texts[f], {});
    EXPECT_EQ(l.docs.systems.size(), 1U);
    for (const auto& c : l.models) {
      if (f + 1 < texts.size()) {
        EXPECT_TRUE(c.model.has_value()) << c.error;
      } else {
        EXPECT_NE(c.error.find("has no fallbackSuccess"), std::string::npos) << c.error;
      }
    }
  }
}

TEST(SchemaDefaults, LeavingAKeyOutLoadsAndCompilesItsRegistryDefault) {
  std::vector<Loaded> base;
  for (const auto& text : fixtures()) base.push_back(load(text, {}));
  int checked = 0;
  std::vector<std::string> unplaced;
  for (const m::KeySpec& k : m::accepted_keys()) {
    if (!has_value_default(k)) continue;
    const std::string name = std::string(k.object) + "." + std::string(k.key);
    bool placed = false;
    std::vector<std::string> refused;
    const auto texts = fixtures();
    for (std::size_t f = 0; f < texts.size(); ++f) {
      for (const Place& p : places(texts[f], k.object, k.key)) {
        const std::string set = p.set_path + "=" + std::string(k.default_value);
        std::optional<Loaded> with;
        try {
          with = load(texts[f], {set});
        } catch (const m::InputError& e) {
          refused.push_back(set + ": " + e.what());
          continue;
        }
        placed = true;
        SCOPED_TRACE(name + " (--set " + set + ", fixture " + std::to_string(f) + ")");
        const m::Documents& a = base[f].docs;
        const m::Documents& b = with->docs;
        EXPECT_TRUE(a.systems == b.systems) << "the loaded System differs";
        EXPECT_TRUE(a.scenarios == b.scenarios) << "the loaded Scenario differs";
        EXPECT_TRUE(a.game_days == b.game_days) << "the loaded GameDay differs";
        ASSERT_EQ(base[f].models.size(), with->models.size());
        for (std::size_t i = 0; i < with->models.size(); ++i) {
          EXPECT_TRUE(base[f].models[i] == with->models[i])
              << "compiled model " << i << " differs: " << base[f].models[i].error << " / "
              << with->models[i].error;
        }
        ++checked;
      }
    }
    if (!placed) {
      std::string why;
      for (const auto& r : refused) why += "\n    " + r;
      unplaced.push_back(name + " (" + object_path(k.object) + ")" + why);
    }
  }
  EXPECT_TRUE(unplaced.empty()) << "registry keys with a default that no fixture can leave out "
                                   "and set (add their object to a fixture):\n  "
                                << relsim::testing::joined(unplaced);
  EXPECT_GT(checked, 60);
}

// The texts the registry prints from models/key_defaults.hpp are the ones the
// reference documents (docs/reference, the JSON Schema) have always shown.
TEST(SchemaDefaults, RegistryPrintsTypedDefaultsAsWritten) {
  auto text = [](std::string_view object, std::string_view key) {
    const m::KeySpec* k = m::find_key(object, key);
    return k == nullptr ? std::string("<none>") : std::string(k->default_value);
  };
  EXPECT_EQ(text("Service", "healthCheckDelay"), "30s");
  EXPECT_EQ(text("Service", "restart"), "1m");
  EXPECT_EQ(text("Deploys", "rollback"), "5m");
  EXPECT_EQ(text("Retry", "backoff"), "100ms");
  EXPECT_EQ(text("Rotation", "length"), "1w");
  EXPECT_EQ(text("ScenarioSpec", "horizon"), "30d");
  EXPECT_EQ(text("Alert", "for"), "0s");
  EXPECT_EQ(text("GameDaySpec", "worstCasePercentile"), "95%");
  EXPECT_EQ(text("Dependency", "callFraction"), "100%");
  EXPECT_EQ(text("StoppingRule", "maxTrials"), "1000000");
  EXPECT_EQ(text("Demand", "weekendFactor"), "1");
  EXPECT_EQ(text("Empirical", "interpolate"), "false");
  EXPECT_EQ(m::Service{}.health_check_delay, m::defaults::kServiceHealthCheckDelay);
  EXPECT_EQ(m::ServiceRow{}.health_check_delay, m::defaults::kServiceHealthCheckDelay);
}

}  // namespace
