// relsim import: what the readers of other tools' files found, before it is
// joined into one System. Each reader (one file per format: Sloth, Pyrra,
// OpenSLO, Prometheus rules, Kubernetes, PagerDuty, Opsgenie, Backstage,
// Chaos Mesh, Litmus) appends to one `ImportModel`; `join_import` merges the
// entities that name the same service and `emit_import` writes relsim's YAML,
// every value with a comment naming where it came from, every value no file
// gave marked `# assumed:`. Plain values; not thread-safe; no yaml-cpp types.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace relsim::analysis::import {

/// Where a value was read: file, 1-based line and column (0: unknown), and
/// the field's path inside that file ("spec.replicas").
struct Origin {
  std::string file;
  int line = 0;
  int column = 0;
  std::string field;
  /// "k8s/checkout.yaml:14 spec.replicas" (the form written in comments).
  std::string text() const;
};

/// A value and where it came from. An unset optional<Sourced<T>> means no
/// file gave it; the emitter then assumes a documented default.
template <class T>
struct Sourced {
  T value{};
  Origin origin;
};

/// A message about the input: skipped, took which value, or not understood.
struct ImportNote {
  enum class Level { note, warning, error } level = Level::warning;
  Origin origin;
  std::string text;  // what was expected and what the importer did
};

/// One burn-rate window pair as an SLO tool writes it.
struct ImportedBurnWindow {
  std::string severity = "page";  // page | ticket
  double factor = 0.0;            // burn-rate multiple
  double long_window_s = 0.0;
  double short_window_s = 0.0;  // 0: a single window
  double for_s = 0.0;           // `for:` delay (Pyrra, Prometheus)
  double budget_percent = 0.0;  // Sloth AlertWindows: errorBudgetPercent (0: not given)
};

/// A Sloth `AlertWindows` document: the window pairs of one SLO period.
struct ImportedAlertWindows {
  Origin origin;
  double period_s = 0.0;                    // spec.sloPeriod
  std::vector<ImportedBurnWindow> windows;  // page quick, page slow, ticket quick, ticket slow
};

struct ImportedAlert {
  std::string name;
  Origin origin;
  std::string slo;  // burn-rate alert: the SLO's name
  std::vector<ImportedBurnWindow> windows;
  // Threshold alert (a Prometheus rule that is not a burn rate).
  std::string service;
  std::optional<double> error_rate_above;
  std::optional<double> latency_above_s;
  double latency_percentile = 0.99;
  double for_s = 0.0;
  std::string route = "page";  // page | ticket
  std::string team;
  /// "sloth": a Sloth alert whose windows come from the SLO period once every
  /// file is read (an AlertWindows document, or Sloth's defaults); empty:
  /// `windows` is complete.
  std::string deferred_windows;
  bool page_enabled = true;    // Sloth page_alert.disable: false
  bool ticket_enabled = true;  // Sloth ticket_alert.disable: false
  double page_for_s = 0.0;     // Sloth page_alert.for (the alert_for plugin's field)
  double ticket_for_s = 0.0;   // Sloth ticket_alert.for
};

struct ImportedSlo {
  std::string name;
  std::string service;
  Origin origin;
  std::string sli = "availability";            // availability | latency
  std::optional<Sourced<double>> objective;    // fraction, 0.999
  std::optional<Sourced<double>> threshold_s;  // latency SLIs
  std::optional<Sourced<double>> window_s;     // rolling window; calendar month: see below
  bool calendar_month = false;
  std::string source_format;  // "sloth", "pyrra", "openslo", ...
  /// OpenSLO `alertPolicies`: AlertPolicy names (inline ones get a generated
  /// name), resolved once every file is read; a name with no policy is noted.
  std::vector<std::pair<std::string, Origin>> alert_policy_refs;
};

/// An OpenSLO AlertCondition (a burn-rate condition) by name.
struct ImportedAlertCondition {
  std::string name;
  Origin origin;
  std::optional<ImportedBurnWindow> window;  // unset: not a burn-rate condition
};

/// An OpenSLO AlertPolicy: inline burn-rate conditions and references to
/// AlertCondition documents.
struct ImportedAlertPolicy {
  std::string name;
  Origin origin;
  std::vector<ImportedBurnWindow> windows;
  std::vector<std::pair<std::string, Origin>> condition_refs;
};

struct ImportedDependency {
  std::string target;         // a service, datastore or cache, by name
  std::string type = "hard";  // hard | soft | cache
  Origin origin;
};

