// `relsim analyze FILE [--format text|json] [--output PATH] [--set path=value]...`:
// the exact long-run availability of a System (or of a Scenario's system
// with its flags) whose random processes are Markovian, from continuous-time
// Markov chains (analysis/markov.hpp; docs/analyze.md). A model with a
// non-Markovian element is refused with one located line per element (exit
// 1). `--output` writes atomically (PATH.tmp, then rename).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/format.hpp"
#include "analysis/markov.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"
#include "models/loader.hpp"

namespace relsim::cli {

namespace {

using models::ComponentKind;
using models::JsonNode;

struct AnalyzeOptions : OutputOptions {
  std::string file;
  std::vector<std::string> overrides;
  double min_probability = 1e-15;
  std::size_t max_states = 2'000'000;
  bool no_deploys = false;
};

/// The System to analyse and the scenario flags that apply: the file's first
/// Scenario (with its system and spec.overrides), else its first System with
/// a default scenario.
struct Loaded {
  models::System system;
  models::Scenario scenario;
};

Loaded load(const AnalyzeOptions& o) {
  const models::Documents docs = models::load_files({o.file}, o.overrides, data_files());
  if (!docs.scenarios.empty()) {
    auto r = models::load_scenario(o.file, o.overrides, data_files());
    return {std::move(r.system), std::move(r.scenario)};
  }
  if (docs.systems.empty()) {
    throw models::InputError(models::SourceLocation{o.file, 0, 0},
                             "no System or Scenario to analyze (relsim analyze takes a System "
                             "file, or a Scenario and its system)");
  }
  Loaded l{docs.systems.front(), {}};
  l.scenario.system.name = l.system.name;
  l.scenario.location = l.system.location;
  return l;
}

/// Where a refused element is defined, for a compiler-style message.
models::SourceLocation where(const Loaded& l, const models::CompiledModel& m,
                             const analysis::Refusal& r) {
  using Subject = analysis::Refusal::Subject;
  const models::SourceLocation fallback{l.system.location.file, 0, 0};
  if (r.subject == Subject::zone) {
    const auto* z = l.system.find_zone(m.names.zones[r.index]);
    return z ? z->location : fallback;
  }
  if (r.subject == Subject::fault) {
    for (const auto& f : l.scenario.inject) {
      if (f.name == m.names.faults[r.index]) return f.location;
    }
    return l.scenario.location;
  }
  const std::string& name = m.names.components[r.index];
  switch (m.components[r.index].kind) {
    case ComponentKind::service:
      if (const auto* s = l.system.find_service(name)) return s->location;
      break;
    case ComponentKind::datastore:
      if (const auto* d = l.system.find_datastore(name)) return d->location;
      break;
    case ComponentKind::cache:
      if (const auto* c = l.system.find_cache(name)) return c->location;
      break;
  }
  return fallback;
}

[[noreturn]] void refuse(const Loaded& l, const models::CompiledModel& m,
                         const analysis::NotMarkovian& e) {
  std::vector<models::Diagnostic> out;
  for (const auto& r : e.refusals()) out.push_back({where(l, m, r), r.message});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.location.file, a.location.line, a.location.column) <
           std::tie(b.location.file, b.location.line, b.location.column);
  });
  if (out.size() > models::kMaxErrors) out.resize(models::kMaxErrors);
  throw models::InputError(std::move(out));
}

// ---------------------------------------------------------------- formatting

using analysis::printf_text;

std::string percent(double fraction) { return analysis::shortfall_percent_text(fraction); }

/// A plain number, 6 significant digits.
std::string number(double v) { return printf_text("%.6g", v); }

/// Downtime per 30 days at `availability`: `0s`, `42.3s`, `12.5min`, `3.2h`.
std::string downtime(double availability) {
  return analysis::compact_duration_text(std::max(0.0, 1.0 - availability) * 30.0 * 86400.0);
}

/// Columns padded to their widest cell, two spaces apart.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

/// Components in declaration order: services, datastores, caches.
std::vector<models::Index> report_order(const Loaded& l, const models::CompiledModel& m) {
  std::vector<models::Index> out;
  for (const auto& s : l.system.services) out.push_back(m.find_component(s.name));
  for (const auto& d : l.system.datastores) out.push_back(m.find_component(d.name));
  for (const auto& c : l.system.caches) out.push_back(m.find_component(c.name));
  return out;
}

std::string method_line(const analysis::MarkovResult& r) {
  std::size_t largest = 0;
  for (const auto& sc : r.subchains) largest = std::max(largest, sc.states);
  const std::string skipped = printf_text("%.2g", r.skipped_mass);
  return std::to_string(r.subchains.size()) + " independent sub-chains (largest " +
         std::to_string(largest) + " states); " + std::to_string(r.combinations) +
         " combinations of their states × " + std::to_string(r.demand_points) + " demand point" +
         (r.demand_points == 1 ? "" : "s") + "; probability skipped " + skipped;
}

