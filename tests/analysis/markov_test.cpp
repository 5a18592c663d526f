// `relsim analyze`'s Markov chains against closed forms: the CTMC solver on
// chains with known stationary distributions, then whole models (loaded from
// YAML through the real loader) whose long-run availability has a formula.
#include "analysis/markov.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/markov_chain.hpp"
#include "models/loader.hpp"

namespace relsim::analysis {
namespace {

// ---------------------------------------------------------------- the solver

TEST(MarkovChain, TwoStateChainHasClosedForm) {
  const double a = 1.0 / 86400.0;  // fails once a day
  const double b = 1.0 / 600.0;    // repaired in 10 minutes
  const std::vector<Transition> t{{0, 1, a}, {1, 0, b}};
  const auto pi = stationary_distribution(2, t, 0);
  EXPECT_NEAR(pi.probability[0], b / (a + b), 1e-15);
  EXPECT_NEAR(pi.probability[1], a / (a + b), 1e-15);
  EXPECT_EQ(pi.recurrent, 2u);
  EXPECT_EQ(pi.method, SolveMethod::dense_lu);
}

/// The machine-repair birth–death chain: state k = machines down, N machines
/// failing at λ each, `crews` repairing at μ each.
std::vector<Transition> machine_repair(int n, int crews, double lambda, double mu) {
  std::vector<Transition> t;
  for (int k = 0; k < n; ++k) {
    const auto u = static_cast<std::uint32_t>(k);
    t.push_back({u, u + 1, (n - k) * lambda});
    t.push_back({u + 1, u, std::min(k + 1, crews) * mu});
  }
  return t;
}

/// π_k ∝ Π_{i<k} birth_i / death_{i+1}.
std::vector<double> product_form(int n, int crews, double lambda, double mu) {
  std::vector<double> pi(static_cast<std::size_t>(n) + 1, 1.0);
  double sum = 1.0;
  for (int k = 1; k <= n; ++k) {
    pi[static_cast<std::size_t>(k)] =
        pi[static_cast<std::size_t>(k) - 1] * (n - k + 1) * lambda / (std::min(k, crews) * mu);
    sum += pi[static_cast<std::size_t>(k)];
  }
  for (double& p : pi) p /= sum;
  return pi;
}

TEST(MarkovChain, BirthDeathChainMatchesProductFormDense) {
  const auto t = machine_repair(10, 2, 1.0 / 100.0, 1.0 / 10.0);
  const auto pi = stationary_distribution(11, t, 0);
  const auto exact = product_form(10, 2, 1.0 / 100.0, 1.0 / 10.0);
  EXPECT_EQ(pi.method, SolveMethod::dense_lu);
  for (std::size_t k = 0; k < exact.size(); ++k) {
    EXPECT_NEAR(pi.probability[k], exact[k], 1e-13) << "k = " << k;
  }
}

TEST(MarkovChain, BirthDeathChainMatchesProductFormSparse) {
  // A long chain (M/M/1/K-like, ρ = 0.9) goes to the sparse LU.
  const int n = 2000;
  std::vector<Transition> t;
  for (int k = 0; k < n; ++k) {
    const auto u = static_cast<std::uint32_t>(k);
    t.push_back({u, u + 1, 0.9});
    t.push_back({u + 1, u, 1.0});
  }
  const auto pi = stationary_distribution(static_cast<std::size_t>(n) + 1, t, 0);
  EXPECT_EQ(pi.method, SolveMethod::sparse_lu);
  const double p0 = (1.0 - 0.9) / (1.0 - std::pow(0.9, n + 1));
  for (int k : {0, 1, 10, 100, 500}) {
    EXPECT_NEAR(pi.probability[static_cast<std::size_t>(k)], p0 * std::pow(0.9, k), 1e-12 * p0)
        << "k = " << k;
  }
}

TEST(MarkovChain, TransientAndUnreachableStatesGetZero) {
  // 0 -> 1 <-> 2 ; 3 <-> 4 is never reached from 0.
  const std::vector<Transition> t{{0, 1, 1.0}, {1, 2, 2.0}, {2, 1, 1.0}, {3, 4, 1.0}, {4, 3, 1.0}};
  const auto pi = stationary_distribution(5, t, 0);
  EXPECT_EQ(pi.probability[0], 0.0);
  EXPECT_NEAR(pi.probability[1], 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(pi.probability[2], 2.0 / 3.0, 1e-15);
  EXPECT_EQ(pi.probability[3], 0.0);
  EXPECT_EQ(pi.recurrent, 2u);
}

TEST(MarkovChain, RefusesALongRunThatDependsOnChance) {
  const std::vector<Transition> t{{0, 1, 1.0}, {0, 2, 1.0}};  // two absorbing states
  EXPECT_THROW(stationary_distribution(3, t, 0), ChainError);
}

// ---------------------------------------------------------------- whole models

/// A one-file System with `spec` (YAML text, indented by two spaces), compiled
/// with a default scenario.
models::CompiledModel model_of(const std::string& spec) {
  const std::string text =
      "apiVersion: relsim/v1alpha1\n"
      "kind: System\n"
      "metadata: {name: test}\n"
      "spec:\n" +
      spec;
  const auto docs = models::load_string(text, "test.yaml");
  models::Scenario scenario;
  scenario.system.name = docs.systems.at(0).name;
  return models::compile(docs.systems.at(0), scenario);
}

/// A service line with exponential crashes and restarts, no health-check delay.
std::string service(const std::string& name, int replicas, const std::string& zones,
                    const std::string& mtbf, const std::string& mttr, double capacity,
                    double demand, const std::string& extra = "") {
  return "    - {name: " + name + ", replicas: " + std::to_string(replicas) + ", zones: [" + zones +
         "], capacityPerReplica: " + std::to_string(capacity) +
         ", demand: " + std::to_string(demand) + ", healthCheckDelay: 0s" +
         ", restart: {exponential: {mean: " + mttr + "}}" +
         ", failures: [{type: replicaCrash, every: {exponential: {mean: " + mtbf + "}}}]" + extra +
         "}\n";
}

double availability(const models::CompiledModel& m, const MarkovResult& r,
                    const std::string& name) {
  return r.components.at(m.find_component(name)).availability;
}

double binomial(int n, int k, double p) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0)) *
         std::pow(p, k) * std::pow(1.0 - p, n - k);
}

