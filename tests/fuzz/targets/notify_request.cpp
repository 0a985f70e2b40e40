// notify's request parser (functions/notify/request): every SQS message body and POST /messages
// body a business system sends, and NOTIFY_TEMPLATES from configuration.
// Input: the first byte chooses the mode (even: a request, with raw bodies allowed when its bit 1
// is set; odd: a templates configuration), the rest is the JSON text.
// Properties (requests): parse_request never throws; an error names a field and a reason; an
// accepted request has an E.164 number, a key of 1-128 allowed characters, a body of 1-1600
// characters of valid UTF-8 that smart encoding leaves as it is, its parts counted, a marketing
// body with opt-out instructions, a 64-hex fingerprint, at most 3 context entries, and parsing it
// again gives the same fingerprint; a Spanish variant (text_es), when the template has one, is
// held to the same limits (STOP or ALTO for marketing) and has no variant otherwise.
// (Templates) parse_templates throws only std::invalid_argument, and every marketing template it
// accepts says STOP (its variant STOP or ALTO) and has a variant with the text's variables.
#include "functions/notify/request.hpp"

#include <cstdint>
#include <string>

#include "common/compliance/phone.hpp"
#include "common/sms/segments.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

const notify::Templates& templates() {
  static const notify::Templates t = notify::parse_templates(R"({
    "appointment_update": {"text": "{program}: Hi {name}, your appointment has changed: {details}. Reply STOP to opt out.", "category": "transactional"},
    "spring_offer": {"text": "{program}: {name}, 20% off until {until}. Reply STOP to opt out.", "category": "marketing",
                     "text_es": "{program}: {name}, 20% de descuento hasta el {until}. Responda ALTO para no recibir mensajes."},
    "note": "{program}: {text}"
  })");
  return t;
}

std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view input = smsc_fuzz::text(data + 1, size - 1);
  if (mode & 1) {
    try {
      const auto parsed = notify::parse_templates(input);
      for (const auto& [name, t] : parsed) {
        SMSC_FUZZ_CHECK(!name.empty() && name.size() <= 64, "template names are 1-64 characters");
        if (t.text_es) {
          SMSC_FUZZ_CHECK(t.text_es->variables() == t.text.variables(),
                          "a variant has exactly the text's variables");
        }
      }
    } catch (const std::invalid_argument&) {
    }
    return 0;
  }
  const notify::RequestRules rules{&templates(), "Acme Dental", (mode & 2) != 0};
  const auto result = notify::parse_request(input, rules);
  if (const auto* error = std::get_if<notify::FieldError>(&result)) {
    SMSC_FUZZ_CHECK(!error->field.empty() && !error->message.empty(), "an error names a field and a reason");
    return 0;
  }
  const auto& r = std::get<notify::NotifyRequest>(result);
  SMSC_FUZZ_CHECK(common::compliance::is_e164(r.phone_number), "the number is E.164");
  SMSC_FUZZ_CHECK(!r.idempotency_key.empty() && r.idempotency_key.size() <= 128, "key length");
  for (char c : r.idempotency_key) {
    SMSC_FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-',
                    "key characters");
  }
  SMSC_FUZZ_CHECK(!r.body.empty() && characters(r.body) <= notify::kMaxBodyCharacters, "body length");
  SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(r.body), "the body is valid UTF-8");
  SMSC_FUZZ_CHECK(common::sms::smart_encode(r.body).text == r.body, "the body is smart-encoded");
  SMSC_FUZZ_CHECK(r.segments == common::sms::count_segments(r.body).parts, "its parts are counted");
  if (r.category == common::consent::Category::kMarketing) {
    SMSC_FUZZ_CHECK(r.body.find("STOP") != std::string::npos, "a marketing text says how to opt out");
  }
  if (r.body_es) {
    const auto& es = *r.body_es;
    SMSC_FUZZ_CHECK(!r.template_name.empty(), "only a template has a Spanish variant");
    SMSC_FUZZ_CHECK(!es.body.empty() && characters(es.body) <= notify::kMaxBodyCharacters,
                    "variant length");
    SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(es.body), "the variant is valid UTF-8");
    SMSC_FUZZ_CHECK(common::sms::smart_encode(es.body).text == es.body,
                    "the variant is smart-encoded");
    SMSC_FUZZ_CHECK(es.segments == common::sms::count_segments(es.body).parts,
                    "variant parts counted");
    if (r.category == common::consent::Category::kMarketing) {
      SMSC_FUZZ_CHECK(
          es.body.find("STOP") != std::string::npos || es.body.find("ALTO") != std::string::npos,
          "a marketing variant says how to opt out");
    }
  } else {
    SMSC_FUZZ_CHECK(r.template_name != "spring_offer", "a template with a variant renders it");
  }
  SMSC_FUZZ_CHECK(r.fingerprint.size() == 64, "fingerprint is SHA-256 hex");
  SMSC_FUZZ_CHECK(r.context.size() <= notify::kMaxCallerContext, "context entries");
  SMSC_FUZZ_CHECK(!rules.allow_raw_body ? !r.template_name.empty() : true, "raw bodies only when allowed");
  const auto again = notify::parse_request(input, rules);
  SMSC_FUZZ_CHECK(std::get<notify::NotifyRequest>(again).fingerprint == r.fingerprint,
                  "parsing is deterministic");
  return 0;
}
