// Keyword classification (docs/compliance.md#keyword-matching; 47 CFR 64.1200(a)(10) as adopted by
// FCC 24-24; CTIA Messaging Principles and Best Practices for STOP/HELP keywords).
#include "common/compliance/keywords.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace common::compliance {
namespace {

struct Case {
  std::string body;
  std::string rule;
};

void expect_intent(const Case& c, MessageIntent intent) {
  const Classification got = classify_message(c.body);
  EXPECT_EQ(got.intent, intent) << "body: \"" << c.body << "\" normalised: \"" << got.normalized
                                << "\" rule: " << got.rule;
  EXPECT_EQ(got.rule, c.rule) << "body: \"" << c.body << "\"";
  EXPECT_FALSE(got.possible_revocation) << "body: \"" << c.body << "\"";
}

// --- normalisation: trimmed, case-folded, punctuation stripped (compliance.md#keyword-matching)

TEST(NormalizeMessage, TrimsCaseFoldsAndCollapsesWhitespace) {
  EXPECT_EQ(normalize_message("  Stop  "), "stop");
  EXPECT_EQ(normalize_message("\tSTOP\r\n ALL\n"), "stop all");
  EXPECT_EQ(normalize_message("Hello   World"), "hello world");
}

TEST(NormalizeMessage, PunctuationIsAWordBreakButApostrophesJoin) {
  EXPECT_EQ(normalize_message("OPT-OUT"), "opt out");
  EXPECT_EQ(normalize_message("Stop."), "stop");
  EXPECT_EQ(normalize_message(" stop! "), "stop");
  EXPECT_EQ(normalize_message("stop,please"), "stop please");
  EXPECT_EQ(normalize_message("don't"), "dont");
  EXPECT_EQ(normalize_message("don\u2019t"), "dont");  // iOS smart apostrophe
  EXPECT_EQ(normalize_message("...!!!"), "");
}

TEST(NormalizeMessage, FoldsLatinAccents) {
  EXPECT_EQ(normalize_message("ARRÊT"), "arret");
  EXPECT_EQ(normalize_message("arrêt"), "arret");
  EXPECT_EQ(normalize_message("arre\u0302t"), "arret");  // decomposed: e + combining circumflex
  EXPECT_EQ(normalize_message("¡NO MÁS MENSAJES!"), "no mas mensajes");
  EXPECT_EQ(normalize_message("Ñandú Straße Œuvre Łódź"), "nandu strasse oeuvre lodz");
  EXPECT_EQ(normalize_message("ＳＴＯＰ"), "stop");  // fullwidth ASCII
}

TEST(NormalizeMessage, EmojiAndSymbolsBreakWordsOtherScriptsAreKept) {
  EXPECT_EQ(normalize_message("STOP🛑"), "stop");
  EXPECT_EQ(normalize_message("👍STOP👍"), "stop");
  EXPECT_EQ(normalize_message("стоп STOP"), "стоп stop");
  EXPECT_EQ(normalize_message("\u00A0STOP\u00A0"), "stop");  // no-break spaces
  EXPECT_EQ(normalize_message("S\u200BTOP"), "stop");        // zero-width space joins
}

TEST(NormalizeMessage, InvalidUtf8IsAWordBreakNotACrash) {
  EXPECT_EQ(normalize_message(std::string("\xFF\xFEstop\xC3")), "stop");
  EXPECT_EQ(normalize_message(std::string("st\x80op")), "st op");
  EXPECT_EQ(normalize_message(std::string("\xC0\xAFstop")), "stop");          // overlong '/'
  EXPECT_EQ(normalize_message(std::string("\xED\xA0\x80stop")), "stop");      // surrogate
  EXPECT_EQ(normalize_message(std::string("stop\xF4\x90\x80\x80")), "stop");  // > U+10FFFF
  EXPECT_EQ(normalize_message(std::string("\xE2\x82")), "");                  // truncated
  EXPECT_EQ(normalize_message(std::string("a\0b", 3)), "a b");
}

// --- exact opt-out keywords, docs/compliance.md#opt-out-keywords (CTIA: STOP STOPALL UNSUBSCRIBE
// CANCEL END QUIT; 47 CFR 64.1200(a)(10): REVOKE, OPT OUT; AWS End User Messaging: REMOVE,
// OPTOUT, French ARRET/TD; Spanish PARAR ALTO CANCELAR BAJA) ---

TEST(ClassifyMessage, EveryOptOutKeywordExactly_47Cfr64_1200a10AndCtia) {
  const std::pair<const char*, const char*> cases[] = {
      {"STOP", "keyword:STOP"},
      {"STOPALL", "keyword:STOPALL"},
      {"STOP ALL", "keyword:STOP ALL"},
      {"QUIT", "keyword:QUIT"},
      {"END", "keyword:END"},
      {"REVOKE", "keyword:REVOKE"},
      {"OPT OUT", "keyword:OPT OUT"},
      {"OPTOUT", "keyword:OPTOUT"},
      {"OPT-OUT", "keyword:OPT OUT"},  // hyphen splits: same rule as "OPT OUT"
      {"CANCEL", "keyword:CANCEL"},
      {"UNSUBSCRIBE", "keyword:UNSUBSCRIBE"},
      {"REMOVE", "keyword:REMOVE"},
      {"ARRET", "keyword:ARRET"},
      {"TD", "keyword:TD"},
      {"PARAR", "keyword:PARAR"},
      {"ALTO", "keyword:ALTO"},
      {"CANCELAR", "keyword:CANCELAR"},
      {"BAJA", "keyword:BAJA"},
  };
  for (const auto& [body, rule] : cases) expect_intent({body, rule}, MessageIntent::kOptOut);
}

TEST(ClassifyMessage, OptOutKeywordsIgnoreCasePunctuationAndWhitespace) {
  for (const char* body : {"stop", "Stop", "sToP", "Stop.", " stop! ", "STOP!!!", "\"stop\"",
                           "(STOP)", "stop\n", "\tSTOP\t", "STOP 🛑", "¡STOP!", "stop?"}) {
    expect_intent({body, "keyword:STOP"}, MessageIntent::kOptOut);
  }
  for (const char* body : {"stop all", "Stop   All", "STOP\tALL", "stop\r\nall", "Stop-All"}) {
    expect_intent({body, "keyword:STOP ALL"}, MessageIntent::kOptOut);
  }
  for (const char* body : {"opt out", "Opt-Out", "opt_out", "OPT.OUT", "opt -- out"}) {
    expect_intent({body, "keyword:OPT OUT"}, MessageIntent::kOptOut);
  }
  expect_intent({"Unsubscribe.", "keyword:UNSUBSCRIBE"}, MessageIntent::kOptOut);
  expect_intent({"td", "keyword:TD"}, MessageIntent::kOptOut);
}

TEST(ClassifyMessage, AccentedFrenchAndSpanishKeywords) {
  expect_intent({"ARRÊT", "keyword:ARRET"}, MessageIntent::kOptOut);
  expect_intent({"arrêt", "keyword:ARRET"}, MessageIntent::kOptOut);
  expect_intent({"Arrêt.", "keyword:ARRET"}, MessageIntent::kOptOut);
  expect_intent({"¡ALTO!", "keyword:ALTO"}, MessageIntent::kOptOut);
  expect_intent({"Cancelar", "keyword:CANCELAR"}, MessageIntent::kOptOut);
  expect_intent({"bája", "keyword:BAJA"}, MessageIntent::kOptOut);
}

// --- exact opt-in and HELP keywords (CTIA; compliance.md#opt-in-keywords, #help-answers) ---

TEST(ClassifyMessage, OptInKeywordsExactly_Ctia) {
  expect_intent({"START", "keyword:START"}, MessageIntent::kOptIn);
  expect_intent({"unstop", "keyword:UNSTOP"}, MessageIntent::kOptIn);
  expect_intent({"Yes!", "keyword:YES"}, MessageIntent::kOptIn);
  expect_intent({"  start. ", "keyword:START"}, MessageIntent::kOptIn);
}

TEST(ClassifyMessage, HelpKeywordsExactly_Ctia) {
  expect_intent({"HELP", "keyword:HELP"}, MessageIntent::kHelp);
  expect_intent({"info", "keyword:INFO"}, MessageIntent::kHelp);
  expect_intent({"Ayuda", "keyword:AYUDA"}, MessageIntent::kHelp);
  expect_intent({"help?", "keyword:HELP"}, MessageIntent::kHelp);
}

// Opt-in and HELP are exact only (docs/compliance.md#opt-in-keywords): a longer text with them is
// a normal message, so an ambiguous "yes" never re-subscribes anyone and "help me" reaches the
// conversation, not the canned HELP reply.
TEST(ClassifyMessage, OptInAndHelpInsideLongerTextAreOther) {
  for (const char* body : {"yes see you then", "start time is 3pm?", "help me reschedule",
                           "need info on parking", "unstop please", "YES YES"}) {
    expect_intent({body, ""}, MessageIntent::kOther);
  }
}

// --- longer messages: 47 CFR 64.1200(a)(10), "any reasonable means" ---

TEST(ClassifyMessage, OptOutWordsInsideLongerText_47Cfr64_1200a10) {
  const std::pair<const char*, const char*> cases[] = {
      {"Please STOP", "word:STOP"},
      {"stop it now", "word:STOP"},
      {"STOP. Thanks", "word:STOP"},
      {"I said stop!!", "word:STOP"},
      {"stopall thanks", "word:STOPALL"},
      {"please unsubscribe", "word:UNSUBSCRIBE"},
      {"I revoke my consent", "word:REVOKE"},
      {"optout please", "word:OPTOUT"},
      {"I'd like to opt out", "word:OPT OUT"},
      {"I'd like to opt-out", "word:OPT OUT"},
      {"STOP START", "word:STOP"},  // opt-out wins over everything
      {"help stop", "word:STOP"},
  };
  for (const auto& [body, rule] : cases) expect_intent({body, rule}, MessageIntent::kOptOut);
}

TEST(ClassifyMessage, RevocationPhrases_47Cfr64_1200a10) {
  const std::pair<const char*, const char*> cases[] = {
      {"Please stop texting me", "phrase:stop texting"},
      {"stop text me", "phrase:stop text"},
      {"stop messaging me!", "phrase:stop messaging"},
      {"Stop sending these", "phrase:stop sending"},
      {"stop contacting me", "phrase:stop contacting"},
      {"Remove me from your list", "phrase:remove me"},
      {"take me off this list", "phrase:take me off"},
      {"unsubscribe me", "phrase:unsubscribe me"},
      {"No more texts please", "phrase:no more texts"},
      {"no more messages", "phrase:no more messages"},
      {"Leave me alone.", "phrase:leave me alone"},
      {"Don't text me again", "phrase:dont text me"},
      {"don\u2019t text me again", "phrase:dont text me"},
      {"DONT TEXT ME", "phrase:dont text me"},
      {"do not text me", "phrase:do not text me"},
      {"dont message me", "phrase:dont message me"},
      {"Do not contact me again", "phrase:do not contact me"},
      {"pls opt me out", "phrase:opt me out"},
      {"I want to opt out", "phrase:i want to opt out"},
      {"No more", "phrase:no more"},  // whole message only
      // Spanish
      {"No me envíen más mensajes", "phrase:no me envien"},
      {"no más mensajes por favor", "phrase:no mas mensajes"},
      {"Dejen de enviar mensajes", "phrase:dejen de enviar"},
      {"quiero darme de baja", "phrase:darme de baja"},
      {"No más", "phrase:no mas"},
  };
  for (const auto& [body, rule] : cases) expect_intent({body, rule}, MessageIntent::kOptOut);
}

// Negation is not parsed: STOP standing as a word revokes (docs/compliance.md#keyword-matching).
// Over-honouring costs the customer a START; under-honouring is a TCPA violation.
TEST(ClassifyMessage, DontStopIsStillAnOptOut_Decision) {
  expect_intent({"don't stop", "word:STOP"}, MessageIntent::kOptOut);
  expect_intent({"I'm at the bus stop", "word:STOP"}, MessageIntent::kOptOut);
}

// Word boundaries: keywords inside other words are not opt-outs.
TEST(ClassifyMessage, KeywordsInsideOtherWordsDoNotMatch) {
  for (const char* body : {"stopwatch",
                           "nonstop flight",
                           "it was unstoppable",
                           "bastop",
                           "stops",
                           "stopped by",
                           "I am unsubscribed?",
                           "optouts",
                           "opted out",
                           "endless fun",
                           "weekend plans",
                           "quite fine",
                           "cancellation policy",
                           "remover",
                           "no moretexts",
                           "leave me",
                           "alone",
                           "textbook",
                           "cancelled",
                           "legend",
                           "ending soon"}) {
    const Classification got = classify_message(body);
    EXPECT_EQ(got.intent, MessageIntent::kOther) << body << " -> " << got.rule;
    EXPECT_FALSE(got.possible_revocation) << body << " -> " << got.rule;
    EXPECT_EQ(got.rule, "") << body;
  }
}

// Short whole-message phrases are not searched inside longer text.
TEST(ClassifyMessage, WholeMessagePhrasesOnlyMatchWholeMessages) {
  expect_intent({"no more questions, thanks", ""}, MessageIntent::kOther);
  expect_intent({"no mas de 5 minutos", ""}, MessageIntent::kOther);
}

// CANCEL, END, QUIT inside a longer message are not opt-outs, only flagged for review
// (docs/compliance.md#possible-revocations-for-review).
TEST(ClassifyMessage, AmbiguousWordsInsideLongerTextAreReviewed) {
  const std::pair<const char*, const char*> cases[] = {
      {"cancel my appointment", "review:CANCEL"},
      {"Can I cancel?", "review:CANCEL"},
      {"at the end of the day", "review:END"},
      {"I quit smoking", "review:QUIT"},
      {"remove the 3pm slot", "review:REMOVE"},
      {"quiero cancelar la cita", "review:CANCELAR"},
      {"tengo que parar en la tienda", "review:PARAR"},
  };
  for (const auto& [body, rule] : cases) {
    const Classification got = classify_message(body);
    EXPECT_EQ(got.intent, MessageIntent::kOther) << body;
    EXPECT_TRUE(got.possible_revocation) << body;
    EXPECT_EQ(got.rule, rule) << body;
  }
}

TEST(ClassifyMessage, EmptyAndBlankBodiesAreOther) {
  for (const char* body : {"", " ", "\t\r\n", "...", "🙂", "\u00A0"}) {
    const Classification got = classify_message(body);
    EXPECT_EQ(got.intent, MessageIntent::kOther);
    EXPECT_EQ(got.rule, "");
    EXPECT_FALSE(got.possible_revocation);
    EXPECT_EQ(got.normalized, "");
  }
}

TEST(ClassifyMessage, VeryLongBodies) {
  std::string filler;
  for (int i = 0; i < 20000; ++i) filler += "blah stopwatch endless ";
  EXPECT_EQ(classify_message(filler).intent, MessageIntent::kOther);
  EXPECT_EQ(classify_message(filler + " stop").rule, "word:STOP");
  EXPECT_EQ(classify_message("stop texting " + filler).rule, "phrase:stop texting");
  EXPECT_EQ(classify_message(filler + " the end").rule, "review:END");
  EXPECT_EQ(classify_message(std::string(1'000'000, '!')).normalized, "");
}

TEST(ClassifyMessage, InvalidUtf8DoesNotCrashAndStillFindsStop) {
  EXPECT_EQ(classify_message(std::string("\xFF"
                                         "STOP"
                                         "\xFE"))
                .rule,
            "keyword:STOP");
  EXPECT_EQ(classify_message(std::string("please\xC3 stop")).rule, "word:STOP");
  std::string garbage;
  for (int i = 0; i < 256; ++i) garbage.push_back(static_cast<char>(i));
  const Classification got = classify_message(garbage);
  EXPECT_EQ(got.intent, MessageIntent::kOther);
}

TEST(ClassifyMessage, RecordsNormalizedText) {
  EXPECT_EQ(classify_message("  Please, STOP texting!! ").normalized, "please stop texting");
}

TEST(MessageIntent, ToString) {
  EXPECT_EQ(to_string(MessageIntent::kOptOut), "opt_out");
  EXPECT_EQ(to_string(MessageIntent::kOptIn), "opt_in");
  EXPECT_EQ(to_string(MessageIntent::kHelp), "help");
  EXPECT_EQ(to_string(MessageIntent::kOther), "other");
}

}  // namespace
}  // namespace common::compliance
