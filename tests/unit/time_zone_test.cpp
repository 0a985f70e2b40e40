// Embedded IANA zones (common/tz): DST rules of 15 U.S.C. 260a as tzdata encodes them
// (second Sunday of March 02:00 -> 03:00, first Sunday of November 02:00 -> 01:00).
#include "common/tz/time_zone.hpp"

#include <gtest/gtest.h>

namespace {

using common::tz::LocalSeconds;
using common::tz::TimeZone;
using namespace std::chrono;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }
LocalSeconds local(int y, unsigned m, unsigned d, int h, int min) {
  return local_days{year{y} / m / d} + hours(h) + minutes(min);
}

TEST(TimeZone, LoadsEmbeddedUsZonesAndLinksOnly) {
  EXPECT_TRUE(TimeZone::load("America/Los_Angeles"));
  EXPECT_TRUE(TimeZone::load("US/Eastern"));
  EXPECT_TRUE(TimeZone::load("Pacific/Honolulu"));
  EXPECT_TRUE(TimeZone::load("UTC"));
  EXPECT_FALSE(TimeZone::load("Europe/London"));  // not embedded: callers fail closed
  EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::load("UTC+05"));  // no fixed-offset names
  EXPECT_FALSE(TimeZone::load(""));
  EXPECT_FALSE(common::tz::tzdata_version().empty());
}

TEST(TimeZone, ToLocalAcrossDst) {
  auto ny = *TimeZone::load("America/New_York");
  EXPECT_EQ(ny.to_local(at("2026-01-15T17:00:00Z")), local(2026, 1, 15, 12, 0));
  EXPECT_EQ(ny.to_local(at("2026-07-15T16:00:00Z")), local(2026, 7, 15, 12, 0));
  EXPECT_EQ(ny.abbreviation(at("2026-01-15T17:00:00Z")), "EST");
  EXPECT_EQ(ny.abbreviation(at("2026-07-15T16:00:00Z")), "EDT");
  // Spring forward 2026-03-08 at 07:00Z: 01:59:59 EST is followed by 03:00 EDT.
  EXPECT_EQ(ny.to_local(at("2026-03-08T06:59:59Z")), local(2026, 3, 8, 1, 59) + seconds(59));
  EXPECT_EQ(ny.to_local(at("2026-03-08T07:00:00Z")), local(2026, 3, 8, 3, 0));
  auto phoenix = *TimeZone::load("America/Phoenix");  // no DST
  EXPECT_EQ(phoenix.to_local(at("2026-07-15T19:00:00Z")), local(2026, 7, 15, 12, 0));
}

TEST(TimeZone, FromLocalGapAndOverlap) {
  auto ny = *TimeZone::load("America/New_York");
  EXPECT_EQ(ny.from_local(local(2026, 11, 24, 14, 0)), at("2026-11-24T19:00:00Z"));
  // 02:30 does not exist on 2026-03-08: the instant of the change.
  EXPECT_EQ(ny.from_local(local(2026, 3, 8, 2, 30)), at("2026-03-08T07:00:00Z"));
  // 01:30 happens twice on 2026-11-01: the earlier (EDT) one.
  EXPECT_EQ(ny.from_local(local(2026, 11, 1, 1, 30)), at("2026-11-01T05:30:00Z"));
}

}  // namespace
