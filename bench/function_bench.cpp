// Micro-benchmarks of the per-message CPU work in the functions, outside any AWS
// call: reading the SNS event of an inbound SMS, classifying its text for consent,
// and writing the invocation's EMF metric line. No I/O.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/compliance/keywords.hpp"
#include "common/observe/metrics.hpp"
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
