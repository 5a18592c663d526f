// The Litmus reader: a hand-written ChaosEngine with several hub
// experiments and probes, the hub's defaults, mistyped env values, and
// export → import of the planned experiments.
#include <gtest/gtest.h>

#include "tests/import/chaos_roundtrip.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_named;
using testing::find_note;
using testing::read_fixture;

TEST(ReadLitmus, ReadsEachHubExperimentOfAnEngine) {
  const auto m = read_fixture("litmus.yaml", read_litmus);
  const ImportedExperiment* kill = find_named(m.experiments, "checkout-chaos/pod-delete");
  ASSERT_TRUE(kill);
  EXPECT_EQ(kill->source_format, "litmus");
  EXPECT_EQ(kill->fault, "podKill");
  EXPECT_EQ(kill->service, "checkout");
  EXPECT_EQ(kill->mode, "{fixedPercent: 40%}");
  EXPECT_DOUBLE_EQ(kill->duration_s.value_or(0), 120.0);
  EXPECT_DOUBLE_EQ(kill->interval_s.value_or(0), 20.0);
  EXPECT_EQ(kill->probes, std::vector<std::string>{"checkout-healthy (httpProbe, Continuous)"});
  EXPECT_TRUE(find_note(m, "probe 'checkout-healthy': relsim cannot tell what it checks"));

  const ImportedExperiment* slow = find_named(m.experiments, "checkout-chaos/pod-network-latency");
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->fault, "networkLatency");
  EXPECT_EQ(slow->from, "checkout");
  EXPECT_EQ(slow->to, "payments");  // the first host, its first DNS label
  EXPECT_DOUBLE_EQ(slow->latency_s.value_or(0), 0.3);
  EXPECT_DOUBLE_EQ(slow->duration_s.value_or(0), 60.0);  // the hub's default
  EXPECT_TRUE(find_note(m, "TOTAL_CHAOS_DURATION not set: took the hub experiment's default 60"));
  EXPECT_TRUE(find_note(m, "several destinations: took the first, 'payments"));

  const ImportedExperiment* loss = find_named(m.experiments, "checkout-chaos/pod-network-loss");
  ASSERT_TRUE(loss);
  EXPECT_EQ(loss->fault, "networkLoss");
  EXPECT_EQ(loss->to, "orders-db");
  EXPECT_DOUBLE_EQ(loss->loss.value_or(0), 0.15);
  EXPECT_DOUBLE_EQ(loss->duration_s.value_or(0), 45.0);

  const ImportedExperiment* cpu = find_named(m.experiments, "checkout-chaos/pod-cpu-hog");
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->fault, "capacityLoss");
  EXPECT_DOUBLE_EQ(cpu->fraction.value_or(0), 0.7);
  EXPECT_DOUBLE_EQ(cpu->duration_s.value_or(0), 60.0);
  const ImportNote* bad = find_note(m, "got 'ninety'");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->origin.line, 58);
  EXPECT_EQ(bad->origin.field,
            "spec.experiments[3].spec.components.env[1].value (TOTAL_CHAOS_DURATION)");

  EXPECT_TRUE(find_note(m, "relsim has no fault for the hub experiment disk-fill"));
  const ImportedExperiment* drain = find_named(m.experiments, "drain");
  ASSERT_TRUE(drain);
  EXPECT_EQ(drain->fault, "nodeDrain");
  EXPECT_EQ(drain->zone, "eu-west-1c");
  EXPECT_DOUBLE_EQ(drain->duration_s.value_or(0), 300.0);
  EXPECT_TRUE(find_note(m, "not a ChaosExperiment"));
  EXPECT_EQ(m.experiments.size(), 5u);
}

TEST(ReadLitmus, ReadsBackWhatRelsimExports) {
  // kill-two, kill-one, kill-random, kill-all, cpu, lossy, slow, drain, and
  // the programme's weeks 1, 3 and 4 (Litmus has no hub experiment for a
  // zone outage or a datastore failover).
  EXPECT_EQ(testing::check_round_trips(ChaosTool::litmus, read_litmus), 11);
}

TEST(ReadLitmus, AnEngineWithoutExperimentsIsANote) {
  ImportModel m;
  ASSERT_NO_THROW(m = testing::read_text(
                      "apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata: {name: "
                      "e}\nspec:\n  appinfo: {applabel: checkout}\n  experiments: {}\n",
                      "e.yaml", read_litmus));
  EXPECT_TRUE(m.experiments.empty());
  EXPECT_TRUE(find_note(m, "expected one label, key=value"));
  const ImportNote* n = find_note(m, "expected a list");
  ASSERT_TRUE(n);
  EXPECT_EQ(testing::located(n->origin), "e.yaml:6:16 spec.experiments");
}

TEST(ReadLitmus, TheChartsEmptyTemplateValuesAreUnsetNotErrors) {
  // applabel '' and PODS_AFFECTED_PERC '' as the chaos charts ship them.
  const auto m = read_fixture("upstream-shapes/litmus-chart-template.yaml", read_litmus);
  ASSERT_EQ(m.experiments.size(), 1u);
  const ImportedExperiment& e = m.experiments[0];
  EXPECT_EQ(e.fault, "podKill");
  EXPECT_EQ(e.service, "");  // the join leaves it out
  EXPECT_EQ(e.mode, "one");
  EXPECT_DOUBLE_EQ(e.duration_s.value_or(0), 45.0);
  EXPECT_DOUBLE_EQ(e.interval_s.value_or(0), 15.0);
  const ImportNote* label = find_note(m, "applabel is empty (the chart's template)");
  ASSERT_TRUE(label);
  EXPECT_EQ(testing::located(label->origin),
            "upstream-shapes/litmus-chart-template.yaml:11:15 spec.appinfo.applabel");
  EXPECT_FALSE(find_note(m, "expected a non-negative number"));
}

}  // namespace
}  // namespace relsim::analysis::import
