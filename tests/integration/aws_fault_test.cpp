// The AWS client layer against a fault-injecting server of ours: retries as the
// SDKs' standard mode (throttling, 5xx, resets, timeouts), what is never
// retried, the invocation deadline, the retry quota, and connection recovery.
// Also the DynamoDB operations dynalite lacks (TransactWriteItems; BatchWriteItem's
// UnprocessedItems), answered the way DynamoDB answers them.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/aws/json_client.hpp"
#include "common/aws/sms_voice.hpp"
#include "tests/integration/aws_fault_server.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::DynamoDbClient;
using common::aws::Environment;
using common::aws::ErrorKind;
using common::aws::JsonClient;
using common::aws::JsonClientConfig;
using common::aws::RetryQuota;
using std::chrono::milliseconds;
using test_support::FaultAction;
using test_support::FaultServer;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

// Config as a function would build it, pointed at the fault server.
JsonClientConfig config_for(const FaultServer& server, std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> vars = {{"AWS_REGION", "us-east-1"},
                                             {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                             {"AWS_SECRET_ACCESS_KEY", "secret"},
                                             {"AWS_ENDPOINT_URL", server.url()}};
  for (auto& [k, v] : extra) vars[k] = v;
  return common::aws::client_config_from_environment(common::aws::kDynamoDb,
                                                     Environment::from_map(vars));
}

// Records each backoff, and really waits it, so the server sees the gap.
struct SleepLog {
  std::vector<milliseconds> delays;
  std::function<void(milliseconds)> fn() {
    return [this](milliseconds d) {
      delays.push_back(d);
      std::this_thread::sleep_for(d);
    };
  }
};

TEST(AwsFault, ThrottlingThenSuccessIsRetriedAfterABackoffWithinTheThrottlingBound) {
  FaultServer server;
  server.push(FaultAction::aws_error(400, "ThrottlingException"));
  server.push(FaultAction::ok(R"({"TableNames":[]})"));
  SleepLog sleeps;
  auto config = config_for(server);
  config.sleep = sleeps.fn();
  JsonClient client(common::aws::kDynamoDb, config);

  auto result = client.call("ListTables", "{}");

  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result.value(), R"({"TableNames":[]})");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "DynamoDB_20120810.ListTables");
  ASSERT_EQ(sleeps.delays.size(), 1u);
  // Full jitter over [0, throttling base 500 ms * 2^0].
  EXPECT_LE(sleeps.delays[0], milliseconds(500));
  EXPECT_GE(requests[1].received_at - requests[0].received_at, sleeps.delays[0]);
  EXPECT_EQ(client.last_call().attempts, 2);
  // The success refunded the retry's cost.
  EXPECT_EQ(client.retry_tokens(), RetryQuota::kCapacity);
}

TEST(AwsFault, ServerErrorEveryTimeGivesTheTypedErrorAfterMaxAttempts) {
  for (int max_attempts : {3, 5}) {
    FaultServer server;
    server.set_default(FaultAction::aws_error(500, "InternalServerError"));
    SleepLog sleeps;
    auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", std::to_string(max_attempts)}});
    config.sleep = sleeps.fn();
    JsonClient client(common::aws::kDynamoDb, config);

    auto result = client.call("GetItem", "{}");

    ASSERT_FALSE(result.ok());
    const auto& error = result.error();
    EXPECT_EQ(error.code, "InternalServerError");
    EXPECT_EQ(error.service, "dynamodb");
    EXPECT_EQ(error.operation, "GetItem");
    EXPECT_EQ(error.http_status, 500);
    EXPECT_EQ(error.request_id, "REQ-InternalServerError");
    EXPECT_EQ(error.message.rfind("injected InternalServerError", 0), 0u) << error.message;
    EXPECT_EQ(error.attempts, max_attempts);
    EXPECT_EQ(error.kind, ErrorKind::kTransient);
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(server.request_count(), static_cast<std::size_t>(max_attempts));
    ASSERT_EQ(sleeps.delays.size(), static_cast<std::size_t>(max_attempts - 1));
    for (std::size_t i = 0; i < sleeps.delays.size(); ++i) {
      EXPECT_LE(sleeps.delays[i].count(), 25 << i) << "retry " << i + 1;  // 25 ms base, doubling
    }
  }
}

