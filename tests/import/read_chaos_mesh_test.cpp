// The Chaos Mesh reader: hand-written resources of every kind it reads, and
// export → import of the planned experiments (`relsim plan --export
// chaos-mesh` read back gives the experiment that was planned).
#include <gtest/gtest.h>

#include "tests/import/chaos_roundtrip.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_named;
using testing::find_note;
using testing::read_fixture;

TEST(ReadChaosMesh, ReadsPodNetworkAndStressChaos) {
  const auto m = read_fixture("chaos-mesh.yaml", read_chaos_mesh);
  const ImportedExperiment* kill = find_named(m.experiments, "kill-some-checkout");
  ASSERT_TRUE(kill);
  EXPECT_EQ(kill->source_format, "chaos-mesh");
  EXPECT_EQ(kill->fault, "podKill");
  EXPECT_EQ(kill->service, "checkout");
  EXPECT_EQ(kill->mode, "{fixedPercent: 30%}");
  EXPECT_EQ(testing::located(kill->origin), "chaos-mesh.yaml:5:9 metadata.name");

  const ImportedExperiment* slow = find_named(m.experiments, "slow-payments");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->fault, "networkLatency");
  // direction: from — the target's calls to the selected pods.
  EXPECT_EQ(slow->from, "checkout");
  EXPECT_EQ(slow->to, "payments");
  EXPECT_DOUBLE_EQ(slow->latency_s.value_or(0), 0.15);
  EXPECT_DOUBLE_EQ(slow->duration_s.value_or(0), 150.0);
  EXPECT_TRUE(find_note(m, "the jitter is not kept"));

  const ImportedExperiment* busy = find_named(m.experiments, "busy-search");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->fault, "capacityLoss");
  EXPECT_EQ(busy->service, "search");
  EXPECT_DOUBLE_EQ(busy->fraction.value_or(0), 0.4);
  EXPECT_DOUBLE_EQ(busy->duration_s.value_or(0), 300.0);
}

TEST(ReadChaosMesh, ACronScheduleGivesCandidateStartsAndAWorkflowItsChaosTemplates) {
  const auto m = read_fixture("chaos-mesh.yaml", read_chaos_mesh);
  const ImportedExperiment* s = find_named(m.experiments, "tuesday-and-thursday-kill");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->fault, "podKill");
  EXPECT_EQ(s->mode, "one");
  EXPECT_FALSE(s->interval_s);
  EXPECT_EQ(s->candidate_starts, (std::vector<std::string>{"Tue 14:30", "Thu 14:30"}));

  const ImportedExperiment* loss = find_named(m.experiments, "drill/lossy-db");
  ASSERT_TRUE(loss);
  EXPECT_EQ(loss->fault, "networkLoss");
  EXPECT_EQ(loss->from, "checkout");
  EXPECT_EQ(loss->to, "orders-db");
  EXPECT_DOUBLE_EQ(loss->loss.value_or(0), 0.25);
  EXPECT_DOUBLE_EQ(loss->duration_s.value_or(0), 90.0);  // the template's deadline
  const ImportedExperiment* zone = find_named(m.experiments, "drill/zone-down");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->fault, "zoneOutage");
  EXPECT_EQ(zone->zone, "eu-west-1b");
  EXPECT_DOUBLE_EQ(zone->duration_s.value_or(0), 600.0);
  EXPECT_TRUE(find_note(m, "the Workflow's order (Serial, Parallel, Suspend) is not kept"));
}

TEST(ReadChaosMesh, WhatRelsimCannotRunIsANoteNotAGuess) {
  const auto m = read_fixture("chaos-mesh.yaml", read_chaos_mesh);
  EXPECT_FALSE(find_named(m.experiments, "slow-disk"));
  const ImportNote* io = find_note(m, "relsim has no experiment for a IOChaos");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->origin.file, "chaos-mesh.yaml");
  const ImportedExperiment* bad = find_named(m.experiments, "bad-value");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->mode, "one");
  // No app label: the selector's only label names the service, with a note.
  EXPECT_EQ(bad->service, "web");
  const ImportNote* value = find_note(m, "mode fixed needs value");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->origin.line, 107);
  const ImportNote* label = find_note(m, "took the value of label 'tier' ('web') as the service");
  ASSERT_TRUE(label);
  EXPECT_EQ(testing::located(label->origin),
            "chaos-mesh.yaml:109:28 spec.selector.labelSelectors.tier");
  EXPECT_EQ(m.experiments.size(), 7u);
}

