// Names of the scenario vocabulary as written in files.
#include "models/scenario.hpp"

namespace relsim::models {

const char* to_string(FaultKind v) {
  switch (v) {
    case FaultKind::pod_kill:
      return "podKill";
    case FaultKind::zone_outage:
      return "zoneOutage";
    case FaultKind::node_drain:
      return "nodeDrain";
    case FaultKind::datastore_failover:
      return "datastoreFailover";
    case FaultKind::cache_failover:
      return "cacheFailover";
    case FaultKind::network_latency:
      return "networkLatency";
    case FaultKind::network_loss:
      return "networkLoss";
    case FaultKind::network_partition:
      return "networkPartition";
    case FaultKind::dependency_errors:
      return "dependencyErrors";
    case FaultKind::capacity_loss:
      return "capacityLoss";
    case FaultKind::load_spike:
      return "loadSpike";
    case FaultKind::bad_deploy:
      return "badDeploy";
  }
  return "?";
}

const char* to_string(KillMode::Kind v) {
  switch (v) {
    case KillMode::Kind::one:
      return "one";
    case KillMode::Kind::all:
      return "all";
    case KillMode::Kind::fixed:
      return "fixed";
    case KillMode::Kind::fixed_percent:
      return "fixedPercent";
    case KillMode::Kind::random_max_percent:
      return "randomMaxPercent";
  }
  return "?";
}

}  // namespace relsim::models
