// DynamoDB request and response types of the item operations the functions use: what a
// caller fills in and what a call gives back. Pure data; the wire form is dynamodb_codec.hpp,
// the client dynamodb.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/aws/dynamodb_values.hpp"

namespace common::aws {

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
  ReturnValues return_values = ReturnValues::kNone;                             // kNone or kAllOld
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
  std::optional<int> limit;             // items evaluated per page
  bool scan_index_forward = true;       // ascending sort key
  bool consistent_read = false;         // not allowed on a GSI
  AttributeMap exclusive_start_key;     // empty: first page
  std::string projection_expression{};  // optional; placeholders from `expression`
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
  AttributeMap item;                 // kPut
  AttributeMap key;                  // the others
  std::string update_expression;     // kUpdate
  std::string condition_expression;  // required for kConditionCheck
  ExpressionBuilder expression;
  ReturnValues return_values_on_condition_check_failure = ReturnValues::kNone;  // or kAllOld

  static TransactWriteItem put(std::string table, AttributeMap item);
  static TransactWriteItem update(std::string table, AttributeMap key,
                                  std::string update_expression);
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

}  // namespace common::aws
