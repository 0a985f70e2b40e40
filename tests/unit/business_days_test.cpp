// Federal holidays (5 U.S.C. 6103) and the opt-out deadline (47 CFR 64.1200(a)(10), FCC 24-24:
// within 10 business days of receipt). Expected holiday dates are OPM's published federal
// holiday tables (opm.gov, "Federal Holidays", years 2021 and 2024 to 2030).
#include "common/compliance/business_days.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "common/tz/time_zone.hpp"

namespace common::compliance {
namespace {

using namespace std::chrono;
using Millis = sys_time<milliseconds>;

constexpr year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

Millis at(year_month_day date, hours h, minutes m = minutes{0}, seconds s = seconds{0},
          milliseconds ms = milliseconds{0}) {
  return sys_days{date} + h + m + s + ms;
}

// libstdc++ 12 has no operator<< for calendar types; ISO strings make failures readable.
std::string iso(year_month_day d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string iso(Millis t) {
  const sys_days date = floor<days>(t);
  const hh_mm_ss<milliseconds> time{t - date};
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return iso(year_month_day{date}) + buf;
}

struct HolidayCase {
  year_month_day date;
  std::string_view name;
};

void expect_holidays(std::initializer_list<HolidayCase> cases) {
  for (const HolidayCase& c : cases) {
    const auto got = federal_holiday(c.date);
    ASSERT_TRUE(got.has_value()) << iso(c.date);
    EXPECT_EQ(*got, c.name) << iso(c.date);
    EXPECT_FALSE(is_business_day(c.date)) << iso(c.date);
  }
}

constexpr std::string_view kNewYear = "New Year's Day";
constexpr std::string_view kMlk = "Birthday of Martin Luther King, Jr.";
constexpr std::string_view kWashington = "Washington's Birthday";
constexpr std::string_view kMemorial = "Memorial Day";
constexpr std::string_view kJuneteenth = "Juneteenth National Independence Day";
constexpr std::string_view kIndependence = "Independence Day";
constexpr std::string_view kLabor = "Labor Day";
constexpr std::string_view kColumbus = "Columbus Day";
constexpr std::string_view kVeterans = "Veterans Day";
constexpr std::string_view kThanksgiving = "Thanksgiving Day";
constexpr std::string_view kChristmas = "Christmas Day";

// OPM 2025 table: no holiday falls on a weekend.
TEST(FederalHoliday, Opm2025) {
  expect_holidays({{ymd(2025, 1, 1), kNewYear},
                   {ymd(2025, 1, 20), kMlk},
                   {ymd(2025, 2, 17), kWashington},
                   {ymd(2025, 5, 26), kMemorial},
                   {ymd(2025, 6, 19), kJuneteenth},
                   {ymd(2025, 7, 4), kIndependence},
                   {ymd(2025, 9, 1), kLabor},
                   {ymd(2025, 10, 13), kColumbus},
                   {ymd(2025, 11, 11), kVeterans},
                   {ymd(2025, 11, 27), kThanksgiving},
                   {ymd(2025, 12, 25), kChristmas}});
}

// OPM 2026 table: July 4 is a Saturday, observed Friday July 3 (5 U.S.C. 6103(b)).
TEST(FederalHoliday, Opm2026) {
  expect_holidays({{ymd(2026, 1, 1), kNewYear},
                   {ymd(2026, 1, 19), kMlk},
                   {ymd(2026, 2, 16), kWashington},
                   {ymd(2026, 5, 25), kMemorial},
                   {ymd(2026, 6, 19), kJuneteenth},
                   {ymd(2026, 7, 3), kIndependence},
                   {ymd(2026, 9, 7), kLabor},
                   {ymd(2026, 10, 12), kColumbus},
                   {ymd(2026, 11, 11), kVeterans},
                   {ymd(2026, 11, 26), kThanksgiving},
                   {ymd(2026, 12, 25), kChristmas}});
  EXPECT_FALSE(federal_holiday(ymd(2026, 7, 4)).has_value());  // the Saturday itself
}

// OPM 2027 table: Juneteenth (Sat) -> Fri 6/18, July 4 (Sun) -> Mon 7/5, Christmas (Sat) ->
// Fri 12/24, and New Year's Day 2028 (Sat) -> Fri 2027-12-31.
TEST(FederalHoliday, Opm2027WithObservedDates) {
  expect_holidays({{ymd(2027, 1, 1), kNewYear},
                   {ymd(2027, 1, 18), kMlk},
                   {ymd(2027, 2, 15), kWashington},
                   {ymd(2027, 5, 31), kMemorial},
                   {ymd(2027, 6, 18), kJuneteenth},
                   {ymd(2027, 7, 5), kIndependence},
                   {ymd(2027, 9, 6), kLabor},
                   {ymd(2027, 10, 11), kColumbus},
                   {ymd(2027, 11, 11), kVeterans},
                   {ymd(2027, 11, 25), kThanksgiving},
                   {ymd(2027, 12, 24), kChristmas},
                   {ymd(2027, 12, 31), kNewYear}});
  for (const auto d : {ymd(2027, 6, 19), ymd(2027, 7, 4), ymd(2027, 12, 25)}) {
    EXPECT_FALSE(federal_holiday(d).has_value()) << iso(d);
  }
}

// OPM 2028 table: New Year's Day observed in 2027 (none in January 2028), Veterans Day (Sat)
// -> Fri 11/10.
TEST(FederalHoliday, Opm2028) {
  expect_holidays({{ymd(2028, 1, 17), kMlk},
                   {ymd(2028, 2, 21), kWashington},
                   {ymd(2028, 5, 29), kMemorial},
                   {ymd(2028, 6, 19), kJuneteenth},
                   {ymd(2028, 7, 4), kIndependence},
                   {ymd(2028, 9, 4), kLabor},
                   {ymd(2028, 10, 9), kColumbus},
                   {ymd(2028, 11, 10), kVeterans},
                   {ymd(2028, 11, 23), kThanksgiving},
                   {ymd(2028, 12, 25), kChristmas}});
  EXPECT_FALSE(federal_holiday(ymd(2028, 1, 1)).has_value());
  EXPECT_FALSE(federal_holiday(ymd(2028, 1, 3)).has_value());  // Monday: not a second New Year
  EXPECT_TRUE(is_business_day(ymd(2028, 1, 3)));
}

// OPM 2024 table: no holiday falls on a weekend.
TEST(FederalHoliday, Opm2024) {
  expect_holidays({{ymd(2024, 1, 1), kNewYear},
                   {ymd(2024, 1, 15), kMlk},
                   {ymd(2024, 2, 19), kWashington},
                   {ymd(2024, 5, 27), kMemorial},
                   {ymd(2024, 6, 19), kJuneteenth},
                   {ymd(2024, 7, 4), kIndependence},
                   {ymd(2024, 9, 2), kLabor},
                   {ymd(2024, 10, 14), kColumbus},
                   {ymd(2024, 11, 11), kVeterans},
                   {ymd(2024, 11, 28), kThanksgiving},
                   {ymd(2024, 12, 25), kChristmas}});
}

// OPM 2029 table: Veterans Day (Sun 11/11) observed Mon 11/12.
TEST(FederalHoliday, Opm2029) {
  expect_holidays({{ymd(2029, 1, 1), kNewYear},
                   {ymd(2029, 1, 15), kMlk},
                   {ymd(2029, 2, 19), kWashington},
                   {ymd(2029, 5, 28), kMemorial},
                   {ymd(2029, 6, 19), kJuneteenth},
                   {ymd(2029, 7, 4), kIndependence},
                   {ymd(2029, 9, 3), kLabor},
                   {ymd(2029, 10, 8), kColumbus},
                   {ymd(2029, 11, 12), kVeterans},
                   {ymd(2029, 11, 22), kThanksgiving},
                   {ymd(2029, 12, 25), kChristmas}});
  EXPECT_FALSE(federal_holiday(ymd(2029, 11, 11)).has_value()) << "the Sunday itself";
}

// OPM 2030 table: no holiday falls on a weekend.
TEST(FederalHoliday, Opm2030) {
  expect_holidays({{ymd(2030, 1, 1), kNewYear},
                   {ymd(2030, 1, 21), kMlk},
                   {ymd(2030, 2, 18), kWashington},
                   {ymd(2030, 5, 27), kMemorial},
                   {ymd(2030, 6, 19), kJuneteenth},
                   {ymd(2030, 7, 4), kIndependence},
                   {ymd(2030, 9, 2), kLabor},
                   {ymd(2030, 10, 14), kColumbus},
                   {ymd(2030, 11, 11), kVeterans},
                   {ymd(2030, 11, 28), kThanksgiving},
                   {ymd(2030, 12, 25), kChristmas}});
}

// Exactly the eleven OPM holidays in each year 2024-2030 (2027 has twelve dates: New Year 2028
// is observed Fri 2027-12-31; 2028 has ten), nothing else is a holiday.
TEST(FederalHoliday, CountsPerYear2024To2030) {
  const std::map<int, int> expected = {{2024, 11}, {2025, 11}, {2026, 11}, {2027, 12},
                                       {2028, 10}, {2029, 11}, {2030, 11}};
  for (const auto& [y, count] : expected) {
    int found = 0;
    for (sys_days d = sys_days{ymd(y, 1, 1)}; d <= sys_days{ymd(y, 12, 31)}; d += days{1}) {
      found += federal_holiday(year_month_day{d}).has_value() ? 1 : 0;
    }
    EXPECT_EQ(found, count) << y;
  }
}

// Computed, not tabulated: every year 2020-2100 has its holidays on weekdays only, each of the
// eleven names once (Juneteenth from 2021; a Saturday New Year's Day moves into the year
// before), and between 248 and 253 business days.
TEST(FederalHoliday, SaneForEveryYear2020To2100) {
  for (int y = 2020; y <= 2100; ++y) {
    std::map<std::string_view, int> names;
    int business = 0;
    for (sys_days d = sys_days{ymd(y, 1, 1)}; d <= sys_days{ymd(y, 12, 31)}; d += days{1}) {
      const auto holiday = federal_holiday(year_month_day{d});
      if (holiday) {
        const weekday wd{d};
        EXPECT_TRUE(wd != Saturday && wd != Sunday) << iso(year_month_day{d});
        ++names[*holiday];
      }
      business += is_business_day(year_month_day{d}) ? 1 : 0;
    }
    const bool new_year_moved_out = weekday{sys_days{ymd(y, 1, 1)}} == Saturday;
    const bool new_year_moved_in = weekday{sys_days{ymd(y + 1, 1, 1)}} == Saturday;
    const int expected_new_years = 1 - (new_year_moved_out ? 1 : 0) + (new_year_moved_in ? 1 : 0);
    EXPECT_EQ(names[kNewYear], expected_new_years) << y;
    EXPECT_EQ(names[kJuneteenth], y >= 2021 ? 1 : 0) << y;
    for (auto name : {kMlk, kWashington, kMemorial, kIndependence, kLabor, kColumbus, kVeterans,
                      kThanksgiving, kChristmas}) {
      EXPECT_EQ(names[name], 1) << y << " " << name;
    }
    EXPECT_GE(business, 248) << y;
    EXPECT_LE(business, 253) << y;
  }
}

// Deadlines that cross the 2027-12-31 observance of New Year's Day 2028 (OPM 2027/2028 tables).
// Receipts at 12:00 UTC, an instant that is the same calendar date in every US time zone.
TEST(OptOutDeadline, CrossesNewYear2028ObservedOn2027_12_31) {
  // Thu 2027-12-16: skips Christmas (observed Fri 12-24) and Fri 12-31 -> Mon 2028-01-03.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2027, 12, 16), 12h))), "2028-01-03T12:00:00.000Z");
  // Mon 2027-12-27: 12-28..12-30, then 2028-01-03..01-07 and 01-10 (MLK is 01-17) -> Tue 01-11.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2027, 12, 27), 12h))), "2028-01-11T12:00:00.000Z");
  // Saturday 2028-01-01 itself is no observed holiday, just a weekend day.
  EXPECT_FALSE(federal_holiday(ymd(2028, 1, 1)).has_value());
  EXPECT_EQ(business_days_left(at(ymd(2027, 12, 30), 12h), at(ymd(2028, 1, 3), 12h)), 1);
}

// Juneteenth became a holiday on 2021-06-17 (Pub. L. 117-17); OPM 2021: observed Fri 6/18.
// OPM 2022 table lists Fri 2021-12-31 for New Year's Day 2022 (a Saturday).
TEST(FederalHoliday, JuneteenthFrom2021AndNewYear2022) {
  expect_holidays({{ymd(2021, 6, 18), kJuneteenth}, {ymd(2021, 12, 31), kNewYear}});
  EXPECT_FALSE(federal_holiday(ymd(2020, 6, 19)).has_value());  // a Friday, before the law
  EXPECT_TRUE(is_business_day(ymd(2020, 6, 19)));
}

// Executive-order closures are not 5 U.S.C. 6103(a) holidays.
TEST(FederalHoliday, ExecutiveOrderClosuresAreNotHolidays) {
  EXPECT_TRUE(is_business_day(ymd(2025, 12, 24)));
  EXPECT_TRUE(is_business_day(ymd(2025, 12, 26)));
}

TEST(IsBusinessDay, WeekdaysWeekendsHolidaysAndInvalidDates) {
  EXPECT_TRUE(is_business_day(ymd(2025, 11, 24)));   // Monday
  EXPECT_TRUE(is_business_day(ymd(2025, 11, 28)));   // Friday after Thanksgiving
  EXPECT_FALSE(is_business_day(ymd(2025, 11, 22)));  // Saturday
  EXPECT_FALSE(is_business_day(ymd(2025, 11, 23)));  // Sunday
  EXPECT_FALSE(is_business_day(ymd(2025, 11, 27)));  // Thanksgiving
  EXPECT_TRUE(is_business_day(ymd(2028, 2, 29)));    // leap day, a Tuesday
  EXPECT_FALSE(is_business_day(ymd(2025, 2, 30)));   // no such date
  EXPECT_FALSE(federal_holiday(ymd(2025, 2, 30)).has_value());
}

TEST(AddBusinessDays, SkipsWeekendsAndHolidays) {
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 24), 1)), "2025-11-25");
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 21), 1)), "2025-11-24");  // Fri -> Mon
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 26), 1)), "2025-11-28");  // over Thanksgiving
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 22), 1)), "2025-11-24");  // from a Saturday
  // Late December 2027: Fri 12/24 and Fri 12/31 are both observed holidays.
  EXPECT_EQ(iso(add_business_days(ymd(2027, 12, 23), 1)), "2027-12-27");
  EXPECT_EQ(iso(add_business_days(ymd(2027, 12, 30), 1)), "2028-01-03");
  EXPECT_EQ(iso(add_business_days(ymd(2028, 2, 25), 2)), "2028-02-29");  // leap day counts
}

