// The Kubernetes reader on hand-written manifests: a multi-document file, a
// `kind: List`, and mistyped fields (each a located note, never a throw).
#include <gtest/gtest.h>

#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_named;
using testing::find_note;
using testing::read_fixture;

std::vector<const ImportedService*> all_named(const ImportModel& m, const std::string& name) {
  std::vector<const ImportedService*> out;
  for (const auto& s : m.services) {
    if (s.name == name) out.push_back(&s);
  }
  return out;
}

TEST(ReadKubernetes, ReadsADeploymentItsPodTemplateAndItsRollout) {
  const auto m = read_fixture("k8s-checkout.yaml", read_kubernetes);
  const auto entries = all_named(m, "checkout");
  ASSERT_EQ(entries.size(), 3u);  // the Deployment, the PDB, the HPA
  const ImportedService& d = *entries[0];
  EXPECT_EQ(d.aliases, std::vector<std::string>{"checkout-api"});
  ASSERT_TRUE(d.replicas);
  EXPECT_EQ(d.replicas->value, 4);
  EXPECT_EQ(testing::located(d.replicas->origin), "k8s-checkout.yaml:11:13 spec.replicas");
  EXPECT_EQ(d.replicas->origin.text(), "k8s-checkout.yaml:11 spec.replicas");  // the comment form
  ASSERT_TRUE(d.min_ready_s);
  EXPECT_EQ(d.min_ready_s->value, 10.0);
  // 25 % of 4 replicas, rounded down as Kubernetes does.
  ASSERT_TRUE(d.max_unavailable_fraction && d.max_unavailable && d.max_surge);
  EXPECT_DOUBLE_EQ(d.max_unavailable_fraction->value, 0.25);
  EXPECT_EQ(d.max_unavailable->value, 1);
  EXPECT_EQ(d.max_surge->value, 1);
  ASSERT_TRUE(d.topology_spread);
  EXPECT_TRUE(d.topology_spread->value);
  ASSERT_TRUE(d.zones);
  EXPECT_EQ(d.zones->value, (std::vector<std::string>{"eu-west-1a", "eu-west-1b", "eu-west-1c"}));
  EXPECT_EQ(m.zones, d.zones->value);
  // The unreachable toleration, not the not-ready one.
  ASSERT_TRUE(d.reschedule_s);
  EXPECT_EQ(d.reschedule_s->value, 30.0);
  EXPECT_EQ(d.reschedule_s->origin.line, 49);
  // The first container's readiness probe: 5 s × 2 + 2 s; its liveness
  // probe with Kubernetes' defaults: 10 s × 3 + 1 s.
  ASSERT_TRUE(d.health_check_s && d.liveness_s);
  EXPECT_EQ(d.health_check_s->value, 12.0);
  EXPECT_EQ(d.liveness_s->value, 31.0);

  const ImportedService& pdb = *entries[1];
  EXPECT_EQ(pdb.aliases, std::vector<std::string>{"checkout-pdb"});
  ASSERT_TRUE(pdb.pdb_min_available);
  EXPECT_EQ(pdb.pdb_min_available->value, 3);
  EXPECT_FALSE(pdb.replicas);

  const ImportedService& hpa = *entries[2];
  ASSERT_TRUE(hpa.hpa_min && hpa.hpa_max && hpa.hpa_target_utilization && hpa.hpa_reaction_s);
  EXPECT_EQ(hpa.hpa_min->value, 4);
  EXPECT_EQ(hpa.hpa_max->value, 12);
  EXPECT_DOUBLE_EQ(hpa.hpa_target_utilization->value, 0.65);  // CPU over memory
  EXPECT_EQ(hpa.hpa_target_utilization->origin.field,
            "spec.metrics[1].resource.target.averageUtilization");
  EXPECT_EQ(hpa.hpa_reaction_s->value, 45.0);
  EXPECT_TRUE(find_note(m, "a Pods metric"));
  EXPECT_TRUE(find_note(m, "kind Service holds nothing relsim reads"));
}

