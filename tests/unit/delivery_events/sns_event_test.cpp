// The SNS event of a configuration set's event destination (AWS End User Messaging SMS User Guide,
// "Example event data"): each record parsed on its own, a bad one named by its member (never its
// value), events other than SMS ones set aside.
#include "functions/delivery-events/sns_event.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace {

using delivery_events::parse_sns_event;
using json = nlohmann::json;

json record(const json& message, const std::string& sns_id = "sns-1") {
  return {{"EventSource", "aws:sns"},
          {"Sns",
           {{"Type", "Notification"},
            {"MessageId", sns_id},
            {"Timestamp", "2026-01-01T10:00:01.200Z"},
            {"Message", message.is_string() ? message.get<std::string>() : message.dump()}}}};
}

// The members of the User Guide's example, with our own values.
json sms_event() {
  return {{"eventType", "TEXT_DELIVERED"},
          {"eventVersion", "1.0"},
          {"eventTimestamp", 1767261601200},
          {"isFinal", true},
          {"originationPhoneNumber", "+12065550100"},
          {"destinationPhoneNumber", "+14255550123"},
          {"isInternationalSend", false},
          {"mcc", "310"},
          {"mnc", "800"},
          {"messageId", "5d7e2f8a-1b3c-4d5e-9f60-7a8b9c0d1e2f"},
          {"messageRequestTimestamp", 1767261600000},
          {"messageEncoding", "GSM"},
          {"messageType", "TRANSACTIONAL"},
          {"messageStatus", "DELIVERED"},
          {"messageStatusDescription", "Message has been delivered to the recipient"},
          {"context", {{"kind", "reminder"}, {"message_ref", "2026-01-01T10:00:00.000Z#out#x"}}},
          {"totalMessageParts", 1},
          {"totalMessagePrice", 0.00581},
          {"totalCarrierFee", 0.00302}};
}

std::string error_of(const json& message) {
  auto records = parse_sns_event(json{{"Records", {record(message)}}}.dump());
  EXPECT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].event);
  return records[0].error;
}

TEST(DeliverySnsEvent, ParsesEveryMemberTheStoreUses) {
  auto records = parse_sns_event(json{{"Records", {record(sms_event())}}}.dump());
  ASSERT_EQ(records.size(), 1u);
  ASSERT_TRUE(records[0].event) << records[0].error;
  const auto& e = *records[0].event;
  EXPECT_EQ(records[0].sns_message_id, "sns-1");
  EXPECT_EQ(e.message_id, "5d7e2f8a-1b3c-4d5e-9f60-7a8b9c0d1e2f");
  EXPECT_EQ(e.event_type, "TEXT_DELIVERED");
  EXPECT_EQ(e.message_status, "DELIVERED");
  EXPECT_EQ(e.message_status_description, "Message has been delivered to the recipient");
  EXPECT_TRUE(e.is_final);
  EXPECT_EQ(e.event_timestamp_ms, 1767261601200);
  EXPECT_EQ(e.destination_phone_number, "+14255550123");
  EXPECT_EQ(e.total_message_parts, 1);
  EXPECT_EQ(e.total_message_price, "0.00581");
  EXPECT_EQ(e.total_carrier_fee, "0.00302");
  EXPECT_EQ(e.message_ref, "2026-01-01T10:00:00.000Z#out#x");
  EXPECT_EQ(e.key(), "TEXT_DELIVERED@1767261601200");
}

TEST(DeliverySnsEvent, OptionalMembersMayBeAbsentOrNull) {
  json m = {
      {"eventType", "TEXT_PENDING"}, {"eventTimestamp", 5}, {"isFinal", false}, {"messageId", "m"},
      {"messageStatus", nullptr},    {"context", nullptr}};
  auto records = parse_sns_event(json{{"Records", {record(m)}}}.dump());
  ASSERT_TRUE(records[0].event) << records[0].error;
  EXPECT_TRUE(records[0].event->message_status.empty());
  EXPECT_FALSE(records[0].event->total_message_parts);
  EXPECT_TRUE(records[0].event->total_message_price.empty());
  EXPECT_TRUE(records[0].event->message_ref.empty());
}

TEST(DeliverySnsEvent, AmountsKeepTheirDecimalValue) {
  for (const auto& [value, text] :
       std::vector<std::pair<double, std::string>>{{0.0, "0"},
                                                   {0.1, "0.1"},
                                                   {0.00645, "0.00645"},
                                                   {12.5, "12.5"},
                                                   {1e-9, "0.000000001"},
                                                   {1e9, "1000000000"}}) {
    json m = sms_event();
    m["totalMessagePrice"] = value;
    auto records = parse_sns_event(json{{"Records", {record(m)}}}.dump());
    ASSERT_TRUE(records[0].event) << value << ": " << records[0].error;
    EXPECT_EQ(records[0].event->total_message_price, text);
  }
  json integer = sms_event();
  integer["totalCarrierFee"] = 2;
  EXPECT_EQ(
      parse_sns_event(json{{"Records", {record(integer)}}}.dump())[0].event->total_carrier_fee,
      "2");
}

