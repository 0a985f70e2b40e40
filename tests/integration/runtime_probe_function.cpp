// A static bootstrap that exercises the runtime loop, driven by the event's
// "action": echo | throw | throw_std | context | sleep (+ "ms") | whoami |
// crash | big | env. Init fails when PROBE_INIT_FAIL=1.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "runtime/runtime.hpp"
#include "runtime/wire.hpp"

namespace {

// Built by append: g++ 12 warns falsely (-Wrestrict) on "\"" + std::string(...).
std::string quoted_key(std::string_view name) {
  std::string key(1, '"');
  key.append(name);
  key.push_back('"');
  return key;
}

// The string value of "name" in a flat JSON object; enough for probe events.
std::string string_field(std::string_view json, std::string_view name) {
  const std::string key = quoted_key(name);
  auto at = json.find(key);
  if (at == std::string_view::npos) return {};
  at = json.find('"', json.find(':', at + key.size()) + 1);
  if (at == std::string_view::npos) return {};
  const auto end = json.find('"', at + 1);
  return std::string(json.substr(at + 1, end - at - 1));
}

long number_field(std::string_view json, std::string_view name) {
  const std::string key = quoted_key(name);
  const auto at = json.find(key);
  if (at == std::string_view::npos) return 0;
  return std::strtol(json.data() + json.find(':', at) + 1, nullptr, 10);
}

std::string env_or_null(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "null" : runtime::json_quote(value);
}

std::string whoami(int count) {
  return std::string("\"pid\":") + std::to_string(::getpid()) + ",\"count\":" + std::to_string(count);
}

}  // namespace

int main() {
  return runtime::run([]() -> runtime::Handler {
    if (const char* fail = std::getenv("PROBE_INIT_FAIL"); fail != nullptr && std::string(fail) == "1") {
      throw runtime::FunctionError("Probe.InitFailure", "init failed on purpose");
    }
    auto count = std::make_shared<int>(0);  // invocations seen by this process
    return [count](const runtime::Invocation& invocation) -> std::string {
      ++*count;
      const std::string action = string_field(invocation.payload, "action");
      if (action == "echo") return invocation.payload;
      if (action == "throw") throw runtime::FunctionError("Probe.Failure", "boom");
      if (action == "throw_std") throw std::runtime_error("standard boom");
      if (action == "crash") std::_Exit(3);
      if (action == "big") return quoted_key(std::string(runtime::kMaxResponseBytes, 'x'));
      if (action == "whoami") return std::string("{") + whoami(*count) + "}";
      if (action == "sleep") {
        std::this_thread::sleep_for(std::chrono::milliseconds(number_field(invocation.payload, "ms")));
        return std::string("{\"slept\":true,") + whoami(*count) + "}";
      }
      if (action == "context") {
        const auto deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            invocation.deadline.time_since_epoch());
        return std::string("{\"request_id\":") + runtime::json_quote(invocation.request_id) +
               ",\"function_arn\":" + runtime::json_quote(invocation.invoked_function_arn) +
               ",\"deadline_ms\":" + std::to_string(deadline_ms.count()) +
               ",\"remaining_ms\":" + std::to_string(invocation.remaining_time().count()) +
               ",\"trace_header\":" + runtime::json_quote(invocation.trace_id) +
               ",\"trace_env\":" + env_or_null("_X_AMZN_TRACE_ID") +
               ",\"client_context\":" + runtime::json_quote(invocation.client_context) + "," +
               whoami(*count) + "}";
      }
      if (action == "env") {
        std::string out = "{";
        for (const char* name : {"AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_FUNCTION_NAME",
                                 "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                 "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_REGION", "LAMBDA_TASK_ROOT",
                                 "TZ", "HOME", "PROBE_EXTRA", "PROBE_FILE"}) {
          out += runtime::json_quote(name) + ":" + env_or_null(name) + ",";
        }
        char cwd[4096] = {};
        out += "\"cwd\":" + runtime::json_quote(::getcwd(cwd, sizeof cwd) ? cwd : "") + "}";
        return out;
      }
      throw runtime::FunctionError("Probe.UnknownAction", "unknown action: " + action);
    };
  });
}
