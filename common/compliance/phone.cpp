#include "common/compliance/phone.hpp"

#include <cstddef>
#include <utility>

namespace common::compliance {
namespace {

// ITU-T E.164: at most 15 digits including the country code.
constexpr std::size_t kMaxE164Digits = 15;
// Project sanity floor for international numbers (see parse_phone_number).
constexpr std::size_t kMinE164Digits = 7;
// NANP: NPA (3) + NXX (3) + line number (4).
constexpr std::size_t kNanpNationalDigits = 10;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

PhoneParseResult failure(std::string error) {
  return {false, {}, std::move(error)};
}

// NANPA format rules for a 10-digit national number; empty if valid, else the reason.
std::string nanp_error(std::string_view national) {
  const char npa1 = national[0], npa2 = national[1], npa3 = national[2];
  if (npa1 < '2') return "NANP area code must not start with 0 or 1";
  if (npa2 == '1' && npa3 == '1') return "NANP area code must not be an N11 service code";
  if (npa2 == '9') return "NANP area code must not have 9 as its middle digit (reserved)";
  if ((npa1 == '3' && npa2 == '7') || (npa1 == '9' && npa2 == '6')) {
    return "NANP area codes 37X and 96X are reserved";
  }
  const char nxx1 = national[3], nxx2 = national[4], nxx3 = national[5];
  if (nxx1 < '2') return "NANP exchange code must not start with 0 or 1";
  if (nxx2 == '1' && nxx3 == '1') return "NANP exchange code must not be an N11 service code";
  return {};
}

PhoneParseResult nanp(std::string_view national) {
  if (national.size() != kNanpNationalDigits) {
    return failure("a +1 (NANP) number must have 10 digits after the country code");
  }
  if (std::string error = nanp_error(national); !error.empty()) return failure(std::move(error));
  return {true, "+1" + std::string(national), {}};
}

// Masks `digits` (digits only), prefixing `prefix` ("+" or "").
std::string mask_digits(std::string_view prefix, std::string_view digits) {
  std::size_t keep = 0;
  if (digits.size() >= 11) {
    keep = 4;
  } else if (digits.size() >= 8) {
    keep = 2;
  } else if (digits.size() >= 5) {
    keep = 1;
  }
  // At least 3 digits stay hidden: 4 + 4 of 11, 2 + 2 of 8, 1 + 1 of 5.
  std::string out(prefix);
  out.append(digits.substr(0, keep));
  out.append("***");
  out.append(digits.substr(digits.size() - keep));
  return out;
}

}  // namespace

PhoneParseResult parse_phone_number(std::string_view input) {
  std::size_t begin = 0;
  while (begin < input.size() && (input[begin] == ' ' || input[begin] == '\t')) ++begin;
  const bool international = begin < input.size() && input[begin] == '+';
  std::string digits;
  for (std::size_t i = international ? begin + 1 : begin; i < input.size(); ++i) {
    const char c = input[i];
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (!is_separator(c)) {
      return failure("invalid character at position " + std::to_string(i));
    }
    if (digits.size() > kMaxE164Digits) return failure("more than 15 digits (ITU-T E.164)");
  }
  if (digits.empty()) return failure("no digits");

  if (international) {
    if (digits[0] == '0') return failure("country code must not start with 0 (ITU-T E.164)");
    if (digits[0] == '1') return nanp(std::string_view(digits).substr(1));
    if (digits.size() < kMinE164Digits) return failure("too few digits for an E.164 number");
    return {true, "+" + digits, {}};
  }
  if (digits.size() == kNanpNationalDigits) return nanp(digits);
  if (digits.size() == kNanpNationalDigits + 1 && digits[0] == '1') {
    return nanp(std::string_view(digits).substr(1));
  }
  return failure(
      "without a leading '+' only US/NANP numbers are accepted: 10 digits, or 11 starting with 1");
}

bool is_e164(std::string_view s) {
  if (s.size() < 3 || s.size() > kMaxE164Digits + 1 || s[0] != '+' || s[1] < '1' || s[1] > '9') {
    return false;
  }
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return true;
}

std::string mask_phone_number(std::string_view number) {
  if (const PhoneParseResult parsed = parse_phone_number(number); parsed.ok) {
    return mask_digits("+", std::string_view(parsed.e164).substr(1));
  }
  if (number.empty()) return "***";
  for (const char c : number) {
    if (!is_digit(c)) return "***";
  }
  return mask_digits("", number);
}

}  // namespace common::compliance
