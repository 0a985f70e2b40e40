// The SNS event that a configuration set's event destination publishes delivery events to (AWS End
// User Messaging SMS User Guide, "Event destinations", "Example event data"), parsed record by
// record: the envelope by common/events/sns_event; each record's Sns.Message, one SMS event as JSON
// text, here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/consent/delivery.hpp"

namespace delivery_events {

/// One record of the event: the SMS event, an event of another kind to ignore, or why it could not
/// be read.
struct ParsedRecord {
  std::size_t index = 0;
  std::string sns_message_id;  ///< Records[].Sns.MessageId, when it could be read
  /// A TEXT_* event with every member the store needs (messageId, eventType, eventTimestamp,
  /// isFinal), checked for type; the optional members when present.
  std::optional<common::consent::DeliveryEvent> event;
  /// Set for a readable event that is not an SMS one (VOICE_*, MEDIA_*, ...: a destination
  /// matching ALL sends them too): its eventType.
  std::string ignored_type;
  /// Set when neither: names the member at fault, never its value (no number, no text).
  std::string error;
};

/// Parses a Lambda SNS event ({"Records":[{"EventSource":"aws:sns","Sns":{...}}]}). Each record
/// is parsed on its own: a bad one (its envelope, as common::events::parse_sns_event judges it, or
/// its SMS event) yields an entry with `error` and does not stop the others.
/// Prices (totalMessagePrice, totalCarrierFee) keep their decimal value as the shortest text that
/// reads back as the same double (0.00581 -> "0.00581"); each must be 0 or in [1e-9, 1e9].
/// Throws std::invalid_argument when the event itself is not JSON or has no Records array.
std::vector<ParsedRecord> parse_sns_event(std::string_view payload);

}  // namespace delivery_events
