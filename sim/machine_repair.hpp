// The kernel's built-in example model: n machines that fail and are repaired
// by c repair crews in first-come-first-served order (the classic
// machine-repair / finite-source queue). It exercises the event loop, random
// streams and the runner before the reliability model exists, and with
// exponential failures and repairs it has a closed form (a birth–death chain)
// that the tests check the Monte Carlo against.
//
// Each machine's failures draw from stream "machine-<i>/failures" and each
// repair from "machine-<i>/repairs", so a machine's draws do not depend on
// how many machines or crews there are (common random numbers).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/distribution.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"
#include "sim/time.hpp"

namespace relsim::sim {

struct MachineRepairParams {
  std::uint32_t machines = 10;
  std::uint32_t crews = 2;
  Distribution time_to_failure = Distribution::exponential(100.0 * 3600);  // seconds
  Distribution repair_time = Distribution::exponential(10.0 * 3600);       // seconds
  Duration horizon = Duration::days(365);
  /// Statistics start after the warm-up, so the estimate is of the long-run
  /// regime rather than of a start with every machine up.
  Duration warmup = Duration::days(10);
};

/// One trial's figures (fixed size).
struct MachineRepairResult {
  double availability = 0.0;   // time-average fraction of machines up after warm-up
  double mean_queue = 0.0;     // time-average number of machines waiting for a crew
  std::uint64_t failures = 0;  // failures after warm-up
  std::uint64_t events = 0;    // events handled in the trial
};

/// Runs trials of the machine-repair model; one per thread, reused across
/// trials so the event queue's memory is kept.
class MachineRepairModel {
 public:
  explicit MachineRepairModel(MachineRepairParams params);
  /// Runs one trial with the given trial seed.
  MachineRepairResult run_trial(std::uint64_t trial_seed);

  // Event handler for Simulation::run_until.
  void handle(const Event& e, Simulation& sim);

 private:
  enum class Kind : std::uint16_t { failure, repair_done, warmup_end };
  void accumulate(Time now);
  void start_repair(std::uint32_t machine, Simulation& sim);

  MachineRepairParams p_;
  Simulation sim_;
  std::vector<Rng> failure_rng_;
  std::vector<Rng> repair_rng_;
  std::vector<std::uint32_t> waiting_;  // FIFO ring of machines waiting for a crew
  std::size_t waiting_head_ = 0;
  std::uint32_t up_ = 0;
  std::uint32_t busy_crews_ = 0;
  bool measuring_ = false;
  Time last_change_;
  double up_integral_ = 0.0;     // machine-seconds up
  double queue_integral_ = 0.0;  // machine-seconds waiting
  std::uint64_t failures_ = 0;
};

/// Exact long-run availability and mean queue length of the model when both
/// distributions are exponential (stationary birth–death chain).
struct MachineRepairExact {
  double availability;
  double mean_queue;
};
MachineRepairExact machine_repair_exact(std::uint32_t machines, std::uint32_t crews,
                                        double mean_time_to_failure, double mean_repair_time);

}  // namespace relsim::sim
