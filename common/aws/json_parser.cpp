#include "common/aws/json_parser.hpp"

#include <cstring>

#include "common/aws/json_read.hpp"

namespace common::aws {

JsonParser::JsonParser() : state_(std::make_unique<State>()) {}
JsonParser::~JsonParser() = default;
JsonParser::JsonParser(JsonParser&&) noexcept = default;
JsonParser& JsonParser::operator=(JsonParser&&) noexcept = default;

std::size_t JsonParser::texts_read() const {
  return state_->texts_read;
}
std::size_t JsonParser::capacity() const {
  return state_->parser.capacity();
}

namespace json_read {

simdjson::ondemand::document iterate(JsonParser& parser, std::string_view text) {
  JsonParser::State& state = parser.state();
  ++state.texts_read;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; they are zeroed as padded_string
  // zeroes them, so what lies there never depends on an earlier, longer text.
  state.padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  if (!text.empty()) std::memcpy(state.padded.data(), text.data(), text.size());
  std::memset(state.padded.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  return state.parser.iterate(state.padded.data(), text.size(), state.padded.size());
}

}  // namespace json_read
}  // namespace common::aws
