// Delivery events of outbound texts (AWS End User Messaging SMS "Messaging events", published by
// a configuration set's event destination) and the pure decisions on them: which event's status
// stands on a message, and which events flag the number at the carrier. No I/O here; the store
// (store.hpp, ConsentStore::record_delivery_event) writes. Attribute names: README "Data".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/dynamodb_values.hpp"

namespace common::consent {

/// How many events a message's history (`delivery_events`) keeps, the latest by arrival. A text
/// has two events in the usual case (TEXT_SUCCESSFUL, TEXT_DELIVERED); ten leave room for a
/// carrier's intermediate statuses and SNS redeliveries without growing an item without bound.
inline constexpr std::size_t kDeliveryHistory = 10;

/// The `Context` key under which a sender may put the message-log sort key of its text
/// (OutboundRecord::message_ref()), when it is known before the send: End User Messaging echoes
/// `Context` in every event, and the store then updates the item by its key (one call) instead of
/// finding it through the index by MessageId first.
inline constexpr std::string_view kContextMessageRef = "message_ref";

/// One SMS event, as the store records it. `event_type` is eventType (TEXT_DELIVERED, ...).
struct DeliveryEvent {
  std::string message_id;                  ///< messageId: the SendTextMessage MessageId
  std::string event_type;                  ///< eventType
  std::string message_status;              ///< messageStatus (DELIVERED, SPAM, ...), may be empty
  std::string message_status_description;  ///< messageStatusDescription, may be empty
  bool is_final = false;                   ///< isFinal
  std::int64_t event_timestamp_ms = 0;     ///< eventTimestamp, epoch milliseconds
  std::string destination_phone_number;    ///< destinationPhoneNumber, E.164 (may be empty)
  std::optional<std::int64_t> total_message_parts;  ///< totalMessageParts
  /// totalMessagePrice and totalCarrierFee (USD) as decimal text, exactly as received; empty when
  /// absent. Kept as text so DynamoDB stores the number without a binary rounding.
  std::string total_message_price;
  std::string total_carrier_fee;
  /// context[kContextMessageRef] (the item's sort key), empty when the sender set none.
  std::string message_ref;

  /// The key that names this event across SNS redeliveries: `<eventType>@<eventTimestamp>`.
  std::string key() const;
};

/// The status that stands on a message (the `delivery_*` attributes of its message-log item).
struct DeliveryState {
  bool has_status = false;
  std::string event_type;
  bool is_final = false;
  std::int64_t event_timestamp_ms = 0;
  std::vector<std::string>
      keys;                ///< `delivery_event_keys`: every event recorded (DeliveryEvent::key)
  std::int64_t count = 0;  ///< `delivery_event_count`: events recorded so far
  bool has_count = false;
  std::vector<common::aws::AttributeValue> history;  ///< `delivery_events`, oldest first

  /// Reads the attributes of a message-log item; missing or mistyped ones read as absent.
  static DeliveryState from_item(const common::aws::AttributeMap& item);
  /// `key` was recorded before.
  bool seen(const std::string& key) const;
};

/// Whether `event`'s status replaces the one that stands. Events are ordered by (final, event
/// time, event type): a final one beats every non-final one, whatever their times (a non-final
/// event never overwrites a final one: SNS delivers out of order), then the later event wins,
/// then the type name (a tie of two different events at the same millisecond, so every arrival
/// order ends in the same status). The standing status is thus the greatest event recorded, and
/// a redelivered event (equal to one recorded) never replaces it.
bool delivery_supersedes(const DeliveryState& stored, const DeliveryEvent& event);

/// The event types that flag the number at the carrier and are recorded on the contact as well:
/// TEXT_BLOCKED, TEXT_CARRIER_BLOCKED, TEXT_SPAM, TEXT_PROTECT_BLOCKED.
bool is_carrier_block(std::string_view event_type);

/// The event types that mean the text reached the recipient's carrier or handset:
/// TEXT_DELIVERED and TEXT_SUCCESSFUL (AWS uses them interchangeably in some countries).
bool is_delivered(std::string_view event_type);

}  // namespace common::consent
