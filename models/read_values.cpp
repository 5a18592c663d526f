// Reading scalar values (strings, numbers, durations, fractions, rates,
// times) and name lists from yaml-cpp nodes, with located diagnostics.
#include <cctype>
#include <charconv>
#include <cmath>

#include "models/limits.hpp"
#include "models/yaml_reader.hpp"

namespace relsim::models::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::optional<double> parse_double(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

/// Scalar text, or report the shape as wrong and return nullopt.
/// The first control character of `s` a value may not hold (C0 but tab and
/// line feed, DEL, C1 U+0080-U+009F), as `U+001B`; empty when none.
std::string control_in(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    unsigned code = 0x100;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) code = c;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      code = static_cast<unsigned char>(s[i + 1]);
    }
    if (code != 0x100) return std::string("U+00") + kHex[code >> 4] + kHex[code & 0xF];
  }
  return {};
}

std::optional<std::string> scalar(Reader& r, const YAML::Node& n, const std::string& path,
                                  std::string_view expected) {
  if (n.IsDefined() && n.IsScalar()) {
    // An escape in quoted text ("\e[31m") would reach the terminal through
    // every name and description that relsim prints (docs/security.md).
    if (const std::string bad = control_in(n.Scalar()); !bad.empty()) {
      r.error(n, path,
              path + ": a control character (" + bad +
                  ") in a value; names and values are printable text (a tab or a line break "
                  "at most)");
      return std::nullopt;
    }
    return n.Scalar();
  }
  r.error(n, path, path + ": expected " + std::string(expected) + ", got " + describe(n));
  return std::nullopt;
}

std::optional<int> parse_weekday(std::string_view s) {
  static const char* kNames[] = {"monday", "tuesday",  "wednesday", "thursday",
                                 "friday", "saturday", "sunday"};
  const std::string l = lower(s);
  for (int i = 0; i < 7; ++i) {
    const std::string full = kNames[i];
    if (l == full || l == full.substr(0, 3)) return i;
  }
  return std::nullopt;
}

/// `HH:MM[:SS]`; 24:00 allowed.
std::optional<sim::Duration> parse_clock(std::string_view s) {
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t pos = 0;
  while (pos <= s.size() && count < 3) {
    const std::size_t colon = s.find(':', pos);
    const std::string_view part =
        s.substr(pos, colon == std::string_view::npos ? s.npos : colon - pos);
    if (part.empty() || part.size() > 2) return std::nullopt;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), parts[count]);
    if (ec != std::errc() || p != part.data() + part.size()) return std::nullopt;
    ++count;
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (count < 2 || (count == 3 && s.find(':', s.rfind(':') + 1) != s.npos)) return std::nullopt;
  if (parts[0] > 24 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  if (parts[0] == 24 && (parts[1] != 0 || parts[2] != 0)) return std::nullopt;
  return sim::Duration::hours(parts[0]) + sim::Duration::minutes(parts[1]) +
         sim::Duration::seconds(parts[2]);
}

std::optional<CivilTime> parse_civil(std::string_view s) {
  // YYYY-MM-DD[(T| )HH:MM[:SS]]
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  CivilTime c;
  auto num = [&](std::size_t at, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc() && p == s.data() + at + len;
  };
  if (!num(0, 4, c.year) || !num(5, 2, c.month) || !num(8, 2, c.day)) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > kDays[c.month - 1]) return std::nullopt;
  const bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  if (c.month == 2 && c.day == 29 && !leap) return std::nullopt;
  c.hour = c.minute = c.second = 0;
  if (s.size() == 10) return c;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  auto clock = parse_clock(s.substr(11));
  if (!clock || *clock >= sim::Duration::days(1)) return std::nullopt;
  const std::int64_t secs = clock->count_micros() / 1'000'000;
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

}  // namespace

std::optional<std::string> read_string(Reader& r, const YAML::Node& n, const std::string& path) {
  return scalar(r, n, path, "a string");
}

std::optional<std::int64_t> read_integer(Reader& r, const YAML::Node& n, const std::string& path,
                                         std::int64_t min) {
  auto s = scalar(r, n, path, "an integer");
  if (!s) return std::nullopt;
  std::string_view v = *s;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty()) {
    r.error(n, path, path + ": expected an integer, got '" + *s + "'");
    return std::nullopt;
  }
  if (out < min) {
    r.error(n, path, path + ": must be at least " + std::to_string(min) + ", got " + *s);
    return std::nullopt;
  }
  return out;
}

