// Filling a CompiledModel's tables from a checked System (see
// model_tables.hpp): components in topological order, CSR edges and
// placements, per-kind rows, failure processes with their streams, SLOs,
// alerts, people, runbooks and faults.
#include "models/model_tables.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "models/diagnostics.hpp"
#include "sim/random.hpp"

namespace relsim::models::detail {

namespace {

Index to_index(std::size_t i) { return static_cast<Index>(i); }

template <typename T>
Index index_of(const std::vector<T>& items, std::string_view name) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return to_index(i);
  }
  return kNoIndex;
}

ConditionRow condition_row(const Condition& c) { return {c.metric, c.above, c.percentile}; }

/// Fills a CompiledModel from a System; one per compile call.
class Compiler {
 public:
  Compiler(const System& system, const Topology& topology, CompiledModel& m)
      : sys_(system), topo_(topology), m_(m) {}

  void run(const std::vector<PendingFault>& faults) {
    components();
    edges();
    placements();
    services();
    datastores_and_caches();
    failures();
    operations();
    people();
    compile_faults(faults);
    check_streams();
  }

 private:
  std::uint64_t stream(std::string name) {
    const std::uint64_t id = sim::stream_id(name);
    m_.names.streams.push_back({id, std::move(name)});
    return id;
  }
  Index component_of(ComponentKind kind, const NameRef& ref) const {
    const auto v = topo_.find(kind, ref.name);
    return v ? comp_of_[*v] : kNoIndex;
  }
  Index zone_of(const NameRef& ref) const {
    const auto z = topo_.find_zone(ref.name);
    return z ? *z : kNoIndex;
  }

  void components() {
    const auto& order = topo_.topological_order();
    comp_of_.assign(topo_.vertex_count(), kNoIndex);
    for (std::size_t c = 0; c < order.size(); ++c) {
      const auto& vx = topo_.vertex(order[c]);
      comp_of_[order[c]] = to_index(c);
      Index row = 0;
      switch (vx.kind) {
        case ComponentKind::service:
          row = to_index(m_.services.size());
          m_.services.emplace_back();
          break;
        case ComponentKind::datastore:
          row = to_index(m_.datastores.size());
          m_.datastores.emplace_back();
          break;
        case ComponentKind::cache:
          row = to_index(m_.caches.size());
          m_.caches.emplace_back();
          break;
      }
      m_.components.push_back({vx.kind, row});
      m_.names.components.push_back(vx.name);
    }
    for (const auto& z : sys_.zones) m_.names.zones.push_back(z.name);
  }

  void edges() {
    const auto& order = topo_.topological_order();
    const std::size_t n = order.size();
    m_.edge_begin.assign(1, 0);
    std::vector<std::vector<Index>> callers(n);
    for (std::size_t c = 0; c < n; ++c) {
      for (const EdgeId e : topo_.out_edges(order[c])) {
        const TopologyEdge& te = topo_.edges()[e];
        std::optional<sim::Duration> timeout;
        int attempts = 1;
        double backoff = 0.0;
        if (te.dependency) {
          const Dependency& d =
              sys_.services[topo_.vertex(te.from).index].depends_on[*te.dependency];
          timeout = d.timeout;
          attempts = d.retry_attempts;
          backoff = d.retry_backoff.to_seconds();
        }
        const Index target = comp_of_[te.to];
        if (target >= c) throw std::logic_error("compile: edge target not before its source");
        callers[target].push_back(to_index(m_.edges.size()));
        m_.edges.push_back({to_index(c), target, te.type, te.call_fraction, te.fallback_success,
                            timeout, attempts, backoff});
        if (attempts > 1) m_.has_retry = true;
      }
      m_.edge_begin.push_back(to_index(m_.edges.size()));
    }
    m_.caller_begin.assign(1, 0);
    for (const auto& list : callers) {
      m_.callers.insert(m_.callers.end(), list.begin(), list.end());
      m_.caller_begin.push_back(to_index(m_.callers.size()));
    }
  }

