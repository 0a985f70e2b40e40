// The AWS client layer against the local stack and the AWS SDK for JavaScript v3:
// every DynamoDB operation on dynalite (pagination past 1 MB, a 100-item
// BatchWriteItem), items exchanged both ways with @aws-sdk/client-dynamodb,
// SigV4 signatures compared with @smithy/signature-v4 on random requests, and
// DescribeOptedOutNumbers / DryRun on the End User Messaging SMS stand-in.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "common/aws/dynamodb.hpp"
#include "common/aws/sigv4.hpp"
#include "common/aws/sms_voice.hpp"
#include "tests/integration/test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::DynamoDbClient;
using common::aws::Environment;
using common::aws::ReturnValues;
using json = nlohmann::json;
namespace fs = std::filesystem;
using test_support::read_env_file;
using test_support::shell_quote;

// Runs a command; its stdout, and the wait status in `status`.
inline std::string run(const std::string& command, int& status) {
  return test_support::run_command(command, status);
}




std::string node_script(const std::string& name) {
  return std::string(SMSC_TEST_NODE_DIR) + "/" + name;
}

std::string random_suffix() {
  static std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000);
}

class AwsStack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = read_env_file(std::string(SMSC_STACK_DIR) + "/env");
    ASSERT_FALSE(env_.empty()) << "local stack env file missing: is the local_stack fixture up?";
    db_ = new DynamoDbClient(common::aws::client_config_from_environment(
        common::aws::kDynamoDb, Environment::from_map(env_)));
    table_ = std::string("aws-client-test-") + random_suffix();
    const json create = {
        {"TableName", table_},
        {"AttributeDefinitions",
         {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
          {{"AttributeName", "sk"}, {"AttributeType", "N"}},
          {{"AttributeName", "grp"}, {"AttributeType", "S"}}}},
        {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                       {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
        {"GlobalSecondaryIndexes",
         {{{"IndexName", "by-group"},
           {"KeySchema", {{{"AttributeName", "grp"}, {"KeyType", "HASH"}},
                          {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
           {"Projection", {{"ProjectionType", "ALL"}}}}}},
        {"BillingMode", "PAY_PER_REQUEST"}};
    auto created = db_->transport().call("CreateTable", create.dump());
    ASSERT_TRUE(created.ok()) << created.error().describe();
    for (int i = 0; i < 100; ++i) {
      auto described = db_->transport().call("DescribeTable", json{{"TableName", table_}}.dump());
      ASSERT_TRUE(described.ok()) << described.error().describe();
      if (json::parse(described.value())["Table"]["TableStatus"] == "ACTIVE") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "table never became ACTIVE";
  }
  static void TearDownTestSuite() {
    if (db_ != nullptr) (void)db_->transport().call("DeleteTable", json{{"TableName", table_}}.dump());
    delete db_;
    db_ = nullptr;
  }

  static AttributeMap key(const std::string& pk, std::int64_t sk) {
    return {{"pk", AttributeValue::S(pk)}, {"sk", AttributeValue::N(sk)}};
  }

  // Every AttributeValue type, with a 38-digit number and all 256 byte values.
  static AttributeMap every_type(const std::string& pk) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    AttributeMap nested = {{"deep", AttributeValue::L({AttributeValue::N("-1"), AttributeValue::Null(),
                                                       AttributeValue::B(std::string("\0\1", 2))})}};
    return {{"pk", AttributeValue::S(pk)},
            {"sk", AttributeValue::N("1")},
            {"s", AttributeValue::S("h\u00e9llo \"w\u00f6rld\" \\ \U0001F600 \t\n")},
            {"n38", AttributeValue::N("12345678901234567890123456789012345678")},
            {"nneg", AttributeValue::N("-98765432109876543210.123456789012345678")},
            {"nsmall", AttributeValue::N("0.000000000000000000000000000000000000001")},
            {"b", AttributeValue::B(bytes)},
            {"bool", AttributeValue::Bool(true)},
            {"null", AttributeValue::Null()},
            {"m", AttributeValue::M(nested)},
            {"l", AttributeValue::L({AttributeValue::S("x"), AttributeValue::Bool(false),
                                     AttributeValue::M({})})},
            {"ss", AttributeValue::SS({"a", "b", "\u00e7"})},
            {"ns", AttributeValue::NS({"1", "99999999999999999999999999999999999999", "-3.5"})},
            {"bs", AttributeValue::BS({std::string("\xff\x00", 2), "plain"})}};
  }

  static std::map<std::string, std::string> env_;
  static DynamoDbClient* db_;
  static std::string table_;
};

std::map<std::string, std::string> AwsStack::env_;
DynamoDbClient* AwsStack::db_ = nullptr;
std::string AwsStack::table_;

TEST_F(AwsStack, PutGetUpdateDeleteWithConditionsAndReturnValues) {
  common::aws::PutItemRequest put;
  put.table_name = table_;
  put.item = every_type("crud");
  put.condition_expression = "attribute_not_exists(" + put.expression.name("pk") + ")";
  auto first = db_->put_item(put);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_FALSE(first.value().condition_failed);

  auto again = db_->put_item(put);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_TRUE(again.value().condition_failed);

  auto got = db_->get_item({table_, key("crud", 1), true});
  ASSERT_TRUE(got.ok()) << got.error().describe();
  ASSERT_TRUE(got.value().has_value());
  EXPECT_EQ(*got.value(), every_type("crud"));

  // Reserved words as attribute names are harmless behind placeholders.
  common::aws::UpdateItemRequest update;
  update.table_name = table_;
  update.key = key("crud", 1);
  auto& e = update.expression;
  update.update_expression = "SET " + e.name("status") + " = " + e.value(AttributeValue::S("ok")) +
                             ", " + e.name("size") + " = " + e.value(AttributeValue::N("3")) +
                             " ADD " + e.name("count") + " " + e.value(AttributeValue::N(2));
  update.condition_expression = e.name("bool") + " = " + e.value(AttributeValue::Bool(true));
  update.return_values = ReturnValues::kUpdatedNew;
  auto updated = db_->update_item(update);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  EXPECT_FALSE(updated.value().condition_failed);
  EXPECT_EQ(updated.value().attributes,
            (AttributeMap{{"status", AttributeValue::S("ok")},
                          {"size", AttributeValue::N("3")},
                          {"count", AttributeValue::N("2")}}));

  // Projection through placeholders reads back just those attributes.
  common::aws::GetItemRequest projected{table_, key("crud", 1), true};
  projected.projection_expression =
      projected.expression.name("count") + ", " + projected.expression.name("n38");
  auto part = db_->get_item(projected);
  ASSERT_TRUE(part.ok()) << part.error().describe();
  EXPECT_EQ(*part.value(), (AttributeMap{{"count", AttributeValue::N("2")},
                                         {"n38", every_type("x").at("n38")}}));

  common::aws::DeleteItemRequest refused{table_, key("crud", 1)};
  refused.condition_expression =
      refused.expression.name("status") + " = " + refused.expression.value(AttributeValue::S("other"));
  auto kept = db_->delete_item(refused);
  ASSERT_TRUE(kept.ok()) << kept.error().describe();
  EXPECT_TRUE(kept.value().condition_failed);

  common::aws::DeleteItemRequest remove{table_, key("crud", 1)};
  remove.return_values = ReturnValues::kAllOld;
  auto removed = db_->delete_item(remove);
  ASSERT_TRUE(removed.ok()) << removed.error().describe();
  EXPECT_FALSE(removed.value().condition_failed);
  EXPECT_EQ(get_s(removed.value().attributes, "status"), "ok");
  auto gone = db_->get_item({table_, key("crud", 1), true});
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone.value().has_value());

  // A missing table is a typed, final error.
  auto missing = db_->get_item({"no-such-table-" + random_suffix(), key("x", 1), false});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "ResourceNotFoundException");
  EXPECT_FALSE(missing.error().retryable());
  EXPECT_EQ(missing.error().http_status, 400);
}

TEST_F(AwsStack, BatchWriteOf100ItemsThenQueryPagesPastOneMegabyte) {
  const std::string pk = "page-" + random_suffix();
  const std::string padding(12 * 1024, 'p');  // 100 x 12 KB: more than one 1 MB page
  std::vector<common::aws::BatchWriteOperation> ops;
  for (int i = 0; i < 100; ++i) {
    ops.push_back(common::aws::BatchWriteOperation::put(
        table_, {{"pk", AttributeValue::S(pk)},
                 {"sk", AttributeValue::N(i)},
                 {"grp", AttributeValue::S(pk + (i % 2 ? "-odd" : "-even"))},
                 {"n", AttributeValue::N(i)},
                 {"pad", AttributeValue::S(padding)}}));
  }
  auto written = db_->batch_write_item(ops);
  ASSERT_TRUE(written.ok()) << written.error().describe();
  EXPECT_TRUE(written.value().unprocessed.empty());
  EXPECT_EQ(written.value().requests, 4);

  common::aws::QueryRequest query;
  query.table_name = table_;
  query.key_condition_expression =
      query.expression.name("pk") + " = " + query.expression.value(AttributeValue::S(pk));
  query.consistent_read = true;
  auto first_page = db_->query(query);
  ASSERT_TRUE(first_page.ok()) << first_page.error().describe();
  EXPECT_LT(first_page.value().items.size(), 100u);  // cut at 1 MB
  EXPECT_GT(first_page.value().items.size(), 50u);
  EXPECT_FALSE(first_page.value().last_evaluated_key.empty());

  auto all = db_->query_all(query);
  ASSERT_TRUE(all.ok()) << all.error().describe();
  ASSERT_EQ(all.value().items.size(), 100u);
  EXPECT_TRUE(all.value().last_evaluated_key.empty());
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(get_int(all.value().items[static_cast<size_t>(i)], "sk"), i);
    EXPECT_EQ(get_s(all.value().items[static_cast<size_t>(i)], "pad")->size(), padding.size());
  }

  // Index, key condition on the sort key, filter, descending, limit: by hand, page by page.
  common::aws::QueryRequest odd;
  odd.table_name = table_;
  odd.index_name = "by-group";
  auto& e = odd.expression;
  odd.key_condition_expression = e.name("grp") + " = " + e.value(AttributeValue::S(pk + "-odd")) +
                                 " AND " + e.name("sk") + " >= " + e.value(AttributeValue::N(50));
  odd.filter_expression = e.name("n") + " <> " + e.value(AttributeValue::N(51));
  odd.projection_expression = e.name("sk");
  odd.scan_index_forward = false;
  odd.limit = 7;
  std::vector<std::int64_t> seen;
  int pages = 0;
  for (;;) {
    auto page = db_->query(odd);
    ASSERT_TRUE(page.ok()) << page.error().describe();
    ++pages;
    for (const auto& item : page.value().items) {
      EXPECT_EQ(item.size(), 1u);  // projected
      seen.push_back(*get_int(item, "sk"));
    }
    if (page.value().last_evaluated_key.empty()) break;
    odd.exclusive_start_key = page.value().last_evaluated_key;
  }
  std::vector<std::int64_t> expected;
  for (int i = 99; i >= 53; i -= 2) expected.push_back(i);
  EXPECT_EQ(seen, expected);  // 51 filtered out after the limit was counted
  EXPECT_GE(pages, 4);

  // Batch deletes, read back.
  std::vector<common::aws::BatchWriteOperation> deletes;
  for (int i = 0; i < 60; ++i) {
    deletes.push_back(common::aws::BatchWriteOperation::remove(table_, key(pk, i)));
  }
  auto deleted = db_->batch_write_item(deletes);
  ASSERT_TRUE(deleted.ok()) << deleted.error().describe();
  auto rest = db_->query_all(query);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest.value().items.size(), 40u);
  EXPECT_EQ(get_int(rest.value().items.front(), "sk"), 60);
}

