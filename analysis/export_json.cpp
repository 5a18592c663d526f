// The run summary as JSON (see export_json.hpp and docs/results.md).
#include "analysis/export_json.hpp"

#include <cmath>
#include <vector>

#include "analysis/text_format.hpp"

namespace relsim::analysis {

namespace {

std::string u64(std::uint64_t v) { return std::to_string(v); }

std::string interval_json(const Interval& iv) {
  return "{\"estimate\": " + json_number(iv.estimate) + ", \"low\": " + json_number(iv.low) +
         ", \"high\": " + json_number(iv.high) + "}";
}

std::string series_json(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", " : "") + (std::isfinite(values[i]) ? shortest_sample(values[i]) : "null");
  }
  return out + "]";
}

std::string strings_json(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + json_string(values[i]);
  return out + "]";
}

std::string slo_json(const models::CompiledModel& m, std::size_t k, const SloSummary& x) {
  const auto& row = m.slos[k];
  const auto& p95 = x.budget_consumed_p95;
  std::string out = "    {\n";
  out += "      \"name\": " + json_string(m.names.slos[k]) + ",\n";
  out += "      \"service\": " + json_string(m.names.components[row.component]) + ",\n";
  out += "      \"sli\": " + json_string(models::to_string(row.sli)) + ",\n";
  out += "      \"objective\": " + json_number(row.objective) + ",\n";
  out += std::string("      \"window\": {\"kind\": ") +
         (row.window_kind == models::SloWindowKind::rolling ? "\"rolling\"" : "\"calendarMonth\"") +
         ", \"startSeconds\": " + json_number(x.window.start.to_seconds()) +
         ", \"lengthSeconds\": " + json_number(x.window.length.to_seconds()) + "},\n";
  out += "      \"attainment\": " + interval_json(x.attainment) + ",\n";
  out += "      \"met\": {\"trials\": " + u64(x.met) +
         ", \"probability\": " + interval_json(x.p_met) +
         ", \"notMetProbability\": " + interval_json(x.p_not_met) + "},\n";
  out += "      \"budgetConsumed\": {\"mean\": " + interval_json(x.budget_consumed) +
         ", \"p95\": {\"estimate\": " + json_number(p95.estimate) +
         ", \"low\": " + json_number(p95.low) + ", \"high\": " + json_number(p95.high) +
         ", \"lowerRank\": " + u64(p95.lower_rank) + ", \"upperRank\": " + u64(p95.upper_rank) +
         ", \"coverage\": " + json_number(p95.coverage) + "}},\n";
  out += "      \"budgetMinutes\": {\"mean\": " + interval_json(x.budget_minutes) +
         ", \"allowed\": " + json_number(x.budget_minutes_allowed) + "},\n";
  out += "      \"tiers\": [";
  for (std::size_t t = 0; t < x.tiers.size(); ++t) {
    const auto& tier = x.tiers[t];
    out += std::string(t ? ",\n" : "\n") +
           "        {\"action\": " + json_string(models::to_string(tier.action)) +
           ", \"remainingAbove\": " +
           (tier.remaining_above ? json_number(*tier.remaining_above) : "null") +
           ", \"trials\": " + u64(tier.reached) +
           ", \"probability\": " + interval_json(tier.probability) +
           ", \"firstReachedSeconds\": " + interval_json(tier.first_reached_seconds) + "}";
  }
  out += "\n      ],\n";
  const auto& rb = x.remaining_budget;
  out += "      \"remainingBudget\": {\"startSeconds\": " + json_number(rb.start.to_seconds()) +
         ", \"stepSeconds\": " + json_number(rb.step.to_seconds()) + ",\n";
  out += "        \"mean\": " + series_json(rb.mean) + ",\n";
  out += "        \"p05\": " + series_json(rb.p05) + ",\n";
  out += "        \"p95\": " + series_json(rb.p95) + "}\n";
  return out + "    }";
}

std::string quantile_json(const QuantileInterval& q) {
  return "{\"estimate\": " + json_number(q.estimate) + ", \"low\": " + json_number(q.low) +
         ", \"high\": " + json_number(q.high) + "}";
}

std::string incidents_json(const RunSummary& s) {
  std::string out = "  \"incidents\": {";
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    const auto& x = s.incidents[g];
    out += std::string(g ? ",\n" : "\n") + "    " + json_string(severity_group_name(g)) +
           ": {\"count\": " + u64(x.incidents) + ", \"perTrial\": " + interval_json(x.per_trial) +
           ", \"pHumanNeeded\": " + interval_json(x.p_human_needed) +
           ", \"escalation\": {\"paged\": " + u64(x.paged) + ", \"acked\": " + u64(x.acked) +
           ", \"pEscalated\": " + interval_json(x.p_escalated) +
           ", \"escalationsPerIncident\": " + interval_json(x.escalations_per_incident) +
           ", \"pAckedAfterEscalation\": " + interval_json(x.p_acked_after_escalation) +
           ", \"pOtherTeamAcked\": " + interval_json(x.p_other_team_acked) + "}";
    for (std::size_t m = 0; m < kIncidentMetrics; ++m) {
      const auto& d = x.durations[m];
      out += ",\n      \"" + std::string(to_string(static_cast<IncidentMetric>(m))) +
             "Seconds\": {\"n\": " + u64(d.n) + ", \"mean\": " + interval_json(d.mean) +
             ", \"median\": " + quantile_json(d.median) + ", \"p90\": " + quantile_json(d.p90) +
             ", \"p95\": " + quantile_json(d.p95) + "}";
    }
    out += "}";
  }
  return out + "\n  },\n";
}

