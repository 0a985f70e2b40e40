#include "common/compliance/business_days.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace common::compliance {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

// A holiday's date in one year, before the weekend rule is applied.
struct Holiday {
  std::string_view name;
  sys_days actual;
};

// Fixed-date holidays move off weekends (5 U.S.C. 6103(b), E.O. 11582); Monday and Thursday
// holidays never fall on one, so the rule is harmless for them.
sys_days observed(sys_days actual) {
  const weekday day{actual};
  if (day == std::chrono::Saturday) return actual - days{1};
  if (day == std::chrono::Sunday) return actual + days{1};
  return actual;
}

// The 5 U.S.C. 6103(a) holidays of year `y`, actual dates; nth weekdays per the Uniform Monday
// Holiday Act wording kept in 6103(a) ("third Monday in January", ...).
std::array<Holiday, 11> holidays_of(year y) {
  using namespace std::chrono;
  const auto fixed = [y](month m, unsigned d) { return sys_days{year_month_day{y, m, day{d}}}; };
  const auto nth = [y](month m, weekday wd, unsigned n) {
    return sys_days{year_month_weekday{y, m, wd[n]}};
  };
  // Juneteenth before 2021 did not exist; an impossible date keeps the array shape simple.
  const sys_days juneteenth = y >= year{2021} ? fixed(June, 19) : sys_days::min();
  return {{
      {"New Year's Day", fixed(January, 1)},
      {"Birthday of Martin Luther King, Jr.", nth(January, Monday, 3)},
      {"Washington's Birthday", nth(February, Monday, 3)},
      {"Memorial Day", sys_days{year_month_weekday_last{y, May, Monday[last]}}},
      {"Juneteenth National Independence Day", juneteenth},
      {"Independence Day", fixed(July, 4)},
      {"Labor Day", nth(September, Monday, 1)},
      {"Columbus Day", nth(October, Monday, 2)},
      {"Veterans Day", fixed(November, 11)},
      {"Thanksgiving Day", nth(November, Thursday, 4)},
      {"Christmas Day", fixed(December, 25)},
  }};
}

bool is_weekend(sys_days d) {
  const weekday day{d};
  return day == std::chrono::Saturday || day == std::chrono::Sunday;
}

// The observed dates of year y's holidays (sys_days::min() for Juneteenth before 2021),
// memoised for the last two years asked: deadline arithmetic asks about the same one or two
// years (y and y + 1, for a New Year's Day observed on December 31) again and again.
const std::array<sys_days, 11>& observed_dates(year y) {
  struct Entry {
    year y{0};
    bool valid = false;
    std::array<sys_days, 11> dates{};
  };
  thread_local std::array<Entry, 2> cache;
  thread_local std::size_t next = 0;
  for (const Entry& entry : cache) {
    if (entry.valid && entry.y == y) return entry.dates;
  }
  Entry& entry = cache[next++ % cache.size()];
  const auto holidays = holidays_of(y);
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    entry.dates[i] =
        holidays[i].actual == sys_days::min() ? sys_days::min() : observed(holidays[i].actual);
  }
  entry.y = y;
  entry.valid = true;
  return entry.dates;
}

bool counts_as_business_day(sys_days d) {
  if (is_weekend(d)) return false;
  const year y = year_month_day{d}.year();
  for (const year candidate : {y, y + std::chrono::years{1}}) {
    for (const sys_days holiday : observed_dates(candidate)) {
      if (holiday == d) return false;
    }
  }
  return true;
}

// Every whole-hour UTC offset a US time zone uses, standard or daylight time: UTC-11 (American
// Samoa) through UTC-4 (Atlantic time in Puerto Rico and the US Virgin Islands, and Eastern
// daylight time), and UTC+10 (Guam, Northern Mariana Islands). Every US local calendar date of an
// instant is its date at one of these offsets.
constexpr std::array<int, 9> kUsUtcOffsetHours = {-11, -10, -9, -8, -7, -6, -5, -4, 10};

// Business days d with from < d <= to (0 when to <= from).
int business_days_between(sys_days from, sys_days to) {
  int count = 0;
  for (sys_days d = from + days{1}; d <= to; d += days{1}) {
    if (counts_as_business_day(d)) ++count;
  }
  return count;
}

}  // namespace

std::optional<std::string_view> federal_holiday(year_month_day date) {
  if (!date.ok()) return std::nullopt;
  const sys_days target{date};
  // Next year's New Year's Day can be observed on this year's December 31.
  for (const year y : {date.year(), date.year() + std::chrono::years{1}}) {
    for (const Holiday& holiday : holidays_of(y)) {
      if (holiday.actual != sys_days::min() && observed(holiday.actual) == target) {
        return holiday.name;
      }
    }
  }
  return std::nullopt;
}

bool is_business_day(year_month_day date) {
  return date.ok() && counts_as_business_day(sys_days{date});
}

year_month_day add_business_days(year_month_day from, int n) {
  sys_days day{from};
  for (int found = 0; found < n;) {
    day += days{1};
    if (counts_as_business_day(day)) ++found;
  }
  return year_month_day{day};
}

std::chrono::sys_time<std::chrono::milliseconds> opt_out_deadline(
    std::chrono::sys_time<std::chrono::milliseconds> received) {
  auto earliest = std::chrono::sys_time<std::chrono::milliseconds>::max();
  for (const int offset_hours : kUsUtcOffsetHours) {
    const std::chrono::hours offset{offset_hours};
    const auto local = received + offset;  // wall-clock time at that offset, as a sys_time
    const sys_days receipt_day = std::chrono::floor<days>(local);
    const auto time_of_day = local - receipt_day;
    const auto deadline =
        sys_days{add_business_days(year_month_day{receipt_day}, kOptOutBusinessDays)} +
        time_of_day - offset;
    earliest = std::min(earliest, deadline);
  }
  return earliest;
}

int business_days_left(std::chrono::sys_time<std::chrono::milliseconds> now,
                       std::chrono::sys_time<std::chrono::milliseconds> deadline) {
  int fewest = std::numeric_limits<int>::max();
  for (const int offset_hours : kUsUtcOffsetHours) {
    const std::chrono::hours offset{offset_hours};
    const sys_days today = std::chrono::floor<days>(now + offset);
    const sys_days due = std::chrono::floor<days>(deadline + offset);
    const int left = today <= due ? business_days_between(today, due)
                                  : -std::max(1, business_days_between(due, today));
    fewest = std::min(fewest, left);
  }
  return fewest;
}

int business_days_elapsed(std::chrono::sys_time<std::chrono::milliseconds> received,
                          std::chrono::sys_time<std::chrono::milliseconds> honored) {
  if (honored <= received) return 0;
  int most = 0;
  for (const int offset_hours : kUsUtcOffsetHours) {
    const std::chrono::hours offset{offset_hours};
    const sys_days from = std::chrono::floor<days>(received + offset);
    const sys_days to = std::chrono::floor<days>(honored + offset);
    most = std::max(most, business_days_between(from, to));
  }
  return most;
}

}  // namespace common::compliance
