// Detection, people, runbooks and incidents on small systems whose every
// time is known: fixed ack, respond, diagnose and step durations, faults at
// fixed times, so each incident's timeline has exact values. Statistical
// checks against closed forms are in people_validation_test.cpp.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "models/burn_history.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"

namespace relsim::models {
namespace {

constexpr std::int64_t kSecond = 1'000'000;

CompiledModel compile_text(const std::string& text) {
  const Documents docs = load_string(text, "test.yaml");
  return compile(docs.systems.at(0), docs.scenarios.at(0));
}

/// Replaces every `key` in `text` by `value`.
std::string with(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

double seconds(sim::Duration d) { return d.to_seconds(); }

// ---------------------------------------------------------------- burn history

TEST(BurnHistory, CleanHistoryThenAllErrorsCrossesAtThresholdTimesWindow) {
  // 100 % errors on a 99.9 % SLO, 14.4x: the ratio over W reaches 0.0144
  // after 0.0144·W — 51.84 s for the hour, 4.32 s for the five minutes.
  BurnHistory h;
  h.reset();
  h.add(0, 6 * 3600 * kSecond, 6 * 3600.0, 0.0);
  const double threshold = 14.4 * 0.001;
  const auto long_change = h.next_change(3600 * kSecond, threshold, 1.0, 1.0, 1LL << 60);
  const auto short_change = h.next_change(300 * kSecond, threshold, 1.0, 1.0, 1LL << 60);
  ASSERT_TRUE(long_change && short_change);
  EXPECT_EQ(*long_change - 6 * 3600 * kSecond, 51'840'000);
  EXPECT_EQ(*short_change - 6 * 3600 * kSecond, 4'320'000);
}

TEST(BurnHistory, RatioSlidesOutOfTheWindowAfterTheErrorsStop) {
  // Ten minutes of 100 % errors, then clean: the 5-minute ratio drops below
  // 1 % when fewer than 3 s of the errors are left in it: 5 min − 3 s after
  // the errors stopped.
  BurnHistory h;
  h.reset();
  h.add(0, 3600 * kSecond, 3600.0, 0.0);
  h.add(3600 * kSecond, 4200 * kSecond, 600.0, 600.0);
  EXPECT_TRUE(h.holds(300 * kSecond, 0.01));
  EXPECT_DOUBLE_EQ(h.ratio(300 * kSecond), 1.0);
  const auto change = h.next_change(300 * kSecond, 0.01, 1.0, 0.0, 1LL << 60);
  ASSERT_TRUE(change);
  EXPECT_EQ(*change - 4200 * kSecond, 297 * kSecond);
  // Nothing bad at all: never changes.
  BurnHistory clean;
  clean.reset();
  clean.add(0, 3600 * kSecond, 3600.0, 0.0);
  EXPECT_FALSE(clean.next_change(300 * kSecond, 0.01, 1.0, 0.0, 1LL << 60));
}

TEST(BurnHistory, WindowCursorsGiveWhatAFreshHistoryGives) {
  // A history queried as the engine queries it (windows of several lengths,
  // interleaved with adds and prunes, past the erase of pruned points) gives
  // bit for bit what a history built by the same adds and queried only once
  // gives: the cursor per window is the binary search it replaced.
  sim::Rng rng(7, 3);
  const std::int64_t windows[] = {300 * kSecond, 3600 * kSecond, 6 * 3600 * kSecond};
  struct Add {
    std::int64_t t0, t1;
    double total, bad, ts, bs;
  };
  std::vector<Add> adds;
  BurnHistory warm;
  warm.reset();
  std::int64_t t = 0;
  int checks = 0;
  for (int step = 0; step < 12000; ++step) {
    const std::int64_t dt = 1 + static_cast<std::int64_t>(rng.uniform01() * 20.0 * kSecond);
    const double rate = 1.0 + rng.uniform01();
    const double fraction = rng.uniform01() < 0.2 ? rng.uniform01() * 0.05 : 0.0;
    const double slope = rng.uniform01() < 0.5 ? 1e-4 : 0.0;
    const double s = static_cast<double>(dt) * 1e-6;
    adds.push_back({t, t + dt, rate * s, rate * fraction * s, slope, slope * fraction});
    warm.add(t, t + dt, rate * s, rate * fraction * s, slope, slope * fraction);
    t += dt;
    warm.prune(t - windows[2]);
    for (const std::int64_t w : windows) {
      (void)warm.holds(w, 0.01);
      (void)warm.next_change(w, 0.01, rate, rate * fraction, t + 3600 * kSecond);
    }
    if (step % 1500 != 1499) continue;
    BurnHistory fresh;
    fresh.reset();
    for (const Add& a : adds) {
      fresh.add(a.t0, a.t1, a.total, a.bad, a.ts, a.bs);
      fresh.prune(a.t1 - windows[2]);
    }
    for (const std::int64_t w : windows) {
      EXPECT_EQ(warm.ratio(w), fresh.ratio(w));
      EXPECT_EQ(warm.bad_in(w), fresh.bad_in(w));
      for (const double theta : {0.001, 0.01, 0.03}) {
        EXPECT_EQ(warm.holds(w, theta), fresh.holds(w, theta));
        EXPECT_EQ(warm.next_change(w, theta, rate, rate * fraction, t + 6 * 3600 * kSecond),
                  fresh.next_change(w, theta, rate, rate * fraction, t + 6 * 3600 * kSecond));
      }
    }
    ++checks;
  }
  EXPECT_EQ(checks, 8);
}

TEST(BurnHistory, LongHistoriesGiveTheFirstChangeTheExtrapolationHas) {
  // Thousands of recorded points in the window (a flapping service: the
  // error fraction steps every few seconds), queried near and far from each
  // threshold. The answer is checked against the history itself, extended
  // by the extrapolated requests: the condition is the initial one at 400
  // instants before the answer and differs just after it; nullopt means no
  // change up to `until`.
  sim::Rng rng(11, 5);
  const std::int64_t window = 3600 * kSecond;
  BurnHistory h;
  h.reset();
  std::int64_t t = 0;
  for (int step = 0; step < 6000; ++step) {
    const std::int64_t dt = 1 + static_cast<std::int64_t>(rng.uniform01() * 4.0 * kSecond);
    const double s = static_cast<double>(dt) * 1e-6;
    const double fraction = step % 700 < 350 ? 0.002 * rng.uniform01() : 0.02 * rng.uniform01();
    h.add(t, t + dt, 10.0 * s, 10.0 * fraction * s);
    t += dt;
  }
  h.prune(t - window);
  const auto holds_at = [&](std::int64_t x, double theta, double total, double bad) {
    BurnHistory e = h;
    const double s = static_cast<double>(x - t) * 1e-6;
    e.add(t, x, total * s, bad * s);
    return e.holds(window, theta);
  };
  const std::int64_t until = t + 2 * window;
  int changes = 0, none = 0;
  for (const double theta : {0.0005, 0.005, 0.006, 0.01, 0.05}) {
    for (const double bad_fraction : {0.0, 0.004, 0.2}) {
      const double total = 10.0, bad = total * bad_fraction;
      const bool initial = h.holds(window, theta);
      const auto change = h.next_change(window, theta, total, bad, until);
      const std::int64_t last = change ? *change - 2 : until;
      for (int k = 0; k < 400; ++k) {
        const std::int64_t x =
            t + 1 + static_cast<std::int64_t>(rng.uniform01() * static_cast<double>(last - t - 1));
        ASSERT_EQ(holds_at(x, theta, total, bad), initial)
            << "theta " << theta << " bad " << bad_fraction << " at +" << (x - t);
      }
      if (change) {
        EXPECT_NE(holds_at(*change + 2, theta, total, bad), initial)
            << "theta " << theta << " bad " << bad_fraction;
        ++changes;
      } else {
        ++none;
      }
    }
  }
  // Both kinds of answer are exercised.
  EXPECT_GE(changes, 5);
  EXPECT_GE(none, 3);
}

TEST(BurnHistory, MergesSegmentsWithTheSameRates) {
  BurnHistory h;
  h.reset();
  for (int i = 0; i < 1000; ++i) h.add(i * kSecond, (i + 1) * kSecond, 2.0, 0.5);
  EXPECT_DOUBLE_EQ(h.ratio(100 * kSecond), 0.25);
  EXPECT_DOUBLE_EQ(h.bad_in(100 * kSecond), 50.0);
}

// ---------------------------------------------------------------- the world

// One service, one responder; a bad deploy injected at 10:18 local on a
// Monday (inside business hours) failing 15 % of requests until rolled back.
constexpr const char* kPostmortem = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: pay}
spec:
  calendar: {start: 2026-03-02T00:00, businessHours: {days: Mon-Fri, from: "09:00", to: "18:00"}}
  zones: [a]
  services:
    - {name: api, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 100}
  slos:
    - {name: api-availability, service: api, objective: 99.9%, window: 1d}
  alerts:
    - {name: ApiErrors, service: api, condition: {errorRate: {above: 5%}}, for: FOR, route: page}
  teams:
    - name: oncall
      members: MEMBERS
      secondary: true
      ack: {businessHours: ACK, offHours: ACK}
      respond: 1m
      escalation: [{after: 15m, to: secondary}]
      owns: [api]
  runbooks:
    - for: api
      diagnose: 5m
      steps:
        - {action: restart, duration: 1m, success: 100%}
        - {action: rollback, if: deployedWithin 1h, duration: 4m, success: 100%}
      confirmStable: 13m
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: replay}
spec:
  system: pay
  horizon: 1d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "Mon 10:18", fault: badDeploy, service: api, errorRate: 15%}
)";

