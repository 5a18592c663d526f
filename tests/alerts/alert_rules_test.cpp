// The closed forms of alert rules against the numbers the SRE workbook's
// "Alerting on SLOs" chapter states (chapter 5, sre.google/workbook/
// alerting-on-slos; quoted next to each check), the window scaling, and the
// exported Prometheus and Sloth YAML against the documented structure of
// each (parsed back with yaml-cpp).
#include "analysis/alert_rules.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/alert_export.hpp"
#include "analysis/alert_report.hpp"

namespace relsim::analysis {
namespace {

using models::AlertRoute;
using sim::Duration;

const Duration k30d = Duration::days(30);

RuleSet preset(const std::string& name, Duration period = k30d) {
  for (RuleSet& s : workbook_presets("slo", period, Duration::minutes(1))) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no preset " << name;
  return {};
}

FireTiming page(const std::string& name, double error, double objective = 0.999,
                Duration period = k30d) {
  return fire_timing(pairs_of(preset(name, period), AlertRoute::page), error, 0.0, objective,
                     period);
}

TEST(AlertRules, PresetsAreTheSixApproachesInOrder) {
  const auto sets = workbook_presets("slo", k30d, Duration::minutes(1));
  ASSERT_EQ(sets.size(), 6U);
  for (std::size_t k = 0; k < sets.size(); ++k) EXPECT_EQ(sets[k].name, preset_names()[k]);
  // Approach 2: 5 % of a 30-day budget at the SLO's own ratio is a 36-hour window.
  EXPECT_EQ(sets[1].alerts[0].burn_windows[0].long_window, Duration::hours(36));
  // Approach 4: "Five percent of a 30-day error budget spend over one hour
  // requires a burn rate of 36."
  EXPECT_DOUBLE_EQ(sets[3].alerts[0].burn_windows[0].factor, 36.0);
  // Table 5-8: 14.4 over 1 h / 5 min, 6 over 6 h / 30 min; the printed
  // ticket rules 3 over 24 h / 2 h and 1 over 3 d / 6 h.
  const auto& w = sets[5].alerts[0].burn_windows;
  ASSERT_EQ(w.size(), 4U);
  EXPECT_NEAR(w[0].factor, 14.4, 1e-12);
  EXPECT_EQ(w[0].short_window, Duration::minutes(5));
  EXPECT_NEAR(w[1].factor, 6.0, 1e-12);
  EXPECT_EQ(w[1].short_window, Duration::minutes(30));
  EXPECT_NEAR(w[2].factor, 3.0, 1e-12);
  EXPECT_EQ(w[2].severity, AlertRoute::ticket);
  EXPECT_NEAR(w[3].factor, 1.0, 1e-12);
  EXPECT_EQ(w[3].long_window, Duration::days(3));
  EXPECT_EQ(w[3].short_window, Duration::hours(6));
}

TEST(AlertRules, Approach1DetectsATotalOutageIn0Point6Seconds) {
  // "Detection time is good: 0.6 seconds for a total outage." and "A 0.1 %
  // error rate for 10 minutes would alert, while consuming only 0.02 % of the
  // monthly error budget."
  const FireTiming t = page("errorRatio10m", 1.0);
  ASSERT_TRUE(t.fires);
  EXPECT_NEAR(t.condition_seconds, 0.6, 1e-9);
  EXPECT_NEAR(t.fire_seconds, 60.0, 1e-9);  // the first 1-minute tick after it
  EXPECT_NEAR(share_of_factor(1.0, Duration::minutes(10), k30d), 0.000231, 1e-6);
  const FireTiming slow = page("errorRatio10m", 0.001);
  ASSERT_TRUE(slow.fires);
  EXPECT_NEAR(slow.condition_seconds, 600.0, 1e-9);
  EXPECT_NEAR(slow.budget_at_fire, 0.000231, 1e-6);
  // "up to 144 alerts per day": one per 10-minute window.
  EXPECT_EQ(Duration::days(1).count_micros() / Duration::minutes(10).count_micros(), 144);
}

TEST(AlertRules, Approach2DetectsIn2Min10sAndKeepsFiring36Hours) {
  // "Detection time is still good: 2 minutes and 10 seconds for a complete
  // outage." "...an alert will fire shortly after 2 minutes, and continue to
  // fire for the next 36 hours."
  const FireTiming t = page("errorRatioLong", 1.0);
  ASSERT_TRUE(t.fires);
  EXPECT_NEAR(t.condition_seconds, 129.6, 1e-9);                    // 2 min 9.6 s
  EXPECT_NEAR(t.reset_seconds, 36 * 3600.0 * (1.0 - 0.001), 1e-6);  // 35.96 h
}

TEST(AlertRules, Approach3TakesAnHourWhateverTheSeverity) {
  // "a 100 % outage alerts after one hour, the same detection time as a
  // 0.2 % outage. The 100 % outage would consume 140 % of the 30-day budget
  // in that hour."
  const FireTiming total = page("errorRatioFor1h", 1.0);
  const FireTiming small = page("errorRatioFor1h", 0.002);
  ASSERT_TRUE(total.fires && small.fires);
  EXPECT_NEAR(total.fire_seconds, 3600.0 + 60.0, 1e-9);  // the tick after 0.06 s, then 1 h
  EXPECT_NEAR(small.fire_seconds, total.fire_seconds, 1e-9);
  EXPECT_NEAR(1.0 * 3600.0 / (0.001 * k30d.to_seconds()), 1.39, 0.01);
  // "100 % error spikes lasting 5 minutes every 10 minutes ... consuming 35 %
  // of the error budget"; "each spike consumed almost 12 %".
  EXPECT_NEAR(300.0 / (0.001 * k30d.to_seconds()), 0.1157, 1e-4);
  EXPECT_NEAR(3 * 300.0 / (0.001 * k30d.to_seconds()), 0.347, 1e-3);
}

TEST(AlertRules, Approach4ResetsIn58MinutesAndMissesA35xBurn) {
  // "Better reset time: 58 minutes." "A 35x burn rate never alerts, but
  // consumes all of the 30-day error budget in 20.5 hours."
  const FireTiming t = page("burnRate1h", 1.0);
  ASSERT_TRUE(t.fires);
  EXPECT_NEAR(t.reset_seconds / 60.0, 57.84, 1e-9);
  EXPECT_NEAR(t.condition_seconds, 129.6, 1e-9);
  EXPECT_NEAR(t.condition_seconds * 1.0 / (0.001 * k30d.to_seconds()), 0.05, 1e-12);
  const FireTiming b35 = page("burnRate1h", 0.035);
  EXPECT_FALSE(b35.fires);
  EXPECT_NE(b35.reason.find("below the threshold"), std::string::npos) << b35.reason;
  EXPECT_NEAR(720.0 / 35.0, 20.57, 0.01);
}

TEST(AlertRules, Approach5PagesAt2And5PercentAndTicketsAt10) {
  const RuleSet s = preset("multiBurnRate");
  const auto pages = pairs_of(s, AlertRoute::page);
  const auto tickets = pairs_of(s, AlertRoute::ticket);
  ASSERT_EQ(pages.size(), 2U);
  ASSERT_EQ(tickets.size(), 1U);
  EXPECT_NEAR(share_of_factor(pages[0].factor, pages[0].long_window, k30d), 0.02, 1e-12);
  EXPECT_NEAR(share_of_factor(pages[1].factor, pages[1].long_window, k30d), 0.05, 1e-12);
  EXPECT_NEAR(share_of_factor(tickets[0].factor, tickets[0].long_window, k30d), 0.10, 1e-12);
  // A 1x burn only tickets, after the 3-day window filled.
  const FireTiming t = fire_timing(tickets, 0.001, 0.0, 0.999, k30d);
  ASSERT_TRUE(t.fires);
  EXPECT_NEAR(t.condition_seconds, 3 * 86'400.0, 1e-6);
  EXPECT_FALSE(fire_timing(pages, 0.001, 0.0, 0.999, k30d).fires);
}

TEST(AlertRules, Approach6FiresAfter5MinutesAndStops5MinutesAfter) {
  // Figure 5-6: "After experiencing 15 % errors for 10 minutes, ... the long
  // window average goes over the threshold after 5 minutes, at which point
  // the alert starts firing. The short window average drops below the
  // threshold 5 minutes after the errors stop". Exactly: 60 min × 0.0144 /
  // 0.15 = 5.76 min, and 5 min × (1 − 0.096) = 4.52 min (the 6 h pair needs
  // 14.4 min of 15 % and does not fire in 10).
  const auto pages = pairs_of(preset("multiwindow"), AlertRoute::page);
  FireTiming t = fire_timing({pages[0]}, 0.15, 0.0, 0.999, k30d);
  ASSERT_TRUE(t.fires);
  EXPECT_NEAR(t.condition_seconds / 60.0, 5.76, 1e-9);
  EXPECT_NEAR(t.reset_seconds / 60.0, 4.52, 1e-9);
  t = fire_timing({pages[1]}, 0.15, 0.0, 0.999, k30d);
  EXPECT_NEAR(t.condition_seconds / 60.0, 14.4, 1e-9);  // > 10 min: not part of the 10-minute event
  // The long window alone: 60 × (1 − 0.096) = 54.2 min ("60 minutes" in the figure).
  RulePair long_only = pages[0];
  long_only.short_window = long_only.long_window;
  EXPECT_NEAR(fire_timing({long_only}, 0.15, 0.0, 0.999, k30d).reset_seconds / 60.0, 54.24, 1e-9);
}

TEST(AlertRules, ALowObjectiveMakesTheFastPageImpossible) {
  // "consider a service that has a 90 % availability target ... Because a
  // 100 % outage consumes only 1.4 % of the budget in that hour, this alert
  // could never fire."
  const auto pages = pairs_of(preset("multiwindow"), AlertRoute::page);
  const auto why = never_fires(pages[0], 0.90);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("144 %"), std::string::npos) << *why;
  EXPECT_NEAR(3600.0 / (0.1 * k30d.to_seconds()), 0.0139, 1e-4);
  EXPECT_FALSE(never_fires(pages[1], 0.90).has_value());  // 6x: 60 % is reachable
  const FireTiming t = fire_timing({pages[0]}, 1.0, 0.0, 0.90, k30d);
  EXPECT_FALSE(t.fires);
  EXPECT_NE(t.reason.find("cannot fire"), std::string::npos);
  // "A 100 % outage for a service with a target monthly availability of
  // 99.999 % would exhaust its budget in 26 seconds".
  EXPECT_NEAR(k30d.to_seconds() * 1e-5, 25.92, 1e-9);
}

TEST(AlertRules, LowTrafficArithmeticOfTheChapter) {
  // "if a system receives 10 requests per hour, then a single failed request
  // results in an hourly error rate of 10 %. For a 99.9 % SLO, this request
  // constitutes a 1,000x burn rate and would page immediately, as it consumed
  // 13.9 % of the 30-day error budget." The ratio is 10 % / 0.1 % = 100x (the
  // text's 1,000x is off by ten); the 13.9 % holds.
  const double requests = 10.0 * 720.0;
  EXPECT_NEAR(0.1 / 0.001, 100.0, 1e-12);
  EXPECT_NEAR(1.0 / (0.001 * requests), 0.139, 1e-3);
  EXPECT_NEAR(0.001 * requests, 7.2, 1e-12);  // "only seven failed requests in 30 days"
}

TEST(AlertRules, WindowsOtherThan30DaysKeepTheirBudgetShares) {
  // 28 days: 2 % in 1 h is 13.44x, 5 % in 6 h 5.6x, 10 % in 3 d 0.933x.
  const Duration d28 = Duration::days(28), d7 = Duration::days(7);
  EXPECT_NEAR(factor_for_share(0.02, Duration::hours(1), d28), 13.44, 1e-12);
  EXPECT_NEAR(factor_for_share(0.05, Duration::hours(6), d28), 5.6, 1e-12);
  EXPECT_NEAR(factor_for_share(0.10, Duration::days(3), d28), 0.9333333, 1e-6);
  const auto pages = pairs_of(preset("multiwindow", d7), AlertRoute::page);
  EXPECT_NEAR(pages[0].factor, 3.36, 1e-12);
  EXPECT_NEAR(share_of_factor(pages[0].factor, pages[0].long_window, d7), 0.02, 1e-12);
  // Unscaled, 14.4x over 1 h on a 7-day SLO spends 8.57 % of its budget.
  EXPECT_NEAR(share_of_factor(14.4, Duration::hours(1), d7), 0.0857, 1e-4);
  const auto notes = scaling_notes(d7);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes[0].find("8.57 %"), std::string::npos) << notes[0];
  EXPECT_TRUE(scaling_notes(k30d).empty());
  // Approach 2's window is 5 % of the SLO window: 8.4 h for 7 days.
  EXPECT_EQ(preset("errorRatioLong", d7).alerts[0].burn_windows[0].long_window,
            Duration::seconds(30240));
}

TEST(AlertRules, ABaselineBelowTheThresholdDelaysDetection) {
  // With a baseline ratio e0 the window fills from e0: t = W (θ − e0) / (e − e0).
  const auto pages = pairs_of(preset("burnRate1h"), AlertRoute::page);
  const FireTiming t = fire_timing(pages, 0.1, 0.01, 0.999, k30d);
  EXPECT_NEAR(t.condition_seconds, 3600.0 * (0.036 - 0.01) / (0.1 - 0.01), 1e-9);
  const FireTiming held = fire_timing(pages, 0.1, 0.05, 0.999, k30d);
  EXPECT_EQ(held.condition_seconds, 0.0);
  EXPECT_TRUE(std::isinf(held.reset_seconds));
}

TEST(AlertRules, DefaultErrorRatiosStopAt100Percent) {
  const auto e = default_error_ratios(0.999);
  EXPECT_DOUBLE_EQ(e.front(), 0.001);
  EXPECT_DOUBLE_EQ(e.back(), 1.0);
  for (double v : default_error_ratios(0.9)) EXPECT_LE(v, 1.0);
}

// ---------------------------------------------------------------- exports

AlertExportTarget target() {
  AlertExportTarget t;
  t.slo = "payment-availability";
  t.service = "payment-api";
  t.objective = 0.999;
  return t;
}

TEST(AlertExport, PrometheusRuleFileHasRecordingAndAlertingGroups) {
  const YAML::Node doc = YAML::Load(prometheus_rules(preset("multiwindow"), target()));
  ASSERT_TRUE(doc["groups"].IsSequence());
  ASSERT_EQ(doc["groups"].size(), 2U);
  std::set<std::string> recorded;
  for (const auto& rule : doc["groups"][0]["rules"]) {
    ASSERT_TRUE(rule["record"].IsScalar());
    ASSERT_TRUE(rule["expr"].IsScalar());
    EXPECT_FALSE(rule["alert"].IsDefined());
    EXPECT_EQ(rule["labels"]["slo"].as<std::string>(), "payment-availability");
    recorded.insert(rule["record"].as<std::string>());
  }
  // 5m, 30m, 1h, 2h, 6h, 24h, 3d.
  EXPECT_EQ(recorded.size(), 7U);
  EXPECT_TRUE(recorded.count("slo:sli_error:ratio_rate5m"));
  EXPECT_TRUE(recorded.count("slo:sli_error:ratio_rate3d"));
  std::set<std::string> severities;
  for (const auto& rule : doc["groups"][1]["rules"]) {
    ASSERT_TRUE(rule["alert"].IsScalar());
    const std::string expr = rule["expr"].as<std::string>();
    severities.insert(rule["labels"]["severity"].as<std::string>());
    EXPECT_FALSE(rule["for"].IsDefined());
    // Every series the alert reads is recorded.
    for (std::size_t at = expr.find("slo:sli_error:ratio_rate"); at != std::string::npos;
         at = expr.find("slo:sli_error:ratio_rate", at + 1)) {
      const std::string name = expr.substr(at, expr.find('{', at) - at);
      EXPECT_TRUE(recorded.count(name)) << name;
    }
    EXPECT_NE(expr.find(" and "), std::string::npos);
    EXPECT_NE(expr.find("\nor "), std::string::npos);
  }
  EXPECT_EQ(severities, (std::set<std::string>{"page", "ticket"}));
  EXPECT_NE(doc["groups"][1]["rules"][0]["expr"].as<std::string>().find("(14.4 * 0.001)"),
            std::string::npos);
}

TEST(AlertExport, PrometheusKeepsForAndSingleWindows) {
  const YAML::Node doc = YAML::Load(prometheus_rules(preset("errorRatioFor1h"), target()));
  const YAML::Node rule = doc["groups"][1]["rules"][0];
  EXPECT_EQ(rule["for"].as<std::string>(), "1h");
  EXPECT_EQ(rule["expr"].as<std::string>().find(" and "), std::string::npos);
  EXPECT_EQ(doc["groups"][0]["rules"].size(), 1U);
}

TEST(AlertExport, PrometheusLatencySliSubtractsTheBucket) {
  AlertExportTarget t = target();
  t.sli = models::SliKind::latency;
  t.latency_threshold_seconds = 0.5;
  const YAML::Node doc = YAML::Load(prometheus_rules(preset("burnRate1h"), t));
  const std::string expr = doc["groups"][0]["rules"][0]["expr"].as<std::string>();
  EXPECT_NE(expr.find("le=\"0.5\""), std::string::npos) << expr;
}

TEST(AlertExport, SlothSpecAndAlertWindows) {
  const std::vector<YAML::Node> docs =
      YAML::LoadAll(sloth_spec(preset("multiwindow", Duration::days(7)), [] {
        AlertExportTarget t = target();
        t.period = Duration::days(7);
        return t;
      }()));
  ASSERT_EQ(docs.size(), 2U);
  const YAML::Node& spec = docs[0];
  EXPECT_EQ(spec["version"].as<std::string>(), "prometheus/v1");
  EXPECT_EQ(spec["service"].as<std::string>(), "payment-api");
  const YAML::Node slo = spec["slos"][0];
  EXPECT_EQ(slo["name"].as<std::string>(), "payment-availability");
  EXPECT_DOUBLE_EQ(slo["objective"].as<double>(), 99.9);
  EXPECT_NE(slo["sli"]["events"]["error_query"].as<std::string>().find("{{.window}}"),
            std::string::npos);
  EXPECT_NE(slo["sli"]["events"]["total_query"].as<std::string>().find("{{.window}}"),
            std::string::npos);
  EXPECT_EQ(slo["alerting"]["page_alert"]["labels"]["severity"].as<std::string>(), "page");
  EXPECT_EQ(slo["alerting"]["ticket_alert"]["labels"]["severity"].as<std::string>(), "ticket");
  const YAML::Node& windows = docs[1];
  EXPECT_EQ(windows["apiVersion"].as<std::string>(), "sloth.slok.dev/v1");
  EXPECT_EQ(windows["kind"].as<std::string>(), "AlertWindows");
  EXPECT_EQ(windows["spec"]["sloPeriod"].as<std::string>(), "7d");
  // The budget shares survive the scaling: 2, 5, 10, 10 %.
  EXPECT_DOUBLE_EQ(windows["spec"]["page"]["quick"]["errorBudgetPercent"].as<double>(), 2.0);
  EXPECT_EQ(windows["spec"]["page"]["quick"]["shortWindow"].as<std::string>(), "5m");
  EXPECT_EQ(windows["spec"]["page"]["quick"]["longWindow"].as<std::string>(), "1h");
  EXPECT_DOUBLE_EQ(windows["spec"]["page"]["slow"]["errorBudgetPercent"].as<double>(), 5.0);
  EXPECT_DOUBLE_EQ(windows["spec"]["ticket"]["quick"]["errorBudgetPercent"].as<double>(), 10.0);
  EXPECT_EQ(windows["spec"]["ticket"]["slow"]["longWindow"].as<std::string>(), "3d");
}

TEST(AlertExport, SlothRefusesWhatItCannotGenerate) {
  try {
    (void)sloth_spec(preset("burnRate1h"), target());
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("two page and two ticket"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)sloth_spec(preset("errorRatioFor1h"), target()), std::invalid_argument);
}

TEST(AlertExport, SelectorsThatWouldBreakPromqlOrYamlAreRefused) {
  // Issue 22: `--selector` went into the rule file and the PromQL as is.
  for (const std::string good :
       {"", "job=\"payments\"", "job=\"a\", code!~\"5..\"", "a_b1 =~ 'x\\'y', c != \"\""}) {
    SCOPED_TRACE(good);
    EXPECT_NO_THROW(check_promql_selector(good));
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"job=\"a\"\n  - record: evil", "at character 8"},  // a line break after the matcher
      {"job=\"a\nb\"", "control character"},
      {"job=\"a\"}) or vector(1", "at character 8"},
      {"job=\"a", "not closed"},
      {"job==\"a\"", "'=='"},
      {"job=a", "a quoted label value expected"},
      {"1job=\"a\"", "a label name expected"},
      {"job=\"a\\\n\"", "control character"},
  };
  for (const auto& [selector, why] : bad) {
    SCOPED_TRACE(selector);
    AlertExportTarget t = target();
    t.selector = selector;
    try {
      (void)prometheus_rules(preset("multiwindow"), t);
      ADD_FAILURE() << "accepted";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(why), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;  // shown escaped, one line
    }
    EXPECT_THROW((void)sloth_spec(preset("multiwindow"), t), std::invalid_argument);
  }
}

