// The SNS event that End User Messaging SMS publishes two-way messages to, parsed record by record:
// the envelope by common/events/sns_event, the SMS inside each record's Message here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.hpp"

namespace sms_inbound {

/// One inbound text, from the JSON string in Records[].Sns.Message (AWS End User Messaging SMS
/// User Guide, two-way SMS message format).
struct InboundSms {
  std::string sns_message_id;             // Records[].Sns.MessageId
  common::TimePoint received_at;          // Records[].Sns.Timestamp (UTC): the receipt time
  std::string origination_number;         // the customer, E.164 (validated)
  std::string destination_number;         // our number (as sent; may be empty)
  std::string message_body;               // may be empty
  std::string message_keyword;            // optional in the payload
  std::string inbound_message_id;         // optional in the payload
  std::string previous_published_message_id;  // optional in the payload

  /// The id that names this message across redeliveries: inboundMessageId when
  /// present, else the SNS MessageId.
  const std::string& message_id() const {
    return inbound_message_id.empty() ? sns_message_id : inbound_message_id;
  }
};

/// One record of the event: the message, or why it could not be read.
struct ParsedRecord {
  std::size_t index = 0;
  std::optional<InboundSms> message;
  std::string error;           // set when !message: names the field at fault
  std::string sns_message_id;  // when it could be read, even for a bad record
};

/// Parses an SNS event ({"Records":[{"EventSource":"aws:sns","Sns":{...}}]}).
/// Each record is parsed on its own: a bad record (its envelope, as
/// common::events::parse_sns_event judges it, or its SMS) yields an entry with
/// `error` and does not stop the others. Throws std::invalid_argument when the
/// event itself is not JSON or has no Records array.
std::vector<ParsedRecord> parse_sns_event(std::string_view payload);

}  // namespace sms_inbound
