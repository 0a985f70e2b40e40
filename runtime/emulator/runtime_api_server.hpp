// The emulator's Runtime API endpoint (HTTP on 127.0.0.1) and the state it
// shares with the emulator's main loop and the process watcher.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace runtime::emulator {

/// An event offered to the function, waiting for its GET /next.
struct PendingEvent {
  std::string request_id;
  std::string payload;  ///< event text; {{now}} is rendered when handed over
  std::string trace_id;
  std::string client_context;  ///< empty: header not sent
  std::string function_arn;
  std::chrono::milliseconds timeout;
};

/// What the function posted for an invocation (or for init).
struct PostedResult {
  bool is_error = false;
  std::string body;               ///< response body, or the error document
  std::string error_type_header;  ///< Lambda-Runtime-Function-Error-Type, if sent
  std::chrono::steady_clock::time_point at;
};

/// How the function's process ended.
struct ProcessExit {
  bool by_signal = false;
  int value = 0;  ///< exit code, or the signal number
};

/// Everything the three parties (HTTP handlers, main loop, process watcher)
/// coordinate on; always accessed under RuntimeApiServer's mutex.
struct SharedState {
  std::optional<PendingEvent> pending;  ///< offered, not yet fetched
  std::string in_flight_id;             ///< fetched, waiting for a result
  std::optional<std::chrono::steady_clock::time_point> handed_out_at;
  std::chrono::steady_clock::time_point kill_at;  ///< handed_out_at + timeout
  std::optional<PostedResult> result;             ///< for in_flight_id
  std::optional<PostedResult> init_error;
  std::optional<std::chrono::steady_clock::time_point> first_next_at;  ///< of this process
  bool hook_fired = false;           ///< --fail-next-after answered 500
  std::optional<ProcessExit> exit;   ///< set once the process ended (not yet reaped)
  int generation = 0;                ///< bumped per process exit: stale GET /next give up
  bool shutting_down = false;
  int next_calls = 0;
};

/// Serves GET .../invocation/next, POST .../invocation/{id}/response|error and
/// POST .../init/error on 127.0.0.1:<ephemeral port>, in its own threads.
class RuntimeApiServer {
 public:
  /// `fail_next_after`: answer the (N+1)-th GET /next with HTTP 500.
  explicit RuntimeApiServer(std::optional<int> fail_next_after);
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  /// Binds and starts serving; returns the port. Throws std::runtime_error if binding fails.
  int start();
  /// Releases blocked GET /next calls (HTTP 500) and stops serving. Idempotent.
  void stop();

  /// Runs `change` on the state under the lock, then wakes every waiter.
  template <class F>
  void update(F change) {
    {
      std::lock_guard lock(mutex_);
      change(state_);
    }
    changed_.notify_all();
  }

  /// Blocks until `ready(state)` holds (true) or `until` passes (false).
  /// `inspect(state)` then runs under the same lock, either way.
  template <class Ready, class Inspect>
  bool wait_until(std::chrono::steady_clock::time_point until, Ready ready, Inspect inspect) {
    std::unique_lock lock(mutex_);
    const bool ok = changed_.wait_until(lock, until, [&] { return ready(state_); });
    inspect(state_);
    return ok;
  }

 private:
  void install_routes();

  std::optional<int> fail_next_after_;
  std::mutex mutex_;
  std::condition_variable changed_;
  SharedState state_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
};

}  // namespace runtime::emulator
