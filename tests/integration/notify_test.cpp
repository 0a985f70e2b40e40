// notify end to end: the real static bootstrap under the Runtime API emulator against the local
// stack (dynalite + the SMS stand-in). Each run takes its clock from the event
// (NOTIFY_ACCEPT_EVENT_TIME=1: the HTTP event's timeEpoch, the SQS record's SentTimestamp, the
// schedule event's "now"), so quiet hours are exercised at chosen instants. Every gate decision
// is read back from the message log and checked at the stand-in's outbox (never by the
// function's own word); delivery events go through the delivery-events bootstrap.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"
#include "tests/integration/consent_test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::get_int;
using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::fresh_number;
using consent_test::json;
using consent_test::run_bootstrap;
using consent_test::Stack;

// Tuesday 2026-12-01 11:00 PST: inside Washington's 8:00-20:00 (RCW 19.158.040).
constexpr const char* kDaytime = "2026-12-01T19:00:00Z";
// Monday 2026-11-30 22:00 PST: outside it; the window opens at 08:00 PST = 16:00Z.
constexpr const char* kNight = "2026-12-01T06:00:00Z";
constexpr const char* kMorning = "2026-12-01T16:00:00.000Z";

const char* const kTemplates = R"({
  "appointment_update": {"text": "{program}: Hi {name}, your appointment has changed: {details}. Reply STOP to opt out.", "category": "transactional",
                         "text_es": "{program}: Hola {name}, su cita ha cambiado: {details}. Responda ALTO para no recibir mensajes."},
  "spring_offer": {"text": "{program}: {name}, 20% off whitening until {until}. Reply STOP to opt out.", "category": "marketing"},
  "note": "{program}: {text}"
})";

std::int64_t epoch_ms(const std::string& rfc3339) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             common::parse_rfc3339(rfc3339)->time_since_epoch())
      .count();
}

json request(const std::string& key, const std::string& phone, const std::string& category,
             const std::string& template_name, const json& variables) {
  return {{"idempotency_key", key},
          {"phone_number", phone},
          {"category", category},
          {"template", template_name},
          {"variables", variables}};
}

json http_event(const json& body, const std::string& at) {
  return {{"version", "2.0"},
          {"routeKey", "POST /messages"},
          {"rawPath", "/messages"},
          {"rawQueryString", ""},
          {"headers", {{"content-type", "application/json"}}},
          {"requestContext",
           {{"accountId", "123456789012"},
            {"http", {{"method", "POST"}, {"path", "/messages"}, {"sourceIp", "203.0.113.10"}}},
            {"requestId", fresh_id("api")},
            {"stage", "$default"},
            {"timeEpoch", epoch_ms(at)},
            {"authorizer", {{"iam", {{"userArn", "arn:aws:sts::123456789012:assumed-role/crm/crm"}}}}}}},
          {"isBase64Encoded", false},
          {"body", body.is_string() ? body.get<std::string>() : body.dump()}};
}

json sqs_record(const std::string& id, const std::string& body, const std::string& at) {
  return {{"messageId", id},
          {"receiptHandle", "handle-" + id},
          {"body", body},
          {"attributes", {{"ApproximateReceiveCount", "1"}, {"SentTimestamp", std::to_string(epoch_ms(at))}}},
          {"messageAttributes", json::object()},
          {"eventSource", "aws:sqs"},
          {"eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:sms-compliance-notify"},
          {"awsRegion", "us-east-1"}};
}

