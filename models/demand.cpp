// The demand curve: one local week tabulated as linear pieces between knots
// (trough, peak, and the midnights that open and close a weekend), with the
// running integral, so that any span is whole weeks plus two partial pieces
// and the pieces in between.
#include "models/demand.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace relsim::models {
namespace {

constexpr std::int64_t kDay = 86'400'000'000;  // µs
constexpr std::int64_t kWeek = 7 * kDay;
constexpr std::int64_t kSaturday = 5 * kDay;  // local Saturday 00:00 since Monday 00:00

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

double seconds(std::int64_t us) { return static_cast<double>(us) * 1e-6; }

}  // namespace

DemandCurve::DemandCurve(const Demand& demand, const Calendar& calendar)
    : base_(demand.base), weekend_factor_(demand.weekend_factor) {
  if (demand.daily) {
    const DailyProfile& p = *demand.daily;
    peak_ = sim::Duration::micros(floor_mod(p.peak.count_micros(), kDay));  // 24:00 is 00:00
    trough_ = sim::Duration::micros(floor_mod(p.trough.count_micros(), kDay));
    if (peak_ == trough_) {
      throw std::invalid_argument("demand: the daily trough must be at another time than the peak");
    }
    peak_factor_ = p.peak_factor;
    trough_factor_ = p.trough_factor;
    has_daily_ = peak_factor_ != trough_factor_;
    if (!has_daily_) base_ *= peak_factor_;  // a constant profile is a flat curve
  }
  flat_ = base_ == 0.0 || (!has_daily_ && weekend_factor_ == 1.0);
  origin_ = floor_mod(static_cast<std::int64_t>(calendar.start_weekday()) * kDay +
                          calendar.start_time_of_day().count_micros(),
                      kWeek);
  if (flat_) {
    week_requests_ = base_ * seconds(kWeek);
    return;
  }

  // The week's breakpoints: its origin (a knot only when a weekend ends
  // there), then every knot; duplicates merge.
  const bool weekend = weekend_factor_ != 1.0;
  std::vector<std::pair<std::int64_t, bool>> points{{0, weekend}};
  for (std::int64_t d = 0; d < 7; ++d) {
    if (has_daily_) {
      points.emplace_back(d * kDay + trough_.count_micros(), true);
      points.emplace_back(d * kDay + peak_.count_micros(), true);
    }
  }
  if (weekend) points.emplace_back(kSaturday, true);
  std::sort(points.begin(), points.end());
  for (const auto& [start, knot] : points) {
    if (!week_.empty() && week_.back().start == start) {
      week_.back().knot = week_.back().knot || knot;
    } else {
      week_.push_back({start, 0.0, 0.0, 0.0, knot});
    }
  }

  // Rates at both ends of each piece. The weekend factor is constant on a
  // piece (its midnights are breakpoints) and the day factor is continuous,
  // so the rate at a piece's end is the left limit there.
  double requests = 0.0;
  for (std::size_t i = 0; i < week_.size(); ++i) {
    Piece& p = week_[i];
    const std::int64_t end = p.start + length(i);
    const double factor = base_ * (p.start >= kSaturday ? weekend_factor_ : 1.0);
    p.rate = factor * day_factor(sim::Duration::micros(p.start % kDay));
    const double end_rate = factor * day_factor(sim::Duration::micros(end % kDay));
    p.slope = (end_rate - p.rate) / seconds(end - p.start);
    p.requests_before = requests;
    requests += 0.5 * (p.rate + end_rate) * seconds(end - p.start);
  }
  week_requests_ = requests;
}

double DemandCurve::day_factor(sim::Duration tod) const {
  if (!has_daily_) return 1.0;
  // Rising from the trough to the peak over `rise`, falling back over the rest
  // of the day; either stretch may contain midnight.
  const std::int64_t rise = floor_mod((peak_ - trough_).count_micros(), kDay);
  const std::int64_t since_trough = floor_mod((tod - trough_).count_micros(), kDay);
  if (since_trough <= rise) {
    return trough_factor_ + (peak_factor_ - trough_factor_) * static_cast<double>(since_trough) /
                                static_cast<double>(rise);
  }
  return peak_factor_ + (trough_factor_ - peak_factor_) * static_cast<double>(since_trough - rise) /
                            static_cast<double>(kDay - rise);
}

DemandCurve::Position DemandCurve::locate(sim::Duration t) const {
  const std::int64_t local = origin_ + t.count_micros();
  Position pos;
  pos.week = floor_div(local, kWeek);
  const std::int64_t in_week = local - pos.week * kWeek;
  const auto after = std::upper_bound(week_.begin(), week_.end(), in_week,
                                      [](std::int64_t x, const Piece& p) { return x < p.start; });
  pos.piece = static_cast<std::size_t>(after - week_.begin()) - 1;
  pos.into = in_week - week_[pos.piece].start;
  return pos;
}

double DemandCurve::rate_in(const Piece& p, std::int64_t into) const {
  return p.rate + p.slope * seconds(into);
}

double DemandCurve::requests_before(std::size_t i) const {
  return i < week_.size() ? week_[i].requests_before : week_requests_;
}

std::int64_t DemandCurve::length(std::size_t i) const {
  return (i + 1 < week_.size() ? week_[i + 1].start : kWeek) - week_[i].start;
}

double DemandCurve::rate(sim::Duration t) const {
  if (flat_) return base_;
  const Position pos = locate(t);
  return rate_in(week_[pos.piece], pos.into);
}

double DemandCurve::slope(sim::Duration t) const {
  if (flat_) return 0.0;
  return week_[locate(t).piece].slope;
}

sim::Duration DemandCurve::next_knot_after(sim::Duration t) const {
  if (flat_) return sim::Duration::max();
  const Position pos = locate(t);
  // The pieces after t's, wrapping into the next week; a non-flat curve has
  // a knot every week, so this ends within one lap.
  std::int64_t ahead = length(pos.piece) - pos.into;
  for (std::size_t step = 1; step <= week_.size(); ++step) {
    const std::size_t i = (pos.piece + step) % week_.size();
    if (week_[i].knot) {
      if (t > sim::Duration::max() - sim::Duration::micros(ahead)) return sim::Duration::max();
      return t + sim::Duration::micros(ahead);
    }
    ahead += length(i);
  }
  return sim::Duration::max();  // unreachable: see above
}

double DemandCurve::integral(sim::Duration a, sim::Duration b) const {
  if (b < a) return -integral(b, a);
  if (flat_) return base_ * (b - a).to_seconds();
  const Position pa = locate(a);
  const Position pb = locate(b);
  const Piece& first = week_[pa.piece];
  const Piece& last = week_[pb.piece];
  if (pa.week == pb.week && pa.piece == pb.piece) {  // one linear stretch: one trapezoid
    return 0.5 * (rate_in(first, pa.into) + rate_in(last, pb.into)) * seconds(pb.into - pa.into);
  }
  // From a to the end of its piece, from the start of b's piece to b, and the
  // whole pieces and weeks in between from the running integral (a week's
  // worth of pieces cancels exactly when b's piece precedes a's).
  const std::int64_t first_length = length(pa.piece);
  const double head = 0.5 * (rate_in(first, pa.into) + rate_in(first, first_length)) *
                      seconds(first_length - pa.into);
  const double tail = 0.5 * (last.rate + rate_in(last, pb.into)) * seconds(pb.into);
  const double between = static_cast<double>(pb.week - pa.week) * week_requests_ +
                         (requests_before(pb.piece) - requests_before(pa.piece + 1));
  return head + between + tail;
}

}  // namespace relsim::models
