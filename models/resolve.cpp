// Reference checks on the loaded structs: every name a field refers to exists
// and is of the right kind, names are unique, and times fit the horizon.
// Dependency cycles are the topology module's job.
#include <algorithm>
#include <map>

#include "models/limits.hpp"
#include "models/loader_internal.hpp"

namespace relsim::models::detail {

namespace {

template <typename T>
std::vector<std::string> names_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(x.name);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

struct Names {
  std::vector<std::string> zones, services, datastores, caches, slos, alerts, teams;
  explicit Names(const System& s)
      : zones(names_of(s.zones)),
        services(names_of(s.services)),
        datastores(names_of(s.datastores)),
        caches(names_of(s.caches)),
        slos(names_of(s.slos)),
        alerts(names_of(s.alerts)),
        teams(names_of(s.teams)) {}

  /// The kind of a component name, if it is one.
  std::optional<ComponentKind> component(const std::string& n) const {
    if (contains(services, n)) return ComponentKind::service;
    if (contains(datastores, n)) return ComponentKind::datastore;
    if (contains(caches, n)) return ComponentKind::cache;
    return std::nullopt;
  }
  const std::vector<std::string>& of(ComponentKind k) const {
    return k == ComponentKind::service     ? services
           : k == ComponentKind::datastore ? datastores
                                           : caches;
  }
};

/// Reports `ref` when it names nothing in `valid`; `what` is e.g. "service".
bool check(Sink& sink, const NameRef& ref, const std::vector<std::string>& valid,
           const std::string& what, const std::string& context) {
  if (ref.empty() || contains(valid, ref.name)) return true;
  std::string hint = did_you_mean(ref.name, valid);
  if (hint.empty() && !valid.empty() && valid.size() <= 8) hint = "; known: " + list_choices(valid);
  if (valid.empty()) hint = "; no " + what + " is defined";
  sink.add(ref.location, "unknown " + what + " '" + ref.name + "' in " + context + hint);
  return false;
}

/// A component reference of an expected kind, with a hint when it is another kind.
bool check_component(Sink& sink, const Names& names, const NameRef& ref, ComponentKind kind,
                     const std::string& context) {
  if (ref.empty()) return true;
  if (auto actual = names.component(ref.name); actual && *actual != kind) {
    sink.add(ref.location, "'" + ref.name + "' in " + context + " is a " + to_string(*actual) +
                               ", not a " + to_string(kind) + " (write '" + to_string(*actual) +
                               ": " + ref.name + "')");
    return false;
  }
  if (contains(names.of(kind), ref.name)) return true;
  // Suggest across kinds: `service: payment-db` may mean the datastore `payments-db`.
  std::vector<std::string> all = names.services;
  all.insert(all.end(), names.datastores.begin(), names.datastores.end());
  all.insert(all.end(), names.caches.begin(), names.caches.end());
  if (auto near = nearest_name(ref.name, all)) {
    const ComponentKind near_kind = *names.component(*near);
    std::string hint = " (did you mean '" + *near + "'?";
    if (near_kind != kind) hint += std::string(" it is a ") + to_string(near_kind);
    sink.add(ref.location, "unknown " + std::string(to_string(kind)) + " '" + ref.name + "' in " +
                               context + hint + ")");
    return false;
  }
  return check(sink, ref, names.of(kind), to_string(kind), context);
}

template <typename T>
void check_unique(Sink& sink, const std::vector<T>& items, const std::string& what) {
  std::map<std::string, const T*> seen;
  for (const auto& x : items) {
    if (x.name.empty()) continue;
    auto [it, fresh] = seen.emplace(x.name, &x);
    if (!fresh) {
      const SourceLocation& first = it->second->location;
      const std::string at =
          first.file == x.location.file ? "line " + std::to_string(first.line) : first.str();
      sink.add(x.location,
               "duplicate " + what + " name '" + x.name + "' (first defined at " + at + ")");
    }
  }
}

void check_zone_list(Sink& sink, const Names& names, const std::vector<NameRef>& zones,
                     const std::string& context) {
  std::vector<std::string> seen;
  for (const auto& z : zones) {
    check(sink, z, names.zones, "zone", context);
    if (contains(seen, z.name))
      sink.add(z.location, "zone '" + z.name + "' listed twice in " + context);
    seen.push_back(z.name);
  }
}

}  // namespace

namespace {

/// The system-wide limits (models/limits.hpp), reported at the item that
/// passes each; false when one is passed (nothing else is then checked).
bool within_limits(const System& s, Sink& sink) {
  const std::size_t before = sink.size();
  const std::size_t components =
      s.zones.size() + s.services.size() + s.datastores.size() + s.caches.size();
  if (components > static_cast<std::size_t>(kMaxComponents)) {
    sink.add(s.location, "system '" + s.name + "' has " + std::to_string(components) +
                             " components (zones, services, datastores and caches), above " +
                             std::to_string(kMaxComponents) + limit_note("components"));
  }
  std::int64_t replicas = 0;
  std::size_t edges = 0;
  for (const auto& svc : s.services) {
    replicas += svc.replicas;
    edges += svc.depends_on.size();
    if (replicas > kMaxTotalReplicas) {
      sink.add(svc.location, "service '" + svc.name + "' brings the replicas of all services to " +
                                 std::to_string(replicas) + ", above " +
                                 std::to_string(kMaxTotalReplicas) +
                                 limit_note("replicas of all services"));
      break;
    }
  }
  if (edges > static_cast<std::size_t>(kMaxEdges)) {
    sink.add(s.location, "system '" + s.name + "' has " + std::to_string(edges) +
                             " dependency edges, above " + std::to_string(kMaxEdges) +
                             limit_note("dependency edges"));
  }
  if (s.alerts.size() > static_cast<std::size_t>(kMaxAlertRules)) {
    sink.add(s.alerts[static_cast<std::size_t>(kMaxAlertRules)].location,
             "alert rule " + std::to_string(kMaxAlertRules + 1) + " passes the limit of " +
                 std::to_string(kMaxAlertRules) + " alert rules" + limit_note("alert rules"));
  }
  return sink.size() == before;
}

}  // namespace

void resolve_system(System& s, Sink& sink) {
  if (!within_limits(s, sink)) return;
  const Names names(s);
  check_unique(sink, s.zones, "zone");
  // Services, datastores and caches share one namespace: dependencies name them.
  {
    struct Component {
      std::string name;
      SourceLocation location;
    };
    std::vector<Component> all;
    for (const auto& x : s.services) all.push_back({x.name, x.location});
    for (const auto& x : s.datastores) all.push_back({x.name, x.location});
    for (const auto& x : s.caches) all.push_back({x.name, x.location});
    check_unique(sink, all, "component");
  }
  check_unique(sink, s.slos, "SLO");
  check_unique(sink, s.alerts, "alert");
  check_unique(sink, s.teams, "team");

  for (const auto& svc : s.services) {
    const std::string ctx = "service '" + svc.name + "'";
    check_zone_list(sink, names, svc.zones, "zones of " + ctx);
    for (const auto& d : svc.depends_on) {
      check_component(sink, names, d.target, d.target_kind, "dependsOn of " + ctx);
    }
  }
  for (const auto& ds : s.datastores) {
    const std::string ctx = "datastore '" + ds.name + "'";
    check(sink, ds.primary_zone, names.zones, "zone", "primaryZone of " + ctx);
    check_zone_list(sink, names, ds.replica_zones, "replicaZones of " + ctx);
    for (const auto& z : ds.replica_zones) {
      if (z.name == ds.primary_zone.name) {
        sink.add(z.location,
                 "zone '" + z.name + "' is both the primary and a replica zone of " + ctx);
      }
    }
  }
  for (auto& c : s.caches) {
    const std::string ctx = "cache '" + c.name + "'";
    check_zone_list(sink, names, c.zones, "zones of " + ctx);
    if (auto kind = names.component(c.backing.name)) {
      if (*kind == ComponentKind::cache) {
        sink.add(c.backing.location, "backing of " + ctx + " must be a datastore or a service, '" +
                                         c.backing.name + "' is a cache");
      }
      c.backing_kind = *kind;
    } else if (!c.backing.empty()) {
      std::vector<std::string> valid = names.datastores;
      valid.insert(valid.end(), names.services.begin(), names.services.end());
      check(sink, c.backing, valid, "datastore or service", "backing of " + ctx);
    }
  }
  for (const auto& slo : s.slos) {
    check_component(sink, names, slo.service, ComponentKind::service, "SLO '" + slo.name + "'");
  }
  for (const auto& a : s.alerts) {
    const std::string ctx = "alert '" + a.name + "'";
    check(sink, a.slo, names.slos, "SLO", ctx);
    check_component(sink, names, a.service, ComponentKind::service, ctx);
    check(sink, a.team, names.teams, "team", ctx);
  }
  for (const auto& t : s.teams) {
    const std::string ctx = "team '" + t.name + "'";
    for (const auto& e : t.escalation) {
      if (e.target == EscalationTarget::team)
        check(sink, e.team, names.teams, "team", "escalation of " + ctx);
    }
    for (const auto& o : t.owns)
      check_component(sink, names, o, ComponentKind::service, "owns of " + ctx);
  }
  for (auto& b : s.runbooks) {
    const std::string ctx = "runbook '" + b.name + "'";
    check_component(sink, names, b.service, ComponentKind::service, ctx);
    for (const auto& a : b.alerts) check(sink, a, names.alerts, "alert", ctx);
    for (auto& step : b.steps) {
      if (step.target.empty()) continue;
      if (step.action == RunbookAction::drain_zone) {
        check(sink, step.target, names.zones, "zone", "drainZone step of " + ctx);
        continue;
      }
      if (step.action != RunbookAction::failover) {
        sink.add(step.target.location,
                 "'target' applies to failover and drainZone steps (in " + ctx + ")");
        continue;
      }
      auto kind = names.component(step.target.name);
      if (kind == ComponentKind::datastore || kind == ComponentKind::cache) {
        step.target_kind = *kind;
      } else if (kind) {
        sink.add(step.target.location, "failover target '" + step.target.name + "' in " + ctx +
                                           " is a service; fail over a datastore or a cache");
      } else {
        std::vector<std::string> valid = names.datastores;
        valid.insert(valid.end(), names.caches.begin(), names.caches.end());
        check(sink, step.target, valid, "datastore or cache", "failover step of " + ctx);
      }
    }
  }
}

void resolve_fault(const System& s, Fault& f, Sink& sink) {
  const Names names(s);
  const std::string ctx = "fault '" + f.name + "'";
  check_component(sink, names, f.target.service, ComponentKind::service, ctx);
  check(sink, f.target.zone, names.zones, "zone", ctx);
  check_component(sink, names, f.target.datastore, ComponentKind::datastore, ctx);
  check_component(sink, names, f.target.cache, ComponentKind::cache, ctx);
  std::vector<std::string> components = names.services;
  components.insert(components.end(), names.datastores.begin(), names.datastores.end());
  components.insert(components.end(), names.caches.begin(), names.caches.end());
  for (auto [ref, kind] : {std::pair{&f.target.from, &f.target.from_kind},
                           std::pair{&f.target.to, &f.target.to_kind}}) {
    if (ref->empty()) continue;
    if (auto k = names.component(ref->name))
      *kind = *k;
    else
      check(sink, *ref, components, "service, datastore or cache", ctx);
  }
  if (!f.target.from.empty() && f.target.from.name == f.target.to.name) {
    sink.add(f.target.to.location, "'from' and 'to' of " + ctx + " are the same");
  }
  if (f.mode.kind == KillMode::Kind::fixed && !f.target.service.empty()) {
    if (const Service* svc = s.find_service(f.target.service.name);
        svc && f.mode.value > svc->replicas) {
      sink.add(f.location, ctx + " kills " + std::to_string(static_cast<int>(f.mode.value)) +
                               " replicas, but service '" + svc->name + "' has " +
                               std::to_string(svc->replicas));
    }
  }
}

void resolve_scenario(const System& s, Scenario& sc, Sink& sink) {
  // Steps of the smallest time step in the horizon (models/limits.hpp).
  for (const auto& a : s.alerts) {
    const std::int64_t step = a.evaluation_interval.count_micros();
    if (step > 0 && sc.horizon.count_micros() / step > kMaxSteps) {
      sink.add(a.location, "alert '" + a.name + "' is evaluated " +
                               std::to_string(sc.horizon.count_micros() / step) +
                               " times in the horizon of scenario '" + sc.name + "', above " +
                               std::to_string(kMaxSteps) + limit_note("steps of a horizon"));
      break;
    }
  }
  for (auto& f : sc.inject) {
    resolve_fault(s, f, sink);
    if (!f.at) continue;
    auto t = resolve_time(*f.at, s.calendar);
    if (!t) {
      sink.add(f.at->location, "fault '" + f.name + "' at '" + f.at->text +
                                   "' is before the calendar start of system '" + s.name + "'");
    } else if (*t >= sc.horizon) {
      sink.add(f.at->location, "fault '" + f.name + "' at '" + f.at->text + "' (+" +
                                   sim::format_duration(*t) + ") is beyond the horizon (" +
                                   sim::format_duration(sc.horizon) + ")");
    }
  }
}

void resolve_game_day(const System& s, GameDay& g, Sink& sink) {
  resolve_fault(s, g.experiment, sink);
  const Names names(s);
  for (const auto& slo : g.budget.slos) check(sink, slo, names.slos, "SLO", "budget.slos");
  for (const auto& h : g.hypotheses) {
    check(sink, h.alert, names.alerts, "alert", "hypothesis '" + h.name + "'");
  }
  for (const auto& t : g.candidate_starts.at) {
    if (!resolve_time(t, s.calendar)) {
      sink.add(t.location, "candidate start '" + t.text + "' is before the calendar start");
    }
  }
  if (const auto& w = g.candidate_starts.window) {
    auto from = resolve_time(w->from, s.calendar);
    auto to = resolve_time(w->to, s.calendar);
    const bool weekly =
        w->from.kind == TimeSpec::Kind::weekday_time || w->to.kind == TimeSpec::Kind::weekday_time;
    if (from && to && *to < *from && !weekly) {
      sink.add(w->to.location, "candidateStarts: 'to' (" + w->to.text + ") comes before 'from' (" +
                                   w->from.text + ")");
    }
  }
}

}  // namespace relsim::models::detail
