// `relsim explain FILE [--set path=value]...`: what the model will do with
// the System (or the Scenario / GameDay and its system) in FILE, in plain
// words: replicas per zone, what depends on what (hard, soft with its
// fallback, caches), failures and deploys, SLOs and the budget policy,
// alerts and whom they page, teams, rotations and escalation, runbooks and
// the severity table; for a Scenario, what is injected when. It reads the
// files exactly as `relsim run` does (loader, graph checks, compile), so a
// file that explains is a file that runs. Layout in docs/cli.md ("explain").
// The system's warnings (models::system_warnings) go to stderr first, as
// `relsim validate` prints them; `--strict` makes them errors.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/format.hpp"
#include "cli/commands.hpp"
#include "cli/option_groups.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace relsim::cli {

namespace {

using models::System;

struct ExplainOptions : OutputOptions {
  std::string file;
  std::vector<std::string> overrides;
  bool strict = false;  // warnings are errors
};

/// `12`, `0.5`, `1200` (up to 4 significant digits, no trailing zeros).
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

/// `99.99 %`, `15 %`.
std::string pct(double fraction) { return num(fraction * 100.0) + " %"; }

/// A span in the unit a person would use: `250 ms`, `45 s`, `90 s`, `4 min`, `1.5 h`,
/// `30 d` (seconds up to 3 min unless whole minutes; hours up to two days: `24 h`).
std::string human(double seconds) {
  const double a = std::abs(seconds);
  if (a == 0.0) return "0 s";
  if (a < 1.0) return num(seconds * 1000.0) + " ms";
  if (a < 60.0 || (a < 180.0 && std::fmod(a, 60.0) != 0.0)) return num(seconds) + " s";
  if (a < 3600.0) return num(seconds / 60.0) + " min";
  if (a < 2.0 * 86400.0) return num(seconds / 3600.0) + " h";
  return num(seconds / 86400.0) + " d";
}

std::string human(sim::Duration d) { return human(d.to_seconds()); }

/// An offset from the start in whole units: `1 d 14 h`, `45 min`, `2 h 30 min`.
std::string offset_text(sim::Duration d) {
  auto minutes = d.count_micros() / 60'000'000;
  const auto days = minutes / (24 * 60);
  minutes %= 24 * 60;
  std::string out;
  if (days > 0) out += std::to_string(days) + " d";
  if (minutes / 60 > 0) out += (out.empty() ? "" : " ") + std::to_string(minutes / 60) + " h";
  if (minutes % 60 > 0) out += (out.empty() ? "" : " ") + std::to_string(minutes % 60) + " min";
  return out.empty() ? human(d) : out;
}

/// A distribution of seconds in words: `3 min`, `median 45 s, p90 2.1 min`, `mean 30 d
/// (exponential)`.
std::string dist(const sim::Distribution& d) {
  using K = sim::DistributionKind;
  switch (d.kind()) {
    case K::fixed:
      return human(d.mean());
    case K::exponential:
      return "mean " + human(d.mean()) + " (exponential)";
    default:
      return "median " + human(d.quantile(0.5)) + ", p90 " + human(d.quantile(0.9));
  }
}

/// The time between failures: `30 d on average (exponential)`, else as dist().
std::string every(const sim::Distribution& d) {
  if (d.kind() == sim::DistributionKind::exponential) {
    return human(d.mean()) + " on average (exponential)";
  }
  return dist(d);
}

std::string list(const std::vector<models::NameRef>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i].name;
  return out;
}

std::string hhmm(sim::Duration time_of_day) {
  const auto minutes = time_of_day.count_micros() / 60'000'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(minutes / 60),
                static_cast<long long>(minutes % 60));
  return buf;
}

const models::Team* owner_of(const System& s, const std::string& service) {
  for (const auto& t : s.teams) {
    for (const auto& o : t.owns) {
      if (o.name == service) return &t;
    }
  }
  return nullptr;
}

std::string kind_word(models::ComponentKind k) {
  switch (k) {
    case models::ComponentKind::service:
      return "service";
    case models::ComponentKind::datastore:
      return "datastore";
    case models::ComponentKind::cache:
      return "cache";
  }
  return "component";
}

