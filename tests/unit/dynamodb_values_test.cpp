// DynamoDB values on their own (issue 11, item 1): dynamodb_values.hpp is the one header domain
// code needs to read an item, so it must compile alone (this file includes nothing else of the
// project) and must not bring the wire form, the client or a JSON library with it.
#include "common/aws/dynamodb_values.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::ExpressionBuilder;

// The project's own files, from the fixtures folder (tests/fixtures).
std::string project_file(const std::string& path) {
  std::ifstream in(std::string(SMSC_FIXTURES_DIR) + "/../../" + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The targets of the #include lines of `text`, as written ("common/x.hpp", <map>).
std::vector<std::string> includes_of(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"][^>"]+[>"]))");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, kInclude)) out.push_back(match[1]);
  }
  return out;
}

TEST(AwsDynamoDbValues, TypedAccessorsReadOnlyTheirType) {
  const AttributeMap item = {{"name", AttributeValue::S("Ada")},
                             {"count", AttributeValue::N(42)},
                             {"huge", AttributeValue::N("123456789012345678901234567890")},
                             {"text_number", AttributeValue::S("7")}};
  EXPECT_EQ(common::aws::get_s(item, "name"), "Ada");
  EXPECT_EQ(common::aws::get_s(item, "count"), std::nullopt);  // an N is not an S
  EXPECT_EQ(common::aws::get_s(item, "missing"), std::nullopt);
  EXPECT_EQ(common::aws::get_int(item, "count"), 42);
  EXPECT_EQ(common::aws::get_int(item, "huge"), std::nullopt);  // beyond int64
  EXPECT_EQ(common::aws::get_int(item, "text_number"), std::nullopt);
}

TEST(AwsDynamoDbValues, ExpressionPlaceholdersAreStablePerNameAndFreshPerValue) {
  ExpressionBuilder e;
  EXPECT_EQ(e.name("status"), "#n0");  // a reserved word in DynamoDB expressions
  EXPECT_EQ(e.name("ttl"), "#n1");
  EXPECT_EQ(e.name("status"), "#n0");
  EXPECT_EQ(e.value(AttributeValue::S("a")), ":v0");
  EXPECT_EQ(e.value(AttributeValue::S("a")), ":v1");
  EXPECT_EQ(e.names().size(), 2u);
  EXPECT_EQ(e.names().at("#n1"), "ttl");
  EXPECT_EQ(e.values().at(":v1"), AttributeValue::S("a"));
}

TEST(AwsDynamoDbValues, TheValuesHeaderIncludesOnlyTheStandardLibrary) {
  const std::string header = project_file("common/aws/dynamodb_values.hpp");
  ASSERT_FALSE(header.empty()) << "common/aws/dynamodb_values.hpp not found";
  for (const auto& target : includes_of(header)) {
    EXPECT_EQ(target.front(), '<') << "dynamodb_values.hpp includes " << target;
  }
}

// contact.hpp says "No I/O here": it reads items through the values header, never through the
// client, its requests, its wire form or a transport.
TEST(AwsDynamoDbValues, ContactHeaderReachesNoClientOrWireForm) {
  const std::string header = project_file("common/consent/contact.hpp");
  ASSERT_FALSE(header.empty()) << "common/consent/contact.hpp not found";
  const std::vector<std::string> includes = includes_of(header);
  for (const char* forbidden :
       {"\"common/aws/dynamodb.hpp\"", "\"common/aws/dynamodb_requests.hpp\"",
        "\"common/aws/dynamodb_codec.hpp\"", "\"common/aws/json_client.hpp\"",
        "\"common/aws/http.hpp\"", "\"common/aws/sms_voice.hpp\""}) {
    EXPECT_EQ(std::find(includes.begin(), includes.end(), forbidden), includes.end())
        << "contact.hpp includes " << forbidden;
  }
}

}  // namespace
