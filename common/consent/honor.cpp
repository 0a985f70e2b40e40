#include "common/consent/honor.hpp"

#include "common/compliance/business_days.hpp"
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

std::optional<ConsentEvent> honored_event(const Contact& after, const std::string& by) {
  if (!after.opted_out() || after.opt_out_honored_at.empty()) return std::nullopt;
  const auto honored = common::parse_rfc3339(after.opt_out_honored_at);
  const auto requested = common::parse_rfc3339(after.opted_out_at);
  const auto deadline = common::parse_rfc3339(after.opt_out_deadline);
  if (!honored || !requested || !deadline) return std::nullopt;
  ConsentEvent ev{after.phone_number, "opt_out_honored", *honored,
                  common::format_rfc3339(*requested),
                  after.opt_out_channel.empty() ? "sms" : after.opt_out_channel, "opt_out_list"};
  ev.deadline = *deadline;
  ev.requested_at = *requested;
  ev.business_days = common::compliance::business_days_elapsed(*requested, *honored);
  ev.within_deadline = *honored <= *deadline;
  ev.honored_by = by;
  return ev;
}

}  // namespace common::consent
