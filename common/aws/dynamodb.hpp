// DynamoDB over JSON 1.0: typed attribute values, placeholders for every expression,
// and the item operations the functions use. Conditional-check failures are values.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/json_client.hpp"

namespace common::aws {

class AttributeValue;
/// An item or key: attribute name -> value.
using AttributeMap = std::map<std::string, AttributeValue>;

/// One DynamoDB AttributeValue (S, N, B, BOOL, NULL, M, L, SS, NS, BS).
/// Numbers stay decimal strings, exactly as on the wire, so no precision is lost;
/// B/BS hold raw bytes (base64 only on the wire). Immutable, cheap to copy.
class AttributeValue {
 public:
  enum class Type { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

  AttributeValue() : AttributeValue(Type::kNull) {}
  static AttributeValue S(std::string value);
  /// A number from its decimal text ("12", "-0.5", "1E+3"); not checked here, DynamoDB does.
  static AttributeValue N(std::string decimal);
  static AttributeValue N(std::int64_t value);
  static AttributeValue B(std::string bytes);
  static AttributeValue Bool(bool value);
  static AttributeValue Null();
  static AttributeValue M(AttributeMap value);
  static AttributeValue L(std::vector<AttributeValue> value);
  static AttributeValue SS(std::vector<std::string> values);
  static AttributeValue NS(std::vector<std::string> decimals);
  static AttributeValue BS(std::vector<std::string> bytes);

  Type type() const { return type_; }
  /// The string of S, the decimal text of N or the bytes of B; nullptr for other types.
  const std::string* scalar() const;
  /// S only (nullptr otherwise).
  const std::string* as_s() const { return type_ == Type::kS ? &scalar_ : nullptr; }
  /// N as int64 when it is an integer in range, else nullopt.
  std::optional<std::int64_t> as_int() const;
  /// BOOL only.
  std::optional<bool> as_bool() const;
  /// M only (nullptr otherwise).
  const AttributeMap* as_map() const;
  /// L only (nullptr otherwise).
  const std::vector<AttributeValue>* as_list() const;
  /// SS, NS or BS members (nullptr otherwise).
  const std::vector<std::string>* as_set() const;

  /// Same type and value; SS/NS/BS compare as sets (DynamoDB keeps no order).
  bool operator==(const AttributeValue& other) const;

 private:
  explicit AttributeValue(Type type) : type_(type) {}
  Type type_;
  std::string scalar_;
  bool bool_ = false;
  std::vector<std::string> set_;
  std::shared_ptr<const AttributeMap> map_;
  std::shared_ptr<const std::vector<AttributeValue>> list_;
};

/// The S value of attribute `name` of `item`, or nullopt.
std::optional<std::string> get_s(const AttributeMap& item, std::string_view name);
/// The integer N value of attribute `name` of `item`, or nullopt.
std::optional<std::int64_t> get_int(const AttributeMap& item, std::string_view name);

/// Wire form of a value / item (`{"S":"x"}`, `{"name":{"S":"x"}}`).
std::string to_json(const AttributeMap& item);
/// Parses a wire-form item. Throws std::runtime_error naming the field on bad input.
AttributeMap parse_item_json(std::string_view json);

/// Builds expression placeholders so reserved words and odd names never break a
/// request: every attribute name becomes "#n<i>" and every value ":v<i>".
class ExpressionBuilder {
 public:
  /// The placeholder for an attribute name; the same name gives the same placeholder.
  std::string name(std::string_view attribute);
  /// A fresh placeholder bound to `value`.
  std::string value(AttributeValue value);
  const std::map<std::string, std::string>& names() const { return names_; }
  const AttributeMap& values() const { return values_; }

 private:
  std::map<std::string, std::string> names_;  // placeholder -> name
  std::map<std::string, std::string, std::less<>> by_name_;
  AttributeMap values_;
};

/// DynamoDB `ReturnValues`.
enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };

/// GetItem input.
struct GetItemRequest {
  std::string table_name;
  AttributeMap key;
  bool consistent_read = false;
  std::string projection_expression{};  // optional; placeholders from `expression`
  ExpressionBuilder expression{};
};

/// PutItem input; `condition_expression` uses placeholders from `expression`.
struct PutItemRequest {
  std::string table_name;
  AttributeMap item;
  std::string condition_expression;
  ExpressionBuilder expression;
  ReturnValues return_values = ReturnValues::kNone;  // kNone or kAllOld
  /// kAllOld: when the condition fails, DynamoDB returns the item as it is
  /// (WriteResult::condition_failed_item), saving a read.
  ReturnValues return_values_on_condition_check_failure = ReturnValues::kNone;
};

/// UpdateItem input; both expressions use placeholders from `expression`.
struct UpdateItemRequest {
  std::string table_name;
  AttributeMap key;
  std::string update_expression;
  std::string condition_expression;
  ExpressionBuilder expression;
  ReturnValues return_values = ReturnValues::kNone;
  ReturnValues return_values_on_condition_check_failure = ReturnValues::kNone;  // kNone or kAllOld
};

/// DeleteItem input; `condition_expression` uses placeholders from `expression`.
struct DeleteItemRequest {
  std::string table_name;
  AttributeMap key;
  std::string condition_expression{};
  ExpressionBuilder expression{};
  ReturnValues return_values = ReturnValues::kNone;  // kNone or kAllOld
  ReturnValues return_values_on_condition_check_failure = ReturnValues::kNone;  // kNone or kAllOld
};

/// Query input: one partition (of the table or of `index_name`), optionally
/// filtered; one page per call (use `exclusive_start_key` to continue).
struct QueryRequest {
  std::string table_name;
  std::string index_name;                // empty: the table itself
  std::string key_condition_expression;  // placeholders from `expression`
  std::string filter_expression;         // optional
  ExpressionBuilder expression;
  std::optional<int> limit;              // items evaluated per page
  bool scan_index_forward = true;        // ascending sort key
  bool consistent_read = false;          // not allowed on a GSI
  AttributeMap exclusive_start_key;      // empty: first page
  std::string projection_expression{};   // optional; placeholders from `expression`
};

/// One page of a Query. A page holds at most 1 MB of items read; `count` and
/// `scanned_count` are the service's counts after and before the filter.
struct QueryResult {
  std::vector<AttributeMap> items;
  AttributeMap last_evaluated_key;  // empty on the last page
  std::int64_t count = 0;
  std::int64_t scanned_count = 0;
};

/// Outcome of a conditional write: a failed condition is an expected result, not an error.
struct WriteResult {
  bool condition_failed = false;
  AttributeMap attributes;  // what ReturnValues asked for (empty otherwise)
  /// On a failed condition with ReturnValuesOnConditionCheckFailure = ALL_OLD:
  /// the item as it stood (empty when there was none or it was not asked for).
  AttributeMap condition_failed_item{};
};

/// One action of a TransactWriteItems: Put (`item`), Update (`key` +
/// `update_expression`), Delete (`key`) or ConditionCheck (`key` + condition).
struct TransactWriteItem {
  enum class Kind { kPut, kUpdate, kDelete, kConditionCheck };
  Kind kind = Kind::kPut;
  std::string table_name;
  AttributeMap item;  // kPut
  AttributeMap key;   // the others
  std::string update_expression;     // kUpdate
  std::string condition_expression;  // required for kConditionCheck
  ExpressionBuilder expression;
  ReturnValues return_values_on_condition_check_failure = ReturnValues::kNone;  // or kAllOld

