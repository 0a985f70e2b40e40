#include "common/consent/honor.hpp"

#include "common/time.hpp"

namespace common::consent {

HonorResult honor_opt_out(ConsentStore& store, common::aws::SmsVoiceClient& sms,
                          const std::string& list_name, ContactFinish finish) {
  HonorResult out;
  auto listed = sms.put_opted_out_number(list_name, finish.phone_number);
  if (listed.ok()) {
    out.listed = true;
    finish.honored_at = common::now_ms();
  } else {
    out.list_error = listed.error();
    finish.honored_at.reset();
  }
  out.finished = store.finish_contact(finish);
  return out;
}

}  // namespace common::consent
