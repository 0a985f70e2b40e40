// reminders end to end: the static bootstrap under the Runtime API emulator, against the local
// stack, with a fixed clock per run (event {"now": ...}, REMINDERS_ACCEPT_EVENT_TIME=1). Each
// test uses its own far-apart day, so runs never see another test's reminders. Every
// expectation is read back from the stores (appointments, contacts, message log, outbox).
// Rules: docs/compliance.md (fail closed; quiet hours 47 CFR 64.1200(c)(1),
// Fla. Stat. 501.059(8)(a)).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/appointments/appointments.hpp"
#include "common/aws/dynamodb.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/time.hpp"
#include "tests/integration/test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::get_s;
using json = nlohmann::json;
namespace fs = std::filesystem;
using S = AttributeValue;
using test_support::fresh_number;
using test_support::read_env_file;
using test_support::rng;
using test_support::run_command;
using test_support::shell_quote;

// Counts the AWS calls of the runs made while it lives, at the wire: scripts/node/count-proxy.mjs
// in front of the local stack's DynamoDB and SMS stand-in, one log line per request. Runs pass
// env() to the emulator so the function talks to the proxy.
class WireCounter {
 public:
  explicit WireCounter(const std::map<std::string, std::string>& stack_env) {
    const std::string base = (fs::temp_directory_path() / test_support::fresh_id("calls")).string();
    log_ = base + ".log";
    const std::string ports = base + ".ports.json";
    const std::string pid_file = base + ".pid";
    run_command(
        "node " + shell_quote(SMSC_COUNT_PROXY) + " --log " + shell_quote(log_) + " --port-file " +
        shell_quote(ports) + " --pid-file " + shell_quote(pid_file) +
        " --upstream dynamodb=" + shell_quote(stack_env.at("AWS_ENDPOINT_URL_DYNAMODB")) +
        " --upstream sms=" + shell_quote(stack_env.at("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2")) +
        " >" + shell_quote(base + ".out") + " 2>&1 &");
    for (int i = 0; i < 100 && !fs::exists(ports); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream(pid_file) >> pid_;
    const auto p = json::parse(std::ifstream(ports));
    env_ = {
        "AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:" + std::to_string(p["dynamodb"].get<int>()),
        "AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=http://127.0.0.1:" +
            std::to_string(p["sms"].get<int>())};
  }
  ~WireCounter() {
    if (pid_ > 0) run_command("kill " + std::to_string(pid_));
  }
  WireCounter(const WireCounter&) = delete;
  WireCounter& operator=(const WireCounter&) = delete;

  /// --env entries that point the function at the proxy.
  const std::vector<std::string>& env() const { return env_; }

  /// Calls since the last take(), by "<service> <operation>" ("dynamodb DynamoDB_20120810.Query").
  std::map<std::string, int> take() {
    std::map<std::string, int> counts;
    std::ifstream in(log_);
    std::string line;
    for (int n = 0; std::getline(in, line); ++n) {
      if (n >= seen_ && !line.empty()) ++counts[line];
    }
    for (const auto& [op, n] : counts) seen_ += n;
    return counts;
  }

 private:
  std::string log_;
  long pid_ = 0;
  int seen_ = 0;
  std::vector<std::string> env_;
};

std::string fresh_id() { return test_support::fresh_id("appt"); }

common::TimePoint at(const std::string& text) { return *common::parse_rfc3339(text); }

class Reminders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = read_env_file(std::string(SMSC_STACK_DIR) + "/env");
    ASSERT_FALSE(env_.empty()) << "local stack env file missing: is the local_stack fixture up?";
    auto e = common::aws::Environment::from_map(env_);
    db_ = new common::aws::DynamoDbClient(common::aws::client_config_from_environment(common::aws::kDynamoDb, e));
    sms_ = new common::aws::SmsVoiceClient(common::aws::client_config_from_environment(common::aws::kSmsVoice, e));
  }
  static void TearDownTestSuite() {
    delete db_;
    delete sms_;
  }

  static std::string emulator_command(const std::vector<std::string>& nows,
                                      const std::vector<std::string>& extra_env, int timeout_s,
                                      const std::string& tag) {
    const std::string base = (fs::temp_directory_path() / (tag + std::to_string(rng()()))).string();
    std::string events;
    for (std::size_t i = 0; i < nows.size(); ++i) {
      const std::string path = base + "-" + std::to_string(i) + ".json";
      std::ofstream(path) << json{{"now", nows[i]}}.dump();
      events += " " + path;
    }
    std::string cmd = std::string(SMSC_EMULATOR) + " --output json --timeout " + std::to_string(timeout_s) +
                      " --env-file " + shell_quote(std::string(SMSC_STACK_DIR) + "/env") +
                      " --env PROGRAM_NAME=" + shell_quote("Acme Dental") +
                      " --env REMINDERS_ACCEPT_EVENT_TIME=1 --env AWS_MAX_ATTEMPTS=2"
                      " --env SMS_MAX_PARTS_PER_SECOND=1000 --env REMINDER_LOOKBACK_HOURS=25";
    for (const auto& e : extra_env) cmd += " --env " + shell_quote(e);
    return cmd + " " + std::string(SMSC_REMINDERS) + events + " 2>" + base + ".log";
  }

  static std::vector<json> parse_results(const std::string& out) {
    std::vector<json> results;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = json::parse(line);
      EXPECT_EQ(j["status"], "success") << j.dump();
      results.push_back(j["response"].is_string() ? json::parse(j["response"].get<std::string>())
                                                  : j["response"]);
    }
    return results;
  }

  // One run (one event) at `now`; returns the summary.
  static json run_at(const std::string& now, const std::vector<std::string>& extra_env = {},
                     int timeout_s = 30) {
    auto results = parse_results(run_command(emulator_command({now}, extra_env, timeout_s, "rem")));
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? json::object() : results[0];
  }

  static void put_contact(const std::string& phone, AttributeMap extra = {}) {
    AttributeMap item = {{"phone_number", S::S(phone)},
                         {"consent_status", S::S("opted_in")},
                         {"opted_in_at", S::S("2026-01-01T00:00:00.000Z")},
                         {"opt_in_method", S::S("web_form")},
                         {"version", S::N(1)}};
    for (auto& [k, v] : extra) item[k] = v;
    common::aws::PutItemRequest put;
    put.table_name = env_["CONTACTS_TABLE"];
    put.item = item;
    db_->put_item(put).value();
  }

  // An appointment whose 24 h reminder is due at starts_at - 24 h.
  static std::string put_appointment(const std::string& phone, const std::string& starts_at,
                                     const std::string& time_zone, AttributeMap extra = {}) {
    const std::string id = fresh_id();
    AttributeMap item = {{"appointment_id", S::S(id)},
                         {"phone_number", S::S(phone)},
                         {"starts_at", S::S(common::format_rfc3339(at(starts_at)))},
                         {"location", S::S("12 Main St")},
                         {"appointment_status", S::S("scheduled")}};
    if (!time_zone.empty()) item["time_zone"] = S::S(time_zone);
    for (auto& [k, v] : common::appointments::first_reminder_attributes(
             id, at(starts_at), {std::chrono::hours(24)}, common::appointments::kDefaultShards)) {
      item[k] = v;
    }
    for (auto& [k, v] : extra) item[k] = v;
    common::aws::PutItemRequest put;
    put.table_name = env_["APPOINTMENTS_TABLE"];
    put.item = item;
    db_->put_item(put).value();
    return id;
  }

  static AttributeMap appointment(const std::string& id) {
    auto item = db_->get_item({env_["APPOINTMENTS_TABLE"], {{"appointment_id", S::S(id)}}, true}).value();
    EXPECT_TRUE(item.has_value());
    return item.value_or(AttributeMap{});
  }
  static AttributeMap contact(const std::string& phone) {
    return db_->get_item({env_["CONTACTS_TABLE"], {{"phone_number", S::S(phone)}}, true}).value().value_or(AttributeMap{});
  }

  static std::vector<json> outbox() {
    std::vector<json> out;
    std::ifstream in(env_["LOCAL_STACK_OUTBOX"]);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(json::parse(line));
    }
    return out;
  }
  static std::vector<json> outbox_for(const std::string& phone) {
    std::vector<json> out;
    for (auto& j : outbox()) {
      if (j["DestinationPhoneNumber"] == phone) out.push_back(j);
    }
    return out;
  }

  static std::vector<AttributeMap> log_items(const std::string& phone, const std::string& direction) {
    common::aws::QueryRequest q;
    q.table_name = env_["MESSAGE_LOG_TABLE"];
    q.key_condition_expression = q.expression.name("phone_number") + " = " + q.expression.value(S::S(phone));
    q.consistent_read = true;
    std::vector<AttributeMap> out;
    const auto result = db_->query(q).value();
    for (const auto& item : result.items) {
      if (get_s(item, "direction") == direction) out.push_back(item);
    }
    return out;
  }

  static std::map<std::string, std::string> env_;
  static common::aws::DynamoDbClient* db_;
  static common::aws::SmsVoiceClient* sms_;
};

