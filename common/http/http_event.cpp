#include "common/http/http_event.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <set>
#include <stdexcept>
#include <vector>

namespace common::http {
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

// The SAX handler behind check_json(): follows the nesting and the member names without
// building anything. It records the first problem and reads on, so that text which is not JSON
// further down is still reported as such by the caller's parse.
class JsonChecker {
 public:
  JsonChecker(std::size_t max_depth, bool unique_keys)
      : max_depth_(max_depth), unique_keys_(unique_keys) {}

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& name) {
    if (depth_ > max_depth_) return true;  // frames are kept only within the limit
    Frame& frame = frames_.back();
    frame.key = name;
    if (unique_keys_ && !frame.keys.insert(name).second)
      report(path(frames_.size()), "appears more than once");
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  const std::optional<JsonProblem>& problem() const { return problem_; }

 private:
  struct Frame {
    bool is_array = false;
    std::size_t index = 0;       // arrays: the element being read
    std::string key;             // objects: the member being read
    std::set<std::string> keys;  // objects: the members seen
  };

  bool open(bool is_array) {
    ++depth_;
    if (depth_ > max_depth_) {
      if (!problem_) report(path(3), "nests deeper than " + std::to_string(max_depth_) + " levels");
    } else {
      frames_.push_back(Frame{is_array, 0, {}, {}});
    }
    return true;
  }
  bool close() {
    if (depth_-- <= max_depth_) frames_.pop_back();
    return value();
  }
  // A value ended: the next one in an array is the next element.
  bool value() {
    if (depth_ <= max_depth_ && !frames_.empty() && frames_.back().is_array) ++frames_.back().index;
    return true;
  }
  std::string path(std::size_t levels) const {
    std::string out;
    for (std::size_t i = 0; i < frames_.size() && i < levels; ++i) {
      if (frames_[i].is_array) {
        // Appended piecewise: g++ 12 -O2 for aarch64 warns (-Wrestrict, a false positive)
        // on "[" + std::string + "]".
        out += '[';
        out += std::to_string(frames_[i].index);
        out += ']';
      } else {
        if (!out.empty()) out += '.';
        out += frames_[i].key;
      }
    }
    return out;
  }
  void report(std::string field, std::string message) {
    if (!problem_) problem_ = JsonProblem{std::move(field), std::move(message)};
  }

  std::size_t max_depth_;
  bool unique_keys_;
  std::size_t depth_ = 0;
  std::vector<Frame> frames_;
  std::optional<JsonProblem> problem_;
};

}  // namespace

std::optional<JsonProblem> check_json(std::string_view text, std::size_t max_depth,
                                      bool unique_keys) {
  JsonChecker checker(max_depth, unique_keys);
  if (!json::sax_parse(text, &checker)) return std::nullopt;  // not JSON: the parse says so
  return checker.problem();
}

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
  // Checked before anything recursive touches it; parsing and freeing are iterative in
  // nlohmann 3.11, and only strings are copied out below.
  const auto problem = check_json(payload, kMaxJsonDepth, false);
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
  if (auto query = event.find("queryStringParameters");
      query != event.end() && query->is_object()) {
    for (auto& [name, value] : query->items()) {
      if (value.is_string()) r.query[name] = value.get<std::string>();
    }
  }
  r.request_id = string_at(*context, "requestId");
  r.source_ip = string_at(*http, "sourceIp");
  r.user_agent = string_at(*http, "userAgent");
  if (auto auth = context->find("authorizer"); auth != context->end() && auth->is_object()) {
    if (auto iam = auth->find("iam"); iam != auth->end() && iam->is_object()) {
      for (const char* key : {"userArn", "callerId", "accountId"}) {
        r.caller = string_at(*iam, key);
        if (!r.caller.empty()) break;
      }
    }
  }
  const auto invalid = [&r](std::string field, std::string reason) {
    r.invalid_field = std::move(field);
    r.invalid_reason = std::move(reason);
    return r;
  };
  if (problem) return invalid(problem->field, problem->message);
  bool base64 = false;
  if (auto flag = event.find("isBase64Encoded"); flag != event.end() && !flag->is_null()) {
    if (!flag->is_boolean()) return invalid("isBase64Encoded", "must be a boolean");
    base64 = flag->get<bool>();
  }
  std::string body;
  if (auto text = event.find("body"); text != event.end() && !text->is_null()) {
    if (!text->is_string()) return invalid("body", "must be a string");
    body = text->get<std::string>();
  }
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
  // Replace, not throw: by now the work is done (an opt-out recorded), and a stray byte in a
  // value must not turn that into a failed invocation.
  constexpr auto kReplace = json::error_handler_t::replace;
  return json{{"statusCode", status},
              {"headers", h},
              {"body", body.dump(-1, ' ', false, kReplace)},
              {"isBase64Encoded", false}}
      .dump(-1, ' ', false, kReplace);
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

}  // namespace common::http
