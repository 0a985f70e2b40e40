// RFC 3339 timestamps (UTC, millisecond precision), the one text form of instants we store and log.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace common {

/// An instant in UTC with millisecond precision.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// Now, truncated to milliseconds.
TimePoint now_ms();

/// "2026-11-21T09:30:00.123Z": fixed width, so the text sorts as time does
/// (DynamoDB sort keys and condition comparisons rely on it).
std::string format_rfc3339(TimePoint t);

/// Parses RFC 3339 ("2026-11-21T09:30:00Z", "...T09:30:00.5+01:00"; 'T'/'t'/' '
/// separator, any fraction digits, 'Z' or a numeric offset). Returns nullopt on
/// anything else, including impossible dates.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

/// Seconds since the Unix epoch, as DynamoDB TTL attributes want.
std::int64_t epoch_seconds(TimePoint t);

}  // namespace common
