// Smart encoding (common/sms/segments.hpp smart_encode): characters with a GSM-7 look-alike are
// replaced so a body is not sent as UCS-2 for typography. GSM-7 alphabet and extension table:
// 3GPP TS 23.038 6.2.1; part sizes 160/153 septets, 70/67 UTF-16 units.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/sms/segments.hpp"

namespace {

using common::sms::count_segments;
using common::sms::Encoding;
using common::sms::smart_encode;

// The text smart_encode gives `in`, checking that it is GSM-7 and that `replaced` counts what
// the caller expects.
std::string gsm7(const std::string& in, int replaced) {
  const auto e = smart_encode(in);
  EXPECT_EQ(e.segments.encoding, Encoding::kGsm7) << in;
  EXPECT_EQ(e.replaced, replaced) << in;
  return e.text;
}

// Issue 13: a 100-character reminder with one curly apostrophe is 2 UCS-2 parts (100 > 70
// units); smart-encoded it is 1 GSM-7 part of 100 septets.
TEST(SmartEncoding, CurlyApostropheTurnsTwoUcs2PartsIntoOneGsm7Part) {
  const std::string body =
      "Acme Dental: you’re booked for Tue, Nov 24 at 2:00 PM. Reply C to confirm, STOP to opt "
      "out. See you!";
  const auto before = count_segments(body);
  ASSERT_EQ(before.encoding, Encoding::kUcs2);
  ASSERT_EQ(before.units, 100);
  ASSERT_EQ(before.parts, 2);

  const auto e = smart_encode(body);
  EXPECT_EQ(e.text,
            "Acme Dental: you're booked for Tue, Nov 24 at 2:00 PM. Reply C to confirm, STOP to "
            "opt out. See you!");
  EXPECT_EQ(e.replaced, 1);
  EXPECT_EQ(e.original.parts, 2);
  EXPECT_EQ(e.segments.encoding, Encoding::kGsm7);
  EXPECT_EQ(e.segments.units, 100);
  EXPECT_EQ(e.segments.parts, 1);
  // The result's count is count_segments of the text, as the callers record it.
  EXPECT_EQ(count_segments(e.text).parts, 1);
}

TEST(SmartEncoding, QuotesBecomeStraight) {
  EXPECT_EQ(gsm7("‘a’ ‚b‛ ′ ‵ ‹c› `d´ ʹʻʼʽˈˊˋ ❛❜", 19), "'a' 'b' ' ' 'c' 'd' ''''''' ''");
  EXPECT_EQ(gsm7("“a” „b‟ ″ ‶ «c» ʺˮ ❝❞ 〝〞", 14), "\"a\" \"b\" \" \" \"c\" \"\" \"\" \"\"");
}

TEST(SmartEncoding, DashesAndBulletsBecomeHyphens) {
  EXPECT_EQ(gsm7("a‐b‑c‒d–e—f―g−h", 7), "a-b-c-d-e-f-g-h");
  EXPECT_EQ(gsm7("• one\n‣ two\n⁃ three\n∙ four\n◦ five", 5),
            "- one\n- two\n- three\n- four\n- five");
}

TEST(SmartEncoding, EllipsisBecomesDots) {
  EXPECT_EQ(gsm7("Wait…", 1), "Wait...");
  EXPECT_EQ(gsm7("a‥b․c", 2), "a..b.c");
}

TEST(SmartEncoding, UnicodeSpacesBecomeSpaces) {
  // No-break, en quad .. hair space, narrow no-break, medium mathematical, ideographic, tab.
  const std::string spaces =
      "\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000"
      "\t";
  EXPECT_EQ(gsm7("a" + spaces + "b", 16), "a" + std::string(16, ' ') + "b");
  EXPECT_EQ(gsm7("line\u2028next\u2029last\u0085end", 3), "line\nnext\nlast\nend");
}

TEST(SmartEncoding, InvisibleCharactersAreRemoved) {
  // Zero width space/non-joiner/joiner, word joiner, BOM, soft hyphen, direction marks and
  // isolates, an invisible operator, a variation selector.
  EXPECT_EQ(gsm7("\uFEFFa\u200Bb\u200Cc\u200Dd\u2060e\u00ADf\u200Eg\u200Fh\u202Ai\u202Ej\u2066k"
                 "\u2069l\u2062m\uFE0Fn",
                 14),
            "abcdefghijklmn");
}

// Only letters that are not GSM-7 lose their accent: é è à ù ì ò ä ö ü ñ Ä Ö Ü Ñ Å å Ç É stay.
TEST(SmartEncoding, AccentedLettersNotInGsm7BecomeTheirBaseLetter) {
  EXPECT_EQ(gsm7("Olá, João! Você está às 14h. Ça coûte 5 €.", 5),
            "Ola, Joao! Voce esta às 14h. Ça coute 5 €.");
  // Lower-case ç is not GSM-7 (only Ç is): it becomes c, not Ç.
  EXPECT_EQ(gsm7("Français", 1), "Francais");
  EXPECT_EQ(gsm7("ÀÁÂÃÈÊËÌÍÎÏÒÓÔÕÙÚÛÝ áâãêëíîïóôõúûýÿ", 34), "AAAAEEEIIIIOOOOUUUY aaaeeiiiooouuyy");
  // Kept as they are: every accented letter of the GSM-7 alphabet.
  const std::string gsm_letters = "éèàùìòäöüñÄÖÜÑÅåÇÉØøÆæß";
  EXPECT_EQ(smart_encode(gsm_letters + "ł").text, gsm_letters + "l");
  // Latin Extended-A and Romanian.
  EXPECT_EQ(gsm7("Łódź Kraków Gdańsk Škoda Dvořák İstanbul ığş Őrs Șțară", 16),
            "Lodz Krakow Gdansk Skoda Dvorak Istanbul igs Ors Stara");
}

// Decomposed text (as some keyboards and macOS file names write it): an accent that composes
// with its letter into a GSM-7 letter does; any other is removed.
TEST(SmartEncoding, CombiningAccentsComposeOrAreRemoved) {
  const auto e = smart_encode("Cafe\u0301 a\u0301 n\u0303 C\u0327 o\u0302");
  EXPECT_EQ(e.text, "Café a ñ Ç o");
  EXPECT_EQ(e.replaced, 5);
  EXPECT_EQ(e.segments.units, 12);
}

TEST(SmartEncoding, LigaturesFractionsAndSigns) {
  EXPECT_EQ(gsm7("Œuvre, cœur, ĳs, ﬁle ﬂow oﬀ oﬃce ﬄ", 8),
            "OEuvre, coeur, ijs, file flow off office ffl");
  EXPECT_EQ(gsm7("½ ¼ ¾ lb, 2×3, 1⁄2 3∕4", 6), "1/2 1/4 3/4 lb, 2x3, 1/2 3/4");
}

TEST(SmartEncoding, FullwidthFormsBecomeAscii) {
  EXPECT_EQ(gsm7("ＳＭＳ！ （１２３） ＄５", 11), "SMS! (123) $5");
  EXPECT_EQ(gsm7("｀", 1), "'");  // fullwidth grave accent, like the ASCII one
}

// A character with no look-alike keeps the whole text UCS-2, with its typography: nothing is
// replaced.
TEST(SmartEncoding, CharacterWithNoLookalikeKeepsUcs2) {
  for (const std::string body : {"See you ‘soon’ 😀", "Don’t forget — © Acme", "Привет — “hi”",
                                 "Temp 20°C…", "Acme™ café’s"}) {
    const auto e = smart_encode(body);
    EXPECT_EQ(e.text, body);
    EXPECT_EQ(e.replaced, 0) << body;
    EXPECT_EQ(e.segments.encoding, Encoding::kUcs2) << body;
    EXPECT_EQ(e.segments.parts, e.original.parts) << body;
  }
}

// Extension table characters (^ { } \ [ ~ ] | €) take two septets, also when a replacement
// produced them; an escape pair is never split across parts.
TEST(SmartEncoding, ExtensionCharactersCountTwoSeptetsAfterReplacement) {
  auto e = smart_encode("“{€}” ˆ˜ ¦ [a]");
  EXPECT_EQ(e.text, "\"{€}\" ^~ | [a]");
  EXPECT_EQ(e.segments.encoding, Encoding::kGsm7);
  // " { € } " sp ^ ~ sp | sp [ a ]: 14 characters, 8 of them from the extension table.
  EXPECT_EQ(e.segments.units, 22);
  // 75 euro signs (150 septets) and curly quotes: 75 UCS-2 units = 2 parts before; 154 septets
  // = 1 part after.
  std::string euros = "“";
  for (int i = 0; i < 75; ++i) euros += "€";
  euros += "”ab";
  e = smart_encode(euros);
  EXPECT_EQ(e.original.parts, 2);
  EXPECT_EQ(e.segments.units, 154);
  EXPECT_EQ(e.segments.parts, 1);
  // 80 ˆ would be 160 septets: one part, fits; 81 are 162 septets, 2 parts, as 81 UCS-2 units.
  std::string carets;
  for (int i = 0; i < 81; ++i) carets += "ˆ";
  e = smart_encode(carets);
  EXPECT_EQ(e.text, std::string(81, '^'));
  EXPECT_EQ(e.segments.units, 162);
  EXPECT_EQ(e.segments.parts, 2);
  EXPECT_EQ(e.original.parts, 2);
}

// A replacement longer than its character can cost parts: then the text stays as it was.
TEST(SmartEncoding, ReplacementThatAddsPartsIsNotApplied) {
  std::string ellipses;
  for (int i = 0; i < 70; ++i) ellipses += "…";  // 70 UCS-2 units: 1 part; 210 septets: 2
  auto e = smart_encode(ellipses);
  EXPECT_EQ(e.text, ellipses);
  EXPECT_EQ(e.replaced, 0);
  EXPECT_EQ(e.segments.encoding, Encoding::kUcs2);
  EXPECT_EQ(e.segments.parts, 1);
  // Two more ellipses: 72 units are 2 parts; 216 septets are 2 parts as well: replaced.
  e = smart_encode(ellipses + "……");
  EXPECT_EQ(e.segments.encoding, Encoding::kGsm7);
  EXPECT_EQ(e.segments.parts, 2);
  EXPECT_EQ(e.replaced, 72);
}

TEST(SmartEncoding, Gsm7TextIsUnchanged) {
  for (const std::string body : {"", "Hello", "Reply STOP to opt out. {€5} [x] ~ ^ | \\",
                                 "é è à ù ì ò Ä Ö Ü Ñ Ç É ß @ £ ¥ ¤ § ¡ ¿ Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ"}) {
    const auto e = smart_encode(body);
    EXPECT_EQ(e.text, body);
    EXPECT_EQ(e.replaced, 0);
    EXPECT_EQ(e.segments.encoding, Encoding::kGsm7) << body;
  }
}

TEST(SmartEncoding, EncodingTwiceIsEncodingOnce) {
  for (const std::string body : {"Don’t be late…", "“Olá” – João", "See you ‘soon’ 😀",
                                 "Cafe\u0301\u0301", "\xff’", "a\u00A0b\u200Bc", "ＡＢＣ｀"}) {
    const auto once = smart_encode(body);
    const auto twice = smart_encode(once.text);
    EXPECT_EQ(twice.text, once.text) << body;
    EXPECT_EQ(twice.replaced, 0) << body;
  }
}

// Ill-formed UTF-8 is never rewritten: the bytes come back unchanged (and count as UCS-2), so the
// result is valid UTF-8 exactly when the input was.
TEST(SmartEncoding, IllFormedUtf8IsReturnedUnchanged) {
  for (const std::string& body :
       {std::string("Don’t \xff"), std::string("\xe2\x80 ’"), std::string("’\xc0\xa7"),
        std::string("’\xed\xa0\x80"), std::string("\xf4\x90\x80\x80’"), std::string("’\xe2\x80")}) {
    const auto e = smart_encode(body);
    EXPECT_EQ(e.text, body);
    EXPECT_EQ(e.replaced, 0);
    EXPECT_EQ(e.segments.encoding, Encoding::kUcs2);
  }
}

TEST(SmartEncoding, HeaderExamples) {
  auto e = smart_encode("Don’t be late…");
  EXPECT_EQ(e.text, "Don't be late...");
  EXPECT_EQ(e.replaced, 2);
  EXPECT_EQ(e.segments.parts, 1);
  e = smart_encode("Olá – 10 € off");
  EXPECT_EQ(e.text, "Ola - 10 € off");
  EXPECT_EQ(e.replaced, 2);
  EXPECT_EQ(e.segments.encoding, Encoding::kGsm7);
  EXPECT_EQ(e.segments.units, 15);
}

}  // namespace
