// SNS events as Lambda receives them from a topic subscription (Records[] of notifications, each
// with its published text in Sns.Message). Only the envelope: what the Message says is the
// subscriber's to parse (sms-inbound: a two-way SMS; delivery-events: an SMS event).
#pragma once

#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.hpp"

namespace common::events {

/// One notification of the event. When `error` is set the record is malformed (its envelope, not
/// its Message: that is the subscriber's to judge) and only `message_id` may be known, as read.
struct SnsRecord {
  std::size_t index = 0;   ///< position in Records[], from 0
  std::string message_id;  ///< Sns.MessageId: non-empty when usable; for a malformed record, as
                           ///< far as it could be read (may be empty)
  common::TimePoint timestamp{};  ///< Sns.Timestamp (UTC): when SNS published it
  std::string topic_arn;          ///< Sns.TopicArn; may be empty (hand-made events leave it out)
  std::string message;            ///< Sns.Message, non-empty when usable: the published text
  /// Why the record is unusable, naming the member and never quoting its value
  /// ("Sns.Timestamp is not an RFC 3339 time"); empty when usable.
  std::string error;

  /// True when every member above could be read.
  bool usable() const { return error.empty(); }
};

/// The records, in the order of Records[] (one per element, malformed ones included).
struct SnsEvent {
  std::vector<SnsRecord> records;
};

/// Reads an SNS event ({"Records":[{"EventSource":"aws:sns","Sns":{...}}]}). Each record is read
/// on its own: one whose envelope is malformed (not an object, EventSource other than "aws:sns",
/// no Sns object, MessageId or Message missing or empty, Timestamp not RFC 3339, a member of
/// another type) comes back with `error` set, so the rest of the batch is still processed.
/// Throws std::invalid_argument naming the problem when the payload is not an SNS event at all
/// (not JSON, no Records array); nothing else.
SnsEvent parse_sns_event(std::string_view payload);

/// What a subscriber's own record type needs for parse_sns_records: where the record stood, its
/// SNS MessageId, and why it is unusable (empty when usable).
template <typename T>
concept SnsSubscriberRecord = std::default_initializable<T> && std::movable<T> &&
    requires(T r, const SnsRecord& s, const char* why) {
  r.index = s.index;
  r.sns_message_id = s.message_id;
  r.error = why;
};

/// Parses an SNS event into the subscriber's records, one per element of Records[], in order:
/// the envelope by parse_sns_event, then each usable record's Message by
/// `read_message(const SnsRecord&, Record&)`, which fills the subscriber's own members or throws
/// std::runtime_error naming the member at fault. A record malformed either way keeps only its
/// index, its SNS id (as far as it was read) and `error`, so the rest of the batch is still
/// processed. Throws std::invalid_argument as parse_sns_event does.
template <SnsSubscriberRecord Record, typename ReadMessage>
std::vector<Record> parse_sns_records(std::string_view payload, ReadMessage&& read_message) {
  const SnsEvent event = parse_sns_event(payload);
  std::vector<Record> out(event.records.size());
  for (const SnsRecord& record : event.records) {
    Record& parsed = out[record.index];
    parsed.index = record.index;
    parsed.sns_message_id = record.message_id;
    if (!record.usable()) {
      parsed.error = record.error;
      continue;
    }
    try {
      read_message(record, parsed);
    } catch (const std::runtime_error& error) {
      // Nothing half-read stays on a malformed record.
      Record malformed;
      malformed.index = record.index;
      malformed.sns_message_id = record.message_id;
      malformed.error = error.what();
      parsed = std::move(malformed);
    }
  }
  return out;
}

}  // namespace common::events
