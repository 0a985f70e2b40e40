// End User Messaging SMS answers and requests (common/aws/sms_voice.hpp). The first byte picks the
// entry point ('0' to '3'; any byte b means (b - '0') mod 4), the rest is the input:
//  0 parse_send_text_message_response, 1 parse_opted_out_number_response,
//  2 parse_describe_opted_out_numbers_response (an answer body);
//  3 validate (a SendTextMessage request's members, NUL-separated: destination, origination,
//    body, message type, configuration set, keyword, max price).
// (The client around them, over HTTP: target aws_clients.)
// Properties: the parsers throw only std::runtime_error, and always for text that is not JSON;
// validate never throws and refuses any member that is not UTF-8.
#include "common/aws/sms_voice.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"
#include "tests/fuzz/sms_request.hpp"

using namespace common::aws;

namespace {

void parse(unsigned mode, std::string_view body) {
  switch (mode) {
    case 0:
      (void)parse_send_text_message_response(body);
      break;
    case 1:
      (void)parse_opted_out_number_response(body).opted_out_at.time_since_epoch().count();
      break;
    case 2:
      for (const auto& info : parse_describe_opted_out_numbers_response(body).numbers) {
        (void)info.opted_out_at.time_since_epoch().count();
      }
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned mode = static_cast<unsigned char>(data[0] - '0') % 4;
  const std::string_view body = smsc_fuzz::text(data + 1, size - 1);
  if (mode == 3) {
    const SendTextMessageRequest r = smsc_fuzz::send_request_from(body);
    if (!validate(r)) {
      for (const std::string* s :
           {&r.destination_phone_number, &r.origination_identity, &r.message_body, &r.message_type,
            &r.configuration_set_name, &r.keyword, &r.max_price}) {
        SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(*s), *s);
      }
    }
    return 0;
  }
  try {
    parse(mode, body);
  } catch (const std::runtime_error&) {
    return 0;
  }
  SMSC_FUZZ_CHECK(nlohmann::json::accept(body), "not JSON, yet read as an answer");
  return 0;
}
