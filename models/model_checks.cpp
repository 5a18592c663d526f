// Whole-picture checks of systems and faults (see model_checks.hpp).
#include "models/model_checks.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "models/compiled_model.hpp"
#include "models/demand.hpp"
#include "models/fluid.hpp"

namespace relsim::models {

namespace {

const SourceLocation& best(const NameRef& ref, const SourceLocation& fallback) {
  return ref.location.known() ? ref.location : fallback;
}

/// True when some edge leads directly from `from` to `to`.
bool calls(const Topology& t, VertexId from, VertexId to) {
  const auto& out = t.out_edges(from);
  return std::any_of(out.begin(), out.end(), [&](EdgeId e) { return t.edges()[e].to == to; });
}

void check_zones(const System& system, const Topology& topology, std::vector<Diagnostic>& out) {
  for (std::size_t z = 0; z < system.zones.size(); ++z) {
    if (!topology.zone_members(static_cast<ZoneId>(z)).empty()) continue;
    out.push_back({system.zones[z].location,
                   "zone '" + system.zones[z].name +
                       "' holds no service replicas, datastore or cache (place something there "
                       "or remove it)"});
  }
}

void check_dependencies(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& svc : system.services) {
    for (const auto& d : svc.depends_on) {
      if (d.type != DependencyType::soft || d.fallback_success > 0.0) continue;
      out.push_back({d.location, "soft dependency of '" + svc.name + "' on '" + d.target.name +
                                     "' has no fallbackSuccess: a fallback that serves nothing "
                                     "fails like a hard dependency (give fallbackSuccess or "
                                     "write type: hard)"});
    }
  }
}

void check_runbooks(const System& system, std::vector<Diagnostic>& out) {
  std::vector<const Runbook*> seen;
  for (const auto& book : system.runbooks) {
    const auto first = std::find_if(seen.begin(), seen.end(), [&](const Runbook* b) {
      return b->service.name == book.service.name;
    });
    if (first != seen.end()) {
      out.push_back({best(book.service, book.location),
                     "second runbook for service '" + book.service.name + "' (the first is at " +
                         (*first)->location.str() + "); merge their steps into one"});
    }
    seen.push_back(&book);
    const Service* svc = system.find_service(book.service.name);
    for (const auto& step : book.steps) {
      if (step.action == RunbookAction::scale_up && svc && step.to < svc->replicas) {
        out.push_back({step.location, "scaleUp to " + std::to_string(step.to) + " in runbook '" +
                                          book.name + "' is below the " +
                                          std::to_string(svc->replicas) + " replicas service '" +
                                          svc->name + "' already runs"});
      }
      if (step.action == RunbookAction::failover && step.target_kind == ComponentKind::datastore) {
        const Datastore* ds = system.find_datastore(step.target.name);
        if (ds && ds->replica_zones.empty()) {
          out.push_back({best(step.target, step.location),
                         "failover step of runbook '" + book.name + "' targets datastore '" +
                             ds->name + "', which has no replicaZones to fail over to"});
        }
      }
    }
  }
}

void check_owners(const System& system, std::vector<Diagnostic>& out) {
  std::vector<std::pair<std::string, const Team*>> owner;  // service -> first owning team
  for (const auto& team : system.teams) {
    for (const auto& s : team.owns) {
      const auto it = std::find_if(owner.begin(), owner.end(),
                                   [&](const auto& o) { return o.first == s.name; });
      if (it == owner.end()) {
        owner.emplace_back(s.name, &team);
      } else if (it->second != &team) {
        out.push_back({best(s, team.location), "service '" + s.name + "' is owned by both team '" +
                                                   it->second->name + "' and team '" + team.name +
                                                   "'; a page needs one owner"});
      }
    }
  }
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// Alerts that could never do what they say: a page nobody receives, a
/// burn-rate window whose threshold no error ratio can reach.
void check_alerts(const System& system, std::vector<Diagnostic>& out) {
  auto owner_of = [&](const std::string& service) -> const Team* {
    for (const auto& team : system.teams) {
      for (const auto& s : team.owns) {
        if (s.name == service) return &team;
      }
    }
    return nullptr;
  };
  for (const auto& alert : system.alerts) {
    std::string service = alert.service.name;
    const Slo* slo = nullptr;
    bool pages = alert.kind == AlertKind::threshold && alert.route == AlertRoute::page;
    if (alert.kind == AlertKind::burn_rate) {
      slo = system.find_slo(alert.slo.name);
      if (slo) service = slo->service.name;
      const auto windows =
          alert.burn_windows.empty() ? sre_workbook_burn_windows() : alert.burn_windows;
      for (const auto& w : windows) {
        if (w.severity == AlertRoute::page) pages = true;
        if (slo && w.factor * (1.0 - slo->objective) > 1.0) {
          out.push_back({w.location.known() ? w.location : alert.location,
                         "burn-rate window of alert '" + alert.name + "' can never fire: factor " +
                             number_text(w.factor) + " × the error budget of SLO '" + slo->name +
                             "' (" + number_text((1.0 - slo->objective) * 100.0) +
                             " %) needs an error ratio above 100 %"});
        }
      }
    }
    if (pages && alert.team.empty() && !service.empty() && !system.teams.empty() &&
        owner_of(service) == nullptr) {
      out.push_back({alert.location,
                     "alert '" + alert.name + "' pages, but no team owns service '" + service +
                         "' and the alert names no team: nobody would "
                         "be paged (add '" +
                         service + "' to a team's owns, or give the alert a team)"});
    }
  }
}

// ---------------------------------------------------------------- warnings

/// `Mon 19:00`: the local weekday and time of offset `t`.
std::string local_time_text(const Calendar& calendar, sim::Duration t) {
  const auto [day, tod] = calendar.local_at(t);
  const auto minutes = tod.count_micros() / 60'000'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", weekday_name(day), static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return buf;
}

/// The worst moment of one overloaded component.
struct Overload {
  double ratio = 0.0;  // load / capacity
  sim::Duration at = sim::Duration::zero();
  double load = 0.0;
  double capacity = 0.0;
};

/// Overload with nothing failed: the fluid view of the nominal state (every
/// zone up, every replica running, autoscaled services at maxReplicas,
/// datastores and caches serving) at every demand knot and every 15 minutes
/// of the first week; the time, load and capacity of each component's worst
/// overloaded moment.
void check_capacity(const System& system, std::vector<Diagnostic>& out) {
  Scenario nominal;
  nominal.name = "capacity check";
  nominal.horizon = sim::Duration::days(7);
  nominal.random_failures = false;
  nominal.random_deploys = false;
  CompiledModel m;
  try {
    m = compile(system, nominal);
  } catch (const InputError&) {
    return;  // system_problems reports these
  }
  FluidState state = make_fluid_state(m);
  std::vector<double> capacity(m.components.size(), 0.0);
  for (const ServiceRow& svc : m.services) {
    const auto places = m.placements_of(svc.component);
    int zones = 0;
    for (const Placement& p : places) zones += p.role == ZoneRole::service_replicas ? 1 : 0;
    const int replicas =
        svc.autoscale ? std::max(svc.replicas, svc.autoscale->max_replicas) : svc.replicas;
    int slot = 0;
    int total = 0;
    for (Index k = 0; k < places.size(); ++k) {
      if (places[k].role != ZoneRole::service_replicas) continue;
      const Index p = m.placement_begin[svc.component] + k;
      const int n = svc.autoscale ? initial_replicas(replicas, zones, slot) : places[k].initial;
      state.healthy[p] = n;
      state.routed[p] = n;
      total += n;
      ++slot;
    }
    capacity[svc.component] = total * svc.capacity_per_replica;
  }
  for (const DatastoreRow& d : m.datastores) capacity[d.component] = d.capacity;
  for (const CacheRow& c : m.caches) capacity[c.component] = c.capacity;

  std::vector<DemandCurve> curves;
  curves.reserve(m.services.size());
  for (const ServiceRow& svc : m.services) curves.emplace_back(svc.demand, system.calendar);
  const sim::Duration week = sim::Duration::days(7);
  std::set<std::int64_t> times;
  for (sim::Duration t = sim::Duration::zero(); t < week; t += sim::Duration::minutes(15)) {
    times.insert(t.count_micros());
  }
  for (const DemandCurve& c : curves) {
    for (sim::Duration t = c.next_knot_after(sim::Duration::zero()); t < week;
         t = c.next_knot_after(t)) {
      times.insert(t.count_micros());
    }
  }
  std::vector<double> demand(m.services.size(), 0.0);
  std::vector<double> slope(m.services.size(), 0.0);
  std::vector<std::optional<Overload>> worst(m.components.size());
  FluidResult result;
  for (const std::int64_t us : times) {
    const sim::Duration t = sim::Duration::micros(us);
    for (std::size_t s = 0; s < curves.size(); ++s) demand[s] = curves[s].rate(t);
    evaluate_fluid(m, state, demand, slope, result);
    for (std::size_t c = 0; c < m.components.size(); ++c) {
      if (!result.overloaded[c]) continue;
      const double ratio = capacity[c] > 0.0 ? result.load[c] / capacity[c] : 1.0;
      if (!worst[c] || ratio > worst[c]->ratio) {
        worst[c] = Overload{ratio, t, result.load[c], capacity[c]};
      }
    }
  }
  for (std::size_t c = 0; c < m.components.size(); ++c) {
    if (!worst[c]) continue;
    const Overload& o = *worst[c];
    const ComponentRow& row = m.components[c];
    const std::string& name = m.names.components[c];
    SourceLocation where = system.location;
    std::string kind = "service";
    std::string cap_text = number_text(o.capacity) + " req/s";
    if (row.kind == ComponentKind::service) {
      const ServiceRow& svc = m.services[row.row];
      if (const Service* s = system.find_service(name)) where = s->location;
      const int replicas =
          svc.autoscale ? std::max(svc.replicas, svc.autoscale->max_replicas) : svc.replicas;
      cap_text += " (" + std::to_string(replicas) + (replicas == 1 ? " replica" : " replicas") +
                  (svc.autoscale ? " at maxReplicas × " : " × ") +
                  number_text(svc.capacity_per_replica) + " req/s)";
    } else if (row.kind == ComponentKind::datastore) {
      kind = "datastore";
      if (const Datastore* d = system.find_datastore(name)) where = d->location;
    } else {
      kind = "cache";
      if (const Cache* k = system.find_cache(name)) where = k->location;
    }
    std::string text = kind + " '" + name + "' is overloaded with nothing failed: at " +
                       local_time_text(system.calendar, o.at) + " (local time) it receives " +
                       number_text(o.load) + " req/s";
    if (o.capacity >= o.load) {
      text += " and one of its zones cannot serve its share (capacity " + cap_text + " in all)";
    } else {
      text += " against a capacity of " + cap_text;
    }
    text += "; its requests fail or queue at every such peak (add capacity, or lower the demand)";
    out.push_back({where, text});
  }
}

/// Bad deploys that change nothing: 0 % errors and no added latency.
void check_deploys(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& svc : system.services) {
    if (!svc.deploys || svc.deploys->change_failure_rate <= 0.0) continue;
    const BadDeploy& bad = svc.deploys->bad_deploy;
    if (bad.error_rate > 0.0 || bad.added_latency > sim::Duration::zero()) continue;
    out.push_back({svc.deploys->location,
                   "deploys of service '" + svc.name + "' fail " +
                       number_text(svc.deploys->change_failure_rate * 100.0) +
                       " % of the time, but a bad deploy fails 0 % of requests and adds no "
                       "latency: failed changes that hurt nobody (give badDeploy an errorRate "
                       "or addedLatency)"});
  }
}

/// SLOs that no alert watches: no burn-rate alert on the SLO and no
/// threshold alert on its service.
void check_slo_alerts(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& slo : system.slos) {
    const bool watched =
        std::any_of(system.alerts.begin(), system.alerts.end(), [&](const Alert& a) {
          return a.kind == AlertKind::burn_rate ? a.slo.name == slo.name
                                                : a.service.name == slo.service.name;
        });
    if (watched) continue;
    out.push_back({slo.location, "no alert watches SLO '" + slo.name + "' (nor service '" +
                                     slo.service.name +
                                     "'): its budget can burn with nobody told (add a burnRate "
                                     "alert on it)"});
  }
}