TEST(AlertExport, NamesWithQuotesAndLineBreaksStayOneValue) {
  // The SLO and service names reach YAML (quoted by the emitter) and PromQL
  // (as PromQL strings): they come back unchanged and add no rule or key.
  AlertExportTarget t = target();
  t.slo = "slo\"}) or vector(1) # x\n  - record: evil";
  t.service = "api\\ \"q\": [";
  const YAML::Node doc = YAML::Load(prometheus_rules(preset("multiwindow"), t));
  ASSERT_EQ(doc["groups"].size(), 2U);
  EXPECT_EQ(doc["groups"][0]["name"].as<std::string>(), "relsim-" + t.slo + "-sli");
  for (const auto& group : doc["groups"]) {
    for (const auto& rule : group["rules"]) {
      EXPECT_EQ(rule["labels"]["slo"].as<std::string>(), t.slo);
      EXPECT_EQ(rule["labels"]["service"].as<std::string>(), t.service);
      EXPECT_FALSE(rule["record"].IsDefined() && rule["alert"].IsDefined());
    }
  }
  const std::string recorded = doc["groups"][0]["rules"][0]["expr"].as<std::string>();
  EXPECT_NE(recorded.find("service=\"api\\\\ \\\"q\\\": [\""), std::string::npos) << recorded;
  const std::string alert = doc["groups"][1]["rules"][0]["expr"].as<std::string>();
  EXPECT_NE(alert.find("{slo=\"slo\\\"}) or vector(1) # x\\n  - record: evil\"}"),
            std::string::npos)
      << alert;
  const std::vector<YAML::Node> docs = YAML::LoadAll(sloth_spec(preset("multiwindow"), t));
  ASSERT_EQ(docs.size(), 2U);
  EXPECT_EQ(docs[0]["service"].as<std::string>(), t.service);
  EXPECT_EQ(docs[0]["slos"][0]["name"].as<std::string>(), t.slo);
  EXPECT_EQ(docs[1]["kind"].as<std::string>(), "AlertWindows");
}

}  // namespace
}  // namespace relsim::analysis
