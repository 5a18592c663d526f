// The summary as text tables (see summary_text.hpp and docs/results.md).
#include "cli/summary_text.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/format.hpp"
#include "analysis/text_format.hpp"

namespace relsim::cli {

namespace {

using analysis::duration_interval_text;
using analysis::horizon_text;
using analysis::Interval;
using analysis::interval_bounds;
using analysis::magnitude_text;
using analysis::nines_text;
using analysis::printf_text;
using analysis::probability_text;
using analysis::significant_decimals;

const std::string& service_name(const models::CompiledModel& m, std::size_t service) {
  return m.names.components[m.services[service].component];
}

std::string quantile_value(const analysis::QuantileInterval& q, std::uint64_t n) {
  return duration_interval_text({q.estimate, q.low, q.high}, n);
}

}  // namespace

std::string summary_text(const models::CompiledModel& m, const analysis::RunSummary& s,
                         const RunHeading& r) {
  const std::string& scenario_file = r.scenario_file;
  const double per_second = r.wall_seconds > 0 ? static_cast<double>(s.trials) / r.wall_seconds : 0;
  std::string out = printf_text(
      "relsim run: %s on %s: %llu trial%s, seed %llu, horizon %s; %.2f s wall, %.1f trials/s\n",
      m.names.scenario.c_str(), m.names.system.c_str(), static_cast<unsigned long long>(s.trials),
      s.trials == 1 ? "" : "s", static_cast<unsigned long long>(r.seed),
      horizon_text(m.horizon).c_str(), r.wall_seconds, per_second);
  if (!r.stop_note.empty()) out += "  " + r.stop_note + "\n";
  const int pct = static_cast<int>(std::lround(s.confidence * 100));
  out += "  " + scenario_file +
         printf_text(
             "; trials %llu..%llu of %llu on %u thread%s; %.4g events per trial\n",
             static_cast<unsigned long long>(r.first_trial),
             static_cast<unsigned long long>(r.first_trial + s.trials - (s.trials > 0 ? 1 : 0)),
             static_cast<unsigned long long>(r.total_trials), r.threads, r.threads == 1 ? "" : "s",
             s.events_per_trial);
  out += printf_text(
      "  %d %% intervals: t on the logit/log scale for per-trial means, Garwood for counts, "
      "Wilson for probabilities,\n  by trial for incident figures (docs/results.md)\n",
      pct);

  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const auto& row = m.slos[k];
    const auto& x = s.slos[k];
    const bool rolling = row.window_kind == models::SloWindowKind::rolling;
    out += "\nSLO " + m.names.slos[k] + ": " + m.names.components[row.component] + " " +
           models::to_string(row.sli) + " >= " + printf_text("%.6g %%", row.objective * 100.0) +
           " over " +
           (rolling ? horizon_text(row.window) + " (rolling)" : std::string("the calendar month")) +
           "; window in trial: " + horizon_text(x.window.length) + "\n";
    auto line = [&](const std::string& label, const std::string& value) {
      out += printf_text("  %-22s %s\n", label.c_str(), value.c_str());
    };
    line("attainment (mean)", nines_text(x.attainment));
    line("P(met)", probability_text(x.p_met));
    line("P(not met)", probability_text(x.p_not_met));
    line("budget consumed mean",
         magnitude_text(x.budget_consumed.estimate, x.budget_consumed, 100.0, " %"));
    const auto& p95 = x.budget_consumed_p95;
    line("budget consumed p95",
         magnitude_text(p95.estimate, {p95.estimate, p95.low, p95.high}, 100.0, " %"));
    const int md = significant_decimals(x.budget_minutes.estimate);
    line("budget minutes (mean)",
         std::isnan(x.budget_minutes.estimate)
             ? "n/a"
             : printf_text("%.*f of %.4g min", md, x.budget_minutes.estimate,
                           x.budget_minutes_allowed) +
                   " " + interval_bounds(x.budget_minutes, md, 1.0));
    for (std::size_t t = 1; t < x.tiers.size(); ++t) {  // tier 0 (ship) holds from the start
      const auto& tier = x.tiers[t];
      std::string value = probability_text(tier.probability);
      if (tier.reached > 0) {
        value += "   first reached after " +
                 analysis::days_text(tier.first_reached_seconds.estimate) + " (mean)";
      }
      line("P(" + std::string(analysis::budget_action_text(tier.action)) + ")", value);
    }
  }

  if (!m.services.empty()) {
    out += printf_text("\n%-24s %s\n", "service", "availability (mean)");
    for (std::size_t v = 0; v < m.services.size(); ++v) {
      out += printf_text("  %-22s %s\n", service_name(m, v).c_str(),
                         nines_text(s.services[v].availability).c_str());
    }
  }
  // Teams only when the engine reports their pages (shifts > 0 somewhere).
  bool teams_reported = false;
  for (const auto& t : s.teams)
    teams_reported = teams_reported || !std::isnan(t.pages_per_shift.estimate);
  if (teams_reported) {
    out += printf_text("\n%-24s %-30s %-26s %s\n", "team", "pages per shift (mean)",
                       "pages per trial (mean)", "noise pages per trial");
    for (std::size_t t = 0; t < s.teams.size(); ++t) {
      const auto& x = s.teams[t];
      const std::string name = t < m.names.teams.size() ? m.names.teams[t] : std::to_string(t);
      auto value = [](const Interval& iv) { return magnitude_text(iv.estimate, iv, 1.0, ""); };
      out += printf_text("  %-22s %-30s %-26s %s\n", name.c_str(), value(x.pages_per_shift).c_str(),
                         value(x.pages_per_trial).c_str(), value(x.noise_pages_per_trial).c_str());
    }
  }

  if (s.incidents[0].incidents > 0) {
    out +=
        "\nincidents: MTTR and its parts (resolve, detect, acknowledge, mitigate); mean, median "
        "and p95\n";
    for (std::size_t g = 0; g < analysis::kSeverityGroups; ++g) {
      const auto& x = s.incidents[g];
      if (x.incidents == 0) continue;
      out += printf_text("  %-6s %llu incidents, %s per trial; humans needed in %s\n",
                         analysis::severity_group_name(g).c_str(),
                         static_cast<unsigned long long>(x.incidents),
                         magnitude_text(x.per_trial.estimate, x.per_trial, 1.0, "").c_str(),
                         probability_text(x.p_human_needed, x.incidents).c_str());
      static const char* const kLabels[] = {"MTTR", "TTD", "TTA", "TTM"};
      for (std::size_t k = 0; k < analysis::kIncidentMetrics; ++k) {
        const auto& d = x.durations[k];
        if (d.n == 0) continue;
        out +=
            printf_text("    %-5s mean %-32s median %-32s p95 %s\n", kLabels[k],
                        duration_interval_text(d.mean, d.n).c_str(),
                        quantile_value(d.median, d.n).c_str(), quantile_value(d.p95, d.n).c_str());
      }
      if (x.paged > 0) {
        out += printf_text("    escalated %s of %llu paged, %s steps each;\n",
                           probability_text(x.p_escalated, x.paged).c_str(),
                           static_cast<unsigned long long>(x.paged),
                           magnitude_text(x.escalations_per_incident.estimate,
                                          x.escalations_per_incident, 1.0, "", x.paged)
                               .c_str());
        out += printf_text("      acked after an escalation %s, by another team %s\n",
                           probability_text(x.p_acked_after_escalation, x.acked).c_str(),
                           probability_text(x.p_other_team_acked, x.acked).c_str());
      }
    }
  }
  return out;
}

}  // namespace relsim::cli
