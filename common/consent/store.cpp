#include "common/consent/store.hpp"

#include "common/compliance/business_days.hpp"

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::AwsError;
using common::aws::AwsException;

AttributeValue S(std::string_view s) { return AttributeValue::S(std::string(s)); }
AttributeValue N(std::int64_t n) { return AttributeValue::N(n); }

// How often a read-decide-write is retried when another writer changed the item first.
constexpr int kMaxVersionConflicts = 5;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.append(", ");
    out.append(p);
  }
  return out;
}

AttributeValue all_channels() {
  return AttributeValue::SS(std::vector<std::string>(std::begin(kAllChannels), std::end(kAllChannels)));
}

std::int64_t ttl_after(common::TimePoint t) { return common::epoch_seconds(t + kRetention); }

// Every opt-out field, cleared by an opt-in so that no stale opt-out survives it.
constexpr const char* kOptOutFields[] = {
    "opted_out_at",         "opt_out_deadline",           "opt_out_pending",
    "opt_out_method",       "opt_out_channel",            "opt_out_rule",
    "opt_out_channels",     "opt_out_categories",         "opt_out_inbound_id",
    "opt_out_honored_at",   "opt_out_list_synced_at",     "opt_out_confirmation_claimed_at",
    "opt_out_confirmation_sent_at", "opt_out_confirmation_message_id", "opt_out_source",
    "opt_out_notes",        "opt_out_latest_request_at"};

}  // namespace

void ContactUpdate::set(std::string_view name, AttributeValue value) {
  sets_.push_back(expression_.name(name) + " = " + expression_.value(std::move(value)));
}

void ContactUpdate::set_if_absent(std::string_view name, AttributeValue value) {
  const std::string n = expression_.name(name);
  sets_.push_back(n + " = if_not_exists(" + n + ", " + expression_.value(std::move(value)) + ")");
}

void ContactUpdate::remove(std::string_view name) { removes_.push_back(expression_.name(name)); }

void ContactUpdate::add(std::string_view name, std::int64_t delta) {
  adds_.push_back(expression_.name(name) + " " + expression_.value(N(delta)));
}

common::aws::UpdateItemRequest ContactUpdate::build(const std::string& table,
                                                    const std::string& phone,
                                                    const std::string& condition) {
  common::aws::UpdateItemRequest request;
  request.table_name = table;
  request.key = {{"phone_number", S(phone)}};
  std::string expr;
  const auto clause = [&expr](std::string_view keyword, const std::vector<std::string>& parts) {
    if (parts.empty()) return;
    if (!expr.empty()) expr.append(" ");
    expr.append(keyword).append(" ").append(join(parts));
  };
  clause("SET", sets_);
  clause("REMOVE", removes_);
  clause("ADD", adds_);
  request.update_expression = expr;
  request.condition_expression = condition;
  request.expression = std::move(expression_);
  return request;
}

std::optional<AttributeMap> ConsentStore::read_item(const std::string& phone) {
  return db_.get_item({tables_.contacts, {{"phone_number", S(phone)}}, true}).value();
}

Contact ConsentStore::update(const std::string& phone,
                             const std::function<bool(const Contact&, ContactUpdate&)>& decide) {
  for (int attempt = 0; attempt < kMaxVersionConflicts; ++attempt) {
    Contact current = read(phone);
    ContactUpdate u;
    if (!decide(current, u)) return current;
    const std::string now = common::format_rfc3339(common::now_ms());
    u.set("version", N(current.version + 1));
    u.set("updated_at", S(now));
    u.set_if_absent("created_at", S(now));
    auto& e = u.expression();
    // An item without `version` (first written by a counter update) is claimed by
    // requiring it to still have none.
    const std::string condition =
        !current.exists        ? "attribute_not_exists(" + e.name("phone_number") + ")"
        : !current.has_version ? "attribute_not_exists(" + e.name("version") + ")"
                               : e.name("version") + " = " + e.value(N(current.version));
    auto request = u.build(tables_.contacts, phone, condition);
    request.return_values = common::aws::ReturnValues::kAllNew;  // the new state, no re-read
    auto result = db_.update_item(request).value();
    if (!result.condition_failed) return Contact::from_item(std::move(result.attributes));
  }
  throw AwsException(AwsError{"consent", "UpdateContact", "ContactContention",
                              "the contact kept changing under us", "", 0, "",
                              kMaxVersionConflicts, common::aws::ErrorKind::kTransient});
}

