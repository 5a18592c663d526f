// The planned experiment as a manifest for the chaos tool that will run it
// (`relsim plan --export`), so the drill that was planned is the drill that
// is run:
//   chaos-mesh  a Chaos Mesh resource (chaos-mesh.org/v1alpha1): PodChaos,
//               a Schedule of PodChaos for repeated pod kills, NetworkChaos,
//               StressChaos;
//   litmus      a Litmus ChaosEngine (litmuschaos.io/v1alpha1) running one
//               of the hub's experiments (pod-delete, node-drain,
//               pod-network-latency, pod-network-loss, pod-cpu-hog);
//   fis         an AWS FIS experiment template (JSON for
//               `aws fis create-experiment-template --cli-input-json`):
//               aws:ec2:stop-instances (zone outage), aws:rds:failover-db-
//               cluster, aws:eks:pod-delete (pod kill, the kill mode as the
//               selection mode), aws:eks:pod-network-latency and
//               aws:eks:pod-network-packet-loss (network faults).
// Kubernetes pods are selected by the label `app=<component>` in the
// namespace named after the system; AWS resources by placeholders
// (REGION, ACCOUNT, CLUSTER, the FIS pods' service account) the team fills in. Stop conditions
// become FIS stop conditions on CloudWatch alarms (placeholders) and comments in the Kubernetes
// manifests, which have no stop conditions of their own. A fault the tool cannot express is an
// InputError located at the experiment. Pure functions; thread-safe.
#pragma once

#include <string>

#include "models/compiled_model.hpp"
#include "models/game_day.hpp"

namespace relsim::analysis {

enum class ChaosTool { chaos_mesh, litmus, fis };

/// `chaos-mesh`, `litmus`, `fis`.
const char* to_string(ChaosTool t);

/// The manifest of `game_day`'s experiment (model.faults[0]) for `tool`.
std::string export_experiment(const models::CompiledModel& model, const models::GameDay& game_day,
                              ChaosTool tool);

}  // namespace relsim::analysis