std::map<std::string, std::string> Reminders::env_;
common::aws::DynamoDbClient* Reminders::db_ = nullptr;
common::aws::SmsVoiceClient* Reminders::sms_ = nullptr;

// A due reminder is sent once, in the appointment's local time, recorded on the appointment
// and in the message log with a 4-year TTL (28 U.S.C. 1658); a second run sends nothing.
TEST_F(Reminders, DueReminderIsSentOnceAndRecorded) {
  const std::string phone = fresh_number(212);
  put_contact(phone);
  const auto id = put_appointment(phone, "2030-01-15T19:00:00Z", "America/New_York");  // Tue 2:00 PM EST
  auto summary = run_at("2030-01-14T19:05:00Z");
  EXPECT_GE(summary["sent"].get<int>(), 1) << summary.dump();
  auto texts = outbox_for(phone);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0]["MessageBody"],
            "Acme Dental: Reminder: your appointment is Tue, Jan 15 at 2:00 PM at 12 Main St. Reply C "
            "to confirm, R to reschedule, STOP to opt out.");
  EXPECT_EQ(texts[0]["segments"], 1);
  // Not deliverable after the appointment starts (TimeToLive, seconds), transactional, and the
  // appointment named in Context for the delivery events.
  EXPECT_EQ(texts[0]["MessageType"], "TRANSACTIONAL");
  EXPECT_LE(texts[0]["TimeToLive"].get<int>(), 23 * 3600 + 55 * 60);
  EXPECT_GT(texts[0]["TimeToLive"].get<int>(), 23 * 3600 + 54 * 60);
  EXPECT_EQ(texts[0]["Context"]["appointment_id"], id);
  auto item = appointment(id);
  EXPECT_EQ(get_s(item, "last_reminder_status"), "sent");
  EXPECT_EQ(get_s(item, "last_reminder_message_id"), texts[0]["MessageId"].get<std::string>());
  EXPECT_FALSE(item.count("reminder_due_at")) << "left the due index";
  EXPECT_FALSE(item.count("reminder_claimed_by"));
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  const auto ttl = common::aws::get_int(logged[0], "ttl").value_or(0);
  EXPECT_GE(ttl, common::epoch_seconds(at("2034-01-14T00:00:00Z")));

  run_at("2030-01-14T19:20:00Z");
  EXPECT_EQ(outbox_for(phone).size(), 1u);
}

