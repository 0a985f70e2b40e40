#include "functions/delivery-events/sns_event.hpp"

#include <simdjson.h>

#include <array>
#include <charconv>
#include <stdexcept>

#include "common/events/sns_event.hpp"

namespace delivery_events {
namespace {

// The SMS event is small and validated up front (DOM), so a bad record is reported member by
// member without disturbing the others; every lookup's error is checked before the next.
using simdjson::dom::element;
using simdjson::dom::object;

std::runtime_error bad(std::string_view path, std::string_view what) {
  return std::runtime_error(std::string(path) + " " + std::string(what));
}

// A member that may be absent or null; present with another type is an error.
std::optional<element> member(const object& o, std::string_view key) {
  element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return v;
}

std::optional<std::string> optional_string(const object& o, std::string_view key,
                                           std::string_view path) {
  auto v = member(o, key);
  if (!v) return std::nullopt;
  std::string_view s;
  if (v->get_string().get(s) != simdjson::SUCCESS) throw bad(path, "is not a string");
  return std::string(s);
}

std::string required_string(const object& o, std::string_view key, std::string_view path) {
  auto v = optional_string(o, key, path);
  if (!v) throw bad(path, "is missing");
  if (v->empty()) throw bad(path, "is empty");
  return *v;
}

// An integer member (JSON numbers without a fraction), within [0, 2^63).
std::optional<std::int64_t> optional_count(const object& o, std::string_view key,
                                           std::string_view path) {
  auto v = member(o, key);
  if (!v) return std::nullopt;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  if (v->get_int64().get(i) == simdjson::SUCCESS) {
    if (i < 0) throw bad(path, "is negative");
    return i;
  }
  if (v->get_uint64().get(u) == simdjson::SUCCESS) throw bad(path, "is too large");
  throw bad(path, "is not an integer");
}

// A money amount (USD): 0, or a JSON number in [1e-9, 1e9], as the shortest decimal text that
// reads back as the same double (fixed notation). The range keeps it far inside what DynamoDB's
// number type takes (38 digits, 1E-130 to 1E+125), so no event fails the write for its price.
std::string optional_amount(const object& o, std::string_view key, std::string_view path) {
  auto v = member(o, key);
  if (!v) return "";
  double d = 0;
  if (v->get_double().get(d) != simdjson::SUCCESS) throw bad(path, "is not a number");
  if (d == 0) return "0";
  if (!(d >= 1e-9 && d <= 1e9)) throw bad(path, "is not an amount in [1e-9, 1e9]");
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed);
  if (ec != std::errc()) throw bad(path, "cannot be written as a decimal");
  return std::string(buf.data(), end);
}

common::consent::DeliveryEvent parse_sms_event(const object& e, ParsedRecord& out) {
  common::consent::DeliveryEvent d;
  d.event_type = required_string(e, "eventType", "Message.eventType");
  if (d.event_type.rfind("TEXT_", 0) != 0) {
    out.ignored_type = d.event_type;
    return d;
  }
  d.message_id = required_string(e, "messageId", "Message.messageId");
  auto at = optional_count(e, "eventTimestamp", "Message.eventTimestamp");
  if (!at) throw bad("Message.eventTimestamp", "is missing");
  d.event_timestamp_ms = *at;
  auto final_flag = member(e, "isFinal");
  if (!final_flag) throw bad("Message.isFinal", "is missing");
  if (final_flag->get_bool().get(d.is_final) != simdjson::SUCCESS) {
    throw bad("Message.isFinal", "is not a boolean");
  }
  d.message_status = optional_string(e, "messageStatus", "Message.messageStatus").value_or("");
  d.message_status_description =
      optional_string(e, "messageStatusDescription", "Message.messageStatusDescription")
          .value_or("");
  d.destination_phone_number =
      optional_string(e, "destinationPhoneNumber", "Message.destinationPhoneNumber").value_or("");
  d.total_message_parts = optional_count(e, "totalMessageParts", "Message.totalMessageParts");
  d.total_message_price = optional_amount(e, "totalMessagePrice", "Message.totalMessagePrice");
  d.total_carrier_fee = optional_amount(e, "totalCarrierFee", "Message.totalCarrierFee");
  if (auto context = member(e, "context")) {
    object c;
    if (context->get_object().get(c) != simdjson::SUCCESS) {
      throw bad("Message.context", "is not an object");
    }
    // Only our own key is read; the sender's other members are theirs.
    d.message_ref =
        optional_string(c, common::consent::kContextMessageRef, "Message.context.message_ref")
            .value_or("");
  }
  return d;
}

}  // namespace

std::vector<ParsedRecord> parse_sns_event(std::string_view payload) {
  simdjson::dom::parser message_parser;  // one for every record's SMS event
  return common::events::parse_sns_records<ParsedRecord>(
      payload, [&](const common::events::SnsRecord& record, ParsedRecord& out) {
        // The SMS event is a JSON document inside the Message string.
        object e;
        if (message_parser.parse(record.message).get_object().get(e) != simdjson::SUCCESS) {
          throw bad("Sns.Message", "is not a JSON object");
        }
        auto sms_event = parse_sms_event(e, out);
        if (out.ignored_type.empty()) out.event = std::move(sms_event);
      });
}

}  // namespace delivery_events
