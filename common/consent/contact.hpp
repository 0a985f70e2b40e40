// A contact's consent state as stored in CONTACTS_TABLE, and the pure decisions every function
// takes on it: may a text go out (fail closed), which opt-out time wins, may an opt-in apply.
// No I/O here; the store (store.hpp) reads and writes. Rules: docs/compliance.md.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "common/aws/dynamodb_values.hpp"
#include "common/time.hpp"

namespace common::consent {

/// `consent_status` values.
inline constexpr std::string_view kOptedIn = "opted_in";
inline constexpr std::string_view kOptedOut = "opted_out";
/// The value of `opt_out_pending` while an opt-out is not honoured: the partition key of the
/// sparse index kPendingIndex (sort key `opt_out_deadline`), which deadline-monitor queries.
inline constexpr std::string_view kPending = "PENDING";
inline constexpr std::string_view kPendingIndex = "pending-opt-outs";
/// Records are kept at least 4 years (28 U.S.C. 1658): 4 x 365 days plus the one leap day any
/// 4-year span holds before 2100, plus one day of margin.
inline constexpr std::chrono::days kRetention{4 * 365 + 1 + 1};
/// Channels an opt-out covers, whatever channel it came from
/// (docs/compliance.md#universal-opt-out).
inline constexpr std::string_view kAllChannels[] = {"email", "sms", "voice"};

/// The stored state of one number, as far as consent decisions need it. Built from the
/// item with from_item(); an absent item gives exists == false.
struct Contact {
  bool exists = false;
  /// True when an attribute the decisions rely on has an unexpected type or value
  /// (e.g. an unknown consent_status or an unparseable opt-in time): such a contact may
  /// not be texted (fail closed).
  bool unreadable = false;
  std::int64_t version = 0;  ///< optimistic-concurrency counter
  bool has_version = false;  ///< the item carries `version` (items first written by a counter
                             ///< update, e.g. an inbound text from a new number, do not)
  std::string phone_number;
  std::string consent_status;  ///< "", kOptedIn or kOptedOut
  std::string opted_in_at;     ///< RFC 3339, empty when none
  std::string opt_in_method;   ///< how consent was given (web_form, sms_keyword, ...), or empty
  std::string opt_in_disclosure_version;  ///< the disclosure shown with it, or empty
  std::string time_zone;                  ///< the contact's own IANA zone (`time_zone`), or empty
  /// The language the contact writes in (`language`): "en", "es", or empty (never recorded:
  /// English). Set from what they text (docs/compliance.md#languages); chooses every reply's
  /// and template's language. An unknown code reads as empty (English), never blocks a send.
  std::string language;
  std::string opted_out_at;  ///< RFC 3339 of the earliest pending opt-out request, or empty
  /// RFC 3339 of the latest opt-out request while opted out (later requests keep the
  /// earliest deadline but must still beat older opt-ins), or empty.
  std::string opt_out_latest_request_at;
  std::string opt_out_deadline;        ///< RFC 3339, empty when not opted out
  std::string opt_out_honored_at;      ///< RFC 3339, empty until honoured
  std::string opt_out_list_synced_at;  ///< RFC 3339, empty until on the opt-out list
  std::string opt_out_channel;         ///< channel the opt-out came from (sms, email, ...)
  std::string opt_out_inbound_id;      ///< inbound SMS of an SMS opt-out (confirmation claim)
  bool opt_out_pending = false;        ///< opt_out_pending == kPending
  bool confirmation_claimed = false;   ///< opt_out_confirmation_claimed_at present
  /// End User Messaging MessageId of the opt-out confirmation once its send is recorded; empty
  /// while claimed and not (known to be) sent.
  std::string opt_out_confirmation_message_id;
  /// Message-log sort key of the last inbound text counted in message_count_in (so a retried
  /// message is counted once).
  std::string last_counted_inbound;
  /// When the marketing texts of the last 24 hours were sent (`marketing_sent_at`, a list of
  /// RFC 3339 times, oldest first; kept only where a state caps solicitations per day:
  /// docs/compliance.md#frequency-caps). A list that cannot be read makes the contact unreadable.
  std::vector<common::TimePoint> marketing_sent_at;

  bool opted_out() const { return consent_status == kOptedOut; }
  bool honored() const { return !opt_out_honored_at.empty(); }
  /// The latest opt-out request on record (RFC 3339; the texts compare as times), or empty.
  std::string latest_opt_out() const { return std::max(opted_out_at, opt_out_latest_request_at); }

  /// Reads the fields above from a contacts-table item (nullopt: no such contact).
  static Contact from_item(const std::optional<common::aws::AttributeMap>& item);
};

/// Whether a text may be sent to a contact, and why (for the blocked-send log).
struct SendDecision {
  bool allowed = false;
  /// "opted_in" when allowed; else "no_contact", "unreadable_state", "opted_out",
  /// "opt_out_recorded" (an opt-out time on an opted-in record: inconsistent, so stale),
  /// "no_consent" (known number, never opted in).
  std::string_view reason;
};

/// Fail closed (docs/compliance.md#fail-closed; 47 CFR 64.1200(a)(1)(iii), (a)(2) prior express
/// consent): a text may go out only to a readable record that is opted in and carries no opt-out.
/// Anything unknown blocks.
SendDecision may_receive(const Contact& contact);

/// What an opt-out request at `requested_at` does to the stored state.
enum class OptOutChange {
  kNew,        ///< not opted out yet: record it (deadline from `requested_at`)
  kEarlier,    ///< already opted out, but this request is earlier: it and its deadline win
  kUnchanged,  ///< already opted out at or before `requested_at`: the deadline stays
  kStale       ///< opted in after `requested_at`: the newer consent stands
               ///< (docs/compliance.md#unordered-messages)
};

/// "new", "earlier", "unchanged" or "stale": the consent event's `change` spelling.
std::string_view to_string(OptOutChange change);

/// An opt-out older than the contact's current opt-in is stale: messages and channels are
/// not ordered, and a newer express consent supersedes an older revocation.
/// The earliest request of a pending revocation wins, since the 10-business-day clock of
/// 47 CFR 64.1200(a)(10) runs from the first one received. An unparseable stored time is
/// replaced by the new request (a readable deadline beats an unreadable one).
OptOutChange opt_out_change(const Contact& current, common::TimePoint requested_at);

/// An opt-in never overrides an opt-out that is newer than it (messages and channels are not
/// ordered; docs/compliance.md#unordered-messages), compared with the latest opt-out request on
/// record, not only the earliest. True when an opt-in given at `opted_in_at` may apply.
/// An opt-out at the same instant does not block it; an unreadable opt-out time does.
bool opt_in_applies(const Contact& current, common::TimePoint opted_in_at);

}  // namespace common::consent