class Notify : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.up()) << "local stack env file missing: is the local_stack fixture up?";
    consent_ = std::make_unique<common::consent::ConsentStore>(
        stack_.db(), common::consent::Tables{stack_.env("CONTACTS_TABLE"),
                                             stack_.env("MESSAGE_LOG_TABLE")});
  }

  std::vector<std::string> env(std::vector<std::string> extra = {}) const {
    std::vector<std::string> e = {"PROGRAM_NAME=Acme Dental", "NOTIFY_ACCEPT_EVENT_TIME=1",
                                  std::string("NOTIFY_TEMPLATES=") + kTemplates,
                                  "SMS_MAX_PARTS_PER_SECOND=1000", "AWS_MAX_ATTEMPTS=2"};
    for (auto& x : extra) e.push_back(std::move(x));
    return e;
  }

  // Consent with its evidence, as opt-out-api records it.
  void opt_in(const std::string& phone, const std::string& method,
              const std::string& disclosure_version) {
    common::consent::OptInRequest r;
    r.phone_number = phone;
    r.opted_in_at = *common::parse_rfc3339("2026-11-01T12:00:00Z");
    r.method = method;
    r.source = {{"channel", "web"}};
    r.disclosure_version = disclosure_version;
    ASSERT_TRUE(consent_->record_opt_in(r).applied);
  }

  // The contact's language as sms-inbound records it (the contact item's `language`).
  void set_language(const std::string& phone, const std::string& language) {
    auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
    ASSERT_TRUE(contact) << "opt in first";
    (*contact)["language"] = common::aws::AttributeValue::S(language);
    common::aws::PutItemRequest put;
    put.table_name = stack_.env("CONTACTS_TABLE");
    put.item = *contact;
    stack_.db().put_item(put).value();
  }

  // POST /messages at `at`: {status code, body, headers}.
  struct Reply {
    int status = 0;
    json body;
    json headers;
    std::string log;
  };
  Reply post(const json& body, const std::string& at, std::vector<std::string> extra_env = {}) {
    const auto run = run_bootstrap(SMSC_NOTIFY, http_event(body, at), env(std::move(extra_env)));
    Reply r;
    r.log = run.log;
    EXPECT_EQ(run.results.size(), 1u) << run.log;
    if (run.results.empty()) return r;
    EXPECT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
    const json response = run.results[0]["response"];
    r.status = response.value("statusCode", 0);
    r.body = json::parse(response.value("body", std::string("{}")));
    r.headers = response.value("headers", json::object());
    return r;
  }

  json release_at(const std::string& now) {
    const auto run = run_bootstrap(SMSC_NOTIFY, json{{"now", now}}, env());
    EXPECT_EQ(run.results.size(), 1u) << run.log;
    if (run.results.empty()) return json::object();
    EXPECT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
    return run.results[0]["response"];
  }

  std::optional<AttributeMap> item(const std::string& phone, const std::string& key) {
    return stack_.db()
        .get_item({stack_.env("MESSAGE_LOG_TABLE"),
                   {{"phone_number", common::aws::AttributeValue::S(phone)},
                    {"sk", common::aws::AttributeValue::S("notify#" + key)}},
                   true})
        .value();
  }

  std::string status_of(const std::string& phone, const std::string& key) {
    auto i = item(phone, key);
    return i ? get_s(*i, "status").value_or("?") : "none";
  }

  Stack stack_;
  std::unique_ptr<common::consent::ConsentStore> consent_;
};

TEST_F(Notify, TransactionalWithConsentIsSentOnceAndRecorded) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("order");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Ana"}, {"details", "now Tue at 3:30 PM"}}),
                      kDaytime);
  EXPECT_EQ(r.status, 202) << r.body.dump();
  EXPECT_EQ(r.body["status"], "sent") << r.body.dump() << r.log;
  const auto out = stack_.outbox_for(phone);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["MessageBody"],
            "Acme Dental: Hi Ana, your appointment has changed: now Tue at 3:30 PM. Reply STOP to "
            "opt out.");
  EXPECT_EQ(out[0]["MessageType"], "TRANSACTIONAL");
  EXPECT_EQ(out[0]["Context"]["message_ref"], "notify#" + key);
  EXPECT_EQ(out[0]["Context"]["notify_id"], r.body["message_id"]);
  const auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "status"), "sent");
  EXPECT_EQ(get_s(*stored, "message_id"), out[0]["MessageId"].get<std::string>());
  EXPECT_EQ(get_s(*stored, "sms_message_id"), std::nullopt);
  EXPECT_EQ(r.body["sms_message_id"], out[0]["MessageId"]);
  EXPECT_EQ(get_s(*stored, "quiet_hours"), "WA@America/Los_Angeles");
  EXPECT_EQ(get_int(*stored, "segments"), 1);
  EXPECT_EQ(get_int(stack_.item(stack_.env("CONTACTS_TABLE"), phone).value(), "message_count_out"), 1);
  // Logs name the number masked, never whole, and never the text.
  EXPECT_EQ(r.log.find(phone), std::string::npos);
  EXPECT_EQ(r.log.find("your appointment has changed"), std::string::npos);
}

