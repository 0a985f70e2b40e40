// The state rules of common/compliance/state_rules.cpp, checked against expectations typed here
// from each primary source (named in the test), not read back from the table: every state's
// window, each holiday ban on its 2026 and 2027 dates, Oregon from 2026-01-01, Mississippi's
// "Central Standard Time" in July and January, emergencies, and the unknown-state path
// (docs/compliance.md#state-quiet-hours, #state-holidays, #unknown-state).
#include "common/compliance/holidays.hpp"
#include "common/compliance/quiet_hours.hpp"
#include "common/compliance/business_days.hpp"
#include "common/compliance/state_rules.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace {

using namespace std::chrono;
using common::compliance::allowed_window;
using common::compliance::check_quiet_hours;
using common::compliance::QuietHoursOptions;
using common::compliance::RecipientPlace;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }

std::string text(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// "08-20" / "none", as a reviewer reads a statute.
std::string window_text(std::string_view state, year_month_day date,
                        const QuietHoursOptions& options = {}) {
  const auto w = allowed_window(state, date, options);
  if (!w) return "none";
  std::ostringstream out;
  const auto part = [&](minutes m) {
    out << (m.count() / 60 < 10 ? "0" : "") << m.count() / 60;
    if (m.count() % 60) out << ":" << m.count() % 60;
  };
  part(w->open);
  out << "-";
  part(w->close);
  return out.str();
}

// A week without holidays in any calendar: Monday 2026-11-16 to Sunday 2026-11-22.
constexpr year_month_day kMon = 2026y / November / 16d;
constexpr year_month_day kSat = 2026y / November / 21d;
constexpr year_month_day kSun = 2026y / November / 22d;

void expect_week(std::string_view state, const char* mon_fri, const char* sat, const char* sun) {
  for (int d = 0; d < 5; ++d) {
    EXPECT_EQ(window_text(state, year_month_day{sys_days{kMon} + days{d}}), mon_fri)
        << state << " weekday " << d;
  }
  EXPECT_EQ(window_text(state, kSat), sat) << state << " Saturday";
  EXPECT_EQ(window_text(state, kSun), sun) << state << " Sunday";
}

// --- every state's window ----------------------------------------------------------------------

TEST(StateRules, Federal_47CFR64_1200c1_8to21ForStatesWithoutARule) {
  for (const char* state : {"NY", "CA", "IL", "GA", "DC", "PR", "GU"}) expect_week(state, "08-21", "08-21", "08-21");
}
TEST(StateRules, AL_AlaAdminCode770X5_17_8to20NoSunday) { expect_week("AL", "08-20", "08-20", "none"); }
TEST(StateRules, CT_ConnGenStat42_288a_9to20) { expect_week("CT", "09-20", "09-20", "09-20"); }
TEST(StateRules, FL_FlaStat501_616_6a_8to20) { expect_week("FL", "08-20", "08-20", "08-20"); }
TEST(StateRules, KY_KRS367_46955_10to21) { expect_week("KY", "10-21", "10-21", "10-21"); }
TEST(StateRules, LA_LaRS45_811_8to20NoSunday) { expect_week("LA", "08-20", "08-20", "none"); }
TEST(StateRules, MA_MGLc159C_3_8to20) { expect_week("MA", "08-20", "08-20", "08-20"); }
TEST(StateRules, MD_ComLaw14_4502c_8to20) { expect_week("MD", "08-20", "08-20", "08-20"); }
TEST(StateRules, MI_MCL750_540e_9to21) { expect_week("MI", "09-21", "09-21", "09-21"); }
TEST(StateRules, MN_MinnStat325E_30_9to21) { expect_week("MN", "09-21", "09-21", "09-21"); }
TEST(StateRules, MS_MissCode77_3_723_8to20NoSunday) { expect_week("MS", "08-20", "08-20", "none"); }
TEST(StateRules, NM_NMStat57_12_22_9to21) { expect_week("NM", "09-21", "09-21", "09-21"); }
TEST(StateRules, NV_NRS598_0918_9to20) { expect_week("NV", "09-20", "09-20", "09-20"); }
TEST(StateRules, OK_OklaStat15_775C4_8to20) { expect_week("OK", "08-20", "08-20", "08-20"); }
TEST(StateRules, OR_HB3865_2025_8to20) { expect_week("OR", "08-20", "08-20", "08-20"); }
TEST(StateRules, PA_73PS2245_8to21WithHolidays) { expect_week("PA", "08-21", "08-21", "08-21"); }
TEST(StateRules, RI_RIGenLaws5_61_2_2_9to18Sat10to17NoSunday) { expect_week("RI", "09-18", "10-17", "none"); }
TEST(StateRules, SD_SDCL37_30_28_WeekdaysOnly9to21) { expect_week("SD", "09-21", "none", "none"); }
TEST(StateRules, TX_BusComCode301_051_9to21SundayNoonTo21) { expect_week("TX", "09-21", "09-21", "12-21"); }
TEST(StateRules, UT_UtahCode13_25a_103_3_8to21NoSunday) { expect_week("UT", "08-21", "08-21", "none"); }
TEST(StateRules, WA_RCW19_158_040_8to20) { expect_week("WA", "08-20", "08-20", "08-20"); }
TEST(StateRules, WY_WyoStat40_12_302d_8to20) { expect_week("WY", "08-20", "08-20", "08-20"); }

// Every row is one of the states above, so a row added without a test fails here.
TEST(StateRules, EveryRowHasAWindowTestAndACitation) {
  const std::vector<std::string_view> tested = {"AL", "CT", "FL", "KY", "LA", "MA", "MD", "MI",
                                                "MN", "MS", "NM", "NV", "OK", "OR", "PA", "RI",
                                                "SD", "TX", "UT", "WA", "WY"};
  std::vector<std::string_view> rows;
  for (const auto& rule : common::compliance::state_rules()) {
    rows.push_back(rule.state);
    EXPECT_FALSE(rule.citation.empty()) << rule.state;
    EXPECT_TRUE(common::compliance::is_us_jurisdiction(rule.state)) << rule.state;
  }
  EXPECT_EQ(rows, tested);
}

// --- holidays: each ban on its 2026 and 2027 dates ----------------------------------------------

// The days of year `y` other than Sundays on which `state` allows no text are exactly the listed
// month-days (a wrongly banned extra day fails too).
void expect_closed(std::string_view state, int y, const char* closed) {
  std::vector<std::string> expected;
  std::istringstream in(closed);
  for (std::string md; in >> md;) expected.push_back(std::to_string(y) + "-" + md);
  std::vector<std::string> actual;
  for (sys_days d{year{y} / January / 1d}; d <= sys_days{year{y} / December / 31d}; d += days{1}) {
    if (weekday{d} == Sunday) continue;
    if (window_text(state, year_month_day{d}) == "none") actual.push_back(text(year_month_day{d}));
  }
  EXPECT_EQ(actual, expected) << state << " " << y;
}

TEST(StateHolidays, AL_AlaCode1_3_8_2026And2027) {
  // 07-03: Independence Day on a Saturday; 2027-12-31: New Year's Day 2028 on a Saturday.
  expect_closed("AL", 2026, "01-01 01-19 02-16 02-17 04-27 05-25 06-01 06-19 07-03 07-04 09-07 "
                            "10-12 11-11 11-26 12-25");
  expect_closed("AL", 2027, "01-01 01-18 02-09 02-15 04-26 05-31 06-07 06-18 06-19 07-05 09-06 "
                            "10-11 11-11 11-25 12-24 12-25 12-31");
}
TEST(StateHolidays, LA_LaRS1_55_2026And2027) {
  // Good Friday and Mardi Gras from Easter (2026-04-05, 2027-03-28); All Saints' Day on a Sunday
  // in 2026 also closes Monday 11-02 (our weekend move, docs/compliance.md#state-holidays).
  expect_closed("LA", 2026, "01-01 01-08 01-19 02-16 02-17 04-03 05-25 07-03 07-04 08-31 09-07 "
                            "10-12 11-02 11-11 11-26 12-25");
  expect_closed("LA", 2027, "01-01 01-08 01-18 02-09 02-15 03-26 05-31 07-05 08-30 09-06 10-11 "
                            "11-01 11-11 11-25 12-24 12-25 12-31");
}
TEST(StateHolidays, RI_RIGenLaws25_1_1AndFederal_2026To2028) {
  // State and federal: Juneteenth (federal only), Victory Day and RI Independence Day (state
  // only); a Saturday holiday closes the federal Friday and the state's Monday; Election Day in
  // even years only. Saturdays are otherwise open (10-17).
  expect_closed("RI", 2026, "01-01 01-19 02-16 05-04 05-25 06-19 07-03 07-04 07-06 08-10 09-07 "
                            "10-12 11-03 11-11 11-26 12-25");
  expect_closed("RI", 2027, "01-01 01-18 02-15 05-04 05-31 06-18 06-19 07-05 08-09 09-06 10-11 "
                            "11-11 11-25 12-24 12-25 12-27 12-31");
  // New Year's Day 2028 is a Saturday: the federal Friday (2027-12-31) and the state's Monday.
  EXPECT_EQ(window_text("RI", 2028y / January / 1d), "none");
  EXPECT_EQ(window_text("RI", 2028y / January / 3d), "none");
  EXPECT_EQ(window_text("RI", 2028y / January / 4d), "09-18");
}
TEST(StateHolidays, UT_UtahCode63G_1_301_2026And2027) {
  // Juneteenth is kept on a Monday (06-15 in 2026, 06-21 in 2027; the Monday before a Saturday
  // June 19 stays open); Pioneer Day 2027 is a Saturday (Friday 07-23 closed too); Good Friday
  // from 2027 (the version in force from 2026-05-06).
  expect_closed("UT", 2026, "01-01 01-19 02-16 05-25 06-15 06-19 07-03 07-04 07-24 09-07 10-12 "
                            "11-11 11-26 12-25");
  expect_closed("UT", 2027, "01-01 01-18 02-15 03-26 05-31 06-19 06-21 07-05 07-23 07-24 09-06 "
                            "10-11 11-11 11-25 12-24 12-25 12-31");
}
TEST(StateHolidays, PA_73PS2245a10_2026And2027) {
  // Flag Day on a Sunday in 2026 also closes Monday 06-15; Election Day every November.
  expect_closed("PA", 2026, "01-01 01-19 02-16 04-03 05-25 06-15 07-03 07-04 09-07 10-12 11-03 "
                            "11-11 11-26 12-25");
  expect_closed("PA", 2027, "01-01 01-18 02-15 03-26 05-31 06-14 07-05 09-06 10-11 11-02 11-11 "
                            "11-25 12-24 12-25 12-31");
}
// Mississippi's holiday ban was a PSC rule, repealed after H.B. 1225 (2023): Christmas 2026
// (a Friday) is an ordinary weekday there, and so are holidays in states without a ban.
TEST(StateHolidays, MS_NoHolidayBanSinceHB1225_2023) {
  EXPECT_EQ(window_text("MS", 2026y / December / 25d), "08-20");
  EXPECT_EQ(window_text("FL", 2026y / December / 25d), "08-20");
}

TEST(StateHolidays, EasterSundayByTheGregorianComputus) {
  EXPECT_EQ(common::compliance::easter_sunday(2026y), 2026y / April / 5d);
  EXPECT_EQ(common::compliance::easter_sunday(2027y), 2027y / March / 28d);
  EXPECT_EQ(common::compliance::easter_sunday(2038y), 2038y / April / 25d);  // latest possible
  EXPECT_EQ(common::compliance::easter_sunday(2285y), 2285y / March / 22d);  // earliest possible
}

// The federal list of holidays.cpp (for RI) agrees with business_days.cpp's observed dates
// (5 U.S.C. 6103): every observed federal holiday is banned, 2021-2040.
TEST(StateHolidays, FederalBansCoverEveryObservedFederalHoliday_5USC6103) {
  int observed = 0;
  for (sys_days d = sys_days{2021y / January / 1d}; d <= sys_days{2040y / December / 31d}; d += days{1}) {
    if (common::compliance::federal_holiday(year_month_day{d})) {
      ++observed;
      EXPECT_TRUE(common::compliance::federal_holiday_ban(year_month_day{d})) << text(year_month_day{d});
    } else if (common::compliance::federal_holiday_ban(year_month_day{d})) {
      // Banned but not observed: only the weekend date itself.
      const weekday wd{d};
      EXPECT_TRUE(wd == Saturday || wd == Sunday) << text(year_month_day{d});
    }
  }
  EXPECT_EQ(observed, 20 * 11);
}

// --- Oregon from 2026-01-01 ---------------------------------------------------------------------

TEST(StateRules, OR_HB3865InForceFrom2026_01_01) {
  const std::vector<RecipientPlace> portland = {{"OR", "America/Los_Angeles"}};
  // Wednesday 2025-12-31 20:30 PST: the federal window still applied.
  EXPECT_TRUE(check_quiet_hours(portland, at("2026-01-01T04:30:00Z")).allowed);
  EXPECT_EQ(window_text("OR", 2025y / December / 31d), "08-21");
  // Friday 2026-01-02 20:30 PST: after 20:00, deferred to Saturday 08:00 PST.
  const auto d = check_quiet_hours(portland, at("2026-01-03T04:30:00Z"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "Or. Laws 2025, ch. 580 (H.B. 3865)");
  EXPECT_EQ(*d.next_allowed, at("2026-01-03T16:00:00Z"));
}

// --- Mississippi: "8:00 a.m. and 8:00 p.m. Central Standard Time" -------------------------------

TEST(StateRules, MS_MissCode77_3_723CentralStandardTimeInJuly) {
  const std::vector<RecipientPlace> jackson = {{"MS", "America/Chicago"}};
  // Wednesday 2026-07-15, CDT: 08:30 CDT is 07:30 CST, outside; 09:00 CDT = 08:00 CST opens.
  const auto early = check_quiet_hours(jackson, at("2026-07-15T13:30:00Z"));
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(*early.next_allowed, at("2026-07-15T14:00:00Z"));
  // 19:59 CDT is inside both readings; 20:00 CDT closes (local reading).
  EXPECT_TRUE(check_quiet_hours(jackson, at("2026-07-16T00:59:00Z")).allowed);
  EXPECT_FALSE(check_quiet_hours(jackson, at("2026-07-16T01:00:00Z")).allowed);
}

TEST(StateRules, MS_MissCode77_3_723CentralStandardTimeInJanuary) {
  const std::vector<RecipientPlace> jackson = {{"MS", "America/Chicago"}};
  // Wednesday 2027-01-13, CST: 08:00-20:00 local exactly.
  EXPECT_FALSE(check_quiet_hours(jackson, at("2027-01-13T13:59:00Z")).allowed);
  EXPECT_TRUE(check_quiet_hours(jackson, at("2027-01-13T14:00:00Z")).allowed);
  EXPECT_TRUE(check_quiet_hours(jackson, at("2027-01-14T01:59:00Z")).allowed);
  EXPECT_FALSE(check_quiet_hours(jackson, at("2027-01-14T02:00:00Z")).allowed);
}

// --- a declared emergency (La. R.S. 45:844.31) --------------------------------------------------

TEST(StateRules, LA_LaRS45_844_31EmergencyOnlyWhenConfigured) {
  const QuietHoursOptions emergency{{"LA"}};
  EXPECT_EQ(window_text("LA", kMon), "08-20");
  EXPECT_EQ(window_text("LA", kMon, emergency), "none");
  EXPECT_EQ(window_text("TX", kMon, emergency), "09-21");
  const auto d = check_quiet_hours({{"LA", "America/Chicago"}}, at("2026-11-16T18:00:00Z"), emergency);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "emergency: La. R.S. 45:844.31");
  EXPECT_FALSE(d.next_allowed) << "no end can be computed";
  // An unknown state may be Louisiana: closed as well.
  EXPECT_EQ(window_text("", kMon, emergency), "none");
}

TEST(StateRules, StateEmergenciesSettingNamesTheBadCode) {
  EXPECT_EQ(common::compliance::parse_state_emergencies(""), std::vector<std::string>{});
  EXPECT_EQ(common::compliance::parse_state_emergencies("LA, LA"), std::vector<std::string>{"LA"});
  try {
    common::compliance::parse_state_emergencies("LA,TX");
    FAIL() << "TX has no emergency ban";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"TX\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("LA"), std::string::npos) << e.what();
  }
  EXPECT_THROW(common::compliance::parse_state_emergencies("la"), std::invalid_argument);
}

// --- the unknown-state path (docs/compliance.md#unknown-state) ---------------------------------

TEST(UnknownState, EveryStatesWindowAtOnce) {
  // Monday-Friday 10-18 (Kentucky opens at 10, Rhode Island closes at 18), no Saturday (South
  // Dakota), no Sunday (AL, LA, MS, RI, SD, UT), and every state's holidays.
  expect_week("", "10-18", "none", "none");
  EXPECT_EQ(window_text("", 2026y / November / 26d), "none");  // Thanksgiving
  EXPECT_EQ(window_text("", 2026y / August / 10d), "none");    // RI Victory Day
  EXPECT_EQ(window_text("", 2026y / July / 24d), "none");      // UT Pioneer Day
}

TEST(UnknownState, StoredZoneKnownStateNot) {
  // A stored zone and no state: every state's rule in that zone, never the federal window alone.
  const std::vector<RecipientPlace> chicago = {{"", "America/Chicago"}};
  const auto d = check_quiet_hours(chicago, at("2026-11-16T15:30:00Z"));  // Mon 09:30 CST
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "quiet_hours:America/Chicago:any_state");
  EXPECT_EQ(*d.next_allowed, at("2026-11-16T16:00:00Z"));  // 10:00 CST
  // Friday 18:30 CST: closed until Monday 10:00 CST (South Dakota: no Saturday).
  const auto fri = check_quiet_hours(chicago, at("2026-11-21T00:30:00Z"));
  EXPECT_FALSE(fri.allowed);
  EXPECT_EQ(*fri.next_allowed, at("2026-11-23T16:00:00Z"));
  EXPECT_EQ(fri.rule, std::string("every state's rule at once: the state is not known "
                                  "(docs/compliance.md#unknown-state)"));
}

