// `relsim incidents import|fit|power` (docs/incident-data.md): learning from
// real incident history. `import` reads a PagerDuty, Opsgenie or generic CSV
// export into a normalised incident table (CSV) and summarises time to
// acknowledge, mitigate and resolve per service and severity, split by the
// business hours of a System's calendar; `fit` fits lognormal, gamma,
// Weibull and exponential distributions to one duration and prints them as
// scenario snippets; `power` shows by resampling how little an MTTR change
// can tell. Output is built whole, then written (atomically with -o).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/incident_data.hpp"
#include "analysis/incident_fit.hpp"
#include "analysis/incident_power.hpp"
#include "analysis/incident_summary.hpp"
#include "analysis/report_html.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "models/loader.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

analysis::IncidentFormat format_of(const std::string& text) {
  const auto f = analysis::parse_incident_format(text);
  if (!f) {
    throw std::invalid_argument("unknown --format '" + text +
                                "' (expected 'pagerduty', 'opsgenie' or 'generic')");
  }
  return *f;
}

analysis::IncidentMetric metric_of(const std::string& text) {
  const auto m = analysis::parse_metric(text);
  if (!m) throw std::invalid_argument("unknown --column '" + text + "' (expected 'tta', 'ttm' or 'ttr')");
  return *m;
}

/// Minutes with three significant digits, or `—` for NaN and infinities.
std::string minutes(double seconds) {
  if (!std::isfinite(seconds)) return "—";
  return format_text("%.3g", seconds / 60.0);
}

std::string interval_minutes(const analysis::Interval& iv) {
  return minutes(iv.estimate) + " [" + minutes(iv.low) + ", " + minutes(iv.high) + "]";
}

/// `10%`, `10 %` or `0.1` as a fraction.
double fraction_of(const std::string& text, const char* option) {
  std::string t;
  for (char c : text) {
    if (c != ' ') t += c;
  }
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v)) {
    throw std::invalid_argument(std::string(option) + " expects a percentage like 10% or a fraction like 0.1, got '" +
                                text + "'");
  }
  return percent ? v / 100.0 : v;
}

double seconds_of(const std::string& text, const char* option) {
  try {
    return sim::parse_duration(text).to_seconds();
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string(option) + ": " + e.what());
  }
}

void write_or_print(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
  } else {
    write_file_atomically(path, text);
  }
}

// ---------------------------------------------------------------- import

struct ImportOptions {
  std::string file;
  std::string format = "generic";
  std::string system;
  std::string output;
  double confidence = 0.95;
};

std::string describe_calendar(const models::Calendar& c) {
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string days;
  for (int d = 0; d < 7; ++d) {
    if (c.business_hours.days[static_cast<std::size_t>(d)]) days += std::string(days.empty() ? "" : ",") + kDays[d];
  }
  const auto hm = [](sim::Duration t) {
    const auto s = static_cast<long long>(t.to_seconds());
    return format_text("%02lld:%02lld", s / 3600, s / 60 % 60);
  };
  const auto off = static_cast<long long>(c.utc_offset.to_seconds());
  return format_text("%s %s-%s at UTC%c%02lld:%02lld", days.c_str(), hm(c.business_hours.from).c_str(),
                     hm(c.business_hours.to).c_str(), off < 0 ? '-' : '+', std::llabs(off) / 3600,
                     std::llabs(off) / 60 % 60);
}

