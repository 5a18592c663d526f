// The PagerDuty reader on hand-written REST API JSON: schedules with
// layers, restrictions and time zones, an escalation policy, and mistyped
// fields.
#include <gtest/gtest.h>

#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_named;
using testing::find_note;
using testing::read_fixture;

TEST(ReadPagerDuty, ASchedulesLayersGiveTheRotation) {
  const auto m = read_fixture("pagerduty-schedules.json", read_pagerduty);
  const ImportedTeam* t = find_named(m.teams, "Payments Primary");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->aliases, std::vector<std::string>{"PSCHED1"});
  ASSERT_TRUE(t->members && t->shift_s && t->handoff && t->utc_offset && t->coverage);
  EXPECT_EQ(t->members->value, 5);  // Ben is in both layers
  EXPECT_EQ(t->shift_s->value, 604800.0);
  EXPECT_EQ(testing::located(t->shift_s->origin),
            "pagerduty-schedules.json:14:43 "
            "schedules[0].schedule_layers[0].rotation_turn_length_seconds");
  // 2026-03-02 is a Monday; Berlin is at +01:00 in March.
  EXPECT_EQ(t->handoff->value, "Mon 10:00");
  EXPECT_EQ(t->utc_offset->value, "+01:00");
  EXPECT_EQ(t->coverage->value, 1.0);  // the first layer has no restrictions
  EXPECT_TRUE(find_note(m, "different turn lengths"));
}

TEST(ReadPagerDuty, TheTimeZoneTurnsAUtcStartIntoALocalHandoffAndRestrictionsIntoCoverage) {
  const auto m = read_fixture("pagerduty-schedules.json", read_pagerduty);
  const ImportedTeam* t = find_named(m.teams, "Payments Secondary");
  ASSERT_TRUE(t && t->handoff && t->utc_offset && t->coverage && t->time_zone);
  // 14:00 UTC on Monday 6 July 2026 is 10:00 in New York (EDT, -04:00).
  EXPECT_EQ(t->handoff->value, "Mon 10:00");
  EXPECT_EQ(t->utc_offset->value, "-04:00");
  EXPECT_EQ(t->time_zone->value, "America/New_York");
  // 09:00-18:00 every day: 9 h of 24.
  EXPECT_DOUBLE_EQ(t->coverage->value, 0.375);
  EXPECT_TRUE(find_note(m, "the schedule covers 37.5% of the week"));
}

TEST(ReadPagerDuty, MistypedFieldsAreLocatedNotes) {
  const auto m = read_fixture("pagerduty-schedules.json", read_pagerduty);
  const ImportedTeam* t = find_named(m.teams, "Broken");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->shift_s);
  EXPECT_FALSE(t->handoff);
  EXPECT_FALSE(t->members);
  const ImportNote* zone = find_note(m, "'Mars/Olympus' is not a time zone");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->origin.line, 62);
  EXPECT_TRUE(find_note(m, "expected an ISO 8601 time"));
  const ImportNote* turn = find_note(m, "got 'a week'");
  ASSERT_TRUE(turn);
  EXPECT_EQ(turn->origin.field, "schedules[2].schedule_layers[0].rotation_turn_length_seconds");
}

TEST(ReadPagerDuty, AnEscalationPolicyGivesTheStepsLoopsAndServices) {
  const auto m = read_fixture("pagerduty-policy.json", read_pagerduty);
  ASSERT_EQ(m.teams.size(), 1u);
  const ImportedTeam& t = m.teams[0];
  // Named after the schedule its first rule pages, so it joins that
  // schedule's entry.
  EXPECT_EQ(t.name, "Payments Primary");
  EXPECT_EQ(t.aliases, (std::vector<std::string>{"PSCHED1", "Payments Escalation", "PPOL1"}));
  ASSERT_EQ(t.escalation.size(), 2u);
  // Rule 2 pages 15 min after the page, rule 3 another 20 min later.
  EXPECT_EQ(t.escalation[0].after_s, 900.0);
  EXPECT_EQ(t.escalation[0].to, "secondary");
  EXPECT_EQ(t.escalation[1].after_s, 2100.0);
  EXPECT_EQ(t.escalation[1].to, "Dana Manager");
  ASSERT_TRUE(t.secondary && t.escalation_loops);
  EXPECT_TRUE(t.secondary->value);
  EXPECT_EQ(t.escalation_loops->value, 2);
  EXPECT_EQ(t.owns, std::vector<std::string>{"payments-api"});
  EXPECT_TRUE(find_note(m, "several targets"));
  EXPECT_TRUE(find_note(m, "escalation to a person"));
}

TEST(ReadPagerDuty, AnObjectOfNeitherKindIsANote) {
  ImportModel m;
  ASSERT_NO_THROW(m = testing::read_text("{\"users\": []}", "u.json", read_pagerduty));
  EXPECT_TRUE(m.teams.empty());
  const ImportNote* n = find_note(m, "expected a schedule (schedule_layers)");
  ASSERT_TRUE(n);
  EXPECT_EQ(testing::located(n->origin), "u.json:1:1 (document)");
}

TEST(ReadPagerDuty, AServicesListGivesServicesPagedThroughTheirPolicy) {
  const auto m = read_fixture("upstream-shapes/pagerduty-services.json", read_pagerduty);
  ASSERT_EQ(m.services.size(), 2u);
  const ImportedService* invoicing = find_named(m.services, "invoicing");
  ASSERT_TRUE(invoicing);
  EXPECT_EQ(invoicing->aliases, std::vector<std::string>{"PSVC001"});
  EXPECT_EQ(testing::located(invoicing->origin),
            "upstream-shapes/pagerduty-services.json:7:15 services[0].name");
  const ImportedTeam* fallback = find_named(m.teams, "Invoicing fallback policy");
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->aliases, std::vector<std::string>{"PPOL002"});
  EXPECT_EQ(fallback->owns, std::vector<std::string>{"invoicing"});
  EXPECT_FALSE(fallback->members);  // the policy says nothing of the rotation
  const ImportedTeam* billing = find_named(m.teams, "Billing policy");
  ASSERT_TRUE(billing);
  EXPECT_EQ(billing->owns, std::vector<std::string>{"mailer"});
  EXPECT_TRUE(m.notes.empty());
}

TEST(ReadPagerDuty, AnIncidentListIsANotePointingToIncidentsImport) {
  const auto m = read_fixture("upstream-shapes/pagerduty-incidents.json", read_pagerduty);
  EXPECT_TRUE(m.services.empty());
  EXPECT_TRUE(m.teams.empty());
  const ImportNote* n = find_note(m, "`relsim incidents import` reads them");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->level, ImportNote::Level::note);
  EXPECT_EQ(n->origin.line, 1);
}

}  // namespace
}  // namespace relsim::analysis::import
