#include "common/appointments/recipient.hpp"

namespace common::appointments {

using common::aws::AttributeValue;

Recipient read_recipient(common::consent::ConsentStore& consent, const std::string& phone) {
  const auto item = consent.read_item(phone);
  Recipient r;
  r.contact = common::consent::Contact::from_item(item);
  // Contact carries no time zone yet; until it does, it is read from the same item here.
  if (item) r.time_zone = common::aws::get_s(*item, "time_zone").value_or("");
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
  request.source = AttributeValue::M({{"source", AttributeValue::S("carrier")},
                                      {"appointment_id", AttributeValue::S(a.appointment_id)}});
  const auto recorded = consent.record_opt_out(request);
  if (recorded.change == common::consent::OptOutChange::kNew ||
      recorded.change == common::consent::OptOutChange::kEarlier) {
    consent.put_consent_event(
        {a.phone_number, "opt_out", now, "carrier-" + a.appointment_id, "sms", "carrier", {}});
  }
  return recorded.change;
}

}  // namespace common::appointments
