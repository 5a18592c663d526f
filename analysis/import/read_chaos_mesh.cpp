// Chaos Mesh resources (chaos-mesh.org/v1alpha1) as GameDay experiments:
// PodChaos (pod-kill, pod-failure, container-kill), NetworkChaos (delay,
// loss, partition), StressChaos (CPU), a Schedule of any of them (`@every`
// as the kill interval, a cron as candidate starts) and a Workflow's chaos
// templates. Pods are named by the `app` / `app.kubernetes.io/name` label of
// the selector, zones by its `topology.kubernetes.io/zone` node selector —
// the shapes `relsim plan --export chaos-mesh` writes, so its manifests read
// back to the experiment that was planned. Field table: docs/import.md.
#include <cmath>
#include <sstream>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

/// The keys under which a Schedule or a Workflow template embeds a chaos
/// spec: the kind with a lower-case first letter.
std::string embedded_key(const std::string& kind) {
  if (kind.empty()) return kind;
  std::string k = kind;
  k[0] = static_cast<char>(k[0] - 'A' + 'a');
  return k;
}

/// The same key as Chaos Mesh 1.x workflows wrote it: PodChaos -> pod_chaos.
std::string snake_key(const std::string& kind) {
  std::string k;
  for (const char c : kind) {
    if (c >= 'A' && c <= 'Z') {
      if (!k.empty()) k += '_';
      k += static_cast<char>(c - 'A' + 'a');
    } else {
      k += c;
    }
  }
  return k;
}

class ChaosMeshReader {
 public:
  ChaosMeshReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void document(const YAML::Node& root) {
    if (!root.IsMap()) {
      r_.warn(root, "(document)",
              "expected a Chaos Mesh resource (a map with kind and spec): skipped");
      return;
    }
    const std::string kind = r_.text(root, "kind", "kind").value_or("");
    const std::string name = r_.metadata_name(root, "", "a Chaos Mesh resource");
    if (name.empty()) return;
    const YAML::Node meta = C(root, "metadata");
    const Origin origin = r_.origin(C(meta, "name"), "metadata.name");
    const YAML::Node spec = r_.map(root, "spec", "spec");
    if (!spec.IsDefined()) {
      r_.warn(root, "spec", "a " + kind + " without spec: skipped");
      return;
    }
    if (kind == "Schedule") {
      schedule(name, origin, spec, "spec");
    } else if (kind == "Workflow") {
      workflow(name, spec);
    } else {
      ImportedExperiment e = start(name, origin);
      if (chaos(kind, spec, "spec", root, e)) r_.out.experiments.push_back(std::move(e));
    }
  }

 private:
  FieldReader r_;

  static YAML::Node C(const YAML::Node& n, const std::string& key) {
    return FieldReader::child(n, key);
  }
  static std::string P(const std::string& prefix, const std::string& key) {
    return FieldReader::path(prefix, key);
  }

  static ImportedExperiment start(const std::string& name, const Origin& origin) {
    ImportedExperiment e;
    e.name = name;
    e.origin = origin;
    e.source_format = "chaos-mesh";
    return e;
  }

  /// The application a selector names by label; "" (with a note) if none.
  std::string app_of(const YAML::Node& selector, const std::string& field, bool required,
                     const YAML::Node& around) {
    const YAML::Node labels = C(selector, "labelSelectors");
    const auto apps = app_labels(labels);
    if (!apps.empty()) return apps.front();
    // Another label (app.kubernetes.io/component, k8s-app, ...): its value
    // is the best name the manifest gives; said, so the user can --map it.
    if (labels.IsMap()) {
      for (const auto& kv : labels) {
        if (!kv.second.IsScalar() || kv.second.Scalar().empty()) continue;
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
        r_.note(Level::note, kv.second, P(field, "labelSelectors." + key),
                "no app or app.kubernetes.io/name label: took the value of label '" + key + "' ('" +
                    kv.second.Scalar() + "') as the service (--map " + kv.second.Scalar() +
                    "=NAME renames it)");
        return kv.second.Scalar();
      }
    }
    if (required) {
      r_.warn(selector.IsDefined() ? selector : around, field,
              "expected labelSelectors with a label naming the service (app, "
              "app.kubernetes.io/name): none, so the experiment is left out");
    }
    return "";
  }

