// The SendTextMessage request every function builds through common/sms/outbound: MessageType
// from the category, TimeToLive from the expiry (End User Messaging: 5-259200 seconds), Context.
#include "common/sms/outbound.hpp"

#include <gtest/gtest.h>

namespace {

using common::consent::Category;
using common::sms::OutboundText;
using common::sms::send_request;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }

TEST(Outbound, MessageTypeFollowsTheCategory) {
  OutboundText text{"+12125550123", "Hello", Category::kTransactional, "+18005550100", "cs"};
  EXPECT_EQ(send_request(text, at("2026-11-17T17:00:00Z"))->message_type, "TRANSACTIONAL");
  text.category = Category::kMarketing;
  const auto r = send_request(text, at("2026-11-17T17:00:00Z"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message_type, "PROMOTIONAL");
  EXPECT_EQ(r->destination_phone_number, "+12125550123");
  EXPECT_EQ(r->origination_identity, "+18005550100");
  EXPECT_EQ(r->configuration_set_name, "cs");
  EXPECT_FALSE(r->time_to_live) << "no expiry: the service's default";
}

TEST(Outbound, TimeToLiveEndsAtTheExpiryAndStaysInTheServiceRange) {
  OutboundText text{"+12125550123", "Reminder", Category::kTransactional, "+18005550100", ""};
  text.expires_at = at("2026-11-18T17:00:00Z");
  text.context = {{"kind", "reminder"}, {"appointment_id", "a-1"}};
  const auto day = send_request(text, at("2026-11-17T17:00:00.900Z"));
  ASSERT_TRUE(day);
  EXPECT_EQ(day->time_to_live, 86399);  // whole seconds left, never past the expiry
  EXPECT_EQ(day->context.at("appointment_id"), "a-1");
  EXPECT_FALSE(common::aws::validate(*day)) << "within the service model's constraints";
  const auto far = send_request(text, at("2026-11-01T00:00:00Z"));
  EXPECT_EQ(far->time_to_live, common::sms::kMaxTimeToLiveSeconds);
  EXPECT_EQ(send_request(text, at("2026-11-18T16:59:55Z"))->time_to_live, 5);
  EXPECT_FALSE(send_request(text, at("2026-11-18T16:59:56Z"))) << "less than 5 s left: not sent";
  EXPECT_FALSE(send_request(text, at("2026-11-18T18:00:00Z"))) << "expired";
}

TEST(Outbound, PacerSpacesPartsAndHalvesOnThrottle) {
  common::sms::Pacer pacer(4);
  const auto before = std::chrono::steady_clock::now();
  pacer.sent(2);  // 2 parts at 4 a second: the next waits 0.5 s
  EXPECT_GE(pacer.next_start() - before, std::chrono::milliseconds(500));
  pacer.throttled();
  EXPECT_DOUBLE_EQ(pacer.rate(), 2);
  for (int i = 0; i < 10; ++i) pacer.throttled();
  EXPECT_DOUBLE_EQ(pacer.rate(), 0.1);
}

// Every sender reads a failed send the same way: an opt-out first, an account refusal that was
// answered, then whether any attempt went unanswered (the text may have gone out).
TEST(Outbound, SendFailuresAreClassifiedOnce) {
  using common::aws::AwsError;
  using common::sms::classify_send_failure;
  using common::sms::SendFailure;
  AwsError opted = AwsError::final_error("sms-voice", "SendTextMessage", "ConflictException", "x");
  opted.http_status = 400;
  opted.reason = "DESTINATION_PHONE_NUMBER_OPTED_OUT";
  EXPECT_EQ(classify_send_failure(opted), SendFailure::kOptedOut);
  opted.reason = "OTHER";
  EXPECT_EQ(classify_send_failure(opted), SendFailure::kRefused);
  AwsError quota = AwsError::final_error("sms-voice", "SendTextMessage", "ServiceQuotaExceededException", "x");
  quota.http_status = 402;
  EXPECT_EQ(classify_send_failure(quota), SendFailure::kAccount);
  AwsError busy = AwsError::throttling("sms-voice", "SendTextMessage", "ThrottlingException", "x");
  busy.http_status = 400;
  EXPECT_EQ(classify_send_failure(busy), SendFailure::kNotSent);
  busy.earlier_attempt_unanswered = true;
  EXPECT_EQ(classify_send_failure(busy), SendFailure::kMaybeSent);
  const AwsError lost = AwsError::network("sms-voice", "SendTextMessage", true, "timeout", 1);
  EXPECT_EQ(classify_send_failure(lost), SendFailure::kMaybeSent);
}

}  // namespace