void run_import(const ImportOptions& o) {
  check_confidence(o.confidence);
  if (!o.output.empty() && o.output != "-") check_writable(o.output);
  const auto format = format_of(o.format);
  std::optional<models::System> system;
  if (!o.system.empty()) {
    models::Documents docs = models::load_files({o.system});
    if (!docs.systems.empty()) {
      system = docs.systems.front();
    } else if (!docs.scenarios.empty()) {
      system = models::load_scenario(o.system).system;
    } else {
      throw std::invalid_argument(o.system + " holds no System (nor a Scenario naming one)");
    }
  }
  const analysis::IncidentTable table = analysis::read_incidents(o.file, format);
  std::size_t skipped = 0;
  for (const auto& s : table.skipped) skipped += s.count;
  std::string out = format_text(
      "relsim incidents import: %s (%s): %zu rows, %zu incidents, %zu skipped\n", o.file.c_str(),
      o.format.c_str(), table.rows, table.incidents.size(), skipped);
  for (const auto& s : table.skipped) {
    out += format_text("  skipped %zu: %s (first at line %d)\n", s.count, s.reason.c_str(),
                       s.first_line);
  }
  if (table.times_without_offset > 0) {
    out += format_text("  note: %zu times had no UTC offset and were read as UTC\n",
                       table.times_without_offset);
  }
  if (system) {
    out += "  business hours: " + describe_calendar(system->calendar) + " (calendar of " +
           system->name + ")\n";
  }
  const int pct = static_cast<int>(std::lround(o.confidence * 100));
  out += format_text(
      "  minutes; mean with its %d %% t interval, median and p90 with %d %% order-statistic "
      "intervals (— : too few incidents to bound); * = all\n\n",
      pct, pct);
  const auto rows = analysis::summarize_incidents(table, system ? &system->calendar : nullptr,
                                                  o.confidence);
  std::size_t ws = 7, wv = 8;
  for (const auto& r : rows) {
    ws = std::max(ws, r.service.size());
    wv = std::max(wv, r.severity.size());
  }
  out += format_text("%-*s  %-*s  %-6s %-9s %6s  %-24s %-24s %-24s\n", static_cast<int>(ws), "service",
                     static_cast<int>(wv), "severity", "metric", "hours", "n", "mean", "median", "p90");
  for (const auto& r : rows) {
    out += format_text("%-*s  %-*s  %-6s %-9s %6zu  %-24s %-24s %-24s\n", static_cast<int>(ws),
                       r.service.c_str(), static_cast<int>(wv), r.severity.c_str(),
                       analysis::metric_name(r.metric), analysis::hours_name(r.hours), r.summary.n,
                       interval_minutes(r.summary.mean).c_str(),
                       interval_minutes(r.summary.median).c_str(),
                       interval_minutes(r.summary.p90).c_str());
  }
  if (!o.output.empty()) {
    write_or_print(o.output, analysis::write_incident_csv(table));
    if (o.output == "-") return;  // the table is the output
    out += "\nwrote " + std::to_string(table.incidents.size()) + " incidents to " + o.output + "\n";
  }
  std::cout << out;
}

// ---------------------------------------------------------------- fit

struct FitOptions {
  std::string file;
  std::string format = "generic";
  std::string column = "ttr";
  std::string service;
  std::string severity;
  std::string report;
  std::string emit;
  std::string output;
};

/// The durations to fit and how many zeros were left out.
std::vector<double> durations_of(const analysis::IncidentTable& table, analysis::IncidentMetric m,
                                 const std::string& service, const std::string& severity,
                                 std::size_t& zeros) {
  std::vector<double> x;
  zeros = 0;
  for (const auto& inc : table.incidents) {
    if (!service.empty() && inc.service != service) continue;
    if (!severity.empty() && inc.severity != severity) continue;
    const double v = inc.seconds(m);
    if (std::isnan(v)) continue;
    if (v <= 0.0) {
      ++zeros;
      continue;
    }
    x.push_back(v);
  }
  return x;
}

std::string snippet_key(analysis::IncidentMetric m) {
  switch (m) {
    case analysis::IncidentMetric::tta: return "ack";
    case analysis::IncidentMetric::ttm: return "diagnose";
    case analysis::IncidentMetric::ttr: return "duration";
  }
  return "duration";
}

