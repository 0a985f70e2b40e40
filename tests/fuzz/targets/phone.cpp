// Phone numbers as people type them (API bodies, SMS events): parse_phone_number, is_e164 and
// mask_phone_number (common/compliance/phone.hpp), and the log masking of any text
// (mask_phone_numbers, common/observe/logger.hpp).
// Properties: a value never an exception; an accepted number is E.164, parses back to itself and
// its mask never shows it whole; the mask is always "***"-shaped. In a text whose only digit run
// looks like a number by the logger's rule, that run never survives mask_phone_numbers.
#include "common/compliance/phone.hpp"

#include <cstdint>
#include <string>

#include "common/observe/logger.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace common::compliance;

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// mask_phone_numbers on a text with one run of digits and none of the contexts the logger's rule
// exempts by their surroundings (UUIDs and ARNs need '-' or ':').
void check_log_masking(std::string_view text) {
  const std::string masked = common::observe::mask_phone_numbers(text);
  if (text.find_first_of("-:") != std::string_view::npos) return;
  std::size_t start = std::string_view::npos, runs = 0, end = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (digit(text[i]) && (i == 0 || !digit(text[i - 1]))) {
      ++runs;
      start = i;
    }
    if (digit(text[i])) end = i + 1;
  }
  if (runs != 1) return;
  const std::string_view run = text.substr(start, end - start);
  const bool plus = start > 0 && text[start - 1] == '+';
  const std::size_t n = run.size();
  const bool looks = n > 15 || (plus ? n >= 8 : n >= 10 && !((n == 10 || n == 13) && run[0] == '1'));
  if (looks) SMSC_FUZZ_CHECK(masked.find(run) == std::string::npos, masked);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  check_log_masking(input);
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