TEST(AddBusinessDays, NonPositiveCountReturnsFrom) {
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 22), 0)), "2025-11-22");
  EXPECT_EQ(iso(add_business_days(ymd(2025, 11, 22), -3)), "2025-11-22");
}

// 47 CFR 64.1200(a)(10): deadline = same time of day, 10th business day after the receipt date.
// Receipts between 11:00 and 13:59 UTC are the same calendar date in every US time zone (UTC-11
// to UTC+10), so these expectations need no zone.
TEST(OptOutDeadline, PlainWeeksKeepTheTimeOfDay) {
  // Tue 2026-03-10 -> two full weeks, no holiday -> Tue 2026-03-24.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 3, 10), 12h, 30min, 15s, 250ms))),
            "2026-03-24T12:30:15.250Z");
  EXPECT_EQ(kOptOutBusinessDays, 10);
}

TEST(OptOutDeadline, SpansThanksgiving) {
  // Fri 2025-11-21: 24 25 26 (27 Thanksgiving) 28, Dec 1 2 3 4 5, 8 -> Mon 2025-12-08.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2025, 11, 21), 12h, 4min))), "2025-12-08T12:04:00.000Z");
  // Fri 2026-11-20 -> over Thanksgiving 2026-11-26 -> Mon 2026-12-07.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 11, 20), 13h))), "2026-12-07T13:00:00.000Z");
}