// Smart encoding (issue 13): a curly apostrophe in the location would make the reminder UCS-2,
// 3 parts (which would also drop the location to get back to 1); smart-encoded it is sent as
// one GSM-7 part with the location, and the message log records the text that was sent.
TEST_F(Reminders, CurlyApostropheInLocationIsSentAsOneGsm7Part) {
  const std::string phone = fresh_number(212);
  put_contact(phone);
  put_appointment(phone, "2031-03-12T19:00:00Z", "America/New_York",  // Wed 3:00 PM EDT
                  {{"location", S::S("O\u2019Hare Plaza, Suite 4")}});
  run_at("2031-03-11T19:05:00Z");
  auto texts = outbox_for(phone);
  ASSERT_EQ(texts.size(), 1u);
  const std::string expected =
      "Acme Dental: Reminder: your appointment is Wed, Mar 12 at 3:00 PM at O'Hare Plaza, Suite 4. "
      "Reply C to confirm, R to reschedule, STOP to opt out.";
  EXPECT_EQ(texts[0]["MessageBody"], expected);
  EXPECT_EQ(texts[0]["segments"], 1);  // counted by the stand-in, not by us
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "message_body"), expected);
}

// Two runs started at the same moment never text anyone twice (conditional claims).
TEST_F(Reminders, TwoSimultaneousRunsSendEachReminderOnce) {
  std::vector<std::string> phones;
  for (int i = 0; i < 20; ++i) {
    phones.push_back(fresh_number(312));
    put_contact(phones.back());
    put_appointment(phones.back(), "2030-02-20T18:00:00Z", "America/Chicago");
  }
  const auto cmd1 = emulator_command({"2030-02-19T18:01:00Z"}, {}, 30, "a");
  const auto cmd2 = emulator_command({"2030-02-19T18:01:00Z"}, {}, 30, "b");
  auto f1 = std::async(std::launch::async, [&] { return run_command(cmd1); });
  auto f2 = std::async(std::launch::async, [&] { return run_command(cmd2); });
  auto r1 = parse_results(f1.get());
  auto r2 = parse_results(f2.get());
  ASSERT_EQ(r1.size(), 1u);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(r1[0]["sent"].get<int>() + r2[0]["sent"].get<int>(), 20) << r1[0] << r2[0];
  for (const auto& p : phones) EXPECT_EQ(outbox_for(p).size(), 1u) << p;
}

// Fail closed: an opt-out by email (universal scope) blocks the reminder, with the reason logged.
TEST_F(Reminders, ContactOptedOutByEmailIsBlocked) {
  const std::string phone = fresh_number(212);
  put_contact(phone, {{"consent_status", S::S("opted_out")},
                      {"opted_out_at", S::S("2030-03-01T00:00:00.000Z")},
                      {"opt_out_channel", S::S("email")},
                      {"opt_out_channels", S::SS({"email", "sms", "voice"})}});
  const auto id = put_appointment(phone, "2030-03-12T17:00:00Z", "America/New_York");
  auto summary = run_at("2030-03-11T17:00:00Z");
  EXPECT_EQ(summary["blocked"]["opted_out"], 1) << summary.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto item = appointment(id);
  EXPECT_EQ(get_s(item, "last_reminder_status"), "blocked");
  EXPECT_EQ(get_s(item, "last_reminder_reason"), "opted_out");
  auto blocked = log_items(phone, "blocked");
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(get_s(blocked[0], "reason"), "opted_out");
}

