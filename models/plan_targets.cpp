// The game-day planner's targets: what the experiment hits, its blast
// radius, the budget SLOs with their month's budget, the watched services.
// See models/plan_probe.hpp.
#include <algorithm>

#include "models/demand.hpp"
#include "models/diagnostics.hpp"
#include "models/fluid.hpp"
#include "models/plan_probe.hpp"

namespace relsim::models {

namespace {

bool contains(const std::vector<Index>& v, Index x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void push_unique(std::vector<Index>& v, Index x) {
  if (!contains(v, x)) v.push_back(x);
}

}  // namespace

GameDayTargets game_day_targets(const CompiledModel& m, const GameDay& game_day) {
  GameDayTargets t;
  const FaultRow& f = m.faults.at(0);
  auto hit_component = [&](Index c) {
    if (c != kNoIndex) push_unique(t.hit, c);
  };
  auto hit_zone = [&](Index z) {
    if (z == kNoIndex) return;
    for (const Index p : m.placements_in(z)) {
      const Placement& pl = m.placements[p];
      // A zone takes down the replicas in it, a datastore's primary and a cache's nodes.
      if (pl.role != ZoneRole::datastore_replica) hit_component(pl.component);
    }
  };
  switch (f.kind) {
    case FaultKind::zone_outage:
      hit_zone(f.zone);
      break;
    case FaultKind::node_drain:
      hit_component(f.component);
      if (f.component == kNoIndex) hit_zone(f.zone);
      break;
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition:
      hit_component(f.from);
      break;
    case FaultKind::dependency_errors:
      if (f.from != kNoIndex) {
        hit_component(f.from);
      } else {
        for (const Index e : m.callers_of(f.component)) hit_component(m.edges[e].source);
      }
      break;
    default:
      hit_component(f.component);
      break;
  }
  // Blast radius: everything that calls a hit component, transitively.
  t.affected = t.hit;
  t.hard_path.assign(t.affected.size(), 1);
  for (std::size_t i = 0; i < t.affected.size(); ++i) {
    for (const Index e : m.callers_of(t.affected[i])) {
      const EdgeRow& edge = m.edges[e];
      const bool hard =
          t.hard_path[i] && (edge.type == EdgeType::hard || edge.type == EdgeType::backing);
      auto it = std::find(t.affected.begin(), t.affected.end(), edge.source);
      if (it == t.affected.end()) {
        t.affected.push_back(edge.source);
        t.hard_path.push_back(hard ? 1 : 0);
      } else if (hard) {
        t.hard_path[static_cast<std::size_t>(it - t.affected.begin())] = 1;
      }
    }
  }
  for (const Index c : t.hit) {
    const ComponentRow& row = m.components[c];
    if (row.kind == ComponentKind::service) {
      t.capacity_services.push_back(row.row);
    } else if (f.kind == FaultKind::zone_outage || f.kind == FaultKind::datastore_failover ||
               f.kind == FaultKind::cache_failover || f.kind == FaultKind::node_drain) {
      t.stores.push_back(c);
    }
  }
  if (!game_day.budget.slos.empty()) {
    std::vector<Diagnostic> problems;
    for (const NameRef& name : game_day.budget.slos) {
      const auto it = std::find(m.names.slos.begin(), m.names.slos.end(), name.name);
      if (it == m.names.slos.end()) {
        problems.push_back({name.location, "unknown SLO '" + name.name + "' in budget.slos"});
      } else {
        push_unique(t.budget_slos, static_cast<Index>(it - m.names.slos.begin()));
      }
    }
    if (!problems.empty()) throw InputError(std::move(problems));
  } else {
    for (Index k = 0; k < m.slos.size(); ++k) {
      if (contains(t.affected, m.slos[k].component)) t.budget_slos.push_back(k);
    }
  }
  // Nominal load over one local week, every 5 minutes (trapezoids; the
  // demand profile's knots fall on whole minutes of the day).
  if (!t.budget_slos.empty()) {
    const FluidState nominal = make_fluid_state(m);
    std::vector<DemandCurve> curves;
    for (const ServiceRow& svc : m.services) curves.emplace_back(svc.demand, m.calendar);
    std::vector<double> demand(m.services.size()), slope(m.services.size(), 0.0);
    std::vector<double> sum(t.budget_slos.size(), 0.0);
    FluidResult r;
    const sim::Duration step = sim::Duration::minutes(5);
    const std::int64_t steps = sim::Duration::days(7).count_micros() / step.count_micros();
    for (std::int64_t i = 0; i <= steps; ++i) {
      const sim::Duration at = step * i;
      for (std::size_t s = 0; s < curves.size(); ++s) demand[s] = curves[s].rate(at);
      evaluate_fluid(m, nominal, demand, slope, r);
      const double w = (i == 0 || i == steps) ? 0.5 : 1.0;
      for (std::size_t k = 0; k < t.budget_slos.size(); ++k) {
        sum[k] += w * r.load[m.slos[t.budget_slos[k]].component];
      }
    }
    for (std::size_t k = 0; k < t.budget_slos.size(); ++k) {
      const SloRow& slo = m.slos[t.budget_slos[k]];
      t.month_budget.push_back((1.0 - slo.objective) * sum[k] / static_cast<double>(steps) *
                               slo.window.to_seconds());
    }
  }
  for (const Index k : t.budget_slos) push_unique(t.watched, m.components[m.slos[k].component].row);
  if (t.watched.empty()) {
    for (const Index c : t.affected) {
      if (m.components[c].kind == ComponentKind::service && m.callers_of(c).empty()) {
        t.watched.push_back(m.components[c].row);
      }
    }
  }
  if (t.watched.empty()) {
    for (Index s = 0; s < m.services.size(); ++s) {
      if (m.callers_of(m.services[s].component).empty()) t.watched.push_back(s);
    }
  }
  return t;
}

}  // namespace relsim::models
