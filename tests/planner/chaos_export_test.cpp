// `relsim plan --export`: the manifests of the programme's game days checked
// against the parts of each tool's documented schema they use, written out
// here by hand from the tools' references (no CRD or AWS model is vendored):
//   Chaos Mesh  chaos-mesh.org/v1alpha1 PodChaos, NetworkChaos, StressChaos,
//               Schedule: the spec keys, the action/mode/direction enums,
//               `value` with the counted modes, duration strings;
//   Litmus      litmuschaos.io/v1alpha1 ChaosEngine: engineState, appinfo,
//               experiments[].spec.components.env, and the env names each
//               hub experiment documents;
//   AWS FIS     CreateExperimentTemplate: description, targets (resourceType,
//               selectionMode, resourceArns/resourceTags, filters, or the
//               parameters that identify aws:eks:pod targets: clusterIdentifier,
//               namespace, selectorType, selectorValue), actions (actionId,
//               parameters, targets), stopConditions, roleArn, tags; the
//               action ids, their target keys and parameter names (FIS user
//               guide: "Targets", "AWS FIS Actions reference" and "Use the
//               AWS FIS aws:eks:pod actions").
// Faults a tool cannot express are located input errors.
#include "analysis/chaos_export.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "models/compiled_model.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"

namespace relsim::analysis {
namespace {

const std::string kGameDays = std::string(RELSIM_SOURCE_DIR) + "/scenarios/gamedays/";

std::string exported(const std::string& file, ChaosTool tool) {
  const auto r = models::load_game_day(kGameDays + file);
  const auto m = models::compile(r.system, r.game_day);
  return export_experiment(m, r.game_day, tool);
}

void expect_only_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                      const std::string& where) {
  ASSERT_TRUE(map.IsMap()) << where;
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    EXPECT_TRUE(allowed.count(key)) << where << ": key '" << key << "' is not in the schema";
  }
}

bool is_go_duration(const std::string& s) {
  return std::regex_match(s, std::regex(R"(([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+)"));
}

const std::set<std::string> kModes = {"one", "all", "fixed", "fixed-percent", "random-max-percent"};

void check_selector(const YAML::Node& sel, const std::string& where) {
  expect_only_keys(
      sel,
      {"namespaces", "labelSelectors", "nodeSelectors", "fieldSelectors", "annotationSelectors",
       "podPhaseSelectors", "nodes", "pods", "expressionSelectors"},
      where);
  EXPECT_TRUE(sel["namespaces"].IsSequence()) << where;
  EXPECT_TRUE(sel["labelSelectors"] || sel["nodeSelectors"]) << where;
}

void check_mode(const YAML::Node& spec, const std::string& where) {
  const auto mode = spec["mode"].as<std::string>();
  EXPECT_TRUE(kModes.count(mode)) << where << ": mode " << mode;
  if (mode == "fixed" || mode == "fixed-percent" || mode == "random-max-percent") {
    ASSERT_TRUE(spec["value"]) << where << ": mode " << mode << " needs value";
    EXPECT_TRUE(std::regex_match(spec["value"].as<std::string>(), std::regex("[0-9]+")));
  }
}

