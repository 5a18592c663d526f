// Reading yaml-cpp nodes into values, with located diagnostics.
#include "models/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "models/limits.hpp"
#include "models/schema_keys.hpp"

namespace relsim::models::detail {

// ------------------------------------------------------------------ Sink

namespace {
/// Compiler order: files in order of first appearance, then line and column.
std::vector<Diagnostic> sorted(std::vector<Diagnostic> d) {
  std::vector<std::string> files;
  for (const auto& x : d) {
    if (std::find(files.begin(), files.end(), x.location.file) == files.end()) {
      files.push_back(x.location.file);
    }
  }
  auto rank = [&](const Diagnostic& x) {
    const auto f = std::find(files.begin(), files.end(), x.location.file) - files.begin();
    return std::tuple(f, x.location.line, x.location.column);
  };
  std::stable_sort(d.begin(), d.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  return d;
}
}  // namespace

void Sink::add(SourceLocation location, std::string message) {
  Diagnostic d{std::move(location), std::move(message)};
  for (const auto& e : diagnostics_) {
    if (e.location == d.location && e.message == d.message) return;
  }
  diagnostics_.push_back(std::move(d));
  if (diagnostics_.size() >= kMaxErrors) {
    auto all = sorted(diagnostics_);
    all.push_back(Diagnostic{{}, "too many errors; stopping"});
    throw InputError(std::move(all));
  }
}

void Sink::throw_if_any() const {
  if (!diagnostics_.empty()) throw InputError(sorted(diagnostics_));
}

// ------------------------------------------------------------------ Reader

SourceLocation location_of(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

namespace {

/// A plain `<<` key (a quoted "<<" is an ordinary string).
bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" && key.Tag() != "!";
}

class MergeResolver {
 public:
  MergeResolver(const std::string& file, Sink& sink) : file_(file), sink_(sink) {}

  void visit(YAML::Node n) {
    if (!n.IsMap() && !n.IsSequence()) return;
    // Aliases share one node (and its mark): visit each once, so an alias
    // bomb costs its distinct nodes, not its expansion.
    const YAML::Mark m = n.Mark();
    if (!seen_.insert({m.pos, m.line, m.column, n.IsMap()}).second) return;
    if (n.IsSequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) visit(n[i]);
      return;
    }
    // (A YAML::Node assigned to rebinds only once; copies construct anew.)
    std::optional<std::pair<YAML::Node, YAML::Node>> merge;
    for (auto it = n.begin(); it != n.end(); ++it) {
      visit(it->second);
      if (is_merge_key(it->first)) merge.emplace(it->first, it->second);
    }
    if (!merge) return;
    n.remove(merge->first);
    const YAML::Node& merge_value = merge->second;
    std::vector<YAML::Node> sources;
    if (merge_value.IsMap()) {
      sources.push_back(merge_value);
    } else if (merge_value.IsSequence()) {
      for (std::size_t i = 0; i < merge_value.size(); ++i) sources.push_back(merge_value[i]);
    }
    const bool all_maps =
        !sources.empty() &&
        std::all_of(sources.begin(), sources.end(), [](const YAML::Node& x) { return x.IsMap(); });
    if (!all_maps) {
      sink_.add(location_of(file_, merge_value.Mark()),
                "'<<' (a YAML merge key) takes a mapping or a list of mappings, like "
                "'<<: *defaults' or '<<: [*a, *b]'; got " +
                    describe(merge_value));
      return;
    }
    std::set<std::string> present;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it->first.IsScalar()) present.insert(it->first.Scalar());
    }
    for (const YAML::Node& source : sources) {
      for (auto it = source.begin(); it != source.end(); ++it) {
        if (!it->first.IsScalar() || is_merge_key(it->first)) continue;
        if (present.insert(it->first.Scalar()).second) n.force_insert(it->first, it->second);
      }
    }
  }

 private:
  const std::string& file_;
  Sink& sink_;
  std::set<std::tuple<int, int, int, bool>> seen_;
};

}  // namespace

