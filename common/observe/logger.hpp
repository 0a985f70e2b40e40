// Structured JSON-lines logger for Lambda: request id, cold-start flag, phone numbers masked.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/aws/environment.hpp"

namespace common::observe {

/// Log levels, as Lambda's JSON log format names them.
enum class LogLevel { kDebug, kInfo, kWarn, kError };

/// Level from AWS_LAMBDA_LOG_LEVEL (set by Lambda's advanced logging controls),
/// else LOG_LEVEL, else INFO. Unknown values fall back to INFO.
LogLevel log_level_from_environment(const aws::Environment& env);

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
/// Shorter runs (durations, counts, RFC 3339 times) and longer ones stay as they are; so do
/// numbers written with separators ("425-555-0199"). A 12-digit account id alone is masked.
/// Epoch values after 2033-05-18 start with 2 and are masked (the safe side).
std::string mask_phone_numbers(std::string_view text);

/// Writes one JSON object per line, the shape Lambda's JSON log format and
/// CloudWatch Logs Insights read: {"timestamp","level","message","function",
/// "requestId","cold_start", ...fields}. Masks phone numbers in the whole line.
/// Callers must still not pass message bodies or secrets as fields.
class Logger {
 public:
  Logger(std::string function_name, LogLevel min_level, std::ostream& out);

  /// Starts a new invocation's context; the first one is the cold start.
  void start_invocation(std::string request_id);

  void debug(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void info(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void warn(std::string_view message, nlohmann::json fields = nlohmann::json::object());
  void error(std::string_view message, nlohmann::json fields = nlohmann::json::object());

  bool cold_start() const { return cold_start_; }
  const std::string& request_id() const { return request_id_; }

 private:
  void write(LogLevel level, std::string_view message, nlohmann::json fields);

  std::string function_name_;
  LogLevel min_level_;
  std::ostream& out_;
  std::string request_id_;
  bool cold_start_ = true;
  int invocations_ = 0;
};

}  // namespace common::observe
