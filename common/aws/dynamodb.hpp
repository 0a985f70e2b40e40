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
};

/// PutItem input; `condition_expression` uses placeholders from `expression`.
struct PutItemRequest {
  std::string table_name;
  AttributeMap item;
  std::string condition_expression;
  ExpressionBuilder expression;
  ReturnValues return_values = ReturnValues::kNone;  // kNone or kAllOld
};

/// UpdateItem input; both expressions use placeholders from `expression`.
struct UpdateItemRequest {
  std::string table_name;
  AttributeMap key;
  std::string update_expression;
  std::string condition_expression;
  ExpressionBuilder expression;
  ReturnValues return_values = ReturnValues::kNone;
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
};

/// One page of a Query.
struct QueryResult {
  std::vector<AttributeMap> items;
  AttributeMap last_evaluated_key;  // empty on the last page
};

/// Outcome of a conditional write: a failed condition is an expected result, not an error.
struct WriteResult {
  bool condition_failed = false;
  AttributeMap attributes;  // what ReturnValues asked for (empty otherwise)
};

/// DynamoDB client for the item operations (one kept-alive connection, retries,
/// deadline-aware; see JsonClient). Errors other than a failed condition come back
/// as AwsError (ResourceNotFoundException, ValidationException, throttling, network).
class DynamoDbClient {
 public:
  explicit DynamoDbClient(JsonClientConfig config) : client_(kDynamoDb, std::move(config)) {}

  /// GetItem: the item, or an empty optional when no item has that key.
  Outcome<std::optional<AttributeMap>> get_item(const GetItemRequest& request);
  /// PutItem, conditional when a condition is given.
  Outcome<WriteResult> put_item(const PutItemRequest& request);
  /// UpdateItem, conditional when a condition is given.
  Outcome<WriteResult> update_item(const UpdateItemRequest& request);

  /// Query: one page; the caller loops while `last_evaluated_key` is not empty.
  Outcome<QueryResult> query(const QueryRequest& request);

  /// The underlying transport (deadline, retry quota).
  JsonClient& transport() { return client_; }

 private:
  JsonClient client_;
};

}  // namespace common::aws
