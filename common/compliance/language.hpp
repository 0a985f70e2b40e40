// The language an inbound text shows, so replies go out in the language the person writes in
// (docs/compliance.md#languages). Pure functions, no I/O. Two languages: English ("en", also the
// default when nothing is recorded) and Spanish ("es").
#pragma once

#include <string>
#include <string_view>

#include "common/compliance/keywords.hpp"

namespace common::compliance {

/// The language codes the project knows (ISO 639-1). An empty code means "not known": English.
inline constexpr std::string_view kEnglish = "en";
inline constexpr std::string_view kSpanish = "es";

/// True for "en" and "es", the codes a contact's `language` may hold.
bool is_known_language(std::string_view code);

/// The language an inbound text shows, from its classification (classify_message): "es", "en",
/// or "" when the text does not tell (keep what is on record). Rules, first match wins:
///  1. rule "keyword:<KW>": a Spanish keyword (ALTO PARAR BAJA CANCELAR AYUDA COMENZAR ALTA SI)
///     -> "es"; an English-only keyword (HELP INFO START UNSTOP YES) -> "en"; the carrier-wide
///     opt-out words (STOP, END, CANCEL, UNSUBSCRIBE, QUIT, ...) and French ARRET/TD -> "";
///  2. rule "phrase:<text>": a Spanish revocation phrase ("no me envien", "no mas", ...) -> "es",
///     any other (English) phrase -> "en";
///  3. the whole normalised text is an English reminder reply (CONFIRM, CONFIRMED, RESCHEDULE)
///     -> "en";
///  4. otherwise (an ordinary text, a reply to a reminder, an opt-out word inside a sentence)
///     -> "es" when reads_as_spanish(normalized), else "".
/// Example: classify_message("Gracias, nos vemos") -> "es"; classify_message("C") -> "".
std::string detect_language(const Classification& classification);

/// The small Spanish heuristic of detect_language, on a normalised text (normalize_message:
/// lower case, accents folded, single spaces): true when it has at least one strong Spanish word
/// or phrase (gracias, hola, cita, confirmar, cambiar, reprogramar, manana, "por favor",
/// "no puedo", ...) or at least two different weaker ones (si, de, que, para, bien, ...).
/// Words that are also common English or ambiguous on their own ("no", "me", "a", "la", "el")
/// never count, so one ambiguous word never decides. Never fails.
bool reads_as_spanish(std::string_view normalized);

}  // namespace common::compliance
