// One simdjson On-Demand parser kept for a client's lifetime, as simdjson advises: its buffers
// are allocated on the first answer, grown only for a larger one, and reused by every later one.
// simdjson stays out of this header (it is 30,000 lines); json_read.hpp reads with it.
#pragma once

#include <cstddef>
#include <memory>

namespace common::aws {

/// A reusable simdjson::ondemand::parser and the padded copy of the text it reads. One per
/// client (JsonClient owns it; DynamoDbClient and SmsVoiceClient read their answers with it).
/// Whatever is read from one text (documents, values, string views) is valid only until the
/// next text is read with the same parser, so the parse functions copy what they return and no
/// parse may start while another one on the same parser is in progress. Memory kept: about
/// five times the largest text read (DynamoDB pages are at most 1 MB). Not thread-safe; a
/// moved-from parser may only be destroyed or assigned to.
class JsonParser {
 public:
  JsonParser();
  ~JsonParser();
  JsonParser(JsonParser&&) noexcept;
  JsonParser& operator=(JsonParser&&) noexcept;
  JsonParser(const JsonParser&) = delete;
  JsonParser& operator=(const JsonParser&) = delete;

  /// How many texts this parser has started reading (for tests).
  std::size_t texts_read() const;
  /// Bytes the parser holds for its largest text so far: 0 before the first one (for tests).
  std::size_t capacity() const;

  /// The simdjson state; defined in json_read.hpp, the only place that reads with it.
  struct State;
  State& state() { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

}  // namespace common::aws