struct ImportedService {
  std::string name;
  Origin origin;
  std::vector<std::string> aliases;  // k8s app labels, Backstage ids, PagerDuty service ids
  std::optional<Sourced<int>> replicas;
  // A Deployment or StatefulSet without spec.replicas: Kubernetes runs 1
  // (used when neither replicas nor an autoscaler's minReplicas is known).
  std::optional<Sourced<int>> default_replicas;
  std::optional<Sourced<std::vector<std::string>>> zones;
  std::optional<Sourced<bool>> topology_spread;
  std::optional<Sourced<double>> reschedule_s;    // tolerationSeconds for unreachable
  std::optional<Sourced<double>> health_check_s;  // probes: period × threshold + timeout
  std::optional<Sourced<double>> min_ready_s;
  std::optional<Sourced<int>> max_unavailable;  // rollingUpdate / PDB
  std::optional<Sourced<int>> pdb_min_available;
  std::optional<Sourced<int>> hpa_min, hpa_max;
  std::optional<Sourced<double>> hpa_target_utilization;  // fraction
  std::optional<Sourced<double>> hpa_reaction_s;
  std::optional<Sourced<std::string>> owner;  // team name
  std::optional<Sourced<std::string>> lifecycle;
  std::vector<ImportedDependency> depends_on;
  // Added by the format readers (import-formats):
  std::optional<Sourced<double>> liveness_s;  // liveness probe: period × threshold + timeout
  std::optional<Sourced<int>> max_surge;      // rollingUpdate.maxSurge as a count
  // IntOrString fields given in percent, as fractions of the replicas (the
  // count fields above are set too when the same object gives replicas).
  std::optional<Sourced<double>> max_unavailable_fraction, max_surge_fraction;
  // A PDB's maxUnavailable (max_unavailable is the rollout's).
  std::optional<Sourced<int>> pdb_max_unavailable;
  std::optional<Sourced<double>> pdb_min_available_fraction, pdb_max_unavailable_fraction;
  // Backstage APIs: a consumer depends (hard) on the component providing the
  // API; resolved across documents by the join.
  std::vector<Sourced<std::string>> provides_apis, consumes_apis;
};

/// A Backstage Resource (or other source) that is a datastore or a cache.
struct ImportedStore {
  std::string name;
  Origin origin;
  bool cache = false;
  std::optional<Sourced<std::string>> owner;
  std::vector<std::string> aliases;
};

struct ImportedEscalationStep {
  double after_s = 0.0;
  std::string to;  // "secondary" or a team name
  Origin origin;
};

struct ImportedTeam {
  std::string name;
  Origin origin;
  std::vector<std::string> aliases;  // PagerDuty/Opsgenie ids and names
  std::optional<Sourced<int>> members;
  std::optional<Sourced<double>> shift_s;          // rotation length
  std::optional<Sourced<std::string>> handoff;     // weekTime "Mon 10:00"
  std::optional<Sourced<std::string>> utc_offset;  // "+01:00" from the time zone
  std::optional<Sourced<bool>> secondary;
  std::vector<ImportedEscalationStep> escalation;
  std::optional<Sourced<int>> escalation_loops;
  std::vector<std::string> owns;  // services
  // Added by the format readers (import-formats): the fraction of the week
  // the schedule's restrictions cover (1: always; relsim's teams are on call
  // all week, so the emitter can only comment a lower value).
  std::optional<Sourced<double>> coverage;
  std::optional<Sourced<std::string>> time_zone;  // IANA name as written ("Europe/Berlin")
};

/// A chaos experiment (Chaos Mesh, Litmus) as a GameDay experiment: the
/// keys of relsim's `Experiment` (docs/reference/game-day.md).
struct ImportedExperiment {
  std::string name;
  Origin origin;
  std::string source_format;  // "chaos-mesh", "litmus"
  std::string fault;          // podKill, networkLatency, ...
  std::string service, zone, datastore, cache, from, to;
  std::string mode;  // one | all | {fraction: ..} written as relsim YAML text
  std::optional<double> duration_s, interval_s, latency_s, loss, error_rate, fraction, factor;
  std::vector<std::string> candidate_starts;  // timeSpec text (Schedule cron -> starts)
  // Added by the format readers (import-formats): checks the tool runs
  // (Litmus probes), as "name (type, mode)"; relsim cannot derive
  // hypotheses from them, the emitter lists them as comments.
  std::vector<std::string> probes;
};

/// A Backstage Group's people: its `spec.members` and the Users whose
/// `spec.memberOf` names it (one entry per document; the join unites them).
struct ImportedGroup {
  std::string name;
  Origin origin;
  std::vector<std::string> members;  // user names
};

/// Everything read from every file.
struct ImportModel {
  std::optional<Sourced<std::string>> system_name;  // added by import-formats: a Backstage System
  std::vector<ImportedService> services;
  std::vector<ImportedStore> stores;
  std::vector<ImportedSlo> slos;
  std::vector<ImportedAlert> alerts;
  std::vector<ImportedTeam> teams;
  std::vector<ImportedExperiment> experiments;
  std::vector<std::string> zones;  // from node labels, affinity, nodeSelector
  std::vector<ImportNote> notes;
  std::vector<std::string> files_read;
  std::vector<ImportedAlertWindows> alert_windows;       // Sloth AlertWindows documents
  int documents_used = 0;                                // documents a reader took something from
  std::vector<ImportedAlertPolicy> alert_policies;       // OpenSLO
  std::vector<ImportedAlertCondition> alert_conditions;  // OpenSLO
  std::vector<ImportedGroup> catalog_groups;             // Backstage Group / User
};

}  // namespace relsim::analysis::import
