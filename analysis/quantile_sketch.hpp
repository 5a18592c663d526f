// A streamed, mergeable quantile estimate with a confidence interval, in
// memory bounded whatever the number of values (docs/results.md,
// "Quantiles").
//
// Values go to a log-bucketed histogram of relative accuracy α = 0.1 %
// (bucket k holds (γ^(k−1), γ^k] with γ = (1 + α)/(1 − α); negative values in
// mirrored buckets; |x| < 1e-9 counts as 0): integer counts, so merging two
// sketches, or feeding values in any grouping, gives the same counts. The
// buckets live in pages of kPageCells allocated when a value first lands in
// them, so a range widened by a rare far value costs one page, not the gap.
// While a sketch has no more than kExactValues values it keeps them as they
// are, with their keys grouped by trial, and no page at all: its quantiles
// are the exact order statistics and its by-trial sums come from the
// groups. The pages are built from the groups when the kExactValues-th value
// is passed (the same integer counts as if they had been kept all along),
// and the values are freed; beyond, an estimate is its bucket's
// representative (within α of the order statistic) and an interval end is
// its bucket's outer edge, which folds the bucket error into the interval.
// (A run over a 1,000-service platform keeps some 4,000 incident sketches
// of a few hundred values each: as pages they held 140 MB, as values a few.)
//
// A value's bucket key costs a logarithm: a caller that adds the same value
// to several sketches computes `key_of` once and passes `Keyed` values.
//
// Two kinds of interval:
//  - `iid_interval` for one value per trial (the p95 of budget consumed): the
//    distribution-free order-statistic interval (ranks from Binomial(n, p)).
//  - `clustered_interval` for values pooled over the incidents of many
//    trials (`add_trial` once per trial, with that trial's values): the trial
//    is the independent unit. For the bucket b holding the estimate, the
//    sketch knows Σᵢ aᵢ(b)², Σᵢ aᵢ(b) nᵢ and Σᵢ nᵢ², where aᵢ(b) counts trial
//    i's values up to b and nᵢ all its values (O(values) per trial: aᵢ is a
//    step function, kept as increments at its steps and summed at the end).
//    So Var(F̂(ξ̂ₚ)) by trial is the ratio estimator's (Woodruff's method), the
//    design effect deff = Var / (p(1 − p)/n) ≥ 1 gives an effective sample
//    n / deff, and the ranks are the order-statistic interval's for that
//    effective sample, scaled back to n. An end no sample of that size could
//    bound is infinite (above) or the range's floor `lower_bound` (below).
//
// The result depends only on the values and their grouping into trials, not
// on the order of trials within the counts (integer sums), so it is the same
// for any thread count and shard split. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "analysis/run_summary.hpp"

namespace relsim::analysis {

class QuantileSketch {
 public:
  /// Relative accuracy of a bucket's representative.
  static constexpr double kAlpha = 0.001;
  /// Values kept exactly (then the histogram alone answers).
  static constexpr std::size_t kExactValues = 4096;

  /// A value with its bucket key (key_of(value)), computed once for all the
  /// sketches that receive the value.
  struct Keyed {
    double value = 0.0;
    std::int32_t key = 0;
  };
  /// The bucket key of `x` (one logarithm); not NaN.
  static std::int32_t key_of(double x);

  /// Adds one value (one trial's, for iid_interval).
  void add(double x);
  /// Adds the values of one trial (possibly none) for clustered_interval.
  void add_trial(std::span<const double> values);
  /// The same with keys computed by the caller (each key_of(value)): no
  /// logarithm, and O(values) apart from sorting a trial's keys.
  void add_trial(std::span<const Keyed> values);

  std::uint64_t count() const { return n_; }
  std::uint64_t trials() const { return trials_; }
  /// Whether every value is still held exactly.
  bool exact() const { return n_ <= kExactValues; }
  /// Bytes this sketch holds on the heap (pages, their directory, exact values).
  std::size_t heap_bytes() const;

