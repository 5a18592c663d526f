// Importance sampling of the failure processes by proportional hazards
// (docs/results.md, "Rare events"). Under a bias θ > 0 for failure row j,
// each time to failure of that row is drawn with the hazard θ·h(t) instead
// of h(t): X = H⁻¹(H(X₀)/θ), where X₀ is the nominal draw from the same
// stream (so the stream's words, and every later draw from it, are those
// of the nominal run) and H = −ln S is the distribution's cumulative
// hazard. The trial's likelihood ratio (nominal over biased density of
// everything drawn) is then
//
//   LR = Π over failure draws: θ⁻¹·exp((θ − 1)·H(x))   for a draw that fired at x,
//                               exp((θ − 1)·H(c))       for one censored at c
//
// (censored: its clock was cancelled — a replica killed by its zone, a
// store failed for another reason — or the horizon came first). Every other
// random draw of the trial has the same distribution under both, so it
// cancels. A row whose distribution has no hazard (fixed, normal,
// empirical) keeps θ = 1.
//
// One FailureBias per Engine; `reset` per trial. Clocks are the model's
// failure streams (FailureRow::streams): each has at most one pending time
// to failure. Inactive (no biasing): draws are exactly the nominal ones and
// the hooks return at once.
#pragma once

#include <cstdint>
#include <vector>

#include "models/compiled_model.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace relsim::models {

/// What a biased trial reports besides its TrialResult.
struct BiasTally {
  double log_lr = 0.0;           // ln(nominal / biased likelihood) of the trial
  std::vector<double> failures;  // per failure row: times to failure that fired
  std::vector<double> exposure;  // per failure row: Σ H(x or c), the nominal
                                 // cumulative hazard of its draws over their exposure
};

class FailureBias {
 public:
  /// θ per failure row of `model` (1: nominal). Throws std::invalid_argument
  /// for a size mismatch or a θ that is not finite and positive. A θ ≠ 1 on
  /// a row without hazard is set back to 1 (see has_hazard).
  void configure(const CompiledModel& model, std::vector<double> theta);
  /// No biasing: nominal draws.
  void clear();
  bool active() const { return active_; }
  const std::vector<double>& theta() const { return theta_; }

  void reset();
  /// A time to failure of row `row` on clock `clock` (its failure stream,
  /// local index), drawn at `now`.
  sim::Duration draw(const FailureRow& fr, Index row, Index clock, sim::Rng& rng,
                     sim::Duration now) {
    const double x0 = fr.every.sample(rng);
    if (!active_) return sim::Duration::from_seconds(x0);
    return sim::Duration::from_seconds(biased(fr, row, clock, x0, now));
  }
  /// Clock `clock`'s time to failure fired now.
  void fired(Index clock) {
    if (active_) close(clock, true, sim::Duration::zero());
  }
  /// Clock `clock` was cancelled at `now` (no-op when it is not pending).
  void cancel(Index clock, sim::Duration now) {
    if (active_) close(clock, false, now);
  }
  /// The end of the trial: every pending clock is censored at `horizon`.
  void finish(sim::Duration horizon);
  const BiasTally& tally() const { return tally_; }

 private:
  double biased(const FailureRow& fr, Index row, Index clock, double x0, sim::Duration now);
  void close(Index clock, bool fired, sim::Duration now);

  struct Clock {
    Index row = kNoIndex;  // kNoIndex: nothing pending
    sim::Duration start;
    double x = 0.0;       // the biased time to failure (seconds)
    bool listed = false;  // in open_ (this trial)
  };
  const CompiledModel* model_ = nullptr;
  bool active_ = false;
  std::vector<double> theta_;      // per failure row
  std::vector<double> log_theta_;  // per failure row
  std::vector<Clock> clocks_;      // per failure stream
  std::vector<Index> open_;        // clocks drawn this trial (each once)
  BiasTally tally_;
};

}  // namespace relsim::models
