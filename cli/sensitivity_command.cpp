// `relsim sensitivity SCENARIO --param PATH...`: perturbs each named value
// by ±step (relative) with common random numbers, fits a local linear model
// of one figure by least squares (analysis::fit_local_linear, Eigen) and
// ranks the parameters by the figure's change for a +step change of each,
// with intervals (docs/compare.md, "Sensitivity").
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/export_json.hpp"
#include "analysis/text_format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "cli/variants.hpp"
#include "models/loader.hpp"

namespace relsim::cli {

namespace {

struct SensitivityOptions : VariantRunOptions, ResultsOptions {
  std::string file;
  std::vector<std::string> params;
  std::string step = "10%";
  std::string figure;  // FIGURE:SUBJECT; default budgetConsumed of the first SLO
};

struct Parameter {
  std::string path;
  std::string value;            // as written (after overrides)
  std::string down, up;         // the perturbed values
  double delta_down = 0.0;      // realised relative change of the −step value
  double delta_up = 0.0;        // of the +step value
  analysis::Interval effect;    // figure change for a +step change
  analysis::Interval per_unit;  // coefficient: figure change per unit relative change
};

double parse_step(const std::string& text) {
  double h = 0.0;
  try {
    h = value_number(text);
  } catch (const std::invalid_argument&) {
    h = 0.0;
  }
  if (!(h > 0.0 && h < 1.0)) {
    throw std::invalid_argument("--step must be a relative change in (0, 1), e.g. 10% (got '" +
                                text + "')");
  }
  return h;
}

void run(SensitivityOptions o) {
  const double h = parse_step(o.step);
  const RunSettings s = settings_for(o.file, o);
  const std::optional<analysis::ExportTarget> target = results_target(o);

  std::vector<Parameter> params;
  for (const std::string& path : o.params) {
    for (const Parameter& q : params) {
      if (q.path == path) throw std::invalid_argument("--param " + path + " is given twice");
    }
    Parameter p;
    p.path = path;
    p.value = models::value_at(o.file, path, o.overrides, data_files());
    const double x = value_number(p.value);
    if (x == 0.0) {
      throw std::invalid_argument("--param " + path + " is 0: a relative perturbation of 0 is 0");
    }
    p.down = scale_value(p.value, 1.0 - h);
    p.up = scale_value(p.value, 1.0 + h);
    p.delta_down = value_number(p.down) / x - 1.0;
    p.delta_up = value_number(p.up) / x - 1.0;
    params.push_back(p);
  }

  // Design points: the baseline, then −step and +step of each parameter.
  std::vector<Variant> points{{"baseline", o.file, {}}};
  const std::size_t np = params.size();
  std::vector<double> design(np, 0.0);
  for (std::size_t i = 0; i < np; ++i) {
    for (const bool up : {false, true}) {
      const Parameter& p = params[i];
      points.push_back(
          {p.path + (up ? " +" : " -"), o.file, {p.path + "=" + (up ? p.up : p.down)}});
      for (std::size_t k = 0; k < np; ++k) {
        design.push_back(k == i ? (up ? p.delta_up : p.delta_down) : 0.0);
      }
    }
  }

  std::string figure = "budgetConsumed";
  std::string subject;
  if (!o.figure.empty()) {
    const auto colon = o.figure.find(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument(
          "--figure '" + o.figure +
          "': expected FIGURE:NAME, e.g. budgetConsumed:payment-availability "
          "or availability:payment-api");
    }
    figure = o.figure.substr(0, colon);
    subject = o.figure.substr(colon + 1);
  }

  std::vector<std::vector<double>> responses;
  std::string scenario, system;
  int unit = 0;
  std::vector<VariantRun> runs;  // kept for --out only
  for (const Variant& v : points) {
    VariantRun r = run_variant(v, s);
    if (subject.empty()) {
      for (const FigureSeries& f : r.figures) {
        if (f.figure == figure) {
          subject = f.subject;
          break;
        }
      }
      if (subject.empty()) throw std::invalid_argument("the scenario has no SLO to measure");
    }
    const FigureSeries* f = find_figure(r, subject, figure);
    if (!f) {
      std::string known;
      for (const FigureSeries& g : r.figures) known += "\n  " + g.figure + ":" + g.subject;
      throw std::invalid_argument("--figure " + figure + ":" + subject + " is not a figure of " +
                                  o.file + "; these are:" + known);
    }
    responses.push_back(f->values);
    unit = static_cast<int>(f->unit);
    scenario = r.scenario;
    system = r.system;
    if (target) runs.push_back(std::move(r));
  }
  if (target) write_variant_runs(*target, "sensitivity", s, o.confidence, runs);
  if (s.only_trial) {
    // One replayed trial fits no line: its figure at every design point.
    std::string out = "relsim sensitivity: trial " + std::to_string(*s.only_trial) + " of " +
                      std::to_string(s.trials) + " (seed " + std::to_string(s.seed) +
                      ") replayed; " + figure + ":" + subject + " at each point:\n";
    for (std::size_t i = 0; i < points.size(); ++i) {
      out += "  " + points[i].name + "  " + analysis::shortest(responses[i][0]) + "\n";
    }
    emit(o, out);
    return;
  }
  // Trials where the figure has no value at some point (no incident to
  // average over) leave the fit, at every point alike.
  std::vector<std::vector<double>> kept(responses.size());
  for (std::size_t t = 0; t < responses[0].size(); ++t) {
    bool all = true;
    for (const auto& r : responses) all = all && !std::isnan(r[t]);
    if (!all) continue;
    for (std::size_t i = 0; i < responses.size(); ++i) kept[i].push_back(responses[i][t]);
  }
  if (kept[0].size() < 2) {
    throw std::invalid_argument("--figure " + figure + ":" + subject +
                                " has a value in fewer than 2 trials at every point");
  }
  responses = std::move(kept);
  const analysis::LocalLinearFit fit =
      analysis::fit_local_linear(design, np, responses, o.confidence);
  for (std::size_t i = 0; i < np; ++i) {
    const analysis::Interval& b = fit.coefficients[i + 1];
    params[i].per_unit = b;
    params[i].effect = {b.estimate * h, b.low * h, b.high * h};
  }
  std::vector<std::size_t> order(np);
  for (std::size_t i = 0; i < np; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(params[a].effect.estimate) > std::fabs(params[b].effect.estimate);
  });

