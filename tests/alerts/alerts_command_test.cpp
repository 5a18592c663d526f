// `relsim alerts` as a user runs it: bad input (an unknown preset or SLO, a
// rule file with an unknown key or an unknown SLO, a share of 150 %, an
// unwritable --output, Sloth asked for what it cannot generate) gives one
// clear message (file:line:col where there is one), exit code 1 and no
// output file; JSON, HDF5 and the HTML report are written whole; the
// exports parse as the YAML their tools read; a 90 % SLO reports the
// impossible fast page with its reason.
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = RELSIM_SOURCE_DIR;
const std::string kBurn =
    "'" + (kSource / "scenarios/alerting/burn-rate-alerts.yaml").string() + "'";

using relsim::test::relsim;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

fs::path temp_dir() {
  const fs::path dir =
      fs::temp_directory_path() / ("relsim-alerts-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

/// Removes the temporary directory when the tests end.
class TempDirCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(temp_dir(), ec);
  }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new TempDirCleanup);

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AlertsCommand, UnknownPresetListsThePresets) {
  const auto r = relsim("alerts " + kBurn + " --preset fastest --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "unknown preset 'fastest'")) << r.out;
  EXPECT_TRUE(contains(r.out, "multiwindow")) << r.out;
}

TEST(AlertsCommand, UnknownSloListsTheSlos) {
  const auto r = relsim("alerts " + kBurn + " --slo payment-availabilty --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "payment-availability, payment-latency")) << r.out;
}

TEST(AlertsCommand, RuleFileErrorsAreLocated) {
  const fs::path dir = temp_dir();
  const fs::path bad_key = write(dir / "bad-key.yaml", R"(apiVersion: relsim/v1alpha1
kind: AlertRules
metadata: {name: typo}
spec:
  alerts:
    - name: Fast
      slo: payment-availability
      burnRate: [{severity: page, factr: 14.4, longWindow: 1h}]
)");
  auto r = relsim("alerts " + kBurn + " --rules '" + bad_key.string() + "' --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "bad-key.yaml:8:")) << r.out;
  EXPECT_TRUE(contains(r.out, "unknown key 'factr'")) << r.out;

  const fs::path bad_slo = write(dir / "bad-slo.yaml", R"(apiVersion: relsim/v1alpha1
kind: AlertRules
metadata: {name: wrong-slo}
spec:
  alerts:
    - {name: Fast, slo: payments-availability, burnRate: [{severity: page, factor: 14.4, longWindow: 1h}]}
)");
  r = relsim("alerts " + kBurn + " --rules '" + bad_slo.string() + "' --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "bad-slo.yaml:6:")) << r.out;
  EXPECT_TRUE(contains(r.out, "payments-availability")) << r.out;
}

TEST(AlertsCommand, BadValuesAndUnwritableOutputLeaveNoFile) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "never.json";
  auto r = relsim("alerts " + kBurn + " --significant 150% --trials 2 -o '" + out.string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "--significant")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  r = relsim("alerts " + kBurn + " --trials 2 -o /nonexistent-dir/x.json");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cannot write '/nonexistent-dir/x.json'")) << r.out;
  r = relsim("alerts " + kBurn + " --trials 2 --low-traffic 10/fortnight");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "--low-traffic")) << r.out;
  r = relsim("alerts " + kBurn + " --export sloth --rule-set burnRate1h -o '" + out.string() + "'");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "two page and two ticket")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  r = relsim("alerts " + kBurn + " --export nagios");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(AlertsCommand, JsonHdf5AndReportAreWritten) {
  const fs::path dir = temp_dir();
  const fs::path json = dir / "lab.json", h5 = dir / "lab.h5", html = dir / "lab.html";
  const auto r =
      relsim("alerts " + kBurn + " --preset all --trials 6 --threads 2 --format json -o '" +
             json.string() + "' --hdf5 '" + h5.string() + "' --report '" + html.string() +
             "' --low-traffic 10/h --min-requests 20");
  ASSERT_EQ(r.code, 0) << r.out;
  const YAML::Node doc = YAML::Load(read(json));  // JSON is YAML
  EXPECT_EQ(doc["slo"].as<std::string>(), "payment-availability");
  EXPECT_EQ(doc["ruleSets"].size(), 6U);
  EXPECT_TRUE(doc["ruleSets"][5]["figures"]["precision"]["estimate"].IsDefined());
  EXPECT_EQ(doc["whenDoesItFire"][0]["ruleSets"].size(), 6U);
  EXPECT_EQ(doc["lowTraffic"]["minRequests"].as<int>(), 20);
  EXPECT_TRUE(doc["lowTraffic"]["ruleSets"][0]["gated"].IsMap());
  EXPECT_TRUE(fs::exists(h5));
  EXPECT_FALSE(fs::exists(h5.string() + ".tmp"));
  const std::string page = read(html);
  EXPECT_TRUE(contains(page, "Detection-time CDF per rule set"));
  EXPECT_TRUE(contains(page, "Precision vs recall"));
  EXPECT_TRUE(contains(page, "Pages per shift"));
}

TEST(AlertsCommand, HeaderSaysWhichTrialsTheFiguresComeFrom) {
  auto r = relsim("alerts " + kBurn + " --preset multiwindow --preset burnRate1h --trials 4");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "2 rule sets on the same 4 trials (seed ")) << r.out;
  r = relsim("alerts " + kBurn + " --preset multiwindow --trials 4");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "1 rule set on 4 trials (seed ")) << r.out;
  EXPECT_FALSE(contains(r.out, "the same")) << r.out;
  // A replay runs one trial: the header and the JSON say so.
  r = relsim("alerts " + kBurn +
             " --preset multiwindow --preset burnRate1h --trials 4 "
             "--trial-index 2");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "2 rule sets, each on trial 2 of 4 alone (seed ")) << r.out;
  EXPECT_FALSE(contains(r.out, "on the same 4 trials")) << r.out;
  r = relsim("alerts " + kBurn + " --preset multiwindow --trials 4 --trial-index 2 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  const YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["trials"].as<int>(), 4);
  EXPECT_EQ(doc["firstTrial"].as<int>(), 2);
  EXPECT_EQ(doc["trialsRun"].as<int>(), 1);
}

