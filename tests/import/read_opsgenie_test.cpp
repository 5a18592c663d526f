// The Opsgenie reader on hand-written REST API JSON: a schedule with two
// restricted rotations in a time zone, an escalation whose rules are out of
// order, and mistyped fields.
#include <gtest/gtest.h>

#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import {
namespace {

using testing::find_note;
using testing::read_fixture;

TEST(ReadOpsgenie, AScheduleGivesTheOwnerTeamsRotation) {
  const auto m = read_fixture("opsgenie-schedule.json", read_opsgenie);
  ASSERT_EQ(m.teams.size(), 1u);
  const ImportedTeam& t = m.teams[0];
  EXPECT_EQ(t.name, "Search");
  EXPECT_EQ(t.aliases,
            (std::vector<std::string>{"Search_Schedule", "sch-search-1", "team-search"}));
  ASSERT_TRUE(t.members && t.shift_s && t.handoff && t.utc_offset && t.coverage);
  EXPECT_EQ(t.members->value, 3);            // u1, u2, u3; the team participant is not a person
  EXPECT_EQ(t.shift_s->value, 2 * 86400.0);  // daily × 2
  // 06:00 UTC on Monday 2 March 2026 in Istanbul (+03:00).
  EXPECT_EQ(t.handoff->value, "Mon 09:00");
  EXPECT_EQ(t.utc_offset->value, "+03:00");
  EXPECT_EQ(testing::located(t.handoff->origin),
            "opsgenie-schedule.json:13:22 data.rotations[0].startDate");
  // Mon 08:00-Fri 18:00 and 22:00-06:00 every night: 130 h of 168.
  EXPECT_NEAR(t.coverage->value, 130.0 / 168.0, 1e-12);
  EXPECT_TRUE(find_note(m, "a team participant"));
  EXPECT_TRUE(find_note(m, "rotations of different lengths"));
}

TEST(ReadOpsgenie, AnEscalationsRulesRunInDelayOrder) {
  const auto m = read_fixture("opsgenie-escalation.json", read_opsgenie);
  ASSERT_EQ(m.teams.size(), 1u);
  const ImportedTeam& t = m.teams[0];
  EXPECT_EQ(t.name, "Search");
  ASSERT_EQ(t.escalation.size(), 3u);
  EXPECT_EQ(t.escalation[0].after_s, 600.0);
  EXPECT_EQ(t.escalation[0].to, "secondary");  // the schedule's next on-call
  EXPECT_EQ(t.escalation[1].after_s, 1800.0);
  EXPECT_EQ(t.escalation[1].to, "lead@example.com");
  EXPECT_EQ(t.escalation[2].after_s, 3600.0);
  EXPECT_EQ(t.escalation[2].to, "SRE");
  ASSERT_TRUE(t.secondary && t.escalation_loops);
  EXPECT_TRUE(t.secondary->value);
  EXPECT_EQ(t.escalation_loops->value, 2);
  EXPECT_TRUE(find_note(m, "if-not-closed read as if-not-acked"));
  EXPECT_TRUE(find_note(m, "the wait between repeats is not kept"));
}

TEST(ReadOpsgenie, MistypedRotationsAreLocatedNotes) {
  ImportModel m;
  ASSERT_NO_THROW(m = read_fixture("opsgenie-bad.yaml", read_opsgenie));
  ASSERT_EQ(m.teams.size(), 1u);
  const ImportedTeam& t = m.teams[0];
  EXPECT_EQ(t.name, "Broken_Schedule");
  EXPECT_FALSE(t.shift_s);
  EXPECT_FALSE(t.handoff);
  ASSERT_TRUE(t.utc_offset);
  EXPECT_EQ(t.utc_offset->value, "+00:00");
  const ImportNote* type = find_note(m, "expected type hourly, daily or weekly, got 'monthly'");
  ASSERT_TRUE(type);
  EXPECT_EQ(testing::located(type->origin), "opsgenie-bad.yaml:6:15 data[0].rotations[0].type");
  EXPECT_TRUE(find_note(m, "expected an ISO 8601 time"));
  EXPECT_TRUE(find_note(m, "expected type time-of-day or weekday-and-time-of-day, got 'weekdays'"));
  EXPECT_TRUE(find_note(m, "needs a name or an id"));
}

}  // namespace
}  // namespace relsim::analysis::import
