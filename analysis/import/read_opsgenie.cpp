// Opsgenie REST API JSON (a schedule or an escalation, bare or under
// `data`, one or a list) as relsim on-call teams: a schedule's rotations
// give the members, the shift length (length × type) and the hand-off in
// the schedule's time zone, its time restrictions the week's coverage; an
// escalation's rules give the escalation steps (Opsgenie's delays count
// from the alert, like relsim's `after`) and `repeat` the loops. Both are
// named after their owner team when they have one, so the join merges a
// team's schedule and escalation. Field table: docs/import.md.
#include <algorithm>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

class OpsgenieReader {
 public:
  OpsgenieReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void document(const YAML::Node& root) {
    const YAML::Node data = C(root, "data");
    const YAML::Node body = data.IsDefined() ? data : root;
    const std::string f = data.IsDefined() ? "data" : "";
    if (body.IsSequence()) {
      for (std::size_t i = 0; i < body.size(); ++i) {
        object(body[i], f + "[" + std::to_string(i) + "]");
      }
      return;
    }
    object(body, f);
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
    if (C(o, "rotations").IsDefined()) {
      schedule(o, f);
    } else if (C(o, "rules").IsDefined()) {
      escalation(o, f);
    } else {
      r_.warn(o, f.empty() ? "(document)" : f,
              "expected an Opsgenie schedule (rotations) or escalation (rules): skipped");
    }
  }

  static std::string ref_name(const YAML::Node& ref) {
    for (const char* key : {"name", "username", "id"}) {
      const std::string v = str(C(ref, key));
      if (!v.empty()) return v;
    }
    return "";
  }

  /// The team entry for a schedule or escalation named `own`: named after
  /// its ownerTeam when there is one, with the own name and ids as aliases.
  bool start(const YAML::Node& o, const std::string& f, const std::string& what, ImportedTeam& t) {
    const std::string own = ref_name(o);
    if (own.empty()) {
      r_.warn(o, P(f, "name"), "an Opsgenie " + what + " needs a name or an id: skipped");
      return false;
    }
    const std::string owner = ref_name(C(o, "ownerTeam"));
    t.name = owner.empty() ? own : owner;
    t.origin =
        r_.origin(owner.empty() ? (C(o, "name").IsDefined() ? C(o, "name") : o) : C(o, "ownerTeam"),
                  P(f, owner.empty() ? "name" : "ownerTeam"));
    for (const std::string& a : {own, str(C(o, "id")), str(C(C(o, "ownerTeam"), "id"))}) {
      if (a != t.name) add_unique(t.aliases, a);
    }
    return true;
  }

  void schedule(const YAML::Node& s, const std::string& f) {
    ImportedTeam t;
    if (!start(s, f, "schedule", t)) return;
    if (str(C(s, "enabled")) == "false") {
      r_.note(Level::note, C(s, "enabled"), P(f, "enabled"),
              "the schedule is disabled: read as the rotation it describes");
    }
    const YAML::Node rotations = r_.list(s, "rotations", P(f, "rotations"));
    std::vector<std::string> members;
    WeekCoverage coverage;
    bool first = true;
    for (std::size_t i = 0; rotations.IsDefined() && i < rotations.size(); ++i) {
      const std::string rf = P(f, "rotations[" + std::to_string(i) + "]");
      const YAML::Node rot = rotations[i];
      const YAML::Node parts = r_.list(rot, "participants", P(rf, "participants"));
      for (std::size_t p = 0; parts.IsDefined() && p < parts.size(); ++p) {
        const std::string type = str(C(parts[p], "type"));
        if (type == "user") {
          add_unique(members,
                     str(C(parts[p], "id")).empty() ? ref_name(parts[p]) : str(C(parts[p], "id")));
        } else if (type != "none") {
          r_.note(Level::note, parts[p], P(rf, "participants[" + std::to_string(p) + "]"),
                  "a " + (type.empty() ? std::string("untyped") : type) +
                      " participant: relsim counts people, it is not counted");
        }
      }
      const std::string type = str(C(rot, "type"));
      double unit = 0.0;
      if (type == "hourly")
        unit = 3600.0;
      else if (type == "daily")
        unit = 86400.0;
      else if (type == "weekly")
        unit = 7 * 86400.0;
      const auto length = r_.integer(rot, "length", P(rf, "length"), 1);
      if (unit == 0.0) {
        r_.warn(C(rot, "type").IsDefined() ? C(rot, "type") : rot, P(rf, "type"),
                "expected type hourly, daily or weekly, got '" + type +
                    "': the shift length is not read");
      }
      const double shift = unit * static_cast<double>(length.value_or(1));
      if (first) {
        if (unit > 0.0) {
          t.shift_s =
              Sourced<double>{shift, r_.origin(C(rot, "type"), P(rf, "type") + " × length")};
        }
        set_handoff(r_, t, C(rot, "startDate"), P(rf, "startDate"), C(s, "timezone"),
                    P(f, "timezone"));
        first = false;
      } else if (unit > 0.0 && t.shift_s && shift != t.shift_s->value) {
        r_.note(Level::note, rot, rf,
                "rotations of different lengths: relsim has one rotation per team, took the first "
                "rotation's " +
                    number_text(t.shift_s->value) + " s");
      }
      restriction(rot, rf, coverage);
    }
    if (rotations.IsDefined() && rotations.size() > 0) {
      t.coverage = Sourced<double>{coverage.fraction(), r_.origin(rotations, P(f, "rotations"))};
      if (coverage.fraction() < 1.0) {
        r_.note(Level::note, rotations, P(f, "rotations"),
                "the schedule covers " + percent_text(coverage.fraction()) +
                    " of the week; relsim's teams are on call all week (pages outside the "
                    "coverage are answered as if covered)");
      }
    } else {
      r_.warn(s, P(f, "rotations"), "a schedule without rotations: no rotation read");
    }
    if (!members.empty()) {
      t.members = Sourced<int>{static_cast<int>(members.size()),
                               r_.origin(rotations, P(f, "rotations[].participants"))};
    }
    r_.out.teams.push_back(std::move(t));
  }

