// SendTextMessage checked against the PinpointSMSVoiceV2 model before sending
// (SPEC section 4), and DescribeOptedOutNumbers request bodies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/aws/sms_voice.hpp"

namespace {

using common::aws::SendTextMessageRequest;
using common::aws::validate;

SendTextMessageRequest valid_request() {
  SendTextMessageRequest r;
  r.destination_phone_number = "+12065550100";
  r.origination_identity = "+12065550199";
  r.message_body = "hello";
  return r;
}

TEST(AwsSmsVoice, AValidRequestPasses) {
  auto r = valid_request();
  r.message_type = "TRANSACTIONAL";
  r.max_price = "0.05";
  r.time_to_live = 259200;
  r.context = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}};
  r.dry_run = true;
  EXPECT_EQ(validate(r), std::nullopt);
}

TEST(AwsSmsVoice, EachBrokenMemberIsNamed) {
  auto check = [](auto mutate, const char* member) {
    auto r = valid_request();
    mutate(r);
    const auto problem = validate(r);
    ASSERT_TRUE(problem.has_value()) << member;
    EXPECT_NE(problem->find(member), std::string::npos) << *problem;
  };
  check([](auto& r) { r.destination_phone_number = "+0123"; }, "DestinationPhoneNumber");
  check([](auto& r) { r.destination_phone_number = "+1206555010012345678901"; }, "DestinationPhoneNumber");
  check([](auto& r) { r.message_body = ""; }, "MessageBody");
  check([](auto& r) { r.message_body = std::string(1601, 'x'); }, "MessageBody");
  check([](auto& r) { r.message_type = "MARKETING"; }, "MessageType");
  check([](auto& r) { r.time_to_live = 4; }, "TimeToLive");
  check([](auto& r) { r.time_to_live = 259201; }, "TimeToLive");
  check([](auto& r) { r.max_price = "five"; }, "MaxPrice");
  check([](auto& r) { r.origination_identity = "has space"; }, "OriginationIdentity");
  check([](auto& r) { r.keyword = std::string(51, 'k'); }, "Keyword");
  check([](auto& r) {
    r.context = {{"k0", "v"}, {"k1", "v"}, {"k2", "v"}, {"k3", "v"}, {"k4", "v"}, {"k5", "v"}};
  }, "Context");
}

TEST(AwsSmsVoice, BodyLengthCountsCharactersNotBytes) {
  auto r = valid_request();
  std::string body;
  for (int i = 0; i < 1600; ++i) body += "\u00e9";  // 3200 bytes, 1600 characters
  r.message_body = body;
  EXPECT_EQ(validate(r), std::nullopt);
}

TEST(AwsSmsVoice, DescribeOptedOutNumbersBodyCarriesNumbersFilterAndToken) {
  common::aws::DescribeOptedOutNumbersRequest request{"list", {}};
  request.end_user_opted_out = false;
  request.page_size = 10;
  const auto body = nlohmann::json::parse(
      common::aws::describe_opted_out_numbers_json(request, {"+12065550100"}, "tok"));
  EXPECT_EQ(body["OptOutListName"], "list");
  EXPECT_EQ(body["OptedOutNumbers"], nlohmann::json::array({"+12065550100"}));
  EXPECT_EQ(body["Filters"][0]["Name"], "end-user-opted-out");
  EXPECT_EQ(body["Filters"][0]["Values"][0], "false");
  EXPECT_EQ(body["MaxResults"], 10);
  EXPECT_EQ(body["NextToken"], "tok");
}

}  // namespace
