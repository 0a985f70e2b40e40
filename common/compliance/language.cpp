#include "common/compliance/language.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace common::compliance {
namespace {

using namespace std::string_view_literals;

// Keyword labels (Classification::rule "keyword:<label>") by the language they show
// (docs/compliance.md#languages). Not listed, so "no change": the carrier-wide opt-out words
// (STOP, STOPALL, END, CANCEL, UNSUBSCRIBE, QUIT, REVOKE, OPT OUT, OPTOUT, REMOVE) that any
// subscriber may send whatever their language, and French ARRET and TD.
constexpr std::array kSpanishKeywords = {"ALTO"sv,  "PARAR"sv,    "BAJA"sv, "CANCELAR"sv,
                                         "AYUDA"sv, "COMENZAR"sv, "ALTA"sv, "SI"sv};
constexpr std::array kEnglishKeywords = {"HELP"sv, "INFO"sv, "START"sv, "UNSTOP"sv, "YES"sv};

// The Spanish revocation phrases of keywords.cpp (kRevocationPhrases, kWholeMessagePhrases).
constexpr std::array kSpanishPhrases = {
    "no me envien"sv,    "no me manden"sv,       "no mas mensajes"sv,
    "dejen de enviar"sv, "dejen de mandar"sv,    "darme de baja"sv,
    "dar de baja"sv,     "no quiero mensajes"sv, "no mas"sv,
};

// English reminder replies (common/appointments parse_reply) as the whole text.
constexpr std::array kEnglishReplies = {"confirm"sv, "confirmed"sv, "reschedule"sv};

// One of these is enough: Spanish words (accents folded) that are not English words.
constexpr std::array kStrongWords = {
    "gracias"sv,    "hola"sv,       "cita"sv,    "citas"sv,    "confirmar"sv,   "confirmo"sv,
    "confirmada"sv, "confirmado"sv, "cambiar"sv, "cambio"sv,   "reprogramar"sv, "manana"sv,
    "buenos"sv,     "buenas"sv,     "quiero"sv,  "necesito"sv, "puedo"sv,       "usted"sv,
    "ustedes"sv,    "estoy"sv,      "tengo"sv,   "senor"sv,    "senora"sv,      "adios"sv,
    "disculpe"sv,   "perdon"sv,
};
// Phrases that are enough (matched on word boundaries).
constexpr std::array kStrongPhrases = {"por favor"sv, "no puedo"sv, "de acuerdo"sv, "no voy"sv,
                                       "nos vemos"sv};
// Two different ones are needed: short, common Spanish words that could turn up in an English
// text on their own (a name, an abbreviation, "si" as a typo of "so").
constexpr std::array kWeakWords = {
    "si"sv,   "de"sv,    "que"sv,   "para"sv,   "con"sv,   "por"sv,   "los"sv, "las"sv,
    "una"sv,  "pero"sv,  "bien"sv,  "hoy"sv,    "voy"sv,   "mi"sv,    "es"sv,  "y"sv,
    "en"sv,   "muy"sv,   "esta"sv,  "nos"sv,    "hora"sv,  "dia"sv,   "mas"sv, "bueno"sv,
    "aqui"sv, "ahora"sv, "tarde"sv, "llamar"sv, "llego"sv, "vamos"sv,
};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// True if `phrase` occurs in `text` on word boundaries (both normalised).
bool has_phrase(std::string_view text, std::string_view phrase) {
  for (std::size_t pos = text.find(phrase); pos != std::string_view::npos;
       pos = text.find(phrase, pos + 1)) {
    const std::size_t end = pos + phrase.size();
    if ((pos == 0 || text[pos - 1] == ' ') && (end == text.size() || text[end] == ' ')) return true;
  }
  return false;
}

}  // namespace

bool is_known_language(std::string_view code) {
  return code == kEnglish || code == kSpanish;
}

bool reads_as_spanish(std::string_view normalized) {
  for (std::string_view phrase : kStrongPhrases) {
    if (has_phrase(normalized, phrase)) return true;
  }
  std::set<std::string_view> weak;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    const std::string_view word = normalized.substr(start, end - start);
    if (in(kStrongWords, word)) return true;
    if (in(kWeakWords, word)) weak.insert(word);
    start = end + 1;
  }
  return weak.size() >= 2;
}

std::string detect_language(const Classification& c) {
  const std::string_view rule = c.rule;
  if (rule.starts_with("keyword:")) {
    const std::string_view keyword = rule.substr(8);
    if (in(kSpanishKeywords, keyword)) return std::string(kSpanish);
    if (in(kEnglishKeywords, keyword)) return std::string(kEnglish);
    return "";
  }
  if (rule.starts_with("phrase:")) {
    return std::string(in(kSpanishPhrases, rule.substr(7)) ? kSpanish : kEnglish);
  }
  if (in(kEnglishReplies, std::string_view(c.normalized))) return std::string(kEnglish);
  return reads_as_spanish(c.normalized) ? std::string(kSpanish) : std::string();
}

}  // namespace common::compliance
