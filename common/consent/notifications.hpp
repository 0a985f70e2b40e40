// A business's own texts (notify): one message-log item per request, keyed by the caller's
// idempotency key, that records the request, the gate's decision and, once sent, the text as an
// outbound item (so delivery events land on it, by `message_ref` in Context or by MessageId).
// NotificationStore is the one owner of these items' writes (the ConsentStore owns the rest of
// the message log and the contacts table). Calls per operation: docs/round-trips.md#notify.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/time.hpp"

namespace common::consent {

/// The sparse message-log index of deferred notifications: partition `notify_due_shard` (N, 0 to
/// kNotifyShards - 1), sort `notify_due_at` (RFC 3339 UTC, ms). Only a deferred item has them.
inline constexpr std::string_view kNotifyDueIndex = "notify-due";
/// Partitions of kNotifyDueIndex: a release run reads each (one Query per shard and page).
inline constexpr int kNotifyShards = 8;
/// The sort-key prefix of notification items: "notify#<idempotency_key>".
inline constexpr std::string_view kNotifySkPrefix = "notify#";

/// Where a notification item stands (`status`).
enum class NotifyStatus {
  kClaimed,         ///< an attempt is deciding or sending it (lease_owner, lease_expires_at)
  kDeferred,        ///< outside the lawful window or before send_after: waits in kNotifyDueIndex
  kSent,            ///< End User Messaging accepted it (message_id)
  kBlocked,         ///< the gate refused it (reason, rule): never sent
  kExpired,         ///< its expires_at passed while deferred: never sent
  kOutcomeUnknown,  ///< a send whose answer was lost: it may have gone out, it is never resent
};

/// "claimed", "deferred", "sent", "blocked", "expired", "outcome_unknown".
std::string_view to_string(NotifyStatus status);
/// The inverse of to_string; nullopt for anything else.
std::optional<NotifyStatus> parse_notify_status(std::string_view text);

/// One notification request and what became of it (message-log item, README "Data").
struct Notification {
  // The request, as accepted.
  std::string phone_number;     ///< E.164 (partition key)
  std::string idempotency_key;  ///< the caller's key, 1-128 of [A-Za-z0-9._:-]; scoped to the number
  std::string notify_id;        ///< our message id ("ntf-" + 32 hex), answered to the caller
  std::string category;         ///< "transactional" | "marketing"
  std::string template_name;    ///< "" for a raw body
  std::string body;             ///< the text to send: rendered and smart-encoded
  int segments = 0;             ///< message parts of `body`
  std::string encoding;         ///< "GSM-7" | "UCS-2"
  /// The language of `body` (`language`): "es" for a template's Spanish variant chosen by the
  /// contact's language, "en" for a template's English text, empty for a raw body (its caller's
  /// own words). Chosen when the request is first decided; a deferred text keeps it.
  std::string language{};
  std::string fingerprint;      ///< digest of the request, to tell a replay from a key reuse
  common::TimePoint accepted_at{};
  std::optional<common::TimePoint> send_after{};
  std::optional<common::TimePoint> expires_at{};
  std::map<std::string, std::string> context{};  ///< the caller's context, echoed by events
  std::string source;           ///< "sqs" | "http"
  std::string caller;           ///< HTTP: the IAM caller; SQS: the queue ARN

  // The decision.
  NotifyStatus status = NotifyStatus::kClaimed;
  std::string reason{};       ///< blocked/deferred/expired: why ("no_consent", "quiet_hours:...")
  std::string rule{};         ///< the rule that closed the window, when quiet hours did
  std::string quiet_hours{};  ///< RecipientLocation::basis, e.g. "FL@America/New_York"
  std::optional<common::TimePoint> send_at{};     ///< deferred: when it may go out
  std::optional<common::TimePoint> decided_at{};  ///< when the status was last decided
  std::string message_id{};   ///< sent: End User Messaging MessageId (joins kMessageIdIndex)
  std::string origination_identity{};
  std::string message_type{};  ///< "TRANSACTIONAL" | "PROMOTIONAL"
  int attempts = 0;            ///< how many times the gate decided it (1 + releases)

