// The run summary as figure rows (see summary_figures.hpp).
#include "analysis/summary_figures.hpp"

#include <limits>
#include <utility>

#include "analysis/trial_row.hpp"

namespace relsim::analysis {

std::vector<FigureRow> summary_figures(const models::CompiledModel& m, const RunSummary& s) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const double c = s.confidence;
  std::vector<FigureRow> out;
  auto interval = [&](std::string name, const Interval& iv, const char* method, const char* unit,
                      std::uint64_t n) {
    out.push_back({std::move(name), iv.estimate, iv.low, iv.high, c, method, unit, n});
  };
  auto exact = [&](std::string name, double v, const char* method, const char* unit) {
    out.push_back({std::move(name), v, v, v, kNaN, method, unit, s.trials});
  };
  const std::vector<std::string> tiers = trial_layout(m).tiers;
  exact("run.trials", static_cast<double>(s.trials), "count", "trials");
  exact("run.events_per_trial", s.events_per_trial, "exact", "events");

  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const auto& x = s.slos[k];
    const std::string p = "slo." + m.names.slos[k] + ".";
    interval(p + "attainment", x.attainment, "t_logit", "fraction", s.trials);
    interval(p + "p_met", x.p_met, "wilson", "fraction", s.trials);
    interval(p + "budget_consumed.mean", x.budget_consumed, "t_log", "fraction", s.trials);
    const auto& q = x.budget_consumed_p95;
    interval(p + "budget_consumed.p95", {q.estimate, q.low, q.high}, "order_statistic", "fraction",
             s.trials);
    interval(p + "budget_minutes.mean", x.budget_minutes, "t_log", "minutes", s.trials);
    exact(p + "budget_minutes.allowed", x.budget_minutes_allowed, "exact", "minutes");
    for (std::size_t k2 = 0; k2 < x.tiers.size(); ++k2) {
      const auto& tier = x.tiers[k2];
      const std::string t = p + tiers[k2] + ".";
      interval(t + "probability", tier.probability, "wilson", "fraction", s.trials);
      interval(t + "first_reached_s", tier.first_reached_seconds, "t_log", "seconds", tier.reached);
    }
  }
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    interval("service." + m.names.components[m.services[v].component] + ".availability",
             s.services[v].availability, "t_logit", "fraction", s.trials);
  }
  interval("pages.per_trial", s.pages_per_trial, "garwood_quasi", "pages", s.trials);
  for (std::size_t t = 0; t < s.teams.size(); ++t) {
    const auto& x = s.teams[t];
    const std::string p =
        "team." + (t < m.names.teams.size() ? m.names.teams[t] : std::to_string(t)) + ".";
    interval(p + "pages_per_trial", x.pages_per_trial, "garwood_quasi", "pages", s.trials);
    interval(p + "pages_per_shift", x.pages_per_shift, "t_log", "pages", s.trials);
    interval(p + "night_pages_per_trial", x.night_pages_per_trial, "garwood_quasi", "pages",
             s.trials);
    interval(p + "noise_pages_per_trial", x.noise_pages_per_trial, "garwood_quasi", "pages",
             s.trials);
    interval(p + "tickets_per_trial", x.tickets_per_trial, "garwood_quasi", "tickets", s.trials);
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    const auto& x = s.incidents[g];
    const std::string p = "incidents." + severity_group_name(g) + ".";
    exact(p + "count", static_cast<double>(x.incidents), "count", "incidents");
    interval(p + "per_trial", x.per_trial, "garwood_quasi", "incidents", s.trials);
    interval(p + "p_human_needed", x.p_human_needed, "wilson_by_trial", "fraction", x.incidents);
    for (std::size_t k = 0; k < kIncidentMetrics; ++k) {
      const auto& d = x.durations[k];
      const std::string q = p + to_string(static_cast<IncidentMetric>(k)) + ".";
      interval(q + "mean", d.mean, "ratio_by_trial", "seconds", d.n);
      for (const auto& [name, qi] :
           {std::pair<const char*, const QuantileInterval*>{"median", &d.median},
            {"p90", &d.p90},
            {"p95", &d.p95}}) {
        interval(q + name, {qi->estimate, qi->low, qi->high}, "woodruff_by_trial", "seconds", d.n);
      }
    }
  }
  // Appended after the rows above so their order stays (issue 19).
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    interval("slo." + m.names.slos[k] + ".p_not_met", s.slos[k].p_not_met, "wilson", "fraction",
             s.trials);
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    const auto& x = s.incidents[g];
    const std::string p = "incidents." + severity_group_name(g) + ".";
    interval(p + "p_escalated", x.p_escalated, "wilson_by_trial", "fraction", x.paged);
    interval(p + "escalations_per_incident", x.escalations_per_incident, "ratio_by_trial",
             "escalations", x.paged);
    interval(p + "p_acked_after_escalation", x.p_acked_after_escalation, "wilson_by_trial",
             "fraction", x.acked);
    interval(p + "p_other_team_acked", x.p_other_team_acked, "wilson_by_trial", "fraction",
             x.acked);
  }
  return out;
}

}  // namespace relsim::analysis

namespace relsim::analysis {

const FigureRow* find_figure(const std::vector<FigureRow>& figures, const std::string& name) {
  auto exact = [&](const std::string& n) -> const FigureRow* {
    for (const auto& f : figures) {
      if (f.figure == n) return &f;
    }
    return nullptr;
  };
  if (const FigureRow* f = exact(name)) return f;
  for (const char* m : {"mttr", "ttd", "tta", "ttm"}) {
    if (name == m) return exact(std::string("incidents.all.") + m + ".mean");
  }
  if (name == "pages") return exact("pages.per_trial");
  auto first_with = [&](const std::string& prefix, const std::string& suffix) -> const FigureRow* {
    for (const auto& f : figures) {
      if (f.figure.rfind(prefix, 0) == 0 && f.figure.size() > prefix.size() + suffix.size() &&
          f.figure.compare(f.figure.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &f;
      }
    }
    return nullptr;
  };
  if (name == "p_slo_met") return first_with("slo.", ".p_met");
  if (name == "p_slo_not_met") return first_with("slo.", ".p_not_met");
  if (name == "attainment") return first_with("slo.", ".attainment");
  if (name == "budget_consumed") return first_with("slo.", ".budget_consumed.mean");
  if (name == "availability") return first_with("service.", ".availability");
  return nullptr;
}

}  // namespace relsim::analysis
