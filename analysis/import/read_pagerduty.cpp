// PagerDuty REST API JSON, as a team exports it (`GET /schedules/{id}`,
// `GET /escalation_policies/{id}`, their list forms, or a bare object), as
// relsim on-call teams: a schedule gives the rotation (members, turn length,
// hand-off in its time zone) and how much of the week its restrictions
// cover; an escalation policy gives the escalation steps (cumulative
// delays), the loops and the services the team is paged for. A policy's
// first rule names the schedule that is paged first: the team entry it
// makes carries that schedule's name and id, so the join merges it with the
// schedule's entry. Field table: docs/import.md.
#include <algorithm>
#include <cctype>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// "HH:MM[:SS]" as minutes of the day.
std::optional<int> time_of_day(const std::string& s) {
  if (s.size() < 5 || s[2] != ':') return std::nullopt;
  const auto h = parse_number(s.substr(0, 2));
  const auto m = parse_number(s.substr(3, 2));
  if (!h || !m || *h < 0 || *h > 23 || *m < 0 || *m > 59) return std::nullopt;
  return static_cast<int>(*h) * 60 + static_cast<int>(*m);
}

class PagerDutyReader {
 public:
  PagerDutyReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void document(const YAML::Node& root) {
    if (root.IsSequence()) {
      for (std::size_t i = 0; i < root.size(); ++i) object(root[i], "[" + std::to_string(i) + "]");
      return;
    }
    if (!root.IsMap()) {
      r_.warn(root, "(document)",
              "expected PagerDuty JSON (a schedule or an escalation policy): skipped");
      return;
    }
    if (C(root, "incidents").IsDefined() || C(root, "incident").IsDefined()) {
      r_.note(Level::note, root, "incidents",
              "PagerDuty incidents are history, not configuration: `relsim incidents import` "
              "reads them (the CSV export, docs/incident-data.md); skipped");
      return;
    }
    bool any = false;
    if (C(root, "service").IsDefined()) {
      service(C(root, "service"), "service");
      any = true;
    }
    if (const YAML::Node list = r_.list(root, "services", "services"); list.IsDefined()) {
      for (std::size_t i = 0; i < list.size(); ++i)
        service(list[i], "services[" + std::to_string(i) + "]");
      any = true;
    }
    for (const char* one : {"schedule", "escalation_policy"}) {
      if (C(root, one).IsDefined()) {
        object(C(root, one), one);
        any = true;
      }
    }
    for (const char* many : {"schedules", "escalation_policies"}) {
      const YAML::Node list = r_.list(root, many, many);
      for (std::size_t i = 0; list.IsDefined() && i < list.size(); ++i) {
        object(list[i], std::string(many) + "[" + std::to_string(i) + "]");
      }
      any = any || C(root, many).IsDefined();
    }
    if (!any) object(root, "");
  }

 private:
  FieldReader r_;

  static YAML::Node C(const YAML::Node& n, const std::string& key) {
    return FieldReader::child(n, key);
  }
  static std::string P(const std::string& prefix, const std::string& key) {
    return FieldReader::path(prefix, key);
  }

  void object(const YAML::Node& o, const std::string& f) {
    if (C(o, "schedule_layers").IsDefined()) {
      schedule(o, f);
    } else if (C(o, "escalation_rules").IsDefined()) {
      policy(o, f);
    } else if (str(C(o, "type")) == "service" || C(o, "escalation_policy").IsDefined()) {
      service(o, f);
    } else {
      r_.warn(o, f.empty() ? "(document)" : f,
              "expected a schedule (schedule_layers) or an escalation policy (escalation_rules): "
              "skipped");
    }
  }

  /// A reference's display name: summary, name, or its id.
  static std::string ref_name(const YAML::Node& ref) {
    for (const char* key : {"summary", "name", "id"}) {
      const std::string v = str(C(ref, key));
      if (!v.empty()) return v;
    }
    return "";
  }

