// The runtime loop (runtime/) end to end: the static probe bootstrap under
// lambda-emulator, observed through the emulator's --output json lines.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct EmulatorRun {
  int exit_code = -1;
  std::vector<json> lines;  // one per invocation
  std::string raw;
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class RuntimeEmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("runtime-emulator-test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_file(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  // Runs the emulator on `bootstrap` with one event file per entry of `events`;
  // `shell_tail` is appended to the command line (e.g. "< file").
  EmulatorRun run(const std::string& options, const std::vector<std::string>& events,
                  const std::string& bootstrap = SMSC_PROBE, const std::string& shell_tail = "") {
    std::string command = std::string(SMSC_EMULATOR) + " --output json " + options + " " + bootstrap;
    for (std::size_t i = 0; i < events.size(); ++i) {
      command.append(" ").append(write_file("event" + std::to_string(i) + ".json", events[i]));
    }
    command += " " + shell_tail;
    EmulatorRun result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.raw.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::istringstream lines(result.raw);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) result.lines.push_back(json::parse(line, nullptr, false));
    }
    return result;
  }

  fs::path dir_;
};

TEST_F(RuntimeEmulatorTest, EchoSucceedsOnAColdStart) {
  const auto r = run("", {R"({"action":"echo","n":42,"text":"h\u00e9llo"})"});
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.lines[0]["status"], "success");
  EXPECT_EQ(r.lines[0]["cold_start"], true);
  EXPECT_EQ(r.lines[0]["response"], json::parse(R"({"action":"echo","n":42,"text":"h\u00e9llo"})"));
  EXPECT_TRUE(r.lines[0].contains("init_duration_ms"));
}

