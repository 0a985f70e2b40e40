// RFC 3339 timestamps (UTC, millisecond precision), the one text form of instants we store and log.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace common {

/// An instant in UTC with millisecond precision.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// The range of RFC 3339 text with its four-digit years, and so of parse_rfc3339 (results
/// outside it are refused, whatever the offset) and of format_rfc3339.
inline constexpr TimePoint kEarliestRfc3339{std::chrono::sys_days{std::chrono::year{0} / 1 / 1}
                                                .time_since_epoch()};  // 0000-01-01T00:00:00.000Z
inline constexpr TimePoint kLatestRfc3339{
    std::chrono::sys_days{std::chrono::year{10000} / 1 / 1}.time_since_epoch() -
    std::chrono::milliseconds{1}};  // 9999-12-31T23:59:59.999Z

/// Now, truncated to milliseconds.
TimePoint now_ms();

/// "2026-11-21T09:30:00.123Z": fixed width, so the text sorts as time does
/// (DynamoDB sort keys and condition comparisons rely on it). Precondition: `t` lies in
/// [kEarliestRfc3339, kLatestRfc3339]; outside it the text is neither fixed width nor RFC 3339.
std::string format_rfc3339(TimePoint t);

/// Parses RFC 3339 ("2026-11-21T09:30:00Z", "...T09:30:00.5+01:00"; 'T'/'t'/' '
/// separator, any fraction digits (cut to milliseconds), 'Z' or a numeric offset, a leap
/// second :60 read as the next second). Returns nullopt on anything else, including impossible
/// dates and instants outside [kEarliestRfc3339, kLatestRfc3339] once the offset is applied
/// ("0000-01-01T00:00:00+23:59"). Whatever it accepts, format_rfc3339 writes as text that
/// parses back to the same instant.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

/// Seconds since the Unix epoch, as DynamoDB TTL attributes want.
std::int64_t epoch_seconds(TimePoint t);

}  // namespace common