  static TransactWriteItem put(std::string table, AttributeMap item);
  static TransactWriteItem update(std::string table, AttributeMap key, std::string update_expression);
  static TransactWriteItem remove(std::string table, AttributeMap key);
  static TransactWriteItem condition_check(std::string table, AttributeMap key,
                                           std::string condition_expression);
};

/// TransactWriteItems input: up to 100 actions on distinct items, all or none.
struct TransactWriteRequest {
  std::vector<TransactWriteItem> items;
  /// Idempotency token (1-36 characters): a repeat within 10 minutes is a no-op.
  std::string client_request_token{};
};

/// Why one action of a canceled transaction failed, in request order. `code`
/// is "None" for actions not at fault; otherwise ConditionalCheckFailed,
/// TransactionConflict, ItemCollectionSizeLimitExceeded, ThrottlingError,
/// ProvisionedThroughputExceeded or ValidationError.
struct CancellationReason {
  std::string code;
  std::string message;
  AttributeMap item;  // with ReturnValuesOnConditionCheckFailure = ALL_OLD
};

/// Outcome of TransactWriteItems: committed, or canceled with one reason per action.
struct TransactWriteResult {
  bool canceled = false;
  std::vector<CancellationReason> reasons;  // empty when committed
  /// True when a condition of an action failed.
  bool condition_failed() const;
  /// True when every failing reason is a conflict or throttling: trying again may succeed.
  bool retryable() const;
};

/// One Put or Delete of a BatchWriteItem.
struct BatchWriteOperation {
  std::string table_name;
  bool is_delete = false;
  AttributeMap item;  // Put: the item; Delete: the key

  static BatchWriteOperation put(std::string table, AttributeMap item);
  static BatchWriteOperation remove(std::string table, AttributeMap key);
};

/// Outcome of batch_write_item: what was still unprocessed when the retries ran out.
struct BatchWriteResult {
  std::vector<BatchWriteOperation> unprocessed;  // empty: everything written
  int requests = 0;  // BatchWriteItem requests sent (chunks of 25, plus resends)
};

// ---- Wire form of each request and response (pure; used by the client, tests, benches) ----

/// Request bodies of each operation (JSON text).
std::string request_json(const GetItemRequest& request);
std::string request_json(const PutItemRequest& request);
std::string request_json(const UpdateItemRequest& request);
std::string request_json(const DeleteItemRequest& request);
std::string request_json(const QueryRequest& request);
std::string request_json(const TransactWriteRequest& request);
/// BatchWriteItem body for at most 25 operations (not checked here).
std::string batch_write_request_json(const std::vector<BatchWriteOperation>& operations);

/// GetItem response -> the item, or nullopt when absent. Throws std::runtime_error (naming the
/// field where it can) on malformed input, as do the parsers below and parse_item_json: JSON
/// malformed anywhere (members we do not use and trailing text included), nesting deeper than
/// json_read::kMaxDepth (128), a member we read given twice, an AttributeValue with no type,
/// two types or an unknown one.
std::optional<AttributeMap> parse_get_item_response(std::string_view json);
/// Query response -> one page.
QueryResult parse_query_response(std::string_view json);
/// PutItem/UpdateItem/DeleteItem response -> WriteResult (`Attributes`).
WriteResult parse_write_response(std::string_view json);
/// The body of a TransactionCanceledException -> its CancellationReasons.
TransactWriteResult parse_transaction_canceled(std::string_view error_body);
/// The UnprocessedItems of a BatchWriteItem response.
std::vector<BatchWriteOperation> parse_unprocessed_items(std::string_view json);

/// DynamoDB client for the item operations (one kept-alive connection, retries,
/// deadline-aware; see JsonClient). Errors other than a failed condition come back
/// as AwsError (ResourceNotFoundException, ValidationException, throttling, network); an
/// answer the parsers above refuse comes back as AwsError "MalformedResponse" (never thrown).
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
