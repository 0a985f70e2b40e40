#include "common/sms/segments.hpp"

#include <algorithm>
#include <optional>
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
constexpr int gsm_septets(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return 1;
  for (char32_t b : kBasic) {
    if (b == c) return 1;
  }
  for (char32_t e : kExtension) {
    if (e == c) return 2;
  }
  return 0;
}

// One decoded UTF-8 sequence: its code point and length, or (ok false, length 1) for a byte
// that does not start a well-formed sequence (RFC 3629 section 4: no overlongs, no surrogates,
// nothing above U+10FFFF).
struct Decoded {
  char32_t c = 0;
  int length = 1;
  bool ok = false;
};

Decoded decode_at(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1, true};
  int length = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  char32_t c = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, c = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, c = lead & 0x0F;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, c = lead & 0x07;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {};
  }
  if (i + length > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return {};
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(i + k);
    if (b < 0x80 || b > 0xBF) return {};
    c = (c << 6) | (b & 0x3F);
  }
  return {c, length, true};
}

// Decodes UTF-8; each byte that is not part of a well-formed sequence becomes U+FFFD (which is
// not GSM-7).
std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode_at(s, i);
    out.push_back(d.ok ? d.c : char32_t{0xFFFD});
    i += d.length;
  }
  return out;
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
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

