// The SNS event of a configuration set's event destination
// (functions/delivery-events/sns_event.hpp: parse_sns_event), with the SMS event JSON inside each
// record's Message string. Properties: only std::invalid_argument (not an SNS event) escapes; every
// record is exactly one of an event, an ignored non-SMS event or an error naming the member; an
// event has a message id, a TEXT_ type and a key naming both; amounts are "0" or decimals in [1e-9,
// 1e9] that read back; an error never quotes the destination number it may have read.
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "functions/delivery-events/sns_event.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

void check_amount(const std::string& text) {
  if (text.empty() || text == "0") return;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  SMSC_FUZZ_CHECK(ec == std::errc() && end == text.data() + text.size(), text);
  SMSC_FUZZ_CHECK(value >= 1e-9 && value <= 1e9, text);
  SMSC_FUZZ_CHECK(text.find_first_not_of("0123456789.") == std::string::npos, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<delivery_events::ParsedRecord> records;
  try {
    records = delivery_events::parse_sns_event(smsc_fuzz::text(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    SMSC_FUZZ_CHECK(r.index == i, r.error);
    const int kinds =
        (r.event ? 1 : 0) + (r.ignored_type.empty() ? 0 : 1) + (r.error.empty() ? 0 : 1);
    SMSC_FUZZ_CHECK(kinds == 1, r.error + "|" + r.ignored_type);
    if (!r.error.empty()) {
      // Errors name a member ("Message.x is ...", "Sns.y ...", "record ...", "EventSource ..."),
      // never a value.
      SMSC_FUZZ_CHECK(r.error.rfind("Message.", 0) == 0 || r.error.rfind("Sns", 0) == 0 ||
                          r.error.rfind("record", 0) == 0 || r.error.rfind("EventSource", 0) == 0,
                      r.error);
      continue;
    }
    if (!r.ignored_type.empty()) {
      SMSC_FUZZ_CHECK(r.ignored_type.rfind("TEXT_", 0) != 0, r.ignored_type);
      continue;
    }
    const auto& e = *r.event;
    SMSC_FUZZ_CHECK(!e.message_id.empty(), e.event_type);
    SMSC_FUZZ_CHECK(e.event_type.rfind("TEXT_", 0) == 0, e.event_type);
    SMSC_FUZZ_CHECK(e.event_timestamp_ms >= 0, e.message_id);
    SMSC_FUZZ_CHECK(e.key() == e.event_type + "@" + std::to_string(e.event_timestamp_ms), e.key());
    SMSC_FUZZ_CHECK(!e.total_message_parts || *e.total_message_parts >= 0, e.message_id);
    check_amount(e.total_message_price);
    check_amount(e.total_carrier_fee);
  }
  return 0;
}
