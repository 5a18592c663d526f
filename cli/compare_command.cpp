// `relsim compare SCENARIO...`: runs a baseline and its variants (`--variant`,
// `--sweep`, or more scenario files on the same system) on the same trials
// with common random numbers and reports each figure per variant with its
// interval, and its difference from the baseline with a paired interval and
// the variance reduction against independent runs (docs/compare.md).
// Output is built whole, then written (atomically with --output).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/export_json.hpp"
#include "analysis/report_html.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "cli/report_format.hpp"
#include "cli/run_support.hpp"
#include "cli/variants.hpp"

namespace relsim::cli {

namespace {

struct CompareOptions : VariantRunOptions, ResultsOptions {
  std::vector<std::string> files;
  std::vector<std::string> variants;
  std::vector<std::string> sweeps;
  std::string report;  // HTML report path
};

std::vector<Variant> variants_of(const CompareOptions& o) {
  std::vector<Variant> out;
  out.push_back({"baseline", o.files[0], {}});
  for (std::size_t i = 1; i < o.files.size(); ++i) {
    std::string name = std::filesystem::path(o.files[i]).stem().string();
    for (const Variant& v : out) {
      if (v.name == name) name += "#" + std::to_string(i + 1);
    }
    out.push_back({name, o.files[i], {}});
  }
  for (const std::string& text : o.variants) out.push_back(parse_variant(text, o.files[0]));
  if (o.sweeps.size() > 1) {
    throw std::invalid_argument("one --sweep at a time (a grid of sweeps is not supported)");
  }
  for (const std::string& text : o.sweeps) {
    for (Variant& v : parse_sweep(text, o.files[0])) out.push_back(std::move(v));
  }
  if (out.size() < 2) {
    throw std::invalid_argument(
        "nothing to compare: give --variant, --sweep or a second scenario file");
  }
  for (std::size_t i = 1; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out[i].name == out[j].name) {
        throw std::invalid_argument("two variants are named '" + out[i].name + "'");
      }
    }
  }
  return out;
}

struct Row {
  const VariantRun* run = nullptr;
  analysis::Interval mean;
  std::optional<analysis::PairedComparison> paired;  // none for the baseline
};

struct FigureBlock {
  std::string subject;
  std::string figure;
  int unit = 0;  // FigureUnit
  std::vector<Row> rows;
};

/// A figure whose per-trial value is 0 or 1 (P(SLO met)): its interval is
/// Wilson's, as in `relsim run`.
bool is_probability(const std::string& figure) { return figure == "pMet"; }

bool all_zero(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; });
}

/// Per figure of the baseline: each variant's mean over its trials with a
/// value, and its paired comparison over the trials where both have one.
/// Figures that are 0 in every trial of every variant are left out.
std::vector<FigureBlock> blocks_of(const std::vector<VariantRun>& runs, double confidence) {
  std::vector<FigureBlock> out;
  const VariantRun& base = runs[0];
  for (const FigureSeries& f : base.figures) {
    FigureBlock block{f.subject, f.figure, static_cast<int>(f.unit), {}};
    bool nothing = all_zero(f.values);
    for (const VariantRun& run : runs) {
      const FigureSeries* g = find_figure(run, f.subject, f.figure);
      if (!g || g->values.size() != f.values.size()) continue;
      nothing = nothing && all_zero(g->values);
      Row row;
      row.run = &run;
      analysis::MeanAccumulator own;
      std::vector<double> a, b;
      for (std::size_t i = 0; i < f.values.size(); ++i) {
        if (!std::isnan(g->values[i])) own.add(g->values[i]);
        if (!std::isnan(f.values[i]) && !std::isnan(g->values[i])) {
          a.push_back(f.values[i]);
          b.push_back(g->values[i]);
        }
      }
      row.mean = own.interval(confidence);
      if (is_probability(f.figure)) {
        // As `relsim run` gives it: Wilson's interval of the trials that met.
        std::uint64_t met = 0, n = 0;
        for (const double v : g->values) {
          if (std::isnan(v)) continue;
          ++n;
          met += v != 0.0 ? 1 : 0;
        }
        row.mean = analysis::wilson_interval(met, n, confidence);
      }
      if (&run != &base && a.size() >= 2) row.paired = analysis::compare_paired(a, b, confidence);
      block.rows.push_back(row);
    }
    if (!nothing) out.push_back(std::move(block));
  }
  return out;
}

