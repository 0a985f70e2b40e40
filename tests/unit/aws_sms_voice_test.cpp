// SendTextMessage checked against the PinpointSMSVoiceV2 model before sending (AWS End User
// Messaging SMS API reference), DescribeOptedOutNumbers request bodies, and the answers.
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

// Issue 10, fuzzing finding 5: a message body that is not UTF-8 made building the request
// throw nlohmann's type_error.316; it is a ClientValidationError naming the member, like any
// other broken member, and nothing is sent.
TEST(AwsSmsVoice, Finding5_NonUtf8TextIsAClientValidationError) {
  auto check = [](auto mutate, const char* member) {
    auto r = valid_request();
    mutate(r);
    const auto problem = validate(r);
    ASSERT_TRUE(problem.has_value()) << member;
    EXPECT_NE(problem->find(member), std::string::npos) << *problem;
  };
  check([](auto& r) { r.message_body = "STOP \xff"; }, "MessageBody");
  check([](auto& r) { r.message_body = "\xed\xa0\x80"; }, "MessageBody");  // a UTF-16 surrogate
  check([](auto& r) { r.keyword = "\xc3"; }, "Keyword");
  check([](auto& r) { r.configuration_set_name = "set\x80"; }, "ConfigurationSetName");
  check([](auto& r) { r.context = {{"k", "\xfe"}}; }, "Context");

  // Through the client: refused before sending (no endpoint is ever contacted).
  common::aws::JsonClientConfig config;
  config.region = "us-east-1";
  config.endpoint.url = "http://127.0.0.1:9";
  common::aws::SmsVoiceClient client(config);
  auto r = valid_request();
  r.message_body = "STOP \xff";
  const auto sent = client.send_text_message(r);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, "ClientValidationError");
  EXPECT_EQ(sent.error().attempts, 0);
  const auto listed = client.put_opted_out_number("list\xff", "+12065550100");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, "ClientValidationError");
}

// Issue 10, fuzzing finding 2: OptedOutTimestamp 1e300 (or 1e10 s, past what system_clock holds)
// overflowed the conversion (undefined behaviour). A time the clock cannot hold makes the answer
// malformed: the documented std::runtime_error, a MalformedResponse from the client.
TEST(AwsSmsVoice, Finding2_OptedOutTimestampOutOfRangeIsMalformed) {
  using common::aws::parse_opted_out_number_response;
  for (const char* t : {"1e300", "1e10", "-1e10", "9223372036.855", "1e400"}) {
    const std::string body = std::string(R"({"OptedOutNumber":"+12065550100","OptedOutTimestamp":)") + t + "}";
    EXPECT_THROW(parse_opted_out_number_response(body), std::runtime_error) << t;
    EXPECT_THROW(common::aws::parse_describe_opted_out_numbers_response(
                     std::string(R"({"OptedOutNumbers":[{"OptedOutNumber":"+1","OptedOutTimestamp":)") +
                     t + "}]}"),
                 std::runtime_error)
        << t;
  }
  // The largest time system_clock holds (nanoseconds since 1970, 2262-04-11) still reads.
  const auto last = parse_opted_out_number_response(R"({"OptedOutTimestamp":9223372036.854})");
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(last.opted_out_at.time_since_epoch())
                .count(),
            9223372036854);
}

