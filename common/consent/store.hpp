// The consent store: the contacts-table and message-log operations that every function shares
// (sms-inbound, opt-out-api, deadline-monitor, reminders). Attribute names are those of README
// "Data"; every write is conditional or idempotent so a retried invocation repeats nothing.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/contact.hpp"
#include "common/consent/delivery.hpp"
#include "common/error.hpp"
#include "common/time.hpp"

namespace common::consent {

/// The two DynamoDB tables the store works on (CONTACTS_TABLE, MESSAGE_LOG_TABLE).
struct Tables {
  std::string contacts;
  std::string message_log;
};

/// A contacts-table update under construction (SET/REMOVE/ADD through placeholders); defined
/// in store.cpp: only the store builds requests.
class ContactUpdate;

/// Where a consent decision came from, as flat text members ("ip", "user_agent", "channel",
/// "keyword", "mailbox", ...); stored as a map of strings.
using Evidence = std::map<std::string, std::string>;

/// An opt-out request from any channel (universal scope: every channel and category).
struct OptOutRequest {
  std::string phone_number;        ///< E.164
  common::TimePoint requested_at;  ///< when the person asked (receipt time)
  std::string channel;             ///< sms | email | voice | web | api: where it came from
  std::string method;              ///< how it reached us: "sms" (keyword), "opt_out_api"
  std::string rule;                ///< matched keyword rule (SMS), else empty
  std::string inbound_message_id;  ///< SMS only: the one confirmation text is claimed against it
  std::string notes;               ///< free text from the reporting system, may be empty
  std::optional<Evidence> source;  ///< who reported it (mailbox, agent, ...)
};

/// What record_opt_out did.
struct OptOutRecorded {
  OptOutChange change = OptOutChange::kUnchanged;
  Contact contact;  ///< the stored state afterwards
};

/// Express consent with its evidence (docs/compliance.md#opt-in-evidence; 47 CFR 64.1200(f)(9)).
struct OptInRequest {
  std::string phone_number;        ///< E.164
  common::TimePoint opted_in_at;   ///< when consent was given
  std::string method;              ///< e.g. "sms_keyword", "web_form", "paper"
  Evidence source;                 ///< ip, user agent, channel, keyword, ...
  std::string disclosure_version;  ///< version of the disclosure shown; empty for SMS keywords
  std::string disclosure_text;     ///< the disclosure text itself, optional
};

/// What record_opt_in did.
struct OptInRecorded {
  bool applied = false;  ///< false: a newer opt-out is on record (opt_in_applies)
  Contact before;        ///< the state it was decided on
  Contact contact;       ///< the stored state afterwards
};

/// One consent event for the message log (direction "consent"; an "opt_out_honored" event, the
/// system's act, has direction "honor").
struct ConsentEvent {
  std::string phone_number;
  std::string event;              ///< "opt_out" | "opt_in" | "opt_out_honored"
  common::TimePoint occurred_at;  ///< the request time (sort key prefix)
  std::string event_id;           ///< unique per source event (inbound SMS id, API request id)
  std::string channel;            ///< sms | email | voice | web | api
  std::string method;             ///< sms_keyword, opt_out_api, web_form, ...
  // What else is known, each stored only when set:
  std::string rule{};                           ///< the keyword rule that matched (SMS)
  std::string inbound_message_id{};             ///< the inbound text it came from (SMS)
  std::optional<common::TimePoint> deadline{};  ///< opt-out: the 10-business-day deadline
  std::optional<bool> superseded_by_opt_in{};   ///< opt-out: a newer opt-in stands
  std::string change{};                         ///< opt-out: new | earlier | unchanged | stale
  std::optional<bool> applied{};                ///< opt-in: false when a newer opt-out stands
  std::string reported_by{};                    ///< the API caller (IAM ARN), may be empty
  std::string caller_ip{};                      ///< the API caller's source IP, may be empty
  std::string notes{};                          ///< free text from the reporting system
  std::string disclosure_version{};             ///< opt-in: the disclosure shown
  std::string disclosure_text{};                ///< opt-in: its text
  std::optional<Evidence> source{};             ///< who reported it / where consent was given
  // opt_out_honored only (the evidence that an opt-out was honoured, honor.hpp honored_event):
  std::optional<common::TimePoint> requested_at{};  ///< the opt-out request it honours
  std::optional<int> business_days{};      ///< business days from request to honour
  std::optional<bool> within_deadline{};   ///< honoured at or before `deadline`
  std::string honored_by{};                ///< the function that put the number on the list
};

/// The sparse message-log index of opt-outs by the UTC day they were requested: partition key
/// `opt_out_day` ("YYYY-MM-DD"), sort key `sk`. Every opt-out consent event is in it, so the
/// period report (opt-out-api GET /opt-outs) reads a month in one Query a day, never a scan.
inline constexpr std::string_view kOptOutsByDayIndex = "opt-outs-by-day";

/// The sparse message-log index of notify requests by number and time: partition key
/// `phone_number`, sort key `notify_at` (RFC 3339: the acceptance time while a request waits, its
/// decision time once sent, blocked or expired). Items keyed `notify#<key>` do not sort by time,
/// so the history reads them through this index beside the time-ordered items.
inline constexpr std::string_view kNotifyByPhoneIndex = "notify-by-phone";

/// One text that went out, or whose send may have gone out (`outcome_unknown`).
///
/// Its message-log sort key, `message_ref()`, is `<at>#out#<ref_id>#<kind>` when `ref_id` is set
/// (a reply: `at` = the inbound receipt time, `ref_id` = the inbound message id, so every attempt
/// at the same reply writes the same item) and `<sent_at>#out#<message_id>` otherwise. Either way
/// the item is found by message id: by `message_ref()` (phone + sort key, one GetItem or
/// UpdateItem; SendTextMessage's `Context` can carry it) or by End User Messaging's MessageId
/// through the sparse index kMessageIdIndex.
struct OutboundRecord {
  std::string phone_number;
  std::string kind;  ///< help, reply, opt_out_confirmation, reminder, ...
  std::string body;
  std::string message_id;   ///< End User Messaging MessageId; empty when unknown
  std::string in_reply_to;  ///< inbound message id, may be empty
  std::string origination_identity;
  std::string message_type = "TRANSACTIONAL";
  common::TimePoint sent_at;
  /// What the text answers (the inbound message id); empty: keyed by `message_id`.
  std::string ref_id{};
  /// The time that starts the key when `ref_id` is set (the inbound receipt time).
  common::TimePoint ref_at{};
  /// True when the send's answer was lost (a crash or a timeout after the request went out):
  /// the text may or may not have been delivered, and is never sent again.
  bool outcome_unknown = false;
  /// How quiet hours were checked for a scheduled text (reminders): the state whose rule applied
  /// (or "any_state" with why it is not known) and the zones, e.g. "FL@America/New_York" or
  /// "any_state(unknown_area_code)@America/Chicago"; empty for replies (message-log attribute
  /// `quiet_hours`, docs/compliance.md#unknown-state).
  std::string quiet_hours{};
  /// The language of the text ("en", "es": message-log attribute `language`): the contact's, for
  /// a reply (docs/compliance.md#languages) or a template with a variant
  /// (docs/compliance.md#template-languages); empty (not written) when not chosen by language.
  std::string language{};

