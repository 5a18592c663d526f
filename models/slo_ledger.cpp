// SLO accounting: see models/slo_ledger.hpp.
#include "models/slo_ledger.hpp"

#include <algorithm>
#include <cmath>

namespace relsim::models {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

/// Civil date of a day count since 1970-01-01 (proleptic Gregorian; the
/// inverse of days_from_civil, by Howard Hinnant's published algorithm).
void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace

sim::Duration slo_window_start(const CompiledModel& model, const SloRow& slo,
                               sim::Duration horizon) {
  if (slo.window_kind == SloWindowKind::rolling) {
    return std::max(sim::Duration::zero(), horizon - slo.window);
  }
  // Calendar month: local seconds since the epoch of t = 0 and of the end.
  const CivilTime& s = model.calendar.start;
  const std::int64_t start_local = days_from_civil(s.year, s.month, s.day) * kSecondsPerDay +
                                   s.hour * 3600 + s.minute * 60 + s.second;
  const std::int64_t end_local =
      start_local + (horizon - sim::Duration::micros(1)).count_micros() / 1'000'000;
  std::int64_t end_day = end_local / kSecondsPerDay;
  if (end_local % kSecondsPerDay < 0) --end_day;
  int y = 0, m = 0, d = 0;
  civil_from_days(end_day, y, m, d);
  const std::int64_t month_start = days_from_civil(y, m, 1) * kSecondsPerDay;
  return std::max(sim::Duration::zero(), sim::Duration::seconds(month_start - start_local));
}

sim::Duration budget_series_step(sim::Duration window_length) {
  const sim::Duration by_count = sim::Duration::micros(window_length.count_micros() / 720);
  return std::max(sim::Duration::hours(1), by_count);
}

void SloLedger::reset(const CompiledModel& model, sim::Duration horizon) {
  horizon_ = horizon;
  slos_.resize(model.slos.size());
  for (std::size_t k = 0; k < model.slos.size(); ++k) {
    Slo& s = slos_[k];
    s.start = slo_window_start(model, model.slos[k], horizon);
    s.good = 0.0;
    s.total = 0.0;
    s.record.clear();
  }
}

void SloLedger::add(Index k, sim::Duration a, sim::Duration b, double total, double good) {
  Slo& s = slos_[k];
  if (b <= s.start || b <= a) return;
  if (a < s.start) {  // not expected (a window start is an event): keep the share inside
    const double inside = (b - s.start).to_seconds() / (b - a).to_seconds();
    total *= inside;
    good *= inside;
    a = s.start;
  }
  good = std::min(good, total);
  s.total += total;
  s.good += good;
  const double bad = total - good;
  if (bad > 0.0) {
    const double before = s.record.empty() ? 0.0 : s.record.back().bad;
    if (!s.record.empty() && s.record.back().t == a) {
      s.record.push_back({b, before + bad});
    } else {
      s.record.push_back({a, before});
      s.record.push_back({b, before + bad});
    }
  }
}

double SloLedger::bad_at(const Slo& s, sim::Duration t) {
  const auto it = std::upper_bound(s.record.begin(), s.record.end(), t,
                                   [](sim::Duration v, const Point& p) { return v < p.t; });
  if (it == s.record.begin()) return 0.0;
  const Point& left = *(it - 1);
  if (it == s.record.end()) return left.bad;
  const Point& right = *it;
  if (right.bad == left.bad) return left.bad;
  const double f = (t - left.t).to_seconds() / (right.t - left.t).to_seconds();
  return left.bad + f * (right.bad - left.bad);
}

std::optional<sim::Duration> SloLedger::reaches(const Slo& s, double target) {
  for (std::size_t i = 1; i < s.record.size(); ++i) {
    const Point& left = s.record[i - 1];
    const Point& right = s.record[i];
    if (right.bad < target) continue;
    if (left.bad >= target) return left.t;
    const double f = (target - left.bad) / (right.bad - left.bad);
    return left.t + sim::Duration::from_seconds(f * (right.t - left.t).to_seconds());
  }
  return std::nullopt;
}

void SloLedger::finish(const CompiledModel& model, std::vector<SloTrialResult>& out) const {
  out.resize(slos_.size());
  for (std::size_t k = 0; k < slos_.size(); ++k) {
    const Slo& s = slos_[k];
    const SloRow& row = model.slos[k];
    SloTrialResult& r = out[k];
    r.good = s.good;
    r.total = s.total;
    const double bad = std::max(0.0, s.total - s.good);
    r.attainment = s.total > 0.0 ? s.good / s.total : 1.0;
    r.met = r.attainment >= row.objective;
    const double budget = (1.0 - row.objective) * s.total;
    r.budget_consumed = budget > 0.0 ? bad / budget : 0.0;
    const sim::Duration length = horizon_ - s.start;
    r.budget_minutes = s.total > 0.0 ? bad / s.total * length.to_seconds() / 60.0 : 0.0;

    // Tier i is reached when the remaining budget falls to tier i-1's threshold.
    r.tier_reached.assign(model.budget_policy.size(), std::nullopt);
    for (std::size_t i = 0; i < model.budget_policy.size(); ++i) {
      if (i == 0) {
        r.tier_reached[i] = s.start;
        continue;
      }
      const auto& above = model.budget_policy[i - 1].remaining_above;
      const double threshold = above ? *above : 0.0;
      if (budget <= 0.0) continue;
      r.tier_reached[i] = reaches(s, (1.0 - threshold) * budget);
    }

    r.remaining_budget.clear();
    const sim::Duration step = budget_series_step(length);
    for (sim::Duration t = s.start;; t += step) {
      if (t > horizon_) t = horizon_;
      const double remaining = budget > 0.0 ? 1.0 - bad_at(s, t) / budget : 1.0;
      r.remaining_budget.push_back(static_cast<float>(remaining));
      if (t == horizon_) break;
    }
  }
}

}  // namespace relsim::models