TEST(ReadKubernetes, ReadsAListItemByItem) {
  const auto m = read_fixture("k8s-list.yaml", read_kubernetes);
  const auto entries = all_named(m, "ledger");
  ASSERT_EQ(entries.size(), 3u);
  const ImportedService& s = *entries[0];
  ASSERT_TRUE(s.replicas && s.max_unavailable && s.zones && s.topology_spread);
  EXPECT_EQ(s.replicas->value, 3);
  EXPECT_EQ(s.replicas->origin.field, "items[0].spec.replicas");
  EXPECT_EQ(s.max_unavailable->value, 1);
  EXPECT_EQ(s.zones->value, std::vector<std::string>{"eu-west-1b"});
  EXPECT_TRUE(s.topology_spread->value);  // required anti-affinity on the zone key
  // No toleration of its own: the DefaultTolerationSeconds plugin's 300 s.
  ASSERT_TRUE(s.reschedule_s);
  EXPECT_EQ(s.reschedule_s->value, 300.0);
  // No readiness probe: the liveness probe, 20 s × 2 + 1 s.
  ASSERT_TRUE(s.health_check_s);
  EXPECT_EQ(s.health_check_s->value, 41.0);

  ASSERT_TRUE(entries[1]->pdb_max_unavailable_fraction);
  EXPECT_DOUBLE_EQ(entries[1]->pdb_max_unavailable_fraction->value, 0.34);
  ASSERT_TRUE(entries[2]->hpa_target_utilization && entries[2]->hpa_max);
  EXPECT_DOUBLE_EQ(entries[2]->hpa_target_utilization->value, 0.75);
  EXPECT_EQ(entries[2]->hpa_max->value, 6);
  EXPECT_EQ(m.zones, (std::vector<std::string>{"eu-west-1b", "eu-west-1a", "eu-west-1c"}));
}

TEST(ReadKubernetes, MistypedFieldsAreLocatedNotesAndTheRestIsRead) {
  ImportModel m;
  ASSERT_NO_THROW(m = read_fixture("k8s-bad.yaml", read_kubernetes));
  const ImportedService* s = find_named(m.services, "search");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->replicas);
  const ImportNote* n = find_note(m, "expected an integer, got 'three'");
  ASSERT_TRUE(n);
  EXPECT_EQ(testing::located(n->origin), "k8s-bad.yaml:7:13 spec.replicas");
  EXPECT_TRUE(find_note(m, "got '150%'"));
  EXPECT_FALSE(s->max_unavailable_fraction);
  EXPECT_TRUE(find_note(m, "got 'soon'"));
  ASSERT_TRUE(s->health_check_s);
  EXPECT_EQ(s->health_check_s->value, 31.0);  // periodSeconds [5] skipped: 10 s
  EXPECT_TRUE(find_note(m, "a Deployment needs metadata.name"));
  EXPECT_TRUE(find_note(m, "guards nothing"));
  EXPECT_TRUE(find_note(m, "needs scaleTargetRef.name"));
  const ImportNote* list = find_note(m, "expected a Kubernetes object");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->origin.line, 41);
  EXPECT_EQ(m.services.size(), 1u);
}

TEST(ReadKubernetes, NoReplicasIsANoteNotAGuess) {
  const auto m = testing::read_text(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n"
      "    spec:\n      containers: [{name: api}]\n",
      "api.yaml", read_kubernetes);
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_FALSE(m.services[0].replicas);
  // Kubernetes' own default, kept apart: an autoscaler's minReplicas wins.
  ASSERT_TRUE(m.services[0].default_replicas);
  EXPECT_EQ(m.services[0].default_replicas->value, 1);
  EXPECT_EQ(testing::located(m.services[0].default_replicas->origin),
            "api.yaml:5:3 spec.replicas (absent: Kubernetes runs 1 pod)");
  const ImportNote* n = find_note(m, "no replicas: Kubernetes runs 1 unless an autoscaler");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->level, ImportNote::Level::note);
  EXPECT_EQ(testing::located(n->origin), "api.yaml:5:3 spec.replicas");
}

}  // namespace
}  // namespace relsim::analysis::import
