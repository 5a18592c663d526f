// The pieces of the scenario language around the loader: nearest-name
// suggestions, the calendar, the key registry and the game-day metric set.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "models/calendar.hpp"
#include "models/diagnostics.hpp"
#include "models/game_day.hpp"
#include "models/schema_keys.hpp"

namespace relsim::models {
namespace {

TEST(Diagnostics, SuggestsNearestNames) {
  EXPECT_EQ(edit_distance("payment-db", "payments-db"), 1u);
  EXPECT_EQ(nearest_name("payment-db", {"payments-db", "payment-api"}), "payments-db");
  EXPECT_EQ(nearest_name("PodKill", {"podKill", "zoneOutage"}), "podKill");
  EXPECT_FALSE(nearest_name("xyz", {"payment-api"}).has_value());
  EXPECT_EQ(list_choices({"a", "b", "c"}), "'a', 'b' or 'c'");
}

TEST(Calendar, ResolvesWeekdayTimesFromTheStart) {
  Calendar c;
  c.start = {2026, 3, 4, 12, 0, 0};  // a Wednesday noon
  EXPECT_EQ(c.start_weekday(), Weekday::wed);
  TimeSpec t;
  t.kind = TimeSpec::Kind::weekday_time;
  t.weekday = Weekday::wed;
  t.time_of_day = sim::Duration::hours(10);  // already past: next week
  EXPECT_EQ(resolve_time(t, c), sim::Duration::days(7) - sim::Duration::hours(2));
  t.weekday = Weekday::thu;
  EXPECT_EQ(resolve_time(t, c), sim::Duration::hours(22));
  EXPECT_TRUE(c.in_business_hours(sim::Duration::zero()));
  EXPECT_FALSE(c.in_business_hours(sim::Duration::hours(7)));  // 19:00
  EXPECT_FALSE(c.in_business_hours(sim::Duration::days(3)));   // Saturday noon
}

TEST(SchemaKeys, EveryReferencedObjectExistsAndHasKeys) {
  std::set<std::string> ids;
  for (const auto& o : accepted_objects()) {
    EXPECT_TRUE(ids.insert(std::string(o.id)).second) << "duplicate object " << o.id;
    EXPECT_FALSE(keys_of(o.id).empty()) << o.id << " has no keys";
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& k : accepted_keys()) {
    EXPECT_TRUE(ids.count(std::string(k.object))) << k.object;
    EXPECT_TRUE(seen.emplace(k.object, k.key).second) << k.object << "." << k.key;
    EXPECT_FALSE(k.description.empty()) << k.object << "." << k.key;
    // Every UpperCamelCase word in a type names an object (enum values and
    // reference targets aside).
    std::string type(k.type);
    for (const char* open : {"enum(", "ref("}) {
      for (std::size_t at = type.find(open); at != std::string::npos; at = type.find(open)) {
        type.erase(at, type.find(')', at) - at + 1);
      }
    }
    std::string word;
    for (char c : type + " ") {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        word += c;
        continue;
      }
      if (!word.empty() && std::isupper(static_cast<unsigned char>(word[0]))) {
        EXPECT_TRUE(ids.count(word)) << k.object << "." << k.key << ": " << word;
      }
      word.clear();
    }
  }
}

TEST(SchemaKeys, MetricEnumMatchesTheMetricSet) {
  std::string expected = "enum(";
  for (const auto& m : game_day_metrics()) expected += std::string(m.name) + ",";
  expected.back() = ')';
  EXPECT_EQ(find_key("Hypothesis", "metric")->type, expected);
  EXPECT_EQ(find_key("StopCondition", "metric")->type, expected);
  EXPECT_EQ(keys_of("SteadyState").size(), game_day_metrics().size());
}

TEST(GameDayMetrics, FindsAndSuggests) {
  ASSERT_NE(find_game_day_metric("firstPage"), nullptr);
  EXPECT_EQ(find_game_day_metric("firstPage")->unit, MetricUnit::duration);
  EXPECT_EQ(find_game_day_metric("errorrate"), nullptr);
  EXPECT_EQ(suggest_game_day_metric("errorrate"), "errorRate");
  EXPECT_EQ(to_string(GameDayMetric::users_affected), "usersAffected");
}

}  // namespace
}  // namespace relsim::models
