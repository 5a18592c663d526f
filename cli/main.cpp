// The relsim program: parses the command line (CLI11) and maps errors to the
// documented exit codes (see cli/commands.hpp and docs/cli.md). Before any
// command runs, its files are sorted into inputs and outputs and every output
// is claimed (not an input, not written by another relsim; docs/security.md),
// and SIGINT/SIGTERM remove every temporary (cli/output_file.hpp).
#include <iostream>
#include <new>

#include "cli/command_guards.hpp"
#include "cli/commands.hpp"
#include "cli/mpi_support.hpp"
#include "cli/output_file.hpp"
#include "cli/run_support.hpp"
#include "models/diagnostics.hpp"
#include "sim/runner.hpp"

int main(int argc, char** argv) {
  relsim::cli::install_signal_handlers();         // first: every later thread shares them
  const relsim::cli::MpiSession mpi(argc, argv);  // no-op unless built with RELSIM_MPI
  CLI::App app{
      "relsim: a discrete-event simulator for reliability engineering and chaos game days.\n"
      "Monte Carlo trials of a system described in YAML: MTTR, SLO attainment, error budgets,\n"
      "pages per shift, and game-day plans, with confidence intervals."};
  app.name("relsim");
  app.set_version_flag("--version", std::string("relsim ") + RELSIM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  relsim::cli::set_command_line(argc, argv);
  relsim::cli::add_run_command(app);
  relsim::cli::add_merge_command(app);
  relsim::cli::add_report_command(app);
  relsim::cli::add_analyze_command(app);
  relsim::cli::add_compare_command(app);
  relsim::cli::add_sensitivity_command(app);
  relsim::cli::add_incidents_command(app);
  relsim::cli::add_plan_command(app);
  relsim::cli::add_alerts_command(app);
  relsim::cli::add_validate_command(app);
  relsim::cli::add_graph_command(app);
  relsim::cli::add_schema_command(app);
  relsim::cli::add_kernel_demo_command(app);
  relsim::cli::add_init_command(app);
  relsim::cli::add_explain_command(app);
  relsim::cli::add_import_command(app);  // relsim import (issue 21)
  relsim::cli::add_help_examples(app);   // after every add_*_command
  relsim::cli::add_command_guards(app);  // after every add_*_command (issue 22)

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (const auto hint = relsim::cli::usage_hint(app, argc, argv); !hint.empty()) {
      std::cerr << hint << '\n';
    } else {
      app.exit(e);
    }
    return relsim::cli::exit_usage;
  } catch (const relsim::models::InputError& e) {
    // Already one `file:line:col: error: ...` line per problem.
    std::cerr << e.what() << '\n';
    return relsim::cli::exit_invalid_input;
  } catch (const relsim::cli::Interrupted& e) {
    std::cerr << "relsim: " << e.what() << '\n';
    const int sig = relsim::cli::interrupt_signal();
    return sig > 0 ? 128 + sig : relsim::cli::exit_interrupted;
  } catch (const std::bad_alloc&) {
    std::cerr << "relsim: error: out of memory: the input asks for more memory than this machine "
                 "gives (see the limits in docs/reference/README.md#limits)\n";
    return relsim::cli::exit_invalid_input;
  } catch (const std::length_error&) {
    std::cerr << "relsim: error: the input asks for a table larger than relsim can hold (see the "
                 "limits in docs/reference/README.md#limits)\n";
    return relsim::cli::exit_invalid_input;
  } catch (const relsim::sim::TrialFailure& e) {
    std::cerr << "relsim: error: " << relsim::models::printable(e.what(), true) << '\n';
    return relsim::cli::exit_trial_failed;
  } catch (const std::exception& e) {
    // Messages quote names and paths from the input: control characters shown, never sent.
    std::cerr << "relsim: error: " << relsim::models::printable(e.what(), true) << '\n';
    return relsim::cli::exit_invalid_input;
  }
  return relsim::cli::exit_ok;
}