OptOutRecorded ConsentStore::record_opt_out(const OptOutRequest& r) {
  OptOutRecorded out;
  const std::string requested = common::format_rfc3339(r.requested_at);
  const std::string deadline =
      common::format_rfc3339(common::compliance::opt_out_deadline(r.requested_at));
  out.contact = update(r.phone_number, [&](const Contact& current, ContactUpdate& u) {
    out.change = opt_out_change(current, r.requested_at);
    if (out.change == OptOutChange::kStale) return false;
    if (out.change == OptOutChange::kUnchanged) {
      // The deadline stays with the earliest request; the latest is kept so that an
      // opt-in older than it can never apply.
      if (current.latest_opt_out() >= requested) return false;
      u.set("opt_out_latest_request_at", S(requested));
      return true;
    }
    u.set("consent_status", S(kOptedOut));
    u.set("opted_out_at", S(requested));
    u.set("opt_out_deadline", S(deadline));
    if (out.change == OptOutChange::kEarlier) {
      u.set("opt_out_latest_request_at", S(current.latest_opt_out()));
    }
    if (out.change == OptOutChange::kNew) {
      u.set("opt_out_latest_request_at", S(requested));
      u.set("opt_out_method", S(r.method));
      u.set("opt_out_channel", S(r.channel));
      if (!r.rule.empty()) u.set("opt_out_rule", S(r.rule)); else u.remove("opt_out_rule");
      u.set("opt_out_channels", all_channels());
      u.set("opt_out_categories", S("all"));
      if (!r.inbound_message_id.empty()) {
        u.set("opt_out_inbound_id", S(r.inbound_message_id));
      } else {
        u.remove("opt_out_inbound_id");
      }
      if (r.source) u.set("opt_out_source", *r.source); else u.remove("opt_out_source");
      if (!r.notes.empty()) u.set("opt_out_notes", S(r.notes)); else u.remove("opt_out_notes");
      u.set("opt_out_pending", S(kPending));
      u.remove("opt_out_honored_at");
      u.remove("opt_out_list_synced_at");
      u.remove("opt_out_confirmation_claimed_at");
      u.remove("opt_out_confirmation_sent_at");
      u.remove("opt_out_confirmation_message_id");
    }
    return true;
  });
  return out;
}

bool ConsentStore::mark_opt_out_honored(const std::string& phone, common::TimePoint now,
                                        bool require_pending) {
  const std::string at = common::format_rfc3339(now);
  ContactUpdate u;
  u.set("opt_out_list_synced_at", S(at));
  u.set_if_absent("opt_out_honored_at", S(at));
  u.set("updated_at", S(at));
  u.remove("opt_out_pending");
  // ADD keeps the optimistic-concurrency counter moving, so a read-decide-write racing this
  // one sees the change and decides again.
  u.add("version", 1);
  auto& e = u.expression();
  std::string condition = e.name("consent_status") + " = " + e.value(S(kOptedOut));
  if (require_pending) {
    condition += " AND " + e.name("opt_out_pending") + " = " + e.value(S(kPending));
  }
  return !db_.update_item(u.build(tables_.contacts, phone, condition)).value().condition_failed;
}

