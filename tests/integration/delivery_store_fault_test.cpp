// ConsentStore::record_delivery_event against our fault-injecting server, answered as DynamoDB
// answers a failed condition under ReturnValuesOnConditionCheckFailure = ALL_OLD (with the item):
// the store decides on the returned item without a GetItem (docs/round-trips.md#delivery-events).
// dynalite answers without it; tests/integration/delivery_store_test.cpp covers that path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "tests/integration/aws_fault_server.hpp"

namespace {

using common::aws::DynamoDbClient;
using common::aws::Environment;
using common::consent::ConsentStore;
using common::consent::DeliveryEvent;
using common::consent::DeliveryOutcome;
using test_support::FaultAction;
using test_support::FaultServer;
using json = nlohmann::json;

constexpr const char* kPhone = "+12065550142";
constexpr const char* kSk = "2026-01-01T10:00:00.000Z#out#msg-1";

DynamoDbClient client_for(const FaultServer& server) {
  return DynamoDbClient(common::aws::client_config_from_environment(
      common::aws::kDynamoDb, Environment::from_map({{"AWS_REGION", "us-east-1"},
                                                     {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                                     {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                     {"AWS_ENDPOINT_URL", server.url()},
                                                     {"AWS_MAX_ATTEMPTS", "1"}})));
}

// The outbound item after TEXT_SUCCESSFUL (not final) and TEXT_DELIVERED (final) were recorded.
json delivered_item() {
  return {{"phone_number", {{"S", kPhone}}},
          {"sk", {{"S", kSk}}},
          {"direction", {{"S", "outbound"}}},
          {"message_id", {{"S", "msg-1"}}},
          {"delivery_status", {{"S", "TEXT_DELIVERED"}}},
          {"delivery_final", {{"BOOL", true}}},
          {"delivery_event_at", {{"N", "1200"}}},
          {"delivery_event_keys", {{"SS", {"TEXT_SUCCESSFUL@300", "TEXT_DELIVERED@1200"}}}},
          {"delivery_event_count", {{"N", "2"}}},
          {"delivery_events", {{"L", json::array()}}}};
}

DeliveryEvent event(std::string type, bool is_final, std::int64_t at) {
  DeliveryEvent e;
  e.message_id = "msg-1";
  e.destination_phone_number = kPhone;
  e.event_type = std::move(type);
  e.is_final = is_final;
  e.event_timestamp_ms = at;
  return e;
}

std::vector<std::string> targets(const FaultServer& server) {
  std::vector<std::string> out;
  for (const auto& r : server.requests()) out.push_back(r.target.substr(r.target.find('.') + 1));
  return out;
}

json index_answer() {
  return {{"Items",
           {{{"phone_number", {{"S", kPhone}}},
             {"sk", {{"S", kSk}}},
             {"message_id", {{"S", "msg-1"}}}}}},
          {"Count", 1}};
}

TEST(DeliveryStoreFault, ARedeliveryWithTheItemReturnedIsTwoCalls) {
  FaultServer server;
  server.push(FaultAction::ok(index_answer().dump()));
  server.push(FaultAction::aws_error(400, "ConditionalCheckFailedException",
                                     "\"Item\":" + delivered_item().dump()));
  DynamoDbClient db = client_for(server);
  ConsentStore store(db, {"contacts", "log"});
  EXPECT_EQ(store.record_delivery_event(event("TEXT_DELIVERED", true, 1200)).outcome,
            DeliveryOutcome::kDuplicate);
  EXPECT_EQ(targets(server), (std::vector<std::string>{"Query", "UpdateItem"}));
  EXPECT_EQ(json::parse(server.requests()[1].body)["ReturnValuesOnConditionCheckFailure"],
            "ALL_OLD");
}

TEST(DeliveryStoreFault, ALateNonFinalEventIsWrittenOnTheReturnedVersion) {
  FaultServer server;
  server.push(FaultAction::ok(index_answer().dump()));
  server.push(FaultAction::aws_error(400, "ConditionalCheckFailedException",
                                     "\"Item\":" + delivered_item().dump()));
  server.push(FaultAction::ok("{}"));
  DynamoDbClient db = client_for(server);
  ConsentStore store(db, {"contacts", "log"});
  EXPECT_EQ(store.record_delivery_event(event("TEXT_PENDING", false, 900)).outcome,
            DeliveryOutcome::kHistoryOnly);
  EXPECT_EQ(targets(server), (std::vector<std::string>{"Query", "UpdateItem", "UpdateItem"}));
  // The second write keeps the status (no delivery_status in it) and is conditioned on the count
  // the returned item had.
  const json second = json::parse(server.requests()[2].body);
  const std::string update = second["UpdateExpression"];
  bool sets_status = false, count_checked = false;
  for (const auto& [placeholder, name] : second["ExpressionAttributeNames"].items()) {
    if (name == "delivery_status") sets_status = true;
  }
  for (const auto& [placeholder, value] : second["ExpressionAttributeValues"].items()) {
    if (value == json({{"N", "2"}})) count_checked = true;
  }
  EXPECT_FALSE(sets_status) << update;
  EXPECT_TRUE(count_checked) << second.dump();
}

}  // namespace
