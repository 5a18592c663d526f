// One trial of a compiled model: the reliability dynamics of docs/model.md
// ("Dynamics") on the simulation kernel. Failure processes, deployments,
// injected faults and automatic recovery change the state; between events the
// fluid view (models/fluid.hpp) gives the ratios, and the SLO ledger
// integrates good and total requests. Alert rules, on-call responders and
// their runbooks (docs/model.md, "Detection", "People", "Runbooks") detect,
// page and act on the same state, and every incident is recorded.
//
// Ownership: a World borrows its model (which must outlive it) and owns all
// per-trial state; `run` resets it, so one World per worker thread runs many
// trials without allocating after the first. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/failure_bias.hpp"
#include "models/trial_result.hpp"

namespace relsim::models {

class TrialObserver;
struct Engine;  // models/world_impl.hpp

class World {
 public:
  explicit World(const CompiledModel& model);
  ~World();
  World(World&&) noexcept;
  World& operator=(World&&) noexcept;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  /// Runs one trial over the model's horizon with the random streams of
  /// `trial_seed` (sim::trial_seed(master, index)) and returns its result.
  TrialResult run(std::uint64_t trial_seed);
  /// Reports later trials to `observer` (borrowed, may be null; see
  /// models/trial_observer.hpp). The results do not change.
  void set_observer(TrialObserver* observer);

  /// For tests of the engine itself (slow; off by default).
  struct Checks {
    /// After every incremental update of the fluid, re-evaluate it in full
    /// and throw std::logic_error unless the two agree bit for bit.
    bool verify_incremental = false;
    /// Integrate every event by Simpson's rule over full evaluations, as
    /// while some ratio drifts (docs/model.md, "What an event costs"): the
    /// reference the lazy accounting is compared with.
    bool always_eager = false;
  };
  void set_checks(const Checks& checks);

  /// Importance sampling (models/failure_bias.hpp): later trials draw the
  /// times to failure of failure row j with hazard θ·h, θ = theta[j] (sized
  /// like model.failures) or theta[j·kBiasClasses + class] (the up and
  /// degraded classes); empty: nominal again, the default. They keep their
  /// likelihood ratio and per-(row, class) failures and exposure in bias_tally().
  void set_failure_bias(const std::vector<double>& theta);
  /// The last trial's tally (meaningful only with a failure bias set).
  const BiasTally& bias_tally() const;

 private:
  std::unique_ptr<Engine> impl_;
};

}  // namespace relsim::models
