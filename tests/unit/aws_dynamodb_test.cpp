// DynamoDB wire form (service model DynamoDB_20120810): AttributeValue JSON both
// ways with exact numbers and binary, placeholder expressions, request bodies and
// response parsing, without any I/O. Includes only the codec (no client), so that header and
// the two below it compile on their own.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "common/aws/dynamodb_codec.hpp"

namespace {

using namespace common::aws;
using json = nlohmann::json;

TEST(AwsDynamoDb, EveryAttributeTypeRoundTripsThroughTheWireForm) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const AttributeMap item = {
      {"s", AttributeValue::S("\u00e9\"\\\n")},
      {"n", AttributeValue::N("-12345678901234567890123456789012345678E-20")},
      {"b", AttributeValue::B(bytes)},
      {"t", AttributeValue::Bool(true)},
      {"z", AttributeValue::Null()},
      {"m", AttributeValue::M({{"in", AttributeValue::L({AttributeValue::N(1), AttributeValue::S("")})}})},
      {"ss", AttributeValue::SS({"a", "b"})},
      {"ns", AttributeValue::NS({"1", "2.5"})},
      {"bs", AttributeValue::BS({std::string("\0", 1), "xy"})}};
  const std::string text = to_json(item);
  const json wire = json::parse(text);
  EXPECT_EQ(wire["n"]["N"], "-12345678901234567890123456789012345678E-20");  // a string, exact
  EXPECT_EQ(wire["b"]["B"].get<std::string>().size(), 344u);  // base64 of 256 bytes
  EXPECT_EQ(wire["z"]["NULL"], true);
  EXPECT_EQ(parse_item_json(text), item);
}

TEST(AwsDynamoDb, SetsCompareWithoutOrderOtherTypesStrictly) {
  EXPECT_EQ(AttributeValue::SS({"a", "b"}), AttributeValue::SS({"b", "a"}));
  EXPECT_NE(AttributeValue::SS({"a", "b"}), AttributeValue::SS({"a", "a"}));
  EXPECT_NE(AttributeValue::NS({"1"}), AttributeValue::SS({"1"}));
  EXPECT_NE(AttributeValue::L({AttributeValue::S("a"), AttributeValue::S("b")}),
            AttributeValue::L({AttributeValue::S("b"), AttributeValue::S("a")}));
  EXPECT_EQ(AttributeValue::N("12345678901234567890123456789012345678").as_int(), std::nullopt);
  EXPECT_EQ(AttributeValue::N("-42").as_int(), -42);
}

