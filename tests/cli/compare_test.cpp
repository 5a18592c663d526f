// `relsim compare` and `relsim sensitivity`: the statistics (paired
// differences, the local linear fit) against hand-computed values; the
// parsing of --variant, --sweep and perturbed values, good and bad; reading a
// value at a --set path; and the commands as a user runs them — closed-form
// answers on one replica (availability MTBF / (MTBF + MTTR)) inside the
// printed intervals, the paired interval far narrower than the unpaired one
// (common random numbers), identical output for 1 and 2 threads, and exit 1
// with a message and no output file for bad input.
#include "analysis/compare.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/variants.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"
#include "tests/support/json_value.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;
const std::string kOneReplica = (kSource / "tests/data/compare/one-replica.yaml").string();
const std::string kAzOutage = (kSource / "scenarios/payments/az-outage.yaml").string();
const std::string kNoSpread = (kSource / "scenarios/payments/az-outage-no-spread.yaml").string();

// ---------------------------------------------------------------- statistics

TEST(ComparePaired, MatchesHandComputedValues) {
  const std::vector<double> base{1, 2, 3, 4};
  const std::vector<double> var{2, 3, 5, 5};  // differences 1, 1, 2, 1
  const auto c = analysis::compare_paired(base, var, 0.95);
  EXPECT_DOUBLE_EQ(c.baseline.estimate, 2.5);
  EXPECT_DOUBLE_EQ(c.variant.estimate, 3.75);
  EXPECT_DOUBLE_EQ(c.difference.estimate, 1.25);
  // s_d² = 0.25; t(0.975, 3) = 3.182446305...
  EXPECT_NEAR(c.difference.half_width(), 3.182446305284263 * std::sqrt(0.25 / 4), 1e-9);
  // (s_b² + s_v²) / s_d² = (5/3 + 2.25) / 0.25
  EXPECT_NEAR(c.variance_reduction, (5.0 / 3.0 + 2.25) / 0.25, 1e-12);
  // Welch: se² = (5/3 + 2.25) / 4, dof = se⁴ / ((5/12)² / 3 + (2.25/4)² / 3)
  const double sb = 5.0 / 12.0, sv = 2.25 / 4.0;
  const double dof = (sb + sv) * (sb + sv) / (sb * sb / 3.0 + sv * sv / 3.0);
  EXPECT_NEAR(c.unpaired_half_width, analysis::student_t_quantile(0.975, dof) * std::sqrt(sb + sv),
              1e-9);
  EXPECT_GT(c.unpaired_half_width, c.difference.half_width());
}

TEST(ComparePaired, EqualDifferencesHaveInfiniteReductionAndSizesMustMatch) {
  const std::vector<double> base{1, 2, 3};
  const std::vector<double> shifted{2, 3, 4};
  const auto c = analysis::compare_paired(base, shifted, 0.95);
  EXPECT_TRUE(std::isinf(c.variance_reduction));
  EXPECT_DOUBLE_EQ(c.difference.low, 1.0);
  EXPECT_DOUBLE_EQ(c.difference.high, 1.0);
  const std::vector<double> shorter{1, 2};
  EXPECT_THROW(analysis::compare_paired(base, shorter, 0.95), std::invalid_argument);
}

TEST(LocalLinearFit, RecoversAnExactLinearModelTrialByTrial) {
  // Two parameters, central design; trial t: y = t + 2 δ1 − 3 δ2.
  const std::vector<double> design{0, 0, -0.1, 0, 0.1, 0, 0, -0.2, 0, 0.2};
  std::vector<std::vector<double>> y(5);
  for (int t = 0; t < 10; ++t) {
    for (std::size_t i = 0; i < 5; ++i) {
      y[i].push_back(t + 2.0 * design[2 * i] - 3.0 * design[2 * i + 1]);
    }
  }
  const auto fit = analysis::fit_local_linear(design, 2, y, 0.95);
  ASSERT_EQ(fit.coefficients.size(), 3u);
  EXPECT_NEAR(fit.coefficients[0].estimate, 4.5, 1e-12);
  EXPECT_NEAR(fit.coefficients[1].estimate, 2.0, 1e-12);
  EXPECT_NEAR(fit.coefficients[2].estimate, -3.0, 1e-12);
  EXPECT_NEAR(fit.coefficients[1].half_width(), 0.0, 1e-9);  // no noise in the slopes
}

