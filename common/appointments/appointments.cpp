#include "common/appointments/appointments.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace common::appointments {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

namespace {

// The attribute names of the table (see the header for what each holds).
constexpr std::string_view kId = "appointment_id";
constexpr std::string_view kPhone = "phone_number";
constexpr std::string_view kStartsAt = "starts_at";
constexpr std::string_view kTimeZone = "time_zone";
constexpr std::string_view kLocation = "location";
constexpr std::string_view kStatus = "appointment_status";
constexpr std::string_view kShard = "reminder_shard";
constexpr std::string_view kDueAt = "reminder_due_at";
constexpr std::string_view kLeadMinutes = "reminder_lead_minutes";
constexpr std::string_view kClaimedBy = "reminder_claimed_by";
constexpr std::string_view kClaimExpiresAt = "reminder_claim_expires_at";
constexpr std::string_view kLastStatus = "last_reminder_status";
constexpr std::string_view kLastAt = "last_reminder_at";
constexpr std::string_view kLastLead = "last_reminder_lead_minutes";
constexpr std::string_view kLastReason = "last_reminder_reason";
constexpr std::string_view kLastMessageId = "last_reminder_message_id";
constexpr std::string_view kRemindersSent = "reminders_sent";
constexpr std::string_view kReplyMessageId = "reply_message_id";

AttributeMap key_of(const std::string& id) {
  return {{std::string(kId), AttributeValue::S(id)}};
}

AttributeValue S(std::string_view s) {
  return AttributeValue::S(std::string(s));
}
AttributeValue time_value(TimePoint t) {
  return AttributeValue::S(format_rfc3339(t));
}

// A write's answer: true when it was applied, false when its condition failed; an AWS failure
// throws (the store's error vocabulary, common/error.hpp).
bool applied(common::aws::Outcome<common::aws::WriteResult> r) {
  return !r.value().condition_failed;
}

}  // namespace

int shard_of(std::string_view appointment_id, int shards) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : appointment_id) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % static_cast<std::uint32_t>(std::max(shards, 1)));
}

TimePoint due_window_start(TimePoint now, std::chrono::hours lookback) {
  return std::chrono::floor<std::chrono::hours>(now - lookback);
}

std::optional<std::vector<std::chrono::minutes>> parse_lead_times(std::string_view text) {
  std::vector<std::chrono::minutes> leads;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() < 2) return std::nullopt;
    const char unit = item.back();
    item.remove_suffix(1);
    long value = 0;
    for (char c : item) {
      if (c < '0' || c > '9' || value > 100000) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value == 0 || (unit != 'h' && unit != 'm')) return std::nullopt;
    leads.push_back(std::chrono::minutes(unit == 'h' ? value * 60 : value));
    pos = comma + 1;
  }
  std::sort(leads.begin(), leads.end(), std::greater<>());
  leads.erase(std::unique(leads.begin(), leads.end()), leads.end());
  return leads;
}

std::optional<std::chrono::minutes> next_lead(TimePoint starts_at,
                                              const std::vector<std::chrono::minutes>& leads,
                                              TimePoint after) {
  for (auto lead : leads) {  // longest first
    if (starts_at - lead > after) return lead;
  }
  return std::nullopt;
}

AttributeMap first_reminder_attributes(std::string_view appointment_id, TimePoint starts_at,
                                       const std::vector<std::chrono::minutes>& leads, int shards) {
  if (leads.empty()) return {};
  const auto lead = *std::max_element(leads.begin(), leads.end());
  return {{std::string(kDueAt), time_value(starts_at - lead)},
          {std::string(kShard), AttributeValue::N(shard_of(appointment_id, shards))},
          {std::string(kLeadMinutes), AttributeValue::N(lead.count())}};
}

std::optional<Appointment> Appointment::from_item(const AttributeMap& item, std::string* error) {
  using common::aws::get_s;
  auto fail = [&](const std::string& why) -> std::optional<Appointment> {
    if (error) *error = why;
    return std::nullopt;
  };
  Appointment a;
  a.appointment_id = get_s(item, kId).value_or("");
  if (a.appointment_id.empty()) return fail("appointment_id missing");
  a.phone_number = get_s(item, kPhone).value_or("");
  if (a.phone_number.empty()) return fail("phone_number missing");
  const auto starts = parse_rfc3339(get_s(item, kStartsAt).value_or(""));
  if (!starts) return fail("starts_at missing or not RFC 3339");
  a.starts_at = *starts;
  a.time_zone = get_s(item, kTimeZone).value_or("");
  a.location = get_s(item, kLocation).value_or("");
  a.status = get_s(item, kStatus).value_or("");
  a.reminder_due_text = get_s(item, kDueAt).value_or("");
  if (!a.reminder_due_text.empty()) {
    a.reminder_due_at = parse_rfc3339(a.reminder_due_text);
    if (!a.reminder_due_at) return fail("reminder_due_at not RFC 3339");
  }
  a.reminder_lead = std::chrono::minutes(common::aws::get_int(item, kLeadMinutes).value_or(0));
  return a;
}

