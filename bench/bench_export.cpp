// Export overhead (issue 7): trials/s of the payments baseline (2 threads,
// 2048 trials per iteration, blocks of 1024) run three ways —
//   BM_ExportOverhead/0: run_trials and summarize, nothing written (the floor);
//   BM_ExportOverhead/1: what `relsim run` does without --out (streaming
//                        summary; the remaining-budget series go to a scratch
//                        HDF5 store for the envelope);
//   BM_ExportOverhead/2: `relsim run --out x.h5` (the whole HDF5 export);
//   BM_ExportOverhead/3: `--out dir/` (CSV directory);
//   BM_ExportOverhead/4: `--out x.h5 --compress-series`.
// `cpu_us/trial` (process CPU time over all threads per trial) is the robust
// figure on a shared machine; trials/s is wall-clock.
// and BM_MergeShards: reading 100 shard files of 20 trials each back and
// writing the merged HDF5 file (what `relsim merge` does after its checks).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/results_file.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_summary.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace {

using namespace relsim;
namespace fs = std::filesystem;

models::CompiledModel payments() {
  const auto resolved =
      models::load_scenario(std::string(RELSIM_SOURCE_DIR) + "/scenarios/payments/baseline.yaml");
  return models::compile(resolved.system, resolved.scenario);
}

/// CPU seconds of the whole process (all threads) so far: the cost of a mode
/// when other work shares the machine and wall time is noisy.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

fs::path scratch_dir() {
  const fs::path p = fs::temp_directory_path() / ("relsim-bench-" + std::to_string(getpid()));
  fs::create_directories(p);
  return p;
}

void BM_ExportOverhead(benchmark::State& state) {
  const models::CompiledModel model = payments();
  const fs::path dir = scratch_dir();
  sim::RunnerOptions o;
  o.trials = 2048;
  o.threads = 2;
  const auto mode = state.range(0);
  const double cpu_start = process_cpu_seconds();
  auto worker = [&model]() {
    return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
      return world.run(seed);
    };
  };
  for (auto _ : state) {
    if (mode == 0) {
      const auto r = sim::run_trials<models::TrialResult>(o, worker);
      benchmark::DoNotOptimize(analysis::summarize(model, r.results, 0.95));
    } else {
      analysis::RunMeta meta;
      meta.trials = o.trials;
      meta.trial_count = o.trials;
      std::optional<analysis::ExportTarget> target;
      if (mode == 2)
        target = analysis::ExportTarget{(dir / "x.h5").string(), analysis::ExportFormat::hdf5};
      if (mode == 4) {
        target =
            analysis::ExportTarget{(dir / "x.h5").string(), analysis::ExportFormat::hdf5, true};
      }
      if (mode == 3)
        target = analysis::ExportTarget{(dir / "x").string(), analysis::ExportFormat::csv};
      analysis::ResultsWriter writer(model, meta, target);
      sim::run_trials_in_blocks<models::TrialResult>(
          o, analysis::kResultsChunkTrials, worker,
          [&](sim::TrialResults<models::TrialResult>&& b) {
            writer.record(analysis::to_block(model, b.results, b.first_trial));
            return true;
          });
      const auto summary = writer.summarize();
      writer.commit(summary, {});
    }
    ++o.master_seed;
  }
  const double cpu = process_cpu_seconds() - cpu_start;
  fs::remove_all(dir);
  const auto trials = static_cast<double>(state.iterations() * o.trials);
  state.counters["trials/s"] = benchmark::Counter(trials, benchmark::Counter::kIsRate);
  state.counters["cpu_us/trial"] = cpu / trials * 1e6;
}

void BM_MergeShards(benchmark::State& state) {
  const models::CompiledModel model = payments();
  const fs::path dir = scratch_dir();
  constexpr int kShards = 100;
  sim::RunnerOptions o;
  o.trials = 2000;
  o.threads = 2;
  std::vector<std::string> parts;
  for (std::uint32_t i = 0; i < kShards; ++i) {
    o.shard = {i, kShards};
    analysis::RunMeta meta;
    meta.trials = o.trials;
    meta.shard_index = i;
    meta.shard_count = kShards;
    const auto range = sim::selected_trials(o);
    meta.first_trial = range.begin;
    meta.trial_count = range.size();
    parts.push_back((dir / ("part-" + std::to_string(i) + ".h5")).string());
    analysis::ResultsWriter w(model, meta,
                              analysis::ExportTarget{parts.back(), analysis::ExportFormat::hdf5});
    const auto r = sim::run_trials<models::TrialResult>(o, [&model]() {
      return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
        return world.run(seed);
      };
    });
    w.record(analysis::to_block(model, r.results, r.first_trial));
    w.commit(w.summarize(), {});
  }
  for (auto _ : state) {
    analysis::RunMeta meta;
    meta.trials = o.trials;
    meta.trial_count = o.trials;
    analysis::ResultsWriter writer(
        model, meta,
        analysis::ExportTarget{(dir / "all.h5").string(), analysis::ExportFormat::hdf5});
    for (const auto& p : parts) {
      const analysis::ResultsFileReader reader(p);
      writer.record(reader.read_block(0, reader.rows()));
    }
    const auto summary = writer.summarize();
    writer.commit(summary, {});
  }
  fs::remove_all(dir);
  state.counters["shards"] = kShards;
}

}  // namespace

BENCHMARK(BM_ExportOverhead)->DenseRange(0, 4)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MergeShards)->UseRealTime()->Unit(benchmark::kMillisecond);
