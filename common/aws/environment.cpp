#include "common/aws/environment.hpp"

#include <cstdlib>

namespace common::aws {

Environment Environment::process() { return Environment{}; }

Environment Environment::from_map(std::map<std::string, std::string> values) {
  Environment env;
  env.use_process_ = false;
  for (auto& [k, v] : values) env.values_.emplace(k, std::move(v));
  return env;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  if (use_process_) {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  }
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string Environment::get_or(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string(fallback);
}

}  // namespace common::aws
