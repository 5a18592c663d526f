// relsim import (issue 21): the SLO and alert readers, joining, the emitter
// and the round trips, called as a library on the fixtures of
// tests/import/fixtures/ (written for these tests).
#include "analysis/import/import.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "analysis/alert_export.hpp"
#include "models/loader.hpp"

namespace imp = relsim::analysis::import;
using relsim::models::AlertRoute;

namespace {

const std::string kFixtures = std::string(RELSIM_SOURCE_DIR) + "/tests/import/fixtures/";

imp::ImportModel import_files(const std::vector<std::string>& names, imp::ImportOptions o = {}) {
  std::vector<std::string> paths;
  for (const std::string& n : names) paths.push_back(kFixtures + n);
  imp::ImportModel m = imp::read_inputs(paths, o);
  imp::join_import(m, o);
  return m;
}

const imp::ImportedSlo& slo(const imp::ImportModel& m, const std::string& name) {
  const auto it = std::find_if(m.slos.begin(), m.slos.end(),
                               [&](const imp::ImportedSlo& s) { return s.name == name; });
  if (it == m.slos.end()) throw std::runtime_error("no SLO " + name);
  return *it;
}

const imp::ImportedAlert& alert(const imp::ImportModel& m, const std::string& name) {
  const auto it = std::find_if(m.alerts.begin(), m.alerts.end(),
                               [&](const imp::ImportedAlert& a) { return a.name == name; });
  if (it == m.alerts.end()) throw std::runtime_error("no alert " + name);
  return *it;
}

/// The notes as text, one per line.
std::string notes(const imp::ImportModel& m) {
  std::string s;
  for (const imp::ImportNote& n : m.notes) s += imp::note_text(n) + "\n";
  return s;
}

struct W {
  const char* severity;
  double factor, long_s, short_s, for_s;
};

void expect_windows(const imp::ImportedAlert& a, const std::vector<W>& want) {
  ASSERT_EQ(a.windows.size(), want.size()) << a.name;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(a.windows[i].severity, want[i].severity) << a.name << " window " << i;
    EXPECT_NEAR(a.windows[i].factor, want[i].factor, 1e-9) << a.name << " window " << i;
    EXPECT_NEAR(a.windows[i].long_window_s, want[i].long_s, 1e-6) << a.name << " window " << i;
    EXPECT_NEAR(a.windows[i].short_window_s, want[i].short_s, 1e-6) << a.name << " window " << i;
    EXPECT_NEAR(a.windows[i].for_s, want[i].for_s, 1e-6) << a.name << " window " << i;
  }
}

const std::vector<W> kSloth30d = {{"page", 14.4, 3600, 300, 0},
                                  {"page", 6, 21600, 1800, 0},
                                  {"ticket", 3, 86400, 7200, 0},
                                  {"ticket", 1, 259200, 21600, 0}};

}  // namespace

TEST(ImportSloth, DefaultWindowsOfAThirtyDayPeriod) {
  const auto m = import_files({"sloth-roundtrip.yaml"});
  ASSERT_EQ(m.slos.size(), 1u);
  const auto& s = slo(m, "orders-availability");
  EXPECT_EQ(s.service, "orders");
  EXPECT_NEAR(s.objective->value, 0.9995, 1e-12);
  EXPECT_EQ(s.objective->origin.text(), kFixtures + "sloth-roundtrip.yaml:7 slos[0].objective");
  EXPECT_FALSE(s.window_s);  // no period given: the emitter assumes 30d
  expect_windows(alert(m, "OrdersBurn"), kSloth30d);
  EXPECT_EQ(m.documents_used, 1);
}

TEST(ImportSloth, KubernetesFormAndAlertWindowsOf28Days) {
  const auto m = import_files({"sloth-k8s.yaml"});
  const auto& s = slo(m, "inventory-availability");
  EXPECT_EQ(s.service, "inventory");
  EXPECT_NEAR(s.objective->value, 0.999, 1e-12);
  ASSERT_TRUE(s.window_s);
  EXPECT_DOUBLE_EQ(s.window_s->value, 28 * 86400.0);
  EXPECT_EQ(s.window_s->origin.field, "spec.sloPeriod");
  EXPECT_EQ(s.window_s->origin.line, 28);
  // factor = errorBudgetPercent/100 x period/longWindow.
  expect_windows(alert(m, "InventoryBurn"), {{"page", 13.44, 3600, 300, 0},
                                             {"page", 5.6, 21600, 1800, 0},
                                             {"ticket", 2.8, 86400, 7200, 0},
                                             {"ticket", 0.1 * 28 / 3, 259200, 21600, 0}});
}

TEST(ImportSloth, SloPeriodScalesTheDefaultShares) {
  imp::ImportOptions o;
  o.slo_period_s = 7 * 86400.0;
  o.slo_period_given = true;
  const auto m = import_files({"sloth-roundtrip.yaml"}, o);
  const auto& s = slo(m, "orders-availability");
  ASSERT_TRUE(s.window_s);
  EXPECT_DOUBLE_EQ(s.window_s->value, 7 * 86400.0);
  EXPECT_EQ(s.window_s->origin.text(), "<command line> --slo-period 7d");
  expect_windows(alert(m, "OrdersBurn"), {{"page", 0.02 * 168, 3600, 300, 0},
                                          {"page", 0.05 * 28, 21600, 1800, 0},
                                          {"ticket", 0.1 * 7, 86400, 7200, 0},
                                          {"ticket", 0.1 * 7 / 3, 259200, 21600, 0}});
  EXPECT_NE(notes(m).find("default windows for 28d and 30d only"), std::string::npos);
}

TEST(ImportSloth, LatencySliFromTheBucketAndDisabledTicket) {
  const auto m = import_files({"team/slo/checkout-sloth.yaml"});
  const auto& lat = slo(m, "requests-latency");
  EXPECT_EQ(lat.sli, "latency");
  ASSERT_TRUE(lat.threshold_s);
  EXPECT_DOUBLE_EQ(lat.threshold_s->value, 0.5);
  EXPECT_EQ(slo(m, "requests-availability").sli, "availability");
  expect_windows(alert(m, "CheckoutLatency"), {kSloth30d[0], kSloth30d[1]});
}

TEST(ImportPyrra, WindowsDerivedFromThe28DayWindow) {
  const auto m = import_files({"team/slo/payments-pyrra.yaml"});
  const auto& s = slo(m, "payments-errors");
  EXPECT_EQ(s.service, "payments");  // the job label of the total metric
  EXPECT_NEAR(s.objective->value, 0.995, 1e-12);
  EXPECT_DOUBLE_EQ(s.window_s->value, 28 * 86400.0);
  expect_windows(alert(m, "payments-errors-ErrorBudgetBurn"),
                 {{"page", 14, 3600, 300, 120},
                  {"page", 7, 21600, 1800, 900},
                  {"ticket", 2, 86400, 7200, 3600},
                  {"ticket", 1, 4 * 86400, 21600, 3 * 3600}});
}

