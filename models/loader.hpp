// Loading scenario files: YAML (yaml-cpp 0.7) -> the immutable description
// (`System`, `Scenario`, `GameDay`), with every reference checked and every
// problem reported as a located diagnostic (`InputError`).
//
// A file holds one or more documents (`---`), each with the envelope
// `apiVersion: relsim/v1alpha1`, `kind: System|Scenario|GameDay`,
// `metadata.name`, `spec`. A Scenario or GameDay names its system in the same
// file (by name) or by a path relative to its own file.
//
// Overrides (`--set path=value`, and a Scenario's `spec.overrides`) are applied
// to the YAML tree before conversion, so they get the same validation:
//   services.payment-api.replicas=8         list items by `name` (runbooks by
//   services[payment-api].zones=[a, b]      `for`, severity by `level`, zones
//   slos.0.objective=99.9%                  by value) or by index
//   scenario.horizon=7d                     the Scenario spec
//   gameDay.observe=2h                      the GameDay spec
// Paths without a prefix address the System's spec. The value is YAML (a
// scalar, or flow `[..]`/`{..}`). Missing mapping keys are created.
// See docs/scenario-language.md. Functions are reentrant (no global state).
#pragma once

#include <string>
#include <vector>

#include "models/data_reader.hpp"
#include "models/diagnostics.hpp"
#include "models/game_day.hpp"
#include "models/scenario.hpp"
#include "models/system.hpp"

namespace relsim::models {

/// The accepted `apiVersion`.
inline constexpr const char* kApiVersion = "relsim/v1alpha1";

/// A `kind: AlertRules` document: a named list of alerts in the System's
/// `alerts` schema, for `relsim alerts --rules` (docs/alerting.md).
struct AlertRules {
  std::string name;
  std::string description;
  std::vector<Alert> alerts;
  SourceLocation location;
};

struct Documents {
  std::vector<System> systems;
  std::vector<Scenario> scenarios;
  std::vector<GameDay> game_days;
  std::vector<AlertRules> alert_rules;
  /// The system each of `scenarios` (and `game_days`) names, as it runs on
  /// it: the overrides and the document's own spec.overrides applied, resolved
  /// (what load_scenario / load_game_day return for the first of a file).
  std::vector<System> scenario_systems;
  std::vector<System> game_day_systems;
};

/// A scenario with its system resolved, overrides applied: ready to compile.
struct ResolvedScenario {
  System system;
  Scenario scenario;
};

/// A game day with its system resolved, overrides applied: ready to plan.
struct ResolvedGameDay {
  System system;
  GameDay game_day;
};

/// Loads every document of every file (for `validate` and `graph`); systems
/// referenced by path are checked to exist but not added. `overrides` are
/// `path=value` strings applied to every System (or prefixed Scenario/GameDay).
/// `data` reads the data files that distributions name (`{empirical: {file,
/// column}}`; models/data_reader.hpp); without one, such a distribution is a
/// located error. The same holds for every function below.
/// Throws InputError with all problems found.
Documents load_files(const std::vector<std::string>& paths,
                     const std::vector<std::string>& overrides = {},
                     const DataReader* data = nullptr);

/// Loads the first Scenario of `path` and its system. Throws InputError
/// (also when the file holds no Scenario).
ResolvedScenario load_scenario(const std::string& path,
                               const std::vector<std::string>& overrides = {},
                               const DataReader* data = nullptr);

/// Loads the first AlertRules document of `path` (shape and values checked;
/// names are resolved by apply_alert_rules). Throws InputError.
AlertRules load_alert_rules(const std::string& path);

/// Replaces `system`'s alerts with `alerts` and checks their references
/// (SLO, service, team) with the locations of the alerts. Throws InputError.
void apply_alert_rules(System& system, const std::vector<Alert>& alerts);

/// Loads the first GameDay of `path` and its system. Throws InputError.
ResolvedGameDay load_game_day(const std::string& path,
                              const std::vector<std::string>& overrides = {},
                              const DataReader* data = nullptr);

/// The text of the single value at `key` (a `--set` path: `services.api.replicas`,
/// `scenario.horizon`) of the first Scenario in `path` or of its system, after
/// `overrides` and the scenario's spec.overrides. Throws InputError when the
/// path leads nowhere or to a mapping or list.
std::string value_at(const std::string& path, const std::string& key,
                     const std::vector<std::string>& overrides = {},
                     const DataReader* data = nullptr);

/// A distribution of durations written in the scenario language
/// (`{gamma: {shape: 1.2, scale: 30m}}`, `45s`, `{empirical: {file: f.h5,
/// column: ttr}}`), for command-line options; `label` names it in messages
/// (`<command line>:1:2: error: ...`) and its directory is the base of a
/// relative data file (none: the working directory). Throws InputError.
sim::Distribution parse_distribution(const std::string& text, const std::string& label,
                                     const DataReader* data = nullptr);

/// The name `-` (standard input) gets in messages.
inline constexpr const char* kStandardInputName = "<stdin>";

/// The text of standard input, read whole on first use (a file named `-`).
const std::string& standard_input();

/// Loads documents from YAML text (tests, stdin); `file_name` labels diagnostics
/// and is the base for relative system paths.
Documents load_string(const std::string& text, const std::string& file_name,
                      const std::vector<std::string>& overrides = {},
                      const DataReader* data = nullptr);

}  // namespace relsim::models
