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
  return consent.record_carrier_opt_out(a.phone_number, now, "appointment_id", a.appointment_id);
}

}  // namespace common::appointments