TEST(ImportPyrra, DurationsScaleLinearlyWithTheWindow) {
  imp::ImportModel m;
  imp::read_text(
      "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: api}\n"
      "spec:\n  target: '99'\n  window: 7d\n  indicator:\n    latency:\n      success: {metric: "
      "'h_bucket{job=\"api\",le=\"0.3\"}'}\n      total: {metric: 'h_count{job=\"api\"}'}\n",
      "pyrra.yaml", {}, m);
  imp::join_import(m, {});
  EXPECT_EQ(slo(m, "api").sli, "latency");
  EXPECT_DOUBLE_EQ(slo(m, "api").threshold_s->value, 0.3);
  expect_windows(alert(m, "api-ErrorBudgetBurn"), {{"page", 14, 900, 75, 30},
                                                   {"page", 7, 5400, 450, 225},
                                                   {"ticket", 2, 21600, 1800, 900},
                                                   {"ticket", 1, 86400, 5400, 2700}});
}

TEST(ImportOpenSlo, PolicyByReferenceAndNoConnectionDetails) {
  const auto m = import_files({"team/slo/search-openslo.yaml"});
  const auto& s = slo(m, "search-availability");
  EXPECT_EQ(s.service, "search");
  EXPECT_NEAR(s.objective->value, 0.995, 1e-12);
  EXPECT_DOUBLE_EQ(s.window_s->value, 28 * 86400.0);
  const auto& a = alert(m, "search-fast-burn");
  EXPECT_EQ(a.slo, "search-availability");
  expect_windows(a, {{"page", 13.44, 3600, 0, 300}});
  const std::string yaml = imp::emit_import(m, {}).yaml;
  EXPECT_EQ(yaml.find("not-a-real-token"), std::string::npos);
  EXPECT_EQ(yaml.find("prometheus.example"), std::string::npos);
  EXPECT_EQ(notes(m).find("not-a-real-token"), std::string::npos);
  EXPECT_NE(notes(m).find("connectionDetails were not read"), std::string::npos);
}

TEST(ImportOpenSlo, AlphaTopLevelListAndCalendarMonth) {
  const auto m = import_files({"openslo-v1alpha-list.yaml"});
  ASSERT_EQ(m.slos.size(), 2u);
  const auto& a = slo(m, "profile-availability");
  EXPECT_DOUBLE_EQ(a.window_s->value, 7 * 86400.0);
  EXPECT_NEAR(a.objective->value, 0.999, 1e-12);
  const auto& l = slo(m, "profile-latency");
  EXPECT_TRUE(l.calendar_month);
  EXPECT_EQ(l.sli, "latency");
  EXPECT_FALSE(l.threshold_s);  // the metric's unit is unknown: assumed
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("window: calendarMonth"), std::string::npos);
  EXPECT_TRUE(std::any_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "slos.profile-latency.threshold";
  }));
}

TEST(ImportPrometheusRules, BurnRatesAsSlothTheMixinAndPyrraWriteThem) {
  const auto m = import_files({"prometheus-burn.yaml"});
  // Sloth: the page and ticket rules of one alert gather into four pairs.
  const auto& cart = slo(m, "cart-availability");
  EXPECT_EQ(cart.service, "cart");
  EXPECT_NEAR(cart.objective->value, 0.999, 1e-12);
  expect_windows(alert(m, "CartAvailability"), kSloth30d);
  // kubernetes-mixin: windows from the metric suffixes, E = 0.01.
  EXPECT_NEAR(slo(m, "apiserver_request").objective->value, 0.99, 1e-12);
  expect_windows(alert(m, "KubeAPIErrorBudgetBurn"),
                 {{"page", 14.4, 3600, 300, 120}, {"ticket", 1, 259200, 21600, 10800}});
  // Pyrra: (14 * (1-0.99)), the slo label, `for:` per tier.
  EXPECT_NEAR(slo(m, "search-errors").objective->value, 0.99, 1e-12);
  EXPECT_EQ(slo(m, "search-errors").service, "search");  // the job label
  expect_windows(alert(m, "ErrorBudgetBurn"),
                 {{"page", 14, 3600, 300, 120}, {"page", 7, 21600, 1800, 900}});
  // Not a burn rate nor a threshold: named, left out.
  EXPECT_NE(notes(m).find("prometheus-burn.yaml:83:17: warning: alert 'SLOMetricAbsent'"),
            std::string::npos)
      << notes(m);
  EXPECT_EQ(std::count_if(m.alerts.begin(), m.alerts.end(),
                          [](const imp::ImportedAlert& a) { return a.name == "SLOMetricAbsent"; }),
            0);
}

TEST(ImportPrometheusRules, ThresholdRulesWithFor) {
  const auto m = import_files({"team/alerts/checkout-rules.yaml"});
  const auto& errors = alert(m, "CheckoutHighErrorRate");
  EXPECT_EQ(errors.service, "checkout");
  EXPECT_DOUBLE_EQ(*errors.error_rate_above, 0.05);
  EXPECT_DOUBLE_EQ(errors.for_s, 300);
  EXPECT_EQ(errors.route, "page");
  const auto& slow = alert(m, "CheckoutSlow");
  EXPECT_DOUBLE_EQ(*slow.latency_above_s, 1.5);
  EXPECT_DOUBLE_EQ(slow.latency_percentile, 0.99);
  EXPECT_DOUBLE_EQ(slow.for_s, 600);
  EXPECT_EQ(slow.route, "ticket");
  EXPECT_NE(notes(m).find("checkout-rules.yaml:22:15: warning: alert 'CheckoutPodsRestarting'"),
            std::string::npos)
      << notes(m);
  EXPECT_EQ(m.alerts.size(), 2u);
}

// ---- bad input: file:line:col, what was expected, what was done ----------

TEST(ImportBadInput, UnknownFormat) {
  const auto m = import_files({"bad/unknown-format.yaml"});
  EXPECT_NE(notes(m).find("unknown-format.yaml:2:1: warning: apiVersion 'example.com/v1' kind "
                          "'WidgetConfig' is not a format relsim import reads"),
            std::string::npos)
      << notes(m);
  EXPECT_NE(notes(m).find("the document was skipped"), std::string::npos);
  EXPECT_EQ(m.documents_used, 0);
}

TEST(ImportBadInput, HelmTemplateNotRendered) {
  const auto m = import_files({"bad/helm-template.yaml"});
  EXPECT_NE(notes(m).find("helm-template.yaml:5:9: error: a Helm or Kustomize template"),
            std::string::npos)
      << notes(m);
  EXPECT_NE(notes(m).find("helm template"), std::string::npos);
  EXPECT_NE(notes(m).find("kubectl kustomize"), std::string::npos);
  EXPECT_EQ(m.documents_used, 0);
}

TEST(ImportBadInput, SlothQueryWindowAndPrometheusAnnotationsAreNotTemplates) {
  imp::ImportModel m;
  imp::read_text(
      "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: "
      "sum(rate(e_total{service=\"x\",code=~\"5..\"}[5m])) / sum(rate(t_total{service=\"x\"}[5m])) "
      "> 0.1\n    annotations:\n      summary: '{{ $labels.service }} fails {{ $value }}'\n",
      "rules.yaml", {}, m);
  EXPECT_EQ(m.documents_used, 1) << notes(m);
  EXPECT_EQ(import_files({"sloth-roundtrip.yaml"}).documents_used, 1);
}

