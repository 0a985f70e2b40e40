// Legal-holiday calendars for the state rules that ban telephone solicitations on holidays
// (docs/compliance.md#state-holidays). Each calendar is data: a list of rules that give a
// holiday's date in any year (a fixed date, the n-th or last weekday of a month, or a number of
// days from Easter Sunday), each with the statute that makes it a holiday. Pure functions on
// std::chrono calendar dates, no I/O.
//
// Which day is banned when a fixed-date holiday falls on a weekend: state statutes move the
// observance (e.g. a Sunday holiday to the Monday), but the rules ban solicitations "on" a legal
// holiday without saying whether that means the date or the day it is observed. We ban both:
// the date itself and, when it falls on a Saturday or Sunday, the Friday before or the Monday
// after. That costs at most one extra day a year per holiday and cannot be wrong in either
// reading.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace common::compliance {

/// How one holiday's date is found in a year.
struct HolidayRule {
  enum class Kind {
    kFixed,        ///< `month`/`day` every year
    kNthWeekday,   ///< the `nth` (1-5) `weekday` of `month` ("third Monday in January")
    kLastWeekday,  ///< the last `weekday` of `month` ("last Monday in May")
    kEaster,       ///< `offset_days` after Easter Sunday (Good Friday: -2; Mardi Gras: -47)
  };
  std::string_view name = {};
  Kind kind = Kind::kFixed;
  unsigned month = 0;      ///< 1-12 (kFixed, kNthWeekday, kLastWeekday)
  unsigned day = 0;        ///< day of month (kFixed)
  unsigned weekday = 0;    ///< 0 = Sunday ... 6 = Saturday (kNthWeekday, kLastWeekday)
  unsigned nth = 0;        ///< 1-5 (kNthWeekday)
  /// Days added to the date the kind gives: kEaster (Good Friday: -2; Mardi Gras: -47),
  /// kNthWeekday (Election Day: the first Monday of November + 1).
  int offset_days = 0;
  int since_year = 0;      ///< first year the holiday exists in law (0: always)
  /// Which weekday a kFixed holiday is also observed on (both days are banned, file comment).
  enum class Move {
    kNone,            ///< only the date itself
    kFridayOrMonday,  ///< Saturday: the Friday before; Sunday: the Monday after (5 U.S.C. 6103(b))
    kNextMonday,      ///< Saturday or Sunday: the Monday after (R.I. Gen. Laws 25-1-1)
    kWeekMonday,      ///< a Monday: Tuesday-Friday the one before, Saturday-Sunday the one after
  };
  Move move = Move::kFridayOrMonday;
  /// Every other year from `since_year` (Inauguration Day style); 0 or 1: every year.
  int every_years = 1;
};

/// A jurisdiction's legal holidays on which a state rule bans texts.
struct HolidayCalendar {
  std::string_view state = {};     ///< USPS code of the state whose rule uses it ("AL")
  std::string_view citation = {};  ///< the statute listing the holidays ("Ala. Code 1-3-8")
  std::span<const HolidayRule> rules = {};
  /// Also every federal holiday of 5 U.S.C. 6103(a) (the rule says "state or federal holiday").
  bool with_federal = false;
};

/// A holiday that bans texts on a date: its name and the statute that makes it one.
struct HolidayBan {
  std::string_view name;      ///< "Christmas Day"
  std::string_view citation;  ///< "Ala. Code 1-3-8", or "5 U.S.C. 6103(a)" for a federal one
};

/// The holiday of `calendar` that bans texts on local date `date`, or nullopt. A weekend date
/// and its moved weekday are both banned (file comment). An invalid date is never a holiday.
std::optional<HolidayBan> holiday_on(const HolidayCalendar& calendar,
                                     std::chrono::year_month_day date);

/// The same for the federal holidays alone (5 U.S.C. 6103(a), the same weekend rule: the date
/// and its moved weekday), for rules that ban "federal holidays".
std::optional<std::string_view> federal_holiday_ban(std::chrono::year_month_day date);

/// Easter Sunday of Gregorian year `y` (the computus of the Gregorian calendar; valid for every
/// year std::chrono can represent after 1582). Example: 2026 -> 2026-04-05, 2027 -> 2027-03-28.
std::chrono::year_month_day easter_sunday(std::chrono::year y);

/// The date rule `rule` gives in year `y` (before any weekend move), or nullopt when the holiday
/// does not exist that year (before since_year, or an off year of an every_years holiday).
std::optional<std::chrono::year_month_day> holiday_date(const HolidayRule& rule, std::chrono::year y);

}  // namespace common::compliance