TEST(OptOutDeadline, SpansChristmasAndNewYear) {
  // Mon 2025-12-22 -> skips 12/25 and 1/1 -> Wed 2026-01-07.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2025, 12, 22), 12h))), "2026-01-07T12:00:00.000Z");
  // Mon 2027-12-20: 21 22 23 (24 obs. Christmas) 27 28 29 30 (31 obs. New Year 2028) Jan 3 4 5.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2027, 12, 20), 11h))), "2028-01-05T11:00:00.000Z");
  // Thu 2027-12-23 -> Mon 2028-01-10.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2027, 12, 23), 13h, 59min))), "2028-01-10T13:59:00.000Z");
}

TEST(OptOutDeadline, ReceiptOnASaturdayOrAHoliday) {
  // Sat 2026-03-07: counting starts Mon 3/9 -> Fri 2026-03-20.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 3, 7), 12h))), "2026-03-20T12:00:00.000Z");
  // Fri 2026-07-03 (observed Independence Day) -> Fri 2026-07-17.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 7, 3), 12h))), "2026-07-17T12:00:00.000Z");
  // Thu 2026-01-01 (New Year's Day) -> Thu 2026-01-15.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 1, 1), 12h))), "2026-01-15T12:00:00.000Z");
}

TEST(OptOutDeadline, LeapYears) {
  // Wed 2024-02-28 -> 29 (leap day), Mar 1, 4..8, 11 12 13 -> Wed 2024-03-13.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2024, 2, 28), 12h))), "2024-03-13T12:00:00.000Z");
  // Fri 2028-02-18 -> skips Washington's Birthday 2/21, counts 2/29 -> Mon 2028-03-06.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2028, 2, 18), 12h))), "2028-03-06T12:00:00.000Z");
}

