// sms-inbound's reply texts, one set per language (English and Spanish), from configuration:
// defaults overridden by REPLY_TEXTS, {frequency} from MESSAGE_FREQUENCY. Checked once at
// start-up for the content CTIA requires of a HELP answer, an opt-in confirmation and an opt-out
// confirmation (docs/compliance.md#required-content), so a text that lacks it is an init error,
// never a reply.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/sms/text_template.hpp"

namespace sms_inbound {

/// The replies sms-inbound sends.
enum class Reply {
  kHelp,                   ///< "help": the answer to HELP / AYUDA
  kOptOutConfirmation,     ///< "opt_out_confirmation": the one text after an opt-out
  kOptInConfirmation,      ///< "opt_in_confirmation": the answer to START / COMENZAR
  kAppointmentConfirmed,   ///< "appointment_confirmed": a reminder reply C / CONFIRMAR ({when})
  kAppointmentReschedule,  ///< "appointment_reschedule": R / CAMBIAR ({when})
  kAppointmentNotFound,    ///< "appointment_not_found": a reminder reply with no appointment
};

/// Every Reply, in enum order, and its name in REPLY_TEXTS.
inline constexpr std::array kReplies = {Reply::kHelp,
                                        Reply::kOptOutConfirmation,
                                        Reply::kOptInConfirmation,
                                        Reply::kAppointmentConfirmed,
                                        Reply::kAppointmentReschedule,
                                        Reply::kAppointmentNotFound};
/// "help", "opt_out_confirmation", ... (the REPLY_TEXTS member names).
std::string_view reply_name(Reply reply);

/// The languages with a set of texts, in order; the first is the fallback for anything else.
inline constexpr std::array<std::string_view, 2> kReplyLanguages = {"en", "es"};

/// What the texts are built from: the shared settings and the two JSON variables, as read from
/// the environment (empty JSON text = unset).
struct ReplyTextsConfig {
  std::string program;           ///< PROGRAM_NAME: {program}
  std::string help_contact;      ///< HELP_CONTACT: {help_contact}
  std::string reply_texts_json;  ///< REPLY_TEXTS: {"en": {"help": "..."}, "es": {...}}, any subset
  /// MESSAGE_FREQUENCY: {"en": "...", "es": "..."} ({frequency}); when set, every language.
  std::string frequency_json;
};

/// The parsed and checked reply texts. Cheap to copy; built once at start-up.
class ReplyTexts {
 public:
  /// The default English and Spanish texts with `config`'s overrides. Throws
  /// std::invalid_argument listing every problem ("; "-separated), each naming the variable, the
  /// language and the text: not JSON, an unknown language or text name, a text that is not a
  /// string, empty, over 1600 characters, a bad template or an unknown {variable}, and each
  /// missing required element (check_required_content), e.g.
  /// "REPLY_TEXTS es.opt_in_confirmation lacks 'frequency' (the message frequency)".
  explicit ReplyTexts(const ReplyTextsConfig& config);

  /// The text of `reply` in `language` ("en", "es"; anything else, "" included, is English),
  /// filled in. `when` fills {when} (appointment_confirmed, appointment_reschedule: the
  /// appointment's local time as format_when_in gives it in that language). Never throws.
  std::string render(Reply reply, std::string_view language, const std::string& when = {}) const;

  /// The message frequency of `language` (MESSAGE_FREQUENCY, or the default).
  const std::string& frequency(std::string_view language) const;

 private:
  struct Language {
    std::string frequency;
    std::map<Reply, common::sms::TextTemplate> texts;
  };
  const Language& language(std::string_view code) const;

  std::string program_;
  std::string help_contact_;
  std::map<std::string, Language, std::less<>> languages_;
};

/// The elements CTIA requires that `text` (a rendered `reply` in `language`) lacks, as stable
/// names (docs/compliance.md#required-content): help -> program, help_contact,
/// opt_out_instructions (STOP; Spanish: ALTO or STOP); opt_in_confirmation -> program, frequency
/// (`frequency` itself, or a frequency wording such as "msg frequency varies", "4 msgs/mo",
/// "frecuencia", "al mes"), rates ("Msg & data rates may apply" and its usual variants; Spanish
/// also "tarifas de mensajes y datos"), help_instructions (HELP; Spanish: AYUDA or HELP),
/// stop_instructions (STOP; Spanish: ALTO or STOP); opt_out_confirmation -> program; the
/// appointment replies -> none. Matching is on normalised words (accents and case folded,
/// punctuation a word break), so "Msg&data" and "msg & data" are the same. Empty: complete.
std::vector<std::string> missing_required_content(Reply reply, std::string_view language,
                                                  std::string_view text, std::string_view program,
                                                  std::string_view help_contact,
                                                  std::string_view frequency);

/// The human wording of an element name of missing_required_content ("the message frequency"
/// for "frequency"), for error messages.
std::string_view describe_element(std::string_view element);

/// An appointment's local time in `language`: English "Tue, Nov 24 at 2:00 PM"
/// (common::appointments::format_when); Spanish "mar 24 de nov a las 2:00 p. m."
/// (common::appointments::format_when_es).
std::string format_when_in(std::chrono::local_seconds local, std::string_view language);

}  // namespace sms_inbound
