// The clients and sinks most functions' handlers work with, built once per process by the
// scaffold (scaffold/function.hpp) and passed to the handler's constructor.
#pragma once

namespace common::aws {
class DynamoDbClient;
class SmsVoiceClient;
class HttpClient;
}  // namespace common::aws

namespace common::observe {
class Logger;
class Metrics;
}  // namespace common::observe

namespace scaffold {

/// DynamoDB and SMS clients, logger and metrics (Start::services()), plus an HTTP client for a
/// function that asks for one (sms-inbound's backend). They live as long as the process, so
/// connections are reused across invocations; the scaffold sets the clients' deadlines and the
/// logger's request id before each invocation. A function needing other clients builds its own
/// struct from Start's accessors.
struct Services {
  common::aws::DynamoDbClient& dynamodb;
  common::aws::SmsVoiceClient& sms;
  common::observe::Logger& logger;
  common::observe::Metrics& metrics;
  common::aws::HttpClient* backend = nullptr;  ///< nullptr unless the function asked for one
};

}  // namespace scaffold