TEST_F(Notify, NoConsentIsBlockedAndNothingIsSent) {
  const std::string phone = fresh_number(206);
  const std::string key = fresh_id("k");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Ana"}, {"details", "x"}}),
                      kDaytime);
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body["status"], "blocked");
  EXPECT_EQ(r.body["reason"], "no_contact");
  EXPECT_EQ(status_of(phone, key), "blocked");
  EXPECT_TRUE(stack_.outbox_for(phone).empty());
}

TEST_F(Notify, OptedOutOnAnotherChannelIsBlocked) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  common::consent::OptOutRequest out;
  out.phone_number = phone;
  out.requested_at = *common::parse_rfc3339("2026-11-20T12:00:00Z");
  out.channel = "email";
  out.method = "opt_out_api";
  consent_->record_opt_out(out);
  const std::string key = fresh_id("k");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Ana"}, {"details", "x"}}),
                      kDaytime);
  EXPECT_EQ(r.body["status"], "blocked");
  EXPECT_EQ(r.body["reason"], "opted_out");
  EXPECT_EQ(status_of(phone, key), "blocked");
  EXPECT_TRUE(stack_.outbox_for(phone).empty());
}

TEST_F(Notify, MarketingNeedsPriorExpressWrittenConsent) {
  const json vars = {{"name", "Ana"}, {"until", "Dec 15"}};
  // Verbal consent, even to marketing, is not written (47 CFR 64.1200(f)(9)).
  const std::string verbal = fresh_number(206);
  opt_in(verbal, "verbal", "2026-01-marketing");
  auto r = post(request(fresh_id("m"), verbal, "marketing", "spring_offer", vars), kDaytime);
  EXPECT_EQ(r.body["status"], "blocked");
  EXPECT_EQ(r.body["reason"], "no_written_consent");
  // Written consent whose disclosure covers transactional texts only.
  const std::string transactional = fresh_number(206);
  opt_in(transactional, "web_form", "2026-01");
  r = post(request(fresh_id("m"), transactional, "marketing", "spring_offer", vars), kDaytime);
  EXPECT_EQ(r.body["reason"], "no_written_consent");
  // Written consent that names marketing: sent, as PROMOTIONAL.
  const std::string written = fresh_number(206);
  opt_in(written, "web_form", "2026-01-marketing");
  r = post(request(fresh_id("m"), written, "marketing", "spring_offer", vars), kDaytime);
  EXPECT_EQ(r.body["status"], "sent") << r.body.dump() << r.log;
  EXPECT_TRUE(stack_.outbox_for(verbal).empty());
  EXPECT_TRUE(stack_.outbox_for(transactional).empty());
  const auto out = stack_.outbox_for(written);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["MessageType"], "PROMOTIONAL");
  // A transactional-only template is refused as marketing (and the reverse), naming the field.
  r = post(request(fresh_id("m"), written, "transactional", "spring_offer", vars), kDaytime);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "category");
}

TEST_F(Notify, AtNightIsDeferredThenReleasedAtTheFirstLawfulMinute) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("night");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Ana"}, {"details", "now Tue at 3:30 PM"}}),
                      kNight);
  EXPECT_EQ(r.body["status"], "deferred") << r.body.dump();
  EXPECT_EQ(r.body["send_at"], kMorning);
  EXPECT_EQ(r.body["reason"], "quiet_hours:America/Los_Angeles:WA");
  auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "status"), "deferred");
  EXPECT_EQ(get_s(*stored, "notify_due_at"), kMorning);
  EXPECT_TRUE(stack_.outbox_for(phone).empty());

  // A run before the window releases nothing for it; the run after sends it.
  release_at("2026-12-01T15:45:00Z");
  EXPECT_EQ(status_of(phone, key), "deferred");
  EXPECT_TRUE(stack_.outbox_for(phone).empty());
  const json summary = release_at("2026-12-01T16:00:30Z");
  EXPECT_GE(summary.value("sent", 0), 1) << summary.dump();
  stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "status"), "sent");
  EXPECT_EQ(get_s(*stored, "notify_due_at"), std::nullopt) << "out of the due index";
  EXPECT_EQ(get_int(*stored, "attempts"), 2);
  ASSERT_EQ(stack_.outbox_for(phone).size(), 1u);
  // Released once: a later run finds nothing to send.
  release_at("2026-12-01T16:15:00Z");
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
  // The replay answers the decision as it stands now.
  const auto again = post(request(key, phone, "transactional", "appointment_update",
                                  {{"name", "Ana"}, {"details", "now Tue at 3:30 PM"}}),
                          "2026-12-01T17:00:00Z");
  EXPECT_EQ(again.body["status"], "sent");
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
}

