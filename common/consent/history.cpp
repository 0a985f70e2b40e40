#include "common/consent/history.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "common/compliance/business_days.hpp"
#include "common/consent/contact.hpp"
#include "common/consent/store.hpp"

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using json = nlohmann::json;

AttributeValue S(std::string v) { return AttributeValue::S(std::move(v)); }

// The sort keys of notify requests start with this; every other item's starts with its time.
constexpr std::string_view kNotifyPrefix = "notify#";
// A cursor is at most this long: anything longer is not one of ours.
constexpr std::size_t kMaxCursor = 4096;
// The one opt-out confirmation may follow the request by this much (47 CFR 64.1200(a)(12)).
constexpr std::chrono::minutes kConfirmationWindow{5};

// ---- Cursors: base64url of newline-separated fields, opaque to callers ----

std::string base64url(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::vector<std::string> decode_cursor(std::string_view cursor, std::size_t fields) {
  const auto bad = [] { return std::invalid_argument("cursor is not one this API gave"); };
  if (cursor.size() > kMaxCursor) throw bad();
  std::string text(cursor);
  for (char& c : text) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (!std::isalnum(static_cast<unsigned char>(c))) throw bad();
  }
  if (text.size() % 4 == 1) throw bad();
  while (text.size() % 4 != 0) text.push_back('=');
  std::string raw(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw bad();
  raw.resize(static_cast<std::size_t>(n));
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) raw.pop_back();
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = raw.find('\n', start);
    out.push_back(raw.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (out.size() != fields) throw bad();
  return out;
}

std::string encode_cursor(const std::vector<std::string>& fields) {
  std::string raw;
  for (std::size_t i = 0; i < fields.size(); ++i) raw += (i ? "\n" : "") + fields[i];
  return base64url(raw);
}

// ---- Items as history events ----

const std::string* text_of(const AttributeMap& item, std::string_view name) {
  const auto it = item.find(std::string(name));
  return it == item.end() ? nullptr : it->second.as_s();
}

std::string text_or(const AttributeMap& item, std::string_view name, std::string fallback = {}) {
  const std::string* s = text_of(item, name);
  return s ? *s : std::move(fallback);
}

// Copies one attribute into `out[as]`: text, number (whole), boolean, or a map of texts.
void copy(const AttributeMap& item, std::string_view name, json& out, std::string_view as = {}) {
  const auto it = item.find(std::string(name));
  if (it == item.end()) return;
  const std::string key(as.empty() ? name : as);
  const AttributeValue& v = it->second;
  if (const std::string* s = v.as_s()) {
    out[key] = *s;
  } else if (auto b = v.as_bool()) {
    out[key] = *b;
  } else if (auto n = v.as_int()) {
    out[key] = *n;
  } else if (v.type() == AttributeValue::Type::kN && v.scalar() != nullptr) {
    out[key] = *v.scalar();  // a decimal (a price): its exact text
  } else if (const AttributeMap* m = v.as_map()) {
    json o = json::object();
    for (const auto& [k, mv] : *m) {
      if (const std::string* s = mv.as_s()) o[k] = *s;
    }
    out[key] = std::move(o);
  }
}

// The time an item is ordered by: a notify request's notify_at, else its sort key's time.
std::string order_time(const AttributeMap& item) {
  const std::string sk = text_or(item, "sk");
  if (sk.rfind(kNotifyPrefix, 0) == 0) return text_or(item, "notify_at");
  return sk.substr(0, sk.find('#'));
}

json delivery_of(const AttributeMap& item) {
  json d = json::object();
  copy(item, "delivery_status", d, "status");
  copy(item, "delivery_final", d, "final");
  copy(item, "delivery_status_description", d, "description");
  if (auto at = common::aws::get_int(item, "delivery_event_at")) {
    d["at"] = common::format_rfc3339(common::TimePoint(std::chrono::milliseconds(*at)));
  }
  copy(item, "delivery_price", d, "price");
  json events = json::array();
  if (auto it = item.find("delivery_events"); it != item.end()) {
    if (const auto* list = it->second.as_list()) {
      for (const AttributeValue& entry : *list) {
        const AttributeMap* m = entry.as_map();
        if (m == nullptr) continue;
        json e = json::object();
        copy(*m, "event_type", e, "status");
        copy(*m, "message_status", e, "message_status");
        copy(*m, "final", e, "final");
        if (auto at = common::aws::get_int(*m, "event_at")) {
          e["at"] = common::format_rfc3339(common::TimePoint(std::chrono::milliseconds(*at)));
        }
        events.push_back(std::move(e));
      }
    }
  }
  // The history keeps the last events by arrival; show them by when they happened.
  std::stable_sort(events.begin(), events.end(), [](const json& a, const json& b) {
    return a.value("at", "") < b.value("at", "");
  });
  if (!events.empty()) d["events"] = std::move(events);
  return d;
}

}  // namespace

