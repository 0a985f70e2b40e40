#include "common/observe/logger.hpp"

#include <ostream>

#include "common/time.hpp"

namespace common::observe {
namespace {

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
  }
  return "INFO";
}

}  // namespace

LogLevel log_level_from_environment(const aws::Environment& env) {
  auto value = env.get("AWS_LAMBDA_LOG_LEVEL");
  if (!value) value = env.get("LOG_LEVEL");
  if (!value) return LogLevel::kInfo;
  std::string v;
  for (char c : *value) v += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (v == "DEBUG" || v == "TRACE") return LogLevel::kDebug;
  if (v == "WARN" || v == "WARNING") return LogLevel::kWarn;
  if (v == "ERROR" || v == "FATAL") return LogLevel::kError;
  return LogLevel::kInfo;
}

std::string mask_phone_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '+') {
      size_t j = i + 1;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      const size_t digits = j - i - 1;
      if (digits >= 8 && digits <= 15) {
        // Keep '+', the first 4 digits (country code and area code for NANP) and the last 4.
        out.append(text.substr(i, 5));
        out.append("***");
        out.append(text.substr(j - 4, 4));
        i = j;
        continue;
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    out += text[i++];
  }
  return out;
}

Logger::Logger(std::string function_name, LogLevel min_level, std::ostream& out)
    : function_name_(std::move(function_name)), min_level_(min_level), out_(out) {}

void Logger::start_invocation(std::string request_id) {
  request_id_ = std::move(request_id);
  cold_start_ = invocations_++ == 0;
}

void Logger::debug(std::string_view m, nlohmann::json f) { write(LogLevel::kDebug, m, std::move(f)); }
void Logger::info(std::string_view m, nlohmann::json f) { write(LogLevel::kInfo, m, std::move(f)); }
void Logger::warn(std::string_view m, nlohmann::json f) { write(LogLevel::kWarn, m, std::move(f)); }
void Logger::error(std::string_view m, nlohmann::json f) { write(LogLevel::kError, m, std::move(f)); }

void Logger::write(LogLevel level, std::string_view message, nlohmann::json fields) {
  if (level < min_level_) return;
  nlohmann::json line = {{"timestamp", format_rfc3339(now_ms())},
                         {"level", level_name(level)},
                         {"message", message},
                         {"function", function_name_}};
  if (!request_id_.empty()) {
    line["requestId"] = request_id_;
    line["cold_start"] = cold_start_;
  }
  if (fields.is_object()) {
    for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  }
  // Invalid UTF-8 in a field must not throw out of the logger.
  out_ << mask_phone_numbers(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
       << '\n'
       << std::flush;
}

}  // namespace common::observe
