#include "runtime/runtime.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <strings.h>
#include <string>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/wire.hpp"

namespace runtime {
namespace {

constexpr std::string_view kApiVersion = "/2018-06-01";
constexpr std::string_view kRequestIdHeader = "lambda-runtime-aws-request-id";
constexpr std::string_view kDeadlineHeader = "lambda-runtime-deadline-ms";
constexpr std::string_view kFunctionArnHeader = "lambda-runtime-invoked-function-arn";
constexpr std::string_view kTraceIdHeader = "lambda-runtime-trace-id";
constexpr std::string_view kClientContextHeader = "lambda-runtime-client-context";
constexpr std::string_view kCognitoIdentityHeader = "lambda-runtime-cognito-identity";
constexpr std::string_view kErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
constexpr const char* kTraceEnv = "_X_AMZN_TRACE_ID";
constexpr int kExitFailure = 1;

// Lambda's log format (AWS_LAMBDA_LOG_FORMAT, from the function's logging configuration):
// "Text" asks for plain lines; anything else keeps JSON.
bool text_log_format() {
  const char* format = std::getenv("AWS_LAMBDA_LOG_FORMAT");
  return format != nullptr && ::strcasecmp(format, "text") == 0;
}

// Now as RFC 3339 UTC with milliseconds, for Text lines.
std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  return text;
}

// One log line on stderr, like the function's own: JSON (so it sits well next to its structured
// logs in CloudWatch and Lambda's log-level filtering reads its level), or a tab-separated plain
// line when the function's log format is Text.
void log_error(std::string_view message, std::string_view request_id = {},
               const ErrorReport* error = nullptr) {
  if (text_log_format()) {
    std::string line = utc_now() + "\t" + (request_id.empty() ? "-" : std::string(request_id)) +
                       "\tERROR\t" + std::string(message) + "\tlogger=runtime";
    if (error != nullptr) {
      line += "\terrorType=" + json_quote(error->type) + "\terrorMessage=" + json_quote(error->message);
    }
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
    return;
  }
  std::string line = "{\"level\":\"ERROR\",\"logger\":\"runtime\",\"message\":" + json_quote(message);
  if (!request_id.empty()) line += ",\"requestId\":" + json_quote(request_id);
  if (error != nullptr) {
    line += ",\"errorType\":" + json_quote(error->type) +
            ",\"errorMessage\":" + json_quote(error->message);
  }
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

struct HttpResponse {
  long status = 0;  // 0 when the exchange failed below HTTP
  std::string transport_error;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
  bool has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return h.first == name; });
  }
  std::string describe() const {
    return status == 0 ? "connection error: " + transport_error : "HTTP " + std::to_string(status);
  }
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new header block (e.g. after 100 Continue)
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  response->headers.emplace_back(std::move(name), std::string(value));
  return size * count;
}

// The Runtime API over one keep-alive connection (one easy handle). No
// timeouts anywhere: GET /next blocks while Lambda freezes the sandbox, and
// after a thaw the wall clock jumps, so any timeout would fire spuriously.
class RuntimeApiClient {
 public:
  explicit RuntimeApiClient(std::string_view host_port)
      : base_url_("http://" + std::string(host_port) + std::string(kApiVersion) + "/runtime"),
        curl_(curl_easy_init()) {
    if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");  // the API is loopback
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 0L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  }
  ~RuntimeApiClient() {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(json_headers_);
  }
  RuntimeApiClient(const RuntimeApiClient&) = delete;
  RuntimeApiClient& operator=(const RuntimeApiClient&) = delete;

  HttpResponse get_next() {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    return perform(base_url_ + "/invocation/next");
  }

  HttpResponse post_response(const std::string& request_id, const std::string& body) {
    return post(base_url_ + "/invocation/" + request_id + "/response", body, json_headers());
  }