TEST(AwsDynamoDb, MalformedItemsAreRefusedNamingTheField) {
  try {
    parse_item_json(R"({"a":{"M":{"b":{"X":"1"}}}})");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("a.b"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_item_json(R"({"a":{"B":"not base64!"}})"), std::runtime_error);
}

TEST(AwsDynamoDb, ExpressionsUsePlaceholdersForEveryNameAndValue) {
  UpdateItemRequest update;
  update.table_name = "t";
  update.key = {{"pk", AttributeValue::S("k")}};
  auto& e = update.expression;
  // Placeholders are taken one statement at a time: the operands of '+' have no set order.
  const std::string status = e.name("status");
  const std::string x = e.value(AttributeValue::S("x"));
  const std::string count = e.name("count");
  const std::string one = e.value(AttributeValue::N(1));
  update.update_expression = "SET " + status + " = " + x + " ADD " + count + " " + one;
  update.condition_expression = e.name("status") + " <> " + e.value(AttributeValue::S("y"));
  update.return_values = ReturnValues::kAllNew;
  update.return_values_on_condition_check_failure = ReturnValues::kAllOld;
  const json body = json::parse(request_json(update));
  EXPECT_EQ(body["UpdateExpression"], "SET #n0 = :v0 ADD #n1 :v1");
  EXPECT_EQ(body["ConditionExpression"], "#n0 <> :v2");  // the same name, the same placeholder
  EXPECT_EQ(body["ExpressionAttributeNames"], (json{{"#n0", "status"}, {"#n1", "count"}}));
  EXPECT_EQ(body["ExpressionAttributeValues"][":v1"], (json{{"N", "1"}}));
  EXPECT_EQ(body["ExpressionAttributeValues"][":v2"], (json{{"S", "y"}}));
  EXPECT_EQ(body["ReturnValues"], "ALL_NEW");
  EXPECT_EQ(body["ReturnValuesOnConditionCheckFailure"], "ALL_OLD");
  EXPECT_EQ(body["Key"], (json{{"pk", {{"S", "k"}}}}));
}

TEST(AwsDynamoDb, QueryBodyCarriesPagingIndexFilterAndLimit) {
  QueryRequest q;
  q.table_name = "t";
  q.index_name = "by-x";
  q.key_condition_expression = q.expression.name("x") + " = " + q.expression.value(AttributeValue::S("1"));
  q.filter_expression = "attribute_exists(" + q.expression.name("y") + ")";
  q.limit = 10;
  q.scan_index_forward = false;
  q.exclusive_start_key = {{"x", AttributeValue::S("1")}, {"k", AttributeValue::N(5)}};
  const json body = json::parse(request_json(q));
  EXPECT_EQ(body["IndexName"], "by-x");
  EXPECT_EQ(body["Limit"], 10);
  EXPECT_EQ(body["ScanIndexForward"], false);
  EXPECT_EQ(body["FilterExpression"], "attribute_exists(#n1)");
  EXPECT_EQ(body["ExclusiveStartKey"]["k"], (json{{"N", "5"}}));
  EXPECT_FALSE(body.contains("ConsistentRead"));
}

TEST(AwsDynamoDb, QueryResponsesParseItemsCountsAndTheNextKey) {
  const auto page = parse_query_response(
      R"({"Count":2,"ScannedCount":3,"Items":[{"a":{"N":"1"}},{"a":{"N":"2"}}],"LastEvaluatedKey":{"a":{"N":"2"}}})");
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(get_int(page.items[1], "a"), 2);
  EXPECT_EQ(page.count, 2);
  EXPECT_EQ(page.scanned_count, 3);
  EXPECT_EQ(page.last_evaluated_key, (AttributeMap{{"a", AttributeValue::N("2")}}));
  EXPECT_TRUE(parse_query_response(R"({"Count":0,"Items":[]})").last_evaluated_key.empty());
  EXPECT_EQ(parse_get_item_response("{}"), std::nullopt);
}

TEST(AwsDynamoDb, BatchWriteBodiesAndUnprocessedItemsMirrorEachOther) {
  const std::vector<BatchWriteOperation> ops = {
      BatchWriteOperation::put("a", {{"k", AttributeValue::S("1")}}),
      BatchWriteOperation::remove("b", {{"k", AttributeValue::S("2")}}),
      BatchWriteOperation::put("a", {{"k", AttributeValue::S("3")}})};
  const json body = json::parse(batch_write_request_json(ops));
  ASSERT_EQ(body["RequestItems"]["a"].size(), 2u);
  EXPECT_EQ(body["RequestItems"]["b"][0]["DeleteRequest"]["Key"]["k"]["S"], "2");
  // A response that leaves everything unprocessed gives back the same operations.
  const json response = {{"UnprocessedItems", body["RequestItems"]}};
  const auto unprocessed = parse_unprocessed_items(response.dump());
  ASSERT_EQ(unprocessed.size(), 3u);
  EXPECT_EQ(unprocessed[0].table_name, "a");
  EXPECT_FALSE(unprocessed[0].is_delete);
  EXPECT_EQ(unprocessed[2].table_name, "b");
  EXPECT_TRUE(unprocessed[2].is_delete);
  EXPECT_EQ(unprocessed[2].item, ops[1].item);
}

TEST(AwsDynamoDb, TransactionCancellationReasonsAreReadInOrder) {
  const auto result = parse_transaction_canceled(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled",)"
      R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"v":{"N":"3"}}},{"Code":"None"}]})");
  EXPECT_TRUE(result.canceled);
  ASSERT_EQ(result.reasons.size(), 3u);
  EXPECT_EQ(result.reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(get_int(result.reasons[1].item, "v"), 3);
  EXPECT_TRUE(result.condition_failed());
  EXPECT_FALSE(result.retryable());
  const auto conflict = parse_transaction_canceled(
      R"({"CancellationReasons":[{"Code":"TransactionConflict"},{"Code":"None"}]})");
  EXPECT_TRUE(conflict.retryable());
}

