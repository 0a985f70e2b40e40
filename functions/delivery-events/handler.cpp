#include "functions/delivery-events/handler.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "common/compliance/phone.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/time.hpp"
#include "runtime/runtime.hpp"

namespace delivery_events {
namespace {

using common::consent::DeliveryEvent;
using common::consent::DeliveryOutcome;
using json = nlohmann::json;

const char* outcome_name(DeliveryOutcome o) {
  switch (o) {
    case DeliveryOutcome::kApplied:
      return "applied";
    case DeliveryOutcome::kHistoryOnly:
      return "history_only";
    case DeliveryOutcome::kDuplicate:
      return "duplicate";
    case DeliveryOutcome::kUnknownMessage:
      return "unknown";
  }
  return "unknown";
}

// A decimal amount as a metric value (0 when absent or unreadable: the parser checked it).
double amount(const std::string& decimal) {
  if (decimal.empty()) return 0;
  try {
    return std::stod(decimal);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "delivery-events", c);
  settings.check("delivery-events");
  return c;
}

std::string carrier_block_metric(std::string_view type) {
  if (type == "TEXT_BLOCKED") return "TextBlocked";
  if (type == "TEXT_CARRIER_BLOCKED") return "TextCarrierBlocked";
  if (type == "TEXT_SPAM") return "TextSpam";
  if (type == "TEXT_PROTECT_BLOCKED") return "TextProtectBlocked";
  return "";
}

Handler::Handler(Config config, Services services)
    : config_(std::move(config)),
      services_(services),
      store_(services.dynamodb, {config_.contacts_table, config_.message_log_table}) {}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  auto& log = services_.logger;
  auto& metrics = services_.metrics;
  std::vector<ParsedRecord> records;
  try {
    records = parse_sns_event(invocation.payload);
  } catch (const std::invalid_argument& e) {
    log.error("invalid event", {{"reason", e.what()}});
    metrics.add("InvalidEvents", 1);
    metrics.flush();
    throw runtime::FunctionError("InvalidEvent", e.what());
  }

  json results = json::array();
  int recorded = 0, history_only = 0, duplicates = 0, unknown = 0, ignored = 0, malformed = 0,
      failed = 0;
  std::map<std::string, int> failed_by_status;
  std::string first_failure;
  for (const auto& record : records) {
    json entry = {{"index", record.index}, {"sns_message_id", record.sns_message_id}};
    if (!record.error.empty()) {
      ++malformed;
      entry["status"] = "malformed";
      entry["reason"] = record.error;
      metrics.add("MalformedRecords", 1);
      log.error("malformed record skipped", {{"index", record.index},
                                             {"sns_message_id", record.sns_message_id},
                                             {"reason", record.error}});
      results.push_back(entry);
      continue;
    }
    if (!record.event) {
      ++ignored;
      entry["status"] = "ignored";
      entry["event_type"] = record.ignored_type;
      metrics.add("IgnoredEvents", 1);
      log.info("not an SMS event: ignored",
               {{"sns_message_id", record.sns_message_id}, {"event_type", record.ignored_type}});
      results.push_back(entry);
      continue;
    }
    const DeliveryEvent& e = *record.event;
    const std::string phone = common::compliance::mask_phone_number(e.destination_phone_number);
    entry["message_id"] = e.message_id;
    entry["event_type"] = e.event_type;
    metrics.add("DeliveryEvents", 1);
    try {
      const auto r = store_.record_delivery_event(e);
      entry["status"] = outcome_name(r.outcome);
      const json fields = {{"message_id", e.message_id},         {"event_type", e.event_type},
                           {"message_status", e.message_status}, {"final", e.is_final},
                           {"outcome", outcome_name(r.outcome)}, {"phone", phone}};
      switch (r.outcome) {
        case DeliveryOutcome::kUnknownMessage:
          ++unknown;
          metrics.add("UnknownMessages", 1);
          log.warn("delivery event for an unknown message (not ours, or the index lags)", fields);
          break;
        case DeliveryOutcome::kDuplicate:
          ++duplicates;
          metrics.add("DuplicateEvents", 1);
          log.info("duplicate delivery event ignored", fields);
          break;
        case DeliveryOutcome::kApplied:
        case DeliveryOutcome::kHistoryOnly:
          (r.outcome == DeliveryOutcome::kApplied ? recorded : history_only) += 1;
          if (const std::string block = carrier_block_metric(e.event_type); !block.empty()) {
            metrics.add(block, 1);
          }
          if (r.became_final) {
            // Each message counted once, at its first final status: the inputs of
            // DeliverySuccessRate (100 * MessagesDelivered / MessagesFinal) and its cost.
            metrics.add("MessagesFinal", 1);
            if (common::consent::is_delivered(e.event_type)) {
              metrics.add("MessagesDelivered", 1);
            } else {
              metrics.add("MessagesFailed", 1);
              ++failed_by_status[e.event_type];
            }
            const double price = amount(e.total_message_price);
            const double fee = amount(e.total_carrier_fee);
            metrics.add("MessagePrice", price, "None");
            metrics.add("CarrierFees", fee, "None");
            metrics.add("DeliveryCost", price + fee, "None");
          }
          log.info("delivery event recorded", fields);
          break;
      }
      if (r.contact_flagged) {
        metrics.add("ContactsFlagged", 1);
        log.warn("carrier block or spam flag recorded on the contact", fields);
      }
    } catch (const std::exception& ex) {
      ++failed;
      entry["status"] = "failed";
      entry["reason"] = ex.what();
      if (first_failure.empty()) first_failure = ex.what();
      metrics.add("RecordFailures", 1);
      log.error("record failed; the invocation will fail so Lambda retries it",
                {{"message_id", e.message_id},
                 {"event_type", e.event_type},
                 {"phone", phone},
                 {"error", ex.what()}});
    }
    results.push_back(entry);
  }
  metrics.flush();
  // By Status too (the shared Metrics carries FunctionName only).
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(common::now_ms().time_since_epoch()).count();
  for (const auto& [status, n] : failed_by_status) {
    common::observe::write_dimensioned_metric(services_.metrics_out, config_.metrics_namespace,
                                              config_.function_name, "Status", status,
                                              "MessagesFailed", n, now_ms);
  }
  json summary = {
      {"records", records.size()}, {"recorded", recorded}, {"history_only", history_only},
      {"duplicates", duplicates},  {"unknown", unknown},   {"ignored", ignored},
      {"malformed", malformed},    {"failed", failed},     {"results", results}};
  if (failed > 0) {
    throw runtime::FunctionError("RecordsFailed", std::to_string(failed) + " of " +
                                                      std::to_string(records.size()) +
                                                      " records failed: " + first_failure);
  }
  return summary.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace delivery_events
