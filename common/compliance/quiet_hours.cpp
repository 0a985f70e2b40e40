#include "common/compliance/quiet_hours.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/tz/time_zone.hpp"

namespace common::compliance {
namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::year_month_day;

constexpr std::string_view kFederalSource = "47 CFR 64.1200(c)(1) (8 a.m. to 9 p.m.)";
constexpr std::string_view kAnyStateSource =
    "every state's rule at once: the state is not known (docs/compliance.md#unknown-state)";

// "" or anything that is not a US jurisdiction: the state is not known, every row applies.
bool is_any_state(std::string_view state) { return !is_us_jurisdiction(state); }

bool in_emergency(const StateRule& rule, const QuietHoursOptions& options) {
  return rule.emergency_ban && std::find(options.emergencies.begin(), options.emergencies.end(),
                                         rule.state) != options.emergencies.end();
}

DailyWindow narrow(DailyWindow a, DailyWindow b) {
  return {std::max(a.open, b.open), std::min(a.close, b.close)};
}

// One row's window on a local date, narrowed to the federal one; nullopt when closed all day.
std::optional<DailyWindow> row_window(const StateRule& rule, year_month_day date,
                                      const QuietHoursOptions& options) {
  if (date < rule.in_force_from) return kFederalWindow;
  if (rule.holidays != nullptr && holiday_on(*rule.holidays, date)) return std::nullopt;
  if (in_emergency(rule, options)) return std::nullopt;
  const auto w = rule.week[std::chrono::weekday(std::chrono::sys_days(date)).c_encoding()];
  if (!w) return std::nullopt;
  const auto narrowed = narrow(*w, kFederalWindow);
  if (narrowed.open >= narrowed.close) return std::nullopt;
  return narrowed;
}

// Calls `apply(rule)` for each row that governs `state` (every row for an unknown state, the
// state's own, or none); false as soon as one answers false (that row closes the day).
template <typename Apply>
bool each_rule(std::string_view state, Apply apply) {
  if (is_any_state(state)) {
    for (const StateRule& rule : state_rules()) {
      if (!apply(rule)) return false;
    }
    return true;
  }
  const StateRule* rule = state_rule(state);
  return rule == nullptr || apply(*rule);
}

// The clock a place's rows are read on: its IANA zone, or the fixed UTC offset of a standard
// time a statute names ("Central Standard Time": UTC-6, all year).
struct Clock {
  std::optional<tz::TimeZone> zone;
  std::chrono::hours offset{0};

  tz::LocalSeconds to_local(TimePoint t) const {
    if (zone) return zone->to_local(t);
    return tz::LocalSeconds{std::chrono::floor<std::chrono::seconds>(t).time_since_epoch() + offset};
  }
  TimePoint from_local(tz::LocalSeconds local) const {
    if (zone) return zone->from_local(local);
    return TimePoint{std::chrono::duration_cast<TimePoint::duration>(local.time_since_epoch() - offset)};
  }
};

// One way a place must be open: its rows in local time (with the federal window), or one
// standard-time reading (only the rows that name that standard time, on that time's dates:
// Mississippi's 08:00-20:00 CST and no Sunday, read on the CST calendar).
struct Reading {
  std::size_t place = 0;  // index into check_quiet_hours' places
  Clock clock;
  int standard_offset_hours = 0;  // 0: the local reading
};

// [open, close) as instants.
struct Span {
  TimePoint open;
  TimePoint close;
};

// The window of `reading` for `state` on its clock's day `day`, as instants; nullopt when closed.
std::optional<Span> reading_span(const Reading& reading, std::string_view state, local_days day,
                                 const QuietHoursOptions& options) {
  const year_month_day date{std::chrono::sys_days{day.time_since_epoch()}};
  const bool local = reading.standard_offset_hours == 0;
  DailyWindow window = local ? kFederalWindow : DailyWindow{std::chrono::hours(0), std::chrono::hours(24)};
  const bool open = each_rule(state, [&](const StateRule& rule) {
    if (!local && rule.standard_time_offset_hours != reading.standard_offset_hours) return true;
    const auto w = row_window(rule, date, options);
    if (!w) return false;
    window = narrow(window, *w);
    return window.open < window.close;
  });
  if (!open) return std::nullopt;
  return Span{reading.clock.from_local(day + window.open), reading.clock.from_local(day + window.close)};
}

// The earliest instant >= t inside `reading`'s windows (up to 14 days ahead: the longest run of
// closed days in any calendar here is 4, for an unknown state around Christmas).
std::optional<TimePoint> next_open(const Reading& reading, std::string_view state, TimePoint t,
                                   const QuietHoursOptions& options) {
  const auto today = std::chrono::floor<days>(reading.clock.to_local(t));
  for (int d = 0; d <= 14; ++d) {
    const auto span = reading_span(reading, state, local_days{today + days(d)}, options);
    if (span && t < span->close) return std::max(t, span->open);
  }
  return std::nullopt;
}

std::string place_label(const RecipientPlace& p) {
  const std::string_view state = is_any_state(p.state) ? kAnyState : std::string_view(p.state);
  return std::string("quiet_hours:") + p.time_zone + ":" + std::string(state);
}

// What closes `place` at `t` on `reading`'s calendar: the first governing row that closes the
// whole day (a holiday, an emergency, a day without hours), else the hours of the row (or the
// federal window, or every state's at once).
std::string closing_rule(const RecipientPlace& place, const Reading& reading, TimePoint t,
                         const QuietHoursOptions& options) {
  const local_days day = std::chrono::floor<days>(reading.clock.to_local(t));
  const year_month_day date{std::chrono::sys_days{day.time_since_epoch()}};
  std::string why;
  each_rule(place.state, [&](const StateRule& rule) {
    if (reading.standard_offset_hours != 0 &&
        rule.standard_time_offset_hours != reading.standard_offset_hours) {
      return true;
    }
    if (date < rule.in_force_from) return true;
    if (rule.holidays != nullptr) {
      if (const auto holiday = holiday_on(*rule.holidays, date)) {
        why = std::string(holiday->citation) + ": " + std::string(holiday->name);
        return false;
      }
    }
    if (in_emergency(rule, options)) {
      why = "emergency: " + std::string(rule.emergency_citation);
      return false;
    }
    if (!rule.week[std::chrono::weekday(std::chrono::sys_days(date)).c_encoding()]) {
      why = std::string(rule.citation);
      return false;
    }
    return true;
  });
  const bool any = is_any_state(place.state);
  if (why.empty()) {
    if (any) return std::string(kAnyStateSource);
    const StateRule* rule = state_rule(place.state);
    why = rule != nullptr && date >= rule->in_force_from ? std::string(rule->citation)
                                                         : std::string(kFederalSource);
  }
  if (reading.standard_offset_hours != 0) why += " (read in standard time)";
  return any ? "any state: " + why : why;
}

// The readings of `place`: its local one, and one per standard time a governing row names.
void add_readings(std::vector<Reading>& out, std::size_t index, const RecipientPlace& place,
                  const tz::TimeZone& zone) {
  out.push_back({index, Clock{zone, {}}, 0});
  std::vector<int> offsets;
  each_rule(place.state, [&](const StateRule& rule) {
    const int offset = rule.standard_time_offset_hours;
    if (offset != 0 && std::find(offsets.begin(), offsets.end(), offset) == offsets.end()) {
      offsets.push_back(offset);
    }
    return true;
  });
  for (const int offset : offsets) {
    out.push_back({index, Clock{std::nullopt, std::chrono::hours(offset)}, offset});
  }
}

}  // namespace

