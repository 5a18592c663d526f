// relsim import: the joined model as relsim's YAML (see import.hpp). Every
// value read from a file is written with `# from FILE:LINE FIELD`; every
// value the model needs that no file gave is a documented default written
// with `# assumed: WHY` (docs/import.md lists them) and returned in
// EmitResult::assumed. `relsim explain` lists the `# assumed:` lines.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "analysis/import/import.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}
std::string percent(double fraction) { return num(std::round(fraction * 1e12) / 1e10) + "%"; }

/// A YAML scalar for a name: plain when safe, else double-quoted.
std::string q(const std::string& s) {
  static const std::set<std::string> reserved = {"true", "false", "null", "yes",   "no",   "on",
                                                 "off",  "~",     "True", "False", "Null", "Yes",
                                                 "No",   "On",    "Off",  "NULL",  "TRUE", "FALSE"};
  bool plain = !s.empty() && !reserved.count(s) && !parse_number_text(s) &&
               (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (const char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == '/'))
      plain = false;
  }
  if (plain) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

struct Writer {
  std::ostringstream o;
  EmitResult& r;

  explicit Writer(EmitResult& result) : r(result) {}

  void raw(const std::string& text) { o << text << "\n"; }
  void pad(const std::string& text, const std::string& comment) {
    std::string t = text;
    if (t.size() < 40) t.resize(40, ' ');
    o << t << "  # " << one_line(comment) << "\n";
  }
  /// A value read from a file.
  void from(const std::string& text, const Origin& origin) {
    ++r.imported_values;
    pad(text, "from " + origin.text());
  }
  /// A value no file gave.
  void assumed(const std::string& text, const std::string& path, const std::string& value,
               const std::string& why) {
    r.assumed.push_back({path, value, why});
    pad(text, "assumed: " + why);
  }
};

struct Names {
  std::set<std::string> services, datastores, caches;
};

// ---- defaults (docs/import.md, "What is assumed") --------------------------
constexpr double kEntryDemand = 50.0;       // requests/s at an entry point
constexpr double kTargetUtilisation = 0.5;  // capacity = 2 x load
constexpr int kReplicas = 2;
const char* const kRestart = "{lognormal: {median: 1m, p99: 5m}}";
const char* const kCrashes = "{exponential: {mean: 30d}}";
const char* const kPrimaryFailures = "{exponential: {mean: 180d}}";
const char* const kCacheFailures = "{exponential: {mean: 90d}}";
const char* const kAckBusiness = "{lognormal: {median: 2m, p90: 5m}}";
const char* const kAckOff = "{lognormal: {median: 8m, p90: 20m}}";

std::string burn_window_text(const ImportedBurnWindow& w) {
  std::string s = "{severity: " + w.severity +
                  ", factor: " + num(std::round(w.factor * 1e9) / 1e9) +
                  ", longWindow: " + duration_text(w.long_window_s);
  if (w.short_window_s > 0 && w.short_window_s < w.long_window_s)
    s += ", shortWindow: " + duration_text(w.short_window_s);
  return s + "}";
}

std::string windows_source(const ImportedAlert& a, const ImportedBurnWindow& w,
                           const ImportModel& m, double period) {
  if (a.deferred_windows == "sloth-defaults") {
    return "Sloth's default windows for a " + duration_text(period) +
           " period: " + num(w.budget_percent) +
           " % of the budget (factor = share x period / long window)";
  }
  if (a.deferred_windows == "pyrra-derived") {
    return "Pyrra's windows for a " + duration_text(period) +
           " window (28d: 14x 1h/5m, 7x 6h/30m, " + "2x 1d/2h, 1x 4d/6h, scaled), from " +
           a.origin.text();
  }
  if (a.deferred_windows == "sloth-alert-windows") {
    for (const ImportedAlertWindows& aw : m.alert_windows) {
      if (std::fabs(aw.period_s - period) < 1e-6)
        return "from " + aw.origin.text() + " (AlertWindows)";
    }
  }
  return "from " + a.origin.text();
}