  /// The message-log sort key (see above).
  std::string message_ref() const;
};

/// One text that was not sent, and why (fail closed is logged, docs/compliance.md).
struct BlockedRecord {
  std::string phone_number;
  std::string kind;
  std::string body;
  std::string reason;       ///< a SendDecision reason or an AWS error code
  std::string ref_id;       ///< what the text was for (inbound id, appointment id): part of the key
  std::string in_reply_to;  ///< inbound message id, may be empty
  common::TimePoint blocked_at;
};

/// An inbound SMS as the message log keeps it (sort key `<received_at>#in#<message_id>`).
struct InboundRecord {
  std::string phone_number;       ///< the sender, E.164
  std::string message_id;         ///< the id that names it across redeliveries
  common::TimePoint received_at;  ///< receipt time (UTC)
  std::string body;
  std::string sns_message_id;
  std::string destination_number;             ///< may be empty
  std::string message_keyword;                ///< may be empty
  std::string inbound_message_id;             ///< may be empty
  std::string previous_published_message_id;  ///< may be empty

  /// The message-log sort key.
  std::string sk() const;
};

/// What became of an inbound text, for its final message-log item.
struct InboundResult {
  std::string intent;
  std::string rule;
  bool possible_revocation = false;
  std::vector<std::string> actions;
  bool reply_claimed = false;  ///< a reply to it was claimed (kept on the item)
  /// The language the text showed ("en", "es"; item attribute `language`), empty when it did
  /// not tell (docs/compliance.md#languages).
  std::string language{};
};

/// What claim_inbound found.
enum class InboundClaim {
  kClaimed,    ///< first delivery: this attempt owns the message
  kTakenOver,  ///< an earlier attempt crashed or timed out and its lease ran out: ours now
  kDuplicate,  ///< already processed: nothing to do
};

/// The result of claim_inbound.
struct ClaimedInbound {
  InboundClaim claim = InboundClaim::kClaimed;
  /// An earlier attempt claimed the reply to this message (kTakenOver only): it may have been sent.
  bool reply_claimed = false;
};

/// The opt-out confirmation's state after apply_inbound.
enum class Confirmation {
  kNone,           ///< not this message's to send (no new opt-out, or outside the window)
  kClaimed,        ///< claimed now by this message: send it
  kSentBefore,     ///< an earlier attempt at this message sent it (message id on the contact)
  kOutcomeUnknown  ///< an earlier attempt claimed it and its send was never recorded: never resend
};

/// The contact write every inbound text makes once, first: message_count_in and
/// last_inbound_at (counted once per message), conversation_state, and for an opt-out keyword
/// the opt-out itself with the one confirmation's claim.
struct InboundChange {
  const InboundRecord* message = nullptr;  ///< required
  std::string conversation_state;          ///< "open", "help", "opted_out", ...
  /// An opt-out to record (SMS keyword). A stale one (an opt-in is newer) sets
  /// conversation_state "opted_in" instead.
  std::optional<OptOutRequest> opt_out{};
  /// Claim the opt-out confirmation for this message when the opt-out is this message's and
  /// none was claimed or the number listed yet (the caller checks the 5-minute window).
  bool claim_confirmation = false;
  /// The language the text showed ("en", "es"; common::compliance::detect_language), written as
  /// the contact's `language` in the same write; empty: unchanged (docs/compliance.md#languages).
  std::string language{};
};

/// What apply_inbound did.
struct InboundApplied {
  Contact contact;                                 ///< the stored state afterwards
  OptOutChange change = OptOutChange::kUnchanged;  ///< with an opt_out only
  Confirmation confirmation = Confirmation::kNone;
  std::string confirmation_message_id;  ///< kSentBefore: the text's MessageId
  /// The opt-out on record is this text's own, recorded by an earlier attempt at it (`change` is
  /// then kUnchanged): still this text's revocation, for the audit log.
  bool own_opt_out = false;
};

/// The contact write after the sends of one unit of work: the opt-out honoured (after the list
/// update), the confirmation's MessageId, outbound counters, the conversation state.
struct ContactFinish {
  std::string phone_number;
  /// Set: mark the opt-out honoured at that time (`opt_out_list_synced_at`, the first
  /// `opt_out_honored_at`, `opt_out_pending` removed), only while the contact is opted out
  /// (and, with `require_pending`, still pending).
  std::optional<common::TimePoint> honored_at{};
  bool require_pending = false;
  std::string confirmation_message_id{};  ///< the opt-out confirmation was sent with this id
  std::string confirmation_outcome_unknown_at{};  ///< RFC 3339: its send was never confirmed
  int sent = 0;                                   ///< texts that went out (message_count_out)
  std::optional<common::TimePoint> last_outbound_at{};
  std::string conversation_state{};  ///< empty: unchanged
};

/// What finish_contact did.
struct ContactFinished {
  bool written = false;  ///< false: nothing to write
  bool honored = false;  ///< the honoured mark applied
  Contact contact;       ///< the stored state afterwards (when written)
};

/// Message-log items written together at the end of a unit of work (one request when they fit):
/// consent events, outbound and blocked records, an inbound text's final state. Every item has a
/// deterministic key and content, so writing them again (a retry) changes nothing.
struct LogWrites {
  std::vector<ConsentEvent> consent_events;
  std::vector<OutboundRecord> outbound;
  std::vector<BlockedRecord> blocked;
  /// The inbound text's final item (processing_status "processed"), replacing the claim.
  const InboundRecord* inbound = nullptr;
  InboundResult inbound_result{};

