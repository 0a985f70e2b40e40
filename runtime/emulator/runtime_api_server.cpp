#include "runtime/emulator/runtime_api_server.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "runtime/emulator/events.hpp"

namespace runtime::emulator {
namespace {

constexpr std::size_t kMaxResponseBytes = 6 * 1024 * 1024;
constexpr const char* kJson = "application/json";
constexpr const char* kInvocationPath = R"(/2018-06-01/runtime/invocation/([^/]+)/)";

void reply_error(httplib::Response& res, int status, const std::string& type,
                 const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"errorType", type}, {"errorMessage", message}}.dump(), kJson);
}

void reply_accepted(httplib::Response& res) {
  res.status = 202;
  res.set_content(R"({"status":"OK"})", kJson);
}

}  // namespace

RuntimeApiServer::RuntimeApiServer(std::optional<int> fail_next_after)
    : fail_next_after_(fail_next_after), server_(std::make_unique<httplib::Server>()) {
  // The function's connection idles for the whole invocation; never drop it.
  server_->set_keep_alive_max_count(1'000'000);
  server_->set_keep_alive_timeout(3600);
  // Headers and body go out in separate writes; with Nagle each warm event waits ~40 ms.
  server_->set_tcp_nodelay(true);
  install_routes();
}

RuntimeApiServer::~RuntimeApiServer() { stop(); }

int RuntimeApiServer::start() {
  const int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error("cannot bind the Runtime API to 127.0.0.1");
  listener_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

void RuntimeApiServer::stop() {
  update([](SharedState& s) { s.shutting_down = true; });
  if (listener_.joinable()) {
    server_->stop();
    listener_.join();
  }
}

void RuntimeApiServer::install_routes() {
  server_->Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request&,
                                                             httplib::Response& res) {
    std::unique_lock lock(mutex_);
    SharedState& s = state_;
    ++s.next_calls;
    if (!s.first_next_at) s.first_next_at = std::chrono::steady_clock::now();
    const bool fail_this = fail_next_after_ && s.next_calls == *fail_next_after_ + 1;
    const int generation = s.generation;
    changed_.notify_all();  // first_next_at is news for the main loop
    changed_.wait(lock, [&] {
      return s.shutting_down || s.generation != generation || s.pending.has_value();
    });
    if (s.shutting_down || s.generation != generation) {
      reply_error(res, 500, "Emulator.ShuttingDown", "the emulator is shutting down");
      return;
    }
    if (fail_this) {
      s.hook_fired = true;
      s.pending.reset();
      changed_.notify_all();
      reply_error(res, 500, "Emulator.InjectedFailure",
                  "--fail-next-after: this GET /next fails on purpose");
      return;
    }
    PendingEvent event = std::move(*s.pending);
    s.pending.reset();
    const auto now = std::chrono::steady_clock::now();
    s.in_flight_id = event.request_id;
    s.handed_out_at = now;
    s.kill_at = now + event.timeout;
    s.result.reset();
    changed_.notify_all();
    lock.unlock();

    const auto wall_now = std::chrono::system_clock::now();
    const auto deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        (wall_now + event.timeout).time_since_epoch());
    res.status = 200;
    res.set_header("Lambda-Runtime-Aws-Request-Id", event.request_id);
    res.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(deadline_ms.count()));
    res.set_header("Lambda-Runtime-Invoked-Function-Arn", event.function_arn);
    res.set_header("Lambda-Runtime-Trace-Id", event.trace_id);
    if (!event.client_context.empty()) {
      res.set_header("Lambda-Runtime-Client-Context", event.client_context);
    }
    res.set_content(render_event(event.payload, wall_now), kJson);
  });

  const auto post_result = [this](const httplib::Request& req, httplib::Response& res,
                                  bool is_error) {
    const std::string id = req.matches[1];
    std::lock_guard lock(mutex_);
    SharedState& s = state_;
    if (s.in_flight_id.empty() || id != s.in_flight_id) {
      reply_error(res, 400, "InvalidRequestID", "no invocation in flight with id " + id);
      return;
    }
    if (s.result) {
      reply_error(res, 400, "InvalidStateTransition", "a result was already posted for " + id);
      return;
    }
    PostedResult result{is_error, req.body, req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                        std::chrono::steady_clock::now()};
    if (!is_error && req.body.size() > kMaxResponseBytes) {
      // What Lambda does: the invocation fails, the runtime hears 413.
      result.is_error = true;
      result.body = nlohmann::json{{"errorType", "Function.ResponseSizeTooLarge"},
                                   {"errorMessage", "Response payload size (" +
                                                        std::to_string(req.body.size()) +
                                                        " bytes) exceeded maximum allowed payload "
                                                        "size (6291456 bytes)."}}
                        .dump();
      reply_error(res, 413, "RequestEntityTooLarge", "response larger than 6291456 bytes");
    } else {
      reply_accepted(res);
    }
    s.result = std::move(result);
    changed_.notify_all();
  };
  server_->Post(std::string(kInvocationPath) + "response",
                [post_result](const httplib::Request& req, httplib::Response& res) {
                  post_result(req, res, false);
                });
  server_->Post(std::string(kInvocationPath) + "error",
                [post_result](const httplib::Request& req, httplib::Response& res) {
                  post_result(req, res, true);
                });

  server_->Post("/2018-06-01/runtime/init/error", [this](const httplib::Request& req,
                                                         httplib::Response& res) {
    update([&](SharedState& s) {
      s.init_error = PostedResult{true, req.body,
                                  req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                                  std::chrono::steady_clock::now()};
    });
    reply_accepted(res);
  });
}

}  // namespace runtime::emulator