// Issue 4, universal scope: an opt-out reported by e-mail through opt-out-api (the real
// bootstrap, an API Gateway payload 2.0 event) blocks the next reminder to that number
// (47 CFR 64.1200(a)(10); docs/compliance.md#universal-opt-out, #fail-closed).
TEST_F(Reminders, EmailOptOutThroughTheApiBlocksTheNextReminder) {
  const std::string phone = fresh_number(212);
  put_contact(phone);
  const auto id = put_appointment(phone, "2030-03-19T17:00:00Z", "America/New_York");

  json body = {{"phone_number", phone}, {"channel", "email"}, {"notes", "replied to a newsletter"}};
  json event = {{"version", "2.0"},
                {"routeKey", "POST /opt-out"},
                {"rawPath", "/opt-out"},
                {"rawQueryString", ""},
                {"headers", {{"content-type", "application/json"}}},
                {"requestContext",
                 {{"http", {{"method", "POST"}, {"path", "/opt-out"}, {"sourceIp", "203.0.113.10"}}},
                  {"requestId", "email-opt-out"}}},
                {"isBase64Encoded", false},
                {"body", body.dump()}};
  const std::string path = (fs::temp_directory_path() / test_support::fresh_id("optout")).string();
  std::ofstream(path) << event.dump();
  const std::string out = run_command(std::string(SMSC_EMULATOR) + " --output json --env-file " +
                                      shell_quote(std::string(SMSC_STACK_DIR) + "/env") + " " +
                                      SMSC_OPT_OUT_API + " " + path + " 2>/dev/null");
  fs::remove(path);
  const json result = json::parse(out);
  ASSERT_EQ(result["status"], "success") << out;
  EXPECT_EQ(result["response"]["statusCode"], 200) << out;
  auto c = contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(c, "opt_out_channel"), "email");

  auto summary = run_at("2030-03-18T17:00:00Z");
  EXPECT_EQ(summary["blocked"]["opted_out"], 1) << summary.dump();
  EXPECT_TRUE(outbox_for(phone).empty()) << "no text after an opt-out from any channel";
  EXPECT_EQ(get_s(appointment(id), "last_reminder_reason"), "opted_out");
  auto blocked = log_items(phone, "blocked");
  ASSERT_EQ(blocked.size(), 1u);
  EXPECT_EQ(get_s(blocked[0], "reason"), "opted_out");
}

// No contact record at all: blocked (no consent on record).
TEST_F(Reminders, UnknownContactIsBlocked) {
  const std::string phone = fresh_number(212);
  const auto id = put_appointment(phone, "2030-03-22T17:00:00Z", "America/New_York");
  run_at("2030-03-21T17:00:00Z");
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_EQ(get_s(appointment(id), "last_reminder_reason"), "no_contact");
}

// Los Angeles at 06:30 PST: deferred, still deferred at 07:59, sent by the first run after 08:00.
TEST_F(Reminders, LosAngelesAt0630IsDeferredUntilAfter8) {
  const std::string phone = fresh_number(213);
  put_contact(phone);
  const auto id = put_appointment(phone, "2030-04-10T13:30:00Z", "America/Los_Angeles");  // due 06:30 PDT the day before
  // April is PDT (UTC-7): 13:30Z = 06:30 local.
  auto early = run_at("2030-04-09T13:30:00Z");
  EXPECT_EQ(early["deferred"], 1) << early.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_TRUE(appointment(id).count("reminder_due_at")) << "deferred, not dropped";
  run_at("2030-04-09T14:59:00Z");  // 07:59 PDT
  EXPECT_TRUE(outbox_for(phone).empty());
  auto after = run_at("2030-04-09T15:00:00Z");  // 08:00 PDT
  EXPECT_EQ(after["sent"], 1) << after.dump();
  EXPECT_EQ(outbox_for(phone).size(), 1u);
}

// Florida at 20:30 local (Fla. Stat. 501.059(8)(a): 08:00-20:00) is deferred.
TEST_F(Reminders, FloridaAt2030IsDeferred) {
  const std::string phone = fresh_number(305);
  put_contact(phone);
  const auto id = put_appointment(phone, "2030-05-15T00:30:00Z", "");  // zone from the area code
  auto summary = run_at("2030-05-14T00:30:00Z");  // 20:30 EDT
  EXPECT_EQ(summary["deferred"], 1) << summary.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_TRUE(appointment(id).count("reminder_due_at"));
}

// Area code 850 spans Central and Eastern time: the send waits until both are open.
TEST_F(Reminders, AreaCodeSpanningTwoZonesUsesTheStricter) {
  const std::string phone = fresh_number(850);
  put_contact(phone);
  put_appointment(phone, "2030-06-12T12:30:00Z", "");  // due at the first run
  auto early = run_at("2030-06-11T12:30:00Z");  // 07:30 CDT = 08:30 EDT
  EXPECT_EQ(early["deferred"], 1) << early.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto open = run_at("2030-06-11T13:00:00Z");  // 08:00 CDT
  EXPECT_EQ(open["sent"], 1) << open.dump();
  EXPECT_EQ(outbox_for(phone).size(), 1u);
}

