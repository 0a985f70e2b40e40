// opt-out-api's routes and their JSON bodies: Handler::respond (functions/opt-out-api/handler.hpp)
// on a request whose method, path and body the fuzzer writes directly (no event around them):
//   "<METHOD> <path>\n<body>" [then "\n%%\n"-separated AWS answers, see handler_input.hpp];
// the body is sent as application/json. Its clients talk to the in-process AWS stand-in.
// Properties: with AWS healthy (no scripted answer), respond() never throws and never answers
// 500: bad input is a 4xx; the response always serialises (to_event_json); a 200 echoes a valid
// E.164 phone_number; the log never carries a number of the request whole.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/compliance/phone.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/time.hpp"
#include "functions/opt-out-api/handler.hpp"
#include "common/http/http_event.hpp"
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

  opt_out_api::HttpRequest request;
  const std::size_t line_end = input.event.find('\n');
  const std::string_view line = input.event.substr(0, line_end);
  const std::size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  request.path = space == std::string_view::npos ? "/" : std::string(line.substr(space + 1));
  request.headers["content-type"] = "application/json";
  request.request_id = "fuzz-api-request";
  request.source_ip = "203.0.113.10";
  if (line_end != std::string_view::npos)
    request.body = std::string(input.event.substr(line_end + 1));
  if (request.body.size() > opt_out_api::kMaxBodyBytes) {
    request.body.clear();
    request.body_too_large = true;
  }

  common::aws::DynamoDbClient dynamodb(loopback().client_config());
  common::aws::SmsVoiceClient sms(loopback().client_config());
  std::ostringstream log, emf;
  common::observe::Logger logger("opt-out-api", common::observe::LogLevel::kDebug, log);
  common::observe::Metrics metrics("SmsCompliance", "opt-out-api", emf);
  opt_out_api::Handler handler({{.contacts_table = "contacts",
                                 .message_log_table = "message-log",
                                 .opt_out_list_name = "list"}},
                               {dynamodb, sms, logger, metrics});

  opt_out_api::HttpResponse response;
  try {
    response = handler.respond(request, common::now_ms());
  } catch (const std::exception& e) {
    // handle() turns this into a 500; it may only come from a failing AWS.
    SMSC_FUZZ_CHECK(!input.answers.empty(),
                    std::string("respond() threw with AWS healthy: ") + e.what());
    return 0;
  }
  std::string event;
  try {
    event = response.to_event_json();
  } catch (const std::exception& e) {
    smsc_fuzz::fail(__FILE__, __LINE__, "the response does not serialise", e.what());
  }
  SMSC_FUZZ_CHECK(response.status != 500 || !input.answers.empty(), event);
  if (response.status == 200) {
    const auto phone = response.body.find("phone_number");
    SMSC_FUZZ_CHECK(phone != response.body.end() && phone->is_string() &&
                        common::compliance::is_e164(phone->get<std::string>()),
                    event);
  }

  const std::string logged = log.str() + smsc_fuzz::without_emf_timestamps(emf.str());
  for (const std::string& digits : smsc_fuzz::numbers_of(request)) {
    SMSC_FUZZ_CHECK(logged.find(digits) == std::string::npos,
                    "number logged whole: " + digits + "\n" + logged);
  }
  return 0;
}
