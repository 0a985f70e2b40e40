// The consent history and the period report (opt-out-api GET /contacts/{phone_number}/history
// and GET /opt-outs) end to end: real bootstraps (opt-out-api, reminders, sms-inbound,
// deadline-monitor) under the Runtime API emulator against the local stack make the records, and
// the API reads them back. Rules: 47 CFR 64.1200(a)(10) (revocation honoured within 10 business
// days), (a)(12) (one confirmation within 5 minutes), 64.1200(f)(9) (consent evidence).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/appointments/appointments.hpp"
#include "common/compliance/business_days.hpp"
#include "tests/integration/consent_test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::json;
using S = common::aws::AttributeValue;

json http_get(const std::string& path, const json& query) {
  json event = {{"version", "2.0"},
                {"rawPath", path},
                {"headers", {{"user-agent", "history-test"}}},
                {"requestContext",
                 {{"requestId", fresh_id("req")},
                  {"http", {{"method", "GET"}, {"sourceIp", "203.0.113.7"}}},
                  {"authorizer",
                   {{"iam", {{"userArn", "arn:aws:iam::123456789012:user/auditor"}}}}}}},
                {"isBase64Encoded", false}};
  if (!query.empty()) event["queryStringParameters"] = query;
  return event;
}

json http_post(const std::string& path, const json& body) {
  return {{"version", "2.0"},
          {"rawPath", path},
          {"headers", {{"content-type", "application/json"}}},
          {"requestContext",
           {{"requestId", fresh_id("req")},
            {"http", {{"method", "POST"}, {"sourceIp", "198.51.100.23"}}}}},
          {"body", body.dump()},
          {"isBase64Encoded", false}};
}

