// A scripted HTTP/1.1 server on 127.0.0.1 for the AWS client tests: answers
// each request with the next queued fault (an AWS error, a delay, a reset in the
// middle of a response, a dropped kept-alive connection) and records what it got.
// Raw sockets, because the faults live below what an HTTP library lets one do.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace test_support {

/// What the server does with one request.
struct FaultAction {
  enum class Kind {
    kRespond,            // status + headers + body (after `delay`)
    kResetMidResponse,   // headers promising a body, a part of it, then a TCP reset
    kDropConnection,     // read the request, then reset the connection: no response at all
  };
  Kind kind = Kind::kRespond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "{}";
  std::chrono::milliseconds delay{0};

  /// 200 with a JSON body.
  static FaultAction ok(std::string body = "{}") {
    FaultAction a;
    a.body = std::move(body);
    return a;
  }
  /// An AWS JSON 1.0 error: X-Amzn-ErrorType and a body with __type and message.
  static FaultAction aws_error(int status, const std::string& code, std::string extra_members = "") {
    FaultAction a;
    a.status = status;
    a.headers = {{"X-Amzn-ErrorType", code + ":http://internal.amazon.com/coral/"},
                 {"x-amzn-RequestId", std::string("REQ-") + code}};
    a.body = std::string("{\"__type\":\"com.amazonaws.test#") + code + "\",\"message\":\"injected " + code + "\"" +
             (extra_members.empty() ? "" : "," + extra_members) + "}";
    return a;
  }
  static FaultAction slow(std::chrono::milliseconds delay, std::string body = "{}") {
    FaultAction a = ok(std::move(body));
    a.delay = delay;
    return a;
  }
  static FaultAction reset_mid_response() {
    FaultAction a;
    a.kind = Kind::kResetMidResponse;
    return a;
  }
  static FaultAction drop_connection() {
    FaultAction a;
    a.kind = Kind::kDropConnection;
    return a;
  }
};

/// One request as received.
struct RecordedRequest {
  std::string method;
  std::string target;  // X-Amz-Target
  std::string body;
  int connection = 0;  // 1-based number of the TCP connection it came on
  std::chrono::steady_clock::time_point received_at;
};

/// The server: listens on a free port from construction to destruction.
/// When the script is empty it answers 200 "{}".
class FaultServer {
 public:
  FaultServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0) {
      throw std::runtime_error("bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~FaultServer() {
    stop_ = true;
    acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      workers.swap(workers_);
    }
    for (auto& t : workers) t.join();
    ::close(listener_);
  }

  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  std::string url() const { return std::string("http://127.0.0.1:") + std::to_string(port_) + "/"; }

  void push(FaultAction action) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(action));
  }
  void push(FaultAction action, int times) {
    for (int i = 0; i < times; ++i) push(action);
  }
  /// When set, answers this once the script is empty (instead of 200 "{}").
  void set_default(FaultAction action) {
    std::lock_guard lock(mutex_);
    default_ = std::move(action);
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  void clear_requests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mutex_);
      const int number = ++connections_;
      workers_.emplace_back([this, fd, number] { serve(fd, number); });
    }
  }

  // Reads into `buffer` until it holds `want` bytes; false on EOF, error or stop.
  bool fill(int fd, std::string& buffer, std::size_t want) {
    char chunk[16384];
    while (buffer.size() < want) {
      pollfd p{fd, POLLIN, 0};
      if (stop_) return false;
      if (::poll(&p, 1, 20) <= 0) continue;
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  bool read_request(int fd, std::string& buffer, RecordedRequest& out) {
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(fd, buffer, buffer.size() + 1)) return false;
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    out.method = head.substr(0, head.find(' '));
    std::size_t length = 0;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
      const std::size_t next = head.find("\r\n", pos + 2);
      const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                             : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (name == "content-length") length = std::stoul(value);
        if (name == "x-amz-target") out.target = value;
      }
      pos = next;
    }
    if (!fill(fd, buffer, length)) return false;
    out.body = buffer.substr(0, length);
    buffer.erase(0, length);
    out.received_at = std::chrono::steady_clock::now();
    return true;
  }

  static void send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  static void reset(int fd) {
    linger l{1, 0};  // close with RST, not FIN
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
  }

  void serve(int fd, int number) {
    std::string buffer;
    for (;;) {
      RecordedRequest request;
      request.connection = number;
      if (!read_request(fd, buffer, request)) break;
      FaultAction action;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (!script_.empty()) {
          action = std::move(script_.front());
          script_.pop_front();
        } else {
          action = default_;
        }
      }
      const auto until = std::chrono::steady_clock::now() + action.delay;
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (action.kind == FaultAction::Kind::kDropConnection) {
        reset(fd);
        return;
      }
      std::string response = std::string("HTTP/1.1 ") + std::to_string(action.status) + " Status\r\n";
      response += "Content-Type: application/x-amz-json-1.0\r\n";
      if (action.kind == FaultAction::Kind::kResetMidResponse) {
        response += "Content-Length: 4096\r\n\r\n{\"Items\":[";
        send_all(fd, response);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        reset(fd);
        return;
      }
      response += std::string("Content-Length: ") + std::to_string(action.body.size()) + "\r\n";
      for (const auto& [k, v] : action.headers) response += k + ": " + v + "\r\n";
      response += "\r\n" + action.body;
      send_all(fd, response);
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::deque<FaultAction> script_;
  FaultAction default_;
  std::vector<RecordedRequest> requests_;
  int connections_ = 0;
};

}  // namespace test_support
