// The closed set of game-day metrics.
#include "models/game_day.hpp"

#include "models/diagnostics.hpp"

namespace relsim::models {

const std::vector<MetricInfo>& game_day_metrics() {
  using M = GameDayMetric;
  using U = MetricUnit;
  static const std::vector<MetricInfo> kMetrics = {
      {M::capacity_restored, "capacityRestored", U::duration,
       "time from the fault until serving capacity is back to its level before it"},
      {M::traffic_shift, "trafficShift", U::duration,
       "time from the fault until the load balancer has moved traffic off failed replicas/zones"},
      {M::failover_time, "failoverTime", U::duration,
       "time from the fault until a datastore or cache failover has completed"},
      {M::error_rate, "errorRate", U::fraction,
       "peak error rate over any evaluation interval (same as peakErrorRate)"},
      {M::peak_error_rate, "peakErrorRate", U::fraction,
       "peak error rate over any evaluation interval"},
      {M::mean_error_rate, "meanErrorRate", U::fraction,
       "failed / total requests over the observation window"},
      {M::latency_p99, "latencyP99", U::duration,
       "99th percentile request latency over the observation window"},
      {M::latency_percentile, "latencyPercentile", U::duration,
       "the latency percentile given by `percentile` over the observation window"},
      {M::first_page, "firstPage", U::duration, "time from the fault until the first page"},
      {M::ack_time, "ackTime", U::duration, "time from the first page until its acknowledgement"},
      {M::budget_consumed, "budgetConsumed", U::fraction,
       "fraction of the month's error budget the drill consumes"},
      {M::requests_failed, "requestsFailed", U::count, "number of failed requests"},
      {M::users_affected, "usersAffected", U::fraction,
       "fraction of demand not served well during the observation window"},
  };
  return kMetrics;
}

const MetricInfo* find_game_day_metric(std::string_view name) {
  for (const auto& m : game_day_metrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::optional<std::string> suggest_game_day_metric(std::string_view name) {
  std::vector<std::string> names;
  for (const auto& m : game_day_metrics()) names.emplace_back(m.name);
  return nearest_name(name, names);
}

std::string_view to_string(GameDayMetric m) {
  for (const auto& info : game_day_metrics()) {
    if (info.metric == m) return info.name;
  }
  return "?";
}

}  // namespace relsim::models