// One SNS record of an inbound text, as End User Messaging publishes it, received now.
json inbound_text(const std::string& phone, const std::string& body) {
  const std::string id = fresh_id("in");
  json message = {{"originationNumber", phone},
                  {"destinationNumber", "+12065550100"},
                  {"messageKeyword", "KEYWORD_123456789012"},
                  {"messageBody", body},
                  {"inboundMessageId", id},
                  {"previousPublishedMessageId", "prev-" + id}};
  json record = {{"EventSource", "aws:sns"},
                 {"EventVersion", "1.0"},
                 {"Sns",
                  {{"Type", "Notification"},
                   {"MessageId", fresh_id("sns")},
                   {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
                   {"Message", message.dump()},
                   {"Timestamp", common::format_rfc3339(common::now_ms())}}}};
  return {{"Records", {record}}};
}

std::string at(common::TimePoint t) { return common::format_rfc3339(t); }

class History : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(stack_.up()) << "local stack env missing"; }
  void TearDown() override {
    if (!failing_.empty()) {
      stack_.stand_in_faults(
          {{"operation", "PutOptedOutNumber"}, {"numbers", failing_}, {"clear", true}});
    }
  }

  // opt-out-api on `event`: {statusCode, parsed body}.
  std::pair<int, json> api(const json& event) {
    auto run = consent_test::run_bootstrap(SMSC_OPT_OUT_API, event, {"AWS_MAX_ATTEMPTS=1"});
    EXPECT_EQ(run.results.size(), 1u) << run.log;
    if (run.results.empty() || run.results[0]["status"] != "success") return {0, json()};
    const json& r = run.results[0]["response"];
    return {r["statusCode"].get<int>(), json::parse(r["body"].get<std::string>())};
  }

  void sms(const std::string& phone, const std::string& body) {
    auto run = consent_test::run_bootstrap(
        SMSC_SMS_INBOUND, inbound_text(phone, body),
        {"PROGRAM_NAME=Acme Dental", "HELP_CONTACT=help@acme.example"});
    ASSERT_EQ(run.results.size(), 1u) << run.log;
    ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
  }

  // Every page of the history with `limit` a page, and how many pages it took.
  std::pair<std::vector<json>, int> history(const std::string& phone, const std::string& order,
                                            int limit) {
    std::vector<json> events;
    std::string cursor;
    int pages = 0;
    for (;;) {
      json query = {{"order", order}, {"limit", std::to_string(limit)}};
      if (!cursor.empty()) query["cursor"] = cursor;
      auto [status, body] = api(http_get("/contacts/" + phone + "/history", query));
      EXPECT_EQ(status, 200) << body.dump();
      if (status != 200) break;
      ++pages;
      EXPECT_LE(body["events"].size(), static_cast<std::size_t>(limit));
      for (const auto& e : body["events"]) events.push_back(e);
      if (body["next_cursor"].is_null()) break;
      cursor = body["next_cursor"].get<std::string>();
      if (pages > 100) {
        ADD_FAILURE() << "history does not end";
        break;
      }
    }
    return {events, pages};
  }

  // Every page of the period report; only the entries of `phones`.
  std::vector<json> report(const std::string& from, const std::string& to,
                           const std::set<std::string>& phones) {
    std::vector<json> out;
    std::string cursor;
    for (int pages = 0; pages < 200; ++pages) {
      json query = {{"from", from}, {"to", to}, {"limit", "20"}};
      if (!cursor.empty()) query["cursor"] = cursor;
      auto [status, body] = api(http_get("/opt-outs", query));
      EXPECT_EQ(status, 200) << body.dump();
      if (status != 200) break;
      for (const auto& e : body["opt_outs"]) {
        if (phones.count(e["phone_number"].get<std::string>())) out.push_back(e);
      }
      if (body["next_cursor"].is_null()) return out;
      cursor = body["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << "report does not end";
    return out;
  }

  // One reminders run at `now` (its clock), for the appointments due then.
  void reminders_at(common::TimePoint now) {
    auto run = consent_test::run_bootstrap(
        SMSC_REMINDERS, json{{"now", at(now)}},
        {"PROGRAM_NAME=Acme Dental", "REMINDERS_ACCEPT_EVENT_TIME=1",
         "SMS_MAX_PARTS_PER_SECOND=1000", "REMINDER_LOOKBACK_HOURS=25"},
        60);
    ASSERT_EQ(run.results.size(), 1u) << run.log;
    ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
  }

  void put_appointment(const std::string& phone, common::TimePoint starts) {
    const std::string id = fresh_id("appt");
    AttributeMap item = {{"appointment_id", S::S(id)},
                         {"phone_number", S::S(phone)},
                         {"starts_at", S::S(at(starts))},
                         {"location", S::S("12 Main St")},
                         {"time_zone", S::S("America/Los_Angeles")},
                         {"appointment_status", S::S("scheduled")}};
    for (auto& [k, v] : common::appointments::first_reminder_attributes(
             id, starts, {std::chrono::hours(24)}, common::appointments::kDefaultShards)) {
      item[k] = v;
    }
    common::aws::PutItemRequest put;
    put.table_name = stack_.env("APPOINTMENTS_TABLE");
    put.item = item;
    (void)stack_.db().put_item(put).value();
  }

  void put_log_item(AttributeMap item) {
    common::aws::PutItemRequest put;
    put.table_name = stack_.env("MESSAGE_LOG_TABLE");
    put.item = std::move(item);
    (void)stack_.db().put_item(put).value();
  }

  consent_test::Stack stack_;
  std::vector<std::string> failing_;
};

// The scenario: web-form consent, a reminder, ALTO, the one confirmation within 5
// minutes, the number on the list, then START. Every record is in the history, in order, with its
// evidence; every page size gives the same history; newest-first is its reverse.
TEST_F(History, AWholeConsentLifeIsInTheHistoryInOrderWithItsEvidence) {
  const std::string phone = consent_test::fresh_number(206);
  using namespace std::chrono;
  // The reminder goes out at 18:00 UTC (10 AM in Seattle) on the day before today.
  const auto today = floor<days>(common::now_ms());
  const common::TimePoint reminder_at = today - days(1) + hours(18);
  const common::TimePoint consented_at = reminder_at - days(2);

  auto [in_status, opt_in] = api(http_post(
      "/opt-in", {{"phone_number", phone},
                  {"method", "web_form"},
                  {"source", {{"ip", "198.51.100.23"}, {"user_agent", "Mozilla/5.0"}}},
                  {"disclosure_version", "2026-10-web-v3"},
                  {"disclosure_text", "I agree to receive appointment reminders from Acme Dental."},
                  {"consented_at", at(consented_at)}}));
  ASSERT_EQ(in_status, 200) << opt_in.dump();
  put_appointment(phone, reminder_at + hours(24));
  reminders_at(reminder_at);
  sms(phone, "ALTO");
  std::this_thread::sleep_for(milliseconds(20));
  sms(phone, "START");
  // A notify request between the reminder and the STOP: it is keyed by idempotency key, so the
  // history merges it in by notify_at.
  const std::string notify_at = at(reminder_at + hours(2));
  put_log_item({{"phone_number", S::S(phone)},
                {"sk", S::S("notify#order-1234")},
                {"direction", S::S("outbound")},
                {"kind", S::S("notify")},
                {"status", S::S("sent")},
                {"category", S::S("transactional")},
                {"template", S::S("order_ready")},
                {"message_body", S::S("Acme Dental: your order is ready.")},
                {"accepted_at", S::S(notify_at)},
                {"decided_at", S::S(notify_at)},
                {"sent_at", S::S(notify_at)},
                {"notify_at", S::S(notify_at)},
                {"message_id", S::S(fresh_id("msg"))}});

  auto [events, pages] = history(phone, "oldest", 200);
  EXPECT_EQ(pages, 1);
  // As read (the checks below index `events`, which adds a null for a missing member).
  const json whole = events;
  std::vector<std::string> shape;
  for (const auto& e : events) {
    shape.push_back(e["type"].get<std::string>() +
                    (e.contains("kind") ? ":" + e["kind"].get<std::string>() : ""));
  }
  const std::vector<std::string> expected = {
      "opt_in",                           // the web form
      "outbound:reminder",                // the reminder
      "outbound:notify",                  // the business's own text
      "opt_out",                          // ALTO, as a consent event
      "inbound",                          // ALTO, the text
      "outbound:opt_out_confirmation",    // the one confirmation
      "opt_out_honored",                  // on the opt-out list
      "opt_in",                           // START
      "inbound",                          // START, the text
      "outbound:opt_in_confirmation"};    // its answer
  ASSERT_EQ(shape, expected) << json(events).dump(1);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_LE(events[i - 1]["at"].get<std::string>(), events[i]["at"].get<std::string>()) << i;
  }
  // The consent and its evidence.
  const json& web = events[0];
  EXPECT_EQ(web["at"], at(consented_at));
  EXPECT_EQ(web["method"], "web_form");
  EXPECT_EQ(web["disclosure_version"], "2026-10-web-v3");
  EXPECT_EQ(web["source"]["ip"], "198.51.100.23");
  EXPECT_EQ(web["applied"], true);
  // The reminder: sent at its time, with how quiet hours were checked.
  EXPECT_EQ(events[1]["status"], "sent");
  // At its run's time (the event's clock), plus the time the run took.
  EXPECT_EQ(events[1]["at"].get<std::string>().substr(0, 19), at(reminder_at).substr(0, 19));
  EXPECT_TRUE(events[1].contains("quiet_hours")) << events[1].dump();
  EXPECT_EQ(events[2]["template"], "order_ready");
  // ALTO: the revocation with its channel, rule and deadline.
  const json& stop = events[3];
  EXPECT_EQ(stop["channel"], "sms");
  EXPECT_EQ(stop["rule"], "keyword:ALTO");
  EXPECT_EQ(stop["change"], "new");
  const auto requested = common::parse_rfc3339(stop["requested_at"].get<std::string>());
  ASSERT_TRUE(requested);
  EXPECT_EQ(stop["deadline"], at(common::compliance::opt_out_deadline(*requested)));
  EXPECT_EQ(events[4]["body"], "ALTO");
  EXPECT_EQ(events[4]["intent"], "opt_out");
  // The confirmation within 5 minutes of the request.
  const auto confirmed = common::parse_rfc3339(events[5]["sent_at"].get<std::string>());
  ASSERT_TRUE(confirmed);
  EXPECT_LE(*confirmed - *requested, minutes(5));
  EXPECT_EQ(events[5]["status"], "sent");
  // In Spanish: ALTO recorded the contact's language (docs/compliance.md#languages).
  EXPECT_EQ(events[5]["language"], "es");
  EXPECT_NE(events[5]["body"].get<std::string>().find("Responda"), std::string::npos)
      << events[5]["body"];
  EXPECT_EQ(events[4]["language"], "es");
  // The honour: on the list within the deadline, 0 business days after the request.
  const json& honored = events[6];
  EXPECT_EQ(honored["requested_at"], stop["requested_at"]);
  EXPECT_EQ(honored["within_deadline"], true);
  EXPECT_EQ(honored["business_days"], 0);
  EXPECT_EQ(honored["by"], "sms-inbound");
  EXPECT_EQ(honored["deadline"], stop["deadline"]);
  // START: consent again, by keyword.
  EXPECT_EQ(events[7]["method"], "sms_keyword");
  EXPECT_EQ(events[7]["rule"], "keyword:START");
  EXPECT_EQ(events[7]["applied"], true);

  // Any page size gives the same history, across pages.
  for (int limit : {1, 2, 3, 4}) {
    auto [paged, count] = history(phone, "oldest", limit);
    EXPECT_EQ(json(paged), whole) << "limit " << limit;
    EXPECT_GE(count, static_cast<int>((events.size() + limit - 1) / limit)) << limit;
  }
  // Newest first is the same history reversed, across pages too.
  auto [newest, newest_pages] = history(phone, "newest", 3);
  std::reverse(newest.begin(), newest.end());
  EXPECT_EQ(json(newest), whole);
  EXPECT_GE(newest_pages, 4);

  // The contact as it stands.
  auto [status, first] = api(http_get("/contacts/" + phone + "/history", {{"limit", "1"}}));
  ASSERT_EQ(status, 200);
  EXPECT_EQ(first["contact"]["consent_status"], "opted_in");
  // START is an English keyword: the contact writes in English again.
  EXPECT_EQ(first["contact"]["language"], "en");
  EXPECT_EQ(first["contact"]["may_receive"], true);
}

