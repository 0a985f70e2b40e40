// Strict reading of AWS answers with simdjson On-Demand: every error checked before the next
// lookup, unused values read through, nesting bounded, nothing after the root value. So a
// malformed answer is always an error, never a crash and never a silently partial answer.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/json_parser.hpp"

namespace common::aws {

/// What a JsonParser keeps between texts.
struct JsonParser::State {
  simdjson::ondemand::parser parser;
  std::string padded;  // the text being read, then SIMDJSON_PADDING zero bytes
  std::size_t texts_read = 0;
};

}  // namespace common::aws

namespace common::aws::json_read {

/// Starts reading `text` with `parser`: copies it into the parser's padded buffer (no allocation
/// once the buffer is large enough) and returns the document. Ends every document, value and
/// string view read earlier with the same parser. Throws simdjson::simdjson_error when the text
/// cannot be indexed (not UTF-8, an unclosed string, too large).
simdjson::ondemand::document iterate(JsonParser& parser, std::string_view text);

/// Deepest JSON nesting read in an AWS answer. DynamoDB nests attribute values at most 32
/// levels (two JSON levels each) inside a small envelope; deeper input is refused, not recursed
/// into (On-Demand itself enforces no depth limit in release builds).
inline constexpr int kMaxDepth = 128;

/// Throws simdjson::simdjson_error(DEPTH_ERROR) when `depth` (1 = the root value) exceeds
/// kMaxDepth.
void check_depth(int depth);

/// Reads `value` (at nesting `depth`) and everything inside it to its end, so that its grammar,
/// escapes, numbers and literals are checked: On-Demand skips a value nobody asks for without
/// validating it. Throws simdjson::simdjson_error on malformed or too deep JSON.
void skip_value(simdjson::ondemand::value value, int depth);

/// The string `value` holds, or nullopt (after reading it through, see skip_value) when it is
/// valid JSON of another type. Throws simdjson::simdjson_error on malformed JSON.
std::optional<std::string_view> string_or_skip(simdjson::ondemand::value value, int depth);

/// Call once the root value has been read: throws simdjson::simdjson_error(TRAILING_CONTENT)
/// when anything but whitespace follows it.
void expect_end(simdjson::ondemand::document& document);

/// Throws std::runtime_error("<field> is not <expected>"): a value of the wrong type.
[[noreturn]] void wrong_type(const std::string& field, const char* expected);

// `value` read as one type. Each throws std::runtime_error naming `field` (wrong_type) when it
// is valid JSON of another type, and simdjson::simdjson_error when it is malformed.

/// `value` as an object.
simdjson::ondemand::object object_of(simdjson::ondemand::value value, const std::string& field);
/// `value` as an array.
simdjson::ondemand::array array_of(simdjson::ondemand::value value, const std::string& field);
/// `value` as a string (copied: it outlives the parse).
std::string string_of(simdjson::ondemand::value value, const std::string& field);
/// `value` as a boolean.
bool bool_of(simdjson::ondemand::value value, const std::string& field);

/// The names of the members read from one object, so that one given twice is refused: JSON
/// allows it, AWS never sends it, and "the last one wins" would be a silent choice.
class SeenMembers {
 public:
  /// Records `name`; throws std::runtime_error("<where> appears twice") when already recorded.
  void mark(std::string_view name, const std::string& where);

 private:
  std::vector<std::string> seen_;
};

}  // namespace common::aws::json_read
