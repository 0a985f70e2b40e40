#include "common/aws/dynamodb.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace common::aws {
namespace {

using json = nlohmann::json;
using Type = AttributeValue::Type;

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string base64_decode(std::string_view text, std::string_view field) {
  if (text.size() % 4 != 0) throw std::runtime_error("bad base64 in " + std::string(field));
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("bad base64 in " + std::string(field));
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

json value_to_json(const AttributeValue& v);

json map_to_json(const AttributeMap& map) {
  json out = json::object();
  for (const auto& [k, v] : map) out[k] = value_to_json(v);
  return out;
}

json value_to_json(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS: return {{"S", *v.scalar()}};
    case Type::kN: return {{"N", *v.scalar()}};
    case Type::kB: return {{"B", base64_encode(*v.scalar())}};
    case Type::kBool: return {{"BOOL", *v.as_bool()}};
    case Type::kNull: return {{"NULL", true}};
    case Type::kM: return {{"M", map_to_json(*v.as_map())}};
    case Type::kL: {
      json list = json::array();
      for (const auto& item : *v.as_list()) list.push_back(value_to_json(item));
      return {{"L", list}};
    }
    case Type::kSS: return {{"SS", *v.as_set()}};
    case Type::kNS: return {{"NS", *v.as_set()}};
    case Type::kBS: {
      json list = json::array();
      for (const auto& b : *v.as_set()) list.push_back(base64_encode(b));
      return {{"BS", list}};
    }
  }
  return nullptr;
}

using simdjson::ondemand::object;
using simdjson::ondemand::value;

AttributeValue parse_value(value v, const std::string& field);

AttributeMap parse_map(object o, const std::string& field) {
  AttributeMap out;
  for (auto member : o) {
    std::string_view key = member.unescaped_key();
    std::string name(key);
    out.emplace(name, parse_value(member.value(), field + "." + name));
  }
  return out;
}

std::vector<std::string> parse_strings(value v, const std::string& field) {
  std::vector<std::string> out;
  for (auto item : v.get_array()) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) {
      throw std::runtime_error("expected a string in set " + field);
    }
    out.emplace_back(s);
  }
  return out;
}

AttributeValue parse_value(value v, const std::string& field) {
  object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) {
    throw std::runtime_error("attribute " + field + " is not an AttributeValue object");
  }
  for (auto member : o) {
    std::string_view tag = member.unescaped_key();
    value inner = member.value();
    if (tag == "S") return AttributeValue::S(std::string(std::string_view(inner.get_string())));
    if (tag == "N") return AttributeValue::N(std::string(std::string_view(inner.get_string())));
    if (tag == "B") return AttributeValue::B(base64_decode(inner.get_string(), field));
    if (tag == "BOOL") return AttributeValue::Bool(bool(inner.get_bool()));
    if (tag == "NULL") return AttributeValue::Null();
    if (tag == "M") return AttributeValue::M(parse_map(inner.get_object(), field));
    if (tag == "L") {
      std::vector<AttributeValue> list;
      size_t i = 0;
      for (auto item : inner.get_array()) {
        list.push_back(parse_value(item.value(), field + "[" + std::to_string(i++) + "]"));
      }
      return AttributeValue::L(std::move(list));
    }
    if (tag == "SS") return AttributeValue::SS(parse_strings(inner, field));
    if (tag == "NS") return AttributeValue::NS(parse_strings(inner, field));
    if (tag == "BS") {
      std::vector<std::string> bytes;
      for (auto& s : parse_strings(inner, field)) bytes.push_back(base64_decode(s, field));
      return AttributeValue::BS(std::move(bytes));
    }
    throw std::runtime_error("attribute " + field + " has unknown type '" + std::string(tag) + "'");
  }
  throw std::runtime_error("attribute " + field + " is an empty object");
}

std::string_view return_values_name(ReturnValues r) {
  switch (r) {
    case ReturnValues::kNone: return "NONE";
    case ReturnValues::kAllOld: return "ALL_OLD";
    case ReturnValues::kUpdatedOld: return "UPDATED_OLD";
    case ReturnValues::kAllNew: return "ALL_NEW";
    case ReturnValues::kUpdatedNew: return "UPDATED_NEW";
  }
  return "NONE";
}