std::string condition_text(const models::Condition& c) {
  switch (c.metric) {
    case models::ConditionMetric::error_rate:
      return "error rate above " + pct(c.above);
    case models::ConditionMetric::latency:
      return "p" + num(c.percentile * 100.0) + " latency above " + human(c.above);
    case models::ConditionMetric::users_affected:
      return "share of users affected above " + pct(c.above);
  }
  return "";
}

std::string action_text(const models::RunbookStep& st) {
  switch (st.action) {
    case models::RunbookAction::rollback:
      return "roll back";
    case models::RunbookAction::restart:
      return "restart";
    case models::RunbookAction::scale_up:
      return "scale up to " + std::to_string(st.to);
    case models::RunbookAction::failover:
      return "fail over " + st.target.name;
    case models::RunbookAction::drain_zone:
      return st.target.name.empty() ? "drain the failed zone" : "drain " + st.target.name;
  }
  return "";
}

class Explainer {
 public:
  explicit Explainer(std::ostream& out) : out_(out) {}

  void system(const System& s) {
    const auto topology = models::Topology::build(s);
    models::check_system(s, topology);
    out_ << "System " << s.name;
    if (!s.description.empty()) out_ << ": " << s.description;
    out_ << "\n";
    calendar(s);
    services(s);
    datastores(s);
    caches(s);
    slos(s);
    alerts(s);
    teams(s);
    runbooks(s);
    severity(s);
  }

  void scenario(const models::ResolvedScenario& r, const models::CompiledModel& m) {
    const auto& sc = r.scenario;
    out_ << "Scenario " << sc.name << " on system " << r.system.name;
    if (!sc.description.empty()) out_ << ": " << sc.description;
    out_ << "\n";
    out_ << "  each trial simulates " << human(m.horizon) << " from the calendar start; ";
    if (sc.until) {
      out_ << "trials run until the interval of " << sc.until->metric << " is narrow enough ("
           << sc.until->min_trials << " to " << sc.until->max_trials << " trials)";
    } else {
      out_ << sc.trials << " trials";
    }
    out_ << ", seed " << sc.seed << ".\n";
    out_ << "  random failures are " << (sc.random_failures ? "on" : "off")
         << ", random deploys are " << (sc.random_deploys ? "on" : "off") << ".\n";
    for (const auto& o : sc.overrides) {
      out_ << "  override: " << o.path << " = " << o.value << "\n";
    }
    if (sc.inject.empty()) {
      out_ << "  nothing is injected.\n";
    } else {
      out_ << "  injected faults (" << sc.inject.size() << "):\n";
      for (const auto& f : sc.inject) {
        out_ << "    at " << f.at->text;
        if (const auto t = models::resolve_time(*f.at, r.system.calendar)) {
          out_ << " (" << offset_text(*t) << " after the start)";
        }
        out_ << ": " << fault_text(f) << "\n";
      }
    }
    out_ << "\n";
  }

  static std::string fault_text(const models::Fault& f) {
    using K = models::FaultKind;
    std::string lasting = f.duration ? " for " + human(*f.duration) : "";
    switch (f.kind) {
      case K::pod_kill:
        return "kill " + mode_text(f.mode) + " of " + f.target.service.name + "'s replicas" +
               (f.interval ? ", every " + human(*f.interval) + lasting : "");
      case K::zone_outage:
        return "zone " + f.target.zone.name + " goes down" +
               (f.duration ? lasting : " until it recovers");
      case K::node_drain:
        return "drain zone " + f.target.zone.name +
               (f.target.service.name.empty() ? "" : " of " + f.target.service.name) + lasting;
      case K::datastore_failover:
        return "fail over datastore " + f.target.datastore.name +
               " (forced: no detection delay; its failover duration, then its connection errors)";
      case K::cache_failover:
        return "fail over cache " + f.target.cache.name + " (every call misses while it does)";
      case K::network_latency:
        return "add " + human(f.latency) + " to calls from " + f.target.from.name + " to " +
               f.target.to.name + lasting;
      case K::network_loss:
        return "lose " + pct(f.loss) + " of calls from " + f.target.from.name + " to " +
               f.target.to.name + lasting;
      case K::network_partition:
        return "partition " + f.target.from.name + " from " + f.target.to.name + lasting;
      case K::dependency_errors:
        return "fail " + pct(f.error_rate) + " of calls to " + f.target.service.name +
               (f.target.from.name.empty() ? "" : " from " + f.target.from.name) + lasting;
      case K::capacity_loss:
        return f.target.service.name + " loses " + pct(f.fraction) + " of its capacity" + lasting;
      case K::load_spike:
        return f.target.service.name + "'s demand is multiplied by " + num(f.factor) + lasting;
      case K::bad_deploy: {
        std::string what;
        if (f.error_rate > 0) what = "fails " + pct(f.error_rate) + " of requests";
        if (f.added_latency > sim::Duration::zero()) {
          what += (what.empty() ? "adds " : " and adds ") + human(f.added_latency);
        }
        return "a bad version of " + f.target.service.name + " that " + what +
               (f.duration ? lasting : ", until rolled back");
      }
    }
    return "";
  }