  std::string out;
  if (o.format == "json") {
    models::JsonNode doc;
    doc.set("scenario", scenario);
    doc.set("system", system);
    doc.set("figure", figure);
    doc.set("subject", subject);
    doc.set("trials", s.trials);
    doc.set("seed", s.seed);
    doc.set("step", h);
    doc.set("confidence", o.confidence);
    doc.set("baseline", analysis::interval_node(fit.coefficients[0]));
    models::JsonNode::Array ranked;
    for (std::size_t r = 0; r < np; ++r) {
      const Parameter& p = params[order[r]];
      models::JsonNode row;
      row.set("rank", r + 1);
      row.set("path", p.path);
      row.set("value", p.value);
      row.set("down", p.down);
      row.set("up", p.up);
      row.set("effectOfStep", analysis::interval_node(p.effect));
      row.set("perRelativeUnit", analysis::interval_node(p.per_unit));
      ranked.push_back(std::move(row.one_line()));
    }
    doc.set("parameters", std::move(ranked));
    out = doc.text();
  } else {
    const int pct = static_cast<int>(std::lround(o.confidence * 100));
    out = printf_text(
        "relsim sensitivity: %s on %s; %s of %s; %zu runs × %llu trials (seed %llu, common random "
        "numbers)\n  local linear model by least squares over ±%s changes of each parameter; %d "
        "%% t intervals over trials\n\n",
        scenario.c_str(), system.c_str(), figure_label(figure).c_str(), subject.c_str(),
        points.size(), static_cast<unsigned long long>(s.trials),
        static_cast<unsigned long long>(s.seed), o.step.c_str(), pct);
    out += "at the baseline: " + value_with_interval(fit.coefficients[0], unit) + "\n\n";
    int wp = 9, wv = 5, wt = 12;
    for (const Parameter& p : params) {
      wp = std::max(wp, static_cast<int>(p.path.size()));
      wv = std::max(wv, static_cast<int>(p.value.size()));
      wt = std::max(wt, static_cast<int>(p.down.size() + p.up.size() + 2));
    }
    out += printf_text("%-4s  %-*s  %-*s  %-*s  %s\n", "rank", wp, "parameter", wv, "value", wt,
                       "tried (-, +)", ("effect of +" + o.step).c_str());
    for (std::size_t r = 0; r < np; ++r) {
      const Parameter& p = params[order[r]];
      out += printf_text("%-4zu  %-*s  %-*s  %-*s  %s\n", r + 1, wp, p.path.c_str(), wv,
                         p.value.c_str(), wt, (p.down + ", " + p.up).c_str(),
                         difference_with_interval(p.effect, unit).c_str());
    }
  }
  emit(o, out);
}

}  // namespace

void add_sensitivity_command(CLI::App& app) {
  auto opts = std::make_shared<SensitivityOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sensitivity",
      "Where to invest? Perturbs each --param by ±step with common random numbers, fits a\n"
      "local linear model of one figure (least squares) and ranks the parameters by their\n"
      "effect, with confidence intervals. See docs/compare.md.");
  cmd->add_option("scenario", opts->file, "Scenario file (YAML)")->required();
  cmd->add_option("--param", opts->params,
                  "A value to perturb, as --set addresses it, e.g. "
                  "services.payment-api.deploys.changeFailureRate (repeatable)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--step", opts->step, "Relative perturbation, e.g. 10%")->capture_default_str();
  cmd->add_option("--figure", opts->figure,
                  "FIGURE:NAME with FIGURE one of attainment, pMet, budgetConsumed (of an SLO) or "
                  "availability (of a service); default: budgetConsumed of the first SLO");
  add_variant_run_options(cmd, *opts);
  add_variant_results_options(cmd, *opts);
  cmd->callback([opts] { run(*opts); });
}

}  // namespace relsim::cli