  /// The message-log sort key: kNotifySkPrefix + idempotency_key.
  std::string sk() const;
  /// The item (every attribute that is set; the due-index keys only when deferred).
  common::aws::AttributeMap to_item() const;
  /// Reads an item written by to_item(); nullopt (and `error` set) when it is not one.
  static std::optional<Notification> from_item(const common::aws::AttributeMap& item,
                                               std::string* error = nullptr);
};

/// The kNotifyDueIndex partition of a notification: FNV-1a of phone and key, mod kNotifyShards.
int notify_shard(std::string_view phone_number, std::string_view idempotency_key);

/// What NotificationStore::claim found.
struct NotifyClaimed {
  enum class Kind {
    kClaimed,     ///< new: this attempt owns it
    kTakenOver,   ///< an earlier attempt's lease ran out before it recorded a decision
    kExisting,    ///< decided before (a replay): `existing` says how; nothing to do
    kInProgress,  ///< another attempt holds the lease: try again later (transient)
  };
  Kind kind = Kind::kClaimed;
  std::optional<Notification> existing{};  ///< kExisting, kTakenOver, kInProgress
};

/// One page of due deferred notifications of one shard.
struct NotifyDuePage {
  std::vector<Notification> items;
  std::vector<std::string> unreadable;  ///< keys of items from_item refused (logged by the caller)
  common::aws::AttributeMap next;       ///< empty on the last page
};

/// The writes of notification items. Every write is conditional on the item's state, so two
/// attempts (an SQS redelivery, two release runs) never both send one notification. DynamoDB
/// failures other than a failed condition throw common::aws::AwsException.
class NotificationStore {
 public:
  NotificationStore(common::aws::DynamoDbClient& dynamodb, std::string message_log_table)
      : db_(dynamodb), table_(std::move(message_log_table)) {}

  /// Writes a new notification, conditionally on its key being new (one PutItem): with
  /// `sending`, a claim (status kClaimed and a lease: `owner` until `lease_until`) for a message
  /// about to be sent; without, `n` as decided (blocked, deferred, expired), which needs no
  /// lease. When the key is taken: kExisting for a decided item (the caller answers its result
  /// again), kInProgress while another lease runs, and kTakenOver when that lease ran out with no
  /// decision recorded (the earlier attempt ended between its claim and its record: it may have
  /// sent, so the caller records kOutcomeUnknown and never sends). Two calls when the condition
  /// fails and DynamoDB does not return the item (dynalite).
  NotifyClaimed claim(const Notification& n, bool sending, const std::string& owner,
                      common::TimePoint lease_until, common::TimePoint now);

  /// Claims a due notification for a release run (it keeps its due-index keys until recorded,
  /// so a run that crashes leaves it visible): kClaimed when it was deferred with the same
  /// `notify_due_at`; kTakenOver when it was claimed by a run whose lease ran out before it
  /// recorded a decision (the caller records kOutcomeUnknown, never sends); kInProgress when
  /// another run holds it or it changed (nothing to do). One UpdateItem.
  NotifyClaimed::Kind claim_due(const Notification& n, const std::string& owner,
                                common::TimePoint lease_until, common::TimePoint now);

  /// Records the decision in `n` (its status and decision fields), replacing the claim, only
  /// while `owner` still holds it. A deferred item gets the due-index keys for n.send_at.
  /// Returns false when the lease was lost (the item is left as it is). One PutItem.
  bool record(const Notification& n, const std::string& owner);

  /// Gives a claim back after a failure that certainly sent nothing: a new item is deleted, so a
  /// redelivery claims it afresh; a deferred one (`was_deferred`, claimed by claim_due) goes back
  /// to status kDeferred with the send_at and due-index keys it kept while claimed (one
  /// UpdateItem), for the next release run. Only while `owner` holds the claim. Best effort,
  /// never throws: the lease also runs out on its own.
  void release(const Notification& n, const std::string& owner, bool was_deferred) noexcept;

  /// The deferred notifications of `shard` due by `now` (notify_due_at <= now), oldest first, at
  /// most `limit` a page. The index is eventually consistent: claim_due re-checks.
  NotifyDuePage due_page(int shard, common::TimePoint now, const common::aws::AttributeMap& start,
                         int limit = 100);

  /// The item of (`phone`, `idempotency_key`), strongly consistent; nullopt when none.
  std::optional<Notification> read(const std::string& phone, const std::string& idempotency_key);

 private:
  common::aws::DynamoDbClient& db_;
  std::string table_;
};

}  // namespace common::consent
