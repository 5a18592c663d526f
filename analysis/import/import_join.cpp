// relsim import: joining what every reader found (see import.hpp). Entities
// naming the same service (by name, Kubernetes app labels, Backstage and
// PagerDuty ids: `aliases`) become one; where two sources give different
// values the first file read wins and a note at the other value says so.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "analysis/import/import.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string show(int v) { return std::to_string(v); }
std::string show(bool v) { return v ? "true" : "false"; }
std::string show(const std::string& v) { return "'" + v + "'"; }
std::string show(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
std::string show(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}
bool same(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a)); }
template <class T>
bool same(const T& a, const T& b) {
  return a == b;
}

template <class T>
void merge_field(std::optional<Sourced<T>>& into, const std::optional<Sourced<T>>& from,
                 const std::string& what, ImportModel& m) {
  if (!from) return;
  if (!into) {
    into = from;
    return;
  }
  if (!same(into->value, from->value)) {
    m.notes.push_back({Level::warning, from->origin,
                       what + " is " + show(from->value) + " here but " + show(into->value) +
                           " in " + into->origin.text() + "; took " + show(into->value) +
                           " (the first file read)"});
  }
}

void merge_service(ImportedService& a, const ImportedService& b, ImportModel& m) {
  const std::string w = "service '" + a.name + "' ";
  merge_field(a.replicas, b.replicas, w + "replicas", m);
  if (!a.default_replicas) a.default_replicas = b.default_replicas;
  merge_field(a.zones, b.zones, w + "zones", m);
  merge_field(a.topology_spread, b.topology_spread, w + "topology spread", m);
  merge_field(a.reschedule_s, b.reschedule_s, w + "reschedule delay (s)", m);
  merge_field(a.health_check_s, b.health_check_s, w + "health-check delay (s)", m);
  merge_field(a.min_ready_s, b.min_ready_s, w + "minReadySeconds", m);
  merge_field(a.max_unavailable, b.max_unavailable, w + "maxUnavailable", m);
  merge_field(a.pdb_min_available, b.pdb_min_available, w + "PDB minAvailable", m);
  merge_field(a.hpa_min, b.hpa_min, w + "HPA minReplicas", m);
  merge_field(a.hpa_max, b.hpa_max, w + "HPA maxReplicas", m);
  merge_field(a.hpa_target_utilization, b.hpa_target_utilization, w + "HPA target utilisation", m);
  merge_field(a.hpa_reaction_s, b.hpa_reaction_s, w + "HPA reaction (s)", m);
  merge_field(a.owner, b.owner, w + "owner", m);
  merge_field(a.lifecycle, b.lifecycle, w + "lifecycle", m);
  merge_field(a.liveness_s, b.liveness_s, w + "liveness-probe delay (s)", m);
  merge_field(a.max_surge, b.max_surge, w + "maxSurge", m);
  merge_field(a.max_unavailable_fraction, b.max_unavailable_fraction,
              w + "maxUnavailable (fraction)", m);
  merge_field(a.max_surge_fraction, b.max_surge_fraction, w + "maxSurge (fraction)", m);
  merge_field(a.pdb_max_unavailable, b.pdb_max_unavailable, w + "PDB maxUnavailable", m);
  merge_field(a.pdb_min_available_fraction, b.pdb_min_available_fraction,
              w + "PDB minAvailable (fraction)", m);
  merge_field(a.pdb_max_unavailable_fraction, b.pdb_max_unavailable_fraction,
              w + "PDB maxUnavailable (fraction)", m);
  for (const auto* list : {&b.provides_apis, &b.consumes_apis}) {
    auto& into = list == &b.provides_apis ? a.provides_apis : a.consumes_apis;
    for (const Sourced<std::string>& api : *list) {
      if (std::none_of(into.begin(), into.end(),
                       [&](const Sourced<std::string>& x) { return x.value == api.value; }))
        into.push_back(api);
    }
  }
  if (a.origin.file.empty()) a.origin = b.origin;
  for (const std::string& x : b.aliases) {
    if (std::find(a.aliases.begin(), a.aliases.end(), x) == a.aliases.end()) a.aliases.push_back(x);
  }
  if (b.name != a.name && std::find(a.aliases.begin(), a.aliases.end(), b.name) == a.aliases.end())
    a.aliases.push_back(b.name);
  for (const ImportedDependency& d : b.depends_on) {
    const bool dup = std::any_of(a.depends_on.begin(), a.depends_on.end(),
                                 [&](const ImportedDependency& e) { return e.target == d.target; });
    if (!dup) a.depends_on.push_back(d);
  }
}