std::string postmortem(const std::string& ack = "2m", int members = 1,
                       const std::string& for_duration = "1m") {
  std::string t = with(kPostmortem, "FOR", for_duration);
  t = with(t, "ACK", ack);
  return with(t, "MEMBERS", std::to_string(members));
}

TEST(People, PostmortemTimelineWithFixedTimes) {
  const CompiledModel m = compile_text(postmortem());
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  const double start = (10 * 60 + 18) * 60.0;
  EXPECT_EQ(inc.cause, IncidentCause::injected_fault);
  EXPECT_DOUBLE_EQ(seconds(inc.start), start);
  EXPECT_DOUBLE_EQ(seconds(inc.detected), start + 60);  // pending 10:18, firing 10:19
  EXPECT_DOUBLE_EQ(seconds(inc.paged), start + 60);
  ASSERT_EQ(m.names.alerts.size(), 1u);
  EXPECT_EQ(inc.detected_alert, 0u);  // the system's one alert detected and paged
  EXPECT_EQ(inc.paged_alert, 0u);
  EXPECT_DOUBLE_EQ(seconds(inc.acked), start + 180);       // 2 min ack
  EXPECT_DOUBLE_EQ(seconds(inc.responding), start + 240);  // 1 min respond
  // Diagnose 5 min, restart 1 min (does nothing to a bad version), rollback 4 min.
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated), start + 240 + 300 + 60 + 240);
  EXPECT_DOUBLE_EQ(seconds(inc.resolved), seconds(inc.mitigated) + 13 * 60);
  EXPECT_EQ(inc.steps_tried, 2);
  EXPECT_EQ(inc.escalations, 0);
  EXPECT_EQ(inc.team, 0u);
  EXPECT_EQ(inc.severity, 2);  // 15 % errors: SEV-2 by the default rules
  EXPECT_TRUE(inc.human_needed);
  EXPECT_NEAR(inc.requests_failed, 0.15 * 100.0 * (seconds(inc.mitigated) - start), 1e-6);
  EXPECT_GT(inc.budget_consumed, 0.0);
  ASSERT_EQ(r.teams.size(), 1u);
  EXPECT_EQ(r.teams[0].pages, 1u);
  EXPECT_EQ(r.teams[0].pages_at_night, 0u);
  EXPECT_EQ(r.teams[0].noise_pages, 0u);
  EXPECT_DOUBLE_EQ(r.teams[0].shifts, 1.0 / 7.0);
  EXPECT_EQ(r.deploys, 1u);
}