  /// name and id of a schedule or policy; "" (with a note) if it has neither.
  std::string name_of(const YAML::Node& o, const std::string& f, const std::string& what) {
    const std::string name = ref_name(o);
    if (name.empty()) r_.warn(o, P(f, "name"), "a " + what + " needs a name or an id: skipped");
    return name;
  }

  void schedule(const YAML::Node& s, const std::string& f) {
    const std::string name = name_of(s, f, "schedule");
    if (name.empty()) return;
    ImportedTeam t;
    t.name = name;
    t.origin = r_.origin(C(s, "name").IsDefined() ? C(s, "name") : s, P(f, "name"));
    add_unique(t.aliases, str(C(s, "id")));
    if (t.aliases.size() == 1 && t.aliases[0] == t.name) t.aliases.clear();

    const YAML::Node layers = r_.list(s, "schedule_layers", P(f, "schedule_layers"));
    std::vector<std::string> members;
    WeekCoverage coverage;
    bool first = true;
    for (std::size_t i = 0; layers.IsDefined() && i < layers.size(); ++i) {
      const std::string lf = P(f, "schedule_layers[" + std::to_string(i) + "]");
      const YAML::Node layer = layers[i];
      const YAML::Node users = r_.list(layer, "users", P(lf, "users"));
      for (std::size_t u = 0; users.IsDefined() && u < users.size(); ++u) {
        // {"user": {"id": ..., "summary": ...}} or a bare reference.
        const YAML::Node ref = C(users[u], "user").IsDefined() ? C(users[u], "user") : users[u];
        const std::string id = str(C(ref, "id")).empty() ? ref_name(ref) : str(C(ref, "id"));
        add_unique(members, id);
      }
      const std::string turn_field = P(lf, "rotation_turn_length_seconds");
      const auto turn = r_.integer(layer, "rotation_turn_length_seconds", turn_field, 1);
      if (first) {
        if (turn) {
          t.shift_s =
              Sourced<double>{static_cast<double>(*turn),
                              r_.origin(C(layer, "rotation_turn_length_seconds"), turn_field)};
        } else if (!C(layer, "rotation_turn_length_seconds").IsDefined()) {
          r_.warn(layer, turn_field,
                  "a layer needs rotation_turn_length_seconds: the shift "
                  "length is not read");
        }
        const YAML::Node start = C(layer, "rotation_virtual_start").IsDefined()
                                     ? C(layer, "rotation_virtual_start")
                                     : C(layer, "start");
        set_handoff(r_, t, start,
                    P(lf, C(layer, "rotation_virtual_start").IsDefined() ? "rotation_virtual_start"
                                                                         : "start"),
                    C(s, "time_zone"), P(f, "time_zone"));
        first = false;
      } else if (turn && t.shift_s && static_cast<double>(*turn) != t.shift_s->value) {
        r_.note(Level::note, C(layer, "rotation_turn_length_seconds"), turn_field,
                "layers with different turn lengths: relsim has one rotation per team, took the "
                "first layer's " +
                    number_text(t.shift_s->value) + " s");
      }
      restrictions(layer, lf, coverage);
    }
    if (layers.IsDefined() && layers.size() > 0) {
      t.coverage = Sourced<double>{coverage.fraction(), r_.origin(layers, P(f, "schedule_layers"))};
      if (coverage.fraction() < 1.0) {
        r_.note(Level::note, layers, P(f, "schedule_layers"),
                "the schedule covers " + percent_text(coverage.fraction()) +
                    " of the week; relsim's teams are on call all week (pages outside the "
                    "coverage are answered as if covered)");
      }
    } else {
      r_.warn(s, P(f, "schedule_layers"), "a schedule without layers: no rotation read");
      if (!t.time_zone)
        set_handoff(r_, t, YAML::Node(YAML::NodeType::Undefined), "", C(s, "time_zone"),
                    P(f, "time_zone"));
    }
    if (!members.empty()) {
      t.members = Sourced<int>{static_cast<int>(members.size()),
                               r_.origin(layers, P(f, "schedule_layers[].users"))};
    }
    r_.out.teams.push_back(std::move(t));
  }