TEST(ImportBadInput, JsonTrailingComma) {
  const auto m = import_files({"bad/trailing-comma.json"});
  EXPECT_NE(notes(m).find("trailing-comma.json:8:41: warning: JSON allows no comma before '}' "
                          "or ']'; read as if the comma were not there"),
            std::string::npos)
      << notes(m);
  EXPECT_EQ(m.documents_used, 1);
  EXPECT_NEAR(slo(m, "ledger-availability").objective->value, 0.999, 1e-12);
}

TEST(ImportBadInput, MissingAndMistypedFields) {
  const auto m = import_files({"bad/mistyped-objective.yaml"});
  const std::string n = notes(m);
  EXPECT_NE(n.find("mistyped-objective.yaml:7:16: warning: expected slos[0].objective, a "
                   "percentage in (0, 100) like 99.9, got 'high'; SLO 'billing-availability' was "
                   "skipped"),
            std::string::npos)
      << n;
  EXPECT_NE(n.find("mistyped-objective.yaml:8:5: warning: expected slos[1].name; the SLO was "
                   "skipped"),
            std::string::npos)
      << n;
  ASSERT_EQ(m.slos.size(), 1u);
  EXPECT_EQ(m.slos[0].name, "billing-latency");
}

TEST(ImportBadInput, RulesThatAreNotRecognised) {
  const auto m = import_files({"bad/not-burn-rate.yaml"});
  const std::string n = notes(m);
  EXPECT_NE(n.find("not-burn-rate.yaml:7:15: warning: alert 'OddBurn': expected a burn rate"),
            std::string::npos)
      << n;
  EXPECT_NE(n.find("not-burn-rate.yaml:9:15: warning: alert 'TooManyJobs'"), std::string::npos)
      << n;
  EXPECT_NE(n.find("the rule was left out"), std::string::npos);
  EXPECT_TRUE(m.alerts.empty());
  EXPECT_EQ(m.documents_used, 0);
}

TEST(ImportBadInput, DanglingAlertPolicyRef) {
  const auto m = import_files({"bad/dangling-policy.yaml"});
  EXPECT_NE(notes(m).find("dangling-policy.yaml:15:23: warning: alert policy 'ledger-page' of "
                          "SLO 'ledger-availability': expected an AlertPolicy of that name"),
            std::string::npos)
      << notes(m);
  EXPECT_TRUE(m.alerts.empty());
  EXPECT_EQ(m.slos.size(), 1u);  // the SLO itself is kept
}

TEST(ImportBadInput, TwoSourcesDisagree) {
  const auto m = import_files({"bad/disagree-rules.yaml", "bad/disagree-sloth.yaml"});
  // The rule file is read first: its 99.9 % is taken.
  EXPECT_NEAR(slo(m, "orders-availability").objective->value, 0.999, 1e-12);
  EXPECT_NE(notes(m).find("disagree-sloth.yaml:6:16: warning: SLO 'orders-availability' "
                          "objective is 0.9995 here but 0.999 in " +
                          kFixtures +
                          "bad/disagree-rules.yaml:6 groups[0].rules[0].expr; took "
                          "0.999 (the first file read)"),
            std::string::npos)
      << notes(m);
}

TEST(ImportBadInput, FromForcesAFormatAndNeverThrows) {
  imp::ImportOptions o;
  o.from = "pyrra";
  imp::ImportModel m;
  imp::read_text("version: prometheus/v1\nservice: a\nslos: []\n", "x.yaml", o, m);
  EXPECT_NE(notes(m).find("x.yaml:1:1: warning: expected kind ServiceLevelObjective"),
            std::string::npos)
      << notes(m);
  for (const char* format : {"sloth", "sloth-windows", "pyrra", "openslo", "prometheus-rules"}) {
    imp::ImportOptions f;
    f.from = format;
    imp::ImportModel n;
    EXPECT_NO_THROW(
        imp::read_text("- just\n- a list\n---\nscalar\n---\n{a: {b: [1]}}\n", "odd.yaml", f, n))
        << format;
    EXPECT_EQ(n.documents_used, 0) << format;
  }
}

TEST(ImportBadInput, UnknownFromFormat) {
  imp::ImportOptions o;
  o.from = "nagios";
  EXPECT_THROW(imp::read_inputs({kFixtures + "sloth-roundtrip.yaml"}, o), std::invalid_argument);
}

// ---- joining -------------------------------------------------------------

TEST(ImportJoin, AliasesJoinAndDisagreementsAreNoted) {
  imp::ImportModel m;
  imp::ImportedService a;
  a.name = "checkout-deploy";
  a.aliases = {"checkout"};  // its app label
  a.replicas = imp::Sourced<int>{3, {"k8s/checkout.yaml", 14, 3, "spec.replicas"}};
  imp::ImportedService b;
  b.name = "checkout";
  b.replicas = imp::Sourced<int>{5, {"k8s/checkout-prod.yaml", 9, 3, "spec.replicas"}};
  m.services = {a, b};
  imp::read_text(
      "version: prometheus/v1\nservice: checkout\nslos:\n- name: avail\n  objective: 99.9\n",
      "sloth.yaml", {}, m);
  imp::join_import(m, {});
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_EQ(m.services[0].replicas->value, 3);
  EXPECT_EQ(m.slos[0].service, "checkout-deploy");
  EXPECT_NE(notes(m).find("k8s/checkout-prod.yaml:9:3: warning: service 'checkout-deploy' "
                          "replicas is 5 here but 3 in k8s/checkout.yaml:14 spec.replicas; took 3"),
            std::string::npos)
      << notes(m);
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("replicas: 3"), std::string::npos);
  EXPECT_NE(r.yaml.find("# from k8s/checkout.yaml:14 spec.replicas"), std::string::npos);
}

TEST(ImportJoin, MapRenamesByHand) {
  imp::ImportOptions o;
  o.renames = {{"orders", "order-api"}};
  const auto m = import_files({"sloth-roundtrip.yaml"}, o);
  EXPECT_EQ(slo(m, "orders-availability").service, "order-api");
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_EQ(m.services[0].name, "order-api");
}

// ---- the emitter ---------------------------------------------------------

