#include "common/compliance/keywords.hpp"

#include <array>
#include <cstddef>

namespace common::compliance {
namespace {

using namespace std::string_view_literals;

// A keyword as the rules see it (normalised, lower case) and as the audit log names it.
struct Keyword {
  std::string_view normalized;
  std::string_view label;
};

// Opt-out keywords (docs/compliance.md#opt-out-keywords). CTIA Messaging Principles and Best
// Practices name the English keywords STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT;
// 47 CFR 64.1200(a)(10) adds REVOKE and OPT OUT; AWS End User Messaging's required list adds
// REMOVE, OPTOUT, ARRET and TD (French, Canadian carriers); PARAR, ALTO, CANCELAR, BAJA cover
// Spanish.
// "OPT-OUT" needs no entry: the hyphen is a word break, so it normalises to "opt out".
constexpr std::array kOptOutKeywords = {
    Keyword{"stop", "STOP"},
    Keyword{"stopall", "STOPALL"},
    Keyword{"stop all", "STOP ALL"},
    Keyword{"quit", "QUIT"},
    Keyword{"end", "END"},
    Keyword{"revoke", "REVOKE"},
    Keyword{"opt out", "OPT OUT"},
    Keyword{"optout", "OPTOUT"},
    Keyword{"cancel", "CANCEL"},
    Keyword{"unsubscribe", "UNSUBSCRIBE"},
    Keyword{"remove", "REMOVE"},
    Keyword{"arret", "ARRET"},
    Keyword{"td", "TD"},
    Keyword{"parar", "PARAR"},
    Keyword{"alto", "ALTO"},
    Keyword{"cancelar", "CANCELAR"},
    Keyword{"baja", "BAJA"},
};

// Opt-in and HELP lists (CTIA Messaging Principles and Best Practices), exact only
// (docs/compliance.md#opt-in-keywords, #help-answers). COMENZAR ("start"), ALTA ("sign up", the
// counterpart of BAJA) and SI ("yes"; "Sí" folds to "si") are the Spanish opt-in words
// (docs/compliance.md#languages).
constexpr std::array kOptInKeywords = {
    Keyword{"start", "START"},   Keyword{"unstop", "UNSTOP"}, Keyword{"yes", "YES"},
    Keyword{"comenzar", "COMENZAR"}, Keyword{"alta", "ALTA"}, Keyword{"si", "SI"},
};
constexpr std::array kHelpKeywords = {
    Keyword{"help", "HELP"},
    Keyword{"info", "INFO"},
    Keyword{"ayuda", "AYUDA"},
};

// Wording a reasonable person reads as "stop texting me" (47 CFR 64.1200(a)(10), FCC 24-24:
// revocation by any reasonable means, in any wording or language). Matched on word boundaries
// anywhere in the normalised message; apostrophes are already gone ("don't" -> "dont").
constexpr std::array kRevocationPhrases = {
    "stop texting"sv,
    "stop text"sv,
    "stop texts"sv,
    "stop txt"sv,
    "stop txting"sv,
    "stop messaging"sv,
    "stop sending"sv,
    "stop contacting"sv,
    "remove me"sv,
    "take me off"sv,
    "unsubscribe me"sv,
    "no more texts"sv,
    "no more text"sv,
    "no more messages"sv,
    "leave me alone"sv,
    "dont text me"sv,
    "do not text me"sv,
    "dont txt me"sv,
    "dont message me"sv,
    "do not message me"sv,
    "dont contact me"sv,
    "do not contact me"sv,
    "opt me out"sv,
    "i want to opt out"sv,
    // Spanish: "don't send me", "no more messages", "stop sending", "sign me off".
    "no me envien"sv,
    "no me manden"sv,
    "no mas mensajes"sv,
    "dejen de enviar"sv,
    "dejen de mandar"sv,
    "darme de baja"sv,
    "dar de baja"sv,
    "no quiero mensajes"sv,
};

// Too short to search inside longer text ("no more questions"), but a revocation as the whole
// reply. "No mas" is the Spanish example commentators give for FCC 24-24.
constexpr std::array kWholeMessagePhrases = {"no more"sv, "no mas"sv};

// These standing as a word inside a longer message revoke consent (47 CFR 64.1200(a)(10);
// docs/compliance.md#revocation-in-other-words).
constexpr std::array kOptOutWords = {
    Keyword{"stop", "STOP"},
    Keyword{"stopall", "STOPALL"},
    Keyword{"unsubscribe", "UNSUBSCRIBE"},
    Keyword{"revoke", "REVOKE"},
    Keyword{"optout", "OPTOUT"},
    Keyword{"opt out", "OPT OUT"},
};

// Ambiguous inside longer text ("cancel my appointment", "at the end of the day"), so not an
// opt-out, but flagged for review (docs/compliance.md#possible-revocations-for-review). REMOVE
// and the Spanish/French keywords are as ambiguous ("alto" also means "tall"); TD is left out,
// it is mostly a bank's name in running text.
constexpr std::array kReviewWords = {
    Keyword{"cancel", "CANCEL"}, Keyword{"end", "END"},           Keyword{"quit", "QUIT"},
    Keyword{"remove", "REMOVE"}, Keyword{"arret", "ARRET"},       Keyword{"parar", "PARAR"},
    Keyword{"alto", "ALTO"},     Keyword{"cancelar", "CANCELAR"}, Keyword{"baja", "BAJA"},
};

// ASCII spelling of a Latin letter with diacritics, by code point range (lower and upper case
// share a base). Covers Latin-1 Supplement and Latin Extended-A, the accents SMS users type.
struct Fold {
  char32_t first;
  char32_t last;
  std::string_view ascii;
};
constexpr std::array kFolds = {
    // Latin-1 Supplement, U+00C0..U+00FF (U+00D7 and U+00F7 are the math signs, not letters).
    Fold{0xC0, 0xC5, "a"},
    Fold{0xC6, 0xC6, "ae"},
    Fold{0xC7, 0xC7, "c"},
    Fold{0xC8, 0xCB, "e"},
    Fold{0xCC, 0xCF, "i"},
    Fold{0xD0, 0xD0, "d"},
    Fold{0xD1, 0xD1, "n"},
    Fold{0xD2, 0xD6, "o"},
    Fold{0xD8, 0xD8, "o"},
    Fold{0xD9, 0xDC, "u"},
    Fold{0xDD, 0xDD, "y"},
    Fold{0xDE, 0xDE, "th"},
    Fold{0xDF, 0xDF, "ss"},
    Fold{0xE0, 0xE5, "a"},
    Fold{0xE6, 0xE6, "ae"},
    Fold{0xE7, 0xE7, "c"},
    Fold{0xE8, 0xEB, "e"},
    Fold{0xEC, 0xEF, "i"},
    Fold{0xF0, 0xF0, "d"},
    Fold{0xF1, 0xF1, "n"},
    Fold{0xF2, 0xF6, "o"},
    Fold{0xF8, 0xF8, "o"},
    Fold{0xF9, 0xFC, "u"},
    Fold{0xFD, 0xFD, "y"},
    Fold{0xFE, 0xFE, "th"},
    Fold{0xFF, 0xFF, "y"},
    // Latin Extended-A, U+0100..U+017F, in code point order.
    Fold{0x100, 0x105, "a"},
    Fold{0x106, 0x10D, "c"},
    Fold{0x10E, 0x111, "d"},
    Fold{0x112, 0x11B, "e"},
    Fold{0x11C, 0x123, "g"},
    Fold{0x124, 0x127, "h"},
    Fold{0x128, 0x131, "i"},
    Fold{0x132, 0x133, "ij"},
    Fold{0x134, 0x135, "j"},
    Fold{0x136, 0x138, "k"},
    Fold{0x139, 0x142, "l"},
    Fold{0x143, 0x14B, "n"},
    Fold{0x14C, 0x151, "o"},
    Fold{0x152, 0x153, "oe"},
    Fold{0x154, 0x159, "r"},
    Fold{0x15A, 0x161, "s"},
    Fold{0x162, 0x167, "t"},
    Fold{0x168, 0x173, "u"},
    Fold{0x174, 0x175, "w"},
    Fold{0x176, 0x178, "y"},
    Fold{0x179, 0x17E, "z"},
    Fold{0x17F, 0x17F, "s"},
};

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one UTF-8 sequence at `pos`; sets `length` to the bytes consumed. Overlong forms,
// surrogates, values above U+10FFFF and truncated sequences give kInvalid with length 1, so a
// bad byte costs one word break and never hides the bytes after it.
char32_t decode_utf8(std::string_view s, std::size_t pos, std::size_t& length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  length = 1;
  if (lead < 0x80) return lead;
  std::size_t extra = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    return kInvalid;
  }
  if (pos + extra >= s.size()) return kInvalid;
  for (std::size_t i = 1; i <= extra; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  length = extra + 1;
  return cp;
}

// How normalisation treats one code point.
enum class Kind { kAppend, kJoin, kBreak, kKeep };

struct Mapped {
  Kind kind;
  std::string_view ascii;  // kAppend only: what to append
};

constexpr std::string_view kDigitsAndLetters = "0123456789abcdefghijklmnopqrstuvwxyz";

Mapped map_code_point(char32_t cp) {
  if (cp == kInvalid) return {Kind::kBreak, {}};
  // Fullwidth ASCII (U+FF01..U+FF5E), as some CJK keyboards type it.
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= '0' && c <= '9') return {Kind::kAppend, kDigitsAndLetters.substr(c - '0', 1)};
    if (c >= 'a' && c <= 'z') return {Kind::kAppend, kDigitsAndLetters.substr(10 + c - 'a', 1)};
    if (c >= 'A' && c <= 'Z') return {Kind::kAppend, kDigitsAndLetters.substr(10 + c - 'A', 1)};
    if (c == '\'') return {Kind::kJoin, {}};
    return {Kind::kBreak, {}};
  }
  for (const Fold& fold : kFolds) {
    if (cp >= fold.first && cp <= fold.last) return {Kind::kAppend, fold.ascii};
  }
  // Removed without a break: soft hyphen, modifier apostrophe, combining diacritics (decomposed
  // accents), curly apostrophes (phone keyboards autocorrect ' to U+2019), zero-width
  // characters, variation selectors, byte order mark, emoji tag characters.
  if (cp == 0xAD || cp == 0x2BC || (cp >= 0x300 && cp <= 0x36F) || cp == 0x2018 || cp == 0x2019 ||
      (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
      cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE007F)) {
    return {Kind::kJoin, {}};
  }
  // Word breaks: C1 controls and Latin-1 punctuation (NBSP, inverted ! and ?), the math signs,
  // general punctuation and symbol blocks, CJK punctuation, small/vertical forms, emoji.
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
      (cp >= 0xFF00 && cp <= 0xFF65) || (cp >= 0x1F000 && cp <= 0x1FAFF)) {
    return {Kind::kBreak, {}};
  }
  return {Kind::kKeep, {}};
}