void check_chaos_mesh(const std::string& text) {
  const YAML::Node doc = YAML::Load(text);
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "chaos-mesh.org/v1alpha1");
  const auto kind = doc["kind"].as<std::string>();
  ASSERT_TRUE(doc["metadata"]["name"]) << text;
  EXPECT_TRUE(std::regex_match(doc["metadata"]["name"].as<std::string>(),
                               std::regex("[a-z0-9]([-a-z0-9]*[a-z0-9])?")));
  YAML::Node spec = doc["spec"];
  if (kind == "Schedule") {
    expect_only_keys(spec,
                     {"schedule", "historyLimit", "concurrencyPolicy", "startingDeadlineSeconds",
                      "type", "podChaos", "networkChaos", "stressChaos"},
                     "Schedule.spec");
    EXPECT_TRUE(std::regex_match(spec["schedule"].as<std::string>(), std::regex("@every [0-9]+s")));
    EXPECT_EQ(spec["type"].as<std::string>(), "PodChaos");
    EXPECT_TRUE(spec["concurrencyPolicy"].as<std::string>() == "Forbid" ||
                spec["concurrencyPolicy"].as<std::string>() == "Allow");
    spec = spec["podChaos"];
    ASSERT_TRUE(spec) << text;
  }
  if (kind == "PodChaos" || kind == "Schedule") {
    expect_only_keys(
        spec, {"action", "mode", "value", "selector", "duration", "containerNames", "gracePeriod"},
        "PodChaos.spec");
    EXPECT_TRUE(std::set<std::string>({"pod-kill", "pod-failure", "container-kill"})
                    .count(spec["action"].as<std::string>()));
  } else if (kind == "NetworkChaos") {
    expect_only_keys(
        spec,
        {"action", "mode", "value", "selector", "duration", "direction", "target", "delay", "loss",
         "duplicate", "corrupt", "bandwidth", "externalTargets", "device"},
        "NetworkChaos.spec");
    const auto action = spec["action"].as<std::string>();
    EXPECT_TRUE(std::set<std::string>(
                    {"netem", "delay", "loss", "duplicate", "corrupt", "partition", "bandwidth"})
                    .count(action));
    EXPECT_TRUE(
        std::set<std::string>({"to", "from", "both"}).count(spec["direction"].as<std::string>()));
    expect_only_keys(spec["target"], {"mode", "value", "selector"}, "NetworkChaos.spec.target");
    check_mode(spec["target"], "target");
    check_selector(spec["target"]["selector"], "target.selector");
    if (action == "delay") {
      expect_only_keys(spec["delay"], {"latency", "jitter", "correlation", "reorder"}, "delay");
      EXPECT_TRUE(is_go_duration(spec["delay"]["latency"].as<std::string>()));
    }
    if (action == "loss") {
      expect_only_keys(spec["loss"], {"loss", "correlation"}, "loss");
    }
  } else if (kind == "StressChaos") {
    expect_only_keys(spec,
                     {"mode", "value", "selector", "duration", "stressors", "stressngStressors",
                      "containerNames"},
                     "StressChaos.spec");
    const int load = spec["stressors"]["cpu"]["load"].as<int>();
    EXPECT_GE(load, 0);
    EXPECT_LE(load, 100);
    EXPECT_GE(spec["stressors"]["cpu"]["workers"].as<int>(), 1);
  } else {
    FAIL() << "unexpected kind " << kind;
  }
  check_mode(spec, kind);
  check_selector(spec["selector"], kind + ".spec.selector");
  if (spec["duration"]) {
    EXPECT_TRUE(is_go_duration(spec["duration"].as<std::string>()));
  }
}

// Env names each Litmus hub experiment documents (the ones the export writes).
const std::map<std::string, std::set<std::string>> kLitmusEnv = {
    {"pod-delete",
     {"TOTAL_CHAOS_DURATION", "CHAOS_INTERVAL", "FORCE", "PODS_AFFECTED_PERC", "RANDOMNESS",
      "TARGET_PODS", "SEQUENCE", "RAMP_TIME"}},
    {"node-drain", {"TOTAL_CHAOS_DURATION", "TARGET_NODE", "NODE_LABEL", "RAMP_TIME"}},
    {"pod-network-latency",
     {"TOTAL_CHAOS_DURATION", "NETWORK_LATENCY", "JITTER", "DESTINATION_HOSTS", "DESTINATION_IPS",
      "PODS_AFFECTED_PERC", "NETWORK_INTERFACE", "CONTAINER_RUNTIME", "SOCKET_PATH", "RAMP_TIME"}},
    {"pod-network-loss",
     {"TOTAL_CHAOS_DURATION", "NETWORK_PACKET_LOSS_PERCENTAGE", "DESTINATION_HOSTS",
      "DESTINATION_IPS", "PODS_AFFECTED_PERC", "NETWORK_INTERFACE", "CONTAINER_RUNTIME",
      "SOCKET_PATH", "RAMP_TIME"}},
    {"pod-cpu-hog",
     {"TOTAL_CHAOS_DURATION", "CPU_CORES", "CPU_LOAD", "PODS_AFFECTED_PERC", "RAMP_TIME"}},
};

