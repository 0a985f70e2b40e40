#include "functions/sms-inbound/reply_texts.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/appointments/appointments.hpp"
#include "common/compliance/keywords.hpp"

namespace sms_inbound {
namespace {

using json = nlohmann::json;
using namespace std::string_view_literals;

// A text may be at most this long (characters): ten SMS parts of GSM-7, what End User
// Messaging sends as one message at most.
constexpr std::size_t kMaxTextCharacters = 1600;

// The default texts (docs/compliance.md#required-content). English keeps the wording the
// function has always sent; the opt-in confirmation gained {frequency} (CTIA Messaging
// Principles and Best Practices: the confirmation states the message frequency).
struct Defaults {
  std::string_view language;
  std::string_view frequency;
  std::array<std::string_view, kReplies.size()> texts;  // in kReplies order
};
constexpr std::array kDefaults = {
    Defaults{"en",
             "Msg frequency varies",
             {"{program}: Help at {help_contact}. Msg&data rates may apply. Reply STOP to cancel.",
              "{program}: You are unsubscribed and will receive no more messages. Reply START to "
              "resubscribe.",
              "{program}: You are subscribed again. {frequency}. Msg&data rates may apply. Reply "
              "HELP for help, STOP to cancel.",
              "{program}: Confirmed. See you {when}.",
              "{program}: Thanks, we will contact you to reschedule your {when} appointment.",
              "{program}: We found no upcoming appointment for this number. Help at "
              "{help_contact}."}},
    // Spanish: carriers act on STOP and HELP whatever the language, so the Spanish texts give
    // both words (ALTO o STOP, AYUDA o HELP, COMENZAR o START).
    Defaults{"es",
             "La frecuencia de mensajes varía",
             {"{program}: Ayuda en {help_contact}. Pueden aplicarse tarifas de mensajes y datos. "
              "Responda ALTO o STOP para cancelar.",
              "{program}: Se ha dado de baja y no recibirá más mensajes. Responda COMENZAR o "
              "START para volver a suscribirse.",
              "{program}: Se ha suscrito de nuevo. {frequency}. Pueden aplicarse tarifas de "
              "mensajes y datos. Responda AYUDA o HELP para obtener ayuda, ALTO o STOP para "
              "cancelar.",
              // {when} ends in "p. m." or "a. m.": no period after it.
              "{program}: Cita confirmada para el {when} ¡Le esperamos!",
              "{program}: Gracias. Su cita del {when} se cambiará; nos comunicaremos con usted.",
              "{program}: No encontramos ninguna cita próxima para este número. Ayuda en "
              "{help_contact}."}},
};
static_assert(kDefaults.size() == kReplyLanguages.size());

bool takes_when(Reply reply) {
  return reply == Reply::kAppointmentConfirmed || reply == Reply::kAppointmentReschedule;
}

std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A name from the configuration, quoted for an error message, cut so a pasted paragraph stays
// readable.
std::string quote_name(std::string_view name) {
  constexpr std::size_t kMax = 40;
  std::size_t cut = std::min(name.size(), kMax);  // never inside a UTF-8 sequence
  while (cut < name.size() && cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string out(1, '\'');
  // Control characters, quotes and ';' (the problems' separator) would garble the message.
  for (char c : name.substr(0, cut)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == ';' || c == '\'' ? '?' : c);
  }
  out.append(cut < name.size() ? "...'" : "'");
  return out;
}

// True if `needle` (normalised words) occurs in `text` (normalised) on word boundaries.
bool has_words(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    const std::size_t end = pos + needle.size();
    if ((pos == 0 || text[pos - 1] == ' ') && (end == text.size() || text[end] == ' ')) return true;
  }
  return false;
}

template <std::size_t N>
bool has_any(std::string_view text, const std::array<std::string_view, N>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return has_words(text, p); });
}

// A configured value (program, contact, frequency) appears in the text: on normalised words, or
// as it is when it normalises to nothing (a name of symbols only).
bool mentions(std::string_view text, std::string_view normalized_text, std::string_view value) {
  const std::string n = common::compliance::normalize_message(value);
  return n.empty() ? !value.empty() && text.find(value) != std::string_view::npos
                   : has_words(normalized_text, n);
}

