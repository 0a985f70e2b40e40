// A proxy in front of the local stack for the round-trip and crash-injection tests: the function
// under test is pointed at it (AWS_ENDPOINT_URL_DYNAMODB and
// AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2) and it forwards every request unchanged (headers, SigV4
// signature and body) to dynalite or the SMS stand-in by its X-Amz-Target, counting each operation
// at the wire, so the figures never rely on the function's own counters. `cut_after(k)` simulates a
// crash: the k-th request still reaches the stack (it takes effect), but its answer and every later
// request are refused, so nothing after the k-th call reaches AWS, exactly as when the process dies
// right after it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace wire_proxy {

/// "http://127.0.0.1:8000" -> {"127.0.0.1", 8000}. Throws std::invalid_argument otherwise.
inline std::pair<std::string, int> host_port(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) throw std::invalid_argument("not an http:// URL: " + url);
  const std::string rest = url.substr(prefix.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("no port in " + url);
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

/// The proxy: one thread, 127.0.0.1 on a free port, for the lifetime of the object.
class WireProxy {
 public:
  /// `dynamodb_url`, `sms_url`: the local stack's endpoints (http://host:port).
  WireProxy(const std::string& dynamodb_url, const std::string& sms_url)
      : dynamodb_(host_port(dynamodb_url)), sms_(host_port(sms_url)) {
    server_.Post(R"(.*)", [this](const httplib::Request& req, httplib::Response& res) {
      forward(req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("wire proxy: cannot bind");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WireProxy() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  WireProxy(const WireProxy&) = delete;
  WireProxy& operator=(const WireProxy&) = delete;

  /// The endpoint URL to give the function for both services.
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// --env entries that point a function at this proxy.
  std::vector<std::string> env() const {
    return {"AWS_ENDPOINT_URL_DYNAMODB=" + url(),
            "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=" + url()};
  }

  /// Forgets the counts and forwards everything again.
  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    operations_.clear();
    refused_ = 0;
    cut_after_ = -1;
  }
  /// From now on, forwards `calls` more requests; the answer to the last of them and every
  /// request after it are refused (HTTP 500, never forwarded).
  void cut_after(int calls) {
    std::lock_guard<std::mutex> lock(mu_);
    operations_.clear();
    refused_ = 0;
    cut_after_ = calls;
  }

  /// The operations forwarded since the last reset, in order ("PutItem", "SendTextMessage").
  std::vector<std::string> operations() const {
    std::lock_guard<std::mutex> lock(mu_);
    return operations_;
  }
  /// Forwarded requests per operation since the last reset.
  std::map<std::string, int> counts() const {
    std::map<std::string, int> out;
    for (const auto& op : operations()) ++out[op];
    return out;
  }
  /// Requests refused since the last reset.
  int refused() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_;
  }

 private:
  void forward(const httplib::Request& req, httplib::Response& res) {
    const std::string target = req.get_header_value("X-Amz-Target");
    const auto dot = target.find('.');
    const std::string operation = dot == std::string::npos ? target : target.substr(dot + 1);
    bool answer = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const int forwarded = static_cast<int>(operations_.size());
      if (cut_after_ >= 0 && forwarded >= cut_after_) {
        ++refused_;
        refuse(res);
        return;
      }
      operations_.push_back(operation);
      if (cut_after_ >= 0 && forwarded + 1 == cut_after_) answer = false;
    }
    const auto& backend = target.rfind("DynamoDB", 0) == 0 ? dynamodb_ : sms_;
    httplib::Client client(backend.first, backend.second);
    client.set_read_timeout(30, 0);
    httplib::Headers headers;
    for (const auto& [name, value] : req.headers) {
      // httplib's own pseudo headers, and those the client writes itself.
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT" || name == "Content-Length" || name == "Content-Type" ||
          name == "Connection") {
        continue;
      }
      headers.emplace(name, value);
    }
    auto result =
        client.Post(req.path, headers, req.body, req.get_header_value("Content-Type").c_str());
    if (!answer || !result) {
      refuse(res);
      return;
    }
    res.status = result->status;
    for (const auto& [name, value] : result->headers) {
      if (name == "Content-Length" || name == "Connection" || name == "Transfer-Encoding" ||
          name == "Content-Type") {
        continue;
      }
      res.set_header(name, value);
    }
    res.set_content(result->body, result->get_header_value("Content-Type").c_str());
  }

  static void refuse(httplib::Response& res) {
    res.status = 500;
    res.set_header("X-Amzn-Errortype", "InternalFailure");
    res.set_content(
        R"json({"__type":"InternalFailure","message":"wire proxy: cut (simulated crash)"})json",
        "application/x-amz-json-1.0");
  }

  std::pair<std::string, int> dynamodb_, sms_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> operations_;
  int refused_ = 0;
  int cut_after_ = -1;
};

}  // namespace wire_proxy
