#include "common/aws/endpoints.hpp"

#include <cctype>
#include <stdexcept>

namespace common::aws {
namespace {

Endpoint parse_custom(const std::string& raw, const std::string& variable) {
  std::string_view url = raw;
  std::string_view scheme;
  if (url.rfind("https://", 0) == 0) {
    scheme = "https://";
  } else if (url.rfind("http://", 0) == 0) {
    scheme = "http://";
  } else {
    throw std::invalid_argument(variable + " must start with http:// or https://, got '" + raw + "'");
  }
  std::string_view rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (host.empty()) throw std::invalid_argument(variable + " has no host: '" + raw + "'");
  if (slash != std::string_view::npos && rest.substr(slash) != "/") {
    throw std::invalid_argument(variable + " must not have a path: '" + raw + "'");
  }
  // Default ports are not part of the signed Host header.
  std::string host_header(host);
  if ((scheme == "https://" && host_header.ends_with(":443")) ||
      (scheme == "http://" && host_header.ends_with(":80"))) {
    host_header.erase(host_header.rfind(':'));
  }
  return Endpoint{std::string(scheme) + std::string(host) + "/", host_header, true};
}

}  // namespace

std::string endpoint_variable(const ServiceInfo& service) {
  std::string name = "AWS_ENDPOINT_URL_";
  for (char c : service.service_id) {
    name += c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Endpoint resolve_endpoint(const ServiceInfo& service, std::string_view region,
                          const Environment& env) {
  const std::string specific = endpoint_variable(service);
  if (auto url = env.get(specific)) return parse_custom(*url, specific);
  if (auto url = env.get("AWS_ENDPOINT_URL")) return parse_custom(*url, "AWS_ENDPOINT_URL");
  std::string host = std::string(service.endpoint_prefix) + "." + std::string(region) +
                     (region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com");
  return Endpoint{"https://" + host + "/", host, false};
}

}  // namespace common::aws