  void placements() {
    const std::size_t n = m_.components.size();
    m_.placement_begin.assign(1, 0);
    for (std::size_t c = 0; c < n; ++c) {
      const auto& vx = topo_.vertex(topo_.topological_order()[c]);
      auto add = [&](const NameRef& zone, ZoneRole role, int initial) {
        if (const Index z = zone_of(zone); z != kNoIndex) {
          m_.placements.push_back({to_index(c), z, role, initial});
        }
      };
      switch (vx.kind) {
        case ComponentKind::service: {
          const Service& s = sys_.services[vx.index];
          const int nz = static_cast<int>(s.zones.size());
          for (int k = 0; k < nz; ++k) {
            add(s.zones[static_cast<std::size_t>(k)], ZoneRole::service_replicas,
                initial_replicas(s.replicas, nz, k));
          }
          break;
        }
        case ComponentKind::datastore: {
          const Datastore& d = sys_.datastores[vx.index];
          add(d.primary_zone, ZoneRole::datastore_primary, 1);
          for (const auto& z : d.replica_zones) add(z, ZoneRole::datastore_replica, 1);
          break;
        }
        case ComponentKind::cache:
          for (const auto& z : sys_.caches[vx.index].zones) add(z, ZoneRole::cache_nodes, 1);
          break;
      }
      m_.placement_begin.push_back(to_index(m_.placements.size()));
    }
    m_.zone_placement_begin.assign(1, 0);
    for (Index z = 0; z < sys_.zones.size(); ++z) {
      for (Index p = 0; p < m_.placements.size(); ++p) {
        if (m_.placements[p].zone == z) m_.zone_placements.push_back(p);
      }
      m_.zone_placement_begin.push_back(to_index(m_.zone_placements.size()));
    }
  }

  void services() {
    // Owners first: services and alerts refer to them.
    owner_.assign(m_.components.size(), kNoIndex);
    for (std::size_t t = 0; t < sys_.teams.size(); ++t) {
      for (const auto& s : sys_.teams[t].owns) {
        const Index c = component_of(ComponentKind::service, s);
        if (c != kNoIndex && owner_[c] == kNoIndex) owner_[c] = to_index(t);
      }
    }
    for (Index c = 0; c < m_.components.size(); ++c) {
      if (m_.components[c].kind != ComponentKind::service) continue;
      const Service& s = sys_.services[topo_.vertex(topo_.topological_order()[c]).index];
      ServiceRow& row = m_.services[m_.components[c].row];
      row.component = c;
      row.replicas = s.replicas;
      row.max_replicas = s.replicas;
      if (s.autoscale) {
        row.autoscale = *s.autoscale;
        if (row.autoscale->min_replicas == 0) row.autoscale->min_replicas = s.replicas;
        row.max_replicas = std::max(row.max_replicas, s.autoscale->max_replicas);
      }
      for (std::size_t b = 0; b < sys_.runbooks.size(); ++b) {
        if (sys_.runbooks[b].service.name != s.name) continue;
        if (row.runbook == kNoIndex) row.runbook = to_index(b);
        for (const auto& step : sys_.runbooks[b].steps) {
          if (step.action == RunbookAction::scale_up)
            row.max_replicas = std::max(row.max_replicas, step.to);
        }
      }
      row.capacity_per_replica = s.capacity_per_replica;
      row.demand = s.demand;
      row.topology_spread = s.topology_spread;
      row.load_balancing = s.load_balancing;
      row.zone_room = s.zone_room;
      row.health_check_delay = s.health_check_delay;
      row.restart = s.restart;
      row.latency = s.latency;
      row.owner = owner_[c];
      row.replica_begin = to_index(m_.replica_zone.size());
      for (int r = 0; r < row.max_replicas; ++r) {
        const auto& z = s.zones[static_cast<std::size_t>(r) % s.zones.size()];
        m_.replica_zone.push_back(zone_of(z));
        m_.restart_streams.push_back(stream(stream_names::replica_restart(s.name, r)));
      }
      if (s.deploys) {
        const Deploys& d = *s.deploys;
        row.deploys = to_index(m_.deploys.size());
        m_.deploys.push_back({m_.components[c].row, d.rate,
                              d.during == DeployWindow::business_hours, d.change_failure_rate,
                              d.bad_deploy, d.rollback, stream(stream_names::deploys(s.name))});
      }
    }
  }

  void datastores_and_caches() {
    for (Index c = 0; c < m_.components.size(); ++c) {
      const auto& vx = topo_.vertex(topo_.topological_order()[c]);
      if (vx.kind == ComponentKind::datastore) {
        const Datastore& d = sys_.datastores[vx.index];
        m_.datastores[m_.components[c].row] = {c,
                                               zone_of(d.primary_zone),
                                               d.capacity,
                                               d.latency,
                                               d.failover.automatic,
                                               d.failover.detect,
                                               d.failover.duration,
                                               d.failover.connection_errors,
                                               stream(stream_names::failover(d.name)),
                                               d.failover.connection_error_rate};
      } else if (vx.kind == ComponentKind::cache) {
        const Cache& k = sys_.caches[vx.index];
        m_.caches[m_.components[c].row] = {c,
                                           component_of(k.backing_kind, k.backing),
                                           k.hit_ratio,
                                           k.capacity,
                                           k.failover.duration,
                                           k.failover.warm_up,
                                           stream(stream_names::failover(k.name))};
      }
    }
  }

