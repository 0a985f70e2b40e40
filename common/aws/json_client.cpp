#include "common/aws/json_client.hpp"

#include <simdjson.h>

#include <optional>
#include <stdexcept>
#include <thread>

#include "common/aws/json_read.hpp"
#include "common/aws/sigv4.hpp"

namespace common::aws {
namespace {

using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;

// Below this much time left, an attempt is not worth starting.
constexpr milliseconds kMinimumAttemptTime{100};

std::string require(const Environment& env, const char* name) {
  auto v = env.get(name);
  if (!v) throw std::invalid_argument(std::string(name) + " is not set");
  return *v;
}

// The members of an AWS JSON error body that say what went wrong.
struct ErrorBodyMembers {
  std::string type;     // __type
  std::string code;     // code
  std::string message;  // message, else Message
  std::string reason;   // Reason
};

// Reads the error body in one pass, every error checked before the next lookup. A body that is
// not one well-formed JSON object (empty, HTML from a proxy, truncated) yields nothing: members
// read before the point where it breaks are not trusted either.
std::optional<ErrorBodyMembers> read_error_body(JsonParser& parser, const std::string& body) {
  ErrorBodyMembers out;
  std::string message_upper;  // `Message`, used when there is no `message`
  try {
    simdjson::ondemand::document doc = json_read::iterate(parser, body);
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      const auto text = json_read::string_or_skip(field.value(), 2);
      if (!text) continue;  // another type: not the member we look for
      std::string* target = key == "__type"    ? &out.type
                            : key == "code"    ? &out.code
                            : key == "message" ? &out.message
                            : key == "Message" ? &message_upper
                            : key == "Reason"  ? &out.reason
                                               : nullptr;
      if (target != nullptr) *target = std::string(*text);
    }
    json_read::expect_end(doc);
  } catch (const simdjson::simdjson_error&) {
    return std::nullopt;  // not JSON: the caller falls back to the raw body
  }
  if (out.message.empty()) out.message = std::move(message_upper);
  return out;
}

}  // namespace

JsonClientConfig client_config_from_environment(const ServiceInfo& service,
                                                const Environment& env) {
  JsonClientConfig config;
  auto region = env.get("AWS_REGION");
  if (!region) region = env.get("AWS_DEFAULT_REGION");
  if (!region) throw std::invalid_argument("AWS_REGION is not set");
  config.region = *region;
  config.credentials.access_key_id = require(env, "AWS_ACCESS_KEY_ID");
  config.credentials.secret_access_key = require(env, "AWS_SECRET_ACCESS_KEY");
  config.credentials.session_token = env.get_or("AWS_SESSION_TOKEN", "");
  config.endpoint = resolve_endpoint(service, config.region, env);
  config.retry = retry_config_from_environment(env);
  config.http.ca_bundle = find_ca_bundle(env);
  if (config.http.ca_bundle.empty() && config.endpoint.url.rfind("https://", 0) == 0) {
    throw std::invalid_argument(
        "no CA bundle for https: set SSL_CERT_FILE or AWS_CA_BUNDLE (looked for "
        "/etc/pki/tls/certs/ca-bundle.crt and /etc/ssl/certs/ca-certificates.crt)");
  }
  return config;
}

