// Quiet hours: 47 CFR 64.1200(c)(1) (08:00-21:00 local); stricter states (Fla. Stat. 501.616(6)(a)
// 08:00-20:00; Tex. Bus. & Com. Code 301.051 09:00-21:00, Sunday 12:00-21:00; R.I. Gen. Laws
// 5-61-2(2)); DST per the embedded tzdata. Fixed instants, no clock. Every state row, holiday and
// the unknown-state path: state_rules_test.cpp.
#include "common/compliance/quiet_hours.hpp"

#include <gtest/gtest.h>

namespace {

using common::compliance::allowed_window;
using common::compliance::check_quiet_hours;
using common::compliance::RecipientPlace;
using namespace std::chrono;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }

TEST(QuietHours, FederalWindowEndsAt21Exclusive) {
  std::vector<RecipientPlace> ny = {{"NY", "America/New_York"}};
  EXPECT_TRUE(check_quiet_hours(ny, at("2026-11-24T01:59:00Z")).allowed);   // 20:59 EST
  auto late = check_quiet_hours(ny, at("2026-11-24T02:00:00Z"));            // 21:00 EST
  EXPECT_FALSE(late.allowed);
  EXPECT_EQ(late.reason, "quiet_hours:America/New_York:NY");
  ASSERT_TRUE(late.next_allowed);
  EXPECT_EQ(*late.next_allowed, at("2026-11-24T13:00:00Z"));  // 08:00 EST
}

// Los Angeles at 06:30 PST: deferred until 08:00 PST.
TEST(QuietHours, LosAngelesEarlyMorningDeferredTo8) {
  auto d = check_quiet_hours({{"CA", "America/Los_Angeles"}}, at("2026-11-23T14:30:00Z"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(*d.next_allowed, at("2026-11-23T16:00:00Z"));
  EXPECT_TRUE(check_quiet_hours({{"CA", "America/Los_Angeles"}}, at("2026-11-23T16:00:00Z")).allowed);
}

// Florida closes at 20:00 (Fla. Stat. 501.616(6)(a)): 20:30 is outside.
TEST(QuietHours, FloridaClosesAt20) {
  auto d = check_quiet_hours({{"FL", "America/New_York"}}, at("2026-11-24T01:30:00Z"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(*d.next_allowed, at("2026-11-24T13:00:00Z"));
  EXPECT_TRUE(check_quiet_hours({{"NY", "America/New_York"}}, at("2026-11-24T01:30:00Z")).allowed);
}

// A number that may be in two zones must be inside the window in both: the stricter wins.
TEST(QuietHours, TwoZonesUseTheStricter) {
  std::vector<RecipientPlace> panhandle = {{"FL", "America/Chicago"}, {"FL", "America/New_York"}};
  // 19:30 Central = 20:30 Eastern: Central is open, Eastern closed.
  auto evening = check_quiet_hours(panhandle, at("2026-11-24T01:30:00Z"));
  EXPECT_FALSE(evening.allowed);
  EXPECT_EQ(evening.reason, "quiet_hours:America/New_York:FL");
  // 07:30 Central = 08:30 Eastern: Eastern is open, Central not yet; both at 08:00 Central.
  auto morning = check_quiet_hours(panhandle, at("2026-11-24T13:30:00Z"));
  EXPECT_FALSE(morning.allowed);
  EXPECT_EQ(morning.reason, "quiet_hours:America/Chicago:FL");
  EXPECT_EQ(*morning.next_allowed, at("2026-11-24T14:00:00Z"));
  EXPECT_TRUE(check_quiet_hours(panhandle, at("2026-11-24T14:00:00Z")).allowed);
}

// Texas: 09:00-21:00 Monday to Saturday, 12:00-21:00 on Sunday.
TEST(QuietHours, TexasSundayStartsAtNoon) {
  std::vector<RecipientPlace> tx = {{"TX", "America/Chicago"}};
  auto sunday = check_quiet_hours(tx, at("2026-11-22T16:00:00Z"));  // Sun 10:00 CST
  EXPECT_FALSE(sunday.allowed);
  EXPECT_EQ(*sunday.next_allowed, at("2026-11-22T18:00:00Z"));
  EXPECT_TRUE(check_quiet_hours(tx, at("2026-11-23T16:00:00Z")).allowed);   // Mon 10:00
  EXPECT_FALSE(check_quiet_hours(tx, at("2026-11-23T14:30:00Z")).allowed);  // Mon 08:30
}

// 2026-11-23 is a Monday, 11-24 a Tuesday, 11-28 a Saturday, 11-29 a Sunday.
TEST(QuietHours, StateWindows) {
  const auto mon = 2026y / November / 23d, tue = 2026y / November / 24d;
  const auto sat = 2026y / November / 28d, sun = 2026y / November / 29d;
  EXPECT_EQ(allowed_window("NY", mon)->open, hours(8));  // no state rule: federal
  EXPECT_EQ(allowed_window("NY", mon)->close, hours(21));
  EXPECT_FALSE(allowed_window("MS", sun));  // Miss. Code 77-3-723(1): no Sundays
  EXPECT_EQ(allowed_window("RI", sat)->close, hours(17));
  EXPECT_EQ(allowed_window("CT", tue)->open, hours(9));
  // Not a US jurisdiction: every state's rule at once (docs/compliance.md#unknown-state).
  EXPECT_EQ(allowed_window("ZZ", tue)->open, hours(10));   // KY opens at 10
  EXPECT_EQ(allowed_window("ZZ", tue)->close, hours(18));  // RI closes at 18
  EXPECT_FALSE(allowed_window("", sun));
}

// A Sunday-closed state defers to Monday 08:00.
TEST(QuietHours, NoSundayStateDefersToMonday) {
  auto d = check_quiet_hours({{"MS", "America/Chicago"}}, at("2026-11-22T18:00:00Z"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(*d.next_allowed, at("2026-11-23T14:00:00Z"));
}

// DST days: the window follows the wall clock (08:00 PDT on spring-forward day, PST after fall-back).
TEST(QuietHours, FollowsDstChanges) {
  std::vector<RecipientPlace> la = {{"CA", "America/Los_Angeles"}};
  auto spring = check_quiet_hours(la, at("2026-03-08T14:30:00Z"));  // 07:30 PDT
  EXPECT_FALSE(spring.allowed);
  EXPECT_EQ(*spring.next_allowed, at("2026-03-08T15:00:00Z"));
  auto fall = check_quiet_hours(la, at("2026-11-01T15:30:00Z"));    // 07:30 PST
  EXPECT_FALSE(fall.allowed);
  EXPECT_EQ(*fall.next_allowed, at("2026-11-01T16:00:00Z"));
}

TEST(QuietHours, FailsClosedWithoutAKnownZone) {
  auto unknown = check_quiet_hours({{"NY", "Europe/Atlantis"}}, at("2026-11-24T17:00:00Z"));
  EXPECT_FALSE(unknown.allowed);
  EXPECT_EQ(unknown.reason, "unknown_time_zone:Europe/Atlantis");
  EXPECT_FALSE(unknown.next_allowed);
  auto none = check_quiet_hours({}, at("2026-11-24T17:00:00Z"));
  EXPECT_FALSE(none.allowed);
  EXPECT_EQ(none.reason, "no_location");
}

}  // namespace
