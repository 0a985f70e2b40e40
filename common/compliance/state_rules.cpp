#include "common/compliance/state_rules.hpp"

#include <algorithm>
#include <cstdio>

namespace common::compliance {
namespace {

using std::chrono::hours;
using Kind = HolidayRule::Kind;
using Week = std::array<std::optional<DailyWindow>, 7>;

constexpr DailyWindow k8to20{hours(8), hours(20)};
constexpr DailyWindow k9to20{hours(9), hours(20)};
constexpr DailyWindow k9to21{hours(9), hours(21)};
constexpr std::optional<DailyWindow> kNone = std::nullopt;

// The same window every day, or Monday-Saturday with another (or no) Sunday.
constexpr Week every_day(DailyWindow w) { return {w, w, w, w, w, w, w}; }
constexpr Week with_sunday(DailyWindow mon_sat, std::optional<DailyWindow> sunday) {
  return {sunday, mon_sat, mon_sat, mon_sat, mon_sat, mon_sat, mon_sat};
}

constexpr std::chrono::year_month_day ymd(int y, unsigned m, unsigned d) {
  return {std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// --- holiday calendars (docs/compliance.md#state-holidays) -----------------------------------
// Short constructors keep each calendar one line per holiday.
constexpr HolidayRule fixed(std::string_view name, unsigned month, unsigned day,
                            HolidayRule::Move move = HolidayRule::Move::kFridayOrMonday,
                            int since = 0) {
  return {.name = name, .kind = Kind::kFixed, .month = month, .day = day, .since_year = since,
          .move = move};
}
constexpr HolidayRule nth(std::string_view name, unsigned month, unsigned weekday, unsigned n) {
  return {.name = name, .kind = Kind::kNthWeekday, .month = month, .weekday = weekday, .nth = n};
}
constexpr HolidayRule last(std::string_view name, unsigned month, unsigned weekday) {
  return {.name = name, .kind = Kind::kLastWeekday, .month = month, .weekday = weekday};
}
constexpr HolidayRule easter(std::string_view name, int offset, int since = 0) {
  return {.name = name, .kind = Kind::kEaster, .offset_days = offset, .since_year = since};
}
// "The Tuesday next after the first Monday in November", every `every_years` from `since`.
constexpr HolidayRule election_day(int since, int every_years) {
  return {.name = "Election Day", .kind = Kind::kNthWeekday, .month = 11, .weekday = 1, .nth = 1,
          .offset_days = 1, .since_year = since, .every_years = every_years};
}
constexpr unsigned kMon = 1;
constexpr unsigned kThu = 4;
using Move = HolidayRule::Move;

// Ala. Code 1-3-8(a), with Juneteenth from 2025 (Act 2025-HB165). Mardi Gras is a holiday in
// Baldwin and Mobile counties only; an area code does not tell the county, so it counts statewide.
constexpr std::array kAlabamaDays = {
    fixed("New Year's Day", 1, 1),
    nth("Robert E. Lee / Martin Luther King Jr. Birthday", 1, kMon, 3),
    nth("George Washington / Thomas Jefferson Birthday", 2, kMon, 3),
    easter("Mardi Gras (Baldwin and Mobile counties)", -47),
    nth("Confederate Memorial Day", 4, kMon, 4),
    last("National Memorial Day", 5, kMon),
    nth("Jefferson Davis' Birthday", 6, kMon, 1),
    fixed("Juneteenth", 6, 19, Move::kFridayOrMonday, 2025),
    fixed("Independence Day", 7, 4),
    nth("Labor Day", 9, kMon, 1),
    nth("Columbus Day / Fraternal Day / American Indian Heritage Day", 10, kMon, 2),
    fixed("Veterans' Day", 11, 11),
    nth("Thanksgiving Day", 11, kThu, 4),
    fixed("Christmas Day", 12, 25),
};
constexpr HolidayCalendar kAlabama{"AL", "Ala. Code 1-3-8", kAlabamaDays};

// La. R.S. 1:55(A)(1), the statewide days. R.S. 1:55 moves no holiday off a weekend in general;
// the Friday/Monday ban is ours. Not modelled: Inauguration Day (Baton Rouge only), the Saturday
// holidays of some parishes, and days a governor declares (docs/compliance.md#state-holidays).
constexpr std::array kLouisianaDays = {
    fixed("New Year's Day", 1, 1),
    fixed("Battle of New Orleans", 1, 8),
    nth("Dr. Martin Luther King, Jr.'s Birthday", 1, kMon, 3),
    nth("Washington's Birthday", 2, kMon, 3),
    easter("Mardi Gras", -47),
    easter("Good Friday", -2),
    last("National Memorial Day", 5, kMon),
    fixed("Independence Day", 7, 4),
    fixed("Huey P. Long Day", 8, 30),
    nth("Labor Day", 9, kMon, 1),
    nth("Christopher Columbus Day", 10, kMon, 2),
    fixed("All Saints' Day", 11, 1),
    fixed("Veterans' Day", 11, 11),
    nth("Thanksgiving Day", 11, kThu, 4),
    fixed("Christmas Day", 12, 25),
};
constexpr HolidayCalendar kLouisiana{"LA", "La. R.S. 1:55(A)(1)", kLouisianaDays};

// R.I. Gen. Laws 25-1-1 (a weekend holiday is kept on the Monday after), plus every federal
// holiday: R.I. Gen. Laws 5-61-2(2) says "a state or federal holiday".
constexpr std::array kRhodeIslandDays = {
    fixed("New Year's Day", 1, 1, Move::kNextMonday),
    nth("Dr. Martin Luther King, Jr.'s Birthday", 1, kMon, 3),
    nth("Washington's Birthday", 2, kMon, 3),
    fixed("Rhode Island Independence Day", 5, 4, Move::kNextMonday),
    last("Memorial Day", 5, kMon),
    fixed("Independence Day", 7, 4, Move::kNextMonday),
    nth("Victory Day", 8, kMon, 2),
    nth("Labor Day", 9, kMon, 1),
    nth("Indigenous Peoples' Day / Columbus Day", 10, kMon, 2),
    election_day(2026, 2),
    fixed("Veterans' Day", 11, 11, Move::kNextMonday),
    nth("Thanksgiving Day", 11, kThu, 4),
    fixed("Christmas Day", 12, 25, Move::kNextMonday),
};
constexpr HolidayCalendar kRhodeIsland{"RI", "R.I. Gen. Laws 25-1-1", kRhodeIslandDays, true};

// Utah Code 63G-1-301(1): Easter Sunday from 2025; Good Friday in the version in force from
// 2026-05-06, so from 2027; Juneteenth is kept on a Monday (the one before when June 19 is Tuesday
// to Friday, else the one after). H.B. 104 (2026), Election Day from 2027, is not included: its
// passage was not confirmed by our review (docs/compliance.md#state-holidays).
constexpr std::array kUtahDays = {
    fixed("New Year's Day", 1, 1),
    nth("Dr. Martin Luther King, Jr. Day", 1, kMon, 3),
    nth("Presidents' Day", 2, kMon, 3),
    easter("Good Friday", -2, 2027),
    easter("Easter Sunday", 0, 2025),
    last("Memorial Day", 5, kMon),
    fixed("Juneteenth National Freedom Day", 6, 19, Move::kWeekMonday, 2022),
    fixed("Independence Day", 7, 4),
    fixed("Pioneer Day", 7, 24),
    nth("Labor Day", 9, kMon, 1),
    nth("Columbus Day", 10, kMon, 2),
    fixed("Veterans Day", 11, 11),
    nth("Thanksgiving Day", 11, kThu, 4),
    fixed("Christmas Day", 12, 25),
};
constexpr HolidayCalendar kUtah{"UT", "Utah Code 63G-1-301", kUtahDays};

// The holidays 73 P.S. 2245(a)(10) lists itself (Act 73 of 2019). Election Day: every year's
// November election (general or municipal).
constexpr std::array kPennsylvaniaDays = {
    fixed("New Year's Day", 1, 1),
    nth("Martin Luther King, Jr. Day", 1, kMon, 3),
    nth("Presidents' Day", 2, kMon, 3),
    easter("Good Friday", -2),
    last("Memorial Day", 5, kMon),
    fixed("Flag Day", 6, 14),
    fixed("Independence Day", 7, 4),
    nth("Labor Day", 9, kMon, 1),
    nth("Columbus Day", 10, kMon, 2),
    election_day(0, 1),
    fixed("Veterans Day", 11, 11),
    nth("Thanksgiving Day", 11, kThu, 4),
    fixed("Christmas Day", 12, 25),
};
constexpr HolidayCalendar kPennsylvania{"PA", "73 P.S. 2245(a)(10)", kPennsylvaniaDays};

}  // namespace

// The rows, in USPS order; docs/compliance.md#state-quiet-hours explains each column and what
// our policy does with each exemption (we never rely on one: every row applies to every text).
std::span<const StateRule> state_rules() {
  static const std::array kRules = {
      StateRule{.state = "AL",
                .citation = "Ala. Admin. Code r. 770-X-5-.17(1)(b)",
                .week = with_sunday(k8to20, kNone),
                .holidays = &kAlabama,
                .note = "written for automated solicitation calls; applied to every text"},
      StateRule{.state = "CT",
                .citation = "Conn. Gen. Stat. 42-288a (P.A. 23-98)",
                .week = every_day(k9to20),
                .names_texts = true,
                .exemption = "prior express written consent takes a text out of the rule"},
      StateRule{.state = "FL",
                .citation = "Fla. Stat. 501.616(6)(a)",
                .week = every_day(k8to20),
                .max_solicitations_per_24h = 3,
                .cap_citation = "Fla. Stat. 501.616(6)(b)"},
      StateRule{.state = "KY",
                .citation = "Ky. Rev. Stat. 367.46955(15)",
                .week = every_day(DailyWindow{hours(10), hours(21)})},
      StateRule{.state = "LA",
                .citation = "La. R.S. 45:811(2)-(3); LPSC General Order R-29617",
                .week = with_sunday(k8to20, kNone),
                .holidays = &kLouisiana,
                .emergency_ban = true,
                .emergency_citation = "La. R.S. 45:844.31",
                .note = "days a governor declares a holiday are not modelled"},
      StateRule{.state = "MA",
                .citation = "M.G.L. c. 159C, 3; 201 CMR 12.02",
                .week = every_day(k8to20)},
      StateRule{.state = "MD",
                .citation = "Md. Code, Com. Law 14-4502(c)",
                .week = every_day(k8to20),
                .names_texts = true,
                .max_solicitations_per_24h = 3,
                .cap_citation = "Md. Code, Com. Law 14-4502"},
      StateRule{.state = "MI",
                .citation = "MCL 750.540e(1)(f)",
                .week = every_day(k9to21),
                .note = "citation from the 2026 audit; our review saw the hours only in summaries"},
      StateRule{.state = "MN",
                .citation = "Minn. Stat. 325E.30",
                .week = every_day(k9to21)},
      StateRule{.state = "MS",
                .citation = "Miss. Code 77-3-723(1)",
                .week = with_sunday(k8to20, kNone),
                .names_texts = true,
                .standard_time_offset_hours = -6,
                .note = "hours in Central Standard Time: 09-20 local in summer; the holiday ban "
                        "was a PSC rule, repealed after H.B. 1225 (2023)"},
      StateRule{.state = "NM",
                .citation = "N.M. Stat. 57-12-22",
                .week = every_day(k9to21),
                .note = "statute text not seen by our review"},
      StateRule{.state = "NV",
                .citation = "NRS 598.0918",
                .week = every_day(k9to20)},
      StateRule{.state = "OK",
                .citation = "Okla. Stat. tit. 15, 775C.4",
                .week = every_day(k8to20),
                .names_texts = true,
                .exemption = "an existing business relationship",
                .max_solicitations_per_24h = 3,
                .cap_citation = "Okla. Stat. tit. 15, 775C.4"},
      StateRule{.state = "OR",
                .citation = "Or. Laws 2025, ch. 580 (H.B. 3865)",
                .week = every_day(k8to20),
                .names_texts = true,
                .in_force_from = ymd(2026, 1, 1),
                .note = "the session-law chapter number is not verified",
                .max_solicitations_per_24h = 3,
                .cap_citation = "Or. Laws 2025, ch. 580 (H.B. 3865)"},
      StateRule{.state = "PA",
                .citation = "73 P.S. 2245(a)(10)",
                .week = every_day(kFederalWindow),
                .exemption = "an existing business relationship (12 months)",
                .holidays = &kPennsylvania,
                .note = "S.B. 992 of 2025-26 (09-19, no Sunday, texts) passed the Senate only; "
                        "not enforced"},
      StateRule{.state = "RI",
                .citation = "R.I. Gen. Laws 5-61-3.6, 5-61-2(2)",
                .week = {kNone, DailyWindow{hours(9), hours(18)}, DailyWindow{hours(9), hours(18)},
                         DailyWindow{hours(9), hours(18)}, DailyWindow{hours(9), hours(18)},
                         DailyWindow{hours(9), hours(18)}, DailyWindow{hours(10), hours(17)}},
                .holidays = &kRhodeIsland},
      StateRule{.state = "SD",
                .citation = "S.D. Codified Laws 37-30-28; 37-30A-3(2)",
                .week = {kNone, k9to21, k9to21, k9to21, k9to21, k9to21, kNone},
                .note = "37-30-28 allows solicitations by an automated dialing system on weekdays "
                        "only; we treat our sends as automated"},
      StateRule{.state = "TX",
                .citation = "Tex. Bus. & Com. Code 301.051",
                .week = with_sunday(k9to21, DailyWindow{hours(12), hours(21)})},
      StateRule{.state = "UT",
                .citation = "Utah Code 13-25a-103(3)",
                .week = with_sunday(kFederalWindow, kNone),
                .exemption = "prior express consent lifts the hours, Sunday and holiday limits",
                .holidays = &kUtah},
      StateRule{.state = "WA",
                .citation = "RCW 19.158.040",
                .week = every_day(k8to20)},
      StateRule{.state = "WY",
                .citation = "Wyo. Stat. 40-12-302(d)",
                .week = every_day(k8to20),
                .note = "statute text not seen by our review; applied as the stricter reading"},
  };
  return kRules;
}

const StateRule* state_rule(std::string_view state) {
  const auto rules = state_rules();
  const auto it = std::find_if(rules.begin(), rules.end(),
                               [&](const StateRule& r) { return r.state == state; });
  return it == rules.end() ? nullptr : &*it;
}

std::optional<SolicitationCap> solicitation_cap(std::string_view state) {
  if (!state.empty()) {
    const StateRule* rule = state_rule(state);
    if (rule == nullptr || rule->max_solicitations_per_24h == 0) return std::nullopt;
    return SolicitationCap{rule->max_solicitations_per_24h, std::string(rule->cap_citation)};
  }
  // Where the person may be is not known: every state's cap could apply, so the strictest does.
  std::optional<SolicitationCap> strictest;
  for (const StateRule& rule : state_rules()) {
    if (rule.max_solicitations_per_24h == 0) continue;
    if (!strictest || rule.max_solicitations_per_24h < strictest->per_24h) {
      strictest = SolicitationCap{rule.max_solicitations_per_24h, std::string(rule.cap_citation)};
    } else if (rule.max_solicitations_per_24h == strictest->per_24h) {
      strictest->rule += "; " + std::string(rule.cap_citation);
    }
  }
  return strictest;
}

bool is_us_jurisdiction(std::string_view code) {
  static constexpr std::array<std::string_view, 56> kCodes = {
      "AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI",
      "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP",
      "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
      "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

namespace {

// "08-20", or "09:30-20" when a bound is not on the hour; "none" for a closed day.
std::string format_window(const std::optional<DailyWindow>& w) {
  if (!w) return "none";
  const auto bound = [](std::chrono::minutes m) {
    char buf[8];
    const auto h = static_cast<int>(m.count() / 60);
    const auto min = static_cast<int>(m.count() % 60);
    if (min == 0) {
      std::snprintf(buf, sizeof buf, "%02d", h);
    } else {
      std::snprintf(buf, sizeof buf, "%02d:%02d", h, min);
    }
    return std::string(buf);
  };
  return bound(w->open) + "-" + bound(w->close);
}

// "Mon-Sat 08-20, Sun none": consecutive days (Monday first) with the same window grouped.
std::string format_week(const StateRule& rule) {
  static constexpr std::array<std::string_view, 7> kNames = {"Sun", "Mon", "Tue", "Wed",
                                                             "Thu", "Fri", "Sat"};
  static constexpr std::array<int, 7> kOrder = {1, 2, 3, 4, 5, 6, 0};
  std::string out;
  for (std::size_t i = 0; i < kOrder.size();) {
    const std::string text = format_window(rule.week[kOrder[i]]);
    std::size_t j = i + 1;
    while (j < kOrder.size() && format_window(rule.week[kOrder[j]]) == text) ++j;
    if (!out.empty()) out += ", ";
    if (i == 0 && j == kOrder.size()) return std::string("every day ").append(text);
    out.append(kNames[kOrder[i]]);
    if (j - i > 1) out.append("-").append(kNames[kOrder[j - 1]]);
    out.append(" ").append(text);
    i = j;
  }
  return out;
}

}  // namespace

std::string state_rules_markdown() {
  std::string out =
      "| state | hours (local) | holidays | emergency | in force | covers | exemption; notes | "
      "citation |\n|---|---|---|---|---|---|---|---|\n";
  for (const StateRule& rule : state_rules()) {
    std::string hours = format_week(rule);
    if (rule.standard_time_offset_hours != 0) hours += " (also in standard time)";
    std::string holidays = "-";
    if (rule.holidays != nullptr) {
      holidays = "none on " + std::string(rule.holidays->citation) + " holidays";
      if (rule.holidays->with_federal) holidays += " and federal ones (5 U.S.C. 6103(a))";
    }
    char since[16];
    std::snprintf(since, sizeof since, "%04d-%02u-%02u", static_cast<int>(rule.in_force_from.year()),
                  static_cast<unsigned>(rule.in_force_from.month()),
                  static_cast<unsigned>(rule.in_force_from.day()));
    const bool always = rule.in_force_from.year() <= std::chrono::year{2000};
    std::string covers = rule.coverage == RuleCoverage::kAllCalls ? "all calls" : "solicitations";
    if (rule.names_texts) covers += ", texts named";
    std::string notes(rule.exemption);
    if (!rule.note.empty()) notes += (notes.empty() ? "" : "; ") + std::string(rule.note);
    if (rule.max_solicitations_per_24h > 0) {
      notes += (notes.empty() ? "" : "; ") + std::string("at most ") +
               std::to_string(rule.max_solicitations_per_24h) + " solicitations in 24 hours (" +
               std::string(rule.cap_citation) + ")";
    }
    if (notes.empty()) notes = "-";
    out += "| " + std::string(rule.state) + " | " + hours + " | " + holidays + " | " +
           (rule.emergency_ban ? "none (" + std::string(rule.emergency_citation) + ")" : "-") +
           " | " + (always ? "-" : std::string(since)) + " | " + covers + " | " + notes + " | " +
           std::string(rule.citation) + " |\n";
  }
  return out;
}

}  // namespace common::compliance