TEST(Markov, SingleReplicaAvailabilityIsMtbfOverMtbfPlusMttr) {
  const auto m =
      model_of("  zones: [a]\n  services:\n" + service("web", 1, "a", "1d", "10m", 100, 50));
  const auto r = analyze_markov(m);
  EXPECT_NEAR(availability(m, r, "web"), 1440.0 / (1440.0 + 10.0), 1e-12);
  EXPECT_EQ(r.skipped_mass, 0.0);
  ASSERT_EQ(r.subchains.size(), 1u);
  EXPECT_EQ(r.subchains[0].method, SolveMethod::closed_form);
}

TEST(Markov, ReplicasServeTheBinomialFraction) {
  // 4 replicas of 100 requests/s for 250 requests/s: k running serve min(1, 100k / 250).
  const auto m =
      model_of("  zones: [a]\n  services:\n" + service("web", 4, "a", "1h", "20m", 100, 250));
  const auto r = analyze_markov(m);
  const double p = 60.0 / 80.0;
  double expected = 0.0;
  for (int k = 0; k <= 4; ++k) expected += binomial(4, k, p) * std::min(1.0, 100.0 * k / 250.0);
  EXPECT_NEAR(availability(m, r, "web"), expected, 1e-12);
}

TEST(Markov, ReplicasInSeveralZonesAreBinomialPerZone) {
  // 3 replicas over zones a, b (2 and 1), 150 requests/s; each zone serves at
  // most 100 per running replica. The expected value splits per routable
  // zone (zoneLocal); the default crossZone split (per running replica)
  // serves exactly the same in every state of this system.
  const auto m =
      model_of("  zones: [a, b]\n  services:\n" + service("web", 3, "a, b", "1h", "30m", 100, 150));
  const auto r = analyze_markov(m);
  const double p = 60.0 / 90.0;
  double expected = 0.0;
  for (int ka = 0; ka <= 2; ++ka) {
    for (int kb = 0; kb <= 1; ++kb) {
      const int zones = (ka > 0) + (kb > 0);
      double served = 0.0;
      if (ka > 0) served += std::min(150.0 / zones, 100.0 * ka);
      if (kb > 0) served += std::min(150.0 / zones, 100.0 * kb);
      expected += binomial(2, ka, p) * binomial(1, kb, p) * served / 150.0;
    }
  }
  EXPECT_NEAR(availability(m, r, "web"), expected, 1e-12);
}

