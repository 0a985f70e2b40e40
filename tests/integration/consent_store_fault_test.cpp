// ConsentStore against our fault-injecting server, answered the way DynamoDB answers and dynalite
// does not: a failed condition under ReturnValuesOnConditionCheckFailure = ALL_OLD carries the
// item, so the store decides on it without a GetItem (docs/round-trips.md). And the same failure
// without the item (dynalite's answer), where the store must read first.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"
#include "tests/integration/aws_fault_server.hpp"

namespace {

using common::aws::DynamoDbClient;
using common::aws::Environment;
using common::consent::ConsentStore;
using common::consent::InboundChange;
using common::consent::InboundRecord;
using common::consent::OptOutChange;
using common::consent::OptOutRequest;
using test_support::FaultAction;
using test_support::FaultServer;
using json = nlohmann::json;

constexpr const char* kPhone = "+12065550142";

DynamoDbClient client_for(const FaultServer& server) {
  return DynamoDbClient(common::aws::client_config_from_environment(
      common::aws::kDynamoDb, Environment::from_map({{"AWS_REGION", "us-east-1"},
                                                     {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                                     {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                     {"AWS_ENDPOINT_URL", server.url()},
                                                     {"AWS_MAX_ATTEMPTS", "1"}})));
}

// A contact opted out a day before `at`, already counted for `counted_sk`, version 7.
json opted_out_item(common::TimePoint at, const std::string& counted_sk) {
  const std::string earlier = common::format_rfc3339(at - std::chrono::hours(24));
  return {{"phone_number", {{"S", kPhone}}},
          {"consent_status", {{"S", "opted_out"}}},
          {"opted_out_at", {{"S", earlier}}},
          {"opt_out_latest_request_at", {{"S", earlier}}},
          {"opt_out_deadline", {{"S", common::format_rfc3339(at + std::chrono::hours(24 * 12))}}},
          {"opt_out_pending", {{"S", "PENDING"}}},
          {"opt_out_inbound_id", {{"S", "in-earlier"}}},
          {"last_counted_inbound", {{"S", counted_sk}}},
          {"version", {{"N", "7"}}}};
}

InboundRecord stop_text(common::TimePoint at) {
  InboundRecord m;
  m.phone_number = kPhone;
  m.message_id = "in-later";
  m.received_at = at;
  m.body = "STOP";
  m.sns_message_id = "sns-later";
  return m;
}

InboundChange stop_change(const InboundRecord& m) {
  InboundChange change;
  change.message = &m;
  change.conversation_state = "opted_out";
  OptOutRequest r;
  r.phone_number = kPhone;
  r.requested_at = m.received_at;
  r.channel = "sms";
  r.method = "sms";
  r.rule = "keyword:STOP";
  r.inbound_message_id = m.message_id;
  change.opt_out = r;
  change.claim_confirmation = true;
  return change;
}

std::vector<std::string> targets(const FaultServer& server) {
  std::vector<std::string> out;
  for (const auto& r : server.requests()) out.push_back(r.target.substr(r.target.find('.') + 1));
  return out;
}

// A second STOP from a contact whose earlier opt-out is pending: the first write's condition
// fails and DynamoDB hands back the item, so the next request is the versioned write.
TEST(ConsentStoreFault, AFailedConditionWithTheItemNeedsNoRead) {
  FaultServer server;
  const auto at = common::now_ms();
  const InboundRecord m = stop_text(at);
  const json item = opted_out_item(at, "an-earlier-text");
  server.push(
      FaultAction::aws_error(400, "ConditionalCheckFailedException", "\"Item\":" + item.dump()));
  json after = item;
  after["version"] = {{"N", "8"}};
  after["message_count_in"] = {{"N", "1"}};
  after["last_counted_inbound"] = {{"S", m.sk()}};
  server.push(FaultAction::ok(json({{"Attributes", after}}).dump()));

  DynamoDbClient db = client_for(server);
  ConsentStore store(db, {"contacts", "log"});
  const auto applied = store.apply_inbound(stop_change(m));

  EXPECT_EQ(targets(server), (std::vector<std::string>{"UpdateItem", "UpdateItem"}));
  EXPECT_EQ(applied.change, OptOutChange::kUnchanged);
  // The earlier opt-out's confirmation is not this message's.
  EXPECT_EQ(applied.confirmation, common::consent::Confirmation::kNone);
  EXPECT_EQ(applied.contact.version, 8);
  // The first write asked for the item with the failure; the second is conditioned on the
  // version the returned item had.
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(json::parse(requests[0].body)["ReturnValuesOnConditionCheckFailure"], "ALL_OLD");
  const json second = json::parse(requests[1].body);
  EXPECT_NE(second["ConditionExpression"].get<std::string>().find("= :"), std::string::npos);
  bool version_checked = false;
  for (const auto& [name, value] : second["ExpressionAttributeValues"].items()) {
    if (value == json({{"N", "7"}})) version_checked = true;
  }
  EXPECT_TRUE(version_checked) << second.dump();
}

// dynalite answers a failed condition without the item: the store reads it, then writes.
TEST(ConsentStoreFault, AFailedConditionWithoutTheItemReadsIt) {
  FaultServer server;
  const auto at = common::now_ms();
  const InboundRecord m = stop_text(at);
  const json item = opted_out_item(at, "an-earlier-text");
  server.push(FaultAction::aws_error(400, "ConditionalCheckFailedException"));
  server.push(FaultAction::ok(json({{"Item", item}}).dump()));
  json after = item;
  after["version"] = {{"N", "8"}};
  server.push(FaultAction::ok(json({{"Attributes", after}}).dump()));

  DynamoDbClient db = client_for(server);
  ConsentStore store(db, {"contacts", "log"});
  const auto applied = store.apply_inbound(stop_change(m));

  EXPECT_EQ(targets(server), (std::vector<std::string>{"UpdateItem", "GetItem", "UpdateItem"}));
  EXPECT_EQ(applied.change, OptOutChange::kUnchanged);
}

// A redelivery of the STOP whose attempt claimed the confirmation and stopped before recording
// its send: the item says so, and the store answers "outcome unknown" (never send again).
TEST(ConsentStoreFault, AClaimWithoutARecordedSendIsOutcomeUnknown) {
  FaultServer server;
  const auto at = common::now_ms();
  const InboundRecord m = stop_text(at);
  json item = opted_out_item(at, m.sk());  // already counted: this is a redelivery
  item["opted_out_at"] = {{"S", common::format_rfc3339(at)}};
  item["opt_out_latest_request_at"] = {{"S", common::format_rfc3339(at)}};
  item["opt_out_inbound_id"] = {{"S", m.message_id}};
  item["opt_out_confirmation_claimed_at"] = {{"S", common::format_rfc3339(at)}};
  server.push(
      FaultAction::aws_error(400, "ConditionalCheckFailedException", "\"Item\":" + item.dump()));

  DynamoDbClient db = client_for(server);
  ConsentStore store(db, {"contacts", "log"});
  const auto applied = store.apply_inbound(stop_change(m));

  // Nothing left to write: counted, opt-out unchanged, the claim stands.
  EXPECT_EQ(targets(server), (std::vector<std::string>{"UpdateItem"}));
  EXPECT_EQ(applied.change, OptOutChange::kUnchanged);
  EXPECT_EQ(applied.confirmation, common::consent::Confirmation::kOutcomeUnknown);

  // With the send's MessageId on record, it is "sent before" and names the id.
  item["opt_out_confirmation_message_id"] = {{"S", "msg-123"}};
  server.clear_requests();
  server.push(
      FaultAction::aws_error(400, "ConditionalCheckFailedException", "\"Item\":" + item.dump()));
  const auto again = store.apply_inbound(stop_change(m));
  EXPECT_EQ(again.confirmation, common::consent::Confirmation::kSentBefore);
  EXPECT_EQ(again.confirmation_message_id, "msg-123");
}

}  // namespace
