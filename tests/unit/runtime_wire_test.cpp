// The Runtime API wire pieces the loop builds by hand (runtime/wire.hpp).
#include "runtime/wire.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "runtime/runtime.hpp"

namespace {

using runtime::ErrorReport;

TEST(RuntimeWire, JsonQuoteEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(runtime::json_quote("plain"), R"("plain")");
  EXPECT_EQ(runtime::json_quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(runtime::json_quote("line\nnext\ttab\r"), R"("line\nnext\ttab\r")");
  EXPECT_EQ(runtime::json_quote(std::string("nul\0x", 5)), R"("nul\u0000x")");
  EXPECT_EQ(runtime::json_quote("\x1f"), R"("\u001f")");
}

TEST(RuntimeWire, JsonQuoteKeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(runtime::json_quote("h\xc3\xa9llo \xf0\x9f\x93\xb1"), "\"h\xc3\xa9llo \xf0\x9f\x93\xb1\"");
  EXPECT_EQ(runtime::json_quote("bad\xff"), R"("bad\ufffd")");
  EXPECT_EQ(runtime::json_quote("\xc0\xaf"), R"("\ufffd\ufffd")");      // overlong '/'
  EXPECT_EQ(runtime::json_quote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // UTF-16 surrogate
  EXPECT_EQ(runtime::json_quote("cut\xe2\x82"), R"("cut\ufffd\ufffd")");  // truncated euro sign
}

TEST(RuntimeWire, ErrorDocumentHasTheThreeRuntimeApiFields) {
  EXPECT_EQ(runtime::error_document(ErrorReport{"Probe.Failure", "said \"no\""}),
            R"({"errorMessage":"said \"no\"","errorType":"Probe.Failure","stackTrace":[]})");
}

ErrorReport describe(const std::function<void()>& thrower) {
  try {
    thrower();
  } catch (...) {
    return runtime::describe_current_exception();
  }
  return {};
}

TEST(RuntimeWire, DescribeNamesFunctionErrorsStdExceptionsAndOthers) {
  const auto function_error = describe([] { throw runtime::FunctionError("Sms.Throttled", "slow down"); });
  EXPECT_EQ(function_error.type, "Sms.Throttled");
  EXPECT_EQ(function_error.message, "slow down");

  const auto std_error = describe([] { throw std::out_of_range("index 7"); });
  EXPECT_EQ(std_error.type, "std::out_of_range");
  EXPECT_EQ(std_error.message, "index 7");

  const auto other = describe([] { throw 42; });
  EXPECT_EQ(other.type, "Runtime.Unknown");
  EXPECT_EQ(other.message, "non-standard exception of type int");
}

TEST(RuntimeWire, ParseDeadlineAcceptsOnlyPlainEpochMilliseconds) {
  const auto deadline = runtime::parse_deadline_ms("1700000000123");
  ASSERT_TRUE(deadline.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(deadline->time_since_epoch()).count(),
            1700000000123);
  EXPECT_FALSE(runtime::parse_deadline_ms("").has_value());
  EXPECT_FALSE(runtime::parse_deadline_ms("-5").has_value());
  EXPECT_FALSE(runtime::parse_deadline_ms("17e11").has_value());
  EXPECT_FALSE(runtime::parse_deadline_ms("1234567890123456").has_value());  // overflows the clock
}

// Issue 10, fuzzing finding 2 (UBSan): 15 digits were accepted, but from 9223372036855 ms the
// conversion to system_clock (nanoseconds) overflowed. A deadline the clock cannot hold is absent.
TEST(RuntimeWire, Finding2_ParseDeadlineRefusesWhatTheClockCannotHold) {
  const auto last = runtime::parse_deadline_ms("9223372036854");  // 2262-04-11T23:47:16.854Z
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(last->time_since_epoch()).count(),
            9223372036854);
  EXPECT_FALSE(runtime::parse_deadline_ms("9223372036855").has_value());
  EXPECT_FALSE(runtime::parse_deadline_ms("999999999999999").has_value());
  EXPECT_TRUE(runtime::parse_deadline_ms("0").has_value());
}

TEST(RuntimeInvocation, RemainingTimeIsNeverNegative) {
  runtime::Invocation past;
  past.deadline = std::chrono::system_clock::now() - std::chrono::seconds(5);
  EXPECT_EQ(past.remaining_time().count(), 0);

  runtime::Invocation future;
  future.deadline = std::chrono::system_clock::now() + std::chrono::seconds(3);
  EXPECT_GT(future.remaining_time().count(), 2900);
  EXPECT_LE(future.remaining_time().count(), 3000);
}

TEST(RuntimeRun, WithoutRuntimeApiAddressReturnsFailure) {
  ::unsetenv("AWS_LAMBDA_RUNTIME_API");
  bool init_called = false;
  EXPECT_EQ(runtime::run([&]() -> runtime::Handler {
              init_called = true;
              return [](const runtime::Invocation&) { return std::string("{}"); };
            }),
            1);
  EXPECT_FALSE(init_called);
}

}  // namespace
