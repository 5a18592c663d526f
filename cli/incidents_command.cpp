// `relsim incidents import|fit|power` (docs/incident-data.md): learning from
// real incident history. `import` reads a PagerDuty, Opsgenie or generic CSV
// export into a normalised incident table and summarises time to
// acknowledge, mitigate and resolve per service and severity, split by the
// business hours of a System's calendar, and writes the table as HDF5
// (analysis/incident_file.hpp) or CSV; `fit` fits lognormal, gamma,
// Weibull and exponential distributions to one duration and prints them as
// scenario snippets; `power` shows by resampling how little an MTTR change
// can tell. Output is built whole, then written (atomically with -o).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/incident_data.hpp"
#include "analysis/incident_file.hpp"
#include "analysis/incident_fit.hpp"
#include "analysis/incident_power.hpp"
#include "analysis/incident_report.hpp"
#include "analysis/incident_stats.hpp"
#include "analysis/report_html.hpp"
#include "analysis/run_meta.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "cli/run_support.hpp"
#include "models/loader.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

analysis::IncidentFormat format_of(const std::string& text) {
  const auto f = analysis::parse_incident_format(text);
  if (!f) {
    throw std::invalid_argument("unknown --input-format '" + text +
                                "' (expected 'pagerduty', 'opsgenie' or 'generic')");
  }
  return *f;
}

analysis::RecordedTime metric_of(const std::string& text) {
  const auto m = analysis::parse_metric(text);
  if (!m)
    throw std::invalid_argument("unknown --column '" + text + "' (expected 'tta', 'ttm' or 'ttr')");
  return *m;
}

/// Minutes with three significant digits; `inf`, `-inf` (an interval end
/// too few incidents pin), `n/a` for NaN.
std::string minutes(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  if (std::isinf(seconds)) return seconds > 0 ? "inf" : "-inf";
  return printf_text("%.3g", seconds / 60.0);
}

