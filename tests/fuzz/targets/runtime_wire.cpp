// The Runtime API wire pieces (runtime/wire.hpp): Lambda-Runtime-Deadline-Ms header values
// (parse_deadline_ms) and the error document built from any exception text (json_quote,
// error_document).
// Properties: an accepted deadline is exactly the decimal value of the header (no overflow, no
// wrap); json_quote always yields one JSON string, equal to the input when that is valid UTF-8;
// error_document is always a JSON object with the two texts.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/wire.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);

  if (const auto deadline = runtime::parse_deadline_ms(input)) {
    SMSC_FUZZ_CHECK(!input.empty(), "empty value accepted");
    __int128 expected = 0;
    for (char c : input) {
      SMSC_FUZZ_CHECK(c >= '0' && c <= '9', input);
      expected = expected * 10 + (c - '0');
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline->time_since_epoch());
    SMSC_FUZZ_CHECK(static_cast<__int128>(ms.count()) == expected, input);
  }

  const std::string quoted = runtime::json_quote(input);
  const auto parsed = nlohmann::json::parse(quoted, nullptr, false);
  SMSC_FUZZ_CHECK(parsed.is_string(), quoted);
  if (smsc_fuzz::is_utf8(input)) SMSC_FUZZ_CHECK(parsed.get<std::string>() == input, quoted);

  // The type and message of an error report: the input split at its first NUL.
  const std::size_t nul = input.find('\0');
  runtime::ErrorReport report{
      std::string(input.substr(0, nul)),
      nul == std::string_view::npos ? "" : std::string(input.substr(nul + 1))};
  const auto document = nlohmann::json::parse(runtime::error_document(report), nullptr, false);
  SMSC_FUZZ_CHECK(document.is_object() && document["errorType"].is_string() &&
                      document["errorMessage"].is_string() && document["stackTrace"].is_array(),
                  runtime::error_document(report));
  return 0;
}
