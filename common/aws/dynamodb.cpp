#include "common/aws/dynamodb.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/aws/json_read.hpp"

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

using simdjson::simdjson_error;
using simdjson::ondemand::array;
using simdjson::ondemand::document;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// The readers below take the JSON nesting depth of the value they read (1 = the root), check
// every simdjson error before the next step, and throw either simdjson_error (malformed JSON)
// or std::runtime_error naming the field (well-formed, but not what DynamoDB sends).

[[noreturn]] void wrong_type(const std::string& field, const char* expected) {
  throw std::runtime_error(field + " is not " + expected);
}

object object_of(value v, const std::string& field) {
  object o;
  const auto error = v.get_object().get(o);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "an object");
  if (error) throw simdjson_error(error);
  return o;
}

array array_of(value v, const std::string& field) {
  array a;
  const auto error = v.get_array().get(a);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "an array");
  if (error) throw simdjson_error(error);
  return a;
}

std::string string_of(value v, const std::string& field) {
  std::string_view s;
  const auto error = v.get_string().get(s);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "a string");
  if (error) throw simdjson_error(error);
  return std::string(s);
}

bool bool_of(value v, const std::string& field) {
  bool b = false;
  const auto error = v.get_bool().get(b);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "a boolean");
  if (error) throw simdjson_error(error);
  return b;
}

using json_read::SeenMembers;

AttributeValue parse_value(value v, const std::string& field, int depth);

// An item or key: `o` sits at `depth`, its attribute values one level down.
AttributeMap parse_map(object o, const std::string& field, int depth) {
  AttributeMap out;
  for (auto member : o) {
    std::string name(std::string_view(member.unescaped_key()));
    const std::string path = field + "." + name;
    AttributeValue parsed = parse_value(member.value(), path, depth + 1);
    if (!out.emplace(std::move(name), std::move(parsed)).second) {
      throw std::runtime_error("attribute " + path + " appears twice");
    }
  }
  return out;
}

std::vector<std::string> parse_strings(value v, const std::string& field) {
  std::vector<std::string> out;
  for (auto item : array_of(v, "set " + field)) {
    std::string_view s;
    const auto error = item.get_string().get(s);
    if (error == simdjson::INCORRECT_TYPE)
      throw std::runtime_error("expected a string in set " + field);
    if (error) throw simdjson_error(error);
    out.emplace_back(s);
  }
  return out;
}