TEST_F(Notify, DeferredMessageWhoseExpiryPassesIsDroppedAndLogged) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("exp");
  json body = request(key, phone, "transactional", "appointment_update",
                      {{"name", "Ana"}, {"details", "x"}});
  body["expires_at"] = "2026-12-01T16:10:00Z";
  const auto r = post(body, kNight);
  EXPECT_EQ(r.body["status"], "deferred");
  // The schedule missed the 16:00-16:10 window (say, a failed run): the next one drops it.
  const json summary = release_at("2026-12-01T16:15:00Z");
  EXPECT_GE(summary.value("expired", 0), 1) << summary.dump();
  const auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "status"), "expired");
  EXPECT_EQ(get_s(*stored, "reason"), "expired_while_deferred");
  EXPECT_TRUE(stack_.outbox_for(phone).empty());

  // One that expires before the window even opens is refused at once.
  body["idempotency_key"] = fresh_id("exp");
  body["expires_at"] = "2026-12-01T09:00:00Z";
  const auto early = post(body, kNight);
  EXPECT_EQ(early.body["status"], "blocked");
  EXPECT_EQ(early.body["reason"], "expires_before_window:quiet_hours:America/Los_Angeles:WA");
}

TEST_F(Notify, SendAfterDefersEvenInsideTheWindow) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("later");
  json body = request(key, phone, "transactional", "appointment_update",
                      {{"name", "Ana"}, {"details", "x"}});
  body["send_after"] = "2026-12-01T20:00:00Z";
  const auto r = post(body, kDaytime);
  EXPECT_EQ(r.body["status"], "deferred");
  EXPECT_EQ(r.body["reason"], "send_after");
  EXPECT_EQ(r.body["send_at"], "2026-12-01T20:00:00.000Z");
  release_at("2026-12-01T20:05:00Z");
  EXPECT_EQ(status_of(phone, key), "sent");
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
}

TEST_F(Notify, SameIdempotencyKeySendsOneTextAndAnswersTheFirstResult) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("dup");
  const json body = request(key, phone, "transactional", "appointment_update",
                            {{"name", "Ana"}, {"details", "x"}});
  const auto first = post(body, kDaytime);
  const auto second = post(body, "2026-12-01T19:05:00Z");
  EXPECT_EQ(first.body["status"], "sent");
  EXPECT_EQ(second.status, 202);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers["idempotent-replayed"], "true");
  EXPECT_EQ(first.headers.count("idempotent-replayed"), 0u);
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
  // The same key for another request to the number is a conflict, not a silent replay.
  json other = body;
  other["variables"]["details"] = "y";
  const auto reused = post(other, kDaytime);
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(reused.body["error"]["field"], "idempotency_key");
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
}

TEST_F(Notify, MissingVariableIs400AndNothingIsWritten) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("var");
  const auto r = post(request(key, phone, "transactional", "appointment_update", {{"name", "Ana"}}),
                      kDaytime);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "variables.details");
  EXPECT_FALSE(item(phone, key).has_value());
  EXPECT_TRUE(stack_.outbox_for(phone).empty());
  // Other fields are named too.
  EXPECT_EQ(post(json{{"phone_number", phone}}, kDaytime).body["error"]["field"], "idempotency_key");
  auto bad_phone = request(fresh_id("k"), "555-CALL", "transactional", "note", {{"text", "x"}});
  EXPECT_EQ(post(bad_phone, kDaytime).body["error"]["field"], "phone_number");
  auto unknown = request(fresh_id("k"), phone, "transactional", "nope", json::object());
  EXPECT_EQ(post(unknown, kDaytime).body["error"]["field"], "template");
  auto raw = json{{"idempotency_key", fresh_id("k")}, {"phone_number", phone},
                  {"category", "transactional"}, {"body", "hello"}};
  EXPECT_EQ(post(raw, kDaytime).body["error"]["field"], "body") << "raw bodies are off by default";
  EXPECT_TRUE(stack_.outbox_for(phone).empty());
}

