#include "common/aws/sigv4.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

namespace common::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kSha256Bytes = 32;

using Digest = std::array<unsigned char, kSha256Bytes>;

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHexDigits[bytes[i] >> 4]);
    out.push_back(kHexDigits[bytes[i] & 0x0f]);
  }
  return out;
}

// One-shot HMAC-SHA256, for deriving the signing key (once a day per client) and for callers
// without a SigningKeyCache.
Digest hmac_sha256(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int length = 0;
  const auto* result =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  if (result == nullptr || length != out.size()) {
    throw std::runtime_error("sigv4: HMAC-SHA256 failed in OpenSSL");
  }
  return out;
}

// SHA-256 fetched from the default provider once. EVP_sha256() would be looked up again on
// every digest (an implicit fetch), which costs more than hashing a small request body.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("sigv4: OpenSSL has no SHA-256");
  return md;
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("sigv4: OpenSSL has no HMAC");
  return mac;
}

Digest sha256(std::string_view data) {
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  Digest digest{};
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), sha256_algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != digest.size()) {
    throw std::runtime_error("sigv4: SHA-256 failed in OpenSSL");
  }
  return digest;
}

std::string_view as_view(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// SigV4 wants values trimmed and inner runs of whitespace as one space; counting CR/LF
// as whitespace also folds obsolete multi-line values onto one line.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes %XX only: '+' stays a plus (RFC 3986, not form encoding), and a malformed
// escape is kept literally so that re-encoding turns its '%' into "%25".
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// Removes "." and ".." segments and empty segments ("//"), keeping a trailing slash only
// when the original path had one (as botocore does; the suite's cases agree).
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && path.ends_with('/')) out.push_back('/');
  return out;
}

std::string canonical_uri(std::string_view path, const SigV4Options& options) {
  std::string uri = options.normalize_path ? normalize_path(path) : std::string(path);
  if (uri.empty()) uri.push_back('/');  // (not = "/": a false g++ 12 -Wrestrict)
  return options.double_encode_path ? uri_encode(uri, false) : uri;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view item = query.substr(start, end - start);
    if (!item.empty()) {
      const std::size_t equals = item.find('=');
      const std::string_view key = item.substr(0, equals);
      const std::string_view value =
          equals == std::string_view::npos ? std::string_view{} : item.substr(equals + 1);
      pairs.emplace_back(uri_encode(percent_decode(key), true),
                         uri_encode(percent_decode(value), true));
    }
    start = end + 1;
  }
  // Sorting the encoded forms byte-wise is what the suite expects (get-vanilla-query-order-*).
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

struct Timestamps {
  std::string date_time;  // 20150830T123600Z
  std::string date;       // 20150830
};

Timestamps format_utc(std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss<std::chrono::seconds> time{seconds - days};
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d%02u%02uT%02d%02d%02dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  Timestamps out;
  out.date_time = buffer.data();
  out.date = out.date_time.substr(0, 8);
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  const Digest digest = sha256(data);
  return to_hex(digest.data(), digest.size());
}

std::string uri_encode(std::string_view value, bool encode_slash) {
  constexpr std::string_view kUpperHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kUpperHex[byte >> 4]);
      out.push_back(kUpperHex[byte & 0x0f]);
    }
  }
  return out;
}

const std::string* SigningKeyCache::find(std::string_view secret, std::string_view date,
                                         std::string_view region, std::string_view service) const {
  if (!valid_ || secret != secret_ || date != date_ || region != region_ || service != service_) {
    return nullptr;
  }
  return &key_;
}

SigningKeyCache::SigningKeyCache() = default;

SigningKeyCache::~SigningKeyCache() { EVP_MAC_CTX_free(mac_); }

SigningKeyCache::SigningKeyCache(SigningKeyCache&& other) noexcept
    : secret_(std::move(other.secret_)),
      date_(std::move(other.date_)),
      region_(std::move(other.region_)),
      service_(std::move(other.service_)),
      key_(std::move(other.key_)),
      valid_(std::exchange(other.valid_, false)),
      mac_(std::exchange(other.mac_, nullptr)) {}

SigningKeyCache& SigningKeyCache::operator=(SigningKeyCache&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(mac_);
    secret_ = std::move(other.secret_);
    date_ = std::move(other.date_);
    region_ = std::move(other.region_);
    service_ = std::move(other.service_);
    key_ = std::move(other.key_);
    valid_ = std::exchange(other.valid_, false);
    mac_ = std::exchange(other.mac_, nullptr);
  }
  return *this;
}