void merge_team(ImportedTeam& a, const ImportedTeam& b, ImportModel& m) {
  const std::string w = "team '" + a.name + "' ";
  merge_field(a.members, b.members, w + "members", m);
  merge_field(a.shift_s, b.shift_s, w + "shift length (s)", m);
  merge_field(a.handoff, b.handoff, w + "handoff", m);
  merge_field(a.utc_offset, b.utc_offset, w + "UTC offset", m);
  merge_field(a.secondary, b.secondary, w + "secondary", m);
  merge_field(a.escalation_loops, b.escalation_loops, w + "escalation loops", m);
  merge_field(a.coverage, b.coverage, w + "coverage", m);
  merge_field(a.time_zone, b.time_zone, w + "time zone", m);
  if (a.escalation.empty()) a.escalation = b.escalation;
  for (const std::string& x : b.aliases) {
    if (std::find(a.aliases.begin(), a.aliases.end(), x) == a.aliases.end()) a.aliases.push_back(x);
  }
  if (b.name != a.name && std::find(a.aliases.begin(), a.aliases.end(), b.name) == a.aliases.end())
    a.aliases.push_back(b.name);
  for (const std::string& x : b.owns) {
    if (std::find(a.owns.begin(), a.owns.end(), x) == a.owns.end()) a.owns.push_back(x);
  }
}

/// True for an entry that is the workload or catalog entity itself (a
/// Deployment, StatefulSet, Backstage Component, PagerDuty schedule), false
/// for one that only speaks about another (a PDB, an HPA, an escalation
/// policy): the joined entity takes the name and origin of the former.
bool primary(const ImportedService& s) {
  return s.replicas || s.zones || s.reschedule_s || s.health_check_s || s.owner || s.lifecycle ||
         !s.depends_on.empty() || !s.provides_apis.empty() || !s.consumes_apis.empty();
}
bool primary(const ImportedTeam& t) { return t.members || t.shift_s || t.handoff; }
bool primary(const ImportedStore&) { return true; }

/// Merges entries of `v` that share a name or alias, transitively (an HPA
/// naming the Deployment and a PDB naming its app label join the Deployment
/// whatever the order the files were read in). Values: the first file read
/// wins; name and origin: the first primary entry's.
template <class T, class Merge>
std::map<std::string, std::string> merge_by_name(std::vector<T>& v, Merge merge, ImportModel& m) {
  std::vector<std::size_t> parent(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) parent[i] = i;
  const std::function<std::size_t(std::size_t)> find = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::map<std::string, std::size_t> first;  // a name or alias -> the first entry giving it
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::vector<std::string> keys = v[i].aliases;
    keys.push_back(v[i].name);
    for (const std::string& k : keys) {
      if (k.empty()) continue;
      const auto [it, fresh] = first.emplace(k, i);
      if (!fresh) {
        const std::size_t a = find(it->second), b = find(i);
        parent[std::max(a, b)] = std::min(a, b);
      }
    }
  }
  std::vector<T> merged;
  std::map<std::size_t, std::size_t> slot;       // group root -> index in merged
  std::vector<std::optional<std::size_t>> lead;  // per merged: its first primary entry
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::size_t root = find(i);
    const auto it = slot.find(root);
    if (it == slot.end()) {
      slot.emplace(root, merged.size());
      merged.push_back(v[i]);
      lead.push_back(primary(v[i]) ? std::optional<std::size_t>(i) : std::nullopt);
      continue;
    }
    merge(merged[it->second], v[i], m);
    if (!lead[it->second] && primary(v[i])) lead[it->second] = i;
  }
  for (std::size_t k = 0; k < merged.size(); ++k) {
    if (!lead[k]) continue;
    T& e = merged[k];
    const T& p = v[*lead[k]];
    if (e.name != p.name) {
      if (std::find(e.aliases.begin(), e.aliases.end(), e.name) == e.aliases.end())
        e.aliases.push_back(e.name);
      e.name = p.name;
      e.aliases.erase(std::remove(e.aliases.begin(), e.aliases.end(), e.name), e.aliases.end());
    }
    e.origin = p.origin;
  }
  std::map<std::string, std::string> names;
  for (const auto& [k, i] : first) names[k] = merged[slot.at(find(i))].name;
  v = std::move(merged);
  return names;
}

