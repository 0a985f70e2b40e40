#include "common/aws/dynamodb_values.hpp"

#include <algorithm>
#include <charconv>

namespace common::aws {

using Type = AttributeValue::Type;

AttributeValue AttributeValue::S(std::string value) {
  AttributeValue v(Type::kS);
  v.scalar_ = std::move(value);
  return v;
}
AttributeValue AttributeValue::N(std::string decimal) {
  AttributeValue v(Type::kN);
  v.scalar_ = std::move(decimal);
  return v;
}
AttributeValue AttributeValue::N(std::int64_t value) {
  return N(std::to_string(value));
}
AttributeValue AttributeValue::B(std::string bytes) {
  AttributeValue v(Type::kB);
  v.scalar_ = std::move(bytes);
  return v;
}
AttributeValue AttributeValue::Bool(bool value) {
  AttributeValue v(Type::kBool);
  v.bool_ = value;
  return v;
}
AttributeValue AttributeValue::Null() {
  return AttributeValue(Type::kNull);
}
AttributeValue AttributeValue::M(AttributeMap value) {
  AttributeValue v(Type::kM);
  v.map_ = std::make_shared<const AttributeMap>(std::move(value));
  return v;
}
AttributeValue AttributeValue::L(std::vector<AttributeValue> value) {
  AttributeValue v(Type::kL);
  v.list_ = std::make_shared<const std::vector<AttributeValue>>(std::move(value));
  return v;
}
AttributeValue AttributeValue::SS(std::vector<std::string> values) {
  AttributeValue v(Type::kSS);
  v.set_ = std::move(values);
  return v;
}
AttributeValue AttributeValue::NS(std::vector<std::string> decimals) {
  AttributeValue v(Type::kNS);
  v.set_ = std::move(decimals);
  return v;
}
AttributeValue AttributeValue::BS(std::vector<std::string> bytes) {
  AttributeValue v(Type::kBS);
  v.set_ = std::move(bytes);
  return v;
}

const std::string* AttributeValue::scalar() const {
  return type_ == Type::kS || type_ == Type::kN || type_ == Type::kB ? &scalar_ : nullptr;
}
std::optional<std::int64_t> AttributeValue::as_int() const {
  if (type_ != Type::kN) return std::nullopt;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(scalar_.data(), scalar_.data() + scalar_.size(), out);
  if (ec != std::errc{} || end != scalar_.data() + scalar_.size()) return std::nullopt;
  return out;
}
std::optional<bool> AttributeValue::as_bool() const {
  return type_ == Type::kBool ? std::optional<bool>(bool_) : std::nullopt;
}
const AttributeMap* AttributeValue::as_map() const {
  return type_ == Type::kM ? map_.get() : nullptr;
}
const std::vector<AttributeValue>* AttributeValue::as_list() const {
  return type_ == Type::kL ? list_.get() : nullptr;
}
const std::vector<std::string>* AttributeValue::as_set() const {
  return type_ == Type::kSS || type_ == Type::kNS || type_ == Type::kBS ? &set_ : nullptr;
}

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kS:
    case Type::kN:
    case Type::kB:
      return scalar_ == other.scalar_;
    case Type::kBool:
      return bool_ == other.bool_;
    case Type::kNull:
      return true;
    case Type::kM:
      return *map_ == *other.map_;
    case Type::kL:
      return *list_ == *other.list_;
    default: {
      if (set_.size() != other.set_.size()) return false;
      std::vector<std::string> mine = set_;
      std::vector<std::string> theirs = other.set_;
      std::sort(mine.begin(), mine.end());
      std::sort(theirs.begin(), theirs.end());
      return mine == theirs;
    }
  }
}

std::optional<std::string> get_s(const AttributeMap& item, std::string_view name) {
  auto it = item.find(std::string(name));
  if (it == item.end() || it->second.as_s() == nullptr) return std::nullopt;
  return *it->second.as_s();
}

std::optional<std::int64_t> get_int(const AttributeMap& item, std::string_view name) {
  auto it = item.find(std::string(name));
  if (it == item.end()) return std::nullopt;
  return it->second.as_int();
}

std::string ExpressionBuilder::name(std::string_view attribute) {
  if (auto it = by_name_.find(attribute); it != by_name_.end()) return it->second;
  std::string placeholder = "#n" + std::to_string(by_name_.size());
  by_name_.emplace(std::string(attribute), placeholder);
  names_.emplace(placeholder, std::string(attribute));
  return placeholder;
}

std::string ExpressionBuilder::value(AttributeValue value) {
  std::string placeholder = ":v" + std::to_string(values_.size());
  values_.emplace(placeholder, std::move(value));
  return placeholder;
}

}  // namespace common::aws
