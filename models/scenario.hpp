// What happens to a system during a run: a `kind: Scenario` document. It
// names its system (by name in the same file, or by a relative path), sets the
// horizon, the number of trials (or a stopping rule on a confidence
// interval), the seed, and the faults injected at fixed calendar times.
//
// `Fault` is shared with the game-day experiment (models/game_day.hpp). Plain
// structs, built by the loader, then only read; thread-safe as values are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/calendar.hpp"
#include "models/key_defaults.hpp"
#include "models/source_location.hpp"
#include "models/system.hpp"
#include "sim/time.hpp"

namespace relsim::models {

/// The fault vocabulary of chaos tools (Chaos Mesh, Litmus, AWS FIS).
enum class FaultKind : std::uint8_t {
  pod_kill,            // target.service; mode
  zone_outage,         // target.zone
  node_drain,          // target.zone (+ optional service); mode
  datastore_failover,  // target.datastore
  cache_failover,      // target.cache
  network_latency,     // from -> to; latency
  network_loss,        // from -> to; loss
  network_partition,   // from -> to
  dependency_errors,   // target.service (the callee; optional from = caller); error_rate
  capacity_loss,       // target.service; fraction of capacity lost
  load_spike,          // target.service; factor on demand
  bad_deploy,          // target.service; error_rate and/or added_latency
};

/// Pod-kill / drain blast radius, Chaos Mesh's modes.
struct KillMode {
  enum class Kind : std::uint8_t { one, all, fixed, fixed_percent, random_max_percent };
  Kind kind = Kind::one;
  double value = 0.0;  // fixed: count; *_percent: fraction in (0, 1]
  friend bool operator==(const KillMode&, const KillMode&) = default;
};

/// What a fault hits. Each field names an entity of the system; which ones a
/// fault needs depends on its kind (see FaultKind).
struct FaultTarget {
  NameRef service;
  NameRef zone;
  NameRef datastore;
  NameRef cache;
  ComponentKind from_kind = ComponentKind::service;
  NameRef from;  // network faults: the caller side
  ComponentKind to_kind = ComponentKind::service;
  NameRef to;  // network faults: the callee side
  friend bool operator==(const FaultTarget&, const FaultTarget&) = default;
};

struct Fault {
  std::string name;  // optional label; the loader fills `<fault>@<at>`
  FaultKind kind = FaultKind::pod_kill;
  std::optional<TimeSpec> at;  // scenarios: required; game days: chosen by the planner
  FaultTarget target;
  KillMode mode;
  std::optional<sim::Duration> duration;  // nullopt: until recovered
  std::optional<sim::Duration> interval;  // repeat every interval during `duration` (pod kill)
  sim::Duration latency = sim::Duration::zero();  // network_latency: added per call
  double loss = 0.0;                              // network_loss: fraction of calls lost
  double error_rate = 0.0;                        // dependency_errors, bad_deploy: fraction failing
  sim::Duration added_latency = defaults::kFaultAddedLatency;  // bad_deploy
  double fraction = 0.0;  // capacity_loss: fraction of capacity lost
  double factor = 1.0;    // load_spike: multiplier on demand
  SourceLocation location;
  friend bool operator==(const Fault&, const Fault&) = default;
};

/// Stop when the confidence interval of `metric` is narrow enough.
struct StoppingRule {
  std::string metric;                         // e.g. `mttr`, `availability`; checked by the runner
  std::optional<double> relative_half_width;  // fraction of the estimate
  std::optional<double> absolute_half_width;  // in the metric's unit (seconds for times)
  std::int64_t min_trials = defaults::kStoppingRuleMinTrials;
  std::int64_t max_trials = defaults::kStoppingRuleMaxTrials;
  SourceLocation location;
  friend bool operator==(const StoppingRule&, const StoppingRule&) = default;
};

/// One `path: value` override, from `spec.overrides` or `--set path=value`.
struct Override {
  std::string path;
  std::string value;        // YAML text of the value
  SourceLocation location;  // file of the scenario, or `<command line>`
  friend bool operator==(const Override&, const Override&) = default;
};

struct Scenario {
  std::string name;
  std::string description;
  NameRef system;  // a System's name, or a path relative to this file
  bool system_is_path = false;
  sim::Duration horizon = defaults::kScenarioHorizon;
  std::int64_t trials = defaults::kScenarioTrials;  // ignored when `until` is given
  std::optional<StoppingRule> until;
  std::uint64_t seed = defaults::kScenarioSeed;
  bool random_failures = defaults::kScenarioRandomFailures;  // the system's failure processes run
  bool random_deploys = defaults::kScenarioRandomDeploys;    // the system's deploy processes run
  std::vector<Fault> inject;
  std::vector<Override> overrides;  // as written in spec.overrides (already applied)
  SourceLocation location;          // of the document
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

/// camelCase names as written in the files (`podKill`, `zoneOutage`, ...).
const char* to_string(FaultKind v);
const char* to_string(KillMode::Kind v);

}  // namespace relsim::models