 private:
  static std::string mode_text(const models::KillMode& m) {
    using K = models::KillMode::Kind;
    switch (m.kind) {
      case K::one:
        return "one";
      case K::all:
        return "all";
      case K::fixed:
        return num(m.value);
      case K::fixed_percent:
        return pct(m.value);
      case K::random_max_percent:
        return "a random share up to " + pct(m.value);
    }
    return "";
  }

  void calendar(const System& s) {
    const auto& c = s.calendar;
    char start[64];
    std::snprintf(start, sizeof start, "%s %04d-%02d-%02d %02d:%02d",
                  models::weekday_name(c.start_weekday()), c.start.year, c.start.month, c.start.day,
                  c.start.hour, c.start.minute);
    const auto off_min = c.utc_offset.count_micros() / 60'000'000;
    char offset[32];
    std::snprintf(offset, sizeof offset, "UTC%c%02lld:%02lld", off_min < 0 ? '-' : '+',
                  static_cast<long long>(std::llabs(off_min) / 60),
                  static_cast<long long>(std::llabs(off_min) % 60));
    std::string days;
    for (int d = 0; d < 7; ++d) {
      if (c.business_hours.days[d]) {
        days += std::string(days.empty() ? "" : ",") +
                models::weekday_name(static_cast<models::Weekday>(d));
      }
    }
    out_ << "  the clock starts " << start << " (" << offset << "); business hours "
         << (days.empty() ? "none" : days) << " " << hhmm(c.business_hours.from) << "-"
         << hhmm(c.business_hours.to) << ".\n";
    out_ << "  zones (" << s.zones.size() << "): ";
    for (std::size_t i = 0; i < s.zones.size(); ++i) {
      out_ << (i ? ", " : "") << s.zones[i].name;
    }
    out_ << ".\n";
    for (const auto& z : s.zones) {
      for (const auto& f : z.failures) {
        out_ << "  zone " << z.name << " goes down every " << every(f.every);
        if (f.duration) out_ << ", for " << dist(*f.duration);
        out_ << ".\n";
      }
    }
  }