TEST(AwsFault, ConditionalCheckFailedIsNotRetriedAndCarriesTheItem) {
  FaultServer server;
  server.push(FaultAction::aws_error(
      400, "ConditionalCheckFailedException",
      R"("Item":{"pk":{"S":"a"},"version":{"N":"7"},"tags":{"SS":["x","y"]}})"));
  auto config = config_for(server);
  DynamoDbClient db(config);
  common::aws::PutItemRequest put;
  put.table_name = "t";
  put.item = {{"pk", AttributeValue::S("a")}, {"version", AttributeValue::N(8)}};
  put.condition_expression = put.expression.name("version") + " = " +
                             put.expression.value(AttributeValue::N(6));
  put.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;

  auto result = db.put_item(put);

  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_TRUE(result.value().condition_failed);
  const AttributeMap expected = {{"pk", AttributeValue::S("a")},
                                 {"version", AttributeValue::N("7")},
                                 {"tags", AttributeValue::SS({"y", "x"})}};
  EXPECT_EQ(result.value().condition_failed_item, expected);
  ASSERT_EQ(server.request_count(), 1u);
  const json sent = json::parse(server.requests()[0].body);
  EXPECT_EQ(sent["ReturnValuesOnConditionCheckFailure"], "ALL_OLD");
  EXPECT_EQ(sent["ConditionExpression"], "#n0 = :v0");
  EXPECT_EQ(sent["ExpressionAttributeNames"]["#n0"], "version");
}

TEST(AwsFault, FinalErrorsAreNeverRetried) {
  for (const char* code : {"ValidationException", "AccessDeniedException", "ResourceNotFoundException",
                           "ConflictException"}) {
    FaultServer server;
    server.set_default(FaultAction::aws_error(400, code));
    JsonClient client(common::aws::kDynamoDb, config_for(server));
    auto result = client.call("PutItem", "{}");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, code);
    EXPECT_EQ(result.error().kind, ErrorKind::kFinal);
    EXPECT_EQ(result.error().attempts, 1);
    EXPECT_EQ(server.request_count(), 1u) << code;
  }
}

TEST(AwsFault, ConnectionResetMidResponseIsRetried) {
  FaultServer server;
  server.push(FaultAction::reset_mid_response());
  server.push(FaultAction::ok(R"({"Count":0})"));
  auto config = config_for(server);
  config.sleep = [](milliseconds) {};
  JsonClient client(common::aws::kDynamoDb, config);

  auto result = client.call("Query", "{}");

  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result.value(), R"({"Count":0})");
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(client.last_call().attempts, 2);
}

TEST(AwsFault, SlowServerEndsAtTheTotalTimeout) {
  FaultServer server;
  server.set_default(FaultAction::slow(milliseconds(3000)));
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  config.attempt_timeout = milliseconds(300);
  JsonClient client(common::aws::kDynamoDb, config);

  const auto start = Clock::now();
  auto result = client.call("GetItem", "{}");
  const auto elapsed = Clock::now() - start;

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "RequestTimeout");
  EXPECT_EQ(result.error().http_status, 0);
  EXPECT_TRUE(result.error().outcome_unknown());
  EXPECT_GE(elapsed, milliseconds(290));
  EXPECT_LT(elapsed, milliseconds(1500));
}

