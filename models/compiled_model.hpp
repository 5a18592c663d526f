// The compiled model: a System plus a Scenario (or a GameDay) turned into
// flat, index-based tables for the event loop — no strings, maps or virtual
// calls on the hot path. Names live only in the `names` side table, for
// reports.
//
// Index spaces (all `Index`, `kNoIndex` where a reference is absent):
//   component  services, datastores and caches together, in topological order
//              (callees before callers: every edge's target index is smaller
//              than its source's), so one forward pass propagates served
//              fractions up the graph;
//   service / datastore / cache rows  the per-kind tables, in the same
//              relative order; `components[c].row` and `services[s].component`
//              map between them;
//   zone, slo, alert, team, runbook, fault  declaration order of the files.
// Variable-length lists are CSR: `edge_begin[c] .. edge_begin[c + 1]` indexes
// `edges`; rows of other tables carry an `IndexRange`.
//
// Random streams: every random process has a stable name (see `stream_names`
// and docs/model.md, "Compiled model") hashed by `sim::stream_id`, so a
// process draws the same numbers whatever else the scenario contains.
//
// Built once by `compile`, then only read: thread-safe for concurrent reads.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/calendar.hpp"
#include "models/game_day.hpp"
#include "models/key_defaults.hpp"
#include "models/scenario.hpp"
#include "models/stream_names.hpp"
#include "models/system.hpp"
#include "models/topology.hpp"
#include "sim/distribution.hpp"
#include "sim/time.hpp"

