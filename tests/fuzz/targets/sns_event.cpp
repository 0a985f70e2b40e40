// The SNS envelope of a Lambda event (common/events/sns_event.hpp: parse_sns_event), which
// sms-inbound and delivery-events read before their own Message. Properties: only
// std::invalid_argument (not an SNS event) escapes, and exactly when the event is not JSON or has
// no Records array; one record per element of Records[], in order; a usable record has a
// non-empty id and Message equal to the event's own members, an EventSource of "aws:sns" or none,
// and a timestamp that formats and parses back; a malformed one keeps only its id (the event's
// Sns.MessageId whenever that is a string) and a reason naming a member, never quoting a value.
#include "common/events/sns_event.hpp"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The member `key` of `o` when it is a string.
std::optional<std::string_view> string_at(const object& o, std::string_view key) {
  std::string_view s;
  if (o.at_key(key).get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

// A reason is "<member> <what>" from the parser's own vocabulary: nothing of the input in it.
bool names_a_member(const std::string& error) {
  static constexpr std::array<std::string_view, 7> kMembers = {
      "record",      "EventSource",   "Sns",         "Sns.MessageId",
      "Sns.Message", "Sns.Timestamp", "Sns.TopicArn"};
  static constexpr std::array<std::string_view, 7> kWhats = {
      "is not an object", "is not \"aws:sns\"", "is missing or not an object", "is not a string",
      "is missing",       "is empty",           "is not an RFC 3339 time"};
  for (auto member : kMembers) {
    for (auto what : kWhats) {
      if (error == std::string(member) + " " + std::string(what)) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  // The event as a plain DOM, to hold the parser's records against.
  simdjson::dom::parser reference_parser;
  element root;
  simdjson::dom::array records_in;
  const bool is_event =
      reference_parser.parse(input.data(), input.size()).get(root) == simdjson::SUCCESS &&
      root["Records"].get_array().get(records_in) == simdjson::SUCCESS;

  common::events::SnsEvent event;
  try {
    event = common::events::parse_sns_event(input);
  } catch (const std::invalid_argument& e) {
    SMSC_FUZZ_CHECK(!is_event, e.what());
    return 0;
  }
  SMSC_FUZZ_CHECK(is_event, "an event without a Records array was read");
  SMSC_FUZZ_CHECK(event.records.size() == records_in.size(), std::to_string(event.records.size()));

  std::size_t i = 0;
  for (element in : records_in) {
    const auto& r = event.records[i];
    SMSC_FUZZ_CHECK(r.index == i, std::to_string(r.index));
    ++i;
    object record_in, sns_in;
    const bool has_sns = in.get_object().get(record_in) == simdjson::SUCCESS &&
                         record_in["Sns"].get_object().get(sns_in) == simdjson::SUCCESS;
    const auto id_in = has_sns ? string_at(sns_in, "MessageId") : std::nullopt;
    // Whatever id the record had is kept, usable or not.
    SMSC_FUZZ_CHECK(r.message_id == id_in.value_or(""), r.message_id);
    if (!r.usable()) {
      SMSC_FUZZ_CHECK(names_a_member(r.error), r.error);
      SMSC_FUZZ_CHECK(r.message.empty() && r.topic_arn.empty(), r.error);
      SMSC_FUZZ_CHECK(r.timestamp == common::TimePoint{}, r.error);
      continue;
    }
    SMSC_FUZZ_CHECK(has_sns, r.message_id);
    SMSC_FUZZ_CHECK(!r.message_id.empty() && !r.message.empty(), r.message_id);
    SMSC_FUZZ_CHECK(r.message == string_at(sns_in, "Message").value_or(""), r.message_id);
    SMSC_FUZZ_CHECK(r.topic_arn == string_at(sns_in, "TopicArn").value_or(""), r.topic_arn);
    element source;
    if (record_in["EventSource"].get(source) == simdjson::SUCCESS && !source.is_null()) {
      SMSC_FUZZ_CHECK(string_at(record_in, "EventSource") == "aws:sns", r.message_id);
    }
    const auto time_in = string_at(sns_in, "Timestamp");
    SMSC_FUZZ_CHECK(time_in && common::parse_rfc3339(*time_in) == r.timestamp, r.message_id);
    const std::string at = common::format_rfc3339(r.timestamp);
    SMSC_FUZZ_CHECK(common::parse_rfc3339(at) == r.timestamp, at);
  }
  return 0;
}