SegmentCount count_code_points(const std::vector<char32_t>& chars) {
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

// --- Smart encoding (see segments.hpp for the table in words) ---

// A character with a GSM-7 look-alike and its replacement (ASCII; empty: removed).
struct Lookalike {
  char32_t from;
  std::string_view to;
};

// Sorted by code point. Ranges (Latin letters, combining accents, fullwidth forms, variation
// selectors) are handled in code, after this table.
// clang-format off
constexpr Lookalike kLookalikes[] = {
    {0x0009, " "},    // tab
    {0x0060, "'"},    // grave accent (ASCII, but not GSM-7)
    {0x0085, "\n"},   // next line (NEL)
    {0x00A0, " "},    // no-break space
    {0x00A6, "|"},    // broken bar
    {0x00AB, "\""},   // « left guillemet
    {0x00AD, ""},     // soft hyphen (invisible unless the line breaks there)
    {0x00B4, "'"},    // acute accent
    {0x00BB, "\""},   // » right guillemet
    {0x00BC, "1/4"},  // vulgar fractions
    {0x00BD, "1/2"},
    {0x00BE, "3/4"},
    {0x00D7, "x"},    // multiplication sign
    {0x0132, "IJ"},   // ligatures
    {0x0133, "ij"},
    {0x0152, "OE"},
    {0x0153, "oe"},
    {0x0218, "S"},    // Romanian S and T with comma below
    {0x0219, "s"},
    {0x021A, "T"},
    {0x021B, "t"},
    {0x02B9, "'"},    // modifier letter prime
    {0x02BA, "\""},   // modifier letter double prime
    {0x02BB, "'"},    // modifier letter turned comma
    {0x02BC, "'"},    // modifier letter apostrophe
    {0x02BD, "'"},    // modifier letter reversed comma
    {0x02C6, "^"},    // modifier letter circumflex
    {0x02C8, "'"},    // modifier letter vertical line
    {0x02CA, "'"},    // modifier letter acute accent
    {0x02CB, "'"},    // modifier letter grave accent
    {0x02DC, "~"},    // small tilde
    {0x02EE, "\""},   // modifier letter double apostrophe
    {0x2000, " "},    // en quad .. hair space
    {0x2001, " "},
    {0x2002, " "},
    {0x2003, " "},
    {0x2004, " "},
    {0x2005, " "},
    {0x2006, " "},
    {0x2007, " "},
    {0x2008, " "},
    {0x2009, " "},
    {0x200A, " "},
    {0x200B, ""},     // zero width space, non-joiner, joiner
    {0x200C, ""},
    {0x200D, ""},
    {0x200E, ""},     // left-to-right and right-to-left marks
    {0x200F, ""},
    {0x2010, "-"},    // hyphen, non-breaking hyphen, figure dash, en dash, em dash, bar
    {0x2011, "-"},
    {0x2012, "-"},
    {0x2013, "-"},
    {0x2014, "-"},
    {0x2015, "-"},
    {0x2018, "'"},    // ‘ ’ ‚ ‛
    {0x2019, "'"},
    {0x201A, "'"},
    {0x201B, "'"},
    {0x201C, "\""},   // “ ” „ ‟
    {0x201D, "\""},
    {0x201E, "\""},
    {0x201F, "\""},
    {0x2022, "-"},    // bullet
    {0x2023, "-"},    // triangular bullet
    {0x2024, "."},    // one dot leader
    {0x2025, ".."},   // two dot leader
    {0x2026, "..."},  // horizontal ellipsis
    {0x2028, "\n"},   // line separator
    {0x2029, "\n"},   // paragraph separator
    {0x202A, ""},     // directional embeddings and overrides
    {0x202B, ""},
    {0x202C, ""},
    {0x202D, ""},
    {0x202E, ""},
    {0x202F, " "},    // narrow no-break space
    {0x2032, "'"},    // prime
    {0x2033, "\""},   // double prime
    {0x2035, "'"},    // reversed prime
    {0x2036, "\""},   // reversed double prime
    {0x2039, "'"},    // ‹ single guillemets ›
    {0x203A, "'"},
    {0x2043, "-"},    // hyphen bullet
    {0x2044, "/"},    // fraction slash
    {0x205F, " "},    // medium mathematical space
    {0x2060, ""},     // word joiner, invisible operators
    {0x2061, ""},
    {0x2062, ""},
    {0x2063, ""},
    {0x2064, ""},
    {0x2066, ""},     // directional isolates
    {0x2067, ""},
    {0x2068, ""},
    {0x2069, ""},
    {0x2212, "-"},    // minus sign
    {0x2215, "/"},    // division slash
    {0x2219, "-"},    // bullet operator
    {0x25E6, "-"},    // white bullet
    {0x275B, "'"},    // ornament quotes
    {0x275C, "'"},
    {0x275D, "\""},
    {0x275E, "\""},
    {0x3000, " "},    // ideographic space
    {0x301D, "\""},   // 〝 〞 double prime quotation marks
    {0x301E, "\""},
    {0xFB00, "ff"},   // Latin ligatures
    {0xFB01, "fi"},
    {0xFB02, "fl"},
    {0xFB03, "ffi"},
    {0xFB04, "ffl"},
    {0xFEFF, ""},     // zero width no-break space (byte order mark)
};
// clang-format on

// Base letters of U+00C0-U+00FF and U+0100-U+017F, by offset; '.' where this table has none
// (GSM-7 letters, which are never looked up, letters without a base such as Þ or ŋ, and the
// signs and ligatures of kLookalikes).
constexpr std::string_view kLatin1Letters =
    "AAAA....E.EEIIII"   // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "D.OOOO...UUU.Y.."   // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    ".aaa...c..ee.iii"   // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "d..ooo....uu.y.y";  // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
constexpr std::string_view kLatinExtendedALetters =
    "AaAaAaCcCcCcCcDd"   // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "DdEeEeEeEeEeGgGg"   // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "GgGgHhHhIiIiIiIi"   // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "Ii..JjKk.LlLlLlL"   // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "lLlNnNnNn...OoOo"   // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "Oo..RrRrRrSsSsSs"   // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "SsTtTtTtUuUuUuUu"   // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "UuUuWwYyYZzZzZzs";  // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ

// A letter followed by a combining accent that together make a GSM-7 letter (canonical
// composition, Unicode chapter 3.11), e.g. e + U+0301 -> é.
struct Composition {
  char32_t base, mark, composed;
};
constexpr Composition kCompositions[] = {
    {U'a', 0x300, U'à'}, {U'e', 0x300, U'è'}, {U'i', 0x300, U'ì'}, {U'o', 0x300, U'ò'},
    {U'u', 0x300, U'ù'}, {U'e', 0x301, U'é'}, {U'E', 0x301, U'É'}, {U'N', 0x303, U'Ñ'},
    {U'n', 0x303, U'ñ'}, {U'A', 0x308, U'Ä'}, {U'O', 0x308, U'Ö'}, {U'U', 0x308, U'Ü'},
    {U'a', 0x308, U'ä'}, {U'o', 0x308, U'ö'}, {U'u', 0x308, U'ü'}, {U'A', 0x30A, U'Å'},
    {U'a', 0x30A, U'å'}, {U'C', 0x327, U'Ç'}};

constexpr bool lookalikes_are_sound() {
  for (std::size_t i = 0; i < std::size(kLookalikes); ++i) {
    if (i > 0 && kLookalikes[i - 1].from >= kLookalikes[i].from) return false;  // sorted, unique
    if (gsm_septets(kLookalikes[i].from) != 0) return false;  // never replaces a GSM-7 character
    for (char c : kLookalikes[i].to) {
      if (gsm_septets(static_cast<unsigned char>(c)) == 0) return false;  // replaced by GSM-7
    }
  }
  for (std::string_view table : {kLatin1Letters, kLatinExtendedALetters}) {
    for (char c : table) {
      if (c != '.' && gsm_septets(static_cast<unsigned char>(c)) != 1) return false;
    }
  }
  for (const Composition& k : kCompositions) {
    if (gsm_septets(k.base) != 1 || gsm_septets(k.composed) != 1) return false;
  }
  return kLatin1Letters.size() == 0x40 && kLatinExtendedALetters.size() == 0x80;
}
static_assert(lookalikes_are_sound());

constexpr bool is_combining_accent(char32_t c) {
  return c >= 0x300 && c <= 0x36F;
}

// The GSM-7 replacement of a character that is not GSM-7 (ASCII, possibly empty), or nullopt
// when it has none. Combining accents are handled by the caller.
std::optional<std::string_view> lookalike(char32_t c) {
  const auto* it = std::lower_bound(std::begin(kLookalikes), std::end(kLookalikes), c,
                                    [](const Lookalike& l, char32_t v) { return l.from < v; });
  if (it != std::end(kLookalikes) && it->from == c) return it->to;
  auto letter = [](std::string_view table, std::size_t offset) -> std::optional<std::string_view> {
    if (table[offset] == '.') return std::nullopt;
    return table.substr(offset, 1);
  };
  if (c >= 0xC0 && c <= 0xFF) return letter(kLatin1Letters, c - 0xC0);
  if (c >= 0x100 && c <= 0x17F) return letter(kLatinExtendedALetters, c - 0x100);
  if (c >= 0xFE00 && c <= 0xFE0F) return std::string_view();  // variation selectors
  if (c >= 0xFF01 && c <= 0xFF5E) {
    // Fullwidth forms: the ASCII character 0xFEE0 below (Unicode's <wide> decompositions).
    static constexpr std::string_view kAscii =
        "!\"#$%&'()*+,-./0123456789:;<=>?"
        "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_"
        "'abcdefghijklmnopqrstuvwxyz{|}~";
    static_assert(kAscii.size() == 0x5E && kAscii[0x60 - 0x21] == '\'');  // ` -> ' as above
    return kAscii.substr(c - 0xFF01, 1);
  }
  return std::nullopt;
}

}  // namespace