TEST(ReadChaosMesh, ReadsBackWhatRelsimExports) {
  // kill-two, kill-one, kill-random, kill-all, cpu, lossy, slow, zone, and
  // the programme's weeks 1, 3, 4 and month 2 (no Chaos Mesh resource for
  // a node drain or a datastore failover).
  EXPECT_EQ(testing::check_round_trips(ChaosTool::chaos_mesh, read_chaos_mesh), 12);
}

TEST(ReadChaosMesh, AScheduleWithoutAnEndSaysTheDurationIsMissing) {
  const auto m = testing::read_text(
      "apiVersion: chaos-mesh.org/v1alpha1\nkind: Schedule\nmetadata: {name: again}\n"
      "spec:\n  schedule: \"@every 30s\"\n  type: PodChaos\n  podChaos:\n    action: pod-kill\n"
      "    mode: all\n    selector: {labelSelectors: {app: web}}\n",
      "again.yaml", read_chaos_mesh);
  ASSERT_EQ(m.experiments.size(), 1u);
  EXPECT_DOUBLE_EQ(m.experiments[0].interval_s.value_or(0), 30.0);
  EXPECT_FALSE(m.experiments[0].duration_s);
  const ImportNote* n = find_note(m, "repeats until it is deleted");
  ASSERT_TRUE(n);
  EXPECT_EQ(testing::located(n->origin), "again.yaml:5:13 spec.schedule");
}

TEST(ReadChaosMesh, AnyLabelNamesTheServiceAndOldWorkflowsAreRead) {
  // Chaos Mesh's own examples select by app.kubernetes.io/component; 1.x
  // workflows write template_type, pod_chaos, a template duration and
  // scheduler.cron.
  const auto m = read_fixture("upstream-shapes/chaos/experiments.yaml", read_chaos_mesh);
  const ImportedExperiment* kill = find_named(m.experiments, "kill-a-basket");
  ASSERT_TRUE(kill);
  EXPECT_EQ(kill->fault, "podKill");
  EXPECT_EQ(kill->service, "basket");
  const ImportNote* label =
      find_note(m, "took the value of label 'app.kubernetes.io/component' ('basket')");
  ASSERT_TRUE(label);
  EXPECT_EQ(label->level, ImportNote::Level::note);
  EXPECT_EQ(testing::located(label->origin),
            "upstream-shapes/chaos/experiments.yaml:13:38 "
            "spec.selector.labelSelectors.app.kubernetes.io/component");

  const ImportedExperiment* again = find_named(m.experiments, "keep-killing-pricing");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->service, "pricing");
  EXPECT_EQ(again->mode, "{fixed: 1}");
  EXPECT_DOUBLE_EQ(again->interval_s.value_or(0), 45.0);
  EXPECT_FALSE(again->duration_s);  // the emitter assumes one
  EXPECT_TRUE(find_note(m, "not in the manifest: ten minutes is assumed"));

  const ImportedExperiment* bursts = find_named(m.experiments, "old-drill/bursts");
  ASSERT_TRUE(bursts);
  EXPECT_EQ(bursts->service, "basket");
  EXPECT_DOUBLE_EQ(bursts->duration_s.value_or(0), 90.0);  // the 1.x template duration
  EXPECT_DOUBLE_EQ(bursts->interval_s.value_or(0), 30.0);  // scheduler.cron @every 30s
  // A selector with namespaces only names no service: the reader keeps the
  // experiment without one, the join leaves it out.
  const ImportedExperiment* nobody = find_named(m.experiments, "old-drill/nobody");
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->service, "");
  const ImportNote* none = find_note(m, "none, so the experiment is left out");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->level, ImportNote::Level::warning);
  EXPECT_EQ(none->origin.line, 76);
}

}  // namespace
}  // namespace relsim::analysis::import