  std::optional<int> clock(const YAML::Node& x, const char* hour, const char* minute,
                           const std::string& f) {
    const auto h = r_.integer(x, hour, P(f, hour), 0);
    const auto m = r_.integer(x, minute, P(f, minute), 0);
    if (!h || *h > 24) return std::nullopt;
    return static_cast<int>(*h) * 60 + static_cast<int>(m.value_or(0) % 60);
  }

  /// timeRestriction: time-of-day (every day) or weekday-and-time-of-day.
  void restriction(const YAML::Node& rot, const std::string& rf, WeekCoverage& coverage) {
    const YAML::Node tr = r_.map(rot, "timeRestriction", P(rf, "timeRestriction"));
    if (!tr.IsDefined()) {
      coverage.add_all();
      return;
    }
    const std::string tf = P(rf, "timeRestriction");
    const std::string type = str(C(tr, "type"));
    auto whole = [&](const YAML::Node& at, const std::string& field, const std::string& why) {
      r_.warn(at, field, why + ": taken to cover the whole week");
      coverage.add_all();
    };
    if (type == "time-of-day") {
      const YAML::Node x = C(tr, "restriction");
      const auto a = clock(x, "startHour", "startMin", P(tf, "restriction"));
      const auto b = clock(x, "endHour", "endMin", P(tf, "restriction"));
      if (!a || !b)
        return whole(tr, P(tf, "restriction"), "expected startHour, startMin, endHour, endMin");
      const int len = ((*b - *a) % 1440 + 1440) % 1440;
      for (int d = 0; d < 7; ++d) coverage.add(d * 1440 + *a, len == 0 ? 1440 : len);
    } else if (type == "weekday-and-time-of-day") {
      const YAML::Node list = C(tr, "restrictions");
      if (!list.IsSequence())
        return whole(tr, P(tf, "restrictions"), "expected a list of restrictions");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string xf = P(tf, "restrictions[" + std::to_string(i) + "]");
        const YAML::Node x = list[i];
        const auto d0 = parse_weekday(str(C(x, "startDay")));
        const auto d1 = parse_weekday(str(C(x, "endDay")));
        const auto a = clock(x, "startHour", "startMin", xf);
        const auto b = clock(x, "endHour", "endMin", xf);
        if (!d0 || !d1 || !a || !b) {
          whole(x, xf, "expected startDay, startHour, startMin, endDay, endHour, endMin");
          continue;
        }
        const int s = *d0 * 1440 + *a, e = *d1 * 1440 + *b;
        const int len =
            ((e - s) % WeekCoverage::kMinutes + WeekCoverage::kMinutes) % WeekCoverage::kMinutes;
        coverage.add(s, len == 0 ? WeekCoverage::kMinutes : len);
      }
    } else {
      whole(C(tr, "type").IsDefined() ? C(tr, "type") : tr, P(tf, "type"),
            "expected type time-of-day or weekday-and-time-of-day, got '" + type + "'");
    }
  }

  void escalation(const YAML::Node& o, const std::string& f) {
    ImportedTeam t;
    if (!start(o, f, "escalation", t)) return;
    const YAML::Node rules = r_.list(o, "rules", P(f, "rules"));
    struct Rule {
      double delay_s;
      std::size_t index;
    };
    std::vector<Rule> order;
    for (std::size_t i = 0; rules.IsDefined() && i < rules.size(); ++i) {
      const std::string rf = P(f, "rules[" + std::to_string(i) + "]");
      const YAML::Node delay = C(rules[i], "delay");
      const auto amount = r_.number(delay, "timeAmount", P(rf, "delay.timeAmount"));
      const std::string unit = str(C(delay, "timeUnit"));
      double scale = 60.0;  // Opsgenie's default unit: minutes
      if (unit == "hours")
        scale = 3600.0;
      else if (unit == "days")
        scale = 86400.0;
      else if (!unit.empty() && unit != "minutes") {
        r_.warn(C(delay, "timeUnit"), P(rf, "delay.timeUnit"),
                "expected minutes, hours or days, got '" + unit + "': took minutes");
      }
      if (!amount || *amount < 0) {
        if (!C(delay, "timeAmount").IsDefined()) {
          r_.warn(rules[i], P(rf, "delay"), "a rule needs delay.timeAmount: took 0 (at once)");
        }
      }
      order.push_back(Rule{std::max(0.0, amount.value_or(0.0)) * scale, i});
      const std::string cond = str(C(rules[i], "condition"));
      if (cond == "if-not-closed") {
        r_.note(Level::note, C(rules[i], "condition"), P(rf, "condition"),
                "if-not-closed read as if-not-acked: relsim escalates pages nobody acknowledged");
      }
    }
    if (order.empty()) {
      r_.warn(o, P(f, "rules"), "an escalation without rules pages no one: skipped");
      return;
    }
    // Opsgenie's delays count from the alert, so rules run in delay order.
    std::stable_sort(order.begin(), order.end(),
                     [](const Rule& a, const Rule& b) { return a.delay_s < b.delay_s; });
    const YAML::Node first = rules[order[0].index];
    const std::string ff = P(f, "rules[" + std::to_string(order[0].index) + "]");
    if (order[0].delay_s > 0) {
      r_.note(Level::note, C(first, "delay"), P(ff, "delay"),
              "the first notification waits " + number_text(order[0].delay_s) +
                  " s: relsim pages at once");
    }
    const std::string first_recipient = ref_name(C(first, "recipient"));
    for (std::size_t k = 1; k < order.size(); ++k) {
      const std::string rf = P(f, "rules[" + std::to_string(order[k].index) + "]");
      const YAML::Node rule = rules[order[k].index];
      const YAML::Node rec = C(rule, "recipient");
      const std::string type = str(C(rec, "type"));
      const std::string who = ref_name(rec);
      const std::string notify = str(C(rule, "notifyType"));
      std::string to = who;
      // The next on-call of the schedule paged first is the secondary.
      if (notify == "next" && (type == "schedule" || who == first_recipient)) {
        to = "secondary";
        t.secondary = Sourced<bool>{true, r_.origin(C(rule, "notifyType"), P(rf, "notifyType"))};
      } else if (type == "user") {
        r_.note(
            Level::note, rec, P(rf, "recipient"),
            "escalation to a person: relsim escalates to a team, named here after '" + who + "'");
      }
      if (to.empty()) {
        r_.warn(rule, P(rf, "recipient"), "a rule needs a recipient: skipped");
        continue;
      }
      t.escalation.push_back(ImportedEscalationStep{
          order[k].delay_s, to, r_.origin(rec.IsDefined() ? rec : rule, P(rf, "recipient"))});
    }
    const YAML::Node repeat = r_.map(o, "repeat", P(f, "repeat"));
    if (const auto count = r_.integer(repeat, "count", P(f, "repeat.count"), 0)) {
      t.escalation_loops = Sourced<int>{static_cast<int>(*count),
                                        r_.origin(C(repeat, "count"), P(f, "repeat.count"))};
      if (C(repeat, "waitInterval").IsDefined()) {
        r_.note(Level::note, C(repeat, "waitInterval"), P(f, "repeat.waitInterval"),
                "relsim repeats the policy as soon as its last step has passed: the wait "
                "between repeats is not kept");
      }
    }
    r_.out.teams.push_back(std::move(t));
  }
};

}  // namespace

void read_opsgenie(const SourceDocument& doc, ImportModel& out) {
  try {
    OpsgenieReader(doc, out).document(doc.root);
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "Opsgenie");
  }
}

}  // namespace relsim::analysis::import