TEST_F(Notify, SmartEncodingTurnsTwoUcs2PartsIntoOneGsm7Part) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("enc");
  // Typographic quotes, a dash and an ellipsis make this 85-character text UCS-2 (2 parts of 67).
  const std::string text =
      "Acme Dental: Dr. O\u2019Neil says \u201cbring your card\u201d \u2013 Room 5\u2026 "
      "see you soon, Ana";
  const auto r = post(request(key, phone, "transactional", "note", {{"text", text.substr(13)}}),
                      kDaytime);
  EXPECT_EQ(r.body["status"], "sent") << r.body.dump() << r.log;
  const auto out = stack_.outbox_for(phone);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["MessageBody"],
            "Acme Dental: Dr. O'Neil says \"bring your card\" - Room 5... see you soon, Ana");
  EXPECT_EQ(out[0]["segments"], 1) << "the stand-in counts it as one GSM-7 part";
  const auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_int(*stored, "segments"), 1);
  EXPECT_EQ(get_s(*stored, "encoding"), "GSM-7");
}

TEST_F(Notify, SqsBatchReportsOnlyTheBadItem) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string stranger = fresh_number(206);
  const std::string ok_key = fresh_id("sqs"), blocked_key = fresh_id("sqs"), bad_key = fresh_id("sqs");
  const json vars = {{"name", "Ana"}, {"details", "x"}};
  const json event = {
      {"Records",
       {sqs_record("m-ok", request(ok_key, phone, "transactional", "appointment_update", vars).dump(), kDaytime),
        sqs_record("m-blocked", request(blocked_key, stranger, "transactional", "appointment_update", vars).dump(), kDaytime),
        sqs_record("m-bad", request(bad_key, phone, "transactional", "appointment_update", {{"name", "Ana"}}).dump(), kDaytime),
        sqs_record("m-not-json", "{not json", kDaytime),
        {{"messageId", "m-no-body"}, {"eventSource", "aws:sqs"}}}}};
  // A record with no messageId cannot be named: "" fails the whole batch (nothing is lost; every
  // request replays idempotently). Without it, only the bad items are named.
  json without_id = event;
  without_id["Records"].push_back({{"body", "{}"}, {"eventSource", "aws:sqs"}});
  const auto run = run_bootstrap(SMSC_NOTIFY, event, env());
  ASSERT_EQ(run.results.size(), 1u) << run.log;
  ASSERT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
  json failed = json::array();
  for (const auto& f : run.results[0]["response"]["batchItemFailures"]) failed.push_back(f["itemIdentifier"]);
  EXPECT_EQ(failed, json({"m-bad", "m-not-json", "m-no-body"})) << run.results[0].dump();
  EXPECT_EQ(status_of(phone, ok_key), "sent");
  EXPECT_EQ(status_of(stranger, blocked_key), "blocked") << "a decision, not a failure";
  EXPECT_EQ(status_of(phone, bad_key), "none");
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
  EXPECT_TRUE(stack_.outbox_for(stranger).empty());
  // The redelivery of the whole batch (as if the invocation had failed) sends nothing again.
  const auto again = run_bootstrap(SMSC_NOTIFY, without_id, env());
  ASSERT_EQ(again.results.size(), 1u) << again.log;
  json failed_again = json::array();
  for (const auto& f : again.results[0]["response"]["batchItemFailures"]) failed_again.push_back(f["itemIdentifier"]);
  EXPECT_EQ(failed_again, json({"m-bad", "m-not-json", "m-no-body", ""}));
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u) << again.log;
}