TEST(AlertsCommand, TextNamesTheImpossiblePageOnANinetyPercentSlo) {
  const auto r = relsim("alerts " + kBurn +
                        " --set slos.payment-availability.objective=90% --trials 3 "
                        "--preset multiwindow --preset burnRate1h");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "14.4x over 1h needs an error ratio of 144 %")) << r.out;
  EXPECT_TRUE(contains(r.out, "left out")) << r.out;
}

TEST(AlertsCommand, ExportsParseAsTheirToolsRead) {
  auto r = relsim("alerts " + kBurn + " --export prometheus");
  ASSERT_EQ(r.code, 0) << r.out;
  YAML::Node doc = YAML::Load(r.out);
  ASSERT_EQ(doc["groups"].size(), 2U);
  EXPECT_EQ(doc["groups"][1]["rules"][0]["alert"].as<std::string>(), "MultiwindowPage");
  EXPECT_NE(doc["groups"][1]["rules"][0]["expr"].as<std::string>().find("(14.4 * 0.0001)"),
            std::string::npos);
  r = relsim("alerts " + kBurn + " --export sloth --selector 'job=\"payments\"'");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto docs = YAML::LoadAll(r.out);
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_DOUBLE_EQ(docs[0]["slos"][0]["objective"].as<double>(), 99.99);
  EXPECT_NE(
      docs[0]["slos"][0]["sli"]["events"]["total_query"].as<std::string>().find("job=\"payments\""),
      std::string::npos);
}

TEST(AlertsCommand, RuleFilesRunBesidePresets) {
  const auto r =
      relsim("alerts " + kBurn + " --trials 3 --preset multiwindow --rules '" +
             (kSource / "scenarios/alerting/rules/symptom-thresholds.yaml").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "symptom-thresholds")) << r.out;
}

// Without --preset and --rules the lab judges the system's own alerts on the
// SLO: each one, then the set; `--preset system` puts them beside presets.
TEST(AlertsCommand, JudgesTheSystemsOwnRulesByDefault) {
  const std::string baseline = "'" + (kSource / "scenarios/payments/baseline.yaml").string() + "'";
  auto r = relsim("alerts " + baseline + " --trials 2 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  YAML::Node doc = YAML::Load(r.out);
  ASSERT_EQ(doc["ruleSets"].size(), 4U) << r.out;
  // The alerts on payment-availability or its service, in declaration order;
  // PaymentLatencyBurn and FraudDetectionErrors watch something else.
  EXPECT_EQ(doc["ruleSets"][0]["name"].as<std::string>(), "system:PaymentAvailabilityBurn");
  EXPECT_EQ(doc["ruleSets"][1]["name"].as<std::string>(), "system:PaymentAPIHighErrorRate");
  EXPECT_EQ(doc["ruleSets"][2]["name"].as<std::string>(), "system:PaymentAPISlow");
  EXPECT_EQ(doc["ruleSets"][3]["name"].as<std::string>(), "system");

  r = relsim("alerts " + baseline + " --trials 2 --format json --preset system --preset all");
  ASSERT_EQ(r.code, 0) << r.out;
  doc = YAML::Load(r.out);
  ASSERT_EQ(doc["ruleSets"].size(), 10U) << r.out;
  EXPECT_EQ(doc["ruleSets"][3]["name"].as<std::string>(), "system");
  EXPECT_EQ(doc["ruleSets"][9]["name"].as<std::string>(), "multiwindow");
}

TEST(AlertsCommand, SystemPresetNeedsAnAlertOnTheSlo) {
  const fs::path dir = temp_dir();
  const fs::path scenario =
      write(dir / "unwatched.yaml",
            "apiVersion: relsim/v1alpha1\nkind: Scenario\nmetadata: {name: unwatched}\nspec:\n"
            "  system: '" +
                (kSource / "scenarios/guide/first-system.yaml").string() +
                "'\n  horizon: 7d\n  trials: 2\n");
  auto r = relsim("alerts '" + scenario.string() + "' --preset system --trials 2");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "--preset system: no alert of system 'shop' watches SLO "
                       "'web-availability'"))
      << r.out;
  // By default such a system gets the workbook's six presets.
  r = relsim("alerts '" + scenario.string() + "' --trials 2 --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(YAML::Load(r.out)["ruleSets"].size(), 6U) << r.out;
}

}  // namespace
