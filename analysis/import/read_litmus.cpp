// LitmusChaos ChaosEngine (litmuschaos.io/v1alpha1) as GameDay experiments:
// each of `spec.experiments[]` that relsim can run (pod-delete,
// container-kill, pod-network-latency, pod-network-loss,
// pod-network-partition, pod-cpu-hog, node-drain), its tunables read from
// `spec.components.env` with the hub's documented defaults, the target
// service from `spec.appinfo.applabel`, and its probes listed by name. What
// `relsim plan --export litmus` writes reads back to the planned experiment.
// Field table: docs/import.md.
#include <cmath>
#include <map>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

/// One env entry of an experiment: its value and node.
struct EnvValue {
  std::string value;
  YAML::Node node;
  std::string field;
};

class LitmusReader {
 public:
  LitmusReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void document(const YAML::Node& root) {
    if (!root.IsMap()) {
      r_.warn(root, "(document)", "expected a ChaosEngine (a map with kind and spec): skipped");
      return;
    }
    const std::string kind = r_.text(root, "kind", "kind").value_or("");
    if (kind != "ChaosEngine") {
      r_.warn(C(root, "kind").IsDefined() ? C(root, "kind") : root, "kind",
              "relsim reads a Litmus ChaosEngine (the experiment it runs), not a " +
                  (kind.empty() ? std::string("kindless document") : kind) + ": skipped");
      return;
    }
    const std::string name = r_.metadata_name(root, "", "a ChaosEngine");
    if (name.empty()) return;
    const YAML::Node meta = C(root, "metadata");
    const YAML::Node spec = r_.map(root, "spec", "spec");
    if (str(C(spec, "engineState")) == "stop") {
      r_.note(Level::note, C(spec, "engineState"), "spec.engineState",
              "the engine is stopped (engineState: stop): read as the experiment it would run");
    }
    std::string service;
    const YAML::Node appinfo = r_.map(spec, "appinfo", "spec.appinfo");
    if (const auto label = r_.text(appinfo, "applabel", "spec.appinfo.applabel")) {
      const auto eq = label->find('=');
      const std::string key = eq == std::string::npos ? "" : label->substr(0, eq);
      if (eq == std::string::npos || label->find(',') != std::string::npos) {
        r_.warn(C(appinfo, "applabel"), "spec.appinfo.applabel",
                label->empty()
                    ? "applabel is empty (the chart's template): no target service, so the "
                      "experiment is left out (set app=NAME)"
                    : "expected one label, key=value (app=checkout): no target service, so the "
                      "experiment is left out");
      } else {
        service = label->substr(eq + 1);
        if (key != "app" && key != "app.kubernetes.io/name") {
          r_.note(Level::note, C(appinfo, "applabel"), "spec.appinfo.applabel",
                  "the label " + key + " is taken to name the service: '" + service + "'");
        }
      }
    }
    const YAML::Node experiments = r_.list(spec, "experiments", "spec.experiments");
    if (!experiments.IsDefined() || experiments.size() == 0) {
      r_.warn(spec.IsDefined() ? spec : root, "spec.experiments",
              "a ChaosEngine needs experiments[] (the hub experiment to run): skipped");
      return;
    }
    for (std::size_t i = 0; i < experiments.size(); ++i) {
      const std::string ef = "spec.experiments[" + std::to_string(i) + "]";
      const YAML::Node x = experiments[i];
      const auto xname = r_.text(x, "name", ef + ".name");
      if (!xname || xname->empty()) {
        r_.warn(x, ef + ".name", "an experiment needs name (a hub experiment): skipped");
        continue;
      }
      ImportedExperiment e;
      e.name = experiments.size() == 1 ? name : name + "/" + *xname;
      e.origin = r_.origin(C(x, "name"), ef + ".name");
      e.source_format = "litmus";
      if (!experiment(*xname, x, ef, service, e)) continue;
      probes(x, ef, e);
      r_.out.experiments.push_back(std::move(e));
    }
  }

 private:
  FieldReader r_;

  static YAML::Node C(const YAML::Node& n, const std::string& key) {
    return FieldReader::child(n, key);
  }

