// notify's request, the same from both triggers (an SQS message body, a POST /messages body), and
// the program's templates from configuration (NOTIFY_TEMPLATES). Pure parsing, no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/consent/gate.hpp"
#include "common/sms/text_template.hpp"
#include "common/time.hpp"

namespace notify {

/// The longest text End User Messaging takes (SendTextMessage MessageBody), in characters.
inline constexpr std::size_t kMaxBodyCharacters = 1600;
/// Context entries a caller may set: AWS allows 5 and notify sets 2 (message_ref, notify_id).
inline constexpr std::size_t kMaxCallerContext = 3;

/// One configured template: its text, when set the only category it may be sent as, and when
/// set its Spanish variant.
struct NotifyTemplate {
  common::sms::TextTemplate text;
  std::optional<common::consent::Category> category;
  /// `text_es`: sent instead of `text` to a contact whose language is "es"
  /// (docs/compliance.md#template-languages); exactly the variables of `text`.
  std::optional<common::sms::TextTemplate> text_es{};
};

/// Template name -> template.
using Templates = std::map<std::string, NotifyTemplate, std::less<>>;

/// Reads NOTIFY_TEMPLATES: a JSON object of name -> "text" or {"text": "...", "category":
/// "transactional"|"marketing", "text_es": "..."} (category and text_es optional; null is the
/// same as absent, as Terraform's jsonencode writes an unset optional attribute). Names are 1-64
/// of [A-Za-z0-9_-]. `{program}` is filled from PROGRAM_NAME, every other placeholder from the
/// request's variables. `text_es`, the Spanish variant, must use exactly the variables of `text`
/// (so a request valid in one language is valid in the other, never refused at send time). A
/// marketing template must carry opt-out instructions: the word STOP in `text`, STOP or ALTO in
/// `text_es` (CTIA Messaging Principles and Best Practices; docs/compliance.md#notify). Throws
/// std::invalid_argument naming the template, the member (text_es for the variant) and the
/// problem.
Templates parse_templates(std::string_view json_text);

/// A request field that is wrong: the 400 answer or the failed batch item names it.
struct FieldError {
  std::string field;    ///< "phone_number", "variables.name", "send_after", ...
  std::string message;  ///< "is required", "must be E.164", ...
};

/// A text rendered for sending: smart-encoded (common/sms/segments), its parts counted.
struct RenderedText {
  std::string body;
  int segments = 0;      ///< message parts of `body`
  std::string encoding;  ///< "GSM-7" | "UCS-2"
};

/// A valid request, with its text rendered (in English and, when the template has one, in
/// Spanish: which one is sent is chosen by the contact's language at the gate).
struct NotifyRequest {
  std::string idempotency_key;  ///< 1-128 of [A-Za-z0-9._:-]
  std::string phone_number;     ///< E.164 (normalised by common::compliance::parse_phone_number)
  common::consent::Category category = common::consent::Category::kTransactional;
  std::string template_name;    ///< "" for a raw body
  std::map<std::string, std::string> variables;
  std::optional<common::TimePoint> send_after;
  std::optional<common::TimePoint> expires_at;
  std::map<std::string, std::string> context;  ///< at most kMaxCallerContext entries
  std::string body;            ///< the rendered text, smart-encoded (common/sms/segments)
  int segments = 0;            ///< its message parts
  std::string encoding;        ///< "GSM-7" | "UCS-2"
  /// The template's Spanish variant (text_es) rendered with the same variables, checked like
  /// `body`; nullopt for a template without one and for a raw body.
  std::optional<RenderedText> body_es;
  /// SHA-256 hex of the request's meaning (key reuse detection): the request as sent, never
  /// the language chosen for it.
  std::string fingerprint;
};

/// What parse_request needs from configuration.
struct RequestRules {
  const Templates* templates = nullptr;
  std::string program_name;     ///< {program}
  bool allow_raw_body = false;  ///< NOTIFY_ALLOW_RAW_BODY: `body` instead of a template
};

/// Parses and checks one request (JSON text): every member known and of its type, the number
/// E.164, the template configured and allowed for the category, every variable it names given (a
/// missing one is an error naming `variables.<name>`, never a half-filled text), the text (and
/// its Spanish variant) at most kMaxBodyCharacters, expires_at after send_after. (An expires_at
/// already past is the handler's to judge: a redelivery of a request decided before still answers
/// as it did.) Returns the request or the first problem; never throws.
std::variant<NotifyRequest, FieldError> parse_request(std::string_view json_text,
                                                      const RequestRules& rules);

}  // namespace notify
