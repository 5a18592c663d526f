// The key registry: every object and key the loader accepts. Keep the table
// in file order; the loader asserts each key it reads is listed here.
#include "models/schema_keys.hpp"

#include <cstdio>
#include <deque>
#include <string>

#include "models/game_day.hpp"
#include "models/key_defaults.hpp"

namespace relsim::models {

namespace {

// ---- default texts, printed from the typed defaults of models/key_defaults.hpp

/// Keeps a default text for the program's life (KeySpec holds string_views).
/// Only called while the table is built, once, under the static's guard.
std::string_view keep(std::string text) {
  static std::deque<std::string> texts;
  return texts.emplace_back(std::move(text));
}

std::string shortest(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

/// `0s`, `100ms`, `30s`, `1m`, `1h`, `30d`, `1w`: the largest unit that divides it.
std::string_view duration_text(sim::Duration d) {
  const std::int64_t us = d.count_micros();
  if (us == 0) return "0s";
  static constexpr std::pair<std::int64_t, const char*> kUnits[] = {
      {604'800'000'000, "w"}, {86'400'000'000, "d"}, {3'600'000'000, "h"},
      {60'000'000, "m"},      {1'000'000, "s"},      {1'000, "ms"}};
  for (const auto& [size, unit] : kUnits) {
    if (us % size == 0) return keep(std::to_string(us / size) + unit);
  }
  return keep(std::to_string(us) + "us");
}

/// `99%`, `100%`, `0%`.
std::string_view percent_text(double fraction) { return keep(shortest(fraction * 100.0) + "%"); }
std::string_view number_text(double v) { return keep(shortest(v)); }
std::string_view integer_text(std::int64_t v) { return keep(std::to_string(v)); }
std::string_view integer_text(std::uint64_t v) { return keep(std::to_string(v)); }
std::string_view integer_text(int v) { return keep(std::to_string(v)); }
std::string_view boolean_text(bool v) { return v ? "true" : "false"; }

#define RELSIM_METRICS                                                                     \
  "enum(capacityRestored,trafficShift,failoverTime,errorRate,peakErrorRate,meanErrorRate," \
  "latencyP99,latencyPercentile,firstPage,ackTime,budgetConsumed,requestsFailed,usersAffected)"
#define RELSIM_FAULTS                                                                 \
  "enum(podKill,zoneOutage,nodeDrain,datastoreFailover,cacheFailover,networkLatency," \
  "networkLoss,networkPartition,dependencyErrors,capacityLoss,loadSpike,badDeploy)"
#define RELSIM_COMPONENT "ref(Service,Datastore,Cache)"

const std::vector<ObjectSpec> kObjects = {
    {"SystemDocument", "System", "a system: topology, SLOs, alerts, people"},
    {"ScenarioDocument", "Scenario", "a run: system, horizon, trials, injected faults"},
    {"GameDayDocument", "GameDay", "a planned chaos experiment"},
    {"AlertRulesDocument", "AlertRules", "a named rule set for `relsim alerts --rules`"},
    {"AlertRulesSpec", "AlertRules.spec", "the rule set"},
    {"Metadata", "*.metadata", "the document's name and description"},
    {"SystemSpec", "System.spec", "the system"},
    {"Calendar", "System.spec.calendar", "the clock of every trial"},
    {"BusinessHours", "System.spec.calendar.businessHours", "local business hours"},
    {"Zone", "System.spec.zones[]", "a failure domain (a plain name is also accepted)"},
    {"Service", "System.spec.services[]", "a replicated service"},
    {"Demand", "System.spec.services[].demand", "external demand (a bare number = base)"},
    {"DailyProfile", "System.spec.services[].demand.daily", "piecewise-linear daily profile"},
    {"Autoscale", "System.spec.services[].autoscale", "horizontal autoscaling"},
    {"Failure", "System.spec.{zones,services,datastores,caches}[].failures[]",
     "a random failure process"},
    {"Deploys", "System.spec.services[].deploys", "deployments and bad deploys"},
    {"BadDeploy", "System.spec.services[].deploys.badDeploy", "what a bad deploy does"},
    {"Dependency", "System.spec.services[].dependsOn[]",
     "a call to a service, datastore or cache (exactly one of service, datastore, cache)"},
    {"Retry", "System.spec.services[].dependsOn[].retry",
     "client retry: every failed call is tried again, up to attempts in all"},
    {"Datastore", "System.spec.datastores[]", "a database with a primary and replicas"},
    {"DatastoreFailover", "System.spec.datastores[].failover", "primary failover"},
    {"Cache", "System.spec.caches[]", "a cache in front of a backing store"},
    {"CacheFailover", "System.spec.caches[].failover", "cache node failover"},
    {"Slo", "System.spec.slos[]", "a service level objective"},
    {"BudgetTier", "System.spec.budgetPolicy[]", "an error-budget policy tier"},
    {"Alert", "System.spec.alerts[]",
     "a burn-rate alert (slo) or a threshold alert (service + condition)"},
    {"BurnWindow", "System.spec.alerts[].burnRate[]", "one multiwindow burn-rate rule"},
    {"Condition", "System.spec.alerts[].condition, System.spec.severity[].when",
     "a condition on a service's requests (one_of)", true},
    {"Bound", "Condition.errorRate, Condition.usersAffected", "an upper bound on a fraction"},
    {"LatencyBound", "Condition.latency", "an upper bound on a latency percentile"},
    {"Team", "System.spec.teams[]", "an on-call team"},
    {"Rotation", "System.spec.teams[].rotation", "the on-call rotation"},
    {"ByHours", "System.spec.teams[].ack, System.spec.teams[].respond",
     "a time distribution for business hours and off hours (a bare distribution = both)"},
    {"EscalationStep", "System.spec.teams[].escalation[]", "escalate when not acknowledged"},
    {"Runbook", "System.spec.runbooks[]", "diagnosis and mitigation steps for a service"},
    {"RunbookStep", "System.spec.runbooks[].steps[]", "a mitigation step, tried in order"},
    {"SeverityRule", "System.spec.severity[]", "impact -> severity with response targets"},
    {"ScenarioSpec", "Scenario.spec", "the run"},
    {"StoppingRule", "Scenario.spec.trials", "run until a confidence interval is narrow"},
    {"StoppingTarget", "Scenario.spec.trials.until", "the metric and the half width"},
    {"Fault", "Scenario.spec.inject[]", "an injected fault"},
    {"FaultTarget", "Scenario.spec.inject[].target, GameDay.spec.experiment.target",
     "what a fault hits (the same keys may also be given next to `fault`)"},
    {"KillMode", "Scenario.spec.inject[].mode, GameDay.spec.experiment.mode",
     "pod-kill blast radius (one_of; or the strings `one`, `all`)", true},
    {"GameDaySpec", "GameDay.spec", "the planned experiment"},
    {"Experiment", "GameDay.spec.experiment", "the fault to inject (as Fault, without `at`)"},
    {"CandidateWindow", "GameDay.spec.candidateStarts",
     "start times to compare (or one timeSpec, or a list of them)"},
    {"SteadyState", "GameDay.spec.steadyState", "metric -> bound that must hold before"},
    {"MetricBound", "GameDay.spec.steadyState.*", "bounds on a metric"},
    {"Hypothesis", "GameDay.spec.hypotheses[]", "what the team expects"},
    {"StopCondition", "GameDay.spec.stopConditions[]", "abort the experiment when"},
    {"GameDayBudget", "GameDay.spec.budget", "the error budget left"},
    {"Distribution", "(any distribution-valued key)",
     "a probability distribution of durations (one_of; a bare duration = fixed)", true},
    {"Exponential", "Distribution.exponential", "exponential"},
    {"Weibull", "Distribution.weibull", "Weibull"},
    {"Lognormal", "Distribution.lognormal",
     "lognormal: median with one of p90/p95/p99, or mu and sigma"},
    {"Uniform", "Distribution.uniform", "uniform on [min, max)"},
    {"Gamma", "Distribution.gamma", "gamma"},
    {"Normal", "Distribution.normal", "normal"},
    {"Erlang", "Distribution.erlang", "Erlang: sum of k exponentials"},
    {"Empirical", "Distribution.empirical",
     "observed values (a bare list = values), or a column of a data file"},
};

std::vector<KeySpec> make_keys() {
  using namespace defaults;  // NOLINT(google-build-using-namespace): the k* default constants
  std::vector<KeySpec> k = {
      // Envelopes.
      {"SystemDocument", "apiVersion", "enum(relsim/v1alpha1)", true, "", "the API version"},
      {"SystemDocument", "kind", "enum(System)", true, "", "the document kind"},
      {"SystemDocument", "metadata", "Metadata", true, "", "name and description"},
      {"SystemDocument", "spec", "SystemSpec", true, "", "the system"},
      {"ScenarioDocument", "apiVersion", "enum(relsim/v1alpha1)", true, "", "the API version"},
      {"ScenarioDocument", "kind", "enum(Scenario)", true, "", "the document kind"},
      {"ScenarioDocument", "metadata", "Metadata", true, "", "name and description"},
      {"ScenarioDocument", "spec", "ScenarioSpec", true, "", "the run"},
      {"GameDayDocument", "apiVersion", "enum(relsim/v1alpha1)", true, "", "the API version"},
      {"GameDayDocument", "kind", "enum(GameDay)", true, "", "the document kind"},
      {"GameDayDocument", "metadata", "Metadata", true, "", "name and description"},
      {"GameDayDocument", "spec", "GameDaySpec", true, "", "the experiment"},
      {"AlertRulesDocument", "apiVersion", "enum(relsim/v1alpha1)", true, "", "the API version"},
      {"AlertRulesDocument", "kind", "enum(AlertRules)", true, "", "the document kind"},
      {"AlertRulesDocument", "metadata", "Metadata", true, "", "name and description"},
      {"AlertRulesDocument", "spec", "AlertRulesSpec", true, "", "the rule set"},
      {"AlertRulesSpec", "alerts", "[Alert]", true, "",
       "the rules, as in a System's alerts; they replace the system's alerts"},
      {"Metadata", "name", "string", true, "", "unique name of the document"},
      {"Metadata", "description", "string", false, "", "free text"},
      // System.
      {"SystemSpec", "calendar", "Calendar", false, "", "start instant and business hours"},
      {"SystemSpec", "zones", "[string | Zone]", true, "", "failure domains"},
      {"SystemSpec", "services", "[Service]", false, "", "services"},
      {"SystemSpec", "datastores", "[Datastore]", false, "", "datastores"},
      {"SystemSpec", "caches", "[Cache]", false, "", "caches"},
      {"SystemSpec", "slos", "[Slo]", false, "", "service level objectives"},
      {"SystemSpec", "budgetPolicy", "[BudgetTier]", false,
       "50% ship, 25% freeze, 0% allHands, null leadershipReview", "error-budget policy tiers"},
      {"SystemSpec", "alerts", "[Alert]", false, "", "alert rules"},
      {"SystemSpec", "teams", "[Team]", false, "", "on-call teams"},
      {"SystemSpec", "runbooks", "[Runbook]", false, "", "runbooks"},
      {"SystemSpec", "severity", "[SeverityRule]", false,
       "SEV-1 >50% 5m/15m, SEV-2 >10% 15m/30m, SEV-3 >1% 1h/4h, SEV-4 nextBusinessDay",
       "severity rules, most severe first"},
      {"Calendar", "start", "civilTime", false, "2026-01-05T00:00",
       "local date and time of t = 0 (2026-01-05 is a Monday)"},
      {"Calendar", "utcOffset", "utcOffset", false, "+00:00", "local time = UTC + offset"},
      {"Calendar", "businessHours", "BusinessHours", false, "Mon-Fri 09:00-18:00",
       "business hours (ack times, deploy windows)"},
      {"BusinessHours", "days", "weekdays", false, "Mon-Fri", "business days"},
      {"BusinessHours", "from", "timeOfDay", false, "09:00", "start of the day"},
      {"BusinessHours", "to", "timeOfDay", false, "18:00", "end of the day (exclusive)"},
      {"Zone", "name", "string", true, "", "unique zone name"},
      {"Zone", "region", "string", false, "", "region (informational)"},
      {"Zone", "failures", "[Failure]", false, "", "zone outages (type zoneOutage)"},
      {"Service", "name", "string", true, "", "unique name among services, datastores, caches"},
      {"Service", "replicas", "integer", true, "", "replicas (>= 1)"},
      {"Service", "zones", "[ref(Zone)]", true, "", "zones the replicas spread over (not empty)"},
      {"Service", "topologySpread", "boolean", false, boolean_text(kServiceTopologySpread),
       "false: rescheduled replicas may pile into one zone"},
      {"Service", "loadBalancing", "enum(crossZone,zoneLocal)", false, "crossZone",
       "crossZone: an equal share per routed replica; zoneLocal: an equal share per zone"},
      {"Service", "zoneRoom", "integer", false, "",
       "replicas one zone's nodes run at full speed; more share that capacity (none: unlimited)"},
      {"Service", "capacityPerReplica", "number", true, "", "requests/s one replica serves (> 0)"},
      {"Service", "demand", "number | Demand", false, number_text(kServiceDemand),
       "external demand in requests/s (callers add theirs)"},
      {"Service", "latency", "distribution", false, "", "own latency per request"},
      {"Service", "restart", "distribution", false, duration_text(kServiceRestart),
       "time until a replacement is ready"},
      {"Service", "healthCheckDelay", "duration", false, duration_text(kServiceHealthCheckDelay),
       "time until the load balancer stops sending traffic to a dead replica or zone"},
      {"Service", "autoscale", "Autoscale", false, "", "horizontal autoscaling (none: off)"},
      {"Service", "failures", "[Failure]", false, "", "replica crashes (type replicaCrash)"},
      {"Service", "deploys", "Deploys", false, "", "deployments (none: no deploys)"},
      {"Service", "dependsOn", "[Dependency]", false, "", "what it calls"},
      {"Demand", "base", "number", true, "", "requests/s (>= 0)"},
      {"Demand", "daily", "DailyProfile", false, "", "daily profile (none: flat)"},
      {"Demand", "weekendFactor", "number", false, number_text(kDemandWeekendFactor),
       "multiplier on Saturdays and Sundays"},
      {"DailyProfile", "peak", "timeOfDay", true, "", "local time of the peak"},
      {"DailyProfile", "peakFactor", "number", true, "", "demand at the peak / base"},
      {"DailyProfile", "trough", "timeOfDay", true, "", "local time of the trough"},
      {"DailyProfile", "troughFactor", "number", true, "", "demand at the trough / base"},
      {"Autoscale", "minReplicas", "integer", false, "replicas", "lower bound"},
      {"Autoscale", "maxReplicas", "integer", true, "", "upper bound (>= replicas)"},
      {"Autoscale", "targetUtilization", "fraction", false,
       percent_text(kAutoscaleTargetUtilization), "scale to keep below this"},
      {"Autoscale", "reactionTime", "duration", false, duration_text(kAutoscaleReactionTime),
       "metric delay and scheduling until new replicas serve"},
      {"Failure", "type", "enum(replicaCrash,zoneOutage,primaryFailure,nodeFailure)", false,
       "by owner: replicaCrash, zoneOutage, primaryFailure, nodeFailure", "what fails"},
      {"Failure", "every", "distribution", true, "", "time between failures (per replica)"},
      {"Failure", "duration", "distribution", false, "", "outage length (zone outages: required)"},
      {"Deploys", "rate", "rate", true, "", "deployments per unit of time"},
      {"Deploys", "during", "enum(always,businessHours)", false, "always", "when deploys happen"},
      {"Deploys", "changeFailureRate", "fraction", false, percent_text(kDeploysChangeFailureRate),
       "fraction of bad deploys"},
      {"Deploys", "badDeploy", "BadDeploy", false, "", "what a bad deploy does"},
      {"Deploys", "rollback", "distribution", false, duration_text(kDeploysRollback),
       "rollback duration"},
      {"BadDeploy", "errorRate", "fraction", false, percent_text(kBadDeployErrorRate),
       "fraction of requests failing"},
      {"BadDeploy", "addedLatency", "duration", false, duration_text(kBadDeployAddedLatency),
       "latency added to every request"},
      {"BadDeploy", "detectsItself", "boolean", false, boolean_text(kBadDeployDetectsItself),
       "true: automation (canary) rolls it back without people"},
      {"Dependency", "service", "ref(Service)", false, "", "the called service"},
      {"Dependency", "datastore", "ref(Datastore)", false, "", "the called datastore"},
      {"Dependency", "cache", "ref(Cache)", false, "", "the cache used"},
      {"Dependency", "type", "enum(hard,soft,cache)", false, "hard (cache for a cache)",
       "hard: caller fails with it; soft: caller falls back; cache: misses go to the backing"},
      {"Dependency", "timeout", "duration", false, "", "calls give up after this (soft)"},
      {"Dependency", "fallback", "string", false, "", "what the fallback is (soft)"},
      {"Dependency", "fallbackSuccess", "fraction", false, percent_text(kDependencyFallbackSuccess),
       "fraction of requests the fallback still serves (soft)"},
      {"Dependency", "callFraction", "fraction", false, percent_text(kDependencyCallFraction),
       "fraction of the caller's requests that make this call"},
      {"Dependency", "retry", "Retry", false, "", "client retry of failed calls (hard, soft)"},
      {"Retry", "attempts", "integer", true, "",
       "tries per call, the first included (1..10); a failure share e becomes e^attempts"},
      {"Retry", "backoff", "duration", false, duration_text(kRetryBackoff),
       "wait before each retry (adds latency)"},
      {"Datastore", "name", "string", true, "", "unique name among services, datastores, caches"},
      {"Datastore", "primaryZone", "ref(Zone)", true, "", "zone of the primary"},
      {"Datastore", "replicaZones", "[ref(Zone)]", false, "", "zones of the replicas"},
      {"Datastore", "capacity", "number", false, number_text(kDatastoreCapacity),
       "requests/s before saturation; 0 = unlimited"},
      {"Datastore", "latency", "distribution", false, "", "latency per request"},
      {"Datastore", "failover", "DatastoreFailover", false, "", "failover behaviour"},
      {"Datastore", "failures", "[Failure]", false, "", "primary failures (type primaryFailure)"},
      {"DatastoreFailover", "automatic", "boolean", false,
       boolean_text(kDatastoreFailoverAutomatic), "false: a person fails over (runbook step)"},
      {"DatastoreFailover", "detect", "duration", false, duration_text(kDatastoreFailoverDetect),
       "time to detect a dead primary"},
      {"DatastoreFailover", "duration", "distribution", false,
       duration_text(kDatastoreFailoverDuration), "promotion duration"},
      {"DatastoreFailover", "connectionErrors", "duration", false,
       duration_text(kDatastoreFailoverConnectionErrors), "connection errors after the promotion"},
      {"DatastoreFailover", "connectionErrorRate", "fraction", false,
       percent_text(kDatastoreFailoverConnectionErrorRate),
       "fraction of calls failing during connectionErrors (stale pooled connections)"},
      {"Cache", "name", "string", true, "", "unique name among services, datastores, caches"},
      {"Cache", "hitRatio", "fraction", true, "", "fraction of lookups served by the cache"},
      {"Cache", "backing", "ref(Datastore,Service)", true, "", "where misses go"},
      {"Cache", "zones", "[ref(Zone)]", true, "", "zones of the cache nodes"},
      {"Cache", "capacity", "number", false, number_text(kCacheCapacity),
       "requests/s; 0 = unlimited"},
      {"Cache", "failover", "CacheFailover", false, "", "failover behaviour"},
      {"Cache", "failures", "[Failure]", false, "", "node failures (type nodeFailure)"},
      {"CacheFailover", "duration", "distribution", false, duration_text(kCacheFailoverDuration),
       "failover duration"},
      {"CacheFailover", "warmUp", "duration", false, duration_text(kCacheFailoverWarmUp),
       "the hit ratio climbs back over this in 8 equal steps, each at the linear climb's "
       "value at its middle"},
      {"Slo", "name", "string", true, "", "unique SLO name"},
      {"Slo", "service", "ref(Service)", true, "", "the service measured"},
      {"Slo", "sli", "enum(availability,latency)", false, "availability", "what is measured"},
      {"Slo", "objective", "fraction", true, "", "target, below 100%"},
      {"Slo", "threshold", "duration", false, "", "latency SLIs: good when faster (required)"},
      {"Slo", "window", "duration | enum(calendarMonth)", false, duration_text(kSloWindow),
       "rolling window"},
      {"BudgetTier", "remainingAbove", "fraction | null", true, "",
       "applies while the remaining budget is above this; null: exhausted"},
      {"BudgetTier", "action", "enum(ship,freeze,allHands,leadershipReview)", true, "",
       "the policy"},
      {"Alert", "name", "string", true, "", "unique alert name"},
      {"Alert", "slo", "ref(Slo)", false, "", "burn-rate alerts: the SLO"},
      {"Alert", "burnRate", "enum(sreWorkbook) | [BurnWindow]", false, "sreWorkbook",
       "burn-rate windows (SLO alerts)"},
      {"Alert", "evaluationInterval", "duration", false, duration_text(kAlertEvaluationInterval),
       "rule evaluation interval"},
      {"Alert", "service", "ref(Service)", false, "", "threshold alerts: the service"},
      {"Alert", "condition", "Condition", false, "", "threshold alerts: the condition"},
      {"Alert", "for", "duration", false, duration_text(kAlertFor),
       "the condition must hold this long before it fires"},
      {"Alert", "route", "enum(page,ticket)", false, "page", "threshold alerts: page or ticket"},
      {"Alert", "team", "ref(Team)", false, "", "team paged (default: the owner)"},
      {"BurnWindow", "severity", "enum(page,ticket)", true, "", "page or ticket"},
      {"BurnWindow", "factor", "number", true, "", "burn rate multiple (> 0)"},
      {"BurnWindow", "longWindow", "duration", true, "", "long window"},
      {"BurnWindow", "shortWindow", "duration", false, "longWindow",
       "short window (< long); left out: a single window"},
      {"Condition", "errorRate", "Bound", false, "", "fraction of requests failing"},
      {"Condition", "latency", "LatencyBound", false, "", "a latency percentile"},
      {"Condition", "usersAffected", "Bound", false, "", "fraction of demand not served well"},
      {"Bound", "above", "fraction", true, "", "true when the value is above"},
      {"LatencyBound", "above", "duration", true, "", "true when the percentile is above"},
      {"LatencyBound", "percentile", "fraction", false, percent_text(kLatencyBoundPercentile),
       "which percentile"},
      {"Team", "name", "string", true, "", "unique team name"},
      {"Team", "members", "integer", false, integer_text(kTeamMembers), "people in the rotation"},
      {"Team", "rotation", "Rotation", false, "1w, Mon 10:00", "the rotation"},
      {"Team", "secondary", "boolean", false, boolean_text(kTeamSecondary),
       "a secondary on-call exists"},
      {"Team", "ack", "ByHours | distribution", true, "", "page -> acknowledgement"},
      {"Team", "respond", "ByHours | distribution", false, duration_text(kTeamRespond),
       "ack -> working on it"},
      {"Team", "escalation", "[EscalationStep]", false, "", "escalation policy"},
      {"Team", "escalationLoops", "integer", false, integer_text(kTeamEscalationLoops),
       "repeat the policy this many times"},
      {"Team", "owns", "[ref(Service)]", false, "", "services this team is paged for"},
      {"Rotation", "length", "duration", false, duration_text(kRotationLength), "shift length"},
      {"Rotation", "handoff", "weekTime", false, "Mon 10:00", "when shifts change"},
      {"ByHours", "businessHours", "distribution", true, "", "during business hours"},
      {"ByHours", "offHours", "distribution", true, "", "nights and weekends"},
      {"EscalationStep", "after", "duration", true, "", "since the page, if not acknowledged"},
      {"EscalationStep", "to", "enum(secondary) | ref(Team)", true, "", "who is paged next"},
      {"Runbook", "name", "string", false, "the service name", "runbook name"},
      {"Runbook", "for", "ref(Service)", true, "", "the service"},
      {"Runbook", "alerts", "[ref(Alert)]", false, "",
       "alerts whose pages this runbook answers (default: any alert of the service)"},
      {"Runbook", "diagnose", "distribution", false, duration_text(kRunbookDiagnose),
       "diagnosis time"},
      {"Runbook", "steps", "[RunbookStep]", true, "", "mitigations tried in order"},
      {"Runbook", "confirmStable", "duration", false, duration_text(kRunbookConfirmStable),
       "stable period before resolved"},
      {"RunbookStep", "action", "enum(rollback,restart,scaleUp,failover,drainZone)", true, "",
       "what the step does"},
      {"RunbookStep", "if", "string", false, "always", "`always` or `deployedWithin <duration>`"},
      {"RunbookStep", "duration", "distribution", true, "", "time the step takes"},
      {"RunbookStep", "success", "fraction", false, percent_text(kRunbookStepSuccess),
       "probability it mitigates"},
      {"RunbookStep", "to", "integer", false, "", "scaleUp: target replicas (required)"},
      {"RunbookStep", "target", "ref(Datastore,Cache) | ref(Zone)", false, "",
       "failover: datastore or cache (required); drainZone: zone (default: the failed one)"},
      {"SeverityRule", "level", "enum(SEV-1,SEV-2,SEV-3,SEV-4)", true, "", "severity"},
      {"SeverityRule", "when", "Condition", false, "", "impact (none: catch-all)"},
      {"SeverityRule", "ack", "duration | enum(nextBusinessDay)", false, "", "ack target"},
      {"SeverityRule", "respond", "duration", false, "", "response target"},
      // Scenario.
      {"ScenarioSpec", "system", "string", true, "",
       "a System's name in the same file, or a relative path to a system file"},
      {"ScenarioSpec", "horizon", "duration", false, duration_text(kScenarioHorizon),
       "simulated time per trial"},
      {"ScenarioSpec", "trials", "integer | StoppingRule", false, integer_text(kScenarioTrials),
       "number of trials"},
      {"ScenarioSpec", "seed", "integer", false, integer_text(kScenarioSeed), "master seed"},
      {"ScenarioSpec", "randomFailures", "boolean", false, boolean_text(kScenarioRandomFailures),
       "run the system's failure processes"},
      {"ScenarioSpec", "randomDeploys", "boolean", false, boolean_text(kScenarioRandomDeploys),
       "run the system's deploy processes"},
      {"ScenarioSpec", "inject", "[Fault]", false, "", "faults at fixed times"},
      {"ScenarioSpec", "overrides", "map(any)", false, "",
       "path: value overrides of the system, like --set"},
      {"StoppingRule", "until", "StoppingTarget", true, "", "stop when narrow enough"},
      {"StoppingRule", "minTrials", "integer", false, integer_text(kStoppingRuleMinTrials),
       "at least this many"},
      {"StoppingRule", "maxTrials", "integer", false, integer_text(kStoppingRuleMaxTrials),
       "at most this many"},
      {"StoppingTarget", "metric", "string", true, "", "the estimate (e.g. mttr)"},
      {"StoppingTarget", "relativeHalfWidth", "fraction", false, "",
       "95% CI half width relative to the estimate"},
      {"StoppingTarget", "absoluteHalfWidth", "number | duration", false, "",
       "95% CI half width in the metric's unit"},
  };
  // Fault and Experiment share their keys; only Fault has `name` and `at`.
  const std::vector<KeySpec> fault_keys = {
      {"", "fault", RELSIM_FAULTS, true, "", "the fault kind"},
      {"", "target", "FaultTarget", false, "", "what it hits"},
      {"", "service", "ref(Service)", false, "", "target service"},
      {"", "zone", "ref(Zone)", false, "", "target zone"},
      {"", "datastore", "ref(Datastore)", false, "", "target datastore"},
      {"", "cache", "ref(Cache)", false, "", "target cache"},
      {"", "from", RELSIM_COMPONENT, false, "", "network faults: caller side"},
      {"", "to", RELSIM_COMPONENT, false, "", "network faults: callee side"},
      {"", "mode", "enum(one,all) | KillMode", false, "one", "podKill/nodeDrain blast radius"},
      {"", "duration", "duration | enum(untilRecovered)", false, "untilRecovered",
       "how long the fault lasts (required for zoneOutage, network*, dependencyErrors, "
       "capacityLoss, loadSpike)"},
      {"", "interval", "duration", false, "", "podKill: repeat every interval during duration"},
      {"", "latency", "duration", false, "", "networkLatency: added per call"},
      {"", "loss", "fraction", false, "", "networkLoss: fraction of calls lost"},
      {"", "errorRate", "fraction", false, "", "dependencyErrors, badDeploy: fraction failing"},
      {"", "addedLatency", "duration", false, duration_text(kFaultAddedLatency),
       "badDeploy: latency added"},
      {"", "fraction", "fraction", false, "", "capacityLoss: fraction of capacity lost"},
      {"", "factor", "number", false, "", "loadSpike: multiplier on demand"},
  };
  k.push_back({"Fault", "name", "string", false, "<fault>@<at>", "label"});
  k.push_back({"Fault", "at", "timeSpec", true, "", "when (Tue 14:00, +36h, 2026-03-03T14:00)"});
  for (const char* object : {"Fault", "Experiment"}) {
    for (KeySpec s : fault_keys) {
      s.object = object;
      k.push_back(s);
    }
  }
  const std::vector<KeySpec> tail = {
      {"FaultTarget", "service", "ref(Service)", false, "", "target service"},
      {"FaultTarget", "zone", "ref(Zone)", false, "", "target zone"},
      {"FaultTarget", "datastore", "ref(Datastore)", false, "", "target datastore"},
      {"FaultTarget", "cache", "ref(Cache)", false, "", "target cache"},
      {"FaultTarget", "from", RELSIM_COMPONENT, false, "", "network faults: caller side"},
      {"FaultTarget", "to", RELSIM_COMPONENT, false, "", "network faults: callee side"},
      {"KillMode", "fixed", "integer", false, "", "kill this many replicas"},
      {"KillMode", "fixedPercent", "fraction", false, "", "kill this fraction (rounded up)"},
      {"KillMode", "randomMaxPercent", "fraction", false, "", "a random fraction up to this"},
      // GameDay.
      {"GameDaySpec", "system", "string", true, "",
       "a System's name in the same file, or a relative path to a system file"},
      {"GameDaySpec", "experiment", "Experiment", true, "", "the fault"},
      {"GameDaySpec", "candidateStarts", "timeSpec | [timeSpec] | CandidateWindow", true, "",
       "start times to compare"},
      {"GameDaySpec", "steadyState", "SteadyState", false, "", "must hold before the start"},
      {"GameDaySpec", "hypotheses", "[Hypothesis]", false, "", "what the team expects"},
      {"GameDaySpec", "stopConditions", "[StopCondition]", false, "", "abort conditions"},
      {"GameDaySpec", "budget", "GameDayBudget", false, "100% left", "the error budget left"},
      {"GameDaySpec", "observe", "duration", false, duration_text(kGameDayObserve),
       "metrics window after the start"},
      {"GameDaySpec", "trials", "integer", false, integer_text(kGameDayTrials),
       "trials per candidate start"},
      {"GameDaySpec", "seed", "integer", false, integer_text(kGameDaySeed), "master seed"},
      {"GameDaySpec", "worstCasePercentile", "fraction", false,
       percent_text(kGameDayWorstCasePercentile), "percentile reported as the worst case"},
      {"CandidateWindow", "from", "timeSpec", true, "", "first candidate"},
      {"CandidateWindow", "to", "timeSpec", true, "", "last candidate (inclusive)"},
      {"CandidateWindow", "every", "duration", false, duration_text(kCandidateWindowEvery), "step"},
      {"CandidateWindow", "businessHoursOnly", "boolean", false,
       boolean_text(kCandidateWindowBusinessHoursOnly), "skip starts outside business hours"},
      {"MetricBound", "below", "metricValue", false, "", "holds when the value is at most this"},
      {"MetricBound", "above", "metricValue", false, "", "holds when the value is at least this"},
      {"MetricBound", "percentile", "fraction", false, "",
       "latencyPercentile only, and required there"},
      {"Hypothesis", "name", "string", true, "", "what it says"},
      {"Hypothesis", "metric", RELSIM_METRICS, true, "", "the measured quantity"},
      {"Hypothesis", "within", "duration", false, "", "time metrics: at most"},
      {"Hypothesis", "max", "metricValue", false, "", "at most"},
      {"Hypothesis", "min", "metricValue", false, "", "at least"},
      {"Hypothesis", "percentile", "fraction", false, "",
       "latencyPercentile only, and required there"},
      {"Hypothesis", "alert", "ref(Alert)", false, "",
       "firstPage, ackTime: count only pages of this alert"},
      {"StopCondition", "metric", RELSIM_METRICS, true, "", "the watched quantity"},
      {"StopCondition", "above", "metricValue", false, "", "fires above this"},
      {"StopCondition", "below", "metricValue", false, "", "fires below this"},
      {"StopCondition", "percentile", "fraction", false, "",
       "latencyPercentile only, and required there"},
      {"StopCondition", "for", "duration", false, duration_text(kStopConditionFor),
       "must hold this long"},
      {"StopCondition", "abortLatency", "duration", false,
       duration_text(kStopConditionAbortLatency), "from firing until the fault is reverted"},
      {"GameDayBudget", "remainingThisMonth", "fraction", true, "",
       "fraction of the month's budget left"},
      {"GameDayBudget", "slos", "[ref(Slo)]", false, "",
       "SLOs whose budget counts (default: those of the targeted services)"},
      // Distributions (values are durations).
      {"Distribution", "fixed", "duration", false, "", "always this"},
      {"Distribution", "exponential", "Exponential", false, "", "exponential"},
      {"Distribution", "weibull", "Weibull", false, "", "Weibull"},
      {"Distribution", "lognormal", "Lognormal", false, "", "lognormal"},
      {"Distribution", "uniform", "Uniform", false, "", "uniform"},
      {"Distribution", "gamma", "Gamma", false, "", "gamma"},
      {"Distribution", "normal", "Normal", false, "", "normal (negative draws clamp to 0)"},
      {"Distribution", "erlang", "Erlang", false, "", "Erlang"},
      {"Distribution", "empirical", "[duration] | Empirical", false, "", "observed values"},
      {"Exponential", "mean", "duration", true, "", "mean (> 0)"},
      {"Weibull", "shape", "number", true, "", "shape k (> 0)"},
      {"Weibull", "scale", "duration", true, "", "scale lambda (> 0)"},
      {"Lognormal", "median", "duration", false, "", "median (with p90, p95 or p99)"},
      {"Lognormal", "p90", "duration", false, "", "90th percentile (> median)"},
      {"Lognormal", "p95", "duration", false, "", "95th percentile (> median)"},
      {"Lognormal", "p99", "duration", false, "", "99th percentile (> median)"},
      {"Lognormal", "mu", "number", false, "", "mean of ln(seconds) (with sigma)"},
      {"Lognormal", "sigma", "number", false, "", "sd of ln(seconds) (>= 0)"},
      {"Uniform", "min", "duration", true, "", "lower bound"},
      {"Uniform", "max", "duration", true, "", "upper bound (>= min)"},
      {"Gamma", "shape", "number", true, "", "shape k (> 0)"},
      {"Gamma", "scale", "duration", true, "", "scale theta (> 0)"},
      {"Normal", "mean", "duration", true, "", "mean"},
      {"Normal", "sd", "duration", true, "", "standard deviation (>= 0)"},
      {"Erlang", "k", "integer", true, "", "number of phases (>= 1)"},
      {"Erlang", "mean", "duration", true, "", "total mean (> 0)"},
      {"Empirical", "values", "[duration]", false, "",
       "observations (at least one); or `file` and `column`"},
      {"Empirical", "file", "string", false, "",
       "a data file whose column holds the observations: a relsim incident table (.h5, from "
       "`relsim incidents import`) or a CSV; relative to this file's directory"},
      {"Empirical", "column", "string", false, "",
       "the column of `file`: `tta`, `ttm` or `ttr` of an incident table, or a CSV column of "
       "durations (seconds or `4m30s`)"},
      {"Empirical", "interpolate", "boolean", false, boolean_text(kEmpiricalInterpolate),
       "true: piecewise-linear CDF; false: resample the values"},
  };
  k.insert(k.end(), tail.begin(), tail.end());
  for (const auto& m : game_day_metrics()) {
    k.push_back({"SteadyState", m.name, "MetricBound", false, "", m.description});
  }
  return k;
}

}  // namespace

const std::vector<ObjectSpec>& accepted_objects() { return kObjects; }

const std::vector<KeySpec>& accepted_keys() {
  static const std::vector<KeySpec> kKeys = make_keys();
  return kKeys;
}

const ObjectSpec* find_object(std::string_view id) {
  for (const auto& o : kObjects) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

const KeySpec* find_key(std::string_view object, std::string_view key) {
  for (const auto& k : accepted_keys()) {
    if (k.object == object && k.key == key) return &k;
  }
  return nullptr;
}

std::vector<const KeySpec*> keys_of(std::string_view object) {
  std::vector<const KeySpec*> out;
  for (const auto& k : accepted_keys()) {
    if (k.object == object) out.push_back(&k);
  }
  return out;
}

}  // namespace relsim::models