std::string params_text(const sim::Distribution& d) {
  const double med = d.quantile(0.5), p90 = d.quantile(0.9);
  return d.describe() + " — median " + analysis::duration_yaml(std::round(med)) + ", p90 " +
         analysis::duration_yaml(std::round(p90));
}

models::JsonNode qq_chart(std::vector<double> x, const sim::Distribution& d) {
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  const std::size_t points = std::min<std::size_t>(n, 400);
  models::JsonNode::Array data;
  double lo = INFINITY, hi = 0.0;
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
    ax.set("type", "linear");
    ax.set("title", std::move(t));
    return ax;
  };
  models::JsonNode scales, options, config;
  scales.set("x", axis("fitted quantile (minutes)"));
  scales.set("y", axis("observed duration (minutes)"));
  options.set("scales", std::move(scales));
  options.set("animation", false);
  config.set("type", "scatter");
  config.set("data", std::move(dataset));
  config.set("options", std::move(options));
  return config;
}

void run_fit(const FitOptions& o) {
  if (!o.emit.empty() && o.emit != "yaml") {
    throw std::invalid_argument("unknown --emit '" + o.emit + "' (expected 'yaml')");
  }
  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
  if (!o.output.empty()) check_writable(o.output);
  const auto metric = metric_of(o.column);
  const auto table = analysis::read_incidents(o.file, format_of(o.format));
  std::size_t zeros = 0;
  const std::vector<double> x = durations_of(table, metric, o.service, o.severity, zeros);
  if (x.size() < 2) {
    throw std::invalid_argument(o.file + ": only " + std::to_string(x.size()) + " positive " +
                                o.column + " values" + (o.service.empty() ? "" : " for " + o.service) +
                                "; need at least two to fit");
  }
  const analysis::FitResult r = analysis::fit_durations(x);
  const auto& best = r.fits.front();
  const std::string subject =
      o.column + (o.service.empty() ? "" : " of " + o.service) +
      (o.severity.empty() ? "" : " (" + o.severity + ")");
  std::string tail_text;
  if (r.tail.heavier) {
    tail_text = format_text(
        "warning: the data's tail is heavier than the %s fit: %zu of %zu incidents lie above its "
        "95th percentile (%.1f expected, p = %.2g); data p99 %s vs fit p99 %s. Consider the "
        "empirical distribution.",
        best.name.c_str(), r.tail.above, r.n, r.tail.expected, r.tail.p_value,
        analysis::duration_yaml(std::round(r.tail.data_p99)).c_str(),
        analysis::duration_yaml(std::round(r.tail.fit_p99)).c_str());
  }
  std::string out;
  if (o.emit == "yaml") {
    const std::string key = snippet_key(metric);
    out += "# relsim incidents fit " + o.file + " --column " + o.column + ": " +
           std::to_string(r.n) + " incidents, maximum likelihood, ranked by AIC\n";
    if (metric == analysis::IncidentMetric::tta) {
      out += "# paste under a team (System.spec.teams[].ack)\n";
    } else if (metric == analysis::IncidentMetric::ttm) {
      out += "# time to mitigate: paste as a runbook's diagnose (plus its steps' durations)\n";
    } else {
      out += "# time to resolve: paste at any distribution-valued key\n";
    }
    if (!tail_text.empty()) out += "# " + tail_text + "\n";
    for (std::size_t i = 0; i < r.fits.size(); ++i) {
      const auto& f = r.fits[i];
      out += format_text("%s%s (AIC %.1f, ΔAIC %.1f, KS %.3f)\n", i == 0 ? "# best: " : "# ",
                         f.name.c_str(), f.aic, f.aic - best.aic, f.ks);
      out += (i == 0 ? "" : "# ") + key + ": " + analysis::distribution_yaml(f.distribution) + "\n";
    }
    out += "# the data itself (resampled between observations):\n";
    out += "# " + key + ": " + analysis::empirical_yaml(x) + "\n";
  } else {
    out += format_text("relsim incidents fit: %s, %s: %zu incidents", o.file.c_str(), subject.c_str(),
                       r.n);
    if (zeros) out += format_text(" (%zu zero durations left out: no distribution here puts mass at 0)", zeros);
    out += "\n  maximum likelihood; ranked by AIC (lower is better); KS: largest gap between the data's and the fit's CDF\n\n";
    out += format_text("  %-4s %-12s %10s %8s %7s  %s\n", "rank", "distribution", "AIC", "ΔAIC", "KS",
                       "parameters");
    for (std::size_t i = 0; i < r.fits.size(); ++i) {
      const auto& f = r.fits[i];
      out += format_text("  %-4zu %-12s %10.1f %8.1f %7.4f  %s\n", i + 1, f.name.c_str(), f.aic,
                         f.aic - best.aic, f.ks, params_text(f.distribution).c_str());
    }
    out += "  -    empirical    resampled from the data itself (--emit yaml prints it)\n";
    if (!tail_text.empty()) out += "\n" + tail_text + "\n";
  }
  if (!o.report.empty()) {
    analysis::Report rep;
    rep.title = "Incident durations: " + subject;
    rep.subtitle = "Maximum-likelihood fits of " + std::to_string(r.n) + " incidents from " + o.file + ".";
    rep.facts = {{"file", o.file}, {"column", o.column}, {"incidents", std::to_string(r.n)},
                 {"best fit (AIC)", best.name}};
    analysis::ReportSection ranking;
    ranking.title = "Fits ranked by AIC";
    ranking.text = "Lower AIC is better; KS is the largest gap between the data's and the fit's "
                   "cumulative distribution." + (tail_text.empty() ? "" : " " + tail_text);
    analysis::ReportTable t;
    t.header = {"rank", "distribution", "AIC", "ΔAIC", "KS", "parameters", "scenario syntax"};
    for (std::size_t i = 0; i < r.fits.size(); ++i) {
      const auto& f = r.fits[i];
      t.rows.push_back({std::to_string(i + 1), f.name, format_text("%.1f", f.aic),
                        format_text("%.1f", f.aic - best.aic), format_text("%.4f", f.ks),
                        params_text(f.distribution), analysis::distribution_yaml(f.distribution)});
    }
    ranking.tables.push_back(std::move(t));
    rep.sections.push_back(std::move(ranking));
    analysis::ReportSection qq;
    qq.title = "Q-Q charts";
    qq.text = "Each incident's duration against the fitted distribution's quantile at its rank; "
              "points on the dashed line mean a perfect fit, points above it at the right mean a "
              "heavier tail than the fit.";
    for (const auto& f : r.fits) {
      qq.charts.push_back({f.name, " Observed vs fitted quantiles, minutes.", qq_chart(x, f.distribution)});
    }
    rep.sections.push_back(std::move(qq));
    write_file_atomically(o.report, analysis::render_html(rep, chart_js));
  }
  write_or_print(o.output, out);
}