  bool empty() const {
    return consent_events.empty() && outbound.empty() && blocked.empty() && inbound == nullptr;
  }
};

/// One page of the pending-opt-out index, ordered by deadline.
struct PendingPage {
  std::vector<Contact> contacts;
  common::aws::AttributeMap next;  ///< empty on the last page
};

/// What record_delivery_event did with one event.
enum class DeliveryOutcome {
  kApplied,      ///< recorded, and its status now stands on the message (delivery_supersedes)
  kHistoryOnly,  ///< recorded in the history; the status that stands is final or later
  kDuplicate,    ///< recorded before (an SNS redelivery): nothing changed
  kUnknownMessage,  ///< no outbound item has this MessageId (or the index has not caught up)
};

/// The result of record_delivery_event.
struct DeliveryRecorded {
  DeliveryOutcome outcome = DeliveryOutcome::kUnknownMessage;
  std::string phone_number;  ///< the message's number (empty when unknown)
  /// kApplied only: this event made the message's status final for the first time (what stood
  /// before was not final), so counting these counts every message once.
  bool became_final = false;
  /// A carrier block or spam flag (is_carrier_block) was written on the contact by this call;
  /// false when it was recorded before.
  bool contact_flagged = false;
};

/// The sparse message-log index by End User Messaging MessageId (partition key `message_id`):
/// every inbound and outbound item that has one.
inline constexpr std::string_view kMessageIdIndex = "by-message-id";

/// The one owner of every write to the contacts table and the message log (handlers decide, this
/// writes; attribute names live here and in contact.cpp only). Failures of DynamoDB other than a
/// failed condition are thrown as common::aws::AwsException (the caller's invocation fails and
/// Lambda retries it); a contact that keeps changing under a read-decide-write throws
/// common::Error "ContactContention" (transient). Calls per operation: docs/round-trips.md.
class ConsentStore {
 public:
  ConsentStore(common::aws::DynamoDbClient& dynamodb, Tables tables)
      : db_(dynamodb), tables_(std::move(tables)) {}

