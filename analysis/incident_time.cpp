#include "analysis/incident_time.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "models/calendar.hpp"

namespace relsim::analysis {

namespace {

bool parse_uint(std::string_view s, std::size_t& pos, int digits, int& out) {
  if (pos + digits > s.size()) return false;
  int v = 0;
  for (int k = 0; k < digits; ++k) {
    const char c = s[pos + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += digits;
  out = v;
  return true;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool digit = false, dot = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<double> parse_timestamp(std::string_view text, double epoch_unit, bool* had_offset) {
  if (had_offset) *had_offset = true;
  if (auto n = parse_decimal(text)) {
    // Epoch seconds must name a time an ISO-8601 text can write back (years
    // 0000-9999): a table read from epoch values is exported as ISO text.
    const double t = *n * epoch_unit;
    if (!std::isfinite(t) || t > kLastIsoSecond) return std::nullopt;
    return t;
  }
  std::size_t p = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!parse_uint(text, p, 4, year) || p >= text.size() || text[p++] != '-') return std::nullopt;
  if (!parse_uint(text, p, 2, month) || p >= text.size() || text[p++] != '-') return std::nullopt;
  if (!parse_uint(text, p, 2, day)) return std::nullopt;
  if (p >= text.size() || (text[p] != 'T' && text[p] != 't' && text[p] != ' ')) return std::nullopt;
  ++p;
  if (!parse_uint(text, p, 2, hour) || p >= text.size() || text[p++] != ':') return std::nullopt;
  if (!parse_uint(text, p, 2, minute)) return std::nullopt;
  double fraction = 0.0;
  if (p < text.size() && text[p] == ':') {
    ++p;
    if (!parse_uint(text, p, 2, second)) return std::nullopt;
    if (p < text.size() && (text[p] == '.' || text[p] == ',')) {
      ++p;
      double scale = 0.1;
      const std::size_t start = p;
      while (p < text.size() && text[p] >= '0' && text[p] <= '9') {
        fraction += (text[p++] - '0') * scale;
        scale /= 10.0;
      }
      if (p == start) return std::nullopt;
    }
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  double offset = 0.0;
  if (p == text.size()) {
    if (had_offset) *had_offset = false;
  } else if (text[p] == 'Z' || text[p] == 'z') {
    ++p;
  } else if (text[p] == '+' || text[p] == '-') {
    const double sign = text[p] == '-' ? -1.0 : 1.0;
    ++p;
    int oh = 0, om = 0;
    if (!parse_uint(text, p, 2, oh)) return std::nullopt;
    if (p < text.size() && text[p] == ':') ++p;
    if (p < text.size() && !parse_uint(text, p, 2, om)) return std::nullopt;
    if (oh > 18 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600.0 + om * 60.0);
  }
  if (p != text.size()) return std::nullopt;
  const double days = static_cast<double>(models::days_from_civil(year, month, day));
  return days * 86400.0 + hour * 3600.0 + minute * 60.0 + second + fraction - offset;
}

std::string format_timestamp(double unix_seconds) {
  const double whole = std::floor(unix_seconds);
  const auto total = static_cast<std::int64_t>(whole);
  std::int64_t days = total / 86400;
  std::int64_t rest = total % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // civil_from_days (Howard Hinnant's published algorithm).
  std::int64_t z = days + 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  char buf[64];
  const long ms = std::lround((unix_seconds - whole) * 1000.0);
  if (ms > 0 && ms < 1000) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", year, month, day,
                  static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                  static_cast<int>(rest % 60), ms);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day,
                  static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60),
                  static_cast<int>(rest % 60));
  }
  return buf;
}

}  // namespace relsim::analysis