void add_expression(json& body, const ExpressionBuilder& expression) {
  if (!expression.names().empty()) body["ExpressionAttributeNames"] = expression.names();
  if (!expression.values().empty()) {
    body["ExpressionAttributeValues"] = map_to_json(expression.values());
  }
}

// Parses one member (`Item` or `Attributes`) of a response, absent -> nullopt.
std::optional<AttributeMap> parse_member(std::string_view response, std::string_view member) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(response);
  try {
    auto doc = parser.iterate(padded);
    object root = doc.get_object();
    value item;
    if (root.find_field_unordered(member).get(item) != simdjson::SUCCESS) return std::nullopt;
    return parse_map(item.get_object(), std::string(member));
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error("malformed DynamoDB response (" + std::string(member) +
                             "): " + e.what());
  }
}

Outcome<WriteResult> write_outcome(Outcome<std::string> raw) {
  if (!raw.ok()) {
    if (raw.error().code == "ConditionalCheckFailedException") {
      WriteResult result;
      result.condition_failed = true;
      // With ReturnValuesOnConditionCheckFailure = ALL_OLD the body carries `Item`.
      if (!raw.error().body.empty()) {
        if (auto item = parse_member(raw.error().body, "Item")) {
          result.condition_failed_item = std::move(*item);
        }
      }
      return result;
    }
    return raw.error();
  }
  return parse_write_response(raw.value());
}

void add_condition(json& body, const std::string& condition, ReturnValues on_failure) {
  if (!condition.empty()) body["ConditionExpression"] = condition;
  if (on_failure != ReturnValues::kNone) {
    body["ReturnValuesOnConditionCheckFailure"] = return_values_name(on_failure);
  }
}

json transact_item_json(const TransactWriteItem& t) {
  json inner = {{"TableName", t.table_name}};
  switch (t.kind) {
    case TransactWriteItem::Kind::kPut: inner["Item"] = map_to_json(t.item); break;
    case TransactWriteItem::Kind::kUpdate:
      inner["Key"] = map_to_json(t.key);
      inner["UpdateExpression"] = t.update_expression;
      break;
    case TransactWriteItem::Kind::kDelete:
    case TransactWriteItem::Kind::kConditionCheck: inner["Key"] = map_to_json(t.key); break;
  }
  add_condition(inner, t.condition_expression, t.return_values_on_condition_check_failure);
  add_expression(inner, t.expression);
  switch (t.kind) {
    case TransactWriteItem::Kind::kPut: return {{"Put", inner}};
    case TransactWriteItem::Kind::kUpdate: return {{"Update", inner}};
    case TransactWriteItem::Kind::kDelete: return {{"Delete", inner}};
    case TransactWriteItem::Kind::kConditionCheck: return {{"ConditionCheck", inner}};
  }
  return nullptr;
}

std::string string_of(value v, std::string_view field) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    throw std::runtime_error("expected a string in " + std::string(field));
  }
  return std::string(s);
}

}  // namespace

AttributeValue AttributeValue::S(std::string value) {
  AttributeValue v(Type::kS);
  v.scalar_ = std::move(value);
  return v;
}
AttributeValue AttributeValue::N(std::string decimal) {
  AttributeValue v(Type::kN);
  v.scalar_ = std::move(decimal);
  return v;
}
AttributeValue AttributeValue::N(std::int64_t value) { return N(std::to_string(value)); }
AttributeValue AttributeValue::B(std::string bytes) {
  AttributeValue v(Type::kB);
  v.scalar_ = std::move(bytes);
  return v;
}
AttributeValue AttributeValue::Bool(bool value) {
  AttributeValue v(Type::kBool);
  v.bool_ = value;
  return v;
}
AttributeValue AttributeValue::Null() { return AttributeValue(Type::kNull); }
AttributeValue AttributeValue::M(AttributeMap value) {
  AttributeValue v(Type::kM);
  v.map_ = std::make_shared<const AttributeMap>(std::move(value));
  return v;
}
AttributeValue AttributeValue::L(std::vector<AttributeValue> value) {
  AttributeValue v(Type::kL);
  v.list_ = std::make_shared<const std::vector<AttributeValue>>(std::move(value));
  return v;
}
AttributeValue AttributeValue::SS(std::vector<std::string> values) {
  AttributeValue v(Type::kSS);
  v.set_ = std::move(values);
  return v;
}
AttributeValue AttributeValue::NS(std::vector<std::string> decimals) {
  AttributeValue v(Type::kNS);
  v.set_ = std::move(decimals);
  return v;
}
AttributeValue AttributeValue::BS(std::vector<std::string> bytes) {
  AttributeValue v(Type::kBS);
  v.set_ = std::move(bytes);
  return v;
}