// A +1 number whose area code is not a US one (416, Toronto) and no stored zone: sent only
// inside every state's window in every US zone (docs/compliance.md#unknown-state), never blocked
// for lack of a location, and the message log records why.
TEST_F(Reminders, UnknownAreaCodeWithoutZoneWaitsForEveryStatesWindowInEveryUsZone) {
  const std::string phone = fresh_number(416);
  put_contact(phone);
  put_appointment(phone, "2030-11-20T19:30:00Z", "");  // Wednesday; due Tuesday 19:30Z
  // Tuesday 2030-11-19 19:30Z: 14:30 EST but 09:30 in Hawaii and Adak (every state: 10-18).
  auto early = run_at("2030-11-19T19:30:00Z");
  EXPECT_EQ(early["deferred"], 1) << early.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto open = run_at("2030-11-19T20:00:00Z");  // 10:00 HST, 15:00 EST
  EXPECT_EQ(open["sent"], 1) << open.dump();
  ASSERT_EQ(outbox_for(phone).size(), 1u);
  // The recipient's zone is not known: the time names the zone it is given in.
  EXPECT_EQ(outbox_for(phone)[0]["MessageBody"],
            "Acme Dental: Reminder: your appointment is Wed, Nov 20 at 2:30 PM EST at 12 Main St. "
            "Reply C to confirm, R to reschedule, STOP to opt out.");
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "quiet_hours"), "any_state(unknown_area_code)@every_us_zone");
}

// A stored zone but no state (an unknown area code): every state's rule in that zone, not the
// federal window alone. 09:30 CST is inside 08-21 but before Kentucky's 10:00.
TEST_F(Reminders, StoredZoneWithoutStateAppliesEveryStatesRule) {
  const std::string phone = fresh_number(416);
  put_contact(phone, {{"time_zone", S::S("America/Chicago")}});
  put_appointment(phone, "2030-11-21T15:30:00Z", "");  // Thursday 09:30 CST; due Wednesday
  auto early = run_at("2030-11-20T15:30:00Z");  // Wednesday 09:30 CST
  EXPECT_EQ(early["deferred"], 1) << early.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto open = run_at("2030-11-20T16:00:00Z");  // 10:00 CST
  EXPECT_EQ(open["sent"], 1) << open.dump();
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "quiet_hours"), "any_state(unknown_area_code)@America/Chicago");
}

// A Canadian number whose stored zone is not embedded (America/Toronto): every US zone, as
// with no zone at all, not a block.
TEST_F(Reminders, UnknownStateWithAZoneNotEmbeddedUsesEveryUsZone) {
  const std::string phone = fresh_number(416);
  put_contact(phone, {{"time_zone", S::S("America/Toronto")}});
  put_appointment(phone, "2030-11-22T20:00:00Z", "");  // Friday; due Thursday 20:00Z
  auto open = run_at("2030-11-21T20:00:00Z");  // Thursday 10:00 HST, 15:00 EST
  EXPECT_EQ(open["sent"], 1) << open.dump();
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "quiet_hours"), "any_state(unknown_area_code)@every_us_zone");
}

// Alabama bans solicitations on its legal holidays (Ala. Admin. Code r. 770-X-5-.17(1)(b); Ala.
// Code 1-3-8): a reminder due on Christmas Day waits for December 26.
TEST_F(Reminders, AlabamaHolidayDefersToTheNextDay) {
  const std::string phone = fresh_number(205);
  put_contact(phone);
  put_appointment(phone, "2030-12-26T20:00:00Z", "");  // Thursday 14:00 CST; due Christmas
  auto christmas = run_at("2030-12-25T20:00:00Z");  // Wednesday 14:00 CST
  EXPECT_EQ(christmas["deferred"], 1) << christmas.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto next = run_at("2030-12-26T14:00:00Z");  // Thursday 08:00 CST
  EXPECT_EQ(next["sent"], 1) << next.dump();
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "quiet_hours"), "AL@America/Chicago");
}

// STATE_EMERGENCIES=LA (La. R.S. 45:844.31): nothing goes to Louisiana while it is set; the
// reminder stays blocked with the rule named, and a bad code is an init error naming it.
TEST_F(Reminders, LouisianaEmergencyBlocksOnlyWhenConfigured) {
  const std::string phone = fresh_number(504);
  const std::string other = fresh_number(504);
  put_contact(phone);
  put_contact(other);
  const auto id = put_appointment(phone, "2030-10-16T17:00:00Z", "");  // Wednesday 12:00 CDT
  auto during = run_at("2030-10-15T17:00:00Z", {"STATE_EMERGENCIES=LA"});
  EXPECT_EQ(during["sent"], 0) << during.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_EQ(get_s(appointment(id), "last_reminder_reason").value_or(""),
            "quiet_hours:America/Chicago:LA");
  // Without the setting the same kind of reminder goes out.
  put_appointment(other, "2030-10-16T17:05:00Z", "");
  auto after = run_at("2030-10-15T17:05:00Z");
  EXPECT_EQ(after["sent"], 1) << after.dump();
  EXPECT_EQ(outbox_for(other).size(), 1u);
  const std::string refused =
      run_command(emulator_command({"2030-10-15T17:00:00Z"}, {"STATE_EMERGENCIES=TX"}, 30, "rem"));
  EXPECT_NE(refused.find("init_error"), std::string::npos) << refused;
  EXPECT_NE(refused.find("STATE_EMERGENCIES: \\\"TX\\\" is not"), std::string::npos) << refused;
}