  void failures() {
    auto add = [&](const FailureProcess& p, Index owner, std::vector<std::string> names) {
      FailureRow row{p.type, owner, p.every, p.duration, {}};
      row.streams.begin = to_index(m_.failure_streams.size());
      for (auto& name : names) m_.failure_streams.push_back(stream(std::move(name)));
      row.streams.end = to_index(m_.failure_streams.size());
      m_.failures.push_back(std::move(row));
    };
    for (std::size_t z = 0; z < sys_.zones.size(); ++z) {
      const auto& zone = sys_.zones[z];
      for (std::size_t k = 0; k < zone.failures.size(); ++k) {
        add(zone.failures[k], to_index(z), {stream_names::zone_failures(zone.name, k)});
      }
    }
    for (Index c = 0; c < m_.components.size(); ++c) {
      const auto& vx = topo_.vertex(topo_.topological_order()[c]);
      switch (vx.kind) {
        case ComponentKind::service: {
          const Service& s = sys_.services[vx.index];
          const int slots = m_.services[m_.components[c].row].max_replicas;
          for (std::size_t k = 0; k < s.failures.size(); ++k) {
            std::vector<std::string> names;
            names.reserve(static_cast<std::size_t>(slots));
            for (int r = 0; r < slots; ++r) {
              names.push_back(stream_names::replica_failures(s.name, r, k));
            }
            add(s.failures[k], c, std::move(names));
          }
          break;
        }
        case ComponentKind::datastore: {
          const Datastore& d = sys_.datastores[vx.index];
          for (std::size_t k = 0; k < d.failures.size(); ++k) {
            add(d.failures[k], c, {stream_names::primary_failures(d.name, k)});
          }
          break;
        }
        case ComponentKind::cache: {
          const Cache& k = sys_.caches[vx.index];
          for (std::size_t i = 0; i < k.failures.size(); ++i) {
            add(k.failures[i], c, {stream_names::node_failures(k.name, i)});
          }
          break;
        }
      }
    }
  }

  void operations() {
    for (const auto& slo : sys_.slos) {
      m_.slos.push_back({component_of(ComponentKind::service, slo.service), slo.sli, slo.objective,
                         slo.threshold, slo.window_kind, slo.window});
      m_.names.slos.push_back(slo.name);
    }
    const auto policy = sys_.budget_policy.empty() ? default_budget_policy() : sys_.budget_policy;
    for (const auto& tier : policy) m_.budget_policy.push_back({tier.remaining_above, tier.action});
    for (const auto& a : sys_.alerts) {
      AlertRow row;
      row.kind = a.kind;
      row.evaluation_interval = a.evaluation_interval;
      row.for_duration = a.for_duration;
      row.route = a.route;
      row.condition = condition_row(a.condition);
      if (a.kind == AlertKind::burn_rate) {
        row.slo = index_of(sys_.slos, a.slo.name);
        if (row.slo != kNoIndex) row.component = m_.slos[row.slo].component;
        const auto windows = a.burn_windows.empty() ? sre_workbook_burn_windows() : a.burn_windows;
        row.burn_windows.begin = to_index(m_.burn_windows.size());
        for (const auto& w : windows) {
          m_.burn_windows.push_back({w.severity, w.factor, w.long_window, w.short_window});
        }
        row.burn_windows.end = to_index(m_.burn_windows.size());
      } else {
        row.component = component_of(ComponentKind::service, a.service);
      }
      row.team = a.team.empty() ? (row.component == kNoIndex ? kNoIndex : owner_[row.component])
                                : index_of(sys_.teams, a.team.name);
      m_.alerts.push_back(row);
      m_.names.alerts.push_back(a.name);
    }
    const auto rules = sys_.severity.empty() ? default_severity_rules() : sys_.severity;
    for (const auto& r : rules) {
      std::optional<ConditionRow> when;
      if (r.when) when = condition_row(*r.when);
      m_.severity.push_back({r.level, when, r.ack, r.ack_next_business_day, r.respond});
    }
  }

