// The scaffold end to end (scaffold/function.hpp): the real static bootstraps under the Runtime
// API emulator against the local stack. The deadline reserve: with the SMS endpoint hanging (a
// local socket that takes connections and never answers) and a short function timeout, a function
// stops its own AWS calls early enough to report, instead of being killed at the timeout with no
// log line, metric or error saying why. And Lambda's logging controls reaching the function.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "tests/integration/test_support.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using test_support::fresh_id;
using test_support::fresh_number;
using test_support::shell_quote;

// A TCP endpoint that completes connections (the kernel's backlog does) and never reads or
// answers: an AWS endpoint that hangs.
class HangingEndpoint {
 public:
  HangingEndpoint() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 64) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~HangingEndpoint() { ::close(fd_); }
  HangingEndpoint(const HangingEndpoint&) = delete;
  HangingEndpoint& operator=(const HangingEndpoint&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// What one run of a bootstrap under the emulator gave: its result lines and what the function
// wrote (logs and EMF, relayed by the emulator on stderr), split into lines.
struct BootstrapRun {
  std::vector<json> results;
  std::vector<std::string> log;
  std::string log_text;

  // The log lines that parse as JSON objects.
  std::vector<json> json_lines() const {
    std::vector<json> out;
    for (const auto& line : log) {
      if (json::accept(line)) {
        auto j = json::parse(line);
        if (j.is_object()) out.push_back(std::move(j));
      }
    }
    return out;
  }
  // The first EMF line (one carrying _aws.CloudWatchMetrics), or null.
  json emf() const {
    for (const auto& j : json_lines()) {
      if (j.contains("_aws")) return j;
    }
    return nullptr;
  }
};

BootstrapRun run_bootstrap(const std::string& bootstrap, const json& event, double timeout_s,
                           const std::vector<std::string>& env) {
  const std::string path = fs::temp_directory_path() / (fresh_id("scaffold-event") + ".json");
  std::ofstream(path) << event.dump();
  std::ostringstream timeout;
  timeout << timeout_s;
  std::string cmd = std::string(SMSC_EMULATOR) + " --output json --timeout " + timeout.str() +
                    " --env-file " + shell_quote(std::string(SMSC_STACK_DIR) + "/env");
  for (const auto& e : env) cmd += " --env " + shell_quote(e);
  cmd +=
      " " + shell_quote(bootstrap) + " " + shell_quote(path) + " 2>" + shell_quote(path + ".log");
  BootstrapRun run;
  std::istringstream out(test_support::run_command(cmd));
  for (std::string line; std::getline(out, line);) {
    if (!line.empty()) run.results.push_back(json::parse(line));
  }
  std::ifstream log(path + ".log");
  run.log_text.assign(std::istreambuf_iterator<char>(log), {});
  std::istringstream lines(run.log_text);
  for (std::string line; std::getline(lines, line);) run.log.push_back(line);
  fs::remove(path);
  fs::remove(path + ".log");
  return run;
}

json sns_event(const std::string& phone, const std::string& body) {
  const json message = {{"originationNumber", phone},
                        {"destinationNumber", "+12065550100"},
                        {"messageKeyword", "KEYWORD_123456789012"},
                        {"messageBody", body},
                        {"inboundMessageId", fresh_id("in")}};
  return {{"Records",
           {{{"EventSource", "aws:sns"},
             {"EventVersion", "1.0"},
             {"Sns",
              {{"Type", "Notification"},
               {"MessageId", fresh_id("sns")},
               {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
               {"Message", message.dump()},
               {"Timestamp", common::format_rfc3339(common::now_ms())}}}}}}};
}

const std::vector<std::string> kSmsInboundEnv = {
    "PROGRAM_NAME=Acme Dental", "HELP_CONTACT=help@acme.example", "AWS_MAX_ATTEMPTS=2"};

// The finding: under a Runtime API emulator, with the SMS endpoint hanging, sms-inbound
// was killed at its timeout. With the reserve (3 s timeout: 500 ms), the send gives up at 2.5 s,
// the record fails, and the invocation reports RecordsFailed itself, with a log line naming the
// failure and the RecordFailures metric. Without the reserve the call would run to the deadline
// and the emulator would report "timeout".
TEST(Reserve, SmsInboundFailsTheRecordItselfWhenSmsHangs) {
  HangingEndpoint sms;
  auto env = kSmsInboundEnv;
  env.push_back("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=" + sms.url());
  const BootstrapRun run =
      run_bootstrap(SMSC_SMS_INBOUND, sns_event(fresh_number(), "HELP"), 3, env);
  ASSERT_EQ(run.results.size(), 1u) << run.log_text;
  const json& result = run.results[0];
  EXPECT_EQ(result["status"], "error") << result.dump() << "\n" << run.log_text;
  EXPECT_EQ(result["error"]["errorType"], "RecordsFailed") << result.dump();
  EXPECT_LT(result["duration_ms"].get<double>(), 3000) << "reported before Lambda's deadline";
  EXPECT_GE(result["duration_ms"].get<double>(), 2000)
      << "the SMS call was given the time there was, up to the reserve";
  bool failure_logged = false;
  for (const auto& line : run.json_lines()) {
    if (line.value("message", "") ==
        "record failed; the invocation will fail so Lambda retries it") {
      failure_logged = true;
      EXPECT_EQ(line["level"], "ERROR");
      EXPECT_FALSE(line.value("error", "").empty()) << line.dump();
    }
  }
  EXPECT_TRUE(failure_logged) << run.log_text;
  const json emf = run.emf();
  ASSERT_TRUE(emf.is_object()) << "the metrics went out: " << run.log_text;
  EXPECT_EQ(emf["RecordFailures"], 1) << emf.dump();
}

// Same endpoint for opt-out-api (15 s in Terraform, 3 s here): the opt-out is recorded, the list
// update gives up at the reserve, and the caller gets its answer (pending) in time.
TEST(Reserve, OptOutApiAnswersWhenSmsHangs) {
  HangingEndpoint sms;
  const std::string phone = fresh_number();
  json event =
      json::parse(std::ifstream(std::string(SMSC_OPT_OUT_API_EVENTS) + "/opt-out-email.json"));
  event["body"] = json{{"phone_number", phone}, {"channel", "email"}}.dump();
  const BootstrapRun run =
      run_bootstrap(SMSC_OPT_OUT_API, event, 3,
                    {"AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=" + sms.url(), "AWS_MAX_ATTEMPTS=2"});
  ASSERT_EQ(run.results.size(), 1u) << run.log_text;
  const json& result = run.results[0];
  ASSERT_EQ(result["status"], "success") << result.dump() << "\n" << run.log_text;
  EXPECT_LT(result["duration_ms"].get<double>(), 3000);
  const json response = result["response"];
  EXPECT_EQ(response["statusCode"], 200) << response.dump();
  const json body = json::parse(response["body"].get<std::string>());
  EXPECT_EQ(body["status"], "pending") << body.dump();
  ASSERT_TRUE(run.emf().is_object()) << run.log_text;
  EXPECT_EQ(run.emf()["OptOutSyncFailures"], 1);
}

// AWS_LAMBDA_LOG_FORMAT=Text and AWS_LAMBDA_LOG_LEVEL=DEBUG reach the function: plain lines,
// DEBUG ones included (the scaffold's per-invocation line with its reserve), metrics still EMF.
TEST(LoggingControls, TextFormatAndDebugLevel) {
  auto env = kSmsInboundEnv;
  env.push_back("AWS_LAMBDA_LOG_FORMAT=Text");
  env.push_back("AWS_LAMBDA_LOG_LEVEL=DEBUG");
  const BootstrapRun run =
      run_bootstrap(SMSC_SMS_INBOUND, sns_event(fresh_number(), "HELP"), 20, env);
  ASSERT_EQ(run.results.size(), 1u) << run.log_text;
  EXPECT_EQ(run.results[0]["status"], "success") << run.log_text;
  bool debug_line = false, info_line = false;
  for (const auto& line : run.log) {
    if (line.find("\tDEBUG\tinvocation\t") != std::string::npos) {
      debug_line = true;
      // 20 s less the moments before the handler starts: a reserve of (just under) 1 s.
      const auto at = line.find("reserve_ms=");
      ASSERT_NE(at, std::string::npos) << line;
      const int reserve_ms = std::stoi(line.substr(at + 11));
      EXPECT_GE(reserve_ms, 950) << line;
      EXPECT_LE(reserve_ms, 1000) << line;
      EXPECT_NE(line.find("cold_start=true"), std::string::npos) << line;
    }
    if (line.find("\tINFO\tinbound processed\t") != std::string::npos) info_line = true;
  }
  EXPECT_TRUE(debug_line) << run.log_text;
  EXPECT_TRUE(info_line) << run.log_text;
  ASSERT_TRUE(run.emf().is_object()) << "EMF stays JSON in the Text format: " << run.log_text;
  EXPECT_EQ(run.emf()["HelpRequests"], 1);
}

// AWS_LAMBDA_LOG_LEVEL=WARN: no INFO line (the "init" and "inbound processed" ones), the
// metrics still written, at a level Lambda's filter keeps.
TEST(LoggingControls, WarnLevelDropsInfoLines) {
  auto env = kSmsInboundEnv;
  env.push_back("AWS_LAMBDA_LOG_LEVEL=WARN");
  const BootstrapRun run =
      run_bootstrap(SMSC_SMS_INBOUND, sns_event(fresh_number(), "HELP"), 20, env);
  ASSERT_EQ(run.results.size(), 1u) << run.log_text;
  EXPECT_EQ(run.results[0]["status"], "success") << run.log_text;
  for (const auto& line : run.json_lines()) {
    EXPECT_NE(line.value("level", ""), "INFO") << line.dump();
  }
  ASSERT_TRUE(run.emf().is_object()) << run.log_text;
  EXPECT_EQ(run.emf()["level"], "WARN") << "so Lambda's WARN filter keeps the metrics";
}

}  // namespace
