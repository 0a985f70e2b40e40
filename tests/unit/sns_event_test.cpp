// The envelope of an SNS event as Lambda delivers it (AWS Lambda Developer Guide, "Using Lambda
// with Amazon SNS", example event): each record read on its own, a malformed one named by its
// member and keeping the id it had, never sinking the others.
#include "common/events/sns_event.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace {

using common::events::parse_sns_event;
using json = nlohmann::json;

json record(const std::string& id = "sns-1", const std::string& message = R"({"a":1})",
            const std::string& timestamp = "2026-11-21T09:30:00.123Z") {
  return {{"EventSource", "aws:sns"},
          {"EventVersion", "1.0"},
          {"Sns",
           {{"Type", "Notification"},
            {"MessageId", id},
            {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
            {"Subject", nullptr},
            {"Message", message},
            {"Timestamp", timestamp},
            {"MessageAttributes", json::object()}}}};
}

std::string error_of(const json& r) {
  const auto event = parse_sns_event(json{{"Records", {r}}}.dump());
  EXPECT_EQ(event.records.size(), 1u);
  EXPECT_FALSE(event.records[0].usable());
  return event.records[0].error;
}

TEST(SnsEnvelope, ReadsTheMembersSubscribersUse) {
  const auto event = parse_sns_event(json{{"Records", {record()}}}.dump());
  ASSERT_EQ(event.records.size(), 1u);
  const auto& r = event.records[0];
  ASSERT_TRUE(r.usable()) << r.error;
  EXPECT_EQ(r.index, 0u);
  EXPECT_EQ(r.message_id, "sns-1");
  EXPECT_EQ(r.topic_arn, "arn:aws:sns:us-east-1:123456789012:sms-inbound");
  EXPECT_EQ(r.message, R"({"a":1})") << "the Message text as published, not parsed";
  EXPECT_EQ(common::format_rfc3339(r.timestamp), "2026-11-21T09:30:00.123Z");
}

TEST(SnsEnvelope, OptionalMembersMayBeAbsent) {
  json r = record();
  r.erase("EventSource");
  r["Sns"].erase("TopicArn");
  r["Sns"].erase("Type");
  const auto event = parse_sns_event(json{{"Records", {r}}}.dump());
  ASSERT_TRUE(event.records[0].usable()) << event.records[0].error;
  EXPECT_TRUE(event.records[0].topic_arn.empty());
}

TEST(SnsEnvelope, MalformedMembersAreNamedNotQuoted) {
  json r = record();
  r["EventSource"] = "aws:sqs";
  EXPECT_EQ(error_of(r), "EventSource is not \"aws:sns\"");
  r["EventSource"] = 1;
  EXPECT_EQ(error_of(r), "EventSource is not a string");
  r = record();
  r["Sns"].erase("MessageId");
  EXPECT_EQ(error_of(r), "Sns.MessageId is missing");
  r["Sns"]["MessageId"] = "";
  EXPECT_EQ(error_of(r), "Sns.MessageId is empty");
  r["Sns"]["MessageId"] = 7;
  EXPECT_EQ(error_of(r), "Sns.MessageId is not a string");
  r = record();
  r["Sns"]["Message"] = nullptr;
  EXPECT_EQ(error_of(r), "Sns.Message is missing");
  r["Sns"]["Message"] = "";
  EXPECT_EQ(error_of(r), "Sns.Message is empty");
  r["Sns"]["Message"] = json{{"a", 1}};
  EXPECT_EQ(error_of(r), "Sns.Message is not a string");
  r = record();
  r["Sns"].erase("Timestamp");
  EXPECT_EQ(error_of(r), "Sns.Timestamp is missing");
  r["Sns"]["Timestamp"] = 1795705445000;
  EXPECT_EQ(error_of(r), "Sns.Timestamp is not a string");
  // Issue 10, finding 5: a time the offset moves out of RFC 3339's years is no time.
  for (const char* t : {"yesterday", "0000-01-01T00:00:00+23:59", "9999-12-31T23:59:60-00:01"}) {
    EXPECT_EQ(error_of(record("sns-1", "x", t)), "Sns.Timestamp is not an RFC 3339 time") << t;
  }
  r = record();
  r["Sns"]["TopicArn"] = json::array();
  EXPECT_EQ(error_of(r), "Sns.TopicArn is not a string");
  EXPECT_EQ(error_of(json{{"Sns", "x"}}), "Sns is missing or not an object");
  EXPECT_EQ(error_of(json{{"EventSource", "aws:sns"}}), "Sns is missing or not an object");
  EXPECT_EQ(error_of(json::array()), "record is not an object");
}

TEST(SnsEnvelope, AMalformedRecordKeepsItsIdAndNeverSinksTheOthers) {
  json no_time = record("b");
  no_time["Sns"].erase("Timestamp");
  json from_sqs = record("f");
  from_sqs["EventSource"] = "aws:sqs";
  const json event = {{"Records",
                       {record("a"),
                        1,
                        no_time,
                        {{"Sns", {{"MessageId", "c"}}}},
                        nullptr,
                        record("e", "STOP"),
                        from_sqs}}};
  const auto parsed = parse_sns_event(event.dump());
  ASSERT_EQ(parsed.records.size(), 7u);
  for (std::size_t i = 0; i < parsed.records.size(); ++i) EXPECT_EQ(parsed.records[i].index, i);
  EXPECT_TRUE(parsed.records[0].usable());
  EXPECT_EQ(parsed.records[1].error, "record is not an object");
  EXPECT_TRUE(parsed.records[1].message_id.empty());
  EXPECT_EQ(parsed.records[2].error, "Sns.Timestamp is missing");
  EXPECT_EQ(parsed.records[2].message_id, "b") << "kept for the log";
  EXPECT_TRUE(parsed.records[2].message.empty()) << "nothing else of a malformed record is kept";
  EXPECT_EQ(parsed.records[3].error, "Sns.Message is missing");
  EXPECT_EQ(parsed.records[3].message_id, "c");
  EXPECT_EQ(parsed.records[4].error, "record is not an object");
  ASSERT_TRUE(parsed.records[5].usable());
  EXPECT_EQ(parsed.records[5].message, "STOP");
  EXPECT_EQ(parsed.records[6].error, "EventSource is not \"aws:sns\"");
  EXPECT_EQ(parsed.records[6].message_id, "f");
}

// A subscriber's record, as sms-inbound's and delivery-events' ParsedRecord.
struct Subscribed {
  std::size_t index = 0;
  std::string sns_message_id;
  std::string body;
  std::string error;
};

TEST(SnsEnvelope, SubscribersReadOnlyUsableRecordsAndKeepNothingHalfRead) {
  json no_id = record();
  no_id["Sns"].erase("MessageId");
  const json event = {
      {"Records", {record("a", "ok"), no_id, record("c", "bad"), record("d", "ok")}}};
  int calls = 0;
  const auto records = common::events::parse_sns_records<Subscribed>(
      event.dump(), [&](const common::events::SnsRecord& r, Subscribed& out) {
        ++calls;
        out.body = r.message;  // set before the throw: must not survive it
        if (r.message == "bad") throw std::runtime_error("Message.body is bad");
      });
  EXPECT_EQ(calls, 3) << "never called for a malformed envelope";
  ASSERT_EQ(records.size(), 4u);
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].index, i);
  EXPECT_EQ(records[0].body, "ok");
  EXPECT_TRUE(records[0].error.empty());
  EXPECT_EQ(records[1].error, "Sns.MessageId is missing");
  EXPECT_EQ(records[2].error, "Message.body is bad");
  EXPECT_EQ(records[2].sns_message_id, "c");
  EXPECT_TRUE(records[2].body.empty());
  EXPECT_EQ(records[3].body, "ok");
  EXPECT_THROW(common::events::parse_sns_records<Subscribed>("{}", [](auto&, auto&) {}),
               std::invalid_argument);
}

TEST(SnsEnvelope, AnEventThatIsNotSnsIsRejectedWhole) {
  EXPECT_THROW(parse_sns_event("not json"), std::invalid_argument);
  EXPECT_THROW(parse_sns_event("[1]"), std::invalid_argument);
  EXPECT_THROW(parse_sns_event(R"({"detail-type":"Scheduled Event"})"), std::invalid_argument);
  EXPECT_THROW(parse_sns_event(R"({"Records":{}})"), std::invalid_argument);
  EXPECT_TRUE(parse_sns_event(R"({"Records":[]})").records.empty());
}

}  // namespace
