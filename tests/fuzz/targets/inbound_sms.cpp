// The SNS event of inbound SMS (functions/sms-inbound/sns_event.hpp: parse_sns_event), with the
// SMS JSON inside each record's Message string.
// Properties: only std::invalid_argument (not an SNS event) escapes; every record is either a
// message or an error naming the field; a message has a valid E.164 sender, an id, and a receipt
// time that formats and parses back.
#include "functions/sms-inbound/sns_event.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "common/compliance/phone.hpp"
#include "common/time.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<sms_inbound::ParsedRecord> records;
  try {
    records = sms_inbound::parse_sns_event(smsc_fuzz::text(data, size));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    SMSC_FUZZ_CHECK(r.index == i, r.error);
    if (!r.message) {
      SMSC_FUZZ_CHECK(!r.error.empty(), r.sns_message_id);
      continue;
    }
    SMSC_FUZZ_CHECK(r.error.empty(), r.error);
    const auto& m = *r.message;
    SMSC_FUZZ_CHECK(common::compliance::is_e164(m.origination_number), m.origination_number);
    const auto parsed = common::compliance::parse_phone_number(m.origination_number);
    SMSC_FUZZ_CHECK(parsed.ok && parsed.e164 == m.origination_number, m.origination_number);
    SMSC_FUZZ_CHECK(!m.message_id().empty() && m.sns_message_id == r.sns_message_id,
                    m.sns_message_id);
    const std::string at = common::format_rfc3339(m.received_at);
    SMSC_FUZZ_CHECK(common::parse_rfc3339(at) == m.received_at, at);
  }
  return 0;
}