TEST(Markov, HardDependenciesInSeriesMultiply) {
  const auto m = model_of(
      "  zones: [a]\n  services:\n" +
      service("web", 1, "a", "2d", "30m", 100, 50, ", dependsOn: [{service: api}]") +
      service("api", 1, "a", "1d", "10m", 100, 0, ", dependsOn: [{datastore: db}]") +
      "  datastores:\n"
      "    - {name: db, primaryZone: a, failover: {detect: 0s, duration: {exponential: {mean: "
      "5m}}}, failures: [{type: primaryFailure, every: {exponential: {mean: 30d}}}]}\n");
  const auto r = analyze_markov(m);
  const double web = 2880.0 / 2910.0;
  const double api = 1440.0 / 1450.0;
  const double db = 43200.0 / 43205.0;
  EXPECT_NEAR(r.components.at(m.find_component("db")).serving, db, 1e-12);
  EXPECT_NEAR(availability(m, r, "api"), api * db, 1e-12);
  EXPECT_NEAR(availability(m, r, "web"), web * api * db, 1e-12);
}

TEST(Markov, SoftDependencyFallsBack) {
  const auto m =
      model_of("  zones: [a]\n  services:\n" +
               service("web", 1, "a", "2d", "30m", 100, 50,
                       ", dependsOn: [{service: recs, type: soft, fallbackSuccess: 90%}]") +
               service("recs", 1, "a", "6h", "1h", 100, 0));
  const auto r = analyze_markov(m);
  const double web = 2880.0 / 2910.0;
  const double recs = 6.0 / 7.0;
  EXPECT_NEAR(availability(m, r, "web"), web * (recs + (1.0 - recs) * 0.9), 1e-12);
}

TEST(Markov, BadDeploysAreATwoStateChain) {
  const auto m = model_of(
      "  zones: [a]\n  services:\n"
      "    - {name: web, replicas: 1, zones: [a], capacityPerReplica: 100, demand: 50,\n"
      "       deploys: {rate: 4/day, changeFailureRate: 25%, rollback: {exponential: {mean: 1h}},\n"
      "                 badDeploy: {errorRate: 40%, detectsItself: true}}}\n");
  const auto r = analyze_markov(m);
  const double to_bad = 1.0 / 86400.0;  // 4/day × 25 %
  const double to_good = 3.0 / 86400.0 + 1.0 / 3600.0;
  const double bad = to_bad / (to_bad + to_good);
  EXPECT_NEAR(availability(m, r, "web"), 1.0 - 0.4 * bad, 1e-12);

  MarkovOptions no_deploys;
  no_deploys.deploys = false;
  EXPECT_EQ(availability(m, analyze_markov(m, no_deploys), "web"), 1.0);
}

TEST(Markov, SloAttainmentIsTheLongRunAvailability) {
  const auto m =
      model_of("  zones: [a]\n  services:\n" + service("web", 1, "a", "1d", "10m", 100, 50) +
               "  slos:\n"
               "    - {name: loose, service: web, objective: 99%}\n"
               "    - {name: tight, service: web, objective: 99.9%}\n");
  const auto r = analyze_markov(m);
  const double a = 1440.0 / 1450.0;
  ASSERT_EQ(r.slos.size(), 2u);
  EXPECT_NEAR(r.slos[0].attainment, a, 1e-12);
  EXPECT_TRUE(r.slos[0].met);
  EXPECT_FALSE(r.slos[1].met);
  EXPECT_NEAR(r.slos[1].budget_consumed, (1.0 - a) / 0.001, 1e-9);
}

