#include "sns_event.hpp"

#include <simdjson.h>

#include <stdexcept>

#include "common/compliance/phone.hpp"

namespace sms_inbound {
namespace {

// The envelope is small and fully validated up front (DOM), so a bad record
// can be reported field by field without disturbing the others.
using simdjson::dom::element;
using simdjson::dom::object;

std::optional<std::string> optional_string(const object& o, std::string_view key,
                                           std::string_view path) {
  element v;
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

InboundSms parse_record(const element& record, ParsedRecord& out,
                        simdjson::dom::parser& message_parser) {
  object r, sns;
  if (record.get_object().get(r) != simdjson::SUCCESS) {
    throw std::runtime_error("record is not an object");
  }
  if (r.at_key("Sns").get_object().get(sns) != simdjson::SUCCESS) {
    throw std::runtime_error("Sns is missing or not an object");
  }
  InboundSms m;
  m.sns_message_id = optional_string(sns, "MessageId", "Sns").value_or("");
  out.sns_message_id = m.sns_message_id;
  if (m.sns_message_id.empty()) throw std::runtime_error("Sns.MessageId is missing");
  auto received = common::parse_rfc3339(required_string(sns, "Timestamp", "Sns"));
  if (!received) throw std::runtime_error("Sns.Timestamp is not an RFC 3339 time");
  m.received_at = *received;
  const std::string message = required_string(sns, "Message", "Sns");

  // The SMS itself is a JSON document inside the Message string.
  object sms;
  if (message_parser.parse(message).get_object().get(sms) != simdjson::SUCCESS) {
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
  simdjson::dom::parser parser;
  element doc;
  if (auto error = parser.parse(payload.data(), payload.size()).get(doc)) {
    throw std::invalid_argument(std::string("event is not JSON: ") + simdjson::error_message(error));
  }
  simdjson::dom::array records;
  if (doc["Records"].get_array().get(records) != simdjson::SUCCESS) {
    throw std::invalid_argument("event has no Records array (is it an SNS event?)");
  }
  std::vector<ParsedRecord> out;
  out.reserve(records.size());
  simdjson::dom::parser message_parser;
  std::size_t index = 0;
  for (element record : records) {
    ParsedRecord parsed;
    parsed.index = index++;
    try {
      parsed.message = parse_record(record, parsed, message_parser);
    } catch (const std::runtime_error& e) {
      parsed.error = e.what();
    }
    out.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace sms_inbound