// A template naming a variable reminders do not have, or with a stray brace, is an init error:
// no run could send it whole.
TEST_F(Reminders, TemplateWithUnknownVariableIsAnInitError) {
  const std::string unknown = run_command(emulator_command(
      {"2030-10-15T17:00:00Z"}, {"REMINDER_TEMPLATE={program}: see you {when}, {name}"}, 30, "rem"));
  EXPECT_NE(unknown.find("init_error"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("REMINDER_TEMPLATE: unknown variable {name}"), std::string::npos) << unknown;
  const std::string brace = run_command(
      emulator_command({"2030-10-15T17:00:00Z"}, {"REMINDER_TEMPLATE={program: {when}"}, 30, "rem"));
  EXPECT_NE(brace.find("REMINDER_TEMPLATE: template: variable names are letters"), std::string::npos)
      << brace;
}

// A reminder whose next allowed moment is after the appointment is marked missed, with the reason.
TEST_F(Reminders, ReminderThatCannotBeSentBeforeTheAppointmentIsMissed) {
  const std::string phone = fresh_number(213);
  put_contact(phone);
  const auto id = put_appointment(phone, "2030-07-10T14:30:00Z", "America/Los_Angeles");  // 07:30 PDT
  auto summary = run_at("2030-07-10T13:30:00Z");  // 06:30 PDT, reminder due yesterday
  EXPECT_EQ(summary["missed"], 1) << summary.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  auto item = appointment(id);
  EXPECT_EQ(get_s(item, "last_reminder_status"), "missed");
  EXPECT_EQ(get_s(item, "last_reminder_reason").value_or("").rfind("window_closes_before_appointment", 0), 0u);
  EXPECT_FALSE(item.count("reminder_due_at"));
}

// End User Messaging refuses a number on its opt-out list: the contact is recorded as opted out
// (source carrier, every channel) and the reminder blocked.
TEST_F(Reminders, CarrierOptOutIsRecordedAndBlocks) {
  const std::string phone = fresh_number(212);
  put_contact(phone);
  sms_->put_opted_out_number(env_["OPT_OUT_LIST_NAME"], phone).value();
  const auto id = put_appointment(phone, "2030-08-14T16:00:00Z", "America/New_York");
  auto summary = run_at("2030-08-13T16:00:00Z");
  EXPECT_EQ(summary["blocked"]["carrier_opted_out"], 1) << summary.dump();
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_EQ(get_s(appointment(id), "last_reminder_reason"), "carrier_opted_out");
  auto c = contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(c, "opt_out_method"), "carrier");
  EXPECT_TRUE(c.count("opt_out_deadline"));
  ASSERT_TRUE(c.count("opt_out_channels"));
  EXPECT_EQ(c["opt_out_channels"].as_set()->size(), 3u);
}

// A claim left by a crashed run expires and the reminder is sent; a live claim is respected.
TEST_F(Reminders, ExpiredClaimIsRetriedLiveClaimIsNot) {
  const std::string expired = fresh_number(212), live = fresh_number(212);
  put_contact(expired);
  put_contact(live);
  put_appointment(expired, "2030-09-11T16:00:00Z", "America/New_York",
                  {{"reminder_claimed_by", S::S("crashed-run")},
                   {"reminder_claim_expires_at", S::S("2030-09-10T15:00:00.000Z")}});
  put_appointment(live, "2030-09-11T16:00:00Z", "America/New_York",
                  {{"reminder_claimed_by", S::S("other-run")},
                   {"reminder_claim_expires_at", S::S("2030-09-10T17:00:00.000Z")}});
  auto summary = run_at("2030-09-10T16:00:00Z");
  EXPECT_EQ(summary["sent"], 1) << summary.dump();
  EXPECT_EQ(summary["already_claimed"], 1);
  EXPECT_EQ(outbox_for(expired).size(), 1u);
  EXPECT_TRUE(outbox_for(live).empty());
}

