// A service's external demand over time: `base` × the daily profile factor
// (piecewise linear over the local day through the trough and the peak,
// wrapping around midnight) × `weekendFactor` on Saturdays and Sundays, in
// the calendar's local time. Piecewise linear in t, so its integral between
// two knots is exact (trapezoid). See docs/model.md, "Demand".
//
// The curve repeats every local week; the constructor tabulates that week as
// at most 17 linear pieces with their running integral, so `rate`, `slope`,
// `next_knot_after` and `integral` cost a binary search over the pieces,
// whatever the span. Immutable after construction; thread-safe for
// concurrent reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/calendar.hpp"
#include "models/system.hpp"
#include "sim/time.hpp"

namespace relsim::models {

class DemandCurve {
 public:
  /// Flat zero demand.
  DemandCurve() = default;
  /// Throws std::invalid_argument when the daily trough and peak fall at the
  /// same time of day (the loader reports that first).
  DemandCurve(const Demand& demand, const Calendar& calendar);

  /// Requests/s at offset `t` from the start (t >= 0).
  double rate(sim::Duration t) const;
  /// d rate / dt (requests/s per second) on the linear piece that starts at
  /// or contains `t` (the right derivative at a knot).
  double slope(sim::Duration t) const;
  /// The first knot strictly after `t`: an instant where the slope may
  /// change (the local trough, peak, and the midnights that begin and end a
  /// weekend when weekendFactor != 1). sim::Duration::max() for flat demand.
  sim::Duration next_knot_after(sim::Duration t) const;
  /// Requests between offsets a <= b, exact up to rounding (a jump at a
  /// weekend midnight included); a > b gives minus the integral from b to a.
  double integral(sim::Duration a, sim::Duration b) const;
  /// True when the rate never changes: no daily profile (or a constant one)
  /// and no weekend factor, or a zero base.
  bool flat() const { return flat_; }

 private:
  /// One linear piece of the local week, from `start` to the next piece's.
  struct Piece {
    std::int64_t start = 0;      // µs since local Monday 00:00, in [0, one week)
    double rate = 0.0;           // requests/s at `start` (the right limit at a jump)
    double slope = 0.0;          // requests/s per second
    double requests_before = 0;  // requests from Monday 00:00 to `start`
    bool knot = false;           // a knot, not only the origin of the week
  };
  /// Where an offset falls: which local week (0: the week of t = 0), which
  /// piece, and the µs since that piece's start.
  struct Position {
    std::int64_t week = 0;
    std::size_t piece = 0;
    std::int64_t into = 0;
  };

  /// The profile factor (without base and weekend) at local time of day `tod`.
  double day_factor(sim::Duration tod) const;
  Position locate(sim::Duration t) const;
  /// Requests/s `into` µs after the start of piece `p`.
  double rate_in(const Piece& p, std::int64_t into) const;
  /// Requests from Monday 00:00 to the start of piece `i` (i = size: the week).
  double requests_before(std::size_t i) const;
  /// µs from the start of piece `i` to the start of the next one.
  std::int64_t length(std::size_t i) const;

  double base_ = 0.0;  // requests/s, times the factor of a constant profile
  bool flat_ = true;
  bool has_daily_ = false;  // a profile whose factor changes over the day
  double weekend_factor_ = 1.0;
  sim::Duration peak_ = sim::Duration::zero();
  double peak_factor_ = 1.0;
  sim::Duration trough_ = sim::Duration::zero();
  double trough_factor_ = 1.0;
  std::int64_t origin_ = 0;   // µs from local Monday 00:00 to t = 0, in [0, one week)
  std::vector<Piece> week_;   // sorted by start; week_[0].start = 0; empty when flat
  double week_requests_ = 0;  // requests over one local week
};

}  // namespace relsim::models