// True if `needle` (normalised words) occurs in `text` (normalised) on word boundaries.
bool contains_words(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    const std::size_t end = pos + needle.size();
    const bool starts_word = pos == 0 || text[pos - 1] == ' ';
    const bool ends_word = end == text.size() || text[end] == ' ';
    if (starts_word && ends_word) return true;
  }
  return false;
}

template <std::size_t N>
const Keyword* find_exact(const std::array<Keyword, N>& list, std::string_view text) {
  for (const Keyword& keyword : list) {
    if (keyword.normalized == text) return &keyword;
  }
  return nullptr;
}

template <std::size_t N>
const Keyword* find_word(const std::array<Keyword, N>& list, std::string_view text) {
  for (const Keyword& keyword : list) {
    if (contains_words(text, keyword.normalized)) return &keyword;
  }
  return nullptr;
}

}  // namespace

std::string normalize_message(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  bool pending_break = false;
  for (std::size_t pos = 0; pos < body.size();) {
    std::size_t length = 1;
    const char32_t cp = decode_utf8(body, pos, length);
    const Mapped mapped = map_code_point(cp);
    switch (mapped.kind) {
      case Kind::kBreak:
        pending_break = true;
        break;
      case Kind::kJoin:
        break;
      case Kind::kAppend:
      case Kind::kKeep:
        if (pending_break && !out.empty()) out.push_back(' ');
        pending_break = false;
        out.append(mapped.kind == Kind::kKeep ? body.substr(pos, length) : mapped.ascii);
        break;
    }
    pos += length;
  }
  return out;
}

