#include "common/consent/notifications.hpp"

#include "common/consent/contact.hpp"
#include "common/error.hpp"

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

AttributeValue S(std::string_view s) { return AttributeValue::S(std::string(s)); }
AttributeValue N(std::int64_t n) { return AttributeValue::N(n); }
std::string time_text(common::TimePoint t) { return common::format_rfc3339(t); }

constexpr const char* kStatusNames[] = {"claimed", "deferred", "sent",
                                        "blocked", "expired",  "outcome_unknown"};

AttributeMap key_of(const std::string& phone, const std::string& idempotency_key) {
  return {{"phone_number", S(phone)},
          {"sk", S(std::string(kNotifySkPrefix) + idempotency_key)}};
}

std::optional<common::TimePoint> time_at(const AttributeMap& item, std::string_view name) {
  auto text = common::aws::get_s(item, name);
  if (!text) return std::nullopt;
  return common::parse_rfc3339(*text);
}

bool applied(common::aws::Outcome<common::aws::WriteResult> outcome) {
  return !outcome.value().condition_failed;
}

}  // namespace

std::string_view to_string(NotifyStatus status) {
  return kStatusNames[static_cast<int>(status)];
}

std::optional<NotifyStatus> parse_notify_status(std::string_view text) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i) {
    if (text == kStatusNames[i]) return static_cast<NotifyStatus>(i);
  }
  return std::nullopt;
}

int notify_shard(std::string_view phone_number, std::string_view idempotency_key) {
  // FNV-1a (32 bit): stable across builds and platforms, unlike std::hash.
  std::uint32_t h = 2166136261u;
  const auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 16777619u;
    }
  };
  mix(phone_number);
  mix("#");
  mix(idempotency_key);
  return static_cast<int>(h % kNotifyShards);
}

std::string Notification::sk() const { return std::string(kNotifySkPrefix) + idempotency_key; }

AttributeMap Notification::to_item() const {
  AttributeMap item = key_of(phone_number, idempotency_key);
  // An outbound item of the message log (direction/kind as reminders and replies), so delivery
  // events find it by message_ref or, once it has one, by MessageId.
  item["direction"] = S("outbound");
  item["kind"] = S("notify");
  item["notify_id"] = S(notify_id);
  item["idempotency_key"] = S(idempotency_key);
  item["status"] = S(to_string(status));
  item["category"] = S(category);
  if (!template_name.empty()) item["template"] = S(template_name);
  item["message_body"] = S(body);
  item["segments"] = N(segments);
  item["encoding"] = S(encoding);
  if (!language.empty()) item["language"] = S(language);
  item["fingerprint"] = S(fingerprint);
  item["accepted_at"] = S(time_text(accepted_at));
  if (send_after) item["send_after"] = S(time_text(*send_after));
  if (expires_at) item["expires_at"] = S(time_text(*expires_at));
  if (!context.empty()) {
    AttributeMap m;
    for (const auto& [k, v] : context) m[k] = S(v);
    item["context"] = AttributeValue::M(std::move(m));
  }
  item["source"] = S(source);
  if (!caller.empty()) item["caller"] = S(caller);
  if (!reason.empty()) item["reason"] = S(reason);
  if (!rule.empty()) item["rule"] = S(rule);
  if (!quiet_hours.empty()) item["quiet_hours"] = S(quiet_hours);
  if (send_at) item["send_at"] = S(time_text(*send_at));
  if (decided_at) item["decided_at"] = S(time_text(*decided_at));
  if (!message_id.empty()) item["message_id"] = S(message_id);
  if (!origination_identity.empty()) item["origination_identity"] = S(origination_identity);
  if (!message_type.empty()) item["message_type"] = S(message_type);
  if (status == NotifyStatus::kSent || status == NotifyStatus::kOutcomeUnknown) {
    item["sent_at"] = S(time_text(decided_at.value_or(accepted_at)));
  }
  item["attempts"] = N(attempts);
  // Where the history places it (kNotifyByPhoneIndex): its latest decision, else its acceptance.
  item["notify_at"] = S(time_text(decided_at.value_or(accepted_at)));
  if (status == NotifyStatus::kDeferred && send_at) {
    item["notify_due_shard"] = N(notify_shard(phone_number, idempotency_key));
    item["notify_due_at"] = S(time_text(*send_at));
  }
  // Kept as long as every other record of the number (kRetention from acceptance): longer than
  // any idempotency window a caller may rely on.
  item["ttl"] = N(common::epoch_seconds(accepted_at + kRetention));
  return item;
}

