#include "common/events/sns_event.hpp"

#include <simdjson.h>

#include <optional>
#include <stdexcept>

namespace common::events {
namespace {

// The envelope is small and fully validated up front (DOM), so a bad record is reported member by
// member without disturbing the others; every lookup's error is checked before the next.
using simdjson::dom::element;
using simdjson::dom::object;

std::runtime_error bad(std::string_view member, std::string_view what) {
  return std::runtime_error(std::string(member) + " " + std::string(what));
}

// A string member that may be absent or null (nullopt); present with another type is an error.
std::optional<std::string_view> optional_string(const object& o, std::string_view key,
                                                std::string_view member) {
  element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) throw bad(member, "is not a string");
  return s;
}

// A string member that must be there and not empty.
std::string_view required_string(const object& o, std::string_view key, std::string_view member) {
  const auto s = optional_string(o, key, member);
  if (!s) throw bad(member, "is missing");
  if (s->empty()) throw bad(member, "is empty");
  return *s;
}

// Fills `out` from one element of Records[]; throws std::runtime_error naming the member at
// fault. The id is kept as soon as it is read, so that a record failing later is still named.
void read_record(const element& record, SnsRecord& out) {
  object r, sns;
  if (record.get_object().get(r) != simdjson::SUCCESS) throw bad("record", "is not an object");
  if (r.at_key("Sns").get_object().get(sns) != simdjson::SUCCESS) {
    throw bad("Sns", "is missing or not an object");
  }
  const auto id = optional_string(sns, "MessageId", "Sns.MessageId");
  if (id) out.message_id = std::string(*id);
  // Lambda's own events always say "aws:sns"; hand-made ones may leave it out.
  const auto source = optional_string(r, "EventSource", "EventSource");
  if (source && *source != "aws:sns") throw bad("EventSource", "is not \"aws:sns\"");
  if (!id) throw bad("Sns.MessageId", "is missing");
  if (id->empty()) throw bad("Sns.MessageId", "is empty");
  out.message = std::string(required_string(sns, "Message", "Sns.Message"));
  const auto at = common::parse_rfc3339(required_string(sns, "Timestamp", "Sns.Timestamp"));
  if (!at) throw bad("Sns.Timestamp", "is not an RFC 3339 time");
  out.timestamp = *at;
  out.topic_arn = std::string(optional_string(sns, "TopicArn", "Sns.TopicArn").value_or(""));
}

}  // namespace

SnsEvent parse_sns_event(std::string_view payload) {
  simdjson::dom::parser parser;
  element doc;
  if (auto error = parser.parse(payload.data(), payload.size()).get(doc)) {
    throw std::invalid_argument(std::string("event is not JSON: ") +
                                simdjson::error_message(error));
  }
  simdjson::dom::array records;
  if (doc["Records"].get_array().get(records) != simdjson::SUCCESS) {
    throw std::invalid_argument("event has no Records array (is it an SNS event?)");
  }
  SnsEvent event;
  event.records.reserve(records.size());
  for (element e : records) {
    SnsRecord& record = event.records.emplace_back();
    record.index = event.records.size() - 1;
    try {
      read_record(e, record);
    } catch (const std::runtime_error& error) {
      // Only the id stays: what else was read of a malformed record is not to be used.
      SnsRecord malformed;
      malformed.index = record.index;
      malformed.message_id = std::move(record.message_id);
      malformed.error = error.what();
      record = std::move(malformed);
    }
  }
  return event;
}

}  // namespace common::events