json history_event(const AttributeMap& item) {
  json e = json::object();
  e["at"] = order_time(item);
  const std::string direction = text_or(item, "direction");
  const bool consent = direction == "consent" || direction == "honor";
  e["type"] = consent ? text_or(item, "event", direction) : direction;
  e["id"] = text_or(item, "sk");
  if (consent) {
    for (const char* name : {"channel", "method", "rule", "inbound_message_id", "deadline",
                             "change", "applied", "superseded_by_opt_in", "reported_by", "notes",
                             "disclosure_version", "disclosure_text", "source", "business_days",
                             "within_deadline"}) {
      copy(item, name, e);
    }
    copy(item, "honored_by", e, "by");
    if (e["type"] == "opt_out") copy(item, "occurred_at", e, "requested_at");
    if (e["type"] == "opt_out_honored") {
      copy(item, "requested_at", e);
      copy(item, "occurred_at", e, "honored_at");
    }
  } else if (direction == "inbound") {
    copy(item, "received_at", e);
    copy(item, "message_id", e);
    copy(item, "message_body", e, "body");
    for (const char* name : {"intent", "rule", "possible_revocation", "language", "actions",
                             "processing_status"}) {
      copy(item, name, e);
    }
  } else if (direction == "outbound") {
    for (const char* name :
         {"kind", "status", "message_id", "in_reply_to", "message_type", "quiet_hours", "reason",
          "rule", "sent_at", "accepted_at", "decided_at", "send_at", "expires_at", "category",
          "template", "language", "segments", "encoding"}) {
      copy(item, name, e);
    }
    copy(item, "message_body", e, "body");
    json delivery = delivery_of(item);
    if (!delivery.empty()) e["delivery"] = std::move(delivery);
  } else if (direction == "blocked") {
    for (const char* name : {"kind", "reason", "rule", "in_reply_to", "blocked_at"}) {
      copy(item, name, e);
    }
    copy(item, "message_body", e, "body");
  }
  return e;
}

namespace {

// One stream of a history: a Query page, consumed item by item.
struct Stream {
  std::vector<AttributeMap> items;
  std::size_t next = 0;
  AttributeMap more;      // LastEvaluatedKey: more pages after this one
  AttributeMap last;      // the key of the last item consumed (or the cursor's)
  bool done = false;      // nothing left at all
  bool exhausted() const { return next >= items.size(); }
};

// A stream's state in a cursor: "s" from the start, "k" after the key, "d" done.
void read_state(const std::vector<std::string>& f, std::size_t at, bool notify,
                const std::string& phone, Stream& s) {
  const std::string& state = f[at];
  if (state == "d") {
    s.done = true;
  } else if (state == "k") {
    // Keys DynamoDB would refuse (a ValidationException, a 500) are refused here as a 400.
    const std::string& sk = f[at + 1];
    const bool sk_ok = !sk.empty() && sk.size() <= 1024 &&
                       (notify ? sk.rfind(kNotifyPrefix, 0) == 0 : sk < kNotifyPrefix);
    if (!sk_ok || (notify && !common::parse_rfc3339(f[at + 2]))) {
      throw std::invalid_argument("cursor is not one this API gave");
    }
    s.last = {{"phone_number", S(phone)}, {"sk", S(sk)}};
    if (notify) s.last["notify_at"] = S(f[at + 2]);
  } else if (state != "s") {
    throw std::invalid_argument("cursor is not one this API gave");
  }
}

}  // namespace

