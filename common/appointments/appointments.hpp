// The appointments table (APPOINTMENTS_TABLE, key appointment_id): what `reminders` queries,
// claims and records, and what sms-inbound's C/CONFIRM and R/RESCHEDULE replies act on. This
// module is the table's only writer and holds every attribute name of it.
//
// Reminder index `reminders-due` (sparse): an appointment with a reminder still to send carries
//   reminder_shard         N, a stable hash of appointment_id modulo REMINDER_SHARDS (8): the
//                          index partition, so writes spread over 8 partition keys
//   reminder_due_at        S, RFC 3339 UTC instant the reminder is due: the index sort key
//   reminder_lead_minutes  N, which lead time it is (1440 = 24 h before starts_at)
// A run makes one Query per shard, `reminder_shard = n AND reminder_due_at BETWEEN <window
// start> AND <now>`, so a run with nothing due costs 8 Queries (one page each) whatever the
// look-back, and never a Scan. When the last reminder is done the two key attributes are removed
// and the item leaves the index. (The earlier layout keyed the partition by hour and shard and
// so made shards x (look-back hours + 1) = 208 Queries per run.)
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
/// Partition keys (shards) of the reminders-due index; REMINDER_SHARDS must match the writers.
inline constexpr int kDefaultShards = 8;

/// `appointment_status` values.
inline constexpr std::string_view kScheduled = "scheduled";
inline constexpr std::string_view kConfirmed = "confirmed";
inline constexpr std::string_view kRescheduleRequested = "reschedule_requested";
inline constexpr std::string_view kCancelled = "cancelled";

/// The shard n of `appointment_id` (0..shards-1): FNV-1a of the id, so it never changes.
int shard_of(std::string_view appointment_id, int shards);
/// Where a run's window of due reminders starts: the top of the hour `lookback` before `now`
/// (a run at 14:10 with 25 h of look-back sees reminders due from 13:00 the day before).
/// Reminders overdue for longer are left alone: the appointment is long past its reminder.
TimePoint due_window_start(TimePoint now, std::chrono::hours lookback);

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
/// reminder_shard, reminder_lead_minutes for the longest lead (even when already past, so a
/// late-booked appointment still gets one reminder); nothing when `leads` is empty. For whoever
/// writes appointments (the booking system; tests; scripts/node/seed-appointments.mjs mirrors it).
common::aws::AttributeMap first_reminder_attributes(std::string_view appointment_id,
                                                    TimePoint starts_at,
                                                    const std::vector<std::chrono::minutes>& leads,
                                                    int shards);

/// One appointment, as the table holds it.
struct Appointment {
  std::string appointment_id;
  std::string phone_number;  ///< E.164
  TimePoint starts_at;
  std::string time_zone;  ///< IANA name, may be empty
  std::string location;   ///< may be empty
  std::string status;     ///< appointment_status ("" = scheduled)
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

/// "mar 24 de nov a las 2:00 p. m.": format_when's Spanish counterpart, for a contact whose
/// language is "es" (docs/compliance.md#template-languages). Weekday and month abbreviated as
/// Spanish calendars write them, without the period (dom lun mar mié jue vie sáb; ene feb mar abr
/// may jun jul ago sept oct nov dic), the day before the month ("24 de nov"), a 12-hour clock with
/// "a. m."/"p. m." (12:00 p. m. is noon), and "a la" for one o'clock ("a la 1:15 p. m."), "a las"
/// otherwise. UTF-8 (é in mié, á in sáb); smart encoding (common/sms/segments) sends them as GSM-7.
std::string format_when_es(std::chrono::local_seconds local);

/// What a reply to a reminder asks for.
enum class ReplyAction { kConfirm, kReschedule };

/// The reply keyword of an inbound text, normalised as keywords are (trimmed, case-folded,
/// trailing punctuation dropped): C, CONFIRM, CONFIRMED and Spanish CONFIRMAR, CONFIRMO,
/// CONFIRMADO -> kConfirm; R, RESCHEDULE and Spanish CAMBIAR, REPROGRAMAR -> kReschedule
/// (docs/compliance.md#languages). YES and SI are not included: they are opt-in words, and the
/// caller decides (see README, reminders).
std::optional<ReplyAction> parse_reply(std::string_view text);

/// How a reminder run finished one reminder (the `last_reminder_status` written).
enum class ReminderOutcome { kSent, kBlocked, kMissed };

/// One item of the due index: the appointment, or why it could not be read.
struct DueItem {
  std::optional<Appointment> appointment;  ///< nullopt: unreadable (see `error`)
  std::string appointment_id;              ///< as stored; may be empty when unreadable
  std::string error;                       ///< what is missing or malformed, when unreadable
};

/// One page of one shard's due reminders, oldest due first.
struct DuePage {
  std::vector<DueItem> items;
  /// Where the next page starts (opaque; pass it back to due_page); empty on the last page.
  common::aws::AttributeMap next;
};

/// The appointments-table operations. Expected outcomes are values (a claim someone else holds,
/// an appointment that has started); a DynamoDB failure throws common::aws::AwsException, so the
/// caller decides per reminder or per reply whether to fail.
class AppointmentStore {
 public:
  AppointmentStore(common::aws::DynamoDbClient& dynamodb, std::string table,
                   int shards = kDefaultShards)
      : db_(dynamodb), table_(std::move(table)), shards_(shards) {}

  /// One page (at most `limit` items) of the reminders of shard `shard` (0..shards-1) due in
  /// [`from`, `to`]: one Query on the sparse index, eventually consistent (claims re-check).
  /// Continue with `start` = the previous page's `next`.
  DuePage due_page(int shard, TimePoint from, TimePoint to, const common::aws::AttributeMap& start,
                   int limit = 200);

  /// Claims the reminder due at `due_text` for `claimant` until `expires`: true only while it
  /// is still due at that time and no unexpired claim is on it, so two runs never both send it;
  /// a crashed run's claim expires and the reminder is retried. One conditional UpdateItem.
  bool claim(const Appointment& appointment, const std::string& claimant, TimePoint now,
             TimePoint expires);
  /// Gives a claim back (the reminder stays due), e.g. after a throttled send. False when the
  /// claim was not ours (any more).
  bool release(const Appointment& appointment, const std::string& claimant);

  /// Finishes the claimed reminder in one conditional UpdateItem: records the outcome
  /// (`last_reminder_status`, `_reason`, `_message_id`, `_at`, `_lead_minutes`; reminders_sent + 1
  /// when sent), then either moves the item to its next reminder (`next`, same shard) or removes
  /// it from the due index. False when the claim is no longer ours.
  bool finish(const Appointment& appointment, const std::string& claimant, ReminderOutcome outcome,
              const std::string& reason, const std::string& message_id, TimePoint now,
              std::optional<std::chrono::minutes> next);

  /// The contact's next appointment that has not started by `now` and is not cancelled
  /// (index appointments-by-phone, eventually consistent), or nullopt.
  std::optional<Appointment> next_upcoming(const std::string& phone, TimePoint now);

  /// Records a reply on the appointment: `appointment_status` confirmed or
  /// reschedule_requested, with `<status>_at` and the inbound `reply_message_id`. Only while
  /// the appointment has not started and is not cancelled; false otherwise.
  bool record_reply(const std::string& appointment_id, ReplyAction action, TimePoint now,
                    const std::string& reply_message_id);

  const std::string& table() const { return table_; }
  int shards() const { return shards_; }

 private:
  common::aws::DynamoDbClient& db_;
  std::string table_;
  int shards_;
};

}  // namespace common::appointments