TEST(AwsDynamoDb, TransactWriteBodyHasOneMemberPerAction) {
  TransactWriteRequest request;
  request.items.push_back(TransactWriteItem::put("t", {{"k", AttributeValue::S("1")}}));
  auto update = TransactWriteItem::update("t", {{"k", AttributeValue::S("2")}}, "");
  update.update_expression = "SET " + update.expression.name("v") + " = " +
                             update.expression.value(AttributeValue::N(1));
  request.items.push_back(update);
  request.items.push_back(TransactWriteItem::remove("u", {{"k", AttributeValue::S("3")}}));
  const json body = json::parse(request_json(request));
  ASSERT_EQ(body["TransactItems"].size(), 3u);
  EXPECT_TRUE(body["TransactItems"][0].contains("Put"));
  EXPECT_EQ(body["TransactItems"][1]["Update"]["UpdateExpression"], "SET #n0 = :v0");
  EXPECT_EQ(body["TransactItems"][2]["Delete"]["TableName"], "u");
  EXPECT_FALSE(body.contains("ClientRequestToken"));
}

// Issue 10, fuzzing finding 5: a missing comma before `Item` made the lookup fail, and the
// failure was read as "no item". Malformed JSON is the documented error of every parser.
TEST(AwsDynamoDb, Finding5_GetItemMalformedJsonIsAnErrorNotNoItem) {
  EXPECT_THROW(parse_get_item_response(R"({"x":1 "Item":{"a":{"S":"b"}}})"), std::runtime_error);
}

// The same audit over every response parser: malformed anywhere (also in members we do not
// use, and after the root value) throws std::runtime_error instead of answering in part.
TEST(AwsDynamoDb, Finding5_EveryParserRefusesMalformedJsonAnywhere) {
  const std::string item = R"({"a":{"S":"b"}})";
  const std::vector<std::string> malformed_get = {
      R"({"x":1 "Item":)" + item + "}",
      R"({"x":[1 2],"Item":)" + item + "}",
      R"({"Item":)" + item + R"(,"ConsumedCapacity":{"TableName":"t",}})",
      R"({"Item":)" + item + "}}",
      R"({"Item":)" + item + "} x",
      R"({"Item":{"a":{"S":"b","junk":[1 2]}}})",
      R"({"Item":{"a":{"S":"b","N":"1"}}})",             // two types in one AttributeValue
      R"({"Item":{"a":{"S":"b"},"a":{"S":"c"}}})",       // one attribute twice
      R"({"Item":{"a":{"NULL":nul}}})",
      R"({"Item":{"a":{"S":"\u12"}}})",
      R"({"Item":)" + item + R"(,"Item":)" + item + "}",  // the member itself twice
  };
  for (const auto& text : malformed_get) {
    EXPECT_THROW(parse_get_item_response(text), std::runtime_error) << text;
  }
  for (const std::string text :
       {R"({"a":{"S":"b","junk":[1 2]}})", R"({"a":{"S":"b","N":"1"}})",
        R"({"a":{"S":"b"},"a":{"S":"c"}})", R"({"a":{"NULL":nul}})", R"({"a":{"S":"b"}}})"}) {
    EXPECT_THROW(parse_item_json(text), std::runtime_error) << text;
  }
  for (const std::string text :
       {R"({"x":1 "Attributes":{"a":{"S":"b"}}})", R"({"Attributes":{"a":{"S":"b"}},"x":tru})"}) {
    EXPECT_THROW(parse_write_response(text), std::runtime_error) << text;
  }
  for (const std::string text :
       {R"({"Items":[],"Count":0 "ScannedCount":0})", R"({"Items":[],"Count":0,"x":[1,]})",
        R"({"Items":[],"Count":0}])"}) {
    EXPECT_THROW(parse_query_response(text), std::runtime_error) << text;
  }
  // A malformed cancellation or batch answer must not read as "no reasons" / "all written".
  for (const std::string text :
       {R"({"x":1 "CancellationReasons":[{"Code":"ConditionalCheckFailed"}]})",
        R"({"CancellationReasons":[{"Code":"None","x":[1 2]}]})"}) {
    EXPECT_THROW(parse_transaction_canceled(text), std::runtime_error) << text;
  }
  for (const std::string text :
       {R"({"x":1 "UnprocessedItems":{"t":[{"PutRequest":{"Item":{"k":{"S":"1"}}}}]}})",
        R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"k":{"S":"1"}},"x":[1 2]}}]}})"}) {
    EXPECT_THROW(parse_unprocessed_items(text), std::runtime_error) << text;
  }
}

