// The machine-repair example against its closed form: the Monte Carlo
// estimate's own 99 % interval must contain the exact stationary value.
#include "sim/machine_repair.hpp"

#include <gtest/gtest.h>

#include "analysis/estimators.hpp"
#include "sim/runner.hpp"

namespace relsim::sim {
namespace {

struct Estimate {
  analysis::Interval availability;
  analysis::Interval queue;
};

Estimate simulate(const MachineRepairParams& params, std::uint64_t trials, std::uint64_t seed) {
  RunnerOptions o;
  o.master_seed = seed;
  o.trials = trials;
  const auto results = run_trials<MachineRepairResult>(o, [&params]() {
    return [model = MachineRepairModel(params)](std::uint64_t, std::uint64_t s) mutable {
      return model.run_trial(s);
    };
  });
  analysis::MeanAccumulator a, q;
  for (const auto& r : results.results) {
    a.add(r.availability);
    q.add(r.mean_queue);
  }
  return {a.interval(0.99), q.interval(0.99)};
}

TEST(MachineRepair, ExactFormulaMatchesHandComputedCase) {
  // One machine, one crew: availability = MTBF / (MTBF + MTTR).
  const auto one = machine_repair_exact(1, 1, 90.0, 10.0);
  EXPECT_NEAR(one.availability, 0.9, 1e-15);
  EXPECT_NEAR(one.mean_queue, 0.0, 1e-15);
  // Two machines, one crew, rates lambda = 1, mu = 1: pi ∝ (1, 2, 2).
  const auto two = machine_repair_exact(2, 1, 1.0, 1.0);
  EXPECT_NEAR(two.availability, (1.0 * 2 + 2.0 * 1) / 5.0 / 2.0, 1e-15);
  EXPECT_NEAR(two.mean_queue, 2.0 / 5.0, 1e-15);
}

TEST(MachineRepair, MonteCarloIntervalContainsExactStationaryValues) {
  MachineRepairParams p;
  p.machines = 8;
  p.crews = 2;
  p.time_to_failure = Distribution::exponential(50.0 * 3600);
  p.repair_time = Distribution::exponential(10.0 * 3600);
  p.horizon = Duration::days(200);
  p.warmup = Duration::days(20);
  const auto exact = machine_repair_exact(8, 2, 50.0 * 3600, 10.0 * 3600);
  const auto est = simulate(p, 400, 7);
  EXPECT_TRUE(est.availability.contains(exact.availability))
      << est.availability.low << " .. " << est.availability.high << " vs " << exact.availability;
  EXPECT_TRUE(est.queue.contains(exact.mean_queue))
      << est.queue.low << " .. " << est.queue.high << " vs " << exact.mean_queue;
  // The interval is informative, not vacuous.
  EXPECT_LT(est.availability.half_width(), 0.01);
}

TEST(MachineRepair, SingleMachineAvailabilityIsInsensitiveToRepairDistribution) {
  // Alternating renewal: A = MTBF / (MTBF + MTTR) for any repair law.
  MachineRepairParams p;
  p.machines = 1;
  p.crews = 1;
  p.time_to_failure = Distribution::exponential(9.0 * 3600);
  p.repair_time = Distribution::fixed(1.0 * 3600);
  p.horizon = Duration::days(120);
  p.warmup = Duration::days(2);
  const auto est = simulate(p, 400, 11);
  EXPECT_TRUE(est.availability.contains(0.9))
      << est.availability.low << " .. " << est.availability.high;
  EXPECT_LT(est.availability.half_width(), 0.01);
}

}  // namespace
}  // namespace relsim::sim
