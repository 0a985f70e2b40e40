// opt-out-api's outside input: the payload 2.0 event and the request body, checked before any
// AWS call (no I/O: every request here is answered before the stores would be touched).
// Regression inputs from the fuzzing of issue 10 are named by their finding.
#include "common/http/http_event.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "functions/opt-out-api/handler.hpp"

namespace {

using json = nlohmann::json;
using opt_out_api::check_json;
using opt_out_api::kMaxJsonDepth;
using opt_out_api::parse_http_event;

json http_event(const std::string& method, const std::string& path, const std::string& body) {
  return {{"version", "2.0"},
          {"routeKey", method + " " + path},
          {"rawPath", path},
          {"headers", {{"content-type", "application/json"}}},
          {"requestContext",
           {{"http", {{"method", method}, {"path", path}, {"sourceIp", "203.0.113.10"}}},
            {"requestId", "req-1"},
            {"stage", "$default"}}},
          {"isBase64Encoded", false},
          {"body", body}};
}

// `levels` objects nested as {"a":{"a":...}} around `inner`, built without recursion.
std::string nested(std::size_t levels, const std::string& inner = "1") {
  std::string out;
  out.reserve(levels * 6 + inner.size() + levels);
  for (std::size_t i = 0; i < levels; ++i) out += R"({"a":)";
  out += inner;
  out.append(levels, '}');
  return out;
}

// The handler with clients pointed at a closed port: anything that reached AWS would fail
// (500), so a 4xx answer proves the request was refused before.
class Api : public ::testing::Test {
 protected:
  static common::aws::JsonClientConfig nowhere() {
    common::aws::JsonClientConfig config;
    config.region = "us-east-1";
    config.credentials = {"AKIDTEST", "secret", ""};
    config.endpoint = {"http://127.0.0.1:9/", "127.0.0.1:9", true};
    config.retry.max_attempts = 1;
    config.sleep = [](std::chrono::milliseconds) {};
    return config;
  }

  // Invokes the handler; returns {statusCode, parsed body}.
  std::pair<int, json> call(const std::string& payload) {
    runtime::Invocation invocation;
    invocation.request_id = "inv-1";
    invocation.payload = payload;
    const json response = json::parse(handler_.handle(invocation));
    return {response["statusCode"].get<int>(), json::parse(response["body"].get<std::string>())};
  }

  std::ostringstream log_;
  common::aws::DynamoDbClient dynamodb_{nowhere()};
  common::aws::SmsVoiceClient sms_{nowhere()};
  common::observe::Logger logger_{"opt-out-api", common::observe::LogLevel::kDebug, log_};
  common::observe::Metrics metrics_{"Test", "opt-out-api", log_};
  opt_out_api::Handler handler_{{{.metrics_namespace = "Test",
                                  .contacts_table = "contacts",
                                  .message_log_table = "message-log",
                                  .opt_out_list_name = "list"}},
                                {dynamodb_, sms_, logger_, metrics_}};
};

TEST(CheckJson, FindsDepthAndRepeatedMembersWithTheirPath) {
  EXPECT_FALSE(check_json(R"({"a":{"b":[1,{"c":2}]},"d":3})", 4, true).has_value());
  const auto deep = check_json(R"({"a":{"b":[1,{"c":2}]}})", 3, false);
  ASSERT_TRUE(deep.has_value());
  EXPECT_EQ(deep->field, "a.b[1]");
  EXPECT_EQ(deep->message, "nests deeper than 3 levels");
  const auto twice = check_json(R"({"a":1,"s":{"ip":"x","ua":"y","ip":"z"}})", 32, true);
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(twice->field, "s.ip");
  EXPECT_EQ(twice->message, "appears more than once");
  EXPECT_FALSE(check_json(R"({"a":1,"a":2})", 32, false).has_value()) << "only when asked";
  EXPECT_FALSE(check_json(R"([{"a":1},{"a":2}])", 32, true).has_value()) << "per object";
  // Text that is not JSON is left to the parse that follows, even after a problem.
  EXPECT_FALSE(check_json(R"({"a":1,"a":2,)", 32, true).has_value());
  EXPECT_FALSE(check_json("", 32, true).has_value());
}

// Issue 10, fuzzing finding 3: requestContext.authorizer.iam was copied with nlohmann's
// recursive copy; about 100k nesting levels (200 KB) overflowed the stack. The event is now
// checked for depth first, only strings are copied out, and the request is answered 400.
TEST_F(Api, Finding3_DeeplyNestedEventIsA400NotAStackOverflow) {
  json event =
      http_event("POST", "/opt-out", R"({"phone_number":"+12065550123","channel":"email"})");
  std::string payload = event.dump();
  const std::string marker = R"("requestContext":{)";
  payload.insert(payload.find(marker) + marker.size(),
                 R"("authorizer":{"iam":)" + nested(100000, R"({"userArn":"arn"})") + "},");
  const auto request = parse_http_event(payload, opt_out_api::kMaxBodyBytes);
  EXPECT_EQ(request.invalid_field, "requestContext.authorizer.iam");
  EXPECT_EQ(request.invalid_reason, "nests deeper than 32 levels");
  auto [status, body] = call(payload);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["code"], "invalid_event");
  EXPECT_EQ(body["error"]["field"], "requestContext.authorizer.iam");
}