TEST(ImportEmit, TheTeamDirectoryLoadsWithEverySourceAndAssumption) {
  const auto m = import_files({"team"});
  EXPECT_EQ(m.files_read.size(), 4u);
  EXPECT_TRUE(std::is_sorted(m.files_read.begin(), m.files_read.end()));
  const auto r = imp::emit_import(m, {});
  // It is relsim YAML: every document loads and resolves.
  const auto docs = relsim::models::load_string(r.yaml, "imported.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  ASSERT_EQ(docs.scenarios.size(), 1u);
  ASSERT_EQ(docs.alert_rules.size(), 1u);
  const auto& sys = docs.systems[0];
  EXPECT_EQ(sys.slos.size(), 4u);
  EXPECT_EQ(sys.services.size(), 3u);  // checkout, payments, search
  EXPECT_NE(r.yaml.find("objective: 99.9%"), std::string::npos);
  EXPECT_NE(r.yaml.find("# from " + kFixtures + "team/slo/checkout-sloth.yaml:9 slos[0].objective"),
            std::string::npos)
      << r.yaml;
  // What no file gave is assumed, marked and listed.
  for (const char* path :
       {"zones", "services.checkout.demand", "services.checkout.capacityPerReplica",
        "services.checkout.restart", "services.checkout.failures", "teams.oncall.ack.businessHours",
        "slos.requests-availability.window"}) {
    EXPECT_TRUE(std::any_of(r.assumed.begin(), r.assumed.end(), [&](const imp::AssumedValue& v) {
      return v.path == path;
    })) << path;
  }
  std::size_t comments = 0;
  for (std::size_t p = r.yaml.find("# assumed: "); p != std::string::npos;
       p = r.yaml.find("# assumed: ", p + 1))
    ++comments;
  EXPECT_EQ(comments, r.assumed.size());
}

// ---- round trips ----------------------------------------------------------

namespace {

/// Imports `file`, loads the output, and exports its rule set for `slo_name`
/// as relsim alerts --export would.
std::string export_of(const std::string& file, const std::string& slo_name, bool sloth) {
  const auto m = import_files({file});
  const auto docs = relsim::models::load_string(imp::emit_import(m, {}).yaml, "rt.yaml");
  const auto& sys = docs.systems.at(0);
  const auto s = std::find_if(sys.slos.begin(), sys.slos.end(),
                              [&](const relsim::models::Slo& x) { return x.name == slo_name; });
  relsim::analysis::RuleSet set{"imported", "", {}};
  for (const auto& a : sys.alerts) {
    if (a.slo.name == slo_name) set.alerts.push_back(a);
  }
  relsim::analysis::AlertExportTarget t;
  t.slo = s->name;
  t.service = s->service.name;
  t.objective = s->objective;
  t.period = s->window;
  return sloth ? relsim::analysis::sloth_spec(set, t) : relsim::analysis::prometheus_rules(set, t);
}

}  // namespace

TEST(ImportRoundTrip, SlothSpecGivesBackTheSameObjectiveWindowsAndFactors) {
  const std::string exported = export_of("sloth-roundtrip.yaml", "orders-availability", true);
  imp::ImportModel back;
  imp::read_text(exported, "exported-sloth.yaml", {}, back);
  imp::join_import(back, {});
  EXPECT_NEAR(slo(back, "orders-availability").objective->value, 0.9995, 1e-12);
  EXPECT_DOUBLE_EQ(slo(back, "orders-availability").window_s->value, 30 * 86400.0);
  ASSERT_EQ(back.alert_windows.size(), 1u);
  expect_windows(alert(back, "OrdersBurn"), kSloth30d);
  for (std::size_t i = 0; i < 4; ++i) {
    const double want[] = {2, 5, 10, 10};
    EXPECT_NEAR(back.alert_windows[0].windows[i].budget_percent, want[i], 1e-9);
  }
}

TEST(ImportRoundTrip, SlothKubernetesFormWith28DayWindows) {
  const std::string exported = export_of("sloth-k8s.yaml", "inventory-availability", true);
  imp::ImportModel back;
  imp::read_text(exported, "exported-sloth.yaml", {}, back);
  imp::join_import(back, {});
  EXPECT_DOUBLE_EQ(slo(back, "inventory-availability").window_s->value, 28 * 86400.0);
  expect_windows(alert(back, "InventoryBurn"), {{"page", 13.44, 3600, 300, 0},
                                                {"page", 5.6, 21600, 1800, 0},
                                                {"ticket", 2.8, 86400, 7200, 0},
                                                {"ticket", 0.1 * 28 / 3, 259200, 21600, 0}});
}

TEST(ImportRoundTrip, PrometheusRulesGiveBackTheSameObjectiveWindowsAndFactors) {
  const std::string exported = export_of("prometheus-burn.yaml", "cart-availability", false);
  imp::ImportModel back;
  imp::read_text(exported, "exported-rules.yaml", {}, back);
  imp::join_import(back, {});
  EXPECT_NEAR(slo(back, "cart-availability").objective->value, 0.999, 1e-12);
  // relsim names the exported alerts <Alert>Page and <Alert>Ticket.
  expect_windows(alert(back, "CartAvailabilityPage"), {kSloth30d[0], kSloth30d[1]});
  expect_windows(alert(back, "CartAvailabilityTicket"), {kSloth30d[2], kSloth30d[3]});
  const std::string kube = export_of("prometheus-burn.yaml", "apiserver_request", false);
  imp::ImportModel back2;
  imp::read_text(kube, "exported-kube.yaml", {}, back2);
  imp::join_import(back2, {});
  EXPECT_NEAR(slo(back2, "apiserver_request").objective->value, 0.99, 1e-12);
  expect_windows(alert(back2, "KubeAPIErrorBudgetBurnPage"), {{"page", 14.4, 3600, 300, 120}});
}

TEST(ImportJoin, DanglingDependsOnIsNotedAndDependenciesEmit) {
  imp::ImportModel m;
  imp::ImportedService web;
  web.name = "web";
  web.depends_on = {{"api", "hard", {"catalog.yaml", 7, 5, "spec.dependsOn[0]"}},
                    {"orders-db", "hard", {"catalog.yaml", 8, 5, "spec.dependsOn[1]"}},
                    {"ghost", "hard", {"catalog.yaml", 9, 5, "spec.dependsOn[2]"}}};
  imp::ImportedService api;
  api.name = "api";
  api.replicas = imp::Sourced<int>{4, {"k8s/api.yaml", 9, 3, "spec.replicas"}};
  imp::ImportedStore db;
  db.name = "orders-db";
  m.services = {web, api};
  m.stores = {db};
  imp::join_import(m, {});
  EXPECT_NE(notes(m).find("catalog.yaml:9:5: warning: service 'web' depends on 'ghost': expected a "
                          "service, datastore or cache of that name in the files read; none, so "
                          "the dependency was left out"),
            std::string::npos)
      << notes(m);
  ASSERT_EQ(m.services[0].depends_on.size(), 2u);
  const auto r = imp::emit_import(m, {});
  const auto docs = relsim::models::load_string(r.yaml, "deps.yaml");
  const auto& sys = docs.systems.at(0);
  ASSERT_EQ(sys.services.size(), 2u);
  ASSERT_EQ(sys.datastores.size(), 1u);
  // web is the entry point (50/s assumed); api carries web's 50/s over its 4
  // replicas at 50 % utilisation: 25/s per replica, at least 10.
  EXPECT_NE(r.yaml.find("- {service: api, type: hard}"), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("- {datastore: orders-db, type: hard}"), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("capacityPerReplica: 25 "), std::string::npos) << r.yaml;
  EXPECT_TRUE(std::none_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "services.api.demand";
  }));
}

