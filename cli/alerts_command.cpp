// `relsim alerts SCENARIO [--rules FILE...] [--preset NAME...]`: the alert
// design lab (docs/alerting.md). Without --rules and --preset it judges the
// alert rules the system declares on the SLO (each alert and the set), or
// the six workbook presets when it declares none. Runs the scenario once per rule set on
// common random numbers and reports detection time, reset time, precision,
// recall and on-call load per set; the closed-form "when does it fire" table;
// the window scaling note; counted traffic for low-traffic services; or,
// with --export, one rule set as a Prometheus rule file or a Sloth spec.
// Every input is loaded and checked, and every output path checked, before
// any trial runs; outputs are built whole and written atomically.
#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/alert_export.hpp"
#include "analysis/alert_lab.hpp"
#include "analysis/alert_low_traffic.hpp"
#include "analysis/alert_report.hpp"
#include "analysis/alert_rules.hpp"
#include "analysis/report_html.hpp"
#include "analysis/results_writer.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "cli/run_support.hpp"
#include "cli/variants.hpp"
#include "models/loader.hpp"

namespace relsim::cli {

namespace {

struct AlertsOptions : VariantRunOptions, ResultsOptions {
  std::string file;
  std::vector<std::string> rules;
  std::vector<std::string> presets;
  std::string slo;
  std::string significant = "2%";
  std::string error_rates;
  std::string evaluation_interval = "1m";
  std::string low_traffic;                // a rate: run the counted model at it
  std::string low_traffic_below = "1/s";  // run it when the SLO sees fewer requests
  std::uint64_t min_requests = 0;
  std::string low_traffic_baseline;  // default: the SLO's ratio at t = 0
  std::string incident_error = "10%";
  std::string incident_duration = "30m";
  double incidents_per_week = 1.0;
  std::string exporter;  // prometheus | sloth
  std::string rule_set;  // for --export
  std::string selector;
  std::string report;
};

/// A fraction: `2%`, `0.02`. Throws std::invalid_argument naming the option.
double fraction(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const bool percent = !text.empty() && text.back() == '%';
    const std::string body = percent ? text.substr(0, text.size() - 1) : text;
    const double v = std::stod(body, &used);
    if (used != body.size()) throw std::invalid_argument("");
    return percent ? v / 100.0 : v;
  } catch (const std::exception&) {
    throw std::invalid_argument(option + ": expected a fraction such as 2% or 0.02, got '" + text +
                                "'");
  }
}

/// Requests per second from `10/h`, `0.5/s`, `2/min`, `100/d` or a plain number (per second).
double rate(const std::string& option, const std::string& text) {
  const std::size_t slash = text.find('/');
  const std::string number = text.substr(0, slash);
  const std::string unit = slash == std::string::npos ? "s" : text.substr(slash + 1);
  double per = 0.0;
  if (unit == "s") per = 1.0;
  if (unit == "min") per = 60.0;
  if (unit == "h") per = 3600.0;
  if (unit == "d" || unit == "day") per = 86'400.0;
  try {
    std::size_t used = 0;
    const double v = std::stod(number, &used);
    if (used != number.size() || per == 0.0 || !(v > 0.0)) throw std::invalid_argument("");
    return v / per;
  } catch (const std::exception&) {
    throw std::invalid_argument(
        option + ": expected a positive rate such as 10/h, 0.5/s or 2/min, got '" + text + "'");
  }
}

sim::Duration duration(const std::string& option, const std::string& text) {
  try {
    const sim::Duration d = sim::parse_duration(text);
    if (d.count_micros() <= 0) throw std::invalid_argument("");
    return d;
  } catch (const std::exception&) {
    throw std::invalid_argument(option + ": expected a positive duration such as 30m, got '" +
                                text + "'");
  }
}

std::vector<double> error_ratios(const std::string& text, double objective) {
  if (text.empty()) return analysis::default_error_ratios(objective);
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const double v = fraction("--error-rates", item);
    if (!(v > 0.0 && v <= 1.0)) {
      throw std::invalid_argument("--error-rates: '" + item +
                                  "' is not an error ratio in (0, 100 %]");
    }
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return analysis::distinct_error_ratios(std::move(out));
}

/// The rule sets: the system's own alert rules on the SLO (each alert, then
/// the set as a whole; by default when neither --preset nor --rules is
/// given and the system declares some, or with `--preset system`), then the
/// chosen presets (all six by default when the system declares no alert on
/// the SLO, or with --export), then each --rules file.
std::vector<analysis::RuleSet> rule_sets(const AlertsOptions& o, const models::System& system,
                                         const models::Slo& slo, sim::Duration interval) {
  std::vector<analysis::RuleSet> out;
  const auto presets = analysis::workbook_presets(slo.name, slo.window, interval);
  std::vector<std::string> wanted;
  bool own = o.presets.empty() && o.rules.empty() && o.exporter.empty();
  for (const std::string& name : o.presets) {
    if (name == "system") {
      own = true;
    } else {
      wanted.push_back(name);
    }
  }
  if (own) {
    std::vector<std::string> others;
    auto mine = analysis::system_rule_sets(system, slo, others);
    const bool asked = std::find(o.presets.begin(), o.presets.end(), "system") != o.presets.end();
    if (mine.empty() && asked) {
      throw std::invalid_argument("--preset system: no alert of system '" + system.name +
                                  "' watches SLO '" + slo.name + "'");
    }
    out.insert(out.end(), mine.begin(), mine.end());
  }
  if (o.presets.empty() && o.rules.empty() && out.empty()) wanted.push_back("all");
  for (const std::string& name : wanted) {
    if (name == "all") {
      out.insert(out.end(), presets.begin(), presets.end());
      continue;
    }
    auto it = std::find_if(presets.begin(), presets.end(),
                           [&](const analysis::RuleSet& s) { return s.name == name; });
    if (it == presets.end()) {
      std::string names = "all, system";
      for (const std::string& n : analysis::preset_names()) names += ", " + n;
      throw std::invalid_argument("--preset: unknown preset '" + name + "'; presets: " + names);
    }
    out.push_back(*it);
  }
  for (const std::string& file : o.rules) {
    models::AlertRules r = models::load_alert_rules(file);
    out.push_back(
        {r.name, r.description.empty() ? "rules of " + file : r.description, std::move(r.alerts)});
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out[i].name == out[j].name) {
        throw std::invalid_argument("two rule sets are named '" + out[i].name +
                                    "' (rename one in its metadata.name)");
      }
    }
  }
  return out;
}

