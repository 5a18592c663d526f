// The generated platform: see models/platform_generator.hpp.
#include "models/platform_generator.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace relsim::models {
namespace {

constexpr int kZones = 3;
constexpr const char* kZoneNames[kZones] = {"zone-a", "zone-b", "zone-c"};
constexpr int kServicesPerDatastore = 10;
constexpr int kServicesPerTeam = 10;

std::string service_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "svc-%04d", i);
  return buf;
}

std::string datastore_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "db-%03d", i);
  return buf;
}

std::string team_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "team-%03d", i);
  return buf;
}

}  // namespace

int platform_layers(int services) { return std::min(6, std::max(1, services)); }

PlatformText generate_platform(int services, const std::string& name,
                               const std::string& system_path) {
  if (services < 1 || services > kMaxPlatformServices) {
    throw std::invalid_argument("a generated platform has 1 to " +
                                std::to_string(kMaxPlatformServices) + " services, not " +
                                std::to_string(services));
  }
  // Layer sizes: the remainder goes to the deeper layers, so the front
  // layer has floor(N / layers) services.
  const int layers = platform_layers(services);
  std::vector<int> begin(static_cast<std::size_t>(layers) + 1, 0);
  for (int l = 0; l < layers; ++l) {
    const int size = services / layers + (l >= layers - services % layers ? 1 : 0);
    begin[l + 1] = begin[l] + size;
  }
  const int datastores = (services + kServicesPerDatastore - 1) / kServicesPerDatastore;
  const int teams = (services + kServicesPerTeam - 1) / kServicesPerTeam;
  const int front = begin[1];

  std::string s;
  s.reserve(static_cast<std::size_t>(services) * 700 + 4000);
  s += "# A generated platform of " + std::to_string(services) +
       " services (relsim init --template platform --services " + std::to_string(services) +
       "):\n"
       "# " +
       std::to_string(layers) +
       " layers of services, each calling one service of the next "
       "layer as a\n"
       "# hard dependency (50 % of its requests) and another as a soft dependency with a\n"
       "# 300 ms timeout; the last layer calls " +
       std::to_string(datastores) +
       " datastore(s). docs/scaling.md describes the shape.\n"
       "apiVersion: relsim/v1alpha1\n"
       "kind: System\n"
       "metadata:\n"
       "  name: " +
       name +
       "\n"
       "  description: A generated platform of " +
       std::to_string(services) + " services in " + std::to_string(layers) +
       " layers.\n"
       "spec:\n"
       "  zones: [zone-a, zone-b, zone-c]\n"
       "  services:\n";
  for (int l = 0; l < layers; ++l) {
    const int size = begin[l + 1] - begin[l];
    for (int j = 0; j < size; ++j) {
      const int i = begin[l] + j;
      s += "    - name: " + service_name(i) +
           "\n"
           "      replicas: 3\n"
           "      zones: [zone-a, zone-b, zone-c]\n"
           "      capacityPerReplica: 200\n";
      if (l == 0) {
        s += "      demand:\n"
             "        base: 100\n"
             "        daily: {peak: \"14:00\", peakFactor: 1.5, trough: \"04:00\", troughFactor: "
             "0.5}\n";
      }
      s += "      latency: {lognormal: {median: 20ms, p99: 250ms}}\n"
           "      restart: {lognormal: {median: 30s, p99: 3m}}\n"
           "      failures:\n"
           "        - {type: replicaCrash, every: {exponential: {mean: 20d}}}\n"
           "      deploys:\n"
           "        rate: 1/day\n"
           "        changeFailureRate: 5%\n"
           "        badDeploy: {errorRate: 20%, detectsItself: true}\n"
           "        rollback: {lognormal: {median: 5m, p90: 15m}}\n"
           "      dependsOn:\n";
      if (l + 1 < layers) {
        const int next = begin[l + 1];
        const int next_size = begin[l + 2] - next;
        s += "        - {service: " + service_name(next + j % next_size) + ", callFraction: 50%}\n";
        if (next_size > 1) {
          s += "        - {service: " + service_name(next + (j + 1) % next_size) +
               ", type: soft, timeout: 300ms, fallbackSuccess: 100%, callFraction: 20%}\n";
        }
      } else {
        s += "        - {datastore: " + datastore_name(j % datastores) + "}\n";
      }
    }
  }
  s += "  datastores:\n";
  for (int d = 0; d < datastores; ++d) {
    s += "    - name: " + datastore_name(d) +
         "\n"
         "      primaryZone: " +
         std::string(kZoneNames[d % kZones]) +
         "\n"
         "      replicaZones: [" +
         kZoneNames[(d + 1) % kZones] + ", " + kZoneNames[(d + 2) % kZones] +
         "]\n"
         "      capacity: 20000\n"
         "      latency: {lognormal: {median: 5ms, p99: 50ms}}\n"
         "      failover: {detect: 30s, duration: {lognormal: {median: 60s, p90: 2m}}}\n"
         "      failures:\n"
         "        - {type: primaryFailure, every: {exponential: {mean: 180d}}}\n";
  }
  s += "  slos:\n";
  for (int i = 0; i < front; ++i) {
    s += "    - {name: " + service_name(i) + "-availability, service: " + service_name(i) +
         ", sli: availability, objective: 99.9%, window: 30d}\n";
  }
  s += "  alerts:\n";
  for (int i = 0; i < front; ++i) {
    s += "    - {name: " + service_name(i) + "-burn, slo: " + service_name(i) +
         "-availability, burnRate: sreWorkbook}\n";
  }
  s += "  teams:\n";
  for (int t = 0; t < teams; ++t) {
    s += "    - name: " + team_name(t) +
         "\n"
         "      members: 6\n"
         "      ack: {lognormal: {median: 3m, p90: 10m}}\n"
         "      owns: [";
    const int last = std::min(services, (t + 1) * kServicesPerTeam);
    for (int i = t * kServicesPerTeam; i < last; ++i) {
      if (i > t * kServicesPerTeam) s += ", ";
      s += service_name(i);
    }
    s += "]\n";
  }

  PlatformText out;
  out.system = std::move(s);
  out.scenario = "# A month of the generated platform in " + system_path +
                 ": random crashes, deploys and\n"
                 "# datastore failures, nothing injected. Run it with\n"
                 "#   relsim run scenario.yaml\n"
                 "apiVersion: relsim/v1alpha1\n"
                 "kind: Scenario\n"
                 "metadata:\n"
                 "  name: " +
                 name +
                 "-month\n"
                 "  description: 30 days of the generated " +
                 std::to_string(services) +
                 "-service platform.\n"
                 "spec:\n"
                 "  system: " +
                 system_path +
                 "\n"
                 "  horizon: 30d\n"
                 "  trials: 100\n"
                 "  seed: 1\n";
  return out;
}

}  // namespace relsim::models
