#include "common/compliance/holidays.hpp"

#include <array>

namespace common::compliance {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;
using Kind = HolidayRule::Kind;

// The eleven holidays of 5 U.S.C. 6103(a); Juneteenth from 2021 (Pub. L. 117-17). The same list
// business_days.cpp uses for observed dates (a unit test compares the two for 2021-2040).
constexpr std::array<HolidayRule, 11> kFederal = {{
    {.name = "New Year's Day", .kind = Kind::kFixed, .month = 1, .day = 1},
    {.name = "Birthday of Martin Luther King, Jr.", .kind = Kind::kNthWeekday, .month = 1,
     .weekday = 1, .nth = 3},
    {.name = "Washington's Birthday", .kind = Kind::kNthWeekday, .month = 2, .weekday = 1, .nth = 3},
    {.name = "Memorial Day", .kind = Kind::kLastWeekday, .month = 5, .weekday = 1},
    {.name = "Juneteenth National Independence Day", .kind = Kind::kFixed, .month = 6, .day = 19,
     .since_year = 2021},
    {.name = "Independence Day", .kind = Kind::kFixed, .month = 7, .day = 4},
    {.name = "Labor Day", .kind = Kind::kNthWeekday, .month = 9, .weekday = 1, .nth = 1},
    {.name = "Columbus Day", .kind = Kind::kNthWeekday, .month = 10, .weekday = 1, .nth = 2},
    {.name = "Veterans Day", .kind = Kind::kFixed, .month = 11, .day = 11},
    {.name = "Thanksgiving Day", .kind = Kind::kNthWeekday, .month = 11, .weekday = 4, .nth = 4},
    {.name = "Christmas Day", .kind = Kind::kFixed, .month = 12, .day = 25},
}};

// Whether `rule` bans `target`: its date in the target's year (or the next year's, for a
// January 1 moved back to December 31), or that date's moved weekday.
bool bans(const HolidayRule& rule, sys_days target) {
  const year y = year_month_day{target}.year();
  for (const year candidate : {y, y + std::chrono::years{1}}) {
    const auto date = holiday_date(rule, candidate);
    if (!date) continue;
    const sys_days actual{*date};
    if (actual == target) return true;
    if (rule.kind != Kind::kFixed) continue;
    const unsigned wd = std::chrono::weekday{actual}.c_encoding();  // 0 = Sunday
    switch (rule.move) {
      case HolidayRule::Move::kNone:
        break;
      case HolidayRule::Move::kFridayOrMonday:
        if (wd == 6 && actual - days{1} == target) return true;
        if (wd == 0 && actual + days{1} == target) return true;
        break;
      case HolidayRule::Move::kNextMonday:
        if (wd == 6 && actual + days{2} == target) return true;
        if (wd == 0 && actual + days{1} == target) return true;
        break;
      case HolidayRule::Move::kWeekMonday:
        if (wd == 6 && actual + days{2} == target) return true;
        if (wd == 0 && actual + days{1} == target) return true;
        if (wd >= 2 && wd <= 5 && actual - days{wd - 1} == target) return true;
        break;
    }
  }
  return false;
}

std::optional<std::string_view> first_ban(std::span<const HolidayRule> rules, year_month_day date) {
  if (!date.ok()) return std::nullopt;
  const sys_days target{date};
  for (const HolidayRule& rule : rules) {
    if (bans(rule, target)) return rule.name;
  }
  return std::nullopt;
}

}  // namespace

year_month_day easter_sunday(year y) {
  // The Gregorian computus in its integer form (Meeus, "Astronomical Algorithms", ch. 8): the
  // Sunday after the ecclesiastical full moon on or after March 21.
  const int yr = static_cast<int>(y);
  const int a = yr % 19;
  const int b = yr / 100;
  const int c = yr % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return year_month_day{y, std::chrono::month(static_cast<unsigned>(month)),
                        std::chrono::day(static_cast<unsigned>(day))};
}

std::optional<year_month_day> holiday_date(const HolidayRule& rule, year y) {
  using namespace std::chrono;
  if (rule.since_year != 0 && static_cast<int>(y) < rule.since_year) return std::nullopt;
  if (rule.every_years > 1 && (static_cast<int>(y) - rule.since_year) % rule.every_years != 0) {
    return std::nullopt;
  }
  const month m{rule.month};
  switch (rule.kind) {
    case Kind::kFixed: {
      const year_month_day date{y, m, day{rule.day}};
      return date.ok() ? std::optional(date) : std::nullopt;
    }
    case Kind::kNthWeekday: {
      const year_month_day date{year_month_weekday{y, m, weekday{rule.weekday}[rule.nth]}};
      if (!date.ok()) return std::nullopt;
      return year_month_day{sys_days{date} + days{rule.offset_days}};
    }
    case Kind::kLastWeekday:
      return year_month_day{year_month_weekday_last{y, m, weekday_last{weekday{rule.weekday}}}};
    case Kind::kEaster:
      return year_month_day{sys_days{easter_sunday(y)} + days{rule.offset_days}};
  }
  return std::nullopt;
}

std::optional<HolidayBan> holiday_on(const HolidayCalendar& calendar, year_month_day date) {
  if (auto name = first_ban(calendar.rules, date)) return HolidayBan{*name, calendar.citation};
  if (!calendar.with_federal) return std::nullopt;
  if (auto name = federal_holiday_ban(date)) return HolidayBan{*name, "5 U.S.C. 6103(a)"};
  return std::nullopt;
}

std::optional<std::string_view> federal_holiday_ban(year_month_day date) {
  return first_ban(kFederal, date);
}

}  // namespace common::compliance
