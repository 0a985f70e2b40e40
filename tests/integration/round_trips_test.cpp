// AWS calls per operation, counted at the wire (tests/integration/wire_proxy.hpp) in front of the
// local stack, against the limits of docs/round-trips.md; and the STOP sequence killed after each
// of its calls in turn, then redelivered, finishing with exactly the state and log items an
// uninterrupted STOP leaves.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"
#include "tests/integration/consent_test_support.hpp"
#include "tests/integration/wire_proxy.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::fresh_number;
using consent_test::json;
using Invocation = consent_test::Run;
using consent_test::run_bootstrap;
using consent_test::Stack;

// The limits of issue 11 (docs/round-trips.md).
constexpr int kStopCalls = 6;
// Issue 11's 4, plus the PutItem of the honour's evidence for the audit (issue 14).
constexpr int kApiOptOutCalls = 5;
constexpr int kOrdinaryTextCalls = 3;

// The lease a crashed attempt leaves, so the redelivery may take over soon.
constexpr int kLeaseSeconds = 1;

std::string join(const std::vector<std::string>& ops) {
  std::string out;
  for (const auto& op : ops) out += (out.empty() ? "" : ", ") + op;
  return out;
}

json sns_event(const std::string& phone, const std::string& body, const std::string& id,
               const std::string& timestamp) {
  json message = {{"originationNumber", phone},
                  {"destinationNumber", "+12065550100"},
                  {"messageKeyword", "KEYWORD_123456789012"},
                  {"messageBody", body},
                  {"inboundMessageId", id}};
  return {{"Records",
           {{{"EventSource", "aws:sns"},
             {"EventVersion", "1.0"},
             {"Sns",
              {{"Type", "Notification"},
               {"MessageId", "sns-" + id},
               {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
               {"Message", message.dump()},
               {"Timestamp", timestamp}}}}}}};
}

json api_opt_out_event(const std::string& phone) {
  json body = {{"phone_number", phone}, {"channel", "email"}, {"notes", "round-trip test"}};
  return {{"version", "2.0"},
          {"routeKey", "POST /opt-out"},
          {"rawPath", "/opt-out"},
          {"rawQueryString", ""},
          {"headers", {{"content-type", "application/json"}}},
          {"requestContext",
           {{"accountId", "123456789012"},
            {"apiId", "abc123"},
            {"http",
             {{"method", "POST"},
              {"path", "/opt-out"},
              {"protocol", "HTTP/1.1"},
              {"sourceIp", "203.0.113.10"},
              {"userAgent", "test"}}},
            {"requestId", fresh_id("req")},
            {"routeKey", "POST /opt-out"},
            {"stage", "$default"},
            {"timeEpoch", common::epoch_seconds(common::now_ms()) * 1000}}},
          {"isBase64Encoded", false},
          {"body", body.dump()}};
}

class RoundTrips : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.up()) << "local stack env file missing: is the local_stack fixture up?";
    proxy_ = std::make_unique<wire_proxy::WireProxy>(
        stack_.env("AWS_ENDPOINT_URL_DYNAMODB"),
        stack_.env("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"));
  }

  // A contact who gave prior express consent by web form a day ago (as opt-out-api records it).
  void opt_in(const std::string& phone) {
    common::aws::PutItemRequest put;
    put.table_name = stack_.env("CONTACTS_TABLE");
    put.item = {{"phone_number", AttributeValue::S(phone)},
                {"consent_status", AttributeValue::S("opted_in")},
                {"opted_in_at", AttributeValue::S(common::format_rfc3339(common::now_ms() -
                                                                         std::chrono::hours(24)))},
                {"opt_in_method", AttributeValue::S("web_form")},
                {"version", AttributeValue::N(1)}};
    ASSERT_TRUE(stack_.db().put_item(put).ok());
  }

  std::vector<std::string> sms_inbound_env(std::vector<std::string> extra = {}) const {
    std::vector<std::string> env = proxy_->env();
    env.push_back("PROGRAM_NAME=Acme Dental");
    env.push_back("HELP_CONTACT=help@acme.example");
    env.push_back("PROCESSING_LEASE_SECONDS=" + std::to_string(kLeaseSeconds));
    for (auto& e : extra) env.push_back(std::move(e));
    return env;
  }

  // What an uninterrupted STOP leaves for `phone`: one confirmation at most `confirmations`, the
  // number on the list, the contact honoured, and the inbound, consent and outbound log items.
  void expect_stop_finished(const std::string& phone, std::size_t confirmations,
                            const std::string& context) {
    EXPECT_EQ(stack_.outbox_for(phone).size(), confirmations) << context;
    EXPECT_TRUE(stack_.on_opt_out_list(phone)) << context;
    auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
    ASSERT_TRUE(contact) << context;
    EXPECT_EQ(get_s(*contact, "consent_status"), "opted_out") << context;
    EXPECT_TRUE(get_s(*contact, "opt_out_honored_at").has_value()) << context;
    EXPECT_EQ(contact->count("opt_out_pending"), 0u) << context;
    EXPECT_EQ(common::aws::get_int(*contact, "message_count_in"), 1) << context;
    auto inbound = stack_.log_items(phone, "inbound");
    ASSERT_EQ(inbound.size(), 1u) << context;
    EXPECT_EQ(get_s(inbound[0], "processing_status"), "processed") << context;
    auto consent = stack_.log_items(phone, "consent");
    ASSERT_EQ(consent.size(), 1u) << context;
    EXPECT_EQ(get_s(consent[0], "event"), "opt_out") << context;
    auto outbound = stack_.log_items(phone, "outbound");
    ASSERT_EQ(outbound.size(), 1u) << context;
    EXPECT_EQ(get_s(outbound[0], "kind"), "opt_out_confirmation") << context;
    if (confirmations == 1 && get_s(outbound[0], "status") == "sent") {
      EXPECT_EQ(get_s(outbound[0], "message_id"), stack_.outbox_for(phone)[0]["MessageId"])
          << context;
    }
  }

  // Runs `bootstrap` on `event` through the proxy, expects one successful invocation, prints
  // the calls it made under `label`, and returns its answer (null after a failure).
  json invoke_ok(const char* bootstrap, const json& event, const std::vector<std::string>& env,
                 const std::string& label) {
    Invocation run = run_bootstrap(bootstrap, event, env);
    if (run.results.size() != 1u || run.results[0]["status"] != "success") {
      ADD_FAILURE() << label << ": " << (run.results.empty() ? "no result" : run.results[0].dump())
                    << "\n"
                    << run.log;
      return json();
    }
    const auto ops = proxy_->operations();
    std::cout << label << ": " << ops.size() << " calls: " << join(ops) << "\n";
    return run.results[0]["response"];
  }
  // A text from `phone` to sms-inbound, received now.
  json text_in(const std::string& phone, const std::string& body, const std::string& label) {
    return invoke_ok(
        SMSC_SMS_INBOUND,
        sns_event(phone, body, fresh_id("in"), common::format_rfc3339(common::now_ms())),
        sms_inbound_env(), label);
  }

  Stack stack_;
  std::unique_ptr<wire_proxy::WireProxy> proxy_;
};

