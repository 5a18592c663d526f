// The option groups (see option_groups.hpp and docs/cli.md, "One grammar").
#include "cli/option_groups.hpp"

#include <algorithm>
#include <iostream>
#include <utility>

#include "cli/output_file.hpp"
#include "cli/run_support.hpp"

namespace relsim::cli {

namespace {

std::string joined(const std::vector<std::string>& items, const std::string& last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last_sep : ", ";
    out += items[i];
  }
  return out;
}

std::string comma_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

/// A check of `--NAME` against `allowed` whose message names the values the
/// command takes (and, for --format csv, where CSV comes from).
CLI::Validator one_of(const std::string& option, std::vector<std::string> allowed) {
  return CLI::Validator(
      [option, allowed](std::string& value) -> std::string {
        if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
        std::string why = "this command " +
                          std::string(option == "--format" ? "prints " : "takes ") +
                          joined(allowed, " or ") + ", not '" + value + "'";
        if (option == "--format" && value == "csv") {
          why +=
              " (per-trial data as CSV: --out DIR/ on the commands with a results file, "
              "docs/cli.md)";
        }
        return why;
      },
      "{" + comma_list(allowed) + "}", "one of");
}

}  // namespace

void deprecated_note(const std::string& old, const std::string& replacement,
                     const std::string& detail) {
  std::cerr << "relsim: warning: '" << old << "' is deprecated: use '" << replacement
            << "' (it will be removed in the next release)" << (detail.empty() ? "" : "; ")
            << detail << '\n';
}

void add_trial_options(CLI::App* cmd, TrialOptions& o, const TrialHelp& help) {
  cmd->add_option("--trials", o.trials, help.trials)->group(kTrialsGroup);
  cmd->add_option("--seed", o.seed, help.seed)->group(kTrialsGroup);
  cmd->add_option("--threads", o.threads,
                  "Worker threads (0: all cores); results do not depend "
                  "on it")
      ->capture_default_str()
      ->group(kTrialsGroup);
  cmd->add_option("--confidence", o.confidence, "Confidence level of every interval, in (0, 1)")
      ->capture_default_str()
      ->group(kTrialsGroup);
  if (help.set) {
    cmd->add_option("--set", o.overrides,
                    "Override a value, e.g. services.payment-api.replicas=8 or "
                    "scenario.horizon=7d (repeatable)")
        ->allow_extra_args(false)
        ->group(kTrialsGroup);
  }
}

void add_set_option(CLI::App* cmd, std::vector<std::string>& overrides) {
  cmd->add_option("--set", overrides,
                  "Override a value, e.g. services.payment-api.replicas=8 or "
                  "scenario.horizon=7d (repeatable)")
      ->allow_extra_args(false)  // one value per --set, so files may follow it
      ->group(kModelGroup);
}

void add_output_options(CLI::App* cmd, OutputOptions& o, std::vector<std::string> formats,
                        const std::string& output_help) {
  if (!formats.empty()) {
    o.format = formats.front();
    cmd->add_option("--format", o.format, "What is printed: " + joined(formats, " or "))
        ->check(one_of("--format", formats))
        ->capture_default_str()
        ->group(kOutputGroup);
  }
  cmd->add_option(
         "-o,--output", o.output,
         output_help.empty()
             ? "Write what would be printed to FILE (atomically) instead of standard output"
             : output_help)
      ->group(kOutputGroup);
  add_quiet_flag(cmd, o.quiet);
}

void add_quiet_flag(CLI::App* cmd, bool& quiet) {
  cmd->add_flag("-q,--quiet", quiet,
                "Nothing on the terminal but errors and warnings: no progress, no summary "
                "(-o FILE still gets it)")
      ->group(kOutputGroup);
}

void resolve_legacy_output(OutputOptions& o) {
  if (o.output != "json" && o.output != "text") return;
  deprecated_note("-o " + o.output, "--format " + o.output,
                  "to write a file named " + o.output + ", give -o ./" + o.output);
  o.format = o.output;
  o.output.clear();
}

void check_output(const OutputOptions& o) {
  if (!o.output.empty() && o.output != "-") check_writable(o.output);
}

void emit(const OutputOptions& o, const std::string& text) {
  if (o.output == "-") {
    std::cout << text << std::flush;  // `-o -`: standard output, even with -q
  } else if (!o.output.empty()) {
    write_file_atomically(o.output, text);
  } else if (!o.quiet) {
    std::cout << text << std::flush;
  }
}

void add_results_options(CLI::App* cmd, ResultsOptions& o, std::vector<std::string> formats,
                         const std::string& out_help) {
  cmd->add_option("--out", o.out, out_help)->group(kResultsGroup);
  cmd->add_option("--out-format", o.out_format,
                  "Format of --out when its name does not say: " + joined(formats, " or "))
      ->check(one_of("--out-format", formats))
      ->group(kResultsGroup);
}

void add_replay_options(CLI::App* cmd, ReplayOptions& o) {
  cmd->add_option("--trial-index", o.trial_index,
                  "Replay one trial alone (as a failed trial's message names it)")
      ->group(kReplayGroup);
}

CLI::Option* add_input_format_option(CLI::App* cmd, std::string& format,
                                     const std::vector<std::string>& formats,
                                     const std::string& help) {
  return cmd->add_option("--input-format", format, help)
      ->check(one_of("--input-format", formats))
      ->group(kInputGroup);
}

CLI::Option* add_export_option(CLI::App* cmd, std::string& tool,
                               const std::vector<std::string>& tools, const std::string& help) {
  return cmd->add_option("--export", tool, help)
      ->check(one_of("--export", tools))
      ->group(kExportGroup);
}

void add_deprecated_alias(CLI::App* cmd, const std::string& old_name, const std::string& new_name,
                          std::string& target) {
  cmd->add_option_function<std::string>(
         old_name,
         [old_name, new_name, &target](const std::string& v) {
           deprecated_note(old_name, new_name);
           target = v;
         },
         "Deprecated: use " + new_name)
      ->group("");  // hidden from --help
}

void add_deprecated_alias(CLI::App* cmd, const std::string& old_name, const std::string& new_name,
                          std::vector<std::string>& target) {
  cmd->add_option_function<std::vector<std::string>>(
         old_name,
         [old_name, new_name, &target](const std::vector<std::string>& v) {
           deprecated_note(old_name, new_name);
           target.insert(target.end(), v.begin(), v.end());
         },
         "Deprecated: use " + new_name)
      ->allow_extra_args(false)
      ->group("");
}

}  // namespace relsim::cli
