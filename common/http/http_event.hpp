// HTTP events as Lambda receives them from an API Gateway HTTP API (payload format 2.0) or a
// Lambda Function URL (same shape, routeKey "$default"), and the response shape both expect.
// Shared by every HTTP-triggered function (opt-out-api, notify).
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace common::http {

/// Deepest JSON nesting accepted in an event or a request body. Gateway events nest a few levels
/// and our bodies two; deeper input is answered 400 before any recursive nlohmann operation
/// (copy, dump, comparison) could run out of stack on it.
inline constexpr std::size_t kMaxJsonDepth = 32;

/// What check_json() found wrong with a JSON text: the member at fault and why.
struct JsonProblem {
  std::string field;    ///< dotted path ("source.ip", "items[2]"); for depth, at most 3 levels
  std::string message;  ///< "appears more than once", "nests deeper than 32 levels"
};

/// Checks JSON text in one pass of nlohmann's SAX parser (iterative, builds nothing): nesting at
/// most `max_depth` levels (the root value is level 1) and, with `unique_keys`, no member name
/// twice in one object (RFC 8259 leaves duplicates to the reader; "the last one wins" would be a
/// silent choice). Returns the first problem, or nullopt, also for text that is not JSON at all
/// (the parse that follows reports that).
std::optional<JsonProblem> check_json(std::string_view text, std::size_t max_depth,
                                      bool unique_keys);

/// One HTTP request, from a payload 2.0 event.
struct HttpRequest {
  std::string method;  ///< requestContext.http.method, upper case ("POST")
  /// rawPath without a stage prefix ("/prod/opt-out" on stage "prod" -> "/opt-out").
  std::string path;
  std::map<std::string, std::string> headers;  ///< names lower case, as the gateway sends them
  /// queryStringParameters as the gateway sends them: decoded, a repeated name's values joined
  /// with commas; members that are not strings are left out. Empty without a query string.
  std::map<std::string, std::string> query;
  std::string body;                            ///< decoded when isBase64Encoded
  bool body_too_large = false;                 ///< decoded body over the limit: `body` is empty
  bool body_undecodable = false;               ///< isBase64Encoded but not valid base64
  std::string request_id;                      ///< requestContext.requestId
  std::string source_ip;                       ///< requestContext.http.sourceIp
  std::string user_agent;                      ///< requestContext.http.userAgent
  /// Who called, for logs and records: requestContext.authorizer.iam's userArn, else its
  /// callerId, else its accountId (IAM-authorised callers); empty otherwise.
  std::string caller;
  /// Set when the event is an HTTP event but a part of it is unusable: a non-boolean
  /// isBase64Encoded, a body that is not a string, nesting deeper than kMaxJsonDepth. The
  /// request is then answered 400 naming `invalid_field` (see Handler::respond).
  std::string invalid_field;
  std::string invalid_reason;  ///< e.g. "must be a boolean"
};

/// Reads a payload 2.0 event. Bodies whose decoded size exceeds `max_body_bytes` are flagged,
/// not kept; an unusable part is flagged in `invalid_field`. Throws std::invalid_argument
/// naming the field when the event is not one (not JSON, no version "2.0", no
/// requestContext.http.method, ...); nothing else.
HttpRequest parse_http_event(std::string_view payload, std::size_t max_body_bytes);

/// A response in the shape the gateway and Function URLs turn into HTTP:
/// {"statusCode", "headers", "body", "isBase64Encoded": false}.
struct HttpResponse {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::map<std::string, std::string> headers;

  /// The response event. Never throws for its content: text that is not UTF-8 is written
  /// with U+FFFD in its place (nlohmann's replace handler) rather than failing a request whose
  /// work is already done.
  std::string to_event_json() const;
};

/// The error body of every failed request: {"error": {"code", "message", "field"?}}.
HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field = "");

/// Decodes %XX escapes in a path segment ('+' stays '+': it is literal in paths, RFC 3986).
/// Returns false for a malformed escape.
bool percent_decode(std::string_view in, std::string& out);

}  // namespace common::http
