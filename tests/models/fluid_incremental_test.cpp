// FluidUpdater against the reference: random systems (generated YAML through
// the loader, and the generated platform family) take random event
// sequences; after every event the incremental result must equal a fresh
// evaluate_fluid of the new state in every field, and changed() must be
// exactly the components whose fields differ from the previous result.
//
// Tolerance: issue 18 asks for a relative difference of at most 1e-12. The
// incremental update re-sums every dirty load in the full pass's order and
// runs the same per-component steps, so the test asserts the stronger
// property: the doubles are bit for bit the same (which implies the bound).
#include "models/fluid_incremental.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/fluid.hpp"
#include "models/loader.hpp"
#include "models/platform_generator.hpp"

namespace relsim::models {
namespace {

bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

CompiledModel compile_text(const std::string& system_text, const std::string& system_name) {
  const std::string text =
      system_text +
      "\n---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: s}\n"
      "spec: {system: " +
      system_name +
      ", horizon: 1d, trials: 1, randomFailures: false, "
      "randomDeploys: false}\n";
  const Documents docs = load_string(text, "random.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// A random system over zones a, b, c: `services` services calling only
/// services of higher index (so the graph is acyclic), datastores with and
/// without capacity, caches backed by datastores or services, hard and soft
/// dependencies (some with timeouts), zone-local and cross-zone load
/// balancing, zoneRoom, latency distributions, and client retry on some
/// edges when `retry`.
std::string random_system(std::mt19937_64& rng, bool retry) {
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
  const char* zones[] = {"a", "b", "c"};
  const int services = uniform(3, 24);
  const int datastores = uniform(1, 3);
  const int caches = uniform(0, 3);
  std::string y =
      "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: r}\n"
      "spec:\n  zones: [a, b, c]\n";

  y += "  datastores:\n";
  for (int d = 0; d < datastores; ++d) {
    y += "    - {name: d" + std::to_string(d) + ", primaryZone: " + zones[uniform(0, 2)];
    if (chance(0.6)) y += ", capacity: " + std::to_string(uniform(200, 3000));
    if (chance(0.7))
      y += ", latency: {lognormal: {median: " + std::to_string(uniform(2, 30)) +
           "ms, p99: " + std::to_string(uniform(40, 400)) + "ms}}";
    y += "}\n";
  }

  // Cache k is backed by a datastore or by a service; a service may use it
  // only when it has a smaller index than the backing service.
  std::vector<int> cache_backing_service(caches, -1);
  if (caches > 0) {
    y += "  caches:\n";
    for (int k = 0; k < caches; ++k) {
      std::string backing;
      if (chance(0.3) && services > 1) {
        cache_backing_service[k] = uniform(1, services - 1);
        backing = "s" + std::to_string(cache_backing_service[k]);
      } else {
        backing = "d" + std::to_string(uniform(0, datastores - 1));
      }
      y += "    - {name: k" + std::to_string(k) + ", hitRatio: " + std::to_string(uniform(0, 99)) +
           "%, backing: " + backing + ", zones: [" + zones[uniform(0, 2)] + "]";
      if (chance(0.5)) y += ", capacity: " + std::to_string(uniform(100, 2000));
      y += "}\n";
    }
  }

  y += "  services:\n";
  for (int s = 0; s < services; ++s) {
    std::string zone_list;
    const int first = uniform(0, 2);
    const int count = uniform(1, 3);
    for (int z = 0; z < count; ++z) {
      zone_list += std::string(z > 0 ? ", " : "") + zones[(first + z) % 3];
    }
    y += "    - {name: s" + std::to_string(s) + ", replicas: " + std::to_string(uniform(1, 9)) +
         ", zones: [" + zone_list + "], capacityPerReplica: " + std::to_string(uniform(20, 400));
    if (s == 0 || chance(0.4)) y += ", demand: " + std::to_string(uniform(0, 900));
    if (chance(0.5)) y += ", loadBalancing: zoneLocal";
    if (chance(0.3)) y += ", zoneRoom: " + std::to_string(uniform(1, 3));
    if (chance(0.3)) y += ", topologySpread: false";
    if (chance(0.4)) {
      y += ", latency: {exponential: {mean: " + std::to_string(uniform(5, 200)) + "ms}}";
    } else if (chance(0.5)) {
      y += ", latency: {lognormal: {median: " + std::to_string(uniform(5, 100)) +
           "ms, p99: " + std::to_string(uniform(150, 2000)) + "ms}}";
    }
    std::string deps;
    auto add_dep = [&deps](const std::string& d) { deps += (deps.empty() ? "" : ", ") + d; };
    auto edge_options = [&](bool may_be_soft) {
      std::string o;
      if (chance(0.5)) o += ", callFraction: " + std::to_string(uniform(5, 100)) + "%";
      if (may_be_soft && chance(0.4)) {
        o += ", type: soft, fallbackSuccess: " + std::to_string(uniform(1, 100)) + "%";
        if (chance(0.6)) o += ", timeout: " + std::to_string(uniform(50, 900)) + "ms";
      }
      if (retry && chance(0.3)) {
        o += ", retry: {attempts: " + std::to_string(uniform(2, 4)) + ", backoff: 50ms}";
      }
      return o;
    };
    for (int t = s + 1; t < services; ++t) {
      if (chance(3.0 / services))
        add_dep("{service: s" + std::to_string(t) + edge_options(true) + "}");
    }
    for (int d = 0; d < datastores; ++d) {
      if (chance(0.25)) add_dep("{datastore: d" + std::to_string(d) + edge_options(true) + "}");
    }
    for (int k = 0; k < caches; ++k) {
      if (cache_backing_service[k] >= 0 && cache_backing_service[k] <= s) continue;
      if (chance(0.3)) {
        std::string o;
        if (chance(0.5)) o += ", callFraction: " + std::to_string(uniform(5, 100)) + "%";
        add_dep("{cache: k" + std::to_string(k) + o + "}");
      }
    }
    if (!deps.empty()) y += ", dependsOn: [" + deps + "]";
    y += "}\n";
  }
  return y;
}

/// Names of the fields of component `c` that differ between two results
/// (empty: none).
std::string differing_fields(const CompiledModel& model, const FluidResult& a, const FluidResult& b,
                             Index c) {
  std::string d;
  auto check = [&d](const char* name, double x, double y) {
    if (!same(x, y)) d += std::string(d.empty() ? "" : ", ") + name;
  };
  check("load", a.load[c], b.load[c]);
  check("load_slope", a.load_slope[c], b.load_slope[c]);
  check("admitted", a.admitted[c], b.admitted[c]);
  check("admitted_slope", a.admitted_slope[c], b.admitted_slope[c]);
  check("success", a.success[c], b.success[c]);
  check("delay", a.delay[c], b.delay[c]);
  check("max_utilisation", a.max_utilisation[c], b.max_utilisation[c]);
  check("overloaded", a.overloaded[c], b.overloaded[c]);
  check("stretch", a.stretch[c], b.stretch[c]);
  check("median", a.median[c], b.median[c]);
  for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
    check("zone_admitted", a.zone_admitted[p], b.zone_admitted[p]);
    check("zone_rho", a.zone_rho[p], b.zone_rho[p]);
  }
  for (Index e = model.edge_begin[c]; e < model.edge_begin[c + 1]; ++e) {
    check("edge_failure", a.edge_failure[e], b.edge_failure[e]);
  }
  return d;
}

/// Drives one model through random events, checking after each.
class Driver {
 public:
  Driver(const CompiledModel& model, std::uint64_t seed)
      : model_(model),
        rng_(seed),
        state_(make_fluid_state(model)),
        demand_(model.services.size()),
        slope_(model.services.size()),
        updater_(model) {
    for (std::size_t s = 0; s < model.services.size(); ++s) {
      demand_[s] = model.services[s].demand.base;
      slope_[s] = (rng_() % 3 == 0) ? uniform_real(-0.5, 0.5) : 0.0;
    }
    evaluate_fluid(model_, state_, demand_, slope_, incremental_);
    previous_ = incremental_;
  }

  /// Applies `events` random events (sometimes a few at once before one
  /// update) and checks after each update. Returns the number of updates.
  int run(int events) {
    int updates = 0;
    for (int i = 0; i < events;) {
      const int batch = (rng_() % 5 == 0) ? 2 + static_cast<int>(rng_() % 3) : 1;
      for (int k = 0; k < batch; ++k, ++i) random_event();
      updater_.update(state_, demand_, slope_, incremental_);
      check();
      ++updates;
      if (::testing::Test::HasFailure()) break;
    }
    return updates;
  }

  std::uint64_t changed_total() const { return changed_total_; }

 private:
  double uniform_real(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  Index pick(std::size_t n) { return static_cast<Index>(rng_() % n); }

  /// A random service-replica placement, or kNoIndex when there is none.
  Index replica_placement() {
    for (int tries = 0; tries < 20; ++tries) {
      const Index p = pick(model_.placements.size());
      if (model_.placements[p].role == ZoneRole::service_replicas) return p;
    }
    return kNoIndex;
  }
  /// A random component of `kind`, or kNoIndex when there is none.
  Index component_of(ComponentKind kind) {
    for (int tries = 0; tries < 20; ++tries) {
      const Index c = pick(model_.components.size());
      if (model_.components[c].kind == kind) return c;
    }
    return kNoIndex;
  }

  void random_event() {
    const std::size_t nc = model_.components.size();
    switch (rng_() % 16) {
      case 0:
      case 1: {  // a replica dies; the load balancer still routes to it
        const Index p = replica_placement();
        if (p == kNoIndex || state_.healthy[p] == 0) return;
        --state_.healthy[p];
        updater_.mark_placement(p);
        return;
      }
      case 2: {  // health checks catch up: dead replicas are no longer routed
        const Index p = replica_placement();
        if (p == kNoIndex) return;
        state_.routed[p] = state_.healthy[p];
        updater_.mark_placement(p);
        return;
      }
      case 3:
      case 4: {  // a replica is restored (or an extra one scheduled)
        const Index p = replica_placement();
        if (p == kNoIndex || state_.healthy[p] >= 12) return;
        ++state_.healthy[p];
        state_.routed[p] = std::max(state_.routed[p], state_.healthy[p]);
        updater_.mark_placement(p);
        return;
      }
      case 5: {  // a zone goes down or comes back
        const Index z = pick(model_.zone_count());
        const bool up = !state_.zone_up[z];
        state_.zone_up[z] = up ? 1 : 0;
        for (const Index p : model_.placements_in(z)) {
          const Placement& row = model_.placements[p];
          if (row.role == ZoneRole::service_replicas) {
            state_.healthy[p] = up ? row.initial : 0;
            state_.routed[p] = up ? row.initial : (rng_() % 2 ? state_.routed[p] : 0);
          } else if (model_.components[row.component].kind != ComponentKind::service) {
            state_.serving[row.component] = up ? 1 : 0;
          }
          updater_.mark_placement(p);
        }
        return;
      }
      case 6: {  // a datastore's primary or a cache node stops or resumes serving
        const Index c = component_of(rng_() % 2 ? ComponentKind::datastore : ComponentKind::cache);
        if (c == kNoIndex) return;
        state_.serving[c] = state_.serving[c] ? 0 : 1;
        updater_.mark(c);
        return;
      }
      case 7: {  // a cache's hit ratio moves (warm-up, eviction)
        const Index c = component_of(ComponentKind::cache);
        if (c == kNoIndex) return;
        state_.hit_ratio[c] = rng_() % 4 == 0 ? 0.0 : uniform_real(0.0, 1.0);
        updater_.mark(c);
        return;
      }
      case 8: {  // capacity loss
        const Index c = component_of(ComponentKind::service);
        if (c == kNoIndex) return;
        state_.capacity_factor[c] = rng_() % 3 == 0 ? 1.0 : uniform_real(0.05, 1.0);
        updater_.mark(c);
        return;
      }
      case 9: {  // load spike
        const Index c = component_of(ComponentKind::service);
        if (c == kNoIndex) return;
        state_.demand_factor[c] = rng_() % 3 == 0 ? 1.0 : uniform_real(0.5, 6.0);
        updater_.mark(c);
        return;
      }
      case 10: {  // bad deploy errors, or dependency errors on a component
        const Index c = pick(nc);
        state_.error_rate[c] = rng_() % 3 == 0 ? 0.0 : uniform_real(0.0, 0.6);
        updater_.mark(c);
        return;
      }
      case 11: {  // bad deploy latency
        const Index c = pick(nc);
        state_.added_latency[c] = rng_() % 3 == 0 ? 0.0 : uniform_real(0.0, 0.8);
        updater_.mark(c);
        return;
      }
      case 12: {  // network loss, injected errors or a partition on an edge
        if (model_.edges.empty()) return;
        const Index e = pick(model_.edges.size());
        const int how = static_cast<int>(rng_() % 3);
        state_.edge_pass[e] = how == 0 ? 1.0 : how == 1 ? 0.0 : uniform_real(0.1, 1.0);
        updater_.mark_edge(e);
        return;
      }
      case 13: {  // network latency on an edge
        if (model_.edges.empty()) return;
        const Index e = pick(model_.edges.size());
        state_.edge_latency[e] = rng_() % 3 == 0 ? 0.0 : uniform_real(0.0, 1.0);
        updater_.mark_edge(e);
        return;
      }
      case 14: {  // the external demand of a service moves (daily profile)
        const Index c = component_of(ComponentKind::service);
        if (c == kNoIndex) return;
        const Index s = model_.components[c].row;
        demand_[s] = rng_() % 4 == 0 ? 0.0 : uniform_real(0.0, 2000.0);
        slope_[s] = rng_() % 2 ? 0.0 : uniform_real(-1.0, 1.0);
        updater_.mark(c);
        return;
      }
      default: {  // a change that leaves the component's results as they were
        const Index c = pick(nc);
        updater_.mark(c);
        return;
      }
    }
  }

  void check() {
    FluidResult full = previous_;  // sized like a live result, as the engine's would be
    evaluate_fluid(model_, state_, demand_, slope_, full);
    std::vector<Index> expected_changed;
    for (Index c = 0; c < model_.components.size(); ++c) {
      const std::string d = differing_fields(model_, incremental_, full, c);
      ASSERT_TRUE(d.empty()) << "component " << model_.names.components[c]
                             << ": the incremental result differs from the full evaluation in "
                             << d;
      if (!differing_fields(model_, previous_, full, c).empty()) expected_changed.push_back(c);
    }
    if (model_.has_retry) {
      ASSERT_EQ(incremental_.retry_scratch, full.retry_scratch);
    }
    ASSERT_EQ(updater_.changed(), expected_changed);
    changed_total_ += expected_changed.size();
    previous_ = full;
  }

  const CompiledModel& model_;
  std::mt19937_64 rng_;
  FluidState state_;
  std::vector<double> demand_, slope_;
  FluidUpdater updater_;
  FluidResult incremental_;
  FluidResult previous_;
  std::uint64_t changed_total_ = 0;
};

TEST(FluidIncremental, MatchesTheFullEvaluationOnRandomSystemsAfterEveryEvent) {
  std::mt19937_64 rng(20261207);
  int updates = 0;
  std::uint64_t changed = 0;
  for (int system = 0; system < 40; ++system) {
    SCOPED_TRACE("random system " + std::to_string(system));
    const CompiledModel model = compile_text(random_system(rng, false), "r");
    ASSERT_FALSE(model.has_retry);
    Driver driver(model, 1000 + system);
    updates += driver.run(300);
    changed += driver.changed_total();
    if (HasFailure()) return;
  }
  // The events do move results: the comparison is not vacuous.
  EXPECT_GT(updates, 40 * 200);
  EXPECT_GT(changed, static_cast<std::uint64_t>(updates));
}

TEST(FluidIncremental, FallsBackToTheFullEvaluationWithClientRetry) {
  std::mt19937_64 rng(7);
  int with_retry = 0;
  for (int system = 0; system < 16; ++system) {
    SCOPED_TRACE("random system with retry " + std::to_string(system));
    const CompiledModel model = compile_text(random_system(rng, true), "r");
    with_retry += model.has_retry ? 1 : 0;
    Driver driver(model, 5000 + system);
    driver.run(150);
    if (HasFailure()) return;
  }
  EXPECT_GE(with_retry, 12);
}

TEST(FluidIncremental, MatchesTheFullEvaluationOnTheGeneratedPlatform) {
  for (const int services : {1, 7, 30, 120}) {
    SCOPED_TRACE("platform of " + std::to_string(services) + " services");
    const CompiledModel model =
        compile_text(generate_platform(services, "platform").system, "platform");
    Driver driver(model, 77 + services);
    driver.run(400);
    if (HasFailure()) return;
  }
}

TEST(FluidIncremental, OneReplicaKillVisitsOnlyWhatMoved) {
  // The platform's front service loses a replica: its own load split moves,
  // and with it its success no further than its callers (it has none).
  const CompiledModel model = compile_text(generate_platform(60, "platform").system, "platform");
  FluidState state = make_fluid_state(model);
  std::vector<double> demand(model.services.size()), slope(model.services.size(), 0.0);
  for (std::size_t s = 0; s < demand.size(); ++s) demand[s] = model.services[s].demand.base;
  FluidResult out;
  evaluate_fluid(model, state, demand, slope, out);
  FluidUpdater updater(model);
  // The highest component index is a front-layer service (callers come last).
  const Index front = static_cast<Index>(model.components.size() - 1);
  ASSERT_EQ(model.components[front].kind, ComponentKind::service);
  const Index p = model.placement_begin[front];
  --state.healthy[p];
  updater.mark_placement(p);
  EXPECT_TRUE(updater.pending());
  updater.update(state, demand, slope, out);
  EXPECT_FALSE(updater.pending());
  FluidResult full;
  evaluate_fluid(model, state, demand, slope, full);
  for (Index c = 0; c < model.components.size(); ++c) {
    EXPECT_EQ(differing_fields(model, out, full, c), "") << model.names.components[c];
  }
  // Only the front service and what its changed load reaches downstream.
  EXPECT_FALSE(updater.changed().empty());
  EXPECT_EQ(updater.changed().back(), front);
  EXPECT_LT(updater.changed().size(), model.components.size());

  // Nothing marked: nothing to do, nothing changed.
  updater.update(state, demand, slope, out);
  EXPECT_TRUE(updater.changed().empty());
}

}  // namespace
}  // namespace relsim::models