// "Msg & data rates may apply" and its usual variants, normalised ("&" is a word break).
constexpr std::array kRatesEnglish = {
    "msg data rates may apply"sv,          "msg and data rates may apply"sv,
    "msgs data rates may apply"sv,         "msgs and data rates may apply"sv,
    "message data rates may apply"sv,      "message and data rates may apply"sv,
    "messages and data rates may apply"sv, "messaging and data rates may apply"sv,
};
constexpr std::array kRatesSpanish = {
    "tarifas de mensajes y datos"sv,
    "tarifas de mensajes y de datos"sv,
    "tarifas de mensajeria y datos"sv,
};
// A frequency stated in other words than MESSAGE_FREQUENCY's ("4 msgs/mo" -> "4 msgs mo").
constexpr std::array kFrequencyEnglish = {
    "frequency"sv, "msgs mo"sv, "msgs month"sv, "msgs wk"sv,   "msgs week"sv,
    "msgs day"sv,  "msg mo"sv,  "per month"sv,  "per week"sv,  "per day"sv,
    "monthly"sv,   "weekly"sv,  "daily"sv,      "recurring"sv,
};
constexpr std::array kFrequencySpanish = {
    "frecuencia"sv, "al mes"sv,  "por mes"sv, "a la semana"sv, "por semana"sv,  "al dia"sv,
    "por dia"sv,    "mensual"sv, "semanal"sv, "diario"sv,      "recurrentes"sv,
};

}  // namespace

std::string_view reply_name(Reply reply) {
  switch (reply) {
    case Reply::kHelp:
      return "help";
    case Reply::kOptOutConfirmation:
      return "opt_out_confirmation";
    case Reply::kOptInConfirmation:
      return "opt_in_confirmation";
    case Reply::kAppointmentConfirmed:
      return "appointment_confirmed";
    case Reply::kAppointmentReschedule:
      return "appointment_reschedule";
    case Reply::kAppointmentNotFound:
      return "appointment_not_found";
  }
  return "help";
}

std::string_view describe_element(std::string_view element) {
  if (element == "program") return "the program name (PROGRAM_NAME)";
  if (element == "help_contact") return "the help contact (HELP_CONTACT)";
  if (element == "opt_out_instructions") return "opt-out instructions (STOP)";
  if (element == "frequency") return "the message frequency";
  if (element == "rates") return "\"Msg & data rates may apply\"";
  if (element == "help_instructions") return "HELP instructions";
  if (element == "stop_instructions") return "STOP instructions";
  return element;
}

std::vector<std::string> missing_required_content(Reply reply, std::string_view language,
                                                  std::string_view text, std::string_view program,
                                                  std::string_view help_contact,
                                                  std::string_view frequency) {
  std::vector<std::string> missing;
  const std::string n = common::compliance::normalize_message(text);
  const bool spanish = language == "es";
  const auto need = [&](bool present, const char* element) {
    if (!present) missing.emplace_back(element);
  };
  const bool stop = has_words(n, "stop") || (spanish && has_words(n, "alto"));
  switch (reply) {
    case Reply::kHelp:
      need(mentions(text, n, program), "program");
      need(mentions(text, n, help_contact), "help_contact");
      need(stop, "opt_out_instructions");
      break;
    case Reply::kOptInConfirmation:
      need(mentions(text, n, program), "program");
      need((!frequency.empty() && mentions(text, n, frequency)) || has_any(n, kFrequencyEnglish) ||
               (spanish && has_any(n, kFrequencySpanish)),
           "frequency");
      need(has_any(n, kRatesEnglish) || (spanish && has_any(n, kRatesSpanish)), "rates");
      need(has_words(n, "help") || (spanish && has_words(n, "ayuda")), "help_instructions");
      need(stop, "stop_instructions");
      break;
    case Reply::kOptOutConfirmation:
      need(mentions(text, n, program), "program");
      break;
    case Reply::kAppointmentConfirmed:
    case Reply::kAppointmentReschedule:
    case Reply::kAppointmentNotFound:
      break;
  }
  return missing;
}