void export_rules(const AlertsOptions& o, const models::Slo& slo,
                  const std::vector<analysis::RuleSet>& sets) {
  const analysis::RuleSet* chosen = nullptr;
  const std::string want = !o.rule_set.empty() ? o.rule_set
                           : o.rules.empty()   ? std::string("multiwindow")
                                               : sets.back().name;
  for (const analysis::RuleSet& s : sets) {
    if (s.name == want) chosen = &s;
  }
  if (!chosen) {
    std::string names;
    for (const analysis::RuleSet& s : sets) names += (names.empty() ? "" : ", ") + s.name;
    throw std::invalid_argument("--rule-set: no rule set '" + want + "'; rule sets: " + names);
  }
  analysis::AlertExportTarget t;
  t.slo = slo.name;
  t.service = slo.service.name;
  t.sli = slo.sli;
  t.latency_threshold_seconds = slo.threshold ? slo.threshold->to_seconds() : 0.0;
  t.objective = slo.objective;
  t.period = slo.window;
  t.selector = o.selector;
  for (const models::Alert& a : chosen->alerts) {
    if (a.kind != models::AlertKind::burn_rate || a.slo.name != slo.name) {
      throw std::invalid_argument("--export: alert '" + a.name + "' of rule set '" + chosen->name +
                                  "' is not a burn-rate alert on SLO '" + slo.name +
                                  "' (only those export)");
    }
  }
  emit(o, o.exporter == "sloth" ? analysis::sloth_spec(*chosen, t)
                                : analysis::prometheus_rules(*chosen, t));
}