const std::string* AttributeValue::scalar() const {
  return type_ == Type::kS || type_ == Type::kN || type_ == Type::kB ? &scalar_ : nullptr;
}
std::optional<std::int64_t> AttributeValue::as_int() const {
  if (type_ != Type::kN) return std::nullopt;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(scalar_.data(), scalar_.data() + scalar_.size(), out);
  if (ec != std::errc{} || end != scalar_.data() + scalar_.size()) return std::nullopt;
  return out;
}
std::optional<bool> AttributeValue::as_bool() const {
  return type_ == Type::kBool ? std::optional<bool>(bool_) : std::nullopt;
}
const AttributeMap* AttributeValue::as_map() const { return type_ == Type::kM ? map_.get() : nullptr; }
const std::vector<AttributeValue>* AttributeValue::as_list() const {
  return type_ == Type::kL ? list_.get() : nullptr;
}
const std::vector<std::string>* AttributeValue::as_set() const {
  return type_ == Type::kSS || type_ == Type::kNS || type_ == Type::kBS ? &set_ : nullptr;
}

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kS:
    case Type::kN:
    case Type::kB: return scalar_ == other.scalar_;
    case Type::kBool: return bool_ == other.bool_;
    case Type::kNull: return true;
    case Type::kM: return *map_ == *other.map_;
    case Type::kL: return *list_ == *other.list_;
    default: {
      if (set_.size() != other.set_.size()) return false;
      std::vector<std::string> mine = set_;
      std::vector<std::string> theirs = other.set_;
      std::sort(mine.begin(), mine.end());
      std::sort(theirs.begin(), theirs.end());
      return mine == theirs;
    }
  }
}

std::optional<std::string> get_s(const AttributeMap& item, std::string_view name) {
  auto it = item.find(std::string(name));
  if (it == item.end() || it->second.as_s() == nullptr) return std::nullopt;
  return *it->second.as_s();
}

std::optional<std::int64_t> get_int(const AttributeMap& item, std::string_view name) {
  auto it = item.find(std::string(name));
  if (it == item.end()) return std::nullopt;
  return it->second.as_int();
}

std::string to_json(const AttributeMap& item) { return map_to_json(item).dump(); }

AttributeMap parse_item_json(std::string_view text) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  try {
    auto doc = parser.iterate(padded);
    return parse_map(doc.get_object(), "item");
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(std::string("malformed item JSON: ") + e.what());
  }
}

std::string ExpressionBuilder::name(std::string_view attribute) {
  if (auto it = by_name_.find(attribute); it != by_name_.end()) return it->second;
  std::string placeholder = "#n" + std::to_string(by_name_.size());
  by_name_.emplace(std::string(attribute), placeholder);
  names_.emplace(placeholder, std::string(attribute));
  return placeholder;
}

std::string ExpressionBuilder::value(AttributeValue value) {
  std::string placeholder = ":v" + std::to_string(values_.size());
  values_.emplace(placeholder, std::move(value));
  return placeholder;
}

// ---- Request bodies ----

std::string request_json(const GetItemRequest& request) {
  json body = {{"TableName", request.table_name}, {"Key", map_to_json(request.key)}};
  if (request.consistent_read) body["ConsistentRead"] = true;
  if (!request.projection_expression.empty()) {
    body["ProjectionExpression"] = request.projection_expression;
  }
  add_expression(body, request.expression);
  return body.dump();
}

std::string request_json(const PutItemRequest& request) {
  json body = {{"TableName", request.table_name}, {"Item", map_to_json(request.item)}};
  add_condition(body, request.condition_expression,
                request.return_values_on_condition_check_failure);
  add_expression(body, request.expression);
  if (request.return_values != ReturnValues::kNone) {
    body["ReturnValues"] = return_values_name(request.return_values);
  }
  return body.dump();
}

