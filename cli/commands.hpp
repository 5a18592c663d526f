// The relsim program's subcommands. Each `add_*_command` registers one
// subcommand on the root CLI11 app; its callback throws on error and `main`
// turns the exception into a message and an exit code:
//   0 ok, 1 invalid input (bad file, bad value, unwritable output),
//   2 usage error (unknown flag, missing argument), 3 a trial failed,
//   130 interrupted by SIGINT, 143 by SIGTERM (no output left behind).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace relsim::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_invalid_input = 1,
  exit_usage = 2,
  exit_trial_failed = 3,
  exit_interrupted = 130,
  exit_terminated = 143
};

/// `relsim kernel-demo`: the kernel's machine-repair example with its exact answer.
void add_kernel_demo_command(CLI::App& app);
/// `relsim validate FILE...`: loads and checks files, prints a one-line summary each.
void add_validate_command(CLI::App& app);
/// `relsim graph FILE --format dot|json`: the dependency graph.
void add_graph_command(CLI::App& app);
/// `relsim schema`: prints the JSON Schema of every kind.
void add_schema_command(CLI::App& app);
/// `relsim run SCENARIO`: the Monte Carlo of a scenario, summarised with intervals.
void add_run_command(CLI::App& app);
/// `relsim merge PART... --out FILE`: shard result files into the one-run file.
void add_merge_command(CLI::App& app);
/// `relsim analyze SYSTEM`: exact long-run availability of the Markovian parts (CTMC).
void add_analyze_command(CLI::App& app);
/// `relsim compare SCENARIO...`: variants on common random numbers, paired differences.
void add_compare_command(CLI::App& app);
/// `relsim sensitivity SCENARIO --param ...`: local linear effects of parameters.
void add_sensitivity_command(CLI::App& app);
/// `relsim incidents import|fit|power`: learning from real incident data (issue 12).
void add_incidents_command(CLI::App& app);
/// `relsim report RUN.h5`: the HTML report of a run's results file.
void add_report_command(CLI::App& app);
/// `relsim plan GAMEDAY`: the game-day planner (docs/gamedays.md).
void add_plan_command(CLI::App& app);
/// `relsim alerts SCENARIO`: the alert design lab (docs/alerting.md).
void add_alerts_command(CLI::App& app);

/// `relsim init --template T NAME`: a commented starting System and Scenario in NAME/.
void add_init_command(CLI::App& app);
/// `relsim explain FILE`: what the model will do with a file, in plain words.
void add_explain_command(CLI::App& app);

/// `relsim import FILE_OR_DIR...`: other tools' files -> relsim YAML (docs/import.md).
void add_import_command(CLI::App& app);

/// Puts an example under every subcommand's --help (call after adding them all).
void add_help_examples(CLI::App& app);
/// For a command line CLI11 rejected: "unknown subcommand 'runn'; did you mean
/// 'run'?" or the same for a flag; empty when no subcommand or flag is unknown.
std::string usage_hint(const CLI::App& app, int argc, const char* const* argv);
/// Optimal-string-alignment edit distance (adjacent transpositions cost 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace relsim::cli
