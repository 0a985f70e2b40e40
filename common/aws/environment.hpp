// Read-only view of process environment variables, injectable for tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace common::aws {

/// Environment variables as configuration: the process's own (`process()`) or a
/// fixed map (`from_map`, for tests). An empty value counts as unset, as the
/// AWS SDKs treat it.
class Environment {
 public:
  /// The live process environment (getenv).
  static Environment process();
  /// A fixed set of variables.
  static Environment from_map(std::map<std::string, std::string> values);

  /// The variable's value, or nullopt when unset or empty.
  std::optional<std::string> get(std::string_view name) const;
  /// The variable's value, or `fallback` when unset or empty.
  std::string get_or(std::string_view name, std::string_view fallback) const;

 private:
  bool use_process_ = true;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace common::aws
