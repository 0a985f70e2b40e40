// delivery-events end to end: the real static bootstrap under the Runtime API emulator against the
// local stack. A text goes out through sms-inbound (a HELP reply) to the SMS stand-in, which
// writes the delivery events its configuration set's SNS event destination would publish
// (events.jsonl); delivery-events processes them and the message-log item is read back. Also:
// failures from the stand-in's outcome set, a malformed record among good ones, an unknown message
// id, redelivered and reordered events, a transient AWS failure, and what the logs never carry.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/time.hpp"
#include "tests/integration/consent_test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::get_int;
using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::fresh_number;
using consent_test::json;
using consent_test::run_bootstrap;
using consent_test::Stack;

json help_text_in(const std::string& phone) {
  const std::string id = fresh_id("in");
  json message = {{"originationNumber", phone},
                  {"destinationNumber", "+12065550100"},
                  {"messageKeyword", "KEYWORD_123456789012"},
                  {"messageBody", "HELP"},
                  {"inboundMessageId", id}};
  return {{"Records",
           {{{"EventSource", "aws:sns"},
             {"EventVersion", "1.0"},
             {"Sns",
              {{"Type", "Notification"},
               {"MessageId", "sns-" + id},
               {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
               {"Message", message.dump()},
               {"Timestamp", common::format_rfc3339(common::now_ms())}}}}}}};
}

// The numbers of an EMF metric in a function's log: the sum of every line's value for `name`.
double metric(const std::string& log, const std::string& name) {
  double sum = 0;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"_aws\"") == std::string::npos) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains(name) && j[name].is_number()) sum += j[name].get<double>();
  }
  return sum;
}

// The value of EMF metric `name` on the line whose dimension `dimension` is `value`.
double metric_with(const std::string& log, const std::string& name, const std::string& dimension,
                   const std::string& value) {
  double sum = 0;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("_aws") && j.value(dimension, "") == value &&
        j.contains(name)) {
      sum += j[name].get<double>();
    }
  }
  return sum;
}

class DeliveryEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.up()) << "local stack env file missing: is the local_stack fixture up?";
  }

  // A HELP from `phone` through sms-inbound: the reply goes out through the stand-in. Returns the
  // reply's MessageId (from the outbox).
  std::string send_reply_to(const std::string& phone) {
    const std::size_t before = stack_.outbox_for(phone).size();
    const auto run = run_bootstrap(SMSC_SMS_INBOUND, help_text_in(phone),
                                   {"PROGRAM_NAME=Acme Dental", "HELP_CONTACT=help@acme.example"});
    EXPECT_EQ(run.results.size(), 1u) << run.log;
    const auto sent = stack_.outbox_for(phone);
    EXPECT_EQ(sent.size(), before + 1) << run.log;
    return sent.empty() ? "" : sent.back()["MessageId"].get<std::string>();
  }

  // The stand-in's delivery events (each line a Lambda SNS event) for `message_id`, in order.
  std::vector<json> events_for(const std::string& message_id) const {
    std::vector<json> out;
    std::ifstream in(stack_.env("LOCAL_STACK_EVENTS"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json event = json::parse(line);
      const json sms = json::parse(event["Records"][0]["Sns"]["Message"].get<std::string>());
      if (sms["messageId"] == message_id) out.push_back(std::move(event));
    }
    return out;
  }

  // Runs delivery-events on each event in turn (one invocation each, as SNS invokes it); returns
  // the results and the logs of all of them.
  consent_test::Run deliver(const std::vector<json>& events,
                            const std::vector<std::string>& env = {}) {
    consent_test::Run all;
    for (const auto& e : events) {
      auto run = run_bootstrap(SMSC_DELIVERY_EVENTS, e, env);
      for (auto& r : run.results) all.results.push_back(std::move(r));
      all.log += run.log;
    }
    return all;
  }

  // The outbound message-log item of `phone` with `message_id`.
  AttributeMap outbound_item(const std::string& phone, const std::string& message_id) {
    for (auto& item : stack_.log_items(phone, "outbound")) {
      if (get_s(item, "message_id") == message_id) return item;
    }
    ADD_FAILURE() << "no outbound item " << message_id;
    return {};
  }

  Stack stack_;
};