// A text must not go out twice: an attempt that got no answer may have sent it, so
// SendTextMessage is not retried after one (JsonClient::Retry::kNotAfterNoAnswer), and an error
// after an unanswered attempt of any call says the outcome is unknown, even with an answer.
TEST(AwsFault, SendTextMessageIsNeverResentAfterAnAttemptWithNoAnswer) {
  FaultServer server;
  server.push(FaultAction::reset_mid_response());
  const auto env = Environment::from_map({{"AWS_REGION", "us-east-1"},
                                          {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                          {"AWS_SECRET_ACCESS_KEY", "secret"},
                                          {"AWS_MAX_ATTEMPTS", "3"},
                                          {"AWS_ENDPOINT_URL", server.url()}});
  auto config = common::aws::client_config_from_environment(common::aws::kSmsVoice, env);
  config.sleep = [](milliseconds) {};
  common::aws::SmsVoiceClient sms(config);
  common::aws::SendTextMessageRequest text;
  text.destination_phone_number = "+12065550100";
  text.message_body = "hello";
  auto sent = sms.send_text_message(text);
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(sent.error().outcome_unknown());
  EXPECT_EQ(server.request_count(), 1u) << "not resent";
  const std::size_t before = server.request_count();

  // An idempotent call is retried, and its later 5xx still reports the unanswered attempt.
  server.push(FaultAction::reset_mid_response());
  server.push(FaultAction::aws_error(500, "InternalServerError", ""));
  auto config_db = config_for(server, {{"AWS_MAX_ATTEMPTS", "2"}});
  config_db.sleep = [](milliseconds) {};
  JsonClient db(common::aws::kDynamoDb, config_db);
  auto result = db.call("PutItem", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().http_status, 500);
  EXPECT_TRUE(result.error().outcome_unknown()) << "the first attempt may have taken effect";
  EXPECT_EQ(server.request_count(), before + 2);
}

TEST(AwsFault, TheAttemptIsBoundedByTheInvocationDeadline) {
  FaultServer server;
  server.set_default(FaultAction::slow(milliseconds(3000)));
  auto config = config_for(server);
  config.attempt_timeout = milliseconds(5000);
  JsonClient client(common::aws::kDynamoDb, config);
  client.set_deadline(std::chrono::system_clock::now() + milliseconds(400));

  const auto start = Clock::now();
  auto result = client.call("GetItem", "{}");
  const auto elapsed = Clock::now() - start;

  ASSERT_FALSE(result.ok());
  EXPECT_LT(elapsed, milliseconds(1200));
  EXPECT_EQ(server.request_count(), 1u);  // no retry: nothing left of the deadline
}

TEST(AwsFault, ARetryThatWouldPassTheDeadlineIsNotMade) {
  FaultServer server;
  server.set_default(FaultAction::aws_error(503, "ServiceUnavailable"));
  server.push([] {
    auto a = FaultAction::aws_error(503, "ServiceUnavailable");
    a.delay = milliseconds(120);
    return a;
  }());
  bool slept = false;
  auto config = config_for(server);
  config.sleep = [&](milliseconds) { slept = true; };
  JsonClient client(common::aws::kDynamoDb, config);
  // Enough for one attempt (>= 100 ms), not for a retry after this one's 120 ms.
  client.set_deadline(std::chrono::system_clock::now() + milliseconds(180));

  auto result = client.call("PutItem", "{}");

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ServiceUnavailable");
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_NE(result.error().message.find("deadline"), std::string::npos) << result.error().message;
  EXPECT_FALSE(slept);
  EXPECT_EQ(server.request_count(), 1u);

  // Past the deadline nothing is sent at all.
  client.set_deadline(std::chrono::system_clock::now() + milliseconds(50));
  auto late = client.call("PutItem", "{}");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "DeadlineExceeded");
  EXPECT_EQ(late.error().attempts, 0);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(AwsFault, TheRetryQuotaDrainsUnderAStormAndRefillsOnSuccess) {
  FaultServer server;
  server.set_default(FaultAction::aws_error(500, "InternalServerError"));
  auto config = config_for(server);  // 3 attempts: 2 retries of 5 tokens per failing call
  config.sleep = [](milliseconds) {};
  JsonClient client(common::aws::kDynamoDb, config);

  int calls = 0;
  while (client.retry_tokens() >= RetryQuota::kRetryCost && calls < 100) {
    ASSERT_FALSE(client.call("GetItem", "{}").ok());
    ++calls;
  }
  EXPECT_EQ(calls, RetryQuota::kCapacity / (2 * RetryQuota::kRetryCost));
  EXPECT_EQ(client.retry_tokens(), 0);
  EXPECT_EQ(server.request_count(), static_cast<std::size_t>(calls * 3));

  // Drained: the next failure goes back to the caller after one attempt.
  server.clear_requests();
  auto unretried = client.call("GetItem", "{}");
  ASSERT_FALSE(unretried.ok());
  EXPECT_EQ(unretried.error().attempts, 1);
  EXPECT_NE(unretried.error().message.find("quota"), std::string::npos);
  EXPECT_EQ(server.request_count(), 1u);

  // Successes refill it, one token each when they needed no retry.
  server.set_default(FaultAction::ok());
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(client.call("GetItem", "{}").ok());
  EXPECT_EQ(client.retry_tokens(), 12);
  server.set_default(FaultAction::aws_error(500, "InternalServerError"));
  server.clear_requests();
  EXPECT_FALSE(client.call("GetItem", "{}").ok());
  EXPECT_EQ(server.request_count(), 3u);  // retries are affordable again
  EXPECT_EQ(client.retry_tokens(), 2);
}

TEST(AwsFault, AKeptAliveConnectionFoundDeadIsRetriedOnAFreshOneWithoutSpendingAnAttempt) {
  FaultServer server;
  server.push(FaultAction::ok(R"({"n":1})"));
  server.push(FaultAction::drop_connection());  // as if closed while the sandbox was frozen
  server.push(FaultAction::ok(R"({"n":2})"));
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  JsonClient client(common::aws::kDynamoDb, config);

  ASSERT_TRUE(client.call("GetItem", "{}").ok());
  auto second = client.call("GetItem", "{}");

  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second.value(), R"({"n":2})");
  EXPECT_EQ(client.last_call().attempts, 1);
  // libcurl itself resends when a reused connection yielded nothing at all.
  EXPECT_EQ(client.last_call().fresh_connection_retries, 0);
  EXPECT_EQ(client.retry_tokens(), RetryQuota::kCapacity);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].connection, requests[1].connection);  // kept alive and reused
  EXPECT_NE(requests[2].connection, requests[1].connection);  // then a fresh one
}

