// NANP area code table (NANPA NPA assignments and overlay orders; zone boundaries per 49 CFR
// part 71 and IANA tzdata). The whole table is compared with libphonenumber's data by the test
// area_codes_match_libphonenumber (area_codes_libphonenumber.mjs).
#include "common/compliance/area_codes.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "common/tz/time_zone.hpp"

namespace {

using common::compliance::area_code_location;
using common::compliance::phone_number_location;
using common::compliance::us_area_codes;

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
  EXPECT_FALSE(area_code_location(416));  // Toronto: Canadian, not listed (every state's rule applies)
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

// The six overlays missing until 2026, each checked against libphonenumber
// (area_codes_match_libphonenumber) and here against the state's announcement: the new code
// covers exactly its parent's area, so it has the parent's state and zones.
void expect_overlay(int npa, int parent, std::string_view state,
                    const std::vector<std::string_view>& zones) {
  const auto loc = area_code_location(npa);
  ASSERT_TRUE(loc) << npa;
  EXPECT_EQ(loc->state, state) << npa;
  EXPECT_EQ(loc->time_zones, zones) << npa;
  const auto parent_loc = area_code_location(parent);
  ASSERT_TRUE(parent_loc) << parent;
  EXPECT_EQ(parent_loc->state, loc->state) << npa << " overlays " << parent;
  EXPECT_EQ(parent_loc->time_zones, loc->time_zones) << npa << " overlays " << parent;
}

// NY PSC: 329 overlays 845 (Hudson Valley), numbers from 2023-03-24.
TEST(AreaCodes, Nanpa2023Overlay329NewYork) {
  expect_overlay(329, 845, "NY", {"America/New_York"});
  EXPECT_EQ(phone_number_location("+13295550123")->state, "NY");
}

// Wisconsin PSC: 353 overlays 608 (Madison, La Crosse), in service 2023-09-15.
TEST(AreaCodes, Nanpa2023Overlay353Wisconsin) {
  expect_overlay(353, 608, "WI", {"America/Chicago"});
}

// CPUC: 369 overlays 707 (North Coast, Napa, Sonoma, Solano), in service 2023-02-01.
TEST(AreaCodes, Nanpa2023Overlay369California) {
  expect_overlay(369, 707, "CA", {"America/Los_Angeles"});
}

// CPUC (approved 2023-03-16): 738 overlays 213/323 (central Los Angeles), numbers from 2024.
TEST(AreaCodes, Nanpa2024Overlay738California) {
  expect_overlay(738, 213, "CA", {"America/Los_Angeles"});
  expect_overlay(738, 323, "CA", {"America/Los_Angeles"});
}

// Colorado PUC (proceeding 23V-0274T): 748 overlays 970 (northern and western Colorado), in
// service 2025-07-07; all of Colorado keeps Mountain time.
TEST(AreaCodes, Nanpa2025Overlay748Colorado) {
  expect_overlay(748, 970, "CO", {"America/Denver"});
}

// SC PSC: 821 overlays 864 (Upstate), numbers from 2024-08-19.
TEST(AreaCodes, Nanpa2024Overlay821SouthCarolina) {
  expect_overlay(821, 864, "SC", {"America/New_York"});
}

// 219 reaches Monon and Wolcott (White County; libphonenumber's geocoding), east of the zone
// line of 49 CFR 71.5(b): the code spans Central (Gary, Hammond) and Eastern time.
TEST(AreaCodes, Cfr49Part71Indiana219SpansCentralAndEastern) {
  const auto loc = area_code_location(219);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->state, "IN");
  EXPECT_EQ(loc->time_zones,
            (std::vector<std::string_view>{"America/Chicago", "America/Indiana/Indianapolis"}));
}

// us_area_codes lists exactly what area_code_location knows, ascending, each code once.
TEST(AreaCodes, EnumerationMatchesLookup) {
  const auto codes = us_area_codes();
  std::size_t known = 0;
  for (int npa = 200; npa <= 999; ++npa) known += area_code_location(npa) ? 1 : 0;
  ASSERT_EQ(codes.size(), known);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(codes[i - 1].first, codes[i].first) << "not ascending or listed twice";
    }
    const auto loc = area_code_location(codes[i].first);
    ASSERT_TRUE(loc) << codes[i].first;
    EXPECT_EQ(loc->state, codes[i].second.state) << codes[i].first;
    EXPECT_EQ(loc->time_zones, codes[i].second.time_zones) << codes[i].first;
  }
}

}  // namespace