TEST_F(RoundTrips, StopFromAnOptedInContact) {
  const std::string phone = fresh_number();
  opt_in(phone);
  ASSERT_FALSE(text_in(phone, "STOP", "STOP from an opted-in contact").is_null());
  const auto ops = proxy_->operations();
  EXPECT_LE(static_cast<int>(ops.size()), kStopCalls) << join(ops);
  EXPECT_EQ(proxy_->counts()["SendTextMessage"], 1);
  EXPECT_EQ(proxy_->counts()["PutOptedOutNumber"], 1);
  expect_stop_finished(phone, 1, "uninterrupted");

  // The confirmation is found by End User Messaging's MessageId (the sparse index), and by its
  // key as a delivery event would address it.
  const std::string message_id = stack_.outbox_for(phone).at(0)["MessageId"];
  common::consent::ConsentStore store(
      stack_.db(), {stack_.env("CONTACTS_TABLE"), stack_.env("MESSAGE_LOG_TABLE")});
  auto found = store.find_message(message_id);
  ASSERT_TRUE(found) << message_id;
  EXPECT_EQ(get_s(*found, "kind"), "opt_out_confirmation");
  EXPECT_EQ(get_s(*found, "phone_number"), phone);
  EXPECT_FALSE(store.find_message("no-such-message-id"));
}

TEST_F(RoundTrips, StopFromANumberNeverSeenBefore) {
  const std::string phone = fresh_number();
  ASSERT_FALSE(text_in(phone, "stop", "STOP from a new number").is_null());
  const auto ops = proxy_->operations();
  EXPECT_LE(static_cast<int>(ops.size()), kStopCalls) << join(ops);
  expect_stop_finished(phone, 1, "new number");
}