TEST(DeliverySnsEvent, BadMembersAreNamedNotQuoted) {
  json m = sms_event();
  m.erase("messageId");
  EXPECT_EQ(error_of(m), "Message.messageId is missing");
  m = sms_event();
  m["messageId"] = "";
  EXPECT_EQ(error_of(m), "Message.messageId is empty");
  m = sms_event();
  m["eventTimestamp"] = "1767261601200";
  EXPECT_EQ(error_of(m), "Message.eventTimestamp is not an integer");
  m["eventTimestamp"] = -1;
  EXPECT_EQ(error_of(m), "Message.eventTimestamp is negative");
  m["eventTimestamp"] = 18446744073709551615ULL;
  EXPECT_EQ(error_of(m), "Message.eventTimestamp is too large");
  m = sms_event();
  m.erase("isFinal");
  EXPECT_EQ(error_of(m), "Message.isFinal is missing");
  m["isFinal"] = "true";
  EXPECT_EQ(error_of(m), "Message.isFinal is not a boolean");
  m = sms_event();
  m["totalMessagePrice"] = -0.5;
  EXPECT_EQ(error_of(m), "Message.totalMessagePrice is not an amount in [1e-9, 1e9]");
  m["totalMessagePrice"] = 1e300;
  EXPECT_EQ(error_of(m), "Message.totalMessagePrice is not an amount in [1e-9, 1e9]");
  m["totalMessagePrice"] = "0.1";
  EXPECT_EQ(error_of(m), "Message.totalMessagePrice is not a number");
  m = sms_event();
  m["totalMessageParts"] = 1.5;
  EXPECT_EQ(error_of(m), "Message.totalMessageParts is not an integer");
  m = sms_event();
  m["destinationPhoneNumber"] = 14255550123;
  EXPECT_EQ(error_of(m), "Message.destinationPhoneNumber is not a string");
  m = sms_event();
  m["context"] = "kind=reminder";
  EXPECT_EQ(error_of(m), "Message.context is not an object");
  m["context"] = {{"message_ref", 7}};
  EXPECT_EQ(error_of(m), "Message.context.message_ref is not a string");
  EXPECT_EQ(error_of(json("{not json")), "Sns.Message is not a JSON object");
  EXPECT_EQ(error_of(json("[1]")), "Sns.Message is not a JSON object");
}

TEST(DeliverySnsEvent, OtherEventKindsAreSetAside) {
  // A destination matching ALL also sends voice and media events.
  json voice = {{"eventType", "VOICE_COMPLETED"}, {"messageId", "v-1"}, {"isFinal", true}};
  auto records = parse_sns_event(json{{"Records", {record(voice)}}}.dump());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].event);
  EXPECT_TRUE(records[0].error.empty());
  EXPECT_EQ(records[0].ignored_type, "VOICE_COMPLETED");
  json no_type = sms_event();
  no_type.erase("eventType");
  EXPECT_EQ(error_of(no_type), "Message.eventType is missing");
}

TEST(DeliverySnsEvent, ABadRecordNeverSinksTheOthers) {
  json event = {{"Records",
                 {record(sms_event(), "a"),
                  1,
                  {{"Sns", 1}},
                  {{"Sns", {{"MessageId", "d"}}}},
                  record(sms_event(), "e")}}};
  auto records = parse_sns_event(event.dump());
  ASSERT_EQ(records.size(), 5u);
  EXPECT_TRUE(records[0].event);
  EXPECT_EQ(records[1].error, "record is not an object");
  EXPECT_EQ(records[2].error, "Sns is missing or not an object");
  EXPECT_EQ(records[3].error, "Sns.Message is missing");
  EXPECT_EQ(records[3].sns_message_id, "d");
  EXPECT_TRUE(records[4].event);
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].index, i);
}

TEST(DeliverySnsEvent, NotAnSnsEventThrows) {
  EXPECT_THROW(parse_sns_event("{"), std::invalid_argument);
  EXPECT_THROW(parse_sns_event("{\"detail-type\":\"Scheduled Event\"}"), std::invalid_argument);
  EXPECT_TRUE(parse_sns_event("{\"Records\":[]}").empty());
}

}  // namespace
