// The immutable description of a system, as the loader builds it from a
// `kind: System` document: calendar, zones, services, datastores, caches,
// their dependencies, SLOs and the error-budget policy, alert rules, on-call
// teams, runbooks and severity rules.
//
// Plain structs with names and strings (no yaml-cpp types, no indices):
// references between entities are `NameRef`s that the loader has checked
// exist; later stages (the topology graph, the compile step) turn them into
// indices. Units: durations are `sim::Duration`; distributions are
// `sim::Distribution` over seconds; fractions and probabilities are doubles in
// [0, 1]; rates are events per second; capacities and demand are requests per
// second. Every entity keeps the `SourceLocation` of its definition.
// Built once by the loader, then only read; thread-safe as values are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/calendar.hpp"
#include "models/key_defaults.hpp"
#include "models/source_location.hpp"
#include "sim/distribution.hpp"
#include "sim/time.hpp"

namespace relsim::models {

// ---------------------------------------------------------------- failures

enum class FailureType : std::uint8_t {
  replica_crash,    // services: one replica dies; it restarts after `restart`
  zone_outage,      // zones: the whole zone is down for `duration`
  primary_failure,  // datastores: the primary dies; failover follows
  node_failure,     // caches: a cache node dies; cache failover follows
};

/// A random failure process: events arrive with inter-arrival times drawn
/// from `every` (per replica for replica crashes, per entity otherwise).
struct FailureProcess {
  FailureType type = FailureType::replica_crash;
  sim::Distribution every = sim::Distribution::exponential(30.0 * 86400.0);
  std::optional<sim::Distribution> duration;  // outage length (zone outages); else recovery model
  SourceLocation location;
  friend bool operator==(const FailureProcess&, const FailureProcess&) = default;
};

// ---------------------------------------------------------------- topology

struct Zone {
  std::string name;
  std::string region;                    // optional, informational
  std::vector<FailureProcess> failures;  // zone_outage only
  SourceLocation location;
  friend bool operator==(const Zone&, const Zone&) = default;
};

/// Daily demand profile: piecewise linear between the trough and the peak
/// (local time of day), as factors of `base`.
struct DailyProfile {
  sim::Duration peak = sim::Duration::hours(14);
  double peak_factor = 1.0;
  sim::Duration trough = sim::Duration::hours(4);
  double trough_factor = 1.0;
  friend bool operator==(const DailyProfile&, const DailyProfile&) = default;
};

struct Demand {
  double base = defaults::kServiceDemand;                  // requests/s
  std::optional<DailyProfile> daily;                       // none: flat
  double weekend_factor = defaults::kDemandWeekendFactor;  // multiplies demand on Sat/Sun
  friend bool operator==(const Demand&, const Demand&) = default;
};

struct Autoscale {
  int min_replicas = 0;  // 0: the service's `replicas`
  int max_replicas = 0;
  double target_utilization = defaults::kAutoscaleTargetUtilization;  // fraction
  sim::Duration reaction_time = defaults::kAutoscaleReactionTime;     // metric delay + scheduling
  friend bool operator==(const Autoscale&, const Autoscale&) = default;
};

enum class DeployWindow : std::uint8_t { always, business_hours };

struct BadDeploy {
  double error_rate = defaults::kBadDeployErrorRate;               // fraction of requests failing
  sim::Duration added_latency = defaults::kBadDeployAddedLatency;  // added to every request
  bool detects_itself = defaults::kBadDeployDetectsItself;         // automated rollback (canary)
  friend bool operator==(const BadDeploy&, const BadDeploy&) = default;
};

struct Deploys {
  double rate = 0.0;  // deployments per second
  DeployWindow during = DeployWindow::always;
  double change_failure_rate =
      defaults::kDeploysChangeFailureRate;  // fraction of deploys that are bad
  BadDeploy bad_deploy;
  sim::Distribution rollback = defaults::fixed(defaults::kDeploysRollback);
  SourceLocation location;
  friend bool operator==(const Deploys&, const Deploys&) = default;
};

enum class DependencyType : std::uint8_t {
  hard,   // the caller fails when the callee fails
  soft,   // the caller falls back (fallback_success of requests still succeed)
  cache,  // hits are served by the cache; misses go to the cache's backing store
};

enum class ComponentKind : std::uint8_t { service, datastore, cache };

struct Dependency {
  ComponentKind target_kind = ComponentKind::service;
  NameRef target;  // a service, datastore or cache, per target_kind
  DependencyType type = DependencyType::hard;
  std::optional<sim::Duration> timeout;  // soft: calls give up after this
  std::string fallback;                  // soft: what the fallback is (free text)
  double fallback_success =
      defaults::kDependencyFallbackSuccess;  // soft: fraction the fallback serves
  double call_fraction =
      defaults::kDependencyCallFraction;  // fraction of the caller's requests that call it
  int retry_attempts = 1;  // hard/soft: tries per call, the first included (1: no retry)
  sim::Duration retry_backoff = sim::Duration::zero();  // wait before each retry
  SourceLocation location;
  friend bool operator==(const Dependency&, const Dependency&) = default;
};

/// How a service's load balancer spreads requests over its zones.
enum class LoadBalancing : std::uint8_t {
  cross_zone,  // every routed replica gets an equal share (kube-proxy, ALB)
  zone_local,  // every routable zone gets an equal share, split in the zone
};

struct Service {
  std::string name;
  int replicas = 1;
  std::vector<NameRef> zones;  // never empty after loading
  bool topology_spread =
      defaults::kServiceTopologySpread;  // false: rescheduled pods may pile into one zone
  LoadBalancing load_balancing = LoadBalancing::cross_zone;
  int zone_room = 0;                  // replicas a zone runs at full speed (0: unlimited)
  double capacity_per_replica = 0.0;  // requests/s
  Demand demand;
  std::optional<sim::Distribution> latency;  // own latency per request, seconds
  sim::Distribution restart =
      defaults::fixed(defaults::kServiceRestart);  // replacement ready after
  sim::Duration health_check_delay =
      defaults::kServiceHealthCheckDelay;  // LB notices a dead replica/zone
  std::optional<Autoscale> autoscale;
  std::vector<FailureProcess> failures;  // replica_crash
  std::optional<Deploys> deploys;
  std::vector<Dependency> depends_on;
  SourceLocation location;
  friend bool operator==(const Service&, const Service&) = default;
};

struct DatastoreFailover {
  bool automatic = defaults::kDatastoreFailoverAutomatic;
  sim::Duration detect = defaults::kDatastoreFailoverDetect;
  sim::Distribution duration = defaults::fixed(defaults::kDatastoreFailoverDuration);
  sim::Duration connection_errors =
      defaults::kDatastoreFailoverConnectionErrors;  // after promotion
  double connection_error_rate =
      defaults::kDatastoreFailoverConnectionErrorRate;  // fraction failing during connection_errors
  friend bool operator==(const DatastoreFailover&, const DatastoreFailover&) = default;
};

struct Datastore {
  std::string name;
  NameRef primary_zone;
  std::vector<NameRef> replica_zones;
  double capacity = defaults::kDatastoreCapacity;  // requests/s before saturation; 0 = unlimited
  std::optional<sim::Distribution> latency;
  DatastoreFailover failover;
  std::vector<FailureProcess> failures;  // primary_failure
  SourceLocation location;
  friend bool operator==(const Datastore&, const Datastore&) = default;
};

struct CacheFailover {
  sim::Distribution duration = defaults::fixed(defaults::kCacheFailoverDuration);
  sim::Duration warm_up =
      defaults::kCacheFailoverWarmUp;  // hit ratio climbs back linearly over this
  friend bool operator==(const CacheFailover&, const CacheFailover&) = default;
};

struct Cache {
  std::string name;
  double hit_ratio = 0.0;  // fraction
  ComponentKind backing_kind = ComponentKind::datastore;
  NameRef backing;  // a datastore or a service
  std::vector<NameRef> zones;
  double capacity = defaults::kCacheCapacity;  // requests/s; 0 = unlimited
  CacheFailover failover;
  std::vector<FailureProcess> failures;  // node_failure
  SourceLocation location;
  friend bool operator==(const Cache&, const Cache&) = default;
};

// ---------------------------------------------------------------- SLOs

enum class SliKind : std::uint8_t { availability, latency };
enum class SloWindowKind : std::uint8_t { rolling, calendar_month };

struct Slo {
  std::string name;
  NameRef service;
  SliKind sli = SliKind::availability;
  double objective = 0.999;                // fraction in (0, 1)
  std::optional<sim::Duration> threshold;  // latency SLIs: a request is good when faster
  SloWindowKind window_kind = SloWindowKind::rolling;
  sim::Duration window = defaults::kSloWindow;  // rolling window length
  SourceLocation location;
  friend bool operator==(const Slo&, const Slo&) = default;
};

enum class BudgetAction : std::uint8_t { ship, freeze, all_hands, leadership_review };

/// A tier applies while the remaining budget fraction is above `remaining_above`
/// (tiers sorted from the highest threshold down); the last tier has no
/// threshold (budget exhausted).
struct BudgetTier {
  std::optional<double> remaining_above;  // fraction; nullopt: the exhausted tier
  BudgetAction action = BudgetAction::ship;
  SourceLocation location;
  friend bool operator==(const BudgetTier&, const BudgetTier&) = default;
};

/// The reference text's policy: > 50 % ship, 25–50 % freeze, 0-25 % all hands,
/// exhausted: leadership review.
std::vector<BudgetTier> default_budget_policy();

// ---------------------------------------------------------------- alerts

enum class AlertKind : std::uint8_t { burn_rate, threshold };
enum class AlertRoute : std::uint8_t { page, ticket };

struct BurnWindow {
  AlertRoute severity = AlertRoute::page;
  double factor = 14.4;  // burn-rate multiple of the sustainable rate
  sim::Duration long_window = sim::Duration::hours(1);
  sim::Duration short_window = sim::Duration::minutes(5);
  SourceLocation location;
  friend bool operator==(const BurnWindow&, const BurnWindow&) = default;
};

/// The SRE workbook's windows: page 14.4x 1h/5m and 6x 6h/30m; ticket 3x
/// 1d/2h and 1x 3d/6h.
std::vector<BurnWindow> sre_workbook_burn_windows();

enum class ConditionMetric : std::uint8_t {
  error_rate,      // fraction of requests failing
  latency,         // a latency percentile (seconds)
  users_affected,  // fraction of demand not served well
};

/// `{errorRate: {above: 5%}}` or `{latency: {above: 500ms, percentile: 99%}}`.
struct Condition {
  ConditionMetric metric = ConditionMetric::error_rate;
  double above = 0.0;                                     // fraction, or seconds for latency
  double percentile = defaults::kLatencyBoundPercentile;  // latency only
  SourceLocation location;
  friend bool operator==(const Condition&, const Condition&) = default;
};

struct Alert {
  std::string name;
  AlertKind kind = AlertKind::burn_rate;
  sim::Duration evaluation_interval = defaults::kAlertEvaluationInterval;
  // burn_rate
  NameRef slo;
  std::vector<BurnWindow> burn_windows;
  // threshold
  NameRef service;
  Condition condition;
  sim::Duration for_duration = defaults::kAlertFor;
  AlertRoute route = AlertRoute::page;
  NameRef team;  // optional: page this team instead of the service's owner
  SourceLocation location;
  friend bool operator==(const Alert&, const Alert&) = default;
};

// ---------------------------------------------------------------- people

struct Rotation {
  sim::Duration length = defaults::kRotationLength;
  Weekday handoff_day = Weekday::mon;
  sim::Duration handoff_time = sim::Duration::hours(10);  // local time of day
  friend bool operator==(const Rotation&, const Rotation&) = default;
};

/// A duration distribution that depends on the time of day.
struct ByHours {
  sim::Distribution business_hours = sim::Distribution::fixed(120.0);
  sim::Distribution off_hours = sim::Distribution::fixed(360.0);
  friend bool operator==(const ByHours&, const ByHours&) = default;
};

enum class EscalationTarget : std::uint8_t { secondary, team };

struct EscalationStep {
  sim::Duration after = sim::Duration::minutes(15);  // since the page, if not acked
  EscalationTarget target = EscalationTarget::secondary;
  NameRef team;  // target == team
  SourceLocation location;
  friend bool operator==(const EscalationStep&, const EscalationStep&) = default;
};

struct Team {
  std::string name;
  int members = defaults::kTeamMembers;
  Rotation rotation;
  bool secondary = defaults::kTeamSecondary;
  ByHours ack;                     // page -> ack
  std::optional<ByHours> respond;  // ack -> working on it (default: immediately)
  std::vector<EscalationStep> escalation;
  int escalation_loops =
      defaults::kTeamEscalationLoops;  // PagerDuty num_loops: repeat the policy this many times
  std::vector<NameRef> owns;           // services
  SourceLocation location;
  friend bool operator==(const Team&, const Team&) = default;
};

enum class RunbookAction : std::uint8_t { rollback, restart, scale_up, failover, drain_zone };

/// When a step applies. `always`, or `deployedWithin <duration>`.
struct StepCondition {
  enum class Kind : std::uint8_t { always, deployed_within };
  Kind kind = Kind::always;
  sim::Duration within = sim::Duration::zero();
  friend bool operator==(const StepCondition&, const StepCondition&) = default;
};

struct RunbookStep {
  RunbookAction action = RunbookAction::restart;
  StepCondition condition;
  sim::Distribution duration = sim::Distribution::fixed(180.0);
  double success = defaults::kRunbookStepSuccess;        // probability the step mitigates
  int to = 0;                                            // scale_up: target replica count
  ComponentKind target_kind = ComponentKind::datastore;  // failover: datastore or cache
  NameRef target;  // failover: datastore/cache; drain_zone: zone (empty: the failed zone)
  SourceLocation location;
  friend bool operator==(const RunbookStep&, const RunbookStep&) = default;
};

struct Runbook {
  std::string name;             // defaults to the service name
  NameRef service;              // `for:`
  std::vector<NameRef> alerts;  // alerts whose pages this runbook answers (empty: any)
  sim::Distribution diagnose = defaults::fixed(defaults::kRunbookDiagnose);
  std::vector<RunbookStep> steps;
  sim::Duration confirm_stable = defaults::kRunbookConfirmStable;
  SourceLocation location;
  friend bool operator==(const Runbook&, const Runbook&) = default;
};

struct SeverityRule {
  int level = 4;                     // SEV-<level>, 1 (critical) .. 4 (low)
  std::optional<Condition> when;     // none: the catch-all rule
  std::optional<sim::Duration> ack;  // target; nullopt with ack_next_business_day
  bool ack_next_business_day = false;
  std::optional<sim::Duration> respond;
  SourceLocation location;
  friend bool operator==(const SeverityRule&, const SeverityRule&) = default;
};

/// The reference text's table: SEV-1 (> 50 % errors) 5m/15m, SEV-2 (> 10 %)
/// 15m/30m, SEV-3 (> 1 %) 1h/4h, SEV-4 next business day.
std::vector<SeverityRule> default_severity_rules();

// ---------------------------------------------------------------- System

struct System {
  std::string name;
  std::string description;
  Calendar calendar;
  std::vector<Zone> zones;
  std::vector<Service> services;
  std::vector<Datastore> datastores;
  std::vector<Cache> caches;
  std::vector<Slo> slos;
  std::vector<BudgetTier> budget_policy;  // default_budget_policy() when not given
  std::vector<Alert> alerts;
  std::vector<Team> teams;
  std::vector<Runbook> runbooks;
  std::vector<SeverityRule> severity;  // default_severity_rules() when not given
  SourceLocation location;             // of the document

  /// Lookups by name; nullptr when absent.
  const Zone* find_zone(std::string_view n) const;
  const Service* find_service(std::string_view n) const;
  const Datastore* find_datastore(std::string_view n) const;
  const Cache* find_cache(std::string_view n) const;
  const Slo* find_slo(std::string_view n) const;
  const Alert* find_alert(std::string_view n) const;
  const Team* find_team(std::string_view n) const;
  friend bool operator==(const System&, const System&) = default;
};

/// camelCase names as written in the files (`replicaCrash`, `allHands`, ...).
const char* to_string(FailureType v);
const char* to_string(DependencyType v);
const char* to_string(ComponentKind v);
const char* to_string(SliKind v);
const char* to_string(BudgetAction v);
const char* to_string(AlertRoute v);
const char* to_string(ConditionMetric v);
const char* to_string(RunbookAction v);

}  // namespace relsim::models