void write_alerts(Writer& w, const ImportModel& m, const std::string& ind, const Names& names,
                  const std::map<std::string, double>& slo_period) {
  for (const ImportedAlert& a : m.alerts) {
    if (!a.slo.empty()) {
      if (a.windows.empty() || !slo_period.count(a.slo)) continue;
      // One relsim alert per distinct `for:` (Pyrra delays each tier).
      std::vector<double> fors;
      for (const ImportedBurnWindow& b : a.windows) {
        if (std::find(fors.begin(), fors.end(), b.for_s) == fors.end()) fors.push_back(b.for_s);
      }
      const double period = slo_period.count(a.slo) ? slo_period.at(a.slo) : 30 * 86400.0;
      for (std::size_t k = 0; k < fors.size(); ++k) {
        const std::string name = k == 0 ? a.name : a.name + "-for-" + duration_text(fors[k]);
        w.from(ind + "- name: " + q(name), a.origin);
        w.raw(ind + "  slo: " + q(a.slo));
        if (fors[k] > 0) w.from(ind + "  for: " + duration_text(fors[k]), a.origin);
        if (!a.team.empty()) w.raw(ind + "  team: " + q(a.team));
        w.raw(ind + "  burnRate:");
        for (const ImportedBurnWindow& b : a.windows) {
          if (b.for_s != fors[k]) continue;
          ++w.r.imported_values;
          w.pad(ind + "    - " + burn_window_text(b), windows_source(a, b, m, period));
        }
      }
      continue;
    }
    if (!names.services.count(a.service)) continue;
    w.from(ind + "- name: " + q(a.name), a.origin);
    w.raw(ind + "  service: " + q(a.service));
    if (a.latency_above_s) {
      w.from(ind + "  condition: {latency: {above: " + duration_text(*a.latency_above_s) +
                 ", percentile: " + percent(a.latency_percentile) + "}}",
             a.origin);
    } else {
      w.from(ind + "  condition: {errorRate: {above: " + percent(a.error_rate_above.value_or(0)) +
                 "}}",
             a.origin);
    }
    if (a.for_s > 0) w.from(ind + "  for: " + duration_text(a.for_s), a.origin);
    w.raw(ind + "  route: " + a.route);
    if (!a.team.empty()) w.raw(ind + "  team: " + q(a.team));
  }
}

}  // namespace

