// lambda-emulator: runs a bootstrap under a local Lambda Runtime API and
// prints each invocation's result. See usage() in options.cpp.
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "runtime/emulator/events.hpp"
#include "runtime/emulator/function_process.hpp"
#include "runtime/emulator/options.hpp"
#include "runtime/emulator/runtime_api_server.hpp"

namespace runtime::emulator {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;  // keys print in the documented order

constexpr auto kInitTimeout = std::chrono::seconds(10);      // Lambda's init phase limit
constexpr auto kRuntimeExitGrace = std::chrono::seconds(2);  // --fail-next-after
constexpr auto kTermGrace = std::chrono::milliseconds(500);  // SIGTERM before SIGKILL
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitInitError = 2;
constexpr int kExitUsage = 64;

// Names the function sees only if the caller has them set. The sanitizer options, so that a
// bootstrap of the sanitizer build (preset asan) runs with the settings of the test run.
constexpr const char* kPassThrough[] = {
    "SSL_CERT_FILE",    "AWS_CA_BUNDLE",         "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2",
    "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",        "ASAN_OPTIONS",
    "UBSAN_OPTIONS",    "LSAN_OPTIONS"};

double to_ms(Clock::duration d) {
  return std::round(std::chrono::duration<double, std::milli>(d).count() * 100) / 100;
}

std::string format_seconds(std::chrono::milliseconds d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(d.count()) / 1000.0);
  return buffer;
}

// Distinct from any HTTP-level outcome: what became of one event.
struct Outcome {
  std::string status;  // success | error | timeout | crash | init_error | runtime_exit
  std::string response;
  std::string error_type;
  std::string error_message;
  std::string header_error_type;
  bool has_error = false;
  std::optional<ProcessExit> exit;
  std::optional<bool> exited;  // runtime_exit only
  double duration_ms = 0;
};

class Emulator {
 public:
  Emulator(const Options& options, RuntimeApiServer& server, int port)
      : options_(options), server_(server), random_(std::random_device{}()) {
    environment_ = build_environment(port);
  }

  ~Emulator() { stop_process(); }

  // Runs every event in order; returns the exit status.
  int run(const std::vector<Event>& events) {
    bool any_failed = false;
    for (const Event& event : events) {
      const Outcome outcome = invoke(event);
      print(outcome);
      if (outcome.status == "init_error") return kExitInitError;
      if (outcome.status != "success") any_failed = true;
    }
    return any_failed ? kExitFailed : kExitOk;
  }

  void stop_process() {
    if (pid_ <= 0) return;
    bool exited = false;
    server_.wait_until(Clock::now(), [](const SharedState& s) { return s.exit.has_value(); },
                       [&](const SharedState& s) { exited = s.exit.has_value(); });
    if (!exited) {
      ::kill(pid_, SIGTERM);
      server_.wait_until(Clock::now() + kTermGrace,
                         [](const SharedState& s) { return s.exit.has_value(); },
                         [&](const SharedState& s) { exited = s.exit.has_value(); });
    }
    if (!exited) kill_now();
    finish_process();
  }

