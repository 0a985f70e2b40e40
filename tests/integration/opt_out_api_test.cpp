// opt-out-api end to end: the static bootstrap under the Runtime API emulator, against the local
// stack; every expectation is read back from the stores. Rules: docs/compliance.md (universal
// opt-out from any channel, 47 CFR 64.1200(a)(10); consent evidence; an opt-in never overrides a
// newer opt-out; 4-year retention, 28 U.S.C. 1658).
#include <gtest/gtest.h>

#include "common/compliance/business_days.hpp"
#include "tests/integration/aws_fault_server.hpp"
#include "tests/integration/consent_test_support.hpp"

namespace {

using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::fresh_number;
using consent_test::json;
namespace fs = std::filesystem;

// An API Gateway HTTP API payload 2.0 event (or, with `function_url`, a Function URL event).
json http_event(const std::string& method, const std::string& path, const json& body,
                bool function_url = false, bool iam = false) {
  json context = {{"accountId", "123456789012"},
                  {"apiId", "abc123"},
                  {"http",
                   {{"method", method},
                    {"path", path},
                    {"protocol", "HTTP/1.1"},
                    {"sourceIp", "203.0.113.10"},
                    {"userAgent", "integration-test"}}},
                  {"requestId", fresh_id("req")},
                  {"routeKey", function_url ? "$default" : method + " " + path},
                  {"stage", "$default"},
                  {"timeEpoch", 1795705445000}};
  if (iam) {
    context["authorizer"] = {
        {"iam",
         {{"accountId", "123456789012"},
          {"callerId", "AROAEXAMPLE:crm"},
          {"userArn", "arn:aws:sts::123456789012:assumed-role/crm-backend/crm"}}}};
  }
  json event = {{"version", "2.0"},
                {"routeKey", context["routeKey"]},
                {"rawPath", path},
                {"rawQueryString", ""},
                {"headers", {{"content-type", "application/json"}, {"user-agent", "integration-test"}}},
                {"requestContext", context},
                {"isBase64Encoded", false}};
  if (!body.is_null()) event["body"] = body.dump();
  return event;
}

class OptOutApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(stack_.up()) << "local stack env missing"; }

  // Invokes the function; returns {statusCode, body (parsed)}.
  std::pair<int, json> call(const json& event, const std::vector<std::string>& env = {}) {
    auto run = consent_test::run_bootstrap(SMSC_OPT_OUT_API, event, env);
    last_log_ = run.log;
    EXPECT_EQ(run.results.size(), 1u) << run.log;
    if (run.results.empty()) return {0, json()};
    const json& r = run.results[0];
    EXPECT_EQ(r["status"], "success") << r.dump() << "\n" << run.log;
    if (r["status"] != "success") return {0, r};
    const json& response = r["response"];
    EXPECT_EQ(response["headers"]["content-type"], "application/json");
    return {response["statusCode"].get<int>(), json::parse(response["body"].get<std::string>())};
  }

  std::pair<int, json> post(const std::string& path, const json& body) {
    return call(http_event("POST", path, body));
  }

  common::aws::AttributeMap contact(const std::string& phone) {
    auto item = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
    EXPECT_TRUE(item.has_value()) << "no contact record";
    return item.value_or(common::aws::AttributeMap{});
  }

  consent_test::Stack stack_;
  std::string last_log_;
};

