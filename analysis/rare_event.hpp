// Rare-event estimation by importance sampling (`relsim run --rare TARGET`;
// docs/results.md, "Rare events"): P(SLO not met), P(budget tier reached)
// or P(figure beyond a threshold) down to 1e-9 with thousands of trials.
//
// The failure processes are biased by proportional hazards
// (models/failure_bias.hpp): each failure row j draws its times to failure
// with hazard θ_j·h(t), and each trial carries the likelihood ratio w of
// the nominal model against the biased one. The θ_j are chosen by the
// cross-entropy method on pilot batches (closed form for proportional
// hazards: θ_j = Σ w·n_j / Σ w·Λ_j over the elite trials, n_j the failures
// of row j and Λ_j its nominal cumulative hazard over their exposure), with
// adaptive levels on the target's score (budget consumed, or the figure)
// until the event's own level is reached. The pilot's seeds derive from the
// run's seed alone, so every thread count and every shard computes the same
// θ, and the main trials (the run's trial seeds) give bit-identical results.
//
// Estimate: p̂ = mean of w·I; its interval is the delta-method normal
// interval on the log scale (never below 0); the effective sample size of
// the hits is (Σ w·I)² / Σ (w·I)²; the variance ratio is p̂(1 − p̂) over the
// variance of w·I (how many plain Monte Carlo trials one trial is worth).
// Warnings name degenerate weights. Pure functions apart from the threads
// run_rare starts; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/run_request.hpp"
#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::analysis {

/// The event of `--rare TARGET`.
struct RareTarget {
  enum class Kind : std::uint8_t { slo_not_met, tier_reached, above, below };
  enum class Figure : std::uint8_t { budget_consumed, budget_minutes, attainment, availability };
  Kind kind = Kind::slo_not_met;
  Figure figure = Figure::budget_consumed;
  models::Index slo = 0;      // SLO row (all kinds but availability)
  models::Index service = 0;  // service row (availability)
  std::size_t tier = 0;       // budget-policy tier (tier_reached)
  double threshold = 0.0;     // above / below
  /// The event happens when score >= level (the cross-entropy levels climb
  /// the score); `hit` is the exact event (e.g. not met).
  double level = 1.0;
  std::string spec;         // as given
  std::string description;  // e.g. `P(SLO web-availability not met)`

  double score(const models::TrialResult& t) const;
  bool hit(const models::TrialResult& t) const;
};

/// Parses TARGET: `slo_not_met[:SLO]`, `tier:ACTION[:SLO]` (ACTION: freeze,
/// allHands, leadershipReview), `FIGURE>VALUE[:NAME]` or `FIGURE<VALUE[:NAME]`
/// with FIGURE budget_consumed, budget_minutes, attainment (of an SLO) or
/// availability (of a service); VALUE may end in `%`. The SLO may be left
/// out when the model has one. Throws std::invalid_argument naming `--rare`,
/// what is wrong and what is expected.
RareTarget parse_rare_target(const models::CompiledModel& model, const std::string& spec);

struct RareOptions {
  std::uint64_t pilot_trials = 1000;  // per cross-entropy stage
  double elite_fraction = 0.1;        // ρ: the share of a stage's trials that sets its level
  int max_stages = 20;
  /// Skip the cross-entropy method: this θ for every failure process with a
  /// hazard (`--rare-bias`).
  std::optional<double> fixed_bias;
};

/// One cross-entropy stage of the pilot.
struct RareStage {
  double level = 0.0;       // the stage's level on the score
  std::uint64_t elite = 0;  // trials at or above it
  std::uint64_t hits = 0;   // trials that reached the event
  bool boosted = false;     // no trial stood out: every θ was multiplied by kBoost
  double mean_theta = 1.0;  // geometric mean of the θ after the stage
};

struct RarePlan {
  std::vector<double> theta;  // per failure row (1: unbiased)
  std::vector<RareStage> stages;
  bool reached = false;  // a stage's level reached the event's
  std::uint64_t pilot_trials = 0;
};

/// The cross-entropy pilot (or `fixed_bias`): θ per failure row. Runs
/// options.pilot_trials trials per stage on `threads` threads; its seeds
/// derive from `master_seed` only. Throws std::invalid_argument when no
/// failure process can be biased.
RarePlan plan_failure_bias(const models::CompiledModel& model, const RareTarget& target,
                           std::uint64_t master_seed, unsigned threads, const RareOptions& options);

/// One main trial: its likelihood ratio and whether it reached the event.
struct RareSample {
  double weight = 0.0;
  bool hit = false;
};

struct RareEstimate {
  std::uint64_t trials = 0;
  std::uint64_t hits = 0;
  double estimate = 0.0;  // p̂
  double low = 0.0, high = 0.0;
  double confidence = 0.95;
  double relative_half_width = 0.0;  // (high − low) / 2 / p̂
  double ess = 0.0;                  // of the hits' weights
  double mean_weight = 0.0;          // of all trials (1 expected)
  double variance_ratio = 0.0;       // plain Monte Carlo variance / the weighted one
  double largest_share = 0.0;        // of p̂ carried by one trial
  std::vector<std::string> warnings;
};

/// The estimate from the main trials' samples (in trial order).
RareEstimate estimate_rare(const std::vector<RareSample>& samples, double confidence);

struct RareOutcome {
  RareTarget target;
  RarePlan plan;
  std::vector<RareSample> samples;  // this run's (shard's) trials, in trial order
  RareEstimate estimate;
  std::uint64_t master_seed = 0;
  std::uint64_t first_trial = 0;
  std::uint64_t total_trials = 0;  // of the whole run (a shard holds part)
  sim::Shard shard{};
  double pilot_seconds = 0.0;
  Timing timing;  // of the main trials
};

/// Runs a rare-event estimate: `request` gives trials, seed, threads, shard
/// and confidence (a stopping rule, trial index, results file, MPI rank or
/// envelopes are refused with std::invalid_argument). Throws as
/// parse_rare_target and plan_failure_bias do, and sim::TrialFailure.
RareOutcome run_rare(const models::CompiledModel& model, const RunRequest& request,
                     const std::string& target, const RareOptions& options);

/// Per (failure row, class), index row·models::kBiasClasses + class: whether
/// its factor matters — a row with a hazard, in its up class or, for replica
/// crashes of a service with more than one replica, its degraded class.
std::vector<std::uint8_t> biasable_factors(const models::CompiledModel& model);

/// The names of the failure rows (`web replicaCrash`), for reports.
std::vector<std::string> failure_process_names(const models::CompiledModel& model);

}  // namespace relsim::analysis
