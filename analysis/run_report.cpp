#include "analysis/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/format.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/text_format.hpp"
#include "analysis/trial_row.hpp"
#include "models/trial_observer.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"

namespace relsim::analysis {

namespace {

/// A figure's text with the 12-column padding of the terminal summary cut
/// to two spaces before its interval (where the tables split it).
std::string cell(std::string text) {
  const auto pad = text.find("  ");
  if (pad != std::string::npos) text.erase(pad, text.find_first_not_of(' ', pad) - pad - 2);
  return text;
}

std::string minutes_interval(const Interval& iv) {
  return cell(magnitude_text(iv.estimate, iv, 1.0 / 60.0, " min"));
}

std::string count_interval(const Interval& iv) {
  return cell(magnitude_text(iv.estimate, iv, 1.0, ""));
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
  models::TrialResult r = world.run(sim::trial_seed(master_seed, trial));
  in.sample_incidents = std::move(r.incidents);
  in.sample_impacts = std::move(r.impacts);
  in.sample_trial = trial;
}

std::string incident_label(const models::CompiledModel& m, const models::IncidentRow& i,
                           const std::vector<models::IncidentImpact>& impacts) {
  const auto others = std::count_if(impacts.begin(), impacts.end(), [&](const auto& v) {
    return v.incident == i.id && v.service != i.service;
  });
  const std::string subject = incident_cause_subject(m, i);
  std::string out = m.names.components[i.service] + ": " + cause_label(i.cause);
  if (!subject.empty()) out += " (" + subject + ")";
  if (others > 0) {
    out += ", +" + std::to_string(others) + (others == 1 ? " service" : " services");
  }
  return out;
}

Report build_run_report(const RunReportInput& in) {
  const models::CompiledModel& m = *in.model;
  const RunSummary& s = *in.summary;
  Report r;
  r.title = m.names.scenario + " on " + m.names.system;
  r.subtitle = "Monte Carlo estimates over " + std::to_string(s.trials) +
               " trials; every figure with its " + printf_text("%.3g", s.confidence * 100.0) +
               " % confidence interval.";
  r.facts = {{"scenario file", in.scenario_file},
             {"trials", std::to_string(s.trials)},
             {"seed", std::to_string(in.seed)},
             {"horizon", horizon_text(m.horizon)}};

  // Per SLO: the remaining budget over the window and its figures.
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const SloSummary& x = s.slos[k];
    ReportSection sec;
    sec.title = "SLO " + m.names.slos[k] + " (" + m.names.components[m.slos[k].component] + ", " +
                printf_text("%.6g %%", m.slos[k].objective * 100.0) + ")";
    sec.text =
        "How much of the window's error budget is left as the window goes by, and how "
        "often each budget-policy tier is reached.";
    const BudgetSeriesSummary& b = x.remaining_budget;
    auto scaled = [](const std::vector<double>& v) {
      std::vector<double> out;
      out.reserve(v.size());
      for (const double y : v) out.push_back(y * 100.0);
      return out;
    };
    // Every tier of the policy, drawn where it begins as the budget falls:
    // the first at 100 %, each next one at the previous tier's threshold.
    std::vector<BandLevel> levels;
    double upper = 1.0;
    for (const TierSummary& t : x.tiers) {
      const std::string top = printf_text("%.3g %%", upper * 100.0);
      levels.push_back({std::string(budget_action_text(t.action)) + ": " +
                            (t.remaining_above
                                 ? top + " to " + printf_text("%.3g %%", *t.remaining_above * 100.0)
                                 : top + " and below"),
                        upper * 100.0});
      if (!t.remaining_above) break;
      upper = *t.remaining_above;
    }
    if (!b.mean.empty()) {
      sec.charts.push_back(
          {"Remaining error budget",
           " Mean over trials, with the band between the 5th and 95th percentiles; dashed lines: "
           "where each tier of the budget policy begins. Day 1 is the first day.",
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
    row("attainment (mean)", cell(nines_text(x.attainment)));
    row("P(SLO met)", cell(probability_text(x.p_met)));
    row("budget consumed (mean)",
        cell(magnitude_text(x.budget_consumed.estimate, x.budget_consumed, 100.0, " %")));
    const auto& p95 = x.budget_consumed_p95;
    row("budget consumed (p95)",
        cell(magnitude_text(p95.estimate, {p95.estimate, p95.low, p95.high}, 100.0, " %")));
    for (std::size_t i = 1; i < x.tiers.size(); ++i) {
      row(std::string("P(") + budget_action_text(x.tiers[i].action) + ")",
          cell(probability_text(x.tiers[i].probability)));
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
      const std::string value = cell(nines_text(a));
      const auto at = value.find("  [");
      t.rows.push_back(
          {names.back(), value.substr(0, at), at == std::string::npos ? "" : value.substr(at + 2)});
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
    sec.text =
        "Time to detect, acknowledge, mitigate and resolve, by severity (means over the "
        "incidents of every trial).";
    std::vector<std::string> groups;
    std::vector<std::vector<double>> values(kIncidentMetrics);
    ReportTable t;
    t.header = {"severity",   "incidents per trial", "MTTR (mean)", "TTD (mean)",
                "TTA (mean)", "TTM (mean)",          "MTTR median", "MTTR p90"};
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
      const double cap =
          sorted[static_cast<std::size_t>(0.99 * static_cast<double>(sorted.size() - 1))];
      std::vector<double> shown;
      for (const double v : sorted) {
        if (v <= cap) shown.push_back(v);
      }
      sec.charts.push_back({"Time to resolve",
                            " Incidents of every trial, in minutes, up to the 99th percentile (" +
                                printf_text("%.3g", cap) + " min).",
                            histogram_chart("minutes to resolve", shown, 30)});
    }
    if (!in.sample_incidents.empty()) {
      // Each incident from its own start, in minutes: a month-long axis would
      // shrink incidents of minutes to nothing. The label says when it began.
      std::vector<std::string> rows;
      std::vector<std::vector<TimelinePhase>> phases;
      for (const models::IncidentRow& i : in.sample_incidents) {
        if (rows.size() >= 16) break;  // a readable chart
        rows.push_back(day_clock_text(i.start) + " " + incident_label(m, i, in.sample_impacts) +
                       (i.severity ? " SEV-" + std::to_string(i.severity) : ""));
        auto minutes = [&](sim::Duration d, double fallback) {
          return d == models::kNever ? fallback : (d - i.start).to_seconds() / 60.0;
        };
        const double mitigated = minutes(i.mitigated, (m.horizon - i.start).to_seconds() / 60.0);
        const double detected = std::min(minutes(i.detected, 0.0), mitigated);
        const double acked = std::clamp(minutes(i.acked, detected), detected, mitigated);
        const double resolved = std::max(minutes(i.resolved, mitigated), mitigated);
        phases.push_back(
            {{0.0, detected}, {detected, acked}, {acked, mitigated}, {mitigated, resolved}});
      }
      std::string faults;
      for (std::size_t f = 0; f < m.faults.size(); ++f) {
        faults += (faults.empty() ? " Injected faults: " : ", ") + m.names.faults[f] + " at " +
                  day_clock_text(m.faults[f].start);
      }
      sec.charts.push_back(
          {"Trial " + std::to_string(in.sample_trial) + ": its incidents",
           " Minutes from each incident's start: until detected, until acknowledged, until "
           "mitigated, until resolved." +
               faults + (faults.empty() ? "" : "."),
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
        rows.push_back("#" + std::to_string(i.id) + " " + incident_label(m, i, in.sample_impacts));
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
           " Day 1 is the first day: each incident from its start to resolved (drawn at "
           "least " +
               printf_text("%.3g", min_width * 24.0) + " h wide), the " +
               std::to_string(in.sample_deploys.size()) + " deploys (" + std::to_string(bad) +
               " bad) and the injected faults.",
           timeline_chart("day of the trial", rows, {"incident"}, phases, markers,
                          DayRange{0.0, days(m.horizon)})});
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
      t.rows.push_back(
          {names.back(), count_interval(x.pages_per_shift), count_interval(x.night_pages_per_trial),
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