TEST(People, ForIsRoundedUpToWholeEvaluationTicks) {
  // for: 90s on a 1-minute grid: pending at 10:18, firing at the first tick
  // at least 90 s later, 10:20.
  const CompiledModel m = compile_text(postmortem("2m", 1, "90s"));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  EXPECT_DOUBLE_EQ(seconds(r.incidents[0].detected - r.incidents[0].start), 120.0);
}

TEST(People, UnackedPageEscalatesToTheSecondary) {
  // Both members take 20 min to ack; the secondary is paged at 15 min and
  // would ack at 35 min; the primary acks first at 20 min.
  const CompiledModel m = compile_text(postmortem("20m", 2));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  EXPECT_EQ(r.incidents[0].escalations, 1);
  EXPECT_DOUBLE_EQ(seconds(r.incidents[0].acked - r.incidents[0].paged), 20 * 60.0);
}

TEST(People, PageThatClearsBeforeTheAckIsNoise) {
  // A 90-second bad deploy: the alert fires at 10:19, clears at 10:20, the
  // ack would come at 10:29. Automation (the fault's end) mitigated it.
  std::string text = postmortem("10m");
  text = with(text, "errorRate: 15%}", "errorRate: 15%, duration: 90s}");
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_EQ(inc.acked, kNever);
  EXPECT_FALSE(inc.human_needed);
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated - inc.start), 90.0);
  EXPECT_EQ(inc.resolved, inc.mitigated);
  EXPECT_EQ(r.teams[0].pages, 1u);
  EXPECT_EQ(r.teams[0].noise_pages, 1u);
}