const Team* owner_of(const System& system, const std::string& service) {
  for (const auto& team : system.teams) {
    for (const auto& s : team.owns) {
      if (s.name == service) return &team;
    }
  }
  return nullptr;
}

/// Alerts on a service no team owns (the paging ones with teams declared
/// are errors of check_alerts).
void check_alert_owners(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& alert : system.alerts) {
    std::string service = alert.service.name;
    bool pages = alert.kind == AlertKind::threshold && alert.route == AlertRoute::page;
    if (alert.kind == AlertKind::burn_rate) {
      const Slo* slo = system.find_slo(alert.slo.name);
      if (slo) service = slo->service.name;
      const auto windows =
          alert.burn_windows.empty() ? sre_workbook_burn_windows() : alert.burn_windows;
      for (const auto& w : windows) pages = pages || w.severity == AlertRoute::page;
    }
    if (service.empty() || !alert.team.empty() || owner_of(system, service) != nullptr) continue;
    if (pages && !system.teams.empty()) continue;  // an error (check_alerts)
    out.push_back({alert.location,
                   "alert '" + alert.name + "' watches service '" + service +
                       "', which no team owns: " +
                       (system.teams.empty() ? std::string("the system declares no teams, so ")
                                             : std::string()) +
                       "its " + (pages ? "pages" : "tickets") +
                       " reach nobody (add the service to a team's owns, or give the alert a "
                       "team)"});
  }
}