  void people() {
    for (const auto& t : sys_.teams) {
      TeamRow row;
      row.members = t.members;
      row.rotation = t.rotation;
      row.secondary = t.secondary;
      row.ack = t.ack;
      row.respond = t.respond;
      row.escalation_loops = t.escalation_loops;
      row.escalation.begin = to_index(m_.escalations.size());
      for (const auto& e : t.escalation) {
        m_.escalations.push_back(
            {e.after, e.target,
             e.target == EscalationTarget::team ? index_of(sys_.teams, e.team.name) : kNoIndex});
      }
      row.escalation.end = to_index(m_.escalations.size());
      row.owns.begin = to_index(m_.owned_components.size());
      for (const auto& s : t.owns) {
        m_.owned_components.push_back(component_of(ComponentKind::service, s));
      }
      row.owns.end = to_index(m_.owned_components.size());
      row.ack_stream = stream(stream_names::team_ack(t.name));
      row.respond_stream = stream(stream_names::team_respond(t.name));
      m_.teams.push_back(row);
      m_.names.teams.push_back(t.name);
    }
    for (const auto& b : sys_.runbooks) {
      RunbookRow row;
      row.component = component_of(ComponentKind::service, b.service);
      row.diagnose = b.diagnose;
      row.confirm_stable = b.confirm_stable;
      row.diagnose_stream = stream(stream_names::runbook_diagnose(b.name));
      row.steps.begin = to_index(m_.runbook_steps.size());
      for (std::size_t i = 0; i < b.steps.size(); ++i) {
        const RunbookStep& s = b.steps[i];
        Index target = kNoIndex;
        if (s.action == RunbookAction::failover) target = component_of(s.target_kind, s.target);
        if (s.action == RunbookAction::drain_zone && !s.target.empty()) target = zone_of(s.target);
        m_.runbook_steps.push_back({s.action, s.condition, s.duration, s.success, s.to, target,
                                    stream(stream_names::runbook_step(b.name, i + 1))});
      }
      row.steps.end = to_index(m_.runbook_steps.size());
      m_.runbooks.push_back(row);
      m_.names.runbooks.push_back(b.name);
    }
  }

  void compile_faults(std::vector<PendingFault> faults) {
    std::stable_sort(
        faults.begin(), faults.end(),
        [](const PendingFault& a, const PendingFault& b) { return a.start < b.start; });
    std::unordered_map<std::string, std::size_t> occurrences;
    for (const auto& [f, start] : faults) {
      const FaultTarget& t = f->target;
      FaultRow row;
      row.kind = f->kind;
      row.start = start;
      row.duration = f->duration;
      row.interval = f->interval;
      if (!t.service.empty()) row.component = component_of(ComponentKind::service, t.service);
      if (!t.datastore.empty()) row.component = component_of(ComponentKind::datastore, t.datastore);
      if (!t.cache.empty()) row.component = component_of(ComponentKind::cache, t.cache);
      if (!t.zone.empty()) row.zone = zone_of(t.zone);
      if (!t.from.empty()) row.from = component_of(t.from_kind, t.from);
      if (!t.to.empty()) row.to = component_of(t.to_kind, t.to);
      row.mode = f->mode;
      row.latency = f->latency;
      row.loss = f->loss;
      row.error_rate = f->error_rate;
      row.added_latency = f->added_latency;
      row.fraction = f->fraction;
      row.factor = f->factor;
      row.stream = stream(stream_names::fault(f->name, ++occurrences[f->name]));
      m_.faults.push_back(row);
      m_.names.faults.push_back(f->name);
    }
  }

  /// Distinct processes must draw from distinct streams. Names can only
  /// clash through odd naming (a service called `zone`); ids of distinct
  /// names clash with probability ~n²/2^64.
  void check_streams() const {
    std::set<std::uint64_t> ids;
    for (const auto& s : m_.names.streams) {
      if (!ids.insert(s.id).second) {
        throw InputError(sys_.location, "two random processes share the stream '" + s.name +
                                            "'; rename a component, zone, team or fault");
      }
    }
  }

  const System& sys_;
  const Topology& topo_;
  CompiledModel& m_;
  std::vector<Index> comp_of_;  // vertex -> component
  std::vector<Index> owner_;    // component -> owning team
};

}  // namespace

CompiledModel build_tables(const System& system, const Topology& topology,
                           const std::vector<PendingFault>& faults) {
  CompiledModel m;
  m.calendar = system.calendar;
  m.names.system = system.name;
  Compiler(system, topology, m).run(faults);
  return m;
}

}  // namespace relsim::models::detail