  /// The contact's state (strongly consistent).
  Contact read(const std::string& phone) { return Contact::from_item(read_item(phone)); }

  /// Records a universal opt-out: a new one sets every opt-out field, the deadline
  /// (10 business days, common::compliance::opt_out_deadline) and `opt_out_pending`; an earlier
  /// request replaces the time and deadline only; a later one changes nothing (opt_out_change).
  /// A new opt-out (the common case) is one UpdateItem with no read.
  OptOutRecorded record_opt_out(const OptOutRequest& request);

  /// Records an opt-in with its evidence unless a newer opt-out is on record; clears every
  /// opt-out field (keeping the last opt-out time as `last_opted_out_at`). `known`: the contact's
  /// item as just returned by a write (saves the read; see update()).
  OptInRecorded record_opt_in(
      const OptInRequest& request,
      std::optional<std::optional<common::aws::AttributeMap>> known = std::nullopt);

  /// Appends a consent event to the message log (sort key `<occurred_at>#consent#<event_id>`,
  /// `ttl` kRetention after it); an opt-out event carries its universal scope. Writing the same
  /// event twice leaves one item.
  void put_consent_event(const ConsentEvent& event);

  /// Records what End User Messaging answered a send with (ConflictException, Reason
  /// DESTINATION_PHONE_NUMBER_OPTED_OUT: the number is on the account's opt-out list, e.g. after
  /// a carrier-level STOP) as a universal opt-out (channel sms, method "carrier", evidence
  /// {"source": "carrier", <ref_name>: <ref_id>}), with its consent event when it is new or
  /// earlier, so nothing else texts the number either. Returns what it changed.
  OptOutChange record_carrier_opt_out(const std::string& phone, common::TimePoint now,
                                      const std::string& ref_name, const std::string& ref_id);

