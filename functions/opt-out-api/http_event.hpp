// HTTP events as Lambda receives them from an API Gateway HTTP API (payload format 2.0) or a
// Lambda Function URL (same shape, routeKey "$default"), and the response shape both expect.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace opt_out_api {

/// One HTTP request, from a payload 2.0 event.
struct HttpRequest {
  std::string method;  ///< requestContext.http.method, upper case ("POST")
  /// rawPath without a stage prefix ("/prod/opt-out" on stage "prod" -> "/opt-out").
  std::string path;
  std::map<std::string, std::string> headers;  ///< names lower case, as the gateway sends them
  std::string body;                            ///< decoded when isBase64Encoded
  bool body_too_large = false;                 ///< decoded body over the limit: `body` is empty
  bool body_undecodable = false;               ///< isBase64Encoded but not valid base64
  std::string request_id;                      ///< requestContext.requestId
  std::string source_ip;                       ///< requestContext.http.sourceIp
  std::string user_agent;                      ///< requestContext.http.userAgent
  /// requestContext.authorizer.iam (IAM-authorised callers), else null: who called, for logs.
  nlohmann::json caller;
};

/// Reads a payload 2.0 event. Bodies whose decoded size exceeds `max_body_bytes` are flagged,
/// not kept. Throws std::invalid_argument naming the field when the event is not one
/// (no version "2.0", no requestContext.http.method, ...).
HttpRequest parse_http_event(std::string_view payload, std::size_t max_body_bytes);

/// A response in the shape the gateway and Function URLs turn into HTTP:
/// {"statusCode", "headers", "body", "isBase64Encoded": false}.
struct HttpResponse {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::map<std::string, std::string> headers;

  std::string to_event_json() const;
};

/// The error body of every failed request: {"error": {"code", "message", "field"?}}.
HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field = "");

/// Decodes %XX escapes in a path segment ('+' stays '+': it is literal in paths, RFC 3986).
/// Returns false for a malformed escape.
bool percent_decode(std::string_view in, std::string& out);

}  // namespace opt_out_api