void check_litmus(const std::string& text) {
  const YAML::Node doc = YAML::Load(text);
  EXPECT_EQ(doc["apiVersion"].as<std::string>(), "litmuschaos.io/v1alpha1");
  EXPECT_EQ(doc["kind"].as<std::string>(), "ChaosEngine");
  const YAML::Node spec = doc["spec"];
  expect_only_keys(
      spec,
      {"engineState", "appinfo", "chaosServiceAccount", "experiments", "annotationCheck",
       "jobCleanUpPolicy", "components", "terminationGracePeriodSeconds"},
      "ChaosEngine.spec");
  EXPECT_TRUE(spec["engineState"].as<std::string>() == "active" ||
              spec["engineState"].as<std::string>() == "stop");
  // appinfo is optional (a node-level experiment such as node-drain needs none).
  if (spec["appinfo"]) {
    expect_only_keys(spec["appinfo"], {"appns", "applabel", "appkind"}, "appinfo");
    EXPECT_TRUE(std::set<std::string>(
                    {"deployment", "statefulset", "daemonset", "deploymentconfig", "rollout"})
                    .count(spec["appinfo"]["appkind"].as<std::string>()));
    EXPECT_TRUE(std::regex_match(spec["appinfo"]["applabel"].as<std::string>(),
                                 std::regex("[a-z0-9.-/]+=[a-z0-9.-]+")));
  }
  ASSERT_TRUE(spec["experiments"].IsSequence());
  ASSERT_EQ(spec["experiments"].size(), 1u);
  const YAML::Node e = spec["experiments"][0];
  const auto name = e["name"].as<std::string>();
  ASSERT_TRUE(kLitmusEnv.count(name)) << name;
  const YAML::Node env = e["spec"]["components"]["env"];
  ASSERT_TRUE(env.IsSequence());
  for (const auto& item : env) {
    expect_only_keys(item, {"name", "value"}, "env");
    EXPECT_TRUE(kLitmusEnv.at(name).count(item["name"].as<std::string>()))
        << name << " has no env " << item["name"].as<std::string>();
    EXPECT_TRUE(item["value"].IsScalar());
    EXPECT_EQ(item["value"].Tag(), "!");  // quoted: Kubernetes env values are strings
  }
}

