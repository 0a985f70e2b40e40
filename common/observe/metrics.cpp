#include "common/observe/metrics.hpp"

#include <ostream>

#include "common/time.hpp"

namespace common::observe {

Metrics::Metrics(std::string metric_namespace, std::string function_name, std::ostream& out)
    : namespace_(std::move(metric_namespace)), function_name_(std::move(function_name)), out_(out) {}

void Metrics::add(const std::string& name, double value, std::string_view unit) {
  auto& entry = values_[name];
  entry.value += value;
  entry.unit = std::string(unit);
}

void Metrics::set_property(const std::string& key, nlohmann::json value) {
  properties_[key] = std::move(value);
}

double Metrics::value(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : it->second.value;
}

void Metrics::flush() {
  if (values_.empty()) {
    properties_ = nlohmann::json::object();
    return;
  }
  nlohmann::json definitions = nlohmann::json::array();
  nlohmann::json line = properties_;
  for (const auto& [name, entry] : values_) {
    definitions.push_back({{"Name", name}, {"Unit", entry.unit}});
    line[name] = entry.value;
  }
  line["FunctionName"] = function_name_;
  if (!line_level_.empty()) line["level"] = line_level_;
  line["_aws"] = {
      {"Timestamp", now_ms().time_since_epoch().count()},
      {"CloudWatchMetrics",
       {{{"Namespace", namespace_}, {"Dimensions", {{"FunctionName"}}}, {"Metrics", definitions}}}}};
  // A log line: a stray byte in a property (a request id) must not throw out of a handler.
  out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  values_.clear();
  properties_ = nlohmann::json::object();
}

void write_dimensioned_metric(std::ostream& out, std::string_view metric_namespace,
                              std::string_view function_name, std::string_view dimension,
                              std::string_view dimension_value, std::string_view metric,
                              double value, std::int64_t timestamp_ms, std::string_view level) {
  nlohmann::json line = {
      {"_aws",
       {{"Timestamp", timestamp_ms},
        {"CloudWatchMetrics",
         nlohmann::json::array(
             {{{"Namespace", metric_namespace},
               {"Dimensions", nlohmann::json::array({nlohmann::json::array({"FunctionName", dimension})})},
               {"Metrics", nlohmann::json::array({{{"Name", metric}, {"Unit", "Count"}}})}}})}}},
      {"FunctionName", function_name},
      {std::string(dimension), dimension_value},
      {std::string(metric), value}};
  if (!level.empty()) line["level"] = level;
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace common::observe