  std::map<std::string, EnvValue> env_of(const YAML::Node& x, const std::string& ef) {
    std::map<std::string, EnvValue> env;
    const std::string lf = ef + ".spec.components.env";
    const YAML::Node list = C(C(C(x, "spec"), "components"), "env");
    if (!list.IsDefined()) return env;
    if (!list.IsSequence()) {
      r_.warn(list, lf, "expected a list of {name, value}: the experiment's defaults are used");
      return env;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string f = lf + "[" + std::to_string(i) + "]";
      const auto n = r_.text(list[i], "name", f + ".name");
      const auto v = r_.text(list[i], "value", f + ".value");
      if (!n || !v) {
        r_.warn(list[i], f, "expected name and value: skipped");
        continue;
      }
      // value: '' (the hub's engine templates) is unset: the default applies.
      if (v->empty()) continue;
      env[*n] = EnvValue{*v, C(list[i], "value"), f + ".value (" + *n + ")"};
    }
    return env;
  }

  /// A numeric env value at least 0, or `fallback` (with a note when the
  /// value was given but is not a number, or when `announce` the default).
  double env_number(const std::map<std::string, EnvValue>& env, const std::string& key,
                    double fallback, const YAML::Node& x, const std::string& ef,
                    bool announce = false) {
    const auto it = env.find(key);
    if (it == env.end()) {
      if (announce) {
        r_.note(Level::note, x, ef,
                key + " not set: took the hub experiment's default " + number_text(fallback));
      }
      return fallback;
    }
    const auto v = parse_number(it->second.value);
    if (!v || *v < 0) {
      r_.warn(it->second.node, it->second.field,
              "expected a non-negative number, got '" + it->second.value + "': took the default " +
                  number_text(fallback));
      return fallback;
    }
    return *v;
  }

  /// The first of DESTINATION_HOSTS as a service name (its first DNS label).
  std::string destination(const std::map<std::string, EnvValue>& env, const YAML::Node& x,
                          const std::string& ef) {
    const auto it = env.find("DESTINATION_HOSTS");
    if (it == env.end() || it->second.value.empty()) {
      r_.warn(x, ef + ".spec.components.env",
              "no DESTINATION_HOSTS: the network fault hits every call, relsim needs the callee; "
              "the experiment is left out");
      return "";
    }
    std::string host = it->second.value;
    const auto comma = host.find(',');
    if (comma != std::string::npos) {
      r_.note(Level::note, it->second.node, it->second.field,
              "several destinations: took the first, '" + host.substr(0, comma) + "'");
      host = host.substr(0, comma);
    }
    return host.substr(0, host.find('.'));
  }

