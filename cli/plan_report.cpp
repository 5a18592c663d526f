// The report of `relsim plan`. See cli/plan_report.hpp.
#include "cli/plan_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/format.hpp"
#include "analysis/plan_file.hpp"
#include "analysis/text_format.hpp"
#include "cli/report_format.hpp"

namespace relsim::cli {

namespace {

using analysis::Interval;
using analysis::QuantileInterval;

using analysis::printf_text;
using analysis::seconds_text;

std::string pct(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::isinf(x)) return "inf";
  const double v = x * 100.0;
  if (std::fabs(v) < 1e-9) return "0 %";  // rounding noise of paired differences
  if (std::fabs(v) >= 10.0) return printf_text("%.1f %%", v);
  if (std::fabs(v) >= 0.1) return printf_text("%.2f %%", v);
  return printf_text("%.3g %%", v);
}

std::string pct_interval(const Interval& iv) {
  return pct(iv.estimate) + " [" + pct(iv.low) + ", " + pct(iv.high) + "]";
}

std::string count_text(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::fabs(x) >= 1e6) return printf_text("%.3g", x);
  return printf_text("%.0f", x);
}

/// A metric value in its unit.
std::string metric_text(models::MetricUnit unit, double v) {
  switch (unit) {
    case models::MetricUnit::duration:
      return seconds_text(v);
    case models::MetricUnit::fraction:
      return pct(v);
    case models::MetricUnit::count:
      return count_text(v);
  }
  return "?";
}

models::MetricUnit unit_of(models::GameDayMetric m) {
  for (const auto& info : models::game_day_metrics()) {
    if (info.metric == m) return info.unit;
  }
  return models::MetricUnit::fraction;
}

std::string check_text(const models::MetricCheck& c) {
  const auto unit = unit_of(c.metric);
  std::string out = c.metric_name;
  if (c.metric == models::GameDayMetric::latency_percentile) {
    out += printf_text("(p%g)", c.percentile * 100.0);
  }
  if (c.below) out += " <= " + metric_text(unit, *c.below);
  if (c.above) out += " >= " + metric_text(unit, *c.above);
  return out;
}

std::string stop_text(const models::StopCondition& s) {
  const auto unit = unit_of(s.check.metric);
  std::string out = s.check.metric_name;
  if (s.check.above) out += " > " + metric_text(unit, *s.check.above);
  if (s.check.below) out += " < " + metric_text(unit, *s.check.below);
  if (s.for_duration > sim::Duration::zero()) out += " for " + sim::format_duration(s.for_duration);
  out += ", abort latency " + sim::format_duration(s.abort_latency);
  return out;
}

std::string tier_name(const models::CompiledModel& m, std::size_t tier) {
  if (m.budget_policy.empty()) return "none";
  return models::to_string(m.budget_policy[tier].action);
}

}  // namespace

