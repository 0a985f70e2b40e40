#include "common/consent/store.hpp"

#include "common/compliance/business_days.hpp"
#include "common/consent/gate.hpp"

namespace common::consent {

// A contacts-table update under construction: SET/REMOVE/ADD clauses, every name and value
// through placeholders (so reserved words never break it).
class ContactUpdate {
 public:
  void set(std::string_view name, common::aws::AttributeValue value);
  /// SET name = if_not_exists(name, value): keeps a value already stored.
  void set_if_absent(std::string_view name, common::aws::AttributeValue value);
  void remove(std::string_view name);
  void add(std::string_view name, std::int64_t delta);
  /// ADD `member` to the string set `name` (created when absent).
  void add_to_set(std::string_view name, std::string member);
  /// SET name = list_append(if_not_exists(name, []), [entry]).
  void append_to_list(std::string_view name, common::aws::AttributeValue entry);
  bool empty() const { return sets_.empty() && removes_.empty() && adds_.empty(); }

  /// The UpdateItem request for `phone` in `table`, with `condition` (placeholders from
  /// expression(); empty: unconditional). Consumes the builder.
  common::aws::UpdateItemRequest build(const std::string& table, const std::string& phone,
                                       const std::string& condition = "");
  /// For placeholders in a condition.
  common::aws::ExpressionBuilder& expression() { return expression_; }

 private:
  common::aws::ExpressionBuilder expression_;
  std::vector<std::string> sets_, removes_, adds_;
};

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

AttributeValue S(std::string_view s) {
  return AttributeValue::S(std::string(s));
}
AttributeValue N(std::int64_t n) {
  return AttributeValue::N(n);
}

// processing_status of an inbound item.
constexpr std::string_view kInProgress = "in_progress";
constexpr std::string_view kProcessed = "processed";

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
  return AttributeValue::SS(
      std::vector<std::string>(std::begin(kAllChannels), std::end(kAllChannels)));
}

// Evidence as a DynamoDB map of strings.
AttributeValue evidence(const Evidence& e) {
  AttributeMap m;
  for (const auto& [key, value] : e) m[key] = S(value);
  return AttributeValue::M(std::move(m));
}

std::int64_t ttl_after(common::TimePoint t) {
  return common::epoch_seconds(t + kRetention);
}

// Every opt-out field, cleared by an opt-in so that no stale opt-out survives it.
constexpr const char* kOptOutFields[] = {"opted_out_at",
                                         "opt_out_deadline",
                                         "opt_out_pending",
                                         "opt_out_method",
                                         "opt_out_channel",
                                         "opt_out_rule",
                                         "opt_out_channels",
                                         "opt_out_categories",
                                         "opt_out_inbound_id",
                                         "opt_out_honored_at",
                                         "opt_out_list_synced_at",
                                         "opt_out_confirmation_claimed_at",
                                         "opt_out_confirmation_sent_at",
                                         "opt_out_confirmation_message_id",
                                         "opt_out_source",
                                         "opt_out_notes",
                                         "opt_out_latest_request_at",
                                         "opt_out_confirmation_outcome_unknown_at"};

}  // namespace

void ContactUpdate::set(std::string_view name, AttributeValue value) {
  sets_.push_back(expression_.name(name) + " = " + expression_.value(std::move(value)));
}

void ContactUpdate::set_if_absent(std::string_view name, AttributeValue value) {
  const std::string n = expression_.name(name);
  sets_.push_back(n + " = if_not_exists(" + n + ", " + expression_.value(std::move(value)) + ")");
}

void ContactUpdate::remove(std::string_view name) {
  removes_.push_back(expression_.name(name));
}

void ContactUpdate::add(std::string_view name, std::int64_t delta) {
  adds_.push_back(expression_.name(name) + " " + expression_.value(N(delta)));
}

void ContactUpdate::add_to_set(std::string_view name, std::string member) {
  adds_.push_back(expression_.name(name) + " " +
                  expression_.value(AttributeValue::SS({std::move(member)})));
}

