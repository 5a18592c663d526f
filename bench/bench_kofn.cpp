// BM_KofN: the engine alone on the small k-of-n model of issue 18
// (scenarios/kofn/two-of-three.yaml: one service of 3 replicas of which 2
// carry the demand, Exp(50 h) crashes, Exp(5 h) restarts, 5,000 h, no SLO),
// one thread through the Monte Carlo runner: trials/s, events/trial and the
// process CPU time per trial (cpu_us/trial, robust on a loaded machine).
// `relsim run scenarios/kofn/two-of-three.yaml --threads 1` measures the
// same model end to end (loading, the run's summary and its output); the
// SimPy peer is /work/shared/peers/simpy_kofn.py (docs/scaling.md).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim;

/// CPU seconds of the whole process (all threads): on a shared, loaded
/// machine the figure that does not depend on what else runs.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

void BM_KofN(benchmark::State& state) {
  const auto resolved =
      models::load_scenario(std::string(RELSIM_SOURCE_DIR) + "/scenarios/kofn/two-of-three.yaml");
  const models::CompiledModel model = models::compile(resolved.system, resolved.scenario);
  sim::RunnerOptions o;
  o.trials = 2000;
  o.threads = 1;
  std::uint64_t events = 0;
  const double cpu0 = process_cpu_seconds();
  double served = 0.0;
  for (auto _ : state) {
    const auto r = sim::run_trials<models::TrialResult>(o, [&model]() {
      return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
        return world.run(seed);
      };
    });
    for (const auto& t : r.results) {
      events += t.events;
      served += t.services[0].good / t.services[0].total;
    }
    ++o.master_seed;
  }
  const double cpu = process_cpu_seconds() - cpu0;
  const double trials = static_cast<double>(state.iterations() * o.trials);
  state.counters["trials/s"] = benchmark::Counter(trials, benchmark::Counter::kIsRate);
  state.counters["events/trial"] = static_cast<double>(events) / trials;
  state.counters["cpu_us/trial"] = cpu * 1e6 / trials;
  state.counters["served"] = served / trials;  // compare with the SimPy model's estimate
}

}  // namespace

BENCHMARK(BM_KofN)->UseRealTime()->Unit(benchmark::kMillisecond);