// Universal scope: an email opt-out covers every channel, goes on the End User Messaging list at
// once (no text is sent for a non-SMS opt-out), is honoured, and logged for 4 years.
TEST_F(OptOutApi, EmailOptOutIsUniversalListedAndHonouredWithoutText) {
  const std::string phone = fresh_number();
  // Typed the way people do: the API normalises to E.164.
  const std::string typed = "(" + phone.substr(2, 3) + ") " + phone.substr(5, 3) + "-" + phone.substr(8);
  auto [status, body] = post("/opt-out", {{"phone_number", typed},
                                          {"channel", "email"},
                                          {"requested_at", "2026-11-20T15:00:00Z"},
                                          {"notes", "replied 'unsubscribe' to the newsletter"},
                                          {"source", {{"mailbox", "support@acme.example"}}}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["phone_number"], phone);
  EXPECT_EQ(body["status"], "honored");
  EXPECT_EQ(body["requested_at"], "2026-11-20T15:00:00.000Z");
  // Fri 2026-11-20 15:00 UTC: 10 business days skip two weekends and Thanksgiving (Thu
  // 2026-11-26); reckoned from Guam, already Saturday there: Mon 12-07 01:00 ChST, 12-06 15:00 UTC.
  EXPECT_EQ(body["deadline"], "2026-12-06T15:00:00.000Z");
  EXPECT_TRUE(body["honored_at"].is_string());

  auto c = contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(c, "opt_out_channel"), "email");
  EXPECT_EQ(get_s(c, "opt_out_method"), "opt_out_api");
  EXPECT_EQ(get_s(c, "opt_out_deadline"), "2026-12-06T15:00:00.000Z");
  EXPECT_EQ(get_s(c, "opt_out_honored_at"), body["honored_at"].get<std::string>());
  EXPECT_FALSE(c.count("opt_out_pending")) << "honoured: off the pending index";
  ASSERT_TRUE(c.count("opt_out_channels"));
  EXPECT_EQ(*c.at("opt_out_channels").as_set(), (std::vector<std::string>{"email", "sms", "voice"}));
  EXPECT_EQ(get_s(c, "opt_out_categories"), "all");
  EXPECT_TRUE(stack_.on_opt_out_list(phone));
  EXPECT_TRUE(stack_.outbox_for(phone).empty());

  auto events = stack_.log_items(phone, "consent");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(get_s(events[0], "event"), "opt_out");
  EXPECT_EQ(get_s(events[0], "channel"), "email");
  EXPECT_EQ(get_s(events[0], "notes"), "replied 'unsubscribe' to the newsletter");
  const auto four_years =
      common::epoch_seconds(*common::parse_rfc3339("2026-11-20T15:00:00Z")) + 4 * 365 * 86400 + 86400;
  EXPECT_GE(common::aws::get_int(events[0], "ttl").value_or(0), four_years);
  EXPECT_EQ(last_log_.find(phone), std::string::npos) << "logs mask numbers";
}

// The 10-business-day clock runs from the first request: repeats are harmless, an earlier
// report moves the request time and deadline back, a later one changes nothing.
TEST_F(OptOutApi, RepeatKeepsEarliestRequestAndItsDeadline) {
  const std::string phone = fresh_number();
  auto [s1, first] = post("/opt-out", {{"phone_number", phone}, {"channel", "web"},
                                       {"requested_at", "2026-11-18T09:00:00Z"}});
  ASSERT_EQ(s1, 200);
  const std::string honored_at = first["honored_at"];
  auto [s2, earlier] = post("/opt-out", {{"phone_number", phone}, {"channel", "voice"},
                                         {"requested_at", "2026-11-16T09:00:00Z"}});
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(earlier["requested_at"], "2026-11-16T09:00:00.000Z");
  const auto expected = common::format_rfc3339(
      common::compliance::opt_out_deadline(*common::parse_rfc3339("2026-11-16T09:00:00Z")));
  EXPECT_EQ(earlier["deadline"], expected);
  auto [s3, later] = post("/opt-out", {{"phone_number", phone}, {"channel", "email"}});
  ASSERT_EQ(s3, 200);
  EXPECT_EQ(later["requested_at"], "2026-11-16T09:00:00.000Z");
  EXPECT_EQ(later["honored_at"], honored_at) << "honoured once";

  auto c = contact(phone);
  EXPECT_EQ(get_s(c, "opted_out_at"), "2026-11-16T09:00:00.000Z");
  EXPECT_EQ(get_s(c, "opt_out_deadline"), expected);
  EXPECT_EQ(get_s(c, "opt_out_channel"), "web") << "the first recorded channel stays";
  EXPECT_EQ(stack_.log_items(phone, "consent").size(), 3u) << "every report is on record";
}

