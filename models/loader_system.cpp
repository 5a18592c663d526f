// Reading a System document: the envelope, the calendar and the topology
// (zones, services, datastores, caches). SLOs, alerts and people are in
// loader_operations.cpp; reference checks in resolve_system.cpp.
#include <algorithm>

#include "models/limits.hpp"
#include "models/loader.hpp"
#include "models/loader_internal.hpp"

namespace relsim::models::detail {

YAML::Node read_envelope(Reader& r, const YAML::Node& doc, std::string_view object,
                         std::string& name, std::string& description, SourceLocation& location) {
  MapReader m(r, doc, "", object);
  location = m.where();
  if (!m.ok()) return YAML::Node(YAML::NodeType::Undefined);
  if (const YAML::Node v = m.get("apiVersion"); v.IsDefined()) {
    auto s = read_string(r, v, "apiVersion");
    if (s && *s != kApiVersion) {
      r.error(v, "apiVersion",
              "unsupported apiVersion '" + *s + "' (expected '" + std::string(kApiVersion) + "')");
    }
  }
  if (const YAML::Node md = m.get("metadata"); md.IsDefined()) {
    MapReader meta(r, md, "metadata", "Metadata");
    meta.string("name", name);
    meta.string("description", description);
    if (meta.has("name")) {
      location = meta.where("name");
      if (name.empty()) meta.error("name", "metadata.name must not be empty");
    }
  }
  return m.get("spec");
}

std::optional<MapReader> read_spec(Reader& r, const YAML::Node& doc, std::string_view object,
                                   std::string_view spec_object, std::string& name,
                                   std::string& description, SourceLocation& location) {
  const YAML::Node spec = read_envelope(r, doc, object, name, description, location);
  if (!spec.IsDefined()) return std::nullopt;
  std::optional<MapReader> m(std::in_place, r, spec, "spec", spec_object);
  if (!m->ok()) return std::nullopt;
  return m;
}

namespace {

std::optional<sim::Duration> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "UTC") return sim::Duration::zero();
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  auto digit2 = [&](std::size_t at) -> int {
    if (!std::isdigit(static_cast<unsigned char>(s[at])) ||
        !std::isdigit(static_cast<unsigned char>(s[at + 1]))) {
      return -1;
    }
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
  };
  const int h = digit2(1);
  const int m = digit2(4);
  if (h < 0 || m < 0 || h > 14 || m > 59) return std::nullopt;
  const sim::Duration d = sim::Duration::hours(h) + sim::Duration::minutes(m);
  return s[0] == '-' ? -d : d;
}

/// `Mon-Fri`, `Sat,Sun`, `Mon` or a list of day names.
std::optional<std::array<bool, 7>> read_weekdays(Reader& r, const YAML::Node& n,
                                                 const std::string& path) {
  static const std::vector<std::string> kNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::vector<std::string> parts;
  if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      auto s = read_string(r, n[i], path);
      if (!s) return std::nullopt;
      parts.push_back(*s);
    }
  } else {
    auto s = read_string(r, n, path);
    if (!s) return std::nullopt;
    std::string part;
    for (char c : *s + ",") {
      if (c == ',') {
        parts.push_back(part);
        part.clear();
      } else if (c != ' ') {
        part += c;
      }
    }
  }
  std::array<bool, 7> days{};
  auto index = [&](std::string_view name) -> int {
    for (int i = 0; i < 7; ++i) {
      if (kNames[static_cast<std::size_t>(i)] == name) return i;
    }
    r.error(n, path,
            path + ": unknown day '" + std::string(name) + "'" + did_you_mean(name, kNames) +
                "; use Mon, Tue, ... Sun");
    return -1;
  };
  for (const auto& p : parts) {
    const std::size_t dash = p.find('-');
    if (dash == std::string::npos) {
      const int i = index(p);
      if (i < 0) return std::nullopt;
      days[static_cast<std::size_t>(i)] = true;
      continue;
    }
    const int a = index(p.substr(0, dash));
    const int b = index(p.substr(dash + 1));
    if (a < 0 || b < 0) return std::nullopt;
    for (int i = a;; i = (i + 1) % 7) {  // ranges may wrap: Sat-Mon
      days[static_cast<std::size_t>(i)] = true;
      if (i == b) break;
    }
  }
  return days;
}

}  // namespace