HistoryPage read_history(common::aws::DynamoDbClient& db, const std::string& table,
                         const std::string& phone, HistoryOrder order, int limit,
                         std::string_view cursor) {
  limit = std::clamp(limit, 1, 1000);
  const bool forward = order == HistoryOrder::kOldestFirst;
  const std::string order_name = forward ? "oldest" : "newest";
  Stream main;
  Stream notify;
  if (!cursor.empty()) {
    // v1, order, main state, main sk, notify state, notify sk, notify_at
    const auto f = decode_cursor(cursor, 7);
    if (f[0] != "h1" || f[1] != order_name) {
      throw std::invalid_argument("cursor is not one this API gave for order " + order_name);
    }
    read_state(f, 2, false, phone, main);
    read_state(f, 4, true, phone, notify);
  }
  // One Query page of a stream after its position: the table (strongly consistent) or an index.
  const auto fetch = [&](Stream& s, const std::string& index, const std::string& sk_bound) {
    if (s.done) return;
    common::aws::QueryRequest q;
    q.table_name = table;
    q.index_name = index;
    auto& e = q.expression;
    q.key_condition_expression = e.name("phone_number") + " = " + e.value(S(phone));
    if (!sk_bound.empty()) {
      q.key_condition_expression += " AND " + e.name("sk") + " < " + e.value(S(sk_bound));
    }
    q.limit = limit;
    q.scan_index_forward = forward;
    q.consistent_read = index.empty();  // not allowed on a GSI
    q.exclusive_start_key = s.last;
    auto r = db.query(q).value();
    s.items = std::move(r.items);
    s.more = std::move(r.last_evaluated_key);
  };
  fetch(main, "", std::string(kNotifyPrefix));
  fetch(notify, std::string(kNotifyByPhoneIndex), "");
  // Merge: take the earlier (or later) head until the page is full, or until a stream with more
  // pages has nothing fetched left (its next item may come before the other's head).
  HistoryPage page;
  const auto blocked = [](const Stream& s) { return !s.done && s.exhausted() && !s.more.empty(); };
  while (static_cast<int>(page.events.size()) < limit && !blocked(main) && !blocked(notify)) {
    const bool m = !main.done && !main.exhausted();
    const bool n = !notify.done && !notify.exhausted();
    if (!m && !n) break;
    bool take_main = m;
    if (m && n) {
      const std::string a = order_time(main.items[main.next]);
      const std::string b = order_time(notify.items[notify.next]);
      take_main = forward ? a <= b : a >= b;
    }
    Stream& s = take_main ? main : notify;
    const AttributeMap& item = s.items[s.next++];
    s.last = {{"phone_number", S(phone)}, {"sk", S(text_or(item, "sk"))}};
    if (&s == &notify) s.last["notify_at"] = S(text_or(item, "notify_at"));
    page.events.push_back(history_event(item));
  }
  for (Stream* s : {&main, &notify}) {
    if (s->done || !s->exhausted()) continue;
    if (s->more.empty()) {
      s->done = true;
    } else {
      // All it fetched is on this page (or it fetched nothing and has more): go on after the
      // key DynamoDB stopped at, so the next page never repeats this one.
      s->last = s->more;
    }
  }
  if (main.done && notify.done) return page;
  const auto state = [](const Stream& s, std::vector<std::string>& f, bool with_at) {
    if (s.done) {
      f.insert(f.end(), {"d", ""});
    } else if (s.last.empty()) {
      f.insert(f.end(), {"s", ""});
    } else {
      f.insert(f.end(), {"k", text_or(s.last, "sk")});
    }
    if (with_at) f.push_back(s.done ? "" : text_or(s.last, "notify_at"));
  };
  std::vector<std::string> f = {"h1", order_name};
  state(main, f, false);
  state(notify, f, true);
  page.next_cursor = encode_cursor(f);
  return page;
}