// Far from Central time (Guam, UTC+10): Mississippi's Central Standard Time is read on the CST
// calendar, so a window still exists: 10:00-12:00 ChST Tuesday to Friday, which is 18:00-20:00
// CST Monday to Thursday and inside every state's local 10-18.
TEST(UnknownState, GuamStillHasAWindow) {
  const auto d = check_quiet_hours({{"", "Pacific/Guam"}}, at("2026-11-16T22:00:00Z"));  // Tue 08:00 ChST
  EXPECT_FALSE(d.allowed);
  ASSERT_TRUE(d.next_allowed) << d.rule;
  EXPECT_EQ(*d.next_allowed, at("2026-11-17T00:00:00Z"));  // Tue 10:00 ChST = Mon 18:00 CST
  EXPECT_FALSE(check_quiet_hours({{"", "Pacific/Guam"}}, at("2026-11-17T02:00:00Z")).allowed);
}

// A closed day names the row that closes it, for an unknown state too; Oregon before its law
// took effect is closed by the federal window only.
TEST(UnknownState, TheClosingRuleIsNamed) {
  const QuietHoursOptions emergency{{"LA"}};
  const auto d = check_quiet_hours({{"", "America/Chicago"}}, at("2026-11-17T18:00:00Z"), emergency);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "any state: emergency: La. R.S. 45:844.31");
  const auto xmas = check_quiet_hours({{"", "America/Chicago"}}, at("2026-12-25T18:00:00Z"));
  EXPECT_EQ(xmas.rule, "any state: Ala. Code 1-3-8: Christmas Day");
  const auto oregon = check_quiet_hours({{"OR", "America/Los_Angeles"}}, at("2026-01-01T05:30:00Z"));
  EXPECT_EQ(oregon.rule, "47 CFR 64.1200(c)(1) (8 a.m. to 9 p.m.)");  // Dec 31 21:30 PST
}

