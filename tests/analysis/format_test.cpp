// The one formatting module (analysis/format.hpp) and what the commands and
// the report print through it (issue 23): units and durations, days of a
// trial counted from day 1, percentages and percentage points, intervals,
// and the fixes of the printed forms that were wrong — compare's zero
// difference and probability intervals, the alerts' duplicated row, the
// report's day labels, legends, ticks and table intervals.
#include "analysis/format.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "analysis/alert_report.hpp"
#include "analysis/report_html.hpp"
#include "analysis/text_format.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

namespace fs = std::filesystem;
using test::relsim;

const fs::path kSource = RELSIM_SOURCE_DIR;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string q(const fs::path& p) {
  std::string out(1, '\'');  // piece by piece (GCC 12 misreads "'" + string: -Wrestrict)
  out += p.string();
  out += '\'';
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("relsim-format-" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

TEST(Format, PrintfTextHasNoLengthLimit) {
  const std::string long_word(1000, 'x');
  EXPECT_EQ(printf_text("%s-%d", long_word.c_str(), 7), long_word + "-7");
  EXPECT_EQ(printf_text("%.2f %%", 12.345), "12.35 %");
}

TEST(Format, SecondsInTheUnitTheirSizeAsks) {
  EXPECT_EQ(seconds_text(0.5), "0.5s");
  EXPECT_EQ(seconds_text(45.0), "45s");
  EXPECT_EQ(seconds_text(123.0), "2m03s");
  EXPECT_EQ(seconds_text(3900.0), "1h05m");
  EXPECT_EQ(seconds_text(3.0 * 86400.0), "3d");
  EXPECT_EQ(seconds_text(kInf), "never");
  EXPECT_EQ(seconds_text(kNaN), "n/a");
  EXPECT_EQ(seconds_in_unit(42.0), "42.0 s");
  EXPECT_EQ(seconds_in_unit(738.0), "12.3 min");
  EXPECT_EQ(seconds_in_unit(4.56 * 3600.0), "4.56 h");
}

TEST(Format, CompactDurationsForTableCells) {
  EXPECT_EQ(compact_duration_text(0.0), "0s");
  EXPECT_EQ(compact_duration_text(42.34), "42.3s");
  EXPECT_EQ(compact_duration_text(600.0), "10min");
  EXPECT_EQ(compact_duration_text(3393.09), "56.6min");
  EXPECT_EQ(compact_duration_text(7200.0), "2h");
}

TEST(Format, ShortfallPercentShowsTheNines) {
  EXPECT_EQ(shortfall_percent_text(0.9986909360577887), "99.87%");
  EXPECT_EQ(shortfall_percent_text(0.99992363489204), "99.9924%");
  EXPECT_EQ(shortfall_percent_text(1.0), "100%");
  EXPECT_EQ(shortfall_percent_text(std::nan("")), "-");
}

TEST(Format, DecimalTextGivesBackWhatWasWritten) {
  EXPECT_EQ(decimal_text(1.0 - 0.9), "0.1");
  EXPECT_EQ(decimal_text(400.0), "400");
  EXPECT_EQ(decimal_text(0.99), "0.99");
}

TEST(Format, DaysAreCountedFromDayOne) {
  // 4 days 21 h after the start is on the fifth day, as the axis shows it.
  const sim::Duration t = sim::Duration::days(4) + sim::Duration::hours(21);
  EXPECT_EQ(day_clock_text(t), "day 5 21:00");
  EXPECT_DOUBLE_EQ(day_axis(t), 5.875);
  EXPECT_EQ(day_clock_text(sim::Duration::zero()), "day 1 00:00");
  EXPECT_EQ(day_clock_text(sim::Duration::days(1) - sim::Duration::minutes(1)), "day 1 23:59");
  EXPECT_EQ(days_text(1.58 * 86400.0), "1.58 days");
  EXPECT_EQ(days_text(86400.0), "1 day");
}

TEST(Format, PercentagePointsAreSignedAndZeroIsNoChange) {
  EXPECT_EQ(percentage_points_text({0.012, 0.003, 0.021}), "+1.2 pp [+0.3, +2.1]");
  EXPECT_EQ(percentage_points_text({-0.0236, -0.0348, -0.0122}), "-2.4 pp [-3.5, -1.2]");
  EXPECT_EQ(percentage_points_text({-0.000395, -0.000479, -0.000311}),
            "-0.040 pp [-0.048, -0.031]");
  EXPECT_EQ(percentage_points_text({0.0, 0.0, 0.0}), "no change");
  EXPECT_EQ(percentage_points_text({1e-17, -2e-17, 3e-17}), "no change");  // rounding only
  EXPECT_EQ(percentage_points_text({0.033, -0.035, 0.102}), "+3.3 pp [-3.5, +10.2]");
  EXPECT_EQ(percentage_points_text({kNaN, kNaN, kNaN}), "n/a");
}

TEST(Format, ProbabilitiesResolveTheirInterval) {
  // Wilson for 0 of 200 at 95 %: [0, 1.88 %]; never `8.67362e-17`.
  EXPECT_EQ(probability_text({0.0, 0.0, 0.018845}, 0, 0), "0.0 % [0.0, 1.9]");
  EXPECT_EQ(probability_text({0.995, 0.9722, 0.9991}), "99.50 %      [97.22, 99.91]");
  EXPECT_EQ(probability_text({0.105, 0.07, 0.155}, 0, 14), "10.5 %         [7.0, 15.5]");
  EXPECT_EQ(probability_text({0.5, kNaN, kNaN}, 3, 0), "50.0 % n/a (n = 3)");
  EXPECT_EQ(nines_text({0.999871, 0.999868, 0.999878}), "99.9871 %    [99.9868, 99.9878]");
  EXPECT_EQ(magnitude_text(174.6, {174.6, 165.6, 184.2}, 1.0 / 60.0, " min"),
            "2.91 min     [2.76, 3.07]");
  EXPECT_EQ(duration_interval_text({1190.0, 1188.0, kInf}), "19.8 min     [19.8, inf)");
  EXPECT_EQ(interval_bounds({1.0, -kInf, kInf}, 2, 1.0), "[n/a]");
}

TEST(Format, BudgetTiersAndDotStrings) {
  EXPECT_STREQ(budget_action_text(models::BudgetAction::all_hands), "all hands");
  EXPECT_STREQ(budget_action_text(models::BudgetAction::leadership_review), "leadership review");
  EXPECT_EQ(dot_quote("a \"b\"\\\nc\x01"), "\"a \\\"b\\\"\\\\\\nc\\u0001\"");
  EXPECT_EQ(horizon_text(sim::Duration::days(30)), "30d");
}

TEST(Format, DayTicksAreWholeHoursOrDays) {
  EXPECT_DOUBLE_EQ(day_tick_step(30.0), 7.0);
  EXPECT_DOUBLE_EQ(day_tick_step(7.0), 1.0);
  EXPECT_DOUBLE_EQ(day_tick_step(1.0), 2.0 / 24.0);
  EXPECT_DOUBLE_EQ(day_tick_step(0.25), 1.0 / 24.0);
  EXPECT_DOUBLE_EQ(day_tick_step(90.0), 14.0);
  for (const double span : {0.1, 0.5, 2.0, 13.0, 30.0, 365.0, 3000.0}) {
    const double step = day_tick_step(span);
    EXPECT_LE(span / step, 12.0) << span;
    // A whole number of hours.
    EXPECT_NEAR(step * 24.0, std::round(step * 24.0), 1e-9) << span;
  }
}

TEST(AlertsWhenTable, ErrorRatiosThatDifferByRoundingAreOneRow) {
  // 1000 × (1 − 0.999) rounds to just below 1: it is the 100 % row.
  const auto ratios = default_error_ratios(0.999);
  ASSERT_FALSE(ratios.empty());
  EXPECT_EQ(ratios.back(), 1.0);
  EXPECT_LT(ratios[ratios.size() - 2], 0.5);
  EXPECT_EQ(distinct_error_ratios({0.01, 1.0, 0.99999999999999989, 0.01}),
            (std::vector<double>{0.01, 1.0}));
}

TEST(AlertsWhenTable, TheHundredPercentRowIsPrintedOnce) {
  const auto r = relsim("alerts " + q(kSource / "scenarios/alerting/burn-rate-alerts.yaml") +
                        " --set slos.payment-availability.objective=99.9% --trials 10");
  ASSERT_EQ(r.code, 0) << r.out;
  std::size_t rows = 0;
  for (auto at = r.out.find("\n  100 % ("); at != std::string::npos;
       at = r.out.find("\n  100 % (", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 2u) << r.out;  // once under page, once under ticket
}

TEST(CompareText, AZeroDifferenceIsNoChangeAndProbabilitiesHaveWilsonIntervals) {
  const auto r = relsim("compare " + q(kSource / "scenarios/payments/az-outage.yaml") +
                        " --variant 'same:--set services.payment-api.replicas=6' --trials 100");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Δ no change"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("×inf"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("e+"), std::string::npos) << r.out;
  // P(met) of the latency SLO is 100 of 100 trials: Wilson's 95 % interval
  // is [96.3 %, 100 %], as `relsim run` prints it.
  const auto at = r.out.find("payment-latency: P(SLO met)");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("100.0 %        [96.3, 100.0]", at), std::string::npos) << r.out;
}

TEST(RunReport, DaysLegendsTicksAndIntervalsArePrintedOneWay) {
  TempDir dir;
  const fs::path page = dir.path / "run.html";
  const auto r = relsim("run " + q(kSource / "scenarios/payments/az-outage.yaml") +
                        " --trials 40 --quiet --report " + q(page));
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string html = read(page);
  // The fault starts 1 d 14 h after the start: on day 2, as the axis shows.
  EXPECT_NE(html.find("Injected faults: zoneOutage@Tue 14:00 at day 2 14:00."), std::string::npos);
  EXPECT_EQ(html.find("at day 2.58"), std::string::npos);
  // Every tier of the policy is a line of the legend.
  for (const char* tier : {"ship: 100 % to 50 %", "freeze: 50 % to 25 %", "all hands: 25 % to 0 %",
                           "leadership review: 0 % and below"}) {
    EXPECT_NE(html.find(tier), std::string::npos) << tier;
  }
  // Day axes: from day 1 to day 31, ticks every 7 days.
  EXPECT_NE(html.find("\"relsimDays\": true"), std::string::npos);
  EXPECT_NE(html.find("\"stepSize\": 7"), std::string::npos);
  EXPECT_NE(html.find("\"min\": 1,"), std::string::npos);
  // Table cells print probabilities as the summary does: `0.0 %  [0.0, 8.8]`,
  // never `0 %  [8.67362e-17, ...]`.
  std::string tables;
  for (auto at = html.find("<table>"); at != std::string::npos; at = html.find("<table>", at + 1)) {
    tables += html.substr(at, html.find("</table>", at) - at);
  }
  ASSERT_FALSE(tables.empty());
  EXPECT_EQ(tables.find("e-"), std::string::npos) << tables;
  EXPECT_NE(tables.find("<td>P(leadership review)</td>"), std::string::npos);
  // The latency SLO is met in every one of the 40 trials: Wilson [91.2, 100.0].
  EXPECT_NE(tables.find("<td>100.0 %</td><td>[91.2, 100.0]</td>"), std::string::npos) << tables;
}

TEST(RunSummaryText, TiersAreReachedAfterElapsedDays) {
  const auto r = relsim("run " + q(kSource / "scenarios/payments/az-outage.yaml") + " --trials 40");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("first reached after "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("first reached on day"), std::string::npos) << r.out;
}

// A run merged from its parts (relsim merge, and an MPI run, which merges
// its ranks' parts through the same merge_files) prints the incident
// figures of the single run: by cause, SEV target compliance and DORA
// (from the parts' incident rows, with `responding_s` and `deploys`).
TEST(MergedRunText, HasTheIncidentFiguresOfTheSingleRun) {
  TempDir dir;
  const std::string scenario = q(kSource / "scenarios/payments/az-outage.yaml");
  const std::string common = "run " + scenario + " --trials 60 --seed 3";
  const auto one = relsim(common);
  ASSERT_EQ(one.code, 0) << one.out;
  for (int shard = 0; shard < 2; ++shard) {
    const auto part = relsim(common + " --shard " + std::to_string(shard) + "/2 -q --out " +
                             q(dir.path / ("p" + std::to_string(shard) + ".h5")));
    ASSERT_EQ(part.code, 0) << part.out;
  }
  const auto merged = relsim("merge " + q(dir.path / "p1.h5") + " " + q(dir.path / "p0.h5") +
                             " --out " + q(dir.path / "m.h5"));
  ASSERT_EQ(merged.code, 0) << merged.out;
  auto extras = [](const std::string& text) {
    const auto at = text.find("\nincidents by cause");
    return at == std::string::npos ? std::string("<none>") : text.substr(at);
  };
  EXPECT_NE(extras(one.out), "<none>") << one.out;
  EXPECT_NE(extras(merged.out).find("SEV target compliance"), std::string::npos) << merged.out;
  EXPECT_NE(extras(merged.out).find("DORA: change failure rate"), std::string::npos);
  EXPECT_EQ(extras(merged.out), extras(one.out));
}

// The ranking of `relsim plan` shows ten starts, then the worst; a cut
// hides at least two, so 12 candidates are all shown (not "... 1 more"
// in place of rank 11), and paired differences are percentage points.
TEST(PlanText, RankingCutAndPercentagePoints) {
  const std::string plan = "plan " + q(kSource / "scenarios/gamedays/month2-az-failure.yaml") +
                           " --trials 10 --set 'gameDay.candidateStarts.to=";
  const auto twelve = relsim(plan + "Thu 11:00'");
  ASSERT_EQ(twelve.code, 0) << twelve.out;
  EXPECT_NE(twelve.out.find("\n11   "), std::string::npos) << twelve.out;
  EXPECT_NE(twelve.out.find("\n12   "), std::string::npos) << twelve.out;
  EXPECT_EQ(twelve.out.find(" more\n"), std::string::npos) << twelve.out;
  EXPECT_NE(twelve.out.find("vs best (paired, pp)"), std::string::npos) << twelve.out;
  EXPECT_NE(twelve.out.find(" pp ["), std::string::npos) << twelve.out;
  EXPECT_EQ(twelve.out.find("0.0000 pp"), std::string::npos) << twelve.out;
  const auto fifteen = relsim(plan + "Thu 17:00'");
  ASSERT_EQ(fifteen.code, 0) << fifteen.out;
  EXPECT_NE(fifteen.out.find("  ... 4 more\n15   "), std::string::npos) << fifteen.out;
  EXPECT_EQ(fifteen.out.find("\n11   "), std::string::npos) << fifteen.out;
}

TEST(ValidateHelp, NamesEveryKindOfFileItChecks) {
  const auto r = relsim("validate --help");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("System, Scenario, GameDay or AlertRules files (YAML)"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Scenario files (YAML)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace relsim::analysis
