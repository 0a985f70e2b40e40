#include "common/aws/dynamodb_codec.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

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
    case Type::kS:
      return {{"S", *v.scalar()}};
    case Type::kN:
      return {{"N", *v.scalar()}};
    case Type::kB:
      return {{"B", base64_encode(*v.scalar())}};
    case Type::kBool:
      return {{"BOOL", *v.as_bool()}};
    case Type::kNull:
      return {{"NULL", true}};
    case Type::kM:
      return {{"M", map_to_json(*v.as_map())}};
    case Type::kL: {
      json list = json::array();
      for (const auto& item : *v.as_list()) list.push_back(value_to_json(item));
      return {{"L", list}};
    }
    case Type::kSS:
      return {{"SS", *v.as_set()}};
    case Type::kNS:
      return {{"NS", *v.as_set()}};
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

using json_read::array_of;
using json_read::bool_of;
using json_read::object_of;
using json_read::SeenMembers;
using json_read::string_of;

// The readers below take the JSON nesting depth of the value they read (1 = the root), check
// every simdjson error before the next step, and throw either simdjson_error (malformed JSON)
// or std::runtime_error naming the field (well-formed, but not what DynamoDB sends).

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
    case ReturnValues::kNone:
      return "NONE";
    case ReturnValues::kAllOld:
      return "ALL_OLD";
    case ReturnValues::kUpdatedOld:
      return "UPDATED_OLD";
    case ReturnValues::kAllNew:
      return "ALL_NEW";
    case ReturnValues::kUpdatedNew:
      return "UPDATED_NEW";
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
std::optional<AttributeMap> parse_member(JsonParser& parser, std::string_view response,
                                         std::string_view member) {
  const std::string name(member);
  std::optional<AttributeMap> out;
  try {
    document doc = json_read::iterate(parser, response);
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

void add_condition(json& body, const std::string& condition, ReturnValues on_failure) {
  if (!condition.empty()) body["ConditionExpression"] = condition;
  if (on_failure != ReturnValues::kNone) {
    body["ReturnValuesOnConditionCheckFailure"] = return_values_name(on_failure);
  }
}

// What PutItem, UpdateItem and DeleteItem share: the condition, the placeholders, ReturnValues.
template <class WriteRequest>
void add_write_members(json& body, const WriteRequest& request) {
  add_condition(body, request.condition_expression,
                request.return_values_on_condition_check_failure);
  add_expression(body, request.expression);
  if (request.return_values != ReturnValues::kNone) {
    body["ReturnValues"] = return_values_name(request.return_values);
  }
}

json transact_item_json(const TransactWriteItem& t) {
  json inner = {{"TableName", t.table_name}};
  switch (t.kind) {
    case TransactWriteItem::Kind::kPut:
      inner["Item"] = map_to_json(t.item);
      break;
    case TransactWriteItem::Kind::kUpdate:
      inner["Key"] = map_to_json(t.key);
      inner["UpdateExpression"] = t.update_expression;
      break;
    case TransactWriteItem::Kind::kDelete:
    case TransactWriteItem::Kind::kConditionCheck:
      inner["Key"] = map_to_json(t.key);
      break;
  }
  add_condition(inner, t.condition_expression, t.return_values_on_condition_check_failure);
  add_expression(inner, t.expression);
  switch (t.kind) {
    case TransactWriteItem::Kind::kPut:
      return {{"Put", inner}};
    case TransactWriteItem::Kind::kUpdate:
      return {{"Update", inner}};
    case TransactWriteItem::Kind::kDelete:
      return {{"Delete", inner}};
    case TransactWriteItem::Kind::kConditionCheck:
      return {{"ConditionCheck", inner}};
  }
  return nullptr;
}

}  // namespace

std::string to_json(const AttributeMap& item) {
  return map_to_json(item).dump();
}

AttributeMap parse_item_json(std::string_view text) {
  JsonParser parser;
  return parse_item_json(parser, text);
}

AttributeMap parse_item_json(JsonParser& parser, std::string_view text) {
  try {
    document doc = json_read::iterate(parser, text);
    AttributeMap item = parse_map(object_of(doc.get_value(), "item"), "item", 1);
    json_read::expect_end(doc);
    return item;
  } catch (const simdjson_error& e) {
    throw std::runtime_error(std::string("malformed item JSON: ") + e.what());
  }
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
  add_write_members(body, request);
  return body.dump();
}

std::string request_json(const UpdateItemRequest& request) {
  json body = {{"TableName", request.table_name},
               {"Key", map_to_json(request.key)},
               {"UpdateExpression", request.update_expression}};
  add_write_members(body, request);
  return body.dump();
}

std::string request_json(const DeleteItemRequest& request) {
  json body = {{"TableName", request.table_name}, {"Key", map_to_json(request.key)}};
  add_write_members(body, request);
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

// ---- Answers ----

std::optional<AttributeMap> parse_get_item_response(std::string_view text) {
  JsonParser parser;
  return parse_get_item_response(parser, text);
}

std::optional<AttributeMap> parse_get_item_response(JsonParser& parser, std::string_view text) {
  return parse_member(parser, text, "Item");
}

WriteResult parse_write_response(std::string_view text) {
  JsonParser parser;
  return parse_write_response(parser, text);
}

WriteResult parse_write_response(JsonParser& parser, std::string_view text) {
  WriteResult result;
  if (auto attributes = parse_member(parser, text, "Attributes")) {
    result.attributes = std::move(*attributes);
  }
  return result;
}

WriteResult parse_condition_failed(std::string_view error_body) {
  JsonParser parser;
  return parse_condition_failed(parser, error_body);
}

WriteResult parse_condition_failed(JsonParser& parser, std::string_view error_body) {
  WriteResult result;
  result.condition_failed = true;
  if (!error_body.empty()) {
    if (auto item = parse_member(parser, error_body, "Item")) {
      result.condition_failed_item = std::move(*item);
    }
  }
  return result;
}

QueryResult parse_query_response(std::string_view text) {
  JsonParser parser;
  return parse_query_response(parser, text);
}

QueryResult parse_query_response(JsonParser& parser, std::string_view text) {
  QueryResult result;
  try {
    document doc = json_read::iterate(parser, text);
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
  JsonParser parser;
  return parse_transaction_canceled(parser, error_body);
}

TransactWriteResult parse_transaction_canceled(JsonParser& parser, std::string_view error_body) {
  TransactWriteResult result;
  result.canceled = true;
  try {
    document doc = json_read::iterate(parser, error_body);
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
  JsonParser parser;
  return parse_unprocessed_items(parser, text);
}

std::vector<BatchWriteOperation> parse_unprocessed_items(JsonParser& parser,
                                                         std::string_view text) {
  std::vector<BatchWriteOperation> out;
  try {
    document doc = json_read::iterate(parser, text);
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

}  // namespace common::aws
