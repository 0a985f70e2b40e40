#include "common/consent/delivery.hpp"

#include <algorithm>
#include <tuple>

namespace common::consent {

std::string DeliveryEvent::key() const {
  return event_type + "@" + std::to_string(event_timestamp_ms);
}

DeliveryState DeliveryState::from_item(const common::aws::AttributeMap& item) {
  DeliveryState s;
  if (auto type = common::aws::get_s(item, "delivery_status")) {
    s.has_status = true;
    s.event_type = *type;
    if (auto it = item.find("delivery_final"); it != item.end()) {
      s.is_final = it->second.as_bool().value_or(false);
    }
    s.event_timestamp_ms = common::aws::get_int(item, "delivery_event_at").value_or(0);
  }
  if (auto it = item.find("delivery_event_keys"); it != item.end()) {
    if (const auto* keys = it->second.as_set()) s.keys = *keys;
  }
  if (auto count = common::aws::get_int(item, "delivery_event_count")) {
    s.has_count = true;
    s.count = *count;
  }
  if (auto it = item.find("delivery_events"); it != item.end()) {
    if (const auto* list = it->second.as_list()) s.history = *list;
  }
  return s;
}

bool DeliveryState::seen(const std::string& key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool delivery_supersedes(const DeliveryState& stored, const DeliveryEvent& event) {
  if (!stored.has_status) return true;
  return std::tie(event.is_final, event.event_timestamp_ms, event.event_type) >
         std::tie(stored.is_final, stored.event_timestamp_ms, stored.event_type);
}

bool is_carrier_block(std::string_view type) {
  return type == "TEXT_BLOCKED" || type == "TEXT_CARRIER_BLOCKED" || type == "TEXT_SPAM" ||
         type == "TEXT_PROTECT_BLOCKED";
}

bool is_delivered(std::string_view type) {
  return type == "TEXT_DELIVERED" || type == "TEXT_SUCCESSFUL";
}

}  // namespace common::consent
