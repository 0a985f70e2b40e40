#include "common/aws/dynamodb_requests.hpp"

#include <algorithm>

namespace common::aws {

namespace {

// An action on the item at `key` (all but Put).
TransactWriteItem keyed(TransactWriteItem::Kind kind, std::string table, AttributeMap key) {
  TransactWriteItem t;
  t.kind = kind;
  t.table_name = std::move(table);
  t.key = std::move(key);
  return t;
}

}  // namespace

TransactWriteItem TransactWriteItem::put(std::string table, AttributeMap item) {
  TransactWriteItem t;
  t.kind = Kind::kPut;
  t.table_name = std::move(table);
  t.item = std::move(item);
  return t;
}
TransactWriteItem TransactWriteItem::update(std::string table, AttributeMap key,
                                            std::string update_expression) {
  TransactWriteItem t = keyed(Kind::kUpdate, std::move(table), std::move(key));
  t.update_expression = std::move(update_expression);
  return t;
}
TransactWriteItem TransactWriteItem::remove(std::string table, AttributeMap key) {
  return keyed(Kind::kDelete, std::move(table), std::move(key));
}
TransactWriteItem TransactWriteItem::condition_check(std::string table, AttributeMap key,
                                                     std::string condition_expression) {
  TransactWriteItem t = keyed(Kind::kConditionCheck, std::move(table), std::move(key));
  t.condition_expression = std::move(condition_expression);
  return t;
}

bool TransactWriteResult::condition_failed() const {
  return std::any_of(reasons.begin(), reasons.end(), [](const CancellationReason& r) {
    return r.code == "ConditionalCheckFailed";
  });
}

bool TransactWriteResult::retryable() const {
  bool any = false;
  for (const auto& r : reasons) {
    if (r.code == "None" || r.code.empty()) continue;
    any = true;
    if (r.code != "TransactionConflict" && r.code != "ThrottlingError" &&
        r.code != "ProvisionedThroughputExceeded") {
      return false;
    }
  }
  return any;
}

BatchWriteOperation BatchWriteOperation::put(std::string table, AttributeMap item) {
  return BatchWriteOperation{std::move(table), false, std::move(item)};
}
BatchWriteOperation BatchWriteOperation::remove(std::string table, AttributeMap key) {
  return BatchWriteOperation{std::move(table), true, std::move(key)};
}

}  // namespace common::aws
