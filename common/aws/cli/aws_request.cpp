// aws-request: sends one SigV4-signed request to any AWS endpoint (JSON protocol
// or REST), like awscurl, with the credentials of the environment. For people
// debugging by hand and for scripts; see README ("aws-request").
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/aws/environment.hpp"
#include "common/aws/http.hpp"
#include "common/aws/json_client.hpp"
#include "common/aws/sigv4.hpp"

namespace {

using common::aws::Credentials;
using common::aws::Environment;
using common::aws::Header;

constexpr int kExitOk = 0;
constexpr int kExitAwsError = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage = R"(usage: aws-request [options] URL

Signs a request with AWS Signature Version 4 using AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, sends it, and prints the response
body on stdout.

  -X, --method METHOD   HTTP method (default GET, or POST when a body is given)
  -H, --header 'N: V'   add a header (repeatable); it is signed
  -d, --data BODY       request body: text, @FILE, or @- for stdin
      --target OP       shorthand for a JSON 1.0 call: POST, X-Amz-Target OP
                        (e.g. DynamoDB_20120810.ListTables), Content-Type
                        application/x-amz-json-1.0, body {} unless given
      --service NAME    signing name (default: first label of an *.amazonaws.com host)
      --region NAME     region (default AWS_REGION, AWS_DEFAULT_REGION, else from the host)
      --time T          sign as of T (yyyymmddThhmmssZ, e.g. 20150830T123600Z)
      --sign-only       print canonical request, string to sign and the signed
                        headers; send nothing (no credentials needed: 'local' is used)
  -i, --include         print the status line and response headers first
      --timeout SECONDS whole-request limit (default 30)
  -h, --help            this text

A body without Content-Type is sent as application/x-amz-json-1.0 when
X-Amz-Target is set, else application/json.
Exit status: 0 success (2xx), 1 AWS or network error (code and request id on
stderr), 2 usage error.
)";

struct Options {
  std::string method;
  std::string url;
  std::vector<Header> headers;
  std::optional<std::string> body;
  std::string service;
  std::string region;
  std::optional<std::chrono::system_clock::time_point> time;
  bool sign_only = false;
  bool include = false;
  std::chrono::milliseconds timeout{30000};
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Url {
  std::string scheme;  // "https"
  std::string host;    // Host header: host[:port], default port left out
  std::string path;    // as on the wire, "/" when absent
  std::string query;   // without '?'
};

Url parse_url(const std::string& text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos) throw UsageError("URL must start with http:// or https://");
  url.scheme = text.substr(0, scheme_end);
  if (url.scheme != "http" && url.scheme != "https") {
    throw UsageError("URL must start with http:// or https://");
  }
  const std::string rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?");
  url.host = rest.substr(0, path_start);
  if (url.host.empty()) throw UsageError("URL has no host");
  std::string path_and_query = path_start == std::string::npos ? "/" : rest.substr(path_start);
  if (path_and_query.front() == '?') path_and_query.insert(0, "/");
  const auto question = path_and_query.find('?');
  url.path = path_and_query.substr(0, question);
  if (question != std::string::npos) url.query = path_and_query.substr(question + 1);
  if ((url.scheme == "https" && url.host.ends_with(":443")) ||
      (url.scheme == "http" && url.host.ends_with(":80"))) {
    url.host.erase(url.host.rfind(':'));
  }
  return url;
}

std::chrono::system_clock::time_point parse_time(const std::string& text) {
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char t = 0, z = 0;
  if (text.size() != 16 ||
      std::sscanf(text.c_str(), "%4u%2u%2u%c%2u%2u%2u%c", &y, &mo, &d, &t, &h, &mi, &s, &z) != 8 ||
      t != 'T' || z != 'Z') {
    throw UsageError("--time must look like 20150830T123600Z");
  }
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(y)),
                                         std::chrono::month(mo), std::chrono::day(d)};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) throw UsageError("--time is not a valid UTC time");
  return std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

