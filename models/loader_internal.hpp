// Internal to the loader: the conversion steps between yaml-cpp documents and
// the domain structs, shared by loader*.cpp. Never included elsewhere.
//
//   read_*        one document (a YAML mapping) -> struct; reports shape and
//                 value problems through the Reader, returns what it could read
//   resolve_*     reference checks on the structs (names exist, kinds fit,
//                 no duplicates); fills the kinds of references
//   apply_override  edits a YAML document in place before read_*
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "models/game_day.hpp"
#include "models/scenario.hpp"
#include "models/system.hpp"
#include "models/yaml_reader.hpp"

namespace relsim::models::detail {

/// Reads the envelope (`apiVersion`, `kind`, `metadata`) of a document of the
/// given registry object (`SystemDocument`, ...) into name/description; returns the spec node.
YAML::Node read_envelope(Reader& r, const YAML::Node& doc, std::string_view object,
                         std::string& name, std::string& description, SourceLocation& location);

/// The envelope of a document (as read_envelope) and its spec, opened as the
/// registry object `spec_object`; nullopt when there is no usable spec.
std::optional<MapReader> read_spec(Reader& r, const YAML::Node& doc, std::string_view object,
                                   std::string_view spec_object, std::string& name,
                                   std::string& description, SourceLocation& location);

/// Calls `read(m)` for every item of the list at `key` of `owner` that is a
/// mapping of the registry object `object` (the others are reported).
template <typename F>
void for_each_item(const MapReader& owner, std::string_view key, std::string_view object,
                   F&& read) {
  Reader& r = owner.reader();
  const YAML::Node list = owner.get(key);
  if (!list.IsDefined()) return;
  for (const auto& item : read_list(r, list, owner.path(key))) {
    const MapReader m(r, item.first, item.second, object);
    if (m.ok()) read(m);
  }
}

System read_system(Reader& r, const YAML::Node& doc);
Scenario read_scenario(Reader& r, const YAML::Node& doc);
GameDay read_game_day(Reader& r, const YAML::Node& doc);

// Pieces of read_system, split over two files.
/// The `name` of a zone, service, SLO, alert, team ... mapping (reported when
/// empty); `location` becomes where the name is written, else the mapping.
std::string entity_name(const MapReader& m, SourceLocation& location);
void read_calendar(const MapReader& spec, Calendar& out);
std::vector<FailureProcess> read_failures(const MapReader& owner, FailureType type,
                                          std::string_view owner_kind);
void read_topology(const MapReader& spec, System& out);    // zones, services, datastores, caches
void read_operations(const MapReader& spec, System& out);  // slos ... severity
void read_alerts(const MapReader& spec, System& out);      // spec.alerts (also AlertRules)
Condition read_condition(Reader& r, const YAML::Node& n, const std::string& path);
/// A Fault or game-day Experiment (`object` is "Fault" or "Experiment").
Fault read_fault(Reader& r, const YAML::Node& n, const std::string& path, std::string_view object);

/// Reference checks inside a system; fills reference kinds (cache backing, runbook targets).
void resolve_system(System& system, Sink& sink);
/// Fault targets exist and fit their kind; times lie within the horizon.
void resolve_fault(const System& system, Fault& fault, Sink& sink);
void resolve_scenario(const System& system, Scenario& scenario, Sink& sink);
void resolve_game_day(const System& system, GameDay& game_day, Sink& sink);

/// What an override addresses.
enum class OverrideTarget : std::uint8_t { system, scenario, game_day };

/// `path=value` split, with the target prefix (`scenario.`, `gameDay.`) removed.
struct ParsedOverride {
  OverrideTarget target = OverrideTarget::system;
  std::string path;  // without the prefix
  YAML::Node value;
  std::string label;  // for messages
  SourceLocation location;
};

/// Parses `path=value` from the command line; reports malformed ones.
std::optional<ParsedOverride> parse_set_option(const std::string& text, Sink& sink);

/// Applies `o` to `doc` (a whole document: the path is under `spec`); records
/// the origin in `r` so that later errors point at the override.
void apply_override(Reader& r, YAML::Node doc, const ParsedOverride& o);

/// The scalar text at `o.path` (under `spec`) of `doc`; reports and returns
/// nullopt when the path leads nowhere or to a mapping or list.
std::optional<std::string> lookup_scalar(Reader& r, const YAML::Node& doc, const ParsedOverride& o);

}  // namespace relsim::models::detail