TEST(ImportEmit, AnExperimentBecomesAGameDay) {
  imp::ImportModel m;
  imp::ImportedService api;
  api.name = "api";
  // A network fault acts on a call: api must call orders-db.
  api.depends_on = {imp::ImportedDependency{"orders-db", "hard", {}}};
  m.services = {api};
  imp::ImportedStore db;
  db.name = "orders-db";
  m.stores = {db};
  imp::ImportedExperiment e;
  e.name = "kill-api";
  e.origin = {"chaos/kill.yaml", 4, 3, "metadata.name"};
  e.source_format = "chaos-mesh";
  e.fault = "podKill";
  e.service = "api";
  e.mode = "one";
  e.duration_s = 600;
  e.interval_s = 120;
  imp::ImportedExperiment lat = e;
  lat.name = "slow-api";
  lat.fault = "networkLatency";
  lat.mode.clear();
  lat.interval_s.reset();
  lat.from = "api";
  lat.to = "orders-db";
  lat.service.clear();
  lat.latency_s = 0.2;
  lat.candidate_starts = {"Wed 10:00"};
  m.experiments = {e, lat};
  imp::join_import(m, {});
  const auto r = imp::emit_import(m, {});
  const auto docs = relsim::models::load_string(r.yaml, "gd.yaml");
  ASSERT_EQ(docs.game_days.size(), 2u) << r.yaml;
  EXPECT_NE(r.yaml.find("    interval: 2m"), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("    latency: 200ms"), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("candidateStarts: [\"Wed 10:00\"]"), std::string::npos) << r.yaml;
  EXPECT_TRUE(std::any_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "gameDay.kill-api.candidateStarts";
  }));
}

TEST(ImportLoad, KubernetesListsAreReadItemByItem) {
  imp::ImportModel m;
  imp::read_text(
      "apiVersion: v1\nkind: List\nitems:\n- version: prometheus/v1\n  service: a\n  slos:\n"
      "  - {name: a-avail, objective: 99}\n- apiVersion: openslo/v1\n  kind: Service\n"
      "  metadata: {name: b}\n",
      "list.yaml", {}, m);
  EXPECT_EQ(m.documents_used, 2) << notes(m);
  EXPECT_EQ(m.slos.size(), 1u);
  EXPECT_EQ(m.services.size(), 1u);
}

namespace {

const imp::ImportedService& service(const imp::ImportModel& m, const std::string& name) {
  const auto it = std::find_if(m.services.begin(), m.services.end(),
                               [&](const imp::ImportedService& s) { return s.name == name; });
  if (it == m.services.end()) throw std::runtime_error("no service " + name);
  return *it;
}

const imp::ImportedTeam& team(const imp::ImportModel& m, const std::string& name) {
  const auto it = std::find_if(m.teams.begin(), m.teams.end(),
                               [&](const imp::ImportedTeam& t) { return t.name == name; });
  if (it == m.teams.end()) throw std::runtime_error("no team " + name);
  return *it;
}

const char* const kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: payments-deploy, labels: {app.kubernetes.io/name: payments}}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: payments}}
  template:
    metadata: {labels: {app.kubernetes.io/name: payments}}
    spec: {containers: [{name: app, image: x}]}
)";
const char* const kPdb = R"(apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: payments-pdb}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app.kubernetes.io/name: payments}}
)";
const char* const kHpa = R"(apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: payments-hpa}
spec:
  scaleTargetRef: {kind: Deployment, name: payments-deploy}
  minReplicas: 2
  maxReplicas: 6
)";

}  // namespace

// A PDB names its target by app label, an HPA by the Deployment's name: in
// every reading order both join the Deployment, which keeps its name.
TEST(ImportJoin, PdbAndHpaJoinTheirTargetInAnyOrder) {
  const std::vector<std::pair<const char*, const char*>> docs = {
      {"deploy.yaml", kDeployment}, {"pdb.yaml", kPdb}, {"hpa.yaml", kHpa}};
  std::vector<int> order = {0, 1, 2};
  do {
    imp::ImportModel m;
    std::string seq;
    for (const int i : order) {
      imp::read_text(docs[i].second, docs[i].first, {}, m);
      seq += std::string(docs[i].first) + " ";
    }
    imp::join_import(m, {});
    ASSERT_EQ(m.services.size(), 1u) << seq << notes(m);
    const imp::ImportedService& s = m.services[0];
    EXPECT_EQ(s.name, "payments-deploy") << seq;
    EXPECT_EQ(s.origin.file, "deploy.yaml") << seq;
    ASSERT_TRUE(s.replicas);
    EXPECT_EQ(s.replicas->value, 2);
    ASSERT_TRUE(s.hpa_max);
    EXPECT_EQ(s.hpa_max->value, 6);
    ASSERT_TRUE(s.pdb_max_unavailable);
    EXPECT_EQ(s.pdb_max_unavailable->value, 1);
    EXPECT_EQ(s.pdb_max_unavailable->origin.text(), "pdb.yaml:5 spec.maxUnavailable");
    for (const char* alias : {"payments", "payments-pdb", "payments-hpa"}) {
      EXPECT_NE(std::find(s.aliases.begin(), s.aliases.end(), alias), s.aliases.end())
          << alias << " in " << seq;
    }
  } while (std::next_permutation(order.begin(), order.end()));
}

// An escalation policy arrives as a team named after the schedule its first
// rule pages: it joins that schedule's team (before or after it), its second
// rule's schedule is the escalation target, its services the team's.
TEST(ImportJoin, EscalationPolicyJoinsTheScheduleItPages) {
  const std::string schedules = R"({"schedules": [
  {"id": "PS1", "name": "shop-oncall", "time_zone": "Europe/Berlin",
   "schedule_layers": [{"start": "2026-01-05T10:00:00+01:00",
     "rotation_virtual_start": "2026-01-05T10:00:00+01:00", "rotation_turn_length_seconds": 604800,
     "users": [{"user": {"id": "U1"}}, {"user": {"id": "U2"}}, {"user": {"id": "U3"}}]}]},
  {"id": "PS2", "name": "platform-oncall",
   "schedule_layers": [{"start": "2026-01-05T10:00:00Z", "rotation_virtual_start": "2026-01-05T10:00:00Z",
     "rotation_turn_length_seconds": 86400, "users": [{"user": {"id": "U4"}}]}]}]})";
  const std::string policy = R"({"escalation_policy": {"id": "PP1", "name": "Shop escalation",
  "num_loops": 1,
  "escalation_rules": [
    {"escalation_delay_in_minutes": 10, "targets": [{"id": "PS1", "type": "schedule_reference", "summary": "Shop On-Call"}]},
    {"escalation_delay_in_minutes": 20, "targets": [{"id": "PS2", "type": "schedule_reference", "summary": "platform-oncall"}]},
    {"escalation_delay_in_minutes": 20, "targets": [{"id": "PU9", "type": "user_reference", "summary": "Nobody"}]}],
  "services": [{"id": "PSVC", "summary": "checkout"}]}})";
  for (const bool policy_first : {false, true}) {
    imp::ImportModel m;
    if (policy_first) imp::read_text(policy, "policy.json", {}, m);
    imp::read_text(schedules, "schedules.json", {}, m);
    if (!policy_first) imp::read_text(policy, "policy.json", {}, m);
    imp::read_text(
        "version: prometheus/v1\nservice: checkout\nslos:\n  - name: avail\n"
        "    objective: 99.9\n    sli: {raw: {error_ratio_query: x}}\n"
        "    alerting: {page_alert: {disable: true}, ticket_alert: {disable: true}}\n",
        "sloth.yaml", {}, m);
    imp::join_import(m, {});
    ASSERT_EQ(m.teams.size(), 2u) << notes(m);
    // Named by the schedule (its name, not the policy's "Shop On-Call" summary).
    const imp::ImportedTeam& t = team(m, "shop-oncall");
    EXPECT_EQ(t.origin.file, "schedules.json");
    ASSERT_TRUE(t.members);
    EXPECT_EQ(t.members->value, 3);
    ASSERT_EQ(t.escalation.size(), 1u) << notes(m);  // the person is left out, with a note
    EXPECT_EQ(t.escalation[0].to, "platform-oncall");
    EXPECT_DOUBLE_EQ(t.escalation[0].after_s, 600.0);
    ASSERT_TRUE(t.escalation_loops);
    EXPECT_EQ(t.escalation_loops->value, 1);
    EXPECT_EQ(t.owns, std::vector<std::string>{"checkout"});
    ASSERT_TRUE(t.time_zone);
    EXPECT_EQ(t.time_zone->value, "Europe/Berlin");
    EXPECT_NE(notes(m).find("escalates to 'Nobody'"), std::string::npos) << notes(m);
  }
}

