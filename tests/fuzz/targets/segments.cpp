// Outgoing message bodies: count_segments (common/sms/segments.hpp), any bytes.
// Properties: empty <=> no parts; a body that fits one part is one part; otherwise at least
// units / (concatenated part size) parts, and never more parts than units.
#include "common/sms/segments.hpp"

#include <cctype>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

using common::sms::count_segments;
using common::sms::Encoding;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = smsc_fuzz::text(data, size);
  const auto s = count_segments(body);
  const std::string detail =
      "units " + std::to_string(s.units) + " parts " + std::to_string(s.parts);
  SMSC_FUZZ_CHECK((s.parts == 0) == body.empty(), detail);
  SMSC_FUZZ_CHECK(s.units >= 0 && s.parts <= s.units, detail);
  // Two septets (an escape pair) is the most one byte can cost.
  SMSC_FUZZ_CHECK(static_cast<std::size_t>(s.units) <= 2 * body.size(), detail);
  const bool gsm = s.encoding == Encoding::kGsm7;
  const int single = gsm ? 160 : 70;
  const int multi = gsm ? 153 : 67;
  if (s.units > 0 && s.units <= single) SMSC_FUZZ_CHECK(s.parts == 1, detail);
  if (s.units > single) {
    SMSC_FUZZ_CHECK(s.parts >= (s.units + multi - 1) / multi, detail);
    // A pair never split wastes at most one unit per part.
    SMSC_FUZZ_CHECK(s.parts <= (s.units + multi - 2) / (multi - 1), detail);
  }
  // Pure ASCII letters, digits and spaces are always GSM-7.
  bool plain = true;
  for (unsigned char c : body) plain = plain && (std::isalnum(c) || c == ' ');
  if (plain) SMSC_FUZZ_CHECK(gsm && static_cast<std::size_t>(s.units) == body.size(), detail);
  return 0;
}