TEST(AwsFault, AKeptAliveConnectionBrokenMidResponseIsResentOnceOnAFreshOne) {
  FaultServer server;
  server.push(FaultAction::ok(R"({"n":1})"));
  server.push(FaultAction::reset_mid_response());  // libcurl gives up: some bytes had come
  server.push(FaultAction::ok(R"({"n":2})"));
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  JsonClient client(common::aws::kDynamoDb, config);

  ASSERT_TRUE(client.call("GetItem", "{}").ok());
  auto second = client.call("GetItem", "{}");

  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second.value(), R"({"n":2})");
  EXPECT_EQ(client.last_call().attempts, 1);
  EXPECT_EQ(client.last_call().fresh_connection_retries, 1);
  EXPECT_EQ(client.retry_tokens(), RetryQuota::kCapacity);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].connection, requests[1].connection);
  EXPECT_NE(requests[2].connection, requests[1].connection);

  // Only once: a fresh connection that breaks too is an ordinary failed attempt.
  server.push(FaultAction::reset_mid_response());
  server.push(FaultAction::reset_mid_response());
  auto third = client.call("GetItem", "{}");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, "NetworkError");
  EXPECT_EQ(third.error().attempts, 1);
  EXPECT_EQ(server.request_count(), 5u);
}

TEST(AwsFault, TransactionCanceledComesBackAsReasonsInRequestOrder) {
  FaultServer server;
  // The shape of DynamoDB's TransactionCanceledException (service model: CancellationReasons).
  server.push(FaultAction::aws_error(
      400, "TransactionCanceledException",
      R"("Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",)"
      R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"pk":{"S":"b"},"n":{"N":"12345678901234567890123456789012345678"}}}])"));
  server.push(FaultAction::aws_error(
      400, "TransactionCanceledException",
      R"("CancellationReasons":[{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"},{"Code":"None"}])"));
  server.push(FaultAction::ok());
  DynamoDbClient db(config_for(server));

  common::aws::TransactWriteRequest request;
  request.items.push_back(common::aws::TransactWriteItem::put("t", {{"pk", AttributeValue::S("a")}}));
  auto check = common::aws::TransactWriteItem::condition_check("t", {{"pk", AttributeValue::S("b")}}, "");
  check.condition_expression = "attribute_not_exists(" + check.expression.name("pk") + ")";
  check.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
  request.items.push_back(check);
  request.client_request_token = "token-1";

  auto first = db.transact_write_items(request);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_TRUE(first.value().canceled);
  ASSERT_EQ(first.value().reasons.size(), 2u);
  EXPECT_EQ(first.value().reasons[0].code, "None");
  EXPECT_EQ(first.value().reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(first.value().reasons[1].message, "The conditional request failed");
  EXPECT_EQ(*first.value().reasons[1].item.at("n").scalar(), "12345678901234567890123456789012345678");
  EXPECT_TRUE(first.value().condition_failed());
  EXPECT_FALSE(first.value().retryable());

  auto second = db.transact_write_items(request);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second.value().canceled);
  EXPECT_FALSE(second.value().condition_failed());
  EXPECT_TRUE(second.value().retryable());

  auto third = db.transact_write_items(request);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third.value().canceled);

  // Not retried by the transport (a cancellation is final), and sent as the model says.
  ASSERT_EQ(server.request_count(), 3u);
  const json sent = json::parse(server.requests()[0].body);
  EXPECT_EQ(sent["ClientRequestToken"], "token-1");
  ASSERT_EQ(sent["TransactItems"].size(), 2u);
  EXPECT_EQ(sent["TransactItems"][0]["Put"]["Item"]["pk"]["S"], "a");
  EXPECT_EQ(sent["TransactItems"][1]["ConditionCheck"]["ConditionExpression"],
            "attribute_not_exists(#n0)");
  EXPECT_EQ(sent["TransactItems"][1]["ConditionCheck"]["ExpressionAttributeNames"]["#n0"], "pk");
  EXPECT_EQ(sent["TransactItems"][1]["ConditionCheck"]["ReturnValuesOnConditionCheckFailure"],
            "ALL_OLD");
}

