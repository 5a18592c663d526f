// `relsim init [--template web-service|payments|platform] [--services N] NAME`: writes a
// commented starting System and Scenario into the directory NAME
// (NAME/system.yaml, NAME/scenario.yaml; the scenario names the system by
// its relative path), with the documents' names set to NAME. Never
// overwrites: when either file exists nothing is written. Each file goes
// through PATH.tmp and a rename; if the second cannot be written the first
// is removed again (and the directory, when init created it), so a failed
// init leaves nothing behind. With --services N (template platform only)
// the platform is generated with N services (models/platform_generator.hpp,
// docs/scaling.md) instead of the embedded template. docs/cli.md ("init").
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "cli/commands.hpp"
#include "cli/init_templates.hpp"
#include "cli/output_file.hpp"
#include "models/platform_generator.hpp"

namespace relsim::cli {

namespace fs = std::filesystem;

namespace {

struct InitOptions {
  std::string template_name = "web-service";
  std::string name;
  int services = 0;  // --services: 0 = the template as written
};

/// A system name: letters, digits, '-', '_' and '.', starting with a letter or digit.
bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 63) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(n.front())) return false;
  for (const char c : n) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

/// The template text with its first `metadata.name` value's leading
/// `template_name` replaced by `name` (`web-service-zone-outage` becomes
/// `shop-zone-outage`). The templates are written so that this line exists.
std::string renamed(std::string_view text, std::string_view template_name,
                    const std::string& name) {
  std::string out(text);
  const std::string key = "metadata:\n  name: ";
  const auto at = out.find(key);
  if (at == std::string::npos ||
      out.compare(at + key.size(), template_name.size(), template_name) != 0) {
    throw std::logic_error("init template '" + std::string(template_name) +
                           "' has no metadata.name starting with its own name");
  }
  out.replace(at + key.size(), template_name.size(), name);
  return out;
}

const InitTemplate& find_template(const std::string& name) {
  for (const auto& t : init_templates()) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("unknown template '" + name + "'");  // CLI11's check runs first
}

void run_init(const InitOptions& o) {
  const InitTemplate& t = find_template(o.template_name);
  if (o.services > 0 && o.template_name != "platform") {
    throw std::runtime_error("--services generates a platform: use it with --template platform");
  }
  const fs::path dir(o.name);
  const std::string name = dir.filename().string();
  if (!valid_name(name)) {
    throw std::runtime_error("invalid name '" + name +
                             "': use letters, digits, '-', '_' and '.', starting with a "
                             "letter or digit (at most 63 characters)");
  }
  const fs::path system_path = dir / "system.yaml";
  const fs::path scenario_path = dir / "scenario.yaml";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw std::runtime_error("'" + dir.string() + "' exists and is not a directory");
  }
  for (const fs::path& p : {system_path, scenario_path}) {
    if (fs::exists(p, ec) || fs::exists(fs::path(p.string() + ".tmp"), ec)) {
      throw std::runtime_error("'" + p.string() +
                               "' already exists; relsim init never overwrites a file "
                               "(choose another NAME or move it away)");
    }
  }
  const bool created = !fs::exists(dir, ec);
  if (created && !fs::create_directories(dir, ec) && ec) {
    throw std::runtime_error("cannot create directory '" + dir.string() + "': " + ec.message());
  }
  std::string system;
  std::string scenario;
  if (o.services > 0) {
    models::PlatformText generated = models::generate_platform(o.services, name);
    system = std::move(generated.system);
    scenario = std::move(generated.scenario);
  } else {
    system = renamed(t.system, t.name, name);
    scenario = renamed(t.scenario, t.name, name);
  }
  try {
    write_file_atomically(system_path.string(), system);
    try {
      write_file_atomically(scenario_path.string(), scenario);
    } catch (...) {
      fs::remove(system_path, ec);
      throw;
    }
  } catch (...) {
    if (created) fs::remove(dir, ec);  // only removes it when empty
    throw;
  }
  const std::string d = dir.string();
  std::cout << "created " << system_path.string() << "    (System '" << name << "', template "
            << t.name;
  if (o.services > 0) std::cout << ", " << o.services << " generated services";
  std::cout << ")\n"
            << "created " << scenario_path.string() << "  (Scenario on system.yaml)\n\n"
            << "next:\n"
            << "  relsim explain " << system_path.string()
            << "      # what relsim understood, in plain words\n"
            << "  relsim validate " << scenario_path.string() << '\n'
            << "  relsim run " << scenario_path.string() << " --trials 200\n"
            << "then replace the placeholder numbers with your own (docs/guide.md).\n";
}

}  // namespace

void add_init_command(CLI::App& app) {
  auto opts = std::make_shared<InitOptions>();
  std::string templates;
  std::vector<std::string> names;
  for (const auto& t : init_templates()) {
    templates += "\n  " + std::string(t.name) + ": " + std::string(t.description);
    names.emplace_back(t.name);
  }
  CLI::App* cmd = app.add_subcommand(
      "init",
      "Write a commented starting System and Scenario into the directory NAME\n"
      "(NAME/system.yaml, NAME/scenario.yaml) from a template; never overwrites a file.\n"
      "Templates:" +
          templates);
  cmd->add_option("name", opts->name, "Directory to create (its last part names the system)")
      ->required();
  cmd->add_option("-t,--template", opts->template_name, "Which starting system")
      ->check(CLI::IsMember(names))
      ->capture_default_str();
  cmd->add_option("--services", opts->services,
                  "With --template platform: generate a layered platform of N services\n"
                  "(3 zones, 3 replicas each, datastores, SLOs, alerts and teams;\n"
                  "docs/scaling.md) instead of the three-service template")
      ->check(CLI::Range(1, models::kMaxPlatformServices));
  cmd->callback([opts] { run_init(*opts); });
}

}  // namespace relsim::cli