// The receipt day is the customer's local date, not the UTC date.
TEST(OptOutDeadline, CountsFromTheEarliestUsDeadline) {
  // Sun 2026-02-01 20:00 EST is Mon 02-02 01:00 UTC. From Sunday: Feb 2..6 and 9..13 -> Fri
  // 02-13 20:00 EST = 02-14 01:00 UTC. Counting from the UTC date (Monday) would have skipped
  // Washington's Birthday (02-16) and given Tue 02-17 01:00 UTC, after the customer's deadline.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 2, 2), 1h))), "2026-02-14T01:00:00.000Z");
  // Fri 2026-03-06 20:00 UTC is already Sat 03-07 06:00 in Guam (UTC+10): from Saturday, Fri
  // 03-20 06:00 ChST = Thu 03-19 20:00 UTC, a day before the mainland's Fri 03-20 20:00 UTC.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 3, 6), 20h))), "2026-03-19T20:00:00.000Z");
  // 23:59:59.999 UTC on Friday is Friday on the mainland, Saturday in Guam: Guam's is earlier.
  EXPECT_EQ(iso(opt_out_deadline(at(ymd(2026, 3, 6), 23h, 59min, 59s, 999ms))),
            "2026-03-19T23:59:59.999Z");
}

// Over a year of receipts (every 131 minutes, across both DST changes), in each inhabited US zone
// through the IANA rules: the stored deadline is never later than the deadline reckoned on that
// zone's own wall clock (but for the hour a spring DST change between receipt and deadline moves
// it: the stored deadline is a whole number of days after receipt), and never earlier than 12 days
// after receipt (the shortest possible 10 business days: from a Sunday to the second Friday).
TEST(OptOutDeadline, NeverLaterThanTheCustomersOwnDeadline) {
  const char* const zones[] = {"America/New_York", "America/Chicago",   "America/Denver",
                               "America/Phoenix",  "America/Los_Angeles", "America/Anchorage",
                               "America/Adak",     "Pacific/Honolulu",  "America/Puerto_Rico",
                               "America/St_Thomas", "Pacific/Guam",     "Pacific/Saipan",
                               "Pacific/Pago_Pago"};
  int checked = 0, dst_hour = 0;
  for (const char* name : zones) {
    const auto zone = tz::TimeZone::load(name);
    ASSERT_TRUE(zone.has_value()) << name;
    for (auto received = sys_seconds{sys_days{ymd(2026, 1, 1)}};
         received < sys_seconds{sys_days{ymd(2027, 1, 1)}}; received += minutes{131}) {
      const auto local = zone->to_local(received);
      const auto local_day = floor<days>(local);
      const auto own_local_deadline =
          local_days{add_business_days(year_month_day{local_day}, kOptOutBusinessDays)} +
          (local - local_day);
      const Millis own = zone->from_local(own_local_deadline);
      const Millis stored = opt_out_deadline(received);
      ASSERT_LE(stored, own + hours{1}) << name << " received " << iso(Millis{received}) << " stored "
                             << iso(stored) << " own " << iso(own);
      ASSERT_GE(stored - Millis{received}, days{12}) << name;
      if (stored > own) ++dst_hour;
      ++checked;
    }
  }
  EXPECT_GT(checked, 13 * 4000);
  EXPECT_LT(dst_hour, checked / 50);  // only receipts whose 10 business days span the change
}

