// Reading the operational half of a System: SLOs, the error-budget policy,
// alert rules, teams, runbooks and severity rules.
#include "models/loader_internal.hpp"

namespace relsim::models::detail {

namespace {

void read_slos(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  static const std::vector<std::pair<std::string_view, SliKind>> kSli = {
      {"availability", SliKind::availability}, {"latency", SliKind::latency}};
  for_each_item(spec, "slos", "Slo", [&](const MapReader& m) {
    Slo s;
    s.name = entity_name(m, s.location);
    m.name_ref("service", s.service);
    if (const YAML::Node v = m.get("sli"); v.IsDefined()) {
      if (auto k = read_enum(r, v, m.path("sli"), kSli, "SLI")) s.sli = *k;
    }
    if (m.fraction("objective", s.objective)) {
      if (s.objective >= 1.0) {
        m.error("objective", m.path("objective") +
                                 ": an objective of 100% leaves no error budget; use less than "
                                 "100% (e.g. 99.9%)");
      } else if (s.objective <= 0.0) {
        m.error("objective", m.path("objective") + ": the objective must be above 0%");
      }
    }
    m.duration("threshold", s.threshold, Sign::positive);
    if (s.sli == SliKind::latency && !m.has("threshold")) {
      m.error("missing required key 'threshold' in " + m.path() + " (a latency SLO needs one)");
    }
    if (s.sli == SliKind::availability && m.has("threshold")) {
      m.error("threshold", m.path("threshold") + ": 'threshold' applies to latency SLOs only");
    }
    if (const YAML::Node w = m.get("window"); w.IsDefined()) {
      if (w.IsScalar() && w.Scalar() == "calendarMonth") {
        s.window_kind = SloWindowKind::calendar_month;
      } else if (auto d = read_duration(r, w, m.path("window"), Sign::positive)) {
        s.window = *d;
      }
    }
    out.slos.push_back(std::move(s));
  });
}

void read_budget_policy(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  const YAML::Node list = spec.get("budgetPolicy");
  if (!list.IsDefined()) {
    out.budget_policy = default_budget_policy();
    return;
  }
  static const std::vector<std::pair<std::string_view, BudgetAction>> kActions = {
      {"ship", BudgetAction::ship},
      {"freeze", BudgetAction::freeze},
      {"allHands", BudgetAction::all_hands},
      {"leadershipReview", BudgetAction::leadership_review}};
  std::optional<double> previous = 2.0;  // above any fraction
  for (const auto& [item, path] : read_list(r, list, spec.path("budgetPolicy"))) {
    MapReader m(r, item, path, "BudgetTier");
    if (!m.ok()) continue;
    BudgetTier t;
    t.location = m.where();
    if (const YAML::Node v = m.get("remainingAbove"); v.IsDefined() && !v.IsNull()) {
      t.remaining_above = read_fraction(r, v, m.path("remainingAbove"));
      if (!t.remaining_above) continue;
    }
    if (const YAML::Node v = m.get("action"); v.IsDefined()) {
      if (auto a = read_enum(r, v, m.path("action"), kActions, "budget action")) t.action = *a;
    }
    if (!previous || (t.remaining_above && *t.remaining_above >= *previous)) {
      m.error(path + ": tiers must go from the highest remainingAbove down, ending with null");
    }
    previous = t.remaining_above;
    out.budget_policy.push_back(t);
  }
}

std::vector<BurnWindow> read_burn_windows(const MapReader& alert) {
  Reader& r = alert.reader();
  const YAML::Node n = alert.get("burnRate");
  if (!n.IsDefined()) return sre_workbook_burn_windows();
  if (n.IsScalar()) {
    if (n.Scalar() != "sreWorkbook") {
      alert.error("burnRate", alert.path("burnRate") + ": expected 'sreWorkbook' or a list of " +
                                  "{severity, factor, longWindow, shortWindow}, got '" +
                                  n.Scalar() + "'");
    }
    return sre_workbook_burn_windows();
  }
  static const std::vector<std::pair<std::string_view, AlertRoute>> kRoutes = {
      {"page", AlertRoute::page}, {"ticket", AlertRoute::ticket}};
  std::vector<BurnWindow> out;
  for (const auto& [item, path] : read_list(r, n, alert.path("burnRate"))) {
    MapReader m(r, item, path, "BurnWindow");
    if (!m.ok()) continue;
    BurnWindow w;
    w.location = m.where();
    if (const YAML::Node v = m.get("severity"); v.IsDefined()) {
      if (auto s = read_enum(r, v, m.path("severity"), kRoutes, "severity")) w.severity = *s;
    }
    m.number("factor", w.factor, 0.0, true);
    m.duration("longWindow", w.long_window, Sign::positive);
    // Without a short window the rule watches one window (the workbook's
    // approaches 1 to 5): both windows of the pair are the long one.
    if (m.has("shortWindow")) {
      m.duration("shortWindow", w.short_window, Sign::positive);
    } else {
      w.short_window = w.long_window;
    }
    if (m.has("longWindow") && m.has("shortWindow") && w.short_window >= w.long_window) {
      m.error("shortWindow", m.path("shortWindow") +
                                 ": the short window must be shorter than "
                                 "the long window (leave it out for a single window)");
    }
    out.push_back(w);
  }
  return out;
}

}  // namespace

void read_alerts(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  static const std::vector<std::pair<std::string_view, AlertRoute>> kRoutes = {
      {"page", AlertRoute::page}, {"ticket", AlertRoute::ticket}};
  for_each_item(spec, "alerts", "Alert", [&](const MapReader& m) {
    Alert a;
    a.name = entity_name(m, a.location);
    m.duration("evaluationInterval", a.evaluation_interval, Sign::positive);
    m.name_ref("team", a.team);
    const bool burn = m.has("slo");
    const bool threshold = m.has("service") || m.has("condition");
    if (burn && threshold) {
      m.error(m.path() +
              ": an alert has either 'slo' (burn rate) or 'service' and 'condition' "
              "(threshold), not both");
    } else if (!burn && !threshold) {
      m.error(m.path() +
              ": an alert needs 'slo' (burn rate) or 'service' and 'condition' "
              "(threshold)");
    }
    if (burn) {
      a.kind = AlertKind::burn_rate;
      m.name_ref("slo", a.slo);
      a.burn_windows = read_burn_windows(m);
      m.duration("for", a.for_duration);
      if (m.has("route")) {
        m.error("route",
                m.path("route") +
                    ": 'route' applies to threshold alerts (burn windows have a severity)");
      }
    } else if (threshold) {
      a.kind = AlertKind::threshold;
      m.name_ref("service", a.service);
      if (!m.has("service")) m.error("missing required key 'service' in " + m.path());
      if (const YAML::Node c = m.get("condition"); c.IsDefined()) {
        a.condition = read_condition(r, c, m.path("condition"));
      } else {
        m.error("missing required key 'condition' in " + m.path());
      }
      m.duration("for", a.for_duration);
      if (const YAML::Node v = m.get("route"); v.IsDefined()) {
        if (auto route = read_enum(r, v, m.path("route"), kRoutes, "route")) a.route = *route;
      }
      if (m.has("burnRate")) {
        m.error("burnRate", m.path("burnRate") + ": 'burnRate' applies to SLO alerts");
      }
    }
    out.alerts.push_back(std::move(a));
  });
}

namespace {

std::optional<ByHours> read_by_hours(const MapReader& team, std::string_view key) {
  Reader& r = team.reader();
  const YAML::Node n = team.get(key);
  if (!n.IsDefined()) return std::nullopt;
  const std::string path = team.path(key);
  const bool split = n.IsMap() && (n["businessHours"].IsDefined() || n["offHours"].IsDefined());
  if (!split) {
    auto d = read_distribution(r, n, path);
    if (!d) return std::nullopt;
    return ByHours{*d, *d};
  }
  MapReader m(r, n, path, "ByHours");
  ByHours out;
  m.distribution("businessHours", out.business_hours);
  m.distribution("offHours", out.off_hours);
  return out;
}

void read_teams(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  for_each_item(spec, "teams", "Team", [&](const MapReader& m) {
    Team t;
    t.name = entity_name(m, t.location);
    m.integer("members", t.members, 1);
    if (const YAML::Node rot = m.get("rotation"); rot.IsDefined()) {
      MapReader rm(r, rot, m.path("rotation"), "Rotation");
      rm.duration("length", t.rotation.length, Sign::positive);
      if (const YAML::Node h = rm.get("handoff"); h.IsDefined()) {
        if (auto spec_time = read_time_spec(r, h, rm.path("handoff"), false, false)) {
          t.rotation.handoff_day = spec_time->weekday;
          t.rotation.handoff_time = spec_time->time_of_day;
        }
      }
    }
    m.boolean("secondary", t.secondary);
    if (auto ack = read_by_hours(m, "ack")) t.ack = *ack;
    t.respond = read_by_hours(m, "respond");
    // The registry's default written out is no respond step, as when left out.
    const auto no_respond = defaults::fixed(defaults::kTeamRespond);
    if (t.respond && t.respond->business_hours == no_respond &&
        t.respond->off_hours == no_respond) {
      t.respond.reset();
    }
    m.integer("escalationLoops", t.escalation_loops, 0);
    if (const YAML::Node esc = m.get("escalation"); esc.IsDefined()) {
      for (const auto& [step, step_path] : read_list(r, esc, m.path("escalation"))) {
        MapReader sm(r, step, step_path, "EscalationStep");
        if (!sm.ok()) continue;
        EscalationStep e;
        e.location = sm.where();
        sm.duration("after", e.after, Sign::positive);
        if (sm.name_ref("to", e.team)) {
          if (e.team.name == "secondary") {
            e.target = EscalationTarget::secondary;
            e.team = {};
            if (!t.secondary) {
              sm.error("to", sm.path("to") + ": escalation to 'secondary', but team '" + t.name +
                                 "' has no secondary (set secondary: true)");
            }
          } else {
            e.target = EscalationTarget::team;
          }
        }
        t.escalation.push_back(e);
      }
    }
    m.name_list("owns", t.owns);
    out.teams.push_back(std::move(t));
  });
}

void read_runbooks(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  static const std::vector<std::pair<std::string_view, RunbookAction>> kActions = {
      {"rollback", RunbookAction::rollback},
      {"restart", RunbookAction::restart},
      {"scaleUp", RunbookAction::scale_up},
      {"failover", RunbookAction::failover},
      {"drainZone", RunbookAction::drain_zone}};
  for_each_item(spec, "runbooks", "Runbook", [&](const MapReader& m) {
    Runbook b;
    b.location = m.where();
    m.name_ref("for", b.service);
    b.name = b.service.name;
    m.string("name", b.name);
    m.name_list("alerts", b.alerts);
    m.distribution("diagnose", b.diagnose);
    m.duration("confirmStable", b.confirm_stable);
    const YAML::Node steps = m.get("steps");
    if (steps.IsDefined()) {
      for (const auto& [sn, sp] : read_list(r, steps, m.path("steps"))) {
        MapReader st(r, sn, sp, "RunbookStep");
        if (!st.ok()) continue;
        RunbookStep s;
        s.location = st.where();
        if (const YAML::Node a = st.get("action"); a.IsDefined()) {
          if (auto act = read_enum(r, a, st.path("action"), kActions, "runbook action")) {
            s.action = *act;
          }
        }
        if (const YAML::Node c = st.get("if"); c.IsDefined()) {
          auto text = read_string(r, c, st.path("if"));
          const std::string prefix = "deployedWithin ";
          if (text && *text == "always") {
            s.condition.kind = StepCondition::Kind::always;
          } else if (text && text->rfind(prefix, 0) == 0) {
            s.condition.kind = StepCondition::Kind::deployed_within;
            try {
              s.condition.within = sim::parse_duration(text->substr(prefix.size()));
            } catch (const sim::DurationError& e) {
              st.error("if", st.path("if") + ": " + e.what());
            }
          } else if (text) {
            st.error("if", st.path("if") + ": unknown condition '" + *text +
                               "'; expected 'always' or 'deployedWithin <duration>'");
          }
        }
        st.distribution("duration", s.duration);
        st.fraction("success", s.success);
        st.integer("to", s.to, 1);
        st.name_ref("target", s.target);
        if (s.action == RunbookAction::scale_up && !st.has("to")) {
          st.error("missing required key 'to' in " + sp +
                   " (a scaleUp step needs a replica count)");
        }
        if (s.action != RunbookAction::scale_up && st.has("to")) {
          st.error("to", st.path("to") + ": 'to' applies to scaleUp steps only");
        }
        if (s.action == RunbookAction::failover && !st.has("target")) {
          st.error("missing required key 'target' in " + sp +
                   " (a failover step names a datastore or cache)");
        }
        b.steps.push_back(std::move(s));
      }
      if (steps.IsSequence() && steps.size() == 0) {
        m.error("steps", m.path("steps") + ": a runbook needs at least one step");
      }
    }
    out.runbooks.push_back(std::move(b));
  });
}

void read_severity(const MapReader& spec, System& out) {
  Reader& r = spec.reader();
  const YAML::Node list = spec.get("severity");
  if (!list.IsDefined()) {
    out.severity = default_severity_rules();
    return;
  }
  static const std::vector<std::pair<std::string_view, int>> kLevels = {
      {"SEV-1", 1}, {"SEV-2", 2}, {"SEV-3", 3}, {"SEV-4", 4}};
  for (const auto& [item, path] : read_list(r, list, spec.path("severity"))) {
    MapReader m(r, item, path, "SeverityRule");
    if (!m.ok()) continue;
    SeverityRule s;
    s.location = m.where();
    if (const YAML::Node v = m.get("level"); v.IsDefined()) {
      if (auto level = read_enum(r, v, m.path("level"), kLevels, "severity level")) {
        s.level = *level;
        for (const auto& prev : out.severity) {
          if (prev.level == s.level)
            m.error("level", "duplicate severity level 'SEV-" + std::to_string(s.level) + "'");
        }
      }
    }
    if (const YAML::Node w = m.get("when"); w.IsDefined()) {
      s.when = read_condition(r, w, m.path("when"));
    }
    if (const YAML::Node a = m.get("ack"); a.IsDefined()) {
      if (a.IsScalar() && a.Scalar() == "nextBusinessDay") {
        s.ack_next_business_day = true;
      } else {
        s.ack = read_duration(r, a, m.path("ack"), Sign::positive);
      }
    }
    m.duration("respond", s.respond, Sign::positive);
    out.severity.push_back(std::move(s));
  }
}

}  // namespace

Condition read_condition(Reader& r, const YAML::Node& n, const std::string& path) {
  Condition c;
  MapReader m(r, n, path, "Condition");
  c.location = m.where();
  if (!m.ok() || m.keys().size() != 1) return c;
  const std::string key = m.keys()[0];
  if (key == "latency") {
    c.metric = ConditionMetric::latency;
    MapReader b(r, m.get(key), m.path(key), "LatencyBound");
    sim::Duration above;
    if (b.duration("above", above)) c.above = above.to_seconds();
    if (b.fraction("percentile", c.percentile) && (c.percentile <= 0 || c.percentile >= 1)) {
      b.error("percentile", b.path("percentile") + ": must be between 0% and 100% (exclusive)");
    }
    return c;
  }
  c.metric = key == "errorRate" ? ConditionMetric::error_rate : ConditionMetric::users_affected;
  MapReader b(r, m.get(key), m.path(key), "Bound");
  b.fraction("above", c.above);
  return c;
}

void read_operations(const MapReader& spec, System& out) {
  read_slos(spec, out);
  read_budget_policy(spec, out);
  read_alerts(spec, out);
  read_teams(spec, out);
  read_runbooks(spec, out);
  read_severity(spec, out);
}

}  // namespace relsim::models::detail
