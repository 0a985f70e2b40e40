// The scaffold's pure pieces (scaffold/): the deadline reserve, the shared settings, and what
// Start does around each invocation (deadlines on the clients it built, request id, metrics).
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "scaffold/function.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/settings.hpp"

namespace {

using namespace std::chrono_literals;
using common::aws::Environment;
using Clock = std::chrono::system_clock;
using json = nlohmann::json;

TEST(Reserve, HalfASecondAtLeastAFifthOfTheBudgetUpToFiveSeconds) {
  EXPECT_EQ(scaffold::reserve_for(3000ms), 500ms);
  EXPECT_EQ(scaffold::reserve_for(15000ms), 750ms);    // opt-out-api's timeout
  EXPECT_EQ(scaffold::reserve_for(60000ms), 3000ms);   // sms-inbound's
  EXPECT_EQ(scaffold::reserve_for(600000ms), 5000ms);  // reminders': capped
  EXPECT_EQ(scaffold::reserve_for(300ms), 300ms) << "never more than what is left";
  EXPECT_EQ(scaffold::reserve_for(0ms), 0ms);
  EXPECT_EQ(scaffold::reserve_for(-5ms), 0ms);
}

TEST(Reserve, TheHandlersDeadlineIsLambdasMinusTheReserve) {
  const auto now = Clock::now();
  runtime::Invocation raw;
  raw.request_id = "req-1";
  raw.payload = "{}";
  raw.deadline = now + 10s;
  const auto invocation = scaffold::Invocation::with_reserve(raw, now, true);
  EXPECT_EQ(invocation.lambda_deadline, raw.deadline);
  EXPECT_EQ(invocation.deadline, raw.deadline - 500ms);
  EXPECT_TRUE(invocation.cold_start);
  EXPECT_EQ(invocation.request_id, "req-1");
  EXPECT_EQ(invocation.payload, "{}");
  EXPECT_LE(invocation.remaining_time(), 9500ms) << "counts down to the reserved deadline";

  runtime::Invocation no_deadline;
  const auto unbounded = scaffold::Invocation::with_reserve(no_deadline, now, false);
  EXPECT_EQ(unbounded.deadline, Clock::time_point::max()) << "nothing to reserve from";

  const scaffold::Invocation direct = raw;  // a test calling a handler itself: no reserve
  EXPECT_EQ(direct.deadline, raw.deadline);
  EXPECT_EQ(direct.lambda_deadline, raw.deadline);
}

TEST(Settings, ReadsExactlyWhatTheFunctionUses) {
  const auto env = Environment::from_map({{"CONTACTS_TABLE", "contacts"},
                                          {"MESSAGE_LOG_TABLE", "log"},
                                          {"APPOINTMENTS_TABLE", "appointments"},
                                          {"PROGRAM_NAME", "Acme"},
                                          {"METRICS_NAMESPACE", "Ns"}});
  common::aws::SettingsReader reader(env);
  const auto s = scaffold::read_settings(reader,
                                         {.contacts_table = scaffold::Use::kRequired,
                                          .message_log_table = scaffold::Use::kOptional,
                                          .configuration_set_name = scaffold::Use::kOptional},
                                         "fn");
  EXPECT_NO_THROW(reader.check("fn"));
  EXPECT_EQ(s.contacts_table, "contacts");
  EXPECT_EQ(s.message_log_table, "log");
  EXPECT_EQ(s.configuration_set_name, "") << "optional and unset";
  EXPECT_EQ(s.appointments_table, "") << "set, but not used by this function";
  EXPECT_EQ(s.program_name, "");
  EXPECT_EQ(s.metrics_namespace, "Ns");
  EXPECT_EQ(s.function_name, "fn") << "AWS_LAMBDA_FUNCTION_NAME unset: the name in main.cpp";
}

TEST(Settings, EveryMissingRequiredSettingInOneInitError) {
  const auto env = Environment::from_map({{"AWS_LAMBDA_FUNCTION_NAME", "prod-fn"}});
  common::aws::SettingsReader reader(env);
  scaffold::Settings s;
  scaffold::read_settings(reader,
                          {.contacts_table = scaffold::Use::kRequired,
                           .origination_identity = scaffold::Use::kRequired,
                           .opt_out_list_name = scaffold::Use::kOptional},
                          "fn", s);
  EXPECT_EQ(s.function_name, "prod-fn");
  EXPECT_EQ(s.metrics_namespace, "SmsCompliance");
  try {
    reader.check("fn");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "fn configuration: CONTACTS_TABLE is required; ORIGINATION_IDENTITY is required");
  }
}

