// Reading Scenario and GameDay documents and the fault vocabulary they share.
#include <algorithm>
#include <array>

#include "models/limits.hpp"
#include "models/loader_internal.hpp"
#include "sim/time.hpp"

namespace relsim::models::detail {

namespace {

enum Field : unsigned {
  kService = 1u << 0,
  kZone = 1u << 1,
  kDatastore = 1u << 2,
  kCache = 1u << 3,
  kFrom = 1u << 4,
  kTo = 1u << 5,
  kMode = 1u << 6,
  kInterval = 1u << 7,
  kLatency = 1u << 8,
  kLoss = 1u << 9,
  kErrorRate = 1u << 10,
  kAddedLatency = 1u << 11,
  kFraction = 1u << 12,
  kFactor = 1u << 13,
  kDuration = 1u << 14,
};

struct FaultShape {
  FaultKind kind;
  std::string_view name;
  unsigned required;
  unsigned optional;
};

// Which keys each fault kind needs and accepts (docs/scenario-language.md).
constexpr std::array<FaultShape, 12> kShapes{{
    {FaultKind::pod_kill, "podKill", kService, kMode | kInterval | kDuration},
    {FaultKind::zone_outage, "zoneOutage", kZone | kDuration, 0},
    {FaultKind::node_drain, "nodeDrain", kZone, kService | kMode | kDuration},
    {FaultKind::datastore_failover, "datastoreFailover", kDatastore, kDuration},
    {FaultKind::cache_failover, "cacheFailover", kCache, kDuration},
    {FaultKind::network_latency, "networkLatency", kFrom | kTo | kLatency | kDuration, 0},
    {FaultKind::network_loss, "networkLoss", kFrom | kTo | kLoss | kDuration, 0},
    {FaultKind::network_partition, "networkPartition", kFrom | kTo | kDuration, 0},
    {FaultKind::dependency_errors, "dependencyErrors", kService | kErrorRate | kDuration, kFrom},
    {FaultKind::capacity_loss, "capacityLoss", kService | kFraction | kDuration, 0},
    {FaultKind::load_spike, "loadSpike", kService | kFactor | kDuration, 0},
    {FaultKind::bad_deploy, "badDeploy", kService, kErrorRate | kAddedLatency | kDuration},
}};

constexpr std::array<std::pair<Field, std::string_view>, 15> kFieldKeys{{
    {kService, "service"},
    {kZone, "zone"},
    {kDatastore, "datastore"},
    {kCache, "cache"},
    {kFrom, "from"},
    {kTo, "to"},
    {kMode, "mode"},
    {kInterval, "interval"},
    {kLatency, "latency"},
    {kLoss, "loss"},
    {kErrorRate, "errorRate"},
    {kAddedLatency, "addedLatency"},
    {kFraction, "fraction"},
    {kFactor, "factor"},
    {kDuration, "duration"},
}};

/// Reads a target reference given flat or under `target:`; reports both.
void read_target_ref(const MapReader& m, const MapReader* target, std::string_view key,
                     NameRef& out) {
  const bool flat = m.has(key);
  const bool nested = target && target->ok() && target->has(key);
  if (flat && nested) {
    m.error(key, m.path(key) + ": '" + std::string(key) + "' given both here and in 'target'");
  }
  if (flat) m.name_ref(key, out);
  if (nested) target->name_ref(key, out);
}

KillMode read_mode(Reader& r, const YAML::Node& n, const std::string& path) {
  KillMode mode;
  if (n.IsScalar()) {
    static const std::vector<std::pair<std::string_view, KillMode::Kind>> kModes = {
        {"one", KillMode::Kind::one}, {"all", KillMode::Kind::all}};
    if (auto k = read_enum(r, n, path, kModes, "mode")) mode.kind = *k;
    return mode;
  }
  MapReader m(r, n, path, "KillMode");
  if (!m.ok() || m.keys().size() != 1) return mode;
  const std::string key = m.keys()[0];
  if (key == "fixed") {
    mode.kind = KillMode::Kind::fixed;
    std::int64_t count = 1;
    m.integer("fixed", count, 1);
    mode.value = static_cast<double>(count);
    return mode;
  }
  mode.kind =
      key == "fixedPercent" ? KillMode::Kind::fixed_percent : KillMode::Kind::random_max_percent;
  if (m.fraction(key, mode.value) && mode.value <= 0) {
    m.error(key, m.path(key) + ": must be greater than 0%");
  }
  return mode;
}

bool is_path(const std::string& s) {
  auto ends = [&](std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return s.find('/') != std::string::npos || ends(".yaml") || ends(".yml");
}

const MetricInfo* read_metric(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = read_string(r, n, path);
  if (!s) return nullptr;
  if (const MetricInfo* m = find_game_day_metric(*s)) return m;
  std::vector<std::string> names;
  for (const auto& m : game_day_metrics()) names.emplace_back(m.name);
  std::string hint = did_you_mean(*s, names);
  if (hint.empty()) hint = "; expected one of " + list_choices(names);
  r.error(n, path, "unknown metric '" + *s + "' in " + path + hint);
  return nullptr;
}

std::optional<double> read_metric_value(Reader& r, const YAML::Node& n, const std::string& path,
                                        MetricUnit unit) {
  switch (unit) {
    case MetricUnit::duration:
      if (auto d = read_duration(r, n, path)) return d->to_seconds();
      return std::nullopt;
    case MetricUnit::fraction:
      return read_fraction(r, n, path);
    case MetricUnit::count: {
      auto v = read_number(r, n, path);
      if (v && *v < 0) {
        r.error(n, path, path + ": must not be negative");
        return std::nullopt;
      }
      return v;
    }
  }
  return std::nullopt;
}

/// Reads `percentile` into check (latencyPercentile only).
void read_percentile(const MapReader& m, const MetricInfo* metric, MetricCheck& check) {
  if (!m.has("percentile")) {
    if (metric && metric->metric == GameDayMetric::latency_percentile) {
      m.error("missing required key 'percentile' in " + m.path() + " (for latencyPercentile)");
    }
    return;
  }
  if (metric && metric->metric != GameDayMetric::latency_percentile) {
    m.error("percentile", m.path("percentile") + ": 'percentile' applies to latencyPercentile");
  }
  if (m.fraction("percentile", check.percentile) &&
      (check.percentile <= 0 || check.percentile >= 1)) {
    m.error("percentile", m.path("percentile") + ": must be between 0% and 100% (exclusive)");
  }
}

void read_system_ref(const MapReader& spec, NameRef& system, bool& is_path_out) {
  if (spec.name_ref("system", system)) is_path_out = is_path(system.name);
}

}  // namespace

Fault read_fault(Reader& r, const YAML::Node& n, const std::string& path, std::string_view object) {
  Fault f;
  MapReader m(r, n, path, object);
  f.location = m.where();
  if (!m.ok()) return f;
  const bool experiment = object == "Experiment";
  if (!experiment) {
    m.string("name", f.name);
    if (const YAML::Node at = m.get("at"); at.IsDefined()) {
      f.at = read_time_spec(r, at, m.path("at"), true, true);
    }
  }
  std::vector<std::pair<std::string_view, FaultKind>> kinds;
  for (const auto& s : kShapes) kinds.emplace_back(s.name, s.kind);
  const FaultShape* shape = nullptr;
  if (const YAML::Node k = m.get("fault"); k.IsDefined()) {
    if (auto kind = read_enum(r, k, m.path("fault"), kinds, "fault")) {
      f.kind = *kind;
      shape = &kShapes[static_cast<std::size_t>(*kind)];
    }
  }
  if (f.name.empty()) {
    f.name = std::string(to_string(f.kind)) + (f.at ? "@" + f.at->text : std::string());
  }
  std::optional<MapReader> target;
  if (const YAML::Node t = m.get("target"); t.IsDefined()) {
    target.emplace(r, t, m.path("target"), "FaultTarget");
  }
  const MapReader* tp = target ? &*target : nullptr;
  read_target_ref(m, tp, "service", f.target.service);
  read_target_ref(m, tp, "zone", f.target.zone);
  read_target_ref(m, tp, "datastore", f.target.datastore);
  read_target_ref(m, tp, "cache", f.target.cache);
  read_target_ref(m, tp, "from", f.target.from);
  read_target_ref(m, tp, "to", f.target.to);
  if (const YAML::Node v = m.get("mode"); v.IsDefined()) f.mode = read_mode(r, v, m.path("mode"));
  if (const YAML::Node v = m.get("duration"); v.IsDefined()) {
    if (!(v.IsScalar() && v.Scalar() == "untilRecovered")) {
      f.duration = read_duration(r, v, m.path("duration"), Sign::positive);
    }
  }
  m.duration("interval", f.interval, Sign::positive);
  m.duration("latency", f.latency, Sign::positive);
  m.fraction("loss", f.loss);
  m.fraction("errorRate", f.error_rate);
  m.duration("addedLatency", f.added_latency);
  m.fraction("fraction", f.fraction);
  m.number("factor", f.factor, 0.0, true);
  if (!shape) return f;

  // Which keys are present (flat or under target), against what the kind needs.
  unsigned present = 0;
  for (const auto& [bit, key] : kFieldKeys) {
    if (m.has(key) || (tp && tp->ok() && bit <= kTo && tp->has(key))) present |= bit;
  }
  const std::string kind_name(shape->name);
  for (const auto& [bit, key] : kFieldKeys) {
    if ((shape->required & bit) && !(present & bit)) {
      std::string why;
      if (bit == kDuration) why = " (write 'duration: untilRecovered' to leave it until recovery)";
      m.error("missing required key '" + std::string(key) + "' for fault " + kind_name + " in " +
              path + why);
    } else if ((present & bit) && !((shape->required | shape->optional) & bit)) {
      const YAML::Node where = m.has(key) ? m.get(key) : tp->get(key);
      r.error(where, m.path(key),
              m.path(key) + ": '" + std::string(key) + "' does not apply to fault " + kind_name);
    }
  }
  if (f.kind == FaultKind::bad_deploy && !(present & (kErrorRate | kAddedLatency))) {
    m.error(path + ": a badDeploy fault needs 'errorRate' or 'addedLatency'");
  }
  if ((present & kInterval) && f.duration == std::nullopt) {
    m.error("interval", m.path("interval") + ": 'interval' needs a 'duration' to repeat within");
  }
  if (f.interval && f.duration && f.interval->count_micros() > 0) {
    // Checked before anything runs: each repetition is an event of every trial.
    const std::int64_t repetitions = f.duration->count_micros() / f.interval->count_micros();
    if (repetitions > kMaxFaultRepetitions) {
      m.error("interval", m.path("interval") + ": " + std::to_string(repetitions) +
                              " repetitions (duration " + sim::format_duration(*f.duration) +
                              " every " + sim::format_duration(*f.interval) + "), above " +
                              std::to_string(kMaxFaultRepetitions) +
                              limit_note("repetitions of a fault"));
    }
  }
  return f;
}

Scenario read_scenario(Reader& r, const YAML::Node& doc) {
  Scenario s;
  const auto spec_reader =
      read_spec(r, doc, "ScenarioDocument", "ScenarioSpec", s.name, s.description, s.location);
  if (!spec_reader) return s;
  const MapReader& spec = *spec_reader;
  read_system_ref(spec, s.system, s.system_is_path);
  spec.duration("horizon", s.horizon, Sign::positive);
  if (const YAML::Node t = spec.get("trials"); t.IsDefined()) {
    if (t.IsScalar()) {
      if (auto v = read_integer(r, t, spec.path("trials"), 1)) {
        if (*v > kMaxTrials) {
          r.error(t, spec.path("trials"),
                  spec.path("trials") + ": " + t.Scalar() + " is above " +
                      std::to_string(kMaxTrials) + limit_note("trials"));
        } else {
          s.trials = *v;
        }
      }
    } else {
      MapReader sr(r, t, spec.path("trials"), "StoppingRule");
      StoppingRule rule;
      rule.location = sr.where();
      sr.integer("minTrials", rule.min_trials, 1);
      sr.integer("maxTrials", rule.max_trials, 1);
      if (rule.max_trials < rule.min_trials) {
        sr.error("maxTrials", sr.path("maxTrials") + ": maxTrials is below minTrials (" +
                                  std::to_string(rule.min_trials) + ")");
      }
      if (const YAML::Node u = sr.get("until"); u.IsDefined()) {
        MapReader ur(r, u, sr.path("until"), "StoppingTarget");
        ur.string("metric", rule.metric);
        double rel = 0;
        if (ur.fraction("relativeHalfWidth", rel)) rule.relative_half_width = rel;
        if (const YAML::Node a = ur.get("absoluteHalfWidth"); a.IsDefined()) {
          const std::string ap = ur.path("absoluteHalfWidth");
          std::optional<double> v;
          if (a.IsScalar() && !a.Scalar().empty() &&
              std::isalpha(static_cast<unsigned char>(a.Scalar().back()))) {
            if (auto d = read_duration(r, a, ap)) v = d->to_seconds();
          } else {
            v = read_number(r, a, ap);
          }
          rule.absolute_half_width = v;
        }
        if (ur.ok() && (ur.has("relativeHalfWidth") == ur.has("absoluteHalfWidth"))) {
          ur.error(ur.path() + ": give exactly one of 'relativeHalfWidth' or 'absoluteHalfWidth'");
        }
        for (auto w : {rule.relative_half_width, rule.absolute_half_width}) {
          if (w && *w <= 0) ur.error(ur.path() + ": the half width must be greater than 0");
        }
      }
      s.until = rule;
    }
  }
  std::int64_t seed = 1;
  if (spec.integer("seed", seed, 0)) s.seed = static_cast<std::uint64_t>(seed);
  spec.boolean("randomFailures", s.random_failures);
  spec.boolean("randomDeploys", s.random_deploys);
  if (const YAML::Node inj = spec.get("inject"); inj.IsDefined()) {
    for (const auto& [item, path] : read_list(r, inj, spec.path("inject"))) {
      s.inject.push_back(read_fault(r, item, path, "Fault"));
    }
  }
  if (const YAML::Node ov = spec.get("overrides"); ov.IsDefined()) {
    if (!ov.IsMap()) {
      spec.error("overrides", spec.path("overrides") + ": expected a mapping of path: value, got " +
                                  describe(ov));
    } else {
      for (auto it = ov.begin(); it != ov.end(); ++it) {
        s.overrides.push_back(Override{it->first.Scalar(), YAML::Dump(it->second),
                                       location_of(r.file(), it->first.Mark())});
      }
    }
  }
  return s;
}

GameDay read_game_day(Reader& r, const YAML::Node& doc) {
  GameDay g;
  const auto spec_reader =
      read_spec(r, doc, "GameDayDocument", "GameDaySpec", g.name, g.description, g.location);
  if (!spec_reader) return g;
  const MapReader& spec = *spec_reader;
  read_system_ref(spec, g.system, g.system_is_path);
  if (const YAML::Node e = spec.get("experiment"); e.IsDefined()) {
    g.experiment = read_fault(r, e, spec.path("experiment"), "Experiment");
  }
  if (const YAML::Node c = spec.get("candidateStarts"); c.IsDefined()) {
    const std::string cp = spec.path("candidateStarts");
    g.candidate_starts.location = r.where(c, cp);
    if (c.IsScalar()) {
      if (auto t = read_time_spec(r, c, cp, true, true)) g.candidate_starts.at.push_back(*t);
    } else if (c.IsSequence()) {
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (auto t = read_time_spec(r, c[i], cp + "[" + std::to_string(i) + "]", true, true)) {
          g.candidate_starts.at.push_back(*t);
        }
      }
    } else {
      MapReader w(r, c, cp, "CandidateWindow");
      CandidateWindow window;
      if (const YAML::Node v = w.get("from"); v.IsDefined()) {
        if (auto t = read_time_spec(r, v, w.path("from"), true, true)) window.from = *t;
      }
      if (const YAML::Node v = w.get("to"); v.IsDefined()) {
        if (auto t = read_time_spec(r, v, w.path("to"), true, true)) window.to = *t;
      }
      w.duration("every", window.every, Sign::positive);
      w.boolean("businessHoursOnly", window.business_hours_only);
      if (w.ok()) g.candidate_starts.window = window;
    }
  }
  if (const YAML::Node ss = spec.get("steadyState"); ss.IsDefined()) {
    MapReader m(r, ss, spec.path("steadyState"), "SteadyState");
    for (const auto& key : m.keys()) {
      const MetricInfo* info = find_game_day_metric(key);
      MapReader b(r, m.get(key), m.path(key), "MetricBound");
      MetricCheck check;
      check.metric = info->metric;
      check.metric_name = key;
      check.location = m.where(key);
      if (const YAML::Node v = b.get("below"); v.IsDefined()) {
        check.below = read_metric_value(r, v, b.path("below"), info->unit);
      }
      if (const YAML::Node v = b.get("above"); v.IsDefined()) {
        check.above = read_metric_value(r, v, b.path("above"), info->unit);
      }
      read_percentile(b, info, check);
      if (b.ok() && !b.has("below") && !b.has("above")) {
        b.error(b.path() + ": give 'below' or 'above'");
      }
      g.steady_state.push_back(check);
    }
  }
  if (const YAML::Node hs = spec.get("hypotheses"); hs.IsDefined()) {
    for (const auto& [item, path] : read_list(r, hs, spec.path("hypotheses"))) {
      MapReader m(r, item, path, "Hypothesis");
      if (!m.ok()) continue;
      Hypothesis h;
      h.location = m.where();
      m.string("name", h.name);
      h.check.location = h.location;
      const MetricInfo* info = nullptr;
      if (const YAML::Node v = m.get("metric"); v.IsDefined()) {
        info = read_metric(r, v, m.path("metric"));
        if (info) {
          h.check.metric = info->metric;
          h.check.metric_name = std::string(info->name);
          h.check.location = m.where("metric");
        }
      }
      if (m.has("within") && info && info->unit != MetricUnit::duration) {
        m.error("within", m.path("within") + ": 'within' applies to time metrics; " +
                              std::string(info->name) + " is not one (use max or min)");
      } else if (m.has("within")) {
        sim::Duration d;
        if (m.duration("within", d)) h.check.below = d.to_seconds();
      }
      if (info) {
        if (const YAML::Node v = m.get("max"); v.IsDefined()) {
          h.check.below = read_metric_value(r, v, m.path("max"), info->unit);
        }
        if (const YAML::Node v = m.get("min"); v.IsDefined()) {
          h.check.above = read_metric_value(r, v, m.path("min"), info->unit);
        }
      }
      read_percentile(m, info, h.check);
      if (m.name_ref("alert", h.alert) && info && info->metric != GameDayMetric::first_page &&
          info->metric != GameDayMetric::ack_time) {
        m.error("alert", m.path("alert") + ": 'alert' applies to firstPage and ackTime");
      }
      if (m.has("within") && m.has("max")) {
        m.error("max", m.path("max") + ": give 'within' or 'max', not both");
      }
      if (!m.has("within") && !m.has("max") && !m.has("min")) {
        m.error(path + ": a hypothesis needs 'within', 'max' or 'min'");
      }
      g.hypotheses.push_back(std::move(h));
    }
  }
  if (const YAML::Node sc = spec.get("stopConditions"); sc.IsDefined()) {
    for (const auto& [item, path] : read_list(r, sc, spec.path("stopConditions"))) {
      MapReader m(r, item, path, "StopCondition");
      if (!m.ok()) continue;
      StopCondition s;
      s.location = m.where();
      s.check.location = s.location;
      const MetricInfo* info = nullptr;
      if (const YAML::Node v = m.get("metric"); v.IsDefined()) {
        info = read_metric(r, v, m.path("metric"));
        if (info) {
          s.check.metric = info->metric;
          s.check.metric_name = std::string(info->name);
        }
      }
      if (info) {
        if (const YAML::Node v = m.get("above"); v.IsDefined()) {
          s.check.above = read_metric_value(r, v, m.path("above"), info->unit);
        }
        if (const YAML::Node v = m.get("below"); v.IsDefined()) {
          s.check.below = read_metric_value(r, v, m.path("below"), info->unit);
        }
      }
      read_percentile(m, info, s.check);
      if (!m.has("above") && !m.has("below")) {
        m.error(path + ": a stop condition needs 'above' or 'below'");
      }
      m.duration("for", s.for_duration);
      m.duration("abortLatency", s.abort_latency);
      g.stop_conditions.push_back(std::move(s));
    }
  }
  if (const YAML::Node b = spec.get("budget"); b.IsDefined()) {
    MapReader m(r, b, spec.path("budget"), "GameDayBudget");
    g.budget.location = m.where();
    m.fraction("remainingThisMonth", g.budget.remaining_this_month);
    m.name_list("slos", g.budget.slos);
  }
  spec.duration("observe", g.observe, Sign::positive);
  spec.integer("trials", g.trials, 1);
  std::int64_t seed = 1;
  if (spec.integer("seed", seed, 0)) g.seed = static_cast<std::uint64_t>(seed);
  if (spec.fraction("worstCasePercentile", g.worst_case_percentile) &&
      (g.worst_case_percentile <= 0 || g.worst_case_percentile >= 1)) {
    spec.error("worstCasePercentile",
               spec.path("worstCasePercentile") + ": must be between 0% and 100% (exclusive)");
  }
  return g;
}

}  // namespace relsim::models::detail
