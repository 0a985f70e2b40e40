// opt-out-api as a whole: Handler::handle (functions/opt-out-api/handler.hpp) on a fuzzed HTTP API
// / Function URL event, its DynamoDB and SMS clients talking to the in-process AWS stand-in, which
// gives the scripted answers of the input and then plausible ones (handler_input.hpp).
// Properties: handle() only throws runtime::FunctionError "InvalidEvent", exactly when
// parse_http_event refuses the event; otherwise it returns a payload 2.0 response whose body is
// JSON, with a status the API documents (200 400 404 405 413 415 500), and 500 only when a scripted
// answer made AWS fail; the log never carries a number of the request whole.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "functions/opt-out-api/handler.hpp"
#include "common/http/http_event.hpp"
#include "runtime/runtime.hpp"
#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/handler_input.hpp"
#include "tests/fuzz/loopback.hpp"
#include "tests/fuzz/opt_out_numbers.hpp"

namespace {

smsc_fuzz::Loopback& loopback() {
  static smsc_fuzz::Loopback server(smsc_fuzz::plausible_answer);
  return server;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const smsc_fuzz::HandlerInput input = smsc_fuzz::handler_input(smsc_fuzz::text(data, size));
  loopback().script(input.answers);

  common::aws::DynamoDbClient dynamodb(loopback().client_config());
  common::aws::SmsVoiceClient sms(loopback().client_config());
  std::ostringstream log, emf;
  common::observe::Logger logger("opt-out-api", common::observe::LogLevel::kDebug, log);
  common::observe::Metrics metrics("SmsCompliance", "opt-out-api", emf);
  opt_out_api::Handler handler({{.contacts_table = "contacts",
                                 .message_log_table = "message-log",
                                 .opt_out_list_name = "list"}},
                               {dynamodb, sms, logger, metrics});

  runtime::Invocation invocation;
  invocation.request_id = "fuzz-request";
  invocation.payload = std::string(input.event);

  bool event_ok = true;
  opt_out_api::HttpRequest request;
  try {
    request = opt_out_api::parse_http_event(input.event, opt_out_api::kMaxBodyBytes);
  } catch (const std::invalid_argument&) {
    event_ok = false;
  }

  try {
    const std::string out = handler.handle(invocation);
    SMSC_FUZZ_CHECK(event_ok, "an event parse_http_event refuses was handled");
    const auto response = nlohmann::json::parse(out, nullptr, false);
    SMSC_FUZZ_CHECK(response.is_object() && response["statusCode"].is_number_integer() &&
                        response["body"].is_string(),
                    out);
    const int status = response["statusCode"].get<int>();
    SMSC_FUZZ_CHECK(status == 200 || status == 400 || status == 404 || status == 405 ||
                        status == 413 || status == 415 || status == 500,
                    out);
    SMSC_FUZZ_CHECK(status != 500 || !input.answers.empty(),
                    "500 with AWS healthy:\n" + out + "\n" + log.str());
    SMSC_FUZZ_CHECK(nlohmann::json::accept(response["body"].get<std::string>()), out);
  } catch (const runtime::FunctionError& e) {
    SMSC_FUZZ_CHECK(!event_ok && e.type() == "InvalidEvent", e.type() + ": " + e.what());
  } catch (const std::exception& e) {
    smsc_fuzz::fail(__FILE__, __LINE__, "handle() let an exception escape", e.what());
  }

  // Numbers the caller sent (in the body or the path) never reach the log whole.
  const std::string logged = log.str() + smsc_fuzz::without_emf_timestamps(emf.str());
  for (const std::string& digits : smsc_fuzz::numbers_of(request)) {
    SMSC_FUZZ_CHECK(logged.find(digits) == std::string::npos,
                    "number logged whole: " + digits + "\n" + logged);
  }
  return 0;
}
