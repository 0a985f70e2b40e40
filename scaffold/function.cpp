#include "scaffold/function.hpp"

#include <iostream>

#include "common/aws/dynamodb.hpp"
#include "common/aws/http.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/build_info.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "runtime/runtime.hpp"
#include "scaffold/settings.hpp"

namespace scaffold {

// What Start builds, each on first use.
struct Start::Objects {
  std::unique_ptr<common::observe::Logger> logger;
  std::unique_ptr<common::observe::Metrics> metrics;
  std::unique_ptr<common::aws::DynamoDbClient> dynamodb;
  std::unique_ptr<common::aws::SmsVoiceClient> sms;
  std::unique_ptr<common::aws::HttpClient> http;
  std::string metrics_namespace;
  int invocations = 0;
};

Start::Start(std::string name, common::aws::Environment env, std::ostream& out)
    : env_(std::move(env)), out_(out), objects_(std::make_unique<Objects>()) {
  // The two settings every function has (the rest are the function's to read).
  common::aws::SettingsReader reader(env_);
  Settings settings = read_settings(reader, {}, name);
  function_name_ = std::move(settings.function_name);
  objects_->metrics_namespace = std::move(settings.metrics_namespace);
}

Start::~Start() = default;

common::observe::Logger& Start::logger() {
  if (!objects_->logger) {
    objects_->logger = std::make_unique<common::observe::Logger>(
        function_name_, common::observe::log_level_from_environment(env_), out_,
        common::observe::log_format_from_environment(env_));
  }
  return *objects_->logger;
}

common::observe::Metrics& Start::metrics() {
  if (!objects_->metrics) {
    objects_->metrics = std::make_unique<common::observe::Metrics>(objects_->metrics_namespace,
                                                                   function_name_, out_);
    // Above INFO, Lambda's filtering would drop the EMF lines (no level reads as INFO).
    const auto level = common::observe::log_level_from_environment(env_);
    if (level > common::observe::LogLevel::kInfo &&
        common::observe::log_format_from_environment(env_) == common::observe::LogFormat::kJson) {
      objects_->metrics->set_line_level(std::string(common::observe::level_name(level)));
    }
  }
  return *objects_->metrics;
}

common::aws::DynamoDbClient& Start::dynamodb() {
  if (!objects_->dynamodb) {
    objects_->dynamodb = std::make_unique<common::aws::DynamoDbClient>(
        common::aws::client_config_from_environment(common::aws::kDynamoDb, env_));
  }
  return *objects_->dynamodb;
}

common::aws::SmsVoiceClient& Start::sms() {
  if (!objects_->sms) {
    objects_->sms = std::make_unique<common::aws::SmsVoiceClient>(
        common::aws::client_config_from_environment(common::aws::kSmsVoice, env_));
  }
  return *objects_->sms;
}

common::aws::HttpClient& Start::http(std::chrono::milliseconds connect_timeout) {
  if (!objects_->http) {
    objects_->http = std::make_unique<common::aws::HttpClient>(
        common::aws::HttpClientOptions{connect_timeout, common::aws::find_ca_bundle(env_)});
  }
  return *objects_->http;
}

Services Start::services() {
  return Services{dynamodb(), sms(), logger(), metrics()};
}

Invocation Start::begin(const runtime::Invocation& raw) {
  const Invocation invocation =
      Invocation::with_reserve(raw, std::chrono::system_clock::now(), objects_->invocations++ == 0);
  // Only what exists: a client the function never asked for is not built here either.
  if (objects_->dynamodb) objects_->dynamodb->transport().set_deadline(invocation.deadline);
  if (objects_->sms) objects_->sms->transport().set_deadline(invocation.deadline);
  logger().start_invocation(invocation.request_id);
  metrics().set_property("requestId", invocation.request_id);
  if (logger().enabled(common::observe::LogLevel::kDebug)) {
    logger().debug("invocation",
                   {{"remaining_ms", invocation.remaining_time().count()},
                    {"reserve_ms", invocation.lambda_deadline == invocation.deadline
                                       ? 0
                                       : std::chrono::duration_cast<std::chrono::milliseconds>(
                                             invocation.lambda_deadline - invocation.deadline)
                                             .count()}});
  }
  return invocation;
}

void Start::end() {
  // A handler that threw before flushing still reports what it counted; one that flushed
  // leaves nothing, and flush() then writes nothing.
  if (objects_->metrics) objects_->metrics->flush();
}

int serve(int argc, char** argv, std::string_view name,
          const std::function<Handler(Start&)>& init) {
  // `bootstrap --version`: the linked components (Lambda passes no arguments).
  if (int rc = common::build_info::handle_command_line(argc, argv, name, std::cout, std::cerr);
      rc >= 0) {
    return rc;
  }
  // Lives as long as the loop: the clients keep their connections across invocations.
  Start start(std::string(name), common::aws::Environment::process(), std::cout);
  return runtime::run([&]() -> runtime::Handler {
    Handler handler = init(start);
    if (!handler) throw runtime::FunctionError("Runtime.InitError", "init returned no handler");
    start.logger().info("init", common::build_info::cold_start_fields());
    return [&start, handler = std::move(handler)](const runtime::Invocation& raw) {
      const Invocation invocation = start.begin(raw);
      // Runs on return and on a throw alike (the runtime reports the error after it).
      struct End {
        Start& start;
        ~End() {
          try {
            start.end();
          } catch (...) {
            // Writing a log line failed: nothing left to report it with.
          }
        }
      } end{start};
      return handler(invocation);
    };
  });
}

}  // namespace scaffold
