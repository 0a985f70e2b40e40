// CloudWatch metrics in Embedded Metric Format (EMF), flushed once per invocation.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace common::observe {

/// Collects metric values during an invocation and writes them as one EMF JSON
/// line on flush(), which CloudWatch Logs turns into metrics with no API call.
/// Dimension: FunctionName. Values of the same name are summed.
class Metrics {
 public:
  /// `metric_namespace`: CloudWatch namespace (e.g. "SmsCompliance").
  Metrics(std::string metric_namespace, std::string function_name, std::ostream& out);

  /// Adds `value` (unit "Count", "Milliseconds", ...) to metric `name`.
  void add(const std::string& name, double value, std::string_view unit = "Count");
  /// A property logged with the metrics (searchable, not a metric), e.g. the request id.
  void set_property(const std::string& key, nlohmann::json value);
  /// A "level" member on every EMF line from now on ("" for none, the default). Lambda's log-level
  /// filtering (JSON log format) treats a line without one as INFO and drops it when the
  /// function's level is WARN or above; lines carrying that level are kept, so the metrics (and
  /// the alarms on them) survive a quieter log level.
  void set_line_level(std::string level) { line_level_ = std::move(level); }
  /// Current sum of `name` (0 when unset), for summaries and tests.
  double value(const std::string& name) const;
  /// Writes the EMF line (nothing when no metric was added) and clears the values.
  void flush();

 private:
  struct Entry {
    double value = 0;
    std::string unit;
  };
  std::string namespace_;
  std::string function_name_;
  std::ostream& out_;
  std::map<std::string, Entry> values_;
  nlohmann::json properties_ = nlohmann::json::object();
  std::string line_level_;
};

/// Writes one EMF line now: metric `metric` = `value` (unit Count) with the dimensions
/// [FunctionName, `dimension`] (`dimension` = `dimension_value`), at `timestamp_ms` (epoch ms).
/// For a breakdown the shared Metrics (FunctionName only) cannot carry: notify's sends by
/// Category, blocks by Reason. `level` as Metrics::set_line_level ("" for none).
void write_dimensioned_metric(std::ostream& out, std::string_view metric_namespace,
                              std::string_view function_name, std::string_view dimension,
                              std::string_view dimension_value, std::string_view metric,
                              double value, std::int64_t timestamp_ms, std::string_view level = "");

}  // namespace common::observe