std::optional<double> read_number(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "a number");
  if (!s) return std::nullopt;
  auto v = parse_double(*s);
  if (!v) r.error(n, path, path + ": expected a number, got '" + *s + "'");
  return v;
}

std::optional<bool> read_bool(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "true or false");
  if (!s) return std::nullopt;
  const std::string l = lower(*s);
  if (l == "true") return true;
  if (l == "false") return false;
  r.error(n, path, path + ": expected true or false, got '" + *s + "'");
  return std::nullopt;
}

std::optional<sim::Duration> read_duration(Reader& r, const YAML::Node& n, const std::string& path,
                                           Sign sign) {
  auto s = scalar(r, n, path, "a duration like 30s");
  if (!s) return std::nullopt;
  try {
    const sim::Duration d = sim::parse_duration(*s);
    if (sign == Sign::positive && d <= sim::Duration::zero()) {
      r.error(n, path, path + ": must be greater than 0, got '" + *s + "'");
      return std::nullopt;
    }
    return d;
  } catch (const sim::DurationError& e) {
    r.error(n, path, path + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<double> read_fraction(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "a percentage like 99.9% or a fraction like 0.999");
  if (!s) return std::nullopt;
  const std::string t = trim(*s);
  if (!t.empty() && t.back() == '%') {
    auto v = parse_double(trim(std::string_view(t).substr(0, t.size() - 1)));
    if (!v) {
      r.error(n, path, path + ": expected a percentage like 99.9%, got '" + *s + "'");
      return std::nullopt;
    }
    if (*v < 0 || *v > 100) {
      r.error(n, path, path + ": " + t + " is outside 0%..100%");
      return std::nullopt;
    }
    return *v / 100.0;
  }
  auto v = parse_double(t);
  if (!v) {
    r.error(n, path,
            path + ": expected a percentage like 99.9% or a fraction like 0.999, got '" + *s + "'");
    return std::nullopt;
  }
  if (*v > 1.0) {
    r.error(n, path, path + ": " + t + " is not a fraction in [0, 1] (did you mean " + t + "%?)");
    return std::nullopt;
  }
  if (*v < 0.0) {
    r.error(n, path, path + ": " + t + " is outside [0, 1]");
    return std::nullopt;
  }
  return *v;
}

std::optional<double> read_rate(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "a rate like 2/day");
  if (!s) return std::nullopt;
  const std::string t = trim(*s);
  const std::size_t slash = t.find('/');
  const std::string hint = " (expected a rate like 2/day, 0.5/h or 1/30d)";
  if (slash == std::string::npos) {
    r.error(n, path, path + ": '" + t + "' has no time unit" + hint);
    return std::nullopt;
  }
  auto count = parse_double(trim(std::string_view(t).substr(0, slash)));
  const std::string unit = trim(std::string_view(t).substr(slash + 1));
  if (!count) {
    r.error(n, path, path + ": bad rate '" + t + "'" + hint);
    return std::nullopt;
  }
  if (*count < 0) {
    r.error(n, path, path + ": rate '" + t + "' must not be negative");
    return std::nullopt;
  }
  static const std::vector<std::pair<std::string_view, double>> kUnits = {
      {"s", 1},       {"sec", 1},    {"second", 1},  {"m", 60},        {"min", 60},
      {"minute", 60}, {"h", 3600},   {"hr", 3600},   {"hour", 3600},   {"d", 86400},
      {"day", 86400}, {"w", 604800}, {"wk", 604800}, {"week", 604800},
  };
  double seconds = 0;
  for (const auto& [name, secs] : kUnits) {
    if (unit == name || (unit.size() > 1 && unit == std::string(name) + "s")) seconds = secs;
  }
  if (seconds == 0) {
    try {
      seconds = sim::parse_duration(unit).to_seconds();
    } catch (const sim::DurationError&) {
      r.error(n, path, path + ": unknown time unit '" + unit + "' in rate '" + t + "'" + hint);
      return std::nullopt;
    }
    if (seconds <= 0) {
      r.error(n, path, path + ": rate '" + t + "' divides by zero time");
      return std::nullopt;
    }
  }
  return *count / seconds;
}

std::optional<sim::Duration> read_time_of_day(Reader& r, const YAML::Node& n,
                                              const std::string& path) {
  auto s = scalar(r, n, path, "a time of day like \"14:00\"");
  if (!s) return std::nullopt;
  auto v = parse_clock(trim(*s));
  if (!v) r.error(n, path, path + ": expected a time of day like \"14:00\", got '" + *s + "'");
  return v;
}

std::optional<CivilTime> read_civil(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "a date and time like 2026-03-02T00:00");
  if (!s) return std::nullopt;
  auto v = parse_civil(trim(*s));
  if (!v) {
    r.error(n, path, path + ": expected a date and time like 2026-03-02T00:00, got '" + *s + "'");
  }
  return v;
}

