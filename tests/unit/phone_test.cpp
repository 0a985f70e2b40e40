// Phone numbers: ITU-T E.164 shape, NANP format rules (NANPA), log masking.
// 555-01XX numbers are the NANP's fictional range; +44 20 7946 0xxx is Ofcom's drama range.
#include "common/compliance/phone.hpp"

#include <gtest/gtest.h>

#include <string>

namespace common::compliance {
namespace {

void expect_parses(std::string_view input, std::string_view e164) {
  const PhoneParseResult got = parse_phone_number(input);
  EXPECT_TRUE(got.ok) << "input: " << input << " error: " << got.error;
  EXPECT_EQ(got.e164, e164) << "input: " << input;
  EXPECT_EQ(got.error, "") << "input: " << input;
}

void expect_rejects(std::string_view input) {
  const PhoneParseResult got = parse_phone_number(input);
  EXPECT_FALSE(got.ok) << "input: " << input << " gave: " << got.e164;
  EXPECT_EQ(got.e164, "") << "input: " << input;
  EXPECT_NE(got.error, "") << "input: " << input;
}

TEST(ParsePhoneNumber, NanpWithPlusAndSeparators) {
  expect_parses("+1 (425) 555-0123", "+14255550123");
  expect_parses("+14255550123", "+14255550123");
  expect_parses("+1.425.555.0123", "+14255550123");
  expect_parses("  +1 425/555-0123  ", "+14255550123");
  expect_parses("+1\t425\t555\t0123", "+14255550123");
}

// Project decision: without '+', 10 digits are a US national number, 11 digits need the NANP
// long-distance prefix 1.
TEST(ParsePhoneNumber, NanpWithoutPlusAssumesCountryCode1) {
  expect_parses("(425) 555-0123", "+14255550123");
  expect_parses("425-555-0123", "+14255550123");
  expect_parses("4255550123", "+14255550123");
  expect_parses("14255550123", "+14255550123");
  expect_parses("1 (425) 555-0123", "+14255550123");
  expect_rejects("24255550123");          // 11 digits not starting with 1
  expect_rejects("5550123");              // 7-digit local dialling: no area code
  expect_rejects("442079460958");         // foreign number without its '+'
  expect_rejects("011 44 20 7946 0958");  // NANP international prefix is not interpreted
}

// NANP covers the US, Canada and Caribbean countries; toll-free NPAs are ERCs and valid.
TEST(ParsePhoneNumber, OtherNanpAreasAndTollFree) {
  expect_parses("+1 416 555 0199", "+14165550199");  // Toronto
  expect_parses("+1 876 555 0199", "+18765550199");  // Jamaica
  expect_parses("+1 800 555 0199", "+18005550199");  // toll-free
  expect_parses("+1 200 200 0000", "+12002000000");  // lowest format-valid NPA and NXX
}

// ITU-T E.164: country code 1-3 digits starting 1-9, at most 15 digits.
TEST(ParsePhoneNumber, InternationalNumbers_ItuTE164) {
  expect_parses("+44 20 7946 0958", "+442079460958");
  expect_parses("+33 1 23 45 67 89", "+33123456789");
  expect_parses("+52 55 1234 5678", "+525512345678");
  expect_rejects("+123456789012345");  // country code 1 means NANP: 10 national digits only
}

TEST(ParsePhoneNumber, InternationalLengthLimits_ItuTE164) {
  expect_parses("+861012345678901", "+861012345678901");  // 15 digits: the maximum
  expect_rejects("+8610123456789012");                    // 16 digits
  expect_parses("+6831234", "+6831234");                  // 7 digits: the project floor
  expect_rejects("+683123");                              // 6 digits
  expect_rejects("+0 44 20 7946 0958");                   // country codes never start with 0
}

// NANPA: NPA is [2-9][0-8][0-9], not N11, not reserved 37X / 96X; NXX is [2-9][0-9][0-9], not
// N11; exactly 10 digits after the country code.
TEST(ParsePhoneNumber, NanpFormatRules_Nanpa) {
  expect_rejects("+1 025 555 0123");  // NPA starts with 0
  expect_rejects("+1 125 555 0123");  // NPA starts with 1
  expect_rejects("+1 911 555 0123");  // N11 service code as NPA
  expect_rejects("+1 411 555 0123");
  expect_rejects("+1 295 555 0123");   // N9X: reserved for NPA expansion
  expect_rejects("+1 371 555 0123");   // 37X reserved
  expect_rejects("+1 965 555 0123");   // 96X reserved
  expect_rejects("+1 425 055 0123");   // NXX starts with 0
  expect_rejects("+1 425 155 0123");   // NXX starts with 1
  expect_rejects("+1 425 911 0123");   // N11 as NXX
  expect_rejects("+1 425 555 012");    // 9 national digits
  expect_rejects("+1 425 555 01234");  // 11 national digits
  expect_rejects("+1");
  expect_rejects("4255550123 ext 5");                // extensions are not part of an E.164 number
  expect_rejects("+1 425 211 0123");                 // 211 (community services) is N11 too
  expect_parses("+1 425 210 0123", "+14252100123");  // N10 is an ordinary exchange code
}

TEST(ParsePhoneNumber, GarbageIsAnErrorValue) {
  for (const char* input :
       {"", " ", "+", "++14255550123", "+1 425 555 0123+", "1-800-FLOWERS", "four two five",
        "+1 (425) 555-0123 x12", "\xFF\xFE", "+1-425-555-0123;", "42555501２3"}) {
    expect_rejects(input);
  }
  expect_rejects(std::string(10000, '9'));
  expect_rejects(
      std::string("+1425555\0"
                  "0123",
                  13));
}

TEST(IsE164, ShapeOnly_ItuTE164) {
  EXPECT_TRUE(is_e164("+14255550123"));
  EXPECT_TRUE(is_e164("+442079460958"));
  EXPECT_TRUE(is_e164("+123456789012345"));    // 15 digits
  EXPECT_TRUE(is_e164("+12"));                 // shape only, no length floor
  EXPECT_TRUE(is_e164("+19115550123"));        // shape only, no NANP checks
  EXPECT_FALSE(is_e164("+1234567890123456"));  // 16 digits
  EXPECT_FALSE(is_e164("14255550123"));
  EXPECT_FALSE(is_e164("+04255550123"));
  EXPECT_FALSE(is_e164("+1 425 555 0123"));
  EXPECT_FALSE(is_e164("+1"));
  EXPECT_FALSE(is_e164("+"));
  EXPECT_FALSE(is_e164(""));
  EXPECT_FALSE(is_e164("+1425555012a"));
}

TEST(IsE164, EveryParsedNumberIsE164) {
  for (const char* input : {"+1 (425) 555-0123", "4255550123", "+44 20 7946 0958", "+6831234"}) {
    const PhoneParseResult got = parse_phone_number(input);
    ASSERT_TRUE(got.ok) << input;
    EXPECT_TRUE(is_e164(got.e164)) << input;
  }
}

TEST(MaskPhoneNumber, KeepsCountryAndAreaCodeAndLastFour) {
  EXPECT_EQ(mask_phone_number("+14255551234"), "+1425***1234");
  EXPECT_EQ(mask_phone_number("+442079460958"), "+4420***0958");
  EXPECT_EQ(mask_phone_number("(425) 555-1234"), "+1425***1234");  // masked in E.164 form
}

TEST(MaskPhoneNumber, ShortNumbersAreMaskedMore) {
  EXPECT_EQ(mask_phone_number("+33123456"), "+33***56");  // 8 digits: 2 and 2
  EXPECT_EQ(mask_phone_number("+6831234"), "+6***4");     // 7 digits: 1 and 1
  EXPECT_EQ(mask_phone_number("12345"), "1***5");         // short code
  EXPECT_EQ(mask_phone_number("1234"), "***");
  EXPECT_EQ(mask_phone_number(""), "***");
}

TEST(MaskPhoneNumber, NeverRevealsTheWholeInput) {
  for (const char* input : {"+14255551234", "+442079460958", "+123456789012345", "12345", "123456",
                            "1234567890123456789", "+1 425 555 1234", "alice@example.com", "+12",
                            "+999", "not a number 4255551234"}) {
    const std::string masked = mask_phone_number(input);
    EXPECT_NE(masked, input);
    EXPECT_NE(masked.find("***"), std::string::npos) << input;
    EXPECT_EQ(masked.find("4255551234"), std::string::npos) << input;
    EXPECT_EQ(masked.find("5551"), std::string::npos) << input;
  }
}

}  // namespace
}  // namespace common::compliance
