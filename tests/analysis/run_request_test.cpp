// "Run a scenario to a summary" as a library call (analysis/run_request.hpp),
// without the relsim program: a closed-form scenario's estimate lies in its
// own interval; the same seed gives bit-identical summaries and results
// files for 1 and 2 threads and for a shard split; the stopping rule of
// models::StoppingRule stops where it says; bad requests are refused.
#include "analysis/run_request.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/export_json.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"

namespace relsim::analysis {
namespace {

namespace fs = std::filesystem;

/// One service of one replica: crashes every 4 h and restarts in 1 h (both
/// exponential), starting up; 30-day trials.
const char* kOneReplica = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 1
      zones: [a]
      capacityPerReplica: 100
      demand: 50
      healthCheckDelay: 0s
      restart: {exponential: {mean: 1h}}
      failures:
        - {type: replicaCrash, every: {exponential: {mean: 4h}}}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: s
  horizon: 30d
  trials: 400
  seed: 20261125
  randomDeploys: false
)";

models::CompiledModel one_replica() {
  const models::Documents docs = models::load_string(kOneReplica, "one-replica.yaml");
  return models::compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// The exact mean availability over [0, T] of an up/down component that
/// starts up: A + (1 − A)(1 − e^{−(λ+μ)T}) / ((λ+μ)T), A = μ/(λ+μ).
double exact_availability(double mtbf_h, double mttr_h, double horizon_h) {
  const double lambda = 1.0 / mtbf_h;
  const double mu = 1.0 / mttr_h;
  const double a = mu / (lambda + mu);
  const double r = lambda + mu;
  return a + (1.0 - a) * (1.0 - std::exp(-r * horizon_h)) / (r * horizon_h);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_identical(const RunSummary& a, const RunSummary& b) {
  ASSERT_EQ(a.trials, b.trials);
  EXPECT_EQ(a.events, b.events);
  ASSERT_EQ(a.services.size(), b.services.size());
  for (std::size_t s = 0; s < a.services.size(); ++s) {
    EXPECT_TRUE(
        same_bits(a.services[s].availability.estimate, b.services[s].availability.estimate));
    EXPECT_TRUE(same_bits(a.services[s].availability.low, b.services[s].availability.low));
    EXPECT_TRUE(same_bits(a.services[s].availability.high, b.services[s].availability.high));
  }
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The JSON results file without the keys that name the time of the run.
std::string without_clock(std::string text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("\"startTime\"") != std::string::npos) continue;
    if (line.find("\"wallSeconds\"") != std::string::npos) continue;
    if (line.find("\"trialsPerSecond\"") != std::string::npos) continue;
    if (line.find("\"threads\"") != std::string::npos) continue;
    out += line + "\n";
  }
  return out;
}

TEST(RunRequest, ClosedFormAvailabilityLiesInItsInterval) {
  const models::CompiledModel m = one_replica();
  RunRequest rq;
  rq.threads = 2;
  rq.confidence = 0.99;
  const RunOutcome out = run_scenario(m, rq);
  EXPECT_EQ(out.trials_done, 400u);
  EXPECT_EQ(out.summary.trials, 400u);
  EXPECT_EQ(out.master_seed, 20261125u);
  EXPECT_TRUE(out.stop_note.empty());
  const Interval& a = out.summary.services.at(0).availability;
  const double exact = exact_availability(4.0, 1.0, 30 * 24.0);
  EXPECT_NEAR(exact, 0.8, 0.001);
  EXPECT_LE(a.low, exact) << a.estimate;
  EXPECT_GE(a.high, exact) << a.estimate;
  EXPECT_LT(a.high - a.low, 0.01);
}

TEST(RunRequest, SameSeedIsBitIdenticalForOneAndTwoThreadsAndAShardSplit) {
  const models::CompiledModel m = one_replica();
  const fs::path dir =
      fs::temp_directory_path() / ("relsim-run-request-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  RunRequest rq;
  rq.trials = 300;
  rq.seed = 99;
  rq.batch = 64;  // several blocks
  rq.threads = 1;
  rq.target = ExportTarget{(dir / "one.json").string(), ExportFormat::json};
  const RunOutcome one = run_scenario(m, rq);
  rq.threads = 2;
  rq.target = ExportTarget{(dir / "two.json").string(), ExportFormat::json};
  const RunOutcome two = run_scenario(m, rq);
  expect_identical(one.summary, two.summary);
  EXPECT_EQ(one.timing.threads, 1u);
  EXPECT_EQ(two.timing.threads, 2u);
  EXPECT_EQ(without_clock(read(dir / "one.json")), without_clock(read(dir / "two.json")));
  // Trial 123 replayed alone is trial 123 of the whole run.
  rq.target.reset();
  rq.trial_index = 123;
  const RunOutcome replay = run_scenario(m, rq);
  EXPECT_EQ(replay.trials_done, 1u);
  EXPECT_EQ(replay.first_trial, 123u);
  EXPECT_EQ(replay.meta.shard_count, 1u);
  // Shard 1/3 holds trials 100..199.
  rq.trial_index.reset();
  rq.shard = {1, 3};
  const RunOutcome shard = run_scenario(m, rq);
  EXPECT_EQ(shard.first_trial, 100u);
  EXPECT_EQ(shard.trials_done, 100u);
  EXPECT_EQ(shard.meta.shard_index, 1u);
  EXPECT_EQ(shard.meta.trials, 300u);
  fs::remove_all(dir);
}

TEST(RunRequest, TheStoppingRuleIsTheModelsRule) {
  const models::CompiledModel m = one_replica();
  RunRequest rq;
  rq.threads = 2;
  rq.batch = 50;
  rq.until = parse_until("availability:abs=0.01");
  rq.until_text = "availability:abs=0.01";
  EXPECT_EQ(rq.until->metric, "availability");
  EXPECT_DOUBLE_EQ(rq.until->absolute_half_width.value(), 0.01);
  EXPECT_FALSE(rq.until->relative_half_width.has_value());
  EXPECT_EQ(rq.until->min_trials, 100);
  EXPECT_EQ(rq.until->max_trials, 1'000'000);
  const RunOutcome out = run_scenario(m, rq);
  // It stops at the first block of at least minTrials whose half-width is
  // below the target: a multiple of the batch, and the interval says so.
  EXPECT_GE(out.trials_done, 100u);
  EXPECT_EQ(out.trials_done % 50, 0u);
  EXPECT_EQ(out.meta.trials, out.trials_done);
  const Interval& a = out.summary.services.at(0).availability;
  EXPECT_LE((a.high - a.low) / 2.0, 0.01);
  EXPECT_NE(out.stop_note.find("stopped at " + std::to_string(out.trials_done) + " trials"),
            std::string::npos)
      << out.stop_note;
  // The scenario's rule is the same struct and applies to a whole run only.
  RunRequest from_scenario;
  from_scenario.threads = 2;
  from_scenario.batch = 50;
  from_scenario.scenario_until = rq.until;
  from_scenario.scenario_until->relative_half_width = std::nullopt;
  const RunOutcome same = run_scenario(m, from_scenario);
  EXPECT_EQ(same.trials_done, out.trials_done);
  expect_identical(same.summary, out.summary);
  from_scenario.trials = 40;  // --trials wins over the scenario's rule
  EXPECT_EQ(run_scenario(m, from_scenario).trials_done, 40u);
}

TEST(RunRequest, RefusesRequestsThatDoNotFit) {
  const models::CompiledModel m = one_replica();
  auto message = [&](const RunRequest& rq) {
    try {
      run_scenario(m, rq);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  RunRequest rq;
  rq.confidence = 1.0;
  EXPECT_NE(message(rq).find("--confidence must be in (0, 1)"), std::string::npos);
  rq = {};
  rq.trials = 0;
  EXPECT_EQ(message(rq), "--trials must be at least 1");
  rq = {};
  rq.trials = 2;
  rq.shard = {0, 3};
  EXPECT_EQ(message(rq), "shard 0/3 of 2 trials holds no trials");
  rq = {};
  rq.until = parse_until("mttr:rel=5%");
  rq.trials = 10;
  EXPECT_EQ(message(rq), "--trials and --until do not go together (use --max-trials)");
  rq = {};
  rq.mpi = {0, 2, "part.h5"};
  rq.trial_index = 3;
  EXPECT_NE(message(rq).find("do not go with mpirun"), std::string::npos);
  rq = {};
  rq.until = parse_until("no-such-figure:rel=5%");
  rq.until_text = "no-such-figure:rel=5%";
  rq.batch = 10;
  EXPECT_NE(message(rq).find("no figure 'no-such-figure'"), std::string::npos);
  EXPECT_THROW(parse_until("mttr"), std::invalid_argument);
  EXPECT_THROW(parse_until("mttr:rel=-1"), std::invalid_argument);
  EXPECT_THROW(parse_until("mttr:width=5%"), std::invalid_argument);
}

TEST(RunRequest, AnObserverSeesEveryTrialAndCanStopTheRun) {
  const models::CompiledModel m = one_replica();
  struct Counting : RunObserver {
    std::atomic<int> trials{0};
    int stop_after = -1;
    void trial_done() override { ++trials; }
    bool stop_requested() const override { return stop_after >= 0 && trials >= stop_after; }
  } watch;
  RunRequest rq;
  rq.trials = 120;
  rq.threads = 2;
  EXPECT_FALSE(run_scenario(m, rq, &watch).stopped);
  EXPECT_EQ(watch.trials, 120);
  watch.trials = 0;
  watch.stop_after = 10;
  rq.batch = 20;
  const RunOutcome stopped = run_scenario(m, rq, &watch);
  EXPECT_TRUE(stopped.stopped);
  EXPECT_EQ(stopped.trials_done, 0u);
}

TEST(RunRequest, MpiPartsLieBesideTheResultsFile) {
  const auto parts = mpi_part_paths(ExportTarget{"/data/run.h5", ExportFormat::hdf5}, 77, 2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "/data/relsim-mpi-77-rank-0.part.h5");
  EXPECT_EQ(parts[1], "/data/relsim-mpi-77-rank-1.part.h5");
  const auto tmp = mpi_part_paths(std::nullopt, 5, 1);
  EXPECT_EQ(fs::path(tmp.at(0)).parent_path(), fs::temp_directory_path());
}

}  // namespace
}  // namespace relsim::analysis
