#include "common/aws/error.hpp"

namespace common::aws {

namespace {

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629, table 3-7 of the
// Unicode standard), or 0 when there is none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string sanitize_error_code(std::string_view raw) {
  // The ':' cut comes first: what follows it is a URL that may itself hold a '#'.
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  std::string code(raw);
  for (char& c : code) {
    if (c < 0x20 || c > 0x7E) c = '?';  // char may be signed: bytes >= 0x80 are negative
  }
  return code;
}

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

AwsError AwsError::of_kind(ErrorKind kind, std::string_view service, std::string_view operation,
                           std::string code, std::string message) {
  AwsError error;
  error.service = std::string(service);
  error.operation = std::string(operation);
  error.code = std::move(code);
  error.message = std::move(message);
  error.kind = kind;
  return error;
}

AwsError AwsError::throttling(std::string_view service, std::string_view operation,
                              std::string code, std::string message) {
  return of_kind(ErrorKind::kThrottling, service, operation, std::move(code), std::move(message));
}

AwsError AwsError::transient(std::string_view service, std::string_view operation, std::string code,
                             std::string message) {
  return of_kind(ErrorKind::kTransient, service, operation, std::move(code), std::move(message));
}

AwsError AwsError::final_error(std::string_view service, std::string_view operation,
                               std::string code, std::string message) {
  return of_kind(ErrorKind::kFinal, service, operation, std::move(code), std::move(message));
}

AwsError AwsError::network(std::string_view service, std::string_view operation, bool timed_out,
                           std::string_view transport_error, int attempts) {
  AwsError error = transient(service, operation, timed_out ? "RequestTimeout" : "NetworkError",
                             to_valid_utf8(transport_error));
  error.attempts = attempts;
  return error;
}

AwsError AwsError::deadline_exceeded(std::string_view service, std::string_view operation,
                                     int attempts_made) {
  AwsError error = transient(service, operation, "DeadlineExceeded",
                             "not started: the invocation deadline is too close");
  error.attempts = attempts_made;
  return error;
}

AwsError AwsError::client_validation(std::string_view service, std::string_view operation,
                                     std::string problem) {
  AwsError error = final_error(service, operation, "ClientValidationError", std::move(problem));
  error.attempts = 0;
  return error;
}

AwsError malformed_response_error(std::string_view service, std::string_view operation,
                                  long http_status, std::string_view problem, std::string body) {
  AwsError error =
      AwsError::final_error(service, operation, "MalformedResponse", to_valid_utf8(problem));
  error.http_status = http_status;
  error.body = std::move(body);
  return error;
}

std::string AwsError::describe() const {
  std::string out = service + " " + operation + ": " + code;
  if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
  if (!reason.empty()) out += " reason " + reason;
  if (!message.empty()) out += ": " + message;
  out += " [";
  if (!request_id.empty()) out += "request id " + request_id + ", ";
  out += std::to_string(attempts) + (attempts == 1 ? " attempt]" : " attempts]");
  return out;
}

}  // namespace common::aws
