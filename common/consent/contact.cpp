#include "common/consent/contact.hpp"

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

// The S value of `name`; marks the contact unreadable when the attribute has another type.
std::string text(const AttributeMap& item, std::string_view name, bool& unreadable) {
  auto it = item.find(std::string(name));
  if (it == item.end()) return "";
  if (const std::string* s = it->second.as_s()) return *s;
  unreadable = true;
  return "";
}

}  // namespace

Contact Contact::from_item(const std::optional<AttributeMap>& item) {
  Contact c;
  if (!item) return c;
  c.exists = true;
  bool bad = false;
  c.phone_number = text(*item, "phone_number", bad);
  if (auto it = item->find("version"); it != item->end()) {
    c.has_version = true;
    auto v = it->second.as_int();
    if (!v) bad = true;
    c.version = v.value_or(0);
  }
  c.consent_status = text(*item, "consent_status", bad);
  c.opted_in_at = text(*item, "opted_in_at", bad);
  c.opt_in_method = text(*item, "opt_in_method", bad);
  c.opt_in_disclosure_version = text(*item, "opt_in_disclosure_version", bad);
  // Not a consent decision input: a stray type only loses the zone, it does not block sends.
  bool zone_unreadable = false;
  c.time_zone = text(*item, "time_zone", zone_unreadable);
  // Not a decision input either: an unreadable or unknown language falls back to English.
  bool language_unreadable = false;
  c.language = text(*item, "language", language_unreadable);
  if (c.language != "en" && c.language != "es") c.language.clear();
  c.opted_out_at = text(*item, "opted_out_at", bad);
  c.opt_out_latest_request_at = text(*item, "opt_out_latest_request_at", bad);
  c.opt_out_deadline = text(*item, "opt_out_deadline", bad);
  c.opt_out_honored_at = text(*item, "opt_out_honored_at", bad);
  c.opt_out_list_synced_at = text(*item, "opt_out_list_synced_at", bad);
  c.opt_out_channel = text(*item, "opt_out_channel", bad);
  c.opt_out_inbound_id = text(*item, "opt_out_inbound_id", bad);
  c.opt_out_pending = text(*item, "opt_out_pending", bad) == kPending;
  c.confirmation_claimed = item->count("opt_out_confirmation_claimed_at") > 0;
  c.opt_out_confirmation_message_id = text(*item, "opt_out_confirmation_message_id", bad);
  c.last_counted_inbound = text(*item, "last_counted_inbound", bad);
  if (auto it = item->find("marketing_sent_at"); it != item->end()) {
    const auto* list = it->second.as_list();
    if (list == nullptr) bad = true;
    for (const auto& v : list ? *list : std::vector<AttributeValue>{}) {
      const std::string* s = v.as_s();
      auto t = s ? common::parse_rfc3339(*s) : std::nullopt;
      if (!t) {
        bad = true;
        break;
      }
      c.marketing_sent_at.push_back(*t);
    }
  }
  if (!c.consent_status.empty() && c.consent_status != kOptedIn && c.consent_status != kOptedOut) {
    bad = true;
  }
  if (c.consent_status == kOptedIn && !common::parse_rfc3339(c.opted_in_at)) bad = true;
  c.unreadable = bad;
  return c;
}

SendDecision may_receive(const Contact& contact) {
  if (!contact.exists) return {false, "no_contact"};
  if (contact.unreadable) return {false, "unreadable_state"};
  if (contact.opted_out()) return {false, "opted_out"};
  if (contact.consent_status != kOptedIn) return {false, "no_consent"};
  if (!contact.opted_out_at.empty()) return {false, "opt_out_recorded"};
  return {true, "opted_in"};
}

OptOutChange opt_out_change(const Contact& current, common::TimePoint requested_at) {
  if (!current.opted_out()) {
    const auto opted_in = common::parse_rfc3339(current.opted_in_at);
    if (current.consent_status == kOptedIn && opted_in && requested_at < *opted_in) {
      return OptOutChange::kStale;
    }
    return OptOutChange::kNew;
  }
  const auto stored = common::parse_rfc3339(current.opted_out_at);
  if (!stored || requested_at < *stored) return OptOutChange::kEarlier;
  return OptOutChange::kUnchanged;
}

bool opt_in_applies(const Contact& current, common::TimePoint opted_in_at) {
  if (!current.opted_out()) return true;
  const auto stored = common::parse_rfc3339(current.latest_opt_out());
  return stored && *stored <= opted_in_at;
}

std::string_view to_string(OptOutChange change) {
  switch (change) {
    case OptOutChange::kNew: return "new";
    case OptOutChange::kEarlier: return "earlier";
    case OptOutChange::kStale: return "stale";
    case OptOutChange::kUnchanged: break;
  }
  return "unchanged";
}

}  // namespace common::consent
