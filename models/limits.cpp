// The input limits (see limits.hpp).
#include "models/limits.hpp"

namespace relsim::models {

const std::vector<InputLimit>& input_limits() {
  static const std::vector<InputLimit> limits = {
      {"bytes of one YAML input file", "32 MiB (33554432)", "any file relsim loads"},
      {"bytes of one data file", "256 MiB (268435456)", "`{empirical: {file: ...}}`"},
      {"nesting of YAML collections", "64 levels", "any file relsim loads"},
      {"replicas per service", "100000", "`replicas`, `autoscale.maxReplicas`"},
      {"replicas of all services", "1000000", "the sum of `replicas`"},
      {"components", "100000", "zones, services, datastores and caches together"},
      {"dependency edges", "1000000", "`dependsOn` entries of all services"},
      {"alert rules", "10000", "`alerts` of a System or an AlertRules file"},
      {"candidate starts", "10000", "`candidateStarts` of a GameDay (a window's steps)"},
      {"repetitions of a fault", "100000", "`duration` ÷ `interval` of a fault that repeats"},
      {"trials", "1000000000", "`trials`, `maxTrials`, `--trials`, `--max-trials`"},
      {"trials of a plan", "100000000", "trials × candidate starts of `relsim plan`"},
      {"draws of a power analysis", "1000000000",
       "`--incidents` × `--repeats` of `relsim incidents power` (`--repeats` at most 1000000)"},
      {"steps of a horizon", "1000000000",
       "the horizon divided by the smallest alert `evaluationInterval`"},
      {"requests per second", "1e9", "`demand`, `demand.base`, `capacityPerReplica`"},
      {"bytes of a name", "253", "`name` of anything, and every reference to a name"},
  };
  return limits;
}

std::optional<KeyLimit> key_limit(std::string_view object, std::string_view key) {
  struct Entry {
    std::string_view object, key;
    double max;
    std::string_view what;
  };
  static constexpr Entry kLimits[] = {
      {"Service", "replicas", static_cast<double>(kMaxReplicas), "replicas per service"},
      {"Autoscale", "maxReplicas", static_cast<double>(kMaxReplicas), "replicas per service"},
      {"Service", "capacityPerReplica", kMaxRequestRate, "requests per second"},
      {"Demand", "base", kMaxRequestRate, "requests per second"},
      {"ScenarioSpec", "trials", static_cast<double>(kMaxTrials), "trials"},
      {"StoppingRule", "minTrials", static_cast<double>(kMaxTrials), "trials"},
      {"StoppingRule", "maxTrials", static_cast<double>(kMaxTrials), "trials"},
      {"GameDaySpec", "trials", static_cast<double>(kMaxTrials), "trials"},
  };
  for (const auto& e : kLimits) {
    if (e.object == object && e.key == key) return KeyLimit{e.max, e.what};
  }
  return std::nullopt;
}

std::string limit_note(std::string_view what) {
  return " (the limit of " + std::string(what) + "; see docs/reference/README.md#limits)";
}

}  // namespace relsim::models