TEST(People, BusyResponderTakesTheSecondIncidentWhenFree) {
  // Two services, one responder: the second bad deploy (a minute later)
  // waits until the first incident is resolved, then is acked 2 min later.
  std::string text = postmortem();
  text = with(text,
              "    - {name: api, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 100}",
              "    - {name: api, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 100}\n"
              "    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 1000, demand: 100}");
  text = with(text, "      owns: [api]", "      owns: [api, web]");
  text =
      with(text, "    - {name: ApiErrors,",
           "    - {name: WebErrors, service: web, condition: {errorRate: {above: 5%}}, for: 1m}\n"
           "    - {name: ApiErrors,");
  text = with(text, "  runbooks:\n",
              "  runbooks:\n    - for: web\n      diagnose: 5m\n      steps:\n"
              "        - {action: rollback, duration: 4m}\n      confirmStable: 13m\n");
  text += "    - {at: \"Mon 10:19\", fault: badDeploy, service: web, errorRate: 15%}\n";
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 2u);
  const IncidentRow& first = r.incidents[0];
  const IncidentRow& second = r.incidents[1];
  EXPECT_NE(first.service, second.service);
  EXPECT_DOUBLE_EQ(seconds(second.paged - second.start), 60.0);
  EXPECT_DOUBLE_EQ(seconds(second.acked), seconds(first.resolved) + 120.0);
  EXPECT_EQ(r.teams[0].pages, 2u);
}

TEST(People, ResponderFailsOverAManualDatastore) {
  // The primary's zone goes down for good; without automatic failover the
  // datastore stays down until the responder's runbook fails it over.
  const std::string text = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: db}
