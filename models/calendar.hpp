// The calendar of a simulated world: the civil instant at which every trial
// starts (t = 0), its UTC offset, and business hours. It makes "Tuesday
// 14:00", nights, weekends and "never on a Friday" meaningful, and it turns
// the scenario language's `at: "Tue 14:00"` into an offset from t = 0.
// Plain values; thread-safe as values are.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "models/source_location.hpp"
#include "sim/time.hpp"

namespace relsim::models {

enum class Weekday : std::uint8_t { mon, tue, wed, thu, fri, sat, sun };

/// A civil date and time of day (no time zone; the calendar gives the offset).
struct CivilTime {
  int year = 2026;
  int month = 1;  // 1..12
  int day = 5;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  friend bool operator==(const CivilTime&, const CivilTime&) = default;
};

struct BusinessHours {
  std::array<bool, 7> days{true, true, true, true, true, false, false};  // indexed by Weekday
  sim::Duration from = sim::Duration::hours(9);  // time of day (since local midnight)
  sim::Duration to = sim::Duration::hours(18);   // exclusive; may be < from (overnight)
  friend bool operator==(const BusinessHours&, const BusinessHours&) = default;
};

struct Calendar {
  CivilTime start{2026, 1, 5, 0, 0, 0};  // local time of t = 0 (default: a Monday, midnight)
  sim::Duration utc_offset = sim::Duration::zero();  // local = UTC + offset
  BusinessHours business_hours;
  SourceLocation location;

  /// The weekday of `start` (proleptic Gregorian).
  Weekday start_weekday() const;
  /// Local time of day of `start`, as a span since local midnight.
  sim::Duration start_time_of_day() const;
  /// Weekday and local time of day at offset `t` from the start (t may be negative).
  std::pair<Weekday, sim::Duration> local_at(sim::Duration t) const;
  /// True when offset `t` from the start falls inside business hours.
  bool in_business_hours(sim::Duration t) const;
  /// Seconds of business hours a business day holds: `to − from`, or
  /// `24h − from + to` for overnight hours (from > to); 0 when from == to.
  double business_seconds_per_business_day() const;
  /// The earliest offset t >= `from` such that the business time (local time
  /// inside business hours, on business days) between `from` and t is
  /// `business_seconds` (rounded to the µs); from outside business hours it
  /// first skips to the next opening, so 0 seconds gives that opening. Whole
  /// weeks are skipped at once: O(1) in `business_seconds`. Saturates at
  /// Duration::max(). Throws std::invalid_argument when the calendar has no
  /// business time at all or `business_seconds` is negative or NaN.
  sim::Duration advance_business_time(sim::Duration from, double business_seconds) const;
  friend bool operator==(const Calendar&, const Calendar&) = default;
};

/// A point in time as written in a scenario: an offset from t = 0 (`+36h`,
/// `36h`), a weekday and local time (`Tue 14:00`: the first such instant at or
/// after the start), or a civil date-time (`2026-03-03T14:00`, local time).
struct TimeSpec {
  enum class Kind : std::uint8_t { offset, weekday_time, civil };
  Kind kind = Kind::offset;
  sim::Duration offset = sim::Duration::zero();       // kind == offset
  Weekday weekday = Weekday::mon;                     // kind == weekday_time
  sim::Duration time_of_day = sim::Duration::zero();  // kind == weekday_time
  CivilTime civil;                                    // kind == civil
  std::string text;                                   // as written
  SourceLocation location;
  friend bool operator==(const TimeSpec&, const TimeSpec&) = default;
};

/// Offset from t = 0 of `spec` in `calendar`; nullopt when a civil time lies
/// before the start.
std::optional<sim::Duration> resolve_time(const TimeSpec& spec, const Calendar& calendar);

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(int year, int month, int day);
/// `Mon`..`Sun`.
const char* weekday_name(Weekday d);

}  // namespace relsim::models
