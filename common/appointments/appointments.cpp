#include "common/appointments/appointments.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace common::appointments {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::Outcome;

namespace {

AttributeMap key_of(const std::string& id) { return {{"appointment_id", AttributeValue::S(id)}}; }

std::string hour_of(TimePoint t) { return format_rfc3339(t).substr(0, 13); }  // "2026-11-23T14"

}  // namespace

int shard_of(std::string_view appointment_id, int shards) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : appointment_id) h = (h ^ c) * 16777619u;
  return static_cast<int>(h % static_cast<std::uint32_t>(std::max(shards, 1)));
}

std::string due_shard(TimePoint due_at, std::string_view appointment_id, int shards) {
  return hour_of(due_at) + "#" + std::to_string(shard_of(appointment_id, shards));
}

std::vector<std::string> shards_to_query(TimePoint now, std::chrono::hours lookback, int shards) {
  std::vector<std::string> out;
  for (auto h = lookback; h >= std::chrono::hours(0); --h) {
    const std::string hour = hour_of(now - h);
    for (int n = 0; n < shards; ++n) out.push_back(hour + "#" + std::to_string(n));
  }
  return out;
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
  const TimePoint due = starts_at - lead;
  return {{"reminder_due_at", AttributeValue::S(format_rfc3339(due))},
          {"reminder_due_shard", AttributeValue::S(due_shard(due, appointment_id, shards))},
          {"reminder_lead_minutes", AttributeValue::N(lead.count())}};
}

std::optional<Appointment> Appointment::from_item(const AttributeMap& item, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Appointment> {
    if (error) *error = why;
    return std::nullopt;
  };
  Appointment a;
  a.appointment_id = common::aws::get_s(item, "appointment_id").value_or("");
  if (a.appointment_id.empty()) return fail("appointment_id missing");
  a.phone_number = common::aws::get_s(item, "phone_number").value_or("");
  if (a.phone_number.empty()) return fail("phone_number missing");
  const auto starts = parse_rfc3339(common::aws::get_s(item, "starts_at").value_or(""));
  if (!starts) return fail("starts_at missing or not RFC 3339");
  a.starts_at = *starts;
  a.time_zone = common::aws::get_s(item, "time_zone").value_or("");
  a.location = common::aws::get_s(item, "location").value_or("");
  a.status = common::aws::get_s(item, "appointment_status").value_or("");
  a.reminder_due_text = common::aws::get_s(item, "reminder_due_at").value_or("");
  if (!a.reminder_due_text.empty()) {
    a.reminder_due_at = parse_rfc3339(a.reminder_due_text);
    if (!a.reminder_due_at) return fail("reminder_due_at not RFC 3339");
  }
  a.reminder_lead = std::chrono::minutes(common::aws::get_int(item, "reminder_lead_minutes").value_or(0));
  return a;
}

std::optional<ReplyAction> parse_reply(std::string_view text) {
  std::string word;
  for (char c : text) word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto is_trim = [](char c) { return std::isspace(static_cast<unsigned char>(c)) || std::ispunct(static_cast<unsigned char>(c)); };
  while (!word.empty() && is_trim(word.back())) word.pop_back();
  std::size_t start = 0;
  while (start < word.size() && is_trim(word[start])) ++start;
  word = word.substr(start);
  if (word == "C" || word == "CONFIRM" || word == "CONFIRMED") return ReplyAction::kConfirm;
  if (word == "R" || word == "RESCHEDULE") return ReplyAction::kReschedule;
  return std::nullopt;
}

Outcome<common::aws::QueryResult> AppointmentStore::due_page(const std::string& shard, TimePoint now,
                                                             const AttributeMap& start, int limit) {
  common::aws::QueryRequest q;
  q.table_name = table_;
  q.index_name = std::string(kDueIndex);
  auto& e = q.expression;
  q.key_condition_expression = e.name("reminder_due_shard") + " = " + e.value(AttributeValue::S(shard)) +
                               " AND " + e.name("reminder_due_at") + " <= " +
                               e.value(AttributeValue::S(format_rfc3339(now)));
  q.limit = limit;
  q.exclusive_start_key = start;
  return db_.query(q);
}

Outcome<bool> AppointmentStore::claim(const Appointment& a, const std::string& claimant, TimePoint now,
                                      TimePoint expires) {
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(a.appointment_id);
  auto& e = u.expression;
  const auto until = e.name("reminder_claim_expires_at");
  u.update_expression = "SET " + e.name("reminder_claimed_by") + " = " +
                        e.value(AttributeValue::S(claimant)) + ", " + until + " = " +
                        e.value(AttributeValue::S(format_rfc3339(expires)));
  u.condition_expression = e.name("reminder_due_at") + " = " +
                           e.value(AttributeValue::S(a.reminder_due_text)) +
                           " AND (attribute_not_exists(" + until + ") OR " + until + " < " +
                           e.value(AttributeValue::S(format_rfc3339(now))) + ")";
  auto r = db_.update_item(u);
  if (!r) return r.error();
  return !r.value().condition_failed;
}

Outcome<bool> AppointmentStore::release(const Appointment& a, const std::string& claimant) {
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(a.appointment_id);
  auto& e = u.expression;
  u.update_expression = "REMOVE " + e.name("reminder_claimed_by") + ", " + e.name("reminder_claim_expires_at");
  u.condition_expression = e.name("reminder_claimed_by") + " = " + e.value(AttributeValue::S(claimant));
  auto r = db_.update_item(u);
  if (!r) return r.error();
  return !r.value().condition_failed;
}