void resolve_merge_keys(YAML::Node& document, const std::string& file, Sink& sink) {
  MergeResolver(file, sink).visit(document);
}

std::string item_segment(const YAML::Node& item, std::size_t index) {
  if (item.IsMap()) {
    for (auto it = item.begin(); it != item.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "name" && it->second.IsScalar() &&
          !it->second.Scalar().empty() && it->second.Scalar().size() <= kMaxNameBytes) {
        return "[" + it->second.Scalar() + "]";
      }
    }
  }
  return "[" + std::to_string(index) + "]";
}

const OverrideOrigin* Reader::origin_of(const std::string& path) const {
  for (auto it = origins_.rbegin(); it != origins_.rend(); ++it) {
    const std::string& p = it->path;
    if (path == p) return &*it;
    if (path.size() > p.size() && path.compare(0, p.size(), p) == 0 &&
        (path[p.size()] == '.' || path[p.size()] == '[')) {
      return &*it;
    }
  }
  return nullptr;
}

SourceLocation Reader::where(const YAML::Node& node, const std::string& path) const {
  if (const OverrideOrigin* o = origin_of(path)) return o->location;
  if (!node.IsDefined()) return {file_, 0, 0};
  return location_of(file_, node.Mark());
}

void Reader::error(const YAML::Node& node, const std::string& path, const std::string& message) {
  if (const OverrideOrigin* o = origin_of(path)) {
    sink_.add(o->location, message + " (set by " + o->label + ")");
    return;
  }
  sink_.add(where(node, path), message);
}

void Reader::error(const SourceLocation& location, const std::string& message) {
  sink_.add(location, message);
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  // A CSV or a text file read as YAML is one huge scalar: quote its start only.
  constexpr std::size_t kShown = 60;
  const std::string& text = node.Scalar();
  if (text.size() > kShown)
    return "'" + text.substr(0, kShown) + "...' (" + std::to_string(text.size()) + " characters)";
  return "'" + text + "'";
}

// ------------------------------------------------------------------ MapReader

namespace {
std::string fmt_number(double v) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, ptr) : std::to_string(v);
}
}  // namespace

MapReader::MapReader(Reader& r, const YAML::Node& node, std::string at, std::string_view object)
    : r_(r), node_(node), path_(std::move(at)), object_(object) {
  const auto specs = keys_of(object_);
  if (specs.empty()) throw std::logic_error("loader: unregistered object " + std::string(object));
  std::vector<std::string> valid;
  for (const auto* k : specs) valid.emplace_back(k->key);
  const std::string shown = path_.empty() ? std::string("the document") : path_;
  if (!node_.IsMap()) {
    r_.error(node_, path_, shown + ": expected a mapping, got " + describe(node_));
    return;
  }
  ok_ = true;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) {
      r_.error(it->first, path_, "keys in " + shown + " must be plain names");
      continue;
    }
    const std::string key = it->first.Scalar();
    const std::string key_path = path(key);
    auto dup = std::find_if(entries_.begin(), entries_.end(),
                            [&](const Entry& e) { return e.key == key; });
    if (dup != entries_.end()) {
      r_.error(it->first, key_path, "duplicate key '" + key + "' in " + shown);
      continue;
    }
    if (!find_key(object_, key)) {
      std::string hint = did_you_mean(key, valid);
      if (hint.empty() && valid.size() <= 12) hint = "; valid keys: " + list_choices(valid);
      r_.error(it->first, key_path, "unknown key '" + key + "' in " + shown + hint);
      continue;
    }
    entries_.push_back(Entry{key, it->first, it->second});
  }
  const ObjectSpec* spec = find_object(object_);
  if (spec && spec->one_of) {
    if (entries_.size() != 1 && node_.size() <= entries_.size()) {
      r_.error(node_, path_, shown + ": give exactly one of " + list_choices(valid));
      ok_ = false;
    }
    return;
  }
  for (const auto* k : specs) {
    if (k->required && !has(k->key)) {
      r_.error(node_, path_, "missing required key '" + std::string(k->key) + "' in " + shown);
    }
  }
}

