// How many SMS parts (segments) a message body takes, as carriers bill and throttle them, and
// "smart encoding": replacing characters that have a GSM-7 look-alike so a body is not sent as
// UCS-2 for a typographic quote.
// GSM 03.38 / 3GPP TS 23.038: the GSM 7-bit default alphabet, whose extension table characters
// (^ { } \ [ ~ ] | and the euro sign) take two septets; any other character forces UCS-2.
// One part holds 160 septets (GSM-7) or 70 UTF-16 code units (UCS-2); a concatenated message
// loses 7 septets / 3 code units per part to the UDH: 153 and 67. An escape pair or a surrogate
// pair is never split across parts. Pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>

namespace common::sms {

/// The encoding a message body needs.
enum class Encoding { kGsm7, kUcs2 };

/// Size of a message body: encoding, units (septets for GSM-7, UTF-16 code units for UCS-2)
/// and parts. `parts` is 0 for an empty body.
struct SegmentCount {
  Encoding encoding = Encoding::kGsm7;
  int units = 0;
  int parts = 0;
};

/// Counts the parts of a UTF-8 `body`. Each byte of an ill-formed UTF-8 sequence (stray
/// continuation, truncated sequence, overlong form, surrogate, above U+10FFFF) counts as one
/// UCS-2 unit (the body cannot be GSM-7 then).
SegmentCount count_segments(std::string_view body);

/// What smart_encode made of a body.
struct SmartEncoded {
  /// The body to send (and to record as sent): the replaced text, or the input unchanged.
  std::string text;
  /// Input characters replaced or removed to make `text`; 0 exactly when `text` is the input.
  int replaced = 0;
  /// count_segments(text).
  SegmentCount segments;
  /// count_segments(input): `segments.parts` is never more than `original.parts`.
  SegmentCount original;
};

/// Smart encoding: replaces the characters of a UTF-8 body that have a GSM-7 look-alike, so that
/// a body which is GSM-7 but for typography is sent (and billed) as GSM-7, not UCS-2.
///
/// All or nothing: the replacements are kept only when every character of the result is GSM-7
/// (basic or extension table) and it takes no more parts than the input (an ellipsis becomes
/// three septets, so 70 of them would not). Otherwise (a character with no look-alike such as an
/// emoji, a CJK or Cyrillic letter, or ill-formed UTF-8) the input is returned unchanged, byte
/// for byte, with its typography: it is UCS-2 either way. A GSM-7 input is returned unchanged.
/// The result is therefore valid UTF-8 whenever the input is, and encoding it again changes
/// nothing (its characters are all GSM-7).
///
/// Replacements (characters already in GSM-7, like é è à ä ñ ü Ç É ß, are never touched):
/// - quotes: ‘ ’ ‚ ‛ ′ ‵ ‹ › ` ´ ʹ ʻ ʼ ʽ ˈ ˊ ˋ ❛ ❜ -> '; “ ” „ ‟ ″ ‶ « » ʺ ˮ ❝ ❞ 〝 〞 -> "
/// - dashes and bullets: U+2010-2015, minus U+2212, • ‣ ⁃ ∙ ◦ -> -
/// - ellipsis … -> ...; ‥ -> ..; ․ -> .
/// - spaces: no-break U+00A0, U+2000-200A, U+202F, U+205F, U+3000 and tab -> space; line and
///   paragraph separators U+2028/2029 and NEL U+0085 -> line feed
/// - invisible characters removed: zero-width U+200B-200D, word joiner U+2060, U+2061-2064,
///   BOM U+FEFF, soft hyphen U+00AD, direction marks U+200E/200F, U+202A-202E, U+2066-2069,
///   variation selectors U+FE00-FE0F
/// - Latin letters not in GSM-7 -> their base letter (Latin-1, Latin Extended-A, Romanian
///   Ș ș Ț ț): á -> a, ç -> c, È -> E, ł -> l, ő -> o, Ð ð -> D d; ligatures Œ œ Ĳ ĳ -> OE oe IJ
///   ij, ﬀ ﬁ ﬂ ﬃ ﬄ -> ff fi fl ffi ffl
/// - combining accents U+0300-036F: composed with the letter before them when that makes a GSM-7
///   letter (e + U+0301 -> é), else removed (a + U+0301 -> a)
/// - ½ ¼ ¾ -> 1/2 1/4 3/4; × -> x; ⁄ ∕ -> /; ¦ -> |; ˆ -> ^; ˜ -> ~ (the last two are GSM-7
///   extension characters: two septets)
/// - fullwidth forms U+FF01-FF5E -> their ASCII counterpart (！ -> !, Ａ -> A)
/// No look-alike (the text stays UCS-2): emoji, © ® ™ °, non-Latin scripts, other symbols.
///
/// Examples:
///   smart_encode("Don’t be late…")  -> {text "Don't be late...", replaced 2, GSM-7, 1 part}
///   smart_encode("Olá – 10 € off")  -> {text "Ola - 10 € off", replaced 2, GSM-7, 15 septets}
///   smart_encode("See you ’soon’ 😀") -> {text unchanged, replaced 0, UCS-2}
SmartEncoded smart_encode(std::string_view utf8);

}  // namespace common::sms
