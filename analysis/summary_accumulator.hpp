// The run summary computed while trials stream past, block by block, in
// memory bounded whatever the trial count: fixed-size running state (Welford
// means and co-moments of per-trial sums, counts) and, for quantiles, one
// QuantileSketch per figure (quantile_sketch.hpp: a log-bucketed histogram
// with integer counts, exact up to its first 4,096 values). Figures pooled
// over incidents get intervals by trial (the trial is the independent unit:
// ratio estimators of per-trial sums, Woodruff quantile intervals with the
// trials' variance). Blocks must be added in trial order: the means are sums
// in that order, which is what makes the result bit-identical to `summarize`
// of all results at once, for any thread count or shard split, and for
// `relsim merge` of shard files (which replays the stored rows in trial
// order rather than combining partial moments, whose floating-point result
// would depend on the split).
//
// The remaining-budget envelope needs every trial's series; `budget_envelope`
// reads them back a few samples at a time from wherever they were stored (a
// results file, or memory) in trial order, so its memory is trials × 16
// floats, not trials × series length.
//
// Not thread-safe (one reducer on one thread).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/quantile_sketch.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

/// Samples per read in budget_envelope.
inline constexpr std::size_t kEnvelopeColumns = 16;

/// Fills `out` with samples [first, first + count) of every trial's series of
/// one SLO: trials × count values, trial-major, in trial order.
using SeriesColumnReader =
    std::function<void(std::size_t first, std::size_t count, std::vector<float>& out)>;

/// The per-sample mean (a sum in trial order) and empirical 5 % and 95 %
/// quantiles of `trials` series of `samples` samples each; `start` and `step`
/// are left for the caller. Empty when trials or samples is 0.
BudgetSeriesSummary budget_envelope(std::uint64_t trials, std::size_t samples,
                                    const SeriesColumnReader& read);

class SummaryAccumulator {
 public:
  /// Throws std::invalid_argument unless 0 < confidence < 1.
  SummaryAccumulator(const models::CompiledModel& model, double confidence);

  /// Adds the next trials (rows in trial order, their incidents in trial
  /// order). Throws std::invalid_argument when a row does not have the
  /// model's shape or an incident belongs to no row of the block.
  void add(const TrialBlock& block);

  std::uint64_t trials() const { return trials_; }

  /// The summary of the blocks added so far, with empty remaining-budget
  /// envelopes (for `--until` between blocks). O(n log n) in the values kept.
  RunSummary snapshot() const;

  /// The summary of the blocks added; `envelopes` (one per SLO, from
  /// budget_envelope) get the SLO window's start and step.
  RunSummary finish(std::vector<BudgetSeriesSummary> envelopes) const;

 private:
  struct SloState {
    MeanAccumulator attainment, consumed, minutes;
    QuantileSketch consumed_values;  // for the p95
    std::uint64_t met = 0;
    std::vector<std::uint64_t> reached;
    std::vector<MeanAccumulator> reached_at;
  };
  struct TeamState {
    MeanAccumulator pages, per_shift, night, noise, tickets;
  };
  struct DurationState {
    RatioAccumulator mean;  // Σ durations / Σ incidents, per trial
    QuantileSketch values;
    std::vector<QuantileSketch::Keyed> trial;  // this trial's values (scratch)
  };
  struct GroupState {
    std::uint64_t incidents = 0;
    MeanAccumulator per_trial;
    RatioAccumulator human_needed, escalated, escalations, acked_after_escalation, other_team_acked;
    std::array<DurationState, kIncidentMetrics> durations;
  };
  void add_row(const TrialRow& row, const IncidentRecord* first, const IncidentRecord* last);

  const models::CompiledModel& model_;
  double confidence_;
  std::uint64_t trials_ = 0;
  std::uint64_t events_ = 0;
  std::vector<SloState> slos_;
  std::vector<MeanAccumulator> availability_;
  std::vector<TeamState> teams_;
  MeanAccumulator pages_;
  std::array<GroupState, kSeverityGroups> groups_;
  std::vector<std::uint32_t> owner_;  // per component: the owning team (0xFFFFFFFF: none)
};

}  // namespace relsim::analysis
