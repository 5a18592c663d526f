// The summary as text tables (see summary_text.hpp and docs/results.md).
#include "cli/summary_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace relsim::cli {

namespace {

using analysis::Interval;

std::string sformat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string sformat(const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

/// `30d` rather than format_duration's `4w2d`: horizons are written in days.
std::string horizon_text(sim::Duration d) {
  const auto day = sim::Duration::days(1).count_micros();
  if (d.count_micros() > 0 && d.count_micros() % day == 0) {
    return std::to_string(d.count_micros() / day) + "d";
  }
  return sim::format_duration(d);
}

const std::string& service_name(const models::CompiledModel& m, std::size_t service) {
  return m.names.components[m.services[service].component];
}

std::string tier_label(models::BudgetAction a) {
  switch (a) {
    case models::BudgetAction::ship:
      return "ship";
    case models::BudgetAction::freeze:
      return "freeze";
    case models::BudgetAction::all_hands:
      return "all hands";
    case models::BudgetAction::leadership_review:
      return "leadership review";
  }
  return "?";
}

// ---------------------------------------------------------------- text

/// `[low, high]` with `decimals` after the point, scaled by `scale`; `[n/a]`
/// when the interval is unbounded on both sides, and `n/a (n = 3)` when it
/// was left out below its method's minimum n (`n` observations).
std::string bounds(const Interval& iv, int decimals, double scale, std::uint64_t n = 0) {
  if (std::isnan(iv.low) && std::isnan(iv.high) && !std::isnan(iv.estimate)) {
    return "n/a (n = " + std::to_string(n) + ")";
  }
  if (!std::isfinite(iv.low) && !std::isfinite(iv.high)) return "[n/a]";
  auto end = [&](double v) {
    if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf");
    return sformat("%.*f", decimals, v * scale);
  };
  return "[" + end(iv.low) + ", " + end(iv.high) + (std::isinf(iv.high) ? ")" : "]");
}

/// Decimals that resolve an interval: at least `decimals`, more while its
/// ends print alike (a narrow interval around 99.99 %), at most `max`.
int resolving_decimals(const Interval& iv, int decimals, double scale, int max) {
  while (decimals < max && std::isfinite(iv.low) && std::isfinite(iv.high) && iv.low != iv.high &&
         sformat("%.*f", decimals, iv.low * scale) == sformat("%.*f", decimals, iv.high * scale)) {
    ++decimals;
  }
  return decimals;
}

/// A fraction near 1 as a percentage with enough digits to show its nines:
/// 0.999871 → `99.9871 %` (two decimals more than the nines after the point).
std::string nines(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  const double unavailable = 1.0 - iv.estimate;
  int d = unavailable > 0.0 ? static_cast<int>(std::ceil(-std::log10(unavailable))) : 4;
  d = resolving_decimals(iv, std::clamp(d, 2, 7), 100.0, 8);
  return sformat("%-*s", 12, sformat("%.*f %%", d, iv.estimate * 100.0).c_str()) + " " +
         bounds(iv, d, 100.0);
}

/// A probability as a percentage: one decimal, two near (not at) 0 or 1.
std::string probability(const Interval& iv, std::uint64_t n = 0) {
  if (std::isnan(iv.estimate)) return "n/a";
  const bool near_end =
      (iv.estimate > 0.0 && iv.estimate < 0.01) || (iv.estimate > 0.99 && iv.estimate < 1.0);
  int d = near_end ? 2 : 1;
  d = resolving_decimals(iv, d, 100.0, 4);
  return sformat("%-*s", 12, sformat("%.*f %%", d, iv.estimate * 100.0).c_str()) + " " +
         bounds(iv, d, 100.0, n);
}

/// Decimals for about three significant digits of `x` (0.123, 25.8, 1234).
int significant_decimals(double x) {
  if (!std::isfinite(x) || x == 0.0) return 1;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(std::fabs(x)))), 0, 6);
}

