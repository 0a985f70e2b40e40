// Micro-benchmarks of the per-message CPU work in the functions, outside any AWS
// call: reading the SNS event of an inbound SMS or of a delivery event, classifying its text for
// consent, and writing the invocation's EMF metric line. No I/O.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/compliance/keywords.hpp"
#include "common/observe/metrics.hpp"
#include "functions/delivery-events/sns_event.hpp"
#include "functions/sms-inbound/sns_event.hpp"

namespace {

// One record as End User Messaging publishes it (the shape of functions/sms-inbound/events/).
std::string sns_record(int i, std::string_view body) {
  const std::string n = std::to_string(1000 + i);
  return R"({"EventSource":"aws:sns","EventVersion":"1.0",)"
         R"("EventSubscriptionArn":"arn:aws:sns:us-east-1:123456789012:sms-inbound:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",)"
         R"("Sns":{"Type":"Notification","MessageId":"9a3d2f1e-0001-4c1b-8d51-00000000)" +
         n +
         R"(","TopicArn":"arn:aws:sns:us-east-1:123456789012:sms-inbound","Subject":null,)"
         R"("Message":"{\"originationNumber\":\"+1425555)" +
         n +
         R"(\",\"destinationNumber\":\"+12065550100\",\"messageKeyword\":\"KEYWORD_1\",)"
         R"(\"messageBody\":\")" +
         std::string(body) + R"(\",\"inboundMessageId\":\"in-)" + n +
         R"(\",\"previousPublishedMessageId\":\"prev-)" + n +
         R"(\"}","Timestamp":"2026-11-21T09:30:00.123Z","SignatureVersion":"1",)"
         R"("Signature":"EXAMPLE","SigningCertUrl":"https://sns.us-east-1.amazonaws.com/x.pem",)"
         R"("UnsubscribeUrl":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe","MessageAttributes":{}}})";
}

std::string sns_event(int records) {
  std::string event = R"({"Records":[)";
  for (int i = 0; i < records; ++i) {
    if (i > 0) event += ",";
    event += sns_record(i, "Can I move my appointment to Friday?");
  }
  return event + "]}";
}

void BM_ParseSnsEvent(benchmark::State& state) {
  const std::string event = sns_event(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto records = sms_inbound::parse_sns_event(event);
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * event.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
// SNS hands sms-inbound one record per invocation; 10 shows the per-record cost.
BENCHMARK(BM_ParseSnsEvent)->Arg(1)->Arg(10);

// One TEXT_DELIVERED record as a configuration set's event destination publishes it (the shape of
// functions/delivery-events/events/delivered.json), its Context carrying the message-log key.
std::string delivery_record(int i) {
  const std::string n = std::to_string(1000 + i);
  return R"({"EventSource":"aws:sns","EventVersion":"1.0",)"
         R"("EventSubscriptionArn":"arn:aws:sns:us-east-1:123456789012:sms-delivery-events:0b6941c3-f04d-4d3e-a82d-000000000000",)"
         R"("Sns":{"Type":"Notification","MessageId":"95df01b4-ee98-5cb9-9903-4c221d41)" +
         n +
         R"(","TopicArn":"arn:aws:sns:us-east-1:123456789012:sms-delivery-events","Subject":null,)"
         R"("Message":"{\"eventType\":\"TEXT_DELIVERED\",\"eventVersion\":\"1.0\",)"
         R"(\"eventTimestamp\":1767261601200,\"isFinal\":true,)"
         R"(\"originationPhoneNumber\":\"+12065550100\",\"destinationPhoneNumber\":\"+1425555)" +
         n +
         R"(\",\"isoCountryCode\":\"US\",\"isInternationalSend\":false,)"
         R"(\"messageId\":\"5d7e2f8a-1b3c-4d5e-9f60-7a8b9c0d)" +
         n +
         R"(\",\"messageRequestTimestamp\":1767261600000,\"messageEncoding\":\"GSM\",)"
         R"(\"messageType\":\"TRANSACTIONAL\",\"messageStatus\":\"DELIVERED\",)"
         R"(\"messageStatusDescription\":\"Message has been delivered to the recipient\",)"
         R"(\"context\":{\"message_ref\":\"2026-01-01T10:00:00.000Z#out#in-)" +
         n +
         R"(#reply\"},\"totalMessageParts\":1,\"totalMessagePrice\":0.00581,\"totalCarrierFee\":0.00302}",)"
         R"("Timestamp":"2026-01-01T10:00:01.500Z","SignatureVersion":"1","Signature":"EXAMPLE",)"
         R"("SigningCertUrl":"https://sns.us-east-1.amazonaws.com/x.pem",)"
         R"("UnsubscribeUrl":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe","MessageAttributes":{}}})";
}

void BM_ParseDeliveryEvent(benchmark::State& state) {
  std::string event = R"({"Records":[)";
  for (int i = 0; i < state.range(0); ++i) {
    if (i > 0) event += ",";
    event += delivery_record(i);
  }
  event += "]}";
  for (auto _ : state) {
    auto records = delivery_events::parse_sns_event(event);
    if (records.empty() || !records.front().event) state.SkipWithError("the event did not parse");
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * event.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
// SNS hands delivery-events one record per invocation too; 10 shows the per-record cost.
BENCHMARK(BM_ParseDeliveryEvent)->Arg(1)->Arg(10);

// One text per rule the classifier walks before deciding (keywords.hpp precedence).
const std::vector<std::string> kBodies = {
    "STOP",                                                        // keyword, first rule
    "  Opt-Out!! ",                                                // keyword after normalising
    "YES",                                                         // opt-in keyword
    "please stop texting me, I moved",                             // revocation phrase
    "I said STOP already",                                         // opt-out word
    "Can you cancel my appointment on Friday?",                    // review word, not opt-out
    "Can I move my appointment to Friday? Running late, thanks.",  // nothing: every rule tried
    "¿Puedo cambiar mi cita al viernes? Gracias — María 😊",        // non-ASCII folding
};

void BM_ClassifyMessage(benchmark::State& state) {
  const std::string& body = kBodies[static_cast<size_t>(state.range(0))];
  for (auto _ : state) {
    auto classification = common::compliance::classify_message(body);
    benchmark::DoNotOptimize(classification);
  }
  state.SetLabel(body.size() > 24 ? body.substr(0, 21) + "..." : body);
}
BENCHMARK(BM_ClassifyMessage)->DenseRange(0, static_cast<int>(kBodies.size()) - 1);

// What sms-inbound flushes after a STOP: three counters and the request id.
void BM_EmfMetricLine(benchmark::State& state) {
  std::ostringstream out;
  common::observe::Metrics metrics("SmsCompliance", "sms-inbound", out);
  for (auto _ : state) {
    metrics.set_property("requestId", "5f70dca4-8d42-4705-a024-3e815db07e33");
    metrics.add("InboundMessages", 1);
    metrics.add("OptOuts", 1);
    metrics.add("OutboundMessages", 1);
    metrics.flush();
    out.str({});  // keep the buffer from growing: one line per iteration, as in an invocation
  }
}
BENCHMARK(BM_EmfMetricLine);

}  // namespace

BENCHMARK_MAIN();