void SigningKeyCache::store(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service, std::string key) {
  valid_ = false;
  if (mac_ == nullptr) mac_ = EVP_MAC_CTX_new(hmac_algorithm());
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  if (mac_ == nullptr ||
      EVP_MAC_init(mac_, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                   params) != 1) {
    throw std::runtime_error("sigv4: HMAC-SHA256 key setup failed in OpenSSL");
  }
  secret_ = secret;
  date_ = date;
  region_ = region;
  service_ = service;
  key_ = std::move(key);
  valid_ = true;
}

std::array<unsigned char, 32> SigningKeyCache::hmac(std::string_view data) {
  if (!valid_) throw std::logic_error("sigv4: SigningKeyCache::hmac without a stored key");
  Digest out{};
  std::size_t length = 0;
  // A null key re-initialises with the key given to store(), from OpenSSL's saved pad states.
  if (EVP_MAC_init(mac_, nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(mac_, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(mac_, out.data(), &length, out.size()) != 1 || length != out.size()) {
    throw std::runtime_error("sigv4: HMAC-SHA256 failed in OpenSSL");
  }
  return out;
}

SigV4Result sign_v4(const SigningRequest& request, const Credentials& credentials,
                    std::string_view region, std::string_view service,
                    std::chrono::system_clock::time_point now, const SigV4Options& options,
                    SigningKeyCache* cache) {
  const Timestamps stamp = format_utc(now);
  const std::string payload_hash = sha256_hex(request.body);
  const bool has_token = !credentials.session_token.empty();

  // Names the signer writes itself; a caller's copy would be signed twice or stale.
  auto owned_by_signer = [&](const std::string& name) {
    return name == "authorization" || name == "x-amz-date" ||
           (has_token && name == "x-amz-security-token") ||
           (options.add_content_sha256 && name == "x-amz-content-sha256");
  };

  std::map<std::string, std::string> canonical;  // sorted by lowercase name
  for (const auto& [raw_name, raw_value] : request.headers) {
    const std::string name = canonical_header_value(lowercase(raw_name));
    if (owned_by_signer(name)) continue;
    const std::string value = canonical_header_value(raw_value);
    auto [it, inserted] = canonical.try_emplace(name, value);
    if (!inserted) it->second.append(",").append(value);
  }
  if (!canonical.contains("host")) {
    throw std::invalid_argument("sigv4: the request has no Host header");
  }
  canonical["x-amz-date"] = stamp.date_time;
  if (has_token && options.sign_session_token) {
    canonical["x-amz-security-token"] = credentials.session_token;
  }
  if (options.add_content_sha256) canonical["x-amz-content-sha256"] = payload_hash;

  std::string header_block;
  std::string signed_headers;
  for (const auto& [name, value] : canonical) {
    header_block.append(name).append(":").append(value).append("\n");
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers.append(name);
  }

  SigV4Result result;
  result.canonical_request = request.method + "\n" + canonical_uri(request.path, options) + "\n" +
                             canonical_query(request.query) + "\n" + header_block + "\n" +
                             signed_headers + "\n" + payload_hash;

  std::string scope = stamp.date;
  scope.append("/").append(region).append("/").append(service).append("/aws4_request");
  result.string_to_sign = std::string(kAlgorithm) + "\n" + stamp.date_time + "\n" + scope + "\n" +
                          sha256_hex(result.canonical_request);

  const bool cached =
      cache != nullptr &&
      cache->find(credentials.secret_access_key, stamp.date, region, service) != nullptr;
  Digest signature{};
  if (cached) {
    signature = cache->hmac(result.string_to_sign);
  } else {
    std::string secret_key = "AWS4";
    secret_key += credentials.secret_access_key;
    const Digest date_key = hmac_sha256(secret_key, stamp.date);
    const Digest region_key = hmac_sha256(as_view(date_key), region);
    const Digest service_key = hmac_sha256(as_view(region_key), service);
    const Digest derived = hmac_sha256(as_view(service_key), "aws4_request");
    if (cache != nullptr) {
      cache->store(credentials.secret_access_key, stamp.date, region, service,
                   std::string(as_view(derived)));
      signature = cache->hmac(result.string_to_sign);
    } else {
      signature = hmac_sha256(as_view(derived), result.string_to_sign);
    }
  }
  result.signature = to_hex(signature.data(), signature.size());

  result.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id +
                         "/" + scope + ", SignedHeaders=" + signed_headers +
                         ", Signature=" + result.signature;

  result.headers_to_add.emplace_back("X-Amz-Date", stamp.date_time);
  if (has_token)
    result.headers_to_add.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (options.add_content_sha256) {
    result.headers_to_add.emplace_back("x-amz-content-sha256", payload_hash);
  }
  result.headers_to_add.emplace_back("Authorization", result.authorization);
  return result;
}

}  // namespace common::aws
