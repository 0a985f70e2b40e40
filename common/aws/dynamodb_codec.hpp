// DynamoDB wire form (JSON 1.0, service model DynamoDB_20120810): items and request bodies as
// JSON text, and strict parsers for the answers. Pure (no I/O); used by the client
// (dynamodb.hpp), the tests, the benches and the fuzz targets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/dynamodb_requests.hpp"
#include "common/aws/dynamodb_values.hpp"
#include "common/aws/json_parser.hpp"

namespace common::aws {

// ---- Items ----

/// Wire form of an item (`{"name":{"S":"x"}}`). Throws nlohmann::json::type_error (316) when
/// a name or string in it is not valid UTF-8, as do the request builders below.
std::string to_json(const AttributeMap& item);
/// Parses a wire-form item. Throws std::runtime_error naming the field on bad input.
AttributeMap parse_item_json(std::string_view json);
/// The same, reading with `parser` (see JsonParser: reused buffers).
AttributeMap parse_item_json(JsonParser& parser, std::string_view json);

// ---- Request bodies (JSON text) ----

std::string request_json(const GetItemRequest& request);
std::string request_json(const PutItemRequest& request);
std::string request_json(const UpdateItemRequest& request);
std::string request_json(const DeleteItemRequest& request);
std::string request_json(const QueryRequest& request);
std::string request_json(const TransactWriteRequest& request);
/// BatchWriteItem body for at most 25 operations (not checked here).
std::string batch_write_request_json(const std::vector<BatchWriteOperation>& operations);

// ---- Answers ----
// Each parser throws std::runtime_error (naming the field where it can) on malformed input: JSON
// malformed anywhere (members we do not use and trailing text included), nesting deeper than
// json_read::kMaxDepth (128), a member we read given twice, an AttributeValue with no type, two
// types or an unknown one. Each comes twice: reading with a parser of its own (tests, fuzz
// targets), or with the caller's `parser`, whose buffers are reused (the client). What they
// return is a copy: nothing points into the parser.

/// GetItem answer -> the item, or nullopt when absent.
std::optional<AttributeMap> parse_get_item_response(std::string_view json);
std::optional<AttributeMap> parse_get_item_response(JsonParser& parser, std::string_view json);
/// Query answer -> one page.
QueryResult parse_query_response(std::string_view json);
QueryResult parse_query_response(JsonParser& parser, std::string_view json);
/// PutItem/UpdateItem/DeleteItem answer -> WriteResult (`Attributes`).
WriteResult parse_write_response(std::string_view json);
WriteResult parse_write_response(JsonParser& parser, std::string_view json);
/// The body of a ConditionalCheckFailedException -> WriteResult with condition_failed set and,
/// with ReturnValuesOnConditionCheckFailure = ALL_OLD, the item as it stood (`Item`). An empty
/// body is a failed condition without an item.
WriteResult parse_condition_failed(std::string_view error_body);
WriteResult parse_condition_failed(JsonParser& parser, std::string_view error_body);
/// The body of a TransactionCanceledException -> its CancellationReasons.
TransactWriteResult parse_transaction_canceled(std::string_view error_body);
TransactWriteResult parse_transaction_canceled(JsonParser& parser, std::string_view error_body);
/// The UnprocessedItems of a BatchWriteItem answer.
std::vector<BatchWriteOperation> parse_unprocessed_items(std::string_view json);
std::vector<BatchWriteOperation> parse_unprocessed_items(JsonParser& parser, std::string_view json);

}  // namespace common::aws