TEST(BusinessDaysLeft, CountsBusinessDaysUntilTheDeadlineDate) {
  const Millis deadline = at(ymd(2025, 12, 8), 12h);                        // Monday
  EXPECT_EQ(business_days_left(at(ymd(2025, 11, 21), 12h), deadline), 10);  // at receipt
  EXPECT_EQ(business_days_left(at(ymd(2025, 11, 26), 12h), deadline), 7);   // Thanksgiving eve
  EXPECT_EQ(business_days_left(at(ymd(2025, 11, 27), 12h), deadline), 7);   // on Thanksgiving
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 4), 12h), deadline), 2);    // Thursday: alert
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 5), 12h), deadline), 1);    // Friday
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 6), 12h), deadline), 1);    // Saturday
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 8), 11h), deadline), 0);    // the day itself
  // 01:00 UTC Monday is still Sunday on the mainland (1 left there) but Monday in Guam: 0.
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 8), 1h), deadline), 0);
  // 16:00 UTC, past the instant: Monday on the mainland (0) but Tuesday in Guam (overdue, -1).
  EXPECT_EQ(business_days_left(at(ymd(2025, 12, 8), 16h), deadline), -1);
}

TEST(BusinessDaysLeft, OverdueIsNegative) {
  const Millis friday_deadline = at(ymd(2026, 3, 20), 12h);
  EXPECT_EQ(business_days_left(at(ymd(2026, 3, 21), 12h), friday_deadline), -1);  // Saturday
  EXPECT_EQ(business_days_left(at(ymd(2026, 3, 22), 12h), friday_deadline), -1);  // Sunday
  EXPECT_EQ(business_days_left(at(ymd(2026, 3, 23), 12h), friday_deadline), -1);  // Monday
  EXPECT_EQ(business_days_left(at(ymd(2026, 3, 24), 12h), friday_deadline), -2);  // Tuesday
  // Across the observed 2027-12-31: deadline Thu 12/30, now Mon 2028-01-03 -> only 1/3 counts.
  EXPECT_EQ(business_days_left(at(ymd(2028, 1, 3), 12h), at(ymd(2027, 12, 30), 12h)), -1);
}

