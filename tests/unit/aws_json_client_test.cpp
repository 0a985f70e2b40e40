// error_from_response: the AWS JSON 1.0 error shape (X-Amzn-Errortype, __type, code, message,
// Reason), and error bodies that are not what they claim to be. Regression inputs from the
// fuzzing of issue 10 are named by their finding.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/aws/json_client.hpp"

namespace {

using common::aws::error_from_response;
using common::aws::HttpResponse;

HttpResponse answer(long status, std::string body, std::vector<common::aws::Header> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(ErrorFromResponse, ReadsCodeMessageReasonAndRequestId) {
  const auto error = error_from_response(
      "sms-voice", "SendTextMessage",
      answer(400,
             R"({"__type":"com.amazonaws#ConflictException","Message":"opted out",)"
             R"("Reason":"DESTINATION_PHONE_NUMBER_OPTED_OUT","ResourceType":"phone-number"})",
             {{"x-amzn-RequestId", "req-1"}}),
      1);
  EXPECT_EQ(error.code, "ConflictException");
  EXPECT_EQ(error.message, "opted out");
  EXPECT_EQ(error.reason, "DESTINATION_PHONE_NUMBER_OPTED_OUT");
  EXPECT_EQ(error.request_id, "req-1");
  EXPECT_EQ(error.http_status, 400);
}

TEST(ErrorFromResponse, HeaderCodeWinsOverTheBody) {
  const auto error = error_from_response(
      "dynamodb", "PutItem",
      answer(400, R"({"__type":"x#Other","message":"m"})",
             {{"X-Amzn-Errortype", "ValidationException:http://internal.amazon.com/coral/"}}),
      1);
  EXPECT_EQ(error.code, "ValidationException");
  EXPECT_EQ(error.message, "m");
}

// Issue 10, fuzzing finding 1: after the member lookup that failed on `[}`, the next lookup
// dereferenced the abandoned iterator's null parser (segmentation fault in the release build).
TEST(ErrorFromResponse, Finding1_MalformedErrorBodyIsAnErrorNotACrash) {
  const auto error = error_from_response("dynamodb", "GetItem", answer(400, R"({"a":[})"), 1);
  EXPECT_EQ(error.code, "HTTP400");
  EXPECT_EQ(error.message, R"({"a":[})");  // not JSON: the short body is the message
  EXPECT_EQ(error.body, R"({"a":[})");
  EXPECT_FALSE(error.retryable());
}

// A body that breaks after the members we want is not JSON either: no half-read members.
TEST(ErrorFromResponse, Finding1_BodyMalformedAfterItsMembersIsNotTrusted) {
  for (const std::string body :
       {R"({"__type":"x#Throttling","message":"m","a":[1 2]})", R"({"__type":"x#Throttling"}})",
        R"({"message":"m","__type":"x#Throttling",})", R"({"__type":"x#Throttling","a":nul})"}) {
    const auto error = error_from_response("dynamodb", "GetItem", answer(500, body), 1);
    EXPECT_EQ(error.code, "HTTP500") << body;
    EXPECT_EQ(error.message, body);
    EXPECT_TRUE(error.transient()) << body;
  }
}

// Members of another type than string are ignored, the rest is read.
TEST(ErrorFromResponse, NonStringMembersAreIgnored) {
  const auto error = error_from_response(
      "dynamodb", "GetItem", answer(400, R"({"__type":{"a":[1]},"code":"Busy","message":7})"), 1);
  EXPECT_EQ(error.code, "Busy");
  EXPECT_EQ(error.message, "");
}

// Issue 10, fuzzing finding 4: an SMS error answer whose X-Amzn-Errortype was not UTF-8 made
// opt-out-api's response unserialisable (nlohmann type_error.316) after the opt-out was
// recorded. Codes keep only printable ASCII; messages and request ids become valid UTF-8.
TEST(ErrorFromResponse, Finding4_CodesAndMessagesAreSafeText) {
  const auto error = error_from_response("sms-voice", "PutOptedOutNumber",
                                         answer(400, "\xff\xfe not json \xc3",
                                                {{"X-Amzn-Errortype",
                                                  "Bad\xff"
                                                  "Code\x01:http://x"},
                                                 {"x-amzn-RequestId", "req-\xc3\x28"}}),
                                         1);
  EXPECT_EQ(error.code, "Bad?Code?");
  EXPECT_EQ(error.request_id, "req-\xef\xbf\xbd(");  // U+FFFD for the broken sequence
  const auto body_message = error_from_response("sms-voice", "PutOptedOutNumber",
                                                answer(400, "\xff\xfe not json \xc3"), 1);
  EXPECT_EQ(body_message.message, "\xef\xbf\xbd\xef\xbf\xbd not json \xef\xbf\xbd");
  EXPECT_EQ(body_message.body, "\xff\xfe not json \xc3") << "the body itself is kept as received";
  // The one-line description is valid UTF-8 too (it reaches logs and invocation errors).
  EXPECT_NO_THROW((void)nlohmann::json(error.describe()).dump());
  EXPECT_NO_THROW((void)nlohmann::json(body_message.describe()).dump());
}

TEST(ToValidUtf8, KeepsValidTextAndReplacesEachBrokenByte) {
  using common::aws::to_valid_utf8;
  EXPECT_EQ(to_valid_utf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(to_valid_utf8("\xc0\xaf"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(to_valid_utf8("\xed\xa0\x80"), fffd + fffd + fffd);             // a UTF-16 surrogate
  EXPECT_EQ(to_valid_utf8("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(to_valid_utf8("a\xe2\x82"), "a" + fffd + fffd);                 // cut short
  EXPECT_EQ(to_valid_utf8(std::string("\0x", 2)), std::string("\0x", 2));
}

TEST(ErrorFromResponse, NoResponseIsANetworkErrorOrTimeout) {
  HttpResponse none;
  none.transport_error = "connection refused";
  EXPECT_EQ(error_from_response("dynamodb", "GetItem", none, 2).code, "NetworkError");
  none.timed_out = true;
  const auto error = error_from_response("dynamodb", "GetItem", none, 2);
  EXPECT_EQ(error.code, "RequestTimeout");
  EXPECT_TRUE(error.transient());
  EXPECT_EQ(error.attempts, 2);
}

// One parser per client (issue 11, item 5): error bodies read with a reused parser give what a
// fresh parser gives, whatever was read before (a long body, a malformed one).
TEST(ErrorFromResponse, AReusedParserReadsEachBodyAsAFreshOneDoes) {
  const std::vector<HttpResponse> answers = {
      answer(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                  R"("message":"The conditional request failed","Item":{"pk":{"S":")" +
                      std::string(5000, 'x') + R"("}}})"),
      answer(400, R"({"a":[})"),
      answer(500, R"({"message":"m"} trailing)"),
      answer(400, R"({"__type":"ThrottlingException","message":"slow down"})"),
      answer(400, R"({"code":"ValidationException","Message":"bad","Reason":"R"})"),
      answer(400, ""),
  };
  common::aws::JsonParser parser;
  for (int round = 0; round < 20; ++round) {
    for (const auto& response : answers) {
      const auto fresh = error_from_response("dynamodb", "PutItem", response, 1);
      const auto reused = error_from_response(parser, "dynamodb", "PutItem", response, 1);
      EXPECT_EQ(reused.code, fresh.code);
      EXPECT_EQ(reused.message, fresh.message);
      EXPECT_EQ(reused.reason, fresh.reason);
      EXPECT_EQ(reused.kind, fresh.kind);
    }
  }
  EXPECT_EQ(parser.texts_read(), 20u * answers.size());
}

}  // namespace