void read_calendar(const MapReader& spec, Calendar& out) {
  Reader& r = spec.reader();
  const YAML::Node n = spec.get("calendar");
  if (!n.IsDefined()) return;
  MapReader m(r, n, spec.path("calendar"), "Calendar");
  out.location = m.where();
  if (const YAML::Node v = m.get("start"); v.IsDefined()) {
    if (auto c = read_civil(r, v, m.path("start"))) out.start = *c;
  }
  if (const YAML::Node v = m.get("utcOffset"); v.IsDefined()) {
    auto s = read_string(r, v, m.path("utcOffset"));
    if (s) {
      if (auto off = parse_utc_offset(*s)) {
        out.utc_offset = *off;
      } else {
        m.error("utcOffset",
                m.path("utcOffset") + ": expected an offset like \"-05:00\", got '" + *s + "'");
      }
    }
  }
  if (const YAML::Node bh = m.get("businessHours"); bh.IsDefined()) {
    MapReader b(r, bh, m.path("businessHours"), "BusinessHours");
    if (const YAML::Node d = b.get("days"); d.IsDefined()) {
      if (auto days = read_weekdays(r, d, b.path("days"))) out.business_hours.days = *days;
    }
    b.time_of_day("from", out.business_hours.from);
    b.time_of_day("to", out.business_hours.to);
    if (out.business_hours.from == out.business_hours.to) {
      b.error(b.path() + ": business hours 'from' and 'to' are equal (an empty day)");
    }
  }
}

