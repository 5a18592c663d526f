// `relsim validate FILE... [--set path=value]...`: loads every document of
// every file, builds each system's graph (dependency cycles), runs the
// whole-system checks, and compiles every Scenario and GameDay on its system.
// Prints one `ok:` line per valid document (in file order); every problem of
// every document is collected and thrown as one InputError (exit 1).
// Warnings (models::system_warnings of each system, once) go to stderr as
// `file:line:col: warning: ...` and leave the exit code 0; `--strict` makes
// them errors.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "analysis/text_format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace relsim::cli {

namespace {

struct ValidateOptions {
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
    const models::Documents docs = models::load_files(o_.files, o_.overrides, data_files());
    for (const auto& s : docs.systems) guard([&] { system(s); });
    for (const auto& s : docs.scenarios) guard([&] { scenario(s); });
    for (const auto& g : docs.game_days) guard([&] { game_day(g); });
    // Rule sets name their SLOs and services: they resolve against a
    // scenario's system in `relsim alerts --rules`; here, their shape.
    for (const auto& a : docs.alert_rules) {
      ok(a.location, a.name + " (AlertRules: " + count(a.alerts.size(), "alert") + ")");
    }
    std::stable_sort(lines_.begin(), lines_.end(), [](const Line& a, const Line& b) {
      return a.file != b.file ? a.file < b.file : a.line < b.line;
    });
    for (const auto& l : lines_) std::cout << "ok: " << l.text << '\n';
    std::cout.flush();
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

  void ok(const models::SourceLocation& where, std::string text) {
    const auto it = std::find(o_.files.begin(), o_.files.end(), where.file);
    lines_.push_back(
        {static_cast<std::size_t>(it - o_.files.begin()), where.line, std::move(text)});
  }

  /// True for the first document of `kind` in `file`: the one load_scenario /
  /// load_game_day resolve, with the document's own `spec.overrides`.
  bool first_of_file(const std::string& file, const std::string& kind) {
    const std::string key = kind + "\n" + file;
    if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) return false;
    seen_.push_back(key);
    return true;
  }

  /// The system a later Scenario/GameDay of a file names (without the
  /// document's spec.overrides, which only the loader's entry points apply).
  models::System system_named(const models::NameRef& ref, bool is_path,
                              const models::SourceLocation& owner) {
    if (is_path) {
      const auto dir = std::filesystem::path(owner.file).parent_path();
      return models::load_files({(dir / ref.name).lexically_normal().string()}, o_.overrides,
                                data_files())
          .systems.at(0);
    }
    const auto docs = models::load_files({owner.file}, o_.overrides, data_files());
    for (const auto& s : docs.systems) {
      if (s.name == ref.name) return s;
    }
    throw models::InputError(ref.location, "unknown system '" + ref.name + "'");
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

  void scenario(const models::Scenario& sc) {
    const std::string& file = sc.location.file;
    models::CompiledModel m;
    std::string system_name;
    bool failed = false;
    if (first_of_file(file, "Scenario")) {
      const auto r = models::load_scenario(file, o_.overrides, data_files());
      m = models::compile(r.system, r.scenario);
      system_name = r.system.name;
      failed = warn(r.system, models::Topology::build(r.system));
    } else {
      const auto sys = system_named(sc.system, sc.system_is_path, sc.location);
      m = models::compile(sys, sc);
      system_name = sys.name;
      failed = warn(sys, models::Topology::build(sys));
    }
    if (failed) return;
    ok(sc.location, sc.name + " (Scenario on " + system_name + ": " +
                        count(m.faults.size(), "fault") + ", " + analysis::horizon_text(m.horizon) +
                        " horizon)");
  }

  void game_day(const models::GameDay& g) {
    const std::string& file = g.location.file;
    models::CompiledModel m;
    std::string system_name;
    bool failed = false;
    if (first_of_file(file, "GameDay")) {
      const auto r = models::load_game_day(file, o_.overrides, data_files());
      m = models::compile(r.system, r.game_day);
      system_name = r.system.name;
      failed = warn(r.system, models::Topology::build(r.system));
    } else {
      const auto sys = system_named(g.system, g.system_is_path, g.location);
      m = models::compile(sys, g);
      system_name = sys.name;
      failed = warn(sys, models::Topology::build(sys));
    }
    if (failed) return;
    ok(g.location, g.name + " (GameDay on " + system_name + ": " +
                       models::to_string(g.experiment.kind) + ", " +
                       count(m.candidate_starts.size(), "candidate start") + ", " +
                       count(g.hypotheses.size(), "hypothesis", "hypotheses") + ")");
  }

  const ValidateOptions& o_;
  std::vector<Line> lines_;
  std::vector<models::Diagnostic> problems_;
  std::vector<models::Diagnostic> warnings_;
  std::vector<std::string> warned_;  // warnings_ as text, to print each once
  std::vector<std::string> seen_;
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
  cmd->add_option("files", opts->files,
                  "Files to check (YAML): System, Scenario, GameDay and AlertRules documents, "
                  "in any mix")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--set", opts->overrides,
                  "Override a value, e.g. services.payment-api.replicas=8 or "
                  "scenario.horizon=7d (repeatable)")
      ->allow_extra_args(false);  // one value per --set, so files may follow it
  cmd->add_flag("--strict", opts->strict, "Treat warnings as errors (exit 1), e.g. in CI");
  cmd->callback([opts] { Validator(*opts).run(); });
}

}  // namespace relsim::cli