/// Escalation steps that notify nobody new.
void check_escalation(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& team : system.teams) {
    for (std::size_t k = 0; k < team.escalation.size(); ++k) {
      const EscalationStep& step = team.escalation[k];
      const SourceLocation& where = step.location.known() ? step.location : team.location;
      const std::string what =
          "escalation step " + std::to_string(k + 1) + " of team '" + team.name + "'";
      // `to: secondary` without `secondary: true` is a loader error.
      if (step.target == EscalationTarget::secondary && team.members < 2) {
        out.push_back({where, what + " goes to the secondary, but the team has only one member, so "
                                     "no secondary: the step notifies nobody (add members, or "
                                     "escalate to another team)"});
      } else if (step.target == EscalationTarget::team && step.team.name == team.name) {
        out.push_back({best(step.team, where),
                       what + " escalates to the team itself: it notifies the primary who was "
                              "already paged (escalate to the secondary or another team)"});
      }
    }
  }
}

/// Runbook steps that can never act.
void check_runbook_steps(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& book : system.runbooks) {
    const Service* svc = system.find_service(book.service.name);
    if (!svc) continue;
    for (std::size_t k = 0; k < book.steps.size(); ++k) {
      const RunbookStep& step = book.steps[k];
      const std::string what = "step " + std::to_string(k + 1) + " of runbook '" + book.name + "'";
      const bool needs_deploy = step.action == RunbookAction::rollback ||
                                step.condition.kind == StepCondition::Kind::deployed_within;
      if (needs_deploy && !svc->deploys) {
        out.push_back(
            {step.location, what +
                                (step.action == RunbookAction::rollback
                                     ? std::string(" rolls back")
                                     : std::string(" applies only after a deploy")) +
                                ", but service '" + svc->name +
                                "' has no deploys: it can apply only to a badDeploy a scenario "
                                "injects (give the service deploys, or remove the step)"});
        continue;
      }
      if (step.action == RunbookAction::scale_up && !svc->autoscale && step.to == svc->replicas) {
        out.push_back({step.location, what + " scales up to " + std::to_string(step.to) +
                                          ", the replicas service '" + svc->name +
                                          "' always runs: it changes nothing"});
      }
      if (step.action == RunbookAction::drain_zone) {
        if (!step.target.empty() &&
            std::none_of(svc->zones.begin(), svc->zones.end(),
                         [&](const NameRef& z) { return z.name == step.target.name; })) {
          out.push_back({best(step.target, step.location),
                         what + " drains zone '" + step.target.name + "', where service '" +
                             svc->name + "' has no replicas: it cannot help"});
        } else if (svc->zones.size() < 2) {
          out.push_back({step.location, what + " drains a zone, but service '" + svc->name +
                                            "' runs in one zone only: draining it evicts every "
                                            "replica"});
        }
      }
    }
  }
}

