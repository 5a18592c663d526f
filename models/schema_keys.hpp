// The registry of every key the loader accepts, per kind and nested object —
// the single source of truth for the unknown-key and missing-key checks, the
// JSON Schema (docs/schema/relsim.schema.json) and the reference docs. The
// loader reads a mapping only through this table, so the two cannot drift.
//
// How to read it:
// - `accepted_objects()` lists the object types. Each has an `id`
//   (UpperCamelCase, e.g. `Service`) and a `path`, where it appears in a file
//   (`System.spec.services[]`; `[]` = an item of a list; several paths are
//   separated by `, `). The three roots are `SystemDocument`,
//   `ScenarioDocument` and `GameDayDocument`.
// - `accepted_keys()` lists the keys of each object: `object` (an id),
//   `key` (camelCase, as written in files), `type`, `required`, `default_value`
//   (text as a user would write it; empty = none / not set) and `description`.
//   A default that is a value is printed from its typed constant in
//   models/key_defaults.hpp, which the structs and compiled rows also use;
//   tests/models/key_defaults_test.cpp checks every such key against the loader.
// - `type` is a small grammar:
//     alternatives       `A | B`           (either shape is accepted)
//     list               `[T]`
//     object             an id such as `Service` (see accepted_objects)
//     enumeration        `enum(a,b,c)`     (exactly these strings)
//     reference          `ref(Service)`, `ref(Datastore,Cache)`: the name of
//                        an entity of those kinds defined in the System
//     map                `map(T)`          (any keys, values of type T)
//     primitives
//       string, integer, number, boolean, null
//       duration     `250ms`, `30s`, `5m`, `1h30m`, `2d`, `1w` (a bare 0 is zero)
//       fraction     `99.9%` or a number in [0, 1]
//       rate         `2/day`, `0.5/h`, `10/s`, `3/week`, `1/30d`
//       timeOfDay    `"14:00"` (local)
//       weekTime     `"Tue 14:00"` (weekday Mon..Sun, local time)
//       timeSpec     weekTime, an offset duration `+36h`, or `2026-03-03T14:00`
//       civilTime    `2026-03-02T00:00` (local date and time)
//       utcOffset    `"-05:00"`
//       weekdays     `Mon-Fri`, `Sat,Sun` or a list `[Mon, Tue]`
//       distribution a duration (fixed) or a `Distribution` mapping
//       metricValue  a duration, fraction or number, per the metric's unit
//       any          any YAML value (override values)
// - Objects marked `one_of` in their description take exactly one of their
//   keys (`Distribution`, `Condition`, `KillMode`).
// Static data; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace relsim::models {

struct ObjectSpec {
  std::string_view id;
  std::string_view path;
  std::string_view description;
  bool one_of = false;  // exactly one of its keys must be given
};

struct KeySpec {
  std::string_view object;
  std::string_view key;
  std::string_view type;
  bool required = false;
  std::string_view default_value;
  std::string_view description;
};

/// Every object type, in document order (roots first).
const std::vector<ObjectSpec>& accepted_objects();
/// Every accepted key of every object, grouped by object.
const std::vector<KeySpec>& accepted_keys();
/// The object with this id, or nullptr.
const ObjectSpec* find_object(std::string_view id);
/// The key `key` of object `object`, or nullptr.
const KeySpec* find_key(std::string_view object, std::string_view key);
/// The keys of one object, in table order.
std::vector<const KeySpec*> keys_of(std::string_view object);

}  // namespace relsim::models