void run(const AlertsOptions& o) {
  check_confidence(o.confidence);
  if (!o.output.empty()) check_writable(o.output);
  std::optional<analysis::ExportFormat> out_format;
  if (!o.out.empty()) {
    out_format = o.out_format.empty() ? analysis::export_format_of(o.out)
                                      : analysis::parse_export_format(o.out_format);
    if (out_format != analysis::ExportFormat::hdf5 && out_format != analysis::ExportFormat::json) {
      throw std::invalid_argument("--out '" + o.out +
                                  "': the alert lab writes HDF5 (.h5, .hdf5) or JSON (.json), "
                                  "not CSV");
    }
    check_writable(o.out);
  }
  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
  if (o.trials && *o.trials < 2) throw std::invalid_argument("--trials must be at least 2");
  const double significant = fraction("--significant", o.significant);
  if (!(significant > 0.0 && significant <= 1.0)) {
    throw std::invalid_argument("--significant: a budget share in (0, 100 %], got '" +
                                o.significant + "'");
  }
  const sim::Duration interval = duration("--evaluation-interval", o.evaluation_interval);
  const models::ResolvedScenario sc = models::load_scenario(o.file, o.overrides, data_files());
  const std::size_t k = analysis::target_slo(sc.system, o.slo);
  const models::Slo& slo = sc.system.slos[k];
  const std::vector<analysis::RuleSet> sets = rule_sets(o, sc.system, slo, interval);
  // Every rule set's references resolve before anything runs.
  for (const analysis::RuleSet& s : sets) {
    models::System copy = sc.system;
    models::apply_alert_rules(copy, s.alerts);
  }
  if (!o.exporter.empty()) {
    export_rules(o, slo, sets);
    return;
  }
  const std::vector<double> errors = error_ratios(o.error_rates, slo.objective);
  analysis::LowTrafficConfig low;
  if (!o.low_traffic.empty()) low.requests_per_second = rate("--low-traffic", o.low_traffic);
  const double below = rate("--low-traffic-below", o.low_traffic_below);
  low.incident_error = fraction("--incident-error", o.incident_error);
  if (!(low.incident_error > 0.0 && low.incident_error <= 1.0)) {
    throw std::invalid_argument("--incident-error: an error ratio in (0, 100 %], got '" +
                                o.incident_error + "'");
  }
  low.incident_duration = duration("--incident-duration", o.incident_duration);
  if (!(o.incidents_per_week > 0.0)) {
    throw std::invalid_argument("--incidents-per-week must be positive");
  }
  low.incidents_per_day = o.incidents_per_week / 7.0;
  low.min_requests = o.min_requests;  // the gated rows

  analysis::AlertLabConfig cfg;
  cfg.slo = slo.name;
  cfg.significant_share = significant;
  cfg.trials = o.trials.value_or(0);
  cfg.has_seed = o.seed.has_value();
  cfg.seed = o.seed.value_or(0);
  cfg.threads = o.threads;
  cfg.confidence = o.confidence;
  cfg.only_trial = o.trial_index;

  analysis::AlertLabReport rep;
  rep.sets = sets;
  rep.lab = analysis::run_alert_lab(sc, sets, cfg);
  rep.when = analysis::when_table(sets, errors, rep.lab.baseline_error, slo.objective, slo.window,
                                  slo.service.name);
  const bool forced = !o.low_traffic.empty();
  if (forced || rep.lab.requests_per_second < below) {
    rep.low.present = true;
    rep.low.why = forced ? "--low-traffic " + o.low_traffic
                         : "the SLO sees fewer than " + o.low_traffic_below + " requests";
    if (!forced) low.requests_per_second = rep.lab.requests_per_second;
    low.baseline_error = rep.lab.baseline_error;
    if (!o.low_traffic_baseline.empty()) {
      low.baseline_error = fraction("--low-traffic-baseline", o.low_traffic_baseline);
      if (!(low.baseline_error >= 0.0 && low.baseline_error < 1.0)) {
        throw std::invalid_argument("--low-traffic-baseline: an error ratio in [0, 100 %), got '" +
                                    o.low_traffic_baseline + "'");
      }
    }
    low.objective = slo.objective;
    low.period = slo.window;
    low.horizon = rep.lab.horizon;
    low.significant_share = significant;
    low.seed = rep.lab.seed;
    low.trials = std::min<std::uint64_t>(rep.lab.trials, 1000);
    low.confidence = o.confidence;
    rep.low.config = low;
    for (const analysis::RuleSet& s : sets) {
      analysis::LowTrafficConfig plain = low;
      plain.min_requests = 0;
      rep.low.plain.push_back(analysis::run_low_traffic(s, plain));
      if (low.min_requests > 0) rep.low.gated.push_back(analysis::run_low_traffic(s, low));
    }
  }
  if (out_format == analysis::ExportFormat::hdf5) analysis::write_alert_lab_hdf5(o.out, rep);
  if (out_format == analysis::ExportFormat::json) {
    write_file_atomically(o.out, analysis::alert_lab_json(rep));
  }
  if (!o.report.empty()) {
    write_file_atomically(o.report, analysis::render_html(analysis::alert_lab_html(rep), chart_js));
  }
  emit(o, o.format == "json" ? analysis::alert_lab_json(rep) : analysis::alert_lab_text(rep));
}

}  // namespace