std::vector<FailureProcess> read_failures(const MapReader& owner, FailureType type,
                                          std::string_view owner_kind) {
  std::vector<FailureProcess> out;
  const YAML::Node list = owner.get("failures");
  if (!list.IsDefined()) return out;
  Reader& r = owner.reader();
  static const std::vector<std::pair<std::string_view, FailureType>> kTypes = {
      {"replicaCrash", FailureType::replica_crash},
      {"zoneOutage", FailureType::zone_outage},
      {"primaryFailure", FailureType::primary_failure},
      {"nodeFailure", FailureType::node_failure},
  };
  for (const auto& [item, path] : read_list(r, list, owner.path("failures"))) {
    MapReader m(r, item, path, "Failure");
    if (!m.ok()) continue;
    FailureProcess f;
    f.type = type;
    f.location = m.where();
    if (const YAML::Node t = m.get("type"); t.IsDefined()) {
      auto v = read_enum(r, t, m.path("type"), kTypes, "failure type");
      if (v && *v != type) {
        m.error("type", "failure type '" + std::string(to_string(*v)) + "' does not apply to a " +
                            std::string(owner_kind) + " (use '" + to_string(type) + "')");
      }
    }
    m.distribution("every", f.every);
    m.distribution("duration", f.duration);
    if (type == FailureType::zone_outage && !m.has("duration")) {
      m.error("missing required key 'duration' in " + path + " (how long a zone outage lasts)");
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string entity_name(const MapReader& m, SourceLocation& location) {
  std::string name;
  m.string("name", name);
  location = m.has("name") ? m.where("name") : m.where();
  if (m.has("name") && name.empty()) m.error("name", m.path("name") + ": must not be empty");
  return name;
}

namespace {

void read_zones(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  const YAML::Node list = spec.get("zones");
  if (!list.IsDefined()) return;
  for (const auto& [item, path] : read_list(r, list, spec.path("zones"))) {
    Zone z;
    if (item.IsScalar()) {
      if (auto ref = read_name_ref(r, item, path)) {
        z.name = ref->name;
        z.location = ref->location;
        out.zones.push_back(std::move(z));
      }
      continue;
    }
    MapReader m(r, item, path, "Zone");
    if (!m.ok()) continue;
    z.name = entity_name(m, z.location);
    m.string("region", z.region);
    z.failures = read_failures(m, FailureType::zone_outage, "zone");
    out.zones.push_back(std::move(z));
  }
  if (out.zones.empty() && list.IsSequence()) {
    r.error(list, spec.path("zones"), spec.path("zones") + ": a system needs at least one zone");
  }
}

void read_demand(const MapReader& svc, Demand& out) {
  Reader& r = svc.reader();
  const YAML::Node n = svc.get("demand");
  if (!n.IsDefined()) return;
  if (n.IsScalar()) {
    if (auto v = read_number(r, n, svc.path("demand"))) {
      if (*v < 0) {
        svc.error("demand", svc.path("demand") + ": must not be negative");
      } else if (!(*v <= kMaxRequestRate)) {
        svc.error("demand", svc.path("demand") + ": " + n.Scalar() + " requests/s is above 1e9" +
                                limit_note("requests per second"));
      } else {
        out.base = *v;
      }
    }
    return;
  }
  MapReader m(r, n, svc.path("demand"), "Demand");
  m.number("base", out.base, 0.0);
  m.number("weekendFactor", out.weekend_factor, 0.0);
  if (const YAML::Node d = m.get("daily"); d.IsDefined()) {
    MapReader p(r, d, m.path("daily"), "DailyProfile");
    DailyProfile profile;
    p.time_of_day("peak", profile.peak);
    p.number("peakFactor", profile.peak_factor, 0.0);
    p.time_of_day("trough", profile.trough);
    p.number("troughFactor", profile.trough_factor, 0.0);
    if (p.ok() && p.has("peak") && p.has("trough") && profile.peak == profile.trough) {
      p.error("trough", p.path("trough") + ": the trough must be at another time than the peak");
    }
    out.daily = profile;
  }
}

Dependency read_dependency(Reader& r, const YAML::Node& item, const std::string& path) {
  Dependency d;
  MapReader m(r, item, path, "Dependency");
  d.location = m.where();
  if (!m.ok()) return d;
  int targets = 0;
  for (auto [key, kind] : {std::pair{"service", ComponentKind::service},
                           {"datastore", ComponentKind::datastore},
                           {"cache", ComponentKind::cache}}) {
    if (m.has(key)) {
      ++targets;
      d.target_kind = kind;
      m.name_ref(key, d.target);
    }
  }
  if (targets != 1) {
    m.error(path + ": give exactly one of 'service', 'datastore' or 'cache'");
  }
  d.type = d.target_kind == ComponentKind::cache ? DependencyType::cache : DependencyType::hard;
  if (const YAML::Node t = m.get("type"); t.IsDefined()) {
    static const std::vector<std::pair<std::string_view, DependencyType>> kTypes = {
        {"hard", DependencyType::hard},
        {"soft", DependencyType::soft},
        {"cache", DependencyType::cache}};
    if (auto v = read_enum(r, t, m.path("type"), kTypes, "dependency type")) {
      d.type = *v;
      if (d.type == DependencyType::cache && d.target_kind != ComponentKind::cache) {
        m.error("type", m.path("type") + ": type 'cache' needs a cache (write 'cache: <name>')");
      }
    }
  }
  m.duration("timeout", d.timeout, Sign::positive);
  m.string("fallback", d.fallback);
  m.fraction("fallbackSuccess", d.fallback_success);
  m.fraction("callFraction", d.call_fraction);
  if (const YAML::Node rt = m.get("retry"); rt.IsDefined()) {
    if (d.type == DependencyType::cache) {
      m.error("retry", m.path("retry") +
                           ": 'retry' applies to hard and soft dependencies (a cache's misses "
                           "already go to its backing store)");
    } else {
      MapReader rm(r, rt, m.path("retry"), "Retry");
      if (rm.ok()) {
        d.retry_backoff = defaults::kRetryBackoff;
        if (rm.integer("attempts", d.retry_attempts, 1) && d.retry_attempts > 10) {
          rm.error("attempts", rm.path("attempts") + ": at most 10 attempts (got " +
                                   std::to_string(d.retry_attempts) + ")");
        }
        rm.duration("backoff", d.retry_backoff);
      }
    }
  }
  if (d.type != DependencyType::soft) {
    for (const char* key : {"fallback", "fallbackSuccess"}) {
      if (m.has(key)) {
        m.error(key,
                m.path(key) + ": '" + key + "' applies to soft dependencies only (type: soft)");
      }
    }
  }
  return d;
}

void read_services(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  for_each_item(spec, "services", "Service", [&](const MapReader& m) {
    Service s;
    s.name = entity_name(m, s.location);
    m.integer("replicas", s.replicas, 1);
    if (m.name_list("zones", s.zones) && s.zones.empty()) {
      m.error("zones", "service '" + s.name + "' has " + std::to_string(s.replicas) +
                           " replicas in no zone (" + m.path("zones") + " is empty)");
    }
    m.boolean("topologySpread", s.topology_spread);
    static const std::vector<std::pair<std::string_view, LoadBalancing>> kBalancing = {
        {"crossZone", LoadBalancing::cross_zone}, {"zoneLocal", LoadBalancing::zone_local}};
    if (const YAML::Node lb = m.get("loadBalancing"); lb.IsDefined()) {
      if (auto v = read_enum(r, lb, m.path("loadBalancing"), kBalancing, "load balancing")) {
        s.load_balancing = *v;
      }
    }
    m.integer("zoneRoom", s.zone_room, 1);
    m.number("capacityPerReplica", s.capacity_per_replica, 0.0, true);
    read_demand(m, s.demand);
    m.distribution("latency", s.latency);
    m.distribution("restart", s.restart);
    m.duration("healthCheckDelay", s.health_check_delay);
    if (const YAML::Node a = m.get("autoscale"); a.IsDefined()) {
      MapReader am(r, a, m.path("autoscale"), "Autoscale");
      Autoscale as;
      as.min_replicas = s.replicas;
      am.integer("minReplicas", as.min_replicas, 1);
      const bool has_max = am.integer("maxReplicas", as.max_replicas, 1);
      am.fraction("targetUtilization", as.target_utilization);
      am.duration("reactionTime", as.reaction_time);
      if (has_max && as.max_replicas < std::max(s.replicas, as.min_replicas)) {
        am.error("maxReplicas", am.path("maxReplicas") + ": maxReplicas (" +
                                    std::to_string(as.max_replicas) +
                                    ") is below the replicas it starts with (" +
                                    std::to_string(std::max(s.replicas, as.min_replicas)) + ")");
      }
      if (am.has("targetUtilization") && as.target_utilization <= 0) {
        am.error("targetUtilization", am.path("targetUtilization") + ": must be greater than 0%");
      }
      s.autoscale = as;
    }
    s.failures = read_failures(m, FailureType::replica_crash, "service");
    if (const YAML::Node dn = m.get("deploys"); dn.IsDefined()) {
      MapReader dm(r, dn, m.path("deploys"), "Deploys");
      Deploys d;
      d.location = dm.where();
      dm.rate("rate", d.rate);
      static const std::vector<std::pair<std::string_view, DeployWindow>> kDuring = {
          {"always", DeployWindow::always}, {"businessHours", DeployWindow::business_hours}};
      if (const YAML::Node w = dm.get("during"); w.IsDefined()) {
        if (auto v = read_enum(r, w, dm.path("during"), kDuring, "deploy window")) d.during = *v;
      }
      dm.fraction("changeFailureRate", d.change_failure_rate);
      if (const YAML::Node b = dm.get("badDeploy"); b.IsDefined()) {
        MapReader bm(r, b, dm.path("badDeploy"), "BadDeploy");
        bm.fraction("errorRate", d.bad_deploy.error_rate);
        bm.duration("addedLatency", d.bad_deploy.added_latency);
        bm.boolean("detectsItself", d.bad_deploy.detects_itself);
      }
      dm.distribution("rollback", d.rollback);
      s.deploys = d;
    }
    if (const YAML::Node deps = m.get("dependsOn"); deps.IsDefined()) {
      for (const auto& [dep, dep_path] : read_list(r, deps, m.path("dependsOn"))) {
        s.depends_on.push_back(read_dependency(r, dep, dep_path));
      }
    }
    out.services.push_back(std::move(s));
  });
}

void read_datastores(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  for_each_item(spec, "datastores", "Datastore", [&](const MapReader& m) {
    Datastore d;
    d.name = entity_name(m, d.location);
    m.name_ref("primaryZone", d.primary_zone);
    m.name_list("replicaZones", d.replica_zones);
    m.number("capacity", d.capacity, 0.0);
    m.distribution("latency", d.latency);
    if (const YAML::Node f = m.get("failover"); f.IsDefined()) {
      MapReader fm(r, f, m.path("failover"), "DatastoreFailover");
      fm.boolean("automatic", d.failover.automatic);
      fm.duration("detect", d.failover.detect);
      fm.distribution("duration", d.failover.duration);
      fm.duration("connectionErrors", d.failover.connection_errors);
      fm.fraction("connectionErrorRate", d.failover.connection_error_rate);
    }
    d.failures = read_failures(m, FailureType::primary_failure, "datastore");
    out.datastores.push_back(std::move(d));
  });
}

void read_caches(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  for_each_item(spec, "caches", "Cache", [&](const MapReader& m) {
    Cache c;
    c.name = entity_name(m, c.location);
    m.fraction("hitRatio", c.hit_ratio);
    m.name_ref("backing", c.backing);
    if (m.name_list("zones", c.zones) && c.zones.empty()) {
      m.error("zones", "cache '" + c.name + "' has no zones (" + m.path("zones") + " is empty)");
    }
    m.number("capacity", c.capacity, 0.0);
    if (const YAML::Node f = m.get("failover"); f.IsDefined()) {
      MapReader fm(r, f, m.path("failover"), "CacheFailover");
      fm.distribution("duration", c.failover.duration);
      fm.duration("warmUp", c.failover.warm_up);
    }
    c.failures = read_failures(m, FailureType::node_failure, "cache");
    out.caches.push_back(std::move(c));
  });
}

}  // namespace

void read_topology(const MapReader& spec, System& out) {
  read_zones(spec, out);
  read_services(spec, out);
  read_datastores(spec, out);
  read_caches(spec, out);
}

System read_system(Reader& r, const YAML::Node& doc) {
  System s;
  const auto m =
      read_spec(r, doc, "SystemDocument", "SystemSpec", s.name, s.description, s.location);
  if (!m) return s;
  read_calendar(*m, s.calendar);
  read_topology(*m, s);
  read_operations(*m, s);
  return s;
}

}  // namespace relsim::models::detail