EmitResult emit_import(const ImportModel& m, const ImportOptions& opt) {
  EmitResult result;
  Writer w(result);
  // A Backstage System names the system; else --name's default.
  const std::string sys =
      m.system_name && !m.system_name->value.empty() ? m.system_name->value : opt.system_name;

  // Zones.
  std::vector<std::string> zones = m.zones;
  const bool zones_assumed = zones.empty();
  if (zones_assumed) zones = {"zone-a", "zone-b"};
  std::string zone_list;
  for (std::size_t i = 0; i < zones.size(); ++i) zone_list += (i ? ", " : "") + q(zones[i]);
  zone_list = "[" + zone_list + "]";

  Names names;
  for (const ImportedService& s : m.services) names.services.insert(s.name);
  std::string first_datastore;
  for (const ImportedStore& s : m.stores) {
    if (s.cache) {
      names.caches.insert(s.name);
    } else {
      names.datastores.insert(s.name);
      if (first_datastore.empty()) first_datastore = s.name;
    }
  }
  // A cache needs a backing store; without a datastore it backs onto nothing.
  if (first_datastore.empty()) names.caches.clear();

  // Load per service: entry points get the assumed demand, callees their callers'.
  std::map<std::string, std::vector<std::string>> callers;
  for (const ImportedService& s : m.services) {
    for (const ImportedDependency& d : s.depends_on) {
      if (names.services.count(d.target)) callers[d.target].push_back(s.name);
    }
  }
  std::map<std::string, double> load;
  std::function<double(const std::string&, int)> load_of = [&](const std::string& n,
                                                               int depth) -> double {
    if (auto it = load.find(n); it != load.end()) return it->second;
    double l = callers[n].empty() ? kEntryDemand : 0.0;
    if (depth < 64) {
      for (const std::string& c : callers[n]) l += load_of(c, depth + 1);
    }
    load[n] = l;
    return l;
  };
  std::map<std::string, std::string> owner_of;  // service -> team
  std::vector<ImportedTeam> teams = m.teams;
  std::vector<bool> team_assumed(teams.size(), false);
  for (const ImportedService& s : m.services) {
    if (!s.owner) continue;
    auto t = std::find_if(teams.begin(), teams.end(), [&](const ImportedTeam& x) {
      return x.name == s.owner->value ||
             std::find(x.aliases.begin(), x.aliases.end(), s.owner->value) != x.aliases.end();
    });
    if (t == teams.end()) {
      ImportedTeam nt;
      nt.name = s.owner->value;
      nt.origin = s.owner->origin;
      teams.push_back(nt);
      team_assumed.push_back(false);
      t = teams.end() - 1;
    }
    if (std::find(t->owns.begin(), t->owns.end(), s.name) == t->owns.end())
      t->owns.push_back(s.name);
  }
  // Services no file gives an owner (a Sloth spec's service beside a
  // PagerDuty export for others): an assumed team is paged for them, or
  // their paging alerts would page nobody (relsim validate refuses that).
  std::vector<std::string> unowned;
  for (const ImportedService& s : m.services) {
    if (std::none_of(teams.begin(), teams.end(), [&](const ImportedTeam& t) {
          return std::find(t.owns.begin(), t.owns.end(), s.name) != t.owns.end();
        }))
      unowned.push_back(s.name);
  }
  const bool no_team_read = teams.empty();
  if (!unowned.empty()) {
    ImportedTeam nt;
    nt.name = "oncall";
    for (int k = 2; std::any_of(teams.begin(), teams.end(),
                                [&](const ImportedTeam& t) { return t.name == nt.name; });
         ++k)
      nt.name = "oncall-" + std::to_string(k);
    nt.owns = unowned;
    teams.push_back(nt);
    team_assumed.push_back(true);
  }
  // Backstage groups: a team no schedule sizes gets its catalog group's
  // people (the Group's members and the Users that are members of it).
  std::map<std::string, ImportedGroup> groups;
  for (const ImportedGroup& g : m.catalog_groups) {
    auto [it, fresh] = groups.emplace(g.name, g);
    if (fresh) continue;
    auto& into = it->second.members;
    for (const std::string& u : g.members) {
      if (std::find(into.begin(), into.end(), u) == into.end()) into.push_back(u);
    }
  }
  for (ImportedTeam& t : teams) {
    if (t.members) continue;
    auto g = groups.find(t.name);
    for (std::size_t k = 0; g == groups.end() && k < t.aliases.size(); ++k)
      g = groups.find(t.aliases[k]);
    if (g == groups.end() || g->second.members.empty()) continue;
    Origin where = g->second.origin;
    where.field = "Backstage group '" + g->second.name +
                  "': " + std::to_string(g->second.members.size()) +
                  " people (Group spec.members, User spec.memberOf)";
    t.members = Sourced<int>{static_cast<int>(g->second.members.size()), where};
  }
  std::set<std::string> team_names;
  for (const ImportedTeam& t : teams) team_names.insert(t.name);

  std::map<std::string, double> slo_period;
  for (const ImportedSlo& s : m.slos) {
    if (s.objective) slo_period[s.name] = s.window_s ? s.window_s->value : 30 * 86400.0;
  }

  w.raw("# Written by `relsim import` from " + std::to_string(m.files_read.size()) +
        " file(s). Every value says where it came from (`# from FILE:LINE FIELD`);");
  w.raw("# `# assumed:` marks a value no file gave: replace it with your own (docs/import.md).");
  w.raw("# Check it with `relsim validate`, read it back with `relsim explain`, run it with");
  w.raw("# `relsim run` (the Scenario below).");
  w.raw("apiVersion: relsim/v1alpha1");
  w.raw("kind: System");
  w.raw("metadata:");
  if (m.system_name && m.system_name->value == sys) {
    w.from("  name: " + q(sys), m.system_name->origin);
  } else {
    w.raw("  name: " + q(sys));
  }
  w.raw("  description: Imported by relsim import.");
  w.raw("spec:");
  for (const ImportedTeam& t : m.teams) {
    if (t.utc_offset) {
      w.raw("  calendar:");
      w.from("    utcOffset: \"" + t.utc_offset->value + "\"", t.utc_offset->origin);
      break;
    }
  }
  if (zones_assumed) {
    w.assumed("  zones: " + zone_list, "zones", zone_list,
              "no file names a zone (node labels, topology spread, affinity)");
  } else {
    w.raw("  zones: " + zone_list);
  }

  if (!m.services.empty()) w.raw("  services:");
  for (const ImportedService& s : m.services) {
    const std::string p = "services." + s.name + ".";
    w.from("    - name: " + q(s.name), s.origin);
    int replicas = kReplicas;
    if (s.replicas) {
      replicas = std::max(1, s.replicas->value);
      w.from("      replicas: " + std::to_string(replicas), s.replicas->origin);
    } else if (s.hpa_min) {
      replicas = std::max(1, s.hpa_min->value);
      w.from("      replicas: " + std::to_string(replicas), s.hpa_min->origin);
    } else if (s.default_replicas) {
      replicas = s.default_replicas->value;
      w.from("      replicas: " + std::to_string(replicas), s.default_replicas->origin);
    } else {
      w.assumed("      replicas: " + std::to_string(replicas), p + "replicas",
                std::to_string(replicas), "no file gives a replica count");
    }
    if (s.zones && !s.zones->value.empty()) {
      std::string zl;
      for (std::size_t i = 0; i < s.zones->value.size(); ++i)
        zl += (i ? ", " : "") + q(s.zones->value[i]);
      w.from("      zones: [" + zl + "]", s.zones->origin);
    } else {
      w.assumed(
          "      zones: " + zone_list, p + "zones", zone_list,
          zones_assumed ? "spread over the assumed zones" : "no file places it: every known zone");
    }
    if (s.topology_spread)
      w.from(std::string("      topologySpread: ") + (s.topology_spread->value ? "true" : "false"),
             s.topology_spread->origin);
    const double l = load_of(s.name, 0);
    const int hpa_max = s.hpa_max ? s.hpa_max->value : replicas;
    const double cap = std::max(10.0, std::ceil(l / (kTargetUtilisation * replicas)));
    w.assumed("      capacityPerReplica: " + num(cap), p + "capacityPerReplica", num(cap),
              "requests/s per replica: 2 x its load of " + num(l) + "/s over " +
                  std::to_string(replicas) + " replicas (50 % utilisation)");
    if (callers[s.name].empty()) {
      w.assumed("      demand: " + num(kEntryDemand), p + "demand", num(kEntryDemand),
                "requests/s from users; no file gives traffic");
    }
    w.assumed(std::string("      restart: ") + kRestart, p + "restart", kRestart,
              "time until a crashed replica serves again");
    if (s.health_check_s) {
      w.from("      healthCheckDelay: " + duration_text(s.health_check_s->value),
             s.health_check_s->origin);
    } else {
      w.assumed("      healthCheckDelay: 30s", p + "healthCheckDelay", "30s",
                "no readiness probe: the load balancer's detection time");
    }
    if (s.hpa_max) {
      w.raw("      autoscale:");
      w.from("        minReplicas: " +
                 std::to_string(std::min(replicas, s.hpa_min ? s.hpa_min->value : replicas)),
             s.hpa_min ? s.hpa_min->origin : s.hpa_max->origin);
      w.from("        maxReplicas: " + std::to_string(std::max(hpa_max, replicas)),
             s.hpa_max->origin);
      if (s.hpa_target_utilization)
        w.from("        targetUtilization: " + percent(s.hpa_target_utilization->value),
               s.hpa_target_utilization->origin);
      if (s.hpa_reaction_s) {
        // relsim's reactionTime is the whole delay until new replicas
        // serve (its default, 2m, is the metric delay and the scheduling);
        // a scale-up stabilization window delays the decision on top of it.
        Origin o = s.hpa_reaction_s->origin;
        o.field += " (" + duration_text(s.hpa_reaction_s->value) +
                   ") + 2m, relsim's default metric delay and scheduling";
        w.from("        reactionTime: " + duration_text(s.hpa_reaction_s->value + 120.0), o);
      }
    }
    w.raw("      failures:");
    w.assumed(std::string("        - {type: replicaCrash, every: ") + kCrashes + "}",
              p + "failures", std::string("replicaCrash every ") + kCrashes,
              "time between crashes, per replica");
    std::vector<std::string> deps;
    for (const ImportedDependency& d : s.depends_on) {
      std::string key = names.services.count(d.target)     ? "service"
                        : names.datastores.count(d.target) ? "datastore"
                        : names.caches.count(d.target)     ? "cache"
                                                           : "";
      if (key.empty()) continue;
      const std::string type = key == "cache" ? "cache" : (d.type == "cache" ? "hard" : d.type);
      deps.push_back("{" + key + ": " + q(d.target) + ", type: " + type + "}");
      if (deps.size() == 1) w.raw("      dependsOn:");
      w.from("        - " + deps.back(), d.origin);
    }
    // Facts relsim has no System key for: kept as comments.
    if (s.reschedule_s)
      w.raw("      # reschedule after node loss " + duration_text(s.reschedule_s->value) +
            " (from " + one_line(s.reschedule_s->origin.text()) +
            "): no System key; part of restart on a node failure");
    if (s.min_ready_s)
      w.raw("      # minReadySeconds " + num(s.min_ready_s->value) + " (from " +
            one_line(s.min_ready_s->origin.text()) + "): part of restart");
    if (s.max_unavailable)
      w.raw("      # maxUnavailable " + std::to_string(s.max_unavailable->value) + " (from " +
            one_line(s.max_unavailable->origin.text()) + "): no System key");
    if (s.max_unavailable_fraction && !s.max_unavailable)
      w.raw("      # maxUnavailable " + percent(s.max_unavailable_fraction->value) + " (from " +
            one_line(s.max_unavailable_fraction->origin.text()) + "): no System key");
    if (s.max_surge)
      w.raw("      # maxSurge " + std::to_string(s.max_surge->value) + " (from " +
            one_line(s.max_surge->origin.text()) + "): no System key");
    if (s.max_surge_fraction && !s.max_surge)
      w.raw("      # maxSurge " + percent(s.max_surge_fraction->value) + " (from " +
            one_line(s.max_surge_fraction->origin.text()) + "): no System key");
    if (s.liveness_s)
      w.raw("      # liveness probe detects a hung container after " +
            duration_text(s.liveness_s->value) + " (from " + one_line(s.liveness_s->origin.text()) +
            "): no System key; part of restart");
    const std::string guard = "): a guard for game days (stop when fewer replicas serve)";
    if (s.pdb_min_available)
      w.raw("      # PodDisruptionBudget minAvailable " +
            std::to_string(s.pdb_min_available->value) + " (from " +
            one_line(s.pdb_min_available->origin.text()) + guard);
    if (s.pdb_min_available_fraction)
      w.raw("      # PodDisruptionBudget minAvailable " +
            percent(s.pdb_min_available_fraction->value) + " (from " +
            one_line(s.pdb_min_available_fraction->origin.text()) + guard);
    if (s.pdb_max_unavailable)
      w.raw("      # PodDisruptionBudget maxUnavailable " +
            std::to_string(s.pdb_max_unavailable->value) + " (from " +
            one_line(s.pdb_max_unavailable->origin.text()) + guard);
    if (s.pdb_max_unavailable_fraction)
      w.raw("      # PodDisruptionBudget maxUnavailable " +
            percent(s.pdb_max_unavailable_fraction->value) + " (from " +
            one_line(s.pdb_max_unavailable_fraction->origin.text()) + guard);
    if (s.lifecycle)
      w.raw("      # lifecycle " + one_line(s.lifecycle->value) + " (from " +
            one_line(s.lifecycle->origin.text()) + ")");
  }

  bool ds_header = false;
  for (const ImportedStore& s : m.stores) {
    if (s.cache) continue;
    if (!ds_header) w.raw("  datastores:");
    ds_header = true;
    const std::string p = "datastores." + s.name + ".";
    w.from("    - name: " + q(s.name), s.origin);
    w.assumed("      primaryZone: " + q(zones.front()), p + "primaryZone", zones.front(),
              "no file says where its primary runs");
    if (zones.size() > 1) {
      w.assumed("      replicaZones: [" + q(zones[1]) + "]", p + "replicaZones", zones[1],
                "one replica in another zone, promoted on failover");
    }
    w.raw("      failures:");
    w.assumed(std::string("        - {type: primaryFailure, every: ") + kPrimaryFailures + "}",
              p + "failures", std::string("primaryFailure every ") + kPrimaryFailures,
              "time between primary failures");
  }
  bool cache_header = false;
  for (const ImportedStore& s : m.stores) {
    if (!s.cache || !names.caches.count(s.name)) continue;
    if (!cache_header) w.raw("  caches:");
    cache_header = true;
    const std::string p = "caches." + s.name + ".";
    w.from("    - name: " + q(s.name), s.origin);
    w.assumed("      hitRatio: 80%", p + "hitRatio", "80%", "share of lookups the cache answers");
    w.assumed("      backing: " + q(first_datastore), p + "backing", first_datastore,
              "misses go to the first datastore");
    w.assumed("      zones: " + zone_list, p + "zones", zone_list, "cache nodes in every zone");
    w.raw("      failures:");
    w.assumed(std::string("        - {type: nodeFailure, every: ") + kCacheFailures + "}",
              p + "failures", std::string("nodeFailure every ") + kCacheFailures,
              "time between cache node failures");
  }

  if (!m.slos.empty()) w.raw("  slos:");
  for (const ImportedSlo& s : m.slos) {
    if (!s.objective) continue;
    const std::string p = "slos." + s.name + ".";
    w.from("    - name: " + q(s.name), s.origin);
    w.raw("      service: " + q(s.service));
    w.raw("      sli: " + s.sli);
    w.from("      objective: " + percent(s.objective->value), s.objective->origin);
    if (s.calendar_month && s.window_s) {
      w.from("      window: calendarMonth", s.window_s->origin);
    } else if (s.window_s) {
      w.from("      window: " + duration_text(s.window_s->value), s.window_s->origin);
    } else {
      w.assumed("      window: 30d", p + "window", "30d",
                s.source_format == "sloth"
                    ? "a Sloth spec has no period (--slo-period, default 30d)"
                    : "no file gives the SLO window");
    }
    if (s.sli == "latency") {
      if (s.threshold_s) {
        w.from("      threshold: " + duration_text(s.threshold_s->value), s.threshold_s->origin);
      } else {
        w.assumed("      threshold: 500ms", p + "threshold", "500ms",
                  "no file gives the latency threshold");
      }
    }
  }
  if (!m.alerts.empty()) {
    w.raw("  alerts:");
    write_alerts(w, m, "    ", names, slo_period);
  }
  if (!teams.empty()) w.raw("  teams:");
  for (std::size_t i = 0; i < teams.size(); ++i) {
    const ImportedTeam& t = teams[i];
    const std::string p = "teams." + t.name + ".";
    if (team_assumed[i]) {
      w.assumed("    - name: " + q(t.name), "teams", t.name,
                no_team_read ? "no file gives an on-call team: one team owns every service"
                             : "no file gives these services an owner: one team owns them");
    } else {
      w.from("    - name: " + q(t.name), t.origin);
    }
    if (t.members) {
      w.from("      members: " + std::to_string(t.members->value), t.members->origin);
    } else {
      w.assumed("      members: 5", p + "members", "5", "people in the rotation");
    }
    const std::string length = t.shift_s ? duration_text(t.shift_s->value) : "1w";
    const std::string handoff = t.handoff ? t.handoff->value : "Mon 10:00";
    const std::string rot =
        "      rotation: {length: " + length + ", handoff: \"" + handoff + "\"}";
    if (t.shift_s || t.handoff) {
      w.from(rot, t.shift_s ? t.shift_s->origin : t.handoff->origin);
    } else {
      w.assumed(rot, p + "rotation", "1w, Mon 10:00", "weekly shifts handed off Monday 10:00");
    }
    bool secondary = t.secondary && t.secondary->value;
    for (const ImportedEscalationStep& e : t.escalation)
      secondary = secondary || e.to == "secondary";
    if (t.secondary) {
      w.from(std::string("      secondary: ") + (secondary ? "true" : "false"),
             t.secondary->origin);
    } else if (secondary) {
      w.raw("      secondary: true");
    }
    w.raw("      ack:");
    w.assumed(std::string("        businessHours: ") + kAckBusiness, p + "ack.businessHours",
              kAckBusiness, "page -> acknowledged in business hours");
    w.assumed(std::string("        offHours: ") + kAckOff, p + "ack.offHours", kAckOff,
              "page -> acknowledged at night and on weekends");
    bool esc_header = false;
    for (const ImportedEscalationStep& e : t.escalation) {
      if (e.to != "secondary" && !team_names.count(e.to)) continue;
      if (!esc_header) w.raw("      escalation:");
      esc_header = true;
      w.from("        - {after: " + duration_text(e.after_s) + ", to: " + q(e.to) + "}", e.origin);
    }
    if (t.escalation_loops && esc_header)
      w.from("      escalationLoops: " + std::to_string(t.escalation_loops->value),
             t.escalation_loops->origin);
    if (t.time_zone)
      w.raw("      # time zone " + one_line(t.time_zone->value) + " (from " +
            one_line(t.time_zone->origin.text()) +
            "): no Team key; the System's calendar.utcOffset is the first team's offset");
    if (t.coverage && t.coverage->value < 1.0 - 1e-9)
      w.raw("      # on call " + percent(t.coverage->value) + " of the week (from " +
            one_line(t.coverage->origin.text()) +
            "): no Team key; relsim's teams are on call all week");
    if (!t.owns.empty()) {
      std::string owns;
      for (std::size_t k = 0; k < t.owns.size(); ++k) owns += (k ? ", " : "") + q(t.owns[k]);
      w.raw("      owns: [" + owns + "]");
    }
  }

  w.raw("---");
  w.raw("# A month of the imported system with its random failures: `relsim run` this file.");
  w.raw("apiVersion: relsim/v1alpha1");
  w.raw("kind: Scenario");
  w.raw("metadata:");
  w.raw("  name: " + q(sys + "-month"));
  w.raw("spec:");
  w.raw("  system: " + q(sys));
  w.raw("  horizon: 30d");

  if (!m.alerts.empty()) {
    w.raw("---");
    w.raw("# The imported alert rules as a rule set for `relsim alerts FILE --rules FILE`.");
    w.raw("apiVersion: relsim/v1alpha1");
    w.raw("kind: AlertRules");
    w.raw("metadata:");
    w.raw("  name: imported-rules");
    w.raw("spec:");
    w.raw("  alerts:");
    EmitResult scratch;
    Writer w2(scratch);
    write_alerts(w2, m, "    ", names, slo_period);
    w.o << w2.o.str();
  }

  for (const ImportedExperiment& e : m.experiments) {
    const std::string p = "gameDay." + e.name + ".";
    w.raw("---");
    w.raw("# A game day of the " + e.source_format + " experiment: `relsim plan` this file.");
    w.raw("apiVersion: relsim/v1alpha1");
    w.raw("kind: GameDay");
    w.raw("metadata:");
    w.from("  name: " + q(e.name), e.origin);
    w.raw("spec:");
    w.raw("  system: " + q(sys));
    w.raw("  experiment:");
    w.from("    fault: " + e.fault, e.origin);
    for (const auto& [key, value] :
         {std::pair<const char*, const std::string*>{"service", &e.service},
          {"zone", &e.zone},
          {"datastore", &e.datastore},
          {"cache", &e.cache},
          {"from", &e.from},
          {"to", &e.to}}) {
      if (!value->empty()) w.raw(std::string("    ") + key + ": " + q(*value));
    }
    if (!e.mode.empty()) w.raw("    mode: " + e.mode);
    if (e.duration_s) {
      w.raw("    duration: " + duration_text(*e.duration_s));
    } else if (e.interval_s) {
      // A Chaos Mesh Schedule kills until it is deleted; a game day ends.
      w.assumed("    duration: 10m", p + "experiment.duration", "10m",
                "the kills repeat every " + duration_text(*e.interval_s) +
                    " until the Schedule is deleted: ten minutes of them");
    }
    if (e.interval_s) w.raw("    interval: " + duration_text(*e.interval_s));
    if (e.latency_s) w.raw("    latency: " + duration_text(*e.latency_s));
    if (e.loss) w.raw("    loss: " + percent(*e.loss));
    if (e.error_rate) w.raw("    errorRate: " + percent(*e.error_rate));
    if (e.fraction) w.raw("    fraction: " + percent(*e.fraction));
    if (e.factor) w.raw("    factor: " + num(*e.factor));
    for (const std::string& probe : e.probes)
      w.raw("  # probe " + one_line(probe) + " (from " + one_line(e.origin.text()) +
            "): no GameDay key; write it as a hypothesis or a stopCondition");
    if (!e.candidate_starts.empty()) {
      std::string starts;
      for (std::size_t k = 0; k < e.candidate_starts.size(); ++k)
        starts += (k ? ", " : "") + std::string("\"") + e.candidate_starts[k] + "\"";
      w.from("  candidateStarts: [" + starts + "]", e.origin);
    } else {
      w.assumed("  candidateStarts: \"Tue 14:00\"", p + "candidateStarts", "Tue 14:00",
                "the file gives no start: a Tuesday afternoon");
    }
  }
  result.yaml = w.o.str();
  return result;
}

}  // namespace relsim::analysis::import
