// Field accessors and value grammars of the import readers. See
// analysis/import/reader_fields.hpp.
#include "analysis/import/reader_fields.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace relsim::analysis::import {

namespace {

const char* kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::string shown(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  return kind_name(n);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool digits(const std::string& s, std::size_t at, std::size_t n, int& value) {
  if (at + n > s.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

YAML::Node FieldReader::child(const YAML::Node& node, const std::string& key) {
  if (node.IsDefined() && node.IsMap()) {
    const YAML::Node c = node[key];
    if (c.IsDefined()) return c;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string FieldReader::path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string FieldReader::metadata_name(const YAML::Node& node, const std::string& prefix,
                                       const std::string& what) const {
  const YAML::Node meta = map(node, "metadata", path(prefix, "metadata"));
  const auto name = text(meta, "name", path(prefix, "metadata.name"));
  if (!name || name->empty()) {
    warn(meta.IsDefined() ? meta : node, path(prefix, "metadata.name"),
         what + " needs metadata.name: skipped");
    return "";
  }
  return *name;
}

void FieldReader::note(ImportNote::Level level, const YAML::Node& node, const std::string& field,
                       const std::string& text) const {
  out.notes.push_back(ImportNote{level, origin(node, field), text});
}

std::optional<std::string> FieldReader::text(const YAML::Node& parent, const std::string& key,
                                             const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (!n.IsScalar()) {
    warn(n, field, std::string("expected a string, got ") + kind_name(n) + ": skipped");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<double> FieldReader::number(const YAML::Node& parent, const std::string& key,
                                          const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  const auto v = n.IsScalar() ? parse_number(n.Scalar()) : std::nullopt;
  if (!v) warn(n, field, "expected a number, got " + shown(n) + ": skipped");
  return v;
}

std::optional<long long> FieldReader::integer(const YAML::Node& parent, const std::string& key,
                                              const std::string& field, long long min) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  const auto v = n.IsScalar() ? parse_number(n.Scalar()) : std::nullopt;
  if (!v || *v != std::floor(*v) || std::fabs(*v) > 1e15) {
    warn(n, field, "expected an integer, got " + shown(n) + ": skipped");
    return std::nullopt;
  }
  if (*v < static_cast<double>(min)) {
    warn(n, field,
         "expected an integer of at least " + std::to_string(min) + ", got " + shown(n) +
             ": skipped");
    return std::nullopt;
  }
  return static_cast<long long>(*v);
}

std::optional<bool> FieldReader::boolean(const YAML::Node& parent, const std::string& key,
                                         const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (n.IsScalar()) {
    const std::string s = lower(trim(n.Scalar()));
    if (s == "true") return true;
    if (s == "false") return false;
  }
  warn(n, field, "expected true or false, got " + shown(n) + ": skipped");
  return std::nullopt;
}

std::optional<double> FieldReader::go_duration(const YAML::Node& parent, const std::string& key,
                                               const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  const auto v = n.IsScalar() ? parse_go_duration(n.Scalar()) : std::nullopt;
  if (!v)
    warn(n, field, "expected a duration such as 90s, 5m or 1h30m, got " + shown(n) + ": skipped");
  return v;
}

YAML::Node FieldReader::list(const YAML::Node& parent, const std::string& key,
                             const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  if (!n.IsSequence()) {
    warn(n, field, std::string("expected a list, got ") + kind_name(n) + ": skipped");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return n;
}

YAML::Node FieldReader::map(const YAML::Node& parent, const std::string& key,
                            const std::string& field) const {
  const YAML::Node n = child(parent, key);
  if (!n.IsDefined() || n.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  if (!n.IsMap()) {
    warn(n, field, std::string("expected a map, got ") + kind_name(n) + ": skipped");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return n;
}

std::optional<double> parse_number(const std::string& text) {
  const std::string s = trim(text);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<CountOrPercent> parse_count_or_percent(const std::string& text) {
  std::string s = trim(text);
  CountOrPercent r;
  if (!s.empty() && s.back() == '%') {
    r.percent = true;
    s.pop_back();
  }
  const auto v = parse_number(s);
  if (!v || *v < 0) return std::nullopt;
  if (r.percent) {
    if (*v > 100) return std::nullopt;
    r.value = *v / 100.0;
  } else {
    if (*v != std::floor(*v)) return std::nullopt;
    r.value = *v;
  }
  return r;
}

std::optional<double> parse_go_duration(const std::string& text) {
  const std::string s = trim(text);
  if (s == "0") return 0.0;
  if (s.empty()) return std::nullopt;
  double total = 0.0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    const auto v = parse_number(s.substr(start, i - start));
    if (!v) return std::nullopt;
    const std::size_t ustart = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    const std::string unit = s.substr(ustart, i - ustart);
    double scale = 0.0;
    if (unit == "h")
      scale = 3600.0;
    else if (unit == "m")
      scale = 60.0;
    else if (unit == "s")
      scale = 1.0;
    else if (unit == "ms")
      scale = 1e-3;
    else if (unit == "us" || unit == "µs")
      scale = 1e-6;
    else if (unit == "ns")
      scale = 1e-9;
    else
      return std::nullopt;
    total += *v * scale;
  }
  return total;
}

int weekday_of_days(long long days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

std::optional<IsoInstant> parse_iso_instant(const std::string& text) {
  const std::string s = trim(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  std::size_t i = 10;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    if (!digits(s, i + 1, 2, h) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !digits(s, i + 4, 2, mi)) {
      return std::nullopt;
    }
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!digits(s, i + 1, 2, sec)) return std::nullopt;
      i += 3;
      if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  IsoInstant r;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      r.has_offset = true;
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!digits(s, i + 1, 2, oh)) return std::nullopt;
      std::size_t j = i + 3;
      if (j < s.size() && s[j] == ':') ++j;
      if (j < s.size()) {
        if (!digits(s, j, 2, om)) return std::nullopt;
        j += 2;
      }
      r.has_offset = true;
      r.offset_minutes = sign * (oh * 60 + om);
      i = j;
    }
  }
  if (i != s.size()) return std::nullopt;
  const long long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  r.utc_seconds = days * 86400 + h * 3600 + mi * 60 + sec - r.offset_minutes * 60LL;
  r.weekday = weekday_of_days(days);
  r.hour = h;
  r.minute = mi;
  return r;
}

std::optional<int> zone_offset_minutes(const std::string& name, long long utc_seconds) {
  if (name == "UTC" || name == "Etc/UTC" || name == "GMT" || name == "Z") return 0;
  // The name comes from an imported file: only a tz database path.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) {
    return std::nullopt;
  }
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return std::nullopt;
    }
  }
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // TZif (RFC 8536): a 44-byte header, then the version-1 block of 32-bit
  // transition times, which reaches 2037 in Debian's (fat) files.
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return std::nullopt;
  auto be32 = [&](std::size_t at) -> long long {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(data[at + i]); };
    const auto u = (static_cast<unsigned long>(b(0)) << 24) |
                   (static_cast<unsigned long>(b(1)) << 16) |
                   (static_cast<unsigned long>(b(2)) << 8) | static_cast<unsigned long>(b(3));
    return static_cast<long long>(static_cast<std::int32_t>(static_cast<std::uint32_t>(u)));
  };
  const auto timecnt = static_cast<std::size_t>(be32(32));
  const auto typecnt = static_cast<std::size_t>(be32(36));
  const std::size_t times = 44, indices = times + 4 * timecnt, types = indices + timecnt;
  if (typecnt == 0 || data.size() < types + 6 * typecnt) return std::nullopt;
  std::size_t type = 0;
  // Before the first transition: the first standard-time type.
  for (std::size_t t = 0; t < typecnt; ++t) {
    if (data[types + 6 * t + 4] == 0) {
      type = t;
      break;
    }
  }
  for (std::size_t i = 0; i < timecnt; ++i) {
    if (be32(times + 4 * i) > utc_seconds) break;
    type = static_cast<unsigned char>(data[indices + i]);
  }
  if (type >= typecnt) return std::nullopt;
  return static_cast<int>(be32(types + 6 * type) / 60);
}

std::string local_week_time(long long utc_seconds, int offset_minutes) {
  const long long local = utc_seconds + offset_minutes * 60LL;
  const long long days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const long long sec = local - days * 86400;
  return week_time(weekday_of_days(days), static_cast<int>(sec / 3600),
                   static_cast<int>((sec % 3600) / 60));
}

const char* weekday_name(int weekday) {
  static const char* const kNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return kNames[((weekday % 7) + 7) % 7];
}

std::optional<int> parse_weekday(const std::string& text) {
  static const char* const kFull[] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
  const std::string s = lower(trim(text));
  for (int i = 0; i < 7; ++i) {
    const std::string full = kFull[i];
    if (s == full || s == full.substr(0, 3)) return i;
  }
  return std::nullopt;
}

std::string week_time(int weekday, int hour, int minute) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", weekday_name(weekday), hour, minute);
  return buf;
}

std::string utc_offset_text(int offset_minutes) {
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string number_text(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

std::string percent_text(double fraction) {
  return number_text(std::round(fraction * 100000.0) / 1000.0) + "%";
}

void WeekCoverage::add(int start, int length) {
  if (length >= kMinutes) length = kMinutes;
  for (int i = 0; i < length; ++i) {
    minutes_[static_cast<std::size_t>((((start + i) % kMinutes) + kMinutes) % kMinutes)] = true;
  }
}

double WeekCoverage::fraction() const {
  int covered = 0;
  for (const bool b : minutes_) covered += b ? 1 : 0;
  return static_cast<double>(covered) / kMinutes;
}

void set_handoff(const FieldReader& r, ImportedTeam& team, const YAML::Node& start,
                 const std::string& start_field, const YAML::Node& zone,
                 const std::string& zone_field) {
  std::optional<IsoInstant> at;
  if (start.IsDefined() && !start.IsNull()) {
    at = start.IsScalar() ? parse_iso_instant(start.Scalar()) : std::nullopt;
    if (!at) {
      r.warn(start, start_field,
             "expected an ISO 8601 time (2026-03-02T10:00:00+01:00), got " + shown(start) +
                 ": the hand-off is not read");
    }
  }
  std::optional<int> offset;
  if (zone.IsDefined() && zone.IsScalar() && !zone.Scalar().empty()) {
    team.time_zone = Sourced<std::string>{zone.Scalar(), r.origin(zone, zone_field)};
    offset = zone_offset_minutes(zone.Scalar(), at ? at->utc_seconds : 0);
    if (!offset) {
      r.warn(zone, zone_field,
             "'" + zone.Scalar() +
                 "' is not a time zone of the tz database (Europe/Berlin, America/New_York): " +
                 (at && at->has_offset ? "took the offset written in the start time"
                                       : "the UTC offset is not read"));
    } else {
      team.utc_offset = Sourced<std::string>{utc_offset_text(*offset), r.origin(zone, zone_field)};
    }
  }
  if (!at) return;
  if (!at->has_offset) {
    // A local time without a zone: its weekday and time as written.
    team.handoff = Sourced<std::string>{week_time(at->weekday, at->hour, at->minute),
                                        r.origin(start, start_field)};
    return;
  }
  if (!offset) {
    offset = at->offset_minutes;
    team.utc_offset = Sourced<std::string>{utc_offset_text(*offset), r.origin(start, start_field)};
  }
  team.handoff =
      Sourced<std::string>{local_week_time(at->utc_seconds, *offset), r.origin(start, start_field)};
}

std::vector<std::string> app_labels(const YAML::Node& labels) {
  std::vector<std::string> names;
  for (const char* key : {"app", "app.kubernetes.io/name"}) {
    const YAML::Node v = FieldReader::child(labels, key);
    if (v.IsDefined() && v.IsScalar()) add_unique(names, v.Scalar());
  }
  return names;
}

void note_stopped(const SourceDocument& doc, ImportModel& out, const YAML::Exception& e,
                  const std::string& format) {
  Origin o;
  o.file = doc.file;
  if (!e.mark.is_null()) {
    o.line = e.mark.line + 1;
    o.column = e.mark.column + 1;
  }
  out.notes.push_back(ImportNote{
      ImportNote::Level::error, o,
      "could not read this " + format + " document (" + e.msg + "): the rest of it was skipped"});
}

void add_unique(std::vector<std::string>& names, const std::string& name) {
  if (name.empty()) return;
  for (const auto& n : names) {
    if (n == name) return;
  }
  names.push_back(name);
}

}  // namespace relsim::analysis::import