void check_fis(const std::string& text) {
  const YAML::Node doc = YAML::Load(text);  // JSON is YAML
  expect_only_keys(doc,
                   {"clientToken", "description", "stopConditions", "targets", "actions", "roleArn",
                    "tags", "logConfiguration", "experimentOptions"},
                   "CreateExperimentTemplate");
  for (const char* required : {"description", "stopConditions", "actions", "roleArn"}) {
    EXPECT_TRUE(doc[required]) << required;
  }
  EXPECT_LE(doc["description"].as<std::string>().size(), 512u);
  EXPECT_TRUE(
      std::regex_match(doc["roleArn"].as<std::string>(), std::regex("arn:aws:iam::.+:role/.+")));
  for (const auto& sc : doc["stopConditions"]) {
    expect_only_keys(sc, {"source", "value"}, "stopCondition");
    const auto source = sc["source"].as<std::string>();
    EXPECT_TRUE(source == "none" || source == "aws:cloudwatch:alarm");
    if (source == "aws:cloudwatch:alarm") {
      EXPECT_TRUE(std::regex_match(sc["value"].as<std::string>(),
                                   std::regex("arn:aws:cloudwatch:.+:.+:alarm:.+")));
    }
  }
  std::set<std::string> target_names;
  for (const auto& kv : doc["targets"]) {
    target_names.insert(kv.first.as<std::string>());
    const YAML::Node t = kv.second;
    expect_only_keys(
        t,
        {"resourceType", "resourceArns", "resourceTags", "filters", "selectionMode", "parameters"},
        "target");
    EXPECT_TRUE(t["resourceType"]);
    EXPECT_TRUE(std::regex_match(t["selectionMode"].as<std::string>(),
                                 std::regex("ALL|COUNT\\([0-9]+\\)|PERCENT\\([0-9]+\\)")));
    if (t["resourceType"].as<std::string>() == "aws:eks:pod") {
      // Pods cannot be targeted by ARN or tag, only by these parameters.
      EXPECT_FALSE(t["resourceArns"] || t["resourceTags"]);
      expect_only_keys(t["parameters"],
                       {"clusterIdentifier", "namespace", "selectorType", "selectorValue",
                        "targetContainerName", "availabilityZoneIdentifier"},
                       "aws:eks:pod parameters");
      for (const char* required :
           {"clusterIdentifier", "namespace", "selectorType", "selectorValue"}) {
        EXPECT_TRUE(t["parameters"][required]) << required;
      }
      EXPECT_TRUE(std::set<std::string>({"labelSelector", "deploymentName", "podName"})
                      .count(t["parameters"]["selectorType"].as<std::string>()));
      EXPECT_TRUE(std::regex_match(t["parameters"]["clusterIdentifier"].as<std::string>(),
                                   std::regex("arn:aws:eks:.+:.+:cluster/.+")));
    } else {
      EXPECT_TRUE(t["resourceArns"] || t["resourceTags"]);
    }
    for (const auto& f : t["filters"]) expect_only_keys(f, {"path", "values"}, "filter");
  }
  // Action ids -> (resource type, target key), from the FIS actions reference.
  const std::map<std::string, std::pair<std::string, std::string>> actions = {
      {"aws:ec2:stop-instances", {"aws:ec2:instance", "Instances"}},
      {"aws:rds:failover-db-cluster", {"aws:rds:cluster", "Clusters"}},
      {"aws:eks:pod-delete", {"aws:eks:pod", "Pods"}},
      {"aws:eks:pod-network-latency", {"aws:eks:pod", "Pods"}},
      {"aws:eks:pod-network-packet-loss", {"aws:eks:pod", "Pods"}},
  };
  // Parameters each aws:eks:pod action documents, and the required ones.
  const std::set<std::string> pod_common = {"kubernetesServiceAccount", "fisPodContainerImage",
                                            "maxErrorsPercent",         "fisPodLabels",
                                            "fisPodAnnotations",        "fisPodSecurityPolicy"};
  auto with = [&](std::set<std::string> more) {
    more.insert(pod_common.begin(), pod_common.end());
    return more;
  };
  const std::map<std::string, std::set<std::string>> params = {
      {"aws:eks:pod-delete", with({"gracePeriodSeconds"})},
      {"aws:eks:pod-network-latency",
       with({"duration", "interface", "delayMilliseconds", "jitterMilliseconds", "sources"})},
      {"aws:eks:pod-network-packet-loss",
       with({"duration", "interface", "lossPercent", "sources"})},
  };
  for (const auto& kv : doc["actions"]) {
    const YAML::Node a = kv.second;
    expect_only_keys(a, {"actionId", "description", "parameters", "targets", "startAfter"},
                     "action");
    const auto id = a["actionId"].as<std::string>();
    ASSERT_TRUE(actions.count(id)) << id;
    ASSERT_EQ(a["targets"].size(), 1u);
    for (const auto& t : a["targets"]) {
      EXPECT_EQ(t.first.as<std::string>(), actions.at(id).second);
      const auto target = t.second.as<std::string>();
      EXPECT_TRUE(target_names.count(target));
      EXPECT_EQ(doc["targets"][target]["resourceType"].as<std::string>(), actions.at(id).first);
    }
    if (params.count(id)) {
      expect_only_keys(a["parameters"], params.at(id), id + " parameters");
      EXPECT_TRUE(a["parameters"]["kubernetesServiceAccount"]) << id;
      if (id != "aws:eks:pod-delete") {
        EXPECT_TRUE(std::regex_match(a["parameters"]["duration"].as<std::string>(),
                                     std::regex("PT[0-9]+S")));
      }
      for (const auto& kv2 : a["parameters"]) {
        EXPECT_TRUE(kv2.second.IsScalar()) << id;  // FIS parameters are strings
        EXPECT_EQ(kv2.second.Tag(), "!") << id << "." << kv2.first.as<std::string>();
      }
    }
    if (id == "aws:eks:pod-network-packet-loss") {
      const int loss = std::stoi(a["parameters"]["lossPercent"].as<std::string>());
      EXPECT_GE(loss, 0);
      EXPECT_LE(loss, 100);
    }
    if (id == "aws:ec2:stop-instances") {
      EXPECT_TRUE(std::regex_match(a["parameters"]["startInstancesAfterDuration"].as<std::string>(),
                                   std::regex("PT[0-9]+S")));
    }
  }
}