std::string resolve(const std::map<std::string, std::string>& names, const std::string& n) {
  const auto it = names.find(n);
  return it == names.end() ? n : it->second;
}

void resolve_sloth(ImportModel& m, const ImportOptions& o) {
  const bool any = std::any_of(m.slos.begin(), m.slos.end(),
                               [](const ImportedSlo& s) { return s.source_format == "sloth"; });
  if (!any) return;
  double period = o.slo_period_s;
  std::optional<Origin> period_origin;
  if (o.slo_period_given) {
    period_origin = Origin{"<command line>", 0, 0, "--slo-period " + duration_text(period)};
  } else if (!m.alert_windows.empty()) {
    period = m.alert_windows.front().period_s;
    period_origin = m.alert_windows.front().origin;
  }
  const ImportedAlertWindows* chosen = nullptr;
  for (const ImportedAlertWindows& w : m.alert_windows) {
    if (same(w.period_s, period) && !chosen) {
      chosen = &w;
    } else {
      m.notes.push_back({Level::note, w.origin,
                         "AlertWindows for a " + duration_text(w.period_s) +
                             " period not used: the Sloth SLOs' period is " +
                             duration_text(period) +
                             (chosen ? " and an earlier AlertWindows gave it" : "")});
    }
  }
  for (ImportedSlo& s : m.slos) {
    if (s.source_format == "sloth" && !s.window_s && period_origin) {
      s.window_s = Sourced<double>{period, *period_origin};
    }
  }
  std::vector<ImportedBurnWindow> windows;
  if (chosen) {
    windows = chosen->windows;
  } else {
    // Sloth's defaults: the same budget shares and windows for every period
    // (built in for 28d and 30d; for 30d the factors are 14.4, 6, 3 and 1).
    struct D {
      const char* severity;
      double percent, long_s, short_s;
    };
    static constexpr D kDefaults[] = {{"page", 2, 3600, 300},
                                      {"page", 5, 6 * 3600, 1800},
                                      {"ticket", 10, 86400, 7200},
                                      {"ticket", 10, 3 * 86400, 6 * 3600}};
    for (const D& d : kDefaults) {
      windows.push_back(ImportedBurnWindow{d.severity, d.percent / 100.0 * period / d.long_s,
                                           d.long_s, d.short_s, 0.0, d.percent});
    }
    if (!same(period, 30 * 86400.0) && !same(period, 28 * 86400.0)) {
      m.notes.push_back({Level::note, period_origin.value_or(Origin{}),
                         "Sloth has default windows for 28d and 30d only; its budget shares (2 %, "
                         "5 %, 10 %, 10 %) were scaled to the " +
                             duration_text(period) + " period"});
    }
  }
  for (ImportedAlert& a : m.alerts) {
    if (a.deferred_windows != "sloth") continue;
    a.windows.clear();
    for (const ImportedBurnWindow& w : windows) {
      if ((w.severity == "page" && a.page_enabled) ||
          (w.severity == "ticket" && a.ticket_enabled)) {
        a.windows.push_back(w);
        a.windows.back().for_s = w.severity == "page" ? a.page_for_s : a.ticket_for_s;
      }
    }
    a.deferred_windows = chosen ? "sloth-alert-windows" : "sloth-defaults";
  }
}