  HttpResponse post_error(const std::string& path, const ErrorReport& error) {
    curl_slist* headers = curl_slist_append(
        nullptr, (std::string(kErrorTypeHeader) + ": " + header_safe(error.type)).c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    HttpResponse response = post(base_url_ + path, error_document(error), headers);
    curl_slist_free_all(headers);
    return response;
  }

 private:
  // CR/LF in a header value would end the header early; the body keeps the full type.
  static std::string header_safe(std::string value) {
    std::replace_if(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return value;
  }

  curl_slist* json_headers() {
    if (json_headers_ == nullptr) {
      json_headers_ = curl_slist_append(nullptr, "Content-Type: application/json");
      // curl would otherwise wait for "100 Continue" before sending large bodies.
      json_headers_ = curl_slist_append(json_headers_, "Expect:");
    }
    return json_headers_;
  }

  HttpResponse post(const std::string& url, const std::string& body, curl_slist* headers) {
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    return perform(url);
  }

  HttpResponse perform(const std::string& url) {
    HttpResponse response;
    error_buffer_[0] = '\0';
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
    const CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      response.status = 0;
      response.transport_error =
          error_buffer_[0] != '\0' ? std::string(error_buffer_) : curl_easy_strerror(code);
      return response;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

  std::string base_url_;
  CURL* curl_;
  curl_slist* json_headers_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

Invocation to_invocation(HttpResponse&& response) {
  Invocation invocation;
  invocation.request_id = response.header(kRequestIdHeader);
  if (const auto deadline = parse_deadline_ms(response.header(kDeadlineHeader))) {
    invocation.deadline = *deadline;
  }
  invocation.invoked_function_arn = response.header(kFunctionArnHeader);
  invocation.trace_id = response.header(kTraceIdHeader);
  invocation.client_context = response.header(kClientContextHeader);
  invocation.cognito_identity = response.header(kCognitoIdentityHeader);
  invocation.payload = std::move(response.body);
  return invocation;
}

// What to do after posting a result: 2xx and 4xx leave the sandbox usable.
bool result_accepted_or_rejected(const HttpResponse& response, const std::string& request_id) {
  if (response.status >= 200 && response.status < 300) return true;
  if (response.status >= 400 && response.status < 500) {
    log_error("Runtime API rejected the result (" + response.describe() + "): " + response.body,
              request_id);
    return true;
  }
  log_error("posting the result failed (" + response.describe() + "); exiting", request_id);
  return false;
}

// _X_AMZN_TRACE_ID, set for each invocation. Not with setenv: glibc keeps every value
// setenv replaces alive, which leaks ~150 bytes per invocation. Instead one buffer owned
// here is handed to putenv and rewritten in place (grown, rarely, by a new buffer).
class TraceIdVariable {
 public:
  TraceIdVariable() = default;
  TraceIdVariable(const TraceIdVariable&) = delete;
  TraceIdVariable& operator=(const TraceIdVariable&) = delete;
  ~TraceIdVariable() { clear(); }

  void set(const std::string& value) {
    const std::string entry = std::string(kTraceEnv) + "=" + value;
    if (entry.size() + 1 > buffer_.size()) {
      std::vector<char> bigger(std::max(entry.size() + 1, 2 * buffer_.size()));
      std::memcpy(bigger.data(), entry.c_str(), entry.size() + 1);
      ::putenv(bigger.data());  // environ now points at the new buffer
      buffer_.swap(bigger);
      installed_ = true;
      return;
    }
    std::memcpy(buffer_.data(), entry.c_str(), entry.size() + 1);
    if (!installed_) ::putenv(buffer_.data());
    installed_ = true;
  }

  void clear() {
    if (installed_) ::unsetenv(kTraceEnv);
    installed_ = false;
  }

 private:
  std::vector<char> buffer_ = std::vector<char>(256);
  bool installed_ = false;
};

int loop(RuntimeApiClient& client, const Handler& handler) {
  ::unsetenv(kTraceEnv);  // whatever the process inherited belongs to no invocation
  TraceIdVariable trace;
  for (;;) {
    HttpResponse next = client.get_next();
    if (next.status != 200) {
      log_error("GET /invocation/next failed (" + next.describe() + "); exiting");
      return kExitFailure;
    }
    const bool has_trace_header = next.has_header(kTraceIdHeader);
    Invocation invocation = to_invocation(std::move(next));
    if (invocation.request_id.empty()) {
      log_error("GET /invocation/next answered without a request id; exiting");
      return kExitFailure;
    }
    if (has_trace_header && !invocation.trace_id.empty()) {
      trace.set(invocation.trace_id);
    } else {
      trace.clear();  // never leak the previous invocation's trace
    }

    std::optional<ErrorReport> error;
    std::string response;
    try {
      response = handler(invocation);
    } catch (...) {
      error = describe_current_exception();
    }
    if (!error && response.size() > kMaxResponseBytes) {
      error = ErrorReport{"Function.ResponseSizeTooLarge",
                          "Response payload size (" + std::to_string(response.size()) +
                              " bytes) exceeded the maximum allowed payload size (" +
                              std::to_string(kMaxResponseBytes) + " bytes)."};
    }

    HttpResponse posted;
    if (error) {
      log_error("Invoke Error", invocation.request_id, &*error);
      posted = client.post_error("/invocation/" + invocation.request_id + "/error", *error);
    } else {
      posted = client.post_response(invocation.request_id, response);
    }
    if (!result_accepted_or_rejected(posted, invocation.request_id)) return kExitFailure;
  }
}

}  // namespace

std::chrono::milliseconds Invocation::remaining_time() const {
  const auto now = std::chrono::system_clock::now();
  if (deadline <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
}

FunctionError::FunctionError(std::string type, const std::string& message)
    : std::runtime_error(message), type_(std::move(type)) {}

int run(const Init& init) {
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (api == nullptr || *api == '\0') {
    log_error(
        "AWS_LAMBDA_RUNTIME_API is not set: this is a Lambda bootstrap; run it in Lambda or "
        "under lambda-emulator");
    return kExitFailure;
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // Never paired with curl_global_cleanup: handles built by `init` may outlive
  // this function until exit.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    log_error("curl_global_init failed");
    return kExitFailure;
  }
  try {
    RuntimeApiClient client(api);
    Handler handler;
    try {
      handler = init ? init() : Handler();
      if (!handler) throw FunctionError("Runtime.InitError", "init returned no handler");
    } catch (...) {
      const ErrorReport error = describe_current_exception();
      log_error("Init Error", {}, &error);
      const HttpResponse posted = client.post_error("/init/error", error);
      if (posted.status < 200 || posted.status >= 300) {
        log_error("POST /init/error failed (" + posted.describe() + ")");
      }
      return kExitFailure;
    }
    return loop(client, handler);
  } catch (...) {
    // Only the loop's own failures land here (e.g. out of memory while copying).
    const ErrorReport error = describe_current_exception();
    log_error("runtime loop failed; exiting", {}, &error);
    return kExitFailure;
  }
}

}  // namespace runtime