// The value of one type tag ("S", "M", ...) at `depth`.
AttributeValue parse_typed(std::string_view tag, value inner, const std::string& field, int depth) {
  if (tag == "S") return AttributeValue::S(string_of(inner, field + ".S"));
  if (tag == "N") return AttributeValue::N(string_of(inner, field + ".N"));
  if (tag == "B") return AttributeValue::B(base64_decode(string_of(inner, field + ".B"), field));
  if (tag == "BOOL") return AttributeValue::Bool(bool_of(inner, field + ".BOOL"));
  if (tag == "NULL") {
    if (!bool_of(inner, field + ".NULL")) throw std::runtime_error(field + ".NULL is not true");
    return AttributeValue::Null();
  }
  if (tag == "M") return AttributeValue::M(parse_map(object_of(inner, field + ".M"), field, depth));
  if (tag == "L") {
    std::vector<AttributeValue> list;
    size_t i = 0;
    for (auto item : array_of(inner, field + ".L")) {
      list.push_back(parse_value(item.value(), field + "[" + std::to_string(i++) + "]", depth + 1));
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

// One AttributeValue: an object with exactly one type tag.
AttributeValue parse_value(value v, const std::string& field, int depth) {
  json_read::check_depth(depth + 1);
  object o;
  const auto error = v.get_object().get(o);
  if (error == simdjson::INCORRECT_TYPE) {
    throw std::runtime_error("attribute " + field + " is not an AttributeValue object");
  }
  if (error) throw simdjson_error(error);
  std::optional<AttributeValue> out;
  for (auto member : o) {
    const std::string_view tag = member.unescaped_key();
    if (out) throw std::runtime_error("attribute " + field + " has more than one type");
    out = parse_typed(tag, member.value(), field, depth + 1);
  }
  if (!out) throw std::runtime_error("attribute " + field + " is an empty object");
  return std::move(*out);
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

// Parses one member (`Item` or `Attributes`) of a response, absent -> nullopt. The other
// members are read through (so malformed JSON anywhere is an error) and ignored.
std::optional<AttributeMap> parse_member(std::string_view response, std::string_view member) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(response);
  const std::string name(member);
  std::optional<AttributeMap> out;
  try {
    document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key != member) {
        json_read::skip_value(field.value(), 2);
        continue;
      }
      if (out) throw std::runtime_error(name + " appears twice");
      out = parse_map(object_of(field.value(), name), name, 2);
    }
    json_read::expect_end(doc);
  } catch (const simdjson_error& e) {
    throw std::runtime_error("malformed DynamoDB response (" + name + "): " + e.what());
  }
  return out;
}

// Runs `parse` on an answer's body; the parsers' documented std::runtime_error (malformed or
// unexpected JSON) becomes the typed MalformedResponse error instead of an exception.
template <class Parse>
auto read_answer(std::string_view operation, long http_status, const std::string& body, Parse parse)
    -> Outcome<decltype(parse(body))> {
  try {
    return parse(body);
  } catch (const std::runtime_error& e) {
    return malformed_response_error(kDynamoDb.signing_name, operation, http_status, e.what(), body);
  }
}

Outcome<WriteResult> write_outcome(std::string_view operation, Outcome<std::string> raw) {
  if (!raw.ok()) {
    const AwsError& error = raw.error();
    if (error.code != "ConditionalCheckFailedException") return error;
    // With ReturnValuesOnConditionCheckFailure = ALL_OLD the body carries `Item`.
    return read_answer(operation, error.http_status, error.body, [](const std::string& body) {
      WriteResult result;
      result.condition_failed = true;
      if (!body.empty()) {
        if (auto item = parse_member(body, "Item")) result.condition_failed_item = std::move(*item);
      }
      return result;
    });
  }
  return read_answer(operation, 200, raw.value(), parse_write_response);
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
    document doc = parser.iterate(padded);
    AttributeMap item = parse_map(object_of(doc.get_value(), "item"), "item", 1);
    json_read::expect_end(doc);
    return item;
  } catch (const simdjson_error& e) {
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
    document doc = parser.iterate(padded);
    SeenMembers seen;
    for (auto member : doc.get_object()) {
      const std::string_view key = member.unescaped_key();
      if (key == "Items") {
        seen.mark(key, "Items");
        size_t i = 0;
        for (auto item : array_of(member.value(), "Items")) {
          const std::string field = "Items[" + std::to_string(i++) + "]";
          result.items.push_back(parse_map(object_of(item.value(), field), field, 3));
        }
      } else if (key == "LastEvaluatedKey") {
        seen.mark(key, "LastEvaluatedKey");
        result.last_evaluated_key =
            parse_map(object_of(member.value(), "LastEvaluatedKey"), "LastEvaluatedKey", 2);
      } else if (key == "Count") {
        seen.mark(key, "Count");
        result.count = member.value().get_int64();
      } else if (key == "ScannedCount") {
        seen.mark(key, "ScannedCount");
        result.scanned_count = member.value().get_int64();
      } else {
        json_read::skip_value(member.value(), 2);
      }
    }
    json_read::expect_end(doc);
  } catch (const simdjson_error& e) {
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
    document doc = parser.iterate(padded);
    SeenMembers seen;
    for (auto member : doc.get_object()) {
      const std::string_view key = member.unescaped_key();
      if (key != "CancellationReasons") {
        json_read::skip_value(member.value(), 2);
        continue;
      }
      seen.mark(key, "CancellationReasons");
      size_t i = 0;
      for (auto entry : array_of(member.value(), "CancellationReasons")) {
        const std::string field = "CancellationReasons[" + std::to_string(i++) + "]";
        CancellationReason reason;
        SeenMembers seen_in_reason;
        for (auto part : object_of(entry.value(), field)) {
          const std::string_view name = part.unescaped_key();
          if (name == "Code") {
            seen_in_reason.mark(name, field + ".Code");
            reason.code = string_of(part.value(), field + ".Code");
          } else if (name == "Message") {
            seen_in_reason.mark(name, field + ".Message");
            reason.message = string_of(part.value(), field + ".Message");
          } else if (name == "Item") {
            seen_in_reason.mark(name, field + ".Item");
            reason.item = parse_map(object_of(part.value(), field + ".Item"), field + ".Item", 4);
          } else {
            json_read::skip_value(part.value(), 4);
          }
        }
        result.reasons.push_back(std::move(reason));
      }
    }
    json_read::expect_end(doc);
  } catch (const simdjson_error& e) {
    throw std::runtime_error(std::string("malformed TransactionCanceledException: ") + e.what());
  }
  return result;
}