namespace {

// Calls `visit` on every item of `q`, page by page, until it returns false.
template <typename Visit>
void each_item(common::aws::DynamoDbClient& db, common::aws::QueryRequest& q, Visit visit) {
  for (;;) {
    auto r = db.query(q).value();
    for (AttributeMap& item : r.items) {
      if (!visit(item)) return;
    }
    if (r.last_evaluated_key.empty()) return;
    q.exclusive_start_key = std::move(r.last_evaluated_key);
  }
}

// A reply's sort key carries the receipt time of the text it answers, which may come before an
// opt-out while the reply itself went out after it: the texts of this long before a request are
// read too, and judged by when they were sent (the processing lease's default).
constexpr std::chrono::minutes kReplyMargin{15};

// What became of one opt-out, judged from the number's items after it; nullopt for an event
// without the number or the request time (nothing to judge it by).
std::optional<json> judge_opt_out(common::aws::DynamoDbClient& db, const Tables& tables,
                                  const AttributeMap& event, common::TimePoint now) {
  json out = json::object();
  const std::string phone = text_or(event, "phone_number");
  const std::string requested = text_or(event, "occurred_at");
  const auto requested_at = common::parse_rfc3339(requested);
  if (phone.empty() || !requested_at) return std::nullopt;
  out["phone_number"] = phone;
  out["requested_at"] = requested;
  for (const char* name : {"channel", "method", "rule", "deadline", "change", "reported_by"}) {
    copy(event, name, out);
  }
  out["id"] = text_or(event, "sk");
  out["honored_at"] = nullptr;
  out["business_days"] = nullptr;
  out["texts_after"] = json::array();
  // An event without `change` predates the member: a revocation, as it was written for one.
  const std::string change = text_or(event, "change", "new");
  if (change == "unchanged") {
    out["status"] = "already_opted_out";
    return out;
  }
  if (change == "stale") {
    out["status"] = "superseded";
    return out;
  }
  // An event without its deadline (a carrier opt-out before it had one) gets the rule's.
  auto deadline = common::parse_rfc3339(text_or(event, "deadline"));
  if (!deadline) {
    deadline = common::compliance::opt_out_deadline(*requested_at);
    out["deadline"] = common::format_rfc3339(*deadline);
  }
  std::string ended_at;  // the time of the applied opt-in that ended the revocation, or empty
  std::string honored_at;
  bool confirmation_allowed = true;  // the one confirmation within 5 minutes (47 CFR 64.1200(a)(12))
  json texts = json::array();
  // A text that went out (or may have) at `sent` after the request, unless it is the one
  // confirmation.
  const auto consider_text = [&](const AttributeMap& item, const std::string& sent) {
    const std::string status = text_or(item, "status");
    if (text_or(item, "direction") != "outbound" ||
        (status != "sent" && status != "outcome_unknown") || sent < requested ||
        (!ended_at.empty() && sent >= ended_at)) {
      return;
    }
    if (confirmation_allowed && text_or(item, "kind") == "opt_out_confirmation") {
      const auto t = common::parse_rfc3339(sent);
      if (t && *t - *requested_at <= kConfirmationWindow) {
        confirmation_allowed = false;
        return;
      }
    }
    json entry = {{"at", sent}, {"kind", text_or(item, "kind")}, {"id", text_or(item, "sk")}};
    copy(item, "message_id", entry);
    copy(item, "status", entry);
    texts.push_back(std::move(entry));
  };
  {
    // The number's time-ordered items from shortly before the request, until an applied opt-in
    // after it ends the revocation.
    common::aws::QueryRequest q;
    q.table_name = tables.message_log;
    auto& e = q.expression;
    q.key_condition_expression =
        e.name("phone_number") + " = " + e.value(S(phone)) + " AND " + e.name("sk") +
        " BETWEEN " + e.value(S(common::format_rfc3339(*requested_at - kReplyMargin))) + " AND " +
        e.value(S(std::string(kNotifyPrefix)));
    q.consistent_read = true;
    std::vector<AttributeMap> replies;  // texts, judged once the end is known
    each_item(db, q, [&](AttributeMap& item) {
      const std::string at = order_time(item);
      const std::string direction = text_or(item, "direction");
      const std::string kind = text_or(item, "event");
      if (direction == "consent" && kind == "opt_in" && at > requested) {
        // An opt-in event without `applied` predates the member: read it as applied.
        const auto it = item.find("applied");
        if (it == item.end() || it->second.as_bool().value_or(true)) {
          ended_at = at;
          return false;
        }
      }
      if (direction == "honor" && kind == "opt_out_honored" && at >= requested &&
          honored_at.empty()) {
        honored_at = text_or(item, "occurred_at", at);
      }
      if (direction == "outbound") replies.push_back(std::move(item));
      return true;
    });
    for (const AttributeMap& item : replies) {
      consider_text(item, text_or(item, "sent_at", order_time(item)));
    }
  }
  {
    // Notify requests decided from the request on (and before the end, when there is one).
    common::aws::QueryRequest q;
    q.table_name = tables.message_log;
    q.index_name = std::string(kNotifyByPhoneIndex);
    auto& e = q.expression;
    q.key_condition_expression = e.name("phone_number") + " = " + e.value(S(phone)) + " AND " +
                                 e.name("notify_at") + " BETWEEN " + e.value(S(requested)) +
                                 " AND " + e.value(S(ended_at.empty() ? "9" : ended_at));
    each_item(db, q, [&](AttributeMap& item) {
      consider_text(item, text_or(item, "sent_at", text_or(item, "notify_at")));
      return true;
    });
  }
  if (honored_at.empty() && ended_at.empty()) {
    // The honour's evidence may be missing (a crash between the contact's mark and its log
    // item): the contact still standing opted out and honoured says when.
    const Contact contact = Contact::from_item(
        db.get_item({tables.contacts, {{"phone_number", S(phone)}}, true}).value());
    if (contact.opted_out() && !contact.opt_out_honored_at.empty()) {
      honored_at = contact.opt_out_honored_at;
      out["honored_from"] = "contact";
    }
  }
  std::stable_sort(texts.begin(), texts.end(),
                   [](const json& a, const json& b) { return a["at"] < b["at"]; });
  out["texts_after"] = std::move(texts);
  if (!honored_at.empty()) {
    out["honored_at"] = honored_at;
    const auto h = common::parse_rfc3339(honored_at);
    if (h) out["business_days"] = common::compliance::business_days_elapsed(*requested_at, *h);
    out["status"] = h && *h <= *deadline ? "honored_in_time" : "honored_late";
  } else if (!ended_at.empty()) {
    // Consent given again before the number was listed: the revocation ended unhonoured, which
    // was lawful only while its deadline had not passed.
    out["ended_at"] = ended_at;
    const auto end = common::parse_rfc3339(ended_at);
    out["status"] = end && *end <= *deadline ? "ended_by_opt_in" : "overdue";
  } else {
    out["status"] = now <= *deadline ? "pending" : "overdue";
  }
  return out;
}

std::string day_text(std::chrono::sys_days d) {
  return common::format_rfc3339(common::TimePoint(d)).substr(0, 10);
}

}  // namespace