std::string plan_text(const PlanReport& r) {
  const auto& m = r.model;
  const auto& g = r.game_day;
  const auto& p = r.plan;
  const auto& t = r.runs.targets;
  std::string out = printf_text(
      "relsim plan: %s on %s: %zu candidate start%s x %llu trials (common random numbers), seed "
      "%llu; observe %s; %.2f s wall on %u thread%s\n",
      m.names.scenario.c_str(), m.names.system.c_str(), p.candidates.size(),
      p.candidates.size() == 1 ? "" : "s", static_cast<unsigned long long>(r.runs.trials),
      static_cast<unsigned long long>(r.runs.seed), sim::format_duration(g.observe).c_str(), r.wall,
      r.threads, r.threads == 1 ? "" : "s");
  out += "  " + r.file + "; experiment: " + analysis::experiment_label(m) + "\n";
  out += printf_text(
      "  %d %% intervals: Wilson for probabilities, t for means, order statistics for "
      "quantiles\n",
      static_cast<int>(std::lround(p.confidence * 100)));
  std::string slos, watched;
  for (const auto k : t.budget_slos) slos += (slos.empty() ? "" : ", ") + m.names.slos[k];
  for (const auto s : t.watched) {
    watched += (watched.empty() ? "" : ", ") + m.names.components[m.services[s].component];
  }
  out += "  budget: " + pct(g.budget.remaining_this_month) + " of the month's budget left (tier " +
         tier_name(m, p.tier_before) + "); SLOs: " + (slos.empty() ? "none" : slos) +
         "; error rate of: " + watched + "\n";
  if (p.ranking.empty()) return out;
  const std::size_t best = p.ranking.front();
  const auto& b = p.candidates[best];
  out += "\nRecommended start: " + analysis::start_label(m, b.start) +
         printf_text(" (rank 1 of %zu); figures below are for it\n", p.candidates.size());

  if (!g.hypotheses.empty()) {
    int nw = 30, cw = 26;
    for (const auto& hy : g.hypotheses) {
      nw = std::max(nw, static_cast<int>(hy.name.size()));
      cw = std::max(cw, static_cast<int>(check_text(hy.check).size()));
    }
    out += printf_text("\n%-*s %-*s %-26s %-10s %-10s %s\n", nw + 2, "hypothesis", cw, "check",
                       "P(holds)", "median", "p90", "p99");
    for (std::size_t h = 0; h < g.hypotheses.size(); ++h) {
      const auto& hy = g.hypotheses[h];
      const auto& hs = b.hypotheses[h];
      const auto unit = unit_of(hy.check.metric);
      out += printf_text("  %-*s %-*s %-26s %-10s %-10s %s\n", nw, hy.name.c_str(), cw,
                         check_text(hy.check).c_str(), pct_interval(hs.p_holds).c_str(),
                         metric_text(unit, hs.value.p50.estimate).c_str(),
                         metric_text(unit, hs.value.p90.estimate).c_str(),
                         metric_text(unit, hs.value.p99.estimate).c_str());
    }
  }
  if (!g.stop_conditions.empty()) {
    out += printf_text("\n%-56s %-24s %s\n", "stop condition", "P(fires)", "mean time to fire");
    for (std::size_t k = 0; k < g.stop_conditions.size(); ++k) {
      const auto& ss = b.stops[k];
      out += printf_text("  %-54s %-24s %s\n", stop_text(g.stop_conditions[k]).c_str(),
                         pct_interval(ss.p_fires).c_str(),
                         seconds_text(ss.seconds_to_fire.estimate).c_str());
    }
    out += printf_text("  %-54s %s\n", "any (P(abort))", pct_interval(b.p_abort).c_str());
  }
  if (!std::isnan(b.p_steady.estimate)) {
    out += printf_text("\n%-32s %-26s %-26s %s\n", "steady state (10 min before)", "check",
                       "P(holds)", "median");
    for (std::size_t k = 0; k < g.steady_state.size() && k < b.steady_checks.size(); ++k) {
      const auto& check = g.steady_state[k];
      const auto& hs = b.steady_checks[k];
      out += printf_text("  %-30s %-26s %-26s %s\n", "", check_text(check).c_str(),
                         pct_interval(hs.p_holds).c_str(),
                         metric_text(unit_of(check.metric), hs.value.p50.estimate).c_str());
    }
    out += printf_text("  %-30s %-26s %s\n", "all", "", pct_interval(b.p_steady).c_str());
  }
  const int worst = static_cast<int>(std::lround(g.worst_case_percentile * 100));
  out += printf_text("\n%-32s %-30s %s\n", "impact", "with stop conditions", "without");
  auto row = [&](const char* label, const std::string& a, const std::string& c) {
    out += printf_text("  %-30s %-30s %s\n", label, a.c_str(), c.c_str());
  };
  row("budget consumed (mean)", pct_interval(b.with_stop.budget_consumed),
      pct_interval(b.without_stop.budget_consumed));
  row(printf_text("budget consumed (p%d)", worst).c_str(), pct(b.with_stop.budget_worst.estimate),
      pct(b.without_stop.budget_worst.estimate));
  row("requests failed (mean)", count_text(b.with_stop.requests_failed.estimate),
      count_text(b.without_stop.requests_failed.estimate));
  row("peak error rate (mean)", pct(b.with_stop.peak_error_rate.estimate),
      pct(b.without_stop.peak_error_rate.estimate));
  row("users affected (mean)", pct(b.with_stop.users_affected.estimate),
      pct(b.without_stop.users_affected.estimate));

  out += "\nbudget\n";
  out +=
      printf_text("  %-30s %s\n", "of what is left (mean)", pct_interval(b.of_remaining).c_str());
  out +=
      printf_text("  %-30s %s\n", "P(stricter policy tier)", pct_interval(b.p_tier_pushed).c_str());
  for (std::size_t k = 0; k < t.budget_slos.size(); ++k) {
    out += printf_text("  %-30s %s\n", ("SLO " + m.names.slos[t.budget_slos[k]]).c_str(),
                       pct_interval(b.slo_budget[k]).c_str());
  }

  out +=
      printf_text("\n%-32s %-6s %s\n", "blast radius", "path", "failed requests (mean fraction)");
  for (std::size_t k = 0; k < t.affected.size(); ++k) {
    const bool hit = std::find(t.hit.begin(), t.hit.end(), t.affected[k]) != t.hit.end();
    out += printf_text("  %-30s %-6s %s\n", m.names.components[t.affected[k]].c_str(),
                       hit ? "hit" : (t.hard_path[k] ? "hard" : "soft"),
                       pct_interval(b.component_error[k]).c_str());
  }

  out +=
      printf_text("\n%-4s %-18s %-24s %-28s %-10s %s\n", "rank", "start", "budget consumed (mean)",
                  "vs best (paired, pp)", "P(abort)", "vs best (paired, pp)");
  // The best ten, then only the worst start; a cut hides at least two
  // starts (a line "... 1 more" would take the place of the start itself).
  constexpr std::size_t kShown = 10;
  const bool cut = p.ranking.size() > kShown + 2;
  for (std::size_t i = 0; i < p.ranking.size(); ++i) {
    const auto& c = p.candidates[p.ranking[i]];
    if (cut && i >= kShown && i + 1 != p.ranking.size()) {
      if (i == kShown) out += printf_text("  ... %zu more\n", p.ranking.size() - kShown - 1);
      continue;
    }
    out += printf_text("%-4zu %-18s %-24s %-28s %-10s %s\n", i + 1,
                       analysis::start_label(m, c.start).c_str(),
                       pct(c.with_stop.budget_consumed.estimate).c_str(),
                       i == 0 ? "-" : analysis::percentage_points_text(c.budget_vs_best).c_str(),
                       pct(c.p_abort.estimate).c_str(),
                       i == 0 ? "-" : analysis::percentage_points_text(c.abort_vs_best).c_str());
  }

  std::string verdict = analysis::to_string(p.verdict);
  for (auto& ch : verdict) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  out += "\nverdict: " + verdict + " at " + analysis::start_label(m, b.start) + "\n";
  for (const auto& reason : p.reasons) out += "  - " + reason + "\n";
  for (const auto& note : p.notes) out += "note: " + note + "\n";
  return out;
}

