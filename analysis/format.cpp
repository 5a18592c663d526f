// Text for people (see format.hpp).
#include "analysis/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <vector>

namespace relsim::analysis {

std::string printf_text(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (n < 0) {
    va_end(again);
    return {};
  }
  if (static_cast<std::size_t>(n) < sizeof buf) {
    va_end(again);
    return std::string(buf, static_cast<std::size_t>(n));
  }
  std::vector<char> big(static_cast<std::size_t>(n) + 1);
  std::vsnprintf(big.data(), big.size(), format, again);
  va_end(again);
  return std::string(big.data(), static_cast<std::size_t>(n));
}

std::string decimal_text(double v) { return printf_text("%.15g", v); }

// ---------------------------------------------------------------- durations

std::string compact_duration_text(double seconds) {
  if (seconds == 0.0) return "0s";
  if (seconds < 60.0) return printf_text("%.3gs", seconds);
  if (seconds < 7200.0) return printf_text("%.3gmin", seconds / 60.0);
  return printf_text("%.3gh", seconds / 3600.0);
}

std::string seconds_text(double s) {
  if (std::isnan(s)) return "n/a";
  if (!std::isfinite(s)) return "never";
  if (s < 60.0) return printf_text("%.3gs", s);
  if (s < 3600.0) {
    const long long total = std::llround(s);
    return printf_text("%lldm%02llds", total / 60, total % 60);
  }
  if (s < 48.0 * 3600.0) {
    const long long total = std::llround(s / 60.0);
    return printf_text("%lldh%02lldm", total / 60, total % 60);
  }
  return printf_text("%.3gd", s / 86'400.0);
}

std::string seconds_in_unit(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  if (std::isinf(seconds)) return seconds > 0 ? "inf" : "-inf";
  if (std::abs(seconds) < 120.0) return printf_text("%.1f s", seconds);
  if (std::abs(seconds) < 3.0 * 3600.0) return printf_text("%.1f min", seconds / 60.0);
  return printf_text("%.2f h", seconds / 3600.0);
}

std::string day_clock_text(sim::Duration since_start) {
  const std::int64_t minute = since_start.count_micros() / 60'000'000;
  const std::int64_t day = minute / (24 * 60);
  const std::int64_t of_day = minute % (24 * 60);
  return printf_text("day %lld %02lld:%02lld", static_cast<long long>(day + 1),
                     static_cast<long long>(of_day / 60), static_cast<long long>(of_day % 60));
}

double day_axis(sim::Duration since_start) { return since_start.to_seconds() / 86'400.0 + 1.0; }

std::string days_text(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  const double days = seconds / 86'400.0;
  return printf_text("%.3g %s", days, days == 1.0 ? "day" : "days");
}

// ---------------------------------------------------------------- percentages

int significant_decimals(double x) {
  if (!std::isfinite(x) || x == 0.0) return 1;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(std::fabs(x)))), 0, 6);
}

std::string percent_text(double fraction) {
  if (std::isnan(fraction)) return "n/a";
  return printf_text("%.3g %%", fraction * 100.0);
}

std::string shortfall_percent_text(double fraction) {
  if (std::isnan(fraction)) return "-";
  if (fraction >= 1.0) return "100%";
  const double shortfall = (1.0 - fraction) * 100.0;
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(shortfall))) + 1, 1, 12);
  return printf_text("%.*f%%", decimals, fraction * 100.0);
}

bool no_change(const Interval& d) {
  constexpr double kNoise = 1e-12;
  return std::fabs(d.estimate) <= kNoise && std::fabs(d.low) <= kNoise &&
         std::fabs(d.high) <= kNoise;
}

std::string percentage_points_text(const Interval& d) {
  if (std::isnan(d.estimate)) return "n/a";
  if (no_change(d)) return "no change";
  // Decimals of the larger end's magnitude, then enough to tell the ends apart.
  const double size =
      std::max({std::fabs(d.estimate), std::isfinite(d.low) ? std::fabs(d.low) : 0.0,
                std::isfinite(d.high) ? std::fabs(d.high) : 0.0}) *
      100.0;
  int decimals = std::clamp(significant_decimals(size) - 1, 1, 4);
  decimals = resolving_decimals(d, decimals, 100.0, 6);
  auto signed_value = [&](double v) {
    const std::string text = printf_text("%+.*f", decimals, v * 100.0);
    // `-0.0` and `+0.0` both read as no difference at this resolution.
    return text.find_first_not_of("+-0.") == std::string::npos ? text.substr(1) : text;
  };
  std::string out = signed_value(d.estimate) + " pp";
  if (std::isnan(d.low) || std::isnan(d.high)) return out;
  return out + " [" + signed_value(d.low) + ", " + signed_value(d.high) + "]";
}