TEST_F(Notify, DeliveryEventsReachTheNotificationItem) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("e2e");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Ana"}, {"details", "x"}}),
                      kDaytime);
  ASSERT_EQ(r.body["status"], "sent") << r.log;
  const std::string message_id = r.body["sms_message_id"];
  std::vector<json> events;
  std::ifstream in(stack_.env("LOCAL_STACK_EVENTS"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json event = json::parse(line);
    const json sms = json::parse(event["Records"][0]["Sns"]["Message"].get<std::string>());
    if (sms["messageId"] == message_id) events.push_back(std::move(event));
  }
  ASSERT_EQ(events.size(), 2u) << "TEXT_SUCCESSFUL and TEXT_DELIVERED";
  // In reverse order, and each twice: SNS promises neither order nor once.
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    for (int i = 0; i < 2; ++i) {
      const auto run = run_bootstrap(SMSC_DELIVERY_EVENTS, *it, {});
      ASSERT_EQ(run.results.size(), 1u) << run.log;
      EXPECT_EQ(run.results[0]["status"], "success") << run.results[0].dump() << run.log;
    }
  }
  const auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(get_int(*stored, "delivery_event_count"), 2);
  EXPECT_EQ(get_s(*stored, "status"), "sent");
}

TEST_F(Notify, BadTemplatesAreAnInitErrorNamingThem) {
  auto run = run_bootstrap(SMSC_NOTIFY, json{{"now", kDaytime}},
                           {"PROGRAM_NAME=Acme Dental",
                            R"(NOTIFY_TEMPLATES={"promo": {"text": "{program}: 20% off", "category": "marketing"}})"});
  EXPECT_NE(run.log.find("NOTIFY_TEMPLATES: template 'promo': a marketing template must tell how to "
                         "opt out (STOP)"),
            std::string::npos)
      << run.log << (run.results.empty() ? "" : run.results[0].dump());
  run = run_bootstrap(SMSC_NOTIFY, json{{"now", kDaytime}},
                      {"PROGRAM_NAME=Acme Dental", "NOTIFY_TEMPLATES={\"a\": \"{program: x\"}"});
  EXPECT_NE(run.log.find("NOTIFY_TEMPLATES: template 'a'"), std::string::npos) << run.log;
  run = run_bootstrap(SMSC_NOTIFY, json{{"now", kDaytime}}, {"PROGRAM_NAME=Acme Dental"});
  EXPECT_NE(run.log.find("no template is configured"), std::string::npos) << run.log;
}

TEST_F(Notify, AReleaseThatFailsGivesTheMessageBackForTheNextRun) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  const std::string key = fresh_id("back");
  ASSERT_EQ(post(request(key, phone, "transactional", "appointment_update",
                         {{"name", "Ana"}, {"details", "x"}}),
                 kNight).body["status"], "deferred");
  // End User Messaging fails every send to the number (an answer: nothing went out).
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "SendTextMessage"}, {"numbers", {phone}},
                                      {"status", 500}, {"code", "InternalServerException"}}));
  const json failed = release_at("2026-12-01T16:00:30Z");
  EXPECT_GE(failed.value("failed", 0), 1) << failed.dump();
  auto stored = item(phone, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "status"), "deferred");
  EXPECT_EQ(get_s(*stored, "notify_due_at"), kMorning) << "still in the due index";
  EXPECT_EQ(get_s(*stored, "send_at"), kMorning);
  EXPECT_EQ(get_s(*stored, "lease_owner"), std::nullopt);
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "SendTextMessage"}, {"numbers", {phone}},
                                      {"clear", true}}));
  release_at("2026-12-01T16:15:00Z");
  EXPECT_EQ(status_of(phone, key), "sent");
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
}

TEST_F(Notify, SendAfterBeforeTheWindowWaitsForTheWindow) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  json body = request(fresh_id("sa"), phone, "transactional", "appointment_update",
                      {{"name", "Ana"}, {"details", "x"}});
  body["send_after"] = "2026-12-01T07:00:00Z";  // 23:00 PST: still night
  const auto r = post(body, kNight);
  EXPECT_EQ(r.body["status"], "deferred");
  EXPECT_EQ(r.body["send_at"], kMorning);
  EXPECT_EQ(r.body["reason"], "quiet_hours:America/Los_Angeles:WA");
}

