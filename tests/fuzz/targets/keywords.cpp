// Inbound SMS bodies (any bytes): normalize_message and classify_message
// (common/compliance/keywords.hpp). Properties: never throws; the normalised text is what
// classify saw, has single ASCII spaces only between words, and normalising it again changes
// nothing; the rule's shape matches the intent.
#include "common/compliance/keywords.hpp"

#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_support.hpp"

using namespace common::compliance;

namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = smsc_fuzz::text(data, size);
  const std::string normalized = normalize_message(body);
  const Classification c = classify_message(body);
  SMSC_FUZZ_CHECK(c.normalized == normalized, normalized + " vs " + c.normalized);
  SMSC_FUZZ_CHECK(normalized.empty() || (normalized.front() != ' ' && normalized.back() != ' '),
                  normalized);
  SMSC_FUZZ_CHECK(normalized.find("  ") == std::string::npos, normalized);
  SMSC_FUZZ_CHECK(smsc_fuzz::is_utf8(normalized), normalized);
  SMSC_FUZZ_CHECK(normalize_message(normalized) == normalized, normalized);
  for (unsigned char ch : normalized) {
    SMSC_FUZZ_CHECK(ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == ' ',
                    normalized);
  }
  switch (c.intent) {
    case MessageIntent::kOptOut:
      SMSC_FUZZ_CHECK(starts_with(c.rule, "keyword:") || starts_with(c.rule, "phrase:") ||
                          starts_with(c.rule, "word:"),
                      c.rule);
      SMSC_FUZZ_CHECK(!c.possible_revocation, c.rule);
      break;
    case MessageIntent::kOptIn:
    case MessageIntent::kHelp:
      SMSC_FUZZ_CHECK(starts_with(c.rule, "keyword:") && !c.possible_revocation, c.rule);
      break;
    case MessageIntent::kOther:
      SMSC_FUZZ_CHECK(c.possible_revocation ? starts_with(c.rule, "review:") : c.rule.empty(),
                      c.rule);
      break;
  }
  SMSC_FUZZ_CHECK(!to_string(c.intent).empty(), c.rule);
  return 0;
}