std::optional<DailyWindow> allowed_window(std::string_view state, year_month_day date,
                                          const QuietHoursOptions& options) {
  if (!date.ok()) return std::nullopt;
  DailyWindow window = kFederalWindow;
  const auto apply = [&](const StateRule& rule) {
    const auto w = row_window(rule, date, options);
    if (!w) return false;
    window = narrow(window, *w);
    return window.open < window.close;
  };
  if (!each_rule(state, apply)) return std::nullopt;
  return window;
}

std::string_view quiet_hours_source(std::string_view state) {
  if (is_any_state(state)) return kAnyStateSource;
  const StateRule* rule = state_rule(state);
  return rule ? rule->citation : kFederalSource;
}

std::vector<std::string> parse_state_emergencies(std::string_view list) {
  std::vector<std::string> states;
  std::size_t i = 0;
  while (i < list.size()) {
    if (list[i] == ',' || list[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t end = std::min(list.find_first_of(", ", i), list.size());
    const std::string code(list.substr(i, end - i));
    const StateRule* rule = state_rule(code);
    if (rule == nullptr || !rule->emergency_ban) {
      std::string with_ban;
      for (const StateRule& r : state_rules()) {
        if (r.emergency_ban) with_ban += (with_ban.empty() ? "" : ", ") + std::string(r.state);
      }
      throw std::invalid_argument("\"" + code +
                                  "\" is not a state whose rule bans solicitations during a "
                                  "declared emergency (those are: " + with_ban + ")");
    }
    if (std::find(states.begin(), states.end(), code) == states.end()) states.push_back(code);
    i = end;
  }
  return states;
}

std::vector<RecipientPlace> every_us_zone(std::string_view state) {
  // One zone per distinct set of clocks a US state keeps (the others are aliases in effect:
  // Boise, Detroit, Indianapolis and Louisville follow Denver, New York or Chicago).
  static constexpr std::array<std::string_view, 8> kZones = {
      "America/New_York", "America/Chicago",   "America/Denver", "America/Phoenix",
      "America/Los_Angeles", "America/Anchorage", "America/Adak", "Pacific/Honolulu"};
  std::vector<RecipientPlace> places;
  for (const auto zone : kZones) places.push_back({std::string(state), std::string(zone)});
  return places;
}

QuietHoursDecision check_quiet_hours(const std::vector<RecipientPlace>& places, TimePoint t,
                                     const QuietHoursOptions& options) {
  if (places.empty()) return {false, "no_location", "", std::nullopt};
  std::vector<Reading> readings;
  for (std::size_t i = 0; i < places.size(); ++i) {
    auto zone = tz::TimeZone::load(places[i].time_zone);
    if (!zone) return {false, "unknown_time_zone:" + places[i].time_zone, "", std::nullopt};
    add_readings(readings, i, places[i], *zone);
  }
  QuietHoursDecision decision;
  decision.allowed = true;
  const auto refuse = [&](const Reading& reading, TimePoint at) {
    const RecipientPlace& place = places[reading.place];
    decision = {false, place_label(place), closing_rule(place, reading, at, options), std::nullopt};
  };
  // Move the candidate forward to the next opening of each reading that is closed at it, until
  // one candidate suits every reading (windows are whole minutes, so this ends quickly).
  TimePoint candidate = t;
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (const Reading& reading : readings) {
      const auto open = next_open(reading, places[reading.place].state, candidate, options);
      if (!open || *open != candidate) {
        if (decision.allowed) refuse(reading, candidate);
        if (!open) return decision;
        candidate = *open;
        moved = true;
      }
    }
    if (!moved) {
      if (!decision.allowed) decision.next_allowed = candidate;
      return decision;
    }
  }
  decision.allowed = false;
  decision.next_allowed = std::nullopt;
  return decision;
}

}  // namespace common::compliance