namespace relsim::models {

using Index = std::uint32_t;
/// "No such entity" in an index field (a service without a runbook, ...).
inline constexpr Index kNoIndex = std::numeric_limits<Index>::max();

/// A half-open range [begin, end) of one of the model's flat arrays.
struct IndexRange {
  Index begin = 0;
  Index end = 0;
  Index size() const { return end - begin; }
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};

// ---------------------------------------------------------------- topology

struct ComponentRow {
  ComponentKind kind = ComponentKind::service;
  Index row = 0;  // into services / datastores / caches, per kind
  friend bool operator==(const ComponentRow&, const ComponentRow&) = default;
};

struct EdgeRow {
  Index source = 0;  // the caller (or the cache, for backing edges)
  Index target = 0;  // the callee (or the backing store); always < source
  EdgeType type = EdgeType::hard;
  double call_fraction =
      defaults::kDependencyCallFraction;  // of the source's requests; backing: miss ratio
  double fallback_success =
      defaults::kDependencyFallbackSuccess;  // soft: fraction the fallback serves
  std::optional<sim::Duration> timeout;      // soft: calls give up after this
  int retry_attempts = 1;                    // tries per call (1: no retry); hard and soft only
  double retry_backoff = 0.0;                // seconds waited before each retry
  friend bool operator==(const EdgeRow&, const EdgeRow&) = default;
};

/// Where a component sits: one row per (component, zone, role).
struct Placement {
  Index component = 0;
  Index zone = 0;
  ZoneRole role = ZoneRole::service_replicas;
  int initial = 0;  // replicas there at t = 0 (datastores and caches: 1)
  friend bool operator==(const Placement&, const Placement&) = default;
};

struct ServiceRow {
  Index component = 0;
  int replicas = 1;      // at t = 0
  int max_replicas = 1;  // slots: max(replicas, autoscale max, runbook scaleUp targets)
  double capacity_per_replica = 0.0;  // requests/s
  Demand demand;                      // requests/s with the daily profile
  bool topology_spread = defaults::kServiceTopologySpread;
  LoadBalancing load_balancing = LoadBalancing::cross_zone;
  int zone_room = 0;  // 0: unlimited
  sim::Duration health_check_delay = defaults::kServiceHealthCheckDelay;
  sim::Distribution restart = defaults::fixed(defaults::kServiceRestart);  // seconds
  std::optional<sim::Distribution> latency;                                // seconds
  std::optional<Autoscale> autoscale;  // min_replicas resolved (never 0)
  Index replica_begin = 0;  // slots [replica_begin, replica_begin + max_replicas) of replica_*
  Index runbook = kNoIndex;
  Index owner = kNoIndex;    // the team that owns it
  Index deploys = kNoIndex;  // into deploys
  friend bool operator==(const ServiceRow&, const ServiceRow&) = default;
};

struct DeployRow {
  Index service = 0;
  double rate = 0.0;  // per second
  bool business_hours_only = false;
  double change_failure_rate = defaults::kDeploysChangeFailureRate;
  BadDeploy bad_deploy;
  sim::Distribution rollback = defaults::fixed(defaults::kDeploysRollback);
  std::uint64_t stream = 0;
  friend bool operator==(const DeployRow&, const DeployRow&) = default;
};

struct DatastoreRow {
  Index component = 0;
  Index primary_zone = kNoIndex;
  double capacity = defaults::kDatastoreCapacity;  // requests/s; 0 = unlimited
  std::optional<sim::Distribution> latency;
  bool automatic_failover = defaults::kDatastoreFailoverAutomatic;
  sim::Duration failover_detect = defaults::kDatastoreFailoverDetect;
  sim::Distribution failover_duration = defaults::fixed(defaults::kDatastoreFailoverDuration);
  sim::Duration connection_errors = defaults::kDatastoreFailoverConnectionErrors;
  std::uint64_t failover_stream = 0;
  double connection_error_rate =
      defaults::kDatastoreFailoverConnectionErrorRate;  // fraction failing during connection_errors
  friend bool operator==(const DatastoreRow&, const DatastoreRow&) = default;
};

struct CacheRow {
  Index component = 0;
  Index backing = 0;  // component
  double hit_ratio = 0.0;
  double capacity = defaults::kCacheCapacity;  // requests/s; 0 = unlimited
  sim::Distribution failover_duration = defaults::fixed(defaults::kCacheFailoverDuration);
  sim::Duration warm_up = defaults::kCacheFailoverWarmUp;
  std::uint64_t failover_stream = 0;
  friend bool operator==(const CacheRow&, const CacheRow&) = default;
};

/// A random failure process. Replica crashes run once per replica slot, each
/// slot with its own stream; the others once per owner.
struct FailureRow {
  FailureType type = FailureType::replica_crash;
  Index owner = 0;  // component, or zone for zone outages
  sim::Distribution every = sim::Distribution::exponential(30.0 * 86400.0);
  std::optional<sim::Distribution> duration;
  IndexRange streams;  // into failure_streams (replica crashes: one per slot)
  friend bool operator==(const FailureRow&, const FailureRow&) = default;
};

// ---------------------------------------------------------------- SLOs, alerts, people

struct SloRow {
  Index component = 0;  // the service
  SliKind sli = SliKind::availability;
  double objective = 0.999;
  std::optional<sim::Duration> threshold;
  SloWindowKind window_kind = SloWindowKind::rolling;
  sim::Duration window = defaults::kSloWindow;
  friend bool operator==(const SloRow&, const SloRow&) = default;
};

struct BudgetTierRow {
  std::optional<double> remaining_above;
  BudgetAction action = BudgetAction::ship;
  friend bool operator==(const BudgetTierRow&, const BudgetTierRow&) = default;
};

struct BurnWindowRow {
  AlertRoute route = AlertRoute::page;
  double factor = 14.4;
  sim::Duration long_window = sim::Duration::hours(1);
  sim::Duration short_window = sim::Duration::minutes(5);
  friend bool operator==(const BurnWindowRow&, const BurnWindowRow&) = default;
};

struct ConditionRow {
  ConditionMetric metric = ConditionMetric::error_rate;
  double above = 0.0;
  double percentile = defaults::kLatencyBoundPercentile;
  friend bool operator==(const ConditionRow&, const ConditionRow&) = default;
};

struct AlertRow {
  AlertKind kind = AlertKind::burn_rate;
  sim::Duration evaluation_interval = defaults::kAlertEvaluationInterval;
  Index slo = kNoIndex;        // burn-rate alerts
  IndexRange burn_windows;     // into burn_windows
  Index component = kNoIndex;  // the service watched (burn rate: the SLO's service)
  ConditionRow condition;      // threshold alerts
  sim::Duration for_duration = defaults::kAlertFor;
  AlertRoute route = AlertRoute::page;
  Index team = kNoIndex;  // who is paged: the alert's team, else the service's owner
  friend bool operator==(const AlertRow&, const AlertRow&) = default;
};

struct EscalationRow {
  sim::Duration after = sim::Duration::minutes(15);
  EscalationTarget target = EscalationTarget::secondary;
  Index team = kNoIndex;  // target == team
  friend bool operator==(const EscalationRow&, const EscalationRow&) = default;
};

struct TeamRow {
  int members = defaults::kTeamMembers;
  Rotation rotation;
  bool secondary = defaults::kTeamSecondary;
  ByHours ack;
  std::optional<ByHours> respond;
  IndexRange escalation;  // into escalations
  int escalation_loops = defaults::kTeamEscalationLoops;
  IndexRange owns;  // into owned_components
  std::uint64_t ack_stream = 0;
  std::uint64_t respond_stream = 0;
  friend bool operator==(const TeamRow&, const TeamRow&) = default;
};

struct RunbookStepRow {
  RunbookAction action = RunbookAction::restart;
  StepCondition condition;
  sim::Distribution duration = sim::Distribution::fixed(180.0);
  double success = defaults::kRunbookStepSuccess;
  int to = 0;               // scale_up
  Index target = kNoIndex;  // failover: component; drain_zone: zone (kNoIndex: the failed zone)
  std::uint64_t stream = 0;
  friend bool operator==(const RunbookStepRow&, const RunbookStepRow&) = default;
};

struct RunbookRow {
  Index component = 0;  // the service
  sim::Distribution diagnose = defaults::fixed(defaults::kRunbookDiagnose);
  IndexRange steps;  // into runbook_steps, in the order they are tried
  sim::Duration confirm_stable = defaults::kRunbookConfirmStable;
  std::uint64_t diagnose_stream = 0;
  friend bool operator==(const RunbookRow&, const RunbookRow&) = default;
};

struct SeverityRow {
  int level = 4;
  std::optional<ConditionRow> when;
  std::optional<sim::Duration> ack;
  bool ack_next_business_day = false;
  std::optional<sim::Duration> respond;
  friend bool operator==(const SeverityRow&, const SeverityRow&) = default;
};

// ---------------------------------------------------------------- faults

struct FaultRow {
  FaultKind kind = FaultKind::pod_kill;
  sim::Duration start = sim::Duration::zero();  // offset from t = 0
  std::optional<sim::Duration> duration;        // nullopt: until recovered
  std::optional<sim::Duration> interval;
  Index component = kNoIndex;  // target service, datastore or cache
  Index zone = kNoIndex;
  Index from = kNoIndex;  // network faults and dependency errors: the caller
  Index to = kNoIndex;    // network faults: the callee
  KillMode mode;
  sim::Duration latency = sim::Duration::zero();
  double loss = 0.0;
  double error_rate = 0.0;
  sim::Duration added_latency = defaults::kFaultAddedLatency;
  double fraction = 0.0;
  double factor = 1.0;
  std::uint64_t stream = 0;
  friend bool operator==(const FaultRow&, const FaultRow&) = default;
};

// ---------------------------------------------------------------- the model

struct StreamName {
  std::uint64_t id = 0;
  std::string name;
  friend bool operator==(const StreamName&, const StreamName&) = default;
};

/// Names for reports, indexed like the tables; never read on the hot path.
struct ModelNames {
  std::string system;
  std::string scenario;  // or the game day
  std::vector<std::string> components, zones, slos, alerts, teams, runbooks, faults;
  std::vector<StreamName> streams;  // every stream the model uses, in compile order

