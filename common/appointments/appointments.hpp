// The appointments table (APPOINTMENTS_TABLE, key appointment_id): what `reminders` queries,
// claims and records, and what sms-inbound's C/CONFIRM and R/RESCHEDULE replies act on.
//
// Reminder index `reminders-due` (sparse): an appointment with a reminder still to send carries
//   reminder_due_at     RFC 3339 UTC instant the reminder is due (sort key)
//   reminder_due_shard  "<YYYY-MM-DDTHH of reminder_due_at>#<n>" (partition key), n = a stable
//                       hash of appointment_id modulo the shard count (REMINDER_SHARDS, 8)
//   reminder_lead_minutes  which lead time it is (1440 = 24 h before starts_at)
// so a busy hour spreads over n partitions, and a run queries the shards of the current hour
// and of the hours before it (lookback), each with reminder_due_at <= now, never a Scan. When
// the last reminder is done both key attributes are removed and the item leaves the index.
// Index `appointments-by-phone`: phone_number + starts_at, for "the next upcoming appointment".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/time.hpp"

namespace common::appointments {

inline constexpr std::string_view kDueIndex = "reminders-due";
inline constexpr std::string_view kByPhoneIndex = "appointments-by-phone";
/// Shards per hour of the reminders-due index.
inline constexpr int kDefaultShards = 8;

/// `appointment_status` values.
inline constexpr std::string_view kScheduled = "scheduled";
inline constexpr std::string_view kConfirmed = "confirmed";
inline constexpr std::string_view kRescheduleRequested = "reschedule_requested";
inline constexpr std::string_view kCancelled = "cancelled";

/// The shard n of `appointment_id` (0..shards-1): FNV-1a of the id, so it never changes.
int shard_of(std::string_view appointment_id, int shards);
/// The partition key value for a reminder due at `due_at`: "2026-11-23T14#3".
std::string due_shard(TimePoint due_at, std::string_view appointment_id, int shards);
/// Every partition a run at `now` queries: the shards of the hour of `now` and of the
/// `lookback` hours before it, oldest first.
std::vector<std::string> shards_to_query(TimePoint now, std::chrono::hours lookback, int shards);

/// Parses REMINDER_LEAD_TIMES ("24h,2h", "90m"; units h and m): leads sorted longest first,
/// duplicates dropped. nullopt on anything else (empty, zero, unknown unit).
std::optional<std::vector<std::chrono::minutes>> parse_lead_times(std::string_view text);

/// The next reminder after one handled at `after`: among `leads` whose due time
/// (starts_at - lead) is later than `after`, the longest; nullopt when none is left. Leads
/// already overdue are skipped: the reminder just handled stands for them.
std::optional<std::chrono::minutes> next_lead(TimePoint starts_at,
                                              const std::vector<std::chrono::minutes>& leads,
                                              TimePoint after);

/// The attributes a new appointment needs so that its first reminder is found: reminder_due_at,
/// reminder_due_shard, reminder_lead_minutes for the longest lead (even when already past, so a
/// late-booked appointment still gets one reminder); nothing when `leads` is empty.
common::aws::AttributeMap first_reminder_attributes(std::string_view appointment_id,
                                                    TimePoint starts_at,
                                                    const std::vector<std::chrono::minutes>& leads,
                                                    int shards);

/// One appointment, as the table holds it.
struct Appointment {
  std::string appointment_id;
  std::string phone_number;  ///< E.164
  TimePoint starts_at;
  std::string time_zone;     ///< IANA name, may be empty
  std::string location;      ///< may be empty
  std::string status;        ///< appointment_status ("" = scheduled)
  std::optional<TimePoint> reminder_due_at;
  std::string reminder_due_text;  ///< reminder_due_at exactly as stored (claims compare it)
  std::chrono::minutes reminder_lead{0};

  /// Reads an item; nullopt with `error` set when a required attribute (appointment_id,
  /// phone_number, starts_at) is missing or unreadable.
  static std::optional<Appointment> from_item(const common::aws::AttributeMap& item,
                                              std::string* error = nullptr);
};

/// "Tue, Nov 24 at 2:00 PM": an appointment's local wall-clock time, as reminders and the
/// replies to them show it (US English, 12-hour clock).
std::string format_when(std::chrono::local_seconds local);

/// What a reply to a reminder asks for.
enum class ReplyAction { kConfirm, kReschedule };

/// The reply keyword of an inbound text, normalised as keywords are (trimmed, case-folded,
/// trailing punctuation dropped): C, CONFIRM, CONFIRMED -> kConfirm; R, RESCHEDULE -> kReschedule.
/// YES is not included: it is the opt-in word, and the caller decides (see README, reminders).
std::optional<ReplyAction> parse_reply(std::string_view text);

/// How a reminder run finished one reminder (the `last_reminder_status` written).
enum class ReminderOutcome { kSent, kBlocked, kMissed };

/// The appointments-table operations. DynamoDB errors other than a failed condition come back
/// as values (Outcome); the caller decides whether to fail.
class AppointmentStore {
 public:
  AppointmentStore(common::aws::DynamoDbClient& dynamodb, std::string table,
                   int shards = kDefaultShards)
      : db_(dynamodb), table_(std::move(table)), shards_(shards) {}

  /// One page of reminders due by `now` in partition `shard` (eventually consistent: claims
  /// re-check). Continue with `start` = the previous page's last_evaluated_key.
  common::aws::Outcome<common::aws::QueryResult> due_page(const std::string& shard, TimePoint now,
                                                          const common::aws::AttributeMap& start,
                                                          int limit = 200);

  /// Claims the reminder due at `due_text` for `claimant` until `expires`: succeeds (true) only
  /// while it is still due at that time and no unexpired claim is on it, so two runs never
  /// both send it; a crashed run's claim expires and the reminder is retried.
  common::aws::Outcome<bool> claim(const Appointment& appointment, const std::string& claimant,
                                   TimePoint now, TimePoint expires);
  /// Gives a claim back (the reminder stays due), e.g. after a throttled send.
  common::aws::Outcome<bool> release(const Appointment& appointment, const std::string& claimant);

  /// Finishes the claimed reminder: records the outcome (`last_reminder_status`, `_reason`,
  /// `_message_id`, `_at`, `_lead_minutes`; reminders_sent + 1 when sent), then either moves
  /// the item to its next reminder (`next`, re-sharded) or removes it from the due index.
  /// False when the claim is no longer ours.
  common::aws::Outcome<bool> finish(const Appointment& appointment, const std::string& claimant,
                                    ReminderOutcome outcome, const std::string& reason,
                                    const std::string& message_id, TimePoint now,
                                    std::optional<std::chrono::minutes> next);

  /// The contact's next appointment that has not started by `now` and is not cancelled
  /// (index appointments-by-phone, eventually consistent), or nullopt.
  common::aws::Outcome<std::optional<Appointment>> next_upcoming(const std::string& phone,
                                                                 TimePoint now);

  /// Records a reply on the appointment: `appointment_status` confirmed or
  /// reschedule_requested, with `<status>_at` and the inbound `reply_message_id`. Only while
  /// the appointment has not started and is not cancelled; false otherwise.
  common::aws::Outcome<bool> record_reply(const std::string& appointment_id, ReplyAction action,
                                          TimePoint now, const std::string& reply_message_id);

  const std::string& table() const { return table_; }
  int shards() const { return shards_; }

 private:
  common::aws::DynamoDbClient& db_;
  std::string table_;
  int shards_;
};

}  // namespace common::appointments