TEST(AwsFault, BatchWriteResendsUnprocessedItemsWithBackoff) {
  FaultServer server;
  // 30 operations: a chunk of 25 (2 left unprocessed) and one of 5; then the 2 again.
  server.push(FaultAction::ok(
      R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"k3"}}}},{"DeleteRequest":{"Key":{"pk":{"S":"k29"}}}}]}})"));
  server.push(FaultAction::ok(R"({"UnprocessedItems":{}})"));
  server.push(FaultAction::ok(R"({"UnprocessedItems":{}})"));
  SleepLog sleeps;
  auto config = config_for(server);
  config.sleep = sleeps.fn();
  DynamoDbClient db(config);
  std::vector<common::aws::BatchWriteOperation> ops;
  for (int i = 0; i < 29; ++i) {
    ops.push_back(common::aws::BatchWriteOperation::put("t", {{"pk", AttributeValue::S(std::string("k") + std::to_string(i))}}));
  }
  ops.push_back(common::aws::BatchWriteOperation::remove("t", {{"pk", AttributeValue::S("k29")}}));

  auto result = db.batch_write_item(ops);

  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_TRUE(result.value().unprocessed.empty());
  EXPECT_EQ(result.value().requests, 3);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(json::parse(requests[0].body)["RequestItems"]["t"].size(), 25u);
  EXPECT_EQ(json::parse(requests[1].body)["RequestItems"]["t"].size(), 5u);
  const json resent = json::parse(requests[2].body)["RequestItems"]["t"];
  ASSERT_EQ(resent.size(), 2u);
  EXPECT_EQ(resent[0]["PutRequest"]["Item"]["pk"]["S"], "k3");
  EXPECT_EQ(resent[1]["DeleteRequest"]["Key"]["pk"]["S"], "k29");
  ASSERT_EQ(sleeps.delays.size(), 1u);
  EXPECT_LE(sleeps.delays[0], milliseconds(500));

  // Still unprocessed when the retries run out: handed back, not lost.
  server.set_default(FaultAction::ok(
      R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"k0"}}}}]}})"));
  auto config2 = config_for(server);
  config2.sleep = [](milliseconds) {};
  DynamoDbClient stubborn(config2);
  auto left = stubborn.batch_write_item({ops[0]}, 2);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left.value().unprocessed.size(), 1u);
  EXPECT_EQ(left.value().unprocessed[0].item, ops[0].item);
  EXPECT_EQ(left.value().requests, 3);
}