  /// The name of stream `id`, or nullptr when the model has no such stream.
  const std::string* stream(std::uint64_t id) const;
  friend bool operator==(const ModelNames&, const ModelNames&) = default;
};

struct CompiledModel {
  sim::Duration horizon = defaults::kScenarioHorizon;
  std::uint64_t seed = defaults::kScenarioSeed;
  std::int64_t trials = defaults::kScenarioTrials;
  bool random_failures = defaults::kScenarioRandomFailures;
  bool random_deploys = defaults::kScenarioRandomDeploys;
  Calendar calendar;

  std::vector<ComponentRow> components;     // topological order
  std::vector<Index> edge_begin;            // CSR over edges, size components + 1
  std::vector<EdgeRow> edges;               // grouped by source
  bool has_retry = false;                   // some edge has retry_attempts > 1
  std::vector<Index> caller_begin;          // CSR over callers, size components + 1
  std::vector<Index> callers;               // edge indices, grouped by target
  std::vector<Index> placement_begin;       // CSR over placements, size components + 1
  std::vector<Placement> placements;        // grouped by component
  std::vector<Index> zone_placement_begin;  // CSR over zone_placements, size zones + 1
  std::vector<Index> zone_placements;       // placement indices, grouped by zone

  std::vector<ServiceRow> services;
  std::vector<Index> replica_zone;  // per replica slot: the zone round-robin placement gives it
  std::vector<std::uint64_t> restart_streams;  // per replica slot
  std::vector<DeployRow> deploys;
  std::vector<DatastoreRow> datastores;
  std::vector<CacheRow> caches;
  std::vector<FailureRow> failures;
  std::vector<std::uint64_t> failure_streams;

