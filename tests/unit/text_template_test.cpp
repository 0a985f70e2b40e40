// Templates with named variables (common/sms/text_template): parsed once, validated, and never
// rendered half-filled.
#include "common/sms/text_template.hpp"

#include <gtest/gtest.h>

namespace {

using common::sms::TextTemplate;

TEST(TextTemplate, RendersNamedVariablesAndEscapedBraces) {
  const TextTemplate t("{program}: Hi {name}, code {{{code}}} for {name}.");
  EXPECT_EQ(t.variables(), (std::set<std::string>{"code", "name", "program"}));
  EXPECT_EQ(t.render({{"program", "Acme"}, {"name", "Ana"}, {"code", "42"}, {"extra", "x"}}),
            "Acme: Hi Ana, code {42} for Ana.");
  EXPECT_EQ(TextTemplate("no variables").render({}), "no variables");
  EXPECT_EQ(TextTemplate("").render({}), "");
}

TEST(TextTemplate, AMissingVariableIsNamedNeverHalfFilled) {
  const TextTemplate t("Hi {name}, your order {order_id} shipped.");
  try {
    (void)t.render({{"name", "Ana"}});
    FAIL() << "rendered without order_id";
  } catch (const TextTemplate::MissingVariable& e) {
    EXPECT_EQ(e.name(), "order_id");
  }
}

TEST(TextTemplate, MalformedTemplatesAreRefusedWithThePosition) {
  for (const char* bad : {"Hi {name", "Hi }", "Hi {}", "Hi {na me}", "Hi {na-me}",
                          "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}"}) {
    EXPECT_THROW(TextTemplate{bad}, std::invalid_argument) << bad;
  }
  try {
    TextTemplate("Hello {name");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("character 7"), std::string::npos) << e.what();
  }
}

}  // namespace
