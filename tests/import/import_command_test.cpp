// `relsim import` as a user runs it (issue 21): the output validates, runs
// and explains its assumptions; bad input exits 1 with located messages and
// writes nothing; the output never replaces an input; the Sloth round trip
// through `relsim alerts --export sloth`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/run_relsim.hpp"

namespace fs = std::filesystem;

namespace {

relsim::test::Outcome run(const std::string& args) { return relsim::test::relsim(args); }

const std::string kFixtures = std::string(RELSIM_SOURCE_DIR) + "/tests/import/fixtures/";

std::string scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "relsim-import-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove_all(p);
  return p.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(ImportCommand, WritesAFileThatValidatesRunsAndExplainsItsAssumptions) {
  const std::string out = scratch("team.yaml");
  const auto r = run("import " + kFixtures + "team -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("values assumed (marked `# assumed:`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("services.checkout.demand = 50"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alert 'CheckoutPodsRestarting'"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(out));
  const auto v = run("validate " + out);
  EXPECT_EQ(v.code, 0) << v.out;
  const auto ran = run("run " + out + " --trials 20 --threads 1");
  EXPECT_EQ(ran.code, 0) << ran.out;
  const auto e = run("explain " + out);
  EXPECT_EQ(e.code, 0) << e.out;
  EXPECT_NE(e.out.find("Assumed by relsim import"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("capacityPerReplica"), std::string::npos) << e.out;
}

TEST(ImportCommand, NothingUsableExitsOneAndWritesNothing) {
  const std::string out = scratch("nothing.yaml");
  const auto r = run("import " + kFixtures + "bad/unknown-format.yaml " + kFixtures +
                     "bad/helm-template.yaml -o " + out);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("unknown-format.yaml:2:1: warning:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("helm-template.yaml:5:9: error:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing usable was read"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".tmp"));
}

TEST(ImportCommand, SomethingUsableExitsZeroWithTheNotes) {
  const std::string out = scratch("partly.yaml");
  const auto r = run("import " + kFixtures + "bad/unknown-format.yaml " + kFixtures +
                     "sloth-roundtrip.yaml -o " + out);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("unknown-format.yaml:2:1: warning:"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(out));
}

TEST(ImportCommand, NeverWritesOverAnInput) {
  const std::string dir = scratch("indir");
  fs::create_directories(dir);
  const std::string input = dir + "/spec.yaml";
  fs::copy_file(kFixtures + "sloth-roundtrip.yaml", input, fs::copy_options::overwrite_existing);
  const std::string before = slurp(input);
  const auto r = run("import " + dir + " -o " + input);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("that is one of the files read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing was written"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(input), before);
}

TEST(ImportCommand, BadFlags) {
  EXPECT_EQ(run("import " + kFixtures + "sloth-roundtrip.yaml --from nagios").code, 1);
  EXPECT_EQ(run("import " + kFixtures + "sloth-roundtrip.yaml --map orders").code, 1);
  const auto p = run("import " + kFixtures + "sloth-roundtrip.yaml --slo-period soon");
  EXPECT_EQ(p.code, 1);
  EXPECT_NE(p.out.find("--slo-period: expected a duration"), std::string::npos) << p.out;
}

TEST(ImportCommand, ToStdoutWithSloPeriodAndMap) {
  const auto r =
      run("import " + kFixtures + "sloth-roundtrip.yaml --slo-period 28d --map orders=order-api");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("window: 28d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("# from <command line> --slo-period 28d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("service: order-api"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("factor: 13.44"), std::string::npos) << r.out;
}

TEST(ImportCommand, SlothRoundTripThroughAlertsExport) {
  const std::string out = scratch("orders.yaml");
  const std::string sloth = scratch("orders-sloth.yaml");
  ASSERT_EQ(run("import " + kFixtures + "sloth-roundtrip.yaml -o " + out).code, 0);
  const auto e = run("alerts " + out + " --rules " + out + " --export sloth -o " + sloth);
  ASSERT_EQ(e.code, 0) << e.out;
  const std::string text = slurp(sloth);
  EXPECT_NE(text.find("objective: 99.95"), std::string::npos) << text;
  EXPECT_NE(text.find("sloPeriod: 30d"), std::string::npos) << text;
  for (const char* w : {"errorBudgetPercent: 2\n      shortWindow: 5m\n      longWindow: 1h",
                        "errorBudgetPercent: 5\n      shortWindow: 30m\n      longWindow: 6h",
                        "errorBudgetPercent: 10\n      shortWindow: 2h\n      longWindow: 24h",
                        "errorBudgetPercent: 10\n      shortWindow: 6h\n      longWindow: 3d"}) {
    EXPECT_NE(text.find(w), std::string::npos) << w << "\n" << text;
  }
  // And back: importing the export gives the same System.
  const std::string again = scratch("orders-again.yaml");
  const auto back = run("import " + sloth + " -o " + again);
  ASSERT_EQ(back.code, 0) << back.out;
  EXPECT_NE(slurp(again).find("objective: 99.95%"), std::string::npos);
  EXPECT_NE(slurp(again).find("{severity: page, factor: 14.4, longWindow: 1h, shortWindow: 5m}"),
            std::string::npos)
      << slurp(again);
}

// Issue 21 end to end: a directory with Kubernetes manifests (two
// Deployments, a PDB, an HPA), a Backstage catalog, a Sloth spec, a
// Prometheus rule file, a PagerDuty export and a Chaos Mesh experiment for
// the same services becomes one System that validates and runs, joined
// across the sources, and a GameDay that `relsim plan` runs.
TEST(ImportCommand, ADirectoryOfEverySourceJoinsValidatesRunsAndPlans) {
  const std::string dir = kFixtures + "shop";
  const std::string out = scratch("shop.yaml");
  const auto r = run("import " + dir + " -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2 services, 1 datastore or cache, 1 SLO, 2 alerts, 2 teams, 1 experiment"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("catalog-info.yaml:18:36: warning: service 'checkout' consumes API "
                       "'loyalty-api'"),
            std::string::npos)
      << r.out;
  const std::string y = slurp(out);
  const auto has = [&](const std::string& line) {
    EXPECT_NE(y.find(line), std::string::npos) << line << "\n" << y;
  };
  const std::string from = "# from " + dir + "/";
  has("  name: shop                              " + from + "catalog/catalog-info.yaml:4");
  has("  zones: [eu-west-1a, eu-west-1b]\n");
  // checkout: the Deployment, its PDB and the Backstage Component, one service.
  has("    - name: checkout                      " + from + "catalog/catalog-info.yaml:11");
  has("      replicas: 3                         " + from + "k8s/checkout.yaml:7 spec.replicas");
  has("      zones: [eu-west-1a, eu-west-1b]     " + from + "k8s/checkout.yaml:23");
  has("      topologySpread: true                " + from + "k8s/checkout.yaml:17");
  has("      healthCheckDelay: 16s               " + from + "k8s/checkout.yaml:27");
  has("        - {service: payments, type: hard}  " + from +
      "catalog/catalog-info.yaml:18 spec.consumesApis");
  has("        - {datastore: orders-db, type: hard}  " + from + "catalog/catalog-info.yaml:19");
  has("      # PodDisruptionBudget minAvailable 2 (from " + dir +
      "/k8s/checkout-pdb.yaml:6 spec.minAvailable)");
  has("      # liveness probe detects a hung container after 32s (from " + dir +
      "/k8s/checkout.yaml:28");
  // payments: Deployment payments-deploy (label payments), its HPA and the Component.
  has("    - name: payments                      " + from + "catalog/catalog-info.yaml:24");
  has("      replicas: 2                         " + from + "k8s/checkout.yaml:36 spec.replicas");
  has("      zones: [eu-west-1a]                 " + from + "k8s/checkout.yaml:43");
  has("        maxReplicas: 6                    " + from + "k8s/autoscalers.yaml:8");
  has("        targetUtilization: 70%            " + from + "k8s/autoscalers.yaml:11");
  // The SLO, its Sloth alert and the threshold rule.
  has("      objective: 99.9%                    " + from + "slo/checkout-sloth.yaml:5");
  has("      slo: checkout-availability\n");
  has("        - {severity: page, factor: 14.4, longWindow: 1h, shortWindow: 5m}");
  has("      condition: {errorRate: {above: 5%}}  " + from + "slo/payments-rules.yaml:4");
  // The team: the PagerDuty schedule, its escalation policy and the owner.
  has("    - name: shop-oncall                   " + from + "oncall/pagerduty.json:5");
  has("      members: 4                          " + from + "oncall/pagerduty.json:7");
  has("        - {after: 15m, to: platform-oncall}  " + from + "oncall/pagerduty.json:46");
  has("      escalationLoops: 2                  " + from + "oncall/pagerduty.json:43");
  has("      owns: [checkout, payments]\n");
  has("    utcOffset: \"+01:00\"                   " + from + "oncall/pagerduty.json:6");
  has("kind: GameDay\n");
  has("    fault: podKill                        " + from + "chaos/kill-checkout.yaml:4");
  has("    service: checkout\n");
  const auto v = run("validate " + out);
  EXPECT_EQ(v.code, 0) << v.out;
  EXPECT_NE(v.out.find("ok: shop (System: 2 services, 2 zones, 1 SLO, 2 teams)"), std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("ok: kill-one-checkout (GameDay on shop: podKill"), std::string::npos)
      << v.out;
  const auto ran = run("run " + out + " --trials 20 --threads 1");
  EXPECT_EQ(ran.code, 0) << ran.out;
  const auto plan = run("plan " + out + " --trials 20");
  EXPECT_EQ(plan.code, 0) << plan.out;
  EXPECT_NE(plan.out.find("verdict:"), std::string::npos) << plan.out;
}

TEST(ImportCommand, FilesThatNameNoServiceExitOneAndWriteNothing) {
  // An escalation policy alone: teams, but no system to simulate (its zones
  // would hold nothing, which relsim validate refuses).
  const std::string out = scratch("policy-only.yaml");
  const auto r =
      run("import " + kFixtures + "upstream-shapes/pagerduty-billing-policy.json -o " + out);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("import: the files read name no service, datastore or cache"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("nothing was written"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST(ImportCommand, ChaosManifestsAsTheProjectWritesThemGiveGameDaysThatValidate) {
  const std::string out = scratch("chaos.yaml");
  const auto r = run("import " + kFixtures + "upstream-shapes/chaos -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("2 services, 0 datastores and caches, 0 SLOs, 0 alerts, 0 teams, 3 "
                       "experiments"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("gameDay.keep-killing-pricing.experiment.duration = 10m"), std::string::npos)
      << r.out;
  const auto v = run("validate " + out);
  EXPECT_EQ(v.code, 0) << v.out;
  EXPECT_NE(v.out.find("ok: keep-killing-pricing (GameDay on imported: podKill"), std::string::npos)
      << v.out;
  EXPECT_NE(v.out.find("ok: old-drill/bursts (GameDay on imported: podKill"), std::string::npos)
      << v.out;
  const auto plan = run("plan " + out + " --trials 20 --threads 1");
  EXPECT_EQ(plan.code, 0) << plan.out;
}

TEST(ImportCommand, ServicesNoFileGivesAnOwnerGetAnAssumedTeamBesideTheImportedOnes) {
  // PagerDuty pages for invoicing and mailer; the Sloth spec's ledger has
  // paging alerts and no owner: without a team for it the output would not
  // validate ("pages, but no team owns service 'ledger'").
  const std::string out = scratch("unowned.yaml");
  const auto r = run("import " + kFixtures + "upstream-shapes/pagerduty-services.json " +
                     kFixtures + "upstream-shapes/sloth-alert-for.yaml -o " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("teams = oncall  (no file gives these services an owner: one team owns "
                       "them)"),
            std::string::npos)
      << r.out;
  const std::string y = slurp(out);
  EXPECT_NE(y.find("      owns: [ledger]\n"), std::string::npos) << y;
  EXPECT_NE(y.find("      owns: [invoicing]\n"), std::string::npos) << y;
  const auto v = run("validate " + out);
  EXPECT_EQ(v.code, 0) << v.out;
}
