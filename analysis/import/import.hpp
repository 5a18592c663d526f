// relsim import: other tools' files (SLO specs, alert rules, Kubernetes
// manifests, on-call exports, the service catalog, chaos experiments) ->
// relsim's own YAML. Three steps a test can call one by one:
//   read_inputs   files and directories -> ImportModel (one reader per format,
//                 every problem an ImportNote with file:line:col);
//   join_import   entities naming the same service merged, --map renames,
//                 disagreements noted with the value taken, Sloth windows resolved;
//   emit_import   the System (+ Scenario, AlertRules, one GameDay per experiment)
//                 as YAML, every value commented with its source or `# assumed:`.
// No yaml-cpp types here. Reentrant; no shared state. docs/import.md.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/import/import_model.hpp"

namespace relsim::analysis::import {

struct ImportOptions {
  std::string from;  // --input-format FORMAT: every document is read as this format ("": detect)
  std::vector<std::pair<std::string, std::string>> renames;  // --map a=b
  double slo_period_s = 30.0 * 86400.0;                      // --slo-period
  bool slo_period_given = false;
  std::string system_name = "imported";
};

/// The format names `--input-format` accepts, in the order detection tries them.
std::vector<std::string> import_format_names();

/// The formats that have a reader in this build (a subset of the above).
std::vector<std::string> import_reader_names();

/// Reads every file (a directory: its .yaml/.yml/.json files, recursively, in
/// sorted order). Never throws for bad content: notes. Throws
/// std::invalid_argument for an unknown `options.from`.
ImportModel read_inputs(const std::vector<std::string>& paths, const ImportOptions& options);

/// Reads YAML/JSON text as if it were the file `file_name` (tests).
void read_text(const std::string& text, const std::string& file_name, const ImportOptions& options,
               ImportModel& out);

/// Merges what names the same thing, applies renames and resolves the Sloth
/// windows; appends notes for disagreements and dangling references.
void join_import(ImportModel& model, const ImportOptions& options);

/// One value the emitter had to assume: the YAML path and what it wrote.
struct AssumedValue {
  std::string path;   // "services.checkout.demand"
  std::string value;  // "50"
  std::string why;    // "no file gives a request rate"
};

struct EmitResult {
  std::string yaml;
  std::vector<AssumedValue> assumed;
  int imported_values = 0;  // values written with a `# from` comment
};

/// relsim's YAML of a joined model.
EmitResult emit_import(const ImportModel& model, const ImportOptions& options);

/// A Prometheus/Go-style duration ("5m", "1h30m", "28d", "2w") in seconds;
/// nullopt when `text` is not one (also declared in import_util.hpp).
std::optional<double> parse_duration_text(const std::string& text);

/// "file:line:col: warning: text" (line and column left out when unknown).
std::string note_text(const ImportNote& note);

}  // namespace relsim::analysis::import