  void services(const System& s) {
    out_ << "\nServices\n";
    for (const auto& svc : s.services) {
      const int nz = static_cast<int>(svc.zones.size());
      out_ << "  " << svc.name << ": " << svc.replicas << " replica"
           << (svc.replicas == 1 ? "" : "s") << " (";
      for (int z = 0; z < nz; ++z) {
        out_ << (z ? ", " : "") << models::initial_replicas(svc.replicas, nz, z) << " in "
             << svc.zones[z].name;
      }
      out_ << "), " << num(svc.capacity_per_replica) << " req/s each ("
           << num(svc.capacity_per_replica * svc.replicas) << " req/s in all).\n";
      const auto& d = svc.demand;
      if (d.base > 0.0) {
        out_ << "    users send " << num(d.base) << " req/s";
        if (d.daily) {
          out_ << ", " << num(d.daily->peak_factor) << "x at " << hhmm(d.daily->peak) << " ("
               << num(d.base * d.daily->peak_factor) << " req/s) and "
               << num(d.daily->trough_factor) << "x at " << hhmm(d.daily->trough);
        }
        if (d.weekend_factor != 1.0) out_ << ", " << num(d.weekend_factor) << "x at weekends";
        out_ << ".\n";
      } else {
        out_ << "    no demand of its own: only its callers' requests.\n";
      }
      if (svc.latency) out_ << "    answers in " << dist(*svc.latency) << " when healthy.\n";
      for (const auto& f : svc.failures) {
        out_ << "    each replica crashes every " << every(f.every)
             << "; a replacement is ready after " << dist(svc.restart)
             << "; the load balancer notices after " << human(svc.health_check_delay) << ".\n";
      }
      out_ << "    topology spread is " << (svc.topology_spread ? "on" : "off")
           << (svc.topology_spread ? ": replacements go to the zone with the fewest replicas"
                                   : ": replacements go to the first zone that is up")
           << ".\n";
      if (svc.autoscale) {
        out_ << "    autoscales up to " << svc.autoscale->max_replicas << " replicas at "
             << pct(svc.autoscale->target_utilization) << " utilisation, "
             << human(svc.autoscale->reaction_time) << " after the load changes.\n";
      }
      if (svc.deploys) {
        const auto& dp = *svc.deploys;
        const double per_day = dp.rate * 86400.0;
        out_ << "    deploys "
             << (per_day >= 0.5 ? num(per_day) + (per_day == 1.0 ? " time a day" : " times a day")
                                : "every " + human(1.0 / dp.rate))
             << (dp.during == models::DeployWindow::business_hours ? " in business hours" : "")
             << "; " << pct(dp.change_failure_rate) << " are bad";
        if (dp.change_failure_rate > 0.0) {
          out_ << " (fail " << pct(dp.bad_deploy.error_rate) << " of requests";
          if (dp.bad_deploy.added_latency > sim::Duration::zero()) {
            out_ << ", add " << human(dp.bad_deploy.added_latency);
          }
          out_ << (dp.bad_deploy.detects_itself ? "; rolled back automatically after "
                                                : "; rolled back by a responder in ")
               << dist(dp.rollback) << ")";
        }
        out_ << ".\n";
      }
      if (svc.depends_on.empty()) {
        out_ << "    depends on nothing.\n";
      }
      for (const auto& dep : svc.depends_on) {
        out_ << "    depends on " << kind_word(dep.target_kind) << " " << dep.target.name;
        if (dep.call_fraction < 1.0) out_ << " for " << pct(dep.call_fraction) << " of requests";
        switch (dep.type) {
          case models::DependencyType::hard:
            out_ << " (hard): when it fails, " << svc.name << "'s requests fail";
            break;
          case models::DependencyType::soft:
            out_ << " (soft)";
            if (dep.timeout) out_ << ": calls give up after " << human(*dep.timeout);
            out_ << (dep.timeout ? "; " : ": ") << "when it fails, "
                 << (dep.fallback.empty() ? "the fallback" : "fallback " + dep.fallback)
                 << " serves " << pct(dep.fallback_success) << " of those requests";
            break;
          case models::DependencyType::cache: {
            const auto* c = s.find_cache(dep.target.name);
            out_ << " (cache): " << (c ? pct(c->hit_ratio) : std::string("its hit ratio"))
                 << " of calls are hits, misses go to " << (c ? c->backing.name : "its backing");
            break;
          }
        }
        if (dep.retry_attempts > 1) {
          out_ << "; a failed call is tried again, " << dep.retry_attempts << " tries in all, "
               << human(dep.retry_backoff) << " apart";
        }
        out_ << ".\n";
      }
    }
  }