  /// A layer's restrictions (daily_restriction, weekly_restriction) into
  /// `coverage`; a layer without restrictions covers the whole week.
  void restrictions(const YAML::Node& layer, const std::string& lf, WeekCoverage& coverage) {
    const YAML::Node list = r_.list(layer, "restrictions", P(lf, "restrictions"));
    if (!list.IsDefined() || list.size() == 0) {
      coverage.add_all();
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string rf = P(lf, "restrictions[" + std::to_string(i) + "]");
      const YAML::Node x = list[i];
      const std::string type = str(C(x, "type"));
      const auto start = time_of_day(str(C(x, "start_time_of_day")));
      const auto length = r_.integer(x, "duration_seconds", P(rf, "duration_seconds"), 0);
      if (!start || !length) {
        r_.warn(x, rf,
                "a restriction needs start_time_of_day (HH:MM:SS) and duration_seconds: taken "
                "to cover the whole week");
        coverage.add_all();
        continue;
      }
      const int minutes = static_cast<int>(*length / 60);
      if (type == "daily_restriction") {
        for (int d = 0; d < 7; ++d) coverage.add(d * 1440 + *start, minutes);
      } else if (type == "weekly_restriction") {
        const auto day = r_.integer(x, "start_day_of_week", P(rf, "start_day_of_week"), 1);
        if (!day || *day > 7) {
          r_.warn(x, P(rf, "start_day_of_week"),
                  "a weekly restriction needs start_day_of_week 1 (Monday) to 7: taken to cover "
                  "the whole week");
          coverage.add_all();
          continue;
        }
        coverage.add(static_cast<int>(*day - 1) * 1440 + *start, minutes);
      } else {
        r_.warn(C(x, "type").IsDefined() ? C(x, "type") : x, P(rf, "type"),
                "expected daily_restriction or weekly_restriction, got '" + type +
                    "': taken to cover the whole week");
        coverage.add_all();
      }
    }
  }

  /// A service (`GET /services`): a service of that name (its id an alias,
  /// for Backstage's pagerduty.com/service-id), paged through its escalation
  /// policy: a team entry named after the policy, with the policy's id, that
  /// owns it and joins the policy's own entry when the policy was read.
  void service(const YAML::Node& s, const std::string& f) {
    if (!s.IsMap()) {
      r_.warn(s, f, "expected a PagerDuty service (an object with a name): skipped");
      return;
    }
    const std::string name = str(C(s, "name")).empty() ? str(C(s, "summary")) : str(C(s, "name"));
    if (name.empty()) {
      r_.warn(s, P(f, "name"), "a service needs a name: skipped");
      return;
    }
    ImportedService svc;
    svc.name = name;
    svc.origin = r_.origin(C(s, "name").IsDefined() ? C(s, "name") : s, P(f, "name"));
    add_unique(svc.aliases, str(C(s, "id")));
    r_.out.services.push_back(std::move(svc));
    const YAML::Node ep = C(s, "escalation_policy");
    const std::string policy = ref_name(ep);
    if (!ep.IsMap() || policy.empty()) {
      r_.note(Level::note, s, P(f, "escalation_policy"),
              "service '" + name + "' names no escalation policy: no team is paged for it here");
      return;
    }
    ImportedTeam t;
    t.name = policy;
    t.origin = r_.origin(ep, P(f, "escalation_policy"));
    add_unique(t.aliases, str(C(ep, "id")));
    t.owns.push_back(name);
    r_.out.teams.push_back(std::move(t));
    if (C(s, "status").IsDefined() && str(C(s, "status")) == "disabled") {
      r_.note(Level::note, C(s, "status"), P(f, "status"),
              "service '" + name + "' is disabled in PagerDuty: imported as any other");
    }
  }