spec:
  zones: [a, b]
  services:
    - {name: api, replicas: 2, zones: [b], capacityPerReplica: 1000, demand: 100, dependsOn: [{datastore: db}]}
  datastores:
    - {name: db, primaryZone: a, replicaZones: [b], failover: {automatic: false}}
  alerts:
    - {name: ApiErrors, service: api, condition: {errorRate: {above: 5%}}, for: 1m}
  teams:
    - {name: oncall, members: 3, ack: {businessHours: 2m, offHours: 2m}, owns: [api]}
  runbooks:
    - for: api
      diagnose: 5m
      steps:
        - {action: rollback, if: deployedWithin 1h, duration: 4m}
        - {action: failover, target: db, duration: 2m, success: 100%}
      confirmStable: 10m
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: zone}
spec:
  system: db
  horizon: 1d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "+2h", fault: zoneOutage, zone: a, duration: untilRecovered}
)";
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_DOUBLE_EQ(seconds(inc.start), 7200.0);
  EXPECT_DOUBLE_EQ(seconds(inc.detected - inc.start), 60.0);
  EXPECT_DOUBLE_EQ(seconds(inc.acked - inc.paged), 120.0);
  // No deploy: the rollback is skipped; 5 min diagnosis, 2 min failover.
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated - inc.acked), 7 * 60.0);
  EXPECT_EQ(inc.steps_tried, 1);
  EXPECT_EQ(inc.severity, 1);  // every request fails
  EXPECT_TRUE(inc.human_needed);
  EXPECT_NEAR(r.services[0].good / r.services[0].total,
              1.0 - seconds(inc.mitigated - inc.start) / 86400.0, 1e-9);
}

TEST(People, IncidentRecordsWhichAlertDetectedItAndWhichPaged) {
  // A ticket-routed alert on errors above 1 % fires at the first evaluation;
  // the paging alert needs its condition for 2 minutes.
  std::string text = with(postmortem("2m", 1, "2m"), "  alerts:\n",
                          "  alerts:\n    - {name: ApiErrorsTicket, service: api, condition: "
                          "{errorRate: {above: 1%}}, route: ticket}\n");
  const CompiledModel m = compile_text(text);
  ASSERT_EQ(m.names.alerts.at(0), "ApiErrorsTicket");
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_EQ(inc.detected_alert, 0u);
  EXPECT_EQ(inc.paged_alert, 1u);
  EXPECT_LT(inc.detected, inc.paged);
  EXPECT_DOUBLE_EQ(seconds(inc.acked - inc.paged), 120.0);
}

TEST(People, AutomationAloneRecordsAnIncidentWithoutHumans) {
  // A pod kill of one of two replicas: the load balancer sends half the
  // traffic to the dead pod for the 30 s health-check delay; no alert fires.
  std::string text = postmortem();
  text = with(text, "fault: badDeploy, service: api, errorRate: 15%}",
              "fault: podKill, service: api, mode: one}");
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_FALSE(inc.human_needed);
  EXPECT_EQ(inc.paged, kNever);
  EXPECT_EQ(inc.detected_alert, 0xFFFFFFFFu);
  EXPECT_EQ(inc.paged_alert, 0xFFFFFFFFu);
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated - inc.start), 30.0);
  EXPECT_EQ(inc.resolved, inc.mitigated);
  EXPECT_EQ(inc.severity, 2);  // half the requests fail: not above SEV-1's 50 %
  EXPECT_EQ(r.teams[0].pages, 0u);
}