TEST_F(DeliveryEvents, HelpReplyThroughTheStandInEndsDelivered) {
  const std::string phone = fresh_number();
  const std::string message_id = send_reply_to(phone);
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 2u) << "TEXT_SUCCESSFUL and TEXT_DELIVERED";

  const auto run = deliver(events);
  ASSERT_EQ(run.results.size(), 2u) << run.log;
  for (const auto& r : run.results) {
    ASSERT_EQ(r["status"], "success") << r.dump() << run.log;
    EXPECT_EQ(r["response"]["recorded"], 1) << r.dump();
  }
  const auto item = outbound_item(phone, message_id);
  EXPECT_EQ(get_s(item, "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(get_s(item, "delivery_message_status"), "DELIVERED");
  EXPECT_EQ(item.at("delivery_final").as_bool(), true);
  EXPECT_EQ(get_int(item, "delivery_parts"), 1);
  EXPECT_EQ(*item.at("delivery_price").scalar(), "0.00581");
  EXPECT_EQ(*item.at("delivery_carrier_fee").scalar(), "0.00302");
  EXPECT_EQ(get_int(item, "delivery_event_count"), 2);
  EXPECT_EQ(get_s(item, "kind"), "help");
  // sms-inbound put the reply's item key in Context, so each event found the item directly
  // (no index Query, no index lag).
  const json sms = json::parse(events[0]["Records"][0]["Sns"]["Message"].get<std::string>());
  EXPECT_EQ(sms["context"]["message_ref"], get_s(item, "sk")) << sms.dump();
  EXPECT_EQ(sms["context"]["kind"], "help") << sms.dump();

  EXPECT_EQ(metric(run.log, "DeliveryEvents"), 2);
  EXPECT_EQ(metric(run.log, "MessagesFinal"), 1);
  EXPECT_EQ(metric(run.log, "MessagesDelivered"), 1);
  EXPECT_EQ(metric(run.log, "MessagesFailed"), 0);
  EXPECT_NEAR(metric(run.log, "DeliveryCost"), 0.00581 + 0.00302, 1e-9);
  EXPECT_EQ(run.log.find(phone), std::string::npos) << "no full number in the log";
  EXPECT_EQ(run.log.find(phone.substr(1)), std::string::npos) << "not without + either";
  EXPECT_EQ(run.log.find("Msg&data rates"), std::string::npos) << "no message body in the log";

  // SNS redelivers both, in the other order: nothing changes.
  const auto again = deliver({events[1], events[0]});
  for (const auto& r : again.results) {
    ASSERT_EQ(r["status"], "success") << r.dump();
    EXPECT_EQ(r["response"]["duplicates"], 1) << r.dump();
  }
  EXPECT_EQ(outbound_item(phone, message_id), item);
  EXPECT_EQ(metric(again.log, "DuplicateEvents"), 2);
  EXPECT_EQ(metric(again.log, "MessagesFinal"), 0);
}

TEST_F(DeliveryEvents, FinalArrivingBeforeTheIntermediateStandsAlone) {
  const std::string phone = fresh_number();
  const std::string message_id = send_reply_to(phone);
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 2u);
  const auto run = deliver({events[1], events[0]});
  ASSERT_EQ(run.results.size(), 2u);
  EXPECT_EQ(run.results[0]["response"]["recorded"], 1) << run.results[0].dump();
  EXPECT_EQ(run.results[1]["response"]["history_only"], 1) << run.results[1].dump();
  const auto item = outbound_item(phone, message_id);
  EXPECT_EQ(get_s(item, "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(item.at("delivery_final").as_bool(), true);
  EXPECT_EQ(metric(run.log, "MessagesDelivered"), 1);
}

TEST_F(DeliveryEvents, SpamFromTheOutcomeSetIsRecordedOnMessageAndContact) {
  const std::string phone = fresh_number();
  ASSERT_TRUE(stack_.control_post("/_standin/outcomes",
                                  {{"numbers", {phone}}, {"eventType", "TEXT_SPAM"}}));
  const std::string message_id = send_reply_to(phone);
  stack_.control_post("/_standin/outcomes", {{"numbers", {phone}}, {"clear", true}});
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 1u);
  const auto run = deliver(events);
  ASSERT_EQ(run.results.size(), 1u);
  ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;

  const auto item = outbound_item(phone, message_id);
  EXPECT_EQ(get_s(item, "delivery_status"), "TEXT_SPAM");
  EXPECT_EQ(item.at("delivery_final").as_bool(), true);
  const auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
  ASSERT_TRUE(contact);
  EXPECT_EQ(get_s(*contact, "delivery_block_last_type"), "TEXT_SPAM");
  EXPECT_EQ(get_s(*contact, "delivery_block_last_message_id"), message_id);
  EXPECT_EQ(get_int(*contact, "delivery_block_count"), 1);

  EXPECT_EQ(metric(run.log, "TextSpam"), 1);
  EXPECT_EQ(metric(run.log, "ContactsFlagged"), 1);
  EXPECT_EQ(metric(run.log, "MessagesFinal"), 1);
  EXPECT_EQ(metric(run.log, "MessagesDelivered"), 0);
  EXPECT_EQ(metric_with(run.log, "MessagesFailed", "Status", "TEXT_SPAM"), 1);
  EXPECT_EQ(run.log.find(phone), std::string::npos);
}

TEST_F(DeliveryEvents, SimulatorFailureNumberEndsCarrierUnreachable) {
  const std::string phone = "+14254147167";  // AWS's US failure simulator number
  const std::string message_id = send_reply_to(phone);
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 1u);
  const auto run = deliver(events);
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(get_s(outbound_item(phone, message_id), "delivery_status"), "TEXT_CARRIER_UNREACHABLE");
  EXPECT_EQ(metric_with(run.log, "MessagesFailed", "Status", "TEXT_CARRIER_UNREACHABLE"), 1);
  EXPECT_EQ(metric(run.log, "ContactsFlagged"), 0) << "not a carrier block";
}