std::optional<ReplyAction> parse_reply(std::string_view text) {
  std::string word;
  for (char c : text) word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto is_trim = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) ||
           std::ispunct(static_cast<unsigned char>(c));
  };
  while (!word.empty() && is_trim(word.back())) word.pop_back();
  std::size_t start = 0;
  while (start < word.size() && is_trim(word[start])) ++start;
  word = word.substr(start);
  if (word == "C" || word == "CONFIRM" || word == "CONFIRMED" || word == "CONFIRMAR" ||
      word == "CONFIRMO" || word == "CONFIRMADO") {
    return ReplyAction::kConfirm;
  }
  if (word == "R" || word == "RESCHEDULE" || word == "CAMBIAR" || word == "REPROGRAMAR") {
    return ReplyAction::kReschedule;
  }
  return std::nullopt;
}

DuePage AppointmentStore::due_page(int shard, TimePoint from, TimePoint to,
                                   const AttributeMap& start, int limit) {
  common::aws::QueryRequest q;
  q.table_name = table_;
  q.index_name = std::string(kDueIndex);
  auto& e = q.expression;
  q.key_condition_expression = e.name(kShard) + " = " + e.value(AttributeValue::N(shard)) +
                               " AND " + e.name(kDueAt) + " BETWEEN " + e.value(time_value(from)) +
                               " AND " + e.value(time_value(to));
  q.limit = limit;
  q.exclusive_start_key = start;
  auto result = db_.query(q).value();
  DuePage page;
  page.items.reserve(result.items.size());
  for (const auto& item : result.items) {
    DueItem due;
    due.appointment = Appointment::from_item(item, &due.error);
    due.appointment_id = due.appointment ? due.appointment->appointment_id
                                         : common::aws::get_s(item, kId).value_or("");
    page.items.push_back(std::move(due));
  }
  page.next = std::move(result.last_evaluated_key);
  return page;
}

bool AppointmentStore::claim(const Appointment& a, const std::string& claimant, TimePoint now,
                             TimePoint expires) {
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(a.appointment_id);
  auto& e = u.expression;
  const auto until = e.name(kClaimExpiresAt);
  u.update_expression = "SET " + e.name(kClaimedBy) + " = " + e.value(S(claimant)) + ", " + until +
                        " = " + e.value(time_value(expires));
  u.condition_expression = e.name(kDueAt) + " = " + e.value(S(a.reminder_due_text)) +
                           " AND (attribute_not_exists(" + until + ") OR " + until + " < " +
                           e.value(time_value(now)) + ")";
  return applied(db_.update_item(u));
}

bool AppointmentStore::release(const Appointment& a, const std::string& claimant) {
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(a.appointment_id);
  auto& e = u.expression;
  u.update_expression = "REMOVE " + e.name(kClaimedBy) + ", " + e.name(kClaimExpiresAt);
  u.condition_expression = e.name(kClaimedBy) + " = " + e.value(S(claimant));
  return applied(db_.update_item(u));
}

bool AppointmentStore::finish(const Appointment& a, const std::string& claimant,
                              ReminderOutcome outcome, const std::string& reason,
                              const std::string& message_id, TimePoint now,
                              std::optional<std::chrono::minutes> next) {
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(a.appointment_id);
  auto& e = u.expression;
  const char* status = outcome == ReminderOutcome::kSent      ? "sent"
                       : outcome == ReminderOutcome::kBlocked ? "blocked"
                                                              : "missed";
  std::string set = "SET " + e.name(kLastStatus) + " = " + e.value(S(status)) + ", " +
                    e.name(kLastAt) + " = " + e.value(time_value(now)) + ", " + e.name(kLastLead) +
                    " = " + e.value(AttributeValue::N(a.reminder_lead.count()));
  std::vector<std::string> remove = {e.name(kClaimedBy), e.name(kClaimExpiresAt)};
  if (!reason.empty()) {
    set += ", " + e.name(kLastReason) + " = " + e.value(S(reason));
  } else {
    remove.push_back(e.name(kLastReason));
  }
  if (!message_id.empty()) set += ", " + e.name(kLastMessageId) + " = " + e.value(S(message_id));
  if (next) {
    // The shard is the id's, so the item stays in its partition; only the sort key moves.
    set += ", " + e.name(kDueAt) + " = " + e.value(time_value(a.starts_at - *next)) + ", " +
           e.name(kShard) + " = " +
           e.value(AttributeValue::N(shard_of(a.appointment_id, shards_))) + ", " +
           e.name(kLeadMinutes) + " = " + e.value(AttributeValue::N(next->count()));
  } else {
    remove.push_back(e.name(kDueAt));
    remove.push_back(e.name(kShard));
    remove.push_back(e.name(kLeadMinutes));
  }
  u.update_expression = set;
  if (outcome == ReminderOutcome::kSent) {
    u.update_expression += " ADD " + e.name(kRemindersSent) + " " + e.value(AttributeValue::N(1));
  }
  u.update_expression += " REMOVE ";
  for (std::size_t i = 0; i < remove.size(); ++i)
    u.update_expression += (i ? ", " : "") + remove[i];
  u.condition_expression = e.name(kClaimedBy) + " = " + e.value(S(claimant));
  return applied(db_.update_item(u));
}