// Bad parameters are 400s naming the field; a number with no record is a 404.
TEST_F(History, BadParametersAreRefusedByName) {
  const std::string phone = consent_test::fresh_number();
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"order", "sideways"}}, "order"},
      {{{"limit", "0"}}, "limit"},
      {{{"limit", "201"}}, "limit"},
      {{{"limit", "ten"}}, "limit"},
      {{{"cursor", "not-a-cursor!"}}, "cursor"},
      {{{"cursor", "aDEKb2xkZXN0"}}, "cursor"},
      {{{"page", "2"}}, "page"}};
  for (const auto& [query, field] : cases) {
    auto [status, body] = api(http_get("/contacts/" + phone + "/history", query));
    EXPECT_EQ(status, 400) << query.dump() << body.dump();
    EXPECT_EQ(body["error"]["field"], field) << query.dump();
  }
  auto [status, body] = api(http_get("/contacts/" + phone + "/history", json::object()));
  EXPECT_EQ(status, 404) << body.dump();
  auto [bad_number, error] = api(http_get("/contacts/12345/history", json::object()));
  EXPECT_EQ(bad_number, 400);
  EXPECT_EQ(error["error"]["field"], "phone_number");
  for (const auto& [query, field] :
       std::vector<std::pair<json, std::string>>{{{{"to", "2026-11-30"}}, "from"},
                                                 {{{"from", "2026-11-31"}, {"to", "2026-12-01"}}, "from"},
                                                 {{{"from", "2026-11-30"}, {"to", "2026-11-01"}}, "to"},
                                                 {{{"from", "2024-01-01"}, {"to", "2026-11-01"}}, "to"}}) {
    auto [s, b] = api(http_get("/opt-outs", query));
    EXPECT_EQ(s, 400) << query.dump() << b.dump();
    EXPECT_EQ(b["error"]["field"], field) << query.dump();
  }
}