TEST_F(RoundTrips, OrdinaryTextFromAnOptedInContact) {
  const std::string phone = fresh_number();
  opt_in(phone);
  ASSERT_FALSE(text_in(phone, "See you at 3 then", "ordinary text, no BACKEND_URL").is_null());
  const auto ops = proxy_->operations();
  EXPECT_LE(static_cast<int>(ops.size()), kOrdinaryTextCalls) << join(ops);
  auto inbound = stack_.log_items(phone, "inbound");
  ASSERT_EQ(inbound.size(), 1u);
  EXPECT_EQ(get_s(inbound[0], "processing_status"), "processed");
  auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
  ASSERT_TRUE(contact);
  EXPECT_EQ(common::aws::get_int(*contact, "message_count_in"), 1);
  EXPECT_EQ(get_s(*contact, "conversation_state"), "open");
}

TEST_F(RoundTrips, OptOutThroughTheApi) {
  const std::string phone = fresh_number();
  opt_in(phone);
  const json response = invoke_ok(SMSC_OPT_OUT_API, api_opt_out_event(phone), proxy_->env(),
                                  "opt-out through the API");
  ASSERT_FALSE(response.is_null());
  EXPECT_EQ(response["statusCode"], 200) << response.dump();
  EXPECT_EQ(json::parse(response["body"].get<std::string>())["status"], "honored");
  const auto ops = proxy_->operations();
  EXPECT_LE(static_cast<int>(ops.size()), kApiOptOutCalls) << join(ops);
  EXPECT_TRUE(stack_.on_opt_out_list(phone));
}

// The STOP sequence, killed after each of its calls in turn (the call takes effect, its answer
// and everything after it never arrive), then redelivered by SNS once the lease has run out.
TEST_F(RoundTrips, StopKilledAfterEachCallFinishesOnRedelivery) {
  // The uninterrupted sequence first, to know its calls.
  std::vector<std::string> sequence;
  {
    const std::string phone = fresh_number();
    opt_in(phone);
    ASSERT_FALSE(text_in(phone, "STOP", "STOP, uninterrupted").is_null());
    sequence = proxy_->operations();
  }
  ASSERT_GE(sequence.size(), 4u) << join(sequence);
  // The call that claims the confirmation (the contact write after the message's claim): a
  // crash right after it leaves a claim whose send never happened, which no redelivery can tell
  // from one whose answer was lost, so the text is never sent then (at most once, never two).
  const std::size_t claim_call = 2;
  ASSERT_EQ(sequence[claim_call - 1], "UpdateItem") << join(sequence);
  ASSERT_EQ(sequence[claim_call], "SendTextMessage") << join(sequence);

  for (std::size_t k = 1; k <= sequence.size(); ++k) {
    const std::string context =
        "killed after call " + std::to_string(k) + " (" + sequence[k - 1] + ")";
    const std::string phone = fresh_number();
    opt_in(phone);
    const json event =
        sns_event(phone, "STOP", fresh_id("in"), common::format_rfc3339(common::now_ms()));
    proxy_->cut_after(static_cast<int>(k));
    Invocation crashed =
        run_bootstrap(SMSC_SMS_INBOUND, event, sms_inbound_env({"AWS_MAX_ATTEMPTS=1"}));
    ASSERT_EQ(crashed.results.size(), 1u) << context << crashed.log;
    EXPECT_EQ(proxy_->operations().size(), k) << context;
    if (k < sequence.size()) {
      EXPECT_EQ(crashed.results[0]["status"], "error") << context << crashed.results[0].dump();
    }
    // SNS redelivers after the lease (PROCESSING_LEASE_SECONDS) has run out.
    std::this_thread::sleep_for(std::chrono::milliseconds(kLeaseSeconds * 1000 + 200));
    proxy_->reset();
    Invocation redelivered = run_bootstrap(SMSC_SMS_INBOUND, event, sms_inbound_env());
    ASSERT_EQ(redelivered.results.size(), 1u) << context << redelivered.log;
    EXPECT_EQ(redelivered.results[0]["status"], "success")
        << context << redelivered.results[0].dump() << redelivered.log;
    std::cout << context << ": redelivery made " << proxy_->operations().size()
              << " calls: " << join(proxy_->operations()) << "\n";
    expect_stop_finished(phone, k == claim_call ? 0 : 1, context);
    if (k == claim_call) {
      auto outbound = stack_.log_items(phone, "outbound");
      ASSERT_EQ(outbound.size(), 1u) << context;
      EXPECT_EQ(get_s(outbound[0], "status"), "outcome_unknown") << context;
    }
    // And a third delivery changes nothing.
    proxy_->reset();
    Invocation again = run_bootstrap(SMSC_SMS_INBOUND, event, sms_inbound_env());
    ASSERT_EQ(again.results.size(), 1u) << context;
    EXPECT_EQ(again.results[0]["response"]["duplicates"], 1) << context << again.results[0].dump();
    expect_stop_finished(phone, k == claim_call ? 0 : 1, context + ", delivered again");
  }
}

}  // namespace
