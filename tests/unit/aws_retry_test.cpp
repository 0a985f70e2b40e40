// Retry decisions of the SDKs' standard mode (AWS SDKs and Tools reference guide,
// "Retry behavior"): classification, backoff bounds, quota, settings.
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

}  // namespace