Classification classify_message(std::string_view body) {
  Classification result;
  result.normalized = normalize_message(body);
  const std::string_view text = result.normalized;
  const auto decide = [&](MessageIntent intent, std::string_view kind, std::string_view what) {
    result.intent = intent;
    result.rule = std::string(kind) + ":" + std::string(what);
    return result;
  };

  if (const Keyword* k = find_exact(kOptOutKeywords, text)) {
    return decide(MessageIntent::kOptOut, "keyword", k->label);
  }
  if (const Keyword* k = find_exact(kOptInKeywords, text)) {
    return decide(MessageIntent::kOptIn, "keyword", k->label);
  }
  if (const Keyword* k = find_exact(kHelpKeywords, text)) {
    return decide(MessageIntent::kHelp, "keyword", k->label);
  }
  for (std::string_view phrase : kWholeMessagePhrases) {
    if (text == phrase) return decide(MessageIntent::kOptOut, "phrase", phrase);
  }
  for (std::string_view phrase : kRevocationPhrases) {
    if (contains_words(text, phrase)) return decide(MessageIntent::kOptOut, "phrase", phrase);
  }
  if (const Keyword* k = find_word(kOptOutWords, text)) {
    return decide(MessageIntent::kOptOut, "word", k->label);
  }
  if (const Keyword* k = find_word(kReviewWords, text)) {
    result.possible_revocation = true;
    return decide(MessageIntent::kOther, "review", k->label);
  }
  result.intent = MessageIntent::kOther;
  return result;
}

std::string_view to_string(MessageIntent intent) {
  switch (intent) {
    case MessageIntent::kOptOut:
      return "opt_out";
    case MessageIntent::kOptIn:
      return "opt_in";
    case MessageIntent::kHelp:
      return "help";
    case MessageIntent::kOther:
      return "other";
  }
  return "other";
}

}  // namespace common::compliance
