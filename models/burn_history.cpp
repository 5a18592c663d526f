// Burn-rate history: see models/burn_history.hpp.
#include "models/burn_history.hpp"

#include <algorithm>
#include <cmath>

namespace relsim::models {
namespace {

/// Relative slack of the comparison ratio >= threshold, so that a ratio
/// computed exactly at its crossing (in floating point) counts as reached.
constexpr double kSlack = 1e-12;

/// The root of c0 + c1·x + c2·x² in [lo, hi] where the polynomial is
/// monotone with a sign change (midpoint of the range when none is found).
double quadratic_root(double c0, double c1, double c2, double lo, double hi) {
  double root = 0.5 * (lo + hi);
  if (c2 == 0.0) {
    if (c1 != 0.0) root = -c0 / c1;
  } else {
    const double disc = c1 * c1 - 4.0 * c2 * c0;
    if (disc >= 0.0) {
      // The numerically stable pair of roots.
      const double q = -0.5 * (c1 + std::copysign(std::sqrt(disc), c1));
      const double r1 = q / c2;
      const double r2 = q != 0.0 ? c0 / q : r1;
      root = (r1 >= lo && r1 <= hi) ? r1 : r2;
    }
  }
  return std::clamp(root, lo, hi);
}

bool condition(double dn, double db, double threshold) {
  return dn > 0.0 && db - threshold * dn >= -kSlack * threshold * dn;
}

}  // namespace

/// True when `condition` keeps the value `initial` for every t in [a, t_hi]
/// whose window starts between the recorded points `lo` and `hi`, given the
/// counts extrapolated from `now` at the given rates: the check the pieces
/// of that run would make one by one, bounded instead from the run's ends.
/// Cumulative counts only grow, so the window's start has N in [lo.n, hi.n]
/// and B in [lo.b, hi.b], and g = ΔB − θ·ΔN is bounded by those and the
/// linear extrapolation; a run passes only when the bound clears zero by a
/// relative 1e-9, far beyond rounding and the comparison's slack, so the
/// answer is the one the piece-by-piece search gives. O(1): far from its
/// threshold a long history is passed in O(log) runs instead of a piece
/// per recorded point.
bool BurnHistory::passes_run(const Point& lo, const Point& hi, const Point& now, std::int64_t a,
                             std::int64_t t_hi, double threshold, double total_rate,
                             double bad_rate, bool initial) {
  const double s0 = static_cast<double>(a - now.t) * 1e-6;
  const double s1 = static_cast<double>(t_hi - now.t) * 1e-6;
  const double r = bad_rate - threshold * total_rate;
  const double c = now.b - threshold * now.n;
  const double scale = std::abs(now.b) + threshold * std::abs(now.n) +
                       (std::abs(bad_rate) + threshold * std::abs(total_rate)) * s1 +
                       std::abs(lo.b) + std::abs(hi.b) +
                       threshold * (std::abs(lo.n) + std::abs(hi.n));
  const double margin = 1e-9 * scale;
  if (initial) {
    const double g_min = c + std::min(r * s0, r * s1) - hi.b + threshold * lo.n;
    const double dn_min = now.n + std::min(total_rate * s0, total_rate * s1) - hi.n;
    return g_min > margin && dn_min > margin;
  }
  const double g_max = c + std::max(r * s0, r * s1) - lo.b + threshold * hi.n;
  return g_max < -margin;
}

void BurnHistory::reset() {
  pts_.clear();
  pts_.push_back({0, 0.0, 0.0});
  head_ = 0;
  cursors_.clear();
}

void BurnHistory::add(std::int64_t t0, std::int64_t t1, double total, double bad,
                      double total_slope, double bad_slope) {
  if (t1 <= t0) return;
  Point& last = pts_.back();
  const Point next{t1, last.n + total, last.b + bad, total_slope * 1e-12, bad_slope * 1e-12};
  // Merge with the previous segment when both lie on one quadratic: the same
  // curvature and the rates meeting where they join.
  if (pts_.size() - head_ >= 2) {
    const Point& prev = pts_[pts_.size() - 2];
    auto same = [](double a, double b) {
      return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
    };
    const double d_old = static_cast<double>(last.t - prev.t);
    const double d_new = static_cast<double>(t1 - t0);
    // Rates at the junction: the old segment's at its end, the new one's at its start.
    const double rn_old = (last.n - prev.n) / d_old + 0.5 * last.cn * d_old;
    const double rb_old = (last.b - prev.b) / d_old + 0.5 * last.cb * d_old;
    const double rn_new = total / d_new - 0.5 * next.cn * d_new;
    const double rb_new = bad / d_new - 0.5 * next.cb * d_new;
    if (same(last.cn, next.cn) && same(last.cb, next.cb) && same(rn_old, rn_new) &&
        same(rb_old, rb_new)) {
      last = {next.t, next.n, next.b, last.cn, last.cb};
      return;
    }
  }
  pts_.push_back(next);
}

void BurnHistory::prune(std::int64_t t) {
  while (head_ + 1 < pts_.size() && pts_[head_ + 1].t <= t) ++head_;
  if (head_ > 4096 && head_ * 2 > pts_.size()) {
    pts_.erase(pts_.begin(), pts_.begin() + static_cast<std::ptrdiff_t>(head_));
    for (Cursor& c : cursors_) c.index = c.index > head_ ? c.index - head_ : 0;
    head_ = 0;
  }
}

std::size_t BurnHistory::first_after_start(std::int64_t window) const {
  const std::int64_t x = pts_.back().t - window;
  Cursor* cursor = nullptr;
  for (Cursor& c : cursors_) {
    if (c.window == window) {
      cursor = &c;
      break;
    }
  }
  if (cursor == nullptr) {
    cursors_.push_back({window, head_});
    cursor = &cursors_.back();
  }
  std::size_t i = std::max(cursor->index, head_);
  while (i < pts_.size() && pts_[i].t <= x) ++i;
  cursor->index = i;
  return i;
}

BurnHistory::Point BurnHistory::window_start(std::int64_t window) const {
  const std::int64_t x = pts_.back().t - window;
  if (x <= pts_[head_].t) {
    return x < 0 ? Point{x, 0.0, 0.0} : Point{x, pts_[head_].n, pts_[head_].b};
  }
  if (x >= pts_.back().t) return {x, pts_.back().n, pts_.back().b};
  const std::size_t i = first_after_start(window);
  return inside(pts_[i - 1], pts_[i], x);
}

BurnHistory::Point BurnHistory::inside(const Point& a, const Point& b, std::int64_t x) {
  // The chord, less the curvature's bulge: N(x) = chord − ½ N'' (x − a)(b − x).
  const double f = static_cast<double>(x - a.t) / static_cast<double>(b.t - a.t);
  const double bulge = 0.5 * static_cast<double>(x - a.t) * static_cast<double>(b.t - x);
  return {x, a.n + f * (b.n - a.n) - b.cn * bulge, a.b + f * (b.b - a.b) - b.cb * bulge};
}

double BurnHistory::ratio(std::int64_t window) const {
  const Point now = pts_.back();
  const Point then = window_start(window);
  const double dn = now.n - then.n;
  return dn > 0.0 ? (now.b - then.b) / dn : 0.0;
}

bool BurnHistory::holds(std::int64_t window, double threshold) const {
  const Point now = pts_.back();
  const Point then = window_start(window);
  return condition(now.n - then.n, now.b - then.b, threshold);
}

double BurnHistory::bad_in(std::int64_t window) const {
  return pts_.back().b - window_start(window).b;
}

std::optional<std::int64_t> BurnHistory::next_change(std::int64_t window, double threshold,
                                                     double total_rate, double bad_rate,
                                                     std::int64_t until) const {
  const Point now = pts_.back();
  // The first recorded point after the window's start.
  const auto first = pts_.begin() + static_cast<std::ptrdiff_t>(first_after_start(window));
  const auto begin = pts_.begin() + static_cast<std::ptrdiff_t>(head_);
  // The window's start at x: recorded (quadratic between points), flat where
  // pruned, nothing before t = 0.
  auto start_at = [&](std::int64_t x, decltype(first) it) -> Point {
    if (it == begin) return x >= 0 ? Point{x, it->n, it->b} : Point{x, 0.0, 0.0};
    if (it == pts_.end()) return {x, now.n, now.b};
    return inside(*(it - 1), *it, x);
  };
  Point then = start_at(now.t - window, first);
  double dn_a = now.n - then.n, db_a = now.b - then.b;
  const bool initial = condition(dn_a, db_a, threshold);
  // Cumulative counts at x > now, extrapolated at the given rates.
  auto future = [&](std::int64_t x) -> Point {
    const double s = static_cast<double>(x - now.t) * 1e-6;
    return {x, now.n + total_rate * s, now.b + bad_rate * s};
  };
  // Breakpoints: t − window crossing a recorded point, then t = now + window
  // (past it the window lies wholly in the extrapolated future: constant).
  // At a breakpoint the window's start is the recorded point itself.
  std::int64_t a = now.t;
  // Runs of pieces passed at once (see passes_run): the run length doubles
  // while runs pass; after one does not, a quarter of it (at least 4) goes
  // piece by piece before the next try, so a history near its threshold
  // pays at most one O(1) try per 4 pieces.
  std::ptrdiff_t run = 16;
  auto retry = first;
  const auto last_recorded = pts_.end() - 1;  // now itself: the last piece
  for (auto it = first;; ++it) {
    const std::ptrdiff_t length = std::min(run, last_recorded - it);
    if (it >= retry && it != begin && length >= 4) {
      const auto q = it + (length - 1);
      if (passes_run(*(it - 1), *q, now, a, q->t + window, threshold, total_rate, bad_rate,
                     initial)) {
        // The state the pieces one by one would leave: the window's start at
        // q, the extrapolated end a window later.
        it = q;
        a = q->t + window;
        const Point end = future(a);
        dn_a = end.n - q->n;
        db_a = end.b - q->b;
        run *= 2;
        if (a > until) break;
        continue;
      }
      run = std::max<std::ptrdiff_t>(run / 4, 4);
      retry = it + run;
    }
    const bool last_piece = it == pts_.end() || it->t >= now.t;
    const std::int64_t b = last_piece ? now.t + window : it->t + window;
    if (b > a) {
      const Point end = future(b);
      const Point start = last_piece ? now : *it;
      const double dn_b = end.n - start.n;
      const double db_b = end.b - start.b;
      // The window's start moves over the segment ending at `it` (none when
      // flat): g = db − θ·dn is quadratic in t there, linear without curvature.
      const bool curved = it != begin && it != pts_.end() && (it->cn != 0.0 || it->cb != 0.0);
      if (!curved) {
        if (condition(dn_b, db_b, threshold) != initial) {
          // g is linear on [a, b]: its root is the change.
          const double ga = db_a - threshold * dn_a;
          const double gb = db_b - threshold * dn_b;
          std::int64_t t = b;
          if (ga != gb && dn_a > 0.0) {
            const double f = std::clamp(ga / (ga - gb), 0.0, 1.0);
            t = a + static_cast<std::int64_t>(std::ceil(f * static_cast<double>(b - a) - 1e-6));
          }
          return std::max(t, now.t + 1);
        }
      } else {
        auto holds_at = [&](std::int64_t t) {
          const Point e = future(t);
          const Point s0 = start_at(t - window, it);
          return condition(e.n - s0.n, e.b - s0.b, threshold);
        };
        // g's extremum on the piece splits it into two monotone parts: the
        // first part whose end differs from `initial` holds the change, found
        // to the µs by bisection.
        const double curvature = -(it->cb - threshold * it->cn);  // g'' per µs²
        const double ga = db_a - threshold * dn_a;
        const double gb = db_b - threshold * dn_b;
        const double len = static_cast<double>(b - a);
        // g strays from its chord by at most |g''|·len²/8: when both ends
        // are that far on the side of `initial` (with room for the
        // comparison's slack), nothing changes on this piece.
        const double bulge = 0.125 * std::abs(curvature) * len * len;
        const double slack = 1e-9 * threshold * (std::abs(dn_a) + std::abs(dn_b));
        if (initial ? std::min(ga, gb) - bulge > slack : std::max(ga, gb) + bulge < -slack) {
          a = b;
          dn_a = dn_b;
          db_a = db_b;
          if (last_piece || a > until) break;
          continue;
        }
        const double slope_a = (gb - ga) / len - 0.5 * curvature * len;  // g' at a
        std::int64_t stops[2] = {b, b};
        int n = 0;
        if (curvature != 0.0) {
          const double tau = -slope_a / curvature;
          if (tau > 0.0 && tau < len) stops[n++] = a + static_cast<std::int64_t>(tau);
        }
        stops[n++] = b;
        std::int64_t lo = a;
        for (int i = 0; i < n; ++i) {
          const std::int64_t hi = std::max(lo, stops[i]);
          if (hi > lo && holds_at(hi) != initial) {
            // g is monotone on [lo, hi]: its root there, from the quadratic,
            // lands within a µs or two of the first instant that differs;
            // a few steps settle it, bisection if they do not.
            std::int64_t l = lo;  // holds_at(l) == initial (or l = a)
            std::int64_t h = hi;  // holds_at(h) != initial
            const double root =
                quadratic_root(ga, slope_a, 0.5 * curvature, static_cast<double>(lo - a),
                               static_cast<double>(hi - a));
            std::int64_t guess = a + static_cast<std::int64_t>(std::ceil(root));
            guess = std::clamp(guess, l + 1, h);
            if (holds_at(guess) != initial) {
              h = guess;
              for (int step = 0; step < 4 && h - 1 > l; ++step) {
                if (holds_at(h - 1) == initial) {
                  l = h - 1;
                  break;
                }
                --h;
              }
            } else {
              l = guess;
              for (int step = 0; step < 4 && l + 1 < h; ++step) {
                if (holds_at(l + 1) != initial) {
                  h = l + 1;
                  break;
                }
                ++l;
              }
            }
            while (h - l > 1) {
              const std::int64_t mid = l + (h - l) / 2;
              (holds_at(mid) != initial ? h : l) = mid;
            }
            return std::max(h, now.t + 1);
          }
          lo = hi;
        }
      }
      a = b;
      dn_a = dn_b;
      db_a = db_b;
    }
    if (last_piece || a > until) break;
  }
  return std::nullopt;
}

}  // namespace relsim::models
