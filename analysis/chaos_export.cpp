// Chaos-tool manifests of a planned experiment. See analysis/chaos_export.hpp.
#include "analysis/chaos_export.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "models/diagnostics.hpp"

namespace relsim::analysis {

namespace {

using models::FaultKind;
using models::FaultRow;
using models::KillMode;

std::string seconds(sim::Duration d) {
  return std::to_string(static_cast<long long>(std::llround(d.to_seconds())));
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string percent_value(double fraction) { return number(std::round(fraction * 1000.0) / 10.0); }

[[noreturn]] void unsupported(const models::GameDay& g, ChaosTool tool, const std::string& why) {
  throw models::InputError(g.experiment.location.known() ? g.experiment.location : g.location,
                           std::string("cannot export to ") + to_string(tool) + ": " + why);
}

std::string stop_line(const models::StopCondition& s) {
  std::string out = s.check.metric_name;
  if (s.check.above) out += " above " + number(*s.check.above);
  if (s.check.below) out += " below " + number(*s.check.below);
  if (s.for_duration > sim::Duration::zero()) out += " for " + seconds(s.for_duration) + "s";
  out += ", abort within " + seconds(s.abort_latency) + "s";
  return out;
}

std::string header_comments(const models::CompiledModel& m, const models::GameDay& g,
                            ChaosTool tool) {
  std::string out = "# Exported by `relsim plan --export " + std::string(to_string(tool)) +
                    "` from game day '" + g.name + "' on system '" + m.names.system + "'.\n";
  out += "# Pods are selected by the label app=<name> in namespace '" + m.names.system +
         "': edit the selectors to match your cluster.\n";
  for (const auto& s : g.stop_conditions) {
    out += "# Stop condition (not enforced by this manifest; watch it and delete the resource): " +
           stop_line(s) + "\n";
  }
  return out;
}

std::string app(const models::CompiledModel& m, models::Index c) { return m.names.components[c]; }

// ---------------------------------------------------------------- Chaos Mesh

std::string chaos_mesh_mode(const KillMode& mode) {
  switch (mode.kind) {
    case KillMode::Kind::one:
      return "  mode: one\n";
    case KillMode::Kind::all:
      return "  mode: all\n";
    case KillMode::Kind::fixed:
      return "  mode: fixed\n  value: \"" + number(mode.value) + "\"\n";
    case KillMode::Kind::fixed_percent:
      return "  mode: fixed-percent\n  value: \"" + percent_value(mode.value) + "\"\n";
    case KillMode::Kind::random_max_percent:
      return "  mode: random-max-percent\n  value: \"" + percent_value(mode.value) + "\"\n";
  }
  return "  mode: one\n";
}

std::string indent(const std::string& text, const std::string& by) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out += by + text.substr(start, end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string chaos_mesh(const models::CompiledModel& m, const models::GameDay& g) {
  const FaultRow& f = m.faults[0];
  const std::string ns = m.names.system;
  auto selector = [&](models::Index c) {
    return "  selector:\n    namespaces: [" + ns +
           "]\n    labelSelectors:\n      app: " + app(m, c) + "\n";
  };
  auto duration = [&]() {
    return f.duration ? "  duration: \"" + seconds(*f.duration) + "s\"\n" : std::string();
  };
  auto resource = [&](const std::string& kind, const std::string& spec) {
    return "apiVersion: chaos-mesh.org/v1alpha1\nkind: " + kind + "\nmetadata:\n  name: " + g.name +
           "\n  namespace: " + ns + "\n  annotations:\n    relsim.io/game-day: " + g.name +
           "\nspec:\n" + spec;
  };
  std::string out = header_comments(m, g, ChaosTool::chaos_mesh);
  switch (f.kind) {
    case FaultKind::pod_kill: {
      const std::string spec =
          "  action: pod-kill\n" + chaos_mesh_mode(f.mode) + selector(f.component);
      if (f.interval && f.duration) {
        out += "# Repeats every " + seconds(*f.interval) + "s; delete the Schedule after " +
               seconds(*f.duration) + "s (the game day's duration).\n";
        out += resource("Schedule", "  schedule: \"@every " + seconds(*f.interval) +
                                        "s\"\n  historyLimit: 1\n  concurrencyPolicy: Forbid\n"
                                        "  type: PodChaos\n  podChaos:\n" +
                                        indent(spec.substr(0, spec.size() - 1), "  "));
      } else {
        out += resource("PodChaos", spec);
      }
      return out;
    }
    case FaultKind::zone_outage:
      if (!f.duration) unsupported(g, ChaosTool::chaos_mesh, "a zone outage needs a duration");
      out += "# Every pod on nodes in the zone fails (pod-failure) for the duration.\n";
      out += resource("PodChaos",
                      "  action: pod-failure\n  mode: all\n  selector:\n    namespaces: [" + ns +
                          "]\n    nodeSelectors:\n      topology.kubernetes.io/zone: " +
                          m.names.zones[f.zone] + "\n" + duration());
      return out;
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition: {
      std::string spec;
      if (f.kind == FaultKind::network_latency) {
        spec = "  action: delay\n  delay:\n    latency: \"" +
               std::to_string(static_cast<long long>(std::llround(f.latency.to_seconds() * 1000))) +
               "ms\"\n";
      } else if (f.kind == FaultKind::network_loss) {
        spec = "  action: loss\n  loss:\n    loss: \"" + percent_value(f.loss) + "\"\n";
      } else {
        spec = "  action: partition\n";
      }
      spec += "  mode: all\n" + selector(f.from) +
              "  direction: to\n  target:\n    mode: all\n    selector:\n      namespaces: [" + ns +
              "]\n      labelSelectors:\n        app: " + app(m, f.to) + "\n" + duration();
      out += resource("NetworkChaos", spec);
      return out;
    }
    case FaultKind::capacity_loss:
      out += "# Capacity loss as CPU stress: each pod's CPU loaded to the lost fraction.\n";
      out += resource("StressChaos", "  mode: all\n" + selector(f.component) +
                                         "  stressors:\n    cpu:\n      workers: 1\n      load: " +
                                         percent_value(f.fraction) + "\n" + duration());
      return out;
    default:
      unsupported(g, ChaosTool::chaos_mesh,
                  std::string("Chaos Mesh has no resource for ") + models::to_string(f.kind) +
                      " (docs/gamedays.md lists what each tool can express)");
  }
}

// ---------------------------------------------------------------- Litmus

std::string litmus(const models::CompiledModel& m, const models::GameDay& g) {
  const FaultRow& f = m.faults[0];
  const std::string ns = m.names.system;
  std::string experiment;
  models::Index target = f.component;
  std::vector<std::pair<std::string, std::string>> env;
  const std::string total = f.duration ? seconds(*f.duration) : "15";
  switch (f.kind) {
    case FaultKind::pod_kill: {
      experiment = "pod-delete";
      double percent = 0.0;  // Litmus: 0 means one pod
      const int replicas = m.services[m.components[f.component].row].replicas;
      switch (f.mode.kind) {
        case KillMode::Kind::one:
          percent = 0.0;
          break;
        case KillMode::Kind::all:
          percent = 100.0;
          break;
        case KillMode::Kind::fixed:
          percent = std::ceil(100.0 * f.mode.value / std::max(1, replicas));
          break;
        case KillMode::Kind::fixed_percent:
        case KillMode::Kind::random_max_percent:
          percent = std::round(f.mode.value * 1000.0) / 10.0;
          break;
      }
      env = {{"TOTAL_CHAOS_DURATION", total},
             {"CHAOS_INTERVAL", f.interval ? seconds(*f.interval) : total},
             {"FORCE", "true"},
             {"PODS_AFFECTED_PERC", number(percent)}};
      if (f.mode.kind == KillMode::Kind::random_max_percent) env.push_back({"RANDOMNESS", "true"});
      break;
    }
    case FaultKind::node_drain:
      experiment = "node-drain";
      env = {{"TOTAL_CHAOS_DURATION", total},
             {"TARGET_NODE", "NODE-IN-" + (f.zone != models::kNoIndex ? m.names.zones[f.zone]
                                                                      : std::string("ZONE"))}};
      break;
    case FaultKind::network_latency:
      experiment = "pod-network-latency";
      target = f.from;
      env = {{"TOTAL_CHAOS_DURATION", total},
             {"NETWORK_LATENCY",
              std::to_string(static_cast<long long>(std::llround(f.latency.to_seconds() * 1000)))},
             {"DESTINATION_HOSTS", app(m, f.to)}};
      break;
    case FaultKind::network_loss:
    case FaultKind::network_partition:
      experiment = "pod-network-loss";
      target = f.from;
      env = {{"TOTAL_CHAOS_DURATION", total},
             {"NETWORK_PACKET_LOSS_PERCENTAGE",
              f.kind == FaultKind::network_partition ? "100" : percent_value(f.loss)},
             {"DESTINATION_HOSTS", app(m, f.to)}};
      break;
    case FaultKind::capacity_loss:
      experiment = "pod-cpu-hog";
      env = {{"TOTAL_CHAOS_DURATION", total},
             {"CPU_CORES", "1"},
             {"CPU_LOAD", percent_value(f.fraction)}};
      break;
    default:
      unsupported(g, ChaosTool::litmus,
                  std::string("Litmus has no hub experiment for ") + models::to_string(f.kind) +
                      " (docs/gamedays.md lists what each tool can express)");
  }
  std::string out = header_comments(m, g, ChaosTool::litmus);
  out += "apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata:\n  name: " + g.name +
         "\n  namespace: " + ns + "\n  annotations:\n    relsim.io/game-day: " + g.name +
         "\nspec:\n  engineState: active\n" +
         // A node drain of a whole zone names no application: appinfo is
         // optional in the ChaosEngine and left out.
         (target == models::kNoIndex
              ? std::string()
              : "  appinfo:\n    appns: " + ns + "\n    applabel: app=" + app(m, target) +
                    "\n    appkind: deployment\n") +
         "  chaosServiceAccount: litmus-admin\n" +
         "  experiments:\n    - name: " + experiment + "\n      spec:\n        components:\n" +
         "          env:\n";
  for (const auto& [name, value] : env) {
    out += "            - name: " + name + "\n              value: \"" + value + "\"\n";
  }
  return out;
}

// ---------------------------------------------------------------- AWS FIS

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// The Kubernetes service account FIS's pod actions run as (a placeholder
/// the user replaces, like ACCOUNT and REGION).
constexpr const char* kFisAccount = "fis-service-account";

/// A FIS `selectionMode` for a kill mode: ALL, COUNT(n) or PERCENT(n).
std::string fis_selection(const KillMode& mode) {
  switch (mode.kind) {
    case KillMode::Kind::one:
      return "COUNT(1)";
    case KillMode::Kind::all:
      return "ALL";
    case KillMode::Kind::fixed:
      return "COUNT(" + number(mode.value) + ")";
    case KillMode::Kind::fixed_percent:
    case KillMode::Kind::random_max_percent:
      return "PERCENT(" + percent_value(mode.value) + ")";
  }
  return "COUNT(1)";
}

std::string fis_selection_text(const KillMode& mode) {
  switch (mode.kind) {
    case KillMode::Kind::one:
      return "one";
    case KillMode::Kind::all:
      return "all";
    case KillMode::Kind::fixed:
      return number(mode.value);
    case KillMode::Kind::fixed_percent:
    case KillMode::Kind::random_max_percent:
      return percent_value(mode.value) + " %";
  }
  return "one";
}

/// An `aws:eks:pod` target: the pods labelled app=<service> in the system's
/// namespace of cluster CLUSTER (FIS identifies pods by these parameters,
/// not by ARNs or tags).
std::string eks_pod_target(const models::CompiledModel& m, models::Index service,
                           const std::string& selection) {
  return "{\"resourceType\": \"aws:eks:pod\", \"parameters\": {\"clusterIdentifier\": "
         "\"arn:aws:eks:REGION:ACCOUNT:cluster/CLUSTER\", \"namespace\": " +
         json_string(m.names.system) +
         ", \"selectorType\": \"labelSelector\", \"selectorValue\": " +
         json_string("app=" + app(m, service)) + "}, \"selectionMode\": " + json_string(selection) +
         "}";
}

std::string fis(const models::CompiledModel& m, const models::GameDay& g) {
  const FaultRow& f = m.faults[0];
  std::string target_name, target, action_name, action;
  switch (f.kind) {
    case FaultKind::zone_outage: {
      if (!f.duration) unsupported(g, ChaosTool::fis, "a zone outage needs a duration");
      const std::string& zone = m.names.zones[f.zone];
      target_name = "instances-" + zone;
      target = "{\"resourceType\": \"aws:ec2:instance\", \"resourceTags\": {\"relsim/system\": " +
               json_string(m.names.system) +
               "}, \"filters\": [{\"path\": " + "\"Placement.AvailabilityZone\", \"values\": [" +
               json_string(zone) + "]}, {\"path\": \"State.Name\", \"values\": [\"running\"]}], " +
               "\"selectionMode\": \"ALL\"}";
      action_name = "stop-instances-" + zone;
      action = "{\"actionId\": \"aws:ec2:stop-instances\", \"description\": " +
               json_string("Stop every instance in " + zone + ", restart after the duration") +
               ", \"parameters\": {\"startInstancesAfterDuration\": \"PT" + seconds(*f.duration) +
               "S\"}, \"targets\": {\"Instances\": " + json_string(target_name) + "}}";
      break;
    }
    case FaultKind::datastore_failover: {
      const std::string name = app(m, f.component);
      target_name = "cluster-" + name;
      target = "{\"resourceType\": \"aws:rds:cluster\", \"resourceArns\": [" +
               json_string("arn:aws:rds:REGION:ACCOUNT:cluster:" + name) +
               "], \"selectionMode\": \"ALL\"}";
      action_name = "failover-" + name;
      action = "{\"actionId\": \"aws:rds:failover-db-cluster\", \"description\": " +
               json_string("Fail over " + name + " to a replica") +
               ", \"parameters\": {}, \"targets\": {\"Clusters\": " + json_string(target_name) +
               "}}";
      break;
    }
    case FaultKind::pod_kill: {
      // aws:eks:pod-delete deletes the selected pods once; the selection
      // mode carries the kill mode.
      if (f.interval) {
        unsupported(g, ChaosTool::fis,
                    "aws:eks:pod-delete deletes the selected pods once; a repeated kill "
                    "(interval) has no FIS equivalent (export it to litmus or chaos-mesh)");
      }
      const std::string name = app(m, f.component);
      target_name = "pods-" + name;
      target = eks_pod_target(m, f.component, fis_selection(f.mode));
      action_name = "delete-pods-" + name;
      std::string what = "Delete " + fis_selection_text(f.mode) + " of " + name + "'s pods";
      if (f.mode.kind == KillMode::Kind::random_max_percent) {
        what += " (FIS selects exactly that percentage; it has no random-max-percent)";
      }
      action = "{\"actionId\": \"aws:eks:pod-delete\", \"description\": " + json_string(what) +
               ", \"parameters\": {\"kubernetesServiceAccount\": " + json_string(kFisAccount) +
               "}, \"targets\": {\"Pods\": " + json_string(target_name) + "}}";
      break;
    }
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition: {
      if (!f.duration) unsupported(g, ChaosTool::fis, "a network fault needs a duration");
      const std::string from = app(m, f.from), to = app(m, f.to);
      target_name = "pods-" + from;
      target = eks_pod_target(m, f.from, "ALL");
      std::string id, params;
      const std::string common =
          "\"duration\": \"PT" + seconds(*f.duration) +
          "S\", \"kubernetesServiceAccount\": " + json_string(kFisAccount) +
          ", \"sources\": " + json_string(to + "." + m.names.system + ".svc.cluster.local");
      if (f.kind == FaultKind::network_latency) {
        id = "aws:eks:pod-network-latency";
        action_name = "delay-" + from + "-to-" + to;
        params =
            common + ", \"delayMilliseconds\": \"" +
            std::to_string(static_cast<long long>(std::llround(f.latency.to_seconds() * 1000))) +
            "\", \"jitterMilliseconds\": \"0\"";
      } else {
        id = "aws:eks:pod-network-packet-loss";
        action_name =
            (f.kind == FaultKind::network_loss ? "loss-" : "partition-") + from + "-to-" + to;
        params =
            common + ", \"lossPercent\": \"" +
            (f.kind == FaultKind::network_partition ? std::string("100") : percent_value(f.loss)) +
            "\"";
      }
      const std::string what = f.kind == FaultKind::network_latency
                                   ? "Delay traffic between " + from + "'s pods and " + to
                               : f.kind == FaultKind::network_loss
                                   ? "Drop packets between " + from + "'s pods and " + to
                                   : "Partition " + from + " from " + to + " (100 % packet loss)";
      action = "{\"actionId\": \"" + id + "\", \"description\": " + json_string(what) +
               ", \"parameters\": {" + params +
               "}, \"targets\": {\"Pods\": " + json_string(target_name) + "}}";
      break;
    }
    default:
      unsupported(g, ChaosTool::fis,
                  std::string("FIS has no action here for ") + models::to_string(f.kind) +
                      " (the export writes zoneOutage, datastoreFailover, podKill and network "
                      "latency, loss and partition)");
  }
  std::string description = "relsim game day '" + g.name + "' on " + m.names.system;
  for (const auto& s : g.stop_conditions) description += "; stop: " + stop_line(s);
  std::string out = "{\n  \"description\": " + json_string(description) + ",\n";
  out += "  \"targets\": {" + json_string(target_name) + ": " + target + "},\n";
  out += "  \"actions\": {" + json_string(action_name) + ": " + action + "},\n";
  out += "  \"stopConditions\": [";
  if (g.stop_conditions.empty()) {
    out += "{\"source\": \"none\"}";
  } else {
    for (std::size_t i = 0; i < g.stop_conditions.size(); ++i) {
      out += std::string(i ? ", " : "") + "{\"source\": \"aws:cloudwatch:alarm\", \"value\": " +
             json_string("arn:aws:cloudwatch:REGION:ACCOUNT:alarm:relsim-" + g.name + "-stop-" +
                         std::to_string(i + 1)) +
             "}";
    }
  }
  out += "],\n";
  out += "  \"roleArn\": \"arn:aws:iam::ACCOUNT:role/fis-experiment-role\",\n";
  out += "  \"tags\": {\"Purpose\": \"chaos-engineering\", \"relsim-game-day\": " +
         json_string(g.name) + "}\n}\n";
  return out;
}

}  // namespace

const char* to_string(ChaosTool t) {
  switch (t) {
    case ChaosTool::chaos_mesh:
      return "chaos-mesh";
    case ChaosTool::litmus:
      return "litmus";
    case ChaosTool::fis:
      return "fis";
  }
  return "?";
}

std::string export_experiment(const models::CompiledModel& model, const models::GameDay& game_day,
                              ChaosTool tool) {
  switch (tool) {
    case ChaosTool::chaos_mesh:
      return chaos_mesh(model, game_day);
    case ChaosTool::litmus:
      return litmus(model, game_day);
    case ChaosTool::fis:
      return fis(model, game_day);
  }
  return {};
}

}  // namespace relsim::analysis