void resolve_openslo_policies(ImportModel& m) {
  std::map<std::string, int> uses;
  for (const ImportedSlo& s : m.slos) {
    for (const auto& [ref, origin] : s.alert_policy_refs) {
      const std::string& name = ref;  // clang 14 cannot capture a structured binding
      const auto p = std::find_if(m.alert_policies.begin(), m.alert_policies.end(),
                                  [&](const ImportedAlertPolicy& x) { return x.name == name; });
      if (p == m.alert_policies.end()) {
        m.notes.push_back({Level::warning, origin,
                           "alert policy '" + ref + "' of SLO '" + s.name +
                               "': expected an AlertPolicy of that name in the files read; none, "
                               "so the alert was left out"});
        continue;
      }
      ImportedAlert a;
      a.name = uses[ref]++ == 0 ? ref : s.name + "-" + ref;
      a.origin = p->origin;
      a.slo = s.name;
      a.service = s.service;
      a.windows = p->windows;
      for (const auto& [cref, corigin] : p->condition_refs) {
        const std::string& cname = cref;  // as above
        const auto c =
            std::find_if(m.alert_conditions.begin(), m.alert_conditions.end(),
                         [&](const ImportedAlertCondition& x) { return x.name == cname; });
        if (c == m.alert_conditions.end()) {
          m.notes.push_back({Level::warning, corigin,
                             "conditionRef '" + cref +
                                 "': expected an AlertCondition of that name "
                                 "in the files read; none, so the condition was left out"});
        } else if (c->window) {
          a.windows.push_back(*c->window);
        }
      }
      if (a.windows.empty()) {
        m.notes.push_back({Level::warning, p->origin,
                           "alert policy '" + ref + "' has no burn-rate condition; left out"});
        continue;
      }
      m.alerts.push_back(a);
    }
  }
}

bool same_windows(const ImportedBurnWindow& a, const ImportedBurnWindow& b) {
  return a.severity == b.severity && same(a.factor, b.factor) &&
         same(a.long_window_s, b.long_window_s) && same(a.short_window_s, b.short_window_s) &&
         same(a.for_s, b.for_s);
}

