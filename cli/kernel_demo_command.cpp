// `relsim kernel-demo`: runs the kernel's machine-repair example through the
// Monte Carlo runner and prints its estimates beside the exact answer.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "analysis/estimators.hpp"
#include "cli/commands.hpp"
#include "cli/option_groups.hpp"
#include "sim/machine_repair.hpp"
#include "sim/runner.hpp"

namespace relsim::cli {

namespace {

struct DemoOptions : TrialOptions, ReplayOptions {
  std::uint32_t machines = 10;
  std::uint32_t crews = 2;
  std::string mtbf = "100h";
  std::string mttr = "10h";
  std::string repair = "exponential";
  std::string horizon = "365d";
  std::string warmup = "10d";
  std::string shard = "0/1";
};

constexpr std::uint64_t kDemoTrials = 2000;
constexpr std::uint64_t kDemoSeed = 42;

sim::Distribution repair_distribution(const std::string& kind, double mean) {
  if (kind == "exponential") return sim::Distribution::exponential(mean);
  if (kind == "fixed") return sim::Distribution::fixed(mean);
  if (kind == "uniform") return sim::Distribution::uniform(0.0, 2.0 * mean);
  if (kind == "lognormal")  // same mean, coefficient of variation 2
    return sim::Distribution::lognormal(std::log(mean) - 0.5 * std::log(5.0),
                                        std::sqrt(std::log(5.0)));
  throw std::invalid_argument("--repair must be exponential, fixed, uniform or lognormal (got '" +
                              kind + "')");
}

void print_row(const char* name, const analysis::Interval& ci, double exact, bool has_exact) {
  std::printf("  %-22s %12.6f   [%.6f, %.6f]", name, ci.estimate, ci.low, ci.high);
  if (has_exact) {
    std::printf("   %12.6f  %s", exact, ci.contains(exact) ? "inside" : "OUTSIDE");
  }
  std::printf("\n");
}

void run_demo(const DemoOptions& o) {
  sim::MachineRepairParams params;
  params.machines = o.machines;
  params.crews = o.crews;
  const double mtbf = sim::parse_duration(o.mtbf).to_seconds();
  const double mttr = sim::parse_duration(o.mttr).to_seconds();
  if (mtbf <= 0 || mttr <= 0) throw std::invalid_argument("--mtbf and --mttr must be positive");
  if (o.machines == 0 || o.crews == 0)
    throw std::invalid_argument("--machines and --crews must be at least 1");
  if (!(o.confidence > 0 && o.confidence < 1))
    throw std::invalid_argument("--confidence must be in (0, 1)");
  params.time_to_failure = sim::Distribution::exponential(mtbf);
  params.repair_time = repair_distribution(o.repair, mttr);
  params.horizon = sim::parse_duration(o.horizon);
  params.warmup = sim::parse_duration(o.warmup);
  if (params.horizon <= params.warmup)
    throw std::invalid_argument("--horizon must be longer than --warmup");

  sim::RunnerOptions ro;
  ro.master_seed = o.seed.value_or(kDemoSeed);
  ro.trials = o.trials.value_or(kDemoTrials);
  ro.threads = o.threads;
  ro.shard = sim::parse_shard(o.shard);
  ro.only_trial = o.trial_index;

  const auto start = std::chrono::steady_clock::now();
  const auto results = sim::run_trials<sim::MachineRepairResult>(ro, [&params]() {
    return [model = sim::MachineRepairModel(params)](std::uint64_t, std::uint64_t seed) mutable {
      return model.run_trial(seed);
    };
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  analysis::MeanAccumulator availability, queue, failures;
  std::uint64_t events = 0;
  for (const auto& r : results.results) {
    availability.add(r.availability);
    queue.add(r.mean_queue);
    failures.add(static_cast<double>(r.failures));
    events += r.events;
  }

  std::printf("relsim kernel demo: machine repair (the kernel's built-in example)\n");
  std::printf("  %u machines, %u repair crews, MTBF %s (exponential), MTTR %s (%s)\n", o.machines,
              o.crews, o.mtbf.c_str(), o.mttr.c_str(), o.repair.c_str());
  std::printf(
      "  horizon %s after a %s warm-up; trials %llu..%llu of %llu, seed %llu, %u threads\n",
      o.horizon.c_str(), o.warmup.c_str(), static_cast<unsigned long long>(results.first_trial),
      static_cast<unsigned long long>(results.first_trial + results.results.size() - 1),
      static_cast<unsigned long long>(ro.trials), static_cast<unsigned long long>(ro.master_seed),
      sim::detail::resolve_threads(o.threads, results.results.size()));
  std::printf("  %.3f s, %.2f M events/s\n\n", seconds,
              static_cast<double>(events) / seconds / 1e6);
  const int pct = static_cast<int>(std::lround(o.confidence * 100));
  std::printf("  %-22s %12s   %-24s   %12s\n", "figure", "estimate",
              (std::to_string(pct) + "% CI (t)").c_str(), "exact");
  const bool exact_known = o.repair == "exponential";
  const auto exact = sim::machine_repair_exact(o.machines, o.crews, mtbf, mttr);
  print_row("availability", availability.interval(o.confidence), exact.availability, exact_known);
  print_row("repair queue length", queue.interval(o.confidence), exact.mean_queue, exact_known);
  print_row("failures per trial", failures.interval(o.confidence), 0.0, false);
  if (!exact_known) std::printf("\n  (exact values are known for exponential repairs only)\n");
}

}  // namespace

void add_kernel_demo_command(CLI::App& app) {
  auto opts = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "kernel-demo", "Run the kernel's machine-repair example and compare with its exact answer");
  cmd->add_option("--machines", opts->machines, "Number of machines")->capture_default_str();
  cmd->add_option("--crews", opts->crews, "Number of repair crews")->capture_default_str();
  cmd->add_option("--mtbf", opts->mtbf, "Mean time between failures of one machine")
      ->capture_default_str();
  cmd->add_option("--mttr", opts->mttr, "Mean repair time")->capture_default_str();
  cmd->add_option("--repair", opts->repair,
                  "Repair-time distribution: exponential, fixed, uniform, lognormal")
      ->capture_default_str();
  cmd->add_option("--horizon", opts->horizon, "Simulated time per trial")->capture_default_str();
  cmd->add_option("--warmup", opts->warmup, "Time discarded at the start of each trial")
      ->capture_default_str();
  add_trial_options(cmd, *opts,
                    {"Number of trials (default 2000)", "Master seed (default 42)", false});
  cmd->add_option("--shard", opts->shard, "Run only shard i of n (i/n)")
      ->capture_default_str()
      ->group(kReplayGroup);
  add_replay_options(cmd, *opts);
  cmd->callback([opts]() { run_demo(*opts); });
}

}  // namespace relsim::cli
