// The request history of one SLO as burn-rate alerts see it: cumulative
// total and bad requests N(t), B(t) as piecewise-quadratic functions of time
// (within a segment the request rates are linear: demand between two knots),
// from which the error ratio over a window W ending at t is
// (B(t) − B(t − W)) / (N(t) − N(t − W)), exact wherever the window starts.
// See docs/model.md ("Detection").
//
// The trial engine appends every accounted interval with its rates' slopes
// (consecutive intervals on one quadratic are merged into one segment, so a
// quiet stretch costs one point) and prunes what no window reaches any more. Before t = 0 there
// were no requests: a window reaching before the trial's start sees only
// what the trial has served.
//
// `next_change` answers "when does the condition ratio_W(t) >= θ first
// change?" for t after the last point, assuming the current rates go on:
// the window's numerator and denominator are quadratic in t between the
// instants where t − W crosses a recorded point, so on each such piece the
// condition changes at most twice, at instants found exactly (to the µs).
// Cost: O(points the window's start passes before the answer) after an O(1)
// amortised lookup of the window's start (a cursor per window length, since
// the start only moves forward), except that runs of points where the ratio
// stays clear of the threshold are passed whole, in runs that double in
// length: far from the threshold, O(log points). Not thread-safe; one per SLO and trial.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace relsim::models {

class BurnHistory {
 public:
  /// Empties the history; N(0) = B(0) = 0.
  void reset();
  /// Adds `total` and `bad` requests over [t0, t1) (µs) whose rates change
  /// by `total_slope` and `bad_slope` requests/s per second (0: uniform);
  /// t0 must be the last point's time.
  void add(std::int64_t t0, std::int64_t t1, double total, double bad, double total_slope = 0.0,
           double bad_slope = 0.0);
  /// Forgets points before `t` (keeps one at or before it for interpolation).
  void prune(std::int64_t t);
  /// The last point's time (µs).
  std::int64_t last() const { return pts_.back().t; }
  /// Error ratio over the window of `window` µs ending at the last point; 0
  /// without requests.
  double ratio(std::int64_t window) const;
  /// True when the ratio over `window` ending at the last point is at least
  /// `threshold` (with requests in the window).
  bool holds(std::int64_t window, double threshold) const;
  /// Bad requests over the window ending at the last point.
  double bad_in(std::int64_t window) const;
  /// The first instant t > last() (µs) at which `holds(window, threshold)`
  /// evaluated at t would differ from its value now, if requests arrive at
  /// `total_rate` per second of which `bad_rate` are bad from now on;
  /// nullopt when it never changes before `until`.
  std::optional<std::int64_t> next_change(std::int64_t window, double threshold, double total_rate,
                                          double bad_rate, std::int64_t until) const;

 private:
  struct Point {
    std::int64_t t;  // µs
    double n;        // cumulative requests
    double b;        // cumulative bad requests
    // The segment ending here: d²N/dt² and d²B/dt² (requests per µs²).
    double cn = 0.0, cb = 0.0;
  };
  /// Index of the first point after last() − window (pts_.size() when none):
  /// the upper bound a binary search from head_ would give, found from the
  /// window's cursor. A window's start only moves forward (last() does not
  /// decrease), so the cursor only steps forward: O(1) amortised per call.
  std::size_t first_after_start(std::int64_t window) const;
  /// Cumulative (n, b) at last() − window, quadratic between points; 0
  /// before t = 0.
  Point window_start(std::int64_t window) const;
  /// Cumulative (n, b) at a.t <= x <= b.t on the segment from a to b.
  static Point inside(const Point& a, const Point& b, std::int64_t x);
  /// next_change's test for a run of pieces (see burn_history.cpp).
  static bool passes_run(const Point& lo, const Point& hi, const Point& now, std::int64_t a,
                         std::int64_t t_hi, double threshold, double total_rate, double bad_rate,
                         bool initial);
  std::vector<Point> pts_;
  std::size_t head_ = 0;  // points before head_ are pruned
  // Per window length seen (a rule set has a handful): its cursor into pts_.
  struct Cursor {
    std::int64_t window;
    std::size_t index;
  };
  mutable std::vector<Cursor> cursors_;
};

}  // namespace relsim::models