TEST(People, AckTimeDependsOnBusinessHours) {
  // Business hours 09:00-18:00 on weekdays: the same bad deploy at 10:18
  // gets the business-hours ack (2 min), at 03:18 the off-hours one (10 min),
  // and that page counts as at night.
  std::string text = with(postmortem(), "ack: {businessHours: 2m, offHours: 2m}",
                          "ack: {businessHours: 2m, offHours: 10m}");
  for (const bool night : {false, true}) {
    const std::string t = night ? with(text, "Mon 10:18", "Mon 03:18") : text;
    const CompiledModel m = compile_text(t);
    World world(m);
    const TrialResult r = world.run(sim::trial_seed(1, 0));
    ASSERT_EQ(r.incidents.size(), 1u);
    EXPECT_DOUBLE_EQ(seconds(r.incidents[0].acked - r.incidents[0].paged), night ? 600.0 : 120.0);
    EXPECT_EQ(r.teams[0].pages_at_night, night ? 1u : 0u);
  }
}

TEST(People, ImpactBackDuringConfirmReopensTheIncident) {
  // The first bad change ends by itself at 10:21, as the ack comes; the
  // responder confirms from 10:22. A second one at 10:25 brings the impact
  // back: the same incident goes on, the responder diagnoses (5 min), tries
  // the restart (1 min) and rolls back (4 min): mitigated 10:35, resolved
  // 13 min later.
  std::string text = with(postmortem(), "errorRate: 15%}", "errorRate: 15%, duration: 3m}");
  text += "    - {at: \"Mon 10:25\", fault: badDeploy, service: api, errorRate: 15%}\n";
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  const double ten = 10 * 3600.0;
  EXPECT_DOUBLE_EQ(seconds(inc.acked), ten + 21 * 60.0);
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated), ten + 35 * 60.0);
  EXPECT_DOUBLE_EQ(seconds(inc.resolved), ten + 48 * 60.0);
  EXPECT_EQ(inc.steps_tried, 2);
  EXPECT_TRUE(inc.human_needed);
}

TEST(People, EscalationPolicyLoops) {
  // Nobody acks for 2 h; one step (secondary after 15 min) looping twice
  // more: steps at 15, 45 and 75 min (a pass is 15 + 15 min).
  std::string text = postmortem("2h", 3);
  text = with(text, "      escalation: [{after: 15m, to: secondary}]",
              "      escalation: [{after: 15m, to: secondary}]\n      escalationLoops: 2");
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  EXPECT_EQ(r.incidents[0].escalations, 3);
  EXPECT_DOUBLE_EQ(seconds(r.incidents[0].acked - r.incidents[0].paged), 7200.0);
}

TEST(People, SeverityIsReassessedWhenImpactGrows) {
  // 15 % errors (SEV-2), then a second bad change at 10:25: 1 − 0.85·0.4 =
  // 66 % (SEV-1). The rollback ends both.
  std::string text = postmortem();
  text += "    - {at: \"Mon 10:25\", fault: badDeploy, service: api, errorRate: 60%}\n";
  const CompiledModel m = compile_text(text);
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  EXPECT_EQ(r.incidents[0].severity, 1);
  EXPECT_NE(r.incidents[0].mitigated, kNever);
  EXPECT_EQ(r.deploys, 2u);
}

/// One service of 2 replicas × 100 requests/s under 150 requests/s; at 02:00
/// it loses half its capacity (a memory leak): a third of the requests fail.
std::string exhaustion(const std::string& step) {
  return R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: leak}
spec:
  zones: [a]
  services:
    - {name: api, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 150}
  alerts:
    - {name: ApiErrors, service: api, condition: {errorRate: {above: 5%}}, for: 1m}
  teams:
    - {name: oncall, members: 2, ack: {businessHours: 2m, offHours: 2m}, owns: [api]}
  runbooks:
    - for: api
      diagnose: 5m
      steps:
        - {action: rollback, if: deployedWithin 1h, duration: 4m}
        - )" +
         step + R"(
      confirmStable: 10m
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: leak}
spec:
  system: leak
  horizon: 1d
  trials: 1
  randomFailures: false
  randomDeploys: false
  inject:
    - {at: "+2h", fault: capacityLoss, service: api, fraction: 50%, duration: untilRecovered}
)";
}

