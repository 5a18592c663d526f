// Internal to the loader (never included outside models/loader*.cpp): reading
// yaml-cpp nodes into values with located diagnostics.
//
// `Sink` collects diagnostics for a whole load (deduplicated, capped at
// kMaxErrors). `Reader` knows the file of one document and which YAML paths an
// override replaced, so an error inside an overridden value points at the
// override. `MapReader` reads one mapping through the key registry
// (models/schema_keys.hpp): unknown keys, duplicate keys and missing required
// keys are reported when it is constructed. Value readers return nullopt
// after reporting a problem, so conversion goes on and collects more errors.
// YAML paths look like `spec.services[payment-api].dependsOn[0].timeout`
// (list items by `name` when they have one, else by index).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/calendar.hpp"
#include "models/data_reader.hpp"
#include "models/diagnostics.hpp"
#include "models/source_location.hpp"
#include "sim/distribution.hpp"
#include "sim/time.hpp"

namespace relsim::models::detail {

class Sink {
 public:
  /// `data`: reads the data files that distributions name (nullptr: such a
  /// distribution is an error); borrowed for the load.
  explicit Sink(const DataReader* data = nullptr) : data_(data) {}
  /// Adds one diagnostic (duplicates dropped); throws InputError at the cap.
  void add(SourceLocation location, std::string message);
  const DataReader* data_reader() const { return data_; }
  std::size_t size() const { return diagnostics_.size(); }
  /// Throws InputError with everything collected, if anything was.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> diagnostics_;
  const DataReader* data_ = nullptr;
};

/// Where an override replaced part of a document, for attributing errors.
struct OverrideOrigin {
  std::string path;  // canonical YAML path, e.g. `spec.services[payment-api].replicas`
  SourceLocation location;
  std::string label;  // `services.payment-api.replicas=8`
};

/// 1-based location of a yaml-cpp mark (null marks -> line 0).
SourceLocation location_of(const std::string& file, const YAML::Mark& mark);

/// Resolves YAML merge keys in a parsed document, in place: a mapping's
/// `<<: *defaults` (or `<<: [*a, *b]`) gains every key of the merged
/// mappings it does not set itself (earlier mappings of a list win), and the
/// `<<` key goes (yaml-cpp 0.7 parses `<<` as an ordinary key). Values keep
/// their marks, so errors in a merged value point at the anchored text. Each
/// node is visited once however many aliases share it. A `<<` whose value is
/// not a mapping or a list of mappings is reported to `sink`.
void resolve_merge_keys(YAML::Node& document, const std::string& file, Sink& sink);

/// The path segment of item `index` of a sequence: `[name]` or `[index]`.
std::string item_segment(const YAML::Node& item, std::size_t index);

class Reader {
 public:
  Reader(Sink& sink, std::string file) : sink_(sink), file_(std::move(file)) {}
  /// Location of `node` at `path`, or of the override that set it.
  SourceLocation where(const YAML::Node& node, const std::string& path) const;
  /// Reports `message` at `node` (or the override that set `path`).
  void error(const YAML::Node& node, const std::string& path, const std::string& message);
  /// Reports at a known location.
  void error(const SourceLocation& location, const std::string& message);
  const std::string& file() const { return file_; }
  Sink& sink() { return sink_; }
  std::vector<OverrideOrigin>& origins() { return origins_; }