std::string read_body(const std::string& spec) {
  if (spec.empty() || spec.front() != '@') return spec;
  const std::string name = spec.substr(1);
  if (name == "-") return {std::istreambuf_iterator<char>(std::cin), {}};
  std::ifstream in(name, std::ios::binary);
  if (!in) throw UsageError("cannot read body file '" + name + "'");
  return {std::istreambuf_iterator<char>(in), {}};
}

bool has_header(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
  }
  return false;
}

Options parse_args(int argc, char** argv) {
  Options o;
  std::optional<std::string> target;
  auto next = [&](int& i, std::string_view flag) -> std::string {
    if (i + 1 >= argc) throw UsageError(std::string(flag) + " needs a value");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(kExitOk);
    } else if (arg == "-X" || arg == "--method") {
      o.method = next(i, arg);
    } else if (arg == "-H" || arg == "--header") {
      const std::string h = next(i, arg);
      const auto colon = h.find(':');
      if (colon == std::string::npos || colon == 0) throw UsageError("header must be 'Name: value'");
      std::string value = h.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t") == std::string::npos
                         ? value.size()
                         : value.find_first_not_of(" \t"));
      o.headers.emplace_back(h.substr(0, colon), value);
    } else if (arg == "-d" || arg == "--data") {
      o.body = read_body(next(i, arg));
    } else if (arg == "--target") {
      target = next(i, arg);
    } else if (arg == "--service") {
      o.service = next(i, arg);
    } else if (arg == "--region") {
      o.region = next(i, arg);
    } else if (arg == "--time") {
      o.time = parse_time(next(i, arg));
    } else if (arg == "--sign-only") {
      o.sign_only = true;
    } else if (arg == "-i" || arg == "--include") {
      o.include = true;
    } else if (arg == "--timeout") {
      const std::string v = next(i, arg);
      try {
        o.timeout = std::chrono::milliseconds(static_cast<long long>(std::stod(v) * 1000));
      } catch (const std::exception&) {
        throw UsageError("--timeout takes seconds");
      }
    } else if (!arg.empty() && arg.front() == '-') {
      throw UsageError("unknown option " + arg);
    } else if (o.url.empty()) {
      o.url = arg;
    } else {
      throw UsageError("more than one URL given");
    }
  }
  if (o.url.empty()) throw UsageError("no URL given");
  if (target) {
    if (o.method.empty()) o.method = "POST";
    o.headers.emplace_back("X-Amz-Target", *target);
    if (!has_header(o.headers, "content-type")) {
      o.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    }
    if (!o.body) o.body = "{}";
  }
  if (o.method.empty()) o.method = o.body ? "POST" : "GET";
  if (o.body && !o.body->empty() && !has_header(o.headers, "content-type")) {
    o.headers.emplace_back("Content-Type", has_header(o.headers, "x-amz-target")
                                               ? "application/x-amz-json-1.0"
                                               : "application/json");
  }
  return o;
}

// dynamodb.us-east-1.amazonaws.com -> {"dynamodb", "us-east-1"}; anything else -> empty.
std::pair<std::string, std::string> infer_from_host(std::string host) {
  if (auto colon = host.find(':'); colon != std::string::npos) host.erase(colon);
  const auto suffix = host.find(".amazonaws.com");
  if (suffix == std::string::npos) return {};
  std::vector<std::string> labels;
  std::istringstream in(host.substr(0, suffix));
  for (std::string label; std::getline(in, label, '.');) labels.push_back(label);
  if (labels.empty()) return {};
  std::string region = labels.size() >= 2 ? labels[1] : "us-east-1";  // global endpoints
  return {labels[0], region};
}

