// BM_Runner: trials/s of the kernel's machine-repair example through the
// Monte Carlo runner at 1 and 2 threads (the ratio is the parallel speed-up).
#include <benchmark/benchmark.h>

#include "sim/machine_repair.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim::sim;

void BM_Runner(benchmark::State& state) {
  MachineRepairParams params;  // 10 machines, 2 crews, 365 days
  RunnerOptions o;
  o.trials = 256;
  o.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto r = run_trials<MachineRepairResult>(o, [&params]() {
      return [model = MachineRepairModel(params)](std::uint64_t, std::uint64_t seed) mutable {
        return model.run_trial(seed);
      };
    });
    for (const auto& t : r.results) events += t.events;
    ++o.master_seed;
  }
  state.counters["trials/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * o.trials), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_Runner)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
