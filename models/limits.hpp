// The documented limits of relsim's input (docs/security.md, and the Limits
// table of docs/reference/README.md, generated from `input_limits()`): each
// far above any real system, checked while loading — before anything is
// sized by the value — and refused with a located message that names the
// limit. Constants and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relsim::models {

/// Bytes of one YAML input file (a System, Scenario, GameDay or AlertRules file).
inline constexpr std::uint64_t kMaxInputFileBytes = 32ull << 20;
/// Bytes of one data file an empirical distribution reads (CSV or HDF5).
inline constexpr std::uint64_t kMaxDataFileBytes = 256ull << 20;
/// Nesting depth of YAML collections (`[`, `{`, block mappings and lists).
inline constexpr int kMaxNesting = 64;
/// Replicas of one service (also its autoscaling maximum).
inline constexpr std::int64_t kMaxReplicas = 100'000;
/// Replicas of all services together.
inline constexpr std::int64_t kMaxTotalReplicas = 1'000'000;
/// Components: zones, services, datastores and caches together.
inline constexpr std::int64_t kMaxComponents = 100'000;
/// Dependency edges (`dependsOn` entries of all services together).
inline constexpr std::int64_t kMaxEdges = 1'000'000;
/// Alert rules of a System or an AlertRules file.
inline constexpr std::int64_t kMaxAlertRules = 10'000;
/// Candidate starts of a GameDay.
inline constexpr std::int64_t kMaxCandidateStarts = 10'000;
/// Repetitions of one fault that repeats (`duration` ÷ `interval` of a podKill).
inline constexpr std::int64_t kMaxFaultRepetitions = 100'000;
/// Trials of one run (`trials`, `maxTrials`, `--trials`, `--max-trials`).
inline constexpr std::int64_t kMaxTrials = 1'000'000'000;
/// Trials of a game-day plan: trials × candidate starts (all kept in memory).
inline constexpr std::int64_t kMaxPlanTrials = 100'000'000;
/// Draws of `relsim incidents power`: incidents per period × repeats (each
/// repeat holds two periods of draws), with at most 1e6 repeats.
inline constexpr std::int64_t kMaxPowerDraws = 1'000'000'000;
inline constexpr std::int64_t kMaxPowerRepeats = 1'000'000;
/// Steps of the smallest time step (an alert's evaluation interval) in a horizon.
inline constexpr std::int64_t kMaxSteps = 1'000'000'000;
/// Requests per second of a demand or of one replica's capacity: the fluid
/// accounting integrates requests over windows of weeks in doubles, and
/// stays exact to a request well within this range.
inline constexpr double kMaxRequestRate = 1e9;
/// Bytes of a name (of anything) and of every reference to one: Kubernetes'
/// longest object name. A longer one would be echoed whole in messages.
inline constexpr std::size_t kMaxNameBytes = 253;

struct InputLimit {
  std::string_view what;   // `replicas per service`
  std::string_view value;  // `100000`
  std::string_view where;  // `replicas, autoscale.maxReplicas`
};

/// Every limit, in the order of the reference table.
const std::vector<InputLimit>& input_limits();

struct KeyLimit {
  double max;
  std::string_view what;  // the limit's name in input_limits()
};

/// The upper bound of a numeric key of a registry object (`Service`,
/// `replicas` -> 1e5), nullopt when it has none beyond its type's.
std::optional<KeyLimit> key_limit(std::string_view object, std::string_view key);

/// ` (the limit of LIMIT_WHAT; see docs/reference/README.md#limits)`.
std::string limit_note(std::string_view what);

}  // namespace relsim::models
