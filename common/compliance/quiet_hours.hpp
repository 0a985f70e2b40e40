// Quiet hours: when a text may reach a recipient, in the recipient's local time.
// Federal: 08:00-21:00 (47 CFR 64.1200(c)(1)), narrowed by the state rules of state_rules.hpp
// (hours per weekday, legal holidays, declared emergencies, Mississippi's "Central Standard
// Time"). A recipient whose state is not known gets the window every state's rule allows at
// once (docs/compliance.md#unknown-state), never the federal window alone. Pure functions, no
// I/O; zones from common::tz.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/compliance/state_rules.hpp"
#include "common/time.hpp"

namespace common::compliance {

/// What the rules cannot compute: the states with a declared state of emergency, whose rule then
/// bans solicitations (La. R.S. 45:844.31). Configured per deployment (STATE_EMERGENCIES).
struct QuietHoursOptions {
  std::vector<std::string> emergencies;  ///< USPS codes ("LA"); off (empty) by default
};

/// Parses STATE_EMERGENCIES: USPS codes separated by commas or spaces ("LA", "" = none), each a
/// state whose rule has an emergency ban. Throws std::invalid_argument naming the first code
/// that is not one (and the states that have one).
std::vector<std::string> parse_state_emergencies(std::string_view list);

/// The state recorded for a place whose state is not known (unknown area code, Canadian +1, a
/// stored zone with no state): every state's rule applies at once.
inline constexpr std::string_view kAnyState = "any_state";

/// The window in which a text may reach someone in `state` on local date `date`, in local
/// wall-clock time; nullopt when none that day (Sunday, a legal holiday, a declared emergency).
/// `state`: a USPS code (a state without a stricter rule, DC or a territory: the federal
/// window); "" or anything that is not a US jurisdiction: the intersection of every state's
/// window that day (kAnyState). Mississippi's standard-time reading depends on the zone and is
/// applied by check_quiet_hours, not here.
std::optional<DailyWindow> allowed_window(std::string_view state, std::chrono::year_month_day date,
                                          const QuietHoursOptions& options = {});

/// The legal source of the rule allowed_window applies for `state` (the federal rule for
/// jurisdictions without a stricter one; for an unknown state, a pointer to the docs).
std::string_view quiet_hours_source(std::string_view state);

/// One place where the recipient may be: a state's rules ("" = not known: every state's) in an
/// IANA zone.
struct RecipientPlace {
  std::string state;
  std::string time_zone;
};

/// Every zone a US state's resident may keep (Eastern to Hawaii, Alaska and the Aleutians), for a
/// number whose zone is not known either.
std::vector<RecipientPlace> every_us_zone(std::string_view state = "");

/// The answer of check_quiet_hours. `reason` names the first place at fault:
/// "quiet_hours:<zone>:<USPS code, or any_state>" or
/// "unknown_time_zone:<name>" or "no_location"; `rule` what closed it ("Fla. Stat.
/// 501.616(6)(a)", "Ala. Code 1-3-8: Christmas Day", "emergency: La. R.S. 45:844.31").
struct QuietHoursDecision {
  bool allowed = false;
  std::string reason;
  std::string rule;
  /// When not allowed: the earliest instant (whole minute) allowed in every place, searching up
  /// to 14 days ahead; nullopt when a zone is unknown, no place is given, or none was found.
  std::optional<TimePoint> next_allowed;
};

/// Whether a text at instant `t` is inside the allowed window in every one of `places` (a
/// number that may be in several zones or states must be inside all of them). Fails closed: an
/// empty list or a zone that is not embedded (common::tz::TimeZone::load) is never allowed.
QuietHoursDecision check_quiet_hours(const std::vector<RecipientPlace>& places, TimePoint t,
                                     const QuietHoursOptions& options = {});

}  // namespace common::compliance
