// Appointments: reminder shard keys, lead times, reply keywords (pure parts of common/appointments).
#include "common/appointments/appointments.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace common::appointments;
using namespace std::chrono;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }

TEST(Appointments, ShardKeyIsHourAndStableShard) {
  const auto key = due_shard(at("2026-11-23T14:45:10Z"), "appt-1", 8);
  EXPECT_EQ(key.substr(0, 14), "2026-11-23T14#");
  EXPECT_EQ(key, due_shard(at("2026-11-23T14:00:00Z"), "appt-1", 8));
  std::set<int> seen;
  for (int i = 0; i < 200; ++i) seen.insert(shard_of("appt-" + std::to_string(i), 8));
  EXPECT_EQ(seen.size(), 8u);  // ids spread over every shard
}

TEST(Appointments, ShardsToQueryCoverLookbackHours) {
  auto shards = shards_to_query(at("2026-11-23T14:10:00Z"), hours(2), 4);
  ASSERT_EQ(shards.size(), 12u);
  EXPECT_EQ(shards.front(), "2026-11-23T12#0");
  EXPECT_EQ(shards.back(), "2026-11-23T14#3");
}

TEST(Appointments, LeadTimes) {
  EXPECT_EQ(*parse_lead_times("24h"), std::vector<minutes>{hours(24)});
  EXPECT_EQ(*parse_lead_times("2h, 24h,90m"), (std::vector<minutes>{hours(24), minutes(120), minutes(90)}));
  EXPECT_FALSE(parse_lead_times(""));
  EXPECT_FALSE(parse_lead_times("0h"));
  EXPECT_FALSE(parse_lead_times("24x"));
  const std::vector<minutes> leads = {hours(24), hours(2)};
  const auto starts = at("2026-11-24T19:00:00Z");
  EXPECT_EQ(*next_lead(starts, leads, at("2026-11-23T19:00:00Z")), hours(2));
  EXPECT_FALSE(next_lead(starts, leads, at("2026-11-24T17:30:00Z")));  // 2 h reminder overdue
  auto first = first_reminder_attributes("a", starts, leads, 8);
  EXPECT_EQ(*common::aws::get_s(first, "reminder_due_at"), "2026-11-23T19:00:00.000Z");
}

TEST(Appointments, ReplyKeywords) {
  EXPECT_EQ(parse_reply(" c "), ReplyAction::kConfirm);
  EXPECT_EQ(parse_reply("Confirm!"), ReplyAction::kConfirm);
  EXPECT_EQ(parse_reply("r"), ReplyAction::kReschedule);
  EXPECT_EQ(parse_reply("RESCHEDULE."), ReplyAction::kReschedule);
  EXPECT_FALSE(parse_reply("yes"));  // the opt-in word: the caller decides
  EXPECT_FALSE(parse_reply("can we reschedule"));
}

}  // namespace