  void datastores(const System& s) {
    if (s.datastores.empty()) return;
    out_ << "\nDatastores\n";
    for (const auto& ds : s.datastores) {
      out_ << "  " << ds.name << ": primary in " << ds.primary_zone.name;
      if (!ds.replica_zones.empty()) out_ << ", replicas in " << list(ds.replica_zones);
      out_ << (ds.capacity > 0 ? "; saturates above " + num(ds.capacity) + " req/s"
                               : "; no capacity limit")
           << ".\n";
      for (const auto& f : ds.failures) {
        out_ << "    the primary fails every " << every(f.every) << ".\n";
      }
      const auto& fo = ds.failover;
      if (fo.automatic) {
        out_ << "    automatic failover: noticed after " << human(fo.detect) << ", takes "
             << dist(fo.duration);
        if (fo.connection_errors > sim::Duration::zero()) {
          out_ << ", then " << human(fo.connection_errors) << " of connection errors";
          if (fo.connection_error_rate < 1.0) {
            out_ << " on " << pct(fo.connection_error_rate) << " of calls";
          }
        }
        out_ << "; every call fails during the failover.\n";
      } else {
        out_ << "    no automatic failover: down until it recovers or a runbook fails it over.\n";
      }
    }
  }

  void caches(const System& s) {
    if (s.caches.empty()) return;
    out_ << "\nCaches\n";
    for (const auto& c : s.caches) {
      out_ << "  " << c.name << ": in " << list(c.zones) << "; hit ratio " << pct(c.hit_ratio)
           << ", misses go to " << c.backing.name << ".\n";
      for (const auto& f : c.failures) {
        out_ << "    a node fails every " << every(f.every) << "; failover takes "
             << dist(c.failover.duration) << " (every call misses meanwhile)";
        if (c.failover.warm_up > sim::Duration::zero()) {
          out_ << ", then the hit ratio climbs back over " << human(c.failover.warm_up);
        }
        out_ << ".\n";
      }
    }
  }

  void slos(const System& s) {
    out_ << "\nSLOs\n";
    if (s.slos.empty()) out_ << "  none: no error budget is tracked.\n";
    for (const auto& slo : s.slos) {
      const std::string window = slo.window_kind == models::SloWindowKind::calendar_month
                                     ? "each calendar month"
                                     : "a rolling " + human(slo.window);
      out_ << "  " << slo.name << ": " << pct(slo.objective) << " of " << slo.service.name
           << "'s requests succeed";
      if (slo.sli == models::SliKind::latency && slo.threshold) {
        out_ << " within " << human(*slo.threshold);
      }
      out_ << ", over " << window << "; the error budget is " << pct(1.0 - slo.objective)
           << " of requests";
      if (slo.sli == models::SliKind::availability &&
          slo.window_kind == models::SloWindowKind::rolling) {
        out_ << " (" << human((1.0 - slo.objective) * slo.window.to_seconds())
             << " of full outage)";
      }
      out_ << ".\n";
    }
    if (!s.slos.empty()) {
      out_ << "  budget policy: ";
      for (std::size_t i = 0; i < s.budget_policy.size(); ++i) {
        const auto& t = s.budget_policy[i];
        out_ << (i ? "; " : "")
             << (t.remaining_above ? "above " + pct(*t.remaining_above) + " left"
                                   : std::string("exhausted"))
             << ": " << analysis::budget_action_text(t.action);
      }
      out_ << ".\n";
    }
  }

  /// The team an alert on `service` pages: the alert's own team, else the owner.
  std::string paged(const System& s, const models::Alert& a, const std::string& service) {
    if (!a.team.name.empty()) return a.team.name;
    const auto* t = owner_of(s, service);
    return t ? t->name + " (owner of " + service + ")" : "nobody (no team owns " + service + ")";
  }

  void alerts(const System& s) {
    out_ << "\nAlerts (evaluated every interval; pages go to on-call, tickets wait)\n";
    if (s.alerts.empty()) out_ << "  none: nobody is paged, incidents are never detected.\n";
    for (const auto& a : s.alerts) {
      if (a.kind == models::AlertKind::burn_rate) {
        const auto* slo = s.find_slo(a.slo.name);
        const std::string service = slo ? slo->service.name : "";
        out_ << "  " << a.name << ": on SLO " << a.slo.name << ", every "
             << human(a.evaluation_interval) << ":";
        for (std::size_t i = 0; i < a.burn_windows.size(); ++i) {
          const auto& w = a.burn_windows[i];
          out_ << (i ? ";" : "") << " "
               << (w.severity == models::AlertRoute::page ? "pages" : "opens a ticket") << " at "
               << num(w.factor) << "x burn over " << human(w.long_window) << " and "
               << human(w.short_window);
        }
        out_ << ". Pages go to " << paged(s, a, service) << ".\n";
      } else {
        out_ << "  " << a.name << ": "
             << (a.route == models::AlertRoute::page ? "pages " + paged(s, a, a.service.name)
                                                     : "opens a ticket")
             << " when " << a.service.name << "'s " << condition_text(a.condition);
        if (a.for_duration > sim::Duration::zero()) out_ << " for " << human(a.for_duration);
        out_ << " (checked every " << human(a.evaluation_interval) << ").\n";
      }
    }
  }

