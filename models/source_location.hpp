// Where a value came from in the user's input: file, 1-based line and column.
//
// Every named entity and every reference field of the domain description
// (System, Scenario, GameDay) carries one, so that stages after the loader
// (the dependency graph, the compile step, the planner) can report errors the
// way a compiler does: `payments.yaml:14:7: error: ...`. A location whose
// line is 0 is "unknown" (a default, or a value given on the command line).
// Plain values; thread-safe as values are.
#pragma once

#include <string>

namespace relsim::models {

struct SourceLocation {
  std::string file;  // the path as the user gave it (or `<command line>`)
  int line = 0;      // 1-based; 0 = unknown
  int column = 0;    // 1-based; 0 = unknown

  /// True when the line is known.
  bool known() const { return line > 0; }
  /// `file:line:col`, or `file` when the line is unknown, or `` when nothing is known.
  std::string str() const {
    if (line > 0) return file + ":" + std::to_string(line) + ":" + std::to_string(column);
    return file;
  }
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// A reference to another entity by name (a zone, service, team, SLO, ...),
/// with the location of the name in the input. Empty `name` = not given.
struct NameRef {
  std::string name;
  SourceLocation location;

  bool empty() const { return name.empty(); }
  friend bool operator==(const NameRef& a, const NameRef& b) { return a.name == b.name; }
};

}  // namespace relsim::models