  /// Reserves the place of one marketing text to `phone` at `now` under a cap of `per_24h` a
  /// day (docs/compliance.md#frequency-caps), before it is sent: `marketing_sent_at` becomes the
  /// sends of the last 24 hours plus `now`, with optimistic concurrency on the contact's
  /// version, so two senders cannot both take the last place. Returns nullopt when reserved,
  /// else the instant a place frees up (nothing written). A reserved text that is then not sent
  /// keeps its place (stricter, never looser). Calls: GetItem + UpdateItem (more on contention);
  /// throws like update().
  std::optional<common::TimePoint> reserve_marketing_send(const std::string& phone,
                                                          common::TimePoint now, int per_24h);

  /// Logs a text that went out and counts it on the contact (message_count_out, last_outbound_at):
  /// two requests; a unit of work with more to write uses write_log and finish_contact instead.
  void record_outbound(const OutboundRecord& record);
  /// Logs a text that was not sent (sort key `<blocked_at>#blocked#<ref_id>#<kind>`).
  void record_blocked(const BlockedRecord& record);

  // ---- Inbound texts (sms-inbound): claim, contact write, final log items ----

  /// Claims an inbound text for this attempt: a conditional PutItem of its log item
  /// (processing_status "in_progress", a lease until `lease_until`, owner `owner`). On a
  /// redelivery it answers kDuplicate when processed, takes over an item whose lease ran out
  /// (keeping what the earlier attempt recorded), and throws common::Error "MessageInProgress"
  /// (transient) while another attempt holds the lease. AWS failures throw AwsException.
  ClaimedInbound claim_inbound(const InboundRecord& message, const std::string& owner,
                               common::TimePoint lease_until);
  /// Lets a redelivery take over at once after this attempt failed (only our own lease).
  /// Best effort, never throws: the lease also runs out on its own.
  void release_inbound(const InboundRecord& message, const std::string& owner) noexcept;
  /// Claims the one reply to an inbound text (HELP, opt-in confirmation, backend reply, reminder
  /// reply): false when an attempt at this message already claimed it.
  bool claim_reply(const InboundRecord& message);
  /// Gives the reply claim back after a send that certainly did not go out (throttled, 5xx).
  void release_reply(const InboundRecord& message);

  /// The one contact write of an inbound text (InboundChange). The common cases (a text from a
  /// known or new contact, a first STOP) are one UpdateItem with no read: the write is
  /// conditioned on the state that decision assumes; when that condition fails (a redelivery,
  /// an opt-out on record, an opt-in newer than the STOP) the item as it stood decides, with
  /// optimistic concurrency as update(). Throws like update().
  InboundApplied apply_inbound(const InboundChange& change);

  /// Gives the opt-out confirmation's claim back after a send that certainly did not go out
  /// (throttled, 5xx), so the redelivery of `inbound_message_id` may claim it again.
  void release_confirmation(const std::string& phone, const std::string& inbound_message_id);