// The caller is read from the IAM authoriser as a string: userArn, else callerId, else accountId.
TEST(HttpEvent, CallerIsTheIamIdentityAsText) {
  json event = http_event("GET", "/contacts/x", "");
  event["requestContext"]["authorizer"] = {
      {"iam", {{"accountId", "123456789012"}, {"callerId", "AROA:crm"}, {"userArn", ""}}}};
  EXPECT_EQ(parse_http_event(event.dump(), 1024).caller, "AROA:crm");
  event["requestContext"]["authorizer"]["iam"]["userArn"] =
      "arn:aws:sts::123456789012:assumed-role/x";
  EXPECT_EQ(parse_http_event(event.dump(), 1024).caller,
            "arn:aws:sts::123456789012:assumed-role/x");
  event["requestContext"].erase("authorizer");
  EXPECT_EQ(parse_http_event(event.dump(), 1024).caller, "");
}

// Issue 10, fuzzing finding 4: a non-boolean isBase64Encoded threw nlohmann's type_error.302 out
// of handle(). It is a 400 naming the field; so is a body that is not a string.
TEST_F(Api, Finding4_NonBooleanIsBase64EncodedIsA400NamingTheField) {
  for (const json& flag : {json("true"), json(1), json::array()}) {
    json event =
        http_event("POST", "/opt-out", R"({"phone_number":"+12065550123","channel":"email"})");
    event["isBase64Encoded"] = flag;
    auto [status, body] = call(event.dump());
    EXPECT_EQ(status, 400) << flag.dump();
    EXPECT_EQ(body["error"]["field"], "isBase64Encoded") << flag.dump();
    EXPECT_EQ(body["error"]["message"], "isBase64Encoded must be a boolean");
  }
  json event = http_event("POST", "/opt-out", "");
  event["body"] = {{"phone_number", "+12065550123"}};
  auto [status, body] = call(event.dump());
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["field"], "body");
  // null is the same as absent.
  event["body"] = nullptr;
  event["isBase64Encoded"] = nullptr;
  EXPECT_EQ(parse_http_event(event.dump(), 1024).invalid_field, "");
}

// Issue 10, fuzzing finding 4: text that is not UTF-8 in a response (an AWS error code, before
// codes were sanitised) made it unserialisable (type_error.316) after the work was done.
TEST(HttpEvent, Finding4_ResponseWithInvalidUtf8IsStillWritten) {
  opt_out_api::HttpResponse response;
  response.body = {{"status", "pending"},
                   {"opt_out_list_error",
                    "Bad\xff"
                    "Code"}};
  response.headers["x-note"] = "\xc3";
  std::string text;
  ASSERT_NO_THROW(text = response.to_event_json());
  const json event = json::parse(text);
  EXPECT_EQ(event["statusCode"], 200);
  EXPECT_EQ(json::parse(event["body"].get<std::string>())["opt_out_list_error"],
            "Bad\xef\xbf\xbd"
            "Code");
}

// Issue 10, fuzzing finding 6: a body with phone_number twice was accepted (the last one won).
// A member given twice in any body object is a 400 naming it.
TEST_F(Api, Finding6_RepeatedMembersInABodyAreA400NamingTheField) {
  auto [s1, b1] = call(http_event("POST", "/opt-out",
                                  R"({"phone_number":"+12065550123","channel":"email",)"
                                  R"("phone_number":"+12065550124"})")
                           .dump());
  EXPECT_EQ(s1, 400);
  EXPECT_EQ(b1["error"]["code"], "invalid_field");
  EXPECT_EQ(b1["error"]["field"], "phone_number");
  EXPECT_EQ(b1["error"]["message"], "phone_number appears more than once");
  auto [s2, b2] =
      call(http_event("POST", "/opt-in",
                      R"({"phone_number":"+12065550123","method":"web_form",)"
                      R"("disclosure_version":"1","source":{"ip":"1.2.3.4","ip":"5.6.7.8"}})")
               .dump());
  EXPECT_EQ(s2, 400);
  EXPECT_EQ(b2["error"]["field"], "source.ip");
  // A deep body is refused the same way, before nlohmann's recursive operations see it.
  auto [s3, b3] = call(http_event("POST", "/opt-out", nested(2000)).dump());
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(b3["error"]["field"], "a.a.a");
  // Text that is not JSON is still reported as such.
  auto [s4, b4] = call(http_event("POST", "/opt-out", R"({"a":1,"a":)").dump());
  EXPECT_EQ(s4, 400);
  EXPECT_EQ(b4["error"]["code"], "invalid_json");
}

}  // namespace