TEST_F(AwsStack, ItemsWrittenByUsAreReadUnchangedByTheAwsSdkForJavaScript) {
  const std::string pk = "ours-" + random_suffix();
  const AttributeMap item = every_type(pk);
  common::aws::PutItemRequest put{table_, item, "", {}, ReturnValues::kNone};
  ASSERT_TRUE(db_->put_item(put).ok());

  int status = 0;
  const std::string out =
      run("node " + shell_quote(node_script("ddb-interop.mjs")) + " get " +
              shell_quote(env_.at("AWS_ENDPOINT_URL_DYNAMODB")) + " " + shell_quote(table_) + " " +
              shell_quote(common::aws::to_json(key(pk, 1))),
          status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(common::aws::parse_item_json(out), item) << out;
}

TEST_F(AwsStack, ItemsWrittenByTheAwsSdkForJavaScriptAreReadUnchangedByUs) {
  const std::string pk = "sdk-" + random_suffix();
  const AttributeMap item = every_type(pk);
  int status = 0;
  const std::string out =
      run("node " + shell_quote(node_script("ddb-interop.mjs")) + " put " +
              shell_quote(env_.at("AWS_ENDPOINT_URL_DYNAMODB")) + " " + shell_quote(table_) + " " +
              shell_quote(common::aws::to_json(item)),
          status);
  ASSERT_EQ(status, 0) << out;

  auto got = db_->get_item({table_, key(pk, 1), true});
  ASSERT_TRUE(got.ok()) << got.error().describe();
  ASSERT_TRUE(got.value().has_value());
  EXPECT_EQ(*got.value(), item);
  EXPECT_EQ(*got.value()->at("n38").scalar(), "12345678901234567890123456789012345678");
  EXPECT_EQ(got.value()->at("b").scalar()->size(), 256u);
}

// ---- SigV4: our signer and the AWS SDK's, on random requests ----

struct RandomRequest {
  common::aws::SigningRequest request;
  std::string body;
  std::string session_token;
  json description;
};

RandomRequest random_request(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> alphabet = {"a", "Z", "0", "-", "_", ".", "~", " ", "  ", "!", "*",
                                             "'", "(", "+", "=", "&", "%", "/", "\u00e9", "\u65e5",
                                             "\U0001F600", "@", ":", ",", ";", "$"};
  auto text = [&](int max_len) {
    std::string s;
    const int len = pick(max_len + 1);
    for (int i = 0; i < len; ++i) s += alphabet[static_cast<size_t>(pick(static_cast<int>(alphabet.size())))];
    return s;
  };
  RandomRequest r;
  const std::vector<std::string> methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
  r.request.method = methods[static_cast<size_t>(pick(6))];

  // Path: segments of any characters, percent-encoded on the wire; sometimes ".", "..", "//".
  std::string path;
  const int segments = pick(5);
  for (int i = 0; i < segments; ++i) {
    const int kind = pick(10);
    path += "/";
    if (kind == 0) path += ".";
    else if (kind == 1) path += "..";
    else if (kind == 2) path += "";
    else path += common::aws::uri_encode(text(6), true);
  }
  if (path.empty() || pick(4) == 0) path += "/";
  r.request.path = path;

  // Query: repeated keys, empty values, bytes left raw or encoded either case.
  json query = json::array();
  std::string raw_query;
  const int pairs = pick(6);
  std::vector<std::string> keys;
  for (int i = 0; i < pairs; ++i) {
    const std::string k = !keys.empty() && pick(3) == 0 ? keys[static_cast<size_t>(pick(static_cast<int>(keys.size())))]
                                                        : text(4) + "k";
    keys.push_back(k);
    const std::string v = text(5);
    query.push_back({k, v});
    auto encode = [&](const std::string& s) {
      std::string out;
      for (unsigned char c : s) {
        const bool safe = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '*' ||
                          c == '!' || c == '(' || c == '\'' || c == ':' || c == '@' || c == ',' ||
                          c == ';' || c == '$' || c == '/';
        if (safe && pick(2) == 0) {
          out.push_back(static_cast<char>(c));
        } else {
          char buf[4];
          std::snprintf(buf, sizeof buf, pick(2) ? "%%%02X" : "%%%02x", c);
          out += buf;
        }
      }
      return out;
    };
    if (!raw_query.empty()) raw_query += "&";
    raw_query += encode(k) + "=" + encode(v);
  }
  r.request.query = raw_query;

  // Headers: mixed-case names, values with runs of spaces and tabs, leading and trailing blanks.
  json headers = json::array();
  r.request.headers.emplace_back("host", "example.amazonaws.com");
  headers.push_back({"host", "example.amazonaws.com"});
  const int count = pick(5);
  for (int i = 0; i < count; ++i) {
    std::string name = "X-Test-" + std::to_string(i) + (pick(2) ? "Abc" : "def");
    std::string value;
    const int words = pick(4);
    for (int w = 0; w < words; ++w) {
      value += std::string(static_cast<size_t>(pick(3)), ' ') + (pick(3) == 0 ? "\t" : "");
      value += "w" + std::to_string(pick(100)) + (pick(2) ? "=a;b" : "");
    }
    value += std::string(static_cast<size_t>(pick(3)), ' ');
    r.request.headers.emplace_back(name, value);
    headers.push_back({name, value});
  }

  // Body: empty, text, or binary.
  const int body_kind = pick(3);
  if (body_kind == 1) r.body = text(40);
  if (body_kind == 2) {
    const int len = 1 + pick(300);
    for (int i = 0; i < len; ++i) r.body.push_back(static_cast<char>(rng() & 0xff));
  }
  if (pick(2) == 0) r.session_token = "token/" + std::to_string(rng()) + "+=";

  std::string body_base64;
  {
    static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    const auto* b = reinterpret_cast<const unsigned char*>(r.body.data());
    for (; i + 2 < r.body.size(); i += 3) {
      body_base64 += kTable[b[i] >> 2];
      body_base64 += kTable[((b[i] & 3) << 4) | (b[i + 1] >> 4)];
      body_base64 += kTable[((b[i + 1] & 15) << 2) | (b[i + 2] >> 6)];
      body_base64 += kTable[b[i + 2] & 63];
    }
    if (r.body.size() - i == 1) {
      body_base64 += kTable[b[i] >> 2];
      body_base64 += kTable[(b[i] & 3) << 4];
      body_base64 += "==";
    } else if (r.body.size() - i == 2) {
      body_base64 += kTable[b[i] >> 2];
      body_base64 += kTable[((b[i] & 3) << 4) | (b[i + 1] >> 4)];
      body_base64 += kTable[(b[i + 1] & 15) << 2];
      body_base64 += "=";
    }
  }
  r.description = {{"method", r.request.method}, {"path", path},      {"query", query},
                   {"headers", headers},          {"body_base64", body_base64},
                   {"session_token", r.session_token}};
  return r;
}

TEST(AwsSigV4Interop, RandomRequestsSignIdenticallyWithTheAwsSdkSigner) {
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  constexpr int kCases = 300;
  std::vector<RandomRequest> requests;
  json cases = json::array();
  for (int i = 0; i < kCases; ++i) {
    requests.push_back(random_request(rng));
    cases.push_back(requests.back().description);
  }
  const json spec = {{"time", "2015-08-30T12:36:00Z"}, {"region", "us-east-1"},
                     {"service", "service"},            {"access_key", "AKIDEXAMPLE"},
                     {"secret_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                     {"cases", cases}};
  const std::string file = (fs::temp_directory_path() / ("sigv4-cases-" + random_suffix() + ".json")).string();
  std::ofstream(file) << spec.dump();
  int status = 0;
  const std::string out = run("node " + shell_quote(node_script("sigv4-sign.mjs")) + " " + shell_quote(file), status);
  ASSERT_EQ(status, 0) << out;
  const json theirs = json::parse(out);
  ASSERT_EQ(theirs.size(), static_cast<size_t>(kCases));

  const auto when = std::chrono::sys_days(std::chrono::year(2015) / 8 / 30) + std::chrono::hours(12) +
                    std::chrono::minutes(36);
  int mismatches = 0;
  for (int i = 0; i < kCases; ++i) {
    auto& r = requests[static_cast<size_t>(i)];
    r.request.body = r.body;
    const common::aws::Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                               r.session_token};
    const auto ours = common::aws::sign_v4(r.request, credentials, "us-east-1", "service", when);
    if (ours.authorization != theirs[static_cast<size_t>(i)].get<std::string>()) {
      ++mismatches;
      ADD_FAILURE() << "case " << i << " (seed " << seed << "): " << r.description.dump()
                    << "\nours:   " << ours.authorization
                    << "\ntheirs: " << theirs[static_cast<size_t>(i)].get<std::string>()
                    << "\ncanonical request:\n" << ours.canonical_request;
      if (mismatches > 3) break;
    }
  }
  fs::remove(file);
  EXPECT_EQ(mismatches, 0) << "seed " << seed;
}

// ---- End User Messaging SMS: DescribeOptedOutNumbers and DryRun on the stand-in ----

TEST_F(AwsStack, DescribeOptedOutNumbersBatchesByFiveAndFollowsPages) {
  common::aws::SmsVoiceClient sms(common::aws::client_config_from_environment(
      common::aws::kSmsVoice, Environment::from_map(env_)));
  const std::string list = env_.at("OPT_OUT_LIST_NAME");
  std::mt19937 rng(std::random_device{}());
  const unsigned area = 200 + static_cast<unsigned>(rng() % 700);
  std::vector<std::string> numbers;
  for (int i = 0; i < 7; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+1%03u555%04u", area, static_cast<unsigned>(100 + i * 7 + static_cast<int>(rng() % 7)));
    numbers.push_back(buf);
  }
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(5);
  for (const auto& n : numbers) ASSERT_TRUE(sms.put_opted_out_number(list, n).ok());
  std::vector<std::string> asked = numbers;
  asked.push_back("+12025550199");  // not on the list: simply absent

  common::aws::DescribeOptedOutNumbersRequest request{list, asked};
  request.page_size = 2;
  auto described = sms.describe_opted_out_numbers(request);
  ASSERT_TRUE(described.ok()) << described.error().describe();
  std::vector<std::string> found;
  for (const auto& info : described.value()) {
    found.push_back(info.opted_out_number);
    EXPECT_FALSE(info.end_user_opted_out);
    EXPECT_GT(info.opted_out_at, before);
    EXPECT_LT(info.opted_out_at, std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> expected = numbers;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected);

  request.end_user_opted_out = true;  // we put them there, the people did not text STOP
  auto filtered = sms.describe_opted_out_numbers(request);
  ASSERT_TRUE(filtered.ok()) << filtered.error().describe();
  EXPECT_TRUE(filtered.value().empty());

  ASSERT_TRUE(sms.delete_opted_out_number(list, numbers[0]).ok());
  auto after = sms.describe_opted_out_numbers({list, {numbers[0]}});
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after.value().empty());

  auto bad = sms.describe_opted_out_numbers({list, {"555-0100"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "ClientValidationError");
  EXPECT_EQ(bad.error().attempts, 0);
}

TEST_F(AwsStack, DryRunSendIsValidatedButNotDelivered) {
  common::aws::SmsVoiceClient sms(common::aws::client_config_from_environment(
      common::aws::kSmsVoice, Environment::from_map(env_)));
  const std::string outbox = env_.at("LOCAL_STACK_OUTBOX");
  const auto lines = [&] {
    std::ifstream in(outbox);
    return std::count(std::istreambuf_iterator<char>(in), {}, '\n');
  };
  const auto before = lines();
  common::aws::SendTextMessageRequest send;
  send.destination_phone_number = "+12065550142";
  send.origination_identity = env_.at("ORIGINATION_IDENTITY");
  send.message_body = "dry run";
  send.message_type = "TRANSACTIONAL";
  send.dry_run = true;
  auto sent = sms.send_text_message(send);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  EXPECT_FALSE(sent.value().message_id.empty());
  EXPECT_EQ(lines(), before);

  // The stand-in refuses what the model refuses; so does our validation, before sending.
  send.time_to_live = 4;
  auto invalid = sms.send_text_message(send);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, "ClientValidationError");
  EXPECT_NE(invalid.error().message.find("TimeToLive"), std::string::npos);
}

}  // namespace