TEST_F(RuntimeEmulatorTest, FunctionErrorSendsTypeHeaderAndErrorDocument) {
  const auto r = run("", {R"({"action":"throw"})", R"({"action":"throw_std"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.lines[0]["status"], "error");
  EXPECT_EQ(r.lines[0]["error"]["errorType"], "Probe.Failure");
  EXPECT_EQ(r.lines[0]["error"]["errorMessage"], "boom");
  EXPECT_EQ(r.lines[0]["error"]["header_error_type"], "Probe.Failure");
  // A std exception is named by its demangled class; the process survives it.
  EXPECT_EQ(r.lines[1]["status"], "error");
  EXPECT_EQ(r.lines[1]["error"]["errorType"], "std::runtime_error");
  EXPECT_EQ(r.lines[1]["error"]["errorMessage"], "standard boom");
  EXPECT_EQ(r.lines[1]["error"]["header_error_type"], "std::runtime_error");
  EXPECT_EQ(r.lines[1]["cold_start"], false);
}

TEST_F(RuntimeEmulatorTest, InitErrorIsReportedAndStopsTheRun) {
  const auto r = run("--env PROBE_INIT_FAIL=1", {R"({"action":"echo"})", R"({"action":"echo"})"});
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.lines[0]["status"], "init_error");
  EXPECT_EQ(r.lines[0]["error"]["errorType"], "Probe.InitFailure");
  EXPECT_EQ(r.lines[0]["error"]["errorMessage"], "init failed on purpose");
  EXPECT_EQ(r.lines[0]["error"]["header_error_type"], "Probe.InitFailure");
}

TEST_F(RuntimeEmulatorTest, DeadlineAndRemainingTimeFollowTheTimeout) {
  const auto before = now_ms();
  const auto r = run("--timeout 3 --client-context '{\"custom\":{\"k\":\"v\"}}'",
                     {R"({"action":"context"})"});
  const auto after = now_ms();
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  const json& c = r.lines[0]["response"];
  EXPECT_GT(c["remaining_ms"].get<std::int64_t>(), 0);
  EXPECT_LE(c["remaining_ms"].get<std::int64_t>(), 3000);
  EXPECT_GE(c["deadline_ms"].get<std::int64_t>(), before + 3000 - 5);
  EXPECT_LE(c["deadline_ms"].get<std::int64_t>(), after + 3000);
  EXPECT_EQ(c["request_id"], r.lines[0]["request_id"]);
  EXPECT_TRUE(c["function_arn"].get<std::string>().starts_with("arn:aws:lambda:"));
  EXPECT_TRUE(c["function_arn"].get<std::string>().ends_with(":function:runtime-probe"));
  EXPECT_EQ(c["client_context"], R"({"custom":{"k":"v"}})");
}

TEST_F(RuntimeEmulatorTest, FixedTraceIdIsExportedToEveryInvocation) {
  const std::string trace = "Root=1-5f84c7a5-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1";
  const auto r = run("--trace-id '" + trace + "'", {R"({"action":"context"})", R"({"action":"context"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.lines[0]["response"]["trace_env"], trace);
  EXPECT_EQ(r.lines[1]["response"]["trace_env"], trace);
}

TEST_F(RuntimeEmulatorTest, FreshTraceIdPerInvocation) {
  const auto r = run("", {R"({"action":"context"})", R"({"action":"context"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  const std::regex xray(R"(Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0)");
  const std::string first = r.lines[0]["response"]["trace_env"];
  const std::string second = r.lines[1]["response"]["trace_env"];
  EXPECT_TRUE(std::regex_match(first, xray)) << first;
  EXPECT_EQ(r.lines[0]["response"]["trace_header"], first);
  EXPECT_NE(first, second);
  EXPECT_NE(r.lines[0]["request_id"], r.lines[1]["request_id"]);
}

TEST_F(RuntimeEmulatorTest, WarmProcessServesSeveralEvents) {
  const auto r = run("", {R"({"action":"whoami"})", R"({"action":"whoami"})", R"({"action":"whoami"})"});
  ASSERT_EQ(r.lines.size(), 3u) << r.raw;
  EXPECT_EQ(r.exit_code, 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.lines[i]["response"]["pid"], r.lines[0]["response"]["pid"]);
    EXPECT_EQ(r.lines[i]["response"]["count"], i + 1);
    EXPECT_EQ(r.lines[i]["cold_start"], i == 0);
  }
}

TEST_F(RuntimeEmulatorTest, TimeoutKillsTheProcessAndTheNextEventColdStarts) {
  const auto r = run("--timeout 1", {R"({"action":"whoami"})", R"({"action":"sleep","ms":5000})",
                                     R"({"action":"whoami"})"});
  ASSERT_EQ(r.lines.size(), 3u) << r.raw;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.lines[1]["status"], "timeout");
  EXPECT_NE(r.lines[1]["error"]["errorMessage"].get<std::string>().find("Task timed out after 1.00 seconds"),
            std::string::npos);
  EXPECT_EQ(r.lines[2]["status"], "success");
  EXPECT_EQ(r.lines[2]["cold_start"], true);
  EXPECT_EQ(r.lines[2]["response"]["count"], 1);
  EXPECT_NE(r.lines[2]["response"]["pid"], r.lines[0]["response"]["pid"]);
}

TEST_F(RuntimeEmulatorTest, ServerErrorOnNextEndsTheRuntimePromptly) {
  const auto r = run("--fail-next-after 1", {R"({"action":"echo"})", R"({"action":"echo"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.lines[0]["status"], "success");
  EXPECT_EQ(r.lines[1]["status"], "runtime_exit");
  EXPECT_EQ(r.lines[1]["exited"], true);
  EXPECT_EQ(r.lines[1]["exit_code"], 1);
  EXPECT_LT(r.lines[1]["duration_ms"].get<double>(), 1000.0);
}

TEST_F(RuntimeEmulatorTest, CrashIsReportedAndTheNextEventColdStarts) {
  const auto r = run("", {R"({"action":"crash"})", R"({"action":"whoami"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.lines[0]["status"], "crash");
  EXPECT_EQ(r.lines[0]["exit_code"], 3);
  EXPECT_EQ(r.lines[0]["error"]["errorType"], "Runtime.ExitError");
  EXPECT_EQ(r.lines[1]["status"], "success");
  EXPECT_EQ(r.lines[1]["cold_start"], true);
}

TEST_F(RuntimeEmulatorTest, ResponseOverSixMegabytesBecomesAnError) {
  const auto r = run("", {R"({"action":"big"})", R"({"action":"whoami"})"});
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.lines[0]["status"], "error");
  EXPECT_EQ(r.lines[0]["error"]["errorType"], "Function.ResponseSizeTooLarge");
  EXPECT_EQ(r.lines[0]["error"]["header_error_type"], "Function.ResponseSizeTooLarge");
  EXPECT_EQ(r.lines[1]["status"], "success");
}

TEST_F(RuntimeEmulatorTest, FunctionGetsLambdaEnvironmentNotTheCallers) {
  const std::string env_file = write_file("vars.env", "# comment\n\nPROBE_FILE=from-file\nPROBE_EXTRA=file\n");
  ::setenv("HOME", "/root", 1);
  const auto r = run("--region eu-west-3 --memory 256 --env-file " + env_file + " --env PROBE_EXTRA=cli",
                     {R"({"action":"env"})"});
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  const json& env = r.lines[0]["response"];
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_NAME"], "runtime-probe");
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256");
  EXPECT_EQ(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/runtime-probe");
  EXPECT_EQ(env["AWS_REGION"], "eu-west-3");
  EXPECT_EQ(env["TZ"], ":UTC");
  EXPECT_EQ(env["HOME"], nullptr);
  EXPECT_EQ(env["PROBE_FILE"], "from-file");
  EXPECT_EQ(env["PROBE_EXTRA"], "cli");
  EXPECT_EQ(env["LAMBDA_TASK_ROOT"], fs::path(SMSC_PROBE).parent_path().string());
  EXPECT_EQ(env["cwd"], env["LAMBDA_TASK_ROOT"]);
  EXPECT_TRUE(env["AWS_LAMBDA_RUNTIME_API"].get<std::string>().starts_with("127.0.0.1:"));
}

TEST_F(RuntimeEmulatorTest, NowPlaceholderBecomesCurrentUtcTime) {
  const auto r = run("", {R"({"action":"echo","Timestamp":"{{now}}"})"});
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  const std::string stamp = r.lines[0]["response"]["Timestamp"];
  EXPECT_TRUE(std::regex_match(stamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << stamp;
}

TEST_F(RuntimeEmulatorTest, StdinJsonLinesAreSeveralEvents) {
  const std::string lines = write_file("events.jsonl", "{\"action\":\"whoami\"}\n\n{\"action\":\"whoami\"}\n");
  const auto r = run("", {}, SMSC_PROBE, std::string("- < ").append(lines));
  ASSERT_EQ(r.lines.size(), 2u) << r.raw;
  EXPECT_EQ(r.lines[1]["response"]["count"], 2);
}

TEST_F(RuntimeEmulatorTest, InvalidEventIsAUsageError) {
  const auto r = run("", {R"({"action":)"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_TRUE(r.lines.empty());
}

TEST_F(RuntimeEmulatorTest, TextOutputPrintsBodiesAndErrors) {
  const std::string events[] = {write_file("a.json", R"({"action":"whoami"})"),
                                write_file("b.json", R"({"action":"throw"})")};
  FILE* pipe = ::popen((std::string(SMSC_EMULATOR) + " " + SMSC_PROBE + " " + events[0] + " " +
                        events[1]).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(^\{"pid":\d+,"count":1\}\nERROR Probe.Failure: boom\n$)")))
      << out;
}

TEST_F(RuntimeEmulatorTest, ChrootRunsTheBootstrapInsideDir) {
  if (::geteuid() != 0) GTEST_SKIP() << "--chroot needs root";
  const fs::path task = dir_ / "root" / "var" / "task";
  fs::create_directories(task);
  fs::copy_file(SMSC_PROBE, task / "bootstrap");
  const auto r = run(std::string("--chroot ").append((dir_ / "root").string()), {R"({"action":"env"})"},
                     "/var/task/bootstrap");
  ASSERT_EQ(r.lines.size(), 1u) << r.raw;
  EXPECT_EQ(r.lines[0]["response"]["LAMBDA_TASK_ROOT"], "/var/task");
  EXPECT_EQ(r.lines[0]["response"]["cwd"], "/var/task");
  EXPECT_EQ(r.lines[0]["response"]["AWS_LAMBDA_FUNCTION_NAME"], "task");
}

}  // namespace
