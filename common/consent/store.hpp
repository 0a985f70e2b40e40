// The consent store: the contacts-table and message-log operations that every function shares
// (sms-inbound, opt-out-api, deadline-monitor, reminders). Attribute names are those of README
// "Data"; every write is conditional or idempotent so a retried invocation repeats nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/contact.hpp"
#include "common/time.hpp"

namespace common::consent {

/// The two DynamoDB tables the store works on (CONTACTS_TABLE, MESSAGE_LOG_TABLE).
struct Tables {
  std::string contacts;
  std::string message_log;
};

/// A contacts-table update under construction: SET/REMOVE/ADD clauses, every name and value
/// through placeholders (so reserved words never break it).
class ContactUpdate {
 public:
  void set(std::string_view name, common::aws::AttributeValue value);
  /// SET name = if_not_exists(name, value): keeps a value already stored.
  void set_if_absent(std::string_view name, common::aws::AttributeValue value);
  void remove(std::string_view name);
  void add(std::string_view name, std::int64_t delta);
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

/// An opt-out request from any channel (universal scope: every channel and category).
struct OptOutRequest {
  std::string phone_number;          ///< E.164
  common::TimePoint requested_at;    ///< when the person asked (receipt time)
  std::string channel;               ///< sms | email | voice | web | api: where it came from
  std::string method;                ///< how it reached us: "sms" (keyword), "opt_out_api"
  std::string rule;                  ///< matched keyword rule (SMS), else empty
  std::string inbound_message_id;    ///< SMS only: the one confirmation text is claimed against it
  std::string notes;                 ///< free text from the reporting system, may be empty
  std::optional<common::aws::AttributeValue> source;  ///< M: who reported it (ip, agent, ...)
};

/// What record_opt_out did.
struct OptOutRecorded {
  OptOutChange change = OptOutChange::kUnchanged;
  Contact contact;  ///< the stored state afterwards
};

/// Express consent with its evidence (SPEC 2 "Consent evidence").
struct OptInRequest {
  std::string phone_number;         ///< E.164
  common::TimePoint opted_in_at;    ///< when consent was given
  std::string method;               ///< e.g. "sms_keyword", "web_form", "paper"
  common::aws::AttributeValue source = common::aws::AttributeValue::M({});  ///< M: ip, user agent, channel, ...
  std::string disclosure_version;   ///< version of the disclosure shown; empty for SMS keywords
  std::string disclosure_text;      ///< the disclosure text itself, optional
};

/// What record_opt_in did.
struct OptInRecorded {
  bool applied = false;  ///< false: a newer opt-out is on record (opt_in_applies)
  Contact before;        ///< the state it was decided on
  Contact contact;       ///< the stored state afterwards
};

/// One consent event for the message log (direction "consent").
struct ConsentEvent {
  std::string phone_number;
  std::string event;                ///< "opt_out" | "opt_in"
  common::TimePoint occurred_at;    ///< the request time (sort key prefix)
  std::string event_id;             ///< unique per source event (inbound SMS id, API request id)
  std::string channel;              ///< sms | email | voice | web | api
  std::string method;               ///< sms_keyword, opt_out_api, web_form, ...
  common::aws::AttributeMap details;  ///< more attributes (rule, deadline, source, ...)
};

/// One text that went out.
struct OutboundRecord {
  std::string phone_number;
  std::string kind;                  ///< help, reply, opt_out_confirmation, reminder, ...
  std::string body;
  std::string message_id;            ///< End User Messaging MessageId
  std::string in_reply_to;           ///< inbound message id, may be empty
  std::string origination_identity;
  std::string message_type = "TRANSACTIONAL";
  common::TimePoint sent_at;
};

/// One text that was not sent, and why (fail closed is logged, SPEC 2).
struct BlockedRecord {
  std::string phone_number;
  std::string kind;
  std::string body;
  std::string reason;       ///< a SendDecision reason or an AWS error code
  std::string ref_id;       ///< what the text was for (inbound id, appointment id): part of the key
  std::string in_reply_to;  ///< inbound message id, may be empty
  common::TimePoint blocked_at;
};

/// One page of the pending-opt-out index, ordered by deadline.
struct PendingPage {
  std::vector<Contact> contacts;
  common::aws::AttributeMap next;  ///< empty on the last page
};

/// The shared contacts-table and message-log operations. Failures of DynamoDB other than a
/// failed condition are thrown as common::aws::AwsException (the caller's invocation fails and
/// Lambda retries it); a contact that keeps changing under a read-decide-write throws one too
/// (code "ContactContention", transient).
class ConsentStore {
 public:
  ConsentStore(common::aws::DynamoDbClient& dynamodb, Tables tables)
      : db_(dynamodb), tables_(std::move(tables)) {}

  /// The contact's item (strongly consistent), nullopt when unknown.
  std::optional<common::aws::AttributeMap> read_item(const std::string& phone);
  /// The contact's state (strongly consistent).
  Contact read(const std::string& phone) { return Contact::from_item(read_item(phone)); }

  /// Read-decide-write with optimistic concurrency on `version`: `decide` fills the update from
  /// the current state, or returns false for "nothing to do". Retried when another writer got
  /// there first. Returns the state afterwards (or the current one when nothing was done).
  Contact update(const std::string& phone,
                 const std::function<bool(const Contact&, ContactUpdate&)>& decide);

  /// Records a universal opt-out: a new one sets every opt-out field, the deadline
  /// (10 business days, common::compliance::opt_out_deadline) and `opt_out_pending`; an earlier
  /// request replaces the time and deadline only; a later one changes nothing (opt_out_change).
  OptOutRecorded record_opt_out(const OptOutRequest& request);

  /// Marks the contact's opt-out honoured after the number went on the End User Messaging
  /// opt-out list: sets `opt_out_list_synced_at`, `opt_out_honored_at` (the first time only) and
  /// removes `opt_out_pending`. Returns false (nothing written) when the contact is no longer
  /// opted out, or, with `require_pending`, when it is not pending any more (already honoured).
  bool mark_opt_out_honored(const std::string& phone, common::TimePoint now, bool require_pending);

  /// Records an opt-in with its evidence unless a newer opt-out is on record; clears every
  /// opt-out field (keeping the last opt-out time as `last_opted_out_at`).
  OptInRecorded record_opt_in(const OptInRequest& request);

  /// Appends a consent event to the message log (sort key `<occurred_at>#consent#<event_id>`,
  /// `ttl` kRetention after it); an opt-out event carries its universal scope. Writing the same
  /// event twice leaves one item.
  void put_consent_event(const ConsentEvent& event);

  /// Logs a text that went out and counts it on the contact (message_count_out, last_outbound_at).
  void record_outbound(const OutboundRecord& record);
  /// Logs a text that was not sent (sort key `<blocked_at>#blocked#<ref_id>#<kind>`).
  void record_blocked(const BlockedRecord& record);

  /// One page (at most `limit` items) of contacts whose opt-out is not honoured, by deadline
  /// ascending, from the sparse index kPendingIndex (eventually consistent: re-check on write).
  PendingPage pending_opt_outs(int limit, const common::aws::AttributeMap& start);

  const Tables& tables() const { return tables_; }

 private:
  common::aws::DynamoDbClient& db_;
  Tables tables_;
};

}  // namespace common::consent
