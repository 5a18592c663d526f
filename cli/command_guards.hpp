// What every subcommand gets after it is defined, in one place
// (docs/security.md): whole-number options validated by type (`--trials -5`,
// `--seed -1`, `--trials 1e12` refused with a sentence, never wrapped
// around), trial counts within their limit, `--data-dir` on every command
// that loads scenarios, and — once the command line is parsed, before any
// command runs — its files sorted into inputs and outputs, with every output
// claimed: not one of the inputs (same inode, or the same path once links are
// resolved), and not being written by another relsim process
// (analysis/safe_output.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace relsim::cli {

/// Call once, after every add_*_command.
void add_command_guards(CLI::App& app);

/// The message for a whole-number option value `text` that is not one
/// (empty when it is fine): negative for an unsigned option, a fraction or
/// exponent, out of range, or above `max`.
std::string whole_number_problem(const std::string& text, bool is_signed,
                                 unsigned long long max = ~0ull);

}  // namespace relsim::cli
