// Message templates (common/sms/text_template): REMINDER_TEMPLATE and, next, notify's configured
// templates are parsed from configuration, then rendered with values that come from outside
// (appointment locations, a business's notification variables).
// Input: the template text, then optionally "\0" and one value used for every variable.
// Properties: parsing throws only std::invalid_argument; a parsed template renders with every
// variable set and the output is its literal text plus the values; with one variable missing,
// render throws MissingVariable naming a declared variable; rendering valid UTF-8 pieces gives
// valid UTF-8.
#include "common/sms/text_template.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  const auto nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  const std::string value(nul == std::string_view::npos ? std::string_view("v") : input.substr(nul + 1));
  std::optional<common::sms::TextTemplate> parsed;
  try {
    parsed.emplace(text);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  std::map<std::string, std::string> values, empty;
  for (const auto& name : parsed->variables()) {
    values[name] = value;
    empty[name] = "";
  }
  const std::string literal = parsed->render(empty);
  const std::string full = parsed->render(values);
  SMSC_FUZZ_CHECK(full.size() >= literal.size(), "values only add text");
  SMSC_FUZZ_CHECK(literal.size() <= text.size(), "escapes and placeholders only shrink the literal");
  if (value.empty()) SMSC_FUZZ_CHECK(full == literal, "empty values render the literal text");
  if (smsc_fuzz::is_utf8(text) && smsc_fuzz::is_utf8(value)) {
    SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(full), "valid UTF-8 in, valid UTF-8 out");
  }
  if (!parsed->variables().empty()) {
    const std::string missing = *parsed->variables().begin();
    values.erase(missing);
    try {
      (void)parsed->render(values);
      SMSC_FUZZ_CHECK(false, "rendered without " + missing);
    } catch (const common::sms::TextTemplate::MissingVariable& e) {
      SMSC_FUZZ_CHECK(parsed->variables().count(e.name()) == 1, "names a declared variable");
    }
  }
  return 0;
}
