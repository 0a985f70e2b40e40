#include "common/aws/dynamodb.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace common::aws {
namespace {

// Writes a request body (`write` returns it) and sends it. A request nlohmann cannot write (a
// name or string that is not valid UTF-8: type_error 316) is refused before sending, as the SDKs
// refuse what breaks the model, so no client call throws for its input.
template <class Write>
Outcome<std::string> send(JsonClient& client, std::string_view operation, Write write) {
  std::string body;
  try {
    body = write();
  } catch (const nlohmann::json::exception& e) {
    return AwsError::client_validation(
        kDynamoDb.signing_name, operation,
        std::string("the request cannot be written as JSON: ") + e.what());
  }
  return client.call(operation, body);
}

// Runs `parse` on an answer's body with the client's parser; the parsers' documented
// std::runtime_error (malformed or unexpected JSON) becomes the typed MalformedResponse error
// instead of an exception.
template <class T>
Outcome<T> read_answer(JsonClient& client, std::string_view operation, long http_status,
                       const std::string& body, T (*parse)(JsonParser&, std::string_view)) {
  try {
    return parse(client.parser(), body);
  } catch (const std::runtime_error& e) {
    return malformed_response_error(kDynamoDb.signing_name, operation, http_status, e.what(), body);
  }
}

// A write's answer: a failed condition is a value (with the item as it stood when asked for).
Outcome<WriteResult> write_outcome(JsonClient& client, std::string_view operation,
                                   Outcome<std::string> raw) {
  if (!raw.ok()) {
    const AwsError& error = raw.error();
    if (error.code != "ConditionalCheckFailedException") return error;
    return read_answer(client, operation, error.http_status, error.body, parse_condition_failed);
  }
  return read_answer(client, operation, 200, raw.value(), parse_write_response);
}

}  // namespace

Outcome<std::optional<AttributeMap>> DynamoDbClient::get_item(const GetItemRequest& request) {
  auto raw = send(client_, "GetItem", [&] { return request_json(request); });
  if (!raw.ok()) return raw.error();
  return read_answer(client_, "GetItem", 200, raw.value(), parse_get_item_response);
}

Outcome<QueryResult> DynamoDbClient::query(const QueryRequest& request) {
  auto raw = send(client_, "Query", [&] { return request_json(request); });
  if (!raw.ok()) return raw.error();
  return read_answer(client_, "Query", 200, raw.value(), parse_query_response);
}

Outcome<QueryResult> DynamoDbClient::query_all(QueryRequest request, std::size_t max_items) {
  QueryResult all;
  for (;;) {
    auto page = query(request);
    if (!page.ok()) return page.error();
    QueryResult result = std::move(page).value();
    all.count += result.count;
    all.scanned_count += result.scanned_count;
    for (auto& item : result.items) all.items.push_back(std::move(item));
    all.last_evaluated_key = std::move(result.last_evaluated_key);
    if (all.last_evaluated_key.empty() || all.items.size() >= max_items) return all;
    request.exclusive_start_key = all.last_evaluated_key;
  }
}

Outcome<WriteResult> DynamoDbClient::put_item(const PutItemRequest& request) {
  return write_outcome(client_, "PutItem",
                       send(client_, "PutItem", [&] { return request_json(request); }));
}

Outcome<WriteResult> DynamoDbClient::update_item(const UpdateItemRequest& request) {
  return write_outcome(client_, "UpdateItem",
                       send(client_, "UpdateItem", [&] { return request_json(request); }));
}

Outcome<WriteResult> DynamoDbClient::delete_item(const DeleteItemRequest& request) {
  return write_outcome(client_, "DeleteItem",
                       send(client_, "DeleteItem", [&] { return request_json(request); }));
}

Outcome<TransactWriteResult> DynamoDbClient::transact_write_items(
    const TransactWriteRequest& request) {
  auto raw = send(client_, "TransactWriteItems", [&] { return request_json(request); });
  if (raw.ok()) return TransactWriteResult{};
  if (raw.error().code == "TransactionCanceledException") {
    return read_answer(client_, "TransactWriteItems", raw.error().http_status, raw.error().body,
                       parse_transaction_canceled);
  }
  return raw.error();
}

Outcome<BatchWriteResult> DynamoDbClient::batch_write_item(
    const std::vector<BatchWriteOperation>& operations, int max_unprocessed_retries) {
  constexpr std::size_t kMaxPerRequest = 25;  // the service's limit per BatchWriteItem
  BatchWriteResult result;
  std::vector<BatchWriteOperation> pending(operations.begin(), operations.end());
  int retry = 0;
  while (!pending.empty()) {
    std::vector<BatchWriteOperation> unprocessed;
    for (std::size_t i = 0; i < pending.size(); i += kMaxPerRequest) {
      std::vector<BatchWriteOperation> chunk(
          pending.begin() + static_cast<std::ptrdiff_t>(i),
          pending.begin() +
              static_cast<std::ptrdiff_t>(std::min(pending.size(), i + kMaxPerRequest)));
      auto raw = send(client_, "BatchWriteItem", [&] { return batch_write_request_json(chunk); });
      ++result.requests;
      if (!raw.ok()) return raw.error();
      auto left = read_answer(client_, "BatchWriteItem", 200, raw.value(), parse_unprocessed_items);
      if (!left.ok()) return left.error();
      for (auto& op : std::move(left).value()) unprocessed.push_back(std::move(op));
    }
    pending = std::move(unprocessed);
    if (pending.empty()) break;
    // Unprocessed items mean the table is over its throughput: back off as when throttled.
    if (++retry > max_unprocessed_retries || !client_.wait_before_retry(retry, true)) break;
  }
  result.unprocessed = std::move(pending);
  return result;
}

}  // namespace common::aws
