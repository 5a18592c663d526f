// `relsim schema`: prints the JSON Schema of the scenario language, or writes
// it (and the reference pages) to files. Files are written atomically
// (cli/output_file.hpp), so an editor never reads half a schema.
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "models/json_schema.hpp"
#include "models/reference_docs.hpp"

namespace relsim::cli {

void add_schema_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "schema",
      "Print the JSON Schema (draft-07) of System, Scenario and GameDay documents.\n"
      "Editors use it through a `# yaml-language-server: $schema=...` comment.");
  auto print = std::make_shared<OutputOptions>();
  auto markdown = std::make_shared<std::string>();
  add_output_options(cmd, *print, {}, "Write the schema to this file instead of stdout");
  cmd->add_option("--markdown", *markdown,
                  "Also write the reference pages (README.md, system.md, ...) into this "
                  "directory, e.g. docs/reference");
  cmd->callback([print, markdown] {
    const std::string schema = models::json_schema();
    if (!print->output.empty() || markdown->empty()) emit(*print, schema);
    if (!markdown->empty()) {
      std::error_code ec;
      std::filesystem::create_directories(*markdown, ec);
      if (ec) {
        throw std::runtime_error("cannot create directory '" + *markdown + "': " + ec.message());
      }
      for (const models::ReferencePage& page : models::reference_pages()) {
        write_file_atomically((std::filesystem::path(*markdown) / page.file_name).string(),
                              page.text);
      }
    }
  });
}

}  // namespace relsim::cli
