// DynamoDB over JSON 1.0: the client for the item operations the functions use.
// Conditional-check failures are values. Its pieces, each usable alone:
//   dynamodb_values.hpp    AttributeValue, AttributeMap, get_s/get_int, ExpressionBuilder
//   dynamodb_requests.hpp  the requests and results of each operation
//   dynamodb_codec.hpp     their wire form: JSON bodies and strict answer parsers
// Including this header includes all three.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "common/aws/dynamodb_codec.hpp"
#include "common/aws/dynamodb_requests.hpp"
#include "common/aws/dynamodb_values.hpp"
#include "common/aws/json_client.hpp"

namespace common::aws {

/// DynamoDB client for the item operations (one kept-alive connection, retries,
/// deadline-aware, one reused JsonParser; see JsonClient). Errors other than a failed condition
/// come back as AwsError (ResourceNotFoundException, ValidationException, throttling, network);
/// an answer the parsers of dynamodb_codec.hpp refuse comes back as AwsError
/// "MalformedResponse", and a request that cannot be written as JSON (a name or string that is
/// not valid UTF-8) as "ClientValidationError", never sent. No method throws for either.
class DynamoDbClient {
 public:
  explicit DynamoDbClient(JsonClientConfig config) : client_(kDynamoDb, std::move(config)) {}

  /// GetItem: the item, or an empty optional when no item has that key.
  Outcome<std::optional<AttributeMap>> get_item(const GetItemRequest& request);
  /// PutItem, conditional when a condition is given.
  Outcome<WriteResult> put_item(const PutItemRequest& request);
  /// UpdateItem, conditional when a condition is given.
  Outcome<WriteResult> update_item(const UpdateItemRequest& request);

  /// DeleteItem, conditional when a condition is given.
  Outcome<WriteResult> delete_item(const DeleteItemRequest& request);

  /// Query: one page; the caller loops while `last_evaluated_key` is not empty.
  Outcome<QueryResult> query(const QueryRequest& request);
  /// Query, every page: follows LastEvaluatedKey until the end or until `max_items`
  /// items are collected (then `last_evaluated_key` of the result tells where to go on).
  Outcome<QueryResult> query_all(QueryRequest request,
                                 std::size_t max_items = static_cast<std::size_t>(-1));

  /// TransactWriteItems: a cancellation (a failed condition, a conflict) is a value
  /// with its reasons; other failures are AwsError.
  Outcome<TransactWriteResult> transact_write_items(const TransactWriteRequest& request);

  /// BatchWriteItem for any number of operations: sent in chunks of 25; what
  /// DynamoDB leaves in UnprocessedItems is resent after full-jitter backoff
  /// (throttling base delay), at most `max_unprocessed_retries` times and never
  /// past the deadline; what is left then comes back in the result. An AwsError
  /// means a request failed: the chunks before it are written.
  Outcome<BatchWriteResult> batch_write_item(const std::vector<BatchWriteOperation>& operations,
                                             int max_unprocessed_retries = 8);

  /// The underlying transport (deadline, retry quota).
  JsonClient& transport() { return client_; }

 private:
  JsonClient client_;
};

}  // namespace common::aws