/// A probability with three decimals, `n/a` for NaN.
std::string probability(double p) { return std::isnan(p) ? "n/a" : printf_text("%.3f", p); }

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
    throw std::invalid_argument(std::string(option) +
                                " expects a percentage like 10% or a fraction like 0.1, got '" +
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

// ---------------------------------------------------------------- import

struct ImportOptions : OutputOptions {  // -o: the printed summary
  std::string file;
  std::string input_format = "generic";
  std::string system;
  std::vector<std::string> outputs;   // --out: .h5/.hdf5 HDF5 incident table; else CSV; -: stdout
  std::vector<std::string> o_values;  // -o as given (repeatable while the old meaning lasts)
  double confidence = 0.95;
};

bool is_hdf5_path(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".h5" || ext == ".hdf5";
}

std::string describe_calendar(const models::Calendar& c) {
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string days;
  for (int d = 0; d < 7; ++d) {
    if (c.business_hours.days[static_cast<std::size_t>(d)])
      days += std::string(days.empty() ? "" : ",") + kDays[d];
  }
  const auto hm = [](sim::Duration t) {
    const auto s = static_cast<long long>(t.to_seconds());
    return printf_text("%02lld:%02lld", s / 3600, s / 60 % 60);
  };
  const auto off = static_cast<long long>(c.utc_offset.to_seconds());
  return printf_text("%s %s-%s at UTC%c%02lld:%02lld", days.c_str(),
                     hm(c.business_hours.from).c_str(), hm(c.business_hours.to).c_str(),
                     off < 0 ? '-' : '+', std::llabs(off) / 3600, std::llabs(off) / 60 % 60);
}

/// The System of a System file, or of the first Scenario of a scenario file.
std::optional<models::System> system_of_file(const std::string& path) {
  if (path.empty()) return std::nullopt;
  models::Documents docs = models::load_files({path}, {}, data_files());
  if (!docs.systems.empty()) return docs.systems.front();
  if (!docs.scenarios.empty()) return models::load_scenario(path, {}, data_files()).system;
  throw std::invalid_argument(path + " holds no System (nor a Scenario naming one)");
}

void run_import(ImportOptions o) {
  // `-o TABLE.h5|TABLE.csv|-` wrote the table before --out did (deprecated);
  // any other -o names the file of the printed summary.
  for (const std::string& v : o.o_values) {
    const std::string ext = std::filesystem::path(v).extension().string();
    if (v == "-" || ext == ".h5" || ext == ".hdf5" || ext == ".csv") {
      deprecated_note("-o " + v, "--out " + v, "-o FILE now names the file of the summary");
      o.outputs.push_back(v);
    } else if (o.output.empty()) {
      o.output = v;
    } else {
      throw std::invalid_argument("-o given twice ('" + o.output + "' and '" + v +
                                  "'); the summary goes to one file");
    }
  }
  check_output(o);
  check_confidence(o.confidence);
  bool to_stdout = false;
  for (const auto& out : o.outputs) {
    if (out == "-") {
      if (to_stdout) throw std::invalid_argument("-o - given twice");
      to_stdout = true;
    } else {
      check_writable(out);
    }
  }
  const auto format = format_of(o.input_format);
  const std::optional<models::System> system = system_of_file(o.system);
  const analysis::IncidentTable table = analysis::read_incidents(o.file, format);
  std::size_t skipped = 0;
  for (const auto& s : table.skipped) skipped += s.count;
  std::string out = printf_text(
      "relsim incidents import: %s (%s): %zu rows, %zu incidents, %zu skipped\n", o.file.c_str(),
      o.input_format.c_str(), table.rows, table.incidents.size(), skipped);
  for (const auto& s : table.skipped) {
    out += printf_text("  skipped %zu: %s (first at line %d)\n", s.count, s.reason.c_str(),
                       s.first_line);
  }
  if (table.times_without_offset > 0) {
    out += printf_text("  note: %zu times had no UTC offset and were read as UTC\n",
                       table.times_without_offset);
  }
  if (system) {
    out += "  business hours: " + describe_calendar(system->calendar) + " (calendar of " +
           system->name + ")\n";
  }
  const int pct = static_cast<int>(std::lround(o.confidence * 100));
  out += printf_text(
      "  minutes; mean with its %d %% t interval, median and p90 with %d %% order-statistic "
      "intervals (inf: too few incidents to bound it); * = all\n\n",
      pct, pct);
  const auto rows =
      analysis::summarize_incidents(table, system ? &system->calendar : nullptr, o.confidence);
  std::size_t ws = 7, wv = 8;
  for (const auto& r : rows) {
    ws = std::max(ws, r.service.size());
    wv = std::max(wv, r.severity.size());
  }
  out += printf_text("%-*s  %-*s  %-6s %-9s %6s  %-24s %-24s %-24s\n", static_cast<int>(ws),
                     "service", static_cast<int>(wv), "severity", "metric", "hours", "n", "mean",
                     "median", "p90");
  for (const auto& r : rows) {
    out += printf_text(
        "%-*s  %-*s  %-6s %-9s %6zu  %-24s %-24s %-24s\n", static_cast<int>(ws), r.service.c_str(),
        static_cast<int>(wv), r.severity.c_str(), analysis::metric_name(r.metric),
        analysis::hours_name(r.hours), r.summary.n, interval_minutes(r.summary.mean).c_str(),
        interval_minutes(r.summary.median).c_str(), interval_minutes(r.summary.p90).c_str());
  }
  // Every file is written whole to PATH.tmp and renamed; a failure leaves none behind.
  for (const auto& path : o.outputs) {
    if (path == "-") continue;
    if (is_hdf5_path(path)) {
      analysis::IncidentFileMeta meta;
      meta.relsim_version = RELSIM_VERSION;
      meta.source_format = o.input_format;
      meta.command_line = app_command_line();
      meta.created = analysis::iso8601_utc_now();
      meta.calendar = system ? &system->calendar : nullptr;
      meta.calendar_of = system ? system->name : "";
      analysis::write_incident_hdf5(path, table, meta);
    } else {
      write_file_atomically(path, analysis::write_incident_csv(table));
    }
    out += "\nwrote " + std::to_string(table.incidents.size()) + " incidents to " + path +
           (is_hdf5_path(path) ? " (HDF5 incident table)" : " (CSV)") + "\n";
  }
  if (to_stdout) {
    std::cout << analysis::write_incident_csv(table);  // the table is the output
    return;
  }
  emit(o, out);
}

// ---------------------------------------------------------------- fit

struct FitOptions : OutputOptions {
  std::string file;
  std::string input_format = "generic";
  std::string column = "ttr";
  std::string system;         // calendar for --hours and the ack snippet by hours
  std::string hours = "all";  // all, business, off-hours
  std::string service;
  std::string severity;
  std::string report;
  std::string emit;
};

/// The durations to fit and how many zeros were left out.
std::vector<double> durations_of(const analysis::IncidentTable& table, analysis::RecordedTime m,
                                 const std::string& service, const std::string& severity,
                                 const models::Calendar* calendar, analysis::HoursClass hours,
                                 std::size_t& zeros) {
  std::vector<double> x;
  zeros = 0;
  for (const auto& inc : table.incidents) {
    if (!service.empty() && inc.service != service) continue;
    if (!severity.empty() && inc.severity != severity) continue;
    if (calendar && hours != analysis::HoursClass::all &&
        analysis::created_in_business_hours(inc, *calendar) !=
            (hours == analysis::HoursClass::business)) {
      continue;
    }
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

std::string snippet_key(analysis::RecordedTime m) {
  switch (m) {
    case analysis::RecordedTime::tta:
      return "ack";
    case analysis::RecordedTime::ttm:
      return "diagnose";
    case analysis::RecordedTime::ttr:
      return "duration";
  }
  return "duration";
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
  analysis::HoursClass hours = analysis::HoursClass::all;
  if (o.hours == "business") {
    hours = analysis::HoursClass::business;
  } else if (o.hours == "off-hours") {
    hours = analysis::HoursClass::off_hours;
  } else if (o.hours != "all") {
    throw std::invalid_argument("unknown --hours '" + o.hours +
                                "' (expected 'all', 'business' or 'off-hours')");
  }
  if (hours != analysis::HoursClass::all && o.system.empty()) {
    throw std::invalid_argument(
        "--hours needs --system (whose calendar says what business hours are)");
  }
  const std::optional<models::System> system = system_of_file(o.system);
  const models::Calendar* calendar = system ? &system->calendar : nullptr;
  const auto table = analysis::read_incident_file(o.file, format_of(o.input_format));
  std::size_t zeros = 0;
  const std::vector<double> x =
      durations_of(table, metric, o.service, o.severity, calendar, hours, zeros);
  if (x.size() < 2) {
    throw std::invalid_argument(o.file + ": only " + std::to_string(x.size()) + " positive " +
                                o.column + " values" +
                                (o.service.empty() ? "" : " for " + o.service) +
                                (hours == analysis::HoursClass::all ? "" : " in " + o.hours) +
                                "; need at least two to fit");
  }
  // With a calendar, time to acknowledge is also fitted per hours class: a
  // team's `ack` takes one distribution for business hours and one for off hours.
  std::string by_hours;
  if (calendar && hours == analysis::HoursClass::all && metric == analysis::RecordedTime::tta) {
    std::size_t z = 0;
    const auto xb = durations_of(table, metric, o.service, o.severity, calendar,
                                 analysis::HoursClass::business, z);
    const auto xo = durations_of(table, metric, o.service, o.severity, calendar,
                                 analysis::HoursClass::off_hours, z);
    if (xb.size() >= 2 && xo.size() >= 2) {
      const auto fb = analysis::fit_durations(xb), fo = analysis::fit_durations(xo);
      by_hours =
          "ack: {businessHours: " + analysis::distribution_yaml(fb.fits.front().distribution) +
          ", offHours: " + analysis::distribution_yaml(fo.fits.front().distribution) + "}";
      by_hours = printf_text(
                     "# by the calendar of %s: %zu incidents in business hours (best: %s), "
                     "%zu off hours (best: %s)\n",
                     system->name.c_str(), xb.size(), fb.fits.front().name.c_str(), xo.size(),
                     fo.fits.front().name.c_str()) +
                 by_hours + "\n";
    }
  }
  const analysis::FitResult r = analysis::fit_durations(x);
  const auto& best = r.fits.front();
  const std::string subject = o.column + (o.service.empty() ? "" : " of " + o.service) +
                              (o.severity.empty() ? "" : " (" + o.severity + ")") +
                              (hours == analysis::HoursClass::all ? "" : ", " + o.hours);
  std::string tail_text;
  if (r.tail.heavier) {
    tail_text = printf_text(
        "warning: the data's tail is heavier than the %s fit: %zu of %zu incidents lie above its "
        "%.0fth percentile (%.1f expected, p = %.2g); data p99 %s vs fit p99 %s. Consider the "
        "empirical distribution.",
        best.name.c_str(), r.tail.above, r.n, r.tail.level * 100.0, r.tail.expected, r.tail.p_value,
        analysis::duration_yaml(std::round(r.tail.data_p99)).c_str(),
        analysis::duration_yaml(std::round(r.tail.fit_p99)).c_str());
  }
  std::string out;
  if (o.emit == "yaml") {
    const std::string key = snippet_key(metric);
    out += "# relsim incidents fit " + o.file + " --column " + o.column + ": " +
           std::to_string(r.n) + " incidents, maximum likelihood, ranked by AIC\n";
    if (metric == analysis::RecordedTime::tta) {
      out += "# paste under a team (System.spec.teams[].ack)\n";
    } else if (metric == analysis::RecordedTime::ttm) {
      out += "# time to mitigate: paste as a runbook's diagnose (plus its steps' durations)\n";
    } else {
      out += "# time to resolve: paste at any distribution-valued key\n";
    }
    if (!tail_text.empty()) out += "# " + tail_text + "\n";
    out += by_hours;
    if (!by_hours.empty()) out += "# the same for all hours:\n";
    for (std::size_t i = 0; i < r.fits.size(); ++i) {
      const auto& f = r.fits[i];
      out += printf_text("%s%s (AIC %.1f, ΔAIC %.1f, KS %.3f)\n", i == 0 ? "# best: " : "# ",
                         f.name.c_str(), f.aic, f.aic - best.aic, f.ks);
      out += (i == 0 && by_hours.empty() ? "" : "# ") + key + ": " +
             analysis::distribution_yaml(f.distribution) + "\n";
    }
    out += "# the data itself (each draw one of the observed durations):\n";
    out += "# " + key + ": " + analysis::empirical_yaml(x) + "\n";
    // The same, read from the file when the scenario is loaded (the loader
    // reads HDF5 incident tables and generic CSV; the path is relative to the
    // file it is pasted into). Filters are not applied there: only offered
    // for the whole table.
    const bool readable = analysis::is_hdf5_file(o.file) || o.input_format == "generic";
    if (readable && o.service.empty() && o.severity.empty() && hours == analysis::HoursClass::all) {
      out += "# or read from the file when the scenario loads (path relative to that file):\n";
      out += "# " + key + ": {empirical: {file: " + o.file + ", column: " + o.column + "}}\n";
    }
  } else {
    out += printf_text("relsim incidents fit: %s, %s: %zu incidents", o.file.c_str(),
                       subject.c_str(), r.n);
    if (zeros)
      out +=
          printf_text(" (%zu zero durations left out: no distribution here puts mass at 0)", zeros);
    out +=
        "\n  maximum likelihood; ranked by AIC (lower is better); KS: largest gap between the "
        "data's and the fit's CDF\n\n";
    out += printf_text("  %-4s %-12s %10s %8s %7s  %s\n", "rank", "distribution", "AIC", "ΔAIC",
                       "KS", "parameters");
    for (std::size_t i = 0; i < r.fits.size(); ++i) {
      const auto& f = r.fits[i];
      out +=
          printf_text("  %-4zu %-12s %10.1f %8.1f %7.4f  %s\n", i + 1, f.name.c_str(), f.aic,
                      f.aic - best.aic, f.ks, analysis::fit_summary_text(f.distribution).c_str());
    }
    out += "  -    empirical    resampled from the data itself (--emit yaml prints it)\n";
    if (!tail_text.empty()) {
      out += "\n" + tail_text + "\n";
    } else {
      out += printf_text(
          "\n  tail: %zu incidents above the %s fit's %.0fth percentile (%.1f expected, p = %.2g); "
          "data p99 %s, fit p99 %s\n",
          r.tail.above, best.name.c_str(), r.tail.level * 100.0, r.tail.expected, r.tail.p_value,
          analysis::duration_yaml(std::round(r.tail.data_p99)).c_str(),
          analysis::duration_yaml(std::round(r.tail.fit_p99)).c_str());
    }
  }
  if (!o.report.empty()) {
    const analysis::Report rep = analysis::incident_fit_report(r, x, o.file, subject, tail_text);
    write_file_atomically(o.report, analysis::render_html(rep, chart_js));
  }
  emit(o, out);
}

// ---------------------------------------------------------------- power

struct PowerOptions : OutputOptions {
  std::string file;
  std::string input_format = "generic";
  std::string column = "ttr";
  std::string lognormal;     // MU,SIGMA of ln(seconds)
  std::string normal;        // MEAN,SD as durations
  std::string distribution;  // any distribution in the scenario language
  std::string improvement = "10%";
  std::size_t incidents = 100;
  std::string threshold = "5m";
  std::size_t repeats = 10'000;
  std::uint64_t seed = 1;
  std::string power = "80%";
  std::string report;
};

std::pair<std::string, std::string> split_pair(const std::string& text, const char* option) {
  const auto comma = text.find(',');
  if (comma == std::string::npos) {
    throw std::invalid_argument(std::string(option) +
                                " expects two values separated by a comma, got '" + text + "'");
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
  const int given = (o.file.empty() ? 0 : 1) + (o.lognormal.empty() ? 0 : 1) +
                    (o.normal.empty() ? 0 : 1) + (o.distribution.empty() ? 0 : 1);
  if (given != 1) {
    throw std::invalid_argument(
        "give exactly one of FILE, --lognormal MU,SIGMA, --normal MEAN,SD or --distribution "
        "SPEC");
  }
  if (!o.output.empty()) check_writable(o.output);
  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
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
    const auto table = analysis::read_incident_file(o.file, format_of(o.input_format));
    std::vector<double> x = analysis::metric_values(table, metric_of(o.column));
    if (x.size() < 2)
      throw std::invalid_argument(o.file + ": fewer than two " + o.column + " values");
    source = o.file + " " + o.column + ", resampled (" + std::to_string(x.size()) + " incidents)";
    d = sim::Distribution::empirical(std::move(x), false);
  } else if (!o.lognormal.empty()) {
    const auto [mu, sigma] = split_pair(o.lognormal, "--lognormal");
    d = sim::Distribution::lognormal(number_of(mu, "--lognormal"), number_of(sigma, "--lognormal"));
    source = d->describe() + " of seconds";
  } else if (!o.distribution.empty()) {
    d = models::parse_distribution(o.distribution, "--distribution", data_files());
    source = d->describe() + " of seconds";
  } else {
    const auto [mean, sd] = split_pair(o.normal, "--normal");
    d = sim::Distribution::normal(seconds_of(mean, "--normal"), seconds_of(sd, "--normal"));
    source = "normal(mean=" + mean + ", sd=" + sd + ")";
  }
  const analysis::PowerResult r = analysis::incident_power(*d, st);
  const std::string x_pct = printf_text("%g %%", st.improvement * 100.0);
  double mc_error = 0.0;
  for (const auto& s : r.statistics) mc_error = std::max(mc_error, s.mc_error);
  const std::string y = analysis::duration_yaml(st.threshold);
  std::string out = printf_text(
      "relsim incidents power: %s\n  two periods of N = %zu incidents each; one period's durations "
      "shortened by %s; %zu repeats (seed %llu)\n  minutes; Monte Carlo standard error of every "
      "probability <= %.3f\n\n",
      source.c_str(), st.incidents, x_pct.c_str(), st.repeats,
      static_cast<unsigned long long>(st.seed), mc_error);
  out += printf_text("  %-15s %9s %16s %18s %24s %7s %12s\n", "statistic", "value",
                     ("P(" + x_pct + " hidden)").c_str(), ("P(none ≥ " + y + " better)").c_str(),
                     "90 % interval, no change", "power",
                     ("N for " + printf_text("%g", st.power * 100) + " %").c_str());
  for (const auto& s : r.statistics) {
    const std::string needed = s.incidents_needed == 0
                                   ? printf_text("> %zu", analysis::kMaxIncidentsSearched)
                                   : printf_text("~%zu", s.incidents_needed);
    out +=
        printf_text("  %-15s %9s %16s %18s %24s %7s %12s\n", analysis::statistic_name(s.statistic),
                    minutes(s.baseline).c_str(), probability(s.p_improvement_hidden).c_str(),
                    probability(s.p_false_improvement).c_str(),
                    ("[" + minutes(s.diff_low) + ", " + minutes(s.diff_high) + "]").c_str(),
                    probability(s.power).c_str(), std::isnan(s.power) ? "n/a" : needed.c_str());
  }
  const auto& a = r.analytic;
  out += printf_text(
      "\n  analytic (normal approximation of the mean; mean %s, sd %s):\n"
      "  %-15s %9s %16.3f %18.3f %24s %7.3f %12s\n",
      minutes(a.mean).c_str(), minutes(a.sd).c_str(), "mean", minutes(a.mean).c_str(),
      a.p_improvement_hidden, a.p_false_improvement, ("±" + minutes(a.half_width90)).c_str(),
      a.power, printf_text("~%.0f", std::ceil(a.incidents_needed)).c_str());
  out += printf_text(
      "\n  P(hidden): the improved period's figure is not lower at all. P(none ≥ %s better): "
      "nothing\n"
      "  changed, yet one period looks at least %s better. Power: the improvement is beyond the\n"
      "  95th percentile of no-change differences (a one-sided 5 %% test).\n",
      y.c_str(), y.c_str());
  if (!o.report.empty()) {
    write_file_atomically(
        o.report, analysis::render_html(analysis::incident_power_report(r, source), chart_js));
  }
  emit(o, out);
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
      "import",
      "Reads a PagerDuty, Opsgenie or generic CSV export; summarises TTA, TTM and TTR\n"
      "per service and severity; writes a normalised incident table (-o).");
  i->add_option("file", imp->file, "The CSV export")->required();
  add_input_format_option(i, imp->input_format, {"generic", "pagerduty", "opsgenie"},
                          "The export's format: generic (default), pagerduty or opsgenie");
  add_deprecated_alias(i, "--format", "--input-format", imp->input_format);
  i->add_option(
      "--system", imp->system,
      "A System (or Scenario) file whose calendar splits business hours from nights and weekends");
  i->add_option("--out", imp->outputs,
                "Write the normalised incident table here: HDF5 for .h5/.hdf5, else CSV; - for "
                "stdout (repeatable)")
      ->allow_extra_args(false)
      ->group(kResultsGroup);
  i->add_option("--confidence", imp->confidence,
                "Confidence level of the intervals (default 0.95)");
  i->add_option("-o,--output", imp->o_values,
                "Write the summary to FILE instead of standard output (deprecated: a .h5, "
                ".hdf5 or .csv FILE, or -, still gets the table, as --out)")
      ->allow_extra_args(false)
      ->group(kOutputGroup);
  add_quiet_flag(i, imp->quiet);
  i->callback([imp] { run_import(*imp); });

  auto fit = std::make_shared<FitOptions>();
  CLI::App* f = cmd->add_subcommand(
      "fit",
      "Maximum-likelihood fits (lognormal, gamma, Weibull, exponential) of one duration,\n"
      "ranked by AIC, with KS distance; --emit yaml prints scenario snippets.");
  f->add_option("file", fit->file,
                "An incident table (.h5 from import, or CSV: a normalised table or an export)")
      ->required();
  add_input_format_option(f, fit->input_format, {"generic", "pagerduty", "opsgenie"},
                          "The file's format when it is an export: generic (default), pagerduty "
                          "or opsgenie");
  add_deprecated_alias(f, "--format", "--input-format", fit->input_format);
  f->add_option("--column", fit->column, "tta, ttm or ttr (default)");
  f->add_option("--service", fit->service, "Only this service's incidents");
  f->add_option("--severity", fit->severity, "Only this severity's incidents");
  f->add_option(
      "--system", fit->system,
      "A System (or Scenario) file: its calendar for --hours, and an ack snippet by hours");
  f->add_option("--hours", fit->hours, "all (default), business or off-hours (needs --system)");
  f->add_option("--report", fit->report, "Also write an HTML report with a Q-Q chart per fit");
  f->add_option("--emit", fit->emit, "yaml: print the fits as scenario snippets");
  add_output_options(f, *fit, {});
  f->callback([fit] { run_fit(*fit); });

  auto pow = std::make_shared<PowerOptions>();
  CLI::App* p = cmd->add_subcommand(
      "power",
      "Davidovič's resampling: how often a real improvement of MTTR is invisible, how often\n"
      "no change looks like one, and how many incidents it takes to tell.");
  p->add_option("file", pow->file, "An incident table (.h5 or CSV) whose durations are resampled");
  add_input_format_option(p, pow->input_format, {"generic", "pagerduty", "opsgenie"},
                          "The file's format when it is an export: generic (default), pagerduty "
                          "or opsgenie");
  add_deprecated_alias(p, "--format", "--input-format", pow->input_format);
  p->add_option("--column", pow->column, "tta, ttm or ttr (default)");
  p->add_option("--lognormal", pow->lognormal, "MU,SIGMA of ln(seconds) instead of a file");
  p->add_option("--normal", pow->normal, "MEAN,SD as durations (60m,20m) instead of a file");
  p->add_option("--distribution", pow->distribution,
                "Any distribution in the scenario language instead of a file, e.g. "
                "'{gamma: {shape: 1.2, scale: 40m}}'");
  p->add_option("--improvement", pow->improvement, "X: the real improvement (default 10%)");
  p->add_option("--incidents", pow->incidents, "N: incidents per period (default 100)");
  p->add_option("--threshold", pow->threshold,
                "Y: an apparent improvement worth noticing (default 5m)");
  p->add_option("--repeats", pow->repeats, "Resampling repeats (default 10000)");
  p->add_option("--seed", pow->seed, "Seed (default 1)");
  p->add_option("--power", pow->power, "Power for the incidents needed (default 80%)");
  add_output_options(p, *pow, {});
  p->add_option("--report", pow->report,
                "Also write an HTML report with the histograms of differences");
  p->callback([pow] { run_power(*pow); });
}

}  // namespace relsim::cli