TEST(ChaosExport, ChaosMeshManifestsMatchTheCrdSchema) {
  for (const char* f : {"week1-pod-kill.yaml", "week3-fraud-latency.yaml",
                        "week4-redis-partition.yaml", "month2-az-failure.yaml"}) {
    SCOPED_TRACE(f);
    check_chaos_mesh(exported(f, ChaosTool::chaos_mesh));
  }
}

TEST(ChaosExport, PodKillWithAnIntervalIsAScheduleOfPodChaos) {
  const YAML::Node doc = YAML::Load(exported("week1-pod-kill.yaml", ChaosTool::chaos_mesh));
  EXPECT_EQ(doc["kind"].as<std::string>(), "Schedule");
  EXPECT_EQ(doc["spec"]["schedule"].as<std::string>(), "@every 10s");
  EXPECT_EQ(doc["spec"]["podChaos"]["mode"].as<std::string>(), "fixed-percent");
  EXPECT_EQ(doc["spec"]["podChaos"]["value"].as<std::string>(), "50");
  EXPECT_EQ(doc["spec"]["podChaos"]["selector"]["labelSelectors"]["app"].as<std::string>(),
            "payment-api");
}

TEST(ChaosExport, LitmusManifestsMatchTheChaosEngineSchema) {
  for (const char* f :
       {"week1-pod-kill.yaml", "week3-fraud-latency.yaml", "week4-redis-partition.yaml"}) {
    SCOPED_TRACE(f);
    check_litmus(exported(f, ChaosTool::litmus));
  }
  // The reference's pod-delete: 60 s, every 10 s, 50 % of the pods, forced.
  const YAML::Node doc = YAML::Load(exported("week1-pod-kill.yaml", ChaosTool::litmus));
  std::map<std::string, std::string> env;
  for (const auto& e : doc["spec"]["experiments"][0]["spec"]["components"]["env"]) {
    env[e["name"].as<std::string>()] = e["value"].as<std::string>();
  }
  EXPECT_EQ(env["TOTAL_CHAOS_DURATION"], "60");
  EXPECT_EQ(env["CHAOS_INTERVAL"], "10");
  EXPECT_EQ(env["PODS_AFFECTED_PERC"], "50");
  EXPECT_EQ(env["FORCE"], "true");
}

TEST(ChaosExport, FisTemplatesMatchTheCreateExperimentTemplateSchema) {
  for (const char* f : {"month2-az-failure.yaml", "week2-database-failover.yaml"}) {
    SCOPED_TRACE(f);
    check_fis(exported(f, ChaosTool::fis));
  }
  // The reference's Terraform: stop-instances in us-east-1a, restarted after 5 minutes.
  const YAML::Node doc = YAML::Load(exported("month2-az-failure.yaml", ChaosTool::fis));
  const YAML::Node a = doc["actions"]["stop-instances-us-east-1a"];
  EXPECT_EQ(a["parameters"]["startInstancesAfterDuration"].as<std::string>(), "PT300S");
  EXPECT_EQ(doc["targets"]["instances-us-east-1a"]["filters"][0]["values"][0].as<std::string>(),
            "us-east-1a");
}