TEST_F(Notify, AnExpiredRequestIs400UnlessItsKeyWasDecidedBefore) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  json body = request(fresh_id("old"), phone, "transactional", "appointment_update",
                      {{"name", "Ana"}, {"details", "x"}});
  body["expires_at"] = "2026-12-01T18:00:00Z";
  auto r = post(body, kDaytime);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "expires_at");
  // Sent before it expired; its redelivery after the expiry answers the same.
  body["idempotency_key"] = fresh_id("old");
  const auto first = post(body, "2026-12-01T17:00:00Z");
  ASSERT_EQ(first.body["status"], "sent") << first.body.dump();
  const auto late = post(body, kDaytime);
  EXPECT_EQ(late.status, 202);
  EXPECT_EQ(late.body, first.body);
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
}

TEST_F(Notify, AnAccountProblemIsAFailureToRetryNotADecision) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "SendTextMessage"}, {"numbers", {phone}},
                                      {"status", 402}, {"code", "ServiceQuotaExceededException"},
                                      {"members", {{"Reason", "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"}}}}));
  const std::string key = fresh_id("quota");
  const json event = {{"Records", {sqs_record("m-quota", request(key, phone, "transactional", "appointment_update",
                                                                 {{"name", "Ana"}, {"details", "x"}}).dump(), kDaytime)}}};
  const auto run = run_bootstrap(SMSC_NOTIFY, event, env());
  ASSERT_EQ(run.results.size(), 1u) << run.log;
  EXPECT_EQ(run.results[0]["response"]["batchItemFailures"], json::parse(R"([{"itemIdentifier":"m-quota"}])"));
  EXPECT_FALSE(item(phone, key).has_value()) << "the claim is given back for the redelivery";
  ASSERT_TRUE(stack_.stand_in_faults({{"operation", "SendTextMessage"}, {"numbers", {phone}},
                                      {"clear", true}}));
  const auto again = run_bootstrap(SMSC_NOTIFY, event, env());
  EXPECT_EQ(status_of(phone, key), "sent") << again.log;
  EXPECT_EQ(stack_.outbox_for(phone).size(), 1u);
}

TEST_F(Notify, TheEventClockIsRefusedOutsideTheLocalStack) {
  const auto run = run_bootstrap(SMSC_NOTIFY, json{{"now", kDaytime}},
                                 {"PROGRAM_NAME=Acme Dental", "NOTIFY_ACCEPT_EVENT_TIME=1",
                                  std::string("NOTIFY_TEMPLATES=") + kTemplates,
                                  "AWS_ENDPOINT_URL_DYNAMODB="});
  EXPECT_NE(run.log.find("NOTIFY_ACCEPT_EVENT_TIME is for tests on the local stack only"),
            std::string::npos) << run.log;
}

// Florida allows 3 solicitations in 24 hours (Fla. Stat. 501.616(6)(b)): the 4th marketing text
// waits until the first leaves the window, and is then released; Texas has no cap.
TEST_F(Notify, TheFourthMarketingTextInADayWaitsInACappedState) {
  const std::string florida = fresh_number(305);  // Miami: 10:00 at 15:00Z
  const std::string texas = fresh_number(512);    // Austin: 09:00 at 15:00Z
  opt_in(florida, "web_form", "2026-01-marketing");
  opt_in(texas, "web_form", "2026-01-marketing");
  const json vars = {{"name", "Ana"}, {"until", "Dec 15"}};
  const char* times[] = {"2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z",
                         "2026-12-01T18:00:00Z"};
  std::string fourth;
  for (const char* t : times) {
    fourth = fresh_id("cap");
    EXPECT_EQ(post(request(fresh_id("tx"), texas, "marketing", "spring_offer", vars), t).body["status"], "sent");
    const auto r = post(request(fourth, florida, "marketing", "spring_offer", vars), t);
    if (std::string(t) != times[3]) {
      EXPECT_EQ(r.body["status"], "sent") << t << r.body.dump();
    } else {
      EXPECT_EQ(r.body["status"], "deferred") << r.body.dump();
      EXPECT_EQ(r.body["reason"], "frequency_cap");
      // 24 hours after the first one went (the run's clock, a few ms after the event's time).
      EXPECT_EQ(r.body.value("send_at", "").substr(0, 19), "2026-12-02T15:00:00");
    }
  }
  EXPECT_EQ(stack_.outbox_for(florida).size(), 3u);
  EXPECT_EQ(stack_.outbox_for(texas).size(), 4u);
  // A transactional text is not a solicitation: not counted, not capped.
  EXPECT_EQ(post(request(fresh_id("t"), florida, "transactional", "appointment_update",
                         {{"name", "Ana"}, {"details", "x"}}),
                 times[3]).body["status"], "sent");
  release_at("2026-12-02T15:00:30Z");
  EXPECT_EQ(status_of(florida, fourth), "sent");
  EXPECT_EQ(stack_.outbox_for(florida).size(), 5u);
}