// Nesting is bounded (DynamoDB itself nests at most 32 levels): a deep answer is an error, not
// a stack overflow or, in a debug build, simdjson's depth assertion.
TEST(AwsDynamoDb, Finding5_DeeplyNestedAnswersAreRefused) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += R"({"L":[)";
  deep += R"({"NULL":true})";
  for (int i = 0; i < 100000; ++i) deep += "]}";
  EXPECT_THROW(parse_get_item_response(R"({"Item":{"a":)" + deep + "}}"), std::runtime_error);
  const std::string brackets(100000, '[');
  EXPECT_THROW(parse_query_response(R"({"x":)" + brackets), std::runtime_error);
  // 32 levels of lists, as DynamoDB allows, still parse.
  std::string allowed;
  for (int i = 0; i < 32; ++i) allowed += R"({"L":[)";
  allowed += R"({"S":"x"})";
  for (int i = 0; i < 32; ++i) allowed += "]}";
  EXPECT_TRUE(parse_get_item_response(R"({"Item":{"a":)" + allowed + "}}").has_value());
}

// Members we do not use are read through, not trusted blindly, and well-formed ones are fine.
TEST(AwsDynamoDb, UnusedMembersOfEveryTypeAreAccepted) {
  const auto item = parse_get_item_response(
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5,"x":[null,true,false,"s",-1e3,{}]},)"
      R"("Item":{"a":{"S":"b"}}})");
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(get_s(*item, "a"), "b");
}

// A failed condition with ReturnValuesOnConditionCheckFailure = ALL_OLD carries the item.
TEST(AwsDynamoDb, ConditionFailedBodiesGiveTheItemAsItStood) {
  const auto with_item = parse_condition_failed(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
      R"("message":"The conditional request failed","Item":{"v":{"N":"7"}}})");
  EXPECT_TRUE(with_item.condition_failed);
  EXPECT_EQ(get_int(with_item.condition_failed_item, "v"), 7);
  EXPECT_TRUE(with_item.attributes.empty());
  EXPECT_TRUE(parse_condition_failed("").condition_failed);
  EXPECT_TRUE(parse_condition_failed(R"({"message":"m"})").condition_failed_item.empty());
  EXPECT_THROW(parse_condition_failed(R"({"Item":{"v":{"N":"7"}})"), std::runtime_error);
}