  /// The contact write after the sends (ContactFinish), one UpdateItem. When the honoured mark's
  /// condition fails (opted in again meanwhile, or no longer pending), the rest is written
  /// without it and `honored` is false. Nothing to write: no request.
  ContactFinished finish_contact(const ContactFinish& finish);

  /// Writes the items of `writes` to the message log: one PutItem for a single item, else
  /// BatchWriteItem (25 a request). Throws AwsException, or common::Error "LogWriteIncomplete"
  /// (transient) when DynamoDB left items unprocessed after the client's retries.
  void write_log(const LogWrites& writes);

  /// The message-log item of an inbound or outbound text by End User Messaging's MessageId: one
  /// Query on kMessageIdIndex (keys only), then a strongly consistent GetItem. nullopt when no
  /// item has that id (or the index has not caught up yet: it is eventually consistent).
  std::optional<common::aws::AttributeMap> find_message(const std::string& message_id);

  /// Records one delivery event on its outbound message-log item (README "Data": the standing
  /// status `delivery_status`, `delivery_message_status`, `delivery_status_description`,
  /// `delivery_final`, `delivery_event_at`, `delivery_parts`, `delivery_price`,
  /// `delivery_carrier_fee`; the history `delivery_events`, the last kDeliveryHistory by arrival;
  /// `delivery_event_keys` and `delivery_event_count`). Safe under SNS's at-least-once, unordered
  /// delivery: a redelivered event changes nothing (kDuplicate, keyed by DeliveryEvent::key), a
  /// status stands only while no greater event arrives (delivery_supersedes: a non-final event
  /// never overwrites a final one), every write is conditional. A carrier block or spam flag
  /// (is_carrier_block) is also recorded on the contact (`delivery_block_*`, idempotent by
  /// MessageId), on a redelivery too, so a crash between the two writes is finished by the retry.
  /// The item is found by `message_ref` (its key) when the event carries one, else by MessageId
  /// (one Query on kMessageIdIndex). Calls: docs/round-trips.md#delivery-events. An unknown
  /// MessageId is a value (kUnknownMessage), not an error; DynamoDB failures throw AwsException,
  /// an item that keeps changing under the read-decide-write common::Error "DeliveryContention".
  DeliveryRecorded record_delivery_event(const DeliveryEvent& event);

  /// One page (at most `limit` items) of contacts whose opt-out is not honoured, by deadline
  /// ascending, from the sparse index kPendingIndex (eventually consistent: re-check on write).
  PendingPage pending_opt_outs(int limit, const common::aws::AttributeMap& start);

  const Tables& tables() const { return tables_; }

 private:
  /// The contact's item (strongly consistent), nullopt when unknown.
  std::optional<common::aws::AttributeMap> read_item(const std::string& phone);

  /// The key (phone_number, sk) of the message-log item with End User Messaging MessageId
  /// `message_id`: one Query on kMessageIdIndex; nullopt when none.
  std::optional<std::pair<std::string, std::string>> find_message_key(const std::string& message_id);

  /// record_delivery_event on the item at (`phone`, `sk`): nullopt when no outbound item with the
  /// event's MessageId is there.
  std::optional<DeliveryOutcome> record_delivery_at(const std::string& phone, const std::string& sk,
                                                    const DeliveryEvent& event, bool& became_final);

  /// Read-decide-write with optimistic concurrency on `version`: `decide` fills the update from
  /// the current state, or returns false for "nothing to do". Retried when another writer got
  /// there first. Returns the state afterwards (or the current one when nothing was done).
  /// `known`: the item as just read or returned by a write (saves the first GetItem; nullopt
  /// inside means "no such item"). Throws common::Error "ContactContention" (transient) when the
  /// contact kept changing, AwsException for AWS failures.
  Contact update(const std::string& phone,
                 const std::function<bool(const Contact&, ContactUpdate&)>& decide,
                 std::optional<std::optional<common::aws::AttributeMap>> known = std::nullopt);

  common::aws::DynamoDbClient& db_;
  Tables tables_;
};

}  // namespace common::consent
