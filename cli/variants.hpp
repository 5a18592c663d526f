// Variants of a scenario for `relsim compare` and `relsim sensitivity`
// (docs/compare.md): what a variant is (a scenario file plus `--set`
// overrides), how `--variant` and `--sweep` texts read, and running one
// variant's trials into per-trial figures. Every variant of a comparison
// runs the same trial indices with the same master seed: random streams are
// keyed by what a process is, so the variants share their random numbers
// wherever they agree (common random numbers).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/results_writer.hpp"
#include "cli/option_groups.hpp"

namespace relsim::cli {

struct Variant {
  std::string name;
  std::string file;                    // the scenario file
  std::vector<std::string> overrides;  // `path=value`, applied after the command's --set
};

/// `name:--set a=1 --set b=2`, `name:a=1;b=2` or `name:a=1`. Throws
/// std::invalid_argument with the expected form.
Variant parse_variant(const std::string& text, const std::string& file);

/// `path=3..12` (integers), `path=0.5..2:0.5` (from, to, step) or
/// `path=30s,1m,2m` (any values): one variant per value, named
/// `<last path segment>=<value>`. Throws std::invalid_argument.
std::vector<Variant> parse_sweep(const std::string& text, const std::string& file);

/// Scales the number in a scenario value by `factor`: plain numbers,
/// percentages (`15%`), rates (`2/day`) and durations (`45s`, `1h30m`).
/// Integers stay integers (rounded, and moved by at least 1). Throws
/// std::invalid_argument for anything else.
std::string scale_value(const std::string& text, double factor);

/// The number a value stands for, in the unit scale_value keeps (percent as
/// a fraction, rates per their unit, durations in seconds).
double value_number(const std::string& text);

/// How a figure's values read: fractions print as percentages (differences
/// in percentage points), counts as numbers, minutes as minutes.
enum class FigureUnit : std::uint8_t { fraction, count, minutes };

/// One per-trial figure of a run: `values[i]` belongs to trial i; NaN where
/// the trial has no value (no incident to take a mean over).
struct FigureSeries {
  std::string subject;  // SLO, service, team name, or `incidents`
  std::string figure;   // attainment, pMet, budgetConsumed, availability, pages, ...
  std::vector<double> values;
  FigureUnit unit = FigureUnit::fraction;
};

struct VariantRun {
  std::string name;
  std::string system;
  std::string scenario;
  std::vector<FigureSeries> figures;
  double wall_seconds = 0.0;
};

struct RunSettings {
  std::vector<std::string> overrides;  // the command's --set, before each variant's own
  std::uint64_t trials = 0;            // 0: the first variant's
  std::uint64_t seed = 0;              // used when has_seed
  bool has_seed = false;
  unsigned threads = 0;
  std::optional<std::uint64_t> only_trial;  // --trial-index: run this trial alone
};

/// The options every command that runs variants takes: the Trials, Output
/// (--format text|json, -o, -q) and Replay groups of cli/option_groups.hpp.
struct VariantRunOptions : TrialOptions, OutputOptions, ReplayOptions {};

/// Registers the VariantRunOptions on `cmd`; `o` must outlive the parse.
void add_variant_run_options(CLI::App* cmd, VariantRunOptions& o);

/// Registers --out/--out-format for the per-trial figures of the runs.
void add_variant_results_options(CLI::App* cmd, ResultsOptions& o);

/// The results file `o` asks for (checked, before any trial runs), or nullopt.
std::optional<analysis::ExportTarget> results_target(const ResultsOptions& o);

/// The settings of a run of `file`'s variants: --trials (at least 2) and
/// --seed when given, else the scenario's. Checks --confidence and that
/// --output can be written. Throws std::invalid_argument or models::InputError.
RunSettings settings_for(const std::string& file, const VariantRunOptions& o);

/// Runs `v` (trials and seed from `settings`, else the scenario's) and
/// extracts its per-trial figures: per SLO attainment, pMet (0/1) and
/// budgetConsumed; per service availability; for `incidents` the count,
/// mttr and ttd (mean minutes over the trial's incidents that resolved /
/// were detected); per team pages, nightPages, noisePages and tickets. Throws models::InputError
/// for bad files or overrides.
VariantRun run_variant(const Variant& v, const RunSettings& settings);

/// The trial count and seed a comparison uses: the settings' when given,
/// else those of `file`'s scenario (with `overrides`).
void resolve_trials_and_seed(const std::string& file, RunSettings& settings);

/// The name of the system `v` runs (loads and compiles it, runs nothing).
/// Throws models::InputError for bad files or overrides.
std::string system_of(const Variant& v, const RunSettings& settings);

/// Writes the per-trial figures of `runs` to `target` (analysis/figure_table.hpp):
/// one column per run and figure; `command` is compare or sensitivity.
void write_variant_runs(const analysis::ExportTarget& target, const std::string& command,
                        const RunSettings& settings, double confidence,
                        const std::vector<VariantRun>& runs);

/// The figure `subject`/`figure` of `run`, or nullptr.
const FigureSeries* find_figure(const VariantRun& run, const std::string& subject,
                                const std::string& figure);

}  // namespace relsim::cli