void join_slos_and_alerts(ImportModel& m) {
  // SLOs: one per name; the same name on another service is renamed.
  std::vector<ImportedSlo> slos;
  std::map<std::pair<std::string, std::string>, std::string> slo_name;  // (name, service) -> final
  for (ImportedSlo& s : m.slos) {
    auto it = std::find_if(slos.begin(), slos.end(),
                           [&](const ImportedSlo& x) { return x.name == s.name; });
    if (it != slos.end() && it->service == s.service) {
      merge_field(it->objective, s.objective, "SLO '" + s.name + "' objective", m);
      merge_field(it->window_s, s.window_s, "SLO '" + s.name + "' window (s)", m);
      merge_field(it->threshold_s, s.threshold_s, "SLO '" + s.name + "' latency threshold (s)", m);
      if (it->sli != s.sli && s.source_format != "prometheus-rules" &&
          it->source_format == "prometheus-rules") {
        it->sli = s.sli;
      }
      slo_name[{s.name, s.service}] = it->name;
      continue;
    }
    const std::string original = s.name;
    if (it != slos.end()) {
      s.name = s.service + "-" + s.name;
      m.notes.push_back({Level::note, s.origin,
                         "SLO '" + original + "' of service '" + s.service +
                             "': the name is taken by an SLO of '" + it->service + "' (" +
                             it->origin.text() + "); named '" + s.name + "'"});
    }
    slo_name[{original, s.service}] = s.name;
    slos.push_back(s);
  }
  m.slos = std::move(slos);
  // Alerts: burn-rate alerts of one name and SLO gather their windows (rule
  // files write one rule per window pair); a duplicate is dropped.
  std::vector<ImportedAlert> alerts;
  // (name as the file wrote it, SLO) -> the alert it became: a third file's
  // alert of a renamed alert's name and SLO joins the renamed one.
  std::map<std::pair<std::string, std::string>, std::string> written_as;
  for (ImportedAlert& a : m.alerts) {
    if (!a.slo.empty()) {
      if (auto it = slo_name.find({a.slo, a.service}); it != slo_name.end()) a.slo = it->second;
    }
    const std::string written = a.name;
    std::string lookup = a.name;
    if (const auto w = written_as.find({a.name, a.slo}); !a.slo.empty() && w != written_as.end())
      lookup = w->second;
    auto it = std::find_if(alerts.begin(), alerts.end(),
                           [&](const ImportedAlert& x) { return x.name == lookup; });
    if (it != alerts.end() && !a.slo.empty() && it->slo == a.slo) {
      for (const ImportedBurnWindow& w : a.windows) {
        if (std::any_of(it->windows.begin(), it->windows.end(),
                        [&](const ImportedBurnWindow& x) { return same_windows(x, w); }))
          continue;
        // The same window with another `for` (a Sloth spec with the
        // alert_for plugin and one without): a disagreement, not a window.
        ImportedBurnWindow other_for = w;
        const auto same_but_for =
            std::find_if(it->windows.begin(), it->windows.end(), [&](const ImportedBurnWindow& x) {
              other_for.for_s = x.for_s;
              return same_windows(x, other_for);
            });
        if (same_but_for != it->windows.end()) {
          m.notes.push_back(
              {Level::warning, a.origin,
               "alert '" + it->name + "' window " + show(w.factor) + "x over " +
                   duration_text(w.long_window_s) + ": for is " + duration_text(w.for_s) +
                   " here but " + duration_text(same_but_for->for_s) + " in " + it->origin.text() +
                   "; took " + duration_text(same_but_for->for_s) + " (the first file read)"});
          continue;
        }
        it->windows.push_back(w);
      }
      continue;
    }
    if (!a.slo.empty()) {
      const auto dup = std::find_if(alerts.begin(), alerts.end(), [&](const ImportedAlert& x) {
        return x.slo == a.slo && x.windows.size() == a.windows.size() &&
               std::all_of(a.windows.begin(), a.windows.end(), [&](const ImportedBurnWindow& w) {
                 return std::any_of(
                     x.windows.begin(), x.windows.end(),
                     [&](const ImportedBurnWindow& y) { return same_windows(w, y); });
               });
      });
      if (dup != alerts.end()) {
        m.notes.push_back({Level::note, a.origin,
                           "alert '" + a.name + "' has the windows of alert '" + dup->name + "' (" +
                               dup->origin.text() + ") on SLO '" + a.slo + "'; kept '" + dup->name +
                               "'"});
        continue;
      }
    }
    if (it != alerts.end()) {
      const std::string base = a.name + "-" + (a.slo.empty() ? a.service : a.slo);
      std::string renamed = base;
      const auto taken = [&](const std::string& n) {
        return std::any_of(alerts.begin(), alerts.end(),
                           [&](const ImportedAlert& x) { return x.name == n; });
      };
      for (int k = 2; taken(renamed); ++k) renamed = base + "-" + std::to_string(k);
      m.notes.push_back({Level::note, a.origin,
                         "alert name '" + a.name + "' is taken (" + it->origin.text() +
                             "); named '" + renamed + "'"});
      a.name = renamed;
    }
    if (!a.slo.empty()) written_as.emplace(std::pair{written, a.slo}, a.name);
    alerts.push_back(a);
  }
  m.alerts = std::move(alerts);
}

/// The keys a GameDay of `e`'s fault needs that the file did not give
/// (docs/scenario-language.md); a Schedule's repeated kills without an end
/// are not listed: the emitter assumes their duration.
std::vector<std::string> missing_keys(const ImportedExperiment& e) {
  std::vector<std::string> missing;
  const auto need = [&](bool given, const char* key) {
    if (!given) missing.emplace_back(key);
  };
  const std::string& f = e.fault;
  if (f == "podKill" || f == "capacityLoss") need(!e.service.empty(), "service");
  if (f == "zoneOutage" || f == "nodeDrain") need(!e.zone.empty(), "zone");
  if (f == "networkLatency" || f == "networkLoss" || f == "networkPartition") {
    need(!e.from.empty(), "from");
    need(!e.to.empty(), "to");
  }
  if (f == "networkLatency") need(e.latency_s.has_value(), "latency");
  if (f == "networkLoss") need(e.loss.has_value(), "loss");
  if (f == "capacityLoss") need(e.fraction.has_value(), "fraction");
  if (f == "zoneOutage" || f == "networkLatency" || f == "networkLoss" || f == "networkPartition" ||
      f == "capacityLoss")
    need(e.duration_s.has_value(), "duration");
  return missing;
}

