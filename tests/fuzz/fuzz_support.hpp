// Small helpers shared by the fuzz targets: property checks that libFuzzer records as crashes,
// and splitting one input into parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace smsc_fuzz {

/// Reports a broken property on stderr and aborts, so libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              std::string_view detail) {
  std::fprintf(stderr, "\n*** property broken at %s:%d: %s\n*** %.*s\n", file, line, what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// The fuzzer's bytes as text.
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `input` at each occurrence of `separator` (the separator is dropped): "a|b" -> {a, b}.
inline std::vector<std::string_view> split(std::string_view input, std::string_view separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = input.find(separator, start);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(input.substr(start));
  return parts;
}

/// `output` with the digits of every EMF `"Timestamp":<epoch ms>` blanked out: the clock's own
/// 13 digits are not a logged phone number, yet a fuzzer that sees them compared can put them in
/// its input (a false finding of the "number logged whole" properties, seen once at 179,000
/// executions of opt_out_api_handler).
inline std::string without_emf_timestamps(std::string output) {
  static constexpr std::string_view kKey = "\"Timestamp\":";
  for (std::size_t at = output.find(kKey); at != std::string::npos; at = output.find(kKey, at)) {
    at += kKey.size();
    while (at < output.size() && output[at] >= '0' && output[at] <= '9') output[at++] = '0';
  }
  return output;
}

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
inline bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = b(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return false;
    for (std::size_t k = 2; k < n; ++k) {
      if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace smsc_fuzz

/// Checks a property of the code under test; on failure prints `detail` and aborts.
#define SMSC_FUZZ_CHECK(condition, detail)                                         \
  do {                                                                             \
    if (!(condition)) ::smsc_fuzz::fail(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
