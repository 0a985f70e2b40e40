// RFC 3339 text form of instants (RFC 3339 section 5.6), the one form we store and log.
#include <gtest/gtest.h>

#include "common/time.hpp"

namespace {

using common::format_rfc3339;
using common::parse_rfc3339;
using common::TimePoint;
using namespace std::chrono;

TimePoint at(int y, unsigned m, unsigned d, int h, int mi, int s, int ms = 0) {
  return TimePoint{sys_days{year{y} / month{m} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
         milliseconds{ms};
}

TEST(Rfc3339, FormatsFixedWidthUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339(at(2026, 11, 21, 9, 5, 7, 3)), "2026-11-21T09:05:07.003Z");
  EXPECT_EQ(format_rfc3339(at(1970, 1, 1, 0, 0, 0)), "1970-01-01T00:00:00.000Z");
}

TEST(Rfc3339, TextOrderIsTimeOrder) {
  // DynamoDB sort keys and condition comparisons rely on it.
  EXPECT_LT(format_rfc3339(at(2026, 11, 21, 9, 59, 59, 999)), format_rfc3339(at(2026, 11, 21, 10, 0, 0)));
  EXPECT_LT(format_rfc3339(at(2026, 9, 30, 0, 0, 0)), format_rfc3339(at(2026, 10, 1, 0, 0, 0)));
}

TEST(Rfc3339, RoundTrips) {
  const TimePoint t = at(2028, 2, 29, 23, 59, 59, 999);
  EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
}

TEST(Rfc3339, ParsesOffsetsFractionsAndSeparators) {
  EXPECT_EQ(parse_rfc3339("2026-11-21T09:30:00Z"), at(2026, 11, 21, 9, 30, 0));
  EXPECT_EQ(parse_rfc3339("2026-11-21t09:30:00.5z"), at(2026, 11, 21, 9, 30, 0, 500));
  EXPECT_EQ(parse_rfc3339("2026-11-21 09:30:00.123456Z"), at(2026, 11, 21, 9, 30, 0, 123));
  EXPECT_EQ(parse_rfc3339("2026-11-21T10:30:00+01:00"), at(2026, 11, 21, 9, 30, 0));
  EXPECT_EQ(parse_rfc3339("2026-11-20T23:30:00-10:00"), at(2026, 11, 21, 9, 30, 0));
}

TEST(Rfc3339, RejectsWhatIsNotRfc3339) {
  for (const char* bad : {"", "2026-11-21", "2026-11-21T09:30:00", "2026-11-21T09:30Z",
                          "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z",
                          "2026-11-21T09:30:00.Z", "2026-11-21T09:30:00+0100",
                          "2026-11-21T09:30:00Z ", "1763717400"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

// Issue 10, fuzzing finding 5: an offset could carry a parsed time out of the four-digit
// years: "0000-01-01T00:00:00+23:59" became year -1, formatted as "-001-12-31T00:01:00.000Z",
// which does not parse back. Results outside 0000-01-01T00:00:00Z..9999-12-31T23:59:59.999Z
// are refused.
TEST(Rfc3339, Finding5_ResultsOutsideTheFourDigitYearsAreRefused) {
  for (const char* out_of_range :
       {"0000-01-01T00:00:00+23:59", "0000-01-01T00:00:00+00:01", "0000-01-01T00:00:00.999+00:01",
        "9999-12-31T23:59:59-00:01", "9999-12-31T23:59:60Z", "9999-12-31T23:00:00-23:59"}) {
    EXPECT_FALSE(parse_rfc3339(out_of_range).has_value()) << out_of_range;
  }
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00Z"), common::kEarliestRfc3339);
  EXPECT_EQ(parse_rfc3339("0000-01-01T23:59:00+23:59"), common::kEarliestRfc3339);
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999Z"), common::kLatestRfc3339);
  EXPECT_EQ(parse_rfc3339("9999-12-31T00:00:59.9999-23:59"), common::kLatestRfc3339);
}

// Whatever parse_rfc3339 accepts formats as fixed-width text that parses back to the same instant.
TEST(Rfc3339, Finding5_EverythingAcceptedRoundTrips) {
  for (const char* text :
       {"0000-01-01T00:00:00Z", "0000-01-01T23:59:00+23:59", "0000-02-29T12:00:00-23:59",
        "1969-12-31T23:59:59.9995Z", "1970-01-01T00:00:00+00:00", "2016-12-31T23:59:60Z",
        "2026-11-21 09:30:00.123456789-07:00", "9999-12-31T23:59:59.999Z",
        "9999-12-31T00:00:00-23:59", "9999-12-31T23:59:59.999999+23:59"}) {
    const auto t = parse_rfc3339(text);
    ASSERT_TRUE(t.has_value()) << text;
    const std::string formatted = format_rfc3339(*t);
    EXPECT_EQ(formatted.size(), 24u) << text << " -> " << formatted;
    EXPECT_EQ(parse_rfc3339(formatted), t) << text << " -> " << formatted;
  }
}

TEST(EpochSeconds, CountsWholeSecondsSince1970) {
  EXPECT_EQ(common::epoch_seconds(at(1970, 1, 2, 0, 0, 1, 999)), 86401);
}

}  // namespace