  void teams(const System& s) {
    out_ << "\nOn call\n";
    if (s.teams.empty()) out_ << "  no teams: pages reach nobody.\n";
    for (const auto& t : s.teams) {
      out_ << "  " << t.name << ": " << t.members << (t.members == 1 ? " person" : " people")
           << ", " << human(t.rotation.length) << " shifts handed over "
           << models::weekday_name(t.rotation.handoff_day) << " " << hhmm(t.rotation.handoff_time)
           << ", " << (t.secondary ? "with a secondary" : "no secondary") << "; owns "
           << (t.owns.empty() ? std::string("nothing (reached by escalation only)") : list(t.owns))
           << ".\n";
      out_ << "    acks a page in " << dist(t.ack.business_hours) << " in business hours, "
           << dist(t.ack.off_hours) << " off hours";
      if (t.respond) {
        out_ << "; starts work " << dist(t.respond->business_hours) << " after the ack";
      }
      out_ << ".\n";
      if (!t.escalation.empty()) {
        out_ << "    escalation if not acked:";
        for (std::size_t i = 0; i < t.escalation.size(); ++i) {
          const auto& e = t.escalation[i];
          out_ << (i ? "," : "") << " after " << human(e.after) << " to "
               << (e.target == models::EscalationTarget::secondary ? std::string("the secondary")
                                                                   : "team " + e.team.name);
        }
        if (t.escalation_loops > 0) {
          out_ << "; then the policy repeats " << t.escalation_loops
               << (t.escalation_loops == 1 ? " more time" : " more times");
        }
        out_ << ".\n";
      }
    }
    std::vector<std::string> unowned;
    for (const auto& svc : s.services) {
      if (!owner_of(s, svc.name)) unowned.push_back(svc.name);
    }
    if (!unowned.empty() && !s.teams.empty()) {
      out_ << "  no team owns:";
      for (std::size_t i = 0; i < unowned.size(); ++i) out_ << (i ? ", " : " ") << unowned[i];
      out_ << " (alerts on them page nobody unless they name a team).\n";
    }
  }

  void runbooks(const System& s) {
    if (s.runbooks.empty()) return;
    out_ << "\nRunbooks (after a page is acked: diagnose, then try each step in order)\n";
    for (const auto& r : s.runbooks) {
      out_ << "  " << r.service.name << ": diagnose " << dist(r.diagnose) << ";";
      for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& st = r.steps[i];
        out_ << (i ? "," : "") << " " << action_text(st);
        if (st.condition.kind == models::StepCondition::Kind::deployed_within) {
          out_ << " if deployed within " << human(st.condition.within);
        }
        out_ << " (" << dist(st.duration) << ", works " << pct(st.success) << ")";
      }
      out_ << "; resolved after " << human(r.confirm_stable) << " of stable service.\n";
    }
  }

  void severity(const System& s) {
    out_ << "\nSeverity\n";
    for (const auto& r : s.severity) {
      out_ << "  SEV-" << r.level << ": "
           << (r.when ? condition_text(*r.when) : std::string("anything else")) << "; ack "
           << (r.ack_next_business_day ? std::string("by the next business day")
               : r.ack                 ? "within " + human(*r.ack)
                                       : "no target");
      if (r.respond) out_ << ", respond within " << human(*r.respond);
      out_ << ".\n";
    }
  }

  std::ostream& out_;
};