int run(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  const Url url = parse_url(o.url);
  const Environment env = Environment::process();
  auto [host_service, host_region] = infer_from_host(url.host);
  const std::string service = !o.service.empty() ? o.service : host_service;
  if (service.empty()) throw UsageError("cannot tell the service from the host: give --service");
  std::string region = o.region;
  if (region.empty()) region = env.get_or("AWS_REGION", env.get_or("AWS_DEFAULT_REGION", host_region));
  if (region.empty()) throw UsageError("no region: give --region or set AWS_REGION");

  Credentials credentials;
  credentials.access_key_id = env.get_or("AWS_ACCESS_KEY_ID", "");
  credentials.secret_access_key = env.get_or("AWS_SECRET_ACCESS_KEY", "");
  credentials.session_token = env.get_or("AWS_SESSION_TOKEN", "");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    if (!o.sign_only) throw UsageError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set");
    credentials.access_key_id = credentials.access_key_id.empty() ? "local" : credentials.access_key_id;
    credentials.secret_access_key = "local";
  }

  const std::string body = o.body.value_or("");
  common::aws::SigningRequest signing;
  signing.method = o.method;
  signing.path = url.path;
  signing.query = url.query;
  signing.headers = o.headers;
  if (!has_header(signing.headers, "host")) signing.headers.emplace_back("host", url.host);
  signing.body = body;
  const auto now = o.time.value_or(std::chrono::system_clock::now());
  const common::aws::SigV4Result signature =
      common::aws::sign_v4(signing, credentials, region, service, now);

  if (o.sign_only) {
    std::cout << "---- canonical request\n"
              << signature.canonical_request << "\n---- string to sign\n"
              << signature.string_to_sign << "\n---- signed request headers\n";
    for (const auto& [k, v] : signing.headers) std::cout << k << ": " << v << "\n";
    for (const auto& [k, v] : signature.headers_to_add) std::cout << k << ": " << v << "\n";
    return kExitOk;
  }

  common::aws::HttpClientOptions http_options;
  http_options.ca_bundle = common::aws::find_ca_bundle(env);
  common::aws::HttpClient http(http_options);
  common::aws::HttpRequest request;
  request.method = o.method;
  request.url = url.scheme + "://" + url.host + url.path + (url.query.empty() ? "" : "?" + url.query);
  request.headers = o.headers;
  for (const auto& header : signature.headers_to_add) request.headers.push_back(header);
  request.body = body;
  request.timeout = o.timeout;
  const common::aws::HttpResponse response = http.send(request);

  if (o.include && response.received()) {
    std::cout << "HTTP " << response.status << "\n";
    for (const auto& [k, v] : response.headers) std::cout << k << ": " << v << "\n";
    std::cout << "\n";
  }
  std::cout << response.body;
  if (!response.body.empty() && response.body.back() != '\n') std::cout << "\n";
  std::cout.flush();
  if (response.status >= 200 && response.status < 300) return kExitOk;

  common::aws::AwsError error = common::aws::error_from_response(service, o.method, response, 1);
  // REST/XML services put the code in the body as <Code>.
  if (error.code.starts_with("HTTP")) {
    auto tag = [&](std::string_view name) -> std::string {
      const std::string open = "<" + std::string(name) + ">";
      const auto start = response.body.find(open);
      if (start == std::string::npos) return "";
      const auto end = response.body.find("</", start);
      return response.body.substr(start + open.size(), end - start - open.size());
    };
    if (auto code = tag("Code"); !code.empty()) error.code = code;
    if (auto message = tag("Message"); !message.empty()) error.message = message;
    if (auto id = tag("RequestId"); !id.empty() && error.request_id.empty()) error.request_id = id;
  }
  std::cerr << "aws-request: " << error.code;
  if (error.http_status != 0) std::cerr << " (HTTP " << error.http_status << ")";
  if (!error.reason.empty()) std::cerr << " reason " << error.reason;
  if (!error.message.empty()) std::cerr << ": " << error.message;
  std::cerr << "\nrequest id: " << (error.request_id.empty() ? "-" : error.request_id) << "\n";
  return kExitAwsError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "aws-request: " << e.what() << "\n(aws-request --help for usage)\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "aws-request: " << e.what() << "\n";
    return kExitAwsError;
  }
}