// Backstage: providesApis/consumesApis become a hard dependency on the
// provider (a missing provider is noted); the System names the System.
TEST(ImportJoin, ConsumedApisBecomeDependenciesAndTheSystemNamesIt) {
  imp::ImportModel m;
  imp::read_text(R"(apiVersion: backstage.io/v1alpha1
kind: System
metadata: {name: shop}
spec: {owner: group:shop}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: web}
spec: {type: service, owner: group:shop, consumesApis: [api:default/cart-api, api:search-api]}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: cart}
spec: {type: service, owner: group:shop, providesApis: [cart-api]}
)",
                 "catalog.yaml", {}, m);
  imp::join_import(m, {});
  const imp::ImportedService& web = service(m, "web");
  ASSERT_EQ(web.depends_on.size(), 1u) << notes(m);
  EXPECT_EQ(web.depends_on[0].target, "cart");
  EXPECT_EQ(web.depends_on[0].type, "hard");
  EXPECT_EQ(web.depends_on[0].origin.text(), "catalog.yaml:9 spec.consumesApis");
  EXPECT_NE(notes(m).find("catalog.yaml:9:79: warning: service 'web' consumes API 'search-api'"),
            std::string::npos)
      << notes(m);
  const imp::EmitResult r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("  name: shop                              # from catalog.yaml:3 "
                        "metadata.name"),
            std::string::npos)
      << r.yaml;
  EXPECT_NE(r.yaml.find("{service: cart, type: hard}     # from catalog.yaml:9 spec.consumesApis"),
            std::string::npos)
      << r.yaml;
  EXPECT_NE(r.yaml.find("  system: shop\n"), std::string::npos);
}

// Facts relsim has no key for are written as comments with their source.
TEST(ImportEmit, FieldsWithoutAKeyAreSourceComments) {
  imp::ImportModel m;
  imp::read_text(kDeployment, "deploy.yaml", {}, m);
  imp::read_text(kPdb, "pdb.yaml", {}, m);
  imp::ImportedService extra;
  extra.name = "payments";
  extra.liveness_s = imp::Sourced<double>{32.0, {"k.yaml", 30, 0, "livenessProbe"}};
  extra.max_surge_fraction = imp::Sourced<double>{0.25, {"k.yaml", 12, 0, "maxSurge"}};
  m.services.push_back(extra);
  imp::ImportedTeam t;
  t.name = "ops";
  t.owns = {"payments"};
  t.coverage = imp::Sourced<double>{0.5, {"pd.json", 8, 0, "restrictions"}};
  t.time_zone = imp::Sourced<std::string>{"Asia/Tokyo", {"pd.json", 4, 0, "time_zone"}};
  m.teams.push_back(t);
  imp::ImportedExperiment e;
  e.name = "kill";
  e.source_format = "litmus";
  e.fault = "podKill";
  e.service = "payments";
  e.origin = {"litmus.yaml", 3, 0, "metadata.name"};
  e.probes = {"check-http (httpProbe, Continuous)"};
  m.experiments.push_back(e);
  imp::join_import(m, {});
  const std::string y = imp::emit_import(m, {}).yaml;
  for (const char* want :
       {"      # PodDisruptionBudget maxUnavailable 1 (from pdb.yaml:5 spec.maxUnavailable)",
        "      # liveness probe detects a hung container after 32s (from k.yaml:30 livenessProbe)",
        "      # maxSurge 25% (from k.yaml:12 maxSurge): no System key",
        "      # on call 50% of the week (from pd.json:8 restrictions)",
        "      # time zone Asia/Tokyo (from pd.json:4 time_zone)",
        "  # probe check-http (httpProbe, Continuous) (from litmus.yaml:3 metadata.name)"}) {
    EXPECT_NE(y.find(want), std::string::npos) << want << "\n" << y;
  }
  const auto docs = relsim::models::load_string(imp::emit_import(m, {}).yaml, "comments.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  EXPECT_EQ(docs.game_days.size(), 1u);
}

// --map renames a team too: its schedule, the owner naming it, the steps to it.
TEST(ImportJoin, MapRenamesATeamEverywhere) {
  imp::ImportOptions o;
  o.renames = {{"shop-oncall", "shop"}};
  imp::ImportModel m;
  imp::read_text(R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: web}
spec: {type: service, owner: group:shop-oncall}
)",
                 "catalog.yaml", o, m);
  imp::read_text(R"({"schedule": {"id": "PS1", "name": "shop-oncall",
  "schedule_layers": [{"start": "2026-01-05T10:00:00Z", "rotation_virtual_start": "2026-01-05T10:00:00Z",
    "rotation_turn_length_seconds": 604800, "users": [{"user": {"id": "U1"}}, {"user": {"id": "U2"}}]}]}})",
                 "pd.json", o, m);
  imp::join_import(m, o);
  ASSERT_EQ(m.teams.size(), 1u) << notes(m);
  EXPECT_EQ(m.teams[0].name, "shop");
  ASSERT_TRUE(service(m, "web").owner);
  EXPECT_EQ(service(m, "web").owner->value, "shop");
  const std::string y = imp::emit_import(m, o).yaml;
  EXPECT_NE(y.find("      owns: [web]\n"), std::string::npos) << y;
  EXPECT_EQ(y.find("shop-oncall"), std::string::npos) << y;
}

// Shapes of files the projects publish (their examples and API samples),
// written for these tests in tests/import/fixtures/upstream-shapes/.

