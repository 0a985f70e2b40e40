// Logger for Lambda: one line per event (JSON, or plain text when the function's log format is
// Text), with request id and cold-start flag, phone numbers masked.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/aws/environment.hpp"

namespace common::observe {

/// Log levels, most detailed first, as Lambda's advanced logging controls name them (application
/// log level: TRACE, DEBUG, INFO, WARN, ERROR, FATAL). A logger writes its own level and above.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kFatal };

/// How lines are written, as Lambda's log format (AWS_LAMBDA_LOG_FORMAT) names it:
/// kJson one JSON object per line (what Lambda's log-level filtering and CloudWatch Logs Insights
/// read), kText one tab-separated plain line.
enum class LogFormat { kJson, kText };

/// Level from AWS_LAMBDA_LOG_LEVEL (Lambda sets it from the function's application log level),
/// else LOG_LEVEL, else INFO. Case-insensitive; WARNING is WARN; unknown values give INFO (Lambda
/// itself treats an unknown level as INFO).
LogLevel log_level_from_environment(const aws::Environment& env);

/// Format from AWS_LAMBDA_LOG_FORMAT (Lambda sets it from the function's log format, "JSON" or
/// "Text"; case-insensitive here). Unset or unknown: kJson, the structured lines of every version
/// of this project (Terraform deploys with JSON).
LogFormat log_format_from_environment(const aws::Environment& env);

/// The level's name as Lambda writes it: "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL".
std::string_view level_name(LogLevel level);

/// Masks every phone-number-looking run of digits in `text`, so a number passed by mistake
/// never reaches the logs whole: the first min(4, n - 7) digits, "***", the last 4
/// ("+14255550199" -> "+1425***0199", "4255550199" -> "425***0199"). A run is a maximal
/// sequence of ASCII digits; it looks like a phone number when it is
///  - '+' and 8-15 digits (E.164), or
///  - 10-15 digits without '+' (a bare E.164 or NANP number), except: 10 or 13 digits
///    starting with 1 (epoch seconds and milliseconds from 2001-09-09 to 2033-05-18; no NANP
///    number has that shape: 11 digits with its country code 1, area codes never start with
///    1), the 12-digit last group of a UUID (request and message ids) and the account id
///    field of an ARN ("arn:aws:sts::123456789012:assumed-role/x": who called).
///  - longer than 15 digits, with or without '+': longer than any phone number, so one may be
///    inside it (found by fuzzing: an AWS error message echoing a body with the number glued
///    to other digits).
/// Shorter runs (durations, counts, RFC 3339 times) stay as they are; so do numbers written
/// with separators ("425-555-0199"). A 12-digit account id alone is masked.
/// Epoch values after 2033-05-18 start with 2 and are masked (the safe side).
std::string mask_phone_numbers(std::string_view text);

/// Writes one line per event at `min_level` or above. kJson: a JSON object, the shape Lambda's
/// JSON log format and CloudWatch Logs Insights read: {"timestamp","level","message","function",
/// "requestId","cold_start", ...fields}. kText: "<timestamp>\t<requestId or ->\t<LEVEL>\t<message>"
/// then "\tkey=value" per field (strings bare unless they hold blanks, '=' or quotes, then
/// JSON-quoted; other values as compact JSON), plus "cold_start=true" on a cold start. Masks phone
/// numbers in the whole line. Callers must still not pass message bodies or secrets as fields.
class Logger {
 public:
  Logger(std::string function_name, LogLevel min_level, std::ostream& out,
         LogFormat format = LogFormat::kJson);

  /// Starts a new invocation's context; the first one is the cold start.
  void start_invocation(std::string request_id);

  void trace(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void debug(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void info(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void warn(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void error(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void fatal(std::string_view message, nlohmann::json fields = nlohmann::json::object());

  /// Whether a line at `level` would be written (skip building costly fields when not).
  bool enabled(LogLevel level) const { return level >= min_level_; }
  bool cold_start() const { return cold_start_; }
  const std::string& request_id() const { return request_id_; }
  LogLevel min_level() const { return min_level_; }
  LogFormat format() const { return format_; }

 private:
  void write(LogLevel level, std::string_view message, nlohmann::json fields);

  std::string function_name_;
  LogLevel min_level_;
  std::ostream& out_;
  LogFormat format_;
  std::string request_id_;
  bool cold_start_ = true;
  int invocations_ = 0;
};

}  // namespace common::observe
