// The run summary as figure rows (see summary_figures.hpp).
#include "analysis/summary_figures.hpp"

#include <limits>

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
    interval(p + "attainment", x.attainment, "t", "fraction", s.trials);
    interval(p + "p_met", x.p_met, "wilson", "fraction", s.trials);
    interval(p + "budget_consumed.mean", x.budget_consumed, "t", "fraction", s.trials);
    const auto& q = x.budget_consumed_p95;
    interval(p + "budget_consumed.p95", {q.estimate, q.low, q.high}, "order_statistic",
             "fraction", s.trials);
    interval(p + "budget_minutes.mean", x.budget_minutes, "t", "minutes", s.trials);
    exact(p + "budget_minutes.allowed", x.budget_minutes_allowed, "exact", "minutes");
    for (std::size_t k2 = 0; k2 < x.tiers.size(); ++k2) {
      const auto& tier = x.tiers[k2];
      const std::string t = p + tiers[k2] + ".";
      interval(t + "probability", tier.probability, "wilson", "fraction", s.trials);
      interval(t + "first_reached_s", tier.first_reached_seconds, "t", "seconds", tier.reached);
    }
  }
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    interval("service." + m.names.components[m.services[v].component] + ".availability",
             s.services[v].availability, "t", "fraction", s.trials);
  }
  return out;
}

}  // namespace relsim::analysis
