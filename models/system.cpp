// Calendar arithmetic, the reference text's defaults, lookups and names.
#include "models/system.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace relsim::models {

namespace {
constexpr std::int64_t kDay = 86'400'000'000;  // microseconds

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view n) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == n; });
  return it == items.end() ? nullptr : &*it;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/// µs of business hours one business day holds. Day d's hours are
/// [d·day + from, d·day + from + length): overnight hours run into the next
/// day, as in_business_hours counts them.
std::int64_t business_day_length(const BusinessHours& bh) {
  const std::int64_t from = bh.from.count_micros();
  const std::int64_t to = bh.to.count_micros();
  return from <= to ? to - from : kDay - from + to;
}
}  // namespace

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

const char* weekday_name(Weekday d) {
  static constexpr const char* kNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return kNames[static_cast<int>(d)];
}

Weekday Calendar::start_weekday() const {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const std::int64_t days = days_from_civil(start.year, start.month, start.day);
  return static_cast<Weekday>(((days % 7) + 7 + 3) % 7);
}

sim::Duration Calendar::start_time_of_day() const {
  return sim::Duration::hours(start.hour) + sim::Duration::minutes(start.minute) +
         sim::Duration::seconds(start.second);
}

std::pair<Weekday, sim::Duration> Calendar::local_at(sim::Duration t) const {
  const std::int64_t since_midnight = start_time_of_day().count_micros() + t.count_micros();
  const std::int64_t day = floor_div(since_midnight, kDay);
  const std::int64_t tod = since_midnight - day * kDay;
  const auto wd = static_cast<Weekday>(((static_cast<int>(start_weekday()) + day) % 7 + 7) % 7);
  return {wd, sim::Duration::micros(tod)};
}

bool Calendar::in_business_hours(sim::Duration t) const {
  const auto [wd, tod] = local_at(t);
  const auto& bh = business_hours;
  if (bh.from <= bh.to) return bh.days[static_cast<int>(wd)] && tod >= bh.from && tod < bh.to;
  // Overnight hours (from > to): the evening belongs to `wd`, the morning to the day before.
  if (tod >= bh.from) return bh.days[static_cast<int>(wd)];
  if (tod < bh.to) return bh.days[(static_cast<int>(wd) + 6) % 7];
  return false;
}

double Calendar::business_seconds_per_business_day() const {
  return sim::Duration::micros(business_day_length(business_hours)).to_seconds();
}

sim::Duration Calendar::advance_business_time(sim::Duration from, double business_seconds) const {
  if (!(business_seconds >= 0.0)) {
    throw std::invalid_argument("advance_business_time: business_seconds must be >= 0 (got " +
                                std::to_string(business_seconds) + ")");
  }
  const auto& bh = business_hours;
  const std::int64_t length = business_day_length(bh);
  const auto business_days = std::count(bh.days.begin(), bh.days.end(), true);
  if (length == 0 || business_days == 0) {
    throw std::invalid_argument(
        "advance_business_time: the calendar has no business hours (no business day, or "
        "'from' equals 'to')");
  }
  constexpr std::int64_t kWeek = 7 * kDay;
  // Beyond this (~146,000 years) the answer saturates instead of overflowing.
  constexpr std::int64_t kFar = std::numeric_limits<std::int64_t>::max() / 2;
  std::int64_t remaining = sim::Duration::from_seconds(business_seconds).count_micros();
  // Local µs since the Monday 00:00 of the start's week.
  const std::int64_t origin =
      static_cast<std::int64_t>(start_weekday()) * kDay + start_time_of_day().count_micros();
  if (from.count_micros() > kFar) return sim::Duration::max();
  std::int64_t local = origin + from.count_micros();
  bool weeks_skipped = false;
  // From the day before: its overnight hours may reach into `from`'s day.
  for (std::int64_t day = floor_div(local, kDay) - 1;; ++day) {
    if (!bh.days[static_cast<std::size_t>(day - floor_div(day, 7) * 7)]) continue;
    const std::int64_t open = day * kDay + bh.from.count_micros();
    const std::int64_t close = open + length;
    if (close <= local) continue;
    local = std::max(local, open);
    if (remaining <= close - local) return sim::Duration::micros(local + remaining - origin);
    remaining -= close - local;
    local = close;
    if (!weeks_skipped) {
      // At a closing time every week ahead looks the same: jump over all the
      // whole weeks but the last, so the answer lies within the next week.
      weeks_skipped = true;
      const std::int64_t per_week = length * business_days;
      const std::int64_t weeks = (remaining - 1) / per_week;
      if (weeks > (kFar - local) / kWeek) return sim::Duration::max();
      remaining -= weeks * per_week;
      local += weeks * kWeek;
      day += weeks * 7;
    }
  }
}

