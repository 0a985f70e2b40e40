// Start-up configuration: every problem named in one init error.
#include <gtest/gtest.h>

#include "common/aws/environment.hpp"

namespace {

using common::aws::Environment;
using common::aws::SettingsReader;

TEST(SettingsReader, ReadsValuesAndFallbacks) {
  const auto env = Environment::from_map({{"TABLE", "contacts"}, {"RATE", "2.5"}, {"EMPTY", ""}});
  SettingsReader settings(env);
  EXPECT_EQ(settings.required("TABLE"), "contacts");
  EXPECT_EQ(settings.get_or("EMPTY", "fallback"), "fallback") << "empty counts as unset";
  EXPECT_EQ(settings.number("RATE", 3, 0.1, 10), 2.5);
  EXPECT_EQ(settings.number("UNSET", 3, 0.1, 10), 3);
  EXPECT_NO_THROW(settings.check("f"));
}

TEST(SettingsReader, CollectsEveryProblemIntoOneError) {
  const auto env = Environment::from_map({{"RATE", "fast"}, {"SHARDS", "1000"}});
  SettingsReader settings(env);
  EXPECT_EQ(settings.required("TABLE"), "");
  settings.required("PROGRAM_NAME");
  EXPECT_EQ(settings.number("RATE", 3, 0.1, 10), 3);
  settings.number("SHARDS", 8, 1, 100);
  settings.problem("BACKEND_URL must be an http:// or https:// URL");
  try {
    settings.check("reminders");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "reminders configuration: TABLE is required; PROGRAM_NAME is required; RATE must be "
                 "a number from 0.1 to 10 (got 'fast'); SHARDS must be a number from 1 to 100 (got "
                 "'1000'); BACKEND_URL must be an http:// or https:// URL");
  }
}

}  // namespace
