// Smart encoding: smart_encode (common/sms/segments.hpp), any bytes.
// Properties: the counts are count_segments' of the input and of the text; the text is valid
// UTF-8 exactly when the input is (ill-formed input comes back unchanged); it never takes more
// parts than the input; a changed text is GSM-7 and says how many characters it replaced, an
// unchanged one says 0; a GSM-7 input is unchanged; encoding the text again changes nothing.
#include <cstdint>
#include <string>

#include "common/sms/segments.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using common::sms::count_segments;
using common::sms::Encoding;
using common::sms::SegmentCount;
using common::sms::smart_encode;

namespace {

bool same(const SegmentCount& a, const SegmentCount& b) {
  return a.encoding == b.encoding && a.units == b.units && a.parts == b.parts;
}

std::string describe(const SegmentCount& s) {
  return std::string(s.encoding == Encoding::kGsm7 ? "GSM-7 " : "UCS-2 ") +
         std::to_string(s.units) + " units " + std::to_string(s.parts) + " parts";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  const auto e = smart_encode(input);
  const std::string detail = "replaced " + std::to_string(e.replaced) + ", original " +
                             describe(e.original) + ", encoded " + describe(e.segments);

  SMSC_FUZZ_CHECK(same(e.original, count_segments(input)), detail);
  SMSC_FUZZ_CHECK(same(e.segments, count_segments(e.text)), detail);
  SMSC_FUZZ_CHECK(e.segments.parts <= e.original.parts, detail);
  SMSC_FUZZ_CHECK((e.replaced == 0) == (e.text == input), detail);
  SMSC_FUZZ_CHECK(e.replaced >= 0, detail);
  if (e.replaced > 0) SMSC_FUZZ_CHECK(e.segments.encoding == Encoding::kGsm7, detail);
  if (e.original.encoding == Encoding::kGsm7) SMSC_FUZZ_CHECK(e.text == input, detail);

  const bool valid = smsc_fuzz::is_utf8(input);
  if (valid) {
    SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(e.text), detail);
  } else {
    SMSC_FUZZ_CHECK(e.text == input, detail);
  }

  const auto again = smart_encode(e.text);
  SMSC_FUZZ_CHECK(again.text == e.text && again.replaced == 0, detail);
  return 0;
}