// CONFIRM from the customer marks the next upcoming appointment confirmed (the shared function
// sms-inbound will call; see README "reminders").
TEST_F(Reminders, ConfirmReplyMarksTheNextAppointmentConfirmed) {
  const std::string phone = fresh_number(212);
  put_contact(phone);
  const auto past = put_appointment(phone, "2030-10-01T16:00:00Z", "America/New_York");
  const auto next = put_appointment(phone, "2030-10-15T16:00:00Z", "America/New_York");
  const auto later = put_appointment(phone, "2030-11-15T16:00:00Z", "America/New_York");
  common::appointments::AppointmentStore store(*db_, env_["APPOINTMENTS_TABLE"]);
  const auto now = at("2030-10-14T16:00:00Z");
  auto action = common::appointments::parse_reply("Confirm");
  ASSERT_TRUE(action);
  auto upcoming = store.next_upcoming(phone, now);
  ASSERT_TRUE(upcoming);
  EXPECT_EQ(upcoming->appointment_id, next);
  EXPECT_TRUE(store.record_reply(upcoming->appointment_id, *action, now, "inbound-1"));
  EXPECT_EQ(get_s(appointment(next), "appointment_status"), "confirmed");
  EXPECT_TRUE(appointment(next).count("confirmed_at"));
  EXPECT_EQ(get_s(appointment(past), "appointment_status"), "scheduled");
  EXPECT_EQ(get_s(appointment(later), "appointment_status"), "scheduled");
  // R on a cancelled or started appointment changes nothing.
  EXPECT_FALSE(
      store.record_reply(past, common::appointments::ReplyAction::kReschedule, now, "in-2"));
}

// Round trips (issue 11), counted at the local stack rather than by the code: a run with nothing
// due makes one Query per shard of the due index (8), no Scan and nothing else, whatever the
// look-back (the hour-keyed layout made 8 x 26 = 208); with 3 due, the same 8 Queries, one send
// each and at most 5 DynamoDB calls per reminder (contact read, claim, finish, log, counters).
TEST_F(Reminders, RunMakesOneQueryPerShardAtTheWire) {
  WireCounter wire(env_);
  const std::string dynamo = "dynamodb DynamoDB_20120810.";
  auto empty = run_at("2031-05-21T17:00:00Z", wire.env());
  EXPECT_EQ(empty["sent"], 0) << empty.dump();
  auto calls = wire.take();
  for (const auto& [op, n] : calls) std::cout << "empty run: " << n << " x " << op << "\n";
  EXPECT_EQ(calls[dynamo + "Query"], common::appointments::kDefaultShards);
  EXPECT_EQ(calls.count(dynamo + "Scan"), 0u);
  int total = 0;
  for (const auto& [op, n] : calls) total += n;
  EXPECT_EQ(total, common::appointments::kDefaultShards) << "an empty run makes Queries only";

  std::vector<std::string> phones;
  for (int i = 0; i < 3; ++i) {
    phones.push_back(fresh_number(212));
    put_contact(phones.back());
    put_appointment(phones.back(), "2031-06-11T17:00:00Z", "America/New_York");
  }
  wire.take();
  auto due = run_at("2031-06-10T17:00:00Z", wire.env());
  EXPECT_EQ(due["sent"], 3) << due.dump();
  calls = wire.take();
  int dynamo_other = 0;
  for (const auto& [op, n] : calls) {
    std::cout << "run with 3 due: " << n << " x " << op << "\n";
    if (op.rfind(dynamo, 0) == 0 && op != dynamo + "Query") dynamo_other += n;
  }
  EXPECT_EQ(calls[dynamo + "Query"], common::appointments::kDefaultShards);
  EXPECT_EQ(calls.count(dynamo + "Scan"), 0u);
  EXPECT_EQ(calls["sms PinpointSMSVoiceV2.SendTextMessage"], 3);
  EXPECT_LE(dynamo_other, 3 * 5);
  for (const auto& p : phones) EXPECT_EQ(outbox_for(p).size(), 1u) << p;
}

// Pacing: at 3 parts per second the outbox timestamps show about 3 texts per second.
TEST_F(Reminders, PacingAtThreePartsPerSecond) {
  std::vector<std::string> phones;
  for (int i = 0; i < 13; ++i) {
    phones.push_back(fresh_number(212));
    put_contact(phones.back());
    put_appointment(phones.back(), "2030-12-11T17:00:00Z", "America/New_York");
  }
  auto summary = run_at("2030-12-10T17:00:00Z", {"SMS_MAX_PARTS_PER_SECOND=3"}, 60);
  ASSERT_EQ(summary["sent"], 13) << summary.dump();
  std::vector<common::TimePoint> times;
  for (const auto& p : phones) {
    for (const auto& t : outbox_for(p)) times.push_back(at(t["timestamp"].get<std::string>()));
  }
  ASSERT_EQ(times.size(), 13u);
  std::sort(times.begin(), times.end());
  const double span = std::chrono::duration<double>(times.back() - times.front()).count();
  const double rate = 12 / span;  // 12 intervals
  EXPECT_GT(rate, 2.0) << span;
  EXPECT_LT(rate, 3.6) << span;
}