models::CompiledModel compiled(const models::ResolvedGameDay& r) {
  return models::compile(r.system, r.game_day);
}

TEST(ChaosExport, FisPodAndNetworkActions) {
  for (const char* f : {"week3-fraud-latency.yaml", "week4-redis-partition.yaml"}) {
    SCOPED_TRACE(f);
    check_fis(exported(f, ChaosTool::fis));
  }
  // Week 3: 5 s of latency from payment-api's pods to fraud-detection.
  YAML::Node doc = YAML::Load(exported("week3-fraud-latency.yaml", ChaosTool::fis));
  YAML::Node a = doc["actions"]["delay-payment-api-to-fraud-detection"];
  EXPECT_EQ(a["actionId"].as<std::string>(), "aws:eks:pod-network-latency");
  EXPECT_EQ(a["parameters"]["delayMilliseconds"].as<std::string>(), "5000");
  EXPECT_EQ(a["parameters"]["sources"].as<std::string>(),
            "fraud-detection.payments.svc.cluster.local");
  const YAML::Node t = doc["targets"]["pods-payment-api"];
  EXPECT_EQ(t["parameters"]["selectorValue"].as<std::string>(), "app=payment-api");
  EXPECT_EQ(t["parameters"]["namespace"].as<std::string>(), "payments");
  EXPECT_EQ(t["selectionMode"].as<std::string>(), "ALL");
  // Week 4: a partition is 100 % packet loss.
  doc = YAML::Load(exported("week4-redis-partition.yaml", ChaosTool::fis));
  bool found = false;
  for (const auto& kv : doc["actions"]) {
    EXPECT_EQ(kv.second["actionId"].as<std::string>(), "aws:eks:pod-network-packet-loss");
    EXPECT_EQ(kv.second["parameters"]["lossPercent"].as<std::string>(), "100");
    EXPECT_EQ(kv.second["parameters"]["duration"].as<std::string>(), "PT600S");
    found = true;
  }
  EXPECT_TRUE(found);
  // A pod kill without an interval: the kill mode becomes the selection mode.
  auto r = models::load_game_day(kGameDays + "week1-pod-kill.yaml");
  r.game_day.experiment.interval.reset();
  const std::pair<models::KillMode, std::string> modes[] = {
      {{models::KillMode::Kind::one, 0.0}, "COUNT(1)"},
      {{models::KillMode::Kind::all, 0.0}, "ALL"},
      {{models::KillMode::Kind::fixed, 3.0}, "COUNT(3)"},
      {{models::KillMode::Kind::fixed_percent, 0.5}, "PERCENT(50)"},
      {{models::KillMode::Kind::random_max_percent, 0.3}, "PERCENT(30)"},
  };
  for (const auto& [mode, selection] : modes) {
    SCOPED_TRACE(selection);
    r.game_day.experiment.mode = mode;
    const std::string text = export_experiment(compiled(r), r.game_day, ChaosTool::fis);
    check_fis(text);
    doc = YAML::Load(text);
    EXPECT_EQ(doc["targets"]["pods-payment-api"]["selectionMode"].as<std::string>(), selection);
    EXPECT_EQ(doc["actions"]["delete-pods-payment-api"]["actionId"].as<std::string>(),
              "aws:eks:pod-delete");
  }
}

