// Time and Duration: arithmetic, from_seconds, parse_duration, format_duration.
#include "sim/time.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "sim/random.hpp"

namespace relsim::sim {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

/// The DurationError message for `text`, or "" when it parses.
std::string parse_error(const std::string& text, bool allow_negative = false) {
  try {
    parse_duration(text, allow_negative);
  } catch (const DurationError& e) {
    return e.what();
  }
  return "";
}

TEST(Duration, ConstructsFromUnits) {
  EXPECT_EQ(Duration::micros(7).count_micros(), 7);
  EXPECT_EQ(Duration::millis(3).count_micros(), 3'000);
  EXPECT_EQ(Duration::seconds(2).count_micros(), 2'000'000);
  EXPECT_EQ(Duration::minutes(1).count_micros(), 60'000'000);
  EXPECT_EQ(Duration::hours(1).count_micros(), 3'600'000'000);
  EXPECT_EQ(Duration::days(1).count_micros(), 86'400'000'000);
  EXPECT_EQ(Duration::zero().count_micros(), 0);
  EXPECT_EQ(Duration::max().count_micros(), kMax);
  EXPECT_DOUBLE_EQ(Duration::millis(1500).to_seconds(), 1.5);
}

TEST(Duration, SupportsArithmeticAndOrder) {
  Duration d = Duration::seconds(10);
  d += Duration::seconds(5);
  EXPECT_EQ(d, Duration::seconds(15));
  d -= Duration::millis(500);
  EXPECT_EQ(d.count_micros(), 14'500'000);
  EXPECT_EQ(Duration::seconds(3) * 4, Duration::seconds(12));
  EXPECT_EQ(-Duration::seconds(3), Duration::seconds(-3));
  EXPECT_EQ(Duration::minutes(2) - Duration::seconds(30), Duration::seconds(90));
  EXPECT_LT(Duration::millis(999), Duration::seconds(1));
  EXPECT_GT(Duration::zero(), Duration::micros(-1));
}

TEST(Time, SupportsArithmeticAndOrder) {
  const Time t0 = Time::zero();
  const Time t1 = t0 + Duration::hours(1);
  EXPECT_EQ(t1.count_micros(), 3'600'000'000);
  EXPECT_EQ(t1 - t0, Duration::hours(1));
  EXPECT_EQ(t1 - Duration::minutes(30), Time::at(Duration::minutes(30)));
  EXPECT_EQ(Time::from_micros(42).since_start(), Duration::micros(42));
  EXPECT_DOUBLE_EQ(t1.to_seconds(), 3600.0);
  Time t = t0;
  t += Duration::seconds(5);
  EXPECT_EQ(t, Time::at(Duration::seconds(5)));
  EXPECT_LT(t0, t1);
  EXPECT_EQ(Time::max().count_micros(), kMax);
}

TEST(Duration, FromSecondsRoundsToNearestMicrosecond) {
  EXPECT_EQ(Duration::from_seconds(1.5).count_micros(), 1'500'000);
  EXPECT_EQ(Duration::from_seconds(1e-6).count_micros(), 1);
  EXPECT_EQ(Duration::from_seconds(0.4e-6).count_micros(), 0);
  EXPECT_EQ(Duration::from_seconds(0.6e-6).count_micros(), 1);
  EXPECT_EQ(Duration::from_seconds(-0.6e-6).count_micros(), -1);
  EXPECT_EQ(Duration::from_seconds(-1.5).count_micros(), -1'500'000);
  EXPECT_EQ(Duration::from_seconds(0.1).count_micros(), 100'000);
  EXPECT_EQ(Duration::from_seconds(-0.0).count_micros(), 0);
}

TEST(Duration, FromSecondsIsStdRoundBitForBit) {
  // from_seconds rounds without the libm call (sim/time.cpp): it must give
  // std::round's microseconds for every double, halves, the 2^52 edge and
  // random exponential draws (what the engine feeds it) included.
  auto reference = [](double s) { return static_cast<std::int64_t>(std::round(s * 1e6)); };
  std::vector<double> cases = {0.5e-6,
                               -0.5e-6,
                               1.5e-6,
                               -1.5e-6,
                               2.5e-6,
                               -2.5e-6,
                               0.49999999999999994e-6,
                               4503599627.3704955,
                               -4503599627.3704955,
                               4503599627.370497,
                               1e9 + 0.5e-6,
                               123456.7890125};
  Rng rng(7, 11);
  for (int i = 0; i < 100000; ++i) cases.push_back(-18000.0 * std::log(rng.uniform_open0()));
  for (int i = 0; i < 100000; ++i) cases.push_back((rng.uniform01() - 0.5) * 1e7);
  for (int i = 0; i < 1000; ++i) cases.push_back((static_cast<double>(i) + 0.5) * 1e-6);
  for (const double s : cases) {
    EXPECT_EQ(Duration::from_seconds(s).count_micros(), reference(s)) << s;
  }
}

TEST(Duration, FromSecondsSaturatesAndMapsNanToZero) {
  EXPECT_EQ(Duration::from_seconds(1e300).count_micros(), kMax);
  EXPECT_EQ(Duration::from_seconds(std::numeric_limits<double>::infinity()).count_micros(), kMax);
  EXPECT_EQ(Duration::from_seconds(-1e300).count_micros(), kMin);
  EXPECT_EQ(Duration::from_seconds(-std::numeric_limits<double>::infinity()).count_micros(), kMin);
  EXPECT_EQ(Duration::from_seconds(9.3e12).count_micros(), kMax);  // just past int64 µs
  EXPECT_EQ(Duration::from_seconds(std::nan("")).count_micros(), 0);
}

TEST(Time, ArithmeticSaturatesInsteadOfWrapping) {
  // A heavy-tailed draw (Weibull shape 1e-9) is Duration::max(); scheduled at
  // `now + draw` it once wrapped to an instant before now and the trial never
  // ended (UBSan: signed integer overflow in Time::operator+).
  const Time now = Time::at(Duration::hours(38));
  EXPECT_EQ(now + Duration::max(), Time::max());
  EXPECT_EQ((Time::max() + Duration::seconds(1)), Time::max());
  EXPECT_EQ((Time::from_micros(kMin) - Duration::seconds(1)).count_micros(), kMin);
  Time t = now;
  t += Duration::max();
  EXPECT_EQ(t, Time::max());
  EXPECT_EQ((Time::max() - Time::from_micros(-5)).count_micros(), kMax);
  EXPECT_EQ(Duration::max() + Duration::max(), Duration::max());
  EXPECT_EQ((Duration::micros(kMin) - Duration::seconds(1)).count_micros(), kMin);
  EXPECT_EQ((-Duration::micros(kMin)).count_micros(), kMax);
  EXPECT_EQ(Duration::days(1) * (kMax / 1000), Duration::max());
  EXPECT_EQ((Duration::days(-1) * (kMax / 1000)).count_micros(), kMin);
  // In range, exact as before.
  EXPECT_EQ((now + Duration::minutes(5) - now), Duration::minutes(5));
  EXPECT_EQ(Duration::seconds(3) * 4, Duration::seconds(12));
}

TEST(ParseDuration, ReadsGoodStrings) {
  const std::vector<std::pair<std::string, std::int64_t>> cases = {
      {"0", 0},
      {"0s", 0},
      {"1us", 1},
      {"250ms", 250'000},
      {"30s", 30'000'000},
      {"5m", 300'000'000},
      {"2h", 7'200'000'000},
      {"1d", 86'400'000'000},
      {"1w", 604'800'000'000},
      {"1h30m", 5'400'000'000},
      {"2d12h", 216'000'000'000},
      {"1m30s", 90'000'000},
      {"1s500ms", 1'500'000},
      {"1w2d3h4m5s6ms7us", 788'645'006'007},
      {"1.5h", 5'400'000'000},
      {"0.5s", 500'000},
      {"1.1h", 3'960'000'000},
      {"0.000001s", 1},
      {"2.500000000000s", 2'500'000},
      {"1.25ms", 1'250},
      {"0.1d", 8'640'000'000},
      {"1h0.5m", 3'630'000'000},
      {"007s", 7'000'000},
      {"  15m\t", 900'000'000},
      {"\n1h\n", 3'600'000'000},
      {"15250284w3d4h54s775ms807us", kMax},
  };
  for (const auto& [text, us] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_duration(text).count_micros(), us);
  }
}

TEST(ParseDuration, RejectsBadStringsWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "invalid duration '': empty"},
      {"   ", "empty"},
      {"5x", "invalid duration '5x': unknown unit 'x' (use us, ms, s, m, h, d, w)"},
      {"5", "invalid duration '5': missing unit (e.g. 5s)"},
      {"1h30", "missing unit (e.g. 30s)"},
      {"1.5", "missing unit"},
      {"00", "missing unit"},
      {"s", "expected a number, found 's'"},
      {"abc", "expected a number, found 'abc'"},
      {"+5s", "expected a number, found '+'"},
      {".5s", "expected a digit before '.'"},
      {"5.s", "expected a digit after '.'"},
      {"1..5s", "expected a digit after '.'"},
      {"1 h", "spaces are not allowed inside a duration"},
      {"1h 30m", "spaces are not allowed inside a duration"},
      {"5S", "unknown unit 'S'"},
      {"5sec", "unknown unit 'sec'"},
      {"5µs", "unknown unit 'µs'"},
      {"1.5.5s", "more than one '.' in a number"},
      {"1.50", "missing unit (e.g. 1.50s)"},
      {"5s,", "expected a number, found ','"},
      {"5s-", "expected a number, found '-'"},
      {"1h1h", "unit 'h' repeated"},
      {"30s1m", "units must go from largest to smallest ('m' after 's')"},
      {"1m2h", "units must go from largest to smallest"},
      {"1.5us", "more precise than one microsecond"},
      {"0.0000001s", "more precise than one microsecond"},
      {"0.12345678901234567891w", "more precise than one microsecond"},
      {"-5m", "invalid duration '-5m': negative durations are not allowed here"},
      {"-0", "negative durations are not allowed here"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    const std::string what = parse_error(text);
    EXPECT_NE(what.find(message), std::string::npos) << "message: " << what;
  }
}

TEST(ParseDuration, ReadsNegativesOnlyWhenAllowed) {
  EXPECT_EQ(parse_duration("-5m", true), -Duration::minutes(5));
  EXPECT_EQ(parse_duration(" -1h30m ", true), -Duration::minutes(90));
  EXPECT_EQ(parse_duration("-0", true), Duration::zero());
  EXPECT_EQ(parse_duration("-15250284w3d4h54s775ms808us", true).count_micros(), kMin);
  EXPECT_NE(parse_error("-", true).find("expected a number after '-'"), std::string::npos);
  EXPECT_NE(parse_error("--5s", true).find("expected a number, found '-'"), std::string::npos);
  EXPECT_NE(parse_error("-5m").find("negative durations are not allowed here"), std::string::npos);
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_EQ(parse_error("99999999999999w"), "invalid duration '99999999999999w': too large");
  EXPECT_NE(parse_error("15250284w3d4h54s775ms808us").find("too large"), std::string::npos);
  EXPECT_NE(parse_error("9223372036854775808us").find("too large"), std::string::npos);
  EXPECT_NE(parse_error("-15250284w3d4h54s775ms809us", true).find("too large"), std::string::npos);
  EXPECT_NE(parse_error("99999999999999999999999999999999999999999s").find("too large"),
            std::string::npos);
  EXPECT_NE(parse_error("15250284w9d").find("too large"), std::string::npos);
  EXPECT_EQ(parse_duration("9223372036854775807us").count_micros(), kMax);
}

TEST(FormatDuration, WritesTheShortestExactForm) {
  const std::vector<std::pair<std::int64_t, std::string>> cases = {
      {0, "0s"},
      {1, "1us"},
      {1'500, "1ms500us"},
      {250'000, "250ms"},
      {30'000'000, "30s"},
      {90'000'000, "1m30s"},
      {5'400'000'000, "1h30m"},
      {216'000'000'000, "2d12h"},
      {1'209'600'000'000, "2w"},
      {-90'000'000, "-1m30s"},
      {kMax, "15250284w3d4h54s775ms807us"},
      {kMin, "-15250284w3d4h54s775ms808us"},
  };
  for (const auto& [us, text] : cases) {
    EXPECT_EQ(format_duration(Duration::micros(us)), text);
  }
}

TEST(FormatDuration, RoundTripsThroughParse) {
  std::vector<std::int64_t> values = {0,          1,    -1,   999,      1'000,
                                      59'999'999, kMax, kMin, kMax - 1, kMin + 1};
  // Values of every magnitude: random 64-bit words shifted right by 0..63.
  Rng rng(1, stream_id("time_test/round-trip"));
  for (int i = 0; i < 20'000; ++i) {
    const auto word = static_cast<std::int64_t>(rng.next_u64());
    values.push_back(word >> (i % 64));
  }
  // Round multiples of every unit, which exercise the zero-part skipping.
  for (std::int64_t k = 1; k < 1'000; k += 7) {
    for (std::int64_t unit : {1'000LL, 1'000'000LL, 60'000'000LL, 3'600'000'000LL, 86'400'000'000LL,
                              604'800'000'000LL}) {
      values.push_back(k * unit);
      values.push_back(-k * unit);
    }
  }
  for (std::int64_t us : values) {
    const Duration d = Duration::micros(us);
    const std::string text = format_duration(d);
    ASSERT_EQ(parse_duration(text, true), d) << text;
    if (us >= 0) {
      ASSERT_EQ(parse_duration(text), d) << text;
    }
  }
}

}  // namespace
}  // namespace relsim::sim