// Scale: 10,000 due reminders, the stand-in unthrottled: consecutive runs within the emulator's
// deadline send every one exactly once.
TEST_F(Reminders, TenThousandRemindersAreEachSentOnce) {
  const std::string prefix = "scale" + std::to_string(rng()() % 100000);
  const auto seeded = run_command("node " + shell_quote(SMSC_SEED_SCRIPT) + " --env-file " +
                                  shell_quote(std::string(SMSC_STACK_DIR) + "/env") +
                                  " --count 10000 --now 2031-01-14T18:00:00.000Z --lead 24h"
                                  " --area-codes 212,312,303,213,305 --spread-minutes 50 --prefix " + prefix);
  ASSERT_NE(seeded.find("\"appointments\":10000"), std::string::npos) << seeded;
  const auto started = std::chrono::steady_clock::now();
  int sent = 0;
  for (int run = 0; run < 20 && sent < 10000; ++run) {
    auto summary = run_at("2031-01-14T18:00:00Z", {"SMS_MAX_PARTS_PER_SECOND=10000",
                                                   "REMINDER_STOP_BEFORE_DEADLINE_MS=2000"}, 60);
    ASSERT_TRUE(summary.is_object());
    sent += summary.value("sent", 0);
    if (summary.value("sent", 0) == 0) break;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "scale: " << sent << " reminders sent in " << seconds << " s\n";
  EXPECT_EQ(sent, 10000);
  std::map<std::string, int> per_phone;
  int total = 0;
  for (const auto& j : outbox()) {
    const auto& ctx = j["Context"];
    if (ctx.is_object() && ctx.value("appointment_id", "").rfind(prefix + "-", 0) == 0) {
      ++total;
      ++per_phone[ctx["appointment_id"].get<std::string>()];
    }
  }
  EXPECT_EQ(total, 10000);
  EXPECT_EQ(per_phone.size(), 10000u);
}

// The contact's language picks the reminder's template (docs/compliance.md#template-languages):
// "es" gets REMINDER_TEMPLATE_ES with the time in Spanish, "en" and no language the English
// text; the message log records which. The Spanish default with the location would take two
// parts, so it goes without it (as any reminder does).
TEST_F(Reminders, TheContactsLanguagePicksTheReminderTemplate) {
  const std::string es = fresh_number(212), en = fresh_number(212), none = fresh_number(212);
  put_contact(es, {{"language", S::S("es")}});
  put_contact(en, {{"language", S::S("en")}});
  put_contact(none);
  for (const auto& phone : {es, en, none}) {
    put_appointment(phone, "2031-09-16T18:00:00Z", "America/New_York");  // Tue 2:00 PM EDT
  }
  const auto summary = run_at("2031-09-15T18:05:00Z");
  EXPECT_GE(summary["sent"].get<int>(), 3) << summary.dump();

  const auto spanish = outbox_for(es);
  ASSERT_EQ(spanish.size(), 1u);
  EXPECT_EQ(spanish[0]["MessageBody"],
            "Acme Dental: Recordatorio: el mar 16 de sept a las 2:00 p. m. tiene una cita. Responda "
            "C para confirmar, R para cambiarla, ALTO para no recibir mensajes.");
  EXPECT_EQ(spanish[0]["segments"], 1);
  auto logged = log_items(es, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "language"), "es");

  for (const auto& phone : {en, none}) {
    const auto english = outbox_for(phone);
    ASSERT_EQ(english.size(), 1u);
    EXPECT_EQ(english[0]["MessageBody"],
              "Acme Dental: Reminder: your appointment is Tue, Sep 16 at 2:00 PM at 12 Main St. "
              "Reply C to confirm, R to reschedule, STOP to opt out.");
    logged = log_items(phone, "outbound");
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(get_s(logged[0], "language"), "en");
  }
}

// A configured Spanish template, with the location in Spanish; and REMINDER_TEMPLATE_ES is
// checked at start-up exactly as REMINDER_TEMPLATE is.
TEST_F(Reminders, ConfiguredSpanishTemplateIsUsedAndCheckedAtStartUp) {
  const std::string phone = fresh_number(212);
  put_contact(phone, {{"language", S::S("es")}});
  put_appointment(phone, "2031-11-18T14:30:00Z", "America/New_York");  // Tue 9:30 AM EST
  run_at("2031-11-17T15:00:00Z", {"REMINDER_TEMPLATE_ES={program}: cita el {when}{at_location}"});
  const auto texts = outbox_for(phone);
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0]["MessageBody"], "Acme Dental: cita el mar 18 de nov a las 9:30 a. m. en 12 Main St");

  const std::string unknown = run_command(emulator_command(
      {"2030-10-15T17:00:00Z"}, {"REMINDER_TEMPLATE_ES={program}: su cita {when}, {nombre}"}, 30,
      "rem"));
  EXPECT_NE(unknown.find("init_error"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("REMINDER_TEMPLATE_ES: unknown variable {nombre}"), std::string::npos)
      << unknown;
  const std::string brace = run_command(emulator_command(
      {"2030-10-15T17:00:00Z"}, {"REMINDER_TEMPLATE_ES={program: {when}"}, 30, "rem"));
  EXPECT_NE(brace.find("REMINDER_TEMPLATE_ES: template: variable names are letters"),
            std::string::npos)
      << brace;
}

}  // namespace