// ---------------------------------------------------------------- power

struct PowerOptions {
  std::string file;
  std::string format = "generic";
  std::string column = "ttr";
  std::string lognormal;  // MU,SIGMA of ln(seconds)
  std::string normal;     // MEAN,SD as durations
  std::string improvement = "10%";
  std::size_t incidents = 100;
  std::string threshold = "5m";
  std::size_t repeats = 10'000;
  std::uint64_t seed = 1;
  std::string power = "80%";
  std::string output;
};

std::pair<std::string, std::string> split_pair(const std::string& text, const char* option) {
  const auto comma = text.find(',');
  if (comma == std::string::npos) {
    throw std::invalid_argument(std::string(option) + " expects two values separated by a comma, got '" +
                                text + "'");
  }
  return {text.substr(0, comma), text.substr(comma + 1)};
}

double number_of(const std::string& text, const char* option) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    throw std::invalid_argument(std::string(option) + ": expected a number, got '" + text + "'");
  }
  return v;
}

void run_power(const PowerOptions& o) {
  const int given = (o.file.empty() ? 0 : 1) + (o.lognormal.empty() ? 0 : 1) + (o.normal.empty() ? 0 : 1);
  if (given != 1) {
    throw std::invalid_argument("give exactly one of FILE, --lognormal MU,SIGMA or --normal MEAN,SD");
  }
  if (!o.output.empty()) check_writable(o.output);
  analysis::PowerSettings st;
  st.incidents = o.incidents;
  st.improvement = fraction_of(o.improvement, "--improvement");
  st.threshold = seconds_of(o.threshold, "--threshold");
  st.repeats = o.repeats;
  st.seed = o.seed;
  st.power = fraction_of(o.power, "--power");
  std::optional<sim::Distribution> d;
  std::string source;
  if (!o.file.empty()) {
    const auto table = analysis::read_incidents(o.file, format_of(o.format));
    std::vector<double> x = analysis::metric_values(table, metric_of(o.column));
    if (x.size() < 2) throw std::invalid_argument(o.file + ": fewer than two " + o.column + " values");
    source = o.file + " " + o.column + ", resampled (" + std::to_string(x.size()) + " incidents)";
    d = sim::Distribution::empirical(std::move(x), false);
  } else if (!o.lognormal.empty()) {
    const auto [mu, sigma] = split_pair(o.lognormal, "--lognormal");
    d = sim::Distribution::lognormal(number_of(mu, "--lognormal"), number_of(sigma, "--lognormal"));
    source = d->describe() + " of seconds";
  } else {
    const auto [mean, sd] = split_pair(o.normal, "--normal");
    d = sim::Distribution::normal(seconds_of(mean, "--normal"), seconds_of(sd, "--normal"));
    source = "normal(mean=" + mean + ", sd=" + sd + ")";
  }
  const analysis::PowerResult r = analysis::incident_power(*d, st);
  const std::string x_pct = format_text("%g %%", st.improvement * 100.0);
  const std::string y = analysis::duration_yaml(st.threshold);
  std::string out = format_text(
      "relsim incidents power: %s\n  two periods of N = %zu incidents each; one period's durations "
      "shortened by %s; %zu repeats (seed %llu)\n  minutes; ± : Monte Carlo standard error of the "
      "probabilities (at most)\n\n",
      source.c_str(), st.incidents, x_pct.c_str(), st.repeats,
      static_cast<unsigned long long>(st.seed));
  out += format_text("  %-15s %9s %16s %18s %24s %7s %12s\n", "statistic", "value",
                     ("P(" + x_pct + " hidden)").c_str(), ("P(none ≥ " + y + " better)").c_str(),
                     "90 % interval, no change", "power", ("N for " + format_text("%g", st.power * 100) + " %").c_str());
  for (const auto& s : r.statistics) {
    const std::string needed = s.incidents_needed == 0
                                   ? format_text("> %zu", analysis::kMaxIncidentsSearched)
                                   : format_text("~%zu", s.incidents_needed);
    out += format_text("  %-15s %9s %16.3f %18.3f %24s %7.3f %12s\n", analysis::statistic_name(s.statistic),
                       minutes(s.baseline).c_str(), s.p_improvement_hidden, s.p_false_improvement,
                       ("[" + minutes(s.diff_low) + ", " + minutes(s.diff_high) + "]").c_str(),
                       s.power, std::isnan(s.power) ? "—" : needed.c_str());
  }
  const auto& a = r.analytic;
  out += format_text(
      "\n  analytic (normal approximation of the mean; mean %s, sd %s):\n"
      "  %-15s %9s %16.3f %18.3f %24s %7.3f %12s\n",
      minutes(a.mean).c_str(), minutes(a.sd).c_str(), "mean", minutes(a.mean).c_str(),
      a.p_improvement_hidden, a.p_false_improvement,
      ("±" + minutes(a.half_width90)).c_str(), a.power,
      format_text("~%.0f", std::ceil(a.incidents_needed)).c_str());
  out += format_text(
      "\n  P(hidden): the improved period's figure is not lower at all. P(none ≥ %s better): nothing\n"
      "  changed, yet one period looks at least %s better. Power: the improvement is beyond the\n"
      "  95th percentile of no-change differences (a one-sided 5 %% test).\n",
      y.c_str(), y.c_str());
  write_or_print(o.output, out);
}

}  // namespace

