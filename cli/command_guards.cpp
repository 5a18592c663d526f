// See command_guards.hpp.
#include "cli/command_guards.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "analysis/safe_output.hpp"
#include "cli/data_files.hpp"
#include "cli/mpi_support.hpp"
#include "models/limits.hpp"

namespace relsim::cli {

namespace {

/// Subcommands whose files hold scenarios (so data files) get `--data-dir`.
const std::set<std::string> kLoadsScenarios = {"run",     "compare",  "sensitivity", "plan",
                                               "alerts",  "validate", "graph",       "explain",
                                               "analyze", "fit"};
/// Options whose values name files the command writes.
const std::set<std::string> kOutputOptions = {"out", "output", "report", "hdf5"};
/// Options counted in trials (limited by models::kMaxTrials).
const std::set<std::string> kTrialOptions = {"trials", "max-trials"};

bool has_long_name(const CLI::Option& o, const std::set<std::string>& names) {
  for (const auto& n : o.get_lnames()) {
    if (names.count(n) != 0) return true;
  }
  return false;
}

void guard_numbers(CLI::App& cmd) {
  for (CLI::Option* o : cmd.get_options()) {
    const std::string type = o->get_type_name();
    const bool is_unsigned = type == "UINT";
    const bool is_signed = type == "INT";
    if (!is_unsigned && !is_signed) continue;
    const unsigned long long max = has_long_name(*o, kTrialOptions)
                                       ? static_cast<unsigned long long>(models::kMaxTrials)
                                       : ~0ull;
    o->check(CLI::Validator(
        [is_signed, max](std::string& value) {
          return whole_number_problem(value, is_signed, max);
        },
        "", ""));
  }
}

void guard_all(CLI::App& cmd) {
  guard_numbers(cmd);
  if (kLoadsScenarios.count(cmd.get_name()) != 0) add_data_dir_option(cmd);
  for (CLI::App* sub : cmd.get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) guard_all(*sub);
  }
}

bool exists(const std::string& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::exists(path, ec);
}

/// Sorts the files of the command that was chosen into inputs and outputs
/// and claims the outputs, before the command's callback runs.
void claim_files(CLI::App& app) {
  const CLI::App* leaf = &app;
  while (!leaf->get_subcommands().empty()) leaf = leaf->get_subcommands().front();
  std::vector<std::string> outputs;
  for (const CLI::Option* o : leaf->get_options()) {
    if (o->count() == 0) continue;
    const bool output = !o->get_positional() && has_long_name(*o, kOutputOptions);
    for (const std::string& v : o->results()) {
      if (output) {
        // `relsim run --output json` is short for --format json.
        if (v != "json" && v != "text") outputs.push_back(v);
      } else if (exists(v)) {
        analysis::note_input(v);
      }
    }
  }
  // Under mpirun only rank 0 writes the command's outputs (each rank writes
  // its own part file), so the others only check them.
  for (const std::string& out : outputs) {
    std::error_code ec;  // a loop of links: claim_output says so, by name
    const bool directory =
        !out.empty() && (out.back() == '/' || std::filesystem::is_directory(out, ec));
    if (mpi_rank() == 0) {
      analysis::claim_output(
          out, directory ? analysis::OutputKind::directory : analysis::OutputKind::file);
    }
  }
  if (mpi_rank() != 0) analysis::set_output_locking(false);
}

}  // namespace

std::string whole_number_problem(const std::string& text, bool is_signed, unsigned long long max) {
  std::string digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.erase(0, 1);
  }
  bool all_digits = !digits.empty();
  for (const char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
  if (!all_digits) {
    return "'" + text + "' is not a whole number (write the digits, e.g. 1000000)";
  }
  if (negative && !is_signed && digits.find_first_not_of('0') != std::string::npos) {
    return "'" + text + "' is negative; expected a whole number 0 or more";
  }
  const std::string limit = std::to_string(max);
  const auto significant = digits.find_first_not_of('0');
  const std::string v = significant == std::string::npos ? "0" : digits.substr(significant);
  const bool above = v.size() > limit.size() || (v.size() == limit.size() && v > limit);
  if (above && max == ~0ull) return "'" + text + "' is too large (at most " + limit + ")";
  if (above && !negative) {
    return "'" + text + "' is above " + limit + models::limit_note("trials");
  }
  const std::string int64_max = negative ? "9223372036854775808" : "9223372036854775807";
  if (is_signed &&
      (v.size() > int64_max.size() || (v.size() == int64_max.size() && v > int64_max))) {
    return "'" + text + "' is out of range";
  }
  return {};
}

void add_command_guards(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) guard_all(*sub);
  }
  app.parse_complete_callback([&app] { claim_files(app); });
}

}  // namespace relsim::cli