std::optional<Notification> Notification::from_item(const AttributeMap& item, std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<Notification> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  Notification n;
  n.phone_number = common::aws::get_s(item, "phone_number").value_or("");
  const std::string sk = common::aws::get_s(item, "sk").value_or("");
  if (n.phone_number.empty() || sk.rfind(kNotifySkPrefix, 0) != 0) return fail("not a notification");
  n.idempotency_key = sk.substr(kNotifySkPrefix.size());
  auto status = parse_notify_status(common::aws::get_s(item, "status").value_or(""));
  if (!status) return fail("status is missing or unknown");
  n.status = *status;
  auto accepted = time_at(item, "accepted_at");
  if (!accepted) return fail("accepted_at is missing or not RFC 3339");
  n.accepted_at = *accepted;
  n.notify_id = common::aws::get_s(item, "notify_id").value_or("");
  n.category = common::aws::get_s(item, "category").value_or("");
  n.template_name = common::aws::get_s(item, "template").value_or("");
  n.body = common::aws::get_s(item, "message_body").value_or("");
  n.segments = static_cast<int>(common::aws::get_int(item, "segments").value_or(0));
  n.encoding = common::aws::get_s(item, "encoding").value_or("");
  n.language = common::aws::get_s(item, "language").value_or("");
  n.fingerprint = common::aws::get_s(item, "fingerprint").value_or("");
  n.send_after = time_at(item, "send_after");
  n.expires_at = time_at(item, "expires_at");
  if (auto it = item.find("context"); it != item.end() && it->second.as_map() != nullptr) {
    for (const auto& [k, v] : *it->second.as_map()) {
      if (const auto* text = v.as_s()) n.context[k] = *text;
    }
  }
  n.source = common::aws::get_s(item, "source").value_or("");
  n.caller = common::aws::get_s(item, "caller").value_or("");
  n.reason = common::aws::get_s(item, "reason").value_or("");
  n.rule = common::aws::get_s(item, "rule").value_or("");
  n.quiet_hours = common::aws::get_s(item, "quiet_hours").value_or("");
  n.send_at = time_at(item, "send_at");
  n.decided_at = time_at(item, "decided_at");
  n.message_id = common::aws::get_s(item, "message_id").value_or("");
  n.origination_identity = common::aws::get_s(item, "origination_identity").value_or("");
  n.message_type = common::aws::get_s(item, "message_type").value_or("");
  n.attempts = static_cast<int>(common::aws::get_int(item, "attempts").value_or(0));
  if (n.status == NotifyStatus::kDeferred && !n.send_at) return fail("deferred without send_at");
  return n;
}

NotifyClaimed NotificationStore::claim(const Notification& n, bool sending,
                                       const std::string& owner, common::TimePoint lease_until,
                                       common::TimePoint now) {
  common::aws::PutItemRequest put;
  put.table_name = table_;
  if (sending) {
    Notification claimed = n;
    claimed.status = NotifyStatus::kClaimed;
    put.item = claimed.to_item();
    put.item["lease_owner"] = S(owner);
    put.item["lease_expires_at"] = S(time_text(lease_until));
  } else {
    put.item = n.to_item();
  }
  put.condition_expression = "attribute_not_exists(" + put.expression.name("sk") + ")";
  put.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
  auto result = db_.put_item(put).value();
  if (!result.condition_failed) return {NotifyClaimed::Kind::kClaimed, std::nullopt};

  std::optional<AttributeMap> item;
  if (!result.condition_failed_item.empty()) {
    item = std::move(result.condition_failed_item);
  } else {  // dynalite does not return the item on a failed condition
    item = db_.get_item({table_, key_of(n.phone_number, n.idempotency_key), true}).value();
  }
  if (!item) return claim(n, sending, owner, lease_until, now);  // deleted meanwhile (a release): again
  std::string error;
  auto existing = Notification::from_item(*item, &error);
  if (!existing) {
    throw common::Error::permanent("notify", "InvalidNotificationItem",
                                   "the stored notification " + n.sk() + " is unreadable: " + error);
  }
  if (existing->status != NotifyStatus::kClaimed) {
    return {NotifyClaimed::Kind::kExisting, std::move(existing)};
  }
  const auto lease = time_at(*item, "lease_expires_at");
  if (lease && *lease > now) return {NotifyClaimed::Kind::kInProgress, std::move(existing)};
  // The lease ran out: take it over (only if it is still the one we saw).
  common::aws::UpdateItemRequest u;
  auto& e = u.expression;
  u.table_name = table_;
  u.key = key_of(n.phone_number, n.idempotency_key);
  u.update_expression = "SET " + e.name("lease_owner") + " = " + e.value(S(owner)) + ", " +
                        e.name("lease_expires_at") + " = " + e.value(S(time_text(lease_until)));
  u.condition_expression = e.name("status") + " = " + e.value(S("claimed")) + " AND " +
                           e.name("lease_expires_at") + " = " +
                           e.value(S(common::aws::get_s(*item, "lease_expires_at").value_or("")));
  if (!applied(db_.update_item(u))) return {NotifyClaimed::Kind::kInProgress, std::move(existing)};
  return {NotifyClaimed::Kind::kTakenOver, std::move(existing)};
}

