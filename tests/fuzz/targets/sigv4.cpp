// SigV4 canonicalisation of any request (common/aws/sigv4.hpp: sign_v4, uri_encode): the input is
// an HTTP/1.1 request as text, like tests/fixtures/sigv4/*/request.txt (request line, header lines,
// blank line, body), optionally led by one control byte choosing SigV4Options and a session token.
// Properties: only std::invalid_argument (no Host header) escapes; the signature is 64 lowercase
// hex digits and ends the Authorization value; the cached signing key gives the same signature;
// uri_encode keeps only unreserved bytes and decodes back to its input.
#include "common/aws/sigv4.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

using namespace common::aws;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void check_uri_encode(std::string_view value, bool encode_slash) {
  const std::string encoded = uri_encode(value, encode_slash);
  std::string decoded;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%') {
      SMSC_FUZZ_CHECK(i + 2 < encoded.size(), encoded);
      const int hi = hex(encoded[i + 1]), lo = hex(encoded[i + 2]);
      SMSC_FUZZ_CHECK(hi >= 0 && lo >= 0, encoded);  // uppercase hex only
      decoded.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
      continue;
    }
    const bool unreserved = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                            c == '_' || c == '~' || (c == '/' && !encode_slash);
    SMSC_FUZZ_CHECK(unreserved, encoded);
    decoded.push_back(c);
  }
  SMSC_FUZZ_CHECK(decoded == value, encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = smsc_fuzz::text(data, size);
  unsigned flags = 0;
  if (!input.empty() && static_cast<unsigned char>(input[0]) < 0x20 && input[0] != '\n' &&
      input[0] != '\r' && input[0] != '\t') {
    flags = static_cast<unsigned char>(input[0]);
    input.remove_prefix(1);
  }
  SigV4Options options;
  options.normalize_path = !(flags & 1);
  options.double_encode_path = !(flags & 2);
  options.add_content_sha256 = flags & 4;
  options.sign_session_token = !(flags & 8);
  Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          flags & 16 ? "AQoDYXdzEPT//////////wEXAMPLEtoken" : ""};

  // The request text: "METHOD TARGET HTTP/1.1", "Name:value" lines, blank line, body.
  SigningRequest request;
  std::size_t line_end = input.find('\n');
  std::string_view request_line = input.substr(0, line_end);
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view{} : input.substr(line_end + 1);
  const std::size_t first_space = request_line.find(' ');
  request.method = std::string(request_line.substr(0, first_space));
  std::string_view target = first_space == std::string_view::npos
                                ? std::string_view{}
                                : request_line.substr(first_space + 1);
  if (const std::size_t last = target.rfind(" HTTP/"); last != std::string_view::npos) {
    target = target.substr(0, last);
  }
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  bool has_host = false;
  while (!rest.empty()) {
    line_end = rest.find('\n');
    std::string_view line = rest.substr(0, line_end);
    rest = line_end == std::string_view::npos ? std::string_view{} : rest.substr(line_end + 1);
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.emplace_back(request.headers.back().first, std::string(line));
      continue;
    }
    const std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value =
        colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    has_host = has_host || iequals(name, "host");
    request.headers.emplace_back(std::string(name), std::string(value));
  }
  request.body = rest;
  const auto now = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} +
                   std::chrono::hours(12) +
                   std::chrono::seconds(static_cast<std::int64_t>(flags) * 86399);

  SigV4Result result;
  try {
    result = sign_v4(request, credentials, "us-east-1", "service", now, options);
  } catch (const std::invalid_argument& e) {
    SMSC_FUZZ_CHECK(!has_host, e.what());
    return 0;
  }
  SMSC_FUZZ_CHECK(result.signature.size() == 64, result.signature);
  for (char c : result.signature) {
    SMSC_FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), result.signature);
  }
  SMSC_FUZZ_CHECK(result.authorization.ends_with("Signature=" + result.signature),
                  result.authorization);
  SMSC_FUZZ_CHECK(result.canonical_request.rfind(request.method + "\n", 0) == 0,
                  result.canonical_request);
  SMSC_FUZZ_CHECK(
      !result.headers_to_add.empty() && result.headers_to_add.back().first == "Authorization",
      result.authorization);

  // Signing through a key cache gives the same signature. The cache lives across inputs, as a
  // client's does: a hit when the date is the last input's, else a miss that replaces the key.
  static SigningKeyCache cache;
  const SigV4Result cached =
      sign_v4(request, credentials, "us-east-1", "service", now, options, &cache);
  SMSC_FUZZ_CHECK(cached.signature == result.signature, cached.canonical_request);

  check_uri_encode(request.path, false);
  check_uri_encode(request.query, true);
  return 0;
}
