// What one trial of a scenario produces: per SLO and per service, fixed in
// shape for a given compiled model (so results of threads and shards merge
// by concatenation in trial order). See docs/model.md, "SLOs and error
// budgets", for every definition.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/time.hpp"

namespace relsim::models {

struct SloTrialResult {
  double good = 0.0;             // good requests in the SLO window
  double total = 0.0;            // all requests in the SLO window
  double attainment = 1.0;       // good / total (1 when total is 0)
  bool met = true;               // attainment >= objective
  double budget_consumed = 0.0;  // (total − good) / ((1 − objective) × total)
  double budget_minutes = 0.0;   // (total − good) / total × window, in minutes
  /// Per budget-policy tier (model.budget_policy order): the offset from the
  /// start of the trial at which the tier was first reached; nullopt when
  /// never. The first tier (ship) is reached at the window's start.
  std::vector<std::optional<sim::Duration>> tier_reached;
  /// Remaining budget fraction (1 − consumed so far / the window's budget),
  /// sampled every `series_step` from the window's start; the last sample is
  /// at the window's end.
  std::vector<float> remaining_budget;
  /// The part of budget_consumed charged to incidents: bad requests in the
  /// window while the SLO's service was impaired (docs/model.md,
  /// "Incidents"). The incidents' IncidentSloCost rows of this SLO sum to it.
  double incident_budget_consumed = 0.0;
};

struct ServiceTrialResult {
  double good = 0.0;   // requests that succeeded, over the whole trial
  double total = 0.0;  // requests that arrived
  double availability() const { return total > 0.0 ? good / total : 1.0; }
};

/// What opened an incident.
enum class IncidentCause : std::uint8_t {
  replica_crash,
  zone_outage,
  datastore_failure,
  cache_failure,
  bad_deploy,
  injected_fault,
  overload,  // demand above capacity with nothing failed
};

/// A step of an incident that never happened (not detected, never acked...).
inline constexpr sim::Duration kNever = sim::Duration::max();

/// "None" in the 32-bit index fields of the incident rows.
inline constexpr std::uint32_t kNoRow = 0xFFFFFFFF;

/// One incident of a trial (docs/model.md, "Incidents"). Times are offsets
/// from the trial's start, kNever when that step did not happen. MTTR and
/// its parts: detect = detected − start, acknowledge = acked − paged,
/// mitigate = mitigated − start, resolve = resolved − start. Every service
/// it impaired is an IncidentImpact row of the trial, every SLO it cost
/// budget an IncidentSloCost row; `service` is the primary one of them.
struct IncidentRow {
  std::uint32_t id = 0;  // 0-based, in start order within the trial
  /// Component index of its primary service: the user-facing one it
  /// impaired (no other service calls it), the one whose SLO lost the most
  /// budget among several (or when none is user-facing).
  std::uint32_t service = 0;
  IncidentCause cause = IncidentCause::replica_crash;
  std::uint32_t cause_index = 0;  // failure, deploy or fault row; 0xFFFFFFFF: none
  /// The component the cause hit (the crashed replica's, the deployed
  /// service, the datastore, the cache, the fault's target); kNoRow for a
  /// zone outage and for overload.
  std::uint32_t cause_component = kNoRow;
  std::uint32_t cause_zone = kNoRow;  // the zone it hit (a zone outage's zone), kNoRow: none
  std::uint8_t severity = 0;          // highest SEV level reached, 1..4; 0: none assigned
  sim::Duration start = kNever;       // impact began
  sim::Duration detected = kNever;    // first alert fired
  sim::Duration paged = kNever;       // first page sent
  sim::Duration acked = kNever;       // a responder acknowledged
  sim::Duration mitigated = kNever;   // impact ended
  sim::Duration resolved = kNever;    // declared resolved (mitigated + confirm-stable)
  std::uint16_t escalations = 0;      // escalation steps taken before the ack
  std::uint32_t team = 0xFFFFFFFF;    // the acknowledging team (model.teams); none: 0xFFFFFFFF
  std::uint16_t steps_tried = 0;      // runbook steps tried
  double requests_failed = 0.0;  // failed requests of the primary service while it was impaired
  double budget_consumed = 0.0;  // of the primary service's first SLO's window budget (fraction)
  bool human_needed = false;     // false: automation alone recovered
  /// A responder started working on it (ack + the team's respond delay):
  /// the "response" of the SEV targets. Added for SEV response compliance.
  sim::Duration responding = kNever;
  /// The alert (model.alerts index) whose firing detected it, and the one
  /// whose firing sent its first page; 0xFFFFFFFF: none. They differ when a
  /// ticket-routed alert fired before a paging one. The planner's `ackTime`
  /// of a named alert reads `paged_alert`.
  std::uint32_t detected_alert = 0xFFFFFFFF;
  std::uint32_t paged_alert = 0xFFFFFFFF;
  /// The runbook its responder followed (model.runbooks), kNoRow: none.
  std::uint32_t runbook = kNoRow;
};

/// A service an incident impaired: from when it was first impaired to when
/// it last recovered (kNever: still impaired at the horizon), and its failed
/// requests meanwhile.
struct IncidentImpact {
  std::uint32_t incident = 0;  // IncidentRow::id
  std::uint32_t service = 0;   // component index
  sim::Duration impaired = kNever;
  sim::Duration recovered = kNever;
  double requests_failed = 0.0;
};

/// The budget an incident cost one SLO: the SLO's bad requests in its window
/// while the SLO's service was impaired by the incident.
struct IncidentSloCost {
  std::uint32_t incident = 0;    // IncidentRow::id
  std::uint32_t slo = 0;         // model.slos index
  double bad = 0.0;              // bad requests
  double budget_consumed = 0.0;  // bad / the window's budget
};

/// Per team: what its on-call saw in the trial.
struct TeamTrialResult {
  std::uint32_t pages = 0;           // pages delivered (escalations not counted again)
  std::uint32_t pages_at_night = 0;  // of those, outside business hours
  std::uint32_t noise_pages = 0;     // resolved before anyone acknowledged
  std::uint32_t tickets = 0;         // ticket-routed alerts
  double shifts = 0.0;               // on-call shifts in the horizon (horizon / rotation length)
};

struct TrialResult {
  std::vector<SloTrialResult> slos;            // model.slos order
  std::vector<ServiceTrialResult> services;    // model.services order
  std::vector<TeamTrialResult> teams;          // model.teams order
  std::vector<IncidentRow> incidents;          // by start
  std::vector<IncidentImpact> impacts;         // by incident, then in the order impaired
  std::vector<IncidentSloCost> incident_slos;  // by incident, then model.slos order
  std::uint64_t events = 0;                    // events the kernel handled
  /// Deployments in the trial (random deploys, good or bad, and injected
  /// badDeploy faults): the denominator of DORA's change failure rate.
  std::uint64_t deploys = 0;
};

}  // namespace relsim::models
