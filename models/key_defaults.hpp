// The default of every optional key whose default is a value, typed and
// written once. The key registry (models/schema_keys.cpp) prints its
// `default_value` text from these constants, and the structs
// (models/system.hpp, scenario.hpp, game_day.hpp) and the compiled rows
// (models/compiled_model.hpp) initialize their fields from them, so changing
// a default is a change of one line here.
//
// Named k<Object><Key> after the registry object and key
// (`kServiceHealthCheckDelay` is `Service.healthCheckDelay`). Durations and
// fixed-duration distributions are `sim::Duration`s (a distribution default is
// `fixed` at that many seconds); fractions are doubles in [0, 1].
//
// Not here: defaults that are a rule rather than a value ("the service name",
// "hard (cache for a cache)", the default policy and severity tables of
// system.hpp); enumeration defaults (the enum's value in its struct, the
// registry's text), and the calendar's (models/calendar.hpp). The registry test
// (tests/models/key_defaults_test.cpp) walks every registry key with a value
// default and checks that leaving the key out loads, and compiles, exactly
// what writing the registry's text does, so those cannot drift either.
#pragma once

#include <cstdint>

#include "sim/distribution.hpp"
#include "sim/time.hpp"

namespace relsim::models::defaults {

using sim::Duration;

// System.spec.services[]
inline constexpr bool kServiceTopologySpread = true;
inline constexpr double kServiceDemand = 0.0;                      // requests/s
inline constexpr Duration kServiceRestart = Duration::minutes(1);  // fixed
inline constexpr Duration kServiceHealthCheckDelay = Duration::seconds(30);
inline constexpr double kDemandWeekendFactor = 1.0;
inline constexpr double kAutoscaleTargetUtilization = 0.7;
inline constexpr Duration kAutoscaleReactionTime = Duration::minutes(2);
inline constexpr double kDeploysChangeFailureRate = 0.0;
inline constexpr Duration kDeploysRollback = Duration::minutes(5);  // fixed
inline constexpr double kBadDeployErrorRate = 0.0;
inline constexpr Duration kBadDeployAddedLatency = Duration::zero();
inline constexpr bool kBadDeployDetectsItself = false;
inline constexpr double kDependencyFallbackSuccess = 0.0;
inline constexpr double kDependencyCallFraction = 1.0;
inline constexpr Duration kRetryBackoff = Duration::millis(100);
// System.spec.datastores[] and caches[]
inline constexpr double kDatastoreCapacity = 0.0;  // 0: unlimited
inline constexpr bool kDatastoreFailoverAutomatic = true;
inline constexpr Duration kDatastoreFailoverDetect = Duration::seconds(30);
inline constexpr Duration kDatastoreFailoverDuration = Duration::minutes(1);  // fixed
inline constexpr Duration kDatastoreFailoverConnectionErrors = Duration::zero();
inline constexpr double kDatastoreFailoverConnectionErrorRate = 1.0;
inline constexpr double kCacheCapacity = 0.0;                              // 0: unlimited
inline constexpr Duration kCacheFailoverDuration = Duration::seconds(30);  // fixed
inline constexpr Duration kCacheFailoverWarmUp = Duration::zero();
// SLOs and alerts
inline constexpr Duration kSloWindow = Duration::days(30);
inline constexpr Duration kAlertEvaluationInterval = Duration::minutes(1);
inline constexpr Duration kAlertFor = Duration::zero();
inline constexpr double kLatencyBoundPercentile = 0.99;
// People
inline constexpr int kTeamMembers = 1;
inline constexpr bool kTeamSecondary = false;
inline constexpr int kTeamEscalationLoops = 0;
inline constexpr Duration kTeamRespond = Duration::zero();  // fixed; Team::respond is then none
inline constexpr Duration kRotationLength = Duration::days(7);
inline constexpr Duration kRunbookDiagnose = Duration::minutes(5);  // fixed
inline constexpr Duration kRunbookConfirmStable = Duration::minutes(15);
inline constexpr double kRunbookStepSuccess = 1.0;
// Scenario.spec
inline constexpr Duration kScenarioHorizon = Duration::days(30);
inline constexpr std::int64_t kScenarioTrials = 1000;
inline constexpr std::uint64_t kScenarioSeed = 1;
inline constexpr bool kScenarioRandomFailures = true;
inline constexpr bool kScenarioRandomDeploys = true;
inline constexpr std::int64_t kStoppingRuleMinTrials = 100;
inline constexpr std::int64_t kStoppingRuleMaxTrials = 1'000'000;
inline constexpr Duration kFaultAddedLatency = Duration::zero();  // Fault and Experiment
// GameDay.spec
inline constexpr Duration kGameDayObserve = Duration::hours(1);
inline constexpr std::int64_t kGameDayTrials = 1000;
inline constexpr std::uint64_t kGameDaySeed = 1;
inline constexpr double kGameDayWorstCasePercentile = 0.95;
inline constexpr Duration kCandidateWindowEvery = Duration::hours(1);
inline constexpr bool kCandidateWindowBusinessHoursOnly = false;
inline constexpr Duration kStopConditionFor = Duration::zero();
inline constexpr Duration kStopConditionAbortLatency = Duration::zero();
// Distributions
inline constexpr bool kEmpiricalInterpolate = false;

/// A fixed-duration distribution default as the loader reads the same text.
inline sim::Distribution fixed(Duration d) { return sim::Distribution::fixed(d.to_seconds()); }

}  // namespace relsim::models::defaults