std::optional<Appointment> AppointmentStore::next_upcoming(const std::string& phone,
                                                           TimePoint now) {
  common::aws::QueryRequest q;
  q.table_name = table_;
  q.index_name = std::string(kByPhoneIndex);
  auto& e = q.expression;
  q.key_condition_expression = e.name(kPhone) + " = " + e.value(S(phone)) + " AND " +
                               e.name(kStartsAt) + " > " + e.value(time_value(now));
  q.limit = 25;
  for (;;) {
    auto page = db_.query(q).value();
    for (const auto& item : page.items) {
      auto a = Appointment::from_item(item);
      if (a && a->status != kCancelled) return a;
    }
    if (page.last_evaluated_key.empty()) return std::nullopt;
    q.exclusive_start_key = std::move(page.last_evaluated_key);
  }
}

bool AppointmentStore::record_reply(const std::string& appointment_id, ReplyAction action,
                                    TimePoint now, const std::string& reply_message_id) {
  const std::string_view status =
      action == ReplyAction::kConfirm ? kConfirmed : kRescheduleRequested;
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(appointment_id);
  auto& e = u.expression;
  const auto st = e.name(kStatus);
  u.update_expression = "SET " + st + " = " + e.value(S(status)) + ", " +
                        e.name(std::string(status) + "_at") + " = " + e.value(time_value(now)) +
                        ", " + e.name(kReplyMessageId) + " = " + e.value(S(reply_message_id));
  u.condition_expression = "attribute_exists(" + e.name(kId) + ") AND " + e.name(kStartsAt) +
                           " > " + e.value(time_value(now)) + " AND (attribute_not_exists(" + st +
                           ") OR " + st + " <> " + e.value(S(kCancelled)) + ")";
  return applied(db_.update_item(u));
}

namespace {

// The parts of a local time both formats name: weekday (0 = Sunday), month (0-based), day of the
// month, the hour on a 12-hour clock, the minutes as two digits, and whether it is before noon.
struct WhenParts {
  unsigned weekday = 0, month = 0, day = 0;
  int h12 = 12;
  std::string minute;
  bool am = true;
};

WhenParts when_parts(std::chrono::local_seconds local) {
  using namespace std::chrono;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const int h24 = static_cast<int>(hms.hours().count());
  char minute[3];
  std::snprintf(minute, sizeof minute, "%02d", static_cast<int>(hms.minutes().count()));
  return {weekday(day).c_encoding(), static_cast<unsigned>(ymd.month()) - 1,
          static_cast<unsigned>(ymd.day()), h24 % 12 == 0 ? 12 : h24 % 12, minute, h24 < 12};
}

}  // namespace

std::string format_when(std::chrono::local_seconds local) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const WhenParts w = when_parts(local);
  return std::string(kDays[w.weekday]) + ", " + kMonths[w.month] + " " + std::to_string(w.day) +
         " at " + std::to_string(w.h12) + ":" + w.minute + (w.am ? " AM" : " PM");
}

std::string format_when_es(std::chrono::local_seconds local) {
  static constexpr std::array<const char*, 7> kDays = {"dom", "lun", "mar", "mié",
                                                       "jue", "vie", "sáb"};
  static constexpr std::array<const char*, 12> kMonths = {
      "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"};
  const WhenParts w = when_parts(local);
  return std::string(kDays[w.weekday]) + " " + std::to_string(w.day) + " de " + kMonths[w.month] +
         (w.h12 == 1 ? " a la " : " a las ") + std::to_string(w.h12) + ":" + w.minute +
         (w.am ? " a. m." : " p. m.");
}

}  // namespace common::appointments
