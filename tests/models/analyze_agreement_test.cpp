// `relsim analyze` against the Monte Carlo (docs/analyze.md, docs/validation.md):
// random small Markovian systems — zones with and without exponential
// outages, services with exponential crashes and restarts and a random
// `need`, hard and soft dependencies in a DAG, a datastore (automatic or
// manual failover), a cache, deploys — are generated from a fixed seed as
// YAML text, compiled, solved exactly by analyze_markov, and run by the trial
// engine. The exact long-run attainment of every SLO must lie inside the
// Monte Carlo estimate's own 99.9 % confidence interval (Student t over the
// trials, fixed seed), as in validation_test.cpp.
//
// Bias. Every trial starts in the nominal state (all up, replicas where the
// round-robin put them), so a trial's figure is a time average of the
// transient, not of the long run. The SLOs therefore measure a rolling
// window of kWindowDays that starts after kBurnInDays: the SLO ledger counts
// only the window, and the burn-in is at least 15 times the longest mean time
// of any process in these models (4 days). The chains relax on the scale of
// their slowest process — replicas moved by a zone outage only move again at
// the next outage, a two-state process relaxes at rate λ + μ — so what is
// left of the transient at the window's start is of order e^{-15} ≈ 3e-7
// of the unavailability, against intervals of 1e-4 and more. That fails
// when the all-up start is transient: a service whose zones are partly
// outage-free drifts, outage by outage, until its replicas sit in the zones
// that never fail, and stays there (no rebalancing) — a closed class reached
// only after weeks or months. Such draws are drawn again (analyze flags them
// with `nominal_transient` and a note). A callee's
// attainment is a ratio of two window totals whose denominator varies by
// trial; that ratio bias is of order (correlation time / window)·var ≈ 1e-7.
// Demand is flat, so neither side approximates a daily profile.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/estimators.hpp"
#include "analysis/markov.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "sim/runner.hpp"