std::string text(const CompareOptions& o, const std::vector<Variant>& variants,
                 const std::vector<VariantRun>& runs, const RunSettings& s,
                 const std::vector<FigureBlock>& blocks) {
  double wall = 0.0;
  for (const auto& r : runs) wall += r.wall_seconds;
  int w = 18;
  for (const Variant& v : variants) w = std::max(w, static_cast<int>(v.name.size()) + 1);
  std::string out = printf_text(
      "relsim compare: %s on %s; %zu variants on the same %llu trials (seed %llu, common random "
      "numbers); %.2f s wall\n",
      runs[0].scenario.c_str(), runs[0].system.c_str(), runs.size(),
      static_cast<unsigned long long>(s.trials), static_cast<unsigned long long>(s.seed), wall);
  for (const Variant& v : variants) {
    std::string how = v.file != o.files[0] ? v.file : "";
    for (const auto& ov : v.overrides) how += (how.empty() ? "--set " : " --set ") + ov;
    out += printf_text("  %-*s %s\n", w, v.name.c_str(), how.empty() ? "as written" : how.c_str());
  }
  out += printf_text(
      "  %d %% intervals: t over trials; Δ: paired t on per-trial differences from the baseline;\n"
      "  ×N: independent runs would need N times the trials for the same Δ precision\n",
      static_cast<int>(std::lround(o.confidence * 100)));
  for (const FigureBlock& b : blocks) {
    out += "\n" + b.subject + ": " + figure_label(b.figure) + "\n";
    for (const Row& r : b.rows) {
      out +=
          printf_text("  %-*s %s", w, r.run->name.c_str(),
                      is_probability(b.figure) ? analysis::probability_text(r.mean, 0, 14).c_str()
                                               : value_with_interval(r.mean, b.unit).c_str());
      if (r.paired) {
        out += "   Δ " + difference_with_interval(r.paired->difference, b.unit);
        const double vr = r.paired->variance_reduction;
        if (no_change(r.paired->difference)) {
          // Identical in every trial: there is no precision to compare.
        } else if (std::isfinite(vr)) {
          out += printf_text("  ×%.3g", vr);
        } else if (std::isinf(vr)) {
          out += "  ×inf";
        }
      }
      out += "\n";
    }
  }
  return out;
}

models::JsonNode json(const CompareOptions& o, const std::vector<Variant>& variants,
                      const std::vector<VariantRun>& runs, const RunSettings& s,
                      const std::vector<FigureBlock>& blocks) {
  using models::JsonNode;
  JsonNode doc;
  doc.set("scenario", runs[0].scenario);
  doc.set("system", runs[0].system);
  doc.set("trials", s.trials);
  doc.set("seed", s.seed);
  doc.set("confidence", o.confidence);
  JsonNode::Array variant_nodes;
  for (const Variant& v : variants) {
    JsonNode node;
    node.set("name", v.name);
    node.set("file", v.file);
    node.set("overrides", JsonNode::strings(v.overrides));
    variant_nodes.push_back(std::move(node.one_line()));
  }
  doc.set("variants", std::move(variant_nodes));
  static const char* const kUnits[] = {"fraction", "count", "minutes"};
  JsonNode::Array figures;
  for (const FigureBlock& b : blocks) {
    JsonNode figure;
    figure.set("subject", b.subject);
    figure.set("figure", b.figure);
    figure.set("unit", kUnits[b.unit]);
    JsonNode::Array rows;
    for (const Row& r : b.rows) {
      JsonNode row;
      row.set("name", r.run->name);
      row.set("mean", analysis::interval_node(r.mean));
      if (r.paired) {
        row.set("difference", analysis::interval_node(r.paired->difference));
        row.set("unpairedHalfWidth", r.paired->unpaired_half_width);
        row.set("varianceReduction", r.paired->variance_reduction);
      }
      rows.push_back(std::move(row.one_line()));
    }
    figure.set("variants", std::move(rows));
    figures.push_back(std::move(figure));
  }
  doc.set("figures", std::move(figures));
  return doc;
}