const char* budget_action_text(models::BudgetAction a) {
  switch (a) {
    case models::BudgetAction::ship:
      return "ship";
    case models::BudgetAction::freeze:
      return "freeze";
    case models::BudgetAction::all_hands:
      return "all hands";
    case models::BudgetAction::leadership_review:
      return "leadership review";
  }
  return "?";
}

// ---------------------------------------------------------------- intervals

std::string interval_bounds(const Interval& iv, int decimals, double scale, std::uint64_t n) {
  if (std::isnan(iv.low) && std::isnan(iv.high) && !std::isnan(iv.estimate)) {
    return "n/a (n = " + std::to_string(n) + ")";
  }
  if (!std::isfinite(iv.low) && !std::isfinite(iv.high)) return "[n/a]";
  auto end = [&](double v) {
    if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf");
    return printf_text("%.*f", decimals, v * scale);
  };
  std::string out(1, '[');  // appended piece by piece (GCC 12 misreads "[" + string: -Wrestrict)
  out += end(iv.low);
  out += ", ";
  out += end(iv.high);
  out += std::isinf(iv.high) ? ')' : ']';
  return out;
}

int resolving_decimals(const Interval& iv, int decimals, double scale, int max) {
  while (decimals < max && std::isfinite(iv.low) && std::isfinite(iv.high) && iv.low != iv.high &&
         printf_text("%.*f", decimals, iv.low * scale) ==
             printf_text("%.*f", decimals, iv.high * scale)) {
    ++decimals;
  }
  return decimals;
}

namespace {

std::string padded(const std::string& text) { return printf_text("%-12s", text.c_str()); }

int probability_decimals(const Interval& iv) {
  const bool near_end =
      (iv.estimate > 0.0 && iv.estimate < 0.01) || (iv.estimate > 0.99 && iv.estimate < 1.0);
  return near_end ? 2 : 1;
}

}  // namespace

std::string probability_text(const Interval& iv, std::uint64_t n, int width) {
  if (std::isnan(iv.estimate)) return "n/a";
  const int d = resolving_decimals(iv, probability_decimals(iv), 100.0, 4);
  return printf_text("%-*s", width, printf_text("%.*f %%", d, iv.estimate * 100.0).c_str()) + " " +
         interval_bounds(iv, d, 100.0, n);
}

std::string nines_text(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  const double unavailable = 1.0 - iv.estimate;
  int d = unavailable > 0.0 ? static_cast<int>(std::ceil(-std::log10(unavailable))) : 4;
  d = resolving_decimals(iv, std::clamp(d, 2, 7), 100.0, 8);
  return padded(printf_text("%.*f %%", d, iv.estimate * 100.0)) + " " +
         interval_bounds(iv, d, 100.0);
}

std::string magnitude_text(double estimate, const Interval& iv, double scale, std::string_view unit,
                           std::uint64_t n) {
  if (std::isnan(estimate)) return "n/a";
  // An estimate of 0 takes its digits from the upper end ([0, 0.0072], not [0.0, 0.0]).
  const double digits_of = estimate == 0.0 && std::isfinite(iv.high) ? iv.high : estimate;
  const int d = significant_decimals(digits_of * scale);
  return padded(printf_text("%.*f", d, estimate * scale) + std::string(unit)) + " " +
         interval_bounds(iv, d, scale, n);
}

std::string duration_interval_text(const Interval& iv, std::uint64_t n) {
  if (std::isnan(iv.estimate)) return "n/a";
  const double a = std::fabs(iv.estimate);
  const double scale = a < 120.0 ? 1.0 : a < 7200.0 ? 1.0 / 60.0 : 1.0 / 3600.0;
  const char* unit = a < 120.0 ? " s" : a < 7200.0 ? " min" : " h";
  return magnitude_text(iv.estimate, iv, scale, unit, n);
}

// ---------------------------------------------------------------- other languages

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += printf_text("\\u%04x", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace relsim::analysis
