// DynamoDB values without I/O: typed attribute values, items, typed accessors and expression
// placeholders. Domain code (common/consent/contact.hpp) reads items through this header alone;
// requests are in dynamodb_requests.hpp, the wire form in dynamodb_codec.hpp, the client in
// dynamodb.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace common::aws {

class AttributeValue;
/// An item or key: attribute name -> value.
using AttributeMap = std::map<std::string, AttributeValue>;

/// One DynamoDB AttributeValue (S, N, B, BOOL, NULL, M, L, SS, NS, BS).
/// Numbers stay decimal strings, exactly as on the wire, so no precision is lost;
/// B/BS hold raw bytes (base64 only on the wire). Immutable, cheap to copy.
class AttributeValue {
 public:
  enum class Type { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

  AttributeValue() : AttributeValue(Type::kNull) {}
  static AttributeValue S(std::string value);
  /// A number from its decimal text ("12", "-0.5", "1E+3"); not checked here, DynamoDB does.
  static AttributeValue N(std::string decimal);
  static AttributeValue N(std::int64_t value);
  static AttributeValue B(std::string bytes);
  static AttributeValue Bool(bool value);
  static AttributeValue Null();
  static AttributeValue M(AttributeMap value);
  static AttributeValue L(std::vector<AttributeValue> value);
  static AttributeValue SS(std::vector<std::string> values);
  static AttributeValue NS(std::vector<std::string> decimals);
  static AttributeValue BS(std::vector<std::string> bytes);

  Type type() const { return type_; }
  /// The string of S, the decimal text of N or the bytes of B; nullptr for other types.
  const std::string* scalar() const;
  /// S only (nullptr otherwise).
  const std::string* as_s() const { return type_ == Type::kS ? &scalar_ : nullptr; }
  /// N as int64 when it is an integer in range, else nullopt.
  std::optional<std::int64_t> as_int() const;
  /// BOOL only.
  std::optional<bool> as_bool() const;
  /// M only (nullptr otherwise).
  const AttributeMap* as_map() const;
  /// L only (nullptr otherwise).
  const std::vector<AttributeValue>* as_list() const;
  /// SS, NS or BS members (nullptr otherwise).
  const std::vector<std::string>* as_set() const;

  /// Same type and value; SS/NS/BS compare as sets (DynamoDB keeps no order).
  bool operator==(const AttributeValue& other) const;

 private:
  explicit AttributeValue(Type type) : type_(type) {}
  Type type_;
  std::string scalar_;
  bool bool_ = false;
  std::vector<std::string> set_;
  std::shared_ptr<const AttributeMap> map_;
  std::shared_ptr<const std::vector<AttributeValue>> list_;
};

/// The S value of attribute `name` of `item`, or nullopt.
std::optional<std::string> get_s(const AttributeMap& item, std::string_view name);
/// The integer N value of attribute `name` of `item`, or nullopt.
std::optional<std::int64_t> get_int(const AttributeMap& item, std::string_view name);

/// Builds expression placeholders so reserved words and odd names never break a
/// request: every attribute name becomes "#n<i>" and every value ":v<i>".
class ExpressionBuilder {
 public:
  /// The placeholder for an attribute name; the same name gives the same placeholder.
  std::string name(std::string_view attribute);
  /// A fresh placeholder bound to `value`.
  std::string value(AttributeValue value);
  const std::map<std::string, std::string>& names() const { return names_; }
  const AttributeMap& values() const { return values_; }

 private:
  std::map<std::string, std::string> names_;  // placeholder -> name
  std::map<std::string, std::string, std::less<>> by_name_;
  AttributeMap values_;
};

}  // namespace common::aws
