// Burn-rate history: see models/burn_history.hpp.
#include "models/burn_history.hpp"

#include <algorithm>
#include <cmath>

namespace relsim::models {
namespace {

/// Relative slack of the comparison ratio >= threshold, so that a ratio
/// computed exactly at its crossing (in floating point) counts as reached.
constexpr double kSlack = 1e-12;

bool condition(double dn, double db, double threshold) {
  return dn > 0.0 && db - threshold * dn >= -kSlack * threshold * dn;
}

}  // namespace

void BurnHistory::reset() {
  pts_.clear();
  pts_.push_back({0, 0.0, 0.0});
  head_ = 0;
}

void BurnHistory::add(std::int64_t t0, std::int64_t t1, double total, double bad) {
  if (t1 <= t0) return;
  Point& last = pts_.back();
  const Point next{t1, last.n + total, last.b + bad};
  // Merge with the previous segment when the rates are the same.
  if (pts_.size() - head_ >= 2) {
    const Point& prev = pts_[pts_.size() - 2];
    const double d_old = static_cast<double>(last.t - prev.t);
    const double d_new = static_cast<double>(t1 - t0);
    const double rn_old = (last.n - prev.n) / d_old, rn_new = total / d_new;
    const double rb_old = (last.b - prev.b) / d_old, rb_new = bad / d_new;
    auto same = [](double a, double b) {
      return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
    };
    if (same(rn_old, rn_new) && same(rb_old, rb_new)) {
      last = next;
      return;
    }
  }
  pts_.push_back(next);
}

void BurnHistory::prune(std::int64_t t) {
  while (head_ + 1 < pts_.size() && pts_[head_ + 1].t <= t) ++head_;
  if (head_ > 4096 && head_ * 2 > pts_.size()) {
    pts_.erase(pts_.begin(), pts_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

BurnHistory::Point BurnHistory::at(std::int64_t x) const {
  if (x <= pts_[head_].t) {
    return x < 0 ? Point{x, 0.0, 0.0} : Point{x, pts_[head_].n, pts_[head_].b};
  }
  if (x >= pts_.back().t) return {x, pts_.back().n, pts_.back().b};
  const auto it = std::upper_bound(pts_.begin() + static_cast<std::ptrdiff_t>(head_), pts_.end(), x,
                                   [](std::int64_t v, const Point& p) { return v < p.t; });
  const Point& b = *it;
  const Point& a = *(it - 1);
  const double f = static_cast<double>(x - a.t) / static_cast<double>(b.t - a.t);
  return {x, a.n + f * (b.n - a.n), a.b + f * (b.b - a.b)};
}

double BurnHistory::ratio(std::int64_t window) const {
  const Point now = pts_.back();
  const Point then = at(now.t - window);
  const double dn = now.n - then.n;
  return dn > 0.0 ? (now.b - then.b) / dn : 0.0;
}

bool BurnHistory::holds(std::int64_t window, double threshold) const {
  const Point now = pts_.back();
  const Point then = at(now.t - window);
  return condition(now.n - then.n, now.b - then.b, threshold);
}

double BurnHistory::bad_in(std::int64_t window) const {
  return pts_.back().b - at(pts_.back().t - window).b;
}

std::optional<std::int64_t> BurnHistory::next_change(std::int64_t window, double threshold,
                                                     double total_rate, double bad_rate,
                                                     std::int64_t until) const {
  const Point now = pts_.back();
  // One binary search: the first recorded point after the window's start.
  const auto first =
      std::upper_bound(pts_.begin() + static_cast<std::ptrdiff_t>(head_), pts_.end(),
                       now.t - window, [](std::int64_t v, const Point& p) { return v < p.t; });
  Point then{now.t - window, 0.0, 0.0};
  if (first == pts_.begin() + static_cast<std::ptrdiff_t>(head_)) {
    if (then.t >= 0) then = {then.t, first->n, first->b};  // pruned up to here: flat
  } else if (first == pts_.end()) {
    then = {then.t, now.n, now.b};
  } else {
    const Point& a = *(first - 1);
    const double f = static_cast<double>(then.t - a.t) / static_cast<double>(first->t - a.t);
    then = {then.t, a.n + f * (first->n - a.n), a.b + f * (first->b - a.b)};
  }
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
  for (auto it = first;; ++it) {
    const bool last_piece = it == pts_.end() || it->t >= now.t;
    const std::int64_t b = last_piece ? now.t + window : it->t + window;
    if (b > a) {
      const Point end = future(b);
      const Point start = last_piece ? now : *it;
      const double dn_b = end.n - start.n;
      const double db_b = end.b - start.b;
      if (condition(dn_b, db_b, threshold) != initial) {
        // g = db − θ·dn is linear on [a, b]: its root is the change.
        const double ga = db_a - threshold * dn_a;
        const double gb = db_b - threshold * dn_b;
        std::int64_t t = b;
        if (ga != gb && dn_a > 0.0) {
          const double f = std::clamp(ga / (ga - gb), 0.0, 1.0);
          t = a + static_cast<std::int64_t>(std::ceil(f * static_cast<double>(b - a) - 1e-6));
        }
        return std::max(t, now.t + 1);
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
