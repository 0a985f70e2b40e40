// sms-inbound as a whole: Handler::handle (functions/sms-inbound/handler.hpp) on a fuzzed SNS
// event, its DynamoDB, SMS and backend clients talking to the in-process AWS stand-in, which gives
// the scripted answers of the input and then plausible ones (handler_input.hpp).
// Properties: handle() only throws runtime::FunctionError "InvalidEvent" (exactly when
// parse_sns_event refuses the event) or "RecordsFailed"; otherwise it returns a JSON summary
// counting every record; the log and the metrics never carry a sender's number whole.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/http.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "functions/sms-inbound/handler.hpp"
#include "functions/sms-inbound/sns_event.hpp"
#include "runtime/runtime.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/handler_input.hpp"
#include "tests/fuzz/loopback.hpp"

namespace {

smsc_fuzz::Loopback& loopback() {
  static smsc_fuzz::Loopback server(smsc_fuzz::plausible_answer);
  return server;
}

sms_inbound::Config config() {
  sms_inbound::Config c;
  c.contacts_table = "contacts";
  c.message_log_table = "message-log";
  c.origination_identity = "+12065550100";
  c.opt_out_list_name = "list";
  c.configuration_set_name = "set";
  c.program_name = "Acme Clinic reminders";
  c.help_contact = "help@acme.example";
  c.appointments_table = "appointments";
  c.backend_url = loopback().url();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const smsc_fuzz::HandlerInput input = smsc_fuzz::handler_input(smsc_fuzz::text(data, size));
  loopback().script(input.answers);

  // Fresh clients per input (as after a cold start), so one input's retries and connections do
  // not change the next one's behaviour.
  common::aws::DynamoDbClient dynamodb(loopback().client_config());
  common::aws::SmsVoiceClient sms(loopback().client_config());
  common::aws::HttpClient backend(
      common::aws::HttpClientOptions{std::chrono::milliseconds(2000), ""});
  std::ostringstream log, emf;
  common::observe::Logger logger("sms-inbound", common::observe::LogLevel::kDebug, log);
  common::observe::Metrics metrics("SmsCompliance", "sms-inbound", emf);
  sms_inbound::Handler handler(config(), {dynamodb, sms, logger, metrics, &backend});

  runtime::Invocation invocation;
  invocation.request_id = "fuzz-request";
  invocation.payload = std::string(input.event);

  bool event_ok = true;
  std::vector<sms_inbound::ParsedRecord> records;
  try {
    records = sms_inbound::parse_sns_event(input.event);
  } catch (const std::invalid_argument&) {
    event_ok = false;
  }

  try {
    const std::string summary = handler.handle(invocation);
    SMSC_FUZZ_CHECK(event_ok, "an event parse_sns_event refuses was handled");
    const auto parsed = nlohmann::json::parse(summary, nullptr, false);
    SMSC_FUZZ_CHECK(
        parsed.is_object() && parsed["records"] == records.size() && parsed["failed"] == 0,
        summary);
  } catch (const runtime::FunctionError& e) {
    SMSC_FUZZ_CHECK(e.type() == (event_ok ? "RecordsFailed" : "InvalidEvent"),
                    e.type() + ": " + e.what());
  } catch (const std::exception& e) {
    smsc_fuzz::fail(__FILE__, __LINE__, "handle() let an exception escape", e.what());
  }

  const std::string out = log.str() + smsc_fuzz::without_emf_timestamps(emf.str());
  for (const auto& record : records) {
    if (!record.message) continue;
    const std::string digits = record.message->origination_number.substr(1);
    SMSC_FUZZ_CHECK(out.find(digits) == std::string::npos,
                    "number logged whole: " + digits + "\n" + out);
  }
  return 0;
}