Environment aws_env(std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> env = {{"AWS_REGION", "us-east-1"},
                                            {"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                            {"AWS_SECRET_ACCESS_KEY", "secret"},
                                            {"AWS_ENDPOINT_URL", "http://127.0.0.1:9"}};
  env.insert(extra.begin(), extra.end());
  return Environment::from_map(env);
}

// Before each invocation the clients the function asked for get the reserved deadline (handlers
// never set or read it), the logger the request id and cold start, the metrics the requestId;
// after it, what the handler did not flush is flushed.
TEST(Start, BeginAndEndAroundEachInvocation) {
  std::ostringstream out;
  scaffold::Start start("fn", aws_env({{"METRICS_NAMESPACE", "Ns"}}), out);
  auto& db = start.dynamodb();
  EXPECT_EQ(&db, &start.dynamodb()) << "built once";
  EXPECT_EQ(db.transport().deadline(), Clock::time_point::max());

  runtime::Invocation raw;
  raw.request_id = "req-1";
  raw.deadline = Clock::now() + 20s;
  const auto first = start.begin(raw);
  EXPECT_TRUE(first.cold_start);
  EXPECT_EQ(db.transport().deadline(), first.deadline);
  // A budget of just under 20 s (begin() runs a moment after the deadline was set): ~1 s.
  EXPECT_LE(first.deadline, raw.deadline - 999ms);
  EXPECT_GE(first.deadline, raw.deadline - 1s);
  EXPECT_EQ(start.logger().request_id(), "req-1");
  EXPECT_TRUE(start.logger().cold_start());
  start.metrics().add("Things", 2);
  start.end();
  const json emf = json::parse(out.str());
  EXPECT_EQ(emf["Things"], 2);
  EXPECT_EQ(emf["requestId"], "req-1");
  EXPECT_EQ(emf["FunctionName"], "fn");
  EXPECT_EQ(emf["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Ns");

  out.str("");
  auto& sms = start.sms();  // asked for later: the next invocation sets its deadline too
  raw.request_id = "req-2";
  raw.deadline = Clock::now() + 3s;
  const auto second = start.begin(raw);
  EXPECT_FALSE(second.cold_start);
  EXPECT_FALSE(start.logger().cold_start());
  EXPECT_EQ(sms.transport().deadline(), second.deadline);
  EXPECT_EQ(db.transport().deadline(), second.deadline);
  start.end();
  EXPECT_EQ(out.str(), "") << "no metric added: no EMF line";
}

TEST(Start, LoggerFollowsTheLoggingControls) {
  std::ostringstream out;
  scaffold::Start start(
      "fn", aws_env({{"AWS_LAMBDA_LOG_LEVEL", "WARN"}, {"AWS_LAMBDA_LOG_FORMAT", "Text"}}), out);
  EXPECT_EQ(start.logger().min_level(), common::observe::LogLevel::kWarn);
  EXPECT_EQ(start.logger().format(), common::observe::LogFormat::kText);
  start.logger().info("dropped");
  start.logger().warn("kept");
  EXPECT_EQ(out.str().find("dropped"), std::string::npos);
  EXPECT_NE(out.str().find("\tWARN\tkept"), std::string::npos) << out.str();
}

// Lambda drops a JSON line without a level (read as INFO) when the function's level is WARN or
// above: the EMF lines then carry that level, so the metrics and their alarms survive.
TEST(Start, MetricsSurviveAQuieterLogLevel) {
  for (const std::string level : {"WARN", "ERROR", "FATAL", "INFO", "DEBUG"}) {
    std::ostringstream out;
    scaffold::Start start("fn", aws_env({{"AWS_LAMBDA_LOG_LEVEL", level}}), out);
    start.metrics().add("Things", 1);
    start.metrics().flush();
    const json emf = json::parse(out.str());
    if (level == "INFO" || level == "DEBUG") {
      EXPECT_FALSE(emf.contains("level")) << level << ": kept as INFO anyway";
    } else {
      EXPECT_EQ(emf["level"], level);
    }
  }
}

TEST(Start, FunctionNameFromLambda) {
  std::ostringstream out;
  scaffold::Start start("fn", aws_env({{"AWS_LAMBDA_FUNCTION_NAME", "prod-fn"}}), out);
  EXPECT_EQ(start.function_name(), "prod-fn");
}

TEST(Start, ABadClientSettingIsAnInitError) {
  std::ostringstream out;
  scaffold::Start start("fn", Environment::from_map({}), out);
  EXPECT_THROW(start.dynamodb(), std::invalid_argument) << "no AWS_REGION";
}

}  // namespace