std::optional<sim::Duration> resolve_time(const TimeSpec& spec, const Calendar& calendar) {
  switch (spec.kind) {
    case TimeSpec::Kind::offset:
      return spec.offset;
    case TimeSpec::Kind::weekday_time: {
      const int days_ahead =
          (static_cast<int>(spec.weekday) - static_cast<int>(calendar.start_weekday()) + 7) % 7;
      sim::Duration t =
          sim::Duration::days(days_ahead) + spec.time_of_day - calendar.start_time_of_day();
      if (t < sim::Duration::zero()) t += sim::Duration::days(7);
      return t;
    }
    case TimeSpec::Kind::civil: {
      const auto& c = spec.civil;
      const auto& s = calendar.start;
      const std::int64_t days =
          days_from_civil(c.year, c.month, c.day) - days_from_civil(s.year, s.month, s.day);
      const sim::Duration t = sim::Duration::days(days) + sim::Duration::hours(c.hour - s.hour) +
                              sim::Duration::minutes(c.minute - s.minute) +
                              sim::Duration::seconds(c.second - s.second);
      if (t < sim::Duration::zero()) return std::nullopt;
      return t;
    }
  }
  return std::nullopt;
}

std::vector<BudgetTier> default_budget_policy() {
  return {
      {0.50, BudgetAction::ship, {}},
      {0.25, BudgetAction::freeze, {}},
      {0.0, BudgetAction::all_hands, {}},
      {std::nullopt, BudgetAction::leadership_review, {}},
  };
}

std::vector<BurnWindow> sre_workbook_burn_windows() {
  using sim::Duration;
  return {
      {AlertRoute::page, 14.4, Duration::hours(1), Duration::minutes(5), {}},
      {AlertRoute::page, 6.0, Duration::hours(6), Duration::minutes(30), {}},
      {AlertRoute::ticket, 3.0, Duration::days(1), Duration::hours(2), {}},
      {AlertRoute::ticket, 1.0, Duration::days(3), Duration::hours(6), {}},
  };
}

std::vector<SeverityRule> default_severity_rules() {
  using sim::Duration;
  auto above = [](double v) { return Condition{ConditionMetric::error_rate, v, 0.99, {}}; };
  return {
      {1, above(0.50), Duration::minutes(5), false, Duration::minutes(15), {}},
      {2, above(0.10), Duration::minutes(15), false, Duration::minutes(30), {}},
      {3, above(0.01), Duration::hours(1), false, Duration::hours(4), {}},
      {4, std::nullopt, std::nullopt, true, std::nullopt, {}},
  };
}

const Zone* System::find_zone(std::string_view n) const { return find_named(zones, n); }
const Service* System::find_service(std::string_view n) const { return find_named(services, n); }
const Datastore* System::find_datastore(std::string_view n) const {
  return find_named(datastores, n);
}
const Cache* System::find_cache(std::string_view n) const { return find_named(caches, n); }
const Slo* System::find_slo(std::string_view n) const { return find_named(slos, n); }
const Alert* System::find_alert(std::string_view n) const { return find_named(alerts, n); }
const Team* System::find_team(std::string_view n) const { return find_named(teams, n); }

const char* to_string(FailureType v) {
  switch (v) {
    case FailureType::replica_crash:
      return "replicaCrash";
    case FailureType::zone_outage:
      return "zoneOutage";
    case FailureType::primary_failure:
      return "primaryFailure";
    case FailureType::node_failure:
      return "nodeFailure";
  }
  return "?";
}
const char* to_string(DependencyType v) {
  switch (v) {
    case DependencyType::hard:
      return "hard";
    case DependencyType::soft:
      return "soft";
    case DependencyType::cache:
      return "cache";
  }
  return "?";
}
const char* to_string(ComponentKind v) {
  switch (v) {
    case ComponentKind::service:
      return "service";
    case ComponentKind::datastore:
      return "datastore";
    case ComponentKind::cache:
      return "cache";
  }
  return "?";
}
const char* to_string(SliKind v) { return v == SliKind::availability ? "availability" : "latency"; }
const char* to_string(BudgetAction v) {
  switch (v) {
    case BudgetAction::ship:
      return "ship";
    case BudgetAction::freeze:
      return "freeze";
    case BudgetAction::all_hands:
      return "allHands";
    case BudgetAction::leadership_review:
      return "leadershipReview";
  }
  return "?";
}
const char* to_string(AlertRoute v) { return v == AlertRoute::page ? "page" : "ticket"; }
const char* to_string(ConditionMetric v) {
  switch (v) {
    case ConditionMetric::error_rate:
      return "errorRate";
    case ConditionMetric::latency:
      return "latency";
    case ConditionMetric::users_affected:
      return "usersAffected";
  }
  return "?";
}
const char* to_string(RunbookAction v) {
  switch (v) {
    case RunbookAction::rollback:
      return "rollback";
    case RunbookAction::restart:
      return "restart";
    case RunbookAction::scale_up:
      return "scaleUp";
    case RunbookAction::failover:
      return "failover";
    case RunbookAction::drain_zone:
      return "drainZone";
  }
  return "?";
}

}  // namespace relsim::models
