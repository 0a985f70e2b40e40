// A minimal bootstrap for the relink test (supply_chain_tests.cmake): linked exactly as
// the functions are (smsc_add_bootstrap), with libcurl, simdjson and OpenSSL, so a test
// can replace one of those libraries in a scratch build and watch the link step.
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <simdjson.h>

#include <cstdio>

int main() {
  std::printf("%s %s simdjson/%d.%d.%d\n", curl_version(), OpenSSL_version(OPENSSL_VERSION),
              simdjson::SIMDJSON_VERSION_MAJOR, simdjson::SIMDJSON_VERSION_MINOR,
              simdjson::SIMDJSON_VERSION_REVISION);
  return 0;
}
