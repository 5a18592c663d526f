// The demand curve (rates, knots and exact integrals of the daily and weekly
// profile in local time) and business time on the calendar.
#include "models/demand.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/calendar.hpp"
#include "models/system.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace relsim::models {
namespace {

using sim::Duration;

constexpr double kDaySeconds = 86'400.0;
constexpr std::uint64_t kDayMinutes = 1'440;

Duration at(int day, int hour, int minute = 0) {
  return Duration::days(day) + Duration::hours(hour) + Duration::minutes(minute);
}

/// The default calendar: t = 0 is Monday 2026-01-05 00:00 local time.
Calendar monday_midnight() { return Calendar{}; }

/// A calendar whose t = 0 is day `day_of_week` (0: Monday) of the week of
/// 2026-01-05 at hour:minute local time, with a UTC offset that must change
/// nothing (the start is local time).
Calendar starting(int day_of_week, int hour, int minute) {
  Calendar c;
  c.start = {2026, 1, 5 + day_of_week, hour, minute, 0};
  c.utc_offset = Duration::hours(9) + Duration::minutes(30);
  return c;
}

/// base 100 req/s, trough 04:00 × 0.3, peak 14:00 × 2.0.
Demand office_profile(double weekend_factor = 1.0) {
  Demand d;
  d.base = 100.0;
  d.daily = DailyProfile{Duration::hours(14), 2.0, Duration::hours(4), 0.3};
  d.weekend_factor = weekend_factor;
  return d;
}

/// Requests between whole-minute offsets a <= b by the midpoint rule on
/// one-minute steps. Exact up to rounding when every knot falls on a whole
/// minute: each step then lies on one linear piece.
double minute_sum(const DemandCurve& curve, Duration a, Duration b) {
  double sum = 0.0;
  for (Duration t = a; t < b; t += Duration::minutes(1)) {
    sum += curve.rate(t + Duration::seconds(30)) * 60.0;
  }
  return sum;
}

TEST(DemandCurve, DefaultCalendarStartsOnAMondayAtMidnight) {
  EXPECT_EQ(monday_midnight().start_weekday(), Weekday::mon);
  EXPECT_EQ(starting(3, 13, 37).start_weekday(), Weekday::thu);
}

TEST(DemandCurve, FlatDemandIntegratesToBaseTimesSeconds) {
  const DemandCurve curve(Demand{120.0, std::nullopt, 1.0}, monday_midnight());
  EXPECT_TRUE(curve.flat());
  EXPECT_EQ(curve.rate(Duration::zero()), 120.0);
  EXPECT_EQ(curve.rate(at(5, 13)), 120.0);
  EXPECT_EQ(curve.slope(at(2, 3)), 0.0);
  EXPECT_EQ(curve.next_knot_after(at(1, 0)), Duration::max());
  const Duration span = at(3, 0) + Duration::seconds(17);
  EXPECT_DOUBLE_EQ(curve.integral(Duration::zero(), span), 120.0 * span.to_seconds());
  EXPECT_EQ(curve.integral(at(1, 2), at(1, 2)), 0.0);
  EXPECT_TRUE(DemandCurve().flat());
  EXPECT_EQ(DemandCurve().rate(at(1, 0)), 0.0);
}

TEST(DemandCurve, ConstantProfileAndZeroBaseAreFlat) {
  Demand constant{50.0, DailyProfile{Duration::hours(14), 1.5, Duration::hours(4), 1.5}, 1.0};
  const DemandCurve curve(constant, monday_midnight());
  EXPECT_TRUE(curve.flat());
  EXPECT_DOUBLE_EQ(curve.rate(at(0, 9)), 75.0);
  EXPECT_DOUBLE_EQ(curve.integral(at(0, 0), at(1, 0)), 75.0 * kDaySeconds);
  Demand zero = office_profile(0.5);
  zero.base = 0.0;
  EXPECT_TRUE(DemandCurve(zero, monday_midnight()).flat());
  EXPECT_FALSE(DemandCurve(office_profile(), monday_midnight()).flat());
  EXPECT_FALSE(DemandCurve(Demand{10.0, std::nullopt, 0.5}, monday_midnight()).flat());
}

TEST(DemandCurve, RateAtPeakAndTroughIsBaseTimesTheirFactors) {
  const DemandCurve curve(office_profile(), monday_midnight());
  for (int day = 0; day < 7; ++day) {
    EXPECT_DOUBLE_EQ(curve.rate(at(day, 14)), 200.0) << day;
    EXPECT_DOUBLE_EQ(curve.rate(at(day, 4)), 30.0) << day;
  }
}

TEST(DemandCurve, InterpolatesLinearlyBetweenTroughAndPeak) {
  const DemandCurve curve(office_profile(), monday_midnight());
  EXPECT_DOUBLE_EQ(curve.rate(at(2, 9)), 100.0 * (0.3 + 2.0) / 2);
  EXPECT_DOUBLE_EQ(curve.rate(at(2, 6)), 100.0 * (0.3 + 1.7 * 2 / 10));
  EXPECT_DOUBLE_EQ(curve.slope(at(2, 9)), 170.0 / 36'000);
  // The right derivative at a knot: rising from the trough, falling before it.
  EXPECT_DOUBLE_EQ(curve.slope(at(2, 4)), 170.0 / 36'000);
  EXPECT_DOUBLE_EQ(curve.slope(at(2, 4) - Duration::micros(1)), -170.0 / 50'400);
  EXPECT_DOUBLE_EQ(curve.slope(at(2, 14)), -170.0 / 50'400);
}

TEST(DemandCurve, WrapsAroundMidnightFromPeakToTrough) {
  const DemandCurve curve(office_profile(), monday_midnight());
  // Falling from 2.0 at 14:00 to 0.3 at 04:00 the next day, through midnight.
  EXPECT_DOUBLE_EQ(curve.rate(at(1, 21)), 100.0 * (2.0 + 0.3) / 2);
  const double midnight = 100.0 * (2.0 - 1.7 * 10 / 14);
  EXPECT_DOUBLE_EQ(curve.rate(at(2, 0)), midnight);
  EXPECT_NEAR(curve.rate(at(2, 0) - Duration::micros(1)), midnight, 1e-8);
  EXPECT_DOUBLE_EQ(curve.slope(at(2, 0)), curve.slope(at(1, 23)));

  // A peak before the trough in the day: the rise is the stretch through midnight.
  Demand night = office_profile();
  night.daily = DailyProfile{Duration::hours(2), 3.0, Duration::hours(20), 1.0};
  const DemandCurve owl(night, monday_midnight());
  EXPECT_DOUBLE_EQ(owl.rate(at(1, 2)), 300.0);
  EXPECT_DOUBLE_EQ(owl.rate(at(1, 20)), 100.0);
  EXPECT_DOUBLE_EQ(owl.rate(at(1, 23)), 100.0 * (1.0 + 2.0 * 3 / 6));
  EXPECT_DOUBLE_EQ(owl.rate(at(1, 11)), 100.0 * (3.0 - 2.0 * 9 / 18));
}

TEST(DemandCurve, AppliesTheWeekendFactorOnSaturdayAndSunday) {
  const DemandCurve curve(office_profile(0.5), monday_midnight());
  EXPECT_DOUBLE_EQ(curve.rate(at(4, 14)), 200.0);  // Friday
  EXPECT_DOUBLE_EQ(curve.rate(at(5, 14)), 100.0);  // Saturday
  EXPECT_DOUBLE_EQ(curve.rate(at(6, 4)), 15.0);    // Sunday
  EXPECT_DOUBLE_EQ(curve.rate(at(7, 14)), 200.0);  // Monday again
  // A jump at the midnights that open and close the weekend.
  const double midnight = 100.0 * (2.0 - 1.7 * 10 / 14);
  EXPECT_NEAR(curve.rate(at(5, 0) - Duration::micros(1)), midnight, 1e-8);
  EXPECT_DOUBLE_EQ(curve.rate(at(5, 0)), 0.5 * midnight);
  EXPECT_NEAR(curve.rate(at(7, 0) - Duration::micros(1)), 0.5 * midnight, 1e-8);
  EXPECT_DOUBLE_EQ(curve.rate(at(7, 0)), midnight);
  // Weekend factor without a daily profile: a step function.
  const DemandCurve steps(Demand{10.0, std::nullopt, 3.0}, monday_midnight());
  EXPECT_EQ(steps.rate(at(4, 23)), 10.0);
  EXPECT_EQ(steps.rate(at(5, 0)), 30.0);
  EXPECT_EQ(steps.slope(at(5, 0)), 0.0);
  EXPECT_DOUBLE_EQ(steps.integral(at(4, 12), at(5, 12)), 10.0 * 43'200 + 30.0 * 43'200);
  EXPECT_DOUBLE_EQ(steps.integral(at(0, 0), at(7, 0)), (5 * 10.0 + 2 * 30.0) * kDaySeconds);
}

TEST(DemandCurve, IntegratesOneDayToTheAreaUnderTheProfile) {
  const DemandCurve curve(office_profile(), monday_midnight());
  // Rising 04:00–14:00 and falling 14:00–04:00 both average (0.3 + 2.0)/2.
  const double day = 100.0 * (0.3 + 2.0) / 2 * kDaySeconds;
  EXPECT_NEAR(curve.integral(at(0, 0), at(1, 0)), day, 1e-9 * day);
  EXPECT_NEAR(curve.integral(at(3, 4), at(4, 4)), day, 1e-9 * day);
  EXPECT_NEAR(curve.integral(at(2, 17, 13), at(3, 17, 13)), day, 1e-9 * day);
  // 00:00 to 04:00: a trapezoid from the midnight rate down to the trough.
  const double midnight = 2.0 - 1.7 * 10 / 14;
  EXPECT_NEAR(curve.integral(at(1, 0), at(1, 4)), 100.0 * (midnight + 0.3) / 2 * 4 * 3600, 1e-7);
  // 04:00 to 14:00: the rising stretch.
  EXPECT_NEAR(curve.integral(at(1, 4), at(1, 14)), 100.0 * 1.15 * 10 * 3600, 1e-7);
  // A weekend day is the weekday scaled by the factor.
  const DemandCurve weekend(office_profile(0.25), monday_midnight());
  EXPECT_NEAR(weekend.integral(at(5, 0), at(6, 0)), 0.25 * day, 1e-9 * day);
  EXPECT_NEAR(weekend.integral(at(0, 0), at(7, 0)), (5 + 2 * 0.25) * day, 1e-9 * day);
}

TEST(DemandCurve, IntegralMatchesAFineSumAcrossDaysAndWeekends) {
  Demand d;
  d.base = 80.0;
  d.daily = DailyProfile{Duration::hours(19) + Duration::minutes(15), 1.8,
                         Duration::hours(3) + Duration::minutes(30), 0.25};
  d.weekend_factor = 0.4;
  for (const Calendar& calendar : {monday_midnight(), starting(3, 13, 37), starting(6, 23, 59)}) {
    const DemandCurve curve(d, calendar);
    sim::Rng rng(2026, sim::stream_id("demand-integral"));
    for (int i = 0; i < 25; ++i) {
      const auto a = Duration::minutes(static_cast<std::int64_t>(rng.below(14 * kDayMinutes)));
      const auto b = a + Duration::minutes(static_cast<std::int64_t>(rng.below(10 * kDayMinutes)));
      const double expected = minute_sum(curve, a, b);
      EXPECT_NEAR(curve.integral(a, b), expected, 1e-9 * expected + 1e-9)
          << sim::format_duration(a) << " .. " << sim::format_duration(b);
    }
  }
}

TEST(DemandCurve, IntegralIsAdditiveAndCoversLongSpansByWholeWeeks) {
  const DemandCurve curve(office_profile(0.6), starting(2, 15, 30));
  const double week = curve.integral(Duration::zero(), at(7, 0));
  // One week from any instant holds the same requests.
  for (const Duration from : {at(0, 1), at(3, 7, 11) + Duration::micros(123), at(5, 0)}) {
    EXPECT_NEAR(curve.integral(from, from + at(7, 0)), week, 1e-12 * week);
  }
  const Duration year = at(7 * 52, 0);
  EXPECT_NEAR(curve.integral(Duration::zero(), year), 52 * week, 1e-12 * 52 * week);
  // Split anywhere, at arbitrary microseconds and across weekend jumps.
  const Duration a = at(1, 3) + Duration::micros(7);
  const Duration c = at(40, 22) + Duration::micros(999'999);
  for (const Duration b : {a, at(4, 23, 59), at(5, 0) - Duration::micros(1), at(9, 14), c}) {
    const double whole = curve.integral(a, c);
    EXPECT_NEAR(curve.integral(a, b) + curve.integral(b, c), whole, 1e-12 * whole);
  }
  EXPECT_DOUBLE_EQ(curve.integral(c, a), -curve.integral(a, c));
  // A short stretch far into the horizon keeps its relative accuracy.
  const Duration late = year + at(3, 10);
  EXPECT_NEAR(curve.integral(late, late + Duration::seconds(1)),
              curve.rate(late + Duration::millis(500)), 1e-9);
}

TEST(DemandCurve, NextKnotAfterVisitsTroughPeakAndWeekendMidnights) {
  const DemandCurve curve(office_profile(0.5), monday_midnight());
  std::vector<Duration> expected;
  for (int day = 0; day < 7; ++day) {
    if (day == 5) expected.push_back(at(5, 0));
    expected.push_back(at(day, 4));
    expected.push_back(at(day, 14));
  }
  expected.push_back(at(7, 0));
  expected.push_back(at(7, 4));
  std::vector<Duration> seen;
  for (Duration t = Duration::zero(); seen.size() < expected.size();) {
    t = curve.next_knot_after(t);
    seen.push_back(t);
  }
  EXPECT_EQ(seen, expected);
  // Strictly after: from just before a knot, that knot.
  EXPECT_EQ(curve.next_knot_after(at(2, 14) - Duration::micros(1)), at(2, 14));
  // Without a weekend factor midnight is no knot; without a profile only the
  // weekend's midnights are.
  const DemandCurve weekdays(office_profile(), monday_midnight());
  EXPECT_EQ(weekdays.next_knot_after(at(4, 14)), at(5, 4));
  EXPECT_EQ(weekdays.next_knot_after(at(6, 14)), at(7, 4));
  const DemandCurve steps(Demand{10.0, std::nullopt, 3.0}, monday_midnight());
  EXPECT_EQ(steps.next_knot_after(Duration::zero()), at(5, 0));
  EXPECT_EQ(steps.next_knot_after(at(5, 0)), at(7, 0));
  EXPECT_EQ(steps.next_knot_after(at(7, 0)), at(12, 0));
}

TEST(DemandCurve, FollowsTheLocalTimeOfACalendarThatStartsMidWeek) {
  // t = 0 is Wednesday 15:30 local; the UTC offset does not move local time.
  Calendar calendar = starting(2, 15, 30);
  const DemandCurve curve(office_profile(0.5), calendar);
  const Duration to_local_midnight = Duration::hours(8) + Duration::minutes(30);
  EXPECT_DOUBLE_EQ(curve.rate(Duration::zero()), 100.0 * (2.0 - 1.7 * 1.5 / 14));
  EXPECT_EQ(curve.next_knot_after(Duration::zero()), to_local_midnight + Duration::hours(4));
  EXPECT_DOUBLE_EQ(curve.rate(to_local_midnight + Duration::hours(14)), 200.0);  // Thursday
  // Saturday 00:00 is 2 days 8h30 after the start.
  const Duration saturday = at(2, 0) + to_local_midnight;
  EXPECT_EQ(curve.next_knot_after(saturday - Duration::hours(1)), saturday);
  EXPECT_DOUBLE_EQ(curve.rate(saturday + Duration::hours(14)), 100.0);
  calendar.utc_offset = Duration::zero();
  const DemandCurve utc(office_profile(0.5), calendar);
  for (const Duration t : {Duration::zero(), at(1, 7), saturday, at(9, 2, 45)}) {
    EXPECT_EQ(utc.rate(t), curve.rate(t));
    EXPECT_EQ(utc.next_knot_after(t), curve.next_knot_after(t));
  }
}

TEST(DemandCurve, RejectsATroughAtThePeakTime) {
  Demand d = office_profile();
  d.daily->trough = Duration::hours(14);
  EXPECT_THROW(DemandCurve(d, monday_midnight()), std::invalid_argument);
}

// ------------------------------------------------------------ business time

/// Mon–Fri 09:00–18:00 from Monday 2026-01-05 00:00.
Calendar office_hours() { return Calendar{}; }

Calendar overnight_hours() {
  Calendar c;
  c.business_hours.from = Duration::hours(22);
  c.business_hours.to = Duration::hours(6);
  return c;
}

TEST(BusinessHours, SecondsPerBusinessDayIncludeOvernightHours) {
  EXPECT_EQ(office_hours().business_seconds_per_business_day(), 9 * 3600.0);
  EXPECT_EQ(overnight_hours().business_seconds_per_business_day(), 8 * 3600.0);
  Calendar all_day;
  all_day.business_hours.from = Duration::zero();
  all_day.business_hours.to = Duration::hours(24);
  EXPECT_EQ(all_day.business_seconds_per_business_day(), kDaySeconds);
  Calendar empty;
  empty.business_hours.to = empty.business_hours.from;
  EXPECT_EQ(empty.business_seconds_per_business_day(), 0.0);
}

TEST(BusinessTime, AdvancesWithinBusinessHours) {
  const Calendar c = office_hours();
  EXPECT_EQ(c.advance_business_time(at(0, 8), 3600), at(0, 10));  // skips to 09:00 first
  EXPECT_EQ(c.advance_business_time(at(0, 9, 30), 3600), at(0, 10, 30));
  EXPECT_EQ(c.advance_business_time(at(0, 9), 9 * 3600), at(0, 18));  // the closing instant
  EXPECT_EQ(c.advance_business_time(at(0, 9), 9 * 3600 + 1), at(1, 9) + Duration::seconds(1));
  EXPECT_EQ(c.advance_business_time(at(0, 9), 0.25),
            at(0, 9) + Duration::millis(250));  // sub-second
}

TEST(BusinessTime, CarriesOverNightsAndWeekends) {
  const Calendar c = office_hours();
  EXPECT_EQ(c.advance_business_time(at(4, 17, 30), 3600), at(7, 9, 30));  // Fri → Mon
  EXPECT_EQ(c.advance_business_time(at(1, 20), 3600), at(2, 10));
  EXPECT_EQ(c.advance_business_time(at(5, 12), 3600), at(7, 10));  // from Saturday
}

TEST(BusinessTime, ZeroSecondsGivesTheNextOpeningOrFrom) {
  const Calendar c = office_hours();
  EXPECT_EQ(c.advance_business_time(at(5, 12), 0), at(7, 9));
  EXPECT_EQ(c.advance_business_time(at(1, 10), 0), at(1, 10));
  EXPECT_EQ(c.advance_business_time(at(1, 18), 0), at(2, 9));  // 18:00 is closed
}

TEST(BusinessTime, SkipsWholeWeeksAtOnce) {
  const Calendar c = office_hours();
  const double week = 5 * 9 * 3600.0;
  EXPECT_EQ(c.advance_business_time(at(0, 9), 520 * week + 1800), at(520 * 7, 9, 30));
  EXPECT_EQ(c.advance_business_time(at(0, 9), 3 * week), at(18, 18));  // Fri closing
  EXPECT_EQ(c.advance_business_time(at(2, 12), 2 * week), at(16, 12));
  EXPECT_EQ(c.advance_business_time(at(0, 0), 1e300), Duration::max());
}

TEST(BusinessTime, HandlesOvernightHours) {
  // 22:00–06:00 belongs to the day it starts on: Friday night runs into Saturday.
  const Calendar c = overnight_hours();
  EXPECT_TRUE(c.in_business_hours(at(5, 3)));
  EXPECT_FALSE(c.in_business_hours(at(0, 3)));  // Sunday night is no business
  EXPECT_EQ(c.advance_business_time(at(0, 23), 3 * 3600), at(1, 2));
  EXPECT_EQ(c.advance_business_time(at(1, 5), 2 * 3600), at(1, 23));
  EXPECT_EQ(c.advance_business_time(at(4, 22), 8 * 3600), at(5, 6));
  EXPECT_EQ(c.advance_business_time(at(5, 7), 3600), at(7, 23));
  EXPECT_EQ(c.advance_business_time(at(0, 3), 0), at(0, 22));
}

TEST(BusinessTime, CountsEveryDayWhenAllSevenAreBusinessDays) {
  Calendar c;
  c.business_hours.days.fill(true);
  EXPECT_EQ(c.advance_business_time(at(4, 17, 30), 3600), at(5, 9, 30));
  EXPECT_EQ(c.advance_business_time(at(6, 17), 2 * 3600), at(7, 10));
  c.business_hours.from = Duration::zero();
  c.business_hours.to = Duration::hours(24);
  EXPECT_EQ(c.advance_business_time(at(3, 5, 17), 1e6),
            at(3, 5, 17) + Duration::seconds(1'000'000));
}

TEST(BusinessTime, IsAnOffsetInTheLocalTimeOfTheCalendar) {
  Calendar c = starting(2, 15, 30);  // Wednesday 15:30 local, UTC+09:30
  // 2h30 until 18:00, the remaining 30 minutes on Thursday from 09:00.
  EXPECT_EQ(c.advance_business_time(Duration::zero(), 3 * 3600), Duration::hours(18));
  c.utc_offset = Duration::zero();
  EXPECT_EQ(c.advance_business_time(Duration::zero(), 3 * 3600), Duration::hours(18));
}

TEST(BusinessTime, MatchesAMinuteByMinuteCount) {
  // The answer t is where the business minutes counted from `from` reach the
  // budget, and the minute before t is a business minute (the earliest t).
  Calendar weekend_shop = starting(3, 13, 37);
  weekend_shop.business_hours.days = {false, false, true, false, true, true, true};
  weekend_shop.business_hours.from = Duration::hours(20) + Duration::minutes(30);
  weekend_shop.business_hours.to = Duration::hours(2);
  for (const Calendar& c : {office_hours(), overnight_hours(), weekend_shop}) {
    sim::Rng rng(17, sim::stream_id("business-time"));
    for (int i = 0; i < 30; ++i) {
      const auto from = Duration::minutes(static_cast<std::int64_t>(rng.below(14 * kDayMinutes)));
      const auto minutes = static_cast<std::int64_t>(rng.below(4 * kDayMinutes)) + 1;
      const Duration t = c.advance_business_time(from, 60.0 * static_cast<double>(minutes));
      std::int64_t counted = 0;
      for (Duration m = from; m < t; m += Duration::minutes(1)) counted += c.in_business_hours(m);
      EXPECT_EQ(counted, minutes) << sim::format_duration(from);
      EXPECT_TRUE(c.in_business_hours(t - Duration::minutes(1))) << sim::format_duration(from);
    }
  }
}

TEST(BusinessTime, ThrowsWithoutBusinessTime) {
  Calendar none;
  none.business_hours.days.fill(false);
  EXPECT_THROW(none.advance_business_time(Duration::zero(), 60), std::invalid_argument);
  Calendar empty;
  empty.business_hours.to = empty.business_hours.from;
  EXPECT_THROW(empty.advance_business_time(Duration::zero(), 60), std::invalid_argument);
  EXPECT_THROW(office_hours().advance_business_time(Duration::zero(), -1), std::invalid_argument);
  EXPECT_THROW(office_hours().advance_business_time(Duration::zero(), std::nan("")),
               std::invalid_argument);
}

}  // namespace
}  // namespace relsim::models