JsonClient::JsonClient(const ServiceInfo& service, JsonClientConfig config)
    : service_(service),
      config_(std::move(config)),
      http_(config_.http),
      rng_(std::random_device{}()) {
  if (!config_.sleep) config_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

AwsError JsonClient::to_error(std::string_view operation, const HttpResponse& response,
                              int attempts) {
  return error_from_response(parser_, service_.signing_name, operation, response, attempts);
}

AwsError error_from_response(std::string_view service, std::string_view operation,
                             const HttpResponse& response, int attempts) {
  JsonParser parser;
  return error_from_response(parser, service, operation, response, attempts);
}

AwsError error_from_response(JsonParser& parser, std::string_view service,
                             std::string_view operation, const HttpResponse& response,
                             int attempts) {
  if (!response.received()) {
    return AwsError::network(service, operation, response.timed_out, response.transport_error,
                             attempts);
  }
  std::string raw_code = response.header("X-Amzn-Errortype").value_or("");
  std::string message;
  std::string reason;
  // The body may say more (message, Reason); it may also be empty or not JSON.
  if (auto members = read_error_body(parser, response.body)) {
    if (raw_code.empty()) raw_code = members->type;
    if (raw_code.empty()) raw_code = members->code;
    // simdjson has checked that the whole body is UTF-8.
    message = std::move(members->message);
    reason = std::move(members->reason);
  }
  std::string code = sanitize_error_code(raw_code);
  if (code.empty()) code = "HTTP" + std::to_string(response.status);
  // Headers and a body that is not JSON are outside data: made valid UTF-8 (codes: printable
  // ASCII) here, so every log line and response that carries the error can be written.
  if (message.empty() && !response.body.empty() && response.body.size() < 512 && raw_code.empty()) {
    message = to_valid_utf8(response.body);
  }
  const ErrorKind kind = classify_error(response.status, code);
  AwsError error = AwsError::of_kind(kind, service, operation, std::move(code), std::move(message));
  error.reason = std::move(reason);
  error.http_status = response.status;
  error.request_id = to_valid_utf8(response.header("x-amzn-RequestId")
                                       .value_or(response.header("x-amz-request-id").value_or("")));
  error.attempts = attempts;
  error.body = response.body;
  return error;
}

HttpResponse JsonClient::send_once(const std::string& target, const std::string& body,
                                   milliseconds timeout, bool fresh_connection) {
  const SigningRequest signing{std::string("POST"),
                               std::string("/"),
                               std::string(),
                               {{"host", config_.endpoint.host},
                                {"content-type", "application/x-amz-json-1.0"},
                                {"x-amz-target", target}},
                               body};
  SigV4Result signature = sign_v4(signing, config_.credentials, config_.region,
                                  service_.signing_name, Clock::now(), {}, &signing_keys_);
  HttpRequest request;
  request.method = "POST";
  request.url = config_.endpoint.url;
  request.body = body;
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", target},
                     {"User-Agent", "sms-compliance-cpp/0.1"}};
  for (auto& header : signature.headers_to_add) request.headers.push_back(std::move(header));
  request.timeout = timeout;
  request.fresh_connection = fresh_connection;
  return http_.send(request);
}

bool JsonClient::wait_before_retry(int retry, bool throttling) {
  const auto delay = backoff_delay(config_.retry, retry, throttling, rng_);
  if (deadline_ != Clock::time_point::max() &&
      Clock::now() + delay + kMinimumAttemptTime > deadline_) {
    return false;
  }
  config_.sleep(delay);
  return true;
}

Outcome<std::string> JsonClient::call(std::string_view operation, const std::string& body,
                                      Retry retry) {
  const std::string target = std::string(service_.target_prefix) + "." + std::string(operation);
  const bool has_deadline = deadline_ != Clock::time_point::max();
  last_call_ = CallStats{};
  int last_retry_cost = 0;
  bool unanswered = false;  // an attempt went out and got no answer
  for (int attempt = 1;; ++attempt) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    if (has_deadline && left < kMinimumAttemptTime) {
      return AwsError::deadline_exceeded(service_.signing_name, operation, attempt - 1);
    }
    last_call_.attempts = attempt;
    const milliseconds timeout =
        has_deadline ? std::min(config_.attempt_timeout, left) : config_.attempt_timeout;
    HttpResponse response = send_once(target, body, timeout, false);
    // A kept-alive connection the server dropped while we were frozen fails on
    // first use; that says nothing about the service, so resend at once.
    if (!response.received() && response.connection_lost && response.reused_connection &&
        !response.timed_out) {
      ++last_call_.fresh_connection_retries;
      const auto remaining = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
      if (!has_deadline || remaining >= kMinimumAttemptTime) {
        response = send_once(
            target, body,
            has_deadline ? std::min(config_.attempt_timeout, remaining) : config_.attempt_timeout,
            true);
      }
    }
    if (response.status == 200) {
      quota_.on_success(last_retry_cost);
      return std::move(response.body);
    }

    AwsError error = to_error(operation, response, attempt);
    error.earlier_attempt_unanswered = unanswered;
    const bool no_answer = !response.received() && !response.connect_failed;
    unanswered = unanswered || no_answer;
    if (no_answer && retry == Retry::kNotAfterNoAnswer) {
      error.message += " (no retry: the request may have taken effect)";
      return error;
    }
    if (!error.retryable() || attempt >= config_.retry.max_attempts) return error;
    const bool throttling = error.kind == ErrorKind::kThrottling;
    const auto delay = backoff_delay(config_.retry, attempt, throttling, rng_);
    if (has_deadline && Clock::now() + delay + kMinimumAttemptTime > deadline_) {
      error.message += " (no retry: the invocation deadline is too close)";
      return error;
    }
    if (!quota_.acquire(response.timed_out)) {
      error.message += " (no retry: retry quota exhausted)";
      return error;
    }
    last_retry_cost = response.timed_out ? RetryQuota::kTimeoutRetryCost : RetryQuota::kRetryCost;
    last_call_.backoff += delay;
    config_.sleep(delay);
  }
}

}  // namespace common::aws