/// The HTML report: per figure, each variant's value and its difference from
/// the baseline as interval charts, with the same numbers in a table.
std::string report_html(const CompareOptions& o, const std::vector<Variant>& variants,
                        const std::vector<VariantRun>& runs, const RunSettings& s,
                        const std::vector<FigureBlock>& blocks, const std::string& chart_js) {
  analysis::Report r;
  r.title = "What if: " + runs[0].scenario;
  r.subtitle = std::to_string(runs.size()) + " variants of " + runs[0].scenario + " on " +
               runs[0].system + ", run on the same trials with common random numbers.";
  r.facts = {{"baseline", o.files[0]},
             {"trials per variant", std::to_string(s.trials)},
             {"seed", std::to_string(s.seed)},
             {"confidence", printf_text("%.3g %%", o.confidence * 100.0)}};
  for (const Variant& v : variants) {
    std::string how = v.file != o.files[0] ? v.file : "";
    for (const auto& ov : v.overrides) how += (how.empty() ? "--set " : " --set ") + ov;
    r.facts.emplace_back("variant " + v.name, how.empty() ? "as written" : how);
  }
  for (const FigureBlock& b : blocks) {
    analysis::ReportSection sec;
    sec.title = b.subject + ": " + figure_label(b.figure);
    std::vector<std::string> names, dnames;
    std::vector<double> est, lo, hi, dest, dlo, dhi;
    const double k = b.unit == 0 ? 100.0 : 1.0;
    const std::string unit = b.unit == 0 ? "%" : b.unit == 2 ? "minutes" : "count";
    const std::string dunit = b.unit == 0 ? "percentage points" : unit;
    analysis::ReportTable table;
    table.header = {"variant",         "value (" + unit + ")",
                    "interval",        "difference (" + dunit + ")",
                    "paired interval", "variance reduction"};
    for (const Row& row : b.rows) {
      names.push_back(row.run->name);
      est.push_back(row.mean.estimate * k);
      lo.push_back(row.mean.low * k);
      hi.push_back(row.mean.high * k);
      std::vector<std::string> cells{
          row.run->name, printf_text("%.6g", row.mean.estimate * k),
          printf_text("[%.6g, %.6g]", row.mean.low * k, row.mean.high * k)};
      if (row.paired) {
        const auto& d = row.paired->difference;
        dnames.push_back(row.run->name);
        dest.push_back(d.estimate * k);
        dlo.push_back(d.low * k);
        dhi.push_back(d.high * k);
        cells.push_back(printf_text("%+.6g", d.estimate * k));
        cells.push_back(printf_text("[%.6g, %.6g]", d.low * k, d.high * k));
        cells.push_back(printf_text("%.3g", row.paired->variance_reduction));
      } else {
        cells.insert(cells.end(), {"", "", ""});
      }
      table.rows.push_back(std::move(cells));
    }
    sec.charts.push_back({"Per variant", " Mean over trials (" + unit + ") with its interval.",
                          analysis::interval_chart(unit, names, est, lo, hi)});
    sec.charts.push_back({"Difference from the baseline",
                          " In " + dunit + ", with the paired interval.",
                          analysis::interval_chart(dunit, dnames, dest, dlo, dhi)});
    sec.tables.push_back(std::move(table));
    r.sections.push_back(std::move(sec));
  }
  return analysis::render_html(r, chart_js);
}

void run(const CompareOptions& o) {
  std::string chart_js;
  if (!o.report.empty()) {
    check_writable(o.report);
    chart_js = analysis::read_chart_js();
  }
  const std::vector<Variant> variants = variants_of(o);

  const RunSettings s = settings_for(o.files[0], o);
  const std::optional<analysis::ExportTarget> target = results_target(o);

  // Every variant loads (and names one system) before any trial runs.
  const std::string system = system_of(variants[0], s);
  for (const Variant& v : variants) {
    const std::string other = system_of(v, s);
    if (other != system) {
      throw std::invalid_argument("compare needs one system: " + variants[0].file + " runs '" +
                                  system + "', " + v.file + " runs '" + other + "'");
    }
  }
  std::vector<VariantRun> runs;
  for (const Variant& v : variants) runs.push_back(run_variant(v, s));
  if (target) write_variant_runs(*target, "compare", s, o.confidence, runs);
  const auto blocks = blocks_of(runs, o.confidence);
  const std::string out = o.format == "json" ? json(o, variants, runs, s, blocks).text()
                                             : text(o, variants, runs, s, blocks);
  if (!o.report.empty()) {
    write_file_atomically(o.report, report_html(o, variants, runs, s, blocks, chart_js));
  }
  emit(o, out);
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto opts = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "What if? Runs a scenario and its variants on the same trials with common random\n"
      "numbers and reports every figure per variant and its difference from the baseline\n"
      "with a paired confidence interval. See docs/compare.md.");
  cmd->add_option("scenarios", opts->files,
                  "Scenario file (the baseline), and more scenario files on the same system")
      ->required();
  cmd->add_option("--variant", opts->variants,
                  "NAME:--set path=value [--set path=value ...] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--sweep", opts->sweeps,
                  "path=FROM..TO, path=FROM..TO:STEP or path=V1,V2,...: one variant per value")
      ->allow_extra_args(false);
  add_variant_run_options(cmd, *opts);
  add_variant_results_options(cmd, *opts);
  cmd->add_option("--report", opts->report,
                  "Also write a self-contained HTML report with charts to this file")
      ->group(kOutputGroup);
  cmd->callback([opts] { run(*opts); });
}

}  // namespace relsim::cli