TEST(ChaosExport, EveryFaultKindExportsOrIsALocatedError) {
  // What each tool can express (docs/gamedays.md, "Running the drill that was
  // planned"): every (fault, tool) pair either passes the schema check or is
  // a located "cannot export" error — never a manifest the tool would refuse.
  using K = models::FaultKind;
  const std::map<K, std::set<ChaosTool>> expressible = {
      {K::pod_kill, {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}},
      {K::zone_outage, {ChaosTool::chaos_mesh, ChaosTool::fis}},
      {K::node_drain, {ChaosTool::litmus}},
      {K::datastore_failover, {ChaosTool::fis}},
      {K::cache_failover, {}},
      {K::network_latency, {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}},
      {K::network_loss, {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}},
      {K::network_partition, {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}},
      {K::dependency_errors, {}},
      {K::capacity_loss, {ChaosTool::chaos_mesh, ChaosTool::litmus}},
      {K::load_spike, {}},
      {K::bad_deploy, {}},
  };
  // One experiment per kind on the payments system (the week-4 game day's
  // file, its experiment replaced).
  const std::map<K, std::string> experiments = {
      {K::pod_kill, "{fault: podKill, service: payment-api, mode: all}"},
      {K::zone_outage, "{fault: zoneOutage, zone: us-east-1a, duration: 5m}"},
      {K::node_drain, "{fault: nodeDrain, zone: us-east-1a}"},
      {K::datastore_failover, "{fault: datastoreFailover, datastore: payments-db}"},
      {K::cache_failover, "{fault: cacheFailover, cache: payments-redis}"},
      {K::network_latency,
       "{fault: networkLatency, from: payment-api, to: fraud-detection, latency: 2s, duration: "
       "5m}"},
      {K::network_loss,
       "{fault: networkLoss, from: payment-api, to: fraud-detection, loss: 20%, duration: 5m}"},
      {K::network_partition,
       "{fault: networkPartition, from: payment-api, to: payments-redis, duration: 5m}"},
      {K::dependency_errors,
       "{fault: dependencyErrors, service: fraud-detection, errorRate: 50%, duration: 5m}"},
      {K::capacity_loss,
       "{fault: capacityLoss, service: payment-api, fraction: 50%, duration: 5m}"},
      {K::load_spike, "{fault: loadSpike, service: payment-api, factor: 2, duration: 5m}"},
      {K::bad_deploy, "{fault: badDeploy, service: payment-api, errorRate: 10%}"},
  };
  ASSERT_EQ(experiments.size(), expressible.size());
  for (const auto& [kind, text] : experiments) {
    SCOPED_TRACE(text);
    const auto r = models::load_game_day(kGameDays + "week4-redis-partition.yaml",
                                         {"gameDay.experiment=" + text});
    ASSERT_EQ(r.game_day.experiment.kind, kind);
    const auto m = compiled(r);
    for (const ChaosTool tool : {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}) {
      SCOPED_TRACE(to_string(tool));
      if (expressible.at(kind).count(tool)) {
        const std::string manifest = export_experiment(m, r.game_day, tool);
        if (tool == ChaosTool::chaos_mesh) check_chaos_mesh(manifest);
        if (tool == ChaosTool::litmus) check_litmus(manifest);
        if (tool == ChaosTool::fis) check_fis(manifest);
      } else {
        try {
          export_experiment(m, r.game_day, tool);
          ADD_FAILURE() << "exported";
        } catch (const models::InputError& e) {
          EXPECT_NE(std::string(e.what()).find("cannot export"), std::string::npos) << e.what();
        }
      }
    }
  }
}

TEST(ChaosExport, TheSchemaChecksCatchWrongValues) {
  static std::string mesh, litmus_engine, fis_template;
  mesh = exported("month2-az-failure.yaml", ChaosTool::chaos_mesh);
  mesh.replace(mesh.find("mode: all"), 9, "mode: every");
  EXPECT_NONFATAL_FAILURE(check_chaos_mesh(mesh), "mode every");
  litmus_engine = exported("week1-pod-kill.yaml", ChaosTool::litmus);
  litmus_engine.replace(litmus_engine.find("CHAOS_INTERVAL"), 14, "CHAOS_INTERVL");
  EXPECT_NONFATAL_FAILURE(check_litmus(litmus_engine), "has no env CHAOS_INTERVL");
  fis_template = exported("month2-az-failure.yaml", ChaosTool::fis);
  fis_template.replace(fis_template.find("\"Instances\""), 11, "\"Instance\"");
  EXPECT_NONFATAL_FAILURE(check_fis(fis_template), "Instances");
}