void add_incidents_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "incidents",
      "Learning from real incident data: import an export, fit duration distributions,\n"
      "and see what MTTR can and cannot tell. See docs/incident-data.md.");
  cmd->require_subcommand(1);

  auto imp = std::make_shared<ImportOptions>();
  CLI::App* i = cmd->add_subcommand(
      "import", "Reads a PagerDuty, Opsgenie or generic CSV export; summarises TTA, TTM and TTR\n"
                "per service and severity; writes a normalised incident table (-o).");
  i->add_option("file", imp->file, "The CSV export")->required();
  i->add_option("--format", imp->format, "pagerduty, opsgenie or generic (default)");
  i->add_option("--system", imp->system,
                "A System (or Scenario) file whose calendar splits business hours from nights and weekends");
  i->add_option("-o,--output", imp->output, "Write the normalised incident table (CSV) here; - for stdout");
  i->add_option("--confidence", imp->confidence, "Confidence level of the intervals (default 0.95)");
  i->callback([imp] { run_import(*imp); });

  auto fit = std::make_shared<FitOptions>();
  CLI::App* f = cmd->add_subcommand(
      "fit", "Maximum-likelihood fits (lognormal, gamma, Weibull, exponential) of one duration,\n"
             "ranked by AIC, with KS distance; --emit yaml prints scenario snippets.");
  f->add_option("file", fit->file, "An incident CSV (a normalised table or an export)")->required();
  f->add_option("--format", fit->format, "pagerduty, opsgenie or generic (default)");
  f->add_option("--column", fit->column, "tta, ttm or ttr (default)");
  f->add_option("--service", fit->service, "Only this service's incidents");
  f->add_option("--severity", fit->severity, "Only this severity's incidents");
  f->add_option("--report", fit->report, "Also write an HTML report with a Q-Q chart per fit");
  f->add_option("--emit", fit->emit, "yaml: print the fits as scenario snippets");
  f->add_option("-o,--output", fit->output, "Write the output here instead of standard output");
  f->callback([fit] { run_fit(*fit); });

  auto pow = std::make_shared<PowerOptions>();
  CLI::App* p = cmd->add_subcommand(
      "power", "Davidovič's resampling: how often a real improvement of MTTR is invisible, how often\n"
               "no change looks like one, and how many incidents it takes to tell.");
  p->add_option("file", pow->file, "An incident CSV whose durations are resampled");
  p->add_option("--format", pow->format, "pagerduty, opsgenie or generic (default)");
  p->add_option("--column", pow->column, "tta, ttm or ttr (default)");
  p->add_option("--lognormal", pow->lognormal, "MU,SIGMA of ln(seconds) instead of a file");
  p->add_option("--normal", pow->normal, "MEAN,SD as durations (60m,20m) instead of a file");
  p->add_option("--improvement", pow->improvement, "X: the real improvement (default 10%)");
  p->add_option("--incidents", pow->incidents, "N: incidents per period (default 100)");
  p->add_option("--threshold", pow->threshold, "Y: an apparent improvement worth noticing (default 5m)");
  p->add_option("--repeats", pow->repeats, "Resampling repeats (default 10000)");
  p->add_option("--seed", pow->seed, "Seed (default 1)");
  p->add_option("--power", pow->power, "Power for the incidents needed (default 80%)");
  p->add_option("-o,--output", pow->output, "Write the output here instead of standard output");
  p->callback([pow] { run_power(*pow); });
}

}  // namespace relsim::cli
