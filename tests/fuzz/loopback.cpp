#include "tests/fuzz/loopback.hpp"

#include <httplib.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <thread>

namespace smsc_fuzz {

struct Loopback::Impl {
  httplib::Server server;
  std::thread thread;
  DefaultAnswer fallback;
  mutable std::mutex mutex;
  std::deque<Answer> script;
  std::size_t requests = 0;
};

Answer ok_answer(std::string body) {
  Answer answer;
  answer.body = std::move(body);
  return answer;
}

Answer parse_answer(std::string_view text) {
  Answer answer;
  if (!text.empty() && text[0] == '@') {
    const std::size_t end = text.find_first_of(" \n");
    answer.operation = std::string(text.substr(1, end == std::string_view::npos ? end : end - 1));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (answer.operation.empty()) answer.operation = "-";  // addressed to nothing: never used
  }
  if (text.empty()) {
    answer.plausible = true;
    return answer;
  }
  const auto digit = [&](std::size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  };
  if (!(digit(0) && digit(1) && digit(2) &&
        (text.size() == 3 || text[3] == ' ' || text[3] == '\n'))) {
    answer.body = std::string(text);
    return answer;
  }
  answer.status = (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
  if (answer.status < 200 || answer.status == 204 || answer.status == 304) answer.status = 200;
  const std::size_t line_end = text.find('\n');
  if (text.size() > 3 && text[3] == ' ') {
    answer.error_type = std::string(
        text.substr(4, line_end == std::string_view::npos ? std::string_view::npos : line_end - 4));
  }
  if (line_end != std::string_view::npos) answer.body = std::string(text.substr(line_end + 1));
  return answer;
}

Answer plausible_answer(std::string_view target, std::string_view request) {
  const auto op = [&](std::string_view name) {
    return target.size() > name.size() && target.ends_with(name) &&
           target[target.size() - name.size() - 1] == '.';
  };
  if (target.empty()) return ok_answer(R"({"reply":"Thanks!"})");
  if (op("UpdateItem")) {
    const auto body = nlohmann::json::parse(request, nullptr, false);
    if (!body.is_object() || !body.contains("Key") || body.value("ReturnValues", "") != "ALL_NEW") {
      return ok_answer("{}");
    }
    // The item as the update leaves it when there was none before: the key, plus every
    // "#n = :v", "#n = if_not_exists(#n, :v)" and "ADD #n :v" of the expression.
    nlohmann::json item = body["Key"];
    const auto names = body.value("ExpressionAttributeNames", nlohmann::json::object());
    const auto values = body.value("ExpressionAttributeValues", nlohmann::json::object());
    static const std::regex kAssignment(R"((#\w+) = (?:if_not_exists\(#\w+, )?(:\w+))");
    static const std::regex kAdd(R"(ADD (#\w+) (:\w+))");
    const std::string expression = body.value("UpdateExpression", "");
    for (const auto* pattern : {&kAssignment, &kAdd}) {
      for (std::sregex_iterator m(expression.begin(), expression.end(), *pattern), end; m != end;
           ++m) {
        const auto name = names.find((*m)[1].str());
        const auto value = values.find((*m)[2].str());
        if (name != names.end() && name->is_string() && value != values.end()) {
          item[name->get<std::string>()] = *value;
        }
      }
    }
    return ok_answer(nlohmann::json{{"Attributes", item}}.dump());
  }
  if (op("Query")) return ok_answer(R"({"Items":[],"Count":0,"ScannedCount":0})");
  if (op("BatchWriteItem")) return ok_answer(R"({"UnprocessedItems":{}})");
  if (op("SendTextMessage")) return ok_answer(R"({"MessageId":"fuzz-message-id"})");
  if (op("PutOptedOutNumber") || op("DeleteOptedOutNumber")) {
    const auto body = nlohmann::json::parse(request, nullptr, false);
    nlohmann::json answer = {
        {"OptOutListName", "list"}, {"OptedOutTimestamp", 1795705445}, {"EndUserOptedOut", false}};
    if (body.is_object() && body.contains("OptedOutNumber"))
      answer["OptedOutNumber"] = body["OptedOutNumber"];
    return ok_answer(answer.dump());
  }
  if (op("DescribeOptedOutNumbers")) return ok_answer(R"({"OptedOutNumbers":[]})");
  return ok_answer("{}");  // GetItem (no item), PutItem, DeleteItem, TransactWriteItems
}

Loopback::Loopback(DefaultAnswer fallback) : impl_(std::make_unique<Impl>()) {
  impl_->fallback = std::move(fallback);
  auto& server = impl_->server;
  // One worker per client that may hold a kept-alive connection at once (a handler has three).
  server.new_task_queue = [] { return new httplib::ThreadPool(4); };
  server.set_keep_alive_max_count(1 << 30);
  server.set_tcp_nodelay(true);  // else Nagle and delayed ACKs cost 40 ms a request
  server.Post("/", [this](const httplib::Request& request, httplib::Response& response) {
    Answer answer;
    {
      std::lock_guard lock(impl_->mutex);
      ++impl_->requests;
      const std::string target = request.get_header_value("X-Amz-Target");
      const auto addressed_here = [&](const Answer& a) {
        return a.operation.empty() ||
               (target.size() > a.operation.size() && target.ends_with(a.operation) &&
                target[target.size() - a.operation.size() - 1] == '.');
      };
      if (!impl_->script.empty() && addressed_here(impl_->script.front())) {
        answer = std::move(impl_->script.front());
        impl_->script.pop_front();
        if (answer.plausible) answer = impl_->fallback(target, request.body);
      } else {
        answer = impl_->fallback(target, request.body);
      }
    }
    response.status = answer.status;
    response.set_header("x-amzn-RequestId", "fuzz-request-id");
    // A header value with CR or LF would end the header early; the server would refuse it.
    if (!answer.error_type.empty() &&
        answer.error_type.find_first_of("\r\n") == std::string::npos) {
      response.set_header("X-Amzn-Errortype", answer.error_type);
    }
    response.set_content(answer.body, "application/x-amz-json-1.0");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) throw std::runtime_error("loopback: cannot bind 127.0.0.1");
  host_ = "127.0.0.1:" + std::to_string(port);
  url_ = "http://" + host_ + "/";
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
}

Loopback::~Loopback() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void Loopback::script(std::vector<Answer> answers) {
  std::lock_guard lock(impl_->mutex);
  impl_->script.assign(std::make_move_iterator(answers.begin()),
                       std::make_move_iterator(answers.end()));
  impl_->requests = 0;
}

std::size_t Loopback::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

common::aws::JsonClientConfig Loopback::client_config(int max_attempts) const {
  common::aws::JsonClientConfig config;
  config.region = "us-east-1";
  config.credentials = {"AKIDFUZZ", "fuzz-secret", "fuzz-token"};
  config.endpoint = {url_, host_, true};
  config.retry.max_attempts = max_attempts;
  config.http.connect_timeout = std::chrono::milliseconds(2000);
  config.attempt_timeout = std::chrono::milliseconds(5000);
  config.sleep = [](std::chrono::milliseconds) {};
  return config;
}

}  // namespace smsc_fuzz
