// HTTP/1.1 client on libcurl: one kept-alive connection per client, TLS always verified.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/aws/environment.hpp"

namespace common::aws {

/// One HTTP header, name as sent.
using Header = std::pair<std::string, std::string>;

/// A request to send. `url` is absolute (http:// or https://). Any method: GET and
/// HEAD send no body; other methods send `body` (none when empty and not POST/PUT/PATCH).
struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<Header> headers;
  std::string body;
  /// Whole-exchange limit for this request (connect + send + receive).
  std::chrono::milliseconds timeout{10000};
  /// Open a new connection instead of reusing the kept-alive one (after the
  /// kept-alive one turned out dead).
  bool fresh_connection = false;
};

/// What came back. `status` is 0 when no HTTP response arrived; then
/// `transport_error` says why (DNS, connect, TLS, timeout) and `timed_out` is set
/// for timeouts. Header names keep the server's case; look them up with header().
struct HttpResponse {
  long status = 0;
  std::vector<Header> headers;
  std::string body;
  std::string transport_error;
  bool timed_out = false;
  bool connect_failed = false;
  /// The connection broke after it was up: the peer closed or reset it while we
  /// sent or received (also a reply with nothing in it).
  bool connection_lost = false;
  /// The request went over a kept-alive connection opened by an earlier request.
  bool reused_connection = false;

  /// Value of the first header called `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
  /// True when an HTTP response (any status) arrived.
  bool received() const { return status != 0; }
};

/// Settings of an HttpClient.
struct HttpClientOptions {
  /// Limit for establishing TCP (+TLS), per attempt.
  std::chrono::milliseconds connect_timeout{3000};
  /// PEM CA bundle for https; empty means "https will fail with a clear error".
  std::string ca_bundle;
};

/// The CA bundle the SDKs would use: $SSL_CERT_FILE, then $AWS_CA_BUNDLE, then
/// /etc/pki/tls/certs/ca-bundle.crt (Amazon Linux, i.e. Lambda), then
/// /etc/ssl/certs/ca-certificates.crt (Debian). Only existing files count;
/// returns "" when none exists.
std::string find_ca_bundle(const Environment& env);

/// An HTTP client owning one libcurl easy handle, so the TCP/TLS connection is
/// kept alive and reused across requests (and across Lambda invocations, the
/// client living as long as the process). TCP_NODELAY on, TLS peer and host
/// verification always on, no redirects followed. Proxies: exactly libcurl's own
/// rules and nothing more: `https_proxy`/`HTTPS_PROXY` for https URLs,
/// lower-case `http_proxy` only for http URLs (curl ignores `HTTP_PROXY` as a
/// CGI safety measure), and `no_proxy`/`NO_PROXY` (comma-separated hosts,
/// domain suffixes, `*`) to bypass them. Lambda sets none of these.
/// Not thread-safe: one client per thread.
class HttpClient {
 public:
  /// Throws std::runtime_error if libcurl cannot be initialised.
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request and waits for the whole response. Never throws for
  /// network problems: they come back as a response with status 0.
  HttpResponse send(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace common::aws