SegmentCount count_segments(std::string_view body) {
  return count_code_points(decode_utf8(body));
}

SmartEncoded smart_encode(std::string_view utf8) {
  SmartEncoded result;
  result.original = count_segments(utf8);
  const auto unchanged = [&] {
    result.text = std::string(utf8);
    result.replaced = 0;
    result.segments = result.original;
    return result;
  };
  if (result.original.encoding == Encoding::kGsm7) return unchanged();

  std::vector<char32_t> out;
  out.reserve(utf8.size());
  int replaced = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = decode_at(utf8, i);
    if (!d.ok) return unchanged();  // ill-formed UTF-8: never rewritten
    i += d.length;
    if (gsm_septets(d.c) != 0) {
      out.push_back(d.c);
      continue;
    }
    ++replaced;
    if (is_combining_accent(d.c)) {
      if (!out.empty()) {
        for (const Composition& k : kCompositions) {
          if (k.base == out.back() && k.mark == d.c) {
            out.back() = k.composed;
            break;
          }
        }
      }
      continue;  // composed, or removed
    }
    const auto to = lookalike(d.c);
    if (!to) return unchanged();  // no look-alike: UCS-2 whatever else is replaced
    for (char c : *to) out.push_back(static_cast<unsigned char>(c));
  }

  const SegmentCount encoded = count_code_points(out);
  if (encoded.encoding != Encoding::kGsm7 || encoded.parts > result.original.parts) {
    return unchanged();
  }
  result.text.reserve(out.size());
  for (char32_t c : out) append_utf8(c, result.text);
  result.replaced = replaced;
  result.segments = encoded;
  return result;
}

}  // namespace common::sms
