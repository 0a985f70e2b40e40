// Where each AWS service is reached, and under which name requests are signed.
#pragma once

#include <string>
#include <string_view>

#include "common/aws/environment.hpp"

namespace common::aws {

/// The AWS services this layer speaks to, with the names AWS gives them.
struct ServiceInfo {
  std::string_view service_id;      // SDK service id, for AWS_ENDPOINT_URL_<ID>: "DynamoDB"
  std::string_view endpoint_prefix; // host prefix: "dynamodb", "sms-voice"
  std::string_view signing_name;    // SigV4 service name: "dynamodb", "sms-voice"
  std::string_view target_prefix;   // X-Amz-Target prefix: "DynamoDB_20120810"
};

/// DynamoDB (JSON 1.0, X-Amz-Target DynamoDB_20120810.<Op>).
inline constexpr ServiceInfo kDynamoDb{"DynamoDB", "dynamodb", "dynamodb", "DynamoDB_20120810"};
/// End User Messaging SMS, API PinpointSMSVoiceV2 (JSON 1.0, signing name sms-voice).
inline constexpr ServiceInfo kSmsVoice{"Pinpoint SMS Voice V2", "sms-voice", "sms-voice",
                                       "PinpointSMSVoiceV2"};

/// A resolved endpoint: the URL to POST to and the Host header value to sign.
struct Endpoint {
  std::string url;   // "https://dynamodb.us-east-1.amazonaws.com/" (always ends in '/')
  std::string host;  // "dynamodb.us-east-1.amazonaws.com" (with ":port" when not default)
  bool custom = false;  // came from an AWS_ENDPOINT_URL* variable
};

/// Resolves the endpoint as the SDKs do: AWS_ENDPOINT_URL_<SERVICE_ID> (the
/// service id upper-cased, spaces to underscores: AWS_ENDPOINT_URL_DYNAMODB,
/// AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2), then AWS_ENDPOINT_URL, then
/// https://<prefix>.<region>.amazonaws.com (amazonaws.com.cn for cn- regions).
/// Throws std::invalid_argument for a URL that is not http(s)://host[:port][/].
Endpoint resolve_endpoint(const ServiceInfo& service, std::string_view region,
                          const Environment& env);

/// The environment variable that overrides one service's endpoint.
std::string endpoint_variable(const ServiceInfo& service);

}  // namespace common::aws
