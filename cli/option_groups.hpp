// The option groups of relsim's one command grammar (docs/cli.md, "One
// grammar"): each group is declared once here and composed into every
// subcommand that needs it, so `--trials`, `--format`, `-o`, `-q`, `--out`
// and `--trial-index` mean the same thing everywhere and show under the same
// `--help` heading. The option structs are plain values the subcommand owns
// (they must outlive the parse); the `add_*` functions register them on a
// CLI11 subcommand. Old spellings are registered hidden and print one
// deprecation line on standard error (`deprecated_note`). Not thread-safe:
// call from the main thread while building the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace relsim::cli {

/// `--help` headings of the groups (the grammar test looks for them).
inline constexpr const char* kTrialsGroup = "Trials";
inline constexpr const char* kModelGroup = "Model";
inline constexpr const char* kOutputGroup = "Output";
inline constexpr const char* kResultsGroup = "Results file";
inline constexpr const char* kReplayGroup = "Replay";
inline constexpr const char* kInputGroup = "Input";
inline constexpr const char* kExportGroup = "Export";

/// Trials: --trials, --seed, --threads, --confidence, and --set.
struct TrialOptions {
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> trials;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  double confidence = 0.95;
};

/// What a command's trial options say when their defaults differ.
struct TrialHelp {
  std::string trials = "Number of trials (default: the file's)";
  std::string seed = "Master seed (default: the file's)";
  bool set = true;  // false: no --set (a command that reads no file)
};

/// Registers --trials, --seed, --threads, --confidence (and --set) under "Trials".
void add_trial_options(CLI::App* cmd, TrialOptions& o, const TrialHelp& help = {});

/// Registers --set under "Model" (commands that load a file but run no trials).
void add_set_option(CLI::App* cmd, std::vector<std::string>& overrides);

/// Output: --format, -o/--output, -q/--quiet.
struct OutputOptions {
  std::string format = "text";
  std::string output;
  bool quiet = false;
};

/// Registers the output group. `formats`: what --format accepts (the first
/// is the default); empty: no --format (a text-only command). A format the
/// command does not write is a usage error naming those it does.
void add_output_options(CLI::App* cmd, OutputOptions& o, std::vector<std::string> formats,
                        const std::string& output_help = "");

/// Registers -q/--quiet alone (for a command whose -o is registered by
/// hand), with the group's meaning.
void add_quiet_flag(CLI::App* cmd, bool& quiet);

/// For commands that still accept the old `-o json` / `-o text` meaning
/// --format: moves such a value into `format` with a deprecation note.
void resolve_legacy_output(OutputOptions& o);

/// Throws std::runtime_error before any work when -o cannot be written.
void check_output(const OutputOptions& o);

/// Writes `text` to -o FILE (atomically), or to standard output unless -q.
void emit(const OutputOptions& o, const std::string& text);

/// Results file: --out and --out-format.
struct ResultsOptions {
  std::string out;
  std::string out_format;
};

/// Registers --out and --out-format under "Results file". `formats`: what
/// --out-format accepts (a subset of hdf5, csv, json).
void add_results_options(CLI::App* cmd, ResultsOptions& o, std::vector<std::string> formats,
                         const std::string& out_help);

/// Replay: --trial-index.
struct ReplayOptions {
  std::optional<std::uint64_t> trial_index;
};

void add_replay_options(CLI::App* cmd, ReplayOptions& o);

/// Registers `--input-format` (with the accepted values) under "Input".
CLI::Option* add_input_format_option(CLI::App* cmd, std::string& format,
                                     const std::vector<std::string>& formats,
                                     const std::string& help);

/// Registers `--export TOOL` (one of `tools`) under "Export".
CLI::Option* add_export_option(CLI::App* cmd, std::string& tool,
                               const std::vector<std::string>& tools, const std::string& help);

/// A hidden old spelling `old_name` of `new_name` that stores into `target`
/// (appends for a vector) and prints the deprecation note when used.
void add_deprecated_alias(CLI::App* cmd, const std::string& old_name, const std::string& new_name,
                          std::string& target);
void add_deprecated_alias(CLI::App* cmd, const std::string& old_name, const std::string& new_name,
                          std::vector<std::string>& target);

/// Prints `relsim: warning: 'old' is deprecated: use 'replacement' (...)` on
/// standard error, with `detail` appended when not empty.
void deprecated_note(const std::string& old, const std::string& replacement,
                     const std::string& detail = "");

}  // namespace relsim::cli