// Consent given again before an opt-out was ever listed ends it: lawful before its deadline
// (ended_by_opt_in), overdue when the deadline had already passed.
TEST_F(History, AnOptOutEndedByConsentBeforeItWasListedIsJudgedByItsDeadline) {
  using namespace std::chrono;
  const std::string in_time = consent_test::fresh_number();
  const std::string too_late = consent_test::fresh_number();
  const auto now = common::now_ms();
  failing_ = {in_time, too_late};
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "PutOptedOutNumber"},
                                      {"numbers", failing_},
                                      {"status", 500},
                                      {"code", "InternalServerException"}}));
  const std::vector<std::pair<std::string, common::TimePoint>> requests = {
      {in_time, now - hours(1)}, {too_late, now - days(19)}};
  for (const auto& [phone, requested] : requests) {
    auto [s, b] = api(http_post(
        "/opt-out", {{"phone_number", phone}, {"channel", "email"}, {"requested_at", at(requested)}}));
    ASSERT_EQ(s, 200) << b.dump();
    EXPECT_EQ(b["status"], "pending");
    auto [si, bi] = api(http_post("/opt-in", {{"phone_number", phone},
                                             {"method", "web_form"},
                                             {"source", {{"ip", "198.51.100.23"}}},
                                             {"disclosure_version", "v1"}}));
    ASSERT_EQ(si, 200) << bi.dump();
    EXPECT_EQ(bi["applied"], true) << bi.dump();
  }
  auto entries = report(at(floor<days>(now) - days(20)).substr(0, 10), at(now).substr(0, 10),
                        {in_time, too_late});
  ASSERT_EQ(entries.size(), 2u) << json(entries).dump(1);
  std::map<std::string, json> by_phone;
  for (const auto& e : entries) by_phone[e["phone_number"].get<std::string>()] = e;
  EXPECT_EQ(by_phone[in_time]["status"], "ended_by_opt_in") << by_phone[in_time].dump();
  EXPECT_EQ(by_phone[too_late]["status"], "overdue") << by_phone[too_late].dump();
  EXPECT_TRUE(by_phone[too_late]["ended_at"].is_string());
  EXPECT_TRUE(by_phone[too_late]["honored_at"].is_null());
}