  /// The empirical p-quantile x(⌈n·p⌉) with the order-statistic interval of
  /// independent values, its low end at least `lower_bound` (the quantity's
  /// floor); NaN estimate when empty.
  QuantileInterval iid_interval(double p, double confidence, double lower_bound) const;
  /// The same estimate with the interval by trial (see the file comment);
  /// `lower_bound` is the quantity's floor (0 for durations). NaN ends below
  /// kMinPooledObservations values or kMinPooledTrials trials with values.
  QuantileInterval clustered_interval(double p, double confidence, double lower_bound) const;
  /// clustered_interval at each of `ps`, sorting the held values once.
  std::vector<QuantileInterval> clustered_intervals(std::span<const double> ps, double confidence,
                                                    double lower_bound) const;

 private:
  /// Per bucket: its count and the increments of Σᵢ aᵢ(b)² and Σᵢ aᵢ(b) nᵢ at
  /// the steps of aᵢ (prefix sums of them give the sums at a bucket).
  struct Cell {
    std::uint64_t count = 0, sq = 0, an = 0;
  };
  /// Keys are capped at ±kMaxKey (|x| about 1e15).
  static constexpr std::int32_t kMaxKey = 30000;
  /// Buckets per page: 32 cells (768 bytes) cover a factor γ³² ≈ 1.066.
  static constexpr int kPageBits = 5;
  static constexpr std::int32_t kPageCells = 1 << kPageBits;
  using Page = std::array<Cell, kPageCells>;
  /// The cell of `key` (its page allocated on first use).
  Cell& cell(std::int32_t key);
  /// Adds one trial's values (`keys` sorted; `values` the same values in any
  /// order, each key_of'd to one of `keys`): counters, then the held values
  /// while the sketch stays exact, else the cells.
  template <class ValueAt>
  void add_sorted(const std::int32_t* keys, std::size_t n, ValueAt&& value_at);
  /// The cells of one trial's sorted keys: aᵢ's steps (see the file comment).
  void add_cells(const std::int32_t* keys, std::size_t n);
  /// The sums up to bucket `b` while exact: Σ aᵢ(b), Σ aᵢ(b)², Σ aᵢ(b) nᵢ,
  /// as the cells' prefix sums would give them.
  void exact_sums(std::int32_t b, std::uint64_t& cum, std::uint64_t& sq, std::uint64_t& an) const;
  /// The held values and keys in ascending order (empty unless exact).
  struct Sorted {
    std::vector<double> values;
    std::vector<std::int32_t> keys;
  };
  Sorted sorted() const;
  QuantileInterval clustered_interval(double p, double confidence, double lower_bound,
                                      const Sorted& held) const;
  /// Calls f(key, cell) for every bucket in ascending order of value; stops
  /// when f returns true.
  template <class F>
  void visit(F&& f) const;
  /// The value of rank r (1-based; 0 → −∞, n + 1 → +∞): exact, or the
  /// bucket's low edge (side < 0), representative (0) or high edge (> 0).
  double value_at(std::uint64_t rank, int side, const std::vector<double>& sorted) const;
  QuantileInterval from_ranks(double p, std::uint64_t lower, std::uint64_t upper, double coverage,
                              double lower_bound, const std::vector<double>& sorted) const;

  std::uint64_t n_ = 0;
  std::uint64_t trials_ = 0;
  std::uint64_t trials_with_values_ = 0;
  /// Pages of keys in ascending order (negative values, zero, positive):
  /// page p holds keys from (first_page_ + p) · kPageCells − kMaxKey on;
  /// null where no value fell.
  std::int32_t first_page_ = 0;
  std::vector<std::unique_ptr<Page>> pages_;
  std::uint64_t sum_nn_ = 0;  // Σ nᵢ²
  /// While n_ <= kExactValues (else empty): the values, their keys sorted
  /// within each trial, and where each trial with values ends in them.
  std::vector<double> exact_;
  std::vector<std::int32_t> exact_keys_;
  std::vector<std::uint32_t> trial_ends_;
  std::vector<std::int32_t> keys_;  // scratch for add_trial
};

}  // namespace relsim::analysis
