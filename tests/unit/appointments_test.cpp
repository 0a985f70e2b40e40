// Appointments: the due index's shard and window, lead times, reply keywords (the pure parts of
// common/appointments).
#include "common/appointments/appointments.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace common::appointments;
using namespace std::chrono;

common::TimePoint at(const char* text) {
  return *common::parse_rfc3339(text);
}

// The due index's partition is the id's shard: stable (a reminder moved to its next lead stays in
// its partition) and spread over every shard.
TEST(Appointments, ShardIsStableAndSpread) {
  EXPECT_EQ(shard_of("appt-1", 8), shard_of(std::string("appt-") + "1", 8));
  const auto first =
      first_reminder_attributes("appt-1", at("2026-11-24T14:45:10Z"), {hours(24)}, 8);
  EXPECT_EQ(*common::aws::get_int(first, "reminder_shard"), shard_of("appt-1", 8));
  std::set<int> seen;
  for (int i = 0; i < 200; ++i) seen.insert(shard_of("appt-" + std::to_string(i), 8));
  EXPECT_EQ(seen.size(), 8u);  // ids spread over every shard
}

// A run's window covers the look-back hours, from the top of the oldest hour, as the hour-keyed
// layout did (2 h of look-back at 14:10: due since 12:00).
TEST(Appointments, DueWindowCoversLookbackHours) {
  EXPECT_EQ(due_window_start(at("2026-11-23T14:10:00Z"), hours(2)), at("2026-11-23T12:00:00Z"));
  EXPECT_EQ(due_window_start(at("2026-11-23T14:00:00Z"), hours(0)), at("2026-11-23T14:00:00Z"));
  EXPECT_EQ(due_window_start(at("2026-11-23T00:30:00Z"), hours(25)), at("2026-11-21T23:00:00Z"));
}

TEST(Appointments, LeadTimes) {
  EXPECT_EQ(*parse_lead_times("24h"), std::vector<minutes>{hours(24)});
  EXPECT_EQ(*parse_lead_times("2h, 24h,90m"),
            (std::vector<minutes>{hours(24), minutes(120), minutes(90)}));
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
  // Spanish replies (docs/compliance.md#languages); SI, like YES, is the opt-in word.
  EXPECT_EQ(parse_reply("Confirmar"), ReplyAction::kConfirm);
  EXPECT_EQ(parse_reply("confirmado."), ReplyAction::kConfirm);
  EXPECT_EQ(parse_reply("CAMBIAR"), ReplyAction::kReschedule);
  EXPECT_EQ(parse_reply("reprogramar!"), ReplyAction::kReschedule);
  EXPECT_FALSE(parse_reply("si"));
  EXPECT_FALSE(parse_reply("quiero cambiar la cita"));
}

}  // namespace

// format_when and its Spanish counterpart (docs/compliance.md#template-languages): the same
// instant, the two clocks' edge hours (midnight, noon, one o'clock: Spanish "a la 1").
TEST(Appointments, FormatWhenInEnglishAndSpanish) {
  using namespace std::chrono;
  const auto wall = [](int y, unsigned m, unsigned d, int h, int min) {
    return local_seconds(local_days(year(y) / month(m) / day(d)).time_since_epoch()) + hours(h) +
           minutes(min);
  };
  EXPECT_EQ(common::appointments::format_when(wall(2026, 11, 24, 14, 0)), "Tue, Nov 24 at 2:00 PM");
  EXPECT_EQ(common::appointments::format_when_es(wall(2026, 11, 24, 14, 0)),
            "mar 24 de nov a las 2:00 p. m.");
  EXPECT_EQ(common::appointments::format_when_es(wall(2026, 11, 25, 9, 5)),
            "mié 25 de nov a las 9:05 a. m.");
  EXPECT_EQ(common::appointments::format_when_es(wall(2026, 11, 28, 0, 30)),
            "sáb 28 de nov a las 12:30 a. m.");
  EXPECT_EQ(common::appointments::format_when_es(wall(2026, 11, 29, 12, 0)),
            "dom 29 de nov a las 12:00 p. m.");
  EXPECT_EQ(common::appointments::format_when_es(wall(2026, 9, 7, 13, 15)),
            "lun 7 de sept a la 1:15 p. m.");
  EXPECT_EQ(common::appointments::format_when_es(wall(2027, 1, 1, 1, 0)),
            "vie 1 de ene a la 1:00 a. m.");
}
