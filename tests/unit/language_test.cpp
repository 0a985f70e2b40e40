// The language an inbound text shows (common/compliance/language; docs/compliance.md#languages)
// and the Spanish opt-in keywords (docs/compliance.md#opt-in-keywords).
#include "common/compliance/language.hpp"

#include <gtest/gtest.h>

namespace {

using common::compliance::classify_message;
using common::compliance::detect_language;
using common::compliance::MessageIntent;
using common::compliance::reads_as_spanish;

std::string language_of(std::string_view body) {
  return detect_language(classify_message(body));
}

TEST(SpanishKeywords, OptInWordsAreExactWholeMessages_Ctia) {
  for (const auto& [body, rule] :
       std::vector<std::pair<std::string, std::string>>{{"COMENZAR", "keyword:COMENZAR"},
                                                        {"alta", "keyword:ALTA"},
                                                        {"Sí", "keyword:SI"},
                                                        {" si. ", "keyword:SI"}}) {
    const auto c = classify_message(body);
    EXPECT_EQ(c.intent, MessageIntent::kOptIn) << body;
    EXPECT_EQ(c.rule, rule) << body;
  }
  // Inside a longer text they are ordinary messages: an ambiguous "sí, gracias" never
  // re-subscribes anyone.
  EXPECT_EQ(classify_message("si, gracias").intent, MessageIntent::kOther);
  EXPECT_EQ(classify_message("quiero comenzar").intent, MessageIntent::kOther);
  EXPECT_EQ(classify_message("la marea alta").intent, MessageIntent::kOther);
}

TEST(DetectLanguage, SpanishKeywordsAreSpanish) {
  for (const char* body :
       {"ALTO", "parar", "Baja", "CANCELAR", "Ayuda", "COMENZAR", "ALTA", "Sí"}) {
    EXPECT_EQ(language_of(body), "es") << body;
  }
}

TEST(DetectLanguage, EnglishOnlyKeywordsAreEnglish) {
  for (const char* body : {"HELP", "info", "START", "unstop", "Yes"}) {
    EXPECT_EQ(language_of(body), "en") << body;
  }
}

// STOP and the other carrier-wide words are sent by subscribers of any language: no change.
TEST(DetectLanguage, CarrierWideOptOutWordsTellNothing) {
  for (const char* body : {"STOP", "stopall", "END", "cancel", "UNSUBSCRIBE", "quit", "revoke",
                           "opt-out", "ARRET", "TD"}) {
    EXPECT_EQ(language_of(body), "") << body;
  }
}

TEST(DetectLanguage, RevocationPhrasesByLanguage) {
  EXPECT_EQ(language_of("No me envíen más mensajes"), "es");
  EXPECT_EQ(language_of("no más"), "es");
  EXPECT_EQ(language_of("please stop texting me"), "en");
}

TEST(DetectLanguage, ReminderRepliesByLanguage) {
  EXPECT_EQ(language_of("CONFIRMAR"), "es");
  EXPECT_EQ(language_of("Reprogramar"), "es");
  EXPECT_EQ(language_of("cambiar"), "es");
  EXPECT_EQ(language_of("Confirm!"), "en");
  EXPECT_EQ(language_of("RESCHEDULE"), "en");
  EXPECT_EQ(language_of("C"), "") << "one letter tells nothing";
  EXPECT_EQ(language_of("r"), "");
}

TEST(DetectLanguage, OrdinarySpanishTexts) {
  EXPECT_EQ(language_of("Gracias, nos vemos mañana"), "es");
  EXPECT_EQ(language_of("Hola"), "es");
  EXPECT_EQ(language_of("no puedo ir"), "es");
  EXPECT_EQ(language_of("Por favor llame"), "es");
  EXPECT_EQ(language_of("¿A qué hora es la cita?"), "es");
  EXPECT_EQ(language_of("sí, está bien"), "es") << "two weaker words (si, bien)";
  // An opt-out word inside a Spanish sentence: still Spanish.
  EXPECT_EQ(language_of("STOP por favor"), "es");
}

// Never guesses from one ambiguous word (docs/compliance.md#languages).
TEST(DetectLanguage, OneAmbiguousWordIsNotEnough) {
  // "de nada": one weaker word ("nada" is not listed).
  for (const char* body : {"no", "No thanks", "see you in LA", "me", "a", "El Paso office?",
                           "Is that a yes or no", "ok", "thanks, see you then", "de nada"}) {
    EXPECT_EQ(language_of(body), "") << body;
  }
  EXPECT_FALSE(reads_as_spanish("si"));
  EXPECT_FALSE(reads_as_spanish("mi car"));
  EXPECT_FALSE(reads_as_spanish("es es es"));  // one word repeated is still one
  EXPECT_TRUE(reads_as_spanish("si es"));
  EXPECT_FALSE(reads_as_spanish(""));
}

TEST(LanguageCodes, KnownCodes) {
  EXPECT_TRUE(common::compliance::is_known_language("en"));
  EXPECT_TRUE(common::compliance::is_known_language("es"));
  EXPECT_FALSE(common::compliance::is_known_language(""));
  EXPECT_FALSE(common::compliance::is_known_language("fr"));
  EXPECT_FALSE(common::compliance::is_known_language("ES"));
}

}  // namespace
