// The run summary as JSON (see export_json.hpp and docs/results.md).
#include "analysis/export_json.hpp"

#include <vector>

#include "analysis/text_format.hpp"

namespace relsim::analysis {

using models::JsonNode;

namespace {

JsonNode quantile_node(const QuantileInterval& q) {
  return interval_node(Interval{q.estimate, q.low, q.high});
}

JsonNode window_node(const models::SloRow& row, const SloSummary& x) {
  JsonNode w;
  w.set("kind", row.window_kind == models::SloWindowKind::rolling ? "rolling" : "calendarMonth");
  w.set("startSeconds", x.window.start.to_seconds());
  w.set("lengthSeconds", x.window.length.to_seconds());
  return std::move(w.one_line());
}

JsonNode tier_node(const TierSummary& tier) {
  JsonNode t;
  t.set("action", models::to_string(tier.action));
  t.set("remainingAbove", JsonNode::optional(tier.remaining_above));
  t.set("trials", tier.reached);
  t.set("probability", interval_node(tier.probability));
  t.set("firstReachedSeconds", interval_node(tier.first_reached_seconds));
  return std::move(t.one_line());
}

JsonNode slo_node(const models::CompiledModel& m, std::size_t k, const SloSummary& x) {
  const auto& row = m.slos[k];
  JsonNode slo;
  slo.set("name", m.names.slos[k]);
  slo.set("service", m.names.components[row.component]);
  slo.set("sli", models::to_string(row.sli));
  slo.set("objective", row.objective);
  slo.set("window", window_node(row, x));
  slo.set("attainment", interval_node(x.attainment));
  JsonNode met;
  met.set("trials", x.met);
  met.set("probability", interval_node(x.p_met));
  met.set("notMetProbability", interval_node(x.p_not_met));
  slo.set("met", std::move(met.one_line()));
  const auto& p95 = x.budget_consumed_p95;
  JsonNode p95_node = quantile_node(p95);
  p95_node.set("lowerRank", p95.lower_rank);
  p95_node.set("upperRank", p95.upper_rank);
  p95_node.set("coverage", p95.coverage);
  JsonNode consumed;
  consumed.set("mean", interval_node(x.budget_consumed));
  consumed.set("p95", std::move(p95_node));
  slo.set("budgetConsumed", std::move(consumed.one_line()));
  JsonNode minutes;
  minutes.set("mean", interval_node(x.budget_minutes));
  minutes.set("allowed", x.budget_minutes_allowed);
  slo.set("budgetMinutes", std::move(minutes.one_line()));
  JsonNode::Array tiers;
  for (const auto& tier : x.tiers) tiers.push_back(tier_node(tier));
  slo.set("tiers", std::move(tiers));
  const auto& rb = x.remaining_budget;
  JsonNode remaining;
  remaining.set("startSeconds", rb.start.to_seconds());
  remaining.set("stepSeconds", rb.step.to_seconds());
  remaining.set("mean", JsonNode::numbers(rb.mean, true));
  remaining.set("p05", JsonNode::numbers(rb.p05, true));
  remaining.set("p95", JsonNode::numbers(rb.p95, true));
  slo.set("remainingBudget", std::move(remaining));
  return slo;
}

JsonNode slos_node(const models::CompiledModel& m, const RunSummary& s) {
  JsonNode::Array slos;
  for (std::size_t k = 0; k < m.slos.size(); ++k) slos.push_back(slo_node(m, k, s.slos[k]));
  return slos;
}

JsonNode services_node(const models::CompiledModel& m, const RunSummary& s) {
  JsonNode::Array services;
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    JsonNode service;
    service.set("name", m.names.components[m.services[v].component]);
    service.set("availability", interval_node(s.services[v].availability));
    services.push_back(std::move(service.one_line()));
  }
  return services;
}

JsonNode teams_node(const models::CompiledModel& m, const RunSummary& s) {
  JsonNode::Array teams;
  for (std::size_t t = 0; t < s.teams.size(); ++t) {
    const auto& x = s.teams[t];
    JsonNode team;
    team.set("name", t < m.names.teams.size() ? m.names.teams[t] : std::to_string(t));
    team.set("pagesPerTrial", interval_node(x.pages_per_trial));
    team.set("pagesPerShift", interval_node(x.pages_per_shift));
    team.set("nightPagesPerTrial", interval_node(x.night_pages_per_trial));
    team.set("noisePagesPerTrial", interval_node(x.noise_pages_per_trial));
    team.set("ticketsPerTrial", interval_node(x.tickets_per_trial));
    teams.push_back(std::move(team.one_line()));
  }
  return teams;
}

/// `{n, mean, median, p90, p95}` of a duration, on one line.
JsonNode duration_node(std::uint64_t n, const Interval& mean, const QuantileInterval& median,
                       const QuantileInterval& p90, const QuantileInterval& p95) {
  JsonNode x;
  x.set("n", n);
  x.set("mean", interval_node(mean));
  x.set("median", quantile_node(median));
  x.set("p90", quantile_node(p90));
  x.set("p95", quantile_node(p95));
  return std::move(x.one_line());
}

JsonNode incident_group_node(const IncidentGroupSummary& x) {
  JsonNode group;
  group.set("count", x.incidents);
  group.set("perTrial", interval_node(x.per_trial));
  group.set("pHumanNeeded", interval_node(x.p_human_needed));
  JsonNode escalation;
  escalation.set("paged", x.paged);
  escalation.set("acked", x.acked);
  escalation.set("pEscalated", interval_node(x.p_escalated));
  escalation.set("escalationsPerIncident", interval_node(x.escalations_per_incident));
  escalation.set("pAckedAfterEscalation", interval_node(x.p_acked_after_escalation));
  escalation.set("pOtherTeamAcked", interval_node(x.p_other_team_acked));
  group.set("escalation", std::move(escalation.one_line()));
  for (std::size_t k = 0; k < kIncidentMetrics; ++k) {
    const auto& d = x.durations[k];
    group.set(std::string(to_string(static_cast<IncidentMetric>(k))) + "Seconds",
              duration_node(d.n, d.mean, d.median, d.p90, d.p95));
  }
  return group;
}

JsonNode duration_stats_node(const DurationStats& d) {
  return duration_node(d.count, d.mean, d.median, d.p90, d.p95);
}

JsonNode incident_figures_group(const IncidentGroup& g) {
  JsonNode x;
  x.set("incidents", g.incidents);
  x.set("paged", g.paged);
  x.set("humanNeeded", g.human_needed);
  x.set("detectSeconds", duration_stats_node(g.detect));
  x.set("acknowledgeSeconds", duration_stats_node(g.acknowledge));
  x.set("mitigateSeconds", duration_stats_node(g.mitigate));
  x.set("resolveSeconds", duration_stats_node(g.resolve));
  return x;
}

JsonNode incidents_node(const RunSummary& s) {
  JsonNode incidents;
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    incidents.set(severity_group_name(g), incident_group_node(s.incidents[g]));
  }
  return incidents;
}

