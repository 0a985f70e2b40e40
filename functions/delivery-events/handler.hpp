// delivery-events: every outbound text's fate. Subscribed to the SNS topic of the configuration
// set's event destination (AWS End User Messaging SMS "Messaging events"); records each event on
// its message-log item and carrier blocks and spam flags on the contact
// (ConsentStore::record_delivery_event), and emits the delivery metrics.
#pragma once

#include <iosfwd>
#include <string>

#include "common/aws/environment.hpp"
#include "common/consent/store.hpp"
#include "functions/delivery-events/sns_event.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace delivery_events {

/// The shared settings delivery-events reads (scaffold/settings.hpp).
inline constexpr scaffold::Uses kUses = {.contacts_table = scaffold::kRequired,
                                         .message_log_table = scaffold::kRequired};

/// The function's configuration: the shared settings of kUses only.
struct Config : scaffold::Settings {};

/// Reads Config. Throws std::invalid_argument naming every missing or bad variable.
Config config_from_environment(const common::aws::Environment& env);

/// The scaffold's clients, plus the stream for the EMF lines with a Status dimension (the shared
/// Metrics carries FunctionName only).
struct Services : scaffold::Services {
  std::ostream& metrics_out;
};

/// The metric of each carrier block or spam flag (common::consent::is_carrier_block), one per
/// type: TEXT_BLOCKED -> TextBlocked, TEXT_CARRIER_BLOCKED -> TextCarrierBlocked, TEXT_SPAM ->
/// TextSpam, TEXT_PROTECT_BLOCKED -> TextProtectBlocked; "" for other types.
std::string carrier_block_metric(std::string_view event_type);

/// Processes SNS events of delivery events, each record on its own. Metrics (EMF, per
/// invocation): DeliveryEvents, DuplicateEvents, UnknownMessages, IgnoredEvents, MalformedRecords,
/// RecordFailures; MessagesFinal, MessagesDelivered and MessagesFailed (also per Status) when a
/// message reaches its first final status, so DeliverySuccessRate = 100 * MessagesDelivered /
/// MessagesFinal counts every message once; MessagePrice, CarrierFees and DeliveryCost (USD) at
/// the same moment; ContactsFlagged and one metric per carrier block type (carrier_block_metric).
/// Logs name the message id, event type and status, the number masked, never a message body.
class Handler {
 public:
  Handler(Config config, Services services);

  /// One invocation: the SNS event in, a JSON summary out ({"records","recorded","history_only",
  /// "duplicates","unknown","ignored","malformed","failed","results":[...]}). A malformed record
  /// and an unknown message id are logged and counted, not failures. Throws
  /// runtime::FunctionError("InvalidEvent") for an event that is not an SNS event, and
  /// ("RecordsFailed") after the other records when any failed on AWS (a retry may fix it), so
  /// Lambda retries the invocation (the store's writes are idempotent).
  std::string handle(const scaffold::Invocation& invocation);

 private:
  Config config_;
  Services services_;
  common::consent::ConsentStore store_;
};

}  // namespace delivery_events
