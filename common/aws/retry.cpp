#include "common/aws/retry.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <string>

namespace common::aws {
namespace {

// The SDKs' throttling codes (botocore/Java v2 standard mode), plus those the
// service models of DynamoDB and PinpointSMSVoiceV2 mark as throttling.
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    "ThrottlingError"};

// Transient codes of the SDKs, plus those the models mark retryable
// (InternalServerException of PinpointSMSVoiceV2, InternalServerError of DynamoDB).
constexpr std::array<std::string_view, 9> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
    "InternalServerError", "InternalServerException", "ServiceUnavailable",
    "ServiceUnavailableException", "InternalFailure", "IDPCommunicationError"};

// Codes that are never retried, whatever the HTTP status.
constexpr std::array<std::string_view, 6> kFinalCodes = {
    "ConditionalCheckFailedException", "ValidationException", "ResourceNotFoundException",
    "ConflictException", "TransactionCanceledException", "ClientValidationError"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

}  // namespace

RetryConfig retry_config_from_environment(const Environment& env) {
  RetryConfig config;
  if (auto mode = env.get("AWS_RETRY_MODE")) {
    if (*mode != "standard" && *mode != "legacy") {
      throw std::invalid_argument("AWS_RETRY_MODE must be 'standard' or 'legacy' (got '" + *mode +
                                  "'); adaptive mode is not supported");
    }
  }
  if (auto attempts = env.get("AWS_MAX_ATTEMPTS")) {
    int value = 0;
    auto [end, ec] = std::from_chars(attempts->data(), attempts->data() + attempts->size(), value);
    if (ec != std::errc{} || end != attempts->data() + attempts->size() || value < 1) {
      throw std::invalid_argument("AWS_MAX_ATTEMPTS must be an integer >= 1 (got '" + *attempts +
                                  "')");
    }
    config.max_attempts = value;
  }
  return config;
}

ErrorKind classify_error(long http_status, std::string_view code) {
  if (http_status == 0) return ErrorKind::kTransient;
  if (contains(kThrottlingCodes, code) || http_status == 429) return ErrorKind::kThrottling;
  if (contains(kTransientCodes, code)) return ErrorKind::kTransient;
  // A refusal stays a refusal even behind an odd status: retrying cannot change it.
  if (contains(kFinalCodes, code) || code.starts_with("AccessDenied")) return ErrorKind::kFinal;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return ErrorKind::kTransient;
  }
  return ErrorKind::kFinal;
}

bool RetryQuota::acquire(bool after_timeout) {
  const int cost = after_timeout ? kTimeoutRetryCost : kRetryCost;
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  return true;
}

void RetryQuota::on_success(int last_retry_cost) {
  tokens_ = std::min(kCapacity, tokens_ + (last_retry_cost > 0 ? last_retry_cost : 1));
}

std::chrono::milliseconds backoff_delay(const RetryConfig& config, int retry, bool throttling,
                                        std::mt19937_64& rng) {
  const auto base = throttling ? config.throttling_base_delay : config.base_delay;
  const int exponent = std::clamp(retry - 1, 0, 30);
  const double ceiling = std::min<double>(static_cast<double>(config.max_backoff.count()),
                                          static_cast<double>(base.count()) * double(1LL << exponent));
  std::uniform_real_distribution<double> jitter(0.0, ceiling);
  return std::chrono::milliseconds(static_cast<long long>(jitter(rng)));
}

}  // namespace common::aws