// Last, on one line: the only part that depends on the machine and threads.
JsonNode timing_node(const RunSummary& s, const Timing& timing) {
  const double per_second =
      timing.wall_seconds > 0 ? static_cast<double>(s.trials) / timing.wall_seconds : 0.0;
  JsonNode t;
  t.set("wallSeconds", timing.wall_seconds);
  t.set("trialsPerSecond", per_second);
  t.set("threads", timing.threads);
  return std::move(t.one_line());
}

}  // namespace

JsonNode interval_node(const Interval& iv) {
  JsonNode n;
  n.set("estimate", iv.estimate);
  n.set("low", iv.low);
  n.set("high", iv.high);
  return std::move(n.one_line());
}

JsonNode meta_node(const RunMeta& r) {
  JsonNode meta;
  meta.set("formatVersion", kResultsFormatVersion);
  for_each_meta_field(r, [&](const char*, const char* key, const auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::vector<std::string>>) {
      meta.set(key, JsonNode::strings(value));
    } else {
      meta.set(key, value);
    }
  });
  return meta;
}

std::string meta_json(const RunMeta& meta) { return meta_node(meta).text(); }

JsonNode incident_figures_node(const models::CompiledModel& m, const IncidentSummary& s) {
  JsonNode out;
  out.set("incidentsPerTrial", interval_node(s.incidents_per_trial));
  JsonNode by_cause;
  for (const IncidentGroup& g : s.by_cause) by_cause.set(g.label, incident_figures_group(g));
  out.set("byCause", std::move(by_cause));
  // Every incident counts for each service it impaired.
  JsonNode by_service;
  for (const IncidentGroup& g : s.by_service) by_service.set(g.label, incident_figures_group(g));
  out.set("byService", std::move(by_service));
  JsonNode budget;
  for (std::size_t k = 0; k < s.slo_incident_budget.size() && k < m.names.slos.size(); ++k)
    budget.set(m.names.slos[k], interval_node(s.slo_incident_budget[k]));
  out.set("sloBudgetFromIncidents", std::move(budget));
  JsonNode compliance;
  for (const SevCompliance& c : s.compliance) {
    JsonNode level;
    level.set("paged", c.paged);
    if (c.ack_target) {
      level.set("ackMet", c.ack_met);
      level.set("pAckMet", interval_node(c.ack));
    }
    if (c.respond_target) {
      level.set("respondMet", c.respond_met);
      level.set("pRespondMet", interval_node(c.respond));
    }
    compliance.set("SEV-" + std::to_string(c.level), std::move(level.one_line()));
  }
  out.set("sevCompliance", std::move(compliance));
  out.set("deploys", s.deploys);
  out.set("failedDeploys", s.failed_deploys);
  out.set("changeFailureRate", interval_node(s.change_failure_rate));
  out.set("doraMttrSeconds", duration_stats_node(s.dora_mttr));
  return out;
}

JsonNode summary_node(const models::CompiledModel& m, const RunSummary& s, const RunMeta& r,
                      const Timing& timing, bool with_meta, const IncidentSummary* incidents) {
  JsonNode doc;
  doc.set("scenario", m.names.scenario);
  doc.set("scenarioFile", r.scenario_file);
  doc.set("system", m.names.system);
  doc.set("seed", r.seed);
  doc.set("trials", r.trials);
  doc.set("firstTrial", r.first_trial);
  doc.set("trialsSummarised", s.trials);
  doc.set("horizon", horizon_text(m.horizon));
  doc.set("horizonSeconds", m.horizon.to_seconds());
  doc.set("confidence", s.confidence);
  doc.set("events", s.events);
  doc.set("eventsPerTrial", s.events_per_trial);
  doc.set("slos", slos_node(m, s));
  doc.set("services", services_node(m, s));
  doc.set("pagesPerTrial", interval_node(s.pages_per_trial));
  doc.set("teams", teams_node(m, s));
  doc.set("incidents", incidents_node(s));
  if (incidents != nullptr) doc.set("incidentFigures", incident_figures_node(m, *incidents));
  if (with_meta) doc.set("meta", meta_node(r));
  doc.set("timing", timing_node(s, timing));
  return doc;
}

std::string summary_json(const models::CompiledModel& m, const RunSummary& s, const RunMeta& r,
                         const Timing& timing, bool with_meta, const IncidentSummary* incidents) {
  return summary_node(m, s, r, timing, with_meta, incidents).text();
}

}  // namespace relsim::analysis
