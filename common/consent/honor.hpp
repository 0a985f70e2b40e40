// Honouring an opt-out: the number onto the End User Messaging opt-out list, then the contact
// marked honoured. The one implementation sms-inbound, opt-out-api and deadline-monitor share.
#pragma once

#include <optional>
#include <string>

#include "common/aws/error.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/consent/store.hpp"

namespace common::consent {

/// What honor_opt_out did.
struct HonorResult {
  bool listed = false;  ///< PutOptedOutNumber succeeded
  /// Why the list update failed (listed == false): the caller decides whether to throw
  /// (sms-inbound: the record fails and SNS redelivers), answer (opt-out-api: "pending") or
  /// count it (deadline-monitor retries on its next run).
  std::optional<common::aws::AwsError> list_error;
  ContactFinished finished;  ///< the contact write; `finished.honored` says whether it marked
};

/// Puts `finish.phone_number` on the opt-out list `list_name`, then writes `finish` (ConsentStore
/// finish_contact) with the honoured mark at the list's time when AWS accepted it. The order is
/// AWS's: a listed number receives no text, so whatever must still be sent to it (the one opt-out
/// confirmation, docs/compliance.md) goes before; and the opt-out counts as honoured only once
/// AWS itself blocks every send (47 CFR 64.1200(a)(10)). When the list update fails, the rest of
/// `finish` (a confirmation's MessageId, counters) is still written, without the mark.
/// Calls: PutOptedOutNumber, then at most one UpdateItem (two when the mark's condition fails).
/// Throws AwsException / common::Error for DynamoDB failures (ConsentStore).
HonorResult honor_opt_out(ConsentStore& store, common::aws::SmsVoiceClient& sms,
                          const std::string& list_name, ContactFinish finish);

/// The message-log evidence that the opt-out standing on `after` (a contact as a write returned
/// it) was honoured: an event "opt_out_honored" (message-log direction "honor") at
/// `opt_out_honored_at`, keyed by the opt-out's request time (sort key
/// `<honored_at>#honor#<requested_at>`, so every attempt writes the same item), with the request time, deadline, business days taken
/// (common::compliance::business_days_elapsed), whether it was in time (47 CFR 64.1200(a)(10))
/// and `by`, the function that honoured it. nullopt when `after` is not an honoured opt-out or its
/// times cannot be read.
std::optional<ConsentEvent> honored_event(const Contact& after, const std::string& by);

}  // namespace common::consent
