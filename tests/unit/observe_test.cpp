// Structured logs (masking) and CloudWatch Embedded Metric Format lines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"

namespace {

using common::observe::Logger;
using common::observe::LogLevel;
using common::observe::mask_phone_numbers;
using common::observe::Metrics;
using json = nlohmann::json;

// Guide: "Logs never carry a full phone number ... Mask numbers like +1425***1234".
TEST(MaskPhoneNumbers, MasksEveryE164Run) {
  EXPECT_EQ(mask_phone_numbers("from +14255551234 to +442079460958"),
            "from +1425***1234 to +4420***0958");
  EXPECT_EQ(mask_phone_numbers("\"+14255551234\""), "\"+1425***1234\"");
}

TEST(MaskPhoneNumbers, LeavesOtherNumbersAlone) {
  EXPECT_EQ(mask_phone_numbers("epoch 1795247046388, +1425***1234, +7 items, +1234567"),
            "epoch 1795247046388, +1425***1234, +7 items, +1234567");
}

// Found by the long fuzz runs of sms_inbound_handler and opt_out_api_routes: an AWS error
// message echoing a body carried the sender's number glued to other digits
// ("...2142555501013456789012...", "+120655501232065550123"), runs longer than any phone number,
// which were printed whole. Runs of more than 15 digits are masked too.
TEST(MaskPhoneNumbers, MasksRunsLongerThanAnyNumberThatMayHoldOne) {
  EXPECT_EQ(mask_phone_numbers("Ex2142555501013456789012"), "Ex2142***9012");
  EXPECT_EQ(mask_phone_numbers("\"+120655501232065550123\""), "\"+1206***0123\"");
  const std::string masked = mask_phone_numbers("id 9914255550101");  // 16 digits
  EXPECT_EQ(masked, "id 9914***0101");
  EXPECT_EQ(masked.find("14255550101"), std::string::npos);
}

// Issue 10, fuzzing finding 6: only numbers starting with '+' were masked, so a bare
// 14255550199 printed whole. Runs of 10-15 digits are masked too, the same way (first digits,
// ***, last 4; at least 3 hidden).
TEST(MaskPhoneNumbers, Finding6_MasksBareRunsOfTenToFifteenDigits) {
  EXPECT_EQ(mask_phone_numbers("from 14255550199 to 4255550199"), "from 1425***0199 to 425***0199");
  EXPECT_EQ(mask_phone_numbers("\"phone\":\"442079460958\""), "\"phone\":\"4420***0958\"");
  EXPECT_EQ(mask_phone_numbers("n=861012345678901"), "n=8610***8901");  // 15 digits, E.164's maximum
  EXPECT_EQ(mask_phone_numbers("a\\n14255550199"), "a\\n1425***0199") << "after a JSON escape";
  EXPECT_EQ(mask_phone_numbers("account 123456789012"), "account 1234***9012")
      << "a 12-digit account id alone cannot be told from a number; it is masked";
  // Short '+' numbers keep at least 3 digits hidden as well.
  EXPECT_EQ(mask_phone_numbers("+12345678"), "+1***5678");
}

// The rule's exceptions, each of which no phone number can take: runs under 10 digits
// (durations, counts), epoch seconds and milliseconds until 2033-05-18
// (10 or 13 digits starting with 1: a NANP number has 11 with its country code 1, and its
// area code never starts with 1), the last group of a UUID (request and message ids) and the
// account id of an ARN (the caller identity opt-out-api logs).
TEST(MaskPhoneNumbers, Finding6_LeavesDurationsCountsTimestampsAndIdsAlone) {
  for (const char* kept :
       {"took 123456789 ms, 42 records", "ttl 1767225600 s",
        "at 1795247046388 ms", "now 2026-11-21T09:30:00.123Z",
        "requestId 8f2c1a7e-4b3d-4e5f-9a1b-123456789012", "1732950000.123",
        "\"caller\":\"arn:aws:sts::123456789012:assumed-role/crm-backend/crm\""}) {
    EXPECT_EQ(mask_phone_numbers(kept), kept);
  }
  // Runs over 15 digits used to be kept (not E.164); since a number can hide inside one
  // (MasksRunsLongerThanAnyNumberThatMayHoldOne) they are masked.
  EXPECT_EQ(mask_phone_numbers("id 1234567890123456"), "id 1234***3456");
  // Past 2033-05-18 an epoch value starts with 2 and is masked: the safe side.
  EXPECT_EQ(mask_phone_numbers("at 2000000000000"), "at 2000***0000");
}

TEST(Logger, WritesOneJsonLineWithRequestIdAndColdStart) {
  std::ostringstream out;
  Logger log("sms-inbound", LogLevel::kInfo, out);
  log.start_invocation("req-1");
  log.info("first", {{"phone", "+14255551234"}, {"bare", "14255551234"}});
  log.start_invocation("req-2");
  log.debug("hidden below INFO");
  log.warn("second");
  std::istringstream lines(out.str());
  std::string a, b, c;
  ASSERT_TRUE(std::getline(lines, a));
  ASSERT_TRUE(std::getline(lines, b));
  EXPECT_FALSE(std::getline(lines, c)) << "DEBUG must be filtered at INFO";
  json first = json::parse(a), second = json::parse(b);
  EXPECT_EQ(first["level"], "INFO");
  EXPECT_EQ(first["message"], "first");
  EXPECT_EQ(first["requestId"], "req-1");
  EXPECT_EQ(first["cold_start"], true);
  EXPECT_EQ(first["function"], "sms-inbound");
  EXPECT_EQ(first["phone"], "+1425***1234") << "the logger masks what a caller forgot to";
  EXPECT_EQ(first["bare"], "1425***1234") << "also without '+' (issue 10, finding 6)";
  EXPECT_EQ(second["level"], "WARN");
  EXPECT_EQ(second["requestId"], "req-2");
  EXPECT_EQ(second["cold_start"], false);
}

TEST(Logger, LevelFromEnvironment) {
  using common::aws::Environment;
  EXPECT_EQ(common::observe::log_level_from_environment(
                Environment::from_map({{"AWS_LAMBDA_LOG_LEVEL", "debug"}})),
            LogLevel::kDebug);
  EXPECT_EQ(common::observe::log_level_from_environment(
                Environment::from_map({{"LOG_LEVEL", "ERROR"}})),
            LogLevel::kError);
  EXPECT_EQ(common::observe::log_level_from_environment(Environment::from_map({})), LogLevel::kInfo);
}

TEST(Logger, InvalidUtf8DoesNotThrow) {
  std::ostringstream out;
  Logger log("f", LogLevel::kInfo, out);
  EXPECT_NO_THROW(log.info("x", {{"reason", std::string("bad \xff byte")}}));
  EXPECT_NO_THROW(json::parse(out.str()));
}

// EMF specification: _aws.Timestamp (epoch ms), CloudWatchMetrics[{Namespace, Dimensions, Metrics}],
// and each metric and dimension as a top-level member.
TEST(Metrics, FlushWritesOneEmfLineSummingValues) {
  std::ostringstream out;
  Metrics m("SmsCompliance", "sms-inbound", out);
  m.add("OptOuts", 1);
  m.add("OptOuts", 2);
  m.add("Latency", 12.5, "Milliseconds");
  m.set_property("requestId", "req-1");
  EXPECT_EQ(m.value("OptOuts"), 3);
  m.flush();
  json line = json::parse(out.str());
  EXPECT_EQ(line["OptOuts"], 3);
  EXPECT_EQ(line["Latency"], 12.5);
  EXPECT_EQ(line["FunctionName"], "sms-inbound");
  EXPECT_EQ(line["requestId"], "req-1");
  const json& directive = line["_aws"]["CloudWatchMetrics"][0];
  EXPECT_EQ(directive["Namespace"], "SmsCompliance");
  EXPECT_EQ(directive["Dimensions"], json::parse(R"([["FunctionName"]])"));
  EXPECT_EQ(directive["Metrics"].size(), 2u);
  EXPECT_TRUE(line["_aws"]["Timestamp"].is_number_integer());
  EXPECT_EQ(m.value("OptOuts"), 0) << "flush starts the next invocation from zero";
}

// Issue 10, fuzzing finding 4: every log and response dump uses a handler that cannot throw.
TEST(Metrics, Finding4_InvalidUtf8PropertyDoesNotThrow) {
  std::ostringstream out;
  Metrics metrics("Ns", "f", out);
  metrics.set_property("requestId", std::string("req-\xff"));
  metrics.add("Count", 1);
  EXPECT_NO_THROW(metrics.flush());
  EXPECT_EQ(json::parse(out.str())["requestId"], "req-\xef\xbf\xbd");
}

TEST(Metrics, FlushWithoutMetricsWritesNothing) {
  std::ostringstream out;
  Metrics m("SmsCompliance", "f", out);
  m.set_property("requestId", "r");
  m.flush();
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
