// The one error type of the AWS layer, and Outcome<T>: a value or that error.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace common::aws {

/// How a failed call may be treated by the caller and by the retry loop.
enum class ErrorKind {
  kThrottling,  // the service asked us to slow down: retryable with backoff
  kTransient,   // connection/timeout/5xx: retryable
  kFinal,       // the request itself is wrong or refused: retrying will not help
};

/// A failed AWS call: everything the caller may branch on, without string matching
/// on messages. `code` is sanitised as the SDKs do ("ns#Code:extra" -> "Code").
/// Built with the named constructors below; the members an answer adds (http_status,
/// request_id, reason, body, attempts) are then set by name.
struct AwsError {
  std::string service;     // "dynamodb", "sms-voice"
  std::string operation;   // "PutItem", "SendTextMessage"
  std::string code;        // "ConditionalCheckFailedException"; when no response arrived:
                           // "NetworkError", "RequestTimeout" (the attempt timed out) or
                           // "DeadlineExceeded" (too little time left to start one); an
                           // answer we cannot read: "MalformedResponse"; refused before
                           // sending: "ClientValidationError"
  std::string message;     // the service's message, or the transport error
  std::string reason;      // End User Messaging `Reason` (DESTINATION_PHONE_NUMBER_OPTED_OUT, ...)
  long http_status = 0;    // 0 when no HTTP response arrived
  std::string request_id;  // x-amzn-RequestId
  int attempts = 1;        // attempts made, including the first
  ErrorKind kind = ErrorKind::kFinal;
  /// The error response's body as received (JSON), for members only the operation
  /// knows (DynamoDB's `Item` on a failed condition, `CancellationReasons`); empty
  /// when no response arrived.
  std::string body{};
  /// An earlier attempt of the same call got no answer: the request may have taken effect even
  /// though this (last) answer says it failed. outcome_unknown() is then true.
  bool earlier_attempt_unanswered = false;

  /// A failure of `kind`: the general form of the three below.
  static AwsError of_kind(ErrorKind kind, std::string_view service, std::string_view operation,
                          std::string code, std::string message);
  /// The service asked us to slow down: retried with the throttling backoff.
  static AwsError throttling(std::string_view service, std::string_view operation, std::string code,
                             std::string message);
  /// A failure a later attempt may not meet (a 5xx-like answer): retryable.
  static AwsError transient(std::string_view service, std::string_view operation, std::string code,
                            std::string message);
  /// The request itself is wrong or refused: retrying will not help.
  static AwsError final_error(std::string_view service, std::string_view operation,
                              std::string code, std::string message);
  /// No response arrived after `attempts` attempts: "RequestTimeout" when the last one timed
  /// out, else "NetworkError"; transient, http_status 0 (the outcome is unknown).
  /// `transport_error` (libcurl's text) becomes the message, made valid UTF-8.
  static AwsError network(std::string_view service, std::string_view operation, bool timed_out,
                          std::string_view transport_error, int attempts);
  /// Not started: too little time is left before the invocation deadline. "DeadlineExceeded",
  /// transient, after `attempts_made` attempts (0 when none was made).
  static AwsError deadline_exceeded(std::string_view service, std::string_view operation,
                                    int attempts_made);
  /// Refused before sending (the request breaks the service model's constraints, or cannot be
  /// written as JSON): "ClientValidationError", final, 0 attempts. `problem` names the member.
  static AwsError client_validation(std::string_view service, std::string_view operation,
                                    std::string problem);

  /// True for throttling and transient errors.
  bool retryable() const { return kind != ErrorKind::kFinal; }
  /// True when the service asked us to slow down.
  bool throttling() const { return kind == ErrorKind::kThrottling; }
  /// True for connection failures, timeouts and 5xx-like errors.
  bool transient() const { return kind == ErrorKind::kTransient; }
  /// True when the sanitised code is `error_code` (e.g. is("ResourceNotFoundException")).
  bool is(std::string_view error_code) const { return code == error_code; }
  /// True when no response arrived (to this attempt or an earlier one of the same call), so the
  /// request may or may not have taken effect.
  bool outcome_unknown() const { return http_status == 0 || earlier_attempt_unanswered; }
  /// One line for logs: "dynamodb PutItem: Code (HTTP 400): message [request id, N attempts]".
  std::string describe() const;
};

/// Sanitises an error code as the AWS SDKs do: the text after the last '#' and
/// before the first ':' ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" ->
/// "ResourceNotFoundException"; "ThrottlingException:http://..." -> "ThrottlingException").
/// Codes are printable ASCII: any other byte (a control, a broken header) becomes '?', so a
/// code is always safe to log or put into JSON.
std::string sanitize_error_code(std::string_view raw);

/// `text` with every byte that does not begin a well-formed UTF-8 sequence (stray
/// continuation bytes, overlong forms, surrogates, values above U+10FFFF, cut sequences)
/// replaced by U+FFFD; valid text comes back unchanged. Every text member of an AwsError built
/// from outside data goes through it, so describe() and JSON writers never meet invalid UTF-8.
std::string to_valid_utf8(std::string_view text);

/// The AwsError for an answer that arrived but cannot be read: a success body, or an error body
/// the operation needs (TransactionCanceledException's reasons), that is malformed JSON or not
/// what the service sends. Code "MalformedResponse", kind final, `problem` (naming the field,
/// made valid UTF-8) as the message, `body` kept. The request may have taken effect.
AwsError malformed_response_error(std::string_view service, std::string_view operation,
                                  long http_status, std::string_view problem, std::string body);

/// An AwsError raised as an exception, for failures the caller does not handle
/// (Lambda then records the invocation as failed and retries it).
class AwsException : public std::runtime_error {
 public:
  explicit AwsException(AwsError error)
      : std::runtime_error(error.describe()), error_(std::move(error)) {}
  const AwsError& error() const { return error_; }

 private:
  AwsError error_;
};

/// Either a T or an AwsError. `value()` on an error throws AwsException.
template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Outcome(AwsError error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& {
    if (!ok()) throw AwsException(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) throw AwsException(std::get<1>(v_));
    return std::get<0>(std::move(v_));
  }
  /// Precondition: !ok().
  const AwsError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, AwsError> v_;
};

}  // namespace common::aws