// The contact's language picks the template's variant (docs/compliance.md#template-languages):
// Spanish for "es" when the template has one, English otherwise; the choice is recorded.
TEST_F(Notify, TheContactsLanguagePicksTheTemplatesSpanishVariant) {
  const json vars = {{"name", "Ana"}, {"details", "martes a las 3:30"}};
  const std::string spanish =
      "Acme Dental: Hola Ana, su cita ha cambiado: martes a las 3:30. Responda ALTO para no "
      "recibir mensajes.";
  const std::string english =
      "Acme Dental: Hi Ana, your appointment has changed: martes a las 3:30. Reply STOP to opt "
      "out.";

  const std::string es = fresh_number(206);
  opt_in(es, "web_form", "2026-01");
  set_language(es, "es");
  const std::string key = fresh_id("es");
  auto r = post(request(key, es, "transactional", "appointment_update", vars), kDaytime);
  EXPECT_EQ(r.body["status"], "sent") << r.body.dump() << r.log;
  auto out = stack_.outbox_for(es);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["MessageBody"], spanish);
  auto stored = item(es, key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(get_s(*stored, "language"), "es");
  EXPECT_EQ(get_s(*stored, "message_body"), spanish);
  // The same request again is a replay (the fingerprint is the request's, not the language's).
  r = post(request(key, es, "transactional", "appointment_update", vars), kDaytime);
  EXPECT_EQ(r.headers["idempotent-replayed"], "true") << r.body.dump();
  EXPECT_EQ(stack_.outbox_for(es).size(), 1u);

  // A template with no Spanish variant: English, even to a Spanish reader.
  const std::string note_key = fresh_id("es-note");
  r = post(request(note_key, es, "transactional", "note", {{"text", "see you soon"}}), kDaytime);
  EXPECT_EQ(r.body["status"], "sent") << r.body.dump();
  out = stack_.outbox_for(es);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1]["MessageBody"], "Acme Dental: see you soon");
  EXPECT_EQ(get_s(item(es, note_key).value(), "language"), "en");

  // "en" and no language recorded: English.
  for (const std::string language : {"en", ""}) {
    const std::string phone = fresh_number(206);
    opt_in(phone, "web_form", "2026-01");
    if (!language.empty()) set_language(phone, language);
    const std::string k = fresh_id("en");
    r = post(request(k, phone, "transactional", "appointment_update", vars), kDaytime);
    EXPECT_EQ(r.body["status"], "sent") << r.body.dump();
    out = stack_.outbox_for(phone);
    ASSERT_EQ(out.size(), 1u) << "language '" << language << "'";
    EXPECT_EQ(out[0]["MessageBody"], english);
    EXPECT_EQ(get_s(item(phone, k).value(), "language"), "en");
  }
}

// A deferred text keeps the language it was accepted in: the release sends the stored text.
TEST_F(Notify, ADeferredSpanishTextIsReleasedInSpanish) {
  const std::string phone = fresh_number(206);
  opt_in(phone, "web_form", "2026-01");
  set_language(phone, "es");
  const std::string key = fresh_id("es-night");
  const auto r = post(request(key, phone, "transactional", "appointment_update",
                              {{"name", "Luis"}, {"details", "mañana"}}),
                      kNight);
  EXPECT_EQ(r.body["status"], "deferred") << r.body.dump();
  EXPECT_EQ(get_s(item(phone, key).value(), "language"), "es");
  release_at("2026-12-01T16:00:30Z");
  const auto out = stack_.outbox_for(phone);
  ASSERT_EQ(out.size(), 1u);
  // Smart encoding keeps ñ (GSM-7).
  EXPECT_EQ(out[0]["MessageBody"],
            "Acme Dental: Hola Luis, su cita ha cambiado: mañana. Responda ALTO para no recibir "
            "mensajes.");
  EXPECT_EQ(get_s(item(phone, key).value(), "status"), "sent");
}

}  // namespace