NotifyClaimed::Kind NotificationStore::claim_due(const Notification& n, const std::string& owner,
                                                 common::TimePoint lease_until,
                                                 common::TimePoint now) {
  common::aws::UpdateItemRequest u;
  auto& e = u.expression;
  u.table_name = table_;
  u.key = key_of(n.phone_number, n.idempotency_key);
  const std::string status = e.name("status");
  const std::string lease = e.name("lease_expires_at");
  u.update_expression = "SET " + status + " = " + e.value(S("claimed")) + ", " +
                        e.name("lease_owner") + " = " + e.value(S(owner)) + ", " + lease + " = " +
                        e.value(S(time_text(lease_until)));
  if (n.status == NotifyStatus::kDeferred) {
    u.condition_expression = status + " = " + e.value(S("deferred")) + " AND " +
                             e.name("notify_due_at") + " = " +
                             e.value(S(time_text(n.send_at.value_or(n.accepted_at))));
    return applied(db_.update_item(u)) ? NotifyClaimed::Kind::kClaimed
                                       : NotifyClaimed::Kind::kInProgress;
  }
  // A release run that crashed after its claim: the item is still in the index, claimed.
  u.condition_expression = status + " = " + e.value(S("claimed")) + " AND " + lease + " < " +
                           e.value(S(time_text(now)));
  return applied(db_.update_item(u)) ? NotifyClaimed::Kind::kTakenOver
                                     : NotifyClaimed::Kind::kInProgress;
}

bool NotificationStore::record(const Notification& n, const std::string& owner) {
  common::aws::PutItemRequest put;
  put.table_name = table_;
  put.item = n.to_item();
  auto& e = put.expression;
  put.condition_expression = e.name("status") + " = " + e.value(S("claimed")) + " AND " +
                             e.name("lease_owner") + " = " + e.value(S(owner));
  return applied(db_.put_item(put));
}

void NotificationStore::release(const Notification& n, const std::string& owner,
                                bool was_deferred) noexcept {
  try {
    const AttributeMap key = key_of(n.phone_number, n.idempotency_key);
    if (was_deferred) {
      // Back to how claim_due found it: deferred, with the send_at and due-index keys the claim
      // left in place (whatever the caller's copy now says).
      common::aws::UpdateItemRequest u;
      auto& e = u.expression;
      u.table_name = table_;
      u.key = key;
      u.update_expression = "SET " + e.name("status") + " = " + e.value(S("deferred")) +
                            " REMOVE " + e.name("lease_owner") + ", " + e.name("lease_expires_at");
      u.condition_expression = e.name("status") + " = " + e.value(S("claimed")) + " AND " +
                               e.name("lease_owner") + " = " + e.value(S(owner)) +
                               " AND attribute_exists(" + e.name("notify_due_at") + ")";
      (void)db_.update_item(u);
      return;
    }
    common::aws::DeleteItemRequest d;
    d.table_name = table_;
    d.key = key;
    d.condition_expression = d.expression.name("status") + " = " + d.expression.value(S("claimed")) +
                             " AND " + d.expression.name("lease_owner") + " = " +
                             d.expression.value(S(owner));
    (void)db_.delete_item(d);
  } catch (...) {
    // The lease runs out on its own.
  }
}

NotifyDuePage NotificationStore::due_page(int shard, common::TimePoint now,
                                          const AttributeMap& start, int limit) {
  common::aws::QueryRequest q;
  q.table_name = table_;
  q.index_name = std::string(kNotifyDueIndex);
  auto& e = q.expression;
  q.key_condition_expression = e.name("notify_due_shard") + " = " + e.value(N(shard)) + " AND " +
                               e.name("notify_due_at") + " <= " + e.value(S(time_text(now)));
  q.limit = limit;
  q.exclusive_start_key = start;
  auto result = db_.query(q).value();
  NotifyDuePage page;
  for (const auto& item : result.items) {
    std::string error;
    auto n = Notification::from_item(item, &error);
    if (n) {
      page.items.push_back(std::move(*n));
    } else {
      page.unreadable.push_back(common::aws::get_s(item, "sk").value_or("?") + ": " + error);
    }
  }
  page.next = std::move(result.last_evaluated_key);
  return page;
}

std::optional<Notification> NotificationStore::read(const std::string& phone,
                                                    const std::string& idempotency_key) {
  auto item = db_.get_item({table_, key_of(phone, idempotency_key), true}).value();
  if (!item) return std::nullopt;
  return Notification::from_item(*item);
}

}  // namespace common::consent
