// The state texting rules, as data: for every state whose rule is stricter than the federal
// window (08:00-21:00 local, 47 CFR 64.1200(c)(1)), its primary citation, what it covers, its
// hours on each weekday, its holiday and emergency bans and when it came into force. Our policy
// applies every row to every text we send (reminders and notifications alike), consent or not:
// a text sent an hour later costs nothing, a violation costs per message
// (docs/compliance.md#state-quiet-hours). quiet_hours.cpp turns the rows into windows.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/compliance/holidays.hpp"

namespace common::compliance {

/// A daily window in local wall-clock time: from `open` (inclusive) to `close` (exclusive),
/// as durations after local midnight.
struct DailyWindow {
  std::chrono::minutes open;
  std::chrono::minutes close;
};

/// What a state's statute governs.
enum class RuleCoverage {
  kSolicitations,  ///< telephone solicitations (sales and marketing calls, and texts where covered)
  kAllCalls,       ///< every call or text, whatever its purpose
};

/// One state's rule. The hours are the called party's local time unless `standard_time_offset`
/// says otherwise.
struct StateRule {
  std::string_view state = {};     ///< USPS code ("FL")
  std::string_view citation = {};  ///< the primary source of the hours and days
  /// Windows by weekday, index 0 = Sunday ... 6 = Saturday; nullopt = no texts that day.
  std::array<std::optional<DailyWindow>, 7> week = {};
  RuleCoverage coverage = RuleCoverage::kSolicitations;
  bool names_texts = false;  ///< the statute expressly covers text messages
  /// What the statute exempts (prior express consent, an existing business relationship...), and
  /// what our policy does about it; "" when nothing is exempt.
  std::string_view exemption = {};
  const HolidayCalendar* holidays = nullptr;  ///< legal holidays with no texts at all, or none
  /// The state's rule bans solicitations while a state of emergency is declared (applied only
  /// when configured: a declaration cannot be computed; QuietHoursOptions::emergencies).
  bool emergency_ban = false;
  std::string_view emergency_citation = {};
  /// The first local date the row applies (its law's effective date); earlier dates get the
  /// federal window.
  std::chrono::year_month_day in_force_from{std::chrono::year{1970}, std::chrono::January,
                                            std::chrono::day{1}};
  /// When the statute states its hours in a standard time ("Central Standard Time"): that
  /// zone's UTC offset in hours (-6), and the window must hold both in local time and at this
  /// fixed offset (in summer 08:00 CST is 09:00 CDT). 0 = local time only.
  int standard_time_offset_hours = 0;
  std::string_view note = {};  ///< anything else a reviewer needs (repeals, pending bills)
  /// At most this many solicitations to one person in any 24 hours (0: no cap), and the
  /// provision that says so. Applied to every marketing text, whatever its subject and whatever
  /// relationship the sender has (docs/compliance.md#frequency-caps).
  int max_solicitations_per_24h = 0;
  std::string_view cap_citation = {};
};

/// Every state rule, in USPS-code order.
std::span<const StateRule> state_rules();

/// The rule of `state` (USPS code), or nullptr when the state has none stricter than the
/// federal window (or `state` is not a state).
const StateRule* state_rule(std::string_view state);

/// The cap on solicitations per 24 hours that applies to a person in `state`: that row's
/// (StateRule::max_solicitations_per_24h, nullopt without one), or, for an unknown state (""),
/// the strictest of every row's, cited as all of them (docs/compliance.md#unknown-state).
struct SolicitationCap {
  int per_24h = 0;
  std::string rule;  ///< the citation(s)
};
std::optional<SolicitationCap> solicitation_cap(std::string_view state);

/// Whether `code` names a US state, DC or a territory (PR, VI, GU, MP, AS): the places whose
/// rule is known (the federal one where no row exists).
bool is_us_jurisdiction(std::string_view code);

/// The federal window every row narrows: 08:00-21:00 (47 CFR 64.1200(c)(1)).
inline constexpr DailyWindow kFederalWindow{std::chrono::hours(8), std::chrono::hours(21)};

/// The markdown table of every row (state, hours by day, holidays, emergency, coverage,
/// citation), as README.md and docs/compliance.md carry it between their
/// `<!-- state-rules:begin -->` and `<!-- state-rules:end -->` markers (a test compares them).
std::string state_rules_markdown();

}  // namespace common::compliance
