// Simulation time: strong types over int64 microseconds.
//
// `Duration` is a signed span, `Time` an instant measured from the start of a
// trial (the calendar instant of t = 0 belongs to the model, not the kernel).
// Integer time makes event order exact and runs reproducible. int64
// microseconds cover ±292,000 years, far beyond any horizon.
// Sums and differences saturate at the ends of that range instead of wrapping:
// a draw of a heavy-tailed distribution can be Duration::max() ("never"), and
// `now + Duration::max()` is Time::max(), never an instant in the past.
// Value types; thread-safe as values are.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace relsim::sim {

namespace detail {

/// a + b, or the end of int64's range it passed.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return r;
}

/// a - b, or the end of int64's range it passed.
constexpr std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) {
    return b < 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return r;
}

}  // namespace detail

class Duration {
 public:
  constexpr Duration() = default;
  /// A span of `us` microseconds (may be negative).
  static constexpr Duration micros(std::int64_t us) { return Duration(us); }
  static constexpr Duration millis(std::int64_t ms) { return Duration(ms * 1'000); }
  static constexpr Duration seconds(std::int64_t s) { return Duration(s * 1'000'000); }
  static constexpr Duration minutes(std::int64_t m) { return seconds(m * 60); }
  static constexpr Duration hours(std::int64_t h) { return seconds(h * 3'600); }
  static constexpr Duration days(std::int64_t d) { return seconds(d * 86'400); }
  /// Seconds as a double, rounded to the nearest microsecond; saturates at
  /// the representable range (NaN becomes zero).
  static Duration from_seconds(double s);
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }
  static constexpr Duration zero() { return Duration(0); }

  constexpr std::int64_t count_micros() const { return us_; }
  constexpr double to_seconds() const { return static_cast<double>(us_) * 1e-6; }

  constexpr auto operator<=>(const Duration&) const = default;
  /// Saturating: Duration::max() + anything positive stays max().
  constexpr Duration operator+(Duration o) const {
    return Duration(detail::saturating_add(us_, o.us_));
  }
  constexpr Duration operator-(Duration o) const {
    return Duration(detail::saturating_sub(us_, o.us_));
  }
  constexpr Duration operator-() const { return Duration(detail::saturating_sub(0, us_)); }
  constexpr Duration operator*(std::int64_t k) const {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(us_, k, &r)) {
      return (us_ < 0) == (k < 0) ? max() : Duration(std::numeric_limits<std::int64_t>::min());
    }
    return Duration(r);
  }
  constexpr Duration& operator+=(Duration o) { return *this = *this + o; }
  constexpr Duration& operator-=(Duration o) { return *this = *this - o; }

 private:
  constexpr explicit Duration(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

class Time {
 public:
  constexpr Time() = default;
  /// The instant `d` after the start of the trial.
  static constexpr Time at(Duration d) { return Time(d.count_micros()); }
  static constexpr Time from_micros(std::int64_t us) { return Time(us); }
  static constexpr Time zero() { return Time(0); }
  static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t count_micros() const { return us_; }
  constexpr double to_seconds() const { return static_cast<double>(us_) * 1e-6; }
  constexpr Duration since_start() const { return Duration::micros(us_); }

  constexpr auto operator<=>(const Time&) const = default;
  /// Saturating: `now + Duration::max()` is Time::max(), after any horizon.
  constexpr Time operator+(Duration d) const {
    return Time(detail::saturating_add(us_, d.count_micros()));
  }
  constexpr Time operator-(Duration d) const {
    return Time(detail::saturating_sub(us_, d.count_micros()));
  }
  constexpr Duration operator-(Time o) const {
    return Duration::micros(detail::saturating_sub(us_, o.us_));
  }
  constexpr Time& operator+=(Duration d) { return *this = *this + d; }

 private:
  constexpr explicit Time(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

/// Thrown for a duration string that cannot be read; the message says why
/// (without a file location: the caller adds that).
class DurationError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses a human duration: one or more `<number><unit>` parts, units
/// `us`, `ms`, `s`, `m`, `h`, `d`, `w` in decreasing order (`250ms`, `30s`,
/// `1h30m`, `1.5h`, `2d`, `1w`); a bare `0` is zero. A leading `-` is
/// accepted only when `allow_negative`. Throws DurationError on garbage, a
/// missing or repeated unit, or overflow of int64 microseconds.
Duration parse_duration(std::string_view text, bool allow_negative = false);

/// Formats a duration in the shortest exact form parse_duration reads back
/// (`1h30m`, `250ms`, `0s`).
std::string format_duration(Duration d);

}  // namespace relsim::sim
