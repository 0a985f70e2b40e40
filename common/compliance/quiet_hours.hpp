// Quiet hours: when a reminder may reach a recipient, in the recipient's local time.
// Federal: 08:00-21:00 (47 CFR 64.1200(c)(1)). Stricter state rules (telephone-solicitation
// statutes that this product applies to every reminder, to stay on the safe side) narrow the
// window or close whole days; each rule names its source in quiet_hours.cpp. State holiday bans
// (AL, LA, MS, RI, ...) are not modelled yet. Pure functions, no I/O; zones from common::tz.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.hpp"

namespace common::compliance {

/// A daily window in local wall-clock time: from `open` (inclusive) to `close` (exclusive),
/// as durations after local midnight.
struct DailyWindow {
  std::chrono::minutes open;
  std::chrono::minutes close;
};

/// The window in which a text may reach someone in `state` (USPS code; "" or an unknown code:
/// the federal window) on local weekday `day`; nullopt when the state allows none that day.
std::optional<DailyWindow> allowed_window(std::string_view state, std::chrono::weekday day);

/// The legal source of the rule allowed_window applies for `state` (the federal rule for states
/// without a stricter one).
std::string_view quiet_hours_source(std::string_view state);

/// One place where the recipient may be: a state's rules ("" = federal only) in an IANA zone.
struct RecipientPlace {
  std::string state;
  std::string time_zone;
};

/// The answer of check_quiet_hours. `reason` names the first place at fault:
/// "quiet_hours:<zone>:<state or US>", "unknown_time_zone:<name>" or "no_location".
struct QuietHoursDecision {
  bool allowed = false;
  std::string reason;
  /// When not allowed: the earliest instant (whole minute) allowed in every place, searching up
  /// to 8 days ahead; nullopt when a zone is unknown, no place is given, or none was found.
  std::optional<TimePoint> next_allowed;
};

/// Whether a text at instant `t` is inside the allowed window in every one of `places` (a
/// number that may be in several zones or states must be inside all of them). Fails closed: an
/// empty list or a zone that is not embedded (common::tz::TimeZone::load) is never allowed.
QuietHoursDecision check_quiet_hours(const std::vector<RecipientPlace>& places, TimePoint t);

}  // namespace common::compliance
