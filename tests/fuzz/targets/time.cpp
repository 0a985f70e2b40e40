// RFC 3339 times from outside (SNS Timestamp, API requested_at/consented_at, stored items):
// parse_rfc3339 and format_rfc3339 (common/time.hpp).
// Properties: parse never throws; whatever parses formats to the fixed 24-character form
// ("YYYY-MM-DDThh:mm:ss.mmmZ"), which parses back to the same instant (parse -> format -> parse).
// An input led by byte 0xFF is instead an instant (8 bytes, milliseconds), checked the same way
// when it lies in years 0000-9999, the range the fixed-width form can carry.
#include "common/time.hpp"

#include <cstdint>
#include <cstring>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

namespace {

void check_round_trip(common::TimePoint t) {
  const std::string text = common::format_rfc3339(t);
  SMSC_FUZZ_CHECK(text.size() == 24 && text[10] == 'T' && text.back() == 'Z', text);
  const auto again = common::parse_rfc3339(text);
  SMSC_FUZZ_CHECK(again.has_value(), text + " does not parse back");
  SMSC_FUZZ_CHECK(*again == t, text + " parses back to " + common::format_rfc3339(*again));
  SMSC_FUZZ_CHECK(common::format_rfc3339(*again) == text, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size >= 1 && data[0] == 0xFF) {
    std::int64_t raw = 0;
    std::memcpy(&raw, data + 1, std::min<std::size_t>(size - 1, sizeof raw));
    // 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z in Unix milliseconds.
    constexpr std::int64_t kFirst = -62167219200000, kLast = 253402300799999;
    const std::int64_t span = kLast - kFirst + 1;
    const std::int64_t ms = kFirst + ((raw % span) + span) % span;
    check_round_trip(common::TimePoint(std::chrono::milliseconds(ms)));
    return 0;
  }
  const auto parsed = common::parse_rfc3339(smsc_fuzz::text(data, size));
  if (parsed) check_round_trip(*parsed);
  return 0;
}
