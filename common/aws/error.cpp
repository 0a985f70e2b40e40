#include "common/aws/error.hpp"

namespace common::aws {

std::string sanitize_error_code(std::string_view raw) {
  // The ':' cut comes first: what follows it is a URL that may itself hold a '#'.
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  return std::string(raw);
}

AwsError malformed_response_error(std::string_view service, std::string_view operation,
                                  long http_status, std::string_view problem, std::string body) {
  AwsError error;
  error.service = std::string(service);
  error.operation = std::string(operation);
  error.code = "MalformedResponse";
  error.message = std::string(problem);
  error.http_status = http_status;
  error.kind = ErrorKind::kFinal;
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