 private:
  const OverrideOrigin* origin_of(const std::string& path) const;
  Sink& sink_;
  std::string file_;
  std::vector<OverrideOrigin> origins_;
};

/// A short description of a node's shape for messages: `a mapping`, `'abc'`.
std::string describe(const YAML::Node& node);

// ---- value readers: report and return nullopt on failure

std::optional<std::string> read_string(Reader& r, const YAML::Node& n, const std::string& path);
std::optional<std::int64_t> read_integer(Reader& r, const YAML::Node& n, const std::string& path,
                                         std::int64_t min = INT64_MIN);
std::optional<double> read_number(Reader& r, const YAML::Node& n, const std::string& path);
std::optional<bool> read_bool(Reader& r, const YAML::Node& n, const std::string& path);

enum class Sign : std::uint8_t { any_non_negative, positive };
std::optional<sim::Duration> read_duration(Reader& r, const YAML::Node& n, const std::string& path,
                                           Sign sign = Sign::any_non_negative);
/// `99.9%` or a number in [0, 1].
std::optional<double> read_fraction(Reader& r, const YAML::Node& n, const std::string& path);
/// `2/day`, `0.5/h`, `1/30d` -> per second.
std::optional<double> read_rate(Reader& r, const YAML::Node& n, const std::string& path);
/// `"14:00"` -> span since midnight.
std::optional<sim::Duration> read_time_of_day(Reader& r, const YAML::Node& n,
                                              const std::string& path);
/// `Tue 14:00` (allow_offset: also `+36h`; allow_civil: also `2026-03-03T14:00`).
std::optional<TimeSpec> read_time_spec(Reader& r, const YAML::Node& n, const std::string& path,
                                       bool allow_offset, bool allow_civil);
/// `2026-03-02T00:00` (seconds optional).
std::optional<CivilTime> read_civil(Reader& r, const YAML::Node& n, const std::string& path);
/// A duration distribution in seconds (bare duration or one-key mapping).
std::optional<sim::Distribution> read_distribution(Reader& r, const YAML::Node& n,
                                                   const std::string& path);
/// Reports a name longer than kMaxNameBytes (located at `n`) and cuts `name`
/// to its start, so that later messages of the failed load stay short.
void check_name_length(Reader& r, const YAML::Node& n, const std::string& path, std::string& name);
std::optional<NameRef> read_name_ref(Reader& r, const YAML::Node& n, const std::string& path);
/// A list of names (a single scalar is not accepted).
std::optional<std::vector<NameRef>> read_name_list(Reader& r, const YAML::Node& n,
                                                   const std::string& path);

/// One of `choices` (exact), with the valid choices or the nearest in the message.
template <typename E>
std::optional<E> read_enum(Reader& r, const YAML::Node& n, const std::string& path,
                           const std::vector<std::pair<std::string_view, E>>& choices,
                           std::string_view what) {
  auto s = read_string(r, n, path);
  if (!s) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) {
    if (name == *s) return value;
    names.emplace_back(name);
  }
  std::string hint = did_you_mean(*s, names);
  if (hint.empty()) hint = "; expected " + list_choices(names);
  r.error(n, path, "unknown " + std::string(what) + " '" + *s + "' in " + path + hint);
  return std::nullopt;
}

/// The items of a sequence, with their paths; reports a non-sequence.
std::vector<std::pair<YAML::Node, std::string>> read_list(Reader& r, const YAML::Node& n,
                                                          const std::string& path);

class MapReader {
 public:
  /// Checks shape, duplicate, unknown and missing required keys of `object`.
  MapReader(Reader& r, const YAML::Node& node, std::string path, std::string_view object);
  bool ok() const { return ok_; }
  /// The value of `key` (must be a registered key), or an undefined node.
  YAML::Node get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).IsDefined(); }
  std::string path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const std::string& path() const { return path_; }
  SourceLocation where() const { return r_.where(node_, path_); }
  SourceLocation where(std::string_view key) const { return r_.where(get(key), path(key)); }
  Reader& reader() const { return r_; }
  const YAML::Node& node() const { return node_; }
  /// Keys present, in file order.
  std::vector<std::string> keys() const;
  void error(std::string_view key, const std::string& message) const {
    r_.error(get(key), path(key), message);
  }
  void error(const std::string& message) const { r_.error(node_, path_, message); }

  // Typed reads of optional keys: leave `out` alone when the key is absent or bad.
  bool string(std::string_view key, std::string& out) const;
  bool integer(std::string_view key, std::int64_t& out, std::int64_t min = INT64_MIN) const;
  bool integer(std::string_view key, int& out, std::int64_t min = INT32_MIN) const;
  bool number(std::string_view key, double& out, double min = -1e308,
              bool min_exclusive = false) const;
  bool boolean(std::string_view key, bool& out) const;
  bool duration(std::string_view key, sim::Duration& out, Sign sign = Sign::any_non_negative) const;
  bool duration(std::string_view key, std::optional<sim::Duration>& out,
                Sign sign = Sign::any_non_negative) const;
  bool fraction(std::string_view key, double& out) const;
  bool rate(std::string_view key, double& out) const;
  bool time_of_day(std::string_view key, sim::Duration& out) const;
  bool distribution(std::string_view key, sim::Distribution& out) const;
  bool distribution(std::string_view key, std::optional<sim::Distribution>& out) const;
  bool name_ref(std::string_view key, NameRef& out) const;
  bool name_list(std::string_view key, std::vector<NameRef>& out) const;

 private:
  /// False after reporting when `v` is above the limit of `key` (models/limits.hpp).
  bool within_limit(std::string_view key, const YAML::Node& n, double v) const;
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  Reader& r_;
  YAML::Node node_;
  std::string path_;
  std::string_view object_;
  std::vector<Entry> entries_;
  bool ok_ = false;
};

}  // namespace relsim::models::detail
