#include "analysis/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/trial_row.hpp"
#include "models/trial_observer.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"

namespace relsim::analysis {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pct_interval(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  return fmt("%.6g %%", iv.estimate * 100.0) + "  [" + fmt("%.6g", iv.low * 100.0) + ", " +
         fmt("%.6g", iv.high * 100.0) + "]";
}

std::string minutes_interval(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  return fmt("%.3g min", iv.estimate / 60.0) + "  [" + fmt("%.3g", iv.low / 60.0) + ", " +
         fmt("%.3g", iv.high / 60.0) + "]";
}

std::string count_interval(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  return fmt("%.3g", iv.estimate) + "  [" + fmt("%.3g", iv.low) + ", " + fmt("%.3g", iv.high) +
         "]";
}

const char* tier_name(models::BudgetAction a) {
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


}  // namespace

void add_resolve_times(RunReportInput& in, const std::vector<models::IncidentRow>& incidents) {
  for (const models::IncidentRow& i : incidents) {
    if (i.resolved != models::kNever) {
      in.resolve_minutes.push_back((i.resolved - i.start).to_seconds() / 60.0);
    }
  }
}

namespace {

class DeployLog final : public models::TrialObserver {
 public:
  explicit DeployLog(std::vector<SampleDeploy>& out) : out_(out) {}
  void on_interval(sim::Duration, sim::Duration, const models::FluidState&,
                   const models::FluidResult&, const models::FluidResult&,
                   const models::FluidResult&) override {}
  void on_change(sim::Duration, const models::FluidState&, const models::FluidResult&) override {}
  void on_deploy(sim::Duration t, models::Index service, bool bad) override {
    out_.push_back({t, service, bad});
  }

 private:
  std::vector<SampleDeploy>& out_;
};

}  // namespace

void record_sample_trial(RunReportInput& in, std::uint64_t master_seed, std::uint64_t trial) {
  models::World world(*in.model);
  in.sample_deploys.clear();
  DeployLog log(in.sample_deploys);
  world.set_observer(&log);
  in.sample_incidents = world.run(sim::trial_seed(master_seed, trial)).incidents;
  in.sample_trial = trial;
}

Report build_run_report(const RunReportInput& in) {
  const models::CompiledModel& m = *in.model;
  const RunSummary& s = *in.summary;
  Report r;
  r.title = m.names.scenario + " on " + m.names.system;
  r.subtitle = "Monte Carlo estimates over " + std::to_string(s.trials) +
               " trials; every figure with its " + fmt("%.3g", s.confidence * 100.0) +
               " % confidence interval.";
  r.facts = {{"scenario file", in.scenario_file},
             {"trials", std::to_string(s.trials)},
             {"seed", std::to_string(in.seed)},
             {"horizon", fmt("%.4g days", m.horizon.to_seconds() / 86400.0)}};

  // Per SLO: the remaining budget over the window and its figures.
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const SloSummary& x = s.slos[k];
    ReportSection sec;
    sec.title = "SLO " + m.names.slos[k] + " (" + m.names.components[m.slos[k].component] + ", " +
                fmt("%.6g %%", m.slos[k].objective * 100.0) + ")";
    sec.text = "How much of the window's error budget is left as the window goes by, and how "
               "often each budget-policy tier is reached.";
    const BudgetSeriesSummary& b = x.remaining_budget;
    auto scaled = [](const std::vector<double>& v) {
      std::vector<double> out;
      out.reserve(v.size());
      for (const double y : v) out.push_back(y * 100.0);
      return out;
    };
    std::vector<std::pair<std::string, double>> levels;
    for (const TierSummary& t : x.tiers) {
      if (t.remaining_above && *t.remaining_above > 0.0) {
        levels.emplace_back(std::string(tier_name(t.action)) + " above " +
                                fmt("%.3g %%", *t.remaining_above * 100.0),
                            *t.remaining_above * 100.0);
      }
    }
    if (!b.mean.empty()) {
      sec.charts.push_back(
          {"Remaining error budget",
           " Mean over trials, with the band between the 5th and 95th percentiles; dashed lines: "
           "the budget policy's tiers.",
           band_chart("remaining budget (%)", b.start.to_seconds() / 86400.0,
                      b.step.to_seconds() / 86400.0, scaled(b.mean), scaled(b.p05), scaled(b.p95),
                      "mean", levels)});
    }
    ReportTable t;
    t.header = {"figure", "estimate", "interval"};
    auto row = [&t](const std::string& name, const std::string& value) {
      const auto at = value.find("  [");
      t.rows.push_back({name, at == std::string::npos ? value : value.substr(0, at),
                        at == std::string::npos ? "" : value.substr(at + 2)});
    };
    row("attainment (mean)", pct_interval(x.attainment));
    row("P(SLO met)", pct_interval(x.p_met));
    row("budget consumed (mean)", pct_interval(x.budget_consumed));
    row("budget consumed (p95)", pct_interval({x.budget_consumed_p95.estimate,
                                               x.budget_consumed_p95.low,
                                               x.budget_consumed_p95.high}));
    for (std::size_t i = 1; i < x.tiers.size(); ++i) {
      row(std::string("P(") + tier_name(x.tiers[i].action) + ")", pct_interval(x.tiers[i].probability));
    }
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }

  // Services.
  if (!m.services.empty()) {
    ReportSection sec;
    sec.title = "Services";
    std::vector<std::string> names;
    std::vector<double> est, lo, hi;
    ReportTable t;
    t.header = {"service", "availability (mean)", "interval"};
    for (std::size_t v = 0; v < m.services.size(); ++v) {
      const Interval& a = s.services[v].availability;
      names.push_back(m.names.components[m.services[v].component]);
      est.push_back(a.estimate * 100.0);
      lo.push_back(a.low * 100.0);
      hi.push_back(a.high * 100.0);
      const std::string value = pct_interval(a);
      const auto at = value.find("  [");
      t.rows.push_back({names.back(), value.substr(0, at),
                        at == std::string::npos ? "" : value.substr(at + 2)});
    }
    sec.charts.push_back({"Availability", " Successful requests / all requests, mean over trials.",
                          interval_chart("availability (%)", names, est, lo, hi)});
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }

  // Incidents: MTTR and its parts by severity, the durations, a timeline.
  if (s.incidents[0].incidents > 0) {
    ReportSection sec;
    sec.title = "Incidents and MTTR";
    sec.text = "Time to detect, acknowledge, mitigate and resolve, by severity (means over the "
               "incidents of every trial).";
    std::vector<std::string> groups;
    std::vector<std::vector<double>> values(kIncidentMetrics);
    ReportTable t;
    t.header = {"severity", "incidents per trial", "MTTR (mean)", "TTD (mean)", "TTA (mean)",
                "TTM (mean)", "MTTR median", "MTTR p90"};
    for (std::size_t g = 0; g < kSeverityGroups; ++g) {
      const IncidentGroupSummary& x = s.incidents[g];
      if (x.incidents == 0) continue;
      groups.push_back(severity_group_name(g));
      for (std::size_t k = 0; k < kIncidentMetrics; ++k) {
        const double mean = x.durations[k].mean.estimate;
        values[k].push_back(std::isfinite(mean) ? mean / 60.0 : 0.0);
      }
      const auto& d = x.durations;
      t.rows.push_back({groups.back(), count_interval(x.per_trial),
                        minutes_interval(d[static_cast<std::size_t>(IncidentMetric::mttr)].mean),
                        minutes_interval(d[static_cast<std::size_t>(IncidentMetric::ttd)].mean),
                        minutes_interval(d[static_cast<std::size_t>(IncidentMetric::tta)].mean),
                        minutes_interval(d[static_cast<std::size_t>(IncidentMetric::ttm)].mean),
                        minutes_interval({d[0].median.estimate, d[0].median.low, d[0].median.high}),
                        minutes_interval({d[0].p90.estimate, d[0].p90.low, d[0].p90.high})});
    }
    std::vector<std::string> series;
    for (std::size_t k = 0; k < kIncidentMetrics; ++k) {
      series.emplace_back(to_string(static_cast<IncidentMetric>(k)));
    }
    sec.charts.push_back({"MTTR and its parts by severity", " Mean minutes per incident.",
                          grouped_bar_chart("severity", "minutes", groups, series, values)});
    if (!in.resolve_minutes.empty()) {
      // Up to the 99th percentile: the longest 1 % would squeeze the rest into one bar.
      std::vector<double> sorted = in.resolve_minutes;
      std::sort(sorted.begin(), sorted.end());
      const double cap = sorted[static_cast<std::size_t>(0.99 * static_cast<double>(sorted.size() - 1))];
      std::vector<double> shown;
      for (const double v : sorted) {
        if (v <= cap) shown.push_back(v);
      }
      sec.charts.push_back({"Time to resolve",
                            " Incidents of every trial, in minutes, up to the 99th percentile (" +
                                fmt("%.3g", cap) + " min).",
                            histogram_chart("minutes to resolve", shown, 30)});
    }
    if (!in.sample_incidents.empty()) {
      // Each incident from its own start, in minutes: a month-long axis would
      // shrink incidents of minutes to nothing. The label says when it began.
      std::vector<std::string> rows;
      std::vector<std::vector<TimelinePhase>> phases;
      for (const models::IncidentRow& i : in.sample_incidents) {
        if (rows.size() >= 16) break;  // a readable chart
        const double day = i.start.to_seconds() / 86400.0;
        const auto minute_of_day = static_cast<int>(std::fmod(i.start.to_seconds(), 86400.0) / 60.0);
        char when[32];
        std::snprintf(when, sizeof when, "day %d %02d:%02d", static_cast<int>(day) + 1,
                      minute_of_day / 60, minute_of_day % 60);
        rows.push_back(std::string(when) + " " + m.names.components[i.service] + " " +
                       incident_cause_name(static_cast<std::uint8_t>(i.cause)) +
                       (i.severity ? " SEV-" + std::to_string(i.severity) : ""));
        auto minutes = [&](sim::Duration d, double fallback) {
          return d == models::kNever ? fallback : (d - i.start).to_seconds() / 60.0;
        };
        const double mitigated = minutes(i.mitigated, (m.horizon - i.start).to_seconds() / 60.0);
        const double detected = std::min(minutes(i.detected, 0.0), mitigated);
        const double acked = std::clamp(minutes(i.acked, detected), detected, mitigated);
        const double resolved = std::max(minutes(i.resolved, mitigated), mitigated);
        phases.push_back({{0.0, detected}, {detected, acked}, {acked, mitigated}, {mitigated, resolved}});
      }
      std::string faults;
      for (std::size_t f = 0; f < m.faults.size(); ++f) {
        faults += (faults.empty() ? " Injected faults: " : ", ") + m.names.faults[f] + " at day " +
                  fmt("%.2f", m.faults[f].start.to_seconds() / 86400.0 + 1.0);
      }
      sec.charts.push_back(
          {"Trial " + std::to_string(in.sample_trial) + ": its incidents",
           " Minutes from each incident's start: until detected, until acknowledged, until "
           "mitigated, until resolved." + faults + (faults.empty() ? "" : "."),
           timeline_chart("minutes from the incident's start", rows,
                          {"detect", "acknowledge", "mitigate", "resolve"}, phases, {})});
    }
    if (!in.sample_incidents.empty() || !in.sample_deploys.empty() || !m.faults.empty()) {
      // The same trial over its whole horizon, in days: when incidents
      // happened relative to the deploys and the injected faults.
      std::vector<std::string> rows;
      std::vector<std::vector<TimelinePhase>> phases;
      auto days = [](sim::Duration d) { return d.to_seconds() / 86400.0; };
      const double min_width = days(m.horizon) / 200.0;
      for (const models::IncidentRow& i : in.sample_incidents) {
        if (rows.size() >= 16) break;
        rows.push_back("#" + std::to_string(i.id) + " " + m.names.components[i.service] + " " +
                       incident_cause_name(static_cast<std::uint8_t>(i.cause)));
        const sim::Duration end = i.resolved != models::kNever    ? i.resolved
                                  : i.mitigated != models::kNever ? i.mitigated
                                                                  : m.horizon;
        // Incidents of minutes would be invisible on a month: each bar is at
        // least 1/200 of the horizon wide (the caption says so).
        phases.push_back({{days(i.start), std::max(days(end), days(i.start) + min_width)}});
      }
      std::vector<TimelineMarker> markers;
      for (const SampleDeploy& d : in.sample_deploys) {
        const std::string& service = m.names.components[m.services[d.service].component];
        markers.push_back({d.bad ? "bad deploys" : "deploys",
                           (d.bad ? "bad deploy " : "deploy ") + service, days(d.at)});
      }
      for (std::size_t f = 0; f < m.faults.size(); ++f) {
        markers.push_back({"faults", m.names.faults[f], days(m.faults[f].start)});
      }
      std::size_t bad = 0;
      for (const SampleDeploy& d : in.sample_deploys) bad += d.bad ? 1 : 0;
      sec.charts.push_back(
          {"Trial " + std::to_string(in.sample_trial) + " over the horizon",
           " Days from the trial's start: each incident from its start to resolved (drawn at "
           "least " + fmt("%.3g", min_width * 24.0) + " h wide), the " +
               std::to_string(in.sample_deploys.size()) + " deploys (" + std::to_string(bad) +
               " bad) and the injected faults.",
           timeline_chart("days from the trial's start", rows, {"incident"}, phases, markers)});
    }
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }

  // Pages per shift.
  if (!m.teams.empty()) {
    ReportSection sec;
    sec.title = "On call";
    std::vector<std::string> names;
    std::vector<double> est, lo, hi;
    ReportTable t;
    t.header = {"team", "pages per shift", "pages at night per trial", "noise pages per trial",
                "tickets per trial"};
    for (std::size_t k = 0; k < m.teams.size(); ++k) {
      const TeamSummary& x = s.teams[k];
      names.push_back(m.names.teams[k]);
      est.push_back(std::isfinite(x.pages_per_shift.estimate) ? x.pages_per_shift.estimate : 0.0);
      lo.push_back(x.pages_per_shift.low);
      hi.push_back(x.pages_per_shift.high);
      t.rows.push_back({names.back(), count_interval(x.pages_per_shift),
                        count_interval(x.night_pages_per_trial),
                        count_interval(x.noise_pages_per_trial), count_interval(x.tickets_per_trial)});
    }
    sec.charts.push_back({"Pages per on-call shift", " Mean over trials.",
                          interval_chart("pages per shift", names, est, lo, hi)});
    sec.tables.push_back(std::move(t));
    r.sections.push_back(std::move(sec));
  }
  return r;
}

}  // namespace relsim::analysis
