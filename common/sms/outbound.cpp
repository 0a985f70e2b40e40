#include "common/sms/outbound.hpp"

#include <algorithm>

namespace common::sms {

std::string message_type(common::consent::Category category) {
  return category == common::consent::Category::kMarketing ? "PROMOTIONAL" : "TRANSACTIONAL";
}

std::optional<common::aws::SendTextMessageRequest> send_request(const OutboundText& text,
                                                                TimePoint now) {
  common::aws::SendTextMessageRequest request;
  request.destination_phone_number = text.destination;
  request.origination_identity = text.origination_identity;
  request.message_body = text.body;
  request.message_type = message_type(text.category);
  request.configuration_set_name = text.configuration_set_name;
  request.context = text.context;
  if (text.expires_at) {
    const auto left = std::chrono::floor<std::chrono::seconds>(*text.expires_at - now).count();
    if (left < kMinTimeToLiveSeconds) return std::nullopt;
    request.time_to_live = static_cast<int>(std::min<long long>(left, kMaxTimeToLiveSeconds));
  }
  return request;
}

void Pacer::sent(int parts) {
  const auto now = std::chrono::steady_clock::now();
  next_ = std::max(next_, now) + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(parts / rate_));
}

void Pacer::throttled() { rate_ = std::max(rate_ / 2, 0.1); }

SendFailure classify_send_failure(const common::aws::AwsError& error) {
  if (error.is("ConflictException") && error.reason == "DESTINATION_PHONE_NUMBER_OPTED_OUT") {
    return SendFailure::kOptedOut;
  }
  if (!error.outcome_unknown() &&
      (error.is("AccessDeniedException") || error.is("ServiceQuotaExceededException") ||
       error.is("ResourceNotFoundException"))) {
    return SendFailure::kAccount;
  }
  if (error.retryable()) return error.outcome_unknown() ? SendFailure::kMaybeSent : SendFailure::kNotSent;
  return SendFailure::kRefused;
}

}  // namespace common::sms