std::string text_report(const Loaded& l, const models::CompiledModel& m,
                        const analysis::MarkovResult& r) {
  std::string out = l.system.name;
  if (!m.names.scenario.empty()) out += " (scenario " + m.names.scenario + ")";
  out += ": long-run availability, exact (continuous-time Markov chains)\n\n";

  std::vector<std::vector<std::string>> rows{
      {"component", "kind", "load/s", "availability", "downtime/30d", "serving"}};
  for (const models::Index c : report_order(l, m)) {
    const auto& x = r.components[c];
    const auto kind = m.components[c].kind;
    rows.push_back({m.names.components[c], models::to_string(kind), number(x.load),
                    percent(x.availability), downtime(x.availability),
                    kind == ComponentKind::service ? "" : percent(x.serving)});
  }
  out += table(rows);

  if (!m.slos.empty()) {
    rows = {{"SLO", "service", "SLI", "objective", "long run", "budget used", "met"}};
    for (std::size_t k = 0; k < m.slos.size(); ++k) {
      const auto& slo = m.slos[k];
      const auto& x = r.slos[k];
      const std::string budget = printf_text("%.3g%%", x.budget_consumed * 100.0);
      rows.push_back({m.names.slos[k], m.names.components[slo.component],
                      models::to_string(slo.sli), number(slo.objective * 100.0) + "%",
                      percent(x.attainment), budget, x.met ? "yes" : "no"});
    }
    out += "\n" + table(rows);
  }

  rows = {{"sub-chain", "states", "long run", "outcomes", "method"}};
  for (const auto& sc : r.subchains) {
    rows.push_back({sc.label, std::to_string(sc.states), std::to_string(sc.recurrent),
                    std::to_string(sc.outcomes), analysis::to_string(sc.method)});
  }
  out += "\n" + table(rows) + "\nmethod: " + method_line(r) + "\n";
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  return out;
}

std::string json_report(const Loaded& l, const models::CompiledModel& m,
                        const analysis::MarkovResult& r) {
  JsonNode root;
  root.set("system", l.system.name);
  if (!m.names.scenario.empty()) root.set("scenario", m.names.scenario);
  JsonNode::Array components;
  for (const models::Index c : report_order(l, m)) {
    const auto& x = r.components[c];
    JsonNode node;
    node.set("name", m.names.components[c]);
    node.set("kind", models::to_string(m.components[c].kind));
    node.set("load", x.load);
    node.set("availability", x.availability);
    node.set("downtimeSecondsPer30d", std::max(0.0, 1.0 - x.availability) * 30.0 * 86400.0);
    if (m.components[c].kind != ComponentKind::service) node.set("serving", x.serving);
    components.push_back(std::move(node.one_line()));
  }
  root.set("components", std::move(components));
  JsonNode::Array slos;
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    JsonNode node;
    node.set("name", m.names.slos[k]);
    node.set("service", m.names.components[m.slos[k].component]);
    node.set("sli", models::to_string(m.slos[k].sli));
    node.set("objective", m.slos[k].objective);
    node.set("attainment", r.slos[k].attainment);
    node.set("met", r.slos[k].met);
    node.set("budgetConsumed", r.slos[k].budget_consumed);
    slos.push_back(std::move(node.one_line()));
  }
  root.set("slos", std::move(slos));
  JsonNode::Array chains;
  for (const auto& sc : r.subchains) {
    JsonNode node;
    node.set("label", sc.label);
    node.set("states", sc.states);
    node.set("recurrent", sc.recurrent);
    node.set("nominalTransient", sc.nominal_transient);
    node.set("outcomes", sc.outcomes);
    node.set("method", analysis::to_string(sc.method));
    chains.push_back(std::move(node.one_line()));
  }
  root.set("subchains", std::move(chains));
  root.set("combinations", r.combinations);
  root.set("skippedMass", r.skipped_mass);
  root.set("demandPoints", r.demand_points);
  root.set("notes", JsonNode::strings(r.notes));
  return root.text();
}

void run(const AnalyzeOptions& o) {
  check_output(o);
  const Loaded l = load(o);
  const models::CompiledModel m = models::compile(l.system, l.scenario);
  analysis::MarkovOptions options;
  options.min_probability = o.min_probability;
  options.max_chain_states = o.max_states;
  options.deploys = !o.no_deploys;
  analysis::MarkovResult r;
  try {
    r = analysis::analyze_markov(m, options);
  } catch (const analysis::NotMarkovian& e) {
    refuse(l, m, e);
  }
  const std::string text = o.format == "json" ? json_report(l, m, r) : text_report(l, m, r);
  emit(o, text);
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto opts = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Exact long-run availability of a system whose failures and recoveries are all\n"
      "exponential (no fixed delays), from continuous-time Markov chains: per component\n"
      "availability and downtime, per SLO the long-run attainment. Anything that is not\n"
      "Markovian is refused with its location. See docs/analyze.md.");
  cmd->add_option("file", opts->file, "A System file (or a Scenario and its system)")->required();
  add_set_option(cmd, opts->overrides);
  add_output_options(cmd, *opts, {"text", "json"});
  cmd->add_option("--min-probability", opts->min_probability,
                  "Skip combinations of sub-chain states less likely than this (default 1e-15)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-states", opts->max_states,
                  "Largest state space of one sub-chain (default 2000000)");
  cmd->add_flag("--no-deploys", opts->no_deploys,
                "Leave deploys out, as a scenario's randomDeploys: false does");
  cmd->callback([opts] { run(*opts); });
}

}  // namespace relsim::cli