// An opt-in never overrides an opt-out newer than it; a newer one does, with evidence
// (docs/compliance.md#unordered-messages, #opt-in-evidence).
TEST_F(OptOutApi, OptInOlderThanOptOutDoesNotResubscribe) {
  const std::string phone = fresh_number();
  const auto now = common::now_ms();
  ASSERT_EQ(post("/opt-out", {{"phone_number", phone}, {"channel", "voice"},
                              {"requested_at", common::format_rfc3339(now - std::chrono::minutes(1))}})
                .first,
            200);
  const json evidence = {{"ip", "198.51.100.7"}, {"user_agent", "Mozilla/5.0"}, {"channel", "web"}};
  auto [s1, stale] = call(http_event("POST", "/opt-in",
                                     {{"phone_number", phone},
                                      {"method", "paper_form"},
                                      {"source", evidence},
                                      {"disclosure_version", "2026-01"},
                                      {"consented_at", common::format_rfc3339(now - std::chrono::hours(2))}},
                                     false, true));
  ASSERT_EQ(s1, 200) << stale.dump();
  EXPECT_EQ(stale["applied"], false);
  EXPECT_EQ(stale["reason"], "newer_opt_out_on_record");
  EXPECT_EQ(get_s(contact(phone), "consent_status"), "opted_out");
  EXPECT_FALSE(contact(phone).count("opted_in_at"));
  EXPECT_TRUE(stack_.on_opt_out_list(phone));

  // A newer opt-in (e.g. the web form) applies, lifts the list entry and keeps its evidence.
  auto [s2, fresh] = call(http_event("POST", "/opt-in",
                                     {{"phone_number", phone},
                                      {"method", "web_form"},
                                      {"source", evidence},
                                      {"disclosure_version", "2026-02"},
                                      {"disclosure_text", "Reminders by text. Reply STOP to cancel."}},
                                     true, true));
  ASSERT_EQ(s2, 200) << fresh.dump();
  EXPECT_EQ(fresh["applied"], true);
  EXPECT_EQ(fresh["opt_out_list"], "removed");
  auto c = contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_in");
  EXPECT_EQ(get_s(c, "opt_in_method"), "web_form");
  EXPECT_EQ(get_s(c, "opt_in_disclosure_version"), "2026-02");
  EXPECT_EQ(get_s(c, "opt_in_disclosure_text"), "Reminders by text. Reply STOP to cancel.");
  const auto* source = c.at("opt_in_source").as_map();
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(get_s(*source, "ip"), "198.51.100.7");
  EXPECT_EQ(get_s(*source, "user_agent"), "Mozilla/5.0");
  EXPECT_FALSE(c.count("opted_out_at"));
  EXPECT_FALSE(stack_.on_opt_out_list(phone));
  EXPECT_TRUE(stack_.outbox_for(phone).empty()) << "the API never texts";
  auto events = stack_.log_items(phone, "consent");
  ASSERT_EQ(events.size(), 3u);
  int applied = 0;
  for (const auto& e : events) {
    if (get_s(e, "event") == "opt_in" && e.at("applied").as_bool() == true) ++applied;
  }
  EXPECT_EQ(applied, 1);
}

// GET /contacts/{phone_number}: status, deadline, honoured time; 404 for unknown numbers.
TEST_F(OptOutApi, ContactStatusRoute) {
  const std::string phone = fresh_number();
  ASSERT_EQ(post("/opt-out", {{"phone_number", phone}, {"channel", "api"}}).first, 200);
  auto [status, body] = call(http_event("GET", "/contacts/%2B" + phone.substr(1), nullptr, false, true));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["phone_number"], phone);
  EXPECT_EQ(body["consent_status"], "opted_out");
  EXPECT_EQ(body["may_receive"], false);
  EXPECT_EQ(body["reason"], "opted_out");
  EXPECT_EQ(body["deadline"], get_s(contact(phone), "opt_out_deadline").value_or("?"));
  EXPECT_EQ(body["honored_at"], get_s(contact(phone), "opt_out_honored_at").value_or("?"));
  EXPECT_FALSE(body.contains("message_body"));
  EXPECT_NE(last_log_.find("arn:aws:sts::123456789012:assumed-role/crm-backend/crm"),
            std::string::npos)
      << "the caller identity is logged";

  auto [missing, error] = call(http_event("GET", "/contacts/" + fresh_number(), nullptr));
  EXPECT_EQ(missing, 404);
  EXPECT_EQ(error["error"]["code"], "contact_not_found");
}

