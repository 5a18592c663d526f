// The fluid view on the generated platform of N services
// (models/platform_generator.hpp): BM_FluidFull/N is one full
// evaluate_fluid; BM_FluidUpdate/N is one FluidUpdater::update after a
// replica of one service dies or comes back (the services taken in turn, so
// the figure averages over front, middle and back layers). One evaluation or
// update per iteration: the Time and CPU columns are ns per update (CPU is
// the figure to read on a loaded machine); changed/update counts the
// components whose results moved. BM_FluidUpdateAllDemand/N: every
// service's demand moves (all marked), the worst case of an update.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/fluid.hpp"
#include "models/fluid_incremental.hpp"
#include "models/loader.hpp"
#include "models/platform_generator.hpp"

namespace {

using namespace relsim;

models::CompiledModel platform_system(int services) {
  const std::string text =
      models::generate_platform(services, "platform").system +
      "\n---\napiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: bench}\n"
      "spec: {system: platform, horizon: 1d, trials: 1}\n";
  const models::Documents docs = models::load_string(text, "platform.yaml");
  return models::compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// The platform's fluid inputs at their nominal values.
struct Platform {
  explicit Platform(int services)
      : model(platform_system(services)),
        state(models::make_fluid_state(model)),
        demand(model.services.size()),
        slope(model.services.size(), 0.0) {
    for (std::size_t s = 0; s < demand.size(); ++s) demand[s] = model.services[s].demand.base;
    models::evaluate_fluid(model, state, demand, slope, out);
    for (models::Index p = 0; p < model.placements.size(); ++p) {
      if (model.placements[p].role == models::ZoneRole::service_replicas &&
          model.placements[p].initial > 0) {
        replica_rows.push_back(p);
      }
    }
  }
  models::CompiledModel model;
  models::FluidState state;
  std::vector<double> demand, slope;
  models::FluidResult out;
  std::vector<models::Index> replica_rows;  // placements with a replica to kill
};

void BM_FluidFull(benchmark::State& st) {
  Platform p(static_cast<int>(st.range(0)));
  for (auto _ : st) {
    models::evaluate_fluid(p.model, p.state, p.demand, p.slope, p.out);
    benchmark::DoNotOptimize(p.out.success.data());
  }
}

void BM_FluidUpdate(benchmark::State& st) {
  Platform p(static_cast<int>(st.range(0)));
  models::FluidUpdater updater(p.model);
  std::size_t next = 0;
  bool kill = true;
  double changed = 0.0;
  for (auto _ : st) {
    // Kill one replica of a service (still routed: the health check has not
    // caught up), then, on the next round through the services, restore it.
    const models::Index row = p.replica_rows[next];
    p.state.healthy[row] += kill ? -1 : 1;
    updater.mark_placement(row);
    updater.update(p.state, p.demand, p.slope, p.out);
    changed += static_cast<double>(updater.changed().size());
    if (++next == p.replica_rows.size()) {
      next = 0;
      kill = !kill;
    }
  }
  st.counters["changed/update"] = changed / static_cast<double>(st.iterations());
}

/// Every service's demand moves (the daily profile): every service marked.
void BM_FluidUpdateAllDemand(benchmark::State& st) {
  Platform p(static_cast<int>(st.range(0)));
  models::FluidUpdater updater(p.model);
  double factor = 1.01;
  for (auto _ : st) {
    for (std::size_t s = 0; s < p.demand.size(); ++s) {
      p.demand[s] *= factor;
      updater.mark(p.model.services[s].component);
    }
    factor = 1.0 / factor;
    updater.update(p.state, p.demand, p.slope, p.out);
  }
}

}  // namespace

BENCHMARK(BM_FluidUpdateAllDemand)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_FluidFull)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_FluidUpdate)->Arg(10)->Arg(100)->Arg(1000);
