// Phone numbers as people type them (API bodies, SMS events): parse_phone_number, is_e164 and
// mask_phone_number (common/compliance/phone.hpp).
// Properties: a value never an exception; an accepted number is E.164, parses back to itself and
// its mask never shows it whole; the mask is always "***"-shaped.
#include <cstdint>
#include <string>

#include "common/compliance/phone.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace common::compliance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  const PhoneParseResult parsed = parse_phone_number(input);
  const std::string mask = mask_phone_number(input);
  SMSC_FUZZ_CHECK(mask.find("***") != std::string::npos, mask);
  (void)is_e164(input);
  if (!parsed.ok) {
    SMSC_FUZZ_CHECK(parsed.e164.empty() && !parsed.error.empty(), parsed.error);
    return 0;
  }
  SMSC_FUZZ_CHECK(parsed.error.empty(), parsed.error);
  SMSC_FUZZ_CHECK(is_e164(parsed.e164), parsed.e164);
  const PhoneParseResult again = parse_phone_number(parsed.e164);
  SMSC_FUZZ_CHECK(again.ok && again.e164 == parsed.e164, parsed.e164 + " -> " + again.e164);
  // The mask of any spelling is the mask of the E.164 form, and hides at least 3 digits of it.
  SMSC_FUZZ_CHECK(mask == mask_phone_number(parsed.e164), mask);
  const std::string digits = parsed.e164.substr(1);
  SMSC_FUZZ_CHECK(mask.find(digits) == std::string::npos, mask);
  std::size_t shown = 0;
  for (char c : mask) shown += c >= '0' && c <= '9';
  SMSC_FUZZ_CHECK(shown + 3 <= digits.size(), mask + " shows too much of " + parsed.e164);
  return 0;
}
