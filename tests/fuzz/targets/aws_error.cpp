// Error answers of any AWS JSON 1.0 endpoint (or of a proxy, or a truncated answer):
// error_from_response (common/aws/json_client.hpp) and sanitize_error_code (error.hpp).
// The input is an HTTP answer as text: a status line ("400"), header lines ("Name: value"), a blank
// line, the body; without a status line it is a 400 with that body.
// Properties: never throws; the code is sanitised (no '#', no ':', no trailing space) and never
// empty; the kind is classify_error's for that status and code; the body is kept; describe() works.
#include <cstdint>
#include <string>

#include "common/aws/json_client.hpp"
#include "common/aws/retry.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace common::aws;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = smsc_fuzz::text(data, size);
  (void)sanitize_error_code(input.substr(0, 256));

  HttpResponse response;
  response.status = 400;
  std::size_t digits = 0;
  while (digits < input.size() && digits < 3 && input[digits] >= '0' && input[digits] <= '9')
    ++digits;
  if (digits == 3 && (input.size() == 3 || input[3] == '\n')) {
    response.status = std::stol(std::string(input.substr(0, 3)));
    input.remove_prefix(std::min<std::size_t>(4, input.size()));
    while (!input.empty()) {
      const std::size_t end = input.find('\n');
      const std::string_view line = input.substr(0, end);
      input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      std::string_view value =
          colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
  }
  response.body = std::string(input);
  // Status 0 means no answer at all: a transport error instead.
  if (response.status == 0) response.transport_error = response.body;

  const AwsError error = error_from_response("dynamodb", "GetItem", response, 1);
  SMSC_FUZZ_CHECK(!error.code.empty(), "empty code");
  SMSC_FUZZ_CHECK(error.code.find_first_of("#:") == std::string::npos, error.code);
  SMSC_FUZZ_CHECK(error.code.back() != ' ', error.code);
  SMSC_FUZZ_CHECK(
      error.kind == (response.status == 0 ? ErrorKind::kTransient
                                          : classify_error(response.status, error.code)),
      error.code);
  if (response.status != 0) SMSC_FUZZ_CHECK(error.body == response.body, "body not kept");
  SMSC_FUZZ_CHECK(error.http_status == response.status, error.describe());
  SMSC_FUZZ_CHECK(!error.describe().empty(), error.code);
  return 0;
}