// ---------------------------------------------------------------- JSON

namespace {

using models::JsonNode;

JsonNode iv(const Interval& i) { return analysis::interval_node(i); }

JsonNode qv(const QuantileInterval& q) {
  JsonNode n = analysis::interval_node(Interval{q.estimate, q.low, q.high});
  n.set("never", std::isinf(q.estimate));
  return n;
}

JsonNode impact_json(const analysis::ImpactSummary& x) {
  JsonNode n;
  n.set("budgetConsumed", iv(x.budget_consumed));
  n.set("budgetWorstCase", qv(x.budget_worst));
  n.set("requestsFailed", iv(x.requests_failed));
  n.set("peakErrorRate", iv(x.peak_error_rate));
  n.set("usersAffected", iv(x.users_affected));
  return std::move(n.one_line());
}

JsonNode intervals_json(const std::vector<Interval>& items) {
  JsonNode::Array a;
  for (const Interval& i : items) a.push_back(iv(i));
  return std::move(JsonNode(std::move(a)).one_line());
}

JsonNode budget_json(const PlanReport& r) {
  const auto& m = r.model;
  JsonNode budget;
  budget.set("remainingThisMonth", r.game_day.budget.remaining_this_month);
  budget.set("tier", tier_name(m, r.plan.tier_before));
  JsonNode::Array slos;
  for (const auto k : r.runs.targets.budget_slos) slos.emplace_back(m.names.slos[k]);
  budget.set("slos", std::move(slos));
  return std::move(budget.one_line());
}

JsonNode blast_radius_json(const PlanReport& r) {
  const auto& m = r.model;
  const auto& t = r.runs.targets;
  JsonNode::Array items;
  for (std::size_t k = 0; k < t.affected.size(); ++k) {
    const bool hit = std::find(t.hit.begin(), t.hit.end(), t.affected[k]) != t.hit.end();
    JsonNode item;
    item.set("component", m.names.components[t.affected[k]]);
    item.set("path", hit ? "hit" : (t.hard_path[k] ? "hard" : "soft"));
    items.push_back(std::move(item));
  }
  return std::move(JsonNode(std::move(items)).one_line());
}

JsonNode candidate_json(const PlanReport& r, std::size_t i) {
  const auto& m = r.model;
  const auto& g = r.game_day;
  const auto& p = r.plan;
  const auto& c = p.candidates[i];
  const auto rank = static_cast<std::size_t>(std::find(p.ranking.begin(), p.ranking.end(), i) -
                                             p.ranking.begin()) +
                    1;
  JsonNode n;
  n.set("start", analysis::start_label(m, c.start));
  n.set("startSeconds", c.start.to_seconds());
  n.set("rank", rank);
  JsonNode::Array hypotheses;
  for (std::size_t h = 0; h < c.hypotheses.size(); ++h) {
    const auto& hs = c.hypotheses[h];
    JsonNode x;
    x.set("name", g.hypotheses[h].name);
    x.set("metric", g.hypotheses[h].check.metric_name);
    x.set("holds", hs.holds);
    x.set("pHolds", iv(hs.p_holds));
    x.set("median", qv(hs.value.p50));
    x.set("p90", qv(hs.value.p90));
    x.set("p99", qv(hs.value.p99));
    hypotheses.push_back(std::move(x.one_line()));
  }
  n.set("hypotheses", std::move(hypotheses));
  JsonNode::Array steady;
  for (std::size_t k = 0; k < c.steady_checks.size() && k < g.steady_state.size(); ++k) {
    const auto& hs = c.steady_checks[k];
    JsonNode x;
    x.set("metric", g.steady_state[k].metric_name);
    x.set("holds", hs.holds);
    x.set("pHolds", iv(hs.p_holds));
    x.set("median", qv(hs.value.p50));
    steady.push_back(std::move(x.one_line()));
  }
  n.set("steadyState", std::move(steady));
  JsonNode::Array stops;
  for (const auto& ss : c.stops) {
    JsonNode x;
    x.set("fires", ss.fires);
    x.set("pFires", iv(ss.p_fires));
    x.set("secondsToFire", iv(ss.seconds_to_fire));
    stops.push_back(std::move(x.one_line()));
  }
  n.set("stopConditions", std::move(stops));
  n.set("pAbort", iv(c.p_abort));
  n.set("pSteadyState", iv(c.p_steady));
  n.set("withStop", impact_json(c.with_stop));
  n.set("withoutStop", impact_json(c.without_stop));
  n.set("budgetOfRemaining", iv(c.of_remaining));
  n.set("pStricterTier", iv(c.p_tier_pushed));
  n.set("sloBudget", intervals_json(c.slo_budget));
  n.set("componentErrorRate", intervals_json(c.component_error));
  n.set("budgetVsBest", iv(c.budget_vs_best));
  n.set("abortVsBest", iv(c.abort_vs_best));
  return n;
}

JsonNode verdict_json(const PlanReport& r) {
  const auto& p = r.plan;
  JsonNode verdict;
  verdict.set("decision", analysis::to_string(p.verdict));
  verdict.set("start", p.ranking.empty() ? JsonNode::null()
                                         : JsonNode(analysis::start_label(
                                               r.model, p.candidates[p.ranking.front()].start)));
  verdict.set("reasons", JsonNode::strings(p.reasons));
  return std::move(verdict.one_line());
}

}  // namespace

