// opt-out-api bootstrap: configuration and clients, built once per process, then the Runtime API
// loop.
#include <iostream>
#include <memory>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/build_info.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "functions/opt-out-api/handler.hpp"
#include "runtime/runtime.hpp"

int main(int argc, char** argv) {
  using namespace common;
  // `bootstrap --version`: the linked components (Lambda passes no arguments).
  if (int rc = build_info::handle_command_line(argc, argv, "opt-out-api", std::cout, std::cerr);
      rc >= 0) {
    return rc;
  }
  // Owned here so they live (and keep their connections) across invocations.
  std::unique_ptr<aws::DynamoDbClient> dynamodb;
  std::unique_ptr<aws::SmsVoiceClient> sms;
  std::unique_ptr<observe::Logger> logger;
  std::unique_ptr<observe::Metrics> metrics;
  std::unique_ptr<opt_out_api::Handler> handler;

  return runtime::run([&]() -> runtime::Handler {
    const auto env = aws::Environment::process();
    const std::string name = env.get_or("AWS_LAMBDA_FUNCTION_NAME", "opt-out-api");
    auto config = opt_out_api::config_from_environment(env);
    dynamodb = std::make_unique<aws::DynamoDbClient>(
        aws::client_config_from_environment(aws::kDynamoDb, env));
    sms = std::make_unique<aws::SmsVoiceClient>(
        aws::client_config_from_environment(aws::kSmsVoice, env));
    logger = std::make_unique<observe::Logger>(name, observe::log_level_from_environment(env),
                                               std::cout);
    logger->info("init", build_info::cold_start_fields());
    metrics = std::make_unique<observe::Metrics>(config.metrics_namespace, name, std::cout);
    handler = std::make_unique<opt_out_api::Handler>(
        std::move(config), opt_out_api::Services{*dynamodb, *sms, *logger, *metrics});
    return [&](const runtime::Invocation& invocation) { return handler->handle(invocation); };
  });
}