// One parser for every answer of a client (issue 11, item 5): the results are those of a fresh
// parser for each answer, in any order of sizes, also after an answer that was refused.
TEST(AwsDynamoDb, OneParserReadsManyAnswersAsFreshParsersDo) {
  std::string big_page = R"({"Count":300,"ScannedCount":300,"Items":[)";
  for (int i = 0; i < 300; ++i) {
    if (i > 0) big_page += ",";
    big_page += to_json({{"pk", AttributeValue::S("+1206555" + std::to_string(1000 + i))},
                         {"n", AttributeValue::N(i)},
                         {"tags", AttributeValue::SS({"a", "b"})}});
  }
  big_page += R"(],"LastEvaluatedKey":{"pk":{"S":"+12065551299"}}})";
  const std::vector<std::string> pages = {
      big_page, R"({"Count":0,"Items":[]})", R"({"Count":0 "Items":[]})",  // the last one: refused
      R"({"Count":1,"ScannedCount":1,"Items":[{"a":{"B":"AAEC"}}]})", big_page};
  const std::vector<std::string> items = {R"({"Item":{"a":{"S":"x"}}})", "{}",
                                          R"({"Item":{"a":{"S":"x"})"};  // truncated: refused

  common::aws::JsonParser parser;
  for (int round = 0; round < 50; ++round) {
    for (const auto& text : pages) {
      std::optional<QueryResult> fresh, reused;
      try {
        fresh = parse_query_response(text);
      } catch (const std::runtime_error&) {
      }
      try {
        reused = parse_query_response(parser, text);
      } catch (const std::runtime_error&) {
      }
      ASSERT_EQ(fresh.has_value(), reused.has_value()) << text.substr(0, 80);
      if (!fresh) continue;
      EXPECT_EQ(reused->items, fresh->items);
      EXPECT_EQ(reused->last_evaluated_key, fresh->last_evaluated_key);
      EXPECT_EQ(reused->count, fresh->count);
    }
    for (const auto& text : items) {
      std::optional<std::optional<AttributeMap>> fresh, reused;
      try {
        fresh = parse_get_item_response(text);
      } catch (const std::runtime_error&) {
      }
      try {
        reused = parse_get_item_response(parser, text);
      } catch (const std::runtime_error&) {
      }
      ASSERT_EQ(fresh.has_value(), reused.has_value()) << text;
      if (fresh) {
        EXPECT_EQ(*reused, *fresh) << text;
      }
    }
  }
  EXPECT_EQ(parser.texts_read(), 50u * (pages.size() + items.size()));
  // The buffers grew once, for the big page, and were kept.
  EXPECT_GE(parser.capacity(), big_page.size());
}

// The reused buffer holds an earlier, longer answer past the end of a shorter one: a truncated
// answer must still be refused, never completed from those bytes. Every prefix of an answer is
// read after the whole answer, and must give what a fresh parser gives.
TEST(AwsDynamoDb, AShortAnswerAfterALongOneReadsNothingOfTheLongOne) {
  const std::string whole =
      R"({"Item":{"pk":{"S":"+12065550100"},"v":{"N":"12"},"l":{"L":[{"BOOL":true},{"NULL":true}]}}})";
  common::aws::JsonParser parser;
  for (std::size_t length = 0; length < whole.size(); ++length) {
    (void)parse_get_item_response(parser, whole);
    const std::string prefix = whole.substr(0, length);
    EXPECT_THROW(parse_get_item_response(parser, prefix), std::runtime_error) << prefix;
  }
  EXPECT_EQ(get_int(*parse_get_item_response(parser, whole), "v"), 12);
}

// Every parser has both forms, and they agree (error bodies included).
TEST(AwsDynamoDb, EveryParserTakesTheCallersParser) {
  common::aws::JsonParser parser;
  EXPECT_EQ(parse_item_json(parser, R"({"a":{"N":"1"}})"), parse_item_json(R"({"a":{"N":"1"}})"));
  EXPECT_EQ(parse_write_response(parser, R"({"Attributes":{"a":{"N":"1"}}})").attributes,
            (AttributeMap{{"a", AttributeValue::N("1")}}));
  EXPECT_EQ(parse_transaction_canceled(parser, R"({"CancellationReasons":[{"Code":"None"}]})")
                .reasons.size(),
            1u);
  EXPECT_EQ(parse_unprocessed_items(
                parser, R"({"UnprocessedItems":{"t":[{"DeleteRequest":{"Key":{"k":{"S":"1"}}}}]}})")
                .size(),
            1u);
  EXPECT_EQ(parse_condition_failed(parser, R"({"Item":{"a":{"N":"1"}}})").condition_failed_item,
            (AttributeMap{{"a", AttributeValue::N("1")}}));
  EXPECT_EQ(parser.texts_read(), 5u);
}

}  // namespace