TEST_F(DeliveryEvents, MalformedRecordIsCountedAndTheOthersProcessed) {
  const std::string phone = fresh_number();
  const std::string message_id = send_reply_to(phone);
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 2u);
  json batch = {{"Records", json::array()}};
  batch["Records"].push_back(events[0]["Records"][0]);
  json bad = events[1]["Records"][0];
  bad["Sns"]["Message"] = "{\"eventType\":\"TEXT_DELIVERED\",\"messageId\":\"" + message_id +
                          "\",\"eventTimestamp\":\"soon\",\"isFinal\":true}";
  batch["Records"].push_back(bad);
  batch["Records"].push_back(events[1]["Records"][0]);
  const auto run = run_bootstrap(SMSC_DELIVERY_EVENTS, batch, {});
  ASSERT_EQ(run.results.size(), 1u);
  ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
  const json summary = run.results[0]["response"];
  EXPECT_EQ(summary["records"], 3);
  EXPECT_EQ(summary["malformed"], 1);
  EXPECT_EQ(summary["recorded"], 2);
  EXPECT_EQ(summary["results"][1]["reason"], "Message.eventTimestamp is not an integer");
  EXPECT_EQ(metric(run.log, "MalformedRecords"), 1);
  EXPECT_EQ(get_s(outbound_item(phone, message_id), "delivery_status"), "TEXT_DELIVERED");
}

TEST_F(DeliveryEvents, UnknownMessageIsLoggedAndCountedNotAFailure) {
  const std::string phone = fresh_number();
  std::ifstream in(std::string(SMSC_DELIVERY_EVENTS_SAMPLES) + "/delivered.json");
  json event = json::parse(in);
  json sms = json::parse(event["Records"][0]["Sns"]["Message"].get<std::string>());
  sms["messageId"] = fresh_id("not-ours");
  sms["destinationPhoneNumber"] = phone;
  event["Records"][0]["Sns"]["Message"] = sms.dump();
  event["Records"][0]["Sns"]["Timestamp"] = common::format_rfc3339(common::now_ms());
  const auto run = run_bootstrap(SMSC_DELIVERY_EVENTS, event, {});
  ASSERT_EQ(run.results.size(), 1u);
  ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump();
  EXPECT_EQ(run.results[0]["response"]["unknown"], 1);
  EXPECT_EQ(metric(run.log, "UnknownMessages"), 1);
  EXPECT_NE(run.log.find("unknown message"), std::string::npos);
  EXPECT_EQ(run.log.find(phone), std::string::npos) << "the number masked";
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone));
}

TEST_F(DeliveryEvents, TransientAwsFailureFailsTheInvocationForLambdaToRetry) {
  const std::string phone = fresh_number();
  const std::string message_id = send_reply_to(phone);
  const auto events = events_for(message_id);
  ASSERT_EQ(events.size(), 2u);
  // DynamoDB unreachable (nothing listens on port 1): the record fails, the invocation too.
  const auto run =
      deliver({events[1]}, {"AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:1", "AWS_MAX_ATTEMPTS=1"});
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(run.results[0]["status"], "error") << run.results[0].dump();
  EXPECT_EQ(run.results[0]["error"]["errorType"], "RecordsFailed") << run.results[0].dump();
  EXPECT_EQ(metric(run.log, "RecordFailures"), 1);
  // Lambda's retry, with DynamoDB back, records it.
  const auto retry = deliver({events[1]});
  ASSERT_EQ(retry.results.size(), 1u);
  EXPECT_EQ(retry.results[0]["status"], "success") << retry.results[0].dump();
  EXPECT_EQ(get_s(outbound_item(phone, message_id), "delivery_status"), "TEXT_DELIVERED");
}

TEST_F(DeliveryEvents, NotAnSnsEventIsInvalid) {
  const auto run =
      run_bootstrap(SMSC_DELIVERY_EVENTS, json{{"detail-type", "Scheduled Event"}}, {});
  ASSERT_EQ(run.results.size(), 1u);
  EXPECT_EQ(run.results[0]["status"], "error");
  EXPECT_EQ(run.results[0]["error"]["errorType"], "InvalidEvent") << run.results[0].dump();
}

TEST_F(DeliveryEvents, SampleEventsRun) {
  // The samples name messages this stack never sent: unknown, ignored or malformed, never failed.
  for (const char* name : {"successful", "delivered", "spam", "malformed", "voice-ignored"}) {
    std::ifstream in(std::string(SMSC_DELIVERY_EVENTS_SAMPLES) + "/" + name + ".json");
    const auto run = run_bootstrap(SMSC_DELIVERY_EVENTS, json::parse(in), {});
    ASSERT_EQ(run.results.size(), 1u) << name;
    EXPECT_EQ(run.results[0]["status"], "success") << name << ": " << run.results[0].dump();
    const json s = run.results[0]["response"];
    EXPECT_EQ(s["failed"], 0) << name;
    if (std::string(name) == "malformed") {
      EXPECT_EQ(s["malformed"], 1) << s.dump();
    }
    if (std::string(name) == "voice-ignored") {
      EXPECT_EQ(s["ignored"], 1) << s.dump();
    }
  }
}

}  // namespace
