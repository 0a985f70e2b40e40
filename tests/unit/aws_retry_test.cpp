// Retry decisions of the SDKs' standard mode (AWS SDKs and Tools reference guide, "Retry
// behavior"): classification, backoff bounds, quota, settings; and how AwsError is built.
#include <gtest/gtest.h>

#include <random>

#include "common/aws/error.hpp"
#include "common/aws/retry.hpp"

namespace {

using common::aws::backoff_delay;
using common::aws::classify_error;
using common::aws::Environment;
using common::aws::ErrorKind;
using common::aws::RetryConfig;
using common::aws::RetryQuota;
using std::chrono::milliseconds;

TEST(AwsRetry, ThrottlingCodesAndStatus429AreThrottling) {
  for (const char* code : {"ThrottlingException", "ProvisionedThroughputExceededException",
                           "RequestLimitExceeded", "TooManyRequestsException",
                           "LimitExceededException", "TransactionInProgressException"}) {
    EXPECT_EQ(classify_error(400, code), ErrorKind::kThrottling) << code;
  }
  EXPECT_EQ(classify_error(429, "Whatever"), ErrorKind::kThrottling);
}

TEST(AwsRetry, ConnectionFailuresFiveHundredsAndTimeoutsAreTransient) {
  EXPECT_EQ(classify_error(0, "NetworkError"), ErrorKind::kTransient);
  for (long status : {500L, 502L, 503L, 504L}) {
    EXPECT_EQ(classify_error(status, "HTTP" + std::to_string(status)), ErrorKind::kTransient);
  }
  EXPECT_EQ(classify_error(400, "RequestTimeout"), ErrorKind::kTransient);
  EXPECT_EQ(classify_error(400, "PriorRequestNotComplete"), ErrorKind::kTransient);
  EXPECT_EQ(classify_error(500, "InternalServerException"), ErrorKind::kTransient);
}

TEST(AwsRetry, RefusalsAreFinalWhateverTheStatus) {
  for (const char* code : {"ConditionalCheckFailedException", "ValidationException",
                           "AccessDeniedException", "AccessDenied", "ResourceNotFoundException",
                           "ConflictException", "TransactionCanceledException"}) {
    EXPECT_EQ(classify_error(400, code), ErrorKind::kFinal) << code;
    EXPECT_EQ(classify_error(503, code), ErrorKind::kFinal) << code;
  }
  EXPECT_EQ(classify_error(404, "HTTP404"), ErrorKind::kFinal);
}

TEST(AwsRetry, BackoffIsFullJitterUnderTheDoublingCeilingAndTheCap) {
  std::mt19937_64 rng(42);
  RetryConfig config;
  for (int retry = 1; retry <= 12; ++retry) {
    for (bool throttling : {false, true}) {
      const double base = throttling ? 500.0 : 25.0;
      const double ceiling = std::min(20000.0, base * double(1 << (retry - 1)));
      double sum = 0;
      milliseconds max{0};
      for (int i = 0; i < 2000; ++i) {
        const auto d = backoff_delay(config, retry, throttling, rng);
        ASSERT_GE(d.count(), 0);
        ASSERT_LE(d.count(), ceiling);
        max = std::max(max, d);
        sum += double(d.count());
      }
      // Uniform on [0, ceiling]: mean near half, and the top is reached.
      EXPECT_NEAR(sum / 2000, ceiling / 2, ceiling * 0.05 + 1) << retry << " " << throttling;
      EXPECT_GE(double(max.count()), ceiling * 0.95 - 1);
    }
  }
}

TEST(AwsRetry, QuotaCostsFiveOrTenAndRefundsOnSuccess) {
  RetryQuota quota;
  EXPECT_EQ(quota.available(), 500);
  EXPECT_TRUE(quota.acquire(false));
  EXPECT_EQ(quota.available(), 495);
  EXPECT_TRUE(quota.acquire(true));
  EXPECT_EQ(quota.available(), 485);
  quota.on_success(RetryQuota::kTimeoutRetryCost);
  EXPECT_EQ(quota.available(), 495);
  quota.on_success(0);
  EXPECT_EQ(quota.available(), 496);
  while (quota.acquire(false)) {
  }
  EXPECT_EQ(quota.available(), 1);
  EXPECT_FALSE(quota.acquire(false));
  EXPECT_EQ(quota.available(), 1);
  for (int i = 0; i < 1000; ++i) quota.on_success(RetryQuota::kRetryCost);
  EXPECT_EQ(quota.available(), 500);  // never above capacity
}

TEST(AwsRetry, SettingsComeFromAwsMaxAttemptsAndAwsRetryMode) {
  EXPECT_EQ(common::aws::retry_config_from_environment(Environment::from_map({})).max_attempts, 3);
  EXPECT_EQ(common::aws::retry_config_from_environment(
                Environment::from_map({{"AWS_MAX_ATTEMPTS", "7"}, {"AWS_RETRY_MODE", "legacy"}}))
                .max_attempts,
            7);
  for (const char* bad : {"0", "-1", "3x", "many"}) {
    EXPECT_THROW(common::aws::retry_config_from_environment(
                     Environment::from_map({{"AWS_MAX_ATTEMPTS", bad}})),
                 std::invalid_argument)
        << bad;
  }
  EXPECT_THROW(common::aws::retry_config_from_environment(
                   Environment::from_map({{"AWS_RETRY_MODE", "adaptive"}})),
               std::invalid_argument);
}

TEST(AwsError, CodesAreSanitisedAsTheSdksDo) {
  EXPECT_EQ(common::aws::sanitize_error_code("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
            "ResourceNotFoundException");
  EXPECT_EQ(common::aws::sanitize_error_code("ThrottlingException:http://internal.amazon.com/"),
            "ThrottlingException");
  EXPECT_EQ(common::aws::sanitize_error_code("aws.protocoltests#FooError:http://x#y"), "FooError");
  EXPECT_EQ(common::aws::sanitize_error_code("ValidationException"), "ValidationException");
}

// Issue 11, item 5: an AwsError is built by what happened, never from nine positional members.
TEST(AwsError, NamedConstructorsSetTheKindTheCodeAndTheAttempts) {
  using common::aws::AwsError;
  const AwsError transient = AwsError::transient("dynamodb", "PutItem", "InternalServerError", "m");
  EXPECT_EQ(transient.service, "dynamodb");
  EXPECT_EQ(transient.operation, "PutItem");
  EXPECT_EQ(transient.code, "InternalServerError");
  EXPECT_EQ(transient.message, "m");
  EXPECT_TRUE(transient.transient());
  EXPECT_EQ(transient.attempts, 1);
  EXPECT_TRUE(AwsError::throttling("dynamodb", "Query", "ThrottlingException", "").throttling());
  const AwsError final_error = AwsError::final_error("sms-voice", "SendTextMessage", "X", "m");
  EXPECT_FALSE(final_error.retryable());
  EXPECT_EQ(AwsError::of_kind(ErrorKind::kThrottling, "s", "o", "c", "m").kind,
            ErrorKind::kThrottling);

  const AwsError timeout = AwsError::network("dynamodb", "GetItem", true, "timed out", 3);
  EXPECT_EQ(timeout.code, "RequestTimeout");
  EXPECT_TRUE(timeout.transient());
  EXPECT_TRUE(timeout.outcome_unknown());
  EXPECT_EQ(timeout.attempts, 3);
  EXPECT_EQ(AwsError::network("dynamodb", "GetItem", false, "refused", 1).code, "NetworkError");
  // libcurl's text is outside data: made valid UTF-8 like every other member.
  EXPECT_EQ(AwsError::network("dynamodb", "GetItem", false, "bad \xff", 1).message,
            "bad \xef\xbf\xbd");

  const AwsError late = AwsError::deadline_exceeded("dynamodb", "Query", 0);
  EXPECT_EQ(late.code, "DeadlineExceeded");
  EXPECT_TRUE(late.transient());
  EXPECT_EQ(late.attempts, 0);

  const AwsError refused = AwsError::client_validation("sms-voice", "SendTextMessage", "Keyword");
  EXPECT_EQ(refused.code, "ClientValidationError");
  EXPECT_FALSE(refused.retryable());
  EXPECT_EQ(refused.attempts, 0);

  const AwsError malformed =
      common::aws::malformed_response_error("dynamodb", "GetItem", 200, "Item is not an object", "[]");
  EXPECT_EQ(malformed.code, "MalformedResponse");
  EXPECT_FALSE(malformed.retryable());
  EXPECT_EQ(malformed.http_status, 200);
  EXPECT_EQ(malformed.body, "[]");
}

}  // namespace
