// The floor: the least a Runtime API client can do per invocation with libcurl,
// one GET .../invocation/next and one POST .../response on a kept-alive handle,
// echoing the event. No error reporting, no headers beyond the request id: it is
// a yardstick for the echo contestant, not a runtime.
#include <curl/curl.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kRequestIdHeader = "lambda-runtime-aws-request-id:";

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

size_t find_request_id(char* data, size_t size, size_t count, void* target) {
  const std::string_view line(data, size * count);
  if (line.size() > kRequestIdHeader.size() &&
      strncasecmp(line.data(), kRequestIdHeader.data(), kRequestIdHeader.size()) == 0) {
    std::string_view value = line.substr(kRequestIdHeader.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    static_cast<std::string*>(target)->assign(value);
  }
  return size * count;
}

}  // namespace

int main() {
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (api == nullptr || *api == '\0') {
    std::cerr << "floor: AWS_LAMBDA_RUNTIME_API is not set\n";
    return 1;
  }
  const std::string base = std::string("http://") + api + "/2018-06-01/runtime/invocation/";
  const std::string next_url = base + "next";
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return 1;
  std::string body;
  std::string request_id;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip on big events
  for (;;) {
    body.clear();
    request_id.clear();
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, next_url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, find_request_id);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &request_id);
    long status = 0;
    if (curl_easy_perform(curl) != CURLE_OK) return 1;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200 || request_id.empty()) return 1;

    const std::string response_url = base + request_id + "/response";
    std::string ignored;
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, response_url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ignored);
    if (curl_easy_perform(curl) != CURLE_OK) return 1;
  }
}