TEST(LocalLinearFit, SlopeOfACentralDesignIsTheMeanCentralDifference) {
  const std::vector<double> design{0, -0.1, 0.1};
  const std::vector<std::vector<double>> y{{1, 2, 3}, {0.9, 1.7, 3.1}, {1.2, 2.1, 2.9}};
  const auto fit = analysis::fit_local_linear(design, 1, y, 0.95);
  // Per trial (y+ − y−) / 0.2: 1.5, 2.0, −1.0 → mean 0.8333...
  EXPECT_NEAR(fit.coefficients[1].estimate, (1.5 + 2.0 - 1.0) / 3.0, 1e-12);
}

TEST(LocalLinearFit, RefusesAnUnseparableDesign) {
  const std::vector<double> design{0, 0, 0.1, 0.1, -0.1, -0.1};  // δ1 = δ2 everywhere
  const std::vector<std::vector<double>> y{{1, 2}, {1, 2}, {1, 2}};
  EXPECT_THROW(analysis::fit_local_linear(design, 2, y, 0.95), std::invalid_argument);
  EXPECT_THROW(analysis::fit_local_linear({0.1}, 1, {{1, 2}}, 0.95), std::invalid_argument);
}

// ---------------------------------------------------------------- parsing

TEST(Variants, ParseTheThreeForms) {
  const Variant a = parse_variant("spread:--set services.api.topologySpread=true", "f.yaml");
  EXPECT_EQ(a.name, "spread");
  EXPECT_EQ(a.file, "f.yaml");
  ASSERT_EQ(a.overrides.size(), 1u);
  EXPECT_EQ(a.overrides[0], "services.api.topologySpread=true");
  const Variant b =
      parse_variant("big:--set services.api.replicas=9 --set=services.api.zoneRoom=5", "f");
  ASSERT_EQ(b.overrides.size(), 2u);
  EXPECT_EQ(b.overrides[1], "services.api.zoneRoom=5");
  const Variant c = parse_variant(
      "lat:services.api.latency={lognormal: {median: 40ms, p99: 1s}};"
      "services.api.replicas=3",
      "f");
  ASSERT_EQ(c.overrides.size(), 2u);
  EXPECT_EQ(c.overrides[0], "services.api.latency={lognormal: {median: 40ms, p99: 1s}}");
  for (const char* bad : {"noname", ":--set a=1", "x:", "x:--set foo", "x:=1"}) {
    EXPECT_THROW(parse_variant(bad, "f"), std::invalid_argument) << bad;
  }
}

TEST(Variants, SweepsExpandRangesAndLists) {
  const auto r = parse_sweep("services.api.replicas=3..6", "f");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].name, "replicas=3");
  EXPECT_EQ(r[3].overrides[0], "services.api.replicas=6");
  const auto s = parse_sweep("services.api.deploys.rate=0.5..1.5:0.5", "f");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].overrides[0], "services.api.deploys.rate=1.5");
  const auto l = parse_sweep("services[api].healthCheckDelay=5s,30s,1m", "f");
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[1].name, "healthCheckDelay=30s");
  for (const char* bad :
       {"services.api.replicas", "=3..4", "a=6..3", "a=1..2:0", "a=5", "a=1,,2", "a=1..1000"}) {
    EXPECT_THROW(parse_sweep(bad, "f"), std::invalid_argument) << bad;
  }
}

TEST(Variants, ScaleValuesKeepTheirUnit) {
  EXPECT_EQ(scale_value("400", 1.1), "440");
  EXPECT_EQ(scale_value("6", 1.1), "7");  // an integer moves by at least 1
  EXPECT_EQ(scale_value("6", 0.9), "5");
  EXPECT_EQ(scale_value("15%", 1.1), "16.5%");
  EXPECT_EQ(scale_value("2/day", 0.5), "1/day");
  EXPECT_EQ(scale_value("30s", 1.1), "33s");
  EXPECT_EQ(scale_value("1h", 0.9), "54m");
  EXPECT_EQ(scale_value("0.25", 2.0), "0.5");
  EXPECT_DOUBLE_EQ(value_number("15%"), 0.15);
  EXPECT_DOUBLE_EQ(value_number("1h30m"), 5400.0);
  EXPECT_DOUBLE_EQ(value_number("2/day"), 2.0);
  for (const char* bad : {"true", "crossZone", "", "{a: 1}"}) {
    EXPECT_THROW(scale_value(bad, 1.1), std::invalid_argument) << bad;
    EXPECT_THROW(value_number(bad), std::invalid_argument) << bad;
  }
}