// Issue 10, fuzzing findings 1 and 5, through the client: a malformed answer is a typed
// AwsError (the error body's members unread, or MalformedResponse for a body the operation
// needs), never a crash, an exception, or a wrong "no item" / "all written".
TEST(AwsFault, MalformedAnswersAreTypedErrors) {
  FaultServer server;
  server.set_default(FaultAction::ok(R"({"x":1 "Item":{"pk":{"S":"a"}}})"));
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  DynamoDbClient db(config);
  common::aws::GetItemRequest get;
  get.table_name = "t";
  get.key = {{"pk", AttributeValue::S("a")}};
  auto item = db.get_item(get);
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(item.error().code, "MalformedResponse");
  EXPECT_EQ(item.error().operation, "GetItem");
  EXPECT_FALSE(item.error().retryable());

  server.set_default(FaultAction::ok(R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{}}}]},)"));
  auto batch = db.batch_write_item({common::aws::BatchWriteOperation::put("t", get.key)});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, "MalformedResponse");

  FaultAction broken_error;
  broken_error.status = 400;
  broken_error.body = R"({"a":[})";
  server.set_default(broken_error);
  item = db.get_item(get);
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(item.error().code, "HTTP400");
  EXPECT_EQ(item.error().message, R"({"a":[})");
}

// Issue 10, fuzzing finding 2, through the client: an OptedOutTimestamp system_clock cannot
// hold (1e300 s) overflowed the conversion; it is a MalformedResponse.
TEST(AwsFault, OptedOutTimestampOutOfRangeIsAMalformedResponse) {
  FaultServer server;
  server.set_default(FaultAction::ok(
      R"({"OptOutListName":"l","OptedOutNumber":"+12065550100","OptedOutTimestamp":1e300,"EndUserOptedOut":false})"));
  const auto env = Environment::from_map({{"AWS_REGION", "us-east-1"},
                                          {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                          {"AWS_SECRET_ACCESS_KEY", "secret"},
                                          {"AWS_ENDPOINT_URL", server.url()}});
  common::aws::SmsVoiceClient sms(
      common::aws::client_config_from_environment(common::aws::kSmsVoice, env));
  const auto listed = sms.put_opted_out_number("l", "+12065550100");
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error().code, "MalformedResponse");
  EXPECT_NE(listed.error().message.find("OptedOutTimestamp"), std::string::npos)
      << listed.error().message;
}