void out_game_day(std::ostream& out, const models::ResolvedGameDay& r,
                  const models::CompiledModel& m) {
  const auto& g = r.game_day;
  out << "GameDay " << g.name << " on system " << r.system.name;
  if (!g.description.empty()) out << ": " << g.description;
  out << "\n  the experiment: " << Explainer::fault_text(g.experiment) << ", at one of "
      << m.candidate_starts.size() << " candidate start times, observed for " << human(g.observe)
      << "; " << g.trials << " trials per start, seed " << g.seed << ".\n  " << g.hypotheses.size()
      << " hypotheses and " << g.stop_conditions.size()
      << " stop conditions: `relsim plan` estimates how likely each is.\n\n";
}

/// The values `relsim import` assumed: its `# assumed:` comments, one line
/// each with the line number and the key (docs/import.md).
void out_assumed(std::ostream& out, const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> found;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::size_t at = line.find("# assumed: ");
    if (at == std::string::npos) continue;
    std::string value = line.substr(0, at);
    value.erase(0, value.find_first_not_of(" -"));
    value.erase(value.find_last_not_of(' ') + 1);
    found.push_back("  line " + std::to_string(n) + ": " + value + " (" + line.substr(at + 11) +
                    ")");
  }
  if (found.empty()) return;
  out << "\nAssumed by relsim import (" << found.size()
      << " values no source file gave; replace them with your own)\n";
  for (const std::string& f : found) out << f << "\n";
}

/// Prints the warnings of `s` to stderr, or throws them as errors with --strict.
void warn(const ExplainOptions& o, const System& s) {
  auto warnings = models::system_warnings(s, models::Topology::build(s));
  if (warnings.empty()) return;
  if (o.strict) throw models::InputError(std::move(warnings));
  for (const auto& w : warnings) std::cerr << models::warning_text(w) << '\n';
  std::cerr.flush();
}

/// The explanation as JSON: the file, the kind explained and the text's
/// lines (docs/cli.md, `relsim explain`).
std::string explain_json(const std::string& file, const std::string& kind,
                         const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  models::JsonNode root;
  root.set("file", file);
  root.set("kind", kind);
  root.set("lines", models::JsonNode::strings(lines));
  std::string out;
  root.write(out);
  return out + "\n";
}

void run_explain(const ExplainOptions& o) {
  check_output(o);
  const auto docs = models::load_files({o.file}, o.overrides);
  std::ostringstream text;
  std::string kind;
  Explainer e(text);
  if (!docs.scenarios.empty()) {
    const auto r = models::load_scenario(o.file, o.overrides);
    const auto m = models::compile(r.system, r.scenario);  // the checks `relsim run` makes
    warn(o, r.system);
    kind = "Scenario";
    e.scenario(r, m);
    e.system(r.system);
  } else if (!docs.game_days.empty()) {
    const auto r = models::load_game_day(o.file, o.overrides);
    const auto m = models::compile(r.system, r.game_day);
    warn(o, r.system);
    kind = "GameDay";
    out_game_day(text, r, m);
    e.system(r.system);
  } else if (!docs.systems.empty()) {
    const System& s = docs.systems.front();
    models::check_system(s, models::Topology::build(s));
    warn(o, s);
    kind = "System";
    e.system(s);
  } else {
    throw models::InputError({o.file, 0, 0}, "no System, Scenario or GameDay document in file");
  }
  out_assumed(text, o.file);
  emit(o, o.format == "json" ? explain_json(o.file, kind, text.str()) : text.str());
}

}  // namespace

void add_explain_command(CLI::App& app) {
  auto opts = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Say in plain words what relsim will simulate for a System, Scenario or GameDay file:\n"
      "replicas per zone, dependencies and fallbacks, failures and deploys, SLOs, alerts and\n"
      "whom they page, rotations and escalation, runbooks, and what a scenario injects when.");
  cmd->add_option("file", opts->file, "A System, Scenario or GameDay file (YAML)")->required();
  add_set_option(cmd, opts->overrides);
  cmd->add_flag("--strict", opts->strict, "Treat the model's warnings as errors (exit 1)");
  add_output_options(cmd, *opts, {"text", "json"});
  cmd->callback([opts] { run_explain(*opts); });
}

}  // namespace relsim::cli
