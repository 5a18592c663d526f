// A generated platform of N services, the shape the engine's scaling
// benchmarks and `relsim init --template platform --services N` use
// (docs/scaling.md, "The generated platform"): three zones; the services in
// layers, each calling one service of the next layer as a hard dependency
// (callFraction 50 %) and another one as a soft dependency whose timeout
// shrinks with depth (300 ms from the front layer, 50 ms less per layer, so
// a caller never gives up before its callee's fallback); the last layer calls a datastore, one
// datastore per 10 services; 3 replicas per service, a crash every 20 days per replica, one deploy
// a day with a 5 % change failure rate; an availability SLO and a burn-rate alert per front-layer
// service; a team per 10 services; 30-day trials. Deterministic: the same N gives the same text.
#pragma once

#include <string>

namespace relsim::models {

/// The System and Scenario YAML of a generated platform.
struct PlatformText {
  std::string system;    // kind: System, named `name`
  std::string scenario;  // kind: Scenario named `name`-month, on `system_path`
};

/// The largest `services` accepted (the loader's own limits are higher;
/// this keeps a mistyped count from writing a gigabyte).
inline constexpr int kMaxPlatformServices = 20000;

/// How many layers a platform of `services` services has: 6, or fewer when
/// there are fewer services. The front layer is the first.
int platform_layers(int services);

/// The timeout, in ms, of the soft dependencies of layer `layer` (0: the
/// front) on the next: 300 − 50 · layer, shorter than every caller's.
int platform_soft_timeout_ms(int layer);

/// The generated platform. `services` in [1, kMaxPlatformServices] (else
/// std::invalid_argument); `system_path` is what the scenario's
/// `spec.system` says (relative to the scenario file).
PlatformText generate_platform(int services, const std::string& name,
                               const std::string& system_path = "system.yaml");

}  // namespace relsim::models