std::string teams_json(const models::CompiledModel& m, const RunSummary& s) {
  std::string out = "  \"pagesPerTrial\": " + interval_json(s.pages_per_trial) + ",\n";
  out += "  \"teams\": [";
  for (std::size_t t = 0; t < s.teams.size(); ++t) {
    const auto& x = s.teams[t];
    out += std::string(t ? ",\n" : "\n") + "    {\"name\": " +
           json_string(t < m.names.teams.size() ? m.names.teams[t] : std::to_string(t)) +
           ", \"pagesPerTrial\": " + interval_json(x.pages_per_trial) +
           ", \"pagesPerShift\": " + interval_json(x.pages_per_shift) +
           ", \"nightPagesPerTrial\": " + interval_json(x.night_pages_per_trial) +
           ", \"noisePagesPerTrial\": " + interval_json(x.noise_pages_per_trial) +
           ", \"ticketsPerTrial\": " + interval_json(x.tickets_per_trial) + "}";
  }
  return out + (s.teams.empty() ? "],\n" : "\n  ],\n");
}

}  // namespace

std::string meta_json(const RunMeta& r, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = "{\n" + pad + "  \"formatVersion\": " + std::to_string(kResultsFormatVersion);
  struct Value {
    std::string operator()(const std::string& v) const { return json_string(v); }
    std::string operator()(const std::vector<std::string>& v) const { return strings_json(v); }
    std::string operator()(std::uint64_t v) const { return u64(v); }
    std::string operator()(std::uint32_t v) const { return u64(v); }
    std::string operator()(double v) const { return json_number(v); }
  };
  for_each_meta_field(r, [&](const char*, const char* key, const auto& value) {
    out += ",\n" + pad + "  \"" + key + "\": " + Value{}(value);
  });
  return out + "\n" + pad + "}";
}

std::string summary_json(const models::CompiledModel& m, const RunSummary& s, const RunMeta& r,
                         const Timing& timing, bool with_meta) {
  std::string out = "{\n";
  out += "  \"scenario\": " + json_string(m.names.scenario) + ",\n";
  out += "  \"scenarioFile\": " + json_string(r.scenario_file) + ",\n";
  out += "  \"system\": " + json_string(m.names.system) + ",\n";
  out += "  \"seed\": " + u64(r.seed) + ",\n";
  out += "  \"trials\": " + u64(r.trials) + ",\n";
  out += "  \"firstTrial\": " + u64(r.first_trial) + ",\n";
  out += "  \"trialsSummarised\": " + u64(s.trials) + ",\n";
  out += "  \"horizon\": " + json_string(horizon_text(m.horizon)) + ",\n";
  out += "  \"horizonSeconds\": " + json_number(m.horizon.to_seconds()) + ",\n";
  out += "  \"confidence\": " + json_number(s.confidence) + ",\n";
  out += "  \"events\": " + u64(s.events) + ",\n";
  out += "  \"eventsPerTrial\": " + json_number(s.events_per_trial) + ",\n";
  out += "  \"slos\": [";
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    out += (k ? ",\n" : "\n") + slo_json(m, k, s.slos[k]);
  }
  out += m.slos.empty() ? "],\n" : "\n  ],\n";
  out += "  \"services\": [";
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    out += std::string(v ? ",\n" : "\n") +
           "    {\"name\": " + json_string(m.names.components[m.services[v].component]) +
           ", \"availability\": " + interval_json(s.services[v].availability) + "}";
  }
  out += m.services.empty() ? "],\n" : "\n  ],\n";
  out += teams_json(m, s);
  out += incidents_json(s);
  if (with_meta) out += "  \"meta\": " + meta_json(r, 2) + ",\n";
  // Last, on one line: the only part that depends on the machine and threads.
  const double per_second =
      timing.wall_seconds > 0 ? static_cast<double>(s.trials) / timing.wall_seconds : 0.0;
  out += "  \"timing\": {\"wallSeconds\": " + json_number(timing.wall_seconds) +
         ", \"trialsPerSecond\": " + json_number(per_second) +
         ", \"threads\": " + std::to_string(timing.threads) + "}\n";
  return out + "}\n";
}

}  // namespace relsim::analysis
