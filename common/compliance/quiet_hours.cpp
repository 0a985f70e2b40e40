#include "common/compliance/quiet_hours.hpp"

#include <algorithm>
#include <array>

#include "common/tz/time_zone.hpp"

namespace common::compliance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr DailyWindow kFederal{hours(8), hours(21)};

// A state's rule: one window Monday-Saturday and one (or none) on Sunday.
struct StateRule {
  std::string_view state;
  std::optional<DailyWindow> weekdays;  // Monday to Saturday
  std::optional<DailyWindow> sunday;
  std::string_view source;
};

constexpr DailyWindow k8to8{hours(8), hours(20)};
constexpr DailyWindow k9to8{hours(9), hours(20)};
constexpr DailyWindow k9to9{hours(9), hours(21)};

// Rules stricter than the federal window, each with its statute. Where a statute only limits
// unsolicited sales calls we still apply it: a reminder sent an hour later costs nothing, a
// violation costs per message.
const std::array kStateRules = {
    StateRule{"AL", k8to8, std::nullopt, "Ala. Code 8-19C; Ala. Admin. Code 770-X-9 (no Sundays)"},
    StateRule{"CT", k9to8, k9to8, "Conn. Gen. Stat. 42-288a (9 a.m. to 8 p.m.)"},
    StateRule{"FL", k8to8, k8to8, "Fla. Stat. 501.059(8)(a) (8 a.m. to 8 p.m.)"},
    StateRule{"KY", DailyWindow{hours(10), hours(21)}, DailyWindow{hours(10), hours(21)},
              "Ky. Rev. Stat. 367.46955 (10 a.m. to 9 p.m.)"},
    StateRule{"LA", k8to8, std::nullopt, "La. R.S. 45:844.15; LPSC General Order (no Sundays)"},
    StateRule{"MA", k8to8, k8to8, "940 CMR 38.02 (8 a.m. to 8 p.m.)"},
    StateRule{"MD", k8to8, k8to8, "Md. Code, Com. Law 14-4503 (Stop the Spam Calls Act 2023)"},
    StateRule{"MI", k9to9, k9to9, "Mich. Comp. Laws 445.111b (9 a.m. to 9 p.m.)"},
    StateRule{"MN", k9to9, k9to9, "Minn. Stat. 325E.27 (9 a.m. to 9 p.m.)"},
    StateRule{"MS", k8to8, std::nullopt, "Miss. Code 77-3-725 (8 a.m. to 8 p.m., no Sundays)"},
    StateRule{"NM", k9to9, k9to9, "N.M. Stat. 57-12-22 (9 a.m. to 9 p.m.)"},
    StateRule{"NV", k9to8, k9to8, "Nev. Rev. Stat. 228.590 (9 a.m. to 8 p.m.)"},
    StateRule{"OK", k8to8, k8to8, "Okla. Stat. tit. 15, 775C.4 (8 a.m. to 8 p.m.)"},
    // Rhode Island: Mon-Fri 9-18, Sat 10-17, no Sundays; Saturday is handled in allowed_window.
    StateRule{"RI", DailyWindow{hours(9), hours(18)}, std::nullopt,
              "R.I. Gen. Laws 5-61-2(9), 5-61-3.6"},
    StateRule{"TX", k9to9, DailyWindow{hours(12), hours(21)},
              "Tex. Bus. & Com. Code 301.051 (9 a.m.-9 p.m., Sunday noon-9 p.m.)"},
    StateRule{"WA", k8to8, k8to8, "Rev. Code Wash. 80.36.390 (8 a.m. to 8 p.m.)"},
};

const StateRule* find_rule(std::string_view state) {
  for (const auto& rule : kStateRules) {
    if (rule.state == state) return &rule;
  }
  return nullptr;
}

// Stricter of the state window and the federal one (a state can only narrow it).
std::optional<DailyWindow> intersect(std::optional<DailyWindow> w) {
  if (!w) return std::nullopt;
  return DailyWindow{std::max(w->open, kFederal.open), std::min(w->close, kFederal.close)};
}

// The earliest instant >= t inside the window of `state` in `zone` (up to 8 days ahead).
std::optional<TimePoint> next_open(const tz::TimeZone& zone, std::string_view state, TimePoint t) {
  using namespace std::chrono;
  const auto local = zone.to_local(t);
  const auto today = floor<days>(local);
  for (int d = 0; d <= 8; ++d) {
    const auto day = today + days(d);
    const auto window = allowed_window(state, weekday(day));
    if (!window) continue;
    const TimePoint open = zone.from_local(day + window->open);
    const TimePoint close = zone.from_local(day + window->close);
    if (t < close) return std::max(t, open);
  }
  return std::nullopt;
}

std::string place_label(const RecipientPlace& p) {
  return std::string("quiet_hours:") + p.time_zone + ":" + (p.state.empty() ? "US" : p.state);
}

}  // namespace

std::optional<DailyWindow> allowed_window(std::string_view state, std::chrono::weekday day) {
  const StateRule* rule = find_rule(state);
  if (rule == nullptr) return kFederal;
  if (state == "RI" && day == std::chrono::Saturday) {
    return DailyWindow{std::chrono::hours(10), std::chrono::hours(17)};
  }
  return intersect(day == std::chrono::Sunday ? rule->sunday : rule->weekdays);
}

std::string_view quiet_hours_source(std::string_view state) {
  const StateRule* rule = find_rule(state);
  return rule ? rule->source : "47 CFR 64.1200(c)(1) (8 a.m. to 9 p.m.)";
}

QuietHoursDecision check_quiet_hours(const std::vector<RecipientPlace>& places, TimePoint t) {
  if (places.empty()) return {false, "no_location", std::nullopt};
  std::vector<tz::TimeZone> zones;
  for (const auto& place : places) {
    auto zone = tz::TimeZone::load(place.time_zone);
    if (!zone) return {false, "unknown_time_zone:" + place.time_zone, std::nullopt};
    zones.push_back(*zone);
  }
  QuietHoursDecision decision;
  decision.allowed = true;
  // Move the candidate forward to the next opening of each place that is closed at it, until
  // one candidate suits every place (windows are whole minutes, so this ends quickly).
  TimePoint candidate = t;
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (std::size_t i = 0; i < places.size(); ++i) {
      const auto open = next_open(zones[i], places[i].state, candidate);
      if (!open) return {false, decision.allowed ? place_label(places[i]) : decision.reason, std::nullopt};
      if (*open != candidate) {
        if (decision.allowed) decision = {false, place_label(places[i]), std::nullopt};
        candidate = *open;
        moved = true;
      }
    }
    if (!moved) {
      if (!decision.allowed) decision.next_allowed = candidate;
      return decision;
    }
  }
  return {false, decision.reason, std::nullopt};
}

}  // namespace common::compliance
