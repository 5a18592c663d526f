// Variants of a scenario (see variants.hpp).
#include "cli/variants.hpp"

#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <regex>
#include <stdexcept>

#include "analysis/figure_table.hpp"
#include "cli/data_files.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "cli/run_support.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

/// The number `text` (digits the caller's pattern matched); refused when no
/// double holds it (was std::stod, whose std::out_of_range said only "stod").
double number_of(const std::string& option, const std::string& text) {
  try {
    return std::stod(text);
  } catch (const std::out_of_range&) {
    throw std::invalid_argument(option + ": the number '" + text + "' is out of range");
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

using analysis::decimal_text;

}  // namespace

Variant parse_variant(const std::string& text, const std::string& file) {
  const std::string form =
      "expected --variant NAME:--set path=value [--set path=value ...] (or NAME:path=value;...)";
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) {
    throw std::invalid_argument("--variant '" + text + "': " + form);
  }
  Variant v{trim(text.substr(0, colon)), file, {}};
  const std::string spec = trim(text.substr(colon + 1));
  std::vector<std::string> pieces;
  if (spec.rfind("--set", 0) == 0) {
    const std::regex set_re(R"((^|\s+)--set(\s+|=))");
    std::sregex_token_iterator it(spec.begin(), spec.end(), set_re, -1), end;
    for (; it != end; ++it) pieces.push_back(trim(*it));
  } else {
    std::size_t start = 0;
    while (start <= spec.size()) {
      const auto semi = spec.find(';', start);
      pieces.push_back(trim(spec.substr(start, semi - start)));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
  for (const std::string& p : pieces) {
    if (p.empty()) continue;
    if (p.find('=') == std::string::npos || p.front() == '=') {
      throw std::invalid_argument("--variant '" + text + "': '" + p + "' is not path=value; " +
                                  form);
    }
    v.overrides.push_back(p);
  }
  if (v.overrides.empty()) throw std::invalid_argument("--variant '" + text + "': " + form);
  return v;
}

std::vector<Variant> parse_sweep(const std::string& text, const std::string& file) {
  const std::string form = "expected --sweep path=FROM..TO, path=FROM..TO:STEP or path=V1,V2,...";
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw std::invalid_argument("--sweep '" + text + "': " + form);
  }
  const std::string path = trim(text.substr(0, eq));
  const std::string spec = trim(text.substr(eq + 1));
  std::string label = path;
  if (const auto dot = path.find_last_of(".]"); dot != std::string::npos) {
    label = path.substr(dot + 1);
  }
  std::vector<std::string> values;
  const std::regex range_re(R"(^(-?[0-9]*\.?[0-9]+)\.\.(-?[0-9]*\.?[0-9]+)(:([0-9]*\.?[0-9]+))?$)");
  std::smatch m;
  if (std::regex_match(spec, m, range_re)) {
    const double from = number_of("--sweep '" + text + "'", m[1].str());
    const double to = number_of("--sweep '" + text + "'", m[2].str());
    const bool integers = !m[4].matched && m[1].str().find('.') == std::string::npos &&
                          m[2].str().find('.') == std::string::npos;
    const double step = m[4].matched ? number_of("--sweep '" + text + "'", m[4].str()) : 1.0;
    if (!(step > 0.0) || to < from) {
      throw std::invalid_argument("--sweep '" + text + "': the range must run upwards with a " +
                                  "positive step");
    }
    const double count = std::floor((to - from) / step + 1e-9) + 1.0;
    if (count > 200) {
      throw std::invalid_argument("--sweep '" + text + "': " + decimal_text(count) +
                                  " values; at most 200");
    }
    for (int i = 0; i < static_cast<int>(count); ++i) {
      const double x = from + step * i;
      values.push_back(integers ? std::to_string(std::lround(x)) : decimal_text(x));
    }
  } else {
    std::size_t start = 0;
    while (true) {
      const auto comma = spec.find(',', start);
      const std::string v = trim(spec.substr(start, comma - start));
      if (v.empty()) throw std::invalid_argument("--sweep '" + text + "': an empty value; " + form);
      values.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (values.size() < 2) throw std::invalid_argument("--sweep '" + text + "': " + form);
  }
  std::vector<Variant> out;
  for (const std::string& v : values) out.push_back({label + "=" + v, file, {path + "=" + v}});
  return out;
}

double value_number(const std::string& text) {
  const std::string t = trim(text);
  static const std::regex number_re(R"(^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
  std::smatch m;
  if (std::regex_search(t, m, number_re)) {
    const std::string rest = t.substr(static_cast<std::size_t>(m.length(0)));
    const double x = number_of("'" + text + "'", m.str(0));
    if (rest.empty()) return x;
    if (rest == "%") return x / 100.0;
    if (rest.front() == '/') return x;
  }
  try {
    return sim::parse_duration(t).to_seconds();
  } catch (const sim::DurationError&) {
    throw std::invalid_argument("'" + text +
                                "' is not a number, percentage, rate or duration to perturb");
  }
}

std::string scale_value(const std::string& text, double factor) {
  const std::string t = trim(text);
  static const std::regex number_re(R"(^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
  std::smatch m;
  if (std::regex_search(t, m, number_re)) {
    const std::string digits = m.str(0);
    const std::string rest = t.substr(static_cast<std::size_t>(m.length(0)));
    const double x = number_of("'" + text + "'", digits);
    if (rest.empty() && digits.find_first_of(".eE") == std::string::npos) {
      long scaled = std::lround(x * factor);
      if (scaled == std::lround(x) && factor != 1.0) scaled += factor > 1.0 ? 1 : -1;
      return std::to_string(scaled);
    }
    if (rest.empty() || rest == "%" || rest.front() == '/') return decimal_text(x * factor) + rest;
  }
  sim::Duration d;
  try {
    d = sim::parse_duration(t);
  } catch (const sim::DurationError&) {
    throw std::invalid_argument("'" + text +
                                "' is not a number, percentage, rate or duration to perturb");
  }
  const auto micros = std::llround(static_cast<double>(d.count_micros()) * factor);
  return sim::format_duration(sim::Duration::micros(micros));
}

void resolve_trials_and_seed(const std::string& file, RunSettings& settings) {
  if (settings.trials > 0 && settings.has_seed) return;
  const auto r = models::load_scenario(file, settings.overrides, data_files());
  const models::CompiledModel m = models::compile(r.system, r.scenario);
  if (settings.trials == 0) settings.trials = static_cast<std::uint64_t>(m.trials);
  if (!settings.has_seed) {
    settings.seed = m.seed;
    settings.has_seed = true;
  }
}

std::string system_of(const Variant& v, const RunSettings& settings) {
  std::vector<std::string> overrides = settings.overrides;
  overrides.insert(overrides.end(), v.overrides.begin(), v.overrides.end());
  const auto resolved = models::load_scenario(v.file, overrides, data_files());
  return models::compile(resolved.system, resolved.scenario).names.system;
}

void add_variant_run_options(CLI::App* cmd, VariantRunOptions& o) {
  add_trial_options(
      cmd, o,
      {"Trials per run (default: the scenario's)", "Master seed (default: the scenario's)", true});
  add_output_options(cmd, o, {"text", "json"});
  add_replay_options(cmd, o);
}

void add_variant_results_options(CLI::App* cmd, ResultsOptions& o) {
  add_results_options(cmd, o, {"hdf5", "csv", "json"},
                      "Also write every run's per-trial figures: PATH.h5 (HDF5), PATH.json, or a "
                      "directory of CSV files (docs/compare.md, \"The results file\")");
}

std::optional<analysis::ExportTarget> results_target(const ResultsOptions& o) {
  if (o.out.empty()) {
    if (!o.out_format.empty()) throw std::invalid_argument("--out-format needs --out");
    return std::nullopt;
  }
  analysis::ExportTarget t = export_target(o.out, o.out_format);
  analysis::check_export_target(t);
  return t;
}

void write_variant_runs(const analysis::ExportTarget& target, const std::string& command,
                        const RunSettings& settings, double confidence,
                        const std::vector<VariantRun>& runs) {
  static const char* kUnits[] = {"fraction", "count", "minutes"};
  std::vector<analysis::FigureColumn> columns;
  for (const VariantRun& r : runs) {
    for (const FigureSeries& f : r.figures) {
      columns.push_back({r.name, f.subject, f.figure, kUnits[static_cast<int>(f.unit)], &f.values});
    }
  }
  analysis::FigureTableMeta meta;
  meta.command = command;
  meta.relsim_version = RELSIM_VERSION;
  meta.command_line = app_command_line();
  meta.seed = settings.seed;
  meta.trials = settings.only_trial ? 1 : settings.trials;
  meta.first_trial = settings.only_trial.value_or(0);
  meta.confidence = confidence;
  analysis::write_figure_table(target, meta, columns);
}

RunSettings settings_for(const std::string& file, const VariantRunOptions& o) {
  check_confidence(o.confidence);
  if (!o.output.empty()) check_writable(o.output);
  RunSettings s;
  s.overrides = o.overrides;
  s.threads = o.threads;
  if (o.trials) {
    if (*o.trials < 2) throw std::invalid_argument("--trials must be at least 2");
    s.trials = *o.trials;
  }
  if (o.seed) {
    s.seed = *o.seed;
    s.has_seed = true;
  }
  resolve_trials_and_seed(file, s);
  if (s.trials < 2) throw std::invalid_argument("a comparison needs at least 2 trials");
  if (o.trial_index) {
    if (*o.trial_index >= s.trials) {
      throw std::invalid_argument("--trial-index " + std::to_string(*o.trial_index) +
                                  " is not below the trial count " + std::to_string(s.trials));
    }
    s.only_trial = o.trial_index;
  }
  return s;
}

VariantRun run_variant(const Variant& v, const RunSettings& settings) {
  std::vector<std::string> overrides = settings.overrides;
  overrides.insert(overrides.end(), v.overrides.begin(), v.overrides.end());
  const auto resolved = models::load_scenario(v.file, overrides, data_files());
  const models::CompiledModel model = models::compile(resolved.system, resolved.scenario);

  sim::RunnerOptions ro;
  ro.master_seed = settings.has_seed ? settings.seed : model.seed;
  ro.trials = settings.trials > 0 ? settings.trials : static_cast<std::uint64_t>(model.trials);
  ro.threads = settings.threads;
  ro.only_trial = settings.only_trial;
  const auto start = std::chrono::steady_clock::now();
  const auto results = sim::run_trials<models::TrialResult>(ro, [&model]() {
    return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
      return world.run(seed);
    };
  });

  VariantRun out;
  out.name = v.name;
  out.system = model.names.system;
  out.scenario = model.names.scenario;
  const std::size_t n = results.results.size();
  for (std::size_t k = 0; k < model.slos.size(); ++k) {
    FigureSeries attainment{model.names.slos[k], "attainment", {}};
    FigureSeries met{model.names.slos[k], "pMet", {}};
    FigureSeries budget{model.names.slos[k], "budgetConsumed", {}};
    attainment.values.reserve(n);
    met.values.reserve(n);
    budget.values.reserve(n);
    for (const models::TrialResult& t : results.results) {
      attainment.values.push_back(t.slos[k].attainment);
      met.values.push_back(t.slos[k].met ? 1.0 : 0.0);
      budget.values.push_back(t.slos[k].budget_consumed);
    }
    out.figures.push_back(std::move(attainment));
    out.figures.push_back(std::move(met));
    out.figures.push_back(std::move(budget));
  }
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    FigureSeries availability{
        model.names.components[model.services[s].component], "availability", {}};
    availability.values.reserve(n);
    for (const models::TrialResult& t : results.results) {
      availability.values.push_back(t.services[s].availability());
    }
    out.figures.push_back(std::move(availability));
  }
  // Incidents: how many, and the trial's mean time to resolve and to detect.
  FigureSeries count{"incidents", "incidents", {}, FigureUnit::count};
  FigureSeries mttr{"incidents", "mttr", {}, FigureUnit::minutes};
  FigureSeries ttd{"incidents", "ttd", {}, FigureUnit::minutes};
  for (const models::TrialResult& t : results.results) {
    double resolve = 0.0, detect = 0.0;
    int n_resolved = 0, n_detected = 0;
    for (const models::IncidentRow& i : t.incidents) {
      if (i.resolved != models::kNever) {
        resolve += (i.resolved - i.start).to_seconds();
        ++n_resolved;
      }
      if (i.detected != models::kNever) {
        detect += (i.detected - i.start).to_seconds();
        ++n_detected;
      }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    count.values.push_back(static_cast<double>(t.incidents.size()));
    mttr.values.push_back(n_resolved > 0 ? resolve / n_resolved / 60.0 : nan);
    ttd.values.push_back(n_detected > 0 ? detect / n_detected / 60.0 : nan);
  }
  out.figures.push_back(std::move(count));
  out.figures.push_back(std::move(mttr));
  out.figures.push_back(std::move(ttd));
  for (std::size_t k = 0; k < model.teams.size(); ++k) {
    FigureSeries pages{model.names.teams[k], "pages", {}, FigureUnit::count};
    FigureSeries night{model.names.teams[k], "nightPages", {}, FigureUnit::count};
    FigureSeries noise{model.names.teams[k], "noisePages", {}, FigureUnit::count};
    FigureSeries tickets{model.names.teams[k], "tickets", {}, FigureUnit::count};
    for (const models::TrialResult& t : results.results) {
      pages.values.push_back(t.teams[k].pages);
      night.values.push_back(t.teams[k].pages_at_night);
      noise.values.push_back(t.teams[k].noise_pages);
      tickets.values.push_back(t.teams[k].tickets);
    }
    out.figures.push_back(std::move(pages));
    out.figures.push_back(std::move(night));
    out.figures.push_back(std::move(noise));
    out.figures.push_back(std::move(tickets));
  }
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

const FigureSeries* find_figure(const VariantRun& run, const std::string& subject,
                                const std::string& figure) {
  for (const FigureSeries& f : run.figures) {
    if (f.subject == subject && f.figure == figure) return &f;
  }
  return nullptr;
}

}  // namespace relsim::cli
