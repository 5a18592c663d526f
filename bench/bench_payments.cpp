// BM_PaymentsTrial: trials/s and events/s of the payments example
// (scenarios/payments/baseline.yaml: random failures and deploys over 30
// days) through the Monte Carlo runner at 1 and 2 threads, with detection and
// people on (the second argument 1: alerts, pages, responders, runbooks) and
// off (0: the compiled model's alerts and teams removed, so nothing is
// detected or paged; incidents are still recorded). The ratio of the two is
// the cost of detection and people (docs/model.md, "Detection").
#include <benchmark/benchmark.h>

#include <string>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim;

void BM_PaymentsTrial(benchmark::State& state) {
  const auto resolved =
      models::load_scenario(std::string(RELSIM_SOURCE_DIR) + "/scenarios/payments/baseline.yaml");
  models::CompiledModel model = models::compile(resolved.system, resolved.scenario);
  if (state.range(1) == 0) {
    model.alerts.clear();
    model.burn_windows.clear();
    model.teams.clear();
    model.escalations.clear();
  }
  sim::RunnerOptions o;
  o.trials = 1000;
  o.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto r = sim::run_trials<models::TrialResult>(o, [&model]() {
      return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
        return world.run(seed);
      };
    });
    for (const auto& t : r.results) events += t.events;
    ++o.master_seed;
  }
  state.counters["trials/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * o.trials), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events/trial"] =
      static_cast<double>(events) / static_cast<double>(state.iterations() * o.trials);
}

}  // namespace

BENCHMARK(BM_PaymentsTrial)
    ->ArgNames({"threads", "people"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 0})
    ->Args({2, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