void ContactUpdate::append_to_list(std::string_view name, AttributeValue entry) {
  const std::string n = expression_.name(name);
  sets_.push_back(n + " = list_append(if_not_exists(" + n + ", " +
                  expression_.value(AttributeValue::L({})) + "), " +
                  expression_.value(AttributeValue::L({std::move(entry)})) + ")");
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

namespace {

// A universal opt-out from nothing: every opt-out field, the deadline, the pending mark, and the
// confirmation and list state of any earlier opt-out removed (kNew); with `claim_confirmation`
// the new opt-out's confirmation claimed at once.
void write_new_opt_out(const OptOutRequest& r, ContactUpdate& u, bool claim_confirmation = false) {
  const std::string requested = common::format_rfc3339(r.requested_at);
  u.set("consent_status", S(kOptedOut));
  u.set("opted_out_at", S(requested));
  u.set("opt_out_deadline",
        S(common::format_rfc3339(common::compliance::opt_out_deadline(r.requested_at))));
  u.set("opt_out_latest_request_at", S(requested));
  u.set("opt_out_method", S(r.method));
  u.set("opt_out_channel", S(r.channel));
  if (!r.rule.empty())
    u.set("opt_out_rule", S(r.rule));
  else
    u.remove("opt_out_rule");
  u.set("opt_out_channels", all_channels());
  u.set("opt_out_categories", S("all"));
  if (!r.inbound_message_id.empty()) {
    u.set("opt_out_inbound_id", S(r.inbound_message_id));
  } else {
    u.remove("opt_out_inbound_id");
  }
  if (r.source)
    u.set("opt_out_source", evidence(*r.source));
  else
    u.remove("opt_out_source");
  if (!r.notes.empty())
    u.set("opt_out_notes", S(r.notes));
  else
    u.remove("opt_out_notes");
  u.set("opt_out_pending", S(kPending));
  if (claim_confirmation) {
    u.set("opt_out_confirmation_claimed_at", S(common::format_rfc3339(common::now_ms())));
  } else {
    u.remove("opt_out_confirmation_claimed_at");
  }
  for (const char* field :
       {"opt_out_honored_at", "opt_out_list_synced_at", "opt_out_confirmation_sent_at",
        "opt_out_confirmation_message_id", "opt_out_confirmation_outcome_unknown_at"}) {
    u.remove(field);
  }
}

// The opt-out decided by opt_out_change (`change`) written onto `current`; false: nothing to do.
bool write_opt_out(const Contact& current, OptOutChange change, const OptOutRequest& r,
                   ContactUpdate& u) {
  const std::string requested = common::format_rfc3339(r.requested_at);
  switch (change) {
    case OptOutChange::kStale:
      return false;
    case OptOutChange::kUnchanged:
      // The deadline stays with the earliest request; the latest is kept so that an
      // opt-in older than it can never apply.
      if (current.latest_opt_out() >= requested) return false;
      u.set("opt_out_latest_request_at", S(requested));
      return true;
    case OptOutChange::kEarlier:
      u.set("opted_out_at", S(requested));
      u.set("opt_out_deadline",
            S(common::format_rfc3339(common::compliance::opt_out_deadline(r.requested_at))));
      u.set("opt_out_latest_request_at", S(current.latest_opt_out()));
      return true;
    case OptOutChange::kNew:
      write_new_opt_out(r, u);
      return true;
  }
  return false;
}

// The condition under which opt_out_change() answers kNew, for a write that does not read
// first: not opted out, and no opt-in later than the request. Times are compared as text, which
// orders the canonical RFC 3339 form the store writes (format_rfc3339: UTC, milliseconds).
std::string new_opt_out_condition(common::aws::ExpressionBuilder& e, common::TimePoint requested) {
  const std::string status = e.name("consent_status");
  const std::string opted_in = e.name("opted_in_at");
  return "(attribute_not_exists(" + status + ") OR " + status + " <> " + e.value(S(kOptedOut)) +
         ") AND (attribute_not_exists(" + status + ") OR " + status + " <> " +
         e.value(S(kOptedIn)) + " OR attribute_not_exists(" + opted_in + ") OR " + opted_in +
         " <= " + e.value(S(common::format_rfc3339(requested))) + ")";
}

// A write that does not go through update(): moves `version` on (so a read-decide-write racing
// it decides again) and stamps the item.
void bump_version(ContactUpdate& u) {
  const std::string now = common::format_rfc3339(common::now_ms());
  u.add("version", 1);
  u.set("updated_at", S(now));
  u.set_if_absent("created_at", S(now));
}

// What update() should start from after a conditional write failed: the item DynamoDB returned
// with the failure, or (dynalite returns none) nothing, so update() reads it.
std::optional<std::optional<AttributeMap>> known_after_failure(AttributeMap item) {
  if (item.empty()) return std::nullopt;
  return std::optional<AttributeMap>(std::move(item));
}

// The inbound counters of `m`: counted once per message (last_counted_inbound).
void count_inbound(const InboundRecord& m, const std::string& conversation_state,
                   ContactUpdate& u) {
  u.add("message_count_in", 1);
  u.set("last_inbound_at", S(common::format_rfc3339(m.received_at)));
  u.set("last_counted_inbound", S(m.sk()));
  if (!conversation_state.empty()) u.set("conversation_state", S(conversation_state));
}

AttributeMap log_key(const std::string& phone, const std::string& sk) {
  return {{"phone_number", S(phone)}, {"sk", S(sk)}};
}

// The inbound item's attributes that every state of it carries.
AttributeMap inbound_item(const InboundRecord& m) {
  AttributeMap item = {{"phone_number", S(m.phone_number)},
                       {"sk", S(m.sk())},
                       {"direction", S("inbound")},
                       {"message_id", S(m.message_id)},
                       {"sns_message_id", S(m.sns_message_id)},
                       {"received_at", S(common::format_rfc3339(m.received_at))},
                       {"message_body", S(m.body)},
                       {"ttl", N(ttl_after(m.received_at))}};
  if (!m.destination_number.empty()) item["destination_number"] = S(m.destination_number);
  if (!m.message_keyword.empty()) item["message_keyword"] = S(m.message_keyword);
  if (!m.inbound_message_id.empty()) item["inbound_message_id"] = S(m.inbound_message_id);
  if (!m.previous_published_message_id.empty()) {
    item["previous_published_message_id"] = S(m.previous_published_message_id);
  }
  return item;
}

AttributeMap consent_event_item(const ConsentEvent& ev) {
  AttributeMap item;
  const auto text = [&item](const char* name, const std::string& value) {
    if (!value.empty()) item[name] = S(value);
  };
  text("rule", ev.rule);
  text("inbound_message_id", ev.inbound_message_id);
  if (ev.deadline) item["deadline"] = S(common::format_rfc3339(*ev.deadline));
  if (ev.superseded_by_opt_in)
    item["superseded_by_opt_in"] = AttributeValue::Bool(*ev.superseded_by_opt_in);
  text("change", ev.change);
  if (ev.applied) item["applied"] = AttributeValue::Bool(*ev.applied);
  text("reported_by", ev.reported_by);
  text("caller_ip", ev.caller_ip);
  text("notes", ev.notes);
  text("disclosure_version", ev.disclosure_version);
  text("disclosure_text", ev.disclosure_text);
  if (ev.source) item["source"] = evidence(*ev.source);
  item["phone_number"] = S(ev.phone_number);
  // The honour of an opt-out is the system's act, not the person's: its own direction, so
  // "consent" items stay the person's decisions.
  const std::string direction = ev.event == "opt_out_honored" ? "honor" : "consent";
  item["sk"] = S(common::format_rfc3339(ev.occurred_at) + "#" + direction + "#" + ev.event_id);
  item["direction"] = S(direction);
  item["event"] = S(ev.event);
  item["channel"] = S(ev.channel);
  item["method"] = S(ev.method);
  item["occurred_at"] = S(common::format_rfc3339(ev.occurred_at));
  item["ttl"] = N(ttl_after(ev.occurred_at));
  if (ev.event == "opt_out") {
    item["scope_channels"] = all_channels();
    item["scope_categories"] = S("all");
    item["opt_out_day"] = S(common::format_rfc3339(ev.occurred_at).substr(0, 10));
  }
  if (ev.requested_at) {
    item["requested_at"] = S(common::format_rfc3339(*ev.requested_at));
  }
  if (ev.business_days) item["business_days"] = N(*ev.business_days);
  if (ev.within_deadline) item["within_deadline"] = AttributeValue::Bool(*ev.within_deadline);
  text("honored_by", ev.honored_by);
  return item;
}

AttributeMap outbound_item(const OutboundRecord& r) {
  const std::string at = common::format_rfc3339(r.sent_at);
  AttributeMap item = {{"phone_number", S(r.phone_number)},
                       {"sk", S(r.message_ref())},
                       {"direction", S("outbound")},
                       {"kind", S(r.kind)},
                       {"status", S(r.outcome_unknown ? "outcome_unknown" : "sent")},
                       {"message_body", S(r.body)},
                       {"origination_identity", S(r.origination_identity)},
                       {"message_type", S(r.message_type)},
                       {"sent_at", S(at)},
                       {"ttl", N(ttl_after(r.sent_at))}};
  // Only a known MessageId goes into the sparse index kMessageIdIndex.
  if (!r.message_id.empty()) item["message_id"] = S(r.message_id);
  if (!r.in_reply_to.empty()) item["in_reply_to"] = S(r.in_reply_to);
  if (!r.quiet_hours.empty()) item["quiet_hours"] = S(r.quiet_hours);
  if (!r.language.empty()) item["language"] = S(r.language);
  return item;
}

AttributeMap blocked_item(const BlockedRecord& r) {
  const std::string at = common::format_rfc3339(r.blocked_at);
  AttributeMap item = {{"phone_number", S(r.phone_number)},
                       {"sk", S(at + "#blocked#" + r.ref_id + "#" + r.kind)},
                       {"direction", S("blocked")},
                       {"kind", S(r.kind)},
                       {"reason", S(r.reason)},
                       {"message_body", S(r.body)},
                       {"blocked_at", S(at)},
                       {"ttl", N(ttl_after(r.blocked_at))}};
  if (!r.in_reply_to.empty()) item["in_reply_to"] = S(r.in_reply_to);
  return item;
}

}  // namespace

std::string OutboundRecord::message_ref() const {
  if (!ref_id.empty()) return common::format_rfc3339(ref_at) + "#out#" + ref_id + "#" + kind;
  return common::format_rfc3339(sent_at) + "#out#" + message_id;
}

std::string InboundRecord::sk() const {
  return common::format_rfc3339(received_at) + "#in#" + message_id;
}

std::optional<AttributeMap> ConsentStore::read_item(const std::string& phone) {
  return db_.get_item({tables_.contacts, {{"phone_number", S(phone)}}, true}).value();
}

Contact ConsentStore::update(const std::string& phone,
                             const std::function<bool(const Contact&, ContactUpdate&)>& decide,
                             std::optional<std::optional<AttributeMap>> known) {
  for (int attempt = 0; attempt < kMaxVersionConflicts; ++attempt) {
    Contact current = known ? Contact::from_item(*known) : read(phone);
    known.reset();  // a conflict means the item changed: read it again
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
    // DynamoDB answers a failed condition with the item as it is now: the next round decides on
    // it without a read (dynalite does not, so a read it is there).
    request.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
    auto result = db_.update_item(request).value();
    if (!result.condition_failed) return Contact::from_item(std::move(result.attributes));
    if (!result.condition_failed_item.empty()) known = std::move(result.condition_failed_item);
  }
  throw common::Error::transient("consent", "ContactContention",
                                 "the contact kept changing under a read-decide-write (" +
                                     std::to_string(kMaxVersionConflicts) + " attempts)");
}

OptOutRecorded ConsentStore::record_opt_out(const OptOutRequest& r) {
  OptOutRecorded out;
  // The common case, a contact that is not opted out and has no newer opt-in, is one write.
  ContactUpdate u;
  write_new_opt_out(r, u);
  bump_version(u);
  const std::string condition = new_opt_out_condition(u.expression(), r.requested_at);
  auto request = u.build(tables_.contacts, r.phone_number, condition);
  request.return_values = common::aws::ReturnValues::kAllNew;
  request.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
  auto result = db_.update_item(request).value();
  if (!result.condition_failed) {
    out.change = OptOutChange::kNew;
    out.contact = Contact::from_item(std::move(result.attributes));
    return out;
  }
  out.contact = update(
      r.phone_number,
      [&](const Contact& current, ContactUpdate& next) {
        out.change = opt_out_change(current, r.requested_at);
        return write_opt_out(current, out.change, r, next);
      },
      known_after_failure(std::move(result.condition_failed_item)));
  return out;
}

OptInRecorded ConsentStore::record_opt_in(const OptInRequest& r,
                                          std::optional<std::optional<AttributeMap>> known) {
  OptInRecorded out;
  bool first = true;
  out.contact = update(
      r.phone_number,
      [&](const Contact& current, ContactUpdate& u) {
        if (first) out.before = current;
        first = false;
        out.applied = opt_in_applies(current, r.opted_in_at);
        if (!out.applied) return false;
        u.set("consent_status", S(kOptedIn));
        u.set("opted_in_at", S(common::format_rfc3339(r.opted_in_at)));
        u.set("opt_in_method", S(r.method));
        u.set("opt_in_source", evidence(r.source));
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
      },
      std::move(known));
  return out;
}

void ConsentStore::put_consent_event(const ConsentEvent& ev) {
  common::aws::PutItemRequest put;
  put.table_name = tables_.message_log;
  put.item = consent_event_item(ev);
  put.condition_expression = "attribute_not_exists(" + put.expression.name("sk") + ")";
  (void)db_.put_item(put).value();  // a failed condition means it was already written
}

OptOutChange ConsentStore::record_carrier_opt_out(const std::string& phone, common::TimePoint now,
                                                  const std::string& ref_name,
                                                  const std::string& ref_id) {
  OptOutRequest request;
  request.phone_number = phone;
  request.requested_at = now;
  request.channel = "sms";
  request.method = "carrier";
  request.rule = "DESTINATION_PHONE_NUMBER_OPTED_OUT";
  request.source = Evidence{{"source", "carrier"}, {ref_name, ref_id}};
  const auto recorded = record_opt_out(request);
  if (recorded.change == OptOutChange::kNew || recorded.change == OptOutChange::kEarlier) {
    ConsentEvent ev{phone, "opt_out", now, "carrier-" + ref_id, "sms", "carrier", {}};
    ev.rule = request.rule;
    ev.deadline = common::compliance::opt_out_deadline(now);
    ev.change = std::string(to_string(recorded.change));
    ev.source = request.source;
    put_consent_event(ev);
  }
  return recorded.change;
}

std::optional<common::TimePoint> ConsentStore::reserve_marketing_send(const std::string& phone,
                                                                      common::TimePoint now,
                                                                      int per_24h) {
  std::optional<common::TimePoint> full_until;
  (void)update(phone, [&](const Contact& current, ContactUpdate& u) {
    std::vector<common::TimePoint> recent = marketing_sends_in_24h(current, now);
    full_until = cap_frees_at(recent, per_24h);
    if (full_until) return false;
    recent.push_back(now);
    std::vector<AttributeValue> list;
    for (common::TimePoint t : recent) list.push_back(S(common::format_rfc3339(t)));
    u.set("marketing_sent_at", AttributeValue::L(std::move(list)));
    return true;
  });
  return full_until;
}

void ConsentStore::record_outbound(const OutboundRecord& r) {
  LogWrites writes;
  writes.outbound.push_back(r);
  write_log(writes);
  ContactFinish finish;
  finish.phone_number = r.phone_number;
  finish.sent = 1;
  finish.last_outbound_at = r.sent_at;
  (void)finish_contact(finish);
}

void ConsentStore::record_blocked(const BlockedRecord& r) {
  LogWrites writes;
  writes.blocked.push_back(r);
  write_log(writes);
}

ClaimedInbound ConsentStore::claim_inbound(const InboundRecord& m, const std::string& owner,
                                           common::TimePoint lease_until) {
  const std::string lease_text = common::format_rfc3339(lease_until);
  common::aws::PutItemRequest put;
  put.table_name = tables_.message_log;
  put.item = inbound_item(m);
  put.item["processing_status"] = S(kInProgress);
  put.item["lease_expires_at"] = S(lease_text);
  put.item["lease_owner"] = S(owner);
  put.condition_expression = "attribute_not_exists(" + put.expression.name("phone_number") + ")";
  put.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
  auto put_result = db_.put_item(put).value();
  if (!put_result.condition_failed) return {InboundClaim::kClaimed, false};

  std::optional<AttributeMap> existing;
  if (!put_result.condition_failed_item.empty()) {
    existing = std::move(put_result.condition_failed_item);
  } else {
    existing = db_.get_item({tables_.message_log, log_key(m.phone_number, m.sk()), true}).value();
  }
  if (existing && common::aws::get_s(*existing, "processing_status") == kProcessed) {
    return {InboundClaim::kDuplicate, false};
  }
  // An earlier attempt crashed or timed out and its lease ran out: take it over with an update,
  // so what that attempt recorded (its reply claim) is kept.
  common::aws::UpdateItemRequest takeover;
  auto& e = takeover.expression;
  takeover.table_name = tables_.message_log;
  takeover.key = log_key(m.phone_number, m.sk());
  takeover.update_expression = "SET " + e.name("lease_expires_at") + " = " +
                               e.value(S(lease_text)) + ", " + e.name("lease_owner") + " = " +
                               e.value(S(owner));
  takeover.condition_expression = e.name("processing_status") + " = " + e.value(S(kInProgress)) +
                                  " AND " + e.name("lease_expires_at") + " < " +
                                  e.value(S(common::format_rfc3339(common::now_ms())));
  takeover.return_values = common::aws::ReturnValues::kAllNew;
  auto taken = db_.update_item(takeover).value();
  if (!taken.condition_failed) {
    return {InboundClaim::kTakenOver, taken.attributes.count("reply_claimed_at") > 0};
  }
  // Another delivery of the same message is being processed right now: this one fails so
  // Lambda retries it after that one has finished.
  throw common::Error::transient("consent", "MessageInProgress",
                                 "another delivery of this message is being processed");
}

void ConsentStore::release_inbound(const InboundRecord& m, const std::string& owner) noexcept {
  try {
    common::aws::UpdateItemRequest u;
    auto& e = u.expression;
    u.table_name = tables_.message_log;
    u.key = log_key(m.phone_number, m.sk());
    u.update_expression = "SET " + e.name("lease_expires_at") + " = " + e.value(S("0"));
    u.condition_expression = e.name("processing_status") + " = " + e.value(S(kInProgress)) +
                             " AND " + e.name("lease_owner") + " = " + e.value(S(owner));
    (void)db_.update_item(u);
  } catch (...) {
    // Best effort: the lease runs out on its own.
  }
}

bool ConsentStore::claim_reply(const InboundRecord& m) {
  common::aws::UpdateItemRequest u;
  auto& e = u.expression;
  u.table_name = tables_.message_log;
  u.key = log_key(m.phone_number, m.sk());
  u.update_expression = "SET " + e.name("reply_claimed_at") + " = " +
                        e.value(S(common::format_rfc3339(common::now_ms())));
  u.condition_expression = "attribute_not_exists(" + e.name("reply_claimed_at") + ")";
  return !db_.update_item(u).value().condition_failed;
}

void ConsentStore::release_reply(const InboundRecord& m) {
  common::aws::UpdateItemRequest u;
  u.table_name = tables_.message_log;
  u.key = log_key(m.phone_number, m.sk());
  u.update_expression = "REMOVE " + u.expression.name("reply_claimed_at");
  (void)db_.update_item(u).value();
}

InboundApplied ConsentStore::apply_inbound(const InboundChange& change) {
  const InboundRecord& m = *change.message;
  const std::string sk = m.sk();
  InboundApplied out;
  // First attempt without a read: the message not counted yet and, for an opt-out, nothing
  // that would make it anything but new (new_opt_out_condition).
  ContactUpdate u;
  count_inbound(m, change.conversation_state, u);
  // The language rides on the same write (docs/compliance.md#languages): no extra call.
  if (!change.language.empty()) u.set("language", S(change.language));
  if (change.opt_out) {
    write_new_opt_out(*change.opt_out, u, change.claim_confirmation);
  }
  bump_version(u);
  auto& e = u.expression();
  std::string condition = "(attribute_not_exists(" + e.name("last_counted_inbound") + ") OR " +
                          e.name("last_counted_inbound") + " <> " + e.value(S(sk)) + ")";
  if (change.opt_out) {
    condition += " AND " + new_opt_out_condition(e, change.opt_out->requested_at);
  }
  auto request = u.build(tables_.contacts, m.phone_number, condition);
  request.return_values = common::aws::ReturnValues::kAllNew;
  request.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
  auto result = db_.update_item(request).value();
  if (!result.condition_failed) {
    out.contact = Contact::from_item(std::move(result.attributes));
    if (change.opt_out) {
      out.change = OptOutChange::kNew;
      if (change.claim_confirmation) out.confirmation = Confirmation::kClaimed;
    }
    return out;
  }

  // A redelivery, an opt-out already on record or a newer opt-in: decide on the item as it is.
  out.contact = update(
      m.phone_number,
      [&](const Contact& current, ContactUpdate& next) {
        out.confirmation = Confirmation::kNone;
        out.confirmation_message_id.clear();
        out.own_opt_out = false;
        bool write = false;
        std::string state = change.conversation_state;
        const std::string& inbound_id = current.opt_out_inbound_id;
        const bool claimed = current.confirmation_claimed;
        const bool listed = !current.opt_out_list_synced_at.empty();
        if (change.opt_out) {
          out.change = opt_out_change(current, change.opt_out->requested_at);
          if (out.change == OptOutChange::kStale) state = std::string(kOptedIn);
          if (out.change == OptOutChange::kNew) {
            write_new_opt_out(*change.opt_out, next, change.claim_confirmation);
            write = true;
            if (change.claim_confirmation) out.confirmation = Confirmation::kClaimed;
          } else {
            write = write_opt_out(current, out.change, *change.opt_out, next);
          }
          if (out.change != OptOutChange::kNew && inbound_id == m.message_id &&
              out.change != OptOutChange::kStale) {
            out.own_opt_out = true;
            if (claimed) {
              // An earlier attempt at this message claimed it: sent if it recorded the send,
              // else unknown, and never sent twice.
              out.confirmation_message_id = current.opt_out_confirmation_message_id;
              out.confirmation = out.confirmation_message_id.empty() ? Confirmation::kOutcomeUnknown
                                                                     : Confirmation::kSentBefore;
            } else if (!listed && change.claim_confirmation) {
              next.set("opt_out_confirmation_claimed_at",
                       S(common::format_rfc3339(common::now_ms())));
              out.confirmation = Confirmation::kClaimed;
              write = true;
            }
          }
        }
        if (current.last_counted_inbound != sk) {
          count_inbound(m, state, next);
          // With the count only: a redelivery never puts back the language of an older text.
          if (!change.language.empty()) next.set("language", S(change.language));
          write = true;
        } else if (!state.empty() && write) {
          next.set("conversation_state", S(state));
        }
        return write;
      },
      known_after_failure(std::move(result.condition_failed_item)));
  return out;
}

void ConsentStore::release_confirmation(const std::string& phone,
                                        const std::string& inbound_message_id) {
  ContactUpdate u;
  u.remove("opt_out_confirmation_claimed_at");
  auto& e = u.expression();
  const std::string condition = e.name("opt_out_inbound_id") + " = " +
                                e.value(S(inbound_message_id)) + " AND attribute_not_exists(" +
                                e.name("opt_out_confirmation_message_id") + ")";
  (void)db_.update_item(u.build(tables_.contacts, phone, condition)).value();
}

ContactFinished ConsentStore::finish_contact(const ContactFinish& f) {
  ContactFinished out;
  const auto build = [&](bool with_honor, bool with_confirmation) {
    ContactUpdate u;
    const std::string now = common::format_rfc3339(common::now_ms());
    if (with_honor) {
      const std::string at = common::format_rfc3339(*f.honored_at);
      u.set("opt_out_list_synced_at", S(at));
      u.set_if_absent("opt_out_honored_at", S(at));
      u.remove("opt_out_pending");
    }
    if (with_confirmation && !f.confirmation_message_id.empty()) {
      u.set("opt_out_confirmation_sent_at", S(now));
      u.set("opt_out_confirmation_message_id", S(f.confirmation_message_id));
    }
    if (with_confirmation && !f.confirmation_outcome_unknown_at.empty()) {
      u.set("opt_out_confirmation_outcome_unknown_at", S(f.confirmation_outcome_unknown_at));
    }
    if (f.sent > 0) {
      u.add("message_count_out", f.sent);
      if (f.last_outbound_at)
        u.set("last_outbound_at", S(common::format_rfc3339(*f.last_outbound_at)));
    }
    if (!f.conversation_state.empty()) u.set("conversation_state", S(f.conversation_state));
    if (u.empty()) return std::optional<common::aws::UpdateItemRequest>();
    // ADD keeps the optimistic-concurrency counter moving, so a read-decide-write racing this
    // one sees the change and decides again.
    u.add("version", 1);
    u.set("updated_at", S(now));
    auto& e = u.expression();
    std::string condition;
    if (with_honor || with_confirmation) {
      // Opt-out fields only on a contact that is still opted out (an opt-in clears them all).
      condition = e.name("consent_status") + " = " + e.value(S(kOptedOut));
    }
    if (with_honor && f.require_pending) {
      condition += " AND " + e.name("opt_out_pending") + " = " + e.value(S(kPending));
    }
    auto request = u.build(tables_.contacts, f.phone_number, condition);
    request.return_values = common::aws::ReturnValues::kAllNew;
    return std::optional<common::aws::UpdateItemRequest>(std::move(request));
  };
  const bool confirmation =
      !f.confirmation_message_id.empty() || !f.confirmation_outcome_unknown_at.empty();
  // One attempt: the update with or without the honoured mark and the confirmation's record;
  // nullopt when there is nothing to write.
  const auto attempt = [&](bool with_honor,
                           bool with_confirmation) -> std::optional<common::aws::WriteResult> {
    auto request = build(with_honor, with_confirmation);
    if (!request) return std::nullopt;
    return db_.update_item(*request).value();
  };
  bool honored = f.honored_at.has_value();
  auto result = attempt(honored, confirmation);
  if (!result) return out;
  if (result->condition_failed && honored && f.require_pending && confirmation) {
    // Honoured meanwhile (deadline-monitor): the confirmation's record still belongs here.
    honored = false;
    result = attempt(false, true);
  }
  if (result->condition_failed) {
    // Opted in again meanwhile: only the counters and the conversation state are left to write.
    honored = false;
    result = attempt(false, false);
    if (!result) return out;
  }
  out.honored = honored;
  out.written = true;
  out.contact = Contact::from_item(std::move(result->attributes));
  return out;
}

void ConsentStore::write_log(const LogWrites& w) {
  std::vector<AttributeMap> items;
  for (const auto& ev : w.consent_events) items.push_back(consent_event_item(ev));
  for (const auto& r : w.outbound) items.push_back(outbound_item(r));
  for (const auto& r : w.blocked) items.push_back(blocked_item(r));
  if (w.inbound != nullptr) {
    AttributeMap item = inbound_item(*w.inbound);
    std::string actions;
    for (const auto& a : w.inbound_result.actions) actions += (actions.empty() ? "" : ",") + a;
    item["processing_status"] = S(kProcessed);
    item["intent"] = S(w.inbound_result.intent);
    item["rule"] = S(w.inbound_result.rule);
    item["possible_revocation"] = AttributeValue::Bool(w.inbound_result.possible_revocation);
    item["actions"] = S(actions);
    item["processed_at"] = S(common::format_rfc3339(common::now_ms()));
    if (w.inbound_result.reply_claimed) item["reply_claimed_at"] = item["processed_at"];
    if (!w.inbound_result.language.empty()) item["language"] = S(w.inbound_result.language);
    items.push_back(std::move(item));
  }
  if (items.empty()) return;
  if (items.size() == 1) {
    common::aws::PutItemRequest put;
    put.table_name = tables_.message_log;
    put.item = std::move(items.front());
    (void)db_.put_item(put).value();
    return;
  }
  std::vector<common::aws::BatchWriteOperation> operations;
  operations.reserve(items.size());
  for (auto& item : items) {
    operations.push_back(
        common::aws::BatchWriteOperation::put(tables_.message_log, std::move(item)));
  }
  auto result = db_.batch_write_item(operations).value();
  if (!result.unprocessed.empty()) {
    throw common::Error::transient(
        "consent", "LogWriteIncomplete",
        std::to_string(result.unprocessed.size()) + " message-log items left unprocessed");
  }
}

std::optional<std::pair<std::string, std::string>> ConsentStore::find_message_key(
    const std::string& message_id) {
  common::aws::QueryRequest q;
  q.table_name = tables_.message_log;
  q.index_name = std::string(kMessageIdIndex);
  q.key_condition_expression =
      q.expression.name("message_id") + " = " + q.expression.value(S(message_id));
  q.limit = 1;
  auto result = db_.query(q).value();
  if (result.items.empty()) return std::nullopt;
  auto phone = common::aws::get_s(result.items.front(), "phone_number");
  auto sk = common::aws::get_s(result.items.front(), "sk");
  if (!phone || !sk) return std::nullopt;
  return std::make_pair(std::move(*phone), std::move(*sk));
}

std::optional<AttributeMap> ConsentStore::find_message(const std::string& message_id) {
  const auto key = find_message_key(message_id);
  if (!key) return std::nullopt;
  return db_.get_item({tables_.message_log, log_key(key->first, key->second), true}).value();
}

namespace {

constexpr std::string_view kOutbound = "outbound";

// One entry of a message's delivery history (`delivery_events`).
AttributeValue delivery_history_entry(const DeliveryEvent& e) {
  AttributeMap entry = {{"event_type", S(e.event_type)},
                        {"event_at", N(e.event_timestamp_ms)},
                        {"final", AttributeValue::Bool(e.is_final)}};
  if (!e.message_status.empty()) entry["message_status"] = S(e.message_status);
  return AttributeValue::M(std::move(entry));
}

// The standing status (`delivery_*`) from `e`; what the event does not carry is removed, so the
// fields always describe one event.
void set_delivery_status(const DeliveryEvent& e, ContactUpdate& u) {
  const auto text = [&u](std::string_view name, const std::string& value) {
    if (!value.empty())
      u.set(name, S(value));
    else
      u.remove(name);
  };
  const auto number = [&u](std::string_view name, const std::string& decimal) {
    if (!decimal.empty())
      u.set(name, AttributeValue::N(decimal));
    else
      u.remove(name);
  };
  u.set("delivery_status", S(e.event_type));
  text("delivery_message_status", e.message_status);
  text("delivery_status_description", e.message_status_description);
  u.set("delivery_final", AttributeValue::Bool(e.is_final));
  u.set("delivery_event_at", N(e.event_timestamp_ms));
  number("delivery_parts",
         e.total_message_parts ? std::to_string(*e.total_message_parts) : std::string());
  number("delivery_price", e.total_message_price);
  number("delivery_carrier_fee", e.total_carrier_fee);
}

// The item is the outbound text this event is about (and exists at all).
std::string is_message_condition(common::aws::ExpressionBuilder& x, const DeliveryEvent& e) {
  return x.name("message_id") + " = " + x.value(S(e.message_id)) + " AND " + x.name("direction") +
         " = " + x.value(S(kOutbound));
}

// delivery_supersedes(stored, e) as a condition on the stored attributes.
std::string supersedes_condition(common::aws::ExpressionBuilder& x, const DeliveryEvent& e) {
  const std::string status = x.name("delivery_status");
  const std::string final = x.name("delivery_final");
  const std::string at = x.name("delivery_event_at");
  const std::string ts = x.value(N(e.event_timestamp_ms));
  const std::string later = "(" + at + " < " + ts + " OR (" + at + " = " + ts + " AND " + status +
                            " < " + x.value(S(e.event_type)) + "))";
  const std::string not_final = final + " = " + x.value(AttributeValue::Bool(false));
  if (e.is_final) {
    return "(attribute_not_exists(" + status + ") OR " + not_final + " OR " + later + ")";
  }
  return "(attribute_not_exists(" + status + ") OR (" + not_final + " AND " + later + "))";
}

}  // namespace

std::optional<DeliveryOutcome> ConsentStore::record_delivery_at(const std::string& phone,
                                                                const std::string& sk,
                                                                const DeliveryEvent& e,
                                                                bool& became_final) {
  const std::string key = e.key();
  became_final = false;
  const std::string now = common::format_rfc3339(common::now_ms());
  const auto send = [&](ContactUpdate& u, const std::string& condition) {
    auto request = u.build(tables_.message_log, phone, condition);
    request.key["sk"] = S(sk);
    request.return_values = common::aws::ReturnValues::kUpdatedOld;  // was the status final?
    // DynamoDB answers a failed condition with the item: the slow path decides on it without a
    // read (dynalite answers without it, so a read it is there).
    request.return_values_on_condition_check_failure = common::aws::ReturnValues::kAllOld;
    return db_.update_item(request).value();
  };

  // The common case, an event that supersedes (or starts) the status with room in the history, is
  // one UpdateItem with no read: it fails when the event was recorded before, does not supersede,
  // the history is full, or the item is not this message.
  ContactUpdate fast;
  set_delivery_status(e, fast);
  fast.append_to_list("delivery_events", delivery_history_entry(e));
  fast.add_to_set("delivery_event_keys", key);
  fast.add("delivery_event_count", 1);
  fast.set("delivery_updated_at", S(now));
  auto& x = fast.expression();
  const std::string count = x.name("delivery_event_count");
  const std::string room = "(attribute_not_exists(" + count + ") OR " + count + " < " +
                           x.value(N(static_cast<std::int64_t>(kDeliveryHistory))) + ")";
  auto result =
      send(fast, is_message_condition(x, e) + " AND " + room + " AND " + supersedes_condition(x, e));
  if (!result.condition_failed) {
    const auto was_final = result.attributes.find("delivery_final");
    became_final = e.is_final && (was_final == result.attributes.end() ||
                                  !was_final->second.as_bool().value_or(false));
    return DeliveryOutcome::kApplied;
  }

  // Read-decide-write on the item as it stands, with `delivery_event_count` as its version.
  for (int attempt = 0; attempt < kMaxVersionConflicts; ++attempt) {
    std::optional<AttributeMap> item;
    if (!result.condition_failed_item.empty()) {
      item = std::move(result.condition_failed_item);
    } else {
      item = db_.get_item({tables_.message_log, log_key(phone, sk), true}).value();
    }
    if (!item || common::aws::get_s(*item, "message_id") != e.message_id ||
        common::aws::get_s(*item, "direction") != kOutbound) {
      return std::nullopt;
    }
    const DeliveryState state = DeliveryState::from_item(*item);
    if (state.seen(key)) return DeliveryOutcome::kDuplicate;
    const bool supersedes = delivery_supersedes(state, e);
    ContactUpdate u;
    if (supersedes) set_delivery_status(e, u);
    std::vector<AttributeValue> history = state.history;
    if (history.size() >= kDeliveryHistory) {
      history.erase(history.begin(), history.end() - static_cast<std::ptrdiff_t>(kDeliveryHistory - 1));
    }
    history.push_back(delivery_history_entry(e));
    u.set("delivery_events", AttributeValue::L(std::move(history)));
    u.add_to_set("delivery_event_keys", key);
    u.add("delivery_event_count", 1);
    u.set("delivery_updated_at", S(now));
    auto& y = u.expression();
    const std::string version = state.has_count
                                    ? y.name("delivery_event_count") + " = " + y.value(N(state.count))
                                    : "attribute_not_exists(" + y.name("delivery_event_count") + ")";
    result = send(u, is_message_condition(y, e) + " AND " + version);
    if (!result.condition_failed) {
      became_final = supersedes && e.is_final && !(state.has_status && state.is_final);
      return supersedes ? DeliveryOutcome::kApplied : DeliveryOutcome::kHistoryOnly;
    }
  }
  throw common::Error::transient("consent", "DeliveryContention",
                                 "the message's delivery state kept changing (" +
                                     std::to_string(kMaxVersionConflicts) + " attempts)");
}

DeliveryRecorded ConsentStore::record_delivery_event(const DeliveryEvent& e) {
  DeliveryRecorded out;
  std::optional<DeliveryOutcome> outcome;
  // By the key the sender put in Context: one call; a key that is not this message's falls back
  // to the index.
  if (!e.message_ref.empty() && !e.destination_phone_number.empty()) {
    outcome = record_delivery_at(e.destination_phone_number, e.message_ref, e, out.became_final);
    if (outcome) out.phone_number = e.destination_phone_number;
  }
  if (!outcome) {
    const auto key = find_message_key(e.message_id);
    if (!key) return out;
    outcome = record_delivery_at(key->first, key->second, e, out.became_final);
    if (!outcome) return out;
    out.phone_number = key->first;
  }
  out.outcome = *outcome;
  if (!is_carrier_block(e.event_type)) return out;

  // The flag on the contact, once per message (its MessageId in a set); written on a redelivery
  // too, so a crash after the message's write is finished by the retry.
  ContactUpdate u;
  u.set("delivery_block_last_type", S(e.event_type));
  u.set("delivery_block_last_at",
        S(common::format_rfc3339(common::TimePoint(std::chrono::milliseconds(e.event_timestamp_ms)))));
  u.set("delivery_block_last_message_id", S(e.message_id));
  u.add("delivery_block_count", 1);
  u.add_to_set("delivery_block_message_ids", e.message_id);
  bump_version(u);
  auto& x = u.expression();
  const std::string ids = x.name("delivery_block_message_ids");
  const std::string condition = "attribute_not_exists(" + ids + ") OR NOT contains(" + ids + ", " +
                                x.value(S(e.message_id)) + ")";
  out.contact_flagged =
      !db_.update_item(u.build(tables_.contacts, out.phone_number, condition)).value().condition_failed;
  return out;
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