 private:
  std::vector<std::string> build_environment(int port) {
    namespace fs = std::filesystem;
    const fs::path bootstrap = options_.chroot_dir.empty()
                                   ? fs::absolute(options_.bootstrap).lexically_normal()
                                   : fs::path(options_.bootstrap).lexically_normal();
    std::map<std::string, std::string> env;
    const auto from_caller = [](const char* name) -> std::optional<std::string> {
      const char* value = std::getenv(name);
      if (value == nullptr) return std::nullopt;
      return std::string(value);
    };
    env["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:" + std::to_string(port);
    env["AWS_LAMBDA_FUNCTION_NAME"] = options_.function_name;
    env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
    env["_HANDLER"] = "bootstrap";  // the handler setting; custom runtimes get "bootstrap"
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(options_.memory_mb);
    env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + options_.function_name;
    env["AWS_LAMBDA_LOG_STREAM_NAME"] = log_stream_name();
    env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
    env["AWS_REGION"] = options_.region;
    env["AWS_DEFAULT_REGION"] = options_.region;
    env["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023";
    env["LAMBDA_TASK_ROOT"] = bootstrap.parent_path().string();
    env["LAMBDA_RUNTIME_DIR"] = "/var/runtime";
    env["TZ"] = ":UTC";
    env["LANG"] = "en_US.UTF-8";
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
    if (const auto key = from_caller("AWS_ACCESS_KEY_ID")) {
      env["AWS_ACCESS_KEY_ID"] = *key;
      if (const auto secret = from_caller("AWS_SECRET_ACCESS_KEY")) env["AWS_SECRET_ACCESS_KEY"] = *secret;
      if (const auto token = from_caller("AWS_SESSION_TOKEN")) env["AWS_SESSION_TOKEN"] = *token;
    } else {
      env["AWS_ACCESS_KEY_ID"] = "ASIALOCALEMULATOR000";
      env["AWS_SECRET_ACCESS_KEY"] = "local-emulator-secret-access-key";
      env["AWS_SESSION_TOKEN"] = "local-emulator-session-token";
    }
    for (const char* name : kPassThrough) {
      if (const auto value = from_caller(name)) env[name] = *value;
    }
    for (const auto& [key, value] : options_.env) env[key] = value;

    std::vector<std::string> out;
    out.reserve(env.size());
    for (const auto& [key, value] : env) out.push_back(key + "=" + value);
    return out;
  }

  std::string hex(std::size_t digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < digits; ++i) out.push_back(kHex[random_() & 0xF]);
    return out;
  }

  std::string log_stream_name() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day date(today);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d/%02u/%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return std::string(buffer) + "/[$LATEST]" + hex(32);
  }

  std::string request_id() {
    std::string id = hex(32);
    id[12] = '4';                                 // version 4
    id[16] = "89ab"[random_() & 0x3];             // RFC 4122 variant
    return id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
           id.substr(16, 4) + "-" + id.substr(20);
  }

  std::string trace_id() {
    if (!options_.trace_id.empty()) return options_.trace_id;
    const auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    char seconds[16];
    std::snprintf(seconds, sizeof seconds, "%08llx", static_cast<unsigned long long>(epoch.count()));
    return "Root=1-" + std::string(seconds) + "-" + hex(24) + ";Parent=" + hex(16) + ";Sampled=0";
  }

  void start_process() {
    server_.update([](SharedState& s) {
      s.exit.reset();
      s.first_next_at.reset();
    });
    LaunchSpec spec;
    spec.executable = options_.chroot_dir.empty()
                          ? std::filesystem::absolute(options_.bootstrap).lexically_normal().string()
                          : options_.bootstrap;
    spec.chroot_dir = options_.chroot_dir;
    spec.working_dir = std::filesystem::path(spec.executable).parent_path().string();
    spec.environment = environment_;
    pid_ = launch(spec);
    spawned_at_ = Clock::now();
    const pid_t pid = pid_;
    watcher_ = std::thread([this, pid] {
      const ProcessExit exit = wait_for_exit_unreaped(pid);
      server_.update([&](SharedState& s) {
        s.exit = exit;
        ++s.generation;
      });
    });
  }

  // SIGKILL, then wait for the watcher to see the end.
  void kill_now() {
    ::kill(pid_, SIGKILL);
    server_.wait_until(Clock::time_point::max(),
                       [](const SharedState& s) { return s.exit.has_value(); },
                       [](const SharedState&) {});
  }

  // After the process ended: reap it and forget it.
  void finish_process() {
    if (watcher_.joinable()) watcher_.join();
    reap(pid_);
    pid_ = 0;
  }

  static void fill_error(Outcome& outcome, const PostedResult& posted) {
    outcome.has_error = true;
    outcome.header_error_type = posted.error_type_header;
    const json doc = json::parse(posted.body, nullptr, false);
    if (doc.is_object()) {
      if (doc.contains("errorType") && doc["errorType"].is_string()) {
        outcome.error_type = doc["errorType"];
      }
      if (doc.contains("errorMessage") && doc["errorMessage"].is_string()) {
        outcome.error_message = doc["errorMessage"];
      }
    } else {
      outcome.error_message = posted.body;
    }
    if (outcome.error_type.empty()) {
      outcome.error_type = posted.error_type_header.empty() ? "Unhandled" : posted.error_type_header;
    }
  }