void add_alerts_command(CLI::App& app) {
  auto opts = std::make_shared<AlertsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "alerts",
      "The alert design lab: runs a scenario once per alert rule set on common random\n"
      "numbers and reports detection time, reset time, precision, recall and pages per\n"
      "shift per set, with the closed-form 'when does it fire' table. See docs/alerting.md.");
  cmd->add_option("scenario", opts->file, "Scenario file")->required();
  cmd->add_option("--rules", opts->rules, "An AlertRules file: one rule set (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--preset", opts->presets,
                  "A workbook preset: errorRatio10m, errorRatioLong, errorRatioFor1h, burnRate1h, "
                  "multiBurnRate, multiwindow, or all; or system: the system's own alerts on the "
                  "SLO (repeatable; default: system, or all when the system has no alert on the "
                  "SLO, unless --rules)")
      ->allow_extra_args(false);
  cmd->add_option("--slo", opts->slo, "The SLO the rules defend (default: the system's first)");
  cmd->add_option("--significant", opts->significant,
                  "Budget share that makes an incident significant")
      ->capture_default_str();
  cmd->add_option("--error-rates", opts->error_rates,
                  "Error ratios of the 'when does it fire' table, e.g. 0.1%,1%,100% "
                  "(default: burn rates 1 to 1000 and 100 %)");
  cmd->add_option("--evaluation-interval", opts->evaluation_interval,
                  "Evaluation interval of the presets' rules")
      ->capture_default_str();
  cmd->add_option("--low-traffic", opts->low_traffic,
                  "Also judge the rules on counted (Poisson) traffic at this rate, e.g. 10/h");
  cmd->add_option("--low-traffic-below", opts->low_traffic_below,
                  "Judge on counted traffic when the SLO sees fewer requests than this")
      ->capture_default_str();
  cmd->add_option(
         "--min-requests", opts->min_requests,
         "Low traffic: also judge with a gate, the long window holding at least N requests")
      ->capture_default_str();
  cmd->add_option("--low-traffic-baseline", opts->low_traffic_baseline,
                  "Low traffic: the error ratio with nothing wrong (default: the SLO's at t = 0)");
  cmd->add_option("--incident-error", opts->incident_error,
                  "Low traffic: the error ratio of an incident")
      ->capture_default_str();
  cmd->add_option("--incident-duration", opts->incident_duration,
                  "Low traffic: how long an incident lasts")
      ->capture_default_str();
  cmd->add_option("--incidents-per-week", opts->incidents_per_week,
                  "Low traffic: incidents per week (Poisson)")
      ->capture_default_str();
  add_export_option(
      cmd, opts->exporter, {"prometheus", "sloth"},
      "Write one rule set as a Prometheus rule file or a Sloth spec instead of running");
  cmd->add_option("--rule-set", opts->rule_set,
                  "The rule set to export (default: multiwindow, or the last --rules file)")
      ->group(kExportGroup);
  cmd->add_option("--selector", opts->selector,
                  "PromQL label matchers of the service's request metrics (default: "
                  "service=\"<service>\")")
      ->group(kExportGroup);
  add_variant_run_options(cmd, *opts);
  add_results_options(cmd, *opts, {"hdf5", "json"},
                      "Also write the figures to this file: HDF5 (.h5, .hdf5; group /alerts) or "
                      "JSON (.json, the document of --format json)");
  add_deprecated_alias(cmd, "--hdf5", "--out", opts->out);
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report with charts to this file")
      ->group(kOutputGroup);
  cmd->callback([opts] { run(*opts); });
}

}  // namespace relsim::cli
