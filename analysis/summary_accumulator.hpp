// The run summary computed while trials stream past, block by block, so a
// run of any length keeps only what exact figures need: per trial, one double
// per SLO (budget consumed, for its p95), plus fixed-size running state
// (Welford means, counts). Rows must be added in trial order: the means are
// sums in that order, which is what makes the result bit-identical to
// `summarize` of all results at once, for any thread count or shard split.
//
// The remaining-budget envelope needs every trial's series; `budget_envelope`
// reads them back a few samples at a time from wherever they were stored (a
// results file, or memory) in trial order, so its memory is trials × 16
// floats, not trials × series length.
//
// Not thread-safe (one reducer on one thread).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/estimators.hpp"
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

  /// Adds the next trial in trial order. Throws std::invalid_argument when
  /// the row does not have the model's shape.
  void add(const TrialRow& row);

  std::uint64_t trials() const { return trials_; }

  /// The summary of the rows added; `envelopes` (one per SLO, from
  /// budget_envelope) get the SLO window's start and step. Leaves the
  /// accumulator empty of per-trial values.
  RunSummary finish(std::vector<BudgetSeriesSummary> envelopes);

 private:
  struct SloState {
    MeanAccumulator attainment, consumed, minutes;
    std::vector<double> consumed_values;  // for the p95
    std::uint64_t met = 0;
    std::vector<std::uint64_t> reached;
    std::vector<MeanAccumulator> reached_at;
  };
  const models::CompiledModel& model_;
  double confidence_;
  std::uint64_t trials_ = 0;
  std::uint64_t events_ = 0;
  std::vector<SloState> slos_;
  std::vector<MeanAccumulator> availability_;
};

}  // namespace relsim::analysis