TEST(ImportSloth, PageAndTicketForAndAnSliPlugin) {
  const auto m = import_files({"upstream-shapes/sloth-alert-for.yaml"});
  // The page and ticket windows carry their severity's `for`; the emitter
  // writes each `for` as an alert of its own.
  expect_windows(alert(m, "LedgerWritesBurn"), {{"page", 14.4, 3600, 300, 180},
                                                {"page", 6, 21600, 1800, 180},
                                                {"ticket", 3, 86400, 7200, 1200},
                                                {"ticket", 1, 259200, 21600, 1200}});
  expect_windows(alert(m, "LedgerReadsBurn"),
                 {{"page", 14.4, 3600, 300, 0}, {"page", 6, 21600, 1800, 0}});
  EXPECT_EQ(slo(m, "reads-availability").sli, "availability");
  EXPECT_NE(notes(m).find("sloth-alert-for.yaml:27:9: note: an SLI plugin builds the queries"),
            std::string::npos)
      << notes(m);
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("    - name: LedgerWritesBurn-for-20m"), std::string::npos) << r.yaml;
  EXPECT_NE(r.yaml.find("      for: 3m "), std::string::npos) << r.yaml;
  (void)relsim::models::load_string(r.yaml, "sloth-for.yaml");
}

TEST(ImportPyrra, ATierThatCanNeverFireOnALowTargetIsLeftOut) {
  const auto m = import_files({"upstream-shapes/pyrra-low-target.yaml"});
  // 92 %: the 14x tier needs 112 % of requests to fail.
  expect_windows(alert(m, "search-latency-ErrorBudgetBurn"), {{"page", 7, 21600, 1800, 900},
                                                              {"ticket", 2, 86400, 7200, 3600},
                                                              {"ticket", 1, 345600, 21600, 10800}});
  EXPECT_NE(notes(m).find("pyrra-low-target.yaml:10:11: warning: alert "
                          "'search-latency-ErrorBudgetBurn': the window of factor 14 over 1h "
                          "can never fire on SLO 'search-latency' (its error budget is 8 %, so it "
                          "needs an error ratio of 112 %); the window was left out"),
            std::string::npos)
      << notes(m);
}

TEST(ImportOpenSlo, QuarterWindowsAMinuteWindowAndALowerThanCondition) {
  const auto m = import_files({"upstream-shapes/openslo-shapes.yaml"});
  const auto& quarter = slo(m, "export-quarterly");
  ASSERT_TRUE(quarter.window_s);
  EXPECT_DOUBLE_EQ(quarter.window_s->value, 90 * 86400.0);
  EXPECT_FALSE(quarter.calendar_month);
  const auto& contract = slo(m, "export-contract");
  ASSERT_TRUE(contract.window_s);
  EXPECT_DOUBLE_EQ(contract.window_s->value, 60.0);  // 1m is a minute, with a warning
  const std::string n = notes(m);
  EXPECT_NE(n.find("openslo-shapes.yaml:12:19: note: a calendar 1Q window"), std::string::npos)
      << n;
  EXPECT_NE(n.find("openslo-shapes.yaml:30:19: warning: a window of 1m is 1m"), std::string::npos)
      << n;
  EXPECT_NE(n.find("openslo-shapes.yaml:67:11: warning: expected op gt or gte"), std::string::npos)
      << n;
  // Only the `op: gt` condition is a window of the policy.
  expect_windows(alert(m, "export-paging"), {{"page", 10, 3600, 0, 300}});
}

TEST(ImportJoin, TwoPoliciesPagingOneServiceKeepOne) {
  const auto m = import_files(
      {"upstream-shapes/pagerduty-services.json", "upstream-shapes/pagerduty-billing-policy.json"});
  std::size_t owners = 0;
  for (const imp::ImportedTeam& t : m.teams) {
    owners += static_cast<std::size_t>(std::count(t.owns.begin(), t.owns.end(), "invoicing"));
  }
  EXPECT_EQ(owners, 1u) << notes(m);
  EXPECT_NE(notes(m).find("relsim pages one team per service: kept '"), std::string::npos)
      << notes(m);
  const auto r = imp::emit_import(m, {});
  const auto docs = relsim::models::load_string(r.yaml, "pd.yaml");
  ASSERT_EQ(docs.systems.size(), 1u);
  EXPECT_EQ(docs.systems[0].services.size(), 2u);
}

TEST(ImportLoad, ARenderedChartsOtherKindsAreNotesNotWarnings) {
  const auto m = import_files({"upstream-shapes/k8s-rendered-chart.yaml"});
  EXPECT_EQ(m.documents_used, 1);
  EXPECT_EQ(m.services.size(), 1u);
  for (const char* kind : {"ServiceAccount", "ConfigMap", "Ingress", "CronJob", "ServiceMonitor"}) {
    EXPECT_NE(notes(m).find(std::string("note: kind ") + kind + " holds nothing relsim reads"),
              std::string::npos)
        << kind << "\n"
        << notes(m);
  }
  EXPECT_TRUE(std::none_of(m.notes.begin(), m.notes.end(), [](const imp::ImportNote& n) {
    return n.level != imp::ImportNote::Level::note;
  })) << notes(m);
}

TEST(ImportJoin, ExperimentsMissingWhatTheirFaultNeedsAreLeftOut) {
  const auto m = import_files(
      {"upstream-shapes/chaos/workloads.yaml", "upstream-shapes/chaos/experiments.yaml"});
  std::vector<std::string> names;
  for (const imp::ImportedExperiment& e : m.experiments) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"kill-a-basket", "keep-killing-pricing",
                                             "old-drill/bursts"}));
  const std::string n = notes(m);
  EXPECT_NE(n.find("experiments.yaml:70:13: warning: experiment 'old-drill/nobody' "
                   "(capacityLoss): the file gives no service"),
            std::string::npos)
      << n;
  EXPECT_NE(n.find("experiments.yaml:34:9: warning: experiment 'slow-basket-to-pricing' "
                   "(networkLatency) acts on calls from 'basket' to 'pricing', but no file read "
                   "says that 'basket' depends on 'pricing'"),
            std::string::npos)
      << n;
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("    duration: 10m                         # assumed: the kills repeat "
                        "every 45s until the Schedule is deleted"),
            std::string::npos)
      << r.yaml;
  EXPECT_TRUE(std::any_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "gameDay.keep-killing-pricing.experiment.duration" && v.value == "10m";
  }));
  const auto docs = relsim::models::load_string(r.yaml, "chaos.yaml");
  EXPECT_EQ(docs.game_days.size(), 3u);
}

TEST(ImportEmit, AWorkloadWithoutReplicasRunsOnePodUnlessAnAutoscalerSaysOtherwise) {
  imp::ImportModel m;
  imp::read_text(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
      "    spec: {containers: [{name: web}]}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
      "  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n"
      "    spec: {containers: [{name: api}]}\n---\n"
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\n"
      "spec:\n  scaleTargetRef: {kind: Deployment, name: api}\n  minReplicas: 3\n"
      "  maxReplicas: 9\n",
      "apps.yaml", {}, m);
  imp::join_import(m, {});
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("      replicas: 1                         # from apps.yaml:5 "
                        "spec.replicas (absent: Kubernetes runs 1 pod)"),
            std::string::npos)
      << r.yaml;
  EXPECT_NE(
      r.yaml.find("      replicas: 3                         # from apps.yaml:24 spec.minReplicas"),
      std::string::npos)
      << r.yaml;
  EXPECT_TRUE(std::none_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "services.web.replicas" || v.path == "services.api.replicas";
  }));
}

