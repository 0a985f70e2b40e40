#include "common/appointments/recipient.hpp"

namespace common::appointments {

Recipient read_recipient(common::consent::ConsentStore& consent, const std::string& phone) {
  Recipient r;
  r.contact = consent.read(phone);
  r.time_zone = r.contact.time_zone;
  return r;
}

common::consent::OptOutChange record_carrier_opt_out(common::consent::ConsentStore& consent,
                                                     const Appointment& a, TimePoint now) {
  common::consent::OptOutRequest request;
  request.phone_number = a.phone_number;
  request.requested_at = now;
  request.channel = "sms";
  request.method = "carrier";
  request.rule = "DESTINATION_PHONE_NUMBER_OPTED_OUT";
  request.source = common::consent::Evidence{{"source", "carrier"},
                                             {"appointment_id", a.appointment_id}};
  const auto recorded = consent.record_opt_out(request);
  if (recorded.change == common::consent::OptOutChange::kNew ||
      recorded.change == common::consent::OptOutChange::kEarlier) {
    consent.put_consent_event(
        {a.phone_number, "opt_out", now, "carrier-" + a.appointment_id, "sms", "carrier", {}});
  }
  return recorded.change;
}

}  // namespace common::appointments