TEST(Markov, ZoneOutageChainMatchesTheHandBuiltChain) {
  // One replica in a zone with outages. States: 0 zone up, running; 1 zone
  // up, restarting; 2 zone down, restarting; 3 zone down, waiting (the
  // restart finished while the zone was down: placed when it comes back).
  const double crash = 1.0 / 86400.0, restart = 1.0 / 600.0;
  const double outage = 1.0 / (7 * 86400.0), back = 1.0 / 7200.0;
  const std::vector<Transition> t{{0, 1, crash}, {1, 0, restart}, {0, 2, outage}, {1, 2, outage},
                                  {2, 1, back},  {2, 3, restart}, {3, 0, back}};
  const double running = stationary_distribution(4, t, 0).probability[0];

  const auto m = model_of(
      "  zones:\n"
      "    - {name: a, failures: [{type: zoneOutage, every: {exponential: {mean: 7d}},\n"
      "                            duration: {exponential: {mean: 2h}}}]}\n"
      "  services:\n" +
      service("web", 1, "a", "1d", "10m", 100, 50));
  const auto r = analyze_markov(m);
  EXPECT_NEAR(availability(m, r, "web"), running, 1e-12);
  ASSERT_EQ(r.subchains.size(), 1u);
  EXPECT_EQ(r.subchains[0].states, 4u);
}

TEST(Markov, ReplicasPileIntoTheFirstZoneWithoutTopologySpread) {
  // Zone a has outages, zone b none. Without topology spread a replica that
  // leaves a goes to b and never comes back: in the long run both run in b,
  // independently binomial, and a's outages no longer matter.
  const auto m = model_of(
      "  zones:\n"
      "    - {name: a, failures: [{type: zoneOutage, every: {exponential: {mean: 7d}},\n"
      "                            duration: {exponential: {mean: 2h}}}]}\n"
      "    - b\n"
      "  services:\n" +
      service("web", 2, "a, b", "1d", "10m", 100, 150, ", topologySpread: false"));
  const auto r = analyze_markov(m);
  const double p = 1440.0 / 1450.0;
  const double expected = p * p + 2 * p * (1 - p) * 100.0 / 150.0;
  EXPECT_NEAR(availability(m, r, "web"), expected, 1e-10);
  ASSERT_EQ(r.subchains.size(), 1u);
  EXPECT_LT(r.subchains[0].recurrent, r.subchains[0].states);
}

TEST(Markov, DatastoreFailsOverWhenItsPrimaryZoneGoesDown) {
  // Primary in a (zone outages), replica in b: an outage of a starts a failover.
  const auto m = model_of(
      "  zones:\n"
      "    - {name: a, failures: [{type: zoneOutage, every: {exponential: {mean: 7d}},\n"
      "                            duration: {exponential: {mean: 2h}}}]}\n"
      "    - b\n"
      "  services:\n"
      "    - {name: web, replicas: 1, zones: [b], capacityPerReplica: 100, demand: 50,\n"
      "       dependsOn: [{datastore: db}]}\n"
      "  datastores:\n"
      "    - {name: db, primaryZone: a, replicaZones: [b],\n"
      "       failover: {detect: 0s, duration: {exponential: {mean: 1m}}},\n"
      "       failures: [{type: primaryFailure, every: {exponential: {mean: 10d}}}]}\n");
  const auto r = analyze_markov(m);
  // By hand: (zone a, primary's zone, status). A failover promotes the first
  // up zone other than the primary's, else the primary's own.
  //   0 a up, at a, serving     1 a up, at a, failing over   2 a up, at b, serving
  //   3 a up, at b, failing     4 a down, at a, failing      5 a down, at b, serving
  //   6 a down, at b, failing
  const double fail = 1.0 / (10 * 86400.0), failover = 1.0 / 60.0;
  const double outage = 1.0 / (7 * 86400.0), back = 1.0 / 7200.0;
  const std::vector<Transition> t{
      {0, 1, fail},   {0, 4, outage},   {1, 2, failover}, {1, 4, outage},   {2, 3, fail},
      {2, 5, outage}, {3, 0, failover}, {3, 6, outage},   {4, 5, failover}, {4, 1, back},
      {5, 6, fail},   {5, 2, back},     {6, 5, failover}, {6, 3, back}};
  const auto pi = stationary_distribution(7, t, 0).probability;
  const double serving = pi[0] + pi[2] + pi[5];
  EXPECT_NEAR(r.components.at(m.find_component("db")).serving, serving, 1e-12);
  EXPECT_NEAR(availability(m, r, "web"), serving, 1e-12);
}