TEST(People, RestartClearsExhaustion) {
  const CompiledModel m = compile_text(exhaustion("{action: restart, duration: 3m}"));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_EQ(inc.severity, 2);                                      // a third of the requests fail
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated - inc.acked), 8 * 60.0);  // 5 min + 3 min
  EXPECT_DOUBLE_EQ(seconds(inc.resolved - inc.mitigated), 600.0);
  EXPECT_TRUE(inc.human_needed);
  EXPECT_NEAR(inc.requests_failed, 50.0 * seconds(inc.mitigated - inc.start), 1e-6);
}

TEST(People, ScaleUpAddsCapacity) {
  const CompiledModel m = compile_text(exhaustion("{action: scaleUp, to: 4, duration: 2m}"));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_DOUBLE_EQ(seconds(inc.mitigated - inc.acked), 7 * 60.0);  // 4 × 50 >= 150
  EXPECT_EQ(inc.steps_tried, 1);
  EXPECT_TRUE(inc.human_needed);
}

TEST(People, StepThatNeverWorksLeavesTheIncidentOpen) {
  const CompiledModel m = compile_text(exhaustion("{action: restart, duration: 3m, success: 0%}"));
  World world(m);
  const TrialResult r = world.run(sim::trial_seed(1, 0));
  ASSERT_EQ(r.incidents.size(), 1u);
  const IncidentRow& inc = r.incidents[0];
  EXPECT_EQ(inc.mitigated, kNever);
  EXPECT_EQ(inc.resolved, kNever);
  EXPECT_EQ(inc.steps_tried, 3);  // three passes over the one applicable step
  EXPECT_FALSE(inc.human_needed);
}

TEST(People, DetectionCostDoesNotGrowWithTheEvaluationInterval) {
  // Burn-rate and threshold rules on a 1-second grid over 30 days would be
  // 2.6 million ticks each; evaluated only where they can change, the
  // events of a trial barely depend on the interval.
  const std::string text = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: burn}
spec:
  zones: [a]
  services:
    - name: web
      replicas: 2
      zones: [a]
      capacityPerReplica: 1000
      demand: {base: 50, daily: {peak: "14:00", peakFactor: 2, trough: "04:00", troughFactor: 0.5}}
      deploys: {rate: 2/day, changeFailureRate: 30%, badDeploy: {errorRate: 20%, detectsItself: true}, rollback: 20m}
      failures: [{type: replicaCrash, every: {exponential: {mean: 5d}}}]
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
  alerts:
    - {name: WebBurn, slo: web-availability, burnRate: sreWorkbook, evaluationInterval: INTERVAL}
    - {name: WebErrors, service: web, condition: {errorRate: {above: 5%}}, for: 2m, evaluationInterval: INTERVAL}
  teams:
    - {name: ops, members: 3, ack: {businessHours: 2m, offHours: 5m}, owns: [web]}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: v}
spec:
  system: burn
  horizon: 30d
  trials: 1
)";
  auto events = [&](const std::string& interval) {
    const CompiledModel m = compile_text(with(text, "INTERVAL", interval));
    World world(m);
    std::uint64_t n = 0;
    for (std::uint64_t t = 0; t < 4; ++t) n += world.run(sim::trial_seed(3, t)).events;
    return n;
  };
  const std::uint64_t fine = events("1s");
  const std::uint64_t coarse = events("5m");
  std::printf("events in 4 trials of 30 d: %llu on a 1 s grid, %llu on a 5 min grid\n",
              static_cast<unsigned long long>(fine), static_cast<unsigned long long>(coarse));
  EXPECT_LT(static_cast<double>(fine), 1.5 * static_cast<double>(coarse));
  EXPECT_LT(fine, 4u * 5000u);  // far below 4 trials × 2.6 million ticks
}

