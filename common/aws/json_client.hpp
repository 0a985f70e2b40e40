// AWS JSON 1.0 protocol client: signs, sends, retries, and turns errors into AwsError values.
#pragma once

#include <chrono>
#include <functional>
#include <random>
#include <string>
#include <string_view>

#include "common/aws/credentials.hpp"
#include "common/aws/endpoints.hpp"
#include "common/aws/error.hpp"
#include "common/aws/http.hpp"
#include "common/aws/json_parser.hpp"
#include "common/aws/retry.hpp"
#include "common/aws/sigv4.hpp"

namespace common::aws {

/// Everything a JsonClient needs; see client_config_from_environment().
struct JsonClientConfig {
  std::string region;
  Credentials credentials;
  Endpoint endpoint;
  RetryConfig retry;
  HttpClientOptions http;
  /// Limit for one attempt; also bounded by the time left before the deadline.
  std::chrono::milliseconds attempt_timeout{5000};
  /// Waits between retries; tests replace it to run without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// Reads the shared settings from the environment: AWS_REGION (else
/// AWS_DEFAULT_REGION), credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
/// AWS_SESSION_TOKEN), the service's endpoint (see resolve_endpoint), retry
/// settings (see retry_config_from_environment) and the CA bundle.
/// Throws std::invalid_argument with the variable's name when one is missing or bad.
JsonClientConfig client_config_from_environment(const ServiceInfo& service, const Environment& env);

/// Turns a failed exchange into an AwsError the way the AWS JSON protocols
/// define it: code from the `X-Amzn-Errortype` header, else the body's
/// `__type`, else `code` (sanitised), message from `message`/`Message`,
/// `Reason`, request id from `x-amzn-RequestId`, the body kept, and the kind
/// from classify_error(). A body that is not one well-formed JSON object (empty,
/// a proxy's HTML, truncated, malformed anywhere) gives no members; without a code
/// header such a body under 512 bytes becomes the message, the code "HTTP<status>".
/// No response: "RequestTimeout" or "NetworkError", transient. Never throws (but for memory).
AwsError error_from_response(std::string_view service, std::string_view operation,
                             const HttpResponse& response, int attempts);
/// The same, reading the body with `parser` (see JsonParser: reused buffers).
AwsError error_from_response(JsonParser& parser, std::string_view service,
                             std::string_view operation, const HttpResponse& response,
                             int attempts);

/// How the last call() went, for tests, logs and metrics.
struct CallStats {
  int attempts = 0;                      // attempts sent (a stale-connection resend not counted)
  int fresh_connection_retries = 0;      // resends after a kept-alive connection turned out dead
  std::chrono::milliseconds backoff{0};  // total time slept between attempts
};

/// A client for one AWS service that speaks JSON 1.0 (`POST /`,
/// `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target: <prefix>.<Op>`),
/// signed with SigV4. It keeps one connection alive across calls, retries as
/// the SDKs' standard mode does (see retry.hpp), and never starts an attempt
/// that cannot end before the deadline set with set_deadline(): each attempt's
/// total timeout is min(attempt_timeout, time left). A kept-alive connection
/// found dead on use (the server closed it while the Lambda sandbox was frozen)
/// is retried once at once on a fresh connection, costing neither an attempt
/// nor retry quota. It owns the client's one JsonParser: error bodies are read with it, and
/// the service clients built on it read their answers with it. Not thread-safe.
class JsonClient {
 public:
  JsonClient(const ServiceInfo& service, JsonClientConfig config);

  /// Calls `operation` with a JSON request body. Success: the response body
  /// (JSON text). Failure: AwsError with the sanitised code, message, Reason,
  /// HTTP status, request id and attempts; never throws for service or network errors.
  /// When a call is retried after an attempt that got no answer (a timeout, a connection lost
  /// after the request went out): kAlways for idempotent operations (every DynamoDB call here is
  /// conditional or idempotent); kNotAfterNoAnswer for one that must not run twice
  /// (SendTextMessage: a second attempt would send a second text), which then ends with the
  /// unanswered attempt's error (outcome_unknown()). Connect failures are retried either way:
  /// nothing was sent.
  enum class Retry { kAlways, kNotAfterNoAnswer };

  Outcome<std::string> call(std::string_view operation, const std::string& body,
                            Retry retry = Retry::kAlways);

  /// The instant (UTC) by which every call must have finished: the current
  /// invocation's deadline. Default: no deadline.
  void set_deadline(std::chrono::system_clock::time_point deadline) { deadline_ = deadline; }

  /// The deadline set with set_deadline() (time_point::max() when none).
  std::chrono::system_clock::time_point deadline() const { return deadline_; }

  /// For a caller's own retry loop (e.g. DynamoDB's UnprocessedItems): sleeps the
  /// full-jitter backoff before retry number `retry` (1-based) and returns true,
  /// or returns false at once when an attempt after that wait could not finish
  /// before the deadline. Spends no retry quota.
  bool wait_before_retry(int retry, bool throttling);

  const ServiceInfo& service() const { return service_; }
  const JsonClientConfig& config() const { return config_; }
  /// Tokens left in the retry quota (for tests and metrics).
  int retry_tokens() const { return quota_.available(); }
  /// How the last call() went.
  const CallStats& last_call() const { return last_call_; }
  /// The parser for this client's answers, reused across calls. call() has finished with it
  /// when it returns, so the caller may read the answer with it.
  JsonParser& parser() { return parser_; }

 private:
  HttpResponse send_once(const std::string& target, const std::string& body,
                         std::chrono::milliseconds timeout, bool fresh_connection);

  AwsError to_error(std::string_view operation, const HttpResponse& response, int attempts);

  ServiceInfo service_;
  JsonClientConfig config_;
  HttpClient http_;
  RetryQuota quota_;
  SigningKeyCache signing_keys_;  // the day's signing key, derived once
  CallStats last_call_;
  JsonParser parser_;
  std::mt19937_64 rng_;
  std::chrono::system_clock::time_point deadline_ = std::chrono::system_clock::time_point::max();
};

}  // namespace common::aws