// Function URL events with base64 bodies are decoded.
TEST_F(OptOutApi, FunctionUrlBase64Body) {
  const std::string phone = fresh_number();
  json event = http_event("POST", "/opt-out", nullptr, true);
  const std::string raw = json{{"phone_number", phone}, {"channel", "web"}}.dump();
  std::string encoded;
  {
    static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t i = 0;
    for (; i + 2 < raw.size(); i += 3) {
      unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8 | (unsigned char)raw[i + 2];
      for (int k = 3; k >= 0; --k) encoded += kAlphabet[(v >> (6 * k)) & 63];
    }
    if (i < raw.size()) {
      unsigned v = (unsigned char)raw[i] << 16 | (i + 1 < raw.size() ? (unsigned char)raw[i + 1] << 8 : 0);
      encoded += kAlphabet[(v >> 18) & 63];
      encoded += kAlphabet[(v >> 12) & 63];
      encoded += i + 1 < raw.size() ? kAlphabet[(v >> 6) & 63] : '=';
      encoded += '=';
    }
  }
  event["body"] = encoded;
  event["isBase64Encoded"] = true;
  auto [status, body] = call(event);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(get_s(contact(phone), "opt_out_channel"), "web");
  EXPECT_TRUE(stack_.on_opt_out_list(phone));
}

// Every error sample in functions/opt-out-api/events answers its status with the error shape,
// and writes nothing.
TEST_F(OptOutApi, ErrorSamplesAnswerTheirStatus) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(SMSC_OPT_OUT_API_EVENTS)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("error-", 0) != 0 || name == "error-invalid-event.json") continue;
    const int expected = std::stoi(name.substr(6, 3));
    std::ifstream in(entry.path());
    auto [status, body] = call(json::parse(in));
    EXPECT_EQ(status, expected) << name << ": " << body.dump();
    ASSERT_TRUE(body.contains("error")) << name;
    EXPECT_TRUE(body["error"]["code"].is_string()) << name;
    EXPECT_TRUE(body["error"]["message"].is_string()) << name;
    ++checked;
  }
  EXPECT_GE(checked, 9);
  // The invalid-phone sample must not have created a record.
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), "+19115550123").has_value());
}

TEST_F(OptOutApi, FieldValidationNamesTheField) {
  const std::string phone = fresh_number();
  auto [s1, b1] = post("/opt-out", {{"phone_number", phone}, {"channel", "email"}, {"requestedAt", "x"}});
  EXPECT_EQ(s1, 400);
  EXPECT_EQ(b1["error"]["field"], "requestedAt");
  auto [s2, b2] = post("/opt-out", {{"phone_number", phone}, {"channel", "email"},
                                    {"requested_at", "2999-01-01T00:00:00Z"}});
  EXPECT_EQ(s2, 400);
  EXPECT_EQ(b2["error"]["field"], "requested_at");
  auto [s3, b3] = post("/opt-out", {{"phone_number", 14255550123LL}, {"channel", "email"}});
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(b3["error"]["field"], "phone_number");
  auto [s4, b4] = post("/opt-in", {{"phone_number", phone}, {"method", "web_form"},
                                   {"source", {{"ip", "1.2.3.4"}, {"cookie", "x"}}},
                                   {"disclosure_version", "1"}});
  EXPECT_EQ(s4, 400);
  EXPECT_EQ(b4["error"]["field"], "source.cookie");
  auto [s5, b5] = post("/opt-out", json::array({1, 2}));
  EXPECT_EQ(s5, 400);
  EXPECT_EQ(b5["error"]["code"], "invalid_json");
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone).has_value());
}

