// sms-inbound's reply texts per language (functions/sms-inbound/reply_texts) and the content CTIA
// requires of them, checked at start-up (docs/compliance.md#required-content, #languages).
// Source: CTIA Messaging Principles and Best Practices (HELP answer: program, contact, opt-out
// instructions; opt-in confirmation: program, frequency, "Msg & data rates may apply", HELP and
// STOP instructions; opt-out confirmation: the program).
#include "functions/sms-inbound/reply_texts.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace {

using sms_inbound::Reply;
using sms_inbound::ReplyTexts;
using sms_inbound::ReplyTextsConfig;

ReplyTextsConfig config(std::string reply_texts = "", std::string frequency = "") {
  return {"Acme Dental", "help@acme.example", std::move(reply_texts), std::move(frequency)};
}

// The init error ReplyTexts gives for `reply_texts` (empty when it is accepted).
std::string error_of(const std::string& reply_texts, const std::string& frequency = "") {
  try {
    ReplyTexts texts(config(reply_texts, frequency));
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::string one_text(const std::string& language, const std::string& name,
                     const std::string& text) {
  return nlohmann::json{{language, {{name, text}}}}.dump();
}

TEST(ReplyTexts, EnglishDefaultsKeepTodaysWordingAndAddTheFrequency) {
  const ReplyTexts texts(config());
  EXPECT_EQ(
      texts.render(Reply::kHelp, "en"),
      "Acme Dental: Help at help@acme.example. Msg&data rates may apply. Reply STOP to cancel.");
  EXPECT_EQ(texts.render(Reply::kOptOutConfirmation, "en"),
            "Acme Dental: You are unsubscribed and will receive no more messages. Reply START to "
            "resubscribe.");
  EXPECT_EQ(
      texts.render(Reply::kOptInConfirmation, "en"),
      "Acme Dental: You are subscribed again. Msg frequency varies. Msg&data rates may apply. "
      "Reply HELP for help, STOP to cancel.");
  EXPECT_EQ(texts.render(Reply::kAppointmentConfirmed, "en", "Tue, Nov 24 at 2:00 PM"),
            "Acme Dental: Confirmed. See you Tue, Nov 24 at 2:00 PM.");
  EXPECT_EQ(texts.render(Reply::kAppointmentNotFound, "en"),
            "Acme Dental: We found no upcoming appointment for this number. Help at "
            "help@acme.example.");
}

TEST(ReplyTexts, SpanishDefaults) {
  const ReplyTexts texts(config());
  EXPECT_EQ(
      texts.render(Reply::kHelp, "es"),
      "Acme Dental: Ayuda en help@acme.example. Pueden aplicarse tarifas de mensajes y datos. "
      "Responda ALTO o STOP para cancelar.");
  EXPECT_EQ(texts.render(Reply::kOptInConfirmation, "es"),
            "Acme Dental: Se ha suscrito de nuevo. La frecuencia de mensajes varía. Pueden "
            "aplicarse tarifas de mensajes y datos. Responda AYUDA o HELP para obtener ayuda, ALTO "
            "o STOP para cancelar.");
  EXPECT_NE(texts.render(Reply::kOptOutConfirmation, "es").find("Se ha dado de baja"),
            std::string::npos);
  EXPECT_EQ(texts.render(Reply::kAppointmentConfirmed, "es", "mar 24 de nov a las 2:00 p. m."),
            "Acme Dental: Cita confirmada para el mar 24 de nov a las 2:00 p. m. ¡Le esperamos!");
}

TEST(ReplyTexts, UnknownOrEmptyLanguageIsEnglish) {
  const ReplyTexts texts(config());
  EXPECT_EQ(texts.render(Reply::kHelp, ""), texts.render(Reply::kHelp, "en"));
  EXPECT_EQ(texts.render(Reply::kHelp, "fr"), texts.render(Reply::kHelp, "en"));
}

TEST(ReplyTexts, OverridesReplaceOnlyWhatTheyName) {
  const ReplyTexts texts(config(
      R"({"es": {"help": "{program}: Llame al {help_contact}. Responda ALTO para cancelar."}})"));
  EXPECT_EQ(texts.render(Reply::kHelp, "es"),
            "Acme Dental: Llame al help@acme.example. Responda ALTO para cancelar.");
  EXPECT_EQ(
      texts.render(Reply::kHelp, "en"),
      "Acme Dental: Help at help@acme.example. Msg&data rates may apply. Reply STOP to cancel.");
  EXPECT_NE(texts.render(Reply::kOptInConfirmation, "es").find("Se ha suscrito"),
            std::string::npos);
}

TEST(ReplyTexts, MessageFrequencyPerLanguage) {
  const ReplyTexts texts(
      config("", R"({"en": "Up to 4 msgs/month", "es": "Hasta 4 mensajes al mes"})"));
  EXPECT_NE(texts.render(Reply::kOptInConfirmation, "en").find("Up to 4 msgs/month."),
            std::string::npos);
  EXPECT_NE(texts.render(Reply::kOptInConfirmation, "es").find("Hasta 4 mensajes al mes."),
            std::string::npos);
  EXPECT_EQ(texts.frequency("es"), "Hasta 4 mensajes al mes");
  // One fact, stated in every language or in none.
  EXPECT_NE(error_of("", R"({"en": "Up to 4 msgs/month"})").find("es is missing"),
            std::string::npos);
  EXPECT_NE(error_of("", R"({"en": "x", "es": "y", "fr": "z"})").find("unknown language 'fr'"),
            std::string::npos);
  EXPECT_NE(error_of("", R"({"en": "", "es": "y"})").find("MESSAGE_FREQUENCY en must be"),
            std::string::npos);
  EXPECT_NE(error_of("", "Up to 4 msgs/month").find("MESSAGE_FREQUENCY must be a JSON object"),
            std::string::npos);
}

TEST(ReplyTexts, ShapeErrorsNameWhatToFix) {
  EXPECT_NE(error_of("not json").find("REPLY_TEXTS must be a JSON object"), std::string::npos);
  EXPECT_NE(error_of("[]").find("REPLY_TEXTS must be a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"fr": {}})").find("REPLY_TEXTS: unknown language 'fr'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"es": "x"})").find("REPLY_TEXTS es must be an object"), std::string::npos);
  EXPECT_NE(error_of(R"({"es": {"goodbye": "x"}})").find("REPLY_TEXTS es: unknown text 'goodbye'"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"en": {"help": 3}})").find("REPLY_TEXTS en.help must be a non-empty string"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"en": {"help": ""}})").find("REPLY_TEXTS en.help must be a non-empty"),
            std::string::npos);
  EXPECT_NE(error_of(one_text("en", "help", "{program: STOP {help_contact}"))
                .find("REPLY_TEXTS en.help: template"),
            std::string::npos);
  EXPECT_NE(error_of(one_text("en", "help", "{program} {help_contact} STOP {name}"))
                .find("REPLY_TEXTS en.help: unknown variable {name}"),
            std::string::npos);
  // {when} only where there is an appointment.
  EXPECT_NE(error_of(one_text("en", "appointment_not_found", "{program}: none {when}"))
                .find("unknown variable {when}"),
            std::string::npos);
  EXPECT_EQ(error_of(one_text("es", "appointment_reschedule", "{program}: cambio para el {when}")),
            "");
  EXPECT_NE(error_of(one_text("en", "help", std::string(1601, 'a'))).find("over 1600 characters"),
            std::string::npos);
}

