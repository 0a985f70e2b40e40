// The general error of this project for failures that are not an AWS answer: a contact that
// keeps changing under a read-decide-write, a message another delivery is processing, a business
// backend that did not answer. AWS answers stay common::aws::AwsError (common/aws/error.hpp).
//
// Error vocabulary per layer (docs/architecture.md):
//   common/aws clients  -> Outcome<T> (a value or an AwsError); they never throw for an answer.
//   stores and handlers -> exceptions: common::aws::AwsException for an AWS failure the caller
//                          does not handle, common::Error for everything else. A handler catches
//                          per record / per request and turns them into its own answer.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace common {

/// A failure outside AWS, with a stable code a caller (or a test) may branch on and whether a
/// retry of the same work may succeed. Built only through the named constructors.
class Error : public std::runtime_error {
 public:
  /// A failure a later attempt may not meet (contention, a busy message, a backend timeout):
  /// the invocation should fail so Lambda retries it. `code`: "ContactContention", ...
  static Error transient(std::string source, std::string code, std::string message) {
    return Error(std::move(source), std::move(code), std::move(message), true);
  }
  /// A failure that repeats on every attempt (a refused request, bad configuration).
  static Error permanent(std::string source, std::string code, std::string message) {
    return Error(std::move(source), std::move(code), std::move(message), false);
  }

  const std::string& source() const { return source_; }  ///< "consent", "sms-inbound", "backend"
  const std::string& code() const { return code_; }
  bool retryable() const { return retryable_; }

 private:
  Error(std::string source, std::string code, std::string message, bool retryable)
      : std::runtime_error(source + ": " + code + ": " + message),
        source_(std::move(source)),
        code_(std::move(code)),
        retryable_(retryable) {}

  std::string source_;
  std::string code_;
  bool retryable_;
};

}  // namespace common
