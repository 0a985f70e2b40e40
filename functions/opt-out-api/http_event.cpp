#include "functions/opt-out-api/http_event.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <stdexcept>

namespace opt_out_api {
namespace {

using json = nlohmann::json;

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Standard base64 with padding; false for anything else.
bool base64_decode(std::string_view in, std::string& out) {
  if (in.size() % 4 != 0) return false;
  out.assign(in.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) return false;
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (!in.empty() && in.back() == '=') --size;
  if (in.size() > 1 && in[in.size() - 2] == '=') --size;
  out.resize(size);
  return true;
}

}  // namespace

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

HttpRequest parse_http_event(std::string_view payload, std::size_t max_body_bytes) {
  json event = json::parse(payload, nullptr, false);
  if (!event.is_object()) throw std::invalid_argument("event is not a JSON object");
  if (string_at(event, "version") != "2.0") {
    throw std::invalid_argument("event.version is not \"2.0\" (API Gateway HTTP API payload 2.0 "
                                "or Function URL expected)");
  }
  const auto context = event.find("requestContext");
  if (context == event.end() || !context->is_object()) {
    throw std::invalid_argument("event.requestContext is missing");
  }
  const auto http = context->find("http");
  if (http == context->end() || !http->is_object() || string_at(*http, "method").empty()) {
    throw std::invalid_argument("event.requestContext.http.method is missing");
  }
  HttpRequest r;
  r.method = string_at(*http, "method");
  for (char& c : r.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  r.path = string_at(event, "rawPath");
  if (r.path.empty()) r.path = string_at(*http, "path");
  // A named stage prefixes rawPath ("/prod/opt-out"); $default adds nothing.
  const std::string stage = string_at(*context, "stage");
  if (!stage.empty() && stage != "$default") {
    const std::string prefix = "/" + stage;
    if (r.path.compare(0, prefix.size(), prefix) == 0 &&
        (r.path.size() == prefix.size() || r.path[prefix.size()] == '/')) {
      r.path.erase(0, prefix.size());
    }
  }
  if (r.path.empty()) r.path.push_back('/');
  if (auto headers = event.find("headers"); headers != event.end() && headers->is_object()) {
    for (auto& [name, value] : headers->items()) {
      if (!value.is_string()) continue;
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[lower] = value.get<std::string>();
    }
  }
  r.request_id = string_at(*context, "requestId");
  r.source_ip = string_at(*http, "sourceIp");
  r.user_agent = string_at(*http, "userAgent");
  if (auto auth = context->find("authorizer"); auth != context->end() && auth->is_object()) {
    if (auto iam = auth->find("iam"); iam != auth->end() && iam->is_object()) r.caller = *iam;
  }
  const std::string body = string_at(event, "body");
  const bool base64 = event.value("isBase64Encoded", false);
  // Base64 grows the text by 4/3: a body that cannot fit decoded is refused without decoding.
  if (body.size() > (base64 ? max_body_bytes / 3 * 4 + 4 : max_body_bytes)) {
    r.body_too_large = true;
    return r;
  }
  if (base64) {
    if (!base64_decode(body, r.body)) {
      r.body.clear();
      r.body_undecodable = true;
    }
  } else {
    r.body = body;
  }
  if (r.body.size() > max_body_bytes) {
    r.body.clear();
    r.body_too_large = true;
  }
  return r;
}

std::string HttpResponse::to_event_json() const {
  json h = {{"content-type", "application/json"}, {"cache-control", "no-store"}};
  for (const auto& [k, v] : headers) h[k] = v;
  return json{{"statusCode", status},
              {"headers", h},
              {"body", body.dump()},
              {"isBase64Encoded", false}}
      .dump();
}

HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field) {
  HttpResponse r;
  r.status = status;
  json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  r.body = {{"error", error}};
  return r;
}

}  // namespace opt_out_api