  Outcome invoke(const Event& event) {
    bool process_ended = false;
    server_.wait_until(Clock::now(), [](const SharedState& s) { return s.exit.has_value(); },
                       [&](const SharedState& s) { process_ended = s.exit.has_value(); });
    if (pid_ > 0 && process_ended) finish_process();  // died between events
    const bool cold = pid_ <= 0;
    if (cold) start_process();
    cold_start_ = cold;

    const std::string id = request_id();
    const auto offered_at = Clock::now();
    PendingEvent pending{id,        event.text, trace_id(), options_.client_context,
                         "arn:aws:lambda:" + options_.region + ":000000000000:function:" +
                             options_.function_name,
                         options_.timeout};
    server_.update([&](SharedState& s) {
      s.pending = std::move(pending);
      s.in_flight_id.clear();
      s.handed_out_at.reset();
      s.result.reset();
      s.init_error.reset();
      s.hook_fired = false;
    });
    std::cerr << "START RequestId: " << id << " Version: $LATEST (" << event.source << ")"
              << std::endl;

    Outcome outcome;
    SharedState seen;
    for (;;) {
      bool handed_out = false;
      Clock::time_point limit;
      server_.wait_until(Clock::now(), [](const SharedState&) { return true; },
                         [&](const SharedState& s) {
                           handed_out = s.handed_out_at.has_value();
                           limit = handed_out ? s.kill_at : offered_at + kInitTimeout;
                         });
      server_.wait_until(
          limit,
          [&](const SharedState& s) {
            return s.result || s.init_error || s.exit || s.hook_fired ||
                   s.handed_out_at.has_value() != handed_out;
          },
          [&](const SharedState& s) { seen = s; });
      if (seen.result || seen.init_error || seen.exit || seen.hook_fired) break;
      if (seen.handed_out_at.has_value() == handed_out && Clock::now() >= limit) break;
    }
    const auto started = seen.handed_out_at.value_or(offered_at);
    if (cold && seen.first_next_at) init_duration_ms_ = to_ms(*seen.first_next_at - spawned_at_);
    else init_duration_ms_.reset();

    if (seen.result) {
      outcome.duration_ms = to_ms(seen.result->at - started);
      if (seen.result->is_error) {
        outcome.status = "error";
        fill_error(outcome, *seen.result);
      } else {
        outcome.status = "success";
        outcome.response = seen.result->body;
      }
    } else if (seen.init_error) {
      outcome.status = "init_error";
      outcome.duration_ms = to_ms(seen.init_error->at - spawned_at_);
      fill_error(outcome, *seen.init_error);
      stop_process();
    } else if (seen.hook_fired) {
      outcome.status = "runtime_exit";
      bool exited = false;
      std::optional<ProcessExit> exit;
      const auto fired_at = Clock::now();
      server_.wait_until(fired_at + kRuntimeExitGrace,
                         [](const SharedState& s) { return s.exit.has_value(); },
                         [&](const SharedState& s) {
                           exited = s.exit.has_value();
                           exit = s.exit;
                         });
      outcome.exited = exited;
      outcome.duration_ms = to_ms(Clock::now() - fired_at);
      outcome.has_error = true;
      outcome.error_type = "Emulator.RuntimeExit";
      if (exited) {
        outcome.exit = exit;
        outcome.error_message = "the runtime exited (" + describe_exit(*exit) +
                                ") after GET /next answered HTTP 500";
        finish_process();
      } else {
        outcome.error_message = "the runtime was still running 2 s after GET /next answered HTTP 500";
        kill_now();
        finish_process();
      }
    } else if (seen.exit) {
      outcome.status = "crash";
      outcome.duration_ms = to_ms(Clock::now() - started);
      outcome.exit = seen.exit;
      outcome.has_error = true;
      outcome.error_type = "Runtime.ExitError";
      outcome.error_message = "RequestId: " + id + " Error: Runtime exited with error: " +
                              describe_exit(*seen.exit);
      finish_process();
    } else {
      outcome.status = "timeout";
      outcome.has_error = true;
      outcome.error_type = "Sandbox.Timedout";
      if (seen.handed_out_at) {
        outcome.duration_ms = to_ms(options_.timeout);
        outcome.error_message = "RequestId: " + id + " Error: Task timed out after " +
                                format_seconds(options_.timeout) + " seconds";
      } else {
        outcome.duration_ms = to_ms(kInitTimeout);
        outcome.error_message = cold ? "Init timed out after 10.00 seconds"
                                     : "the runtime did not ask for the next invocation within "
                                       "10.00 seconds";
      }
      kill_now();
      finish_process();
    }
    server_.update([](SharedState& s) {
      s.pending.reset();
      s.in_flight_id.clear();
      s.result.reset();
    });
    std::cerr << "END RequestId: " << id << "\nREPORT RequestId: " << id
              << "\tDuration: " << outcome.duration_ms << " ms";
    if (init_duration_ms_) std::cerr << "\tInit Duration: " << *init_duration_ms_ << " ms";
    std::cerr << "\tStatus: " << outcome.status << std::endl;
    request_id_ = id;
    return outcome;
  }