/// Burn-rate windows that can never fire on their SLO (factor × error
/// budget above 100 %, as `relsim validate` rejects them: a Pyrra 14x tier
/// on a 90 % SLO) are left out, with a warning; an alert left with no
/// window is left out.
void drop_windows_that_never_fire(ImportModel& m) {
  std::vector<ImportedAlert> alerts;
  for (ImportedAlert& a : m.alerts) {
    const auto slo = std::find_if(m.slos.begin(), m.slos.end(),
                                  [&](const ImportedSlo& s) { return s.name == a.slo; });
    if (a.slo.empty() || a.windows.empty() || slo == m.slos.end() || !slo->objective) {
      alerts.push_back(std::move(a));
      continue;
    }
    const double budget = 1.0 - slo->objective->value;
    std::vector<ImportedBurnWindow> kept;
    for (const ImportedBurnWindow& w : a.windows) {
      if (w.factor * budget <= 1.0) {
        kept.push_back(w);
        continue;
      }
      m.notes.push_back({Level::warning, a.origin,
                         "alert '" + a.name + "': the window of factor " + show(w.factor) +
                             " over " + duration_text(w.long_window_s) +
                             " can never fire on SLO '" + a.slo + "' (its error budget is " +
                             show(budget * 100.0) + " %, so it needs an error ratio of " +
                             show(w.factor * budget * 100.0) + " %); the window was left out"});
    }
    if (kept.empty()) {
      m.notes.push_back({Level::warning, a.origin,
                         "alert '" + a.name + "': no window can fire on SLO '" + a.slo +
                             "'; the alert was left out"});
      continue;
    }
    a.windows = std::move(kept);
    alerts.push_back(std::move(a));
  }
  m.alerts = std::move(alerts);
}

}  // namespace