// Issue 11, item 5: no client call throws for an answer. Every DynamoDB and SMS operation, on
// an answer it cannot read (a success body, or an error body it needs), returns
// MalformedResponse with the operation named and the body kept.
TEST(AwsFault, EveryOperationTurnsAnUnreadableAnswerIntoMalformedResponse) {
  FaultServer server;
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  DynamoDbClient db(config);
  const AttributeMap key = {{"pk", AttributeValue::S("a")}};
  const std::string truncated = R"({"Attributes":{"pk":{"S":"a"})";
  const auto expect_malformed = [&](const auto& outcome, const char* operation) {
    ASSERT_FALSE(outcome.ok()) << operation;
    EXPECT_EQ(outcome.error().code, "MalformedResponse") << operation;
    EXPECT_EQ(outcome.error().operation, operation);
    EXPECT_FALSE(outcome.error().retryable()) << operation;
  };

  server.push(FaultAction::ok(R"({"Items":[{"pk":{"X":"a"}}],"Count":1})"));
  common::aws::QueryRequest query;
  query.table_name = "t";
  query.key_condition_expression = query.expression.name("pk") + " = " +
                                   query.expression.value(AttributeValue::S("a"));
  expect_malformed(db.query(query), "Query");
  server.push(FaultAction::ok(R"({"Items":[],"Count":0,"LastEvaluatedKey":{"pk":{"S":"a"}}})"));
  server.push(FaultAction::ok(R"({"Items":[],"Count":0,"LastEvaluatedKey":7})"));
  expect_malformed(db.query_all(query), "Query");

  common::aws::PutItemRequest put;
  put.table_name = "t";
  put.item = key;
  server.push(FaultAction::ok(truncated));
  expect_malformed(db.put_item(put), "PutItem");
  server.push(FaultAction::ok(truncated));
  common::aws::UpdateItemRequest update;
  update.table_name = "t";
  update.key = key;
  update.update_expression = "REMOVE " + update.expression.name("x");
  expect_malformed(db.update_item(update), "UpdateItem");
  // A failed condition whose body cannot be read is not "condition failed, no item".
  FaultAction unreadable_condition =
      FaultAction::aws_error(400, "ConditionalCheckFailedException", R"("Item":{"pk":{"S":7}})");
  server.push(unreadable_condition);
  expect_malformed(db.update_item(update), "UpdateItem");
  server.push(FaultAction::ok(R"([])"));
  expect_malformed(db.delete_item({"t", key}), "DeleteItem");
  server.push(FaultAction::aws_error(400, "TransactionCanceledException",
                                     R"("CancellationReasons":[{"Code":7}])"));
  common::aws::TransactWriteRequest transaction;
  transaction.items.push_back(common::aws::TransactWriteItem::remove("t", key));
  expect_malformed(db.transact_write_items(transaction), "TransactWriteItems");

  const auto env = Environment::from_map({{"AWS_REGION", "us-east-1"},
                                          {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                          {"AWS_SECRET_ACCESS_KEY", "secret"},
                                          {"AWS_MAX_ATTEMPTS", "1"},
                                          {"AWS_ENDPOINT_URL", server.url()}});
  common::aws::SmsVoiceClient sms(
      common::aws::client_config_from_environment(common::aws::kSmsVoice, env));
  server.push(FaultAction::ok(R"({"MessageId":["m-1"]})"));
  common::aws::SendTextMessageRequest text;
  text.destination_phone_number = "+12065550100";
  text.message_body = "hello";
  expect_malformed(sms.send_text_message(text), "SendTextMessage");
  server.push(FaultAction::ok(R"({"OptedOutNumber":"+12065550100",)"));
  expect_malformed(sms.delete_opted_out_number("l", "+12065550100"), "DeleteOptedOutNumber");
  server.push(FaultAction::ok(R"({"OptedOutNumbers":[{"OptedOutNumber":1}]})"));
  common::aws::DescribeOptedOutNumbersRequest describe;
  describe.opt_out_list_name = "l";
  expect_malformed(sms.describe_opted_out_numbers(describe), "DescribeOptedOutNumbers");
}

// A DynamoDB request that cannot be written as JSON (nlohmann refuses a string that is not
// UTF-8) is refused before sending, as SmsVoiceClient refuses one: a value, not an exception.
TEST(AwsFault, ARequestThatIsNotUtf8IsAClientValidationErrorAndIsNeverSent) {
  FaultServer server;
  auto config = config_for(server);
  DynamoDbClient db(config);
  common::aws::PutItemRequest put;
  put.table_name = "t";
  put.item = {{"pk", AttributeValue::S("a")}, {"body", AttributeValue::S("caf\xe9")}};
  const auto written = db.put_item(put);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, "ClientValidationError");
  EXPECT_EQ(written.error().operation, "PutItem");
  EXPECT_EQ(written.error().attempts, 0);
  common::aws::GetItemRequest get;
  get.table_name = "t";
  get.key = {{"pk\xff", AttributeValue::S("a")}};  // an attribute name
  EXPECT_EQ(db.get_item(get).error().code, "ClientValidationError");
  const auto batch = db.batch_write_item({common::aws::BatchWriteOperation::put("t", put.item)});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, "ClientValidationError");
  EXPECT_EQ(server.request_count(), 0u);
}

