// NANP area codes of the US and its territories -> state and IANA time zone(s), for where a
// number's holder probably is when nothing better is known (quiet hours, state rules).
// Source: NANPA, "NPA Database" / area code maps of the United States (nationalnanpa.com,
// reviewed 2025), and the US zone boundaries of IANA tzdata (zone.tab comments). A code whose
// area spans two zones lists both (e.g. 850 Florida panhandle: Central and Eastern), so callers
// can require a send to be allowed in every one. Canadian and Caribbean NANP codes are not
// listed: for them the location is unknown and callers fail closed.
#pragma once

#include <optional>
#include <string_view>
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

}  // namespace common::compliance
