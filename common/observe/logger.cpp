#include "common/observe/logger.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>

#include "common/time.hpp"

namespace common::observe {
namespace {

std::string upper(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "TRACE";
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kFatal: return "FATAL";
  }
  return "INFO";
}

LogLevel log_level_from_environment(const aws::Environment& env) {
  auto value = env.get("AWS_LAMBDA_LOG_LEVEL");
  if (!value) value = env.get("LOG_LEVEL");
  if (!value) return LogLevel::kInfo;
  const std::string v = upper(*value);
  if (v == "TRACE") return LogLevel::kTrace;
  if (v == "DEBUG") return LogLevel::kDebug;
  if (v == "WARN" || v == "WARNING") return LogLevel::kWarn;
  if (v == "ERROR") return LogLevel::kError;
  if (v == "FATAL") return LogLevel::kFatal;
  return LogLevel::kInfo;
}

LogFormat log_format_from_environment(const aws::Environment& env) {
  const auto value = env.get("AWS_LAMBDA_LOG_FORMAT");
  return value && upper(*value) == "TEXT" ? LogFormat::kText : LogFormat::kJson;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when the 12 digits text[begin, begin + 12) are the last group of a UUID
// (8-4-4-4-12 hex, e.g. a Lambda request id or an SNS message id).
bool ends_uuid(std::string_view text, std::size_t begin, std::size_t end) {
  if (end - begin != 12 || begin < 24 || (end < text.size() && is_hex(text[end]))) return false;
  const std::string_view head = text.substr(begin - 24, 24);
  for (std::size_t i = 0; i < head.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? head[i] != '-' : !is_hex(head[i])) return false;
  }
  return begin == 24 || !is_hex(text[begin - 25]);
}

// True when the 12 digits text[begin, end) are the account field of an ARN
// ("arn:aws:sts::123456789012:assumed-role/..."): the fifth of its ':'-separated fields.
bool arn_account(std::string_view text, std::size_t begin, std::size_t end) {
  if (end - begin != 12 || end >= text.size() || text[end] != ':') return false;
  const std::size_t arn = text.rfind("arn:", begin);
  if (arn == std::string_view::npos || begin - arn > 64) return false;
  int colons = 0;
  for (std::size_t i = arn + 4; i < begin; ++i) {
    const char c = text[i];
    if (c == ':') {
      ++colons;
    } else if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-')) {
      return false;
    }
  }
  return colons == 3 && text[begin - 1] == ':';
}

// Whether a run of digits without a '+' looks like a phone number (see the header).
bool bare_phone_like(std::string_view text, std::size_t begin, std::size_t end) {
  const std::size_t digits = end - begin;
  if (digits < 10 || digits > 15) return false;
  if ((digits == 10 || digits == 13) && text[begin] == '1') return false;  // epoch s / ms
  return !ends_uuid(text, begin, end) && !arn_account(text, begin, end);
}

// Appends the digits [begin, end) masked: the first min(4, n - 7) digits, "***", the last 4.
void append_masked(std::string& out, std::string_view digits) {
  const std::size_t keep = std::min<std::size_t>(4, digits.size() - 7);
  out.append(digits.substr(0, keep));
  out.append("***");
  out.append(digits.substr(digits.size() - 4));
}

}  // namespace

std::string mask_phone_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool plus = text[i] == '+';
    if (!plus && !is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    const std::size_t begin = plus ? i + 1 : i;
    std::size_t end = begin;
    while (end < text.size() && is_digit(text[end])) ++end;
    const std::size_t digits = end - begin;
    // A run longer than any phone number may hold one ("...2142555501013456789012...", an AWS
    // error message echoing a body): masked too, with or without '+'.
    const bool mask = digits > 15 || (plus ? digits >= 8 : bare_phone_like(text, begin, end));
    if (mask) {
      if (plus) out += '+';
      append_masked(out, text.substr(begin, digits));
    } else {
      out.append(text.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

Logger::Logger(std::string function_name, LogLevel min_level, std::ostream& out, LogFormat format)
    : function_name_(std::move(function_name)), min_level_(min_level), out_(out), format_(format) {}

void Logger::start_invocation(std::string request_id) {
  request_id_ = std::move(request_id);
  cold_start_ = invocations_++ == 0;
}

void Logger::trace(std::string_view m, nlohmann::json f) { write(LogLevel::kTrace, m, std::move(f)); }
void Logger::debug(std::string_view m, nlohmann::json f) { write(LogLevel::kDebug, m, std::move(f)); }
void Logger::info(std::string_view m, nlohmann::json f) { write(LogLevel::kInfo, m, std::move(f)); }
void Logger::warn(std::string_view m, nlohmann::json f) { write(LogLevel::kWarn, m, std::move(f)); }
void Logger::error(std::string_view m, nlohmann::json f) { write(LogLevel::kError, m, std::move(f)); }
void Logger::fatal(std::string_view m, nlohmann::json f) { write(LogLevel::kFatal, m, std::move(f)); }

namespace {

// Text as one token of a Text-format line: as it is when nothing in it needs escaping and it holds
// no blank or '=' (for a value) that would make the line ambiguous; else JSON-quoted (escapes,
// invalid UTF-8 replaced), so a line never breaks and never throws.
std::string text_token(const std::string& text, bool allow_blanks) {
  const std::string quoted =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const bool plain = !text.empty() && quoted.size() == text.size() + 2 &&
                     quoted.compare(1, text.size(), text) == 0 &&
                     text.find_first_of(allow_blanks ? "\"" : " =\"") == std::string::npos;
  return plain ? text : quoted;
}

// A field's value in a Text-format line: strings as tokens, anything else as compact JSON.
std::string text_value(const nlohmann::json& value) {
  if (value.is_string()) return text_token(value.get_ref<const std::string&>(), false);
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void Logger::write(LogLevel level, std::string_view message, nlohmann::json fields) {
  if (level < min_level_) return;
  if (format_ == LogFormat::kText) {
    // Lambda's Text format for managed runtimes puts time, request id and level first.
    std::string line = format_rfc3339(now_ms()) + '\t' + (request_id_.empty() ? "-" : request_id_) +
                       '\t' + std::string(level_name(level)) + '\t';
    line += text_token(std::string(message), true);
    if (!request_id_.empty() && cold_start_) line += "\tcold_start=true";
    if (fields.is_object()) {
      for (const auto& [k, v] : fields.items()) line += '\t' + k + '=' + text_value(v);
    }
    out_ << mask_phone_numbers(line) << '\n' << std::flush;
    return;
  }
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
