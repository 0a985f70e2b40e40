// How many SMS parts (segments) a message body takes, as carriers bill and throttle them.
// GSM 03.38 / 3GPP TS 23.038: the GSM 7-bit default alphabet, whose extension table characters
// (^ { } \ [ ~ ] | and the euro sign) take two septets; any other character forces UCS-2.
// One part holds 160 septets (GSM-7) or 70 UTF-16 code units (UCS-2); a concatenated message
// loses 7 septets / 3 code units per part to the UDH: 153 and 67. An escape pair or a surrogate
// pair is never split across parts. Pure functions, no I/O.
#pragma once

#include <string_view>

namespace common::sms {

/// The encoding a message body needs.
enum class Encoding { kGsm7, kUcs2 };

/// Size of a message body: encoding, units (septets for GSM-7, UTF-16 code units for UCS-2)
/// and parts. `parts` is 0 for an empty body.
struct SegmentCount {
  Encoding encoding = Encoding::kGsm7;
  int units = 0;
  int parts = 0;
};

/// Counts the parts of a UTF-8 `body`. Invalid UTF-8 bytes count as one UCS-2 unit each
/// (the body cannot be GSM-7 then).
SegmentCount count_segments(std::string_view body);

}  // namespace common::sms