std::string request_json(const UpdateItemRequest& request) {
  json body = {{"TableName", request.table_name},
               {"Key", map_to_json(request.key)},
               {"UpdateExpression", request.update_expression}};
  add_condition(body, request.condition_expression,
                request.return_values_on_condition_check_failure);
  add_expression(body, request.expression);
  if (request.return_values != ReturnValues::kNone) {
    body["ReturnValues"] = return_values_name(request.return_values);
  }
  return body.dump();
}

std::string request_json(const DeleteItemRequest& request) {
  json body = {{"TableName", request.table_name}, {"Key", map_to_json(request.key)}};
  add_condition(body, request.condition_expression,
                request.return_values_on_condition_check_failure);
  add_expression(body, request.expression);
  if (request.return_values != ReturnValues::kNone) {
    body["ReturnValues"] = return_values_name(request.return_values);
  }
  return body.dump();
}

std::string request_json(const QueryRequest& request) {
  json body = {{"TableName", request.table_name},
               {"KeyConditionExpression", request.key_condition_expression}};
  if (!request.index_name.empty()) body["IndexName"] = request.index_name;
  if (!request.filter_expression.empty()) body["FilterExpression"] = request.filter_expression;
  if (!request.projection_expression.empty()) {
    body["ProjectionExpression"] = request.projection_expression;
  }
  add_expression(body, request.expression);
  if (request.limit) body["Limit"] = *request.limit;
  if (!request.scan_index_forward) body["ScanIndexForward"] = false;
  if (request.consistent_read) body["ConsistentRead"] = true;
  if (!request.exclusive_start_key.empty()) {
    body["ExclusiveStartKey"] = map_to_json(request.exclusive_start_key);
  }
  return body.dump();
}

std::string request_json(const TransactWriteRequest& request) {
  json items = json::array();
  for (const auto& item : request.items) items.push_back(transact_item_json(item));
  json body = {{"TransactItems", items}};
  if (!request.client_request_token.empty()) {
    body["ClientRequestToken"] = request.client_request_token;
  }
  return body.dump();
}

std::string batch_write_request_json(const std::vector<BatchWriteOperation>& operations) {
  json tables = json::object();
  for (const auto& op : operations) {
    json entry = op.is_delete ? json{{"DeleteRequest", {{"Key", map_to_json(op.item)}}}}
                              : json{{"PutRequest", {{"Item", map_to_json(op.item)}}}};
    tables[op.table_name].push_back(std::move(entry));
  }
  return json{{"RequestItems", tables}}.dump();
}

// ---- Response parsers ----

std::optional<AttributeMap> parse_get_item_response(std::string_view text) {
  return parse_member(text, "Item");
}

WriteResult parse_write_response(std::string_view text) {
  WriteResult result;
  if (auto attributes = parse_member(text, "Attributes")) result.attributes = std::move(*attributes);
  return result;
}