ReplyTexts::ReplyTexts(const ReplyTextsConfig& config)
    : program_(config.program), help_contact_(config.help_contact) {
  std::vector<std::string> problems;
  for (const Defaults& d : kDefaults) {
    Language& l = languages_[std::string(d.language)];
    l.frequency = std::string(d.frequency);
    for (std::size_t i = 0; i < kReplies.size(); ++i) {
      l.texts.emplace(kReplies[i], common::sms::TextTemplate(d.texts[i]));
    }
  }

  if (!config.frequency_json.empty()) {
    const std::string where = "MESSAGE_FREQUENCY";
    try {
      const json parsed = json::parse(config.frequency_json);
      if (!parsed.is_object()) throw std::invalid_argument("");
      for (const auto& [code, value] : parsed.items()) {
        auto it = languages_.find(code);
        if (it == languages_.end()) {
          problems.push_back(where + ": unknown language " + quote_name(code) + " (known: en, es)");
        } else if (!value.is_string() || value.get<std::string>().empty()) {
          problems.push_back(where + " " + code + " must be a non-empty string");
        } else if (characters(value.get<std::string>()) > 160) {
          problems.push_back(where + " " + code + " is over 160 characters");
        } else {
          it->second.frequency = value.get<std::string>();
        }
      }
      for (std::string_view code : kReplyLanguages) {
        if (!parsed.contains(std::string(code))) {
          // One frequency is one fact: stated in every language or in none.
          problems.push_back(where + " must give every language (en, es): " + std::string(code) +
                             " is missing");
        }
      }
    } catch (const std::exception&) {
      problems.push_back(where +
                         " must be a JSON object of language -> text, e.g. {\"en\": \"Up to 4 "
                         "msgs/month\", \"es\": \"Hasta 4 mensajes al mes\"}");
    }
  }

  if (!config.reply_texts_json.empty()) {
    const std::string where = "REPLY_TEXTS";
    json parsed;
    bool ok = true;
    try {
      parsed = json::parse(config.reply_texts_json);
    } catch (const json::exception&) {
      ok = false;
    }
    if (!ok || !parsed.is_object()) {
      problems.push_back(where +
                         " must be a JSON object of language -> {text name -> text}, e.g. "
                         "{\"es\": {\"help\": \"...\"}}");
    } else {
      for (const auto& [code, texts] : parsed.items()) {
        auto it = languages_.find(code);
        if (it == languages_.end()) {
          problems.push_back(where + ": unknown language " + quote_name(code) + " (known: en, es)");
          continue;
        }
        if (!texts.is_object()) {
          problems.push_back(where + " " + code + " must be an object of text name -> text");
          continue;
        }
        for (const auto& [name, value] : texts.items()) {
          const std::string& key = name;  // clang 14 cannot capture a structured binding
          const auto reply = std::find_if(kReplies.begin(), kReplies.end(),
                                          [&](Reply r) { return reply_name(r) == key; });
          if (reply == kReplies.end()) {
            problems.push_back(where + " " + code + ": unknown text " + quote_name(name) +
                               " (known: help, opt_out_confirmation, opt_in_confirmation, "
                               "appointment_confirmed, appointment_reschedule, "
                               "appointment_not_found)");
            continue;
          }
          const std::string at = where + " " + code + "." + name;
          if (!value.is_string() || value.get<std::string>().empty()) {
            problems.push_back(at + " must be a non-empty string");
            continue;
          }
          const std::string text = value.get<std::string>();
          if (characters(text) > kMaxTextCharacters) {
            problems.push_back(at + " is over 1600 characters");
            continue;
          }
          try {
            common::sms::TextTemplate parsed_text(text);
            bool known = true;
            for (const auto& variable : parsed_text.variables()) {
              if (variable != "program" && variable != "help_contact" && variable != "frequency" &&
                  !(variable == "when" && takes_when(*reply))) {
                problems.push_back(at + ": unknown variable {" + variable +
                                   "} (known: {program}, {help_contact}, {frequency}" +
                                   (takes_when(*reply) ? ", {when})" : ")"));
                known = false;
              }
            }
            if (known) it->second.texts.insert_or_assign(*reply, std::move(parsed_text));
          } catch (const std::invalid_argument& e) {
            problems.push_back(at + ": " + e.what());
          }
        }
      }
    }
  }

  // Required content, on the texts as they will be sent (docs/compliance.md#required-content).
  for (const auto& [code, l] : languages_) {
    for (Reply reply : kReplies) {
      if (takes_when(reply)) continue;
      const std::string text = render(reply, code);
      for (const auto& element :
           missing_required_content(reply, code, text, program_, help_contact_, l.frequency)) {
        problems.push_back("REPLY_TEXTS " + code + "." + std::string(reply_name(reply)) +
                           " lacks '" + element + "' (" + std::string(describe_element(element)) +
                           ")");
      }
    }
  }

  if (!problems.empty()) {
    std::string joined;
    for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    throw std::invalid_argument(joined);
  }
}

const ReplyTexts::Language& ReplyTexts::language(std::string_view code) const {
  auto it = languages_.find(code);
  return it != languages_.end() ? it->second : languages_.at(std::string(kReplyLanguages[0]));
}

const std::string& ReplyTexts::frequency(std::string_view language) const {
  return this->language(language).frequency;
}

std::string ReplyTexts::render(Reply reply, std::string_view code, const std::string& when) const {
  const Language& l = language(code);
  // Every variable a text may name has a value here (checked when parsed), so render() cannot
  // throw MissingVariable.
  return l.texts.at(reply).render({{"program", program_},
                                   {"help_contact", help_contact_},
                                   {"frequency", l.frequency},
                                   {"when", when}});
}

std::string format_when_in(std::chrono::local_seconds local, std::string_view language) {
  return language == "es" ? common::appointments::format_when_es(local)
                          : common::appointments::format_when(local);
}

}  // namespace sms_inbound
