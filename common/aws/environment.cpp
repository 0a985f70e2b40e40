#include "common/aws/environment.hpp"

#include <cstdlib>
#include <stdexcept>

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

std::string SettingsReader::required(std::string_view name) {
  auto v = env_.get(name);
  if (!v) problems_.push_back(std::string(name) + " is required");
  return v.value_or("");
}

double SettingsReader::number(std::string_view name, double fallback, double min, double max) {
  auto v = env_.get(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const double d = std::stod(*v, &used);
    if (used == v->size() && d >= min && d <= max) return d;
  } catch (const std::exception&) {
    // reported below
  }
  // %g-style bounds read better than to_string's six decimals.
  auto text = [](double x) {
    std::string t = std::to_string(x);
    t.erase(t.find_last_not_of('0') + 1);
    if (!t.empty() && t.back() == '.') t.pop_back();
    return t;
  };
  problems_.push_back(std::string(name) + " must be a number from " + text(min) + " to " + text(max) +
                      " (got '" + *v + "')");
  return fallback;
}

void SettingsReader::check(std::string_view what) const {
  if (problems_.empty()) return;
  std::string message = std::string(what) + " configuration: ";
  for (std::size_t i = 0; i < problems_.size(); ++i) {
    if (i) message += "; ";
    message += problems_[i];
  }
  throw std::invalid_argument(message);
}

}  // namespace common::aws
