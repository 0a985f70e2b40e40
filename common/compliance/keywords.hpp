// What an inbound SMS means for consent: opt-out, opt-in, HELP, or an ordinary message.
// Pure functions, no I/O. Rules: 47 CFR 64.1200(a)(10) (FCC 24-24, revocation "by any reasonable
// means"); CTIA Messaging Principles and Best Practices (STOP/HELP keywords);
// docs/compliance.md#keyword-matching.
#pragma once

#include <string>
#include <string_view>

namespace common::compliance {

/// The consent meaning of an inbound text.
enum class MessageIntent { kOptOut, kOptIn, kHelp, kOther };

/// What an inbound text means for consent, and why (the why goes to the audit log).
struct Classification {
  MessageIntent intent = MessageIntent::kOther;
  /// The rule that decided, for the audit log. Shapes:
  ///   "keyword:<KW>"   the whole normalised message is a keyword (opt-out, opt-in or HELP),
  ///                    e.g. "keyword:STOP", "keyword:OPT OUT", "keyword:START", "keyword:HELP";
  ///   "phrase:<text>"  a revocation phrase inside a longer message, e.g. "phrase:stop texting";
  ///   "word:<KW>"      an opt-out word standing alone inside a longer message, e.g. "word:STOP";
  ///   "review:<KW>"    kOther with possible_revocation, e.g. "review:CANCEL";
  ///   ""               kOther with nothing of note.
  std::string rule;
  /// kOther only: an ambiguous opt-out word (CANCEL, END, QUIT, ...) inside a longer text: not an
  /// opt-out; the message is logged and counted for human review
  /// (docs/compliance.md#possible-revocations-for-review).
  bool possible_revocation = false;
  /// The normalised text the rules saw (see normalize_message).
  std::string normalized;
};

/// Normalises an SMS body for keyword matching (trimmed, case-folded, punctuation stripped;
/// docs/compliance.md#keyword-matching), in UTF-8:
///  - ASCII letters are lower-cased; Latin-1 and Latin Extended-A letters are folded to their
///    ASCII base ("ARRÊT" -> "arret", "más" -> "mas", "ß" -> "ss"); fullwidth ASCII is narrowed;
///  - apostrophes (' U+2018 U+2019 U+02BC), combining marks and zero-width characters are
///    removed without a break, so "don't" and "don’t" both become "dont";
///  - every other punctuation, symbol, emoji, control or whitespace character, and every invalid
///    UTF-8 byte, is a word break: "OPT-OUT" -> "opt out", "STOP🛑" -> "stop";
///  - other non-ASCII letters (Greek, Cyrillic, CJK, ...) are kept as they are;
///  - word breaks collapse to one ASCII space; no leading or trailing space.
/// Never fails; any byte sequence is accepted.
std::string normalize_message(std::string_view body);

/// Classifies an inbound SMS body. Precedence, first match wins:
///  1. whole message is an opt-out keyword (compliance.md list)      -> kOptOut, "keyword:..."
///  2. whole message is an opt-in (START UNSTOP YES COMENZAR ALTA SI) or HELP (HELP INFO AYUDA)
///     keyword
///                                                                   -> kOptIn / kHelp
///  3. a revocation phrase inside the message (47 CFR 64.1200(a)(10)) -> kOptOut, "phrase:..."
///  4. STOP, STOPALL, UNSUBSCRIBE, REVOKE, OPTOUT or OPT OUT as a word -> kOptOut, "word:..."
///  5. CANCEL, END, QUIT (and REMOVE, ARRET, PARAR, ALTO, CANCELAR, BAJA) as a word
///                                                -> kOther, possible_revocation, "review:..."
///  6. otherwise                                                     -> kOther
/// Opt-out therefore wins over everything. START/YES/HELP inside a longer message are kOther:
/// opt-in and HELP are exact matches (docs/compliance.md#opt-in-keywords), and an ambiguous
/// "yes, see you then" must never re-subscribe anyone. Negation is not parsed ("don't stop" is an
/// opt-out): wrongly honouring an opt-out costs a START; wrongly ignoring one is a TCPA violation.
Classification classify_message(std::string_view body);

/// "opt_out", "opt_in", "help" or "other" (the audit-log and metric spelling).
std::string_view to_string(MessageIntent intent);

}  // namespace common::compliance
