// The contact side of a reminder: what a reminder run reads of its recipient and the consent
// records a refused reminder leaves, through common::consent::ConsentStore (the owner of the
// contacts table and the message log), so the reminders handler names no attribute of either.
#pragma once

#include <string>

#include "common/appointments/appointments.hpp"
#include "common/consent/contact.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"

namespace common::appointments {

/// What a reminder needs to know of its recipient, from one strongly consistent read.
struct Recipient {
  common::consent::Contact contact;  ///< consent state (exists == false: no contact on record)
  std::string time_zone;             ///< the contact's own IANA zone; empty when not recorded
};

/// Reads the recipient of a reminder (one GetItem on the contacts table). Throws
/// common::aws::AwsException when DynamoDB fails.
Recipient read_recipient(common::consent::ConsentStore& consent, const std::string& phone);

/// Records that End User Messaging refused a reminder because the number is on its opt-out list
/// (ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT): a universal opt-out with method
/// "carrier" and the appointment as its source, and its consent event (event id
/// "carrier-<appointment_id>") when the opt-out is new or earlier than the one on record.
/// Returns what the opt-out changed. Throws common::aws::AwsException when DynamoDB fails.
common::consent::OptOutChange record_carrier_opt_out(common::consent::ConsentStore& consent,
                                                     const Appointment& appointment, TimePoint now);

}  // namespace common::appointments
