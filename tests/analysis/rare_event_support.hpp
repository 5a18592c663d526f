// Models and exact values shared by the rare-event tests
// (rare_event_test.cpp, rare_event_quick_test.cpp).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/loader.hpp"

namespace relsim::test {

inline constexpr double kMonth = 30.0 * 86400.0;  // T, the horizon and the SLO window
inline constexpr double kBudget = 1e-4 * kMonth;  // B of a 99.99 % SLO: 259.2 s
inline constexpr double kOutage = 60.0;           // ℓ, the fixed restart

inline models::CompiledModel compile_text(const std::string& text) {
  const models::Documents docs = models::load_string(text, "rare.yaml");
  return models::compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// One service whose `replicas` replicas crash after Exp(`mtbf`) of running
/// and restart after `restart`; one replica carries the demand; a 99.99 %
/// availability SLO over the 30-day horizon.
inline std::string rare_model(int replicas, const std::string& mtbf, const std::string& restart,
                              int trials) {
  return R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
    - name: web
      replicas: )" +
         std::to_string(replicas) + R"(
      zones: [a]
      capacityPerReplica: 100
      demand: 50
      healthCheckDelay: 0s
      restart: )" +
         restart + R"(
      failures:
        - {type: replicaCrash, every: {exponential: {mean: )" +
         mtbf + R"(}}}
  slos:
    - {name: avail, service: web, objective: 99.99%, window: 30d}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: s
  horizon: 30d
  trials: )" +
         std::to_string(trials) + R"(
  seed: 20261207
  randomDeploys: false
)";
}

/// P(Poisson(mu) >= k), summed from the tail (no cancellation).
inline double poisson_tail(double mu, int k) {
  double term = std::exp(-mu);
  for (int i = 1; i <= k; ++i) term *= mu / i;
  double sum = 0.0;
  for (int i = k; term > 1e-30 * sum || i < k + 5; ++i) {
    sum += term;
    term *= mu / (i + 1);
  }
  return sum;
}

/// The closed form of the single service with outages of fixed length ℓ:
/// the SLO is missed when the ⌊B/ℓ⌋+1-th crash comes before T − B of up
/// time, P = P(Poisson((T − B)/M) > ⌊B/ℓ⌋).
inline double exact_fixed_outages(double mtbf_seconds) {
  const int k = static_cast<int>(std::floor(kBudget / kOutage));
  return poisson_tail((kMonth - kBudget) / mtbf_seconds, k + 1);
}

/// 1-of-2 replicas, each crashing at rate lam while running and restarting
/// at rate mu (exponential): P(down time in [0, T] > B). The service is
/// down in state 2 (both restarting), whose sojourns are Exp(2mu) and
/// always return to state 1. The down time exceeds B iff the up time U
/// spent before the down time reaches B is below T − B; the down sojourns
/// completed by then are Poisson(2mu·B) in number m, and U is the first
/// passage 0 → 2 plus m first passages 1 → 2: a phase-type sum whose
/// distribution function comes from uniformization (to ~1e-14).
inline double exact_one_of_two(double lam, double mu, double horizon, double budget) {
  const double a = 2.0 * mu * budget;
  double total = 0.0;
  double pm = std::exp(-a);
  for (int m = 0; m < 40; ++m) {
    if (m > 0) pm *= a / m;
    if (pm < 1e-30) break;
    // Blocks 0..m of the states (0 failed, 1 failed); block 0 starts in
    // state 0; leaving block b's state 1 at rate lam enters block b+1's state 1.
    const int n = 2 * (m + 1);
    const double rate = std::max(2.0 * lam, mu + lam);
    std::vector<double> v(n, 0.0), next(n, 0.0);
    v[0] = 1.0;
    const double lx = rate * (horizon - budget);
    const int K = static_cast<int>(lx + 12.0 * std::sqrt(lx) + 60.0);
    double log_p = -lx, survival = 0.0;
    for (int k = 0; k < K; ++k) {
      double mass = 0.0;
      for (double x : v) mass += x;
      survival += std::exp(log_p) * mass;
      // next = v · (I + S / rate)
      for (int b = 0; b <= m; ++b) {
        const int i0 = 2 * b, i1 = 2 * b + 1;
        next[i0] = v[i0] * (1.0 - 2.0 * lam / rate) + v[i1] * (mu / rate);
        next[i1] = v[i1] * (1.0 - (mu + lam) / rate) + v[i0] * (2.0 * lam / rate) +
                   (b > 0 ? v[2 * (b - 1) + 1] * (lam / rate) : 0.0);
      }
      v.swap(next);
      log_p += std::log(lx) - std::log(k + 1.0);
    }
    total += pm * (1.0 - survival);
  }
  return total;
}

}  // namespace relsim::test
