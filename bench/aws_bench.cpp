// Micro-benchmarks of the AWS client layer's CPU work per call: SigV4 signing,
// building / parsing DynamoDB requests and responses, reading End User Messaging answers and
// AWS error bodies. No I/O. Each parse runs twice: "FreshParser" with a parser of its own (the
// free functions as tests and fuzz targets call them), "ReusedParser" with one JsonParser kept
// across iterations, as a client keeps one across calls.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <string_view>

#include "common/aws/dynamodb.hpp"
#include "common/aws/json_client.hpp"
#include "common/aws/sigv4.hpp"
#include "common/aws/sms_voice.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

const common::aws::Credentials kCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                            "session-token-of-a-lambda-function"};

// A contact record about the size sms-inbound keeps (common/consent/contact.hpp).
AttributeMap contact(int i) {
  return {{"phone_number", AttributeValue::S("+1206555" + std::to_string(1000 + i % 9000))},
          {"consent_status", AttributeValue::S("opted_in")},
          {"opted_in_at", AttributeValue::S("2025-01-02T03:04:05.678Z")},
          {"opt_in_method", AttributeValue::S("sms")},
          {"opt_in_source", AttributeValue::S("keyword START, message 0f8fad5b-d9cb-469f-a165-70867728950e")},
          {"opt_out_channels", AttributeValue::SS({"sms", "voice", "email"})},
          {"message_count", AttributeValue::N(i)},
          {"version", AttributeValue::N(7)},
          {"conversation", AttributeValue::M({{"state", AttributeValue::S("idle")},
                                              {"last_inbound_at", AttributeValue::S("2025-01-02T03:04:05Z")}})},
          {"ttl", AttributeValue::N("1861920000")}};
}

// A DynamoDB PutItem as JsonClient signs it, over `body`.
common::aws::SigningRequest put_item_signing_request(std::string_view body) {
  return {"POST", "/", "",
          {{"host", "dynamodb.us-east-1.amazonaws.com"},
           {"content-type", "application/x-amz-json-1.0"},
           {"x-amz-target", "DynamoDB_20120810.PutItem"}},
          body};
}

void BM_SigV4SignDynamoDbRequest(benchmark::State& state) {
  const std::string body(static_cast<size_t>(state.range(0)), 'x');
  const common::aws::SigningRequest request = put_item_signing_request(body);
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto result = common::aws::sign_v4(request, kCredentials, "us-east-1", "dynamodb", now);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_SigV4SignDynamoDbRequest)->Arg(0)->Arg(1024)->Arg(64 * 1024);

// What a JsonClient does on every call after the first of the day: the signing key (and the
// HMAC context keyed with it) comes from a SigningKeyCache.
void BM_SigV4SignWithCachedKey(benchmark::State& state) {
  const std::string body(static_cast<size_t>(state.range(0)), 'x');
  const common::aws::SigningRequest request = put_item_signing_request(body);
  const auto now = std::chrono::system_clock::now();
  common::aws::SigningKeyCache cache;
  for (auto _ : state) {
    auto result = common::aws::sign_v4(request, kCredentials, "us-east-1", "dynamodb", now, {}, &cache);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_SigV4SignWithCachedKey)->Arg(0)->Arg(1024);

void BM_BuildConditionalPutItem(benchmark::State& state) {
  const AttributeMap item = contact(1);
  for (auto _ : state) {
    common::aws::PutItemRequest put;
    put.table_name = "contacts";
    put.item = item;
    put.condition_expression = "attribute_not_exists(" + put.expression.name("phone_number") +
                               ") OR " + put.expression.name("version") + " < " +
                               put.expression.value(AttributeValue::N(7));
    auto body = common::aws::request_json(put);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_BuildConditionalPutItem);

// Runs `parse(text)` with a fresh parser each time, or `parse(parser, text)` with one kept.
template <class Parse>
void parse_loop(benchmark::State& state, bool reuse, const std::string& text, Parse parse) {
  common::aws::JsonParser parser;
  for (auto _ : state) {
    if (reuse) {
      auto result = parse(parser, text);
      benchmark::DoNotOptimize(result);
    } else {
      common::aws::JsonParser fresh;
      auto result = parse(fresh, text);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_ParseGetItemResponse(benchmark::State& state, bool reuse) {
  const std::string response = "{\"Item\":" + common::aws::to_json(contact(1)) + "}";
  parse_loop(state, reuse, response, [](common::aws::JsonParser& parser, std::string_view text) {
    return common::aws::parse_get_item_response(parser, text);
  });
}
BENCHMARK_CAPTURE(BM_ParseGetItemResponse, FreshParser, false);
BENCHMARK_CAPTURE(BM_ParseGetItemResponse, ReusedParser, true);

void BM_ParseQueryResponse(benchmark::State& state, bool reuse) {
  std::string response = "{\"Count\":" + std::to_string(state.range(0)) + ",\"Items\":[";
  for (int i = 0; i < state.range(0); ++i) {
    if (i > 0) response += ",";
    response += common::aws::to_json(contact(i));
  }
  response += "],\"ScannedCount\":" + std::to_string(state.range(0)) + "}";
  parse_loop(state, reuse, response, [](common::aws::JsonParser& parser, std::string_view text) {
    return common::aws::parse_query_response(parser, text);
  });
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK_CAPTURE(BM_ParseQueryResponse, FreshParser, false)->Arg(10)->Arg(1000);
BENCHMARK_CAPTURE(BM_ParseQueryResponse, ReusedParser, true)->Arg(10)->Arg(1000);

// The answer to every text sent.
const std::string kSendTextMessageAnswer = R"({"MessageId":"0f8fad5b-d9cb-469f-a165-70867728950e"})";

void BM_ParseSendTextMessageResponse(benchmark::State& state, bool reuse) {
  parse_loop(state, reuse, kSendTextMessageAnswer,
             [](common::aws::JsonParser& parser, std::string_view text) {
               return common::aws::parse_send_text_message_response(parser, text);
             });
}
BENCHMARK_CAPTURE(BM_ParseSendTextMessageResponse, FreshParser, false);
BENCHMARK_CAPTURE(BM_ParseSendTextMessageResponse, ReusedParser, true);

// A failed condition as DynamoDB answers it: the error body is read on every conditional write
// that loses (claims, leases, version checks).
common::aws::HttpResponse conditional_check_failed() {
  common::aws::HttpResponse response;
  response.status = 400;
  response.headers = {{"x-amzn-RequestId", "REQ-1"}};
  response.body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
      R"("message":"The conditional request failed"})";
  return response;
}

void BM_ErrorFromResponse(benchmark::State& state, bool reuse) {
  const common::aws::HttpResponse response = conditional_check_failed();
  common::aws::JsonParser parser;
  for (auto _ : state) {
    if (reuse) {
      auto error = common::aws::error_from_response(parser, "dynamodb", "UpdateItem", response, 1);
      benchmark::DoNotOptimize(error);
    } else {
      common::aws::JsonParser fresh;
      auto error = common::aws::error_from_response(fresh, "dynamodb", "UpdateItem", response, 1);
      benchmark::DoNotOptimize(error);
    }
  }
}
BENCHMARK_CAPTURE(BM_ErrorFromResponse, FreshParser, false);
BENCHMARK_CAPTURE(BM_ErrorFromResponse, ReusedParser, true);

}  // namespace

BENCHMARK_MAIN();