TEST(ChaosExport, FaultsATheToolCannotExpressAreLocatedErrors) {
  const std::pair<const char*, ChaosTool> cases[] = {
      {"week2-database-failover.yaml", ChaosTool::chaos_mesh},
      {"week2-database-failover.yaml", ChaosTool::litmus},
      {"month2-az-failure.yaml", ChaosTool::litmus},
      {"week1-pod-kill.yaml", ChaosTool::fis},  // a repeated kill: FIS deletes once
  };
  for (const auto& [file, tool] : cases) {
    try {
      exported(file, tool);
      ADD_FAILURE() << file << " exported to " << to_string(tool);
    } catch (const models::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(file) + ":"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot export"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace relsim::analysis

namespace relsim::analysis {
namespace {

TEST(ChaosExport, NamesThatWouldBreakYamlOrJsonComeBackUnchanged) {
  // Issue 22: manifests are written by YAML::Emitter and the JSON node tree,
  // so a name holding YAML or JSON syntax, a line break or a comment sign is
  // quoted, never structure.
  const std::string evil = "x\": y\n  evil: [1 # not a comment\\ 'q'";
  for (const char* experiment :
       {"{fault: podKill, service: payment-api, mode: all}",
        "{fault: networkLatency, from: payment-api, to: fraud-detection, latency: 2s, duration: "
        "5m}",
        "{fault: capacityLoss, service: payment-api, fraction: 50%, duration: 5m}"}) {
    SCOPED_TRACE(experiment);
    auto r = models::load_game_day(kGameDays + "week4-redis-partition.yaml",
                                   {std::string("gameDay.experiment=") + experiment});
    r.game_day.name = "drill " + evil;
    auto m = compiled(r);
    m.names.system = "ns: " + evil;
    for (auto& c : m.names.components) c = "app " + evil + c;
    const models::FaultRow& f = m.faults[0];
    const models::Index target =
        f.kind == models::FaultKind::network_latency ? f.from : f.component;
    for (const ChaosTool tool : {ChaosTool::chaos_mesh, ChaosTool::litmus, ChaosTool::fis}) {
      if (tool == ChaosTool::fis && f.kind == models::FaultKind::capacity_loss) continue;
      SCOPED_TRACE(to_string(tool));
      const std::string text = export_experiment(m, r.game_day, tool);
      const YAML::Node doc = YAML::Load(text);  // JSON is YAML too
      if (tool == ChaosTool::fis) {
        EXPECT_EQ(doc["tags"]["relsim-game-day"].as<std::string>(), r.game_day.name);
        const YAML::Node t = doc["targets"].begin()->second;
        EXPECT_EQ(t["parameters"]["namespace"].as<std::string>(), m.names.system);
        EXPECT_EQ(t["parameters"]["selectorValue"].as<std::string>(),
                  "app=" + m.names.components[target]);
        continue;
      }
      EXPECT_EQ(doc["metadata"]["name"].as<std::string>(), r.game_day.name);
      EXPECT_EQ(doc["metadata"]["namespace"].as<std::string>(), m.names.system);
      expect_only_keys(doc["metadata"], {"name", "namespace", "annotations"}, "metadata");
      if (tool == ChaosTool::litmus) {
        EXPECT_EQ(doc["spec"]["appinfo"]["applabel"].as<std::string>(),
                  "app=" + m.names.components[target]);
      } else {
        EXPECT_EQ(doc["spec"]["selector"]["labelSelectors"]["app"].as<std::string>(),
                  m.names.components[target]);
        EXPECT_EQ(doc["spec"]["selector"]["namespaces"][0].as<std::string>(), m.names.system);
      }
    }
  }
}

}  // namespace
}  // namespace relsim::analysis