std::vector<BatchWriteOperation> parse_unprocessed_items(std::string_view text) {
  std::vector<BatchWriteOperation> out;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  try {
    document doc = parser.iterate(padded);
    SeenMembers seen;
    for (auto member : doc.get_object()) {
      const std::string_view key = member.unescaped_key();
      if (key != "UnprocessedItems") {
        json_read::skip_value(member.value(), 2);
        continue;
      }
      seen.mark(key, "UnprocessedItems");
      for (auto table : object_of(member.value(), "UnprocessedItems")) {
        const std::string name(std::string_view(table.unescaped_key()));
        const std::string field = "UnprocessedItems." + name;
        for (auto request : array_of(table.value(), field)) {
          for (auto kind : object_of(request.value(), field + "[]")) {
            const std::string tag(std::string_view(kind.unescaped_key()));
            const bool is_delete = tag == "DeleteRequest";
            if (!is_delete && tag != "PutRequest") {
              throw std::runtime_error(field + " has an unknown request type '" + tag + "'");
            }
            const char* wanted = is_delete ? "Key" : "Item";
            const std::string where = tag + "." + wanted;
            std::optional<AttributeMap> map;
            for (auto part : object_of(kind.value(), tag)) {
              const std::string_view part_name = part.unescaped_key();
              if (part_name != wanted) {
                json_read::skip_value(part.value(), 6);
                continue;
              }
              if (map) throw std::runtime_error(where + " appears twice");
              map = parse_map(object_of(part.value(), where), where, 6);
            }
            if (!map) throw std::runtime_error(where + " is missing");
            out.push_back(is_delete ? BatchWriteOperation::remove(name, std::move(*map))
                                    : BatchWriteOperation::put(name, std::move(*map)));
          }
        }
      }
    }
    json_read::expect_end(doc);
  } catch (const simdjson_error& e) {
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
  return read_answer("GetItem", 200, raw.value(), parse_get_item_response);
}

Outcome<QueryResult> DynamoDbClient::query(const QueryRequest& request) {
  auto raw = client_.call("Query", request_json(request));
  if (!raw.ok()) return raw.error();
  return read_answer("Query", 200, raw.value(), parse_query_response);
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
  return write_outcome("PutItem", client_.call("PutItem", request_json(request)));
}

Outcome<WriteResult> DynamoDbClient::update_item(const UpdateItemRequest& request) {
  return write_outcome("UpdateItem", client_.call("UpdateItem", request_json(request)));
}

Outcome<WriteResult> DynamoDbClient::delete_item(const DeleteItemRequest& request) {
  return write_outcome("DeleteItem", client_.call("DeleteItem", request_json(request)));
}

Outcome<TransactWriteResult> DynamoDbClient::transact_write_items(
    const TransactWriteRequest& request) {
  auto raw = client_.call("TransactWriteItems", request_json(request));
  if (raw.ok()) return TransactWriteResult{};
  if (raw.error().code == "TransactionCanceledException") {
    return read_answer("TransactWriteItems", raw.error().http_status, raw.error().body,
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
          pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), i + kMaxPerRequest)));
      auto raw = client_.call("BatchWriteItem", batch_write_request_json(chunk));
      ++result.requests;
      if (!raw.ok()) return raw.error();
      auto left = read_answer("BatchWriteItem", 200, raw.value(), parse_unprocessed_items);
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
