// Importance sampling of the failure processes by proportional hazards
// (docs/results.md, "Rare events"). Each failure row j has two bias
// factors, θ_j,up and θ_j,degraded: a time to failure runs with hazard
// θ·h(a) at age a, where θ is the factor of the class its owner is in at
// the time — degraded for a replica crash while another replica of the
// same service is down (restarting or waiting), up otherwise (zone
// outages, datastore and cache failures are always `up`). Raising the
// failure rates mostly where the system already lost redundancy is the
// dependability literature's failure biasing; with θ constant it is plain
// proportional hazards.
//
// Sampling: E = H(X₀), X₀ the nominal draw of the clock's stream (so the
// stream's words, and every later draw from it, are those of the nominal
// run; H = −ln S the cumulative hazard), is the biased hazard the clock
// must consume; it fires at the age where Σ θ_k·ΔH_k reaches E (ΔH_k the
// nominal hazard of segment k of constant θ). When the owner's class
// changes, the pending clocks are re-timed (`rebias`). The likelihood
// ratio of the trial (nominal over biased density of everything drawn) is
//
//   LR = Π over failure draws exp(Σ_k (θ_k − 1)·ΔH_k) · (θ at the failure)⁻¹ if it fired
//
// (a draw is censored when its clock is cancelled — a replica killed by
// its zone, a store failed for another reason — or the horizon comes
// first). Every other random draw of the trial has the same distribution
// under both, so it cancels. A row whose distribution has no hazard (fixed,
// normal, empirical) keeps θ = 1.
//
// One FailureBias per Engine; `reset` per trial. Clocks are the model's
// failure streams (FailureRow::streams): each has at most one pending time
// to failure. Inactive (no biasing): draws are exactly the nominal ones and
// the hooks return at once.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/compiled_model.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace relsim::models {

/// The class of a failure clock's owner (an index into the factors of a row).
inline constexpr int kBiasClasses = 2;
inline constexpr int kBiasUp = 0;
inline constexpr int kBiasDegraded = 1;

/// What a biased trial reports besides its TrialResult. Per (failure row,
/// class), index row·kBiasClasses + class.
struct BiasTally {
  double log_lr = 0.0;           // ln(nominal / biased likelihood) of the trial
  std::vector<double> failures;  // times to failure that fired in that class
  std::vector<double> exposure;  // nominal cumulative hazard its clocks ran through in it
};

class FailureBias {
 public:
  /// θ per failure row of `model` (both classes alike) or per (row, class)
  /// (size rows·kBiasClasses); 1 is nominal. Throws std::invalid_argument
  /// for another size or a θ that is not finite and positive. A row without
  /// hazard (see sim::Distribution::has_hazard) keeps 1.
  void configure(const CompiledModel& model, std::vector<double> theta);
  /// No biasing: nominal draws.
  void clear();
  bool active() const { return active_; }
  const std::vector<double>& theta() const { return theta_; }

  void reset();
  /// A time to failure of row `row` on clock `clock` (its failure stream,
  /// local index), drawn at `now` with the owner in class `cls`.
  sim::Duration draw(const FailureRow& fr, Index row, Index clock, sim::Rng& rng, sim::Duration now,
                     int cls) {
    const double x0 = fr.every.sample(rng);
    if (!active_) return sim::Duration::from_seconds(x0);
    return sim::Duration::from_seconds(biased(fr, row, clock, x0, now, cls));
  }
  /// The owner of clock `clock` is now in class `cls`: the time (from the
  /// trial's start) at which the clock now fires; nullopt when it is not
  /// pending. The caller reschedules its event.
  std::optional<sim::Duration> rebias(Index clock, int cls, sim::Duration now);
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
  double biased(const FailureRow& fr, Index row, Index clock, double x0, sim::Duration now,
                int cls);
  void close(Index clock, bool fired, sim::Duration now);
  /// Ends the clock's current segment at nominal hazard h.
  void end_segment(Index clock, double h);

  struct Clock {
    Index row = kNoIndex;  // kNoIndex: nothing pending
    int cls = kBiasUp;
    sim::Duration start;
    double target = 0.0;  // E: the biased hazard to consume
    double spent = 0.0;   // biased hazard consumed by the closed segments
    double seg_h = 0.0;   // nominal hazard at the start of the current segment
    double x = 0.0;       // the age (seconds) at which it fires
    bool listed = false;  // in open_ (this trial)
  };
  const CompiledModel* model_ = nullptr;
  bool active_ = false;
  std::vector<double> theta_;      // per (row, class)
  std::vector<double> log_theta_;  // per (row, class)
  std::vector<Clock> clocks_;      // per failure stream
  std::vector<Index> open_;        // clocks drawn this trial (each once)
  BiasTally tally_;
};

}  // namespace relsim::models
