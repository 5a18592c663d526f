// The incident figures of a run (docs/model.md, "Incidents"): MTTR and its
// parts — time to detect (detected − start), acknowledge (acked − paged),
// mitigate (mitigated − start) and resolve (resolved − start) — as mean,
// median, p90 and p95 with confidence intervals, over all incidents, by
// severity, by cause and by service (an incident counts once for every
// service of its impact set, with the incident's own times); compliance with the SEV ack and
// response targets; DORA's change failure rate and MTTR (detection → resolution for SEV-1 and
// SEV-2); and per team pages per on-call shift, the share at night and the
// share that was noise.
//
// Intervals by trial (the trial is the independent unit; the incidents of one
// trial share its failures and its responders): means — the ratio of
// per-trial sums with its delta-method interval on the log scale;
// quantiles — Woodruff's interval with the trials' variance
// (analysis::QuantileSketch, exact up to 4,096 values, a log-bucketed
// histogram of relative accuracy 0.1 % beyond); proportions pooled over
// incidents, pages or deploys (SEV compliance, change failure rate, night and
// noise pages) — Wilson with the effective n of the per-trial ratio;
// incidents per trial — quasi-Poisson Garwood; pages per shift — t on the
// log scale over the trials' pages / shifts. Below kMinPooledObservations or
// kMinPooledTrials an interval is NaN and prints as `n/a (n = 3)`. A part is
// summarised over the incidents in which both of its ends happened (an
// undetected incident has no time to detect).
//
// `IncidentSummaryAccumulator` takes trials one at a time in trial order and
// keeps fixed-size state (no incident is stored), so a run of any length
// summarises in bounded memory; `summarize_incidents` is it fed with a
// vector. Bit-identical for any thread count and block split. The
// accumulator is not thread-safe; the functions are.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/quantile_sketch.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

/// One duration figure, in seconds.
struct DurationStats {
  std::uint64_t count = 0;  // incidents in which it happened
  Interval mean;            // ratio by trial, log scale; NaN when count is 0
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
  Interval ack;                   // Wilson, effective n by trial
  bool respond_target = false;    // the level has a response target
  std::uint64_t respond_met = 0;  // a responder working within it after the page
  Interval respond;               // Wilson, effective n by trial
};

struct TeamPages {
  std::uint64_t pages = 0, night = 0, noise = 0, tickets = 0;
  double shifts = 0.0;       // over all trials
  Interval pages_per_shift;  // log-scale t over trials
  Interval night_fraction;   // Wilson over pages, effective n by trial
  Interval noise_fraction;   // Wilson over pages, effective n by trial
};

struct IncidentSummary {
  double confidence = 0.95;
  std::uint64_t trials = 0;
  std::uint64_t incidents = 0;
  Interval incidents_per_trial;            // quasi-Poisson Garwood
  std::vector<IncidentGroup> by_severity;  // `all` first, then SEV-1..4 and `unassessed` that occur
  std::vector<IncidentGroup> by_cause;     // causes that occur, in IncidentCause order
  /// Services that incidents impaired, model order: every incident counts
  /// for each service of its impact set (so the groups sum to more
  /// incidents than there were).
  std::vector<IncidentGroup> by_service;
  /// Per SLO (model.slos order): the budget incidents consumed in a trial
  /// (SloTrialResult::incident_budget_consumed, the sum of its budget by
  /// incident), mean over trials, t on the log scale.
  std::vector<Interval> slo_incident_budget;
  std::vector<SevCompliance> compliance;  // levels of model.severity that were paged
  std::uint64_t deploys = 0;
  std::uint64_t failed_deploys = 0;  // incidents caused by a deploy (or a badDeploy fault)
  Interval change_failure_rate;      // failed_deploys / deploys, Wilson with effective n
  DurationStats dora_mttr;           // detected → resolved, SEV-1 and SEV-2
  std::vector<TeamPages> teams;      // model.teams order
};

/// `replica crash`, `bad deploy`, ...
const char* cause_label(models::IncidentCause cause);

/// The incident figures of trials streamed past one at a time.
class IncidentSummaryAccumulator {
 public:
  /// Throws std::invalid_argument unless 0 < confidence < 1. Keeps a
  /// reference to `model`.
  IncidentSummaryAccumulator(const models::CompiledModel& model, double confidence);
  /// Adds the next trial (trial order): its incidents, teams and deploys.
  void add(const models::TrialResult& trial);
  IncidentSummary finish() const;

 private:
  struct Duration {
    RatioAccumulator mean;
    QuantileSketch values;
    std::vector<QuantileSketch::Keyed> trial;  // this trial's values (scratch)
    void flush();
    DurationStats stats(double confidence) const;
  };
  /// An incident's four parts with their sketch keys (NaN: did not happen),
  /// computed once for all the groups it counts in.
  using Parts = std::array<QuantileSketch::Keyed, 4>;
  struct Group {
    std::string label;
    std::uint64_t incidents = 0, human = 0, paged = 0;
    std::array<Duration, 4> parts;  // detect, acknowledge, mitigate, resolve
    void add(const models::IncidentRow& r, const Parts& d);
    IncidentGroup finish(double confidence) const;
  };
  struct Level {
    int level = 0;
    bool ack_target = false, respond_target = false;
    std::uint64_t paged = 0, ack_met = 0, respond_met = 0;  // totals
    std::uint64_t trial_paged = 0, trial_ack = 0, trial_respond = 0;
    RatioAccumulator ack, respond;
  };
  struct Team {
    RatioAccumulator night, noise;
    MeanAccumulator per_shift;
  };
  const models::CompiledModel& model_;
  double confidence_;
  IncidentSummary totals_;
  MeanAccumulator per_trial_;
  Group all_;
  std::vector<Group> sev_;                   // index 0: unassessed
  std::vector<Group> cause_;                 // IncidentCause order
  std::vector<Group> service_;               // model.services order
  std::vector<MeanAccumulator> slo_budget_;  // per SLO: budget consumed by incidents
  std::vector<Level> levels_;
  RatioAccumulator change_failure_;
  Duration dora_;
  std::vector<Team> teams_;
};

/// Adds the trials of a block read back from a results file (its rows and
/// incident records, trial order) to `acc`: what `relsim merge` and an MPI
/// run use to print the same incident figures as the run that wrote them.
void add_incident_figures(IncidentSummaryAccumulator& acc, const TrialBlock& block);

/// Summarises the incident rows and team counts of `results` (trial order)
/// at `confidence` in (0, 1).
IncidentSummary summarize_incidents(const models::CompiledModel& model,
                                    const std::vector<models::TrialResult>& results,
                                    double confidence);

/// The summary as text: an `Incidents` section with every group.
std::string format_incidents(const models::CompiledModel& model, const IncidentSummary& summary);

/// What `relsim run` prints after its summary (which already has MTTR by
/// severity and the team pages): MTTR and its parts by cause and by service,
/// SEV target compliance and DORA's change failure rate and MTTR. Empty
/// without incidents.
std::string format_incident_extras(const IncidentSummary& summary);
/// As above, with the SLOs' names for the budget by incident.
std::string format_incident_extras(const models::CompiledModel& model,
                                   const IncidentSummary& summary);

}  // namespace relsim::analysis