// ---------------------------------------------------------------- refusals

std::string refusal_of(const std::string& spec) {
  try {
    analyze_markov(model_of(spec));
  } catch (const NotMarkovian& e) {
    return e.what();
  }
  return "(no refusal)";
}

TEST(Markov, RefusesALognormalRestart) {
  const std::string msg = refusal_of(
      "  zones: [a]\n  services:\n"
      "    - {name: payment-api, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 50,\n"
      "       healthCheckDelay: 0s, restart: {lognormal: {median: 45s, p99: 3m}},\n"
      "       failures: [{type: replicaCrash, every: {exponential: {mean: 30d}}}]}\n");
  EXPECT_EQ(msg, "payment-api: restart is lognormal; analyze needs exponential restarts");
}

TEST(Markov, RefusesAHealthCheckDelay) {
  const std::string msg = refusal_of(
      "  zones: [a]\n  services:\n"
      "    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 50,\n"
      "       restart: {exponential: {mean: 1m}},\n"
      "       failures: [{type: replicaCrash, every: {exponential: {mean: 30d}}}]}\n");
  EXPECT_EQ(msg,
            "web: healthCheckDelay is 30s; analyze needs healthCheckDelay: 0 (a fixed delay is "
            "not Markovian)");
}

TEST(Markov, AcceptsFixedDelaysOfThingsThatNeverFail) {
  // The default restart (fixed 60 s) and health-check delay (30 s) do not
  // matter for a service whose replicas never die.
  const auto m = model_of(
      "  zones: [a]\n  services:\n"
      "    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 50}\n");
  EXPECT_TRUE(markov_refusals(m).empty());
  EXPECT_EQ(availability(m, analyze_markov(m), "web"), 1.0);
}

TEST(Markov, ListsEveryNonMarkovianElement) {
  const auto m = model_of(
      "  zones: [a]\n  services:\n"
      "    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 50,\n"
      "       autoscale: {maxReplicas: 4},\n"
      "       failures: [{type: replicaCrash, every: {weibull: {shape: 2, scale: 30d}}}]}\n"
      "  datastores:\n"
      "    - {name: db, primaryZone: a,\n"
      "       failures: [{type: primaryFailure, every: {exponential: {mean: 30d}}}]}\n");
  const auto refusals = markov_refusals(m);
  std::vector<std::string> messages;
  for (const auto& r : refusals) messages.push_back(r.message);
  std::sort(messages.begin(), messages.end());  // model order is topological; compare as a set
  const std::vector<std::string> expected{
      "db: failover detect is 30s; analyze needs detect: 0 (a fixed delay is not Markovian)",
      "db: failover duration is fixed; analyze needs an exponential failover duration",
      "web: autoscale changes the replica count with the load; analyze needs a fixed replica "
      "count",
      "web: healthCheckDelay is 30s; analyze needs healthCheckDelay: 0 (a fixed delay is not "
      "Markovian)",
      "web: replicaCrash every is weibull; analyze needs exponential times between crashes",
      "web: restart is fixed; analyze needs exponential restarts",
  };
  EXPECT_EQ(messages, expected);
}

}  // namespace
}  // namespace relsim::analysis