  std::vector<SloRow> slos;
  std::vector<BudgetTierRow> budget_policy;
  std::vector<AlertRow> alerts;
  std::vector<BurnWindowRow> burn_windows;
  std::vector<TeamRow> teams;
  std::vector<EscalationRow> escalations;
  std::vector<Index> owned_components;
  std::vector<RunbookRow> runbooks;
  std::vector<RunbookStepRow> runbook_steps;
  std::vector<SeverityRow> severity;

  std::vector<FaultRow> faults;  // by start time, then declaration order
  /// Game days: the candidate start offsets, sorted; the experiment is
  /// faults[0], compiled at the first of them. Empty for scenarios.
  std::vector<sim::Duration> candidate_starts;

  ModelNames names;

  /// Number of zones (as System::zones).
  std::size_t zone_count() const { return names.zones.size(); }
  /// Out-edges (callees) of component `c`.
  std::span<const EdgeRow> edges_of(Index c) const {
    return {edges.data() + edge_begin[c], edges.data() + edge_begin[c + 1]};
  }
  /// Edge indices into `edges` of the callers of component `c`.
  std::span<const Index> callers_of(Index c) const {
    return {callers.data() + caller_begin[c], callers.data() + caller_begin[c + 1]};
  }
  /// Placements of component `c`, in declaration order (datastores: primary first).
  std::span<const Placement> placements_of(Index c) const {
    return {placements.data() + placement_begin[c], placements.data() + placement_begin[c + 1]};
  }
  /// Placement indices of zone `z`, by component.
  std::span<const Index> placements_in(Index z) const {
    return {zone_placements.data() + zone_placement_begin[z],
            zone_placements.data() + zone_placement_begin[z + 1]};
  }
  /// The component index of the component named `name`; kNoIndex when absent (not for hot paths).
  Index find_component(std::string_view name) const;
  friend bool operator==(const CompiledModel&, const CompiledModel&) = default;
};

/// Replicas that round-robin placement puts at t = 0 in the `slot`-th of a
/// service's `zones` zones (replica r goes to slot r mod zones): ceil((replicas - slot) / zones).
int initial_replicas(int replicas, int zones, int slot);

/// Compiles a scenario on its system: builds the topology (cycle check),
/// runs the checks of models/model_checks.hpp, then fills the tables.
/// Throws InputError with every problem found.
CompiledModel compile(const System& system, const Scenario& scenario);

/// Compiles a game day: its experiment becomes faults[0] at the first
/// candidate start; the horizon reaches the last candidate start plus
/// `observe`. Throws InputError.
CompiledModel compile(const System& system, const GameDay& game_day);

/// The candidate start offsets of a game day, sorted and unique: explicit
/// `at` times plus the window stepped by `every` (business hours only if
/// asked). Throws InputError for a time before the calendar start.
std::vector<sim::Duration> candidate_start_offsets(const System& system, const GameDay& game_day);

}  // namespace relsim::models