std::optional<TimeSpec> read_time_spec(Reader& r, const YAML::Node& n, const std::string& path,
                                       bool allow_offset, bool allow_civil) {
  std::string expected = "a time like 'Tue 14:00'";
  if (allow_offset) expected += ", an offset like '+36h'";
  if (allow_civil) expected += " or a date like '2026-03-03T14:00'";
  auto s = scalar(r, n, path, expected);
  if (!s) return std::nullopt;
  TimeSpec spec;
  spec.text = trim(*s);
  spec.location = r.where(n, path);
  const std::string& t = spec.text;
  // Weekday and time of day.
  if (const std::size_t space = t.find(' '); space != std::string::npos) {
    if (auto wd = parse_weekday(t.substr(0, space))) {
      if (auto clock = parse_clock(trim(std::string_view(t).substr(space + 1)));
          clock && *clock < sim::Duration::days(1)) {
        spec.kind = TimeSpec::Kind::weekday_time;
        spec.weekday = static_cast<Weekday>(*wd);
        spec.time_of_day = *clock;
        return spec;
      }
    }
  }
  if (allow_civil) {
    if (auto c = parse_civil(t)) {
      spec.kind = TimeSpec::Kind::civil;
      spec.civil = *c;
      return spec;
    }
  }
  if (allow_offset && !t.empty() &&
      (t.front() == '+' || std::isdigit(static_cast<unsigned char>(t.front())))) {
    try {
      spec.kind = TimeSpec::Kind::offset;
      spec.offset = sim::parse_duration(t.front() == '+' ? t.substr(1) : t);
      return spec;
    } catch (const sim::DurationError& e) {
      r.error(n, path, path + ": " + e.what());
      return std::nullopt;
    }
  }
  r.error(n, path, path + ": expected " + expected + ", got '" + t + "'");
  return std::nullopt;
}

void check_name_length(Reader& r, const YAML::Node& n, const std::string& path, std::string& name) {
  if (name.size() <= kMaxNameBytes) return;
  r.error(n, path,
          path + ": a name of " + std::to_string(name.size()) + " bytes; names are at most " +
              std::to_string(kMaxNameBytes) + " bytes" + limit_note("bytes of a name"));
  // The load fails; later messages quote only the start.
  name.resize(32);
  name += "...";
}

std::optional<NameRef> read_name_ref(Reader& r, const YAML::Node& n, const std::string& path) {
  auto s = scalar(r, n, path, "a name");
  if (!s) return std::nullopt;
  if (s->empty()) {
    r.error(n, path, path + ": expected a name, got an empty string");
    return std::nullopt;
  }
  check_name_length(r, n, path, *s);
  return NameRef{*s, r.where(n, path)};
}

std::optional<std::vector<NameRef>> read_name_list(Reader& r, const YAML::Node& n,
                                                   const std::string& path) {
  if (!n.IsSequence()) {
    r.error(n, path, path + ": expected a list of names like [a, b], got " + describe(n));
    return std::nullopt;
  }
  std::vector<NameRef> out;
  bool ok = true;
  for (std::size_t i = 0; i < n.size(); ++i) {
    auto ref = read_name_ref(r, n[i], path + "[" + std::to_string(i) + "]");
    if (ref)
      out.push_back(std::move(*ref));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::vector<std::pair<YAML::Node, std::string>> read_list(Reader& r, const YAML::Node& n,
                                                          const std::string& path) {
  std::vector<std::pair<YAML::Node, std::string>> out;
  if (!n.IsSequence()) {
    r.error(n, path, path + ": expected a list, got " + describe(n));
    return out;
  }
  for (std::size_t i = 0; i < n.size(); ++i) {
    out.emplace_back(n[i], path + item_segment(n[i], i));
  }
  return out;
}
}  // namespace relsim::models::detail
