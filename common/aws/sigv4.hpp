// AWS Signature Version 4, header form (the Authorization header), on OpenSSL 3.
//
// Pure functions, no I/O: the caller passes the request, the credentials and the
// time, and gets back the headers to add. Checked against AWS's published SigV4
// test suite (tests/unit/sigv4_test.cpp, vectors in tests/fixtures/sigv4/).
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/aws/credentials.hpp"

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX, kept out of this header

namespace common::aws {

/// One HTTP header, name as sent.
using Header = std::pair<std::string, std::string>;

/// What SigV4 needs to know of a request. `body` is only read (hashed), never copied.
struct SigningRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // as on the wire, percent-encoded, possibly unnormalised ("/a/./b/../c")
  std::string query;   // raw query string without '?', may be empty
  std::vector<Header> headers;  // must include host
  std::string_view body;
};

/// Per-service variations of the algorithm. The defaults suit every service but S3
/// (S3: normalize_path = false, double_encode_path = false, add_content_sha256 = true).
struct SigV4Options {
  bool normalize_path = true;       // remove "." / ".." segments and empty segments ("//")
  bool double_encode_path = true;   // URI-encode the wire path once more ('%' becomes "%25")
  bool add_content_sha256 = false;  // x-amz-content-sha256 header (S3 style), signed
  bool sign_session_token = true;   // X-Amz-Security-Token included in signed headers (false: added
                                    // after signing, as some test vectors do)
};

/// Every intermediate of one signature, for tests and debugging.
struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;               // lowercase hex, 64 characters
  std::string authorization;           // the Authorization header value
  std::vector<Header> headers_to_add;  // X-Amz-Date, X-Amz-Security-Token (when a token),
                                       // x-amz-content-sha256 (when asked), Authorization
};

/// The derived signing key of one (secret key, date, region, service): it changes once a day,
/// so a client that keeps one saves four of the five HMACs of every signature, and the HMAC
/// context keyed with it (OpenSSL keeps the padded key's hash states) makes the fifth cheaper.
/// Move-only; not thread-safe.
class SigningKeyCache {
 public:
  SigningKeyCache();
  ~SigningKeyCache();
  SigningKeyCache(SigningKeyCache&&) noexcept;
  SigningKeyCache& operator=(SigningKeyCache&&) noexcept;

  /// The cached key (32 bytes) for these inputs, or nullptr.
  const std::string* find(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service) const;
  /// Remembers `key` for these inputs (replacing what was there) and keys an HMAC-SHA256
  /// context with it. Throws std::runtime_error if OpenSSL fails (then nothing is cached).
  void store(std::string_view secret, std::string_view date, std::string_view region,
             std::string_view service, std::string key);
  /// HMAC-SHA256 of `data` under the stored key: 32 raw bytes. Throws std::logic_error when
  /// nothing is stored, std::runtime_error if OpenSSL fails.
  std::array<unsigned char, 32> hmac(std::string_view data);

 private:
  std::string secret_, date_, region_, service_, key_;
  bool valid_ = false;
  evp_mac_ctx_st* mac_ = nullptr;  // owned; keyed with key_ when valid_
};

/// Signs a request with AWS Signature Version 4 (header form). `now` is truncated to
/// whole seconds and written in UTC as X-Amz-Date (yyyymmddThhmmssZ); the credential
/// scope is <yyyymmdd>/<region>/<service>/aws4_request.
///
/// Headers the signer owns (Authorization, X-Amz-Date, and X-Amz-Security-Token /
/// x-amz-content-sha256 when it adds them) are ignored if the request already carries
/// them; every other header in `request.headers` is signed. Header names match
/// case-insensitively; repeated names are joined with ',' in order.
///
/// Throws std::invalid_argument when the request has no Host header, and
/// std::runtime_error if OpenSSL fails (out of memory).
SigV4Result sign_v4(const SigningRequest& request, const Credentials& credentials,
                    std::string_view region, std::string_view service,
                    std::chrono::system_clock::time_point now, const SigV4Options& options = {},
                    SigningKeyCache* cache = nullptr);

/// Lowercase hex SHA-256 of data (64 characters). The algorithm is fetched from OpenSSL once per
/// process and the digest context reused per thread. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);

/// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters
/// (A-Z a-z 0-9 - . _ ~) kept, every other byte as %XX with uppercase hex; '/' kept
/// when encode_slash is false. Works on bytes, so UTF-8 comes out as one %XX per byte.
std::string uri_encode(std::string_view value, bool encode_slash);

}  // namespace common::aws