Outcome<bool> AppointmentStore::finish(const Appointment& a, const std::string& claimant,
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
  std::string set = "SET " + e.name("last_reminder_status") + " = " + e.value(AttributeValue::S(status)) +
                    ", " + e.name("last_reminder_at") + " = " + e.value(AttributeValue::S(format_rfc3339(now))) +
                    ", " + e.name("last_reminder_lead_minutes") + " = " +
                    e.value(AttributeValue::N(a.reminder_lead.count()));
  std::vector<std::string> remove = {e.name("reminder_claimed_by"), e.name("reminder_claim_expires_at")};
  if (!reason.empty()) {
    set += ", " + e.name("last_reminder_reason") + " = " + e.value(AttributeValue::S(reason));
  } else {
    remove.push_back(e.name("last_reminder_reason"));
  }
  if (!message_id.empty()) {
    set += ", " + e.name("last_reminder_message_id") + " = " + e.value(AttributeValue::S(message_id));
  }
  if (next) {
    const TimePoint due = a.starts_at - *next;
    set += ", " + e.name("reminder_due_at") + " = " + e.value(AttributeValue::S(format_rfc3339(due))) +
           ", " + e.name("reminder_due_shard") + " = " +
           e.value(AttributeValue::S(due_shard(due, a.appointment_id, shards_))) + ", " +
           e.name("reminder_lead_minutes") + " = " + e.value(AttributeValue::N(next->count()));
  } else {
    remove.push_back(e.name("reminder_due_at"));
    remove.push_back(e.name("reminder_due_shard"));
    remove.push_back(e.name("reminder_lead_minutes"));
  }
  u.update_expression = set;
  if (outcome == ReminderOutcome::kSent) {
    u.update_expression += " ADD " + e.name("reminders_sent") + " " + e.value(AttributeValue::N(1));
  }
  u.update_expression += " REMOVE ";
  for (std::size_t i = 0; i < remove.size(); ++i) u.update_expression += (i ? ", " : "") + remove[i];
  u.condition_expression = e.name("reminder_claimed_by") + " = " + e.value(AttributeValue::S(claimant));
  auto r = db_.update_item(u);
  if (!r) return r.error();
  return !r.value().condition_failed;
}

Outcome<std::optional<Appointment>> AppointmentStore::next_upcoming(const std::string& phone,
                                                                    TimePoint now) {
  common::aws::QueryRequest q;
  q.table_name = table_;
  q.index_name = std::string(kByPhoneIndex);
  auto& e = q.expression;
  q.key_condition_expression = e.name("phone_number") + " = " + e.value(AttributeValue::S(phone)) +
                               " AND " + e.name("starts_at") + " > " +
                               e.value(AttributeValue::S(format_rfc3339(now)));
  q.limit = 25;
  for (;;) {
    auto page = db_.query(q);
    if (!page) return page.error();
    for (const auto& item : page.value().items) {
      auto a = Appointment::from_item(item);
      if (a && a->status != kCancelled) return std::optional<Appointment>(std::move(*a));
    }
    if (page.value().last_evaluated_key.empty()) return std::optional<Appointment>();
    q.exclusive_start_key = page.value().last_evaluated_key;
  }
}

Outcome<bool> AppointmentStore::record_reply(const std::string& appointment_id, ReplyAction action,
                                             TimePoint now, const std::string& reply_message_id) {
  const std::string_view status = action == ReplyAction::kConfirm ? kConfirmed : kRescheduleRequested;
  common::aws::UpdateItemRequest u;
  u.table_name = table_;
  u.key = key_of(appointment_id);
  auto& e = u.expression;
  u.update_expression = "SET " + e.name("appointment_status") + " = " +
                        e.value(AttributeValue::S(std::string(status))) + ", " +
                        e.name(std::string(status) + "_at") + " = " +
                        e.value(AttributeValue::S(format_rfc3339(now))) + ", " +
                        e.name("reply_message_id") + " = " + e.value(AttributeValue::S(reply_message_id));
  const auto st = e.name("appointment_status");
  u.condition_expression = "attribute_exists(" + e.name("appointment_id") + ") AND " +
                           e.name("starts_at") + " > " +
                           e.value(AttributeValue::S(format_rfc3339(now))) + " AND (attribute_not_exists(" +
                           st + ") OR " + st + " <> " + e.value(AttributeValue::S(std::string(kCancelled))) + ")";
  auto r = db_.update_item(u);
  if (!r) return r.error();
  return !r.value().condition_failed;
}

std::string format_when(std::chrono::local_seconds local) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const int h24 = static_cast<int>(hms.hours().count());
  const int h12 = h24 % 12 == 0 ? 12 : h24 % 12;
  char minute[3];
  std::snprintf(minute, sizeof minute, "%02d", static_cast<int>(hms.minutes().count()));
  return std::string(kDays[weekday(day).c_encoding()]) + ", " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<unsigned>(ymd.day())) + " at " + std::to_string(h12) + ":" +
         minute + (h24 < 12 ? " AM" : " PM");
}


}  // namespace common::appointments