// At receipt: 10 in the zone that set the deadline; where US dates differ (before 11:00 or
// after 13:59 UTC) another zone can count one fewer.
TEST(BusinessDaysLeft, AgreesWithOptOutDeadline) {
  for (int offset = 0; offset < 800; offset += 7) {
    const Millis received = at(ymd(2025, 1, 1), 13h) + days{offset} + hours{offset % 24};
    const int left = business_days_left(received, opt_out_deadline(received));
    const auto hour = floor<hours>(received - floor<days>(received)).count();
    if (hour >= 11 && hour <= 13) {
      EXPECT_EQ(left, kOptOutBusinessDays) << offset;
    } else {
      EXPECT_GE(left, kOptOutBusinessDays - 1) << offset;
      EXPECT_LE(left, kOptOutBusinessDays) << offset;
    }
  }
}

// How long an honour took, for the audit: business days after the receipt date up to the honour
// date, in the US zone where the most elapse (47 CFR 64.1200(a)(10)).
TEST(BusinessDaysElapsed, CountsBusinessDaysAfterTheReceiptDay) {
  // Tue 2026-11-03 15:00 UTC (Tuesday in every US zone): honoured the same afternoon -> 0.
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 15h), at(ymd(2026, 11, 3), 16h)), 0);
  // The next day: 1. Not after the receipt (or before it): 0.
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 15h), at(ymd(2026, 11, 4), 15h)), 1);
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 15h), at(ymd(2026, 11, 3), 15h)), 0);
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 15h), at(ymd(2026, 11, 2), 15h)), 0);
  // Fri 2026-11-20 15:00 UTC to Mon 2026-11-30 15:00 UTC: on the mainland Mon-Wed, Fri
  // (Thanksgiving Thu 11-26 is not a business day) and Mon 11-30, 5; in Guam (UTC+10) it is Sat
  // 11-21 to Tue 12-01, 6, and the most count.
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 20), 15h), at(ymd(2026, 11, 30), 15h)), 6);
  // Fri 2026-11-20 15:00 UTC to Mon 2026-11-30 12:00 UTC (Mon 22:00 in Guam): 5 everywhere.
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 20), 15h), at(ymd(2026, 11, 30), 12h)), 5);
  // At its deadline an opt-out has taken exactly 10, in the zone that set the deadline.
  const auto received = at(ymd(2025, 11, 21), 12h, 4min);
  EXPECT_EQ(business_days_elapsed(received, opt_out_deadline(received)), 10);
  // An hour that crosses midnight in UTC but in no US zone (UTC-11 to -4, +10): 0; a whole day
  // later: 1.
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 23h, 30min), at(ymd(2026, 11, 4), 0h, 30min)),
            0);
  EXPECT_EQ(business_days_elapsed(at(ymd(2026, 11, 3), 23h, 30min), at(ymd(2026, 11, 4), 23h, 30min)),
            1);
}

}  // namespace
}  // namespace common::compliance
