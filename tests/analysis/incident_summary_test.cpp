// analysis/incident_summary.hpp on hand-made incident rows: MTTR parts,
// groups by severity and cause, SEV compliance (noise pages excluded), DORA
// and pages per shift.
#include "analysis/incident_summary.hpp"

#include <gtest/gtest.h>

#include <string>

#include "models/loader.hpp"

namespace relsim::analysis {
namespace {

using models::IncidentCause;
using models::IncidentRow;
using models::kNever;
using sim::Duration;

models::CompiledModel model() {
  const std::string text = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  zones: [a]
  services:
    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 10}
  teams:
    - {name: ops, ack: {businessHours: 2m, offHours: 5m}, owns: [web]}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: s}
spec: {system: one, horizon: 3d, trials: 2}
)";
  const auto docs = models::load_string(text, "summary.yaml");
  return models::compile(docs.systems.at(0), docs.scenarios.at(0));
}

IncidentRow row(IncidentCause cause, int severity, int start, int detected, int paged, int acked,
                int responding, int mitigated, int resolved) {
  auto t = [](int s) { return s < 0 ? kNever : Duration::seconds(s); };
  IncidentRow r;
  r.cause = cause;
  r.severity = static_cast<std::uint8_t>(severity);
  r.start = t(start);
  r.detected = t(detected);
  r.paged = t(paged);
  r.acked = t(acked);
  r.responding = t(responding);
  r.mitigated = t(mitigated);
  r.resolved = t(resolved);
  r.human_needed = acked >= 0;
  return r;
}

TEST(IncidentSummary, PartsComplianceDoraAndPages) {
  const auto m = model();
  std::vector<models::TrialResult> results(2);
  // Trial 0: a SEV-2 bad deploy answered in time, a SEV-2 noise page.
  results[0].incidents.push_back(
      row(IncidentCause::bad_deploy, 2, 1000, 1060, 1060, 1120, 1180, 1600, 2400));
  results[0].incidents.push_back(
      row(IncidentCause::replica_crash, 2, 5000, 5040, 5040, -1, -1, 5030, 5030));
  results[0].deploys = 4;
  results[0].teams = {{2, 1, 1, 3, 0.5}};
  // Trial 1: a SEV-1 crash acked late (10 min > 5) but worked within 15 min.
  results[1].incidents.push_back(
      row(IncidentCause::replica_crash, 1, 0, 100, 100, 700, 800, 1000, 1900));
  results[1].teams = {{1, 0, 0, 0, 0.5}};
  const IncidentSummary s = summarize_incidents(m, results, 0.95);

  EXPECT_EQ(s.incidents, 3u);
  ASSERT_EQ(s.by_severity.size(), 3u);  // all, SEV-1, SEV-2
  const IncidentGroup& all = s.by_severity[0];
  EXPECT_EQ(all.label, "all");
  EXPECT_EQ(all.detect.count, 3u);
  EXPECT_DOUBLE_EQ(all.detect.mean.estimate, (60.0 + 40.0 + 100.0) / 3.0);
  EXPECT_EQ(all.acknowledge.count, 2u);  // the noise page was never acked
  EXPECT_DOUBLE_EQ(all.acknowledge.mean.estimate, (60.0 + 600.0) / 2.0);
  EXPECT_DOUBLE_EQ(all.mitigate.median.estimate, 600.0);
  EXPECT_EQ(all.human_needed, 2u);
  EXPECT_EQ(s.by_severity[1].label, "SEV-1");
  EXPECT_EQ(s.by_severity[2].label, "SEV-2");
  ASSERT_EQ(s.by_cause.size(), 2u);
  EXPECT_EQ(s.by_cause[0].label, "replica crash");
  EXPECT_EQ(s.by_cause[1].label, "bad deploy");

  ASSERT_EQ(s.compliance.size(), 2u);
  EXPECT_EQ(s.compliance[0].level, 1);
  EXPECT_EQ(s.compliance[0].paged, 1u);
  EXPECT_EQ(s.compliance[0].ack_met, 0u);
  EXPECT_EQ(s.compliance[0].respond_met, 1u);
  EXPECT_EQ(s.compliance[1].level, 2);
  EXPECT_EQ(s.compliance[1].paged, 1u);  // the noise page does not count
  EXPECT_EQ(s.compliance[1].ack_met, 1u);

  EXPECT_EQ(s.deploys, 4u);
  EXPECT_EQ(s.failed_deploys, 1u);
  EXPECT_DOUBLE_EQ(s.change_failure_rate.estimate, 0.25);
  // DORA MTTR: detected -> resolved over SEV-1/2; the noise incident was
  // resolved before its alert fired: 0.
  EXPECT_EQ(s.dora_mttr.count, 3u);
  EXPECT_DOUBLE_EQ(s.dora_mttr.mean.estimate, (1340.0 + 0.0 + 1800.0) / 3.0);

  ASSERT_EQ(s.teams.size(), 1u);
  EXPECT_EQ(s.teams[0].pages, 3u);
  EXPECT_DOUBLE_EQ(s.teams[0].pages_per_shift.estimate, (4.0 + 2.0) / 2.0);
  EXPECT_DOUBLE_EQ(s.teams[0].noise_fraction.estimate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.teams[0].night_fraction.estimate, 1.0 / 3.0);

  const std::string text = format_incidents(m, s);
  EXPECT_NE(text.find("Incidents: 3 in 2 trials"), std::string::npos) << text;
  EXPECT_NE(text.find("team ops: 3 pages per shift"), std::string::npos) << text;
}

TEST(IncidentSummary, NoIncidents) {
  const auto m = model();
  std::vector<models::TrialResult> results(3);
  const IncidentSummary s = summarize_incidents(m, results, 0.95);
  EXPECT_EQ(s.incidents, 0u);
  EXPECT_DOUBLE_EQ(s.incidents_per_trial.estimate, 0.0);
  EXPECT_NE(format_incidents(m, s).find("Incidents: 0 in 3 trials"), std::string::npos);
}

}  // namespace
}  // namespace relsim::analysis
