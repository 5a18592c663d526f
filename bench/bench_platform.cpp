// BM_PlatformTrial/N/threads: one 30-day trial of the generated platform of
// N services (models/platform_generator.hpp, docs/scaling.md) through the
// Monte Carlo runner. Counters: events/trial, ns/event (wall time per event
// per thread, so 1- and 2-thread rows compare), trials/s and the process's
// peak resident set (MB; getrusage, so the largest of all cases run so far
// in this process; run one case with --benchmark_filter for its own) and
// cpu_ns/event, the process CPU time per event (robust on a loaded machine).
// The target (issue 18): ns/event at N = 1000 within 2x of N = 10.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/platform_generator.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim;

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

/// CPU seconds of the whole process (all threads): on a shared, loaded
/// machine the figure that does not depend on what else runs.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

/// The generated platform, written to a scratch directory and loaded the
/// way `relsim run` loads it.
models::CompiledModel platform_model(int services) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("relsim-bench-platform-" + std::to_string(services));
  std::filesystem::create_directories(dir);
  const models::PlatformText text = models::generate_platform(services, "platform");
  std::ofstream(dir / "system.yaml") << text.system;
  std::ofstream(dir / "scenario.yaml") << text.scenario;
  const auto resolved = models::load_scenario((dir / "scenario.yaml").string());
  std::filesystem::remove_all(dir);
  return models::compile(resolved.system, resolved.scenario);
}

void BM_PlatformTrial(benchmark::State& state) {
  const int services = static_cast<int>(state.range(0));
  const models::CompiledModel model = platform_model(services);
  sim::RunnerOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  o.trials = o.threads;  // one trial per thread per iteration
  std::uint64_t events = 0;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) {
    const auto r = sim::run_trials<models::TrialResult>(o, [&model]() {
      return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
        return world.run(seed);
      };
    });
    for (const auto& t : r.results) events += t.events;
    ++o.master_seed;
  }
  const double cpu = process_cpu_seconds() - cpu0;
  const double trials = static_cast<double>(state.iterations() * o.trials);
  state.counters["trials/s"] = benchmark::Counter(trials, benchmark::Counter::kIsRate);
  state.counters["events/trial"] = static_cast<double>(events) / trials;
  // Rate counters divide by the wall time; ns/event = 1e9 · threads / (events/s).
  state.counters["ns/event"] =
      benchmark::Counter(static_cast<double>(events) / (1e9 * static_cast<double>(o.threads)),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["cpu_ns/event"] = cpu * 1e9 / static_cast<double>(events);
  state.counters["peakRSS_MB"] = peak_rss_mb();
}

}  // namespace

BENCHMARK(BM_PlatformTrial)
    ->ArgNames({"services", "threads"})
    ->Args({10, 1})
    ->Args({100, 1})
    ->Args({1000, 1})
    ->Args({1000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