// Every missing element is an init error naming the element and the language.
struct Missing {
  std::string language;
  std::string text_name;
  std::string text;
  std::string element;
};

class RequiredContent : public ::testing::TestWithParam<Missing> {};

TEST_P(RequiredContent, MissingElementIsNamed) {
  const Missing& m = GetParam();
  const std::string error = error_of(one_text(m.language, m.text_name, m.text));
  EXPECT_NE(
      error.find("REPLY_TEXTS " + m.language + "." + m.text_name + " lacks '" + m.element + "'"),
      std::string::npos)
      << error;
  // Only that element: the text has everything else.
  EXPECT_EQ(error.find("; "), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Ctia, RequiredContent,
    ::testing::Values(
        // HELP: program, help contact, opt-out instructions.
        Missing{"en", "help", "Help at {help_contact}. Reply STOP to cancel.", "program"},
        Missing{"en", "help", "{program}: Reply STOP to cancel.", "help_contact"},
        Missing{"en", "help", "{program}: Help at {help_contact}.", "opt_out_instructions"},
        Missing{"en", "help", "{program}: Help at {help_contact}. Reply ALTO to cancel.",
                "opt_out_instructions"},
        Missing{"es", "help", "Ayuda en {help_contact}. Responda ALTO.", "program"},
        Missing{"es", "help", "{program}: Responda ALTO para cancelar.", "help_contact"},
        Missing{"es", "help", "{program}: Ayuda en {help_contact}.", "opt_out_instructions"},
        // Opt-in confirmation: program, frequency, rates, HELP, STOP.
        Missing{"en", "opt_in_confirmation",
                "Subscribed. {frequency}. Msg&data rates may apply. Reply HELP for help, STOP to "
                "cancel.",
                "program"},
        Missing{
            "en", "opt_in_confirmation",
            "{program}: Subscribed. Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
            "frequency"},
        Missing{"en", "opt_in_confirmation",
                "{program}: Subscribed. {frequency}. Reply HELP for help, STOP to cancel.",
                "rates"},
        Missing{
            "en", "opt_in_confirmation",
            "{program}: Subscribed. {frequency}. Msg&data rates may apply. Reply STOP to cancel.",
            "help_instructions"},
        Missing{
            "en", "opt_in_confirmation",
            "{program}: Subscribed. {frequency}. Msg&data rates may apply. Reply HELP for help.",
            "stop_instructions"},
        Missing{"es", "opt_in_confirmation",
                "Suscrito. {frequency}. Pueden aplicarse tarifas de mensajes y datos. AYUDA, ALTO.",
                "program"},
        Missing{"es", "opt_in_confirmation",
                "{program}: Suscrito. Pueden aplicarse tarifas de mensajes y datos. AYUDA, ALTO.",
                "frequency"},
        Missing{"es", "opt_in_confirmation", "{program}: Suscrito. {frequency}. AYUDA, ALTO.",
                "rates"},
        Missing{
            "es", "opt_in_confirmation",
            "{program}: Suscrito. {frequency}. Pueden aplicarse tarifas de mensajes y datos. ALTO.",
            "help_instructions"},
        Missing{"es", "opt_in_confirmation",
                "{program}: Suscrito. {frequency}. Pueden aplicarse tarifas de mensajes y datos. "
                "AYUDA.",
                "stop_instructions"},
        // Opt-out confirmation: the program.
        Missing{"en", "opt_out_confirmation", "You are unsubscribed.", "program"},
        Missing{"es", "opt_out_confirmation", "Se ha dado de baja.", "program"}),
    // Stable, readable names (the default prints the struct's bytes): language, text, element.
    [](const ::testing::TestParamInfo<Missing>& info) {
      return info.param.language + "_" + info.param.text_name + "_lacks_" + info.param.element +
             "_" + std::to_string(info.index);
    });

TEST(RequiredContent, UsualVariantsAreAccepted) {
  for (const char* rates : {"Msg & data rates may apply", "Msg&data rates may apply",
                            "Message and data rates may apply", "MSG & DATA RATES MAY APPLY"}) {
    EXPECT_EQ(error_of(one_text("en", "opt_in_confirmation",
                                std::string("{program}: Subscribed. Up to 4 msgs/mo. ") + rates +
                                    ". Reply HELP for help, STOP to cancel.")),
              "")
        << rates;
  }
  // The frequency in the text's own words, without {frequency}.
  EXPECT_EQ(error_of(one_text("es", "opt_in_confirmation",
                              "{program}: Hasta 4 mensajes al mes. Pueden aplicarse tarifas de "
                              "mensajes y datos. Responda HELP o STOP.")),
            "");
  // Spanish texts may use the carrier-wide STOP alone.
  EXPECT_EQ(error_of(one_text("es", "help", "{program}: {help_contact}. Responda STOP.")), "");
  // The program and contact written out instead of the placeholders.
  EXPECT_EQ(error_of(one_text("en", "help", "ACME DENTAL: help@acme.example. Reply STOP.")), "");
}

TEST(RequiredContent, EveryProblemIsListed) {
  const std::string error =
      error_of(R"({"en": {"help": "Hi", "opt_out_confirmation": "Bye"}, "es": {"help": "Hola"}})");
  for (const char* part : {"en.help lacks 'program'", "en.help lacks 'help_contact'",
                           "en.help lacks 'opt_out_instructions'",
                           "en.opt_out_confirmation lacks 'program'", "es.help lacks 'program'"}) {
    EXPECT_NE(error.find(part), std::string::npos) << part << " in " << error;
  }
}

TEST(FormatWhenIn, SpanishAndEnglish) {
  using namespace std::chrono;
  const local_seconds tue_2pm = local_days{2099y / November / 24} + 14h;
  EXPECT_EQ(sms_inbound::format_when_in(tue_2pm, "en"), "Tue, Nov 24 at 2:00 PM");
  EXPECT_EQ(sms_inbound::format_when_in(tue_2pm, "es"), "mar 24 de nov a las 2:00 p. m.");
  EXPECT_EQ(sms_inbound::format_when_in(local_days{2099y / January / 3} + 1h + 5min, "es"),
            "sáb 3 de ene a la 1:05 a. m.");
}

}  // namespace