/// Soft dependencies whose fallback a caller never sees: the caller's own
/// caller gives up on it first.
void check_timeouts(const System& system, std::vector<Diagnostic>& out) {
  for (const auto& svc : system.services) {
    for (const auto& d : svc.depends_on) {
      if (d.type != DependencyType::soft || !d.timeout) continue;
      for (const auto& caller : system.services) {
        for (const auto& up : caller.depends_on) {
          if (up.target_kind != ComponentKind::service || up.target.name != svc.name ||
              !up.timeout || *d.timeout < *up.timeout) {
            continue;
          }
          out.push_back(
              {d.location, "soft dependency of '" + svc.name + "' on '" + d.target.name +
                               "' times out after " + sim::format_duration(*d.timeout) + ", but '" +
                               caller.name + "' gives up on '" + svc.name + "' after " +
                               sim::format_duration(*up.timeout) + " (at " + up.location.str() +
                               "): the fallback is never reached in time (make this timeout "
                               "shorter)"});
        }
      }
    }
  }
}

}  // namespace

std::vector<Diagnostic> system_warnings(const System& system, const Topology& /*topology*/) {
  std::vector<Diagnostic> out;
  check_capacity(system, out);
  check_deploys(system, out);
  check_slo_alerts(system, out);
  check_alert_owners(system, out);
  check_escalation(system, out);
  check_runbook_steps(system, out);
  check_timeouts(system, out);
  return out;
}

