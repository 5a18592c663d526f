// Reading a distribution of durations: a bare duration (fixed) or a one-key
// mapping `{lognormal: {median: 45s, p99: 3m}}`. Parameters that are durations
// become seconds; impossible parameters are reported with the message of
// sim::DistributionError, located at the distribution. An empirical
// distribution may read its values from a data file (`{file, column}`)
// through the load's DataReader.
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/key_defaults.hpp"
#include "models/yaml_reader.hpp"

namespace relsim::models::detail {

namespace {

/// Seconds of a required duration key (already reported missing by MapReader).
std::optional<double> seconds(const MapReader& m, std::string_view key) {
  sim::Duration d;
  if (!m.duration(key, d)) return std::nullopt;
  return d.to_seconds();
}

std::optional<double> number(const MapReader& m, std::string_view key) {
  double v = 0;
  if (!m.number(key, v)) return std::nullopt;
  return v;
}

/// Calls a factory; reports its DistributionError at `n`. `path` is always
/// `<distribution>.<kind>`; the message names the distribution
/// (`spec.services[web].restart: lognormal: p99 ...`).
template <typename F>
std::optional<sim::Distribution> make(Reader& r, const YAML::Node& n, const std::string& path,
                                      F&& factory) {
  try {
    return factory();
  } catch (const sim::DistributionError& e) {
    r.error(n, path, path.substr(0, path.rfind('.')) + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<sim::Distribution> read_lognormal(Reader& r, const YAML::Node& n,
                                                const std::string& path) {
  MapReader m(r, n, path, "Lognormal");
  if (!m.ok()) return std::nullopt;
  const bool quantile_form = m.has("median") || m.has("p90") || m.has("p95") || m.has("p99");
  const bool moment_form = m.has("mu") || m.has("sigma");
  const char* const usage = ": lognormal takes {median, p90|p95|p99} or {mu, sigma}";
  if (quantile_form == moment_form) {
    m.error(path + usage);
    return std::nullopt;
  }
  if (moment_form) {
    if (!m.has("mu") || !m.has("sigma")) {
      m.error(path + usage);
      return std::nullopt;
    }
    auto mu = number(m, "mu");
    auto sigma = number(m, "sigma");
    if (!mu || !sigma) return std::nullopt;
    return make(r, n, path, [&] { return sim::Distribution::lognormal(*mu, *sigma); });
  }
  std::vector<std::pair<std::string_view, double>> quantiles;
  for (auto [key, p] : {std::pair{"p90", 0.90}, {"p95", 0.95}, {"p99", 0.99}}) {
    if (m.has(key)) quantiles.emplace_back(key, p);
  }
  if (!m.has("median") || quantiles.size() != 1) {
    m.error(path + usage);
    return std::nullopt;
  }
  auto median = seconds(m, "median");
  auto q = seconds(m, quantiles[0].first);
  if (!median || !q) return std::nullopt;
  const double p = quantiles[0].second;
  return make(r, n, path,
              [&] { return sim::Distribution::lognormal_from_quantile(*median, p, *q); });
}

/// True when `path` lies under one of `roots`, with links resolved.
bool inside_any(const std::string& path, const std::vector<std::filesystem::path>& roots) {
  namespace fs = std::filesystem;
  auto real = [](const fs::path& p) {
    std::error_code ec;
    fs::path out = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::absolute(p, ec).lexically_normal() : out;
  };
  const fs::path target = real(path);
  for (const auto& root : roots) {
    const fs::path rel = target.lexically_relative(real(root));
    if (!rel.empty() && *rel.begin() != ".." && rel != ".") return true;
  }
  return false;
}

/// `{file: F, column: C}`: the values of column C of data file F, whose path
/// is relative to the directory of the file being read. The DataReader of
/// the load reads it (models/data_reader.hpp); its errors are located at the
/// `file` or `column` key, or at the distribution for unusable data.
std::optional<sim::Distribution> read_empirical_file(Reader& r, const MapReader& m,
                                                     const YAML::Node& n, const std::string& path,
                                                     bool interpolate) {
  std::string file, column;
  if (!m.string("file", file)) return std::nullopt;
  if (!m.has("column")) {
    m.error(path + ": empirical with a file needs a column (e.g. column: tta)");
    return std::nullopt;
  }
  if (!m.string("column", column)) return std::nullopt;
  namespace fs = std::filesystem;
  const fs::path base = fs::path(r.file()).parent_path();
  const std::string resolved =
      fs::path(file).is_absolute() ? file : (base / file).lexically_normal().string();
  const DataReader* reader = r.sink().data_reader();
  if (!reader) {
    m.error("file", m.path("file") + ": this command cannot read data files");
    return std::nullopt;
  }
  const bool from_command_line =
      r.file() == "<command line>" || m.where("file").file == "<command line>";  // --set
  if (!r.file().empty() && r.file().front() != '-' && !from_command_line) {
    // Confinement (docs/security.md): under the folder of the file that
    // names it, or a --data-dir, once every link is resolved. A data file
    // named on the command line (`--set`, an option) is the user's own choice.
    std::vector<fs::path> roots{base.empty() ? fs::path(".") : base};
    for (const auto& d : reader->data_dirs()) roots.emplace_back(d);
    if (!inside_any(resolved, roots)) {
      m.error("file", m.path("file") + ": data file '" + file + "' lies outside the folder '" +
                          roots.front().string() +
                          "' of the file that names it; data files must lie under that folder "
                          "or under a folder given with --data-dir (docs/security.md)");
      return std::nullopt;
    }
  }
  std::vector<double> values;
  try {
    values = reader->read_column(resolved, column);
  } catch (const DataReadError& e) {
    const char* key = e.part() == DataReadError::Part::file     ? "file"
                      : e.part() == DataReadError::Part::column ? "column"
                                                                : nullptr;
    // One diagnostic per line of the reader's message (a data file's
    // problems, one per line), each located at the key.
    const std::string_view lines = e.what();
    for (std::size_t start = 0; start < lines.size();) {
      std::size_t end = lines.find('\n', start);
      if (end == std::string_view::npos) end = lines.size();
      const std::string message = path + ": " + std::string(lines.substr(start, end - start));
      if (key) {
        m.error(key, message);
      } else {
        r.error(n, path, message);
      }
      start = end + 1;
    }
    return std::nullopt;
  }
  const std::string what = "column '" + column + "' of '" + file + "'";
  if (values.empty()) {
    r.error(n, path, path + ": " + what + " holds no values");
    return std::nullopt;
  }
  bool positive = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= 0.0) || !std::isfinite(values[i])) {
      r.error(n, path,
              path + ": " + what + " holds a value that is not a duration (value " +
                  std::to_string(i + 1) + ": " + std::to_string(values[i]) + " s)");
      return std::nullopt;
    }
    positive = positive || values[i] > 0.0;
  }
  if (!positive) {
    r.error(n, path, path + ": " + what + " holds only zero durations");
    return std::nullopt;
  }
  return make(r, n, path, [&] { return sim::Distribution::empirical(values, interpolate); });
}

std::optional<sim::Distribution> read_empirical(Reader& r, const YAML::Node& n,
                                                const std::string& path) {
  YAML::Node values = n;
  std::string values_path = path;
  bool interpolate = defaults::kEmpiricalInterpolate;
  if (n.IsMap()) {
    MapReader m(r, n, path, "Empirical");
    if (!m.ok()) return std::nullopt;
    m.boolean("interpolate", interpolate);
    if (m.has("values") == m.has("file")) {
      m.error(path + ": empirical takes either values: [...] or file: and column:");
      return std::nullopt;
    }
    if (m.has("file")) return read_empirical_file(r, m, n, path, interpolate);
    if (m.has("column")) {
      m.error("column", m.path("column") + ": column goes with file:, not with values:");
      return std::nullopt;
    }
    values = m.get("values");
    values_path = m.path("values");
  }
  if (!values.IsSequence()) {
    r.error(values, values_path,
            values_path + ": expected a list of durations like [30s, 1m], got " + describe(values));
    return std::nullopt;
  }
  std::vector<double> table;
  bool ok = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto d = read_duration(r, values[i], values_path + "[" + std::to_string(i) + "]");
    if (d)
      table.push_back(d->to_seconds());
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return make(r, n, path, [&] { return sim::Distribution::empirical(table, interpolate); });
}

}  // namespace

std::optional<sim::Distribution> read_distribution(Reader& r, const YAML::Node& n,
                                                   const std::string& path) {
  if (n.IsDefined() && n.IsScalar()) {
    auto d = read_duration(r, n, path);
    if (!d) return std::nullopt;
    return sim::Distribution::fixed(d->to_seconds());
  }
  if (!n.IsMap()) {
    r.error(n, path,
            path + ": expected a duration or a distribution like {exponential: {mean: 30d}}, got " +
                describe(n));
    return std::nullopt;
  }
  MapReader outer(r, n, path, "Distribution");
  if (!outer.ok()) return std::nullopt;
  const auto keys = outer.keys();
  if (keys.size() != 1) return std::nullopt;  // reported by MapReader (one_of)
  const std::string& kind = keys[0];
  const YAML::Node body = outer.get(kind);
  const std::string body_path = outer.path(kind);

  if (kind == "fixed") {
    auto d = read_duration(r, body, body_path);
    if (!d) return std::nullopt;
    return sim::Distribution::fixed(d->to_seconds());
  }
  if (kind == "lognormal") return read_lognormal(r, body, body_path);
  if (kind == "empirical") return read_empirical(r, body, body_path);

  if (kind == "exponential") {
    MapReader m(r, body, body_path, "Exponential");
    auto mean = seconds(m, "mean");
    if (!m.ok() || !mean) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::exponential(*mean); });
  }
  if (kind == "weibull") {
    MapReader m(r, body, body_path, "Weibull");
    auto shape = number(m, "shape");
    auto scale = seconds(m, "scale");
    if (!m.ok() || !shape || !scale) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::weibull(*shape, *scale); });
  }
  if (kind == "uniform") {
    MapReader m(r, body, body_path, "Uniform");
    auto lo = seconds(m, "min");
    auto hi = seconds(m, "max");
    if (!m.ok() || !lo || !hi) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::uniform(*lo, *hi); });
  }
  if (kind == "gamma") {
    MapReader m(r, body, body_path, "Gamma");
    auto shape = number(m, "shape");
    auto scale = seconds(m, "scale");
    if (!m.ok() || !shape || !scale) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::gamma(*shape, *scale); });
  }
  if (kind == "normal") {
    MapReader m(r, body, body_path, "Normal");
    auto mean = seconds(m, "mean");
    auto sd = seconds(m, "sd");
    if (!m.ok() || !mean || !sd) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::normal(*mean, *sd); });
  }
  if (kind == "erlang") {
    MapReader m(r, body, body_path, "Erlang");
    int k = 0;
    const bool has_k = m.integer("k", k, 1);
    auto mean = seconds(m, "mean");
    if (!m.ok() || !has_k || !mean) return std::nullopt;
    return make(r, body, body_path, [&] { return sim::Distribution::erlang(k, *mean); });
  }
  return std::nullopt;  // unreachable: MapReader accepts only registered kinds
}

}  // namespace relsim::models::detail