  std::string zone_of(const YAML::Node& selector) {
    const YAML::Node ns = C(selector, "nodeSelectors");
    for (const char* key :
         {"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}) {
      const std::string z = str(C(ns, key));
      if (!z.empty()) return z;
    }
    return "";
  }

  /// selector mode/value as relsim's kill mode text.
  void mode(const YAML::Node& spec, const std::string& sf, ImportedExperiment& e) {
    const std::string m = r_.text(spec, "mode", P(sf, "mode")).value_or("");
    if (m.empty()) {
      r_.warn(spec, P(sf, "mode"),
              "expected a selector mode (one, all, fixed, fixed-percent, "
              "random-max-percent): took one");
      e.mode = "one";
      return;
    }
    if (m == "one" || m == "all") {
      e.mode = m;
      return;
    }
    const YAML::Node vn = C(spec, "value");
    const auto v = vn.IsScalar() ? parse_number(vn.Scalar()) : std::nullopt;
    if (!v || *v < 0 || (m != "fixed" && *v > 100) || *v != std::floor(*v)) {
      r_.warn(vn.IsDefined() ? vn : spec, P(sf, "value"),
              "mode " + m + " needs value, a whole number" +
                  (m == "fixed" ? std::string() : " of percent (0-100)") + ": took mode one");
      e.mode = "one";
      return;
    }
    if (m == "fixed") {
      e.mode = "{fixed: " + number_text(*v) + "}";
    } else if (m == "fixed-percent") {
      e.mode = "{fixedPercent: " + percent_text(*v / 100.0) + "}";
    } else if (m == "random-max-percent") {
      e.mode = "{randomMaxPercent: " + percent_text(*v / 100.0) + "}";
    } else {
      r_.warn(C(spec, "mode"), P(sf, "mode"), "unknown mode '" + m + "': took one");
      e.mode = "one";
    }
  }

  void duration(const YAML::Node& spec, const std::string& sf, ImportedExperiment& e) {
    if (const auto d = r_.go_duration(spec, "duration", P(sf, "duration"))) e.duration_s = *d;
  }

  /// One chaos spec of `kind` into `e`; false (with a note) when it is not
  /// an experiment relsim can run.
  bool chaos(const std::string& kind, const YAML::Node& spec, const std::string& sf,
             const YAML::Node& where, ImportedExperiment& e) {
    const YAML::Node selector = r_.map(spec, "selector", P(sf, "selector"));
    const std::string action = str(C(spec, "action"));
    if (kind == "PodChaos") {
      const std::string zone = zone_of(selector);
      const YAML::Node labels = C(selector, "labelSelectors");
      if (action == "pod-failure" && !zone.empty() && !(labels.IsMap() && labels.size() > 0)) {
        e.fault = "zoneOutage";
        e.zone = zone;
        duration(spec, sf, e);
        if (!e.duration_s) {
          r_.warn(spec, P(sf, "duration"),
                  "a pod-failure of a whole zone needs a duration: "
                  "the experiment is left out");
        }
        return true;
      }
      if (action != "pod-kill" && action != "pod-failure" && action != "container-kill") {
        r_.warn(C(spec, "action"), P(sf, "action"),
                "expected action pod-kill, pod-failure or container-kill, got '" + action +
                    "': skipped");
        return false;
      }
      if (action != "pod-kill") {
        r_.note(Level::note, C(spec, "action"), P(sf, "action"),
                action +
                    " read as podKill: relsim's killed replicas restart after the service's "
                    "restart delay, not after the chaos duration");
      }
      e.fault = "podKill";
      e.service = app_of(selector, P(sf, "selector"), true, spec);
      e.zone = zone;
      mode(spec, sf, e);
      if (action == "pod-failure") duration(spec, sf, e);
      // Chaos Mesh 1.x repeated a chaos by its own scheduler.cron.
      const YAML::Node cron = C(C(spec, "scheduler"), "cron");
      if (cron.IsDefined()) {
        const std::string when = str(cron);
        const auto every =
            when.rfind("@every ", 0) == 0 ? parse_go_duration(when.substr(7)) : std::nullopt;
        if (every && action == "pod-kill") {
          e.interval_s = *every;
        } else {
          r_.note(Level::note, cron, P(sf, "scheduler.cron"),
                  "scheduler.cron '" + when + "' (Chaos Mesh 1.x): read once");
        }
      }
      return true;
    }
    if (kind == "NetworkChaos") {
      if (action == "delay") {
        e.fault = "networkLatency";
        const YAML::Node delay = r_.map(spec, "delay", P(sf, "delay"));
        if (const auto l = r_.go_duration(delay, "latency", P(sf, "delay.latency"))) {
          e.latency_s = *l;
        } else {
          r_.warn(delay.IsDefined() ? delay : spec, P(sf, "delay.latency"),
                  "a delay needs delay.latency: the experiment is left out");
        }
        if (C(delay, "jitter").IsDefined()) {
          r_.note(Level::note, C(delay, "jitter"), P(sf, "delay.jitter"),
                  "relsim adds a fixed latency: the jitter is not kept");
        }
      } else if (action == "loss") {
        e.fault = "networkLoss";
        const YAML::Node loss = r_.map(spec, "loss", P(sf, "loss"));
        const YAML::Node ln = C(loss, "loss");
        const auto v = ln.IsScalar() ? parse_number(ln.Scalar()) : std::nullopt;
        if (v && *v >= 0 && *v <= 100) {
          e.loss = *v / 100.0;
        } else {
          r_.warn(ln.IsDefined() ? ln : spec, P(sf, "loss.loss"),
                  "expected loss.loss, a percentage 0-100: the experiment is left out");
        }
      } else if (action == "partition") {
        e.fault = "networkPartition";
      } else {
        r_.warn(C(spec, "action").IsDefined() ? C(spec, "action") : spec, P(sf, "action"),
                "expected action delay, loss or partition (relsim has no fault for '" + action +
                    "'): skipped");
        return false;
      }
      e.from = app_of(selector, P(sf, "selector"), true, spec);
      const YAML::Node target = C(spec, "target");
      e.to = app_of(C(target, "selector"), P(sf, "target.selector"), true, spec);
      const std::string direction = str(C(spec, "direction"));
      if (direction == "from") {
        std::swap(e.from, e.to);
      } else if (direction == "both") {
        r_.note(Level::note, C(spec, "direction"), P(sf, "direction"),
                "direction both: read as the selected pods' calls to the target (relsim's network "
                "faults are one-way)");
      }
      if (C(spec, "externalTargets").IsDefined()) {
        r_.note(Level::note, C(spec, "externalTargets"), P(sf, "externalTargets"),
                "external targets are outside the system: not kept");
      }
      duration(spec, sf, e);
      if (!e.duration_s) {
        r_.warn(spec, P(sf, "duration"),
                "a network fault needs a duration: the experiment is left out");
      }
      return true;
    }
    if (kind == "StressChaos") {
      const YAML::Node stressors = r_.map(spec, "stressors", P(sf, "stressors"));
      const YAML::Node cpu = C(stressors, "cpu");
      if (!cpu.IsDefined()) {
        r_.warn(stressors.IsDefined() ? stressors : spec, P(sf, "stressors"),
                "relsim reads CPU stress as lost capacity; only stressors.cpu is read (memory "
                "pressure has no capacity fraction): skipped");
        return false;
      }
      e.fault = "capacityLoss";
      e.service = app_of(selector, P(sf, "selector"), true, spec);
      const auto load = r_.number(cpu, "load", P(sf, "stressors.cpu.load"));
      if (load && *load >= 0 && *load <= 100) {
        e.fraction = *load / 100.0;
      } else {
        r_.warn(C(cpu, "load").IsDefined() ? C(cpu, "load") : cpu, P(sf, "stressors.cpu.load"),
                "expected stressors.cpu.load, a percentage 0-100: took 100% (a worker at full "
                "load)");
        e.fraction = 1.0;
      }
      duration(spec, sf, e);
      if (!e.duration_s) {
        r_.warn(spec, P(sf, "duration"),
                "a capacity loss needs a duration: the experiment is left out");
      }
      return true;
    }
    r_.warn(where, "kind",
            "relsim has no experiment for a " + (kind.empty() ? std::string("(kindless)") : kind) +
                " (it reads PodChaos, NetworkChaos, StressChaos, Schedule, Workflow): skipped");
    return false;
  }

  void schedule(const std::string& name, const Origin& origin, const YAML::Node& spec,
                const std::string& sf) {
    const std::string type = r_.text(spec, "type", P(sf, "type")).value_or("");
    const std::string key = embedded_key(type);
    const YAML::Node inner = key.empty() ? YAML::Node(YAML::NodeType::Undefined) : C(spec, key);
    if (!inner.IsDefined() || !inner.IsMap()) {
      r_.warn(spec, P(sf, type.empty() ? "type" : key),
              "a Schedule needs type and the chaos spec under its camelCase key (type: PodChaos, "
              "podChaos: {...}): skipped");
      return;
    }
    ImportedExperiment e = start(name, origin);
    if (!chaos(type, inner, P(sf, key), spec, e)) return;
    const YAML::Node sn = C(spec, "schedule");
    const std::string when = str(sn);
    if (when.rfind("@every ", 0) == 0) {
      const auto every = parse_go_duration(when.substr(7));
      if (!every) {
        r_.warn(sn, P(sf, "schedule"), "expected @every and a duration: no interval read");
      } else if (e.fault == "podKill") {
        e.interval_s = *every;
        if (!e.duration_s) {
          r_.note(Level::note, sn, P(sf, "schedule"),
                  "a Schedule repeats until it is deleted: how long the kills go on (the "
                  "experiment's duration) is not in the manifest: ten minutes is assumed");
        }
      } else {
        r_.note(Level::note, sn, P(sf, "schedule"),
                "relsim repeats only pod kills: the " + e.fault + " is read once");
      }
    } else if (!when.empty()) {
      cron_starts(when, sn, P(sf, "schedule"), e);
    } else {
      r_.warn(spec, P(sf, "schedule"), "a Schedule needs schedule (a cron or @every): read once");
    }
    r_.out.experiments.push_back(std::move(e));
  }

  /// A cron "M H * * DOW" (or @daily, @weekly, @midnight) as candidate
  /// starts "Tue 10:00"; a note for anything finer.
  void cron_starts(const std::string& cron, const YAML::Node& where, const std::string& field,
                   ImportedExperiment& e) {
    std::string spec = cron;
    if (spec == "@daily" || spec == "@midnight") spec = "0 0 * * *";
    if (spec == "@weekly") spec = "0 0 * * 0";
    std::istringstream in(spec);
    std::vector<std::string> f;
    for (std::string w; in >> w;) f.push_back(w);
    auto fail = [&]() {
      r_.note(Level::note, where, field,
              "the schedule '" + cron +
                  "' is not one start time per chosen weekday (minute hour * * weekdays): no "
                  "candidate starts read");
    };
    if (f.size() != 5 || f[2] != "*" || f[3] != "*") return fail();
    const auto minute = parse_number(f[0]);
    const auto hour = parse_number(f[1]);
    if (!minute || !hour || *minute < 0 || *minute > 59 || *hour < 0 || *hour > 23) return fail();
    std::vector<bool> day(7, false);  // Monday = 0
    auto cron_day = [](const std::string& t) -> std::optional<int> {
      if (const auto n = parse_number(t)) {
        if (*n < 0 || *n > 7 || *n != std::floor(*n)) return std::nullopt;
        return (static_cast<int>(*n) + 6) % 7;  // cron: 0 and 7 are Sunday
      }
      return parse_weekday(t);
    };
    if (f[4] == "*") {
      day.assign(7, true);
    } else {
      std::istringstream parts(f[4]);
      for (std::string part; std::getline(parts, part, ',');) {
        const auto dash = part.find('-');
        const auto a = cron_day(part.substr(0, dash));
        const auto b = dash == std::string::npos ? a : cron_day(part.substr(dash + 1));
        if (!a || !b) return fail();
        for (int d = *a;; d = (d + 1) % 7) {
          day[static_cast<std::size_t>(d)] = true;
          if (d == *b) break;
        }
      }
    }
    for (int d = 0; d < 7; ++d) {
      if (day[static_cast<std::size_t>(d)]) {
        e.candidate_starts.push_back(
            week_time(d, static_cast<int>(*hour), static_cast<int>(*minute)));
      }
    }
  }

  void workflow(const std::string& name, const YAML::Node& spec) {
    const YAML::Node templates = r_.list(spec, "templates", "spec.templates");
    if (!templates.IsDefined()) {
      r_.warn(spec, "spec.templates", "a Workflow needs templates: skipped");
      return;
    }
    bool structure = false;
    for (std::size_t i = 0; i < templates.size(); ++i) {
      const std::string tf = "spec.templates[" + std::to_string(i) + "]";
      const YAML::Node t = templates[i];
      // Chaos Mesh 1.x wrote template_type and pod_chaos; 2.x templateType
      // and podChaos.
      const bool old_keys = !C(t, "templateType").IsDefined() && C(t, "template_type").IsDefined();
      const std::string type = str(C(t, old_keys ? "template_type" : "templateType"));
      const std::string tname = str(C(t, "name"));
      if (type == "Serial" || type == "Parallel" || type == "Suspend" || type == "Task" ||
          type == "StatusCheck") {
        structure = true;
        continue;
      }
      const std::string key = old_keys ? snake_key(type) : embedded_key(type);
      const YAML::Node inner = key.empty() ? YAML::Node(YAML::NodeType::Undefined) : C(t, key);
      if (!inner.IsDefined() || !inner.IsMap()) {
        r_.warn(t, P(tf, key.empty() ? "templateType" : key),
                "a chaos template needs templateType and its spec under the camelCase key: "
                "skipped");
        continue;
      }
      const std::string ename = name + "/" + (tname.empty() ? std::to_string(i) : tname);
      const Origin eo = r_.origin(C(t, "name").IsDefined() ? C(t, "name") : t, P(tf, "name"));
      if (type == "Schedule") {
        schedule(ename, eo, inner, P(tf, key));
        continue;
      }
      ImportedExperiment e = start(ename, eo);
      // A workflow template's deadline bounds its chaos (a duration in the
      // chaos spec, read next, takes precedence).
      // (1.x: the template's duration).
      const char* bound = old_keys && !C(t, "deadline").IsDefined() ? "duration" : "deadline";
      if (const auto d = r_.go_duration(t, bound, P(tf, bound))) e.duration_s = *d;
      if (!chaos(type, inner, P(tf, key), t, e)) continue;
      r_.out.experiments.push_back(std::move(e));
    }
    if (structure) {
      r_.note(Level::note, spec, "spec.templates",
              "the Workflow's order (Serial, Parallel, Suspend) is not kept: each chaos template "
              "is one experiment, planned on its own");
    }
  }
};

}  // namespace

void read_chaos_mesh(const SourceDocument& doc, ImportModel& out) {
  try {
    ChaosMeshReader(doc, out).document(doc.root);
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "Chaos Mesh");
  }
}

}  // namespace relsim::analysis::import