void join_import(ImportModel& m, const ImportOptions& o) {
  const auto rename = [&](std::string& s) {
    for (const auto& [from, to] : o.renames) {
      if (s == from) s = to;
    }
  };
  for (ImportedService& s : m.services) {
    rename(s.name);
    for (std::string& a : s.aliases) rename(a);
    for (ImportedDependency& d : s.depends_on) rename(d.target);
  }
  for (ImportedStore& s : m.stores) {
    rename(s.name);
    for (std::string& a : s.aliases) rename(a);
  }
  for (ImportedService& s : m.services) {
    if (s.owner) rename(s.owner->value);
  }
  for (ImportedSlo& s : m.slos) rename(s.service);
  for (ImportedAlert& a : m.alerts) {
    rename(a.service);
    rename(a.team);
  }
  for (ImportedTeam& t : m.teams) {
    rename(t.name);
    for (std::string& x : t.aliases) rename(x);
    for (std::string& x : t.owns) rename(x);
    for (ImportedEscalationStep& e : t.escalation) rename(e.to);
  }
  for (ImportedExperiment& e : m.experiments) {
    for (std::string* x : {&e.service, &e.datastore, &e.cache, &e.from, &e.to}) rename(*x);
  }
  for (ImportedGroup& g : m.catalog_groups) rename(g.name);

  resolve_sloth(m, o);
  resolve_openslo_policies(m);

  const auto services = merge_by_name(m.services, merge_service, m);
  const auto stores = merge_by_name(
      m.stores,
      [](ImportedStore& a, const ImportedStore& b, ImportModel& mm) {
        merge_field(a.owner, b.owner, "store '" + a.name + "' owner", mm);
      },
      m);
  const auto teams = merge_by_name(m.teams, merge_team, m);
  const auto service_of = [&](const std::string& n) { return resolve(services, n); };
  for (ImportedSlo& s : m.slos) s.service = service_of(s.service);
  for (ImportedAlert& a : m.alerts) {
    if (!a.service.empty()) a.service = service_of(a.service);
  }
  join_slos_and_alerts(m);
  drop_windows_that_never_fire(m);

  // Services named only by an SLO or an alert.
  std::set<std::string> known;
  for (const ImportedService& s : m.services) known.insert(s.name);
  const auto ensure = [&](const std::string& name, const Origin& origin) {
    if (name.empty() || known.count(name) || stores.count(name)) return;
    ImportedService s;
    s.name = name;
    s.origin = origin;
    m.services.push_back(s);
    known.insert(name);
  };
  for (const ImportedSlo& s : m.slos) ensure(s.service, s.origin);
  for (const ImportedAlert& a : m.alerts) {
    if (a.slo.empty()) ensure(a.service, a.origin);
  }
  std::set<std::string> store_names;
  for (const ImportedStore& s : m.stores) store_names.insert(s.name);
  // Backstage APIs: a consumer depends (hard) on the component providing it.
  std::map<std::string, std::pair<std::string, Origin>> provider;  // API -> service, where
  for (const ImportedService& s : m.services) {
    for (const Sourced<std::string>& api : s.provides_apis) {
      const auto [it, fresh] = provider.emplace(api.value, std::pair{s.name, api.origin});
      if (!fresh && it->second.first != s.name) {
        m.notes.push_back({Level::warning, api.origin,
                           "API '" + api.value + "' is provided by '" + s.name + "' here and by '" +
                               it->second.first + "' in " + it->second.second.text() +
                               "; its consumers depend on '" + it->second.first +
                               "' (the first file read)"});
      }
    }
  }
  for (ImportedService& s : m.services) {
    for (const Sourced<std::string>& api : s.consumes_apis) {
      const auto it = provider.find(api.value);
      if (it == provider.end()) {
        m.notes.push_back({Level::warning, api.origin,
                           "service '" + s.name + "' consumes API '" + api.value +
                               "': expected a Component that provides it in the files read; "
                               "none, so no dependency was added"});
        continue;
      }
      const std::string& target = it->second.first;
      if (target == s.name) continue;
      if (std::none_of(s.depends_on.begin(), s.depends_on.end(),
                       [&](const ImportedDependency& d) { return service_of(d.target) == target; }))
        s.depends_on.push_back(ImportedDependency{target, "hard", api.origin});
    }
  }
  for (ImportedService& s : m.services) {
    std::vector<ImportedDependency> kept;
    for (ImportedDependency d : s.depends_on) {
      d.target = known.count(d.target)    ? d.target
                 : stores.count(d.target) ? resolve(stores, d.target)
                                          : service_of(d.target);
      if (d.target == s.name) continue;
      if (!known.count(d.target) && !store_names.count(d.target)) {
        m.notes.push_back({Level::warning, d.origin,
                           "service '" + s.name + "' depends on '" + d.target +
                               "': expected a service, datastore or cache of that name in the "
                               "files read; none, so the dependency was left out"});
        continue;
      }
      kept.push_back(d);
    }
    s.depends_on = kept;
  }
  // A service has one owner: its catalog owner when a file gives one.
  std::map<std::string, std::string> owner_of;  // service -> team
  for (ImportedService& s : m.services) {
    if (!s.owner) continue;
    s.owner->value = resolve(teams, s.owner->value);
    owner_of[s.name] = s.owner->value;
  }
  std::map<std::string, std::pair<std::string, Origin>> paged_by;  // service -> team, where
  for (ImportedTeam& t : m.teams) {
    std::vector<std::string> owns;
    for (const std::string& x : t.owns) {
      const std::string n = service_of(x);
      const auto paged = paged_by.find(n);
      if (owner_of.find(n) == owner_of.end() && paged != paged_by.end() &&
          paged->second.first != t.name) {
        // Two policies (or a policy and an Opsgenie team) page for one
        // service: relsim pages one team per service.
        m.notes.push_back({Level::warning, t.origin,
                           "team '" + t.name + "' is paged for '" + n + "', and so is team '" +
                               paged->second.first + "' (" + paged->second.second.text() +
                               "); relsim pages one team per service: kept '" +
                               paged->second.first + "', left '" + n + "' out of '" + t.name +
                               "'"});
        continue;
      }
      if (const auto own = owner_of.find(n); own != owner_of.end() && own->second != t.name) {
        m.notes.push_back({Level::note, t.origin,
                           "team '" + t.name + "' is paged for '" + n + "', whose owner is '" +
                               own->second + "'; relsim pages one team per service, took '" +
                               own->second + "' (the owner)"});
      } else if (known.count(n)) {
        if (std::find(owns.begin(), owns.end(), n) == owns.end()) owns.push_back(n);
        paged_by.emplace(n, std::pair{t.name, t.origin});
      } else {
        m.notes.push_back({Level::warning, t.origin,
                           "team '" + t.name + "' owns '" + x +
                               "': no service of that name in the files read; left out"});
      }
    }
    t.owns = owns;
  }
  for (ImportedTeam& t : m.teams) {
    std::vector<ImportedEscalationStep> steps;
    for (ImportedEscalationStep e : t.escalation) {
      if (e.to != "secondary") {
        if (!teams.count(e.to)) {
          m.notes.push_back({Level::warning, e.origin,
                             "team '" + t.name + "' escalates to '" + e.to +
                                 "': expected a team (schedule) of that name in the files read; "
                                 "none, so the step was left out"});
          continue;
        }
        e.to = resolve(teams, e.to);
        if (e.to == t.name) continue;
      }
      steps.push_back(e);
    }
    t.escalation = steps;
  }
  for (ImportedAlert& a : m.alerts) {
    if (!a.team.empty() && !teams.count(a.team)) {
      m.notes.push_back({Level::note, a.origin,
                         "alert '" + a.name + "' names team '" + a.team +
                             "', which no file defines; the service's owner is paged instead"});
      a.team.clear();
    } else if (!a.team.empty()) {
      a.team = resolve(teams, a.team);
    }
  }
  std::vector<ImportedExperiment> experiments;
  for (ImportedExperiment& e : m.experiments) {
    if (const auto missing = missing_keys(e); !missing.empty()) {
      std::string keys;
      for (const std::string& k : missing) keys += (keys.empty() ? "" : ", ") + k;
      m.notes.push_back({Level::warning, e.origin,
                         "experiment '" + e.name + "' (" + e.fault + "): the file gives no " +
                             keys +
                             " (see the messages above), which a game day needs; the "
                             "experiment was left out"});
      continue;
    }
    bool ok = true;
    for (std::string* x : {&e.service, &e.from, &e.to}) {
      if (x->empty()) continue;
      const std::string n = store_names.count(*x) ? *x : service_of(*x);
      if (!known.count(n) && !store_names.count(n)) {
        m.notes.push_back({Level::warning, e.origin,
                           "experiment '" + e.name + "' targets '" + *x +
                               "': no service, datastore or cache of that name in the files read; "
                               "the experiment was left out"});
        ok = false;
        break;
      }
      *x = n;
    }
    if (ok && !e.from.empty() && !e.to.empty()) {
      // A network fault acts on calls from `from` to `to`: without that
      // dependency in the files read it would change nothing (the GameDay
      // would not validate).
      const auto caller = std::find_if(m.services.begin(), m.services.end(),
                                       [&](const ImportedService& s) { return s.name == e.from; });
      const bool calls = caller != m.services.end() &&
                         std::any_of(caller->depends_on.begin(), caller->depends_on.end(),
                                     [&](const ImportedDependency& d) { return d.target == e.to; });
      if (!calls) {
        m.notes.push_back({Level::warning, e.origin,
                           "experiment '" + e.name + "' (" + e.fault + ") acts on calls from '" +
                               e.from + "' to '" + e.to + "', but no file read says that '" +
                               e.from + "' depends on '" + e.to +
                               "' (a Backstage dependsOn or consumesApis); the experiment was "
                               "left out"});
        ok = false;
      }
    }
    if (ok) experiments.push_back(e);
  }
  m.experiments = std::move(experiments);
  for (const ImportedService& s : m.services) {
    if (!s.zones) continue;
    for (const std::string& z : s.zones->value) {
      if (std::find(m.zones.begin(), m.zones.end(), z) == m.zones.end()) m.zones.push_back(z);
    }
  }
}

}  // namespace relsim::analysis::import
