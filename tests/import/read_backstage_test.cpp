// The Backstage reader on a hand-written catalog: components, resources,
// a system, entity references, annotations as aliases, and what is not a
// runtime entity.
#include <gtest/gtest.h>

#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_named;
using testing::find_note;
using testing::read_fixture;

TEST(ReadBackstage, AComponentIsAServiceWithItsOwnerAndDependencies) {
  const auto m = read_fixture("backstage-catalog.yaml", read_backstage);
  const ImportedService* s = find_named(m.services, "checkout");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->aliases, (std::vector<std::string>{"checkout-api", "PSVC42"}));
  ASSERT_TRUE(s->owner && s->lifecycle);
  EXPECT_EQ(s->owner->value, "payments-team");
  EXPECT_EQ(testing::located(s->owner->origin), "backstage-catalog.yaml:20:10 spec.owner");
  EXPECT_EQ(s->lifecycle->value, "production");
  ASSERT_EQ(s->depends_on.size(), 3u);
  EXPECT_EQ(s->depends_on[0].target, "payments");
  EXPECT_EQ(s->depends_on[1].target, "orders-db");
  EXPECT_EQ(s->depends_on[2].target, "session-cache");
  for (const auto& d : s->depends_on) {
    EXPECT_EQ(d.type, "hard");
  }
  EXPECT_EQ(s->depends_on[1].origin.line, 24);
  ASSERT_EQ(s->provides_apis.size(), 1u);
  EXPECT_EQ(s->provides_apis[0].value, "checkout-api");
  ASSERT_EQ(s->consumes_apis.size(), 1u);
  EXPECT_EQ(s->consumes_apis[0].value, "payments-api");

  const ImportedService* p = find_named(m.services, "payments");
  ASSERT_TRUE(p && p->owner);
  EXPECT_EQ(p->owner->value, "dana");
  EXPECT_TRUE(find_note(m, "owned by a person (user:dana)"));
  ASSERT_TRUE(m.system_name);
  EXPECT_EQ(m.system_name->value, "shop");
}

TEST(ReadBackstage, ResourcesOfDatabaseAndCacheTypesAreStores) {
  const auto m = read_fixture("backstage-catalog.yaml", read_backstage);
  ASSERT_EQ(m.stores.size(), 2u);
  EXPECT_EQ(m.stores[0].name, "orders-db");
  EXPECT_FALSE(m.stores[0].cache);
  ASSERT_TRUE(m.stores[0].owner);
  EXPECT_EQ(m.stores[0].owner->value, "dba");
  EXPECT_EQ(m.stores[1].name, "session-cache");
  EXPECT_TRUE(m.stores[1].cache);
  // dependencyOf: reports depends on orders-db.
  const ImportedService* r = find_named(m.services, "reports");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->depends_on.size(), 1u);
  EXPECT_EQ(r->depends_on[0].target, "orders-db");
  EXPECT_TRUE(find_note(m, "a Resource of type 's3-bucket' is neither a database nor a cache"));
}

TEST(ReadBackstage, WhatDoesNotRunIsSkippedWithANote) {
  ImportModel m;
  ASSERT_NO_THROW(m = read_fixture("backstage-catalog.yaml", read_backstage));
  EXPECT_FALSE(find_named(m.services, "ui-kit"));
  EXPECT_TRUE(find_note(m, "a Component of type library does not run"));
  EXPECT_TRUE(find_note(m, "kind API holds nothing relsim reads"));
  const ImportNote* n = find_note(m, "needs metadata.name");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->origin.line, 86);
  // checkout, payments, reports.
  EXPECT_EQ(m.services.size(), 3u);
}

TEST(ReadBackstage, AMistypedDependsOnIsANote) {
  const auto m = testing::read_text(
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n"
      "spec: {type: website, owner: web-team, dependsOn: checkout}\n",
      "web.yaml", read_backstage);
  ASSERT_EQ(m.services.size(), 1u);
  EXPECT_TRUE(m.services[0].depends_on.empty());
  const ImportNote* n = find_note(m, "expected a list");
  ASSERT_TRUE(n);
  EXPECT_EQ(testing::located(n->origin), "web.yaml:4:51 spec.dependsOn");
}

}  // namespace
}  // namespace relsim::analysis::import