// One parser per client (issue 11, item 5): a client reads every answer, success or error
// body, with the parser it owns, and many calls of every size in any order give the answers a
// fresh parser gives.
TEST(AwsFault, OneClientParserReadsManyAnswersLikeFreshParsers) {
  FaultServer server;
  auto config = config_for(server, {{"AWS_MAX_ATTEMPTS", "1"}});
  DynamoDbClient db(config);
  std::string page = R"({"Count":200,"ScannedCount":200,"Items":[)";
  for (int i = 0; i < 200; ++i) {
    if (i > 0) page += ",";
    page += R"({"pk":{"S":"+1206555)" + std::to_string(1000 + i) + R"("},"n":{"N":")" +
            std::to_string(i) + R"("}})";
  }
  page += "]}";
  const std::string item = R"({"Item":{"pk":{"S":"a"},"v":{"N":"3"}}})";
  const auto expected_page = common::aws::parse_query_response(page);
  const auto expected_item = common::aws::parse_get_item_response(item);
  common::aws::QueryRequest query;
  query.table_name = "t";
  query.key_condition_expression = query.expression.name("pk") + " = " +
                                   query.expression.value(AttributeValue::S("a"));
  common::aws::PutItemRequest put;
  put.table_name = "t";
  put.item = {{"pk", AttributeValue::S("a")}};
  put.condition_expression = "attribute_not_exists(" + put.expression.name("pk") + ")";

  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    server.push(FaultAction::ok(page));
    const auto listed = db.query(query);
    ASSERT_TRUE(listed.ok()) << listed.error().describe();
    EXPECT_EQ(listed.value().items, expected_page.items);
    server.push(FaultAction::ok(item));
    const auto got = db.get_item({"t", {{"pk", AttributeValue::S("a")}}});
    ASSERT_TRUE(got.ok()) << got.error().describe();
    EXPECT_EQ(got.value(), expected_item);
    server.push(FaultAction::aws_error(400, "ConditionalCheckFailedException",
                                       R"("Item":{"pk":{"S":"a"},"v":{"N":"4"}})"));
    const auto lost = db.put_item(put);
    ASSERT_TRUE(lost.ok()) << lost.error().describe();
    EXPECT_TRUE(lost.value().condition_failed);
    EXPECT_EQ(common::aws::get_int(lost.value().condition_failed_item, "v"), 4);
    server.push(FaultAction::ok(R"({"Item":{"pk":{"S":"a"})"));  // truncated after a long one
    EXPECT_EQ(db.get_item({"t", {{"pk", AttributeValue::S("a")}}}).error().code,
              "MalformedResponse");
  }
  // Per round: the page, the item, the error body twice (its members, then its Item), the
  // truncated item: one parser read them all.
  EXPECT_EQ(db.transport().parser().texts_read(), static_cast<std::size_t>(kRounds * 5));
  EXPECT_GE(db.transport().parser().capacity(), page.size());
}

}  // namespace
