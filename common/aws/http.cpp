#include "common/aws/http.hpp"

#include <curl/curl.h>
#include <strings.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace common::aws {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::vector<Header>*>(user);
  std::string_view line(data, size * count);
  // A new status line (e.g. after "100 Continue" or a redirect) starts a fresh header set.
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(std::string(trim(line.substr(0, colon))),
                          std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return std::nullopt;
}

std::string find_ca_bundle(const Environment& env) {
  std::error_code ec;
  for (const char* var : {"SSL_CERT_FILE", "AWS_CA_BUNDLE"}) {
    if (auto path = env.get(var); path && std::filesystem::is_regular_file(*path, ec)) return *path;
  }
  for (const char* path : {"/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"}) {
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return "";
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
  HttpClientOptions options;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->options = std::move(options);
  impl_->curl = curl_easy_init();
  if (impl_->curl == nullptr) throw std::runtime_error("libcurl: curl_easy_init failed");
}

HttpClient::~HttpClient() {
  if (impl_ && impl_->curl) curl_easy_cleanup(impl_->curl);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  CURL* c = impl_->curl;
  HttpResponse response;
  // Reset per-request options but keep the connection cache of the handle.
  curl_easy_reset(c);
  impl_->error_buffer[0] = '\0';
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error_buffer);
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!impl_->options.ca_bundle.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, impl_->options.ca_bundle.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(impl_->options.connect_timeout, request.timeout).count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, request.timeout.count())));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode (gzip/deflate)

  if (request.fresh_connection) curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);

  const std::string& method = request.method;
  const bool sends_body = method == "POST" || method == "PUT" || method == "PATCH" ||
                          (method != "GET" && method != "HEAD" && !request.body.empty());
  if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (!sends_body) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    if (method != "GET") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  // libcurl would otherwise add these on its own.
  list = curl_slist_append(list, "Expect:");
  if (sends_body) list = curl_slist_append(list, "Transfer-Encoding:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);

  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  long new_connections = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &new_connections);
  response.reused_connection = new_connections == 0;
  if (rc != CURLE_OK) {
    response.status = 0;
    response.headers.clear();
    response.body.clear();
    response.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    response.connect_failed = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                              rc == CURLE_COULDNT_RESOLVE_PROXY;
    response.connection_lost = rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
                               rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE;
    response.transport_error = impl_->error_buffer[0] ? impl_->error_buffer : curl_easy_strerror(rc);
    if (rc == CURLE_SSL_CACERT_BADFILE && impl_->options.ca_bundle.empty()) {
      response.transport_error +=
          " (no CA bundle found: set SSL_CERT_FILE or AWS_CA_BUNDLE)";
    }
    return response;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace common::aws
