// The HTTP API / Function URL event (common/http/http_event.hpp: parse_http_event),
// path segments (percent_decode) and the JSON pre-check of events and bodies (check_json), as any
// caller on the internet can shape them.
// Properties: only std::invalid_argument (not a payload 2.0 event) escapes; the method is upper
// case, the path never empty, header names lower case; a body is never over the limit (and empty
// when flagged); an unusable part is named with its reason; an error response for the request
// serialises.
#include "common/http/http_event.hpp"

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "functions/opt-out-api/handler.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  std::string decoded;
  if (opt_out_api::percent_decode(input, decoded))
    SMSC_FUZZ_CHECK(decoded.size() <= input.size(), decoded);
  if (const auto problem = opt_out_api::check_json(input, opt_out_api::kMaxJsonDepth, true)) {
    SMSC_FUZZ_CHECK(!problem->message.empty(), problem->field);
  }

  opt_out_api::HttpRequest request;
  try {
    request = opt_out_api::parse_http_event(input, opt_out_api::kMaxBodyBytes);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  SMSC_FUZZ_CHECK(!request.method.empty(), "empty method");
  for (char c : request.method)
    SMSC_FUZZ_CHECK(!std::islower(static_cast<unsigned char>(c)), request.method);
  SMSC_FUZZ_CHECK(!request.path.empty(), "empty path");
  for (const auto& [name, value] : request.headers) {
    for (char c : name) SMSC_FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)), name);
  }
  SMSC_FUZZ_CHECK(request.body.size() <= opt_out_api::kMaxBodyBytes, "body over the limit");
  if (request.body_too_large || request.body_undecodable)
    SMSC_FUZZ_CHECK(request.body.empty(), request.body);
  // What the handler echoes from a request (method, path) must still make a valid response.
  const auto response = opt_out_api::error_response(
      405, "method_not_allowed", "use POST " + request.path + " not " + request.method);
  SMSC_FUZZ_CHECK(!response.to_event_json().empty(), request.path);
  SMSC_FUZZ_CHECK(request.invalid_field.empty() == request.invalid_reason.empty(),
                  request.invalid_field);
  return 0;
}