std::string plan_json(const PlanReport& r) {
  const auto& m = r.model;
  const auto& g = r.game_day;
  const auto& p = r.plan;
  JsonNode doc;
  doc.set("gameDay", m.names.scenario);
  doc.set("file", r.file);
  doc.set("system", m.names.system);
  doc.set("experiment", analysis::experiment_label(m));
  doc.set("seed", r.runs.seed);
  doc.set("trials", r.runs.trials);
  doc.set("observeSeconds", g.observe.to_seconds());
  doc.set("confidence", p.confidence);
  doc.set("worstCasePercentile", g.worst_case_percentile);
  doc.set("budget", budget_json(r));
  JsonNode::Array watched;
  for (const auto k : r.runs.targets.watched) {
    watched.emplace_back(m.names.components[m.services[k].component]);
  }
  doc.set("watched", std::move(watched));
  doc.set("blastRadius", blast_radius_json(r));
  JsonNode::Array candidates;
  for (std::size_t i = 0; i < p.candidates.size(); ++i) candidates.push_back(candidate_json(r, i));
  doc.set("candidates", std::move(candidates));
  JsonNode::Array ranking;
  for (const auto i : p.ranking)
    ranking.emplace_back(analysis::start_label(m, p.candidates[i].start));
  doc.set("ranking", std::move(ranking));
  doc.set("verdict", verdict_json(r));
  doc.set("notes", JsonNode::strings(p.notes));
  JsonNode timing;
  timing.set("wallSeconds", r.wall);
  timing.set("threads", r.threads);
  doc.set("timing", std::move(timing.one_line()));
  return doc.text();
}

