// Whole-picture checks of systems and faults (see model_checks.hpp).
#include "models/model_checks.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

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
                             number_text(w.factor) + " × the error budget of SLO '" +
                             slo->name + "' (" + number_text((1.0 - slo->objective) * 100.0) +
                             " %) needs an error ratio above 100 %"});
        }
      }
    }
    if (pages && alert.team.empty() && !service.empty() && !system.teams.empty() &&
        owner_of(service) == nullptr) {
      out.push_back({alert.location, "alert '" + alert.name + "' pages, but no team owns service '" +
                                         service + "' and the alert names no team: nobody would "
                                         "be paged (add '" + service +
                                         "' to a team's owns, or give the alert a team)"});
    }
  }
}

}  // namespace

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
