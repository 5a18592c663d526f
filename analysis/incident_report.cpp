#include "analysis/incident_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "analysis/format.hpp"

namespace relsim::analysis {

namespace {

using analysis::printf_text;

}  // namespace

models::JsonNode qq_chart(std::vector<double> x, const sim::Distribution& d) {
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  const std::size_t points = std::min<std::size_t>(n, 400);
  models::JsonNode::Array data;
  double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
  for (std::size_t k = 0; k < points; ++k) {
    const std::size_t i = points == n ? k : k * (n - 1) / (points - 1);
    const double q = d.quantile((static_cast<double>(i) + 0.5) / static_cast<double>(n)) / 60.0;
    const double v = x[i] / 60.0;
    models::JsonNode p;
    p.set("x", q);
    p.set("y", v);
    data.push_back(std::move(p));
    lo = std::min({lo, q, v});
    hi = std::max({hi, q, v});
  }
  models::JsonNode pts;
  pts.set("label", "incidents");
  pts.set("data", std::move(data));
  pts.set("backgroundColor", "rgba(31,119,180,0.6)");
  pts.set("pointRadius", 2);
  models::JsonNode a, b, line;
  a.set("x", lo);
  a.set("y", lo);
  b.set("x", hi);
  b.set("y", hi);
  line.set("label", "y = x (perfect fit)");
  line.set("data", models::JsonNode::Array{std::move(a), std::move(b)});
  line.set("showLine", true);
  line.set("pointRadius", 0);
  line.set("borderColor", "#d62728");
  line.set("borderDash", models::JsonNode::Array{models::JsonNode(6), models::JsonNode(4)});
  models::JsonNode dataset;
  dataset.set("datasets", models::JsonNode::Array{std::move(pts), std::move(line)});
  auto axis = [](const char* title) {
    models::JsonNode t, ax;
    t.set("display", true);
    t.set("text", title);
    ax.set("type", "logarithmic");  // skewed durations read better on log axes
    ax.set("title", std::move(t));
    return ax;
  };
  models::JsonNode scales, options, config;
  scales.set("x", axis("fitted quantile (minutes, log scale)"));
  scales.set("y", axis("observed duration (minutes, log scale)"));
  options.set("scales", std::move(scales));
  options.set("animation", false);
  config.set("type", "scatter");
  config.set("data", std::move(dataset));
  config.set("options", std::move(options));
  return config;
}

Report incident_fit_report(const FitResult& r, const std::vector<double>& x,
                           const std::string& file, const std::string& subject,
                           const std::string& tail_text) {
  const DistributionFit& best = r.fits.front();
  Report rep;
  rep.title = "Incident durations: " + subject;
  rep.subtitle =
      "Maximum-likelihood fits of " + std::to_string(r.n) + " incidents from " + file + ".";
  rep.facts = {{"file", file},
               {"duration", subject},
               {"incidents", std::to_string(r.n)},
               {"best fit (AIC)", best.name}};
  ReportSection ranking;
  ranking.title = "Fits ranked by AIC";
  ranking.text =
      "Lower AIC is better; KS is the largest gap between the data's and the fit's "
      "cumulative distribution." +
      (tail_text.empty() ? "" : " " + tail_text);
  ReportTable t;
  t.header = {"rank", "distribution", "AIC", "ΔAIC", "KS", "parameters", "scenario syntax"};
  for (std::size_t i = 0; i < r.fits.size(); ++i) {
    const DistributionFit& f = r.fits[i];
    t.rows.push_back({std::to_string(i + 1), f.name, printf_text("%.1f", f.aic),
                      printf_text("%.1f", f.aic - best.aic), printf_text("%.4f", f.ks),
                      fit_summary_text(f.distribution), distribution_yaml(f.distribution)});
  }
  ranking.tables.push_back(std::move(t));
  rep.sections.push_back(std::move(ranking));
  ReportSection qq;
  qq.title = "Q-Q charts";
  qq.text =
      "Each incident's duration against the fitted distribution's quantile at its rank, on log "
      "axes; points on the dashed line mean a perfect fit, points above it at the right mean "
      "a heavier tail than the fit.";
  for (const DistributionFit& f : r.fits) {
    qq.charts.push_back(
        {f.name, " Observed vs fitted quantiles, minutes.", qq_chart(x, f.distribution)});
  }
  rep.sections.push_back(std::move(qq));
  return rep;
}

models::JsonNode difference_histogram(const std::vector<double>& no_change,
                                      const std::vector<double>& improved,
                                      const std::string& improved_label, int bins) {
  std::vector<double> all;
  for (double v : no_change) {
    if (std::isfinite(v)) all.push_back(v / 60.0);
  }
  for (double v : improved) {
    if (std::isfinite(v)) all.push_back(v / 60.0);
  }
  std::sort(all.begin(), all.end());
  double lo = 0.0, hi = 1.0;
  if (!all.empty()) {
    lo = all[static_cast<std::size_t>(0.005 * static_cast<double>(all.size() - 1))];
    hi = all[static_cast<std::size_t>(0.995 * static_cast<double>(all.size() - 1))];
  }
  if (!(hi > lo)) hi = lo + 1.0;
  const double width = (hi - lo) / bins;
  auto counts = [&](const std::vector<double>& v) {
    std::vector<double> c(static_cast<std::size_t>(bins), 0.0);
    for (double x : v) {
      const double m = x / 60.0;
      if (!(m >= lo && m <= hi)) continue;
      const auto b = std::min(bins - 1, static_cast<int>((m - lo) / width));
      c[static_cast<std::size_t>(b)] += 1.0 / static_cast<double>(v.size());
    }
    models::JsonNode::Array out;
    for (double f : c) out.emplace_back(f);
    return out;
  };
  std::vector<std::string> labels;
  for (int b = 0; b < bins; ++b) labels.push_back(printf_text("%.3g", lo + (b + 0.5) * width));
  auto dataset = [](const char* label, models::JsonNode::Array data, const char* color) {
    models::JsonNode d;
    d.set("label", label);
    d.set("data", std::move(data));
    d.set("backgroundColor", color);
    d.set("barPercentage", 1.0);
    d.set("categoryPercentage", 1.0);
    d.set("grouped", false);
    return d;
  };
  models::JsonNode data;
  data.set("labels", models::JsonNode::strings(labels));
  data.set("datasets",
           models::JsonNode::Array{
               dataset("no change", counts(no_change), "rgba(127,127,127,0.5)"),
               dataset(improved_label.c_str(), counts(improved), "rgba(31,119,180,0.5)")});
  auto axis = [](const char* title) {
    models::JsonNode t, ax;
    t.set("display", true);
    t.set("text", title);
    ax.set("title", std::move(t));
    return ax;
  };
  models::JsonNode scales, options, config;
  scales.set("x", axis("first period − second period (minutes; > 0: the second looks better)"));
  scales.set("y", axis("share of repeats"));
  options.set("scales", std::move(scales));
  options.set("animation", false);
  config.set("type", "bar");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

Report incident_power_report(const PowerResult& r, const std::string& source) {
  const PowerSettings& st = r.settings;
  const std::string x = printf_text("%g %%", st.improvement * 100.0);
  Report rep;
  rep.title = "What MTTR can tell: " + x + " better?";
  rep.subtitle = "Two periods of " + std::to_string(st.incidents) + " incidents each, drawn from " +
                 source + "; one period's durations shortened by " + x + "; " +
                 std::to_string(st.repeats) + " repeats.";
  rep.facts = {{"durations", source},
               {"incidents per period", std::to_string(st.incidents)},
               {"improvement", x},
               {"threshold", duration_yaml(st.threshold)},
               {"repeats", std::to_string(st.repeats)},
               {"seed", std::to_string(st.seed)}};
  ReportTable t;
  t.caption =
      "Minutes. Power: the improvement beyond the 95th percentile of no-change differences.";
  t.header = {"statistic",
              "value",
              "P(" + x + " hidden)",
              "P(no change ≥ " + duration_yaml(st.threshold) + " better)",
              "90 % interval, no change",
              "power",
              "incidents needed"};
  for (const StatisticPower& s : r.statistics) {
    t.rows.push_back(
        {statistic_name(s.statistic), printf_text("%.3g", s.baseline / 60.0),
         printf_text("%.3f", s.p_improvement_hidden), printf_text("%.3f", s.p_false_improvement),
         "[" + printf_text("%.3g", s.diff_low / 60.0) + ", " +
             printf_text("%.3g", s.diff_high / 60.0) + "]",
         printf_text("%.3f", s.power),
         s.incidents_needed ? std::to_string(s.incidents_needed) : "more than the search cap"});
  }
  const AnalyticPower& a = r.analytic;
  t.rows.push_back({"mean (normal approximation)", printf_text("%.3g", a.mean / 60.0),
                    printf_text("%.3f", a.p_improvement_hidden),
                    printf_text("%.3f", a.p_false_improvement),
                    "±" + printf_text("%.3g", a.half_width90 / 60.0), printf_text("%.3f", a.power),
                    printf_text("%.0f", std::ceil(a.incidents_needed))});
  ReportSection summary;
  summary.title = "Figures";
  summary.text = "How often a real " + x +
                 " improvement is hidden, how often no change looks like one, "
                 "and how many incidents per period it takes to tell them apart.";
  summary.tables.push_back(std::move(t));
  rep.sections.push_back(std::move(summary));
  ReportSection charts;
  charts.title = "Differences between two periods";
  charts.text =
      "Grey: the difference of the statistic between two periods when nothing changed — how "
      "far it moves by chance. Blue: the same when the second period is " +
      x + " better. Where they overlap, the improvement cannot be told from chance.";
  for (const StatisticPower& s : r.statistics) {
    if (std::isnan(s.baseline)) continue;
    charts.charts.push_back(
        {statistic_name(s.statistic), " Share of repeats per bin of the difference (minutes).",
         difference_histogram(s.null_differences, s.improved_differences, x + " better")});
  }
  rep.sections.push_back(std::move(charts));
  return rep;
}

}  // namespace relsim::analysis