  void print(const Outcome& outcome) {
    if (options_.output == OutputFormat::kText) {
      if (outcome.status == "success") {
        std::cout << outcome.response << "\n";
      } else if (outcome.status == "runtime_exit") {
        std::cout << "RUNTIME_EXIT " << outcome.error_message << "\n";
      } else {
        std::cout << "ERROR " << outcome.error_type << ": " << outcome.error_message << "\n";
      }
      std::cout.flush();
      return;
    }
    json line{{"request_id", request_id_},
              {"status", outcome.status},
              {"cold_start", cold_start_},
              {"duration_ms", outcome.duration_ms}};
    if (init_duration_ms_) line["init_duration_ms"] = *init_duration_ms_;
    if (outcome.status == "success") {
      json parsed = json::parse(outcome.response, nullptr, false);
      line["response"] = parsed.is_discarded() ? json(outcome.response) : std::move(parsed);
    }
    if (outcome.has_error) {
      line["error"] = {{"errorType", outcome.error_type},
                       {"errorMessage", outcome.error_message},
                       {"header_error_type", outcome.header_error_type}};
    }
    if (outcome.exit) {
      line[outcome.exit->by_signal ? "signal" : "exit_code"] = outcome.exit->value;
    }
    if (outcome.exited) line["exited"] = *outcome.exited;
    std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    std::cout.flush();
  }

  const Options& options_;
  RuntimeApiServer& server_;
  std::mt19937_64 random_;
  std::vector<std::string> environment_;
  pid_t pid_ = 0;
  Clock::time_point spawned_at_;
  std::thread watcher_;
  bool cold_start_ = false;
  std::optional<double> init_duration_ms_;
  std::string request_id_;
};

int run_emulator(int argc, char** argv) {
  const ParsedOptions parsed = parse_options(argc, argv);
  if (!parsed.options) {
    (parsed.help ? std::cout : std::cerr) << parsed.message << (parsed.help ? "" : "\n");
    return parsed.help ? kExitOk : kExitUsage;
  }
  const Options& options = *parsed.options;
  const std::string executable = options.chroot_dir.empty()
                                     ? options.bootstrap
                                     : options.chroot_dir + "/" + options.bootstrap;
  if (::access(executable.c_str(), X_OK) != 0) {
    std::cerr << "lambda-emulator: cannot execute " << executable << "\n";
    return kExitUsage;
  }
  if (!options.chroot_dir.empty() && ::geteuid() != 0) {
    std::cerr << "lambda-emulator: --chroot needs root\n";
    return kExitUsage;
  }
  const LoadedEvents loaded = load_events(options.event_sources);
  if (!loaded.error.empty()) {
    std::cerr << "lambda-emulator: " << loaded.error << "\n";
    return kExitUsage;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a function closing its connection must not kill us

  RuntimeApiServer server(options.fail_next_after);
  const int port = server.start();
  std::cerr << "lambda-emulator: Runtime API on 127.0.0.1:" << port << ", function "
            << options.function_name << ", " << loaded.events.size() << " event(s)" << std::endl;
  int status = kExitOk;
  {
    Emulator emulator(options, server, port);
    status = emulator.run(loaded.events);
    emulator.stop_process();
  }
  server.stop();
  return status;
}

}  // namespace
}  // namespace runtime::emulator

int main(int argc, char** argv) {
  try {
    return runtime::emulator::run_emulator(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "lambda-emulator: " << e.what() << "\n";
    return 70;  // EX_SOFTWARE: the emulator itself failed
  }
}