QueryResult parse_query_response(std::string_view text) {
  QueryResult result;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  try {
    auto doc = parser.iterate(padded);
    for (auto member : doc.get_object()) {
      std::string_view key = member.unescaped_key();
      if (key == "Items") {
        size_t i = 0;
        for (auto item : member.value().get_array()) {
          result.items.push_back(parse_map(item.get_object(), "Items[" + std::to_string(i++) + "]"));
        }
      } else if (key == "LastEvaluatedKey") {
        result.last_evaluated_key = parse_map(member.value().get_object(), "LastEvaluatedKey");
      } else if (key == "Count") {
        result.count = member.value().get_int64();
      } else if (key == "ScannedCount") {
        result.scanned_count = member.value().get_int64();
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(std::string("malformed DynamoDB Query response: ") + e.what());
  }
  return result;
}

TransactWriteResult parse_transaction_canceled(std::string_view error_body) {
  TransactWriteResult result;
  result.canceled = true;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(error_body);
  try {
    auto doc = parser.iterate(padded);
    value reasons;
    if (doc.get_object().find_field_unordered("CancellationReasons").get(reasons) !=
        simdjson::SUCCESS) {
      return result;
    }
    size_t i = 0;
    for (auto entry : reasons.get_array()) {
      const std::string field = "CancellationReasons[" + std::to_string(i++) + "]";
      CancellationReason reason;
      for (auto member : entry.get_object()) {
        std::string_view key = member.unescaped_key();
        if (key == "Code") {
          reason.code = string_of(member.value(), field + ".Code");
        } else if (key == "Message") {
          reason.message = string_of(member.value(), field + ".Message");
        } else if (key == "Item") {
          reason.item = parse_map(member.value().get_object(), field + ".Item");
        }
      }
      result.reasons.push_back(std::move(reason));
    }
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(std::string("malformed TransactionCanceledException: ") + e.what());
  }
  return result;
}

std::vector<BatchWriteOperation> parse_unprocessed_items(std::string_view text) {
  std::vector<BatchWriteOperation> out;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  try {
    auto doc = parser.iterate(padded);
    value tables;
    if (doc.get_object().find_field_unordered("UnprocessedItems").get(tables) != simdjson::SUCCESS) {
      return out;
    }
    for (auto table : tables.get_object()) {
      const std::string name(std::string_view(table.unescaped_key()));
      for (auto request : table.value().get_array()) {
        for (auto kind : request.get_object()) {
          std::string_view tag = kind.unescaped_key();
          object inner = kind.value().get_object();
          if (tag == "PutRequest") {
            out.push_back(BatchWriteOperation::put(
                name, parse_map(inner.find_field_unordered("Item").get_object(), "PutRequest.Item")));
          } else if (tag == "DeleteRequest") {
            out.push_back(BatchWriteOperation::remove(
                name, parse_map(inner.find_field_unordered("Key").get_object(), "DeleteRequest.Key")));
          }
        }
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(std::string("malformed BatchWriteItem response: ") + e.what());
  }
  return out;
}

// ---- Value types ----

TransactWriteItem TransactWriteItem::put(std::string table, AttributeMap item) {
  TransactWriteItem t;
  t.kind = Kind::kPut;
  t.table_name = std::move(table);
  t.item = std::move(item);
  return t;
}
TransactWriteItem TransactWriteItem::update(std::string table, AttributeMap key,
                                            std::string update_expression) {
  TransactWriteItem t;
  t.kind = Kind::kUpdate;
  t.table_name = std::move(table);
  t.key = std::move(key);
  t.update_expression = std::move(update_expression);
  return t;
}
TransactWriteItem TransactWriteItem::remove(std::string table, AttributeMap key) {
  TransactWriteItem t;
  t.kind = Kind::kDelete;
  t.table_name = std::move(table);
  t.key = std::move(key);
  return t;
}
TransactWriteItem TransactWriteItem::condition_check(std::string table, AttributeMap key,
                                                     std::string condition_expression) {
  TransactWriteItem t;
  t.kind = Kind::kConditionCheck;
  t.table_name = std::move(table);
  t.key = std::move(key);
  t.condition_expression = std::move(condition_expression);
  return t;
}

bool TransactWriteResult::condition_failed() const {
  return std::any_of(reasons.begin(), reasons.end(),
                     [](const CancellationReason& r) { return r.code == "ConditionalCheckFailed"; });
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

// ---- The client ----

Outcome<std::optional<AttributeMap>> DynamoDbClient::get_item(const GetItemRequest& request) {
  auto raw = client_.call("GetItem", request_json(request));
  if (!raw.ok()) return raw.error();
  return parse_get_item_response(raw.value());
}

Outcome<QueryResult> DynamoDbClient::query(const QueryRequest& request) {
  auto raw = client_.call("Query", request_json(request));
  if (!raw.ok()) return raw.error();
  return parse_query_response(raw.value());
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
  return write_outcome(client_.call("PutItem", request_json(request)));
}

Outcome<WriteResult> DynamoDbClient::update_item(const UpdateItemRequest& request) {
  return write_outcome(client_.call("UpdateItem", request_json(request)));
}

Outcome<WriteResult> DynamoDbClient::delete_item(const DeleteItemRequest& request) {
  return write_outcome(client_.call("DeleteItem", request_json(request)));
}

Outcome<TransactWriteResult> DynamoDbClient::transact_write_items(
    const TransactWriteRequest& request) {
  auto raw = client_.call("TransactWriteItems", request_json(request));
  if (raw.ok()) return TransactWriteResult{};
  if (raw.error().code == "TransactionCanceledException") {
    return parse_transaction_canceled(raw.error().body);
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
          pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), i + kMaxPerRequest)));
      auto raw = client_.call("BatchWriteItem", batch_write_request_json(chunk));
      ++result.requests;
      if (!raw.ok()) return raw.error();
      for (auto& op : parse_unprocessed_items(raw.value())) unprocessed.push_back(std::move(op));
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