OptOutReportPage read_opt_out_report(common::aws::DynamoDbClient& db, const Tables& tables,
                                     std::chrono::sys_days from, std::chrono::sys_days to,
                                     int limit, std::string_view cursor, common::TimePoint now) {
  limit = std::clamp(limit, 1, 200);
  std::chrono::sys_days day = from;
  AttributeMap start;
  if (!cursor.empty()) {
    // p1, day, sk, phone
    const auto f = decode_cursor(cursor, 4);
    const auto t = common::parse_rfc3339(f[1] + "T00:00:00Z");
    if (f[0] != "p1" || !t) throw std::invalid_argument("cursor is not one this API gave");
    day = std::chrono::floor<std::chrono::days>(*t);
    if (day < from || day > to) {
      throw std::invalid_argument("cursor is not one this API gave for this period");
    }
    if (f[2].empty() != f[3].empty() || f[2].size() > 1024 || f[3].size() > 32) {
      throw std::invalid_argument("cursor is not one this API gave");
    }
    if (!f[2].empty()) {
      start = {{"opt_out_day", S(day_text(day))}, {"sk", S(f[2])}, {"phone_number", S(f[3])}};
    }
  }
  OptOutReportPage page;
  while (day <= to) {
    common::aws::QueryRequest q;
    q.table_name = tables.message_log;
    q.index_name = std::string(kOptOutsByDayIndex);
    auto& e = q.expression;
    q.key_condition_expression = e.name("opt_out_day") + " = " + e.value(S(day_text(day)));
    q.limit = limit - static_cast<int>(page.opt_outs.size());
    q.exclusive_start_key = start;
    auto r = db.query(q).value();
    for (const AttributeMap& item : r.items) {
      if (text_or(item, "event") != "opt_out") continue;
      if (auto entry = judge_opt_out(db, tables, item, now)) page.opt_outs.push_back(*entry);
    }
    start = std::move(r.last_evaluated_key);
    if (start.empty()) day += std::chrono::days(1);
    if (static_cast<int>(page.opt_outs.size()) >= limit) break;
  }
  if (day > to) return page;
  page.next_cursor = encode_cursor({"p1", day_text(day), text_or(start, "sk"),
                                    text_or(start, "phone_number")});
  return page;
}

}  // namespace common::consent