TEST(People, IncidentRowsKeepTheirInvariants) {
  // Every example scenario with people, many trials: the timeline is ordered
  // and the flags agree with it.
  for (const char* file : {"payments/baseline.yaml", "payments/az-outage.yaml",
                           "payments/az-outage-no-spread.yaml", "guide/zone-outage.yaml"}) {
    const auto resolved = load_scenario(std::string(RELSIM_SOURCE_DIR) + "/scenarios/" + file);
    const CompiledModel m = compile(resolved.system, resolved.scenario);
    World world(m);
    for (std::uint64_t t = 0; t < 40; ++t) {
      const TrialResult r = world.run(sim::trial_seed(11, t));
      std::uint64_t paged = 0;
      for (std::size_t i = 0; i < r.incidents.size(); ++i) {
        const IncidentRow& x = r.incidents[i];
        SCOPED_TRACE(std::string(file) + " trial " + std::to_string(t) + " incident " +
                     std::to_string(i));
        EXPECT_EQ(x.id, i);
        if (i > 0) {
          EXPECT_LE(r.incidents[i - 1].start, x.start);
        }
        EXPECT_LT(x.start, m.horizon);
        if (x.paged != kNever) {
          ++paged;
          EXPECT_NE(x.detected, kNever);
          EXPECT_LE(x.detected, x.paged);
          EXPECT_LT(x.paged_alert, m.alerts.size());
        } else {
          EXPECT_EQ(x.paged_alert, 0xFFFFFFFFu);
        }
        EXPECT_EQ(x.detected == kNever, x.detected_alert == 0xFFFFFFFFu);
        if (x.detected != kNever) {
          EXPECT_LT(x.detected_alert, m.alerts.size());
        }
        if (x.acked != kNever) {
          EXPECT_LE(x.paged, x.acked);
          EXPECT_NE(x.team, 0xFFFFFFFFu);
        }
        if (x.responding != kNever) {
          EXPECT_LE(x.acked, x.responding);
        }
        if (x.mitigated != kNever) {
          EXPECT_LE(x.start, x.mitigated);
        }
        if (x.resolved != kNever) {
          EXPECT_NE(x.mitigated, kNever);
          EXPECT_LE(x.mitigated, x.resolved);
        }
        if (x.human_needed) {
          EXPECT_NE(x.acked, kNever);
        }
        if (x.steps_tried > 0) {
          EXPECT_NE(x.acked, kNever);
        }
        if (x.escalations > 0) {
          EXPECT_NE(x.paged, kNever);
        }
        EXPECT_GE(x.severity, 1);
        EXPECT_LE(x.severity, 4);
        EXPECT_GE(x.requests_failed, 0.0);
        EXPECT_GE(x.budget_consumed, 0.0);
      }
      std::uint64_t pages = 0, noise = 0;
      for (const TeamTrialResult& team : r.teams) {
        pages += team.pages;
        noise += team.noise_pages;
        EXPECT_LE(team.pages_at_night, team.pages);
        EXPECT_GT(team.shifts, 0.0);
      }
      EXPECT_LE(paged, pages);
      EXPECT_LE(noise, pages);
    }
  }
}

TEST(People, SameSeedSameIncidents) {
  const auto resolved =
      load_scenario(std::string(RELSIM_SOURCE_DIR) + "/scenarios/payments/baseline.yaml");
  const CompiledModel m = compile(resolved.system, resolved.scenario);
  World a(m), b(m);
  for (std::uint64_t t = 0; t < 5; ++t) {
    const TrialResult x = a.run(sim::trial_seed(7, t));
    const TrialResult y = b.run(sim::trial_seed(7, t));
    ASSERT_EQ(x.incidents.size(), y.incidents.size());
    for (std::size_t i = 0; i < x.incidents.size(); ++i) {
      EXPECT_EQ(x.incidents[i].resolved, y.incidents[i].resolved);
      EXPECT_EQ(x.incidents[i].acked, y.incidents[i].acked);
    }
  }
}

}  // namespace
}  // namespace relsim::models
