// Text, JSON, HTML and HDF5 of the alert design lab (see alert_report.hpp).
#include "analysis/alert_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "analysis/format.hpp"
#include "analysis/hdf5_support.hpp"
#include "analysis/safe_output.hpp"
#include "analysis/text_format.hpp"

namespace relsim::analysis {

namespace {

/// `12.3 ±0.4` (scaled by k), `-` without a value.
std::string cell(const LabFigure& f, double k, const char* format = "%.3g") {
  if (std::isnan(f.value.estimate)) return "-";
  std::string s = printf_text(format, f.value.estimate * k);
  const double h = f.value.half_width() * k;
  if (std::isfinite(h)) s += " ±" + printf_text("%.2g", h);
  return s;
}

std::string pad(const std::string& s, std::size_t w) {
  // Width in characters; `±` is two bytes in UTF-8.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= w ? s + " " : s + std::string(w - chars, ' ');
}

struct Column {
  const char* title;
  double scale;
  const LabFigure RuleSetResult::*figure;
};

const std::vector<Column>& columns() {
  static const std::vector<Column> c = {
      {"pages/shift", 1.0, &RuleSetResult::pages_per_shift},
      {"night pages/night", 1.0, &RuleSetResult::night_pages_per_night},
      {"tickets/shift", 1.0, &RuleSetResult::tickets_per_shift},
      {"noise/shift", 1.0, &RuleSetResult::noise_pages_per_shift},
      {"precision %", 100.0, &RuleSetResult::precision},
      {"recall %", 100.0, &RuleSetResult::recall},
      {"TTD min", 1.0, &RuleSetResult::ttd_minutes},
      {"reset min", 1.0, &RuleSetResult::reset_minutes},
      {"budget to detect %", 100.0, &RuleSetResult::budget_before_detection},
  };
  return c;
}

/// The figures of a rule set by JSON / HDF5 name.
std::vector<std::pair<const char*, const LabFigure*>> named_figures(const RuleSetResult& s) {
  return {{"pagesPerShift", &s.pages_per_shift},
          {"nightPagesPerNight", &s.night_pages_per_night},
          {"ticketsPerShift", &s.tickets_per_shift},
          {"noisePagesPerShift", &s.noise_pages_per_shift},
          {"precision", &s.precision},
          {"recall", &s.recall},
          {"ttdMinutes", &s.ttd_minutes},
          {"detected", &s.detected},
          {"resetMinutes", &s.reset_minutes},
          {"budgetBeforeDetection", &s.budget_before_detection},
          {"budgetConsumed", &s.budget_consumed}};
}

using models::JsonNode;

JsonNode json_figure(const LabFigure& f) {
  JsonNode o;
  o.set("estimate", f.value.estimate);
  o.set("low", f.value.low);
  o.set("high", f.value.high);
  o.set("n", static_cast<std::int64_t>(f.n));
  return o;
}

JsonNode json_timing(const FireTiming& t) {
  JsonNode o;
  o.set("fires", t.fires);
  if (!t.fires) {
    o.set("reason", t.reason);
    return o;
  }
  o.set("conditionSeconds", t.condition_seconds);
  o.set("fireSeconds", t.fire_seconds);
  o.set("budgetAtFire", t.budget_at_fire);
  o.set("resetSeconds", t.reset_seconds);
  return o;
}

std::string timing_cell(const FireTiming& t) {
  if (!t.fires) return "never";
  return seconds_text(t.fire_seconds) + " (" + printf_text("%.3g", t.budget_at_fire * 100.0) +
         " %)";
}

bool any_ticket(const std::vector<RuleSet>& sets) {
  for (const RuleSet& s : sets) {
    for (const models::Alert& a : s.alerts) {
      if (a.kind == models::AlertKind::threshold && a.route == models::AlertRoute::ticket)
        return true;
      for (const models::BurnWindow& w : a.burn_windows) {
        if (w.severity == models::AlertRoute::ticket) return true;
      }
    }
  }
  return false;
}

/// A Chart.js scatter configuration of `datasets`; `x` and `y` carry the
/// axes' own settings (type, min, max), to which the titles are added.
models::JsonNode scatter_config(models::JsonNode::Array datasets, models::JsonNode x,
                                const std::string& x_title, models::JsonNode y,
                                const std::string& y_title) {
  auto titled = [](models::JsonNode axis, const std::string& text) {
    models::JsonNode title;
    title.set("display", true);
    title.set("text", text);
    axis.set("title", std::move(title));
    return axis;
  };
  models::JsonNode data, scales, options, config;
  data.set("datasets", std::move(datasets));
  scales.set("x", titled(std::move(x), x_title));
  scales.set("y", titled(std::move(y), y_title));
  options.set("scales", std::move(scales));
  config.set("type", "scatter");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

}  // namespace

std::vector<WhenRow> when_table(const std::vector<RuleSet>& sets, const std::vector<double>& errors,
                                double baseline, double objective, sim::Duration period,
                                const std::string& service) {
  std::vector<WhenRow> out;
  for (double e : errors) {
    WhenRow row;
    row.error = e;
    for (const RuleSet& s : sets) {
      row.page.push_back(fire_timing(pairs_of(s, models::AlertRoute::page, service), e, baseline,
                                     objective, period));
      row.ticket.push_back(fire_timing(pairs_of(s, models::AlertRoute::ticket, service), e,
                                       baseline, objective, period));
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<double> distinct_error_ratios(std::vector<double> ratios) {
  std::sort(ratios.begin(), ratios.end());
  // 1000 × (1 − 0.999) is 0.99999999999999989, not 1: ratios that differ by
  // rounding only are one row (the table printed `100 % (1000x)` twice).
  // The larger of two such (100 % rather than 99.999999999999989 %) is kept.
  std::vector<double> out;
  for (const double r : ratios) {
    if (!out.empty() && r - out.back() <= 1e-9 * r) {
      out.back() = r;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<double> default_error_ratios(double objective) {
  const double b = 1.0 - objective;
  std::vector<double> out;
  for (double burn : {1.0, 2.0, 6.0, 10.0, 14.4, 35.0, 36.0, 100.0, 1000.0}) {
    out.push_back(std::min(burn * b, 1.0));
  }
  out.push_back(1.0);
  return distinct_error_ratios(std::move(out));
}

std::vector<std::string> scaling_notes(sim::Duration period) {
  std::vector<std::string> out;
  if (period == sim::Duration::days(30)) return out;
  const auto h = [](std::int64_t n) { return sim::Duration::hours(n); };
  struct Row {
    double factor;
    sim::Duration window;
    double share;
  };
  for (const Row& r : {Row{14.4, h(1), 0.02}, Row{6.0, h(6), 0.05}, Row{3.0, h(24), 0.10},
                       Row{1.0, h(72), 0.10}, Row{36.0, h(1), 0.05}}) {
    std::ostringstream s;
    s << r.factor << "x over " << window_text(r.window) << " (" << r.share * 100.0
      << " % of a 30-day budget) would spend "
      << printf_text("%.3g", share_of_factor(r.factor, r.window, period) * 100.0) << " % of a "
      << window_text(period) << " budget; the same " << r.share * 100.0 << " % needs "
      << printf_text("%.4g", factor_for_share(r.share, r.window, period)) << "x";
    out.push_back(s.str());
  }
  return out;
}

std::string runs_text(const AlertLabResult& lab) {
  const std::size_t n = lab.sets.size();
  std::string out = std::to_string(n) + (n == 1 ? " rule set" : " rule sets");
  if (lab.trials_run != lab.trials) {  // --trial-index: one trial replayed
    return out + (n == 1 ? " on" : ", each on") + " trial " + std::to_string(lab.first_trial) +
           " of " + std::to_string(lab.trials) + " alone (seed " + std::to_string(lab.seed) +
           ", --trial-index)";
  }
  if (n == 1)
    return out + " on " + std::to_string(lab.trials) + " trials (seed " + std::to_string(lab.seed) +
           ")";
  return out + " on the same " + std::to_string(lab.trials) + " trials (seed " +
         std::to_string(lab.seed) + ", common random numbers)";
}

std::string alert_lab_text(const AlertLabReport& r) {
  const AlertLabResult& lab = r.lab;
  std::ostringstream o;
  o << "relsim alerts: " << lab.scenario << " on " << lab.system << "; SLO " << lab.slo << " ("
    << shortest(lab.objective * 100.0) << " % over " << window_text(lab.slo_window) << "); "
    << runs_text(lab) << "\n";
  o << "  significant: an incident spending >= " << shortest(lab.significant_share * 100.0)
    << " % of the budget or exhausting it; " << shortest(lab.confidence * 100.0)
    << " % intervals (± half width); the SLO sees " << printf_text("%.4g", lab.requests_per_second)
    << " requests/s, baseline error ratio " << printf_text("%.3g", lab.baseline_error) << "\n\n";
  o << pad("rule set", 18);
  for (const Column& c : columns()) o << pad(c.title, 18);
  o << "\n";
  for (const RuleSetResult& s : lab.sets) {
    o << pad(s.name, 18);
    for (const Column& c : columns()) o << pad(cell(s.*(c.figure), c.scale), 18);
    o << "\n";
  }
  o << "\n  incidents of the SLO: ";
  if (!lab.sets.empty()) {
    o << lab.sets.front().incidents << " (" << lab.sets.front().significant_incidents
      << " significant) with the first set; they differ between sets only where detection "
         "changes the response\n";
  }
  for (const RuleSetResult& s : lab.sets) {
    o << "\n" << s.name << ": " << s.description << "\n";
    for (const std::string& n : s.notes) o << "  note: " << n << "\n";
    o << "  detected " << cell(s.detected, 100.0) << " % of " << s.incidents
      << " incidents of the SLO; page firings " << s.page_firings << "\n";
    o << "  TTD by cause (min):";
    for (const LabGroup& g : s.ttd_by_cause) {
      o << "  " << g.label << " " << cell(g.ttd_minutes, 1.0) << " (" << g.ttd_minutes.n << "/"
        << g.incidents << ")";
    }
    o << "\n  TTD by severity (min):";
    for (const LabGroup& g : s.ttd_by_severity) {
      o << "  " << g.label << " " << cell(g.ttd_minutes, 1.0) << " (" << g.ttd_minutes.n << "/"
        << g.incidents << ")";
    }
    o << "\n";
  }
  // When does it fire.
  o << "\nWhen does it fire (closed form: a constant error ratio after a clean history, errors "
       "starting at a tick; time to the firing tick and the share of the "
    << window_text(lab.slo_window) << " budget spent by then):\n";
  const bool tickets = any_ticket(r.sets);
  for (int route = 0; route < (tickets ? 2 : 1); ++route) {
    o << (route == 0 ? "  page\n" : "  ticket\n");
    o << "  " << pad("error ratio", 22);
    for (const RuleSet& s : r.sets) o << pad(s.name, 20);
    o << "\n";
    for (const WhenRow& w : r.when) {
      o << "  "
        << pad(printf_text("%.4g %%", w.error * 100.0) + " (" +
                   printf_text("%.4g", w.error / (1.0 - lab.objective)) + "x)",
               22);
      const auto& v = route == 0 ? w.page : w.ticket;
      for (const FireTiming& t : v) o << pad(timing_cell(t), 20);
      o << "\n";
    }
  }
  // Why a rule can never fire, once per rule set (the threshold above 100 %).
  std::vector<std::string> reasons;
  for (const WhenRow& w : r.when) {
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      const FireTiming& t = w.page[k];
      if (t.fires || t.reason.find("cannot fire") == std::string::npos) continue;
      const std::string line = r.sets[k].name + ": " + t.reason;
      if (std::find(reasons.begin(), reasons.end(), line) == reasons.end()) reasons.push_back(line);
    }
  }
  for (const std::string& s : reasons) o << "  never: " << s << "\n";
  o << "  reset (page, errors stopped after it fired, total outage): ";
  if (!r.when.empty()) {
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      o << (k ? ", " : "") << r.sets[k].name << " "
        << (r.when.back().page[k].fires ? seconds_text(r.when.back().page[k].reset_seconds)
                                        : std::string("-"));
    }
  }
  o << "\n";
  const auto notes = scaling_notes(lab.slo_window);
  if (!notes.empty()) {
    o << "\nSLO window " << window_text(lab.slo_window)
      << ": the presets' factors are derived from budget shares (2 % in 1 h, 5 % in 6 h, 10 % "
         "in 1 d and 3 d). The 30-day defaults unscaled:\n";
    for (const std::string& n : notes) o << "  " << n << "\n";
  }
  if (r.low.present) {
    const LowTrafficConfig& c = r.low.config;
    o << "\nLow traffic (" << r.low.why << "): requests counted per evaluation interval "
      << "(Poisson), " << printf_text("%.4g", c.requests_per_second * 3600.0)
      << " requests/h, baseline " << printf_text("%.3g", c.baseline_error * 100.0)
      << " %; incidents " << printf_text("%.3g", c.incidents_per_day * 7.0) << "/week of "
      << printf_text("%.3g", c.incident_error * 100.0) << " % errors for "
      << window_text(c.incident_duration) << "; " << c.trials << " trials of "
      << window_text(c.horizon) << "\n";
    o << "  " << pad("rule set", 18) << pad("pages/week", 18) << pad("noise/week", 18)
      << pad("precision %", 18) << pad("recall %", 18) << "\n";
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      const auto row = [&](const std::string& label, const LowTrafficResult& x) {
        o << "  " << pad(label, 18) << pad(cell(x.pages_per_week, 1.0), 18)
          << pad(cell(x.noise_pages_per_week, 1.0), 18) << pad(cell(x.precision, 100.0), 18)
          << pad(cell(x.recall, 100.0), 18) << "\n";
      };
      row(r.sets[k].name, r.low.plain[k]);
      if (!r.low.gated.empty()) {
        row("  >= " + std::to_string(c.min_requests) + " requests", r.low.gated[k]);
      }
    }
  }
  return o.str();
}

std::string alert_lab_json(const AlertLabReport& r) {
  const AlertLabResult& lab = r.lab;
  auto count = [](auto n) { return JsonNode(static_cast<std::int64_t>(n)); };
  JsonNode doc;
  doc.set("system", lab.system);
  doc.set("scenario", lab.scenario);
  doc.set("slo", lab.slo);
  doc.set("objective", lab.objective);
  doc.set("sloWindowSeconds", lab.slo_window.to_seconds());
  doc.set("horizonSeconds", lab.horizon.to_seconds());
  doc.set("trials", count(lab.trials));
  doc.set("firstTrial", count(lab.first_trial));
  doc.set("trialsRun", count(lab.trials_run));
  doc.set("seed", count(lab.seed));
  doc.set("confidence", lab.confidence);
  doc.set("significantShare", lab.significant_share);
  doc.set("requestsPerSecond", lab.requests_per_second);
  doc.set("baselineError", lab.baseline_error);
  JsonNode::Array sets;
  for (const RuleSetResult& s : lab.sets) {
    JsonNode set;
    set.set("name", s.name);
    set.set("description", s.description);
    set.set("notes", JsonNode::strings(s.notes));
    set.set("incidents", count(s.incidents));
    set.set("significantIncidents", count(s.significant_incidents));
    set.set("pageFirings", count(s.page_firings));
    JsonNode figures;
    for (const auto& [name, figure] : named_figures(s)) figures.set(name, json_figure(*figure));
    set.set("figures", std::move(figures));
    auto by = [&](const char* key, const auto& groups) {
      JsonNode::Array out;
      for (const auto& g : groups) {
        JsonNode x;
        x.set(key, g.label);
        x.set("incidents", count(g.incidents));
        x.set("ttdMinutes", json_figure(g.ttd_minutes));
        out.push_back(std::move(x));
      }
      return JsonNode(std::move(out));
    };
    set.set("ttdByCause", by("cause", s.ttd_by_cause));
    set.set("ttdBySeverity", by("severity", s.ttd_by_severity));
    sets.push_back(std::move(set));
  }
  doc.set("ruleSets", std::move(sets));
  JsonNode::Array when;
  for (const WhenRow& row : r.when) {
    JsonNode w;
    w.set("errorRatio", row.error);
    w.set("burnRate", row.error / (1.0 - lab.objective));
    JsonNode::Array per_set;
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      JsonNode x;
      x.set("name", r.sets[k].name);
      x.set("page", json_timing(row.page[k]));
      x.set("ticket", json_timing(row.ticket[k]));
      per_set.push_back(std::move(x));
    }
    w.set("ruleSets", std::move(per_set));
    when.push_back(std::move(w));
  }
  doc.set("whenDoesItFire", std::move(when));
  doc.set("windowScaling", JsonNode::strings(scaling_notes(lab.slo_window)));
  if (!r.low.present) {
    doc.set("lowTraffic", JsonNode::null());
  } else {
    const LowTrafficConfig& c = r.low.config;
    JsonNode low;
    low.set("why", r.low.why);
    low.set("requestsPerSecond", c.requests_per_second);
    low.set("minRequests", count(c.min_requests));
    low.set("incidentsPerDay", c.incidents_per_day);
    low.set("incidentError", c.incident_error);
    low.set("incidentSeconds", c.incident_duration.to_seconds());
    low.set("trials", count(c.trials));
    const auto one = [&](const LowTrafficResult& x) {
      JsonNode o;
      o.set("pagesPerWeek", json_figure(x.pages_per_week));
      o.set("noisePagesPerWeek", json_figure(x.noise_pages_per_week));
      o.set("precision", json_figure(x.precision));
      o.set("recall", json_figure(x.recall));
      o.set("ttdMinutes", json_figure(x.ttd_minutes));
      return o;
    };
    JsonNode::Array per_set;
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      JsonNode x;
      x.set("name", r.sets[k].name);
      x.set("ungated", one(r.low.plain[k]));
      x.set("gated", r.low.gated.empty() ? JsonNode::null() : one(r.low.gated[k]));
      per_set.push_back(std::move(x));
    }
    low.set("ruleSets", std::move(per_set));
    doc.set("lowTraffic", std::move(low));
  }
  std::string out;
  doc.write(out);
  return out + "\n";
}

Report alert_lab_html(const AlertLabReport& r) {
  const AlertLabResult& lab = r.lab;
  Report rep;
  rep.title = "Alert design lab: " + lab.slo;
  rep.subtitle = lab.scenario + " on " + lab.system + ", " + runs_text(lab) + ".";
  rep.facts = {
      {"SLO", lab.slo + " (" + shortest(lab.objective * 100.0) + " % over " +
                  window_text(lab.slo_window) + ")"},
      {"trials", lab.trials_run == lab.trials ? std::to_string(lab.trials)
                                              : "trial " + std::to_string(lab.first_trial) +
                                                    " of " + std::to_string(lab.trials)},
      {"seed", std::to_string(lab.seed)},
      {"significant", ">= " + shortest(lab.significant_share * 100.0) + " % of the budget"},
      {"confidence", shortest(lab.confidence * 100.0) + " %"}};
  // Detection-time CDFs.
  {
    models::JsonNode::Array datasets;
    for (const RuleSetResult& s : lab.sets) {
      models::JsonNode::Array points;
      const double n = static_cast<double>(std::max<std::uint64_t>(1, s.incidents));
      for (std::size_t i = 0; i < s.ttd_sorted.size(); ++i) {
        if (i + 1 < s.ttd_sorted.size() && s.ttd_sorted[i + 1] == s.ttd_sorted[i]) continue;
        models::JsonNode p;
        p.set("x", std::max(s.ttd_sorted[i], 0.01));  // a log axis: 0 is drawn at 0.01
        p.set("y", static_cast<double>(i + 1) / n);
        points.push_back(std::move(p));
      }
      models::JsonNode ds;
      ds.set("label", s.name);
      ds.set("data", std::move(points));
      ds.set("stepped", true);
      ds.set("pointRadius", 0);
      ds.set("showLine", true);
      datasets.push_back(std::move(ds));
    }
    models::JsonNode xs, ys;
    xs.set("type", "logarithmic");
    ys.set("min", 0);
    ys.set("max", 1);
    models::JsonNode config = scatter_config(
        std::move(datasets), std::move(xs), "time to detect (minutes, log scale; 0 at 0.01)",
        std::move(ys), "share of incidents of the SLO detected");
    ReportSection sec;
    sec.title = "Detection time";
    sec.text =
        "For each rule set, the share of the incidents of the SLO detected within a given "
        "time; a curve that tops out below 1 leaves the rest undetected.";
    sec.charts.push_back({"Detection-time CDF per rule set",
                          " Higher and further left is faster detection.", std::move(config)});
    rep.sections.push_back(std::move(sec));
  }
  // Precision vs recall.
  {
    models::JsonNode::Array datasets;
    for (const RuleSetResult& s : lab.sets) {
      models::JsonNode p;
      p.set("x", std::isnan(s.recall.value.estimate) ? 0.0 : s.recall.value.estimate * 100.0);
      p.set("y", std::isnan(s.precision.value.estimate) ? 0.0 : s.precision.value.estimate * 100.0);
      models::JsonNode ds;
      ds.set("label", s.name);
      ds.set("data", models::JsonNode::Array{std::move(p)});
      ds.set("pointRadius", 6);
      datasets.push_back(std::move(ds));
    }
    models::JsonNode xs, ys;
    xs.set("min", 0);
    xs.set("max", 100);
    ys.set("min", 0);
    ys.set("max", 100);
    models::JsonNode config = scatter_config(std::move(datasets), std::move(xs), "recall (%)",
                                             std::move(ys), "precision (%)");
    ReportSection sec;
    sec.title = "Precision and recall";
    sec.text =
        "Precision: the share of page firings that belong to a significant incident. "
        "Recall: the share of significant incidents paged before their impact ended.";
    sec.charts.push_back({"Precision vs recall", " Top right is best.", std::move(config)});
    rep.sections.push_back(std::move(sec));
  }
  // Pages per shift, and the table.
  {
    std::vector<std::string> names;
    std::vector<double> est, lo, hi;
    ReportTable table;
    table.caption = "Every figure with its interval";
    table.header = {"rule set"};
    for (const Column& c : columns()) table.header.push_back(c.title);
    for (const RuleSetResult& s : lab.sets) {
      names.push_back(s.name);
      est.push_back(s.pages_per_shift.value.estimate);
      lo.push_back(s.pages_per_shift.value.low);
      hi.push_back(s.pages_per_shift.value.high);
      std::vector<std::string> row{s.name};
      for (const Column& c : columns()) row.push_back(cell(s.*(c.figure), c.scale));
      table.rows.push_back(std::move(row));
    }
    ReportSection sec;
    sec.title = "On-call load";
    sec.text = "Pages per on-call shift of the paged team, with the interval over trials.";
    sec.charts.push_back({"Pages per shift", " Mean over trials with its interval.",
                          interval_chart("pages per shift", names, est, lo, hi)});
    sec.tables.push_back(std::move(table));
    rep.sections.push_back(std::move(sec));
  }
  return rep;
}

void write_alert_lab_hdf5(const std::string& path, const AlertLabReport& r) {
  namespace fs = std::filesystem;
  AtomicFile out(path);  // a unique temporary beside PATH, removed on error
  const std::string tmp = out.temp_path();
  H5::Exception::dontPrint();
  try {
    {
      H5::H5File file(tmp, H5F_ACC_TRUNC);
      H5::Group g = file.createGroup("alerts");
      const AlertLabResult& lab = r.lab;
      h5::write_string(g, "system", lab.system);
      h5::write_string(g, "scenario", lab.scenario);
      h5::write_string(g, "slo", lab.slo);
      h5::write_f64(g, "objective", lab.objective);
      h5::write_f64(g, "slo_window_s", lab.slo_window.to_seconds());
      h5::write_u64(g, "trials", lab.trials);
      h5::write_u64(g, "seed", lab.seed);
      h5::write_f64(g, "confidence", lab.confidence);
      h5::write_f64(g, "significant_share", lab.significant_share);
      std::vector<std::string> set_names, figure_names;
      for (const RuleSetResult& s : lab.sets) set_names.push_back(s.name);
      if (!lab.sets.empty()) {
        for (const auto& f : named_figures(lab.sets.front())) figure_names.push_back(f.first);
      }
      h5::write_strings(g, "rule_sets", set_names);
      h5::write_strings(g, "figures", figure_names);
      // figures[set][figure] = (estimate, low, high, n)
      std::vector<double> table;
      for (const RuleSetResult& s : lab.sets) {
        for (const auto& f : named_figures(s)) {
          table.insert(table.end(), {f.second->value.estimate, f.second->value.low,
                                     f.second->value.high, static_cast<double>(f.second->n)});
        }
      }
      const hsize_t dims[3] = {lab.sets.size(), figure_names.size(), 4};
      g.createDataSet("figures", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(3, dims))
          .write(table.data(), H5::PredType::NATIVE_DOUBLE);
      for (const RuleSetResult& s : lab.sets) {
        H5::Group sg = g.createGroup(h5::object_name(s.name));
        h5::write_string(sg, "description", s.description);
        const auto put = [&](const char* name, const std::vector<double>& v) {
          const hsize_t n = v.size();
          sg.createDataSet(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n))
              .write(v.data(), H5::PredType::NATIVE_DOUBLE);
        };
        put("ttd_minutes", s.ttd_sorted);
        put("trial_pages", s.trial_pages);
        put("trial_page_firings", s.trial_firings);
        put("trial_significant_firings", s.trial_precision_num);
      }
      // The closed forms: when[error][set] = (page fire s, page budget, ticket fire s, ticket
      // budget); NaN: never.
      std::vector<double> errors, when;
      const double nan = std::nan("");
      for (const WhenRow& w : r.when) {
        errors.push_back(w.error);
        for (std::size_t k = 0; k < w.page.size(); ++k) {
          when.insert(when.end(), {w.page[k].fires ? w.page[k].fire_seconds : nan,
                                   w.page[k].fires ? w.page[k].budget_at_fire : nan,
                                   w.ticket[k].fires ? w.ticket[k].fire_seconds : nan,
                                   w.ticket[k].fires ? w.ticket[k].budget_at_fire : nan});
        }
      }
      const hsize_t ne = errors.size();
      g.createDataSet("when_error_ratio", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &ne))
          .write(errors.data(), H5::PredType::NATIVE_DOUBLE);
      const hsize_t wd[3] = {r.when.size(), lab.sets.size(), 4};
      g.createDataSet("when", H5::PredType::NATIVE_DOUBLE, H5::DataSpace(3, wd))
          .write(when.data(), H5::PredType::NATIVE_DOUBLE);
    }
  } catch (const H5::Exception& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path + "': " + e.getDetailMsg());
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  out.commit();
}

}  // namespace relsim::analysis
