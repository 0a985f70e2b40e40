#include "sns_event.hpp"

#include <simdjson.h>

#include <stdexcept>

#include "common/compliance/phone.hpp"
#include "common/events/sns_event.hpp"

namespace sms_inbound {
namespace {

// The SMS is small and fully validated up front (DOM), so a bad record can be reported field by
// field without disturbing the others.
using simdjson::dom::object;

std::optional<std::string> optional_string(const object& o, std::string_view key,
                                           std::string_view path) {
  simdjson::dom::element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    throw std::runtime_error(std::string(path) + "." + std::string(key) + " is not a string");
  }
  return std::string(s);
}

std::string required_string(const object& o, std::string_view key, std::string_view path) {
  auto v = optional_string(o, key, path);
  if (!v) throw std::runtime_error(std::string(path) + "." + std::string(key) + " is missing");
  return *v;
}

// The SMS itself: a JSON document inside the (usable) record's Message string.
InboundSms parse_sms(const common::events::SnsRecord& record,
                     simdjson::dom::parser& message_parser) {
  InboundSms m;
  m.sns_message_id = record.message_id;
  m.received_at = record.timestamp;
  object sms;
  if (message_parser.parse(record.message).get_object().get(sms) != simdjson::SUCCESS) {
    throw std::runtime_error("Sns.Message is not a JSON object");
  }
  const std::string origination = required_string(sms, "originationNumber", "Message");
  auto phone = common::compliance::parse_phone_number(origination);
  if (!phone.ok) {
    throw std::runtime_error("Message.originationNumber is not a valid number: " + phone.error);
  }
  if (origination.front() != '+') {
    throw std::runtime_error("Message.originationNumber is not in E.164 form (no '+')");
  }
  m.origination_number = phone.e164;
  m.destination_number = optional_string(sms, "destinationNumber", "Message").value_or("");
  auto body = optional_string(sms, "messageBody", "Message");
  if (!body) throw std::runtime_error("Message.messageBody is missing");
  m.message_body = std::move(*body);
  m.message_keyword = optional_string(sms, "messageKeyword", "Message").value_or("");
  m.inbound_message_id = optional_string(sms, "inboundMessageId", "Message").value_or("");
  m.previous_published_message_id =
      optional_string(sms, "previousPublishedMessageId", "Message").value_or("");
  return m;
}

}  // namespace

std::vector<ParsedRecord> parse_sns_event(std::string_view payload) {
  simdjson::dom::parser message_parser;  // one for every record's SMS
  return common::events::parse_sns_records<ParsedRecord>(
      payload, [&](const common::events::SnsRecord& record, ParsedRecord& out) {
        out.message = parse_sms(record, message_parser);
      });
}

}  // namespace sms_inbound
