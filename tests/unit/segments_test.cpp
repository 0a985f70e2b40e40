// SMS segment counting: 3GPP TS 23.038 (GSM 7-bit alphabet and extension table), UCS-2,
// 160/153 septets and 70/67 code units per part.
#include "common/sms/segments.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using common::sms::count_segments;
using common::sms::Encoding;

TEST(Segments, EmptyBodyHasNoParts) { EXPECT_EQ(count_segments("").parts, 0); }

TEST(Segments, Gsm7SingleAndConcatenated) {
  EXPECT_EQ(count_segments(std::string(160, 'a')).parts, 1);
  EXPECT_EQ(count_segments(std::string(161, 'a')).parts, 2);
  EXPECT_EQ(count_segments(std::string(306, 'a')).parts, 2);  // 2 x 153
  EXPECT_EQ(count_segments(std::string(307, 'a')).parts, 3);
  auto s = count_segments("Hello @ £5 è Ñ");
  EXPECT_EQ(s.encoding, Encoding::kGsm7);
  EXPECT_EQ(s.units, 14);
}

// Extension table characters take two septets; an escape pair is never split across parts.
TEST(Segments, ExtensionCharactersCountTwice) {
  auto s = count_segments("{€}");
  EXPECT_EQ(s.encoding, Encoding::kGsm7);
  EXPECT_EQ(s.units, 6);
  EXPECT_EQ(count_segments(std::string(80, '[')).parts, 1);   // 160 septets
  EXPECT_EQ(count_segments(std::string(81, '[')).parts, 2);   // 162 septets
  // 306 septets fit 2 x 153, but the pair at 153-154 moves to part 2, so a third part is needed.
  EXPECT_EQ(count_segments(std::string(152, 'a') + "[" + std::string(152, 'a')).parts, 3);
}

TEST(Segments, Ucs2SingleAndConcatenated) {
  std::string seventy;
  for (int i = 0; i < 70; ++i) seventy += "ç";  // U+00E7 is not in GSM-7 (only Ç is)
  auto s = count_segments(seventy);
  EXPECT_EQ(s.encoding, Encoding::kUcs2);
  EXPECT_EQ(s.parts, 1);
  EXPECT_EQ(count_segments(seventy + "a").parts, 2);
  std::string many;
  for (int i = 0; i < 134; ++i) many += "ç";
  EXPECT_EQ(count_segments(many).parts, 2);  // 2 x 67
  EXPECT_EQ(count_segments(many + "a").parts, 3);
}

// An emoji is a surrogate pair in UTF-16: two units, never split.
TEST(Segments, EmojiIsTwoUnits) {
  auto s = count_segments("Hi 😀");
  EXPECT_EQ(s.encoding, Encoding::kUcs2);
  EXPECT_EQ(s.units, 5);
  std::string body(66, 'a');
  body += "😀";  // 68 units: over 70? no: single part
  EXPECT_EQ(count_segments(body).parts, 1);
  std::string split(66, 'a');
  split += "😀" + std::string(4, 'a');  // 72 units; the pair at 67-68 moves to part 2
  EXPECT_EQ(count_segments(split).parts, 2);
}

// Each byte of an ill-formed UTF-8 sequence (RFC 3629 section 4) is one UCS-2 unit: an overlong
// "A" is not GSM-7, nor is a surrogate or a code point above U+10FFFF.
TEST(Segments, IllFormedUtf8CountsOneUcs2UnitPerByte) {
  for (const std::string& body :
       {std::string("\xc1\x81"), std::string("\xe0\x81\x81"), std::string("\xed\xa0\x80"),
        std::string("\xf4\x90\x80\x80"), std::string("\xff"), std::string("\xe2\x82")}) {
    auto s = count_segments(body);
    EXPECT_EQ(s.encoding, Encoding::kUcs2);
    EXPECT_EQ(s.units, static_cast<int>(body.size()));
  }
  auto s = count_segments("ok \xe2\x82 ok");  // truncated euro sign: two units, then GSM-7 text
  EXPECT_EQ(s.encoding, Encoding::kUcs2);
  EXPECT_EQ(s.units, 8);
  EXPECT_EQ(count_segments("\xf4\x8f\xbf\xbf").units, 2);  // U+10FFFF: a surrogate pair
}

TEST(Segments, TypicalReminderIsOnePart) {
  auto s = count_segments(
      "Acme Dental: Reminder: your appointment is Tue, Nov 24 at 2:00 PM at 12 Main St. Reply C "
      "to confirm, R to reschedule, STOP to opt out.");
  EXPECT_EQ(s.encoding, Encoding::kGsm7);
  EXPECT_EQ(s.parts, 1);
}

}  // namespace