std::string warning_text(const Diagnostic& d) {
  const std::string where = d.location.str();
  return printable((where.empty() ? std::string() : where + ": ") + "warning: " + d.message);
}

std::vector<Diagnostic> system_problems(const System& system, const Topology& topology) {
  std::vector<Diagnostic> out;
  check_zones(system, topology, out);
  check_dependencies(system, out);
  check_runbooks(system, out);
  check_owners(system, out);
  check_alerts(system, out);
  if (out.size() > kMaxErrors) out.resize(kMaxErrors);
  return out;
}

std::vector<Diagnostic> fault_problems(const System& system, const Topology& topology,
                                       const Fault& fault, std::optional<sim::Duration> horizon) {
  std::vector<Diagnostic> out;
  const std::string what = "fault '" + fault.name + "'";
  if (fault.at) {
    const auto t = resolve_time(*fault.at, system.calendar);
    if (!t) {
      out.push_back({fault.at->location, what + " at '" + fault.at->text +
                                             "' is before the calendar start of system '" +
                                             system.name + "'"});
    } else if (horizon && *t >= *horizon) {
      // An error, not a warning: a fault that never happens is almost always
      // a horizon or a time written wrong, and a run would silently ignore it.
      out.push_back({fault.at->location,
                     what + " at '" + fault.at->text + "' (+" + sim::format_duration(*t) +
                         ") is beyond the horizon (" + sim::format_duration(*horizon) + ")"});
    }
  }
  const FaultTarget& target = fault.target;
  auto vertex = [&](ComponentKind kind, const NameRef& ref) {
    return topology.find(kind, ref.name);
  };
  switch (fault.kind) {
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition: {
      const auto from = vertex(target.from_kind, target.from);
      const auto to = vertex(target.to_kind, target.to);
      if (from && to && !calls(topology, *from, *to)) {
        out.push_back({best(target.to, fault.location),
                       what + ": '" + target.from.name + "' does not depend on '" + target.to.name +
                           "', so a network fault between them changes nothing"});
      }
      break;
    }
    case FaultKind::dependency_errors: {
      if (target.from.empty()) break;
      const auto from = vertex(target.from_kind, target.from);
      const auto callee = vertex(ComponentKind::service, target.service);
      if (from && callee && !calls(topology, *from, *callee)) {
        out.push_back(
            {best(target.from, fault.location), what + ": '" + target.from.name +
                                                    "' does not depend on '" + target.service.name +
                                                    "', so errors injected between them change "
                                                    "nothing"});
      }
      break;
    }
    case FaultKind::datastore_failover: {
      const Datastore* ds = system.find_datastore(target.datastore.name);
      if (ds && ds->replica_zones.empty()) {
        out.push_back({best(target.datastore, fault.location),
                       what + ": datastore '" + ds->name +
                           "' has no replicaZones, so there is nothing to fail over to"});
      }
      break;
    }
    case FaultKind::node_drain: {
      const Service* svc = system.find_service(target.service.name);
      if (svc && !target.zone.empty() &&
          std::none_of(svc->zones.begin(), svc->zones.end(),
                       [&](const NameRef& z) { return z.name == target.zone.name; })) {
        out.push_back({best(target.zone, fault.location), what + ": service '" + svc->name +
                                                              "' has no replicas in zone '" +
                                                              target.zone.name + "' to drain"});
      }
      break;
    }
    default:
      break;
  }
  return out;
}

void check_system(const System& system, const Topology& topology) {
  auto problems = system_problems(system, topology);
  if (!problems.empty()) throw InputError(std::move(problems));
}

}  // namespace relsim::models