  void policy(const YAML::Node& p, const std::string& f) {
    const std::string policy_name = name_of(p, f, "escalation policy");
    if (policy_name.empty()) return;
    const YAML::Node rules = r_.list(p, "escalation_rules", P(f, "escalation_rules"));
    if (!rules.IsDefined() || rules.size() == 0) {
      r_.warn(p, P(f, "escalation_rules"),
              "an escalation policy without rules pages no one: "
              "skipped");
      return;
    }
    ImportedTeam t;
    // The team is whoever the first rule pages: its schedule, by name and
    // id, so the schedule's own entry joins this one.
    const YAML::Node first_targets = C(rules[0], "targets");
    const YAML::Node first_target = first_targets.IsSequence() && first_targets.size() > 0
                                        ? first_targets[0]
                                        : YAML::Node(YAML::NodeType::Undefined);
    const std::string first_type = str(C(first_target, "type"));
    if (first_type.rfind("schedule", 0) == 0) {
      t.name = ref_name(first_target);
      add_unique(t.aliases, str(C(first_target, "id")));
    } else {
      t.name = policy_name;
      if (first_target.IsDefined()) {
        r_.note(Level::note, first_target, P(f, "escalation_rules[0].targets[0]"),
                "the first rule pages a " +
                    (first_type.empty() ? std::string("target") : first_type) +
                    ", not a schedule: the team is named after the policy");
      }
    }
    t.origin = r_.origin(C(p, "name").IsDefined() ? C(p, "name") : p, P(f, "name"));
    add_unique(t.aliases, policy_name);
    add_unique(t.aliases, str(C(p, "id")));
    t.aliases.erase(std::remove(t.aliases.begin(), t.aliases.end(), t.name), t.aliases.end());

    // escalation_delay_in_minutes is how long a rule waits before the next
    // one: the step for rule k comes after the sum of the delays before it.
    double after = 0.0;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const std::string rf = P(f, "escalation_rules[" + std::to_string(i) + "]");
      const YAML::Node rule = rules[i];
      const YAML::Node targets = r_.list(rule, "targets", P(rf, "targets"));
      if (i > 0) {
        if (!targets.IsDefined() || targets.size() == 0) {
          r_.warn(rule, P(rf, "targets"), "a rule without targets: skipped");
        } else {
          if (targets.size() > 1) {
            r_.note(Level::note, targets, P(rf, "targets"),
                    "several targets: relsim pages one team per step, took the first");
          }
          const YAML::Node target = targets[0];
          const std::string type = str(C(target, "type"));
          const std::string who = ref_name(target);
          std::string to = who;
          const std::string l = lower(who);
          if (l.find("secondary") != std::string::npos || l.find("backup") != std::string::npos) {
            to = "secondary";
            t.secondary = Sourced<bool>{true, r_.origin(target, P(rf, "targets[0]"))};
          } else if (type.rfind("user", 0) == 0) {
            r_.note(Level::note, target, P(rf, "targets[0]"),
                    "escalation to a person: relsim escalates to a team, named here after '" + who +
                        "'");
          }
          t.escalation.push_back(
              ImportedEscalationStep{after * 60.0, to, r_.origin(target, P(rf, "targets[0]"))});
        }
      }
      const auto delay =
          r_.number(rule, "escalation_delay_in_minutes", P(rf, "escalation_delay_in_minutes"));
      if (delay && *delay >= 0) {
        after += *delay;
      } else if (i + 1 < rules.size()) {
        r_.warn(
            rule, P(rf, "escalation_delay_in_minutes"),
            "a rule needs escalation_delay_in_minutes (how long before the next rule): took 30");
        after += 30.0;
      }
    }
    if (const auto loops = r_.integer(p, "num_loops", P(f, "num_loops"), 0)) {
      t.escalation_loops =
          Sourced<int>{static_cast<int>(*loops), r_.origin(C(p, "num_loops"), P(f, "num_loops"))};
    }
    const YAML::Node services = r_.list(p, "services", P(f, "services"));
    for (std::size_t i = 0; services.IsDefined() && i < services.size(); ++i) {
      add_unique(t.owns, ref_name(services[i]));
    }
    r_.out.teams.push_back(std::move(t));
  }
};

}  // namespace

void read_pagerduty(const SourceDocument& doc, ImportModel& out) {
  try {
    PagerDutyReader(doc, out).document(doc.root);
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "PagerDuty");
  }
}

}  // namespace relsim::analysis::import