namespace relsim::analysis {
namespace {

/// Per comparison; with about a hundred comparisons in all, 99.9 % keeps the
/// chance of a false alarm somewhere near 10 %, not near 70 %.
constexpr double kConfidence = 0.999;
constexpr std::uint64_t kGeneratorSeed = 20261201;  // which systems are drawn
constexpr std::uint64_t kMonteCarloSeed = 7331;     // the scenario's master seed
constexpr int kCases = 40;
constexpr int kTrials = 300;
constexpr int kBurnInDays = 60;   // >= 15 × the longest mean below (4 days)
constexpr int kWindowDays = 365;  // the SLO window: the last 365 days of each trial
/// Largest sub-chain a case may have; larger draws are redrawn (keeps analyze fast).
constexpr std::size_t kMaxChainStates = 20'000;

/// The generator's draws: the project's own generator, so every standard
/// library draws the same systems.
class Draw {
 public:
  explicit Draw(std::uint64_t stream) : rng_(sim::Rng::for_stream(kGeneratorSeed, 0, stream)) {}
  int between(int lo, int hi) {
    return lo + static_cast<int>(rng_.below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool chance(double p) { return rng_.bernoulli(p); }
  std::string pick(std::initializer_list<const char*> options) {
    return *(options.begin() + rng_.below(options.size()));
  }
  double pick(std::initializer_list<double> options) {
    return *(options.begin() + rng_.below(options.size()));
  }

 private:
  sim::Rng rng_;
};

std::string exponential(const std::string& mean) { return "{exponential: {mean: " + mean + "}}"; }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

struct Case {
  std::string yaml;     // a System and a Scenario on it
  std::string summary;  // one line: what was drawn
};

/// One random Markovian system (System + Scenario documents).
Case draw_case(Draw& d, const std::string& name) {
  Case out;
  const int nz = d.between(1, 3);
  std::vector<std::string> zones;
  std::vector<int> used(static_cast<std::size_t>(nz), 0);
  int outages = 0;
  std::string zone_yaml = "  zones:\n";
  for (int z = 0; z < nz; ++z) {
    zones.push_back("z" + std::to_string(z + 1));
    if (d.chance(0.5)) {
      ++outages;
      zone_yaml += "    - name: " + zones.back() +
                   "\n      failures:\n        - {type: zoneOutage, every: " +
                   exponential(d.pick({"2d", "3d", "4d"})) +
                   ", duration: " + exponential(d.pick({"1h", "2h", "4h"})) + "}\n";
    } else {
      zone_yaml += "    - " + zones.back() + "\n";
    }
  }

  const int ns = d.between(1, 3);
  struct Service {
    std::string name;
    int replicas = 1;
    std::vector<int> zones;
    double demand = 0.0;
    double load = 0.0;  // nominal: own demand + what callers send
    std::vector<std::string> depends;
  };
  std::vector<Service> services(static_cast<std::size_t>(ns));
  for (int i = 0; i < ns; ++i) {
    Service& s = services[static_cast<std::size_t>(i)];
    s.name = "svc" + std::to_string(i + 1);
    s.replicas = d.between(1, 4);
    for (int z = 0; z < nz; ++z) {
      if (d.chance(0.6)) s.zones.push_back(z);
    }
    if (s.zones.empty()) s.zones.push_back(d.between(0, nz - 1));
    for (int z : s.zones) used[static_cast<std::size_t>(z)] = 1;
    s.demand = 10.0 * d.between(5, 20);
  }
  // Dependencies point from lower to higher indices: a DAG by construction.
  std::vector<std::vector<std::pair<int, double>>> callers(static_cast<std::size_t>(ns));
  int soft = 0;
  for (int i = 0; i < ns; ++i) {
    for (int j = i + 1; j < ns; ++j) {
      if (!d.chance(0.5)) continue;
      const double fraction = d.pick({1.0, 1.0, 0.5});
      std::string dep = "{service: svc" + std::to_string(j + 1);
      if (d.chance(0.6)) {
        dep += ", type: hard";
      } else {
        ++soft;
        dep += ", type: soft, fallbackSuccess: " + d.pick({"50%", "90%"});
      }
      if (fraction != 1.0) dep += ", callFraction: " + number(fraction * 100.0) + "%";
      services[static_cast<std::size_t>(i)].depends.push_back(dep + "}");
      callers[static_cast<std::size_t>(j)].emplace_back(i, fraction);
    }
  }

  // A datastore, perhaps a cache in front of it.
  std::string stores;
  std::string store_summary;
  if (d.chance(0.5)) {
    const int primary = d.between(0, nz - 1);
    used[static_cast<std::size_t>(primary)] = 1;
    std::string replicas;
    for (int z = 0; z < nz; ++z) {
      if (z == primary || !d.chance(0.6)) continue;
      replicas += (replicas.empty() ? "" : ", ") + zones[static_cast<std::size_t>(z)];
      used[static_cast<std::size_t>(z)] = 1;
    }
    stores += "  datastores:\n    - name: db\n      primaryZone: " +
              zones[static_cast<std::size_t>(primary)] + "\n";
    if (!replicas.empty()) stores += "      replicaZones: [" + replicas + "]\n";
    if (d.chance(0.6)) {
      store_summary = ", db (automatic failover)";
      stores +=
          "      failover: {detect: 0s, duration: " + exponential(d.pick({"2m", "5m", "10m"})) +
          "}\n      failures:\n        - {type: primaryFailure, every: " +
          exponential(d.pick({"2d", "3d", "4d"})) + "}\n";
    } else {
      store_summary = ", db (manual, repaired)";
      stores +=
          "      failover: {automatic: false}\n      failures:\n"
          "        - {type: primaryFailure, every: " +
          exponential(d.pick({"2d", "3d", "4d"})) +
          ", duration: " + exponential(d.pick({"30m", "1h", "2h"})) + "}\n";
    }
    const int user = d.between(0, ns - 1);
    services[static_cast<std::size_t>(user)].depends.push_back(
        d.chance(0.7) ? "{datastore: db}" : "{datastore: db, type: soft, fallbackSuccess: 80%}");
    if (d.chance(0.4)) {
      std::string cache_zones;
      for (int z = 0; z < nz; ++z) {
        if (!d.chance(0.5)) continue;
        cache_zones += (cache_zones.empty() ? "" : ", ") + zones[static_cast<std::size_t>(z)];
        used[static_cast<std::size_t>(z)] = 1;
      }
      if (cache_zones.empty()) cache_zones = zones[static_cast<std::size_t>(primary)];
      store_summary += ", cache";
      stores += "  caches:\n    - name: cache\n      hitRatio: " + d.pick({"80%", "90%"}) +
                "\n      backing: db\n      zones: [" + cache_zones +
                "]\n      failover: {duration: " + exponential(d.pick({"1m", "5m"})) +
                ", warmUp: 0s}\n      failures:\n        - {type: nodeFailure, every: " +
                exponential(d.pick({"2d", "4d"})) + "}\n";
      services[static_cast<std::size_t>(d.between(0, ns - 1))].depends.push_back("{cache: cache}");
    }
  }
  // Every zone must hold something: give unused ones to the first service.
  for (int z = 0; z < nz; ++z) {
    if (!used[static_cast<std::size_t>(z)]) services[0].zones.push_back(z);
  }

  std::string service_yaml = "  services:\n";
  std::string slo_yaml = "  slos:\n";
  const std::string window = std::to_string(kWindowDays) + "d";
  int deploys = 0;
  int spread_off = 0;
  bool latency = false;
  std::string needs;
  for (int i = 0; i < ns; ++i) {
    Service& s = services[static_cast<std::size_t>(i)];
    s.load = s.demand;
    for (const auto& [c, fraction] : callers[static_cast<std::size_t>(i)]) {
      s.load += fraction * services[static_cast<std::size_t>(c)].load;
    }
    // `need` replicas of this capacity carry the nominal load, need − 1 do not.
    const int need = d.between(1, s.replicas);
    const double capacity = s.load / (need - d.pick({0.2, 0.5, 0.8}));
    needs += (needs.empty() ? "" : " ") + std::to_string(need) + "/" + std::to_string(s.replicas);
    std::string zl;
    for (int z : s.zones) zl += (zl.empty() ? "" : ", ") + zones[static_cast<std::size_t>(z)];
    service_yaml += "    - name: " + s.name + "\n      replicas: " + std::to_string(s.replicas) +
                    "\n      zones: [" + zl + "]\n";
    if (d.chance(0.3)) {
      ++spread_off;
      service_yaml += "      topologySpread: false\n";
    }
    if (d.chance(0.5)) service_yaml += "      loadBalancing: zoneLocal\n";
    service_yaml += "      capacityPerReplica: " + number(capacity) +
                    "\n      demand: " + number(s.demand) + "\n      healthCheckDelay: 0s\n" +
                    "      restart: " + exponential(d.pick({"10m", "20m", "30m", "1h"})) + "\n" +
                    "      failures:\n        - {type: replicaCrash, every: " +
                    exponential(d.pick({"6h", "12h", "1d", "2d"})) + "}\n";
    if (i == 0 && d.chance(0.5)) {
      latency = true;
      service_yaml += "      latency: {lognormal: {median: 50ms, p99: 400ms}}\n";
      slo_yaml +=
          "    - {name: svc1-latency, service: svc1, sli: latency, threshold: 200ms, "
          "objective: 95%, window: " +
          window + "}\n";
    }
    if (d.chance(0.3)) {
      ++deploys;
      const bool detects = d.chance(0.5);
      service_yaml += "      deploys:\n        rate: " + d.pick({"2/day", "4/day", "8/day"}) +
                      "\n        changeFailureRate: " + d.pick({"10%", "25%"}) +
                      "\n        badDeploy: {errorRate: " + d.pick({"20%", "50%"}) +
                      ", detectsItself: " + (detects ? "true" : "false") + "}\n" +
                      "        rollback: " + exponential(d.pick({"20m", "1h"})) + "\n";
    }
    if (!s.depends.empty()) {
      service_yaml += "      dependsOn:\n";
      for (const auto& dep : s.depends) service_yaml += "        - " + dep + "\n";
    }
    slo_yaml += "    - {name: " + s.name + "-availability, service: " + s.name +
                ", objective: 99%, window: " + window + "}\n";
  }

  out.yaml = "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: " + name + "}\nspec:\n" +
             zone_yaml + service_yaml + stores + slo_yaml +
             "---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: agreement}\n"
             "spec:\n  system: " +
             name + "\n  horizon: " + std::to_string(kBurnInDays + kWindowDays) +
             "d\n  trials: " + std::to_string(kTrials) +
             "\n  seed: " + std::to_string(kMonteCarloSeed) + "\n";
  out.summary = std::to_string(nz) + " zone" + (nz > 1 ? "s" : "") + " (" +
                std::to_string(outages) + " with outages), " + std::to_string(ns) + " service" +
                (ns > 1 ? "s" : "") + " (need/replicas " + needs + ")" +
                (soft ? ", soft deps" : "") + (spread_off ? ", no spread" : "") + store_summary +
                (deploys ? ", deploys" : "") + (latency ? ", latency SLO" : "");
  return out;
}

models::CompiledModel compile_text(const std::string& text) {
  const models::Documents docs = models::load_string(text, "agreement.yaml");
  return models::compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// The t interval of every SLO's attainment over the model's trials.
std::vector<Interval> monte_carlo(const models::CompiledModel& m) {
  sim::RunnerOptions o;
  o.master_seed = m.seed;
  o.trials = static_cast<std::uint64_t>(m.trials);
  o.threads = 2;
  const auto r = sim::run_trials<models::TrialResult>(o, [&m]() {
    return
        [w = models::World(m)](std::uint64_t, std::uint64_t seed) mutable { return w.run(seed); };
  });
  std::vector<Interval> out;
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    MeanAccumulator acc;
    for (const models::TrialResult& t : r.results) acc.add(t.slos[k].attainment);
    out.push_back(acc.interval(kConfidence));
  }
  return out;
}

class AnalyzeAgreement : public ::testing::TestWithParam<int> {};

TEST_P(AnalyzeAgreement, ExactLongRunIsInsideTheMonteCarloInterval) {
  const int index = GetParam();
  const std::string name = "case" + std::to_string(index + 1);
  Draw draw(sim::stream_id("agreement/" + name));
  MarkovOptions options;
  options.min_probability = 0.0;  // every combination: the exact value, nothing skipped
  options.max_chain_states = kMaxChainStates;

  // Draws whose chain is too large for a quick test are drawn again.
  Case c;
  MarkovResult exact;
  for (int attempt = 0;; ++attempt) {
    ASSERT_LT(attempt, 40) << "no small enough, well-mixing system drawn";
    c = draw_case(draw, name);
    try {
      exact = analyze_markov(compile_text(c.yaml), options);
      // A start that the chain leaves for good (replicas drifting into zones
      // without outages) makes the long run a poor guide to a finite trial.
      if (std::none_of(exact.subchains.begin(), exact.subchains.end(),
                       [](const SubchainSummary& sc) { return sc.nominal_transient; })) {
        break;
      }
    } catch (const NotMarkovian& e) {
      FAIL() << "the generator drew a non-Markovian system:\n" << e.what() << "\n" << c.yaml;
    } catch (const ChainError& e) {
      FAIL() << e.what() << "\n" << c.yaml;
    } catch (const std::runtime_error&) {
      continue;  // more than kMaxChainStates states
    }
  }
  const models::CompiledModel m = compile_text(c.yaml);
  EXPECT_EQ(exact.skipped_mass, 0.0);
  std::size_t largest = 0;
  for (const auto& sc : exact.subchains) largest = std::max(largest, sc.states);
  std::printf("%s: %s; %zu sub-chains (largest %zu states)\n", name.c_str(), c.summary.c_str(),
              exact.subchains.size(), largest);

  const std::vector<Interval> ci = monte_carlo(m);
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const double x = exact.slos[k].attainment;
    std::printf("  %-18s exact %.6f, estimate %.6f, 99.9%% CI [%.6f, %.6f]%s\n",
                m.names.slos[k].c_str(), x, ci[k].estimate, ci[k].low, ci[k].high,
                ci[k].contains(x) ? "" : "  OUTSIDE");
    EXPECT_TRUE(ci[k].contains(x)) << m.names.slos[k] << " of " << name << "\n" << c.yaml;
  }
  std::fflush(stdout);
}

INSTANTIATE_TEST_SUITE_P(RandomSystems, AnalyzeAgreement, ::testing::Range(0, kCases));

}  // namespace
}  // namespace relsim::analysis
