// Phone numbers: parsing to E.164 (the key of every consent record), NANP checks, log masking.
// Pure functions, no I/O. Sources: ITU-T Recommendation E.164; NANPA numbering resources
// (NPA and central office code formats, reserved codes).
#pragma once

#include <string>
#include <string_view>

namespace common::compliance {

/// Result of parsing a phone number: a value, never an exception.
struct PhoneParseResult {
  bool ok = false;
  std::string e164;   ///< "+" then digits, e.g. "+14255550123"; empty unless ok
  std::string error;  ///< why the input was rejected, for logs and API errors; empty if ok
};

/// Normalises a phone number as people type it to E.164.
/// Accepted: digits with the separators space, tab, '-', '.', '(', ')' and '/', and an optional
/// leading '+'. Anything else (letters, extensions, a second '+') is rejected, not guessed at.
///  - "+<digits>": international form. ITU-T E.164: country code starts with 1-9, at most 15
///    digits in all; this project also requires at least 7 digits (a sanity floor against
///    truncated input, not an ITU rule).
///  - no '+', 10 digits: a US/NANP national number, "+1" is assumed ("(425) 555-0123").
///  - no '+', 11 digits starting with 1: NANP with the long-distance prefix ("1 425 555 0123").
///  - no '+', any other length: rejected, since this service is US-only (TCPA) and a foreign
///    number without its '+' cannot be told apart from a typo. Neither is "011" (the NANP
///    international prefix) interpreted.
/// Country code 1 numbers must be NANP-valid (NANPA): exactly 10 national digits NPA-NXX-XXXX;
/// NPA first digit 2-9, not N11 (service codes like 911), not N9X (reserved for expansion), not
/// 37X or 96X (reserved by NANPA); NXX first digit 2-9 and not N11. 555-01XX fictional numbers
/// are format-valid and accepted.
PhoneParseResult parse_phone_number(std::string_view input);

/// True if `s` has the ITU-T E.164 shape: '+', a first digit 1-9, 2 to 15 digits in all, nothing
/// else. Shape only: no country or NANP checks (use parse_phone_number for those).
bool is_e164(std::string_view s);

/// Masks a number for logs so that it never appears whole: "+14255551234" -> "+1425***1234".
/// Inputs that parse_phone_number accepts are masked in their E.164 form: the first 4 digits
/// (for +1: the country code and area code) and the last 4 are kept when there are 11 or more
/// digits, 2 and 2 for 8 to 10 digits, 1 and 1 for 5 to 7. Other all-digit strings (short codes,
/// too long numbers) are masked the same way without a '+', and fewer than 5 digits are just
/// "***"; anything else is "***". The mask is always exactly "***", so it hides the length too.
std::string mask_phone_number(std::string_view number);

}  // namespace common::compliance
