// `relsim validate FILE... [--set path=value]...`: loads every document of
// every file, builds each system's graph (dependency cycles), runs the
// whole-system checks, and compiles every Scenario and GameDay on its system.
// Prints one `ok:` line per valid document (in file order); every problem of
// every document is collected and thrown as one InputError (exit 1).
// Warnings (models::system_warnings of each system, once) go to stderr as
// `file:line:col: warning: ...` and leave the exit code 0; `--strict` makes
// them errors.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/text_format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/option_groups.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace relsim::cli {

namespace {

struct ValidateOptions : OutputOptions {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  bool strict = false;  // warnings are errors
};

/// `1 fault`, `2 faults`.
std::string count(std::size_t n, const std::string& singular, const std::string& plural = "") {
  return std::to_string(n) + " " + (n == 1 ? singular : plural.empty() ? singular + "s" : plural);
}

/// One document's result, sorted into file order before printing.
struct Line {
  std::size_t file = 0;
  int line = 0;
  std::string text;
};

class Validator {
 public:
  explicit Validator(const ValidateOptions& o) : o_(o) {}

  void run() {
    check_output(o_);
    const models::Documents docs = models::load_files(o_.files, o_.overrides, data_files());
    for (const auto& s : docs.systems) guard([&] { system(s); });
    // Each file is read once: the loader gives every Scenario and GameDay the
    // system it runs on.
    for (std::size_t i = 0; i < docs.scenarios.size(); ++i) {
      guard([&] { scenario(docs.scenarios[i], docs.scenario_systems[i]); });
    }
    for (std::size_t i = 0; i < docs.game_days.size(); ++i) {
      guard([&] { game_day(docs.game_days[i], docs.game_day_systems[i]); });
    }
    // Rule sets name their SLOs and services: they resolve against a
    // scenario's system in `relsim alerts --rules`; here, their shape.
    for (const auto& a : docs.alert_rules) {
      ok(a.location, a.name + " (AlertRules: " + count(a.alerts.size(), "alert") + ")");
    }
    std::stable_sort(lines_.begin(), lines_.end(), [](const Line& a, const Line& b) {
      return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    // With -o FILE, the file is written only when every document is valid.
    if (problems_.empty() || o_.output.empty()) {
      emit(o_, o_.format == "json" ? json() : text());
    }
    if (o_.strict) {
      problems_.insert(problems_.end(), warnings_.begin(), warnings_.end());
    } else {
      for (const auto& w : warnings_) std::cerr << models::warning_text(w) << '\n';
      std::cerr.flush();
    }
    if (!problems_.empty()) {
      if (problems_.size() > models::kMaxErrors) problems_.resize(models::kMaxErrors);
      throw models::InputError(std::move(problems_));
    }
  }

 private:
  template <typename F>
  void guard(F&& check) {
    try {
      check();
    } catch (const models::InputError& e) {
      problems_.insert(problems_.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }

  std::string text() const {
    std::string out;
    for (const auto& l : lines_) out += "ok: " + l.text + '\n';
    return out;
  }

  /// `{"valid": [{"file", "line", "summary"}...], "warnings": [...]}`: the
  /// `ok:` lines and the warnings (with --strict they are errors instead).
  std::string json() const {
    models::JsonNode::Array valid;
    for (const auto& l : lines_) {
      models::JsonNode node;
      node.set("file", o_.files[l.file]);
      node.set("line", l.line);
      node.set("summary", l.text);
      valid.push_back(std::move(node));
    }
    std::vector<std::string> warnings;
    if (!o_.strict) {
      for (const auto& w : warnings_) warnings.push_back(models::warning_text(w));
    }
    models::JsonNode root;
    root.set("valid", std::move(valid));
    root.set("warnings", models::JsonNode::strings(warnings));
    std::string out;
    root.write(out);
    return out + "\n";
  }

  void ok(const models::SourceLocation& where, std::string text) {
    const auto it = std::find(o_.files.begin(), o_.files.end(), where.file);
    lines_.push_back(
        {static_cast<std::size_t>(it - o_.files.begin()), where.line, std::move(text)});
  }

  /// Collects the warnings of `s`, each once however many documents use the
  /// system. True when a document on `s` is not `ok:` (--strict and warnings).
  bool warn(const models::System& s, const models::Topology& topology) {
    auto found = models::system_warnings(s, topology);
    const bool failed = o_.strict && !found.empty();
    for (auto& w : found) {
      const std::string key = w.str();
      if (std::find(warned_.begin(), warned_.end(), key) != warned_.end()) continue;
      warned_.push_back(key);
      warnings_.push_back(std::move(w));
    }
    return failed;
  }

  void system(const models::System& s) {
    const auto topology = models::Topology::build(s);
    models::check_system(s, topology);
    if (warn(s, topology)) return;
    ok(s.location, s.name + " (System: " + count(s.services.size(), "service") + ", " +
                       count(s.zones.size(), "zone") + ", " + count(s.slos.size(), "SLO") + ", " +
                       count(s.teams.size(), "team") + ")");
  }

  /// `sys`: the system the loader resolved for it (its spec.overrides applied).
  void scenario(const models::Scenario& sc, const models::System& sys) {
    const models::CompiledModel m = models::compile(sys, sc);
    if (warn(sys, models::Topology::build(sys))) return;
    ok(sc.location, sc.name + " (Scenario on " + sys.name + ": " + count(m.faults.size(), "fault") +
                        ", " + analysis::horizon_text(m.horizon) + " horizon)");
  }

  void game_day(const models::GameDay& g, const models::System& sys) {
    const models::CompiledModel m = models::compile(sys, g);
    if (warn(sys, models::Topology::build(sys))) return;
    ok(g.location, g.name + " (GameDay on " + sys.name + ": " +
                       models::to_string(g.experiment.kind) + ", " +
                       count(m.candidate_starts.size(), "candidate start") + ", " +
                       count(g.hypotheses.size(), "hypothesis", "hypotheses") + ")");
  }

  const ValidateOptions& o_;
  std::vector<Line> lines_;
  std::vector<models::Diagnostic> problems_;
  std::vector<models::Diagnostic> warnings_;
  std::vector<std::string> warned_;  // warnings_ as text, to print each once
};

}  // namespace

void add_validate_command(CLI::App& app) {
  auto opts = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check System, Scenario, GameDay and AlertRules files: syntax, keys, values, references, "
      "dependency\n"
      "cycles and the checks that need the whole system; compile every Scenario and GameDay.\n"
      "Prints one `ok:` line per valid document; errors as `file:line:col: error: ...`;\n"
      "warnings (a model that runs but is probably not what was meant) as\n"
      "`file:line:col: warning: ...`, exit 0 unless --strict.");
  cmd->add_option("files", opts->files, "System, Scenario, GameDay or AlertRules files (YAML)")
      ->required()
      ->expected(1, -1);
  add_set_option(cmd, opts->overrides);
  cmd->add_flag("--strict", opts->strict, "Treat warnings as errors (exit 1), e.g. in CI");
  add_output_options(cmd, *opts, {"text", "json"});
  cmd->callback([opts] { Validator(*opts).run(); });
}

}  // namespace relsim::cli
