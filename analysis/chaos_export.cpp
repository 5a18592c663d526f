// Chaos-tool manifests of a planned experiment. See analysis/chaos_export.hpp.
#include "analysis/chaos_export.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "analysis/yaml_text.hpp"
#include "models/diagnostics.hpp"
#include "models/json_node.hpp"

namespace relsim::analysis {

namespace {

using models::FaultKind;
using models::FaultRow;
using models::JsonNode;
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
  std::string out =
      yaml_comment("Exported by `relsim plan --export " + std::string(to_string(tool)) +
                   "` from game day '" + g.name + "' on system '" + m.names.system + "'.");
  out += yaml_comment("Pods are selected by the label app=<name> in namespace '" + m.names.system +
                      "': edit the selectors to match your cluster.");
  for (const auto& s : g.stop_conditions) {
    out += yaml_comment(
        "Stop condition (not enforced by this manifest; watch it and delete the resource): " +
        stop_line(s));
  }
  return out;
}

std::string app(const models::CompiledModel& m, models::Index c) { return m.names.components[c]; }

// ---------------------------------------------------------------- Chaos Mesh

using YAML::BeginMap;
using YAML::BeginSeq;
using YAML::DoubleQuoted;
using YAML::EndMap;
using YAML::EndSeq;
using YAML::Flow;
using YAML::Key;
using YAML::Value;

/// `mode:` and, for the counted modes, `value:` (a string in the CRD).
void chaos_mesh_mode(YAML::Emitter& y, const KillMode& mode) {
  switch (mode.kind) {
    case KillMode::Kind::one:
      y << Key << "mode" << Value << "one";
      return;
    case KillMode::Kind::all:
      y << Key << "mode" << Value << "all";
      return;
    case KillMode::Kind::fixed:
      y << Key << "mode" << Value << "fixed" << Key << "value" << Value << DoubleQuoted
        << number(mode.value);
      return;
    case KillMode::Kind::fixed_percent:
      y << Key << "mode" << Value << "fixed-percent" << Key << "value" << Value << DoubleQuoted
        << percent_value(mode.value);
      return;
    case KillMode::Kind::random_max_percent:
      y << Key << "mode" << Value << "random-max-percent" << Key << "value" << Value << DoubleQuoted
        << percent_value(mode.value);
      return;
  }
}

/// `selector:` of the pods labelled app=<app> in namespace `ns`.
void chaos_mesh_selector(YAML::Emitter& y, const std::string& ns, const std::string& app_name) {
  y << Key << "selector" << Value << BeginMap;
  y << Key << "namespaces" << Value << Flow << BeginSeq << ns << EndSeq;
  y << Key << "labelSelectors" << Value << BeginMap << Key << "app" << Value << app_name << EndMap;
  y << EndMap;
}

/// The resource envelope up to the open `spec:` map; the caller writes the
/// spec and closes two maps.
void chaos_mesh_begin(YAML::Emitter& y, const std::string& kind, const models::GameDay& g,
                      const std::string& ns) {
  y << BeginMap << Key << "apiVersion" << Value << "chaos-mesh.org/v1alpha1";
  y << Key << "kind" << Value << kind;
  y << Key << "metadata" << Value << BeginMap << Key << "name" << Value << g.name;
  y << Key << "namespace" << Value << ns;
  y << Key << "annotations" << Value << BeginMap << Key << "relsim.io/game-day" << Value << g.name
    << EndMap << EndMap;
  y << Key << "spec" << Value << BeginMap;
}

std::string chaos_mesh(const models::CompiledModel& m, const models::GameDay& g) {
  const FaultRow& f = m.faults[0];
  const std::string ns = m.names.system;
  auto duration = [&](YAML::Emitter& y) {
    if (f.duration) y << Key << "duration" << Value << DoubleQuoted << seconds(*f.duration) + "s";
  };
  std::string out = header_comments(m, g, ChaosTool::chaos_mesh);
  YAML::Emitter y;
  switch (f.kind) {
    case FaultKind::pod_kill: {
      const bool repeated = f.interval && f.duration;
      if (repeated) {
        out +=
            yaml_comment("Repeats every " + seconds(*f.interval) + "s; delete the Schedule after " +
                         seconds(*f.duration) + "s (the game day's duration).");
        chaos_mesh_begin(y, "Schedule", g, ns);
        y << Key << "schedule" << Value << DoubleQuoted << "@every " + seconds(*f.interval) + "s";
        y << Key << "historyLimit" << Value << 1;
        y << Key << "concurrencyPolicy" << Value << "Forbid";
        y << Key << "type" << Value << "PodChaos";
        y << Key << "podChaos" << Value << BeginMap;
      } else {
        chaos_mesh_begin(y, "PodChaos", g, ns);
      }
      y << Key << "action" << Value << "pod-kill";
      chaos_mesh_mode(y, f.mode);
      chaos_mesh_selector(y, ns, app(m, f.component));
      if (repeated) y << EndMap;
      break;
    }
    case FaultKind::zone_outage:
      if (!f.duration) unsupported(g, ChaosTool::chaos_mesh, "a zone outage needs a duration");
      out += yaml_comment("Every pod on nodes in the zone fails (pod-failure) for the duration.");
      chaos_mesh_begin(y, "PodChaos", g, ns);
      y << Key << "action" << Value << "pod-failure" << Key << "mode" << Value << "all";
      y << Key << "selector" << Value << BeginMap;
      y << Key << "namespaces" << Value << Flow << BeginSeq << ns << EndSeq;
      y << Key << "nodeSelectors" << Value << BeginMap << Key << "topology.kubernetes.io/zone"
        << Value << m.names.zones[f.zone] << EndMap;
      y << EndMap;
      duration(y);
      break;
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition:
      chaos_mesh_begin(y, "NetworkChaos", g, ns);
      if (f.kind == FaultKind::network_latency) {
        y << Key << "action" << Value << "delay";
        y << Key << "delay" << Value << BeginMap << Key << "latency" << Value << DoubleQuoted
          << std::to_string(static_cast<long long>(std::llround(f.latency.to_seconds() * 1000))) +
                 "ms"
          << EndMap;
      } else if (f.kind == FaultKind::network_loss) {
        y << Key << "action" << Value << "loss";
        y << Key << "loss" << Value << BeginMap << Key << "loss" << Value << DoubleQuoted
          << percent_value(f.loss) << EndMap;
      } else {
        y << Key << "action" << Value << "partition";
      }
      y << Key << "mode" << Value << "all";
      chaos_mesh_selector(y, ns, app(m, f.from));
      y << Key << "direction" << Value << "to";
      y << Key << "target" << Value << BeginMap << Key << "mode" << Value << "all";
      chaos_mesh_selector(y, ns, app(m, f.to));
      y << EndMap;
      duration(y);
      break;
    case FaultKind::capacity_loss:
      out +=
          yaml_comment("Capacity loss as CPU stress: each pod's CPU loaded to the lost fraction.");
      chaos_mesh_begin(y, "StressChaos", g, ns);
      y << Key << "mode" << Value << "all";
      chaos_mesh_selector(y, ns, app(m, f.component));
      y << Key << "stressors" << Value << BeginMap << Key << "cpu" << Value << BeginMap << Key
        << "workers" << Value << 1 << Key << "load" << Value << percent_value(f.fraction) << EndMap
        << EndMap;
      duration(y);
      break;
    default:
      unsupported(g, ChaosTool::chaos_mesh,
                  std::string("Chaos Mesh has no resource for ") + models::to_string(f.kind) +
                      " (docs/gamedays.md lists what each tool can express)");
  }
  y << EndMap << EndMap;  // spec, the resource
  return out + emitted(y);
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
  YAML::Emitter y;
  y << BeginMap << Key << "apiVersion" << Value << "litmuschaos.io/v1alpha1";
  y << Key << "kind" << Value << "ChaosEngine";
  y << Key << "metadata" << Value << BeginMap << Key << "name" << Value << g.name;
  y << Key << "namespace" << Value << ns;
  y << Key << "annotations" << Value << BeginMap << Key << "relsim.io/game-day" << Value << g.name
    << EndMap << EndMap;
  y << Key << "spec" << Value << BeginMap << Key << "engineState" << Value << "active";
  // A node drain of a whole zone names no application: appinfo is optional
  // in the ChaosEngine and left out.
  if (target != models::kNoIndex) {
    y << Key << "appinfo" << Value << BeginMap << Key << "appns" << Value << ns;
    y << Key << "applabel" << Value << "app=" + app(m, target);
    y << Key << "appkind" << Value << "deployment" << EndMap;
  }
  y << Key << "chaosServiceAccount" << Value << "litmus-admin";
  y << Key << "experiments" << Value << BeginSeq << BeginMap << Key << "name" << Value
    << experiment;
  y << Key << "spec" << Value << BeginMap << Key << "components" << Value << BeginMap << Key
    << "env" << Value << BeginSeq;
  for (const auto& [name, value] : env) {
    y << BeginMap << Key << "name" << Value << name << Key << "value" << Value << DoubleQuoted
      << value << EndMap;
  }
  y << EndSeq << EndMap << EndMap << EndMap << EndSeq;  // env, components, spec, experiment
  y << EndMap << EndMap;                                // spec, the engine
  return header_comments(m, g, ChaosTool::litmus) + emitted(y);
}

// ---------------------------------------------------------------- AWS FIS

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
JsonNode eks_pod_target(const models::CompiledModel& m, models::Index service,
                        const std::string& selection) {
  JsonNode parameters;
  parameters.set("clusterIdentifier", "arn:aws:eks:REGION:ACCOUNT:cluster/CLUSTER");
  parameters.set("namespace", m.names.system);
  parameters.set("selectorType", "labelSelector");
  parameters.set("selectorValue", "app=" + app(m, service));
  JsonNode target;
  target.set("resourceType", "aws:eks:pod");
  target.set("parameters", std::move(parameters));
  target.set("selectionMode", selection);
  return target;
}

/// `{"actionId": id, "description": ..., "parameters": ..., "targets": {key: target}}`.
JsonNode fis_action(const std::string& id, const std::string& description, JsonNode parameters,
                    const std::string& target_key, const std::string& target_name) {
  JsonNode action;
  action.set("actionId", id);
  action.set("description", description);
  action.set("parameters", std::move(parameters));
  JsonNode targets;
  targets.set(target_key, target_name);
  action.set("targets", std::move(targets));
  return action;
}

std::string fis(const models::CompiledModel& m, const models::GameDay& g) {
  const FaultRow& f = m.faults[0];
  std::string target_name, action_name;
  JsonNode target, action;
  switch (f.kind) {
    case FaultKind::zone_outage: {
      if (!f.duration) unsupported(g, ChaosTool::fis, "a zone outage needs a duration");
      const std::string& zone = m.names.zones[f.zone];
      target_name = "instances-" + zone;
      target.set("resourceType", "aws:ec2:instance");
      JsonNode tags;
      tags.set("relsim/system", m.names.system);
      target.set("resourceTags", std::move(tags));
      JsonNode zone_filter, state_filter;
      zone_filter.set("path", "Placement.AvailabilityZone");
      zone_filter.set("values", JsonNode::strings({zone}));
      state_filter.set("path", "State.Name");
      state_filter.set("values", JsonNode::strings({"running"}));
      target.set("filters", JsonNode::Array{std::move(zone_filter), std::move(state_filter)});
      target.set("selectionMode", "ALL");
      action_name = "stop-instances-" + zone;
      JsonNode parameters;
      parameters.set("startInstancesAfterDuration", "PT" + seconds(*f.duration) + "S");
      action = fis_action("aws:ec2:stop-instances",
                          "Stop every instance in " + zone + ", restart after the duration",
                          std::move(parameters), "Instances", target_name);
      break;
    }
    case FaultKind::datastore_failover: {
      const std::string name = app(m, f.component);
      target_name = "cluster-" + name;
      target.set("resourceType", "aws:rds:cluster");
      target.set("resourceArns", JsonNode::strings({"arn:aws:rds:REGION:ACCOUNT:cluster:" + name}));
      target.set("selectionMode", "ALL");
      action_name = "failover-" + name;
      action = fis_action("aws:rds:failover-db-cluster", "Fail over " + name + " to a replica",
                          JsonNode(), "Clusters", target_name);
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
      JsonNode parameters;
      parameters.set("kubernetesServiceAccount", kFisAccount);
      action = fis_action("aws:eks:pod-delete", what, std::move(parameters), "Pods", target_name);
      break;
    }
    case FaultKind::network_latency:
    case FaultKind::network_loss:
    case FaultKind::network_partition: {
      if (!f.duration) unsupported(g, ChaosTool::fis, "a network fault needs a duration");
      const std::string from = app(m, f.from), to = app(m, f.to);
      target_name = "pods-" + from;
      target = eks_pod_target(m, f.from, "ALL");
      JsonNode parameters;
      parameters.set("duration", "PT" + seconds(*f.duration) + "S");
      parameters.set("kubernetesServiceAccount", kFisAccount);
      parameters.set("sources", to + "." + m.names.system + ".svc.cluster.local");
      std::string id;
      if (f.kind == FaultKind::network_latency) {
        id = "aws:eks:pod-network-latency";
        action_name = "delay-" + from + "-to-" + to;
        parameters.set(
            "delayMilliseconds",
            std::to_string(static_cast<long long>(std::llround(f.latency.to_seconds() * 1000))));
        parameters.set("jitterMilliseconds", "0");
      } else {
        id = "aws:eks:pod-network-packet-loss";
        action_name =
            (f.kind == FaultKind::network_loss ? "loss-" : "partition-") + from + "-to-" + to;
        parameters.set("lossPercent", f.kind == FaultKind::network_partition
                                          ? std::string("100")
                                          : percent_value(f.loss));
      }
      const std::string what = f.kind == FaultKind::network_latency
                                   ? "Delay traffic between " + from + "'s pods and " + to
                               : f.kind == FaultKind::network_loss
                                   ? "Drop packets between " + from + "'s pods and " + to
                                   : "Partition " + from + " from " + to + " (100 % packet loss)";
      action = fis_action(id, what, std::move(parameters), "Pods", target_name);
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
  JsonNode doc;
  doc.set("description", description);
  JsonNode targets;
  targets.set(target_name, std::move(target));
  doc.set("targets", std::move(targets));
  JsonNode actions;
  actions.set(action_name, std::move(action));
  doc.set("actions", std::move(actions));
  JsonNode::Array stops;
  if (g.stop_conditions.empty()) {
    JsonNode none;
    none.set("source", "none");
    stops.push_back(std::move(none));
  }
  for (std::size_t i = 0; i < g.stop_conditions.size(); ++i) {
    JsonNode stop;
    stop.set("source", "aws:cloudwatch:alarm");
    stop.set("value", "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:relsim-" + g.name + "-stop-" +
                          std::to_string(i + 1));
    stops.push_back(std::move(stop));
  }
  doc.set("stopConditions", std::move(stops));
  doc.set("roleArn", "arn:aws:iam::ACCOUNT:role/fis-experiment-role");
  JsonNode tags;
  tags.set("Purpose", "chaos-engineering");
  tags.set("relsim-game-day", g.name);
  doc.set("tags", std::move(tags));
  std::string out;
  doc.write(out);
  return out + "\n";
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