YAML::Node MapReader::get(std::string_view key) const {
  if (!find_key(object_, key)) {
    throw std::logic_error("loader reads key '" + std::string(key) + "' not registered for " +
                           std::string(object_));
  }
  for (const auto& e : entries_) {
    if (e.key == key) return e.value;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::vector<std::string> MapReader::keys() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.key);
  return out;
}

#define RELSIM_READ_OPTIONAL(call)  \
  const YAML::Node n = get(key);    \
  if (!n.IsDefined()) return false; \
  auto v = call;                    \
  if (!v) return false;

bool MapReader::string(std::string_view key, std::string& out) const {
  RELSIM_READ_OPTIONAL(read_string(r_, n, path(key)));
  if (key == "name") check_name_length(r_, n, path(key), *v);
  out = *v;
  return true;
}
bool MapReader::within_limit(std::string_view key, const YAML::Node& n, double v) const {
  const auto limit = key_limit(object_, key);
  if (!limit || v <= limit->max) return true;
  r_.error(n, path(key),
           path(key) + ": " + n.Scalar() + " is above " +
               std::to_string(static_cast<std::int64_t>(limit->max)) + limit_note(limit->what));
  return false;
}
bool MapReader::integer(std::string_view key, std::int64_t& out, std::int64_t min) const {
  RELSIM_READ_OPTIONAL(read_integer(r_, n, path(key), min));
  if (!within_limit(key, n, static_cast<double>(*v))) return false;
  out = *v;
  return true;
}
bool MapReader::integer(std::string_view key, int& out, std::int64_t min) const {
  RELSIM_READ_OPTIONAL(read_integer(r_, n, path(key), min));
  if (!within_limit(key, n, static_cast<double>(*v))) return false;
  if (*v > INT32_MAX) {
    r_.error(n, path(key), path(key) + ": " + std::to_string(*v) + " is too large");
    return false;
  }
  out = static_cast<int>(*v);
  return true;
}
bool MapReader::number(std::string_view key, double& out, double min, bool min_exclusive) const {
  RELSIM_READ_OPTIONAL(read_number(r_, n, path(key)));
  if (*v < min || (min_exclusive && *v == min)) {
    r_.error(n, path(key),
             path(key) + ": must be " + (min_exclusive ? "greater than " : "at least ") +
                 fmt_number(min) + ", got " + n.Scalar());
    return false;
  }
  if (!within_limit(key, n, *v)) return false;
  out = *v;
  return true;
}
bool MapReader::boolean(std::string_view key, bool& out) const {
  RELSIM_READ_OPTIONAL(read_bool(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::duration(std::string_view key, sim::Duration& out, Sign sign) const {
  RELSIM_READ_OPTIONAL(read_duration(r_, n, path(key), sign));
  out = *v;
  return true;
}
bool MapReader::duration(std::string_view key, std::optional<sim::Duration>& out, Sign sign) const {
  RELSIM_READ_OPTIONAL(read_duration(r_, n, path(key), sign));
  out = *v;
  return true;
}
bool MapReader::fraction(std::string_view key, double& out) const {
  RELSIM_READ_OPTIONAL(read_fraction(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::rate(std::string_view key, double& out) const {
  RELSIM_READ_OPTIONAL(read_rate(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::time_of_day(std::string_view key, sim::Duration& out) const {
  RELSIM_READ_OPTIONAL(read_time_of_day(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::distribution(std::string_view key, sim::Distribution& out) const {
  RELSIM_READ_OPTIONAL(read_distribution(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::distribution(std::string_view key, std::optional<sim::Distribution>& out) const {
  RELSIM_READ_OPTIONAL(read_distribution(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::name_ref(std::string_view key, NameRef& out) const {
  RELSIM_READ_OPTIONAL(read_name_ref(r_, n, path(key)));
  out = *v;
  return true;
}
bool MapReader::name_list(std::string_view key, std::vector<NameRef>& out) const {
  RELSIM_READ_OPTIONAL(read_name_list(r_, n, path(key)));
  out = *v;
  return true;
}

#undef RELSIM_READ_OPTIONAL

}  // namespace relsim::models::detail
