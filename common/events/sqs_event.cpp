#include "common/events/sqs_event.hpp"

#include <simdjson.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace common::events {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// The member `key` as a string; nullopt when absent or null; throws naming `path` when it has
// another type.
std::optional<std::string> string_member(const object& o, std::string_view key,
                                         const std::string& path) {
  element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    throw std::runtime_error(path + "." + std::string(key) + " is not a string");
  }
  return std::string(s);
}

SqsRecord read_record(const element& e, const std::string& path) {
  SqsRecord r;
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    r.error = path + " is not an object";
    return r;
  }
  try {
    // The id first: a record that names itself can be reported as a batch item failure.
    auto id = string_member(o, "messageId", path);
    if (!id || id->empty()) throw std::runtime_error(path + ".messageId is missing");
    r.message_id = std::move(*id);
    auto source = string_member(o, "eventSource", path);
    if (source && *source != "aws:sqs") {
      throw std::runtime_error(path + ".eventSource is not \"aws:sqs\"");
    }
    auto body = string_member(o, "body", path);
    if (!body) throw std::runtime_error(path + ".body is missing");
    r.body = std::move(*body);
    r.event_source_arn = string_member(o, "eventSourceARN", path).value_or("");
    object attributes;
    if (o.at_key("attributes").get_object().get(attributes) == simdjson::SUCCESS) {
      r.sent_at = string_member(attributes, "SentTimestamp", path + ".attributes").value_or("");
      const std::string count =
          string_member(attributes, "ApproximateReceiveCount", path + ".attributes").value_or("");
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
      if (ec == std::errc() && end == count.data() + count.size() && n >= 0) r.receive_count = n;
    }
  } catch (const std::runtime_error& error) {
    r.error = error.what();
  }
  return r;
}

}  // namespace

bool is_sqs_event(std::string_view payload) {
  // A cheap look for the marker; parse_sqs_event does the validation.
  return payload.find("\"aws:sqs\"") != std::string_view::npos &&
         payload.find("\"Records\"") != std::string_view::npos;
}

SqsEvent parse_sqs_event(std::string_view payload) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(payload.data(), payload.size()).get(root) != simdjson::SUCCESS) {
    throw std::invalid_argument("the event is not JSON");
  }
  simdjson::dom::array records;
  if (root.at_key("Records").get_array().get(records) != simdjson::SUCCESS) {
    throw std::invalid_argument("the event has no Records array");
  }
  SqsEvent event;
  std::size_t i = 0;
  for (element e : records) {
    event.records.push_back(read_record(e, "Records[" + std::to_string(i) + "]"));
    ++i;
  }
  return event;
}

std::string batch_response(const std::vector<std::string>& failed_message_ids) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& id : failed_message_ids) failures.push_back({{"itemIdentifier", id}});
  return nlohmann::json{{"batchItemFailures", failures}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace common::events
