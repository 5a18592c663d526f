// The generated platform: see models/platform_generator.hpp.
#include "models/platform_generator.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <utility>
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

/// `text` with line breaks as spaces, for a comment.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

int platform_layers(int services) { return std::min(6, std::max(1, services)); }

int platform_soft_timeout_ms(int layer) { return 300 - 50 * layer; }

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

  // The documents are built with yaml-cpp's emitter (a `--name` with a
  // colon or a quote stays one scalar); the comments above each are text.
  using YAML::BeginMap;
  using YAML::BeginSeq;
  using YAML::EndMap;
  using YAML::EndSeq;
  using YAML::Flow;
  using YAML::Key;
  using YAML::Value;
  // `{outer: {key: value, ...}}` on one line: a distribution or a failure.
  const auto dist = [](YAML::Emitter& y, const char* kind,
                       std::initializer_list<std::pair<const char*, const char*>> params) {
    y << Flow << BeginMap << Key << kind << Value << BeginMap;
    for (const auto& [k, v] : params) y << Key << k << Value << v;
    y << EndMap << EndMap;
  };
  const auto failure = [&](YAML::Emitter& y, const char* type, const char* mean) {
    y << Flow << BeginMap << Key << "type" << Value << type << Key << "every" << Value;
    dist(y, "exponential", {{"mean", mean}});
    y << EndMap;
  };
  const auto zone_list = [](YAML::Emitter& y, std::initializer_list<const char*> zones) {
    y << Flow << BeginSeq;
    for (const char* z : zones) y << z;
    y << EndSeq;
  };

  YAML::Emitter y;
  y << BeginMap << Key << "apiVersion" << Value << "relsim/v1alpha1";
  y << Key << "kind" << Value << "System";
  y << Key << "metadata" << Value << BeginMap << Key << "name" << Value << name;
  y << Key << "description" << Value
    << "A generated platform of " + std::to_string(services) + " services in " +
           std::to_string(layers) + " layers.";
  y << EndMap;
  y << Key << "spec" << Value << BeginMap;
  y << Key << "zones" << Value;
  zone_list(y, {kZoneNames[0], kZoneNames[1], kZoneNames[2]});
  y << Key << "services" << Value << BeginSeq;
  for (int l = 0; l < layers; ++l) {
    const int size = begin[l + 1] - begin[l];
    for (int j = 0; j < size; ++j) {
      const int i = begin[l] + j;
      y << BeginMap << Key << "name" << Value << service_name(i);
      y << Key << "replicas" << Value << 3;
      y << Key << "zones" << Value;
      zone_list(y, {kZoneNames[0], kZoneNames[1], kZoneNames[2]});
      y << Key << "capacityPerReplica" << Value << 200;
      if (l == 0) {
        y << Key << "demand" << Value << BeginMap << Key << "base" << Value << 100;
        y << Key << "daily" << Value << Flow << BeginMap << Key << "peak" << Value
          << YAML::DoubleQuoted << "14:00" << Key << "peakFactor" << Value << 1.5 << Key << "trough"
          << Value << YAML::DoubleQuoted << "04:00" << Key << "troughFactor" << Value << 0.5
          << EndMap;
        y << EndMap;
      }
      y << Key << "latency" << Value;
      dist(y, "lognormal", {{"median", "20ms"}, {"p99", "250ms"}});
      y << Key << "restart" << Value;
      dist(y, "lognormal", {{"median", "30s"}, {"p99", "3m"}});
      y << Key << "failures" << Value << BeginSeq;
      failure(y, "replicaCrash", "20d");
      y << EndSeq;
      y << Key << "deploys" << Value << BeginMap;
      y << Key << "rate" << Value << "1/day" << Key << "changeFailureRate" << Value << "5%";
      y << Key << "badDeploy" << Value << Flow << BeginMap << Key << "errorRate" << Value << "20%"
        << Key << "detectsItself" << Value << true << EndMap;
      y << Key << "rollback" << Value;
      dist(y, "lognormal", {{"median", "5m"}, {"p90", "15m"}});
      y << EndMap;
      y << Key << "dependsOn" << Value << BeginSeq;
      if (l + 1 < layers) {
        const int next = begin[l + 1];
        const int next_size = begin[l + 2] - next;
        y << Flow << BeginMap << Key << "service" << Value << service_name(next + j % next_size)
          << Key << "callFraction" << Value << "50%" << EndMap;
        if (next_size > 1) {
          y << Flow << BeginMap << Key << "service" << Value
            << service_name(next + (j + 1) % next_size) << Key << "type" << Value << "soft" << Key
            << "timeout" << Value << std::to_string(platform_soft_timeout_ms(l)) + "ms" << Key
            << "fallbackSuccess" << Value << "100%" << Key << "callFraction" << Value << "20%"
            << EndMap;
        }
      } else {
        y << Flow << BeginMap << Key << "datastore" << Value << datastore_name(j % datastores)
          << EndMap;
      }
      y << EndSeq << EndMap;
    }
  }
  y << EndSeq;
  y << Key << "datastores" << Value << BeginSeq;
  for (int d = 0; d < datastores; ++d) {
    y << BeginMap << Key << "name" << Value << datastore_name(d);
    y << Key << "primaryZone" << Value << kZoneNames[d % kZones];
    y << Key << "replicaZones" << Value;
    zone_list(y, {kZoneNames[(d + 1) % kZones], kZoneNames[(d + 2) % kZones]});
    y << Key << "capacity" << Value << 20000;
    y << Key << "latency" << Value;
    dist(y, "lognormal", {{"median", "5ms"}, {"p99", "50ms"}});
    y << Key << "failover" << Value << Flow << BeginMap << Key << "detect" << Value << "30s" << Key
      << "duration" << Value;
    dist(y, "lognormal", {{"median", "60s"}, {"p90", "2m"}});
    y << EndMap;
    y << Key << "failures" << Value << BeginSeq;
    failure(y, "primaryFailure", "180d");
    y << EndSeq << EndMap;
  }
  y << EndSeq;
  y << Key << "slos" << Value << BeginSeq;
  for (int i = 0; i < front; ++i) {
    y << Flow << BeginMap << Key << "name" << Value << service_name(i) + "-availability" << Key
      << "service" << Value << service_name(i) << Key << "sli" << Value << "availability" << Key
      << "objective" << Value << "99.9%" << Key << "window" << Value << "30d" << EndMap;
  }
  y << EndSeq;
  y << Key << "alerts" << Value << BeginSeq;
  for (int i = 0; i < front; ++i) {
    y << Flow << BeginMap << Key << "name" << Value << service_name(i) + "-burn" << Key << "slo"
      << Value << service_name(i) + "-availability" << Key << "burnRate" << Value << "sreWorkbook"
      << EndMap;
  }
  y << EndSeq;
  y << Key << "teams" << Value << BeginSeq;
  for (int t = 0; t < teams; ++t) {
    y << BeginMap << Key << "name" << Value << team_name(t);
    y << Key << "members" << Value << 6;
    y << Key << "ack" << Value;
    dist(y, "lognormal", {{"median", "3m"}, {"p90", "10m"}});
    y << Key << "owns" << Value << Flow << BeginSeq;
    const int last = std::min(services, (t + 1) * kServicesPerTeam);
    for (int i = t * kServicesPerTeam; i < last; ++i) y << service_name(i);
    y << EndSeq << EndMap;
  }
  y << EndSeq << EndMap << EndMap;

  YAML::Emitter sc;
  sc << BeginMap << Key << "apiVersion" << Value << "relsim/v1alpha1";
  sc << Key << "kind" << Value << "Scenario";
  sc << Key << "metadata" << Value << BeginMap << Key << "name" << Value << name + "-month";
  sc << Key << "description" << Value
     << "30 days of the generated " + std::to_string(services) + "-service platform.";
  sc << EndMap;
  sc << Key << "spec" << Value << BeginMap << Key << "system" << Value << system_path;
  sc << Key << "horizon" << Value << "30d" << Key << "trials" << Value << 100 << Key << "seed"
     << Value << 1 << EndMap << EndMap;
  if (!y.good() || !sc.good()) {
    throw std::runtime_error("generated platform: " + y.GetLastError() + sc.GetLastError());
  }

  PlatformText out;
  out.system = "# A generated platform of " + std::to_string(services) +
               " services (relsim init --template platform --services " + std::to_string(services) +
               "):\n# " + std::to_string(layers) +
               " layers of services, each calling one service of the next layer as a\n"
               "# hard dependency (50 % of its requests) and another as a soft dependency "
               "whose\n# timeout shrinks with depth (300 ms from the front layer, 50 ms less per\n"
               "# layer); the last layer calls " +
               std::to_string(datastores) +
               " datastore(s). docs/scaling.md describes the shape.\n" + y.c_str() + "\n";
  out.scenario = "# A month of the generated platform in " + one_line(system_path) +
                 ": random crashes, deploys and\n"
                 "# datastore failures, nothing injected. Run it with\n"
                 "#   relsim run scenario.yaml\n" +
                 std::string(sc.c_str()) + "\n";
  return out;
}

}  // namespace relsim::models