/// A value with ~3 significant digits and its interval, times `scale`, with `unit`.
std::string magnitude(double estimate, const Interval& iv, double scale, const char* unit,
                      std::uint64_t n = 0) {
  if (std::isnan(estimate)) return "n/a";
  // An estimate of 0 takes its digits from the upper end ([0, 0.0072], not [0.0, 0.0]).
  const double digits_of = estimate == 0.0 && std::isfinite(iv.high) ? iv.high : estimate;
  const int d = significant_decimals(digits_of * scale);
  return sformat("%-*s", 12, sformat("%.*f%s", d, estimate * scale, unit).c_str()) + " " +
         bounds(iv, d, scale, n);
}

std::string duration_value(const analysis::Interval& iv, std::uint64_t n);
std::string quantile_value(const analysis::QuantileInterval& q, std::uint64_t n);

}  // namespace

std::string summary_text(const models::CompiledModel& m, const analysis::RunSummary& s,
                         const RunHeading& r) {
  const std::string& scenario_file = r.scenario_file;
  const double per_second = r.wall_seconds > 0 ? static_cast<double>(s.trials) / r.wall_seconds : 0;
  std::string out = sformat(
      "relsim run: %s on %s: %llu trial%s, seed %llu, horizon %s; %.2f s wall, %.1f trials/s\n",
      m.names.scenario.c_str(), m.names.system.c_str(), static_cast<unsigned long long>(s.trials),
      s.trials == 1 ? "" : "s", static_cast<unsigned long long>(r.seed),
      horizon_text(m.horizon).c_str(), r.wall_seconds, per_second);
  if (!r.stop_note.empty()) out += "  " + r.stop_note + "\n";
  const int pct = static_cast<int>(std::lround(s.confidence * 100));
  out += "  " + scenario_file +
         sformat("; trials %llu..%llu of %llu on %u thread%s; %.4g events per trial\n",
                 static_cast<unsigned long long>(r.first_trial),
                 static_cast<unsigned long long>(r.first_trial + s.trials - (s.trials > 0 ? 1 : 0)),
                 static_cast<unsigned long long>(r.total_trials), r.threads,
                 r.threads == 1 ? "" : "s", s.events_per_trial);
  out += sformat(
      "  %d %% intervals: t on the logit/log scale for per-trial means, Garwood for counts, "
      "Wilson for probabilities,\n  by trial for incident figures (docs/results.md)\n",
      pct);

  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const auto& row = m.slos[k];
    const auto& x = s.slos[k];
    const bool rolling = row.window_kind == models::SloWindowKind::rolling;
    out += "\nSLO " + m.names.slos[k] + ": " + m.names.components[row.component] + " " +
           models::to_string(row.sli) + " >= " + sformat("%.6g %%", row.objective * 100.0) +
           " over " +
           (rolling ? horizon_text(row.window) + " (rolling)" : std::string("the calendar month")) +
           "; window in trial: " + horizon_text(x.window.length) + "\n";
    auto line = [&](const std::string& label, const std::string& value) {
      out += sformat("  %-22s %s\n", label.c_str(), value.c_str());
    };
    line("attainment (mean)", nines(x.attainment));
    line("P(met)", probability(x.p_met));
    line("P(not met)", probability(x.p_not_met));
    line("budget consumed mean",
         magnitude(x.budget_consumed.estimate, x.budget_consumed, 100.0, " %"));
    const auto& p95 = x.budget_consumed_p95;
    line("budget consumed p95",
         magnitude(p95.estimate, {p95.estimate, p95.low, p95.high}, 100.0, " %"));
    const int md = significant_decimals(x.budget_minutes.estimate);
    line("budget minutes (mean)", std::isnan(x.budget_minutes.estimate)
                                      ? "n/a"
                                      : sformat("%.*f of %.4g min", md, x.budget_minutes.estimate,
                                                x.budget_minutes_allowed) +
                                            " " + bounds(x.budget_minutes, md, 1.0));
    for (std::size_t t = 1; t < x.tiers.size(); ++t) {  // tier 0 (ship) holds from the start
      const auto& tier = x.tiers[t];
      std::string value = probability(tier.probability);
      if (tier.reached > 0) {
        value += sformat("   first reached on day %.1f (mean)",
                         tier.first_reached_seconds.estimate / 86400.0);
      }
      line("P(" + tier_label(tier.action) + ")", value);
    }
  }

  if (!m.services.empty()) {
    out += sformat("\n%-24s %s\n", "service", "availability (mean)");
    for (std::size_t v = 0; v < m.services.size(); ++v) {
      out += sformat("  %-22s %s\n", service_name(m, v).c_str(),
                     nines(s.services[v].availability).c_str());
    }
  }
  // Teams only when the engine reports their pages (shifts > 0 somewhere).
  bool teams_reported = false;
  for (const auto& t : s.teams)
    teams_reported = teams_reported || !std::isnan(t.pages_per_shift.estimate);
  if (teams_reported) {
    out += sformat("\n%-24s %-30s %-26s %s\n", "team", "pages per shift (mean)",
                   "pages per trial (mean)", "noise pages per trial");
    for (std::size_t t = 0; t < s.teams.size(); ++t) {
      const auto& x = s.teams[t];
      const std::string name = t < m.names.teams.size() ? m.names.teams[t] : std::to_string(t);
      auto value = [](const Interval& iv) { return magnitude(iv.estimate, iv, 1.0, ""); };
      out += sformat("  %-22s %-30s %-26s %s\n", name.c_str(), value(x.pages_per_shift).c_str(),
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
      out += sformat("  %-6s %llu incidents, %s per trial; humans needed in %s\n",
                     analysis::severity_group_name(g).c_str(),
                     static_cast<unsigned long long>(x.incidents),
                     magnitude(x.per_trial.estimate, x.per_trial, 1.0, "").c_str(),
                     probability(x.p_human_needed, x.incidents).c_str());
      static const char* const kLabels[] = {"MTTR", "TTD", "TTA", "TTM"};
      for (std::size_t k = 0; k < analysis::kIncidentMetrics; ++k) {
        const auto& d = x.durations[k];
        if (d.n == 0) continue;
        out += sformat("    %-5s mean %-32s median %-32s p95 %s\n", kLabels[k],
                       duration_value(d.mean, d.n).c_str(), quantile_value(d.median, d.n).c_str(),
                       quantile_value(d.p95, d.n).c_str());
      }
      if (x.paged > 0) {
        out += sformat("    escalated %s of %llu paged, %s steps each;\n",
                       probability(x.p_escalated, x.paged).c_str(),
                       static_cast<unsigned long long>(x.paged),
                       magnitude(x.escalations_per_incident.estimate, x.escalations_per_incident,
                                 1.0, "", x.paged)
                           .c_str());
        out += sformat("      acked after an escalation %s, by another team %s\n",
                       probability(x.p_acked_after_escalation, x.acked).c_str(),
                       probability(x.p_other_team_acked, x.acked).c_str());
      }
    }
  }
  return out;
}

namespace {

/// Seconds shown in s, min or h by the estimate's size, with the interval.
std::string duration_value(const Interval& iv, std::uint64_t n) {
  if (std::isnan(iv.estimate)) return "n/a";
  const double a = std::fabs(iv.estimate);
  const double scale = a < 120.0 ? 1.0 : a < 7200.0 ? 1.0 / 60.0 : 1.0 / 3600.0;
  const char* unit = a < 120.0 ? " s" : a < 7200.0 ? " min" : " h";
  return magnitude(iv.estimate, iv, scale, unit, n);
}

std::string quantile_value(const analysis::QuantileInterval& q, std::uint64_t n) {
  return duration_value({q.estimate, q.low, q.high}, n);
}

}  // namespace

}  // namespace relsim::cli