// 500 only for our own faults: details go to the log with the request id, never to the caller.
TEST_F(OptOutApi, StoreUnreachableIs500WithoutDetails) {
  const std::string phone = fresh_number();
  auto [status, body] = call(http_event("POST", "/opt-out", {{"phone_number", phone}, {"channel", "email"}}),
                             {"AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:9", "AWS_MAX_ATTEMPTS=1"});
  EXPECT_EQ(status, 500);
  EXPECT_EQ(body["error"]["code"], "internal_error");
  const std::string message = body["error"]["message"];
  EXPECT_EQ(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_EQ(message.find("dynamodb"), std::string::npos) << message;
  EXPECT_NE(last_log_.find("request failed"), std::string::npos) << last_log_;
  EXPECT_NE(last_log_.find("NetworkError"), std::string::npos) << last_log_;
  EXPECT_FALSE(stack_.on_opt_out_list(phone));
}

// Issue 10, fuzzing finding 4, end to end: an End User Messaging error whose X-Amzn-Errortype is
// not UTF-8 made the response unserialisable (type_error.316) after the opt-out was recorded.
// The code is sanitised where the AwsError is built: 200, recorded, pending for deadline-monitor.
TEST_F(OptOutApi, Finding4_SmsErrorWithBrokenErrorTypeStillAnswers) {
  test_support::FaultServer sms;
  test_support::FaultAction broken;
  broken.status = 400;
  broken.headers = {{"X-Amzn-ErrorType", "Validation\xff\xfe" "Exception"}};
  broken.body = "\xc3 not json";
  sms.set_default(broken);
  const std::string phone = fresh_number();
  auto [status, body] =
      call(http_event("POST", "/opt-out", {{"phone_number", phone}, {"channel", "email"}}),
           {"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=" + sms.url(), "AWS_MAX_ATTEMPTS=1"});
  ASSERT_EQ(status, 200) << body.dump() << "\n" << last_log_;
  EXPECT_EQ(body["status"], "pending");
  EXPECT_EQ(body["opt_out_list_error"], "Validation??Exception");
  EXPECT_EQ(get_s(contact(phone), "consent_status"), "opted_out");
}

// Issue 10, fuzzing findings 3, 4 and 6, end to end: the 400s come from the real bootstrap.
TEST_F(OptOutApi, Findings3To6_BadEventsAndBodiesAre400s) {
  json repeated = http_event("POST", "/opt-out", nullptr);
  const std::string phone = fresh_number();
  repeated["body"] = R"({"phone_number":")" + phone + R"(","channel":"email","phone_number":")" +
                     fresh_number() + R"("})";
  auto [s1, b1] = call(repeated);
  EXPECT_EQ(s1, 400);
  EXPECT_EQ(b1["error"]["field"], "phone_number");
  json flag = http_event("POST", "/opt-out", {{"phone_number", phone}, {"channel", "email"}});
  flag["isBase64Encoded"] = "yes";
  auto [s2, b2] = call(flag);
  EXPECT_EQ(s2, 400);
  EXPECT_EQ(b2["error"]["field"], "isBase64Encoded");
  // Deeper than kMaxJsonDepth (the unit test feeds the 100k levels of the finding; dumping
  // those here would overflow this test's own stack).
  json deep = http_event("POST", "/opt-out", {{"phone_number", phone}, {"channel", "email"}}, false, true);
  json nest = 1;
  for (int i = 0; i < 40; ++i) nest = json{{"a", std::move(nest)}};
  deep["requestContext"]["authorizer"]["iam"]["nested"] = std::move(nest);
  auto [s3, b3] = call(deep);
  EXPECT_EQ(s3, 400);
  EXPECT_EQ(b3["error"]["field"], "requestContext.authorizer.iam");
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone).has_value());
}

TEST_F(OptOutApi, NonHttpEventIsAnInvocationError) {
  auto run = consent_test::run_bootstrap(SMSC_OPT_OUT_API, json{{"Records", json::array()}}, {});
  ASSERT_EQ(run.results.size(), 1u) << run.log;
  EXPECT_EQ(run.results[0]["status"], "error");
  EXPECT_EQ(run.results[0]["error"]["errorType"], "InvalidEvent");
}

TEST_F(OptOutApi, MissingConfigurationIsAnInitError) {
  auto run = consent_test::run_bootstrap(SMSC_OPT_OUT_API, json::object(), {"OPT_OUT_LIST_NAME="});
  ASSERT_FALSE(run.results.empty()) << run.log;
  EXPECT_EQ(run.results[0]["status"], "init_error");
  EXPECT_NE(run.results[0]["error"]["errorMessage"].get<std::string>().find("OPT_OUT_LIST_NAME"),
            std::string::npos);
}

}  // namespace
