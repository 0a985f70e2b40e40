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

// A place's state rule: nullptr for the federal window alone (a known jurisdiction without a
// stricter rule). Unknown states are told apart by the caller (is_any_state).
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

// [open, close) as instants.
struct Span {
  TimePoint open;
  TimePoint close;
};

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

// A row's window on local day `day` in `zone` as instants, with its standard-time reading when
// the statute names one (both must hold).
std::optional<Span> row_span(const StateRule& rule, const tz::TimeZone& zone, local_days day,
                             const QuietHoursOptions& options) {
  const auto w = row_window(rule, year_month_day{std::chrono::sys_days{day.time_since_epoch()}},
                            options);
  if (!w) return std::nullopt;
  Span span{zone.from_local(day + w->open), zone.from_local(day + w->close)};
  if (rule.standard_time_offset_hours != 0) {
    const auto offset = std::chrono::hours(rule.standard_time_offset_hours);
    const auto fixed = [&](std::chrono::minutes m) {
      return std::chrono::time_point_cast<TimePoint::duration>(
          std::chrono::sys_seconds{(day + m).time_since_epoch()} - offset);
    };
    span.open = std::max(span.open, fixed(w->open));
    span.close = std::min(span.close, fixed(w->close));
  }
  if (span.open >= span.close) return std::nullopt;
  return span;
}

// The window of `state` on local day `day` in `zone`, as instants.
std::optional<Span> place_span(std::string_view state, const tz::TimeZone& zone, local_days day,
                               const QuietHoursOptions& options) {
  Span span{zone.from_local(day + kFederalWindow.open), zone.from_local(day + kFederalWindow.close)};
  const auto apply = [&](const StateRule& rule) {
    const auto s = row_span(rule, zone, day, options);
    if (!s) return false;
    span.open = std::max(span.open, s->open);
    span.close = std::min(span.close, s->close);
    return span.open < span.close;
  };
  if (!each_rule(state, apply)) return std::nullopt;
  return span;
}

// The earliest instant >= t inside the window of `state` in `zone` (up to 14 days ahead: a
// Sunday next to a holiday weekend closes at most four days in a row).
std::optional<TimePoint> next_open(const tz::TimeZone& zone, std::string_view state, TimePoint t,
                                   const QuietHoursOptions& options) {
  const auto today = std::chrono::floor<days>(zone.to_local(t));
  for (int d = 0; d <= 14; ++d) {
    const auto span = place_span(state, zone, local_days{today + days(d)}, options);
    if (span && t < span->close) return std::max(t, span->open);
  }
  return std::nullopt;
}

std::string place_label(const RecipientPlace& p) {
  const std::string_view state = is_any_state(p.state) ? kAnyState : std::string_view(p.state);
  return std::string("quiet_hours:") + p.time_zone + ":" + std::string(state);
}

// What closes `place` at `t`: a holiday, an emergency, or the row's (or federal) hours.
std::string closing_rule(const RecipientPlace& place, const tz::TimeZone& zone, TimePoint t,
                         const QuietHoursOptions& options) {
  if (is_any_state(place.state)) return std::string(kAnyStateSource);
  const StateRule* rule = state_rule(place.state);
  if (rule == nullptr) return std::string(kFederalSource);
  const local_days day = std::chrono::floor<days>(zone.to_local(t));
  const year_month_day date{std::chrono::sys_days{day.time_since_epoch()}};
  if (date >= rule->in_force_from) {
    if (rule->holidays != nullptr) {
      if (const auto holiday = holiday_on(*rule->holidays, date)) {
        return std::string(holiday->citation) + ": " + std::string(holiday->name);
      }
    }
    if (in_emergency(*rule, options)) return "emergency: " + std::string(rule->emergency_citation);
  }
  return std::string(rule->citation);
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
  std::vector<tz::TimeZone> zones;
  for (const auto& place : places) {
    auto zone = tz::TimeZone::load(place.time_zone);
    if (!zone) return {false, "unknown_time_zone:" + place.time_zone, "", std::nullopt};
    zones.push_back(*zone);
  }
  QuietHoursDecision decision;
  decision.allowed = true;
  const auto refuse = [&](std::size_t i, TimePoint at) {
    decision = {false, place_label(places[i]), closing_rule(places[i], zones[i], at, options),
                std::nullopt};
  };
  // Move the candidate forward to the next opening of each place that is closed at it, until
  // one candidate suits every place (windows are whole minutes, so this ends quickly).
  TimePoint candidate = t;
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (std::size_t i = 0; i < places.size(); ++i) {
      const auto open = next_open(zones[i], places[i].state, candidate, options);
      if (!open || *open != candidate) {
        if (decision.allowed) refuse(i, candidate);
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
