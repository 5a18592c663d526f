// `relsim kernel-demo`: runs the kernel's machine-repair example through the
// Monte Carlo runner and prints its estimates beside the exact answer, as
// text or JSON (the output group: --format, -o, -q; docs/cli.md).
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/export_json.hpp"
#include "analysis/format.hpp"
#include "cli/commands.hpp"
#include "cli/option_groups.hpp"
#include "models/json_node.hpp"
#include "models/limits.hpp"
#include "sim/machine_repair.hpp"
#include "sim/runner.hpp"

namespace relsim::cli {

namespace {

struct DemoOptions : TrialOptions, OutputOptions, ReplayOptions {
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

/// One figure: its interval and, where the birth-death chain gives it, the exact value.
struct Figure {
  const char* label;  // text
  const char* key;    // JSON
  analysis::Interval interval;
  std::optional<double> exact;
};

/// What a run of the demo found, for the text and the JSON.
struct DemoResult {
  std::uint64_t first_trial = 0;
  std::uint64_t trials_run = 0;
  std::uint64_t trials = 0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  std::uint64_t events = 0;
  double seconds = 0.0;
  std::vector<Figure> figures;
};

std::string text(const DemoOptions& o, const DemoResult& r) {
  using analysis::printf_text;
  std::string out = "relsim kernel demo: machine repair (the kernel's built-in example)\n";
  out += printf_text("  %u machines, %u repair crews, MTBF %s (exponential), MTTR %s (%s)\n",
                     o.machines, o.crews, o.mtbf.c_str(), o.mttr.c_str(), o.repair.c_str());
  out += printf_text(
      "  horizon %s after a %s warm-up; trials %llu..%llu of %llu, seed %llu, %u threads\n",
      o.horizon.c_str(), o.warmup.c_str(), static_cast<unsigned long long>(r.first_trial),
      static_cast<unsigned long long>(r.first_trial + r.trials_run - 1),
      static_cast<unsigned long long>(r.trials), static_cast<unsigned long long>(r.seed),
      r.threads);
  out += printf_text("  %.3f s, %.2f M events/s\n\n", r.seconds,
                     static_cast<double>(r.events) / r.seconds / 1e6);
  const int pct = static_cast<int>(std::lround(o.confidence * 100));
  out += printf_text("  %-22s %12s   %-24s   %12s\n", "figure", "estimate",
                     (std::to_string(pct) + "% CI (t)").c_str(), "exact");
  for (const Figure& f : r.figures) {
    const auto& ci = f.interval;
    out += printf_text("  %-22s %12.6f   [%.6f, %.6f]", f.label, ci.estimate, ci.low, ci.high);
    if (f.exact) {
      out += printf_text("   %12.6f  %s", *f.exact, ci.contains(*f.exact) ? "inside" : "OUTSIDE");
    }
    out += "\n";
  }
  if (o.repair != "exponential")
    out += "\n  (exact values are known for exponential repairs only)\n";
  return out;
}

/// The same figures as JSON: the parameters, the run, each figure's
/// interval and `exact` (null where it is not known), and `timing` last.
std::string json(const DemoOptions& o, const DemoResult& r, double mtbf, double mttr) {
  using models::JsonNode;
  JsonNode doc;
  doc.set("model", "machineRepair");
  doc.set("machines", o.machines);
  doc.set("crews", o.crews);
  doc.set("mtbfSeconds", mtbf);
  doc.set("mttrSeconds", mttr);
  doc.set("repair", o.repair);
  doc.set("horizonSeconds", sim::parse_duration(o.horizon).to_seconds());
  doc.set("warmupSeconds", sim::parse_duration(o.warmup).to_seconds());
  doc.set("seed", r.seed);
  doc.set("trials", r.trials);
  doc.set("firstTrial", r.first_trial);
  doc.set("trialsRun", r.trials_run);
  doc.set("confidence", o.confidence);
  doc.set("events", r.events);
  for (const Figure& f : r.figures) {
    JsonNode figure = analysis::interval_node(f.interval);
    figure.set("exact", JsonNode::optional(f.exact));
    doc.set(f.key, std::move(figure));
  }
  JsonNode timing;
  timing.set("wallSeconds", r.seconds);
  timing.set("eventsPerSecond", r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0.0);
  timing.set("threads", r.threads);
  doc.set("timing", std::move(timing.one_line()));
  return doc.text();
}

void run_demo(const DemoOptions& o) {
  check_output(o);
  sim::MachineRepairParams params;
  params.machines = o.machines;
  params.crews = o.crews;
  const double mtbf = sim::parse_duration(o.mtbf).to_seconds();
  const double mttr = sim::parse_duration(o.mttr).to_seconds();
  if (mtbf <= 0 || mttr <= 0) throw std::invalid_argument("--mtbf and --mttr must be positive");
  if (o.machines == 0 || o.crews == 0)
    throw std::invalid_argument("--machines and --crews must be at least 1");
  // Each trial sizes its state by them: the limit of replicas per service.
  if (o.machines > models::kMaxReplicas || o.crews > models::kMaxReplicas) {
    throw std::invalid_argument("--machines " + std::to_string(o.machines) + ", --crews " +
                                std::to_string(o.crews) + ": at most " +
                                std::to_string(models::kMaxReplicas) + " each" +
                                models::limit_note("replicas per service"));
  }
  // Every trial's result is held until the summary (32 bytes each): the
  // trials of a plan's limit keeps that to 3.2 GB.
  if (o.trials && *o.trials > static_cast<std::uint64_t>(models::kMaxPlanTrials)) {
    throw std::invalid_argument("--trials " + std::to_string(*o.trials) + " is above " +
                                std::to_string(models::kMaxPlanTrials) +
                                " for kernel-demo (it holds every trial's result)");
  }
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
  DemoResult r;
  for (const auto& t : results.results) {
    availability.add(t.availability);
    queue.add(t.mean_queue);
    failures.add(static_cast<double>(t.failures));
    r.events += t.events;
  }
  r.first_trial = results.first_trial;
  r.trials_run = results.results.size();
  r.trials = ro.trials;
  r.seed = ro.master_seed;
  r.threads = sim::detail::resolve_threads(o.threads, results.results.size());
  r.seconds = seconds;
  const bool exact_known = o.repair == "exponential";
  const auto exact = sim::machine_repair_exact(o.machines, o.crews, mtbf, mttr);
  const auto known = [&](double v) {
    return exact_known ? std::optional<double>(v) : std::nullopt;
  };
  r.figures = {
      {"availability", "availability", availability.interval(o.confidence),
       known(exact.availability)},
      {"repair queue length", "repairQueueLength", queue.interval(o.confidence),
       known(exact.mean_queue)},
      {"failures per trial", "failuresPerTrial", failures.interval(o.confidence), std::nullopt},
  };
  emit(o, o.format == "json" ? json(o, r, mtbf, mttr) : text(o, r));
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
  add_output_options(cmd, *opts, {"text", "json"});
  cmd->callback([opts]() { run_demo(*opts); });
}

}  // namespace relsim::cli