TEST(ValueAt, ReadsSystemAndScenarioValuesAfterOverrides) {
  EXPECT_EQ(models::value_at(kAzOutage, "services.payment-api.replicas"), "6");
  EXPECT_EQ(models::value_at(kAzOutage, "services[payment-api].healthCheckDelay"), "30s");
  EXPECT_EQ(models::value_at(kAzOutage, "datastores.payments-db.failover.connectionErrors"), "12s");
  EXPECT_EQ(models::value_at(kAzOutage, "scenario.horizon"), "30d");
  // The scenario's own spec.overrides, then --set.
  EXPECT_EQ(models::value_at(kNoSpread, "services.payment-api.topologySpread"), "false");
  EXPECT_EQ(models::value_at(kAzOutage, "services.payment-api.replicas",
                             {"services.payment-api.replicas=8"}),
            "8");
  EXPECT_EQ(models::value_at(kAzOutage, "services.payment-api.failures.0.type"), "replicaCrash");
}

TEST(ValueAt, NamesWhatIsWrong) {
  auto message = [](const std::string& key) {
    try {
      models::value_at(kAzOutage, key);
    } catch (const models::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("services.payment-api.nope").find("has no key 'nope'"), std::string::npos);
  EXPECT_NE(message("services.paymnt-api.replicas").find("no item 'paymnt-api'"),
            std::string::npos);
  EXPECT_NE(message("services.payment-api.demand").find("not a single value"), std::string::npos);
  EXPECT_NE(message("services..replicas").find("malformed path"), std::string::npos);
}

// ---------------------------------------------------------------- the commands

using relsim::test::Outcome;
using relsim::test::relsim;

std::string q(const std::string& s) { return "'" + s + "'"; }

using testing::JsonValue;
using testing::parse_json;

/// `{"estimate": x, "low": l, "high": h}` read back as an interval.
analysis::Interval interval_of(const JsonValue& v) {
  return {v.at("estimate").number, v.at("low").number, v.at("high").number};
}

/// The first item of the array `items` whose `key` is the string `value`.
const JsonValue& item_with(const JsonValue& items, const std::string& key,
                           const std::string& value) {
  for (const JsonValue& item : items.array) {
    const JsonValue* v = item.find(key);
    if (v != nullptr && v->string == value) return item;
  }
  throw std::runtime_error("no item with " + key + " = " + value);
}

/// Expected time-average availability over `horizon` of one replica that
/// starts up: crash rate λ, restart rate μ; p(t) = A + (1 − A) e^{−(λ+μ)t}.
double time_average(double mtbf, double mttr, double horizon) {
  const double lambda = 1.0 / mtbf, mu = 1.0 / mttr, k = lambda + mu;
  const double a = mu / k;
  return a + (1.0 - a) * (1.0 - std::exp(-k * horizon)) / (k * horizon);
}

constexpr double kHour = 3600.0;
constexpr double kMonth = 30.0 * 86400.0;

TEST(CompareCommand, PairedDifferenceHoldsTheExactValueAndIsFarNarrowerThanUnpaired) {
  const Outcome r = relsim("compare " + q(kOneReplica) +
                           " --variant 'slower:--set services.web.restart={exponential: {mean: "
                           "66m}}' --confidence 0.99 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const double exact =
      time_average(4 * kHour, 1.1 * kHour, kMonth) - time_average(4 * kHour, 1.0 * kHour, kMonth);
  // The service's first figure, the row of the "slower" variant.
  const JsonValue doc = parse_json(r.out);
  const JsonValue& row =
      item_with(item_with(doc.at("figures"), "subject", "web").at("variants"), "name", "slower");
  const analysis::Interval d = interval_of(row.at("difference"));
  std::printf("exact %.6f, paired estimate %.6f, 99%% CI [%.6f, %.6f]\n", exact, d.estimate, d.low,
              d.high);
  EXPECT_TRUE(d.contains(exact));
  const double unpaired = row.at("unpairedHalfWidth").number;
  const double reduction = row.at("varianceReduction").number;
  // The same crashes and nearly the same restarts in both variants: the
  // paired interval must be several times narrower than independent runs'.
  EXPECT_LT(d.half_width() * 4.0, unpaired);
  EXPECT_GT(reduction, 16.0);
}

TEST(CompareCommand, OutputIsTheSameForOneAndTwoThreads) {
  const std::string args =
      "compare " + q(kOneReplica) + " --sweep services.web.replicas=1..3 --trials 60 --format json";
  const Outcome one = relsim(args + " --threads 1");
  const Outcome two = relsim(args + " --threads 2");
  ASSERT_EQ(one.code, 0) << one.out;
  EXPECT_EQ(one.out, two.out);
  EXPECT_NE(one.out.find("\"name\": \"replicas=3\""), std::string::npos);
}

TEST(CompareCommand, TextShowsEveryVariantAndTheDifference) {
  const Outcome r = relsim("compare " + q(kOneReplica) + " " + q(kOneReplica) +
                           " --variant 'two:--set services.web.replicas=2' --trials 50");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("3 variants on the same 50 trials"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("one-replica "), std::string::npos) << r.out;  // the second file's stem
  EXPECT_NE(r.out.find("web-availability: attainment (mean)"), std::string::npos);
  EXPECT_NE(r.out.find("Δ +"), std::string::npos) << r.out;  // two replicas do better
}

TEST(CompareCommand, BadInputExitsOneWithAMessageAndNoFile) {
  const fs::path out = fs::temp_directory_path() / ("relsim-compare-" + std::to_string(getpid()));
  struct Case {
    std::string args;
    std::string message;
  };
  const std::vector<Case> cases{
      {"compare " + q(kOneReplica), "nothing to compare"},
      {"compare " + q(kOneReplica) + " --variant 'x:foo'", "'foo' is not path=value"},
      {"compare " + q(kOneReplica) + " --sweep 'services.web.replicas=5..1'", "must run upwards"},
      {"compare " + q(kOneReplica) + " --variant 'x:--set services.web.replicaz=2'",
       "unknown key 'replicaz'"},
      {"compare " + q(kOneReplica) + " " + q(kAzOutage), "compare needs one system"},
      {"compare " + q(kOneReplica) +
           " --variant 'a:--set services.web.replicas=2' --variant "
           "'a:--set services.web.replicas=3'",
       "two variants are named 'a'"},
      {"compare " + q(kOneReplica) +
           " --sweep services.web.replicas=1..2 --sweep "
           "services.web.demand=1,2",
       "one --sweep at a time"},
      {"compare " + q(kOneReplica) + " --sweep services.web.replicas=1..2 -o " +
           q((out / "missing-dir" / "x.json").string()),
       "cannot write"},
      {"sensitivity " + q(kOneReplica) + " --param services.web.zones", "not a single value"},
      {"sensitivity " + q(kOneReplica) + " --param services.web.name",
       "not a number, percentage, rate or duration"},
      {"sensitivity " + q(kOneReplica) + " --param services.web.replicas --step 150%",
       "--step must be"},
      {"sensitivity " + q(kOneReplica) + " --param services.web.replicas --figure pMet:nope",
       "is not a figure"},
  };
  for (const Case& c : cases) {
    const Outcome r = relsim(c.args);
    EXPECT_EQ(r.code, 1) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
  }
  EXPECT_FALSE(fs::exists(out / "missing-dir"));
}

TEST(SensitivityCommand, SlopeOfAvailabilityInTheRestartTimeIsTheClosedForm) {
  // A(m) = time average with MTTR m·(1 + δ); the central design's slope is
  // (A(+10 %) − A(−10 %)) / 0.2, exactly what the per-trial fit estimates.
  const Outcome r = relsim("sensitivity " + q(kOneReplica) +
                           " --param services.web.restart.exponential.mean --param "
                           "services.web.capacityPerReplica --figure availability:web "
                           "--confidence 0.99 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const double up = time_average(4 * kHour, 1.1 * kHour, kMonth);
  const double down = time_average(4 * kHour, 0.9 * kHour, kMonth);
  const double exact = (up - down) / 0.2;
  const JsonValue doc = parse_json(r.out);
  const JsonValue& params = doc.at("parameters");
  const analysis::Interval slope = interval_of(
      item_with(params, "path", "services.web.restart.exponential.mean").at("perRelativeUnit"));
  std::printf("exact slope %.6f, estimate %.6f, 99%% CI [%.6f, %.6f]\n", exact, slope.estimate,
              slope.low, slope.high);
  EXPECT_TRUE(slope.contains(exact));
  EXPECT_EQ(params.at(std::size_t{0}).at("path").string, "services.web.restart.exponential.mean");
  EXPECT_EQ(params.at(std::size_t{0}).at("rank").number, 1.0);
  // Capacity 360 to 440 for a demand of 50 changes nothing: zero up to rounding.
  const analysis::Interval none = interval_of(
      item_with(params, "path", "services.web.capacityPerReplica").at("perRelativeUnit"));
  EXPECT_NEAR(none.estimate, 0.0, 1e-12);
  EXPECT_NEAR(none.low, 0.0, 1e-12);
  EXPECT_NEAR(none.high, 0.0, 1e-12);
}

}  // namespace
}  // namespace relsim::cli