// ---------------------------------------------------------------- HTML

namespace {

/// Probabilities or fractions with their intervals, as percent, for an
/// interval chart.
struct PercentIntervals {
  std::vector<std::string> names;
  std::vector<double> estimate, low, high;
  void add(std::string name, const Interval& iv) {
    names.push_back(std::move(name));
    estimate.push_back(iv.estimate * 100.0);
    low.push_back(iv.low * 100.0);
    high.push_back(iv.high * 100.0);
  }
  models::JsonNode chart(const std::string& x_label) const {
    return analysis::interval_chart(x_label, names, estimate, low, high);
  }
};

}  // namespace

analysis::Report plan_html(const PlanReport& r) {
  const auto& m = r.model;
  const auto& g = r.game_day;
  const auto& p = r.plan;
  const auto& t = r.runs.targets;
  analysis::Report rep;
  rep.title = "Game-day plan: " + m.names.scenario + " on " + m.names.system;
  rep.subtitle = printf_text(
      "%zu candidate start%s x %llu trials with common random numbers; every "
      "figure with its %d %% confidence interval.",
      p.candidates.size(), p.candidates.size() == 1 ? "" : "s",
      static_cast<unsigned long long>(r.runs.trials),
      static_cast<int>(std::lround(p.confidence * 100)));
  rep.facts = {{"game-day file", r.file},
               {"experiment", analysis::experiment_label(m)},
               {"observe", sim::format_duration(g.observe)},
               {"seed", std::to_string(r.runs.seed)},
               {"budget left this month", pct(g.budget.remaining_this_month) + " (tier " +
                                              tier_name(m, p.tier_before) + ")"}};
  if (p.ranking.empty()) return rep;
  const auto& b = p.candidates[p.ranking.front()];
  const std::string best_start = analysis::start_label(m, b.start);

  {
    std::string verdict = analysis::to_string(p.verdict);
    for (auto& ch : verdict) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    analysis::ReportSection sec;
    sec.title = "Verdict: " + verdict + " at " + best_start;
    sec.text =
        "The plan's go / no-go line for the recommended start (rank 1), given the "
        "hypotheses, the stop conditions and the error budget left this month. The "
        "sections below are for that start; the last one ranks every candidate.";
    analysis::ReportTable reasons{"Why", {"reason"}, {}};
    for (const auto& reason : p.reasons) reasons.rows.push_back({reason});
    for (const auto& note : p.notes) reasons.rows.push_back({"note: " + note});
    if (!reasons.rows.empty()) sec.tables.push_back(std::move(reasons));
    rep.facts.emplace_back("verdict", verdict + " at " + best_start);
    rep.sections.push_back(std::move(sec));
  }

  if (!g.hypotheses.empty()) {
    analysis::ReportSection sec;
    sec.title = "Hypotheses";
    sec.text = "The probability that each hypothesis holds when the drill starts at " + best_start +
               ", and the distribution of what it measures.";
    PercentIntervals holds;
    analysis::ReportTable table{"Hypotheses at " + best_start,
                                {"hypothesis", "check", "P(holds)", "median", "p90", "p99"},
                                {}};
    for (std::size_t h = 0; h < g.hypotheses.size(); ++h) {
      const auto& hy = g.hypotheses[h];
      const auto& hs = b.hypotheses[h];
      const auto unit = unit_of(hy.check.metric);
      holds.add(hy.name, hs.p_holds);
      table.rows.push_back({hy.name, check_text(hy.check), pct_interval(hs.p_holds),
                            metric_text(unit, hs.value.p50.estimate),
                            metric_text(unit, hs.value.p90.estimate),
                            metric_text(unit, hs.value.p99.estimate)});
    }
    sec.charts.push_back({"P(hypothesis holds)",
                          " Percent of trials, the point at the estimate and the bar its interval.",
                          holds.chart("P(holds), %")});
    sec.tables.push_back(std::move(table));
    if (!std::isnan(b.p_steady.estimate)) {
      analysis::ReportTable steady{
          "Steady state over the 10 min before the start", {"check", "P(holds)", "median"}, {}};
      for (std::size_t k = 0; k < g.steady_state.size() && k < b.steady_checks.size(); ++k) {
        const auto& hs = b.steady_checks[k];
        steady.rows.push_back(
            {check_text(g.steady_state[k]), pct_interval(hs.p_holds),
             metric_text(unit_of(g.steady_state[k].metric), hs.value.p50.estimate)});
      }
      steady.rows.push_back({"all", pct_interval(b.p_steady), ""});
      sec.tables.push_back(std::move(steady));
    }
    rep.sections.push_back(std::move(sec));
  }

  if (!g.stop_conditions.empty()) {
    analysis::ReportSection sec;
    sec.title = "Stop conditions";
    sec.text =
        "How often each stop condition aborts the drill (the first to fire reverts the "
        "fault after its abort latency), and how soon.";
    PercentIntervals fires;
    analysis::ReportTable table{"Stop conditions at " + best_start,
                                {"stop condition", "P(fires first)", "mean time to fire"},
                                {}};
    for (std::size_t k = 0; k < g.stop_conditions.size(); ++k) {
      const auto& ss = b.stops[k];
      fires.add(stop_text(g.stop_conditions[k]), ss.p_fires);
      table.rows.push_back({fires.names.back(), pct_interval(ss.p_fires),
                            seconds_text(ss.seconds_to_fire.estimate)});
    }
    fires.add("any (P(abort))", b.p_abort);
    table.rows.push_back({fires.names.back(), pct_interval(b.p_abort), ""});
    sec.charts.push_back({"P(the drill is aborted)", " Percent of trials, with intervals.",
                          fires.chart("P(fires), %")});
    sec.tables.push_back(std::move(table));
    rep.sections.push_back(std::move(sec));
  }

  {
    const int worst = static_cast<int>(std::lround(g.worst_case_percentile * 100));
    analysis::ReportSection sec;
    sec.title = "Impact and error budget";
    sec.text =
        "What the drill costs with the stop conditions (as it will be run) and without "
        "them, and what it does to this month's error budget.";
    const std::vector<std::string> labels = {"budget consumed (mean)",
                                             printf_text("budget consumed (p%d)", worst),
                                             "peak error rate (mean)", "users affected (mean)"};
    auto column = [&](const analysis::ImpactSummary& x) {
      return std::vector<double>{
          x.budget_consumed.estimate * 100.0, x.budget_worst.estimate * 100.0,
          x.peak_error_rate.estimate * 100.0, x.users_affected.estimate * 100.0};
    };
    const auto with = column(b.with_stop);
    const auto without = column(b.without_stop);
    const std::vector<std::vector<double>> values = {with, without};  // [series][label]
    sec.charts.push_back({"Impact with and without the stop conditions",
                          " Percent: of the month's budget, of requests, of demand.",
                          analysis::grouped_bar_chart(
                              "", "%", labels, {"with stop conditions", "without"}, values)});
    analysis::ReportTable impact{
        "Impact at " + best_start, {"figure", "with stop conditions", "without"}, {}};
    impact.rows.push_back({labels[0], pct_interval(b.with_stop.budget_consumed),
                           pct_interval(b.without_stop.budget_consumed)});
    impact.rows.push_back({labels[1], pct(b.with_stop.budget_worst.estimate),
                           pct(b.without_stop.budget_worst.estimate)});
    impact.rows.push_back({"requests failed (mean)",
                           count_text(b.with_stop.requests_failed.estimate),
                           count_text(b.without_stop.requests_failed.estimate)});
    impact.rows.push_back({labels[2], pct(b.with_stop.peak_error_rate.estimate),
                           pct(b.without_stop.peak_error_rate.estimate)});
    impact.rows.push_back({labels[3], pct(b.with_stop.users_affected.estimate),
                           pct(b.without_stop.users_affected.estimate)});
    sec.tables.push_back(std::move(impact));
    analysis::ReportTable budget{"Error budget", {"figure", "estimate"}, {}};
    budget.rows.push_back({"of what is left this month (mean)", pct_interval(b.of_remaining)});
    budget.rows.push_back({"P(stricter budget-policy tier)", pct_interval(b.p_tier_pushed)});
    for (std::size_t k = 0; k < t.budget_slos.size(); ++k) {
      budget.rows.push_back({"SLO " + m.names.slos[t.budget_slos[k]] + " (mean consumed)",
                             pct_interval(b.slo_budget[k])});
    }
    sec.tables.push_back(std::move(budget));
    rep.sections.push_back(std::move(sec));
  }

  if (!t.affected.empty()) {
    analysis::ReportSection sec;
    sec.title = "Blast radius";
    sec.text =
        "Every component the fault reaches through the dependency graph (hit: the fault's "
        "target; hard or soft: the kind of dependency path), with the mean share of its "
        "requests that fail during the observation.";
    PercentIntervals failed;
    analysis::ReportTable table{"Blast radius at " + best_start,
                                {"component", "path", "failed requests (mean fraction)"},
                                {}};
    for (std::size_t k = 0; k < t.affected.size(); ++k) {
      const bool hit = std::find(t.hit.begin(), t.hit.end(), t.affected[k]) != t.hit.end();
      failed.add(m.names.components[t.affected[k]], b.component_error[k]);
      table.rows.push_back({failed.names.back(), hit ? "hit" : (t.hard_path[k] ? "hard" : "soft"),
                            pct_interval(b.component_error[k])});
    }
    sec.charts.push_back({"Failed requests per component", " Mean percent, with intervals.",
                          failed.chart("failed requests, %")});
    sec.tables.push_back(std::move(table));
    rep.sections.push_back(std::move(sec));
  }

  {
    analysis::ReportSection sec;
    sec.title = "Candidate starts";
    sec.text =
        "Every candidate start in time order: the drill's mean budget cost and P(abort). "
        "All starts ran on the same trial seeds, so the paired differences from the best "
        "start in the table are tight even where the intervals of the starts overlap.";
    std::vector<std::string> labels;
    std::vector<std::vector<double>> values(2);  // [series][label]
    for (const auto& c : p.candidates) {
      labels.push_back(analysis::start_label(m, c.start));
      values[0].push_back(c.with_stop.budget_consumed.estimate * 100.0);
      values[1].push_back(c.p_abort.estimate * 100.0);
    }
    sec.charts.push_back(
        {"Budget cost and P(abort) by start", " Percent, means over the trials.",
         analysis::grouped_bar_chart("start", "%", labels, {"budget consumed (mean)", "P(abort)"},
                                     values)});
    analysis::ReportTable table{"Ranked starts (best first)",
                                {"rank", "start", "budget consumed (mean)", "vs best (paired, pp)",
                                 "P(abort)", "vs best (paired, pp)"},
                                {}};
    for (std::size_t i = 0; i < p.ranking.size(); ++i) {
      const auto& c = p.candidates[p.ranking[i]];
      table.rows.push_back({std::to_string(i + 1), analysis::start_label(m, c.start),
                            pct_interval(c.with_stop.budget_consumed),
                            i == 0 ? "-" : analysis::percentage_points_text(c.budget_vs_best),
                            pct_interval(c.p_abort),
                            i == 0 ? "-" : analysis::percentage_points_text(c.abort_vs_best)});
    }
    sec.tables.push_back(std::move(table));
    rep.sections.push_back(std::move(sec));
  }
  return rep;
}

}  // namespace relsim::cli
