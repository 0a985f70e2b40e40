// sms-inbound's reply texts from configuration (functions/sms-inbound/reply_texts): REPLY_TEXTS
// and MESSAGE_FREQUENCY as an operator writes them, checked for CTIA's required content.
// Input: REPLY_TEXTS, then optionally a NUL byte and MESSAGE_FREQUENCY.
// Properties: only std::invalid_argument escapes; its message is valid UTF-8 and each of its
// "; "-separated problems names REPLY_TEXTS or MESSAGE_FREQUENCY; accepted texts render for
// every language without throwing, as valid UTF-8, an unknown language as English, and HELP and
// the confirmations have none of their required elements missing (the start-up check holds for
// what is sent); building twice gives the same texts.
#include "functions/sms-inbound/reply_texts.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  const std::size_t nul = input.find('\0');
  sms_inbound::ReplyTextsConfig config{
      "Acme Dental", "help@acme.example or +1 206 555 0100", std::string(input.substr(0, nul)),
      nul == std::string_view::npos ? std::string() : std::string(input.substr(nul + 1))};
  try {
    const sms_inbound::ReplyTexts texts(config);
    const sms_inbound::ReplyTexts again(config);
    for (std::string_view language : {"en", "es"}) {
      for (sms_inbound::Reply reply : sms_inbound::kReplies) {
        const std::string text = texts.render(reply, language, "Tue, Nov 24 at 2:00 PM");
        SMSC_FUZZ_CHECK(!text.empty(), "a reply text is never empty");
        SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(text), "a reply text is valid UTF-8");
        SMSC_FUZZ_CHECK(text == again.render(reply, language, "Tue, Nov 24 at 2:00 PM"),
                        "building twice gives the same texts");
        SMSC_FUZZ_CHECK(
            sms_inbound::missing_required_content(reply, language, text, config.program,
                                                  config.help_contact, texts.frequency(language))
                .empty(),
            "accepted texts have their required content");
      }
    }
    SMSC_FUZZ_CHECK(texts.render(sms_inbound::Reply::kHelp, "fr") ==
                        texts.render(sms_inbound::Reply::kHelp, "en"),
                    "an unknown language is English");
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    SMSC_FUZZ_CHECK(!message.empty() && smsc_fuzz::is_utf8(message),
                    "the error is non-empty valid UTF-8");
    for (std::string_view problem : smsc_fuzz::split(message, "; ")) {
      SMSC_FUZZ_CHECK(
          problem.starts_with("REPLY_TEXTS") || problem.starts_with("MESSAGE_FREQUENCY"),
          "every problem names its variable");
    }
  }
  return 0;
}
