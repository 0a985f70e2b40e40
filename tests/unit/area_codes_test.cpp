// NANP area code table (NANPA NPA assignments; zone boundaries per IANA tzdata zone.tab).
#include "common/compliance/area_codes.hpp"

#include <gtest/gtest.h>

#include "common/tz/time_zone.hpp"

namespace {

using common::compliance::area_code_location;
using common::compliance::phone_number_location;

TEST(AreaCodes, SingleZoneCodes) {
  auto la = area_code_location(213);
  ASSERT_TRUE(la);
  EXPECT_EQ(la->state, "CA");
  ASSERT_EQ(la->time_zones.size(), 1u);
  EXPECT_EQ(la->time_zones[0], "America/Los_Angeles");
  auto miami = phone_number_location("+13055550123");
  ASSERT_TRUE(miami);
  EXPECT_EQ(miami->state, "FL");
  EXPECT_EQ(miami->time_zones[0], "America/New_York");
}

// The Florida panhandle (850) spans Central and Eastern time: both are listed.
TEST(AreaCodes, PanhandleSpansTwoZones) {
  auto p = area_code_location(850);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->state, "FL");
  EXPECT_EQ(p->time_zones.size(), 2u);
}

TEST(AreaCodes, TerritoriesAndUnknown) {
  EXPECT_EQ(area_code_location(787)->state, "PR");
  EXPECT_FALSE(area_code_location(416));  // Toronto: Canadian, not listed (fail closed upstream)
  EXPECT_FALSE(area_code_location(800));  // toll-free: no location
  EXPECT_FALSE(phone_number_location("+442071234567"));
  EXPECT_FALSE(phone_number_location("+1305"));
}

// Every zone the table names must be embedded, or quiet hours would block those numbers.
TEST(AreaCodes, EveryZoneIsEmbedded) {
  int codes = 0;
  for (int npa = 200; npa <= 999; ++npa) {
    auto loc = area_code_location(npa);
    if (!loc) continue;
    ++codes;
    EXPECT_FALSE(loc->state.empty()) << npa;
    for (auto zone : loc->time_zones) {
      EXPECT_TRUE(common::tz::TimeZone::load(zone)) << npa << " " << zone;
    }
  }
  EXPECT_GT(codes, 350);
}

}  // namespace
