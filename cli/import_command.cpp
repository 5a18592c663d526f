// `relsim import FILE_OR_DIR... [-o system.yaml] [--input-format FORMAT] [--map a=b]
// [--slo-period 30d]`: other tools' files -> relsim's YAML (docs/import.md).
// The library does the work (analysis/import/import.hpp); this file maps the
// flags, prints the notes (file:line:col) and the summary, checks that the
// output validates and writes it atomically, never over one of its inputs.
// Exit 1 only when nothing usable was read (nothing is written then).
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/import/import.hpp"
#include "cli/commands.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/model_checks.hpp"
#include "models/topology.hpp"

namespace relsim::cli {

namespace {

namespace imp = analysis::import;
namespace fs = std::filesystem;

struct ImportCommandOptions : OutputOptions {
  std::vector<std::string> inputs;
  std::string from;  // --input-format
  std::vector<std::string> maps;
  std::string slo_period;
};

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void run_import(const ImportCommandOptions& o) {
  imp::ImportOptions opt;
  opt.from = o.from;
  for (const std::string& m : o.maps) {
    const std::size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
      throw std::invalid_argument(
          "--map: expected OLD=NEW (a name as the files write it, the "
          "name to use), got '" +
          m + "'");
    }
    opt.renames.emplace_back(m.substr(0, eq), m.substr(eq + 1));
  }
  if (!o.slo_period.empty()) {
    const auto p = imp::parse_duration_text(o.slo_period);
    if (!p || *p <= 0) {
      throw std::invalid_argument("--slo-period: expected a duration like 30d or 28d, got '" +
                                  o.slo_period + "'");
    }
    opt.slo_period_s = *p;
    opt.slo_period_given = true;
  }
  if (!o.output.empty()) {
    for (const std::string& in : o.inputs) {
      if (same_file(in, o.output)) {
        throw std::invalid_argument("-o " + o.output +
                                    ": that is one of the inputs; choose "
                                    "another path (nothing was written)");
      }
    }
  }
  imp::ImportModel model = imp::read_inputs(o.inputs, opt);
  if (!o.output.empty()) {
    for (const std::string& in : model.files_read) {
      if (same_file(in, o.output)) {
        throw std::invalid_argument("-o " + o.output + ": that is one of the files read (" + in +
                                    "); choose another path (nothing was written)");
      }
    }
  }
  imp::join_import(model, opt);
  for (const imp::ImportNote& n : model.notes) std::cerr << imp::note_text(n) << "\n";
  if (model.documents_used == 0) {
    throw std::runtime_error("import: nothing usable was read from " +
                             plural(model.files_read.size(), "file", "files") +
                             " (see the messages above); nothing was written");
  }
  if (model.services.empty() && model.stores.empty()) {
    // Teams, alert windows or policies alone: a System needs something to
    // run (relsim validate refuses one whose zones hold nothing).
    throw std::runtime_error(
        "import: the files read name no service, datastore or cache (a Deployment, a catalog "
        "Component or Resource, an SLO's service), so there is no system to simulate; import "
        "them together with the files that do; nothing was written");
  }
  const imp::EmitResult r = imp::emit_import(model, opt);
  // The output must load as relsim reads it; a failure here is a bug of the
  // importer, reported instead of writing a file `relsim run` would refuse.
  // The checks of `relsim validate` too (an empty zone, a burn window that
  // can never fire, two owners of a service, a game-day fault between
  // components that never talk): what the importer writes must pass them.
  try {
    const models::Documents docs =
        models::load_string(r.yaml, o.output.empty() ? "<import>" : o.output);
    for (const models::System& s : docs.systems) {
      models::check_system(s, models::Topology::build(s));
    }
    for (std::size_t i = 0; i < docs.scenarios.size(); ++i)
      (void)models::compile(docs.scenario_systems[i], docs.scenarios[i]);
    for (std::size_t i = 0; i < docs.game_days.size(); ++i)
      (void)models::compile(docs.game_day_systems[i], docs.game_days[i]);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("import: the YAML written does not load (please report "
                                         "this with your input files); nothing was written:\n") +
                             e.what());
  }
  emit(o, r.yaml);
  if (o.quiet) return;
  std::cerr << "relsim import: read " << plural(model.files_read.size(), "file", "files") << " ("
            << plural(static_cast<std::size_t>(model.documents_used), "document", "documents")
            << " used): " << plural(model.services.size(), "service", "services") << ", "
            << plural(model.stores.size(), "datastore or cache", "datastores and caches") << ", "
            << plural(model.slos.size(), "SLO", "SLOs") << ", "
            << plural(model.alerts.size(), "alert", "alerts") << ", "
            << plural(model.teams.size(), "team", "teams") << ", "
            << plural(model.experiments.size(), "experiment", "experiments") << "; "
            << plural(static_cast<std::size_t>(r.imported_values), "value", "values")
            << " imported\n";
  std::cerr << plural(r.assumed.size(), "value", "values") << " assumed"
            << (r.assumed.empty() ? "" : " (marked `# assumed:`; replace them with your own):")
            << "\n";
  for (const imp::AssumedValue& a : r.assumed) {
    std::cerr << "  " << a.path << " = " << a.value << "  (" << a.why << ")\n";
  }
  if (!o.output.empty()) {
    std::cerr << "wrote " << o.output << "; next: relsim explain " << o.output << " && relsim run "
              << o.output << "\n";
  }
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto opts = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Start from what the team already has: read SLO specs (Sloth, Pyrra, OpenSLO), Prometheus\n"
      "alert rules and the other formats of docs/import.md, join them, and write relsim's\n"
      "YAML (a System, a Scenario, AlertRules, GameDays). Every value says where it came from;\n"
      "every value no file gave is marked `# assumed:` and listed at the end.");
  cmd->add_option("inputs", opts->inputs,
                  "Files or directories (read recursively: .yaml, .yml, .json, in sorted order)")
      ->required();
  add_output_options(cmd, *opts, {},
                     "Write the YAML here (atomically; never over an input); default: stdout");
  cmd->add_option("--input-format", opts->from,
                  "Read every document as this format instead of detecting it: sloth, "
                  "sloth-windows, pyrra, openslo, prometheus-rules, kubernetes, pagerduty, "
                  "opsgenie, backstage, chaos-mesh, litmus")
      ->group(kInputGroup);
  add_deprecated_alias(cmd, "--from", "--input-format", opts->from);
  cmd->add_option("--map", opts->maps,
                  "Rename OLD=NEW: a service (team, store) as one file names it, the name to use "
                  "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--slo-period", opts->slo_period,
                  "The SLO period of Sloth specs (they carry none); default 30d, or a Sloth "
                  "AlertWindows file's sloPeriod");
  cmd->callback([opts] { run_import(*opts); });
}

}  // namespace relsim::cli