// The period report: an opt-out honoured at once is in time; one whose list update kept failing
// past its deadline is overdue, then, once deadline-monitor lists it, late; a text after a
// revocation is reported.
TEST_F(History, ThePeriodReportFlagsALateHonourAndTextsAfterARevocation) {
  using namespace std::chrono;
  const std::string on_time = consent_test::fresh_number();
  const std::string late = consent_test::fresh_number();
  const std::string texted = consent_test::fresh_number();
  const auto now = common::now_ms();
  const std::string from = at(floor<days>(now) - days(20)).substr(0, 10);
  const std::string to = at(now).substr(0, 10);

  auto [s1, b1] = api(http_post("/opt-out", {{"phone_number", on_time}, {"channel", "email"}}));
  ASSERT_EQ(s1, 200) << b1.dump();
  EXPECT_EQ(b1["status"], "honored");

  // The late one: received 19 days ago (past its 10-business-day deadline, which can span 18
  // calendar days around two holidays), list update failing.
  failing_.push_back(late);
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "PutOptedOutNumber"},
                                      {"numbers", failing_},
                                      {"status", 500},
                                      {"code", "InternalServerException"}}));
  const common::TimePoint late_request = now - days(19);
  auto [s2, b2] = api(http_post("/opt-out", {{"phone_number", late},
                                             {"channel", "voice"},
                                             {"requested_at", at(late_request)}}));
  ASSERT_EQ(s2, 200) << b2.dump();
  EXPECT_EQ(b2["status"], "pending");

  // A text that went out after a revocation (as a faulty sender would log it).
  auto [s3, b3] = api(http_post("/opt-out", {{"phone_number", texted}, {"channel", "web"}}));
  ASSERT_EQ(s3, 200) << b3.dump();
  const std::string sent_after = at(common::now_ms() + seconds(1));
  put_log_item({{"phone_number", S::S(texted)},
                {"sk", S::S(sent_after + "#out#msg-after")},
                {"direction", S::S("outbound")},
                {"kind", S::S("reminder")},
                {"status", S::S("sent")},
                {"message_body", S::S("Reminder")},
                {"sent_at", S::S(sent_after)},
                {"message_id", S::S("msg-after")}});

  auto entries = report(from, to, {on_time, late, texted});
  ASSERT_EQ(entries.size(), 3u) << json(entries).dump(1);
  std::map<std::string, json> by_phone;
  for (const auto& e : entries) by_phone[e["phone_number"].get<std::string>()] = e;
  EXPECT_EQ(by_phone[on_time]["status"], "honored_in_time");
  EXPECT_EQ(by_phone[on_time]["business_days"], 0);
  EXPECT_TRUE(by_phone[on_time]["texts_after"].empty());
  EXPECT_EQ(by_phone[late]["status"], "overdue");
  EXPECT_TRUE(by_phone[late]["honored_at"].is_null());
  EXPECT_EQ(by_phone[late]["channel"], "voice");
  EXPECT_EQ(by_phone[texted]["status"], "honored_in_time");
  ASSERT_EQ(by_phone[texted]["texts_after"].size(), 1u);
  EXPECT_EQ(by_phone[texted]["texts_after"][0]["message_id"], "msg-after");

  // The list accepts the number again: deadline-monitor lists it, past its deadline.
  stack_.stand_in_faults({{"operation", "PutOptedOutNumber"}, {"numbers", failing_}, {"clear", true}});
  failing_.clear();
  auto run = consent_test::run_bootstrap(SMSC_DEADLINE_MONITOR, json::object(), {}, 120);
  ASSERT_EQ(run.results.size(), 1u) << run.log;
  auto again = report(from, to, {late});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["status"], "honored_late");
  const auto honored = common::parse_rfc3339(again[0]["honored_at"].get<std::string>());
  ASSERT_TRUE(honored);
  EXPECT_EQ(again[0]["business_days"],
            common::compliance::business_days_elapsed(late_request, *honored));
  EXPECT_GT(again[0]["business_days"].get<int>(), 10);
  // The honour's evidence is in the number's history, by deadline-monitor, flagged late.
  auto [events, pages] = history(late, "newest", 1);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["type"], "opt_out_honored");
  EXPECT_EQ(events[0]["within_deadline"], false);
  EXPECT_EQ(events[0]["by"], "deadline-monitor");
}

}  // namespace
