// DynamoDB answers (common/aws/dynamodb_codec.hpp). The first byte picks the parser ('0' to '6';
// any byte b means (b - '0') mod 7), the rest is the answer body: 0 parse_item_json, 1
// parse_get_item_response, 2 parse_query_response, 3 parse_write_response, 4
// parse_transaction_canceled, 5 parse_unprocessed_items, 6 parse_condition_failed (the body of a
// ConditionalCheckFailedException, with the item under ReturnValuesOnConditionCheckFailure). (The client around them, over HTTP: target
// aws_clients.) Properties: the parsers throw only std::runtime_error, and always do for text that
// is not JSON (they read strictly: nothing malformed is skipped); every item read survives to_json
// -> parse_item_json unchanged.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb_codec.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace common::aws;

namespace {

void check_item(const AttributeMap& item) {
  const std::string json = to_json(item);
  AttributeMap again;
  try {
    again = parse_item_json(json);
  } catch (const std::runtime_error& e) {
    smsc_fuzz::fail(__FILE__, __LINE__, "to_json output does not parse back",
                    json + ": " + e.what());
  }
  SMSC_FUZZ_CHECK(again == item, json + " -> " + to_json(again));
}

void parse(unsigned mode, std::string_view body) {
  switch (mode) {
    case 0:
      check_item(parse_item_json(body));
      break;
    case 1:
      if (auto item = parse_get_item_response(body)) check_item(*item);
      break;
    case 2: {
      const QueryResult page = parse_query_response(body);
      for (const auto& item : page.items) check_item(item);
      check_item(page.last_evaluated_key);
      break;
    }
    case 3:
      check_item(parse_write_response(body).attributes);
      break;
    case 4: {
      const TransactWriteResult result = parse_transaction_canceled(body);
      for (const auto& reason : result.reasons) check_item(reason.item);
      (void)result.condition_failed();
      (void)result.retryable();
      break;
    }
    case 5:
      for (const auto& operation : parse_unprocessed_items(body)) check_item(operation.item);
      break;
    case 6: {
      const WriteResult result = parse_condition_failed(body);
      SMSC_FUZZ_CHECK(result.condition_failed, "a condition-failed body read as a success");
      check_item(result.condition_failed_item);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body = smsc_fuzz::text(data + 1, size - 1);
  const unsigned mode = static_cast<unsigned char>(data[0] - '0') % 7;
  try {
    parse(mode, body);
  } catch (const std::runtime_error&) {
    return 0;
  }
  // An empty ConditionalCheckFailedException body is documented as a failure without an item.
  if (mode == 6 && body.empty()) return 0;
  // It was read as an answer: then it must have been JSON.
  SMSC_FUZZ_CHECK(nlohmann::json::accept(body), "not JSON, yet read as an answer");
  return 0;
}
