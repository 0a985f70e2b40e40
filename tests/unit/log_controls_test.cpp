// Lambda's advanced logging controls (common/observe/logger): the application log level
// (AWS_LAMBDA_LOG_LEVEL: TRACE, DEBUG, INFO, WARN, ERROR, FATAL; a level and the ones above it
// are written) and the log format (AWS_LAMBDA_LOG_FORMAT: JSON or Text), as Lambda's
// "Log-level filtering" and "log format" pages define them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/aws/environment.hpp"
#include "common/observe/logger.hpp"

namespace {

using common::aws::Environment;
using common::observe::LogFormat;
using common::observe::Logger;
using common::observe::LogLevel;
using json = nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// One line at each level; returns the levels that were written.
std::vector<std::string> written_at(LogLevel min_level) {
  std::ostringstream out;
  Logger log("f", min_level, out);
  log.trace("t");
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  log.fatal("x");
  std::vector<std::string> levels;
  for (const auto& line : lines_of(out.str())) levels.push_back(json::parse(line)["level"]);
  return levels;
}

TEST(LogLevelControl, EveryLambdaLevelFromTheEnvironment) {
  const std::vector<std::pair<std::string, LogLevel>> cases = {
      {"TRACE", LogLevel::kTrace}, {"DEBUG", LogLevel::kDebug}, {"INFO", LogLevel::kInfo},
      {"WARN", LogLevel::kWarn},   {"ERROR", LogLevel::kError}, {"FATAL", LogLevel::kFatal},
      {"trace", LogLevel::kTrace}, {"Warning", LogLevel::kWarn}};
  for (const auto& [text, level] : cases) {
    EXPECT_EQ(common::observe::log_level_from_environment(
                  Environment::from_map({{"AWS_LAMBDA_LOG_LEVEL", text}})),
              level)
        << text;
  }
  // AWS_LAMBDA_LOG_LEVEL (Lambda's) wins over LOG_LEVEL; an unknown value is INFO, as Lambda
  // treats a line whose level it cannot read.
  EXPECT_EQ(common::observe::log_level_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_LEVEL", "FATAL"}, {"LOG_LEVEL", "DEBUG"}})),
            LogLevel::kFatal);
  EXPECT_EQ(common::observe::log_level_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_LEVEL", "LOUD"}})),
            LogLevel::kInfo);
}

// "Lambda sends logs of the selected level and lower" (less detailed): WARN drops INFO and DEBUG;
// FATAL keeps FATAL alone; TRACE keeps everything.
TEST(LogLevelControl, ALevelWritesItselfAndWhatIsLessDetailed) {
  using V = std::vector<std::string>;
  EXPECT_EQ(written_at(LogLevel::kTrace), (V{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}));
  EXPECT_EQ(written_at(LogLevel::kInfo), (V{"INFO", "WARN", "ERROR", "FATAL"}));
  EXPECT_EQ(written_at(LogLevel::kWarn), (V{"WARN", "ERROR", "FATAL"}));
  EXPECT_EQ(written_at(LogLevel::kFatal), (V{"FATAL"}));
}

TEST(LogFormatControl, JsonUnlessLambdaSaysText) {
  EXPECT_EQ(common::observe::log_format_from_environment(Environment::from_map({})),
            LogFormat::kJson)
      << "unset: the structured lines every earlier version wrote";
  EXPECT_EQ(common::observe::log_format_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_FORMAT", "JSON"}})),
            LogFormat::kJson);
  EXPECT_EQ(common::observe::log_format_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_FORMAT", "Text"}})),
            LogFormat::kText);
  EXPECT_EQ(common::observe::log_format_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_FORMAT", "TEXT"}})),
            LogFormat::kText);
}

// Text: time, request id, level, message, then key=value fields; one line per event whatever the
// fields hold, phone numbers masked as in JSON.
TEST(LogFormatControl, TextLinesArePlainTabSeparatedAndMasked) {
  std::ostringstream out;
  Logger log("sms-inbound", LogLevel::kInfo, out, LogFormat::kText);
  log.info("before any invocation");
  log.start_invocation("req-1");
  log.info("inbound processed", {{"phone", "+14255550199"},
                                 {"intent", "opt_out"},
                                 {"actions", {"a", "b"}},
                                 {"count", 3},
                                 {"reason", "two words\nand a newline"}});
  log.start_invocation("req-2");
  log.debug("hidden");
  log.warn("second");
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  EXPECT_NE(lines[0].find("\t-\tINFO\tbefore any invocation"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].front(), '2') << "starts with the RFC 3339 time: " << lines[0];
  EXPECT_NE(lines[1].find("\treq-1\tINFO\tinbound processed\tcold_start=true"), std::string::npos)
      << lines[1];
  EXPECT_NE(lines[1].find("\tphone=+1425***0199"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[1].find("4255550199"), std::string::npos) << "masked";
  EXPECT_NE(lines[1].find("\tintent=opt_out\t"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\tactions=[\"a\",\"b\"]"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\tcount=3"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("\treason=\"two words\\nand a newline\""), std::string::npos)
      << "quoted when it would be ambiguous or break the line: " << lines[1];
  EXPECT_NE(lines[2].find("\treq-2\tWARN\tsecond"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[2].find("cold_start"), std::string::npos) << lines[2];
  EXPECT_FALSE(json::accept(lines[1])) << "plain text, not JSON";
}

TEST(LogFormatControl, TextNeverThrowsOnInvalidUtf8) {
  std::ostringstream out;
  Logger log("f", LogLevel::kInfo, out, LogFormat::kText);
  EXPECT_NO_THROW(log.info(std::string("bad \xff message"), {{"reason", std::string("bad \xff")}}));
  EXPECT_EQ(lines_of(out.str()).size(), 1u);
}

}  // namespace
