// Retry decisions of the AWS SDKs' "standard" mode: which errors, how long to wait, how often.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string_view>

#include "common/aws/environment.hpp"
#include "common/aws/error.hpp"

namespace common::aws {

/// Retry settings. Defaults follow the SDKs' standard mode: 3 attempts in all,
/// full-jitter exponential backoff capped at 20 s.
///
/// Base delays (our choice): 25 ms for ordinary transient errors, as the AWS
/// SDKs use for DynamoDB, because a Lambda invocation has seconds, not minutes,
/// to spend; 500 ms for throttling, because a throttled service needs the
/// pause to recover and a shorter wait only spends the quota.
struct RetryConfig {
  int max_attempts = 3;
  std::chrono::milliseconds base_delay{25};
  std::chrono::milliseconds throttling_base_delay{500};
  std::chrono::milliseconds max_backoff{20000};
};

/// Reads AWS_RETRY_MODE (standard; legacy is treated as standard; adaptive is
/// refused) and AWS_MAX_ATTEMPTS (integer >= 1, default 3).
/// Throws std::invalid_argument naming the variable on a bad value.
RetryConfig retry_config_from_environment(const Environment& env);

/// Classifies a failed call. `http_status` 0 means no response (connection
/// failure or timeout: transient). Throttling codes (ThrottlingException,
/// ProvisionedThroughputExceededException, RequestLimitExceeded,
/// TooManyRequestsException, LimitExceededException,
/// TransactionInProgressException, ...) and 429 are kThrottling;
/// 500/502/503/504, RequestTimeout, PriorRequestNotComplete, InternalServer*
/// and ServiceUnavailable* are kTransient; everything else
/// (ConditionalCheckFailedException, ValidationException, AccessDenied*,
/// ResourceNotFoundException, ConflictException, TransactionCanceledException,
/// ...) is kFinal, whatever the status.
ErrorKind classify_error(long http_status, std::string_view code);

/// The SDKs' retry quota: a token bucket of 500; a retry costs 5 (10 after a
/// timeout); a success refunds what its retry cost, or 1 when it needed none.
/// When the bucket cannot pay, the error goes to the caller unretried, which
/// stops a struggling service being hit by every client's retries at once.
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutRetryCost = 10;

  /// Takes the cost of one retry; false (nothing taken) when the bucket is too low.
  bool acquire(bool after_timeout);
  /// Refunds after a successful call: `cost` of its last retry, or 1 when it had none.
  void on_success(int last_retry_cost);
  int available() const { return tokens_; }

 private:
  int tokens_ = kCapacity;
};

/// Full-jitter exponential backoff before retry number `retry` (1-based):
/// uniform in [0, min(max_backoff, base * 2^(retry-1))].
std::chrono::milliseconds backoff_delay(const RetryConfig& config, int retry, bool throttling,
                                        std::mt19937_64& rng);

}  // namespace common::aws
