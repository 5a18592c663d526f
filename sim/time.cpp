// Duration conversion, parsing and formatting.
//
// Parsing is exact: digits are read as integers and scaled by the unit in
// 128-bit arithmetic, so `1.1h` is exactly 3'960'000'000 µs (no double
// rounding). A value that would need a fraction of a microsecond is an error
// rather than being rounded silently.
#include "sim/time.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace relsim::sim {
namespace {

__extension__ typedef unsigned __int128 U128;  // NOLINT: GCC/Clang builtin

struct Unit {
  std::string_view name;
  std::uint64_t micros;
};

// Largest first: parts of a duration must appear in this order, each at most
// once, and format_duration emits them in this order.
constexpr std::array<Unit, 7> kUnits{{
    {"w", 604'800'000'000ULL},
    {"d", 86'400'000'000ULL},
    {"h", 3'600'000'000ULL},
    {"m", 60'000'000ULL},
    {"s", 1'000'000ULL},
    {"ms", 1'000ULL},
    {"us", 1ULL},
}};

constexpr auto kMaxMagnitude = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// The run of characters from `pos` that are neither digits, '.' nor spaces:
/// what to quote when something other than a number or unit is found (keeps
/// multi-byte characters such as 'µ' whole).
std::string other_run(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size() && !is_digit(s[end]) && s[end] != '.' && !is_space(s[end])) ++end;
  return std::string(s.substr(pos, end - pos));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Index of `name` in kUnits, or kUnits.size() if it is not a unit.
std::size_t unit_index(std::string_view name) {
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    if (kUnits[i].name == name) return i;
  }
  return kUnits.size();
}

[[noreturn]] void fail(std::string_view text, const std::string& reason) {
  throw DurationError("invalid duration '" + std::string(text) + "': " + reason);
}

}  // namespace

Duration Duration::from_seconds(double s) {
  // Rounded half away from zero as std::round does, bit for bit, without the
  // libm call (a draw per event goes through here): below 2^52 in magnitude
  // the truncation and the remainder x − trunc(x) are exact; at or above it
  // every double is an integer already.
  const double us = s * 1e6;
  constexpr double kExact = 4503599627370496.0;  // 2^52
  if (us > -kExact && us < kExact) {             // false for NaN
    auto i = static_cast<std::int64_t>(us);
    const double frac = us - static_cast<double>(i);
    if (frac >= 0.5) {
      ++i;
    } else if (frac <= -0.5) {
      --i;
    }
    return Duration(i);
  }
  if (std::isnan(us)) return Duration(0);
  // 2^63 is exactly representable; every double below it converts safely.
  constexpr double kLimit = 9223372036854775808.0;
  if (us >= kLimit) return max();
  if (us <= -kLimit) return Duration(std::numeric_limits<std::int64_t>::min());
  return Duration(static_cast<std::int64_t>(us));
}

Duration parse_duration(std::string_view text, bool allow_negative) {
  std::string_view s = trim(text);
  const std::string_view original = s;  // quoted in messages
  if (s.empty()) fail(original, "empty");

  bool negative = false;
  if (s.front() == '-') {
    if (!allow_negative) fail(original, "negative durations are not allowed here");
    negative = true;
    s.remove_prefix(1);
    if (s.empty()) fail(original, "expected a number after '-'");
  }
  if (s == "0") return Duration::zero();

  // A negative total may reach INT64_MIN, one further than INT64_MAX.
  const U128 limit = static_cast<U128>(kMaxMagnitude) + (negative ? 1 : 0);
  U128 total = 0;
  std::size_t previous_unit = kUnits.size();  // none yet
  std::size_t pos = 0;
  while (pos < s.size()) {
    // <digits>[.<digits>]
    const std::size_t number_start = pos;
    U128 whole = 0;
    bool whole_too_large = false;
    for (; pos < s.size() && is_digit(s[pos]); ++pos) {
      whole = whole * 10 + static_cast<unsigned>(s[pos] - '0');
      if (whole > limit) {
        whole_too_large = true;
        whole = limit + 1;  // clamp so that later arithmetic cannot wrap
      }
    }
    if (pos == number_start) {
      if (is_space(s[pos])) fail(original, "spaces are not allowed inside a duration");
      if (s[pos] == '.') fail(original, "expected a digit before '.'");
      fail(original, "expected a number, found '" + other_run(s, pos) + "'");
    }
    std::string_view fraction;
    if (pos < s.size() && s[pos] == '.') {
      const std::size_t fraction_start = ++pos;
      while (pos < s.size() && is_digit(s[pos])) ++pos;
      if (pos == fraction_start) fail(original, "expected a digit after '.'");
      fraction = s.substr(fraction_start, pos - fraction_start);
      while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    }
    const std::string_view number = s.substr(number_start, pos - number_start);

    // <unit>
    const std::size_t unit_start = pos;
    while (pos < s.size() && is_alpha(s[pos])) ++pos;
    const std::string_view unit_name = s.substr(unit_start, pos - unit_start);
    if (unit_name.empty()) {
      if (pos == s.size()) fail(original, "missing unit (e.g. " + std::string(number) + "s)");
      if (is_space(s[pos])) fail(original, "spaces are not allowed inside a duration");
      if (s[pos] == '.') fail(original, "more than one '.' in a number");
      fail(original, "unknown unit '" + other_run(s, pos) + "' (use us, ms, s, m, h, d, w)");
    }
    const std::size_t u = unit_index(unit_name);
    if (u == kUnits.size()) {
      fail(original, "unknown unit '" + std::string(unit_name) + "' (use us, ms, s, m, h, d, w)");
    }
    if (previous_unit != kUnits.size()) {
      if (u == previous_unit) fail(original, "unit '" + std::string(unit_name) + "' repeated");
      if (u < previous_unit) {
        fail(original, "units must go from largest to smallest ('" + std::string(unit_name) +
                           "' after '" + std::string(kUnits[previous_unit].name) + "')");
      }
    }
    previous_unit = u;

    // Scale exactly: whole * unit + fraction * unit / 10^digits.
    const std::uint64_t unit_us = kUnits[u].micros;
    if (whole_too_large) fail(original, "too large");
    U128 part = whole * unit_us;
    if (!fraction.empty()) {
      // No unit is a multiple of more than 2^13 or 5^8 µs (w = 2^13·3^3·5^8·7),
      // so more than 13 significant decimals can never be a whole number of
      // µs; the cut at 18 also keeps the product below 2^128.
      if (fraction.size() > 18) fail(original, "more precise than one microsecond");
      U128 digits = 0;
      U128 scale = 1;
      for (char c : fraction) {
        digits = digits * 10 + static_cast<unsigned>(c - '0');
        scale *= 10;
      }
      const U128 scaled = digits * unit_us;
      if (scaled % scale != 0) fail(original, "more precise than one microsecond");
      part += scaled / scale;
    }
    total += part;
    if (part > limit || total > limit) fail(original, "too large");
  }

  if (negative) {
    // total <= 2^63 here; negate in unsigned arithmetic to reach INT64_MIN.
    const auto magnitude = static_cast<std::uint64_t>(total);
    return Duration::micros(static_cast<std::int64_t>(0 - magnitude));
  }
  return Duration::micros(static_cast<std::int64_t>(total));
}

std::string format_duration(Duration d) {
  const std::int64_t us = d.count_micros();
  if (us == 0) return "0s";
  std::string out;
  // Unsigned magnitude so that INT64_MIN is formatted too.
  std::uint64_t rest = static_cast<std::uint64_t>(us);
  if (us < 0) {
    out += '-';
    rest = 0 - rest;
  }
  // Greedy decomposition, largest unit first: exact, and parse_duration
  // reads it back (e.g. 5400 s → "1h30m", 1500 µs → "1ms500us").
  for (const Unit& unit : kUnits) {
    const std::uint64_t count = rest / unit.micros;
    if (count == 0) continue;
    out += std::to_string(count);
    out += unit.name;
    rest -= count * unit.micros;
  }
  return out;
}

}  // namespace relsim::sim
