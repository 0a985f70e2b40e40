// The AWS clients over HTTP (common/aws: DynamoDbClient, SmsVoiceClient, and under them JsonClient,
// libcurl and SigV4), against the in-process stand-in (loopback.hpp) answering with a scripted
// answer ("<status>[ <X-Amzn-Errortype>]\n<body>", see parse_answer). The first byte picks the
// call ('0' to '6'; any byte b means (b - '0') mod 7): 0 DynamoDB GetItem, 1 TransactWriteItems,
// 2 SMS SendTextMessage (the rest is the request's NUL-separated members, answered by the
// stand-in's canned 200), 3 PutOptedOutNumber, 4 DescribeOptedOutNumbers, 5 DynamoDB query_all
// (pages followed), 6 batch_write_item (UnprocessedItems resent).
// Properties: no client throws (their docs: errors are values); an answer 200 that cannot be read
// is "MalformedResponse"; a request validate() refuses is "ClientValidationError" and never sent;
// every error describes itself.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/sms_voice.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/loopback.hpp"
#include "tests/fuzz/sms_request.hpp"

using namespace common::aws;

namespace {

smsc_fuzz::Loopback& loopback() {
  static smsc_fuzz::Loopback server([](std::string_view target, std::string_view) {
    if (target.ends_with(".SendTextMessage")) return smsc_fuzz::ok_answer(R"({"MessageId":"m-1"})");
    return smsc_fuzz::ok_answer("{}");
  });
  return server;
}

template <class T>
void check_outcome(const Outcome<T>& outcome, const smsc_fuzz::Answer& answer) {
  if (outcome.ok()) return;
  const AwsError& error = outcome.error();
  if (answer.status == 200) {
    SMSC_FUZZ_CHECK(error.code == "MalformedResponse", error.describe());
  }
  SMSC_FUZZ_CHECK(!error.describe().empty(), error.code);
}

void check_item(const AttributeMap& item) {
  SMSC_FUZZ_CHECK(parse_item_json(to_json(item)) == item, to_json(item));
}

void send(std::string_view input) {
  const SendTextMessageRequest request = smsc_fuzz::send_request_from(input);
  const auto problem = validate(request);
  loopback().script({});
  SmsVoiceClient client(loopback().client_config(1));
  const auto outcome = client.send_text_message(request);
  if (problem) {
    SMSC_FUZZ_CHECK(!outcome.ok() && outcome.error().code == "ClientValidationError" &&
                        loopback().requests() == 0,
                    *problem);
  } else {
    SMSC_FUZZ_CHECK(outcome.ok() && outcome.value().message_id == "m-1",
                    outcome.ok() ? outcome.value().message_id : outcome.error().describe());
  }
}

void call(unsigned mode, std::string_view text) {
  const smsc_fuzz::Answer answer = smsc_fuzz::parse_answer(text);
  loopback().script({answer});
  const AttributeMap key = {{"phone_number", AttributeValue::S("+14255550123")}};
  if (mode == 0) {
    DynamoDbClient client(loopback().client_config(1));
    const auto outcome = client.get_item(GetItemRequest{"contacts", key});
    check_outcome(outcome, answer);
    if (outcome.ok() && outcome.value()) check_item(*outcome.value());
  } else if (mode == 1) {
    DynamoDbClient client(loopback().client_config(1));
    TransactWriteRequest request;
    request.items.push_back(
        TransactWriteItem::condition_check("contacts", key, "attribute_exists(#n0)"));
    request.items.back().expression.name("phone_number");
    request.items.push_back(TransactWriteItem::put("log", {{"id", AttributeValue::S("x")}}));
    const auto outcome = client.transact_write_items(request);
    // A cancellation answers 400 TransactionCanceledException and is a value, not an error.
    if (outcome.ok()) {
      for (const auto& reason : outcome.value().reasons) check_item(reason.item);
    } else if (answer.status == 200) {
      SMSC_FUZZ_CHECK(outcome.error().code == "MalformedResponse", outcome.error().describe());
    }
  } else if (mode == 5) {
    DynamoDbClient client(loopback().client_config(1));
    QueryRequest request;
    request.table_name = "message-log";
    request.key_condition_expression = request.expression.name("phone_number") + " = " +
                                       request.expression.value(AttributeValue::S("+14255550123"));
    const auto outcome = client.query_all(request, 50);
    check_outcome(outcome, answer);
    if (outcome.ok()) {
      for (const auto& item : outcome.value().items) check_item(item);
    }
  } else if (mode == 6) {
    DynamoDbClient client(loopback().client_config(1));
    std::vector<BatchWriteOperation> operations;
    for (int i = 0; i < 3; ++i) {
      operations.push_back(
          BatchWriteOperation::put("log", {{"id", AttributeValue::S(std::to_string(i))}}));
    }
    const auto outcome = client.batch_write_item(operations, 2);
    check_outcome(outcome, answer);
    if (outcome.ok()) {
      SMSC_FUZZ_CHECK(outcome.value().requests >= 1 && outcome.value().requests <= 3,
                      std::to_string(outcome.value().requests));
      for (const auto& operation : outcome.value().unprocessed) check_item(operation.item);
    }
  } else if (mode == 3) {
    SmsVoiceClient client(loopback().client_config(1));
    check_outcome(client.put_opted_out_number("list", "+14255550123"), answer);
  } else {
    SmsVoiceClient client(loopback().client_config(1));
    check_outcome(client.describe_opted_out_numbers({"list", {"+14255550123"}}), answer);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned mode = static_cast<unsigned char>(data[0] - '0') % 7;
  const std::string_view rest = smsc_fuzz::text(data + 1, size - 1);
  try {
    mode == 2 ? send(rest) : call(mode, rest);
  } catch (const std::exception& e) {
    smsc_fuzz::fail(__FILE__, __LINE__, "an AWS client threw", e.what());
  }
  return 0;
}
