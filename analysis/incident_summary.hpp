// The incident figures of a run (docs/model.md, "Incidents"): MTTR and its
// parts — time to detect (detected − start), acknowledge (acked − paged),
// mitigate (mitigated − start) and resolve (resolved − start) — as mean,
// median, p90 and p95 with confidence intervals, over all incidents, by
// severity and by cause; compliance with the SEV ack and response targets;
// DORA's change failure rate and MTTR (detection → resolution for SEV-1 and
// SEV-2); and per team pages per on-call shift, the share at night and the
// share that was noise.
//
// Intervals: means — Student t over the incidents (incidents are treated as
// independent draws; within a trial they are only weakly dependent);
// quantiles — the distribution-free order-statistic interval
// (analysis::quantile_interval); proportions — Wilson; pages per shift —
// Student t over the trials' pages / shifts. A part is summarised over the
// incidents in which both of its ends happened (an undetected incident has
// no time to detect).
//
// Pure functions over values, reading trials in the order given, so the
// figures are bit-identical for any thread count. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/run_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

/// One duration figure, in seconds.
struct DurationStats {
  std::uint64_t count = 0;  // incidents in which it happened
  Interval mean;            // t; NaN when count is 0
  QuantileInterval median, p90, p95;
};

/// MTTR and its parts over a group of incidents.
struct IncidentGroup {
  std::string label;  // `all`, `SEV-2`, `bad deploy`, ...
  std::uint64_t incidents = 0;
  std::uint64_t human_needed = 0;  // mitigated by a responder's runbook
  std::uint64_t paged = 0;
  DurationStats detect, acknowledge, mitigate, resolve;
};

/// Compliance with one severity level's targets, over its paged incidents.
struct SevCompliance {
  int level = 4;
  /// Paged incidents of this (highest) severity that someone had to answer:
  /// acked, or still open at the horizon (noise pages excluded).
  std::uint64_t paged = 0;
  bool ack_target = false;        // the level has an ack target
  std::uint64_t ack_met = 0;      // acked within it (never acked: missed)
  Interval ack;                   // Wilson
  bool respond_target = false;    // the level has a response target
  std::uint64_t respond_met = 0;  // a responder working within it after the page
  Interval respond;               // Wilson
};

struct TeamPages {
  std::uint64_t pages = 0, night = 0, noise = 0, tickets = 0;
  double shifts = 0.0;       // over all trials
  Interval pages_per_shift;  // t over trials
  Interval night_fraction;   // Wilson over pages
  Interval noise_fraction;   // Wilson over pages
};

struct IncidentSummary {
  double confidence = 0.95;
  std::uint64_t trials = 0;
  std::uint64_t incidents = 0;
  Interval incidents_per_trial;            // t
  std::vector<IncidentGroup> by_severity;  // `all` first, then SEV-1..4 and `unassessed` that occur
  std::vector<IncidentGroup> by_cause;     // causes that occur, in IncidentCause order
  std::vector<SevCompliance> compliance;   // levels of model.severity that were paged
  std::uint64_t deploys = 0;
  std::uint64_t failed_deploys = 0;  // incidents caused by a deploy (or a badDeploy fault)
  Interval change_failure_rate;      // Wilson: failed_deploys / deploys
  DurationStats dora_mttr;           // detected → resolved, SEV-1 and SEV-2
  std::vector<TeamPages> teams;      // model.teams order
};

/// `replica crash`, `bad deploy`, ...
const char* cause_label(models::IncidentCause cause);

/// Summarises the incident rows and team counts of `results` (trial order)
/// at `confidence` in (0, 1).
IncidentSummary summarize_incidents(const models::CompiledModel& model,
                                    const std::vector<models::TrialResult>& results,
                                    double confidence);

/// The summary as text: an `Incidents` section with every group.
std::string format_incidents(const models::CompiledModel& model, const IncidentSummary& summary);

/// What `relsim run` prints after its summary (which already has MTTR by
/// severity and the team pages): MTTR and its parts by cause, SEV target
/// compliance and DORA's change failure rate and MTTR. Empty without incidents.
std::string format_incident_extras(const IncidentSummary& summary);

}  // namespace relsim::analysis