  bool experiment(const std::string& xname, const YAML::Node& x, const std::string& ef,
                  const std::string& service, ImportedExperiment& e) {
    const auto env = env_of(x, ef);
    const bool network = xname.rfind("pod-network-", 0) == 0;
    // The hub's documented defaults: pod-delete 15 s every 5 s, the others 60 s.
    const double total = env_number(env, "TOTAL_CHAOS_DURATION",
                                    xname == "pod-delete" ? 15.0 : 60.0, x, ef + ".name", true);
    if (xname == "pod-delete" || xname == "container-kill") {
      e.fault = "podKill";
      e.service = service;
      if (xname == "container-kill") {
        r_.note(Level::note, C(x, "name"), ef + ".name",
                "container-kill read as podKill: relsim restarts the replica after the service's "
                "restart delay");
      }
      e.duration_s = total;
      const double interval = env_number(env, "CHAOS_INTERVAL", 5.0, x, ef + ".name", true);
      // An interval as long as the chaos is one kill.
      if (interval > 0 && interval < total) e.interval_s = interval;
      const double percent = env_number(env, "PODS_AFFECTED_PERC", 0.0, x, ef + ".name");
      const auto random = env.find("RANDOMNESS");
      const bool randomness = random != env.end() && random->second.value == "true";
      if (percent > 100) {
        const auto& v = env.at("PODS_AFFECTED_PERC");
        r_.warn(v.node, v.field, "a percentage above 100: took all pods");
        e.mode = "all";
      } else if (percent == 0) {
        e.mode = "one";  // Litmus: 0 means one pod
      } else if (randomness) {
        e.mode = "{randomMaxPercent: " + percent_text(percent / 100.0) + "}";
      } else if (percent == 100) {
        e.mode = "all";
      } else {
        e.mode = "{fixedPercent: " + percent_text(percent / 100.0) + "}";
      }
      return true;
    }
    if (network) {
      const std::string kind = xname.substr(12);
      if (kind != "latency" && kind != "loss" && kind != "partition") {
        r_.warn(C(x, "name"), ef + ".name",
                "relsim has no fault for " + xname +
                    " (it reads pod-network-latency, -loss and -partition): skipped");
        return false;
      }
      e.from = service;
      if (service.empty()) {
        r_.warn(x, ef,
                "a network experiment needs spec.appinfo.applabel (the caller): the "
                "experiment is left out");
      }
      e.to = destination(env, x, ef);
      e.duration_s = total;
      if (kind == "latency") {
        e.fault = "networkLatency";
        e.latency_s = env_number(env, "NETWORK_LATENCY", 2000.0, x, ef + ".name", true) / 1000.0;
      } else if (kind == "partition") {
        e.fault = "networkPartition";
      } else {
        const double pct =
            env_number(env, "NETWORK_PACKET_LOSS_PERCENTAGE", 100.0, x, ef + ".name", true);
        // Losing every packet is a partition (and what relsim exports one as).
        if (pct >= 100) {
          e.fault = "networkPartition";
        } else {
          e.fault = "networkLoss";
          e.loss = pct / 100.0;
        }
      }
      return true;
    }
    if (xname == "pod-cpu-hog") {
      e.fault = "capacityLoss";
      e.service = service;
      e.duration_s = total;
      const double load = env_number(env, "CPU_LOAD", 100.0, x, ef + ".name", true);
      e.fraction = std::min(load, 100.0) / 100.0;
      return true;
    }
    if (xname == "node-drain") {
      e.fault = "nodeDrain";
      e.service = service;
      e.duration_s = total;
      const auto it = env.find("TARGET_NODE");
      // relsim's export names the node NODE-IN-<zone>: the drain of a zone.
      if (it != env.end() && it->second.value.rfind("NODE-IN-", 0) == 0) {
        e.zone = it->second.value.substr(8);
      } else if (it != env.end()) {
        r_.note(Level::note, it->second.node, it->second.field,
                "TARGET_NODE names a node, relsim drains a zone: the zone is left for you to fill "
                "in");
      }
      return true;
    }
    r_.warn(C(x, "name"), ef + ".name",
            "relsim has no fault for the hub experiment " + xname +
                " (it reads pod-delete, container-kill, pod-network-latency, pod-network-loss, "
                "pod-network-partition, pod-cpu-hog, node-drain): skipped");
    return false;
  }

  void probes(const YAML::Node& x, const std::string& ef, ImportedExperiment& e) {
    const YAML::Node list = C(C(x, "spec"), "probe");
    if (!list.IsDefined()) return;
    if (!list.IsSequence()) {
      r_.warn(list, ef + ".spec.probe", "expected a list of probes: skipped");
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string f = ef + ".spec.probe[" + std::to_string(i) + "]";
      const std::string pname = str(C(list[i], "name"));
      const std::string type = str(C(list[i], "type"));
      const std::string mode = str(C(list[i], "mode"));
      e.probes.push_back((pname.empty() ? "(unnamed)" : pname) + " (" +
                         (type.empty() ? "?" : type) + ", " + (mode.empty() ? "?" : mode) + ")");
      r_.note(Level::note, list[i], f,
              "probe " + (pname.empty() ? "(unnamed)" : "'" + pname + "'") +
                  ": relsim cannot tell what it checks; write it as a hypothesis or a stop "
                  "condition of the game day");
    }
  }
};

}  // namespace

void read_litmus(const SourceDocument& doc, ImportModel& out) {
  try {
    LitmusReader(doc, out).document(doc.root);
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "Litmus");
  }
}

}  // namespace relsim::analysis::import