TEST(AwsSmsVoice, OptedOutAnswersParse) {
  const auto put = common::aws::parse_opted_out_number_response(
      R"({"OptOutListName":"list","OptedOutNumber":"+12065550100","OptedOutTimestamp":1700000000.1234,)"
      R"("EndUserOptedOut":true,"Other":{"x":[1,null]}})");
  EXPECT_EQ(put.opt_out_list_name, "list");
  EXPECT_EQ(put.opted_out_number, "+12065550100");
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(put.opted_out_at.time_since_epoch())
                .count(),
            1700000000123);
  EXPECT_TRUE(put.end_user_opted_out);
  const auto page = common::aws::parse_describe_opted_out_numbers_response(
      R"({"OptOutListName":"list","OptedOutNumbers":[{"OptedOutNumber":"+12065550100",)"
      R"("OptedOutTimestamp":1700000000,"EndUserOptedOut":false}],"NextToken":"t2"})");
  ASSERT_EQ(page.numbers.size(), 1u);
  EXPECT_EQ(page.numbers[0].opted_out_number, "+12065550100");
  EXPECT_EQ(page.next_token, "t2");
  EXPECT_EQ(common::aws::parse_send_text_message_response(R"({"MessageId":"m-1"})").message_id, "m-1");
}

// The audit of finding 1 over the SMS answers: malformed anywhere is the documented error.
TEST(AwsSmsVoice, Finding1_MalformedAnswersAreRefused) {
  for (const std::string body :
       {R"({"a":[})", R"({"x":1 "MessageId":"m"})", R"({"MessageId":"m","x":[1 2]})",
        R"({"MessageId":"m"}})", R"({"MessageId":"m","MessageId":"n"})", R"({"MessageId":7})", ""}) {
    EXPECT_THROW(common::aws::parse_send_text_message_response(body), std::runtime_error) << body;
  }
  for (const std::string body :
       {R"({"a":[})", R"({"x":1 "OptedOutNumber":"+1"})", R"({"EndUserOptedOut":"yes"})",
        R"({"OptedOutTimestamp":"1700000000"})", R"({"OptedOutNumber":"+1"} [)"}) {
    EXPECT_THROW(common::aws::parse_opted_out_number_response(body), std::runtime_error) << body;
  }
  for (const std::string& body : std::vector<std::string>{
           R"({"OptedOutNumbers":[{"OptedOutNumber":"+1"},]})", R"({"OptedOutNumbers":[7]})",
           R"({"NextToken":"a" "OptedOutNumbers":[]})",
           R"({"OptedOutNumbers":[],"x":)" + std::string(5000, '[') + std::string(5000, ']') + "}"}) {
    EXPECT_THROW(common::aws::parse_describe_opted_out_numbers_response(body), std::runtime_error)
        << body.substr(0, 60);
  }
}

// One parser per client (issue 11, item 5): every answer parser also reads with the caller's
// parser, and gives what a fresh one gives, also after a longer or a refused answer.
TEST(AwsSmsVoice, OneParserReadsEveryAnswerAsFreshParsersDo) {
  std::string long_page = R"({"OptedOutNumbers":[)";
  for (int i = 0; i < 100; ++i) {
    if (i > 0) long_page += ",";
    long_page += R"({"OptedOutNumber":"+1206555)" + std::to_string(1000 + i) +
                 R"(","OptedOutTimestamp":1700000000,"EndUserOptedOut":true})";
  }
  long_page += R"(],"NextToken":"t"})";
  common::aws::JsonParser parser;
  for (int round = 0; round < 20; ++round) {
    const auto page = common::aws::parse_describe_opted_out_numbers_response(parser, long_page);
    ASSERT_EQ(page.numbers.size(), 100u);
    EXPECT_EQ(page.numbers[99].opted_out_number, "+12065551099");
    EXPECT_EQ(page.next_token, "t");
    EXPECT_THROW(common::aws::parse_send_text_message_response(parser, R"({"MessageId":"m-)"),
                 std::runtime_error);
    EXPECT_EQ(common::aws::parse_send_text_message_response(parser, R"({"MessageId":"m-1"})")
                  .message_id,
              "m-1");
    const auto listed = common::aws::parse_opted_out_number_response(
        parser, R"({"OptedOutNumber":"+12065550100","EndUserOptedOut":false})");
    EXPECT_EQ(listed.opted_out_number, "+12065550100");
    EXPECT_FALSE(listed.end_user_opted_out);
  }
  EXPECT_EQ(parser.texts_read(), 80u);
}

}  // namespace