TEST(UnknownState, NoZoneEitherUsesEveryUsZone) {
  const auto places = common::compliance::every_us_zone();
  ASSERT_EQ(places.size(), 8u);
  // Tuesday 2026-11-17 19:00Z: 14:00 EST but 09:00 HST, closed; 20:00Z (10:00 HST, 15:00 EST)
  // opens; 23:00Z (18:00 EST) closes.
  const auto d = check_quiet_hours(places, at("2026-11-17T19:00:00Z"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "quiet_hours:America/Adak:any_state");  // the first of the two at UTC-10
  EXPECT_EQ(*d.next_allowed, at("2026-11-17T20:00:00Z"));
  EXPECT_TRUE(check_quiet_hours(places, at("2026-11-17T22:59:00Z")).allowed);
  EXPECT_FALSE(check_quiet_hours(places, at("2026-11-17T23:00:00Z")).allowed);
}

// --- the README and docs carry the table as generated from the rows -----------------------------

TEST(StateRules, MarkdownTableHasOneLinePerRow) {
  const std::string table = common::compliance::state_rules_markdown();
  EXPECT_NE(table.find("| RI | Mon-Fri 09-18, Sat 10-17, Sun none |"), std::string::npos) << table;
  EXPECT_NE(table.find("| TX | Mon-Sat 09-21, Sun 12-21 |"), std::string::npos) << table;
  EXPECT_NE(table.find("| OR | every day 08-20 | - | - | 2026-01-01 |"), std::string::npos) << table;
  std::size_t lines = 0;
  for (char c : table) lines += c == '\n';
  EXPECT_EQ(lines, common::compliance::state_rules().size() + 2);
}

// README.md and docs/compliance.md carry the table generated from the rows between their
// markers; when a row changes, replace both blocks with the table this test prints.
TEST(StateRules, ReadmeAndComplianceDocCarryTheGeneratedTable) {
  const std::string table = common::compliance::state_rules_markdown();
  for (const char* doc : {"README.md", "docs/compliance.md"}) {
    std::ifstream in(std::string(SMSC_SOURCE_DIR) + "/" + doc);
    ASSERT_TRUE(in) << doc;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string begin = "<!-- state-rules:begin -->\n", end = "<!-- state-rules:end -->";
    const auto b = text.find(begin);
    const auto e = text.find(end);
    ASSERT_NE(b, std::string::npos) << doc << " has no " << begin;
    ASSERT_NE(e, std::string::npos) << doc << " has no " << end;
    EXPECT_EQ(text.substr(b + begin.size(), e - b - begin.size()), table)
        << doc << ": replace the block between the markers with:\n" << table;
  }
}

}  // namespace
