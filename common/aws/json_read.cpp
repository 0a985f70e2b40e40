#include "common/aws/json_read.hpp"

#include <stdexcept>

namespace common::aws::json_read {

using simdjson::simdjson_error;
using simdjson::ondemand::json_type;

void check_depth(int depth) {
  if (depth > kMaxDepth) throw simdjson_error(simdjson::DEPTH_ERROR);
}

void skip_value(simdjson::ondemand::value value, int depth) {
  check_depth(depth);
  // Each conversion below throws on the first error, so no lookup follows a failed one.
  switch (json_type(value.type())) {
    case json_type::object:
      for (auto field : value.get_object()) {
        (void)std::string_view(field.unescaped_key());  // checks the key's escapes
        skip_value(field.value(), depth + 1);
      }
      return;
    case json_type::array:
      for (auto element : value.get_array()) skip_value(element.value(), depth + 1);
      return;
    case json_type::string:
      (void)std::string_view(value.get_string());
      return;
    case json_type::number:
      (void)simdjson::ondemand::number(value.get_number());
      return;
    case json_type::boolean:
      (void)bool(value.get_bool());
      return;
    case json_type::null:
      // is_null() is false for a misspelt literal ("nul", "nullx").
      if (!bool(value.is_null())) throw simdjson_error(simdjson::INCORRECT_TYPE);
      return;
  }
  throw simdjson_error(simdjson::INCORRECT_TYPE);
}

std::optional<std::string_view> string_or_skip(simdjson::ondemand::value value, int depth) {
  std::string_view text;
  const auto error = value.get_string().get(text);
  if (error == simdjson::SUCCESS) return text;
  // A type mismatch leaves the value unread and the iterator usable; anything else is fatal.
  if (error != simdjson::INCORRECT_TYPE) throw simdjson_error(error);
  skip_value(value, depth);
  return std::nullopt;
}

void expect_end(simdjson::ondemand::document& document) {
  const char* next = nullptr;
  const auto error = document.current_location().get(next);
  if (error == simdjson::OUT_OF_BOUNDS) return;  // nothing left
  throw simdjson_error(error == simdjson::SUCCESS ? simdjson::TRAILING_CONTENT : error);
}

void wrong_type(const std::string& field, const char* expected) {
  throw std::runtime_error(field + " is not " + expected);
}

simdjson::ondemand::object object_of(simdjson::ondemand::value value, const std::string& field) {
  simdjson::ondemand::object object;
  const auto error = value.get_object().get(object);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "an object");
  if (error) throw simdjson_error(error);
  return object;
}

simdjson::ondemand::array array_of(simdjson::ondemand::value value, const std::string& field) {
  simdjson::ondemand::array array;
  const auto error = value.get_array().get(array);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "an array");
  if (error) throw simdjson_error(error);
  return array;
}

std::string string_of(simdjson::ondemand::value value, const std::string& field) {
  std::string_view text;
  const auto error = value.get_string().get(text);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "a string");
  if (error) throw simdjson_error(error);
  return std::string(text);
}

bool bool_of(simdjson::ondemand::value value, const std::string& field) {
  bool flag = false;
  const auto error = value.get_bool().get(flag);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "a boolean");
  if (error) throw simdjson_error(error);
  return flag;
}

void SeenMembers::mark(std::string_view name, const std::string& where) {
  for (const auto& seen : seen_) {
    if (seen == name) throw std::runtime_error(where + " appears twice");
  }
  seen_.emplace_back(name);
}

}  // namespace common::aws::json_read