OptInRecorded ConsentStore::record_opt_in(const OptInRequest& r) {
  OptInRecorded out;
  bool first = true;
  out.contact = update(r.phone_number, [&](const Contact& current, ContactUpdate& u) {
    if (first) out.before = current;
    first = false;
    out.applied = opt_in_applies(current, r.opted_in_at);
    if (!out.applied) return false;
    u.set("consent_status", S(kOptedIn));
    u.set("opted_in_at", S(common::format_rfc3339(r.opted_in_at)));
    u.set("opt_in_method", S(r.method));
    u.set("opt_in_source", r.source);
    if (!r.disclosure_version.empty()) {
      u.set("opt_in_disclosure_version", S(r.disclosure_version));
    } else {
      u.remove("opt_in_disclosure_version");
    }
    if (!r.disclosure_text.empty()) {
      u.set("opt_in_disclosure_text", S(r.disclosure_text));
    } else {
      u.remove("opt_in_disclosure_text");
    }
    if (!current.opted_out_at.empty()) u.set("last_opted_out_at", S(current.opted_out_at));
    for (const char* field : kOptOutFields) u.remove(field);
    return true;
  });
  return out;
}

void ConsentStore::put_consent_event(const ConsentEvent& ev) {
  common::aws::PutItemRequest put;
  put.table_name = tables_.message_log;
  put.item = ev.details;
  put.item["phone_number"] = S(ev.phone_number);
  put.item["sk"] = S(common::format_rfc3339(ev.occurred_at) + "#consent#" + ev.event_id);
  put.item["direction"] = S("consent");
  put.item["event"] = S(ev.event);
  put.item["channel"] = S(ev.channel);
  put.item["method"] = S(ev.method);
  put.item["occurred_at"] = S(common::format_rfc3339(ev.occurred_at));
  put.item["ttl"] = N(ttl_after(ev.occurred_at));
  if (ev.event == "opt_out") {
    put.item["scope_channels"] = all_channels();
    put.item["scope_categories"] = S("all");
  }
  put.condition_expression = "attribute_not_exists(" + put.expression.name("sk") + ")";
  (void)db_.put_item(put).value();  // a failed condition means it was already written
}

void ConsentStore::record_outbound(const OutboundRecord& r) {
  const std::string at = common::format_rfc3339(r.sent_at);
  common::aws::PutItemRequest put;
  put.table_name = tables_.message_log;
  put.item = {{"phone_number", S(r.phone_number)},
              {"sk", S(at + "#out#" + r.message_id)},
              {"direction", S("outbound")},
              {"kind", S(r.kind)},
              {"message_id", S(r.message_id)},
              {"message_body", S(r.body)},
              {"origination_identity", S(r.origination_identity)},
              {"message_type", S(r.message_type)},
              {"sent_at", S(at)},
              {"ttl", N(ttl_after(r.sent_at))}};
  if (!r.in_reply_to.empty()) put.item["in_reply_to"] = S(r.in_reply_to);
  (void)db_.put_item(put).value();
  ContactUpdate u;
  u.add("message_count_out", 1);
  u.set("last_outbound_at", S(at));
  (void)db_.update_item(u.build(tables_.contacts, r.phone_number)).value();
}

void ConsentStore::record_blocked(const BlockedRecord& r) {
  const std::string at = common::format_rfc3339(r.blocked_at);
  common::aws::PutItemRequest put;
  put.table_name = tables_.message_log;
  put.item = {{"phone_number", S(r.phone_number)},
              {"sk", S(at + "#blocked#" + r.ref_id + "#" + r.kind)},
              {"direction", S("blocked")},
              {"kind", S(r.kind)},
              {"reason", S(r.reason)},
              {"message_body", S(r.body)},
              {"blocked_at", S(at)},
              {"ttl", N(ttl_after(r.blocked_at))}};
  if (!r.in_reply_to.empty()) put.item["in_reply_to"] = S(r.in_reply_to);
  (void)db_.put_item(put).value();
}

PendingPage ConsentStore::pending_opt_outs(int limit, const AttributeMap& start) {
  common::aws::QueryRequest q;
  q.table_name = tables_.contacts;
  q.index_name = std::string(kPendingIndex);
  q.key_condition_expression =
      q.expression.name("opt_out_pending") + " = " + q.expression.value(S(kPending));
  q.limit = limit;
  q.exclusive_start_key = start;
  auto result = db_.query(q).value();
  PendingPage page;
  page.next = std::move(result.last_evaluated_key);
  page.contacts.reserve(result.items.size());
  for (auto& item : result.items) page.contacts.push_back(Contact::from_item(item));
  return page;
}

}  // namespace common::consent
