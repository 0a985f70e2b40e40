// Read-only view of process environment variables, injectable for tests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// Reads one function's settings from the environment at start-up, collecting
/// every problem so that a single init error names them all, not just the first.
class SettingsReader {
 public:
  explicit SettingsReader(const Environment& env) : env_(env) {}

  /// A variable that must be set: its value, or "" with the problem recorded.
  std::string required(std::string_view name);
  /// The variable's value, or `fallback` when unset.
  std::string get_or(std::string_view name, std::string_view fallback) const {
    return env_.get_or(name, fallback);
  }
  /// A decimal number in [min, max], or `fallback` when unset; anything else is
  /// recorded as a problem (and `fallback` returned).
  double number(std::string_view name, double fallback, double min, double max);
  /// Records a problem the caller found (e.g. a value of the wrong form).
  void problem(std::string message) { problems_.push_back(std::move(message)); }
  /// Throws std::invalid_argument("<what> configuration: <problem>; <problem>")
  /// when any problem was recorded.
  void check(std::string_view what) const;

 private:
  const Environment& env_;
  std::vector<std::string> problems_;
};

}  // namespace common::aws
