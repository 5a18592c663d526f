// The hand-written parts of docs/reference/: page introductions and one YAML
// example per object. Keys come from the registry; a test checks every
// example against the generated JSON Schema, so a renamed key shows up here.
#include "models/reference_docs.hpp"

namespace relsim::models {

const std::vector<PageIntro>& reference_intros() {
  static const std::vector<PageIntro> kIntros = {
      {"README.md", "relsim scenario language reference",
       R"(relsim reads YAML files that hold one or more documents separated by `---`. Every
document has the same envelope — `apiVersion: relsim/v1alpha1`, a `kind`, `metadata` and a
`spec` — in the style of Kubernetes, Chaos Mesh and OpenSLO, so the files sit naturally in a
GitOps repository. There are three kinds: a **System** describes what runs and who runs it, a
**Scenario** is one simulation run of a system, and a **GameDay** plans a chaos experiment.
New to relsim? Start with the [user guide](../guide.md).

How to read the tables: keys are camelCase and case-sensitive, and a key that is not listed
is an error (the message suggests the nearest key). A *required* key must be given; for the
others the default column shows the value used when the key is left out (— means "none" or
"off"). The type column links to the [value types](#value-types); "name of a service" means
the `name` of a service defined in the same System.

Editors that use the YAML language server (VS Code's YAML extension, Neovim, IntelliJ)
complete and check keys when a file starts with

```yaml
# yaml-language-server: $schema=../../docs/schema/relsim.schema.json
```

(the path is relative to the file). Check a file with `relsim validate FILE`.
)"},
      {"system.md", "System",
       R"(A `kind: System` document describes what runs and who runs it: the calendar every
trial starts from, the zones (failure domains), the services with their replicas, demand,
failures and deploys, the datastores and caches they call, the SLOs and the error-budget
policy, the alerts that page, the on-call teams, their runbooks, and the severity rules.

Everything refers to everything else by name: a dependency names a service, datastore or
cache; an SLO names a service; an alert names an SLO or a service; a team owns services; a
runbook is for a service. Services, datastores and caches share one namespace. Only `zones`
is required in `spec`: a system can grow one key at a time.
)"},
      {"scenario.md", "Scenario",
       R"(A `kind: Scenario` document is one simulation run: which system (the name of a System
in the same file, or a path relative to this file), how much time each trial simulates
(`horizon`), how many trials (or a stopping rule), the master seed, faults injected at fixed
times, and overrides of the system for what-if questions. Each trial also runs the system's
own random failures and deploys unless `randomFailures` or `randomDeploys` turn them off.
)"},
      {"game-day.md", "GameDay",
       R"(A `kind: GameDay` document plans a chaos experiment before it is run for real: the
fault (`experiment`: the keys of an injected fault, without `at`), the start times to
compare, the steady state that must hold before the start, the team's hypotheses, the stop
conditions with the time an abort takes, and the error budget left this month. relsim
simulates the experiment from every candidate start so the team can pick the safest one and
see which hypotheses are likely to fail. The metric names are listed under
[SteadyState](#steadystate).
)"},
      {"alert-rules.md", "AlertRules",
       R"(A `kind: AlertRules` document is a named set of alert rules for the alert design lab:
`relsim alerts SCENARIO --rules FILE` runs the scenario once per rule set, each replacing the
system's alerts, and judges the sets side by side (docs/alerting.md). The alerts are written
as in a System's [alerts](system.md#alert); a burn-rate window without `shortWindow` watches a
single window, and `for` delays a burn-rate alert as it delays a threshold alert.
)"},
      {"#distributions", "",
       R"(Every key of type `distribution` takes a random duration. Write a bare duration for a
fixed value (`restart: 90s`), or a one-key mapping that names the distribution and its
parameters, all of them durations except shapes and counts:
`{exponential: {mean: 30d}}`, `{lognormal: {median: 45s, p99: 3m}}`,
`{weibull: {shape: 1.5, scale: 200d}}`, `{uniform: {min: 1m, max: 5m}}`. A lognormal given by
its median and a high percentile is usually the easiest to estimate from incident data: "half
of the restarts take under 45 s, 1 in 100 takes over 3 minutes".
)"},
  };
  return kIntros;
}

const std::vector<ReferenceExample>& reference_examples() {
  static const std::vector<ReferenceExample> kExamples = {
      {"SystemDocument", "", R"(# yaml-language-server: $schema=../../docs/schema/relsim.schema.json
apiVersion: relsim/v1alpha1
kind: System
metadata:
  name: shop
spec:
  zones: [zone-a, zone-b]
  services:
    - name: web
      replicas: 3
      zones: [zone-a, zone-b]
      capacityPerReplica: 200     # requests/s
      demand: 300                 # requests/s
  slos:
    - {name: web-availability, service: web, objective: 99.9%}
)"},
      {"ScenarioDocument", "", R"(apiVersion: relsim/v1alpha1
kind: Scenario
metadata:
  name: zone-a-outage
  description: zone-a goes down on Tuesday at 14:00 for one hour.
spec:
  system: shop                    # or a path such as ../systems/shop.yaml
  horizon: 7d
  trials: 1000
  seed: 42
  inject:
    - {at: "Tue 14:00", fault: zoneOutage, zone: zone-a, duration: 1h}
)"},
      {"GameDayDocument", "", R"(apiVersion: relsim/v1alpha1
kind: GameDay
metadata:
  name: kill-half-of-web
spec:
  system: shop
  experiment: {fault: podKill, service: web, mode: {fixedPercent: 50%}, duration: 60s}
  candidateStarts: {from: "Tue 10:00", to: "Thu 16:00", every: 2h}
  hypotheses:
    - {name: capacity back within 2m, metric: capacityRestored, within: 2m}
)"},
      {"AlertRulesDocument", "", R"(apiVersion: relsim/v1alpha1
kind: AlertRules
metadata:
  name: fast-burn-only
  description: One page, the workbook's 2 % of the budget in an hour.
spec:
  alerts:
    - name: FastBurn
      slo: web-availability
      burnRate: [{severity: page, factor: 14.4, longWindow: 1h, shortWindow: 5m}]
)"},
      {"AlertRulesSpec", "spec", R"(spec:
  alerts:
    - {name: ErrorRatio36h, slo: web-availability, burnRate: [{severity: page, factor: 1, longWindow: 36h}]}
    - {name: ErrorRatioFor1h, slo: web-availability, for: 1h, burnRate: [{severity: page, factor: 1, longWindow: 1m}]}
)"},
      {"Metadata", "metadata", R"(metadata:
  name: payments
  description: The payments platform in us-east-1.
)"},
      {"SystemSpec", "spec", R"(spec:
  calendar: {start: 2026-03-02T00:00, utcOffset: "-05:00"}
  zones: [us-east-1a, us-east-1b]
  services:
    - {name: web, replicas: 2, zones: [us-east-1a, us-east-1b], capacityPerReplica: 100}
  slos:
    - {name: web-availability, service: web, objective: 99.9%}
  # and datastores, caches, budgetPolicy, alerts, teams, runbooks, severity
)"},
      {"Calendar", "calendar", R"(calendar:
  start: 2026-03-02T00:00         # a Monday, local time
  utcOffset: "-05:00"
  businessHours: {days: Mon-Fri, from: "09:00", to: "18:00"}
)"},
      {"BusinessHours", "businessHours", R"(businessHours:
  days: Mon-Fri                   # or "Mon,Wed,Fri", or [Sat, Sun]
  from: "08:00"
  to: "20:00"
)"},
      {"Zone", "zones[]",
       R"(zones:                            # a plain name is enough: [us-east-1a, us-east-1b]
  - name: us-east-1a
    region: us-east-1
    failures:
      - {type: zoneOutage, every: {exponential: {mean: 365d}}, duration: {lognormal: {median: 2h, p90: 6h}}}
  - name: us-east-1b
    region: us-east-1
)"},
      {"Service", "services[]", R"(services:
  - name: payment-api
    replicas: 6
    zones: [us-east-1a, us-east-1b, us-east-1c]
    topologySpread: true
    capacityPerReplica: 400       # requests/s one replica serves
    demand:
      base: 1200                  # requests/s
      daily: {peak: "14:00", peakFactor: 2.0, trough: "04:00", troughFactor: 0.3}
    latency: {lognormal: {median: 40ms, p99: 300ms}}
    restart: {lognormal: {median: 45s, p99: 3m}}
    healthCheckDelay: 20s
    autoscale: {maxReplicas: 12, targetUtilization: 70%, reactionTime: 2m}
    failures:
      - {type: replicaCrash, every: {exponential: {mean: 30d}}}
    deploys: {rate: 2/day, during: businessHours, changeFailureRate: 15%}
    dependsOn:
      - {datastore: payments-db}
      - {cache: payments-redis}
)"},
      {"Demand", "demand", R"(demand:
  base: 1200                      # requests/s
  daily: {peak: "14:00", peakFactor: 2.0, trough: "04:00", troughFactor: 0.3}
  weekendFactor: 0.6
)"},
      {"DailyProfile", "daily", R"(daily:
  peak: "14:00"
  peakFactor: 2.0                 # 2 x base at 14:00
  trough: "04:00"
  troughFactor: 0.3               # 0.3 x base at 04:00
)"},
      {"Autoscale", "autoscale", R"(autoscale:
  minReplicas: 4
  maxReplicas: 12
  targetUtilization: 70%
  reactionTime: 2m
)"},
      {"Failure", "failures[]", R"(failures:
  - type: replicaCrash
    every: {exponential: {mean: 30d}}     # per replica
)"},
      {"Deploys", "deploys", R"(deploys:
  rate: 2/day
  during: businessHours
  changeFailureRate: 15%
  badDeploy: {errorRate: 15%, detectsItself: false}
  rollback: {lognormal: {median: 4m, p90: 8m}}
)"},
      {"BadDeploy", "badDeploy", R"(badDeploy:
  errorRate: 15%
  addedLatency: 200ms
  detectsItself: false            # nobody notices until an alert fires
)"},
      {"Dependency", "dependsOn[]", R"(dependsOn:
  - {datastore: payments-db}                   # hard by default
  - {service: ledger, type: hard, callFraction: 30%, retry: {attempts: 3, backoff: 200ms}}
  - {service: fraud-detection, type: soft, timeout: 2s, fallback: rules-based-scoring, fallbackSuccess: 99%}
  - {cache: payments-redis}
)"},
      {"Retry", "retry", R"(retry:
  attempts: 3                     # a failed call is tried twice more: 20 % errors -> 0.8 %
  backoff: 200ms                  # waited before each retry
)"},
      {"Datastore", "datastores[]", R"(datastores:
  - name: payments-db
    primaryZone: us-east-1a
    replicaZones: [us-east-1b, us-east-1c]
    capacity: 3000                # requests/s before it saturates
    latency: {lognormal: {median: 4ms, p99: 40ms}}
    failover: {detect: 30s, duration: {lognormal: {median: 60s, p90: 90s}}, connectionErrors: 12s}
    failures:
      - {type: primaryFailure, every: {exponential: {mean: 120d}}}
)"},
      {"DatastoreFailover", "failover", R"(failover:
  automatic: true
  detect: 30s
  duration: {lognormal: {median: 60s, p90: 90s}}
  connectionErrors: 12s
  connectionErrorRate: 60%        # stale pooled connections; retries take fresh ones
)"},
      {"Cache", "caches[]", R"(caches:
  - name: payments-redis
    hitRatio: 90%
    backing: payments-db
    zones: [us-east-1a, us-east-1c]
    failover: {duration: {lognormal: {median: 30s, p90: 45s}}, warmUp: 5m}
    failures:
      - {type: nodeFailure, every: {exponential: {mean: 90d}}}
)"},
      {"CacheFailover", "failover", R"(failover:
  duration: 30s
  warmUp: 5m                      # hit ratio climbs back from 0 over 5 minutes
)"},
      {"Slo", "slos[]", R"(slos:
  - {name: payment-availability, service: payment-api, sli: availability, objective: 99.99%, window: 30d}
  - {name: payment-latency, service: payment-api, sli: latency, threshold: 500ms, objective: 99.9%}
)"},
      {"BudgetTier", "budgetPolicy[]", R"(budgetPolicy:                     # the default policy
  - {remainingAbove: 50%, action: ship}
  - {remainingAbove: 25%, action: freeze}
  - {remainingAbove: 0%, action: allHands}
  - {remainingAbove: null, action: leadershipReview}
)"},
      {"Alert", "alerts[]", R"(alerts:
  - name: PaymentAvailabilityBurn
    slo: payment-availability
    burnRate: sreWorkbook         # page 14.4x 1h/5m and 6x 6h/30m; ticket 3x 1d/2h and 1x 3d/6h
    evaluationInterval: 1m
  - name: PaymentAPIHighErrorRate
    service: payment-api
    condition: {errorRate: {above: 5%}}
    for: 1m
    route: page
    team: payments-oncall
)"},
      {"BurnWindow", "burnRate[]", R"(burnRate:
  - {severity: page, factor: 14.4, longWindow: 1h, shortWindow: 5m}
  - {severity: page, factor: 6, longWindow: 6h, shortWindow: 30m}
  - {severity: ticket, factor: 1, longWindow: 3d, shortWindow: 6h}
)"},
      {"Condition", "condition", R"(condition:
  errorRate: {above: 5%}          # or latency: {...}, or usersAffected: {...}
)"},
      {"Bound", "usersAffected", R"(usersAffected:
  above: 10%
)"},
      {"LatencyBound", "latency", R"(latency:
  above: 500ms
  percentile: 99%
)"},
      {"Team", "teams[]", R"(teams:
  - name: payments-oncall
    members: 6
    rotation: {length: 1w, handoff: "Mon 10:00"}
    secondary: true
    ack:
      businessHours: {lognormal: {median: 2m, p90: 5m}}
      offHours: {lognormal: {median: 6m, p90: 15m}}
    respond: 5m
    escalation:
      - {after: 15m, to: secondary}
      - {after: 30m, to: platform-senior}
    owns: [payment-api, fraud-detection]
)"},
      {"Rotation", "rotation", R"(rotation:
  length: 1w
  handoff: "Mon 10:00"
)"},
      {"ByHours", "ack", R"(ack:                              # or one distribution for all hours
  businessHours: {lognormal: {median: 2m, p90: 5m}}
  offHours: {lognormal: {median: 6m, p90: 15m}}
)"},
      {"EscalationStep", "escalation[]", R"(escalation:
  - {after: 15m, to: secondary}
  - {after: 30m, to: platform-senior}   # another team
)"},
      {"Runbook", "runbooks[]", R"(runbooks:
  - for: payment-api
    diagnose: {lognormal: {median: 5m, p90: 15m}}
    steps:                        # tried in order until one works
      - {action: rollback, if: deployedWithin 1h, duration: {lognormal: {median: 4m, p90: 8m}}, success: 95%}
      - {action: restart, duration: 3m, success: 60%}
    confirmStable: 15m
)"},
      {"RunbookStep", "steps[]", R"(steps:
  - {action: rollback, if: deployedWithin 1h, duration: {lognormal: {median: 4m, p90: 8m}}, success: 95%}
  - {action: restart, duration: 3m, success: 60%}
  - {action: scaleUp, to: 10, duration: 2m, success: 50%}
  - {action: failover, target: payments-db, duration: 2m, success: 90%}
  - {action: drainZone, duration: 5m}
)"},
      {"SeverityRule", "severity[]", R"(severity:                         # the default rules
  - {level: SEV-1, when: {errorRate: {above: 50%}}, ack: 5m, respond: 15m}
  - {level: SEV-2, when: {errorRate: {above: 10%}}, ack: 15m, respond: 30m}
  - {level: SEV-3, when: {errorRate: {above: 1%}}, ack: 1h, respond: 4h}
  - {level: SEV-4, ack: nextBusinessDay}
)"},
      {"ScenarioSpec", "spec", R"(spec:
  system: ../systems/payments.yaml   # or the name of a System in the same file
  horizon: 30d
  trials: 10000
  seed: 42
  randomDeploys: false
  inject:
    - {at: "Tue 14:00", fault: zoneOutage, zone: us-east-1a, duration: 1h}
  overrides:
    services.payment-api.replicas: 8
)"},
      {"StoppingRule", "trials", R"(trials:
  until: {metric: mttr, relativeHalfWidth: 5%}
  minTrials: 200
  maxTrials: 100000
)"},
      {"StoppingTarget", "until", R"(until:
  metric: mttr
  relativeHalfWidth: 5%           # stop when the 95% CI is within +-5% of the estimate
)"},
      {"Fault", "inject[]", R"(inject:
  - {at: "Tue 14:00", fault: zoneOutage, zone: us-east-1a, duration: 1h}
  - {at: +36h, fault: podKill, service: payment-api, mode: {fixed: 2}}
  - name: slow-db
    at: 2026-03-04T10:00
    fault: networkLatency
    target: {from: payment-api, to: payments-db}
    latency: 200ms
    duration: 30m
  - {at: "Thu 15:00", fault: badDeploy, service: payment-api, errorRate: 15%}
)"},
      {"FaultTarget", "target", R"(target:
  from: payment-api
  to: payments-db
)"},
      {"KillMode", "mode", R"(mode:
  fixedPercent: 50%               # or fixed: 2, or randomMaxPercent: 30%; or mode: all
)"},
      {"GameDaySpec", "spec", R"(spec:
  system: payments
  experiment: {fault: podKill, target: {service: payment-api}, mode: {fixedPercent: 50%}, duration: 60s, interval: 10s}
  candidateStarts: {from: "Tue 10:00", to: "Thu 16:00", every: 1h, businessHoursOnly: true}
  steadyState: {errorRate: {below: 0.1%}, latencyP99: {below: 200ms}}
  hypotheses:
    - {name: no user-facing errors, metric: errorRate, max: 0.1%}
  stopConditions:
    - {metric: errorRate, above: 5%, for: 1m, abortLatency: 30s}
  budget: {remainingThisMonth: 60%}
  observe: 2h
  trials: 2000
)"},
      {"Experiment", "experiment", R"(experiment:
  fault: podKill
  target: {service: payment-api}
  mode: {fixedPercent: 50%}
  duration: 60s
  interval: 10s                   # kill again every 10 s for 60 s
)"},
      {"CandidateWindow", "candidateStarts",
       R"(candidateStarts:               # or one time, or a list: ["Tue 10:00", "Wed 15:00"]
  from: "Tue 10:00"
  to: "Thu 16:00"
  every: 1h
  businessHoursOnly: true
)"},
      {"SteadyState", "steadyState", R"(steadyState:
  errorRate: {below: 0.1%}
  latencyP99: {below: 200ms}
)"},
      {"MetricBound", "latencyPercentile", R"(latencyPercentile:
  below: 300ms
  percentile: 95%
)"},
      {"Hypothesis", "hypotheses[]", R"(hypotheses:
  - {name: replacements within 2m, metric: capacityRestored, within: 2m}
  - {name: no user-facing errors, metric: errorRate, max: 0.1%}
  - {name: page fires within 2m, metric: firstPage, within: 2m}
)"},
      {"StopCondition", "stopConditions[]", R"(stopConditions:
  - {metric: errorRate, above: 5%, for: 1m, abortLatency: 30s}
)"},
      {"GameDayBudget", "budget", R"(budget:
  remainingThisMonth: 60%
  slos: [payment-availability]
)"},
      {"Distribution", "restart",
       R"(restart: {lognormal: {median: 45s, p99: 3m}}   # or restart: 90s
)"},
      {"Exponential", "every.exponential", R"(every: {exponential: {mean: 30d}}
)"},
      {"Weibull", "every.weibull",
       R"(every: {weibull: {shape: 1.5, scale: 200d}}   # shape > 1: wear-out
)"},
      {"Lognormal", "restart.lognormal",
       R"(restart: {lognormal: {median: 45s, p99: 3m}}   # or {mu: 3.8, sigma: 0.6}
)"},
      {"Uniform", "duration.uniform", R"(duration: {uniform: {min: 1m, max: 5m}}
)"},
      {"Gamma", "diagnose.gamma", R"(diagnose: {gamma: {shape: 2, scale: 3m}}
)"},
      {"Normal", "duration.normal", R"(duration: {normal: {mean: 10m, sd: 2m}}
)"},
      {"Erlang", "diagnose.erlang", R"(diagnose: {erlang: {k: 3, mean: 15m}}
)"},
      {"Empirical", "rollback.empirical",
       R"(rollback: {empirical: {values: [3m, 4m, 4m, 6m, 11m], interpolate: true}}
)"},
  };
  return kExamples;
}

}  // namespace relsim::models
