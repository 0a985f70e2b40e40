#include "common/sms/segments.hpp"

#include <string>
#include <vector>

namespace common::sms {
namespace {

// GSM 7-bit default alphabet (3GPP TS 23.038 6.2.1) as Unicode code points.
constexpr char32_t kBasic[] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É', U' ',
    U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',', U'-', U'.', U'/',
    U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7', U'8', U'9', U':', U';', U'<', U'=', U'>', U'?',
    U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à'};
// Extension table (6.2.1.1): escape + one septet.
constexpr char32_t kExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

// Septets of one code point in GSM-7: 1, 2 (extension), or 0 when it is not representable.
int gsm_septets(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return 1;
  for (char32_t b : kBasic) {
    if (b == c) return 1;
  }
  for (char32_t e : kExtension) {
    if (e == c) return 2;
  }
  return 0;
}

// Decodes UTF-8; an invalid byte becomes U+FFFD (which is not GSM-7).
std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (cb & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(c);
    i += len;
  }
  return out;
}

// Parts needed for items of the given sizes (each 1 or 2 units, never split), with `single`
// units in a lone part and `multi` units per part of a concatenated message.
int pack(const std::vector<int>& sizes, int total, int single, int multi) {
  if (total == 0) return 0;
  if (total <= single) return 1;
  int parts = 1, used = 0;
  for (int size : sizes) {
    if (used + size > multi) {
      ++parts;
      used = 0;
    }
    used += size;
  }
  return parts;
}

}  // namespace

SegmentCount count_segments(std::string_view body) {
  const auto chars = decode_utf8(body);
  std::vector<int> sizes;
  sizes.reserve(chars.size());
  int septets = 0;
  bool gsm = true;
  for (char32_t c : chars) {
    const int n = gsm_septets(c);
    if (n == 0) {
      gsm = false;
      break;
    }
    sizes.push_back(n);
    septets += n;
  }
  if (gsm) return {Encoding::kGsm7, septets, pack(sizes, septets, 160, 153)};
  sizes.clear();
  int units = 0;
  for (char32_t c : chars) {
    const int n = c > 0xFFFF ? 2 : 1;  // a surrogate pair in UTF-16
    sizes.push_back(n);
    units += n;
  }
  return {Encoding::kUcs2, units, pack(sizes, units, 70, 67)};
}

}  // namespace common::sms