TEST(ImportPyrra, DynamicBurnRatesAreReadWithTheirStaticFactorsAndSaySo) {
  const auto m = import_files({"upstream-shapes/pyrra-dynamic.yaml"});
  const auto& s = slo(m, "checkout-latency-dynamic");
  EXPECT_EQ(s.sli, "latency");
  EXPECT_EQ(s.service, "checkout");
  ASSERT_TRUE(s.threshold_s);
  EXPECT_DOUBLE_EQ(s.threshold_s->value, 0.3);
  expect_windows(alert(m, "checkout-latency-dynamic-CheckoutLatencyBurn"),
                 {{"page", 14, 3600, 300, 120},
                  {"page", 7, 21600, 1800, 900},
                  {"ticket", 2, 86400, 7200, 3600},
                  {"ticket", 1, 345600, 21600, 10800}});
  EXPECT_NE(notes(m).find("pyrra-dynamic.yaml:19:19: note: dynamic burn rates: Pyrra scales each "
                          "tier's factor"),
            std::string::npos)
      << notes(m);
}

TEST(ImportPrometheusRules, GroupLabelsApplyToEveryRuleAndKeepFiringForIsNoted) {
  imp::ImportModel m =
      imp::read_inputs({kFixtures + "upstream-shapes/prometheus-group-labels.yaml"}, {});
  const auto& p99 = alert(m, "PaymentsSlowP99");
  EXPECT_EQ(p99.team, "payments-oncall");  // the group's label
  EXPECT_EQ(p99.route, "page");            // the group's severity: critical
  EXPECT_EQ(p99.service, "payments");
  EXPECT_DOUBLE_EQ(p99.latency_above_s.value_or(0), 0.8);
  EXPECT_DOUBLE_EQ(p99.latency_percentile, 0.99);
  EXPECT_DOUBLE_EQ(p99.for_s, 600.0);
  const auto& p90 = alert(m, "PaymentsSlowP90");
  EXPECT_EQ(p90.team, "payments-oncall");
  EXPECT_EQ(p90.route, "ticket");  // the rule's own severity wins
  EXPECT_DOUBLE_EQ(p90.for_s, 1800.0);
  const std::string n = notes(m);
  EXPECT_NE(n.find("prometheus-group-labels.yaml:13:26: note: alert 'PaymentsSlowP99': "
                   "keep_firing_for 15m is not kept"),
            std::string::npos)
      << n;
  EXPECT_NE(n.find("prometheus-group-labels.yaml:20:15: warning: alert 'PaymentsTargetDown': "
                   "expected a burn rate"),
            std::string::npos)
      << n;
}

TEST(ImportEmit, ABackstageGroupsPeopleSizeTheTeamThatOwnsItsComponents) {
  const auto m = import_files({"upstream-shapes/backstage-org.yaml"});
  ASSERT_EQ(m.catalog_groups.size(), 4u);  // the Group, ann's and carl's two memberOf
  const auto r = imp::emit_import(m, {});
  // ann (both ways), bob, carl: three people.
  EXPECT_NE(r.yaml.find("      members: 3                          # from " + kFixtures +
                        "upstream-shapes/backstage-org.yaml:7 Backstage group 'platform': 3 "
                        "people (Group spec.members, User spec.memberOf)"),
            std::string::npos)
      << r.yaml;
  EXPECT_TRUE(std::none_of(r.assumed.begin(), r.assumed.end(), [](const imp::AssumedValue& v) {
    return v.path == "teams.platform.members";
  }));
  EXPECT_EQ(notes(m).find("kind User holds nothing"), std::string::npos) << notes(m);
}

TEST(ImportOpenSlo, TheV2AlphaApiIsReadAsV1) {
  const auto m = import_files({"upstream-shapes/openslo-v2alpha.yaml"});
  const auto& s = slo(m, "orders-availability");
  EXPECT_EQ(s.service, "orders");
  ASSERT_TRUE(s.objective && s.window_s);
  EXPECT_DOUBLE_EQ(s.objective->value, 0.999);
  EXPECT_DOUBLE_EQ(s.window_s->value, 28 * 86400.0);
  expect_windows(alert(m, "orders-paging"), {{"page", 14, 3600, 0, 120}});
  EXPECT_EQ(notes(m).find("warning"), std::string::npos) << notes(m);
}

TEST(ImportJoin, AThirdFilesAlertJoinsTheRenamedAlertOfItsSlo) {
  const auto m = import_files({"upstream-shapes/sloth-repeated/a-search.yaml",
                               "upstream-shapes/sloth-repeated/b-orders.yaml",
                               "upstream-shapes/sloth-repeated/c-orders-k8s.yaml"});
  ASSERT_EQ(m.alerts.size(), 2u) << notes(m);
  EXPECT_EQ(alert(m, "HighErrorRate").slo, "queries-availability");
  // orders' alert was renamed once; the Kubernetes form joins it, and its
  // missing `for` is a disagreement (the first file read wins), not a
  // second set of windows.
  const auto& orders = alert(m, "HighErrorRate-requests-availability");
  expect_windows(orders, {{"page", 14.4, 3600, 300, 300},
                          {"page", 6, 21600, 1800, 300},
                          {"ticket", 3, 86400, 7200, 0},
                          {"ticket", 1, 259200, 21600, 0}});
  EXPECT_NE(notes(m).find("c-orders-k8s.yaml:16:9: warning: alert "
                          "'HighErrorRate-requests-availability' window 14.4x over 1h: for is 0s "
                          "here but 5m in "),
            std::string::npos)
      << notes(m);
  const auto r = imp::emit_import(m, {});
  const auto docs = relsim::models::load_string(r.yaml, "repeated.yaml");
  ASSERT_EQ(docs.alert_rules.size(), 1u);
}

TEST(ImportEmit, AScaleUpStabilizationWindowAddsToTheDefaultReactionTime) {
  // The Kubernetes documentation's walkthrough HPA: scaleUp
  // stabilizationWindowSeconds 0 is no stabilization, not an instant
  // scale-up; relsim's 2m of metric delay and scheduling remain.
  imp::ImportModel m;
  imp::read_text(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"
      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
      "    spec: {containers: [{name: web}]}\n---\n"
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
      "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 2\n"
      "  maxReplicas: 8\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n"
      "      target: {type: Utilization, averageUtilization: 60}\n  behavior:\n"
      "    scaleUp:\n      stabilizationWindowSeconds: 0\n",
      "hpa.yaml", {}, m);
  imp::join_import(m, {});
  const auto r = imp::emit_import(m, {});
  EXPECT_NE(r.yaml.find("        reactionTime: 2m                  # from hpa.yaml:25 "
                        "spec.behavior.scaleUp.stabilizationWindowSeconds (0s) + 2m, relsim's "
                        "default metric delay and scheduling"),
            std::string::npos)
      << r.yaml;
}
