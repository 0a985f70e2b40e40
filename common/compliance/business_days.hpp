// Business days for the opt-out deadline: Monday to Friday except US federal holidays.
// Pure functions on std::chrono calendar dates, no I/O and no time-zone database; the deadline
// functions reckon dates at every fixed UTC offset a US time zone uses (47 CFR 64.1200(a)(10);
// 5 U.S.C. 6103; docs/compliance.md#opt-out-deadline, #business-days).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace common::compliance {

/// The observed US federal holiday on `date`, by name ("Independence Day", ...), or nullopt.
/// The eleven holidays of 5 U.S.C. 6103(a), Juneteenth only from 2021 (Pub. L. 117-17), with the
/// observed-date rule of 5 U.S.C. 6103(b) and Executive Order 11582 as OPM applies it: a holiday
/// on a Saturday is observed the Friday before, on a Sunday the Monday after. So the Saturday
/// itself returns nullopt, and 2027-12-31 returns "New Year's Day" (for 2028-01-01, a Saturday).
/// Not included: Inauguration Day (6103(c), Washington DC area only) and one-off closures by
/// executive order (e.g. 2025-12-24 and 2025-12-26), which are not holidays under 6103(a).
/// Only current law is modelled; dates before 1986 (MLK Day) are not historically accurate.
std::optional<std::string_view> federal_holiday(std::chrono::year_month_day date);

/// True for Monday to Friday dates that are not an observed federal holiday. An invalid date
/// (e.g. 2025-02-30) is not a business day.
bool is_business_day(std::chrono::year_month_day date);

/// The n-th business day strictly after `from` (n >= 1); `from` itself never counts, whatever day
/// it is. n < 1 returns `from` unchanged.
std::chrono::year_month_day add_business_days(std::chrono::year_month_day from, int n);

/// FCC 24-24: an opt-out must be honoured "within a reasonable time not to exceed ten business
/// days of receipt", 47 CFR 64.1200(a)(10).
inline constexpr int kOptOutBusinessDays = 10;

/// The instant by which an opt-out received at `received` (UTC) must be honoured. The rule counts
/// business days from the day of receipt, and that day is the customer's local date, which the
/// consent store does not know; so the deadline is reckoned in every US time zone (UTC-11, American
/// Samoa, to UTC+10, Guam): in each, the same local time of day as the receipt on the
/// kOptOutBusinessDays-th business day after the local receipt date, and the earliest of these
/// instants is returned. It is never later than the customer's own deadline, wherever in the US
/// they are, and at most a day or two earlier. It is always a whole number of days after the
/// receipt (reckoning at fixed UTC offsets), so when a spring DST change falls in between it is
/// up to an hour after the customer's own wall-clock time of day. The receipt day never counts (even when it is a
/// business day), so a Saturday or holiday receipt starts counting on the next business day.
/// Examples: received Fri 2025-11-21 12:04 UTC (Friday in every US zone) -> counting skips
/// Thanksgiving (Thu 11-27) -> Mon 2025-12-08 12:04 UTC. Received at 15:04 UTC it is already
/// Saturday in Guam, whose deadline (Mon 12-08 01:04 ChST = Sun 12-07 15:04 UTC) is the earliest.
/// Why not UTC dates: a text sent at 8 PM Eastern on a Sunday is Monday in UTC, which would put
/// the deadline on a Monday, a business day after the customer's Friday (47 CFR 64.1200(a)(10);
/// docs/compliance.md#opt-out-deadline).
std::chrono::sys_time<std::chrono::milliseconds> opt_out_deadline(
    std::chrono::sys_time<std::chrono::milliseconds> received);

/// Business days left before `deadline`, for the deadline monitor (which alerts at <= 2), counted
/// on the calendar dates of the US time zone where the fewest are left (the zones of
/// opt_out_deadline), so an alert is never later than the customer's own count would give. In
/// one zone, with today = the local date of `now` and due = the local date of `deadline`:
///  - today <= due: the number of business days d with today < d <= due; so 0 when due is today
///    (even if the deadline's time of day has already passed: compare instants for that) and 1
///    on the business day before due;
///  - today > due (overdue): minus the number of business days d with due < d <= today, but at
///    least 1 in size, so an overdue deadline is always negative (-1 on the weekend after a
///    Friday deadline).
/// At the receipt instant of any opt-out, business_days_left(received, opt_out_deadline(received))
/// is 10 in the zone that set the deadline and can be 9 in another, so it returns 9 or 10.
int business_days_left(std::chrono::sys_time<std::chrono::milliseconds> now,
                       std::chrono::sys_time<std::chrono::milliseconds> deadline);

/// Business days an opt-out received at `received` took to honour at `honored` (UTC instants),
/// for the audit record: the business days d with receipt date < d <= honour date, counted on
/// the calendar dates of the US time zone where the most elapse (the zones of opt_out_deadline),
/// so it is never fewer than the customer's own count. 0 when honoured on the day of receipt (or
/// before the next business day begins), and 0 when `honored` is not after `received`. Whether
/// the honour was in time is `honored <= opt_out_deadline(received)`, an instant comparison;
/// this count is what the audit shows beside it (47 CFR 64.1200(a)(10)).
int business_days_elapsed(std::chrono::sys_time<std::chrono::milliseconds> received,
                          std::chrono::sys_time<std::chrono::milliseconds> honored);

}  // namespace common::compliance
