// sms-inbound end to end: the static bootstrap under the Runtime API emulator,
// against the local stack; every expectation is read back from the stores.
// Rules under test: docs/compliance.md (47 CFR 64.1200(a)(10), (a)(12), 5 U.S.C. 6103,
// 28 U.S.C. 1658, CTIA HELP/STOP practice).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/aws/dynamodb.hpp"
#include "common/compliance/phone.hpp"
#include "common/time.hpp"
#include "tests/integration/test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::get_s;
using json = nlohmann::json;
namespace fs = std::filesystem;
using test_support::fresh_id;
using test_support::fresh_number;
using test_support::read_env_file;
using test_support::shell_quote;





// One SNS record as End User Messaging publishes it.
json sns_record(const std::string& phone, const std::string& body, const std::string& inbound_id,
                const std::string& sns_id, const std::string& timestamp) {
  json message = {{"originationNumber", phone},
                  {"destinationNumber", "+12065550100"},
                  {"messageKeyword", "KEYWORD_123456789012"},
                  {"messageBody", body},
                  {"inboundMessageId", inbound_id},
                  {"previousPublishedMessageId", "prev-" + inbound_id}};
  return {{"EventSource", "aws:sns"},
          {"EventVersion", "1.0"},
          {"Sns",
           {{"Type", "Notification"},
            {"MessageId", sns_id},
            {"TopicArn", "arn:aws:sns:us-east-1:123456789012:sms-inbound"},
            {"Message", message.dump()},
            {"Timestamp", timestamp}}}};
}

std::string now_text() { return common::format_rfc3339(common::now_ms()); }

json event_of(std::vector<json> records) { return {{"Records", records}}; }

class SmsInbound : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = read_env_file(std::string(SMSC_STACK_DIR) + "/env");
    ASSERT_FALSE(env_.empty()) << "local stack env file missing: is the local_stack fixture up?";
    auto config = common::aws::client_config_from_environment(
        common::aws::kDynamoDb, common::aws::Environment::from_map(env_));
    db_ = new common::aws::DynamoDbClient(std::move(config));
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  // Runs the bootstrap on one event; returns the emulator's JSON result lines.
  std::vector<json> invoke(const json& event, const std::vector<std::string>& extra_env = {}) {
    const std::string path = fs::temp_directory_path() / (fresh_id("event") + ".json");
    std::ofstream(path) << event.dump();
    std::string cmd = std::string(SMSC_EMULATOR) + " --output json --timeout 20 --env-file " +
                      shell_quote(std::string(SMSC_STACK_DIR) + "/env") +
                      " --env PROGRAM_NAME=" + shell_quote("Acme Dental") +
                      " --env HELP_CONTACT=" + shell_quote("help@acme.example") +
                      " --env AWS_MAX_ATTEMPTS=2";
    for (const auto& e : extra_env) cmd += " --env " + shell_quote(e);
    cmd += " " + std::string(SMSC_SMS_INBOUND) + " " + path + " 2>" + path + ".log";
    FILE* pipe = popen(cmd.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    std::string out;
    char buf[4096];
    while (pipe && fgets(buf, sizeof buf, pipe)) out += buf;
    if (pipe) pclose(pipe);
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) lines.push_back(json::parse(line));
    }
    std::ifstream log(path + ".log");
    last_log_.assign(std::istreambuf_iterator<char>(log), {});
    fs::remove(path);
    fs::remove(path + ".log");
    return lines;
  }

  json invoke_ok(const json& event, const std::vector<std::string>& extra_env = {}) {
    auto lines = invoke(event, extra_env);
    EXPECT_EQ(lines.size(), 1u) << last_log_;
    if (lines.empty()) return json::object();
    EXPECT_EQ(lines[0]["status"], "success") << lines[0].dump() << "\n" << last_log_;
    return lines[0]["response"];
  }

  static std::vector<json> outbox_for(const std::string& phone) {
    std::vector<json> out;
    std::ifstream in(env_["LOCAL_STACK_OUTBOX"]);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto j = json::parse(line);
      if (j["DestinationPhoneNumber"] == phone) out.push_back(j);
    }
    return out;
  }

  static bool on_opt_out_list(const std::string& phone) {
    // The stand-in may group writes of its state file: have it write now.
    httplib::Client control("127.0.0.1", sms_port());
    auto flushed = control.Post("/_standin/flush", "{}", "application/json");
    EXPECT_TRUE(flushed && flushed->status == 200) << "stand-in flush failed";
    std::ifstream in(env_["LOCAL_STACK_OPT_OUT_FILE"]);
    if (!in) return false;
    json lists = json::parse(in);
    const auto& list = lists[env_["OPT_OUT_LIST_NAME"]];
    return list.is_object() && list.contains(phone);
  }

  // Port of the SMS stand-in, from its endpoint URL (http://127.0.0.1:<port>).
  static int sms_port() {
    const std::string& url = env_["AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"];
    return std::stoi(url.substr(url.rfind(':') + 1));
  }

  static std::optional<AttributeMap> contact(const std::string& phone) {
    return db_->get_item({env_["CONTACTS_TABLE"], {{"phone_number", AttributeValue::S(phone)}}, true})
        .value();
  }

  // The contact's record, which the test expects to exist (an empty map fails the test).
  static AttributeMap existing_contact(const std::string& phone) {
    auto c = contact(phone);
    EXPECT_TRUE(c.has_value()) << "no contact record";
    return c.value_or(AttributeMap{});
  }

  static std::vector<AttributeMap> log_items(const std::string& phone) {
    common::aws::QueryRequest q;
    q.table_name = env_["MESSAGE_LOG_TABLE"];
    q.key_condition_expression =
        q.expression.name("phone_number") + " = " + q.expression.value(AttributeValue::S(phone));
    q.consistent_read = true;
    return db_->query(q).value().items;
  }

  static std::vector<AttributeMap> log_items(const std::string& phone, const std::string& direction) {
    std::vector<AttributeMap> out;
    for (auto& item : log_items(phone)) {
      if (get_s(item, "direction") == direction) out.push_back(item);
    }
    return out;
  }

  static std::map<std::string, std::string> env_;
  static common::aws::DynamoDbClient* db_;
  std::string last_log_;
};

std::map<std::string, std::string> SmsInbound::env_;
common::aws::DynamoDbClient* SmsInbound::db_ = nullptr;

// Opt-out (47 CFR 64.1200(a)(10)); deadline over Thanksgiving (5 U.S.C. 6103); 4-year TTL
// (28 U.S.C. 1658).
TEST_F(SmsInbound, StopOptsOutWithDeadlineSpanningThanksgivingAndFourYearTtl) {
  const std::string phone = fresh_number();
  // Friday 2026-11-20 15:00 UTC: 10 business days skip the weekends and Thanksgiving (Thu
  // 2026-11-26). In Guam it is already Saturday 01:00, so the earliest US deadline is Mon 12-07
  // 01:00 ChST = Sun 12-06 15:00 UTC (common::compliance::opt_out_deadline).
  auto response = invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"),
                                                 "2026-11-20T15:00:00.000Z")}));
  EXPECT_EQ(response["processed"], 1);

  auto c = contact(phone);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(get_s(*c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(*c, "opted_out_at"), "2026-11-20T15:00:00.000Z");
  EXPECT_EQ(get_s(*c, "opt_out_deadline"), "2026-12-06T15:00:00.000Z");
  EXPECT_EQ(get_s(*c, "opt_out_method"), "sms");
  EXPECT_EQ(get_s(*c, "opt_out_rule"), "keyword:STOP");
  const auto* channels = c->at("opt_out_channels").as_set();
  ASSERT_NE(channels, nullptr);
  EXPECT_EQ(*channels, (std::vector<std::string>{"email", "sms", "voice"}));
  EXPECT_TRUE(c->count("opt_out_honored_at"));
  EXPECT_FALSE(c->count("opt_out_pending")) << "honoured opt-outs leave the pending index";
  EXPECT_TRUE(on_opt_out_list(phone));
  // Received well over 5 minutes ago: no confirmation may be sent any more.
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_FALSE(c->count("opt_out_confirmation_sent_at"));

  const auto received = *common::parse_rfc3339("2026-11-20T15:00:00.000Z");
  const auto four_years = common::epoch_seconds(received) + 4 * 365 * 86400 + 86400;
  for (const char* direction : {"inbound", "consent"}) {
    auto items = log_items(phone, direction);
    ASSERT_EQ(items.size(), 1u) << direction;
    auto ttl = common::aws::get_int(items[0], "ttl");
    ASSERT_TRUE(ttl.has_value()) << direction;
    EXPECT_GE(*ttl, four_years) << direction << " kept at least 4 years";
    EXPECT_LE(*ttl, four_years + 3 * 86400) << direction;
  }
  EXPECT_EQ(get_s(log_items(phone, "consent")[0], "event"), "opt_out");
}

// Confirmation (47 CFR 64.1200(a)(12)): one text within 5 minutes, before PutOptedOutNumber; SNS
// redelivery is a no-op.
TEST_F(SmsInbound, FreshStopSendsOneConfirmationEvenWhenDeliveredTwice) {
  const std::string phone = fresh_number();
  const json event = event_of({sns_record(phone, "Stop.", fresh_id("in"), fresh_id("sns"), now_text())});
  auto first = invoke_ok(event);
  EXPECT_EQ(first["processed"], 1);
  auto second = invoke_ok(event);
  EXPECT_EQ(second["duplicates"], 1);
  EXPECT_EQ(second["processed"], 0);

  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0]["MessageBody"].get<std::string>().find("unsubscribed"), std::string::npos);
  EXPECT_NE(sent[0]["MessageBody"].get<std::string>().find("Acme Dental"), std::string::npos);
  EXPECT_TRUE(on_opt_out_list(phone));
  auto c = contact(phone);
  ASSERT_TRUE(c);
  EXPECT_EQ(get_s(*c, "opt_out_confirmation_message_id"), sent[0]["MessageId"].get<std::string>());
  EXPECT_EQ(common::aws::get_int(*c, "message_count_in"), 1);
  EXPECT_EQ(common::aws::get_int(*c, "message_count_out"), 1);
  EXPECT_EQ(log_items(phone, "inbound").size(), 1u);
  EXPECT_EQ(log_items(phone, "outbound").size(), 1u);

  // A second, different STOP: already opted out, so no second confirmation.
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(outbox_for(phone).size(), 1u);
}

// The sum of EMF metric `name` over the EMF lines of a function's log (0 when none names it).
double emf_sum(const std::string& log, const std::string& name) {
  double sum = 0;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"_aws\"") == std::string::npos) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains(name) && j[name].is_number()) sum += j[name].get<double>();
  }
  return sum;
}

// OptOutRate and ResponseRate (docs/metrics.md) divide InboundTexts and OptOutsReceived by the
// texts sent: each inbound text must count once, however often SNS delivers it.
TEST_F(SmsInbound, RateNumeratorsCountEachTextOnceAcrossRedeliveries) {
  const std::string stop = fresh_number(), help = fresh_number(), other = fresh_number();
  const json event = event_of(
      {sns_record(stop, "STOP", fresh_id("in"), fresh_id("sns"), now_text()),
       sns_record(help, "HELP", fresh_id("in"), fresh_id("sns"), now_text()),
       sns_record(other, "Thanks, see you then", fresh_id("in"), fresh_id("sns"), now_text())});
  auto first = invoke_ok(event);
  ASSERT_EQ(first["processed"], 3) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundTexts"), 3) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "OptOutsReceived"), 1) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundMessages"), 3) << last_log_;

  auto again = invoke_ok(event);  // SNS delivers at least once
  ASSERT_EQ(again["duplicates"], 3) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundTexts"), 0) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "OptOutsReceived"), 0) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "DuplicateDeliveries"), 3) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundMessages"), 3) << "InboundMessages counts deliveries";
}

// A STOP whose attempt fails after the opt-out was applied (the opt-out list update throttled)
// counts as an opt-out received once, on the retry that completes it; OptOuts counts both
// attempts, which is why the rate does not divide it.
TEST_F(SmsInbound, OptOutsReceivedCountsAStopOnceWhenItsFirstAttemptFailed) {
  const std::string phone = fresh_number();
  httplib::Client control("127.0.0.1", sms_port());
  auto armed = control.Post("/_standin/faults",
                            json{{"operation", "PutOptedOutNumber"},
                                 {"numbers", {phone}},
                                 {"status", 400},
                                 {"code", "ThrottlingException"},
                                 {"count", 2}}
                                .dump(),
                            "application/json");
  ASSERT_TRUE(armed && armed->status == 200) << (armed ? armed->body : "no answer");
  const json event =
      event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())});
  auto lines = invoke(event);  // AWS_MAX_ATTEMPTS=2: both attempts throttled
  ASSERT_EQ(lines.size(), 1u) << last_log_;
  ASSERT_EQ(lines[0]["status"], "error") << lines[0].dump();
  EXPECT_EQ(emf_sum(last_log_, "OptOutsReceived"), 0) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundTexts"), 0) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "RecordFailures"), 1) << last_log_;
  const double attempts_counted = emf_sum(last_log_, "OptOuts");

  invoke_ok(event);  // Lambda's retry
  EXPECT_TRUE(on_opt_out_list(phone));
  EXPECT_EQ(emf_sum(last_log_, "OptOutsReceived"), 1) << last_log_;
  EXPECT_EQ(emf_sum(last_log_, "InboundTexts"), 1) << last_log_;
  EXPECT_EQ(attempts_counted + emf_sum(last_log_, "OptOuts"), 2)
      << "OptOuts counts each attempt that reached the opt-out";
  // The audit log keeps it as this text's revocation ("new"), not as a repeat: the retry found
  // the first attempt's opt-out on record (docs/compliance.md#audit-log).
  const auto consent = log_items(phone, "consent");
  ASSERT_EQ(consent.size(), 1u);
  EXPECT_EQ(get_s(consent[0], "change"), "new") << last_log_;
  const auto honour = log_items(phone, "honor");
  ASSERT_EQ(honour.size(), 1u);
  EXPECT_EQ(get_s(honour[0], "event"), "opt_out_honored");
}

// Opt-in words (CTIA); an opt-in is confirmed and lifts the opt-out list entry.
TEST_F(SmsInbound, StartAfterStopOptsInAndConfirms) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}));
  ASSERT_TRUE(on_opt_out_list(phone));
  auto response =
      invoke_ok(event_of({sns_record(phone, "start", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(response["results"][0]["intent"], "opt_in");

  auto c = contact(phone);
  ASSERT_TRUE(c);
  EXPECT_EQ(get_s(*c, "consent_status"), "opted_in");
  EXPECT_FALSE(c->count("opted_out_at"));
  EXPECT_EQ(get_s(*c, "opt_in_method"), "sms_keyword");
  EXPECT_FALSE(on_opt_out_list(phone));
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);  // the opt-out confirmation, then the opt-in confirmation
  EXPECT_NE(sent[1]["MessageBody"].get<std::string>().find("subscribed"), std::string::npos);
  EXPECT_NE(sent[1]["MessageBody"].get<std::string>().find("STOP"), std::string::npos);
  EXPECT_EQ(log_items(phone, "consent").size(), 2u);
}

// An opt-in never overrides a newer opt-out (SNS does not keep order;
// docs/compliance.md#unordered-messages).
TEST_F(SmsInbound, OlderStartDoesNotOverrideNewerStop) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"),
                                 "2026-11-19T12:00:05.000Z")}));
  auto response = invoke_ok(event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"),
                                                 "2026-11-19T12:00:00.000Z")}));
  EXPECT_EQ(response["results"][0]["actions"][0], "opt_in_ignored_newer_opt_out");
  EXPECT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_out");
  EXPECT_TRUE(on_opt_out_list(phone));
  EXPECT_TRUE(outbox_for(phone).empty());
}

// CTIA: HELP is answered to anyone, with program, contact, rates and opt-out instructions.
TEST_F(SmsInbound, HelpFromUnknownNumberGetsHelpText) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, " Help ", fresh_id("in"), fresh_id("sns"), now_text())}));
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  const std::string body = sent[0]["MessageBody"];
  for (const char* part : {"Acme Dental", "help@acme.example", "Msg&data rates may apply",
                           "Reply STOP to cancel"}) {
    EXPECT_NE(body.find(part), std::string::npos) << part << " missing from: " << body;
  }
  EXPECT_EQ(sent[0]["MessageType"], "TRANSACTIONAL");
  auto c = contact(phone);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->count("consent_status")) << "HELP is no consent";
}

// Smart encoding (issue 13): replies are sent with GSM-7 look-alikes for typography (here a
// curly apostrophe in the configured program name), and logged as sent.
TEST_F(SmsInbound, HelpTextIsSmartEncoded) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "HELP", fresh_id("in"), fresh_id("sns"), now_text())}),
            {"PROGRAM_NAME=Acme\u2019s Dental \u2013 Downtown"});
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  const std::string expected =
      "Acme's Dental - Downtown: Help at help@acme.example. Msg&data rates may apply. Reply STOP "
      "to cancel.";
  EXPECT_EQ(sent[0]["MessageBody"], expected);
  EXPECT_EQ(sent[0]["segments"], 1);
  auto logged = log_items(phone, "outbound");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(get_s(logged[0], "message_body"), expected);
}

// A number that texted before (so its contact item exists, written by the conversation
// counters) can still opt out and back in: found by review, the store's version check failed
// on items without a version attribute.
TEST_F(SmsInbound, NumberThatTextedBeforeCanOptOutAndIn) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "Who is this?", fresh_id("in"), fresh_id("sns"), now_text())}));
  auto stop = invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(stop["processed"], 1) << stop.dump();
  EXPECT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_out");
  EXPECT_TRUE(on_opt_out_list(phone));
  invoke_ok(event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_in");
  EXPECT_EQ(common::aws::get_int(existing_contact(phone), "message_count_in"), 3);
}

// docs/compliance.md#unordered-messages: STOP at 10:00:00, STOP at 10:00:20, then a START sent at
// 10:00:10 arriving last stays ignored: the latest revocation counts, not only the first.
TEST_F(SmsInbound, DelayedStartOlderThanTheLatestStopIsIgnored) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), "2026-11-19T10:00:00.000Z")}));
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), "2026-11-19T10:00:20.000Z")}));
  auto start = invoke_ok(
      event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"), "2026-11-19T10:00:10.000Z")}));
  EXPECT_EQ(start["results"][0]["actions"][0], "opt_in_ignored_newer_opt_out");
  auto c = existing_contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(c, "opted_out_at"), "2026-11-19T10:00:00.000Z") << "the deadline's request";
  EXPECT_EQ(get_s(c, "opt_out_deadline"), "2026-12-04T10:00:00.000Z");
  EXPECT_TRUE(on_opt_out_list(phone));
  EXPECT_TRUE(outbox_for(phone).empty());
}

// The mirror case: a delayed STOP older than the contact's newer START does not revoke that
// newer consent; it is kept in the audit log.
TEST_F(SmsInbound, DelayedStopOlderThanTheCurrentOptInIsSuperseded) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"), "2026-11-19T10:00:20.000Z")}));
  auto stop = invoke_ok(
      event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), "2026-11-19T10:00:10.000Z")}));
  EXPECT_EQ(stop["results"][0]["actions"][0], "opt_out_superseded_by_newer_opt_in");
  EXPECT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_in");
  EXPECT_FALSE(on_opt_out_list(phone));
  EXPECT_EQ(log_items(phone, "consent").size(), 2u) << "both requests are in the audit log";
}

// Fail closed (docs/compliance.md#fail-closed): an opted-out number gets nothing back; the
// message is still logged.
TEST_F(SmsInbound, TextFromOptedOutNumberSendsNothingButIsLogged) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "UNSUBSCRIBE", fresh_id("in"), fresh_id("sns"),
                                 "2026-11-18T10:00:00.000Z")}));
  auto response = invoke_ok(event_of({sns_record(phone, "what time is my appointment?",
                                                 fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(response["results"][0]["actions"][0], "no_reply_opted_out");
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_EQ(log_items(phone, "inbound").size(), 2u);
  EXPECT_EQ(common::aws::get_int(existing_contact(phone), "message_count_in"), 2);
}

// 47 CFR 64.1200(a)(10): revocation "by any reasonable means", recorded with the rule.
TEST_F(SmsInbound, PhraseRevocationIsAnOptOutWithItsRule) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "please stop texting me", fresh_id("in"), fresh_id("sns"),
                                 now_text())}));
  auto c = contact(phone);
  ASSERT_TRUE(c);
  EXPECT_EQ(get_s(*c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(*c, "opt_out_rule"), "phrase:stop texting");
  EXPECT_TRUE(on_opt_out_list(phone));
  EXPECT_EQ(outbox_for(phone).size(), 1u);
}

// CANCEL inside a longer text is not an opt-out, but flagged for review
// (docs/compliance.md#possible-revocations-for-review).
TEST_F(SmsInbound, CancelInsideSentenceIsFlaggedNotOptedOut) {
  const std::string phone = fresh_number();
  auto response = invoke_ok(event_of({sns_record(phone, "I need to cancel my appointment",
                                                 fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(response["results"][0]["possible_revocation"], true);
  EXPECT_NE(get_s(existing_contact(phone), "consent_status"), "opted_out");
  EXPECT_FALSE(on_opt_out_list(phone));
  auto inbound = log_items(phone, "inbound");
  ASSERT_EQ(inbound.size(), 1u);
  EXPECT_EQ(inbound[0].at("possible_revocation").as_bool(), true);
}

// Batch processing: one bad record never sinks the others.
TEST_F(SmsInbound, MalformedRecordBesideTwoGoodOnes) {
  const std::string a = fresh_number(), b = fresh_number();
  json bad = sns_record("+12065550111", "x", "x", fresh_id("sns"), now_text());
  bad["Sns"]["Message"] = "{not json";
  json missing_phone = sns_record("+12065550112", "x", "x", fresh_id("sns"), now_text());
  missing_phone["Sns"]["Message"] = json{{"messageBody", "STOP"}}.dump();
  auto lines = invoke(event_of({sns_record(a, "STOP", fresh_id("in"), fresh_id("sns"), now_text()),
                                bad, missing_phone,
                                sns_record(b, "HELP", fresh_id("in"), fresh_id("sns"), now_text())}));
  ASSERT_EQ(lines.size(), 1u) << last_log_;
  EXPECT_EQ(lines[0]["status"], "success");
  const json& r = lines[0]["response"];
  EXPECT_EQ(r["processed"], 2);
  EXPECT_EQ(r["malformed"], 2);
  EXPECT_EQ(r["results"][1]["reason"], "Sns.Message is not a JSON object");
  EXPECT_EQ(r["results"][2]["reason"], "Message.originationNumber is missing");
  EXPECT_NE(last_log_.find("malformed record skipped"), std::string::npos);
  EXPECT_TRUE(on_opt_out_list(a));
  EXPECT_EQ(outbox_for(b).size(), 1u);
}

// Transient AWS failure: surfaced so Lambda retries; the retry completes without duplicates.
TEST_F(SmsInbound, DynamoDbUnreachableFailsInvocationAndRetryCompletesOnce) {
  const std::string phone = fresh_number();
  const json event = event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())});
  // Port 9 (discard) on loopback: nothing listens, connections are refused.
  auto lines = invoke(event, {"AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:9"});
  ASSERT_EQ(lines.size(), 1u) << last_log_;
  EXPECT_EQ(lines[0]["status"], "error");
  EXPECT_EQ(lines[0]["error"]["errorType"], "RecordsFailed");
  EXPECT_TRUE(outbox_for(phone).empty());
  EXPECT_FALSE(on_opt_out_list(phone));
  EXPECT_FALSE(contact(phone).has_value());

  auto response = invoke_ok(event);  // Lambda's retry, DynamoDB back
  EXPECT_EQ(response["processed"], 1);
  EXPECT_EQ(outbox_for(phone).size(), 1u);
  EXPECT_TRUE(on_opt_out_list(phone));
}

// A throttled opt-out list update fails the record after the confirmation went
// out; the retry finishes the opt-out and never sends a second confirmation.
TEST_F(SmsInbound, ThrottledOptOutListRetriesWithoutSecondConfirmation) {
  const std::string phone = fresh_number();
  httplib::Client control("127.0.0.1", sms_port());
  auto armed = control.Post("/_standin/faults",
                            json{{"operation", "PutOptedOutNumber"},
                                 {"status", 400},
                                 {"code", "ThrottlingException"},
                                 {"count", 2}}
                                .dump(),
                            "application/json");
  ASSERT_TRUE(armed && armed->status == 200) << (armed ? armed->body : "no answer");
  const json event = event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())});
  auto lines = invoke(event);  // AWS_MAX_ATTEMPTS=2: both attempts throttled
  ASSERT_EQ(lines.size(), 1u) << last_log_;
  EXPECT_EQ(lines[0]["status"], "error") << lines[0].dump();
  EXPECT_EQ(outbox_for(phone).size(), 1u);
  EXPECT_FALSE(on_opt_out_list(phone));
  EXPECT_EQ(get_s(existing_contact(phone), "opt_out_pending"), "PENDING");

  invoke_ok(event);
  EXPECT_TRUE(on_opt_out_list(phone));
  EXPECT_EQ(outbox_for(phone).size(), 1u);
  EXPECT_FALSE(existing_contact(phone).count("opt_out_pending"));
}

// Ordinary texts from a consenting contact go to BACKEND_URL; its reply is sent.
TEST_F(SmsInbound, BackendReplyIsSentToConsentingContact) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "YES", fresh_id("in"), fresh_id("sns"), now_text())}));
  ASSERT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_in");

  httplib::Server backend;
  json received;
  backend.Post("/inbound", [&](const httplib::Request& req, httplib::Response& res) {
    received = json::parse(req.body);
    res.set_content(R"({"reply":"See you Friday at 10."})", "application/json");
  });
  const int port = backend.bind_to_any_port("127.0.0.1");
  std::thread server([&] { backend.listen_after_bind(); });
  const std::string inbound_id = fresh_id("in");
  invoke_ok(event_of({sns_record(phone, "Can I come Friday?", inbound_id, fresh_id("sns"), now_text())}),
            {"BACKEND_URL=http://127.0.0.1:" + std::to_string(port) + "/inbound"});
  backend.stop();
  server.join();

  EXPECT_EQ(received["phone_number"], phone);
  EXPECT_EQ(received["message_body"], "Can I come Friday?");
  EXPECT_EQ(received["message_id"], inbound_id);
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);  // opt-in confirmation, then the backend's reply
  EXPECT_EQ(sent[1]["MessageBody"], "See you Friday at 10.");
}

// Issue 5 replies: C/CONFIRM and R/RESCHEDULE (and YES from an opted-in contact) act on the
// contact's next upcoming appointment and are answered briefly.
TEST_F(SmsInbound, ReminderRepliesConfirmAndRescheduleTheNextAppointment) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"), now_text())}));
  const std::string soon = fresh_id("appt"), later = fresh_id("appt");
  auto put_appointment = [&](const std::string& id, const std::string& starts_at) {
    common::aws::PutItemRequest put;
    put.table_name = env_["APPOINTMENTS_TABLE"];
    put.item = {{"appointment_id", AttributeValue::S(id)},
                {"phone_number", AttributeValue::S(phone)},
                {"starts_at", AttributeValue::S(starts_at)},
                {"time_zone", AttributeValue::S("America/Los_Angeles")},
                {"location", AttributeValue::S("12 Main St")}};
    ASSERT_FALSE(db_->put_item(put).value().condition_failed);
  };
  put_appointment(soon, "2099-11-24T22:00:00.000Z");   // Tue, Nov 24 2099 at 2:00 PM PST
  put_appointment(later, "2099-12-24T22:00:00.000Z");
  auto status_of = [&](const std::string& id) {
    auto item = db_->get_item({env_["APPOINTMENTS_TABLE"],
                               {{"appointment_id", AttributeValue::S(id)}}, true})
                    .value();
    return item ? get_s(*item, "appointment_status").value_or("") : std::string("missing");
  };
  const std::vector<std::string> env = {"APPOINTMENTS_TABLE=" + env_["APPOINTMENTS_TABLE"]};

  auto confirmed = invoke_ok(
      event_of({sns_record(phone, "Confirm!", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(confirmed["results"][0]["actions"][0], "appointment_confirmed");
  EXPECT_EQ(status_of(soon), "confirmed");
  EXPECT_EQ(status_of(later), "") << "only the next appointment";
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);  // opt-in confirmation, then the reply
  EXPECT_EQ(sent[1]["MessageBody"], "Acme Dental: Confirmed. See you Tue, Nov 24 at 2:00 PM.");

  invoke_ok(event_of({sns_record(phone, "r", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(status_of(soon), "reschedule_requested");
  sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_NE(sent[2]["MessageBody"].get<std::string>().find("reschedule"), std::string::npos);

  // YES from a contact who is opted in confirms rather than re-subscribing.
  invoke_ok(event_of({sns_record(phone, "yes", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(status_of(soon), "confirmed");
  EXPECT_EQ(outbox_for(phone).size(), 4u);
}

// Fail closed (docs/compliance.md#fail-closed): an opted-out contact's C gets no answer and
// changes nothing; their YES stays the opt-in word.
TEST_F(SmsInbound, ReplyWordsFromOptedOutContactDoNothingAndYesOptsIn) {
  const std::string phone = fresh_number();
  const std::vector<std::string> env = {"APPOINTMENTS_TABLE=" + env_["APPOINTMENTS_TABLE"]};
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"),
                                 "2026-11-18T10:00:00.000Z")}), env);
  const std::string id = fresh_id("appt");
  common::aws::PutItemRequest put;
  put.table_name = env_["APPOINTMENTS_TABLE"];
  put.item = {{"appointment_id", AttributeValue::S(id)},
              {"phone_number", AttributeValue::S(phone)},
              {"starts_at", AttributeValue::S("2099-11-24T22:00:00.000Z")}};
  ASSERT_FALSE(db_->put_item(put).value().condition_failed);

  auto c = invoke_ok(event_of({sns_record(phone, "C", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(c["results"][0]["actions"][0], "no_reply_opted_out");
  EXPECT_TRUE(outbox_for(phone).empty());
  auto yes = invoke_ok(event_of({sns_record(phone, "YES", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(yes["results"][0]["intent"], "opt_in");
  EXPECT_EQ(get_s(existing_contact(phone), "consent_status"), "opted_in");
  auto item = db_->get_item({env_["APPOINTMENTS_TABLE"], {{"appointment_id", AttributeValue::S(id)}}, true})
                  .value();
  ASSERT_TRUE(item);
  EXPECT_FALSE(item->count("appointment_status"));
}

// Languages (docs/compliance.md#languages): ALTO opts out like STOP, records Spanish on the
// contact in the same write, and the one confirmation (47 CFR 64.1200(a)(12)) is in Spanish.
TEST_F(SmsInbound, AltoGetsTheSpanishOptOutConfirmationAndRecordsSpanish) {
  const std::string phone = fresh_number();
  auto response =
      invoke_ok(event_of({sns_record(phone, "Alto", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(response["results"][0]["intent"], "opt_out");
  EXPECT_EQ(response["results"][0]["language"], "es");
  const AttributeMap c = existing_contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_out");
  EXPECT_EQ(get_s(c, "language"), "es");
  EXPECT_TRUE(on_opt_out_list(phone));
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  // Smart-encoded as sent (accents to their GSM-7 base letters).
  EXPECT_EQ(sent[0]["MessageBody"],
            "Acme Dental: Se ha dado de baja y no recibira mas mensajes. Responda COMENZAR o START "
            "para volver a suscribirse.");
  auto outbound = log_items(phone, "outbound");
  ASSERT_EQ(outbound.size(), 1u);
  EXPECT_EQ(get_s(outbound[0], "kind"), "opt_out_confirmation");
  EXPECT_EQ(get_s(outbound[0], "language"), "es");
  auto inbound = log_items(phone, "inbound");
  ASSERT_EQ(inbound.size(), 1u);
  EXPECT_EQ(get_s(inbound[0], "language"), "es");
}

// CTIA HELP in Spanish: program, contact, rates and opt-out instructions (ALTO and STOP).
TEST_F(SmsInbound, AyudaGetsSpanishHelp) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "AYUDA", fresh_id("in"), fresh_id("sns"), now_text())}));
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["MessageBody"],
            "Acme Dental: Ayuda en help@acme.example. Pueden aplicarse tarifas de mensajes y datos. "
            "Responda ALTO o STOP para cancelar.");
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "es");
  EXPECT_FALSE(existing_contact(phone).count("consent_status")) << "HELP is no consent";
}

// COMENZAR is a Spanish opt-in keyword (docs/compliance.md#opt-in-keywords); its confirmation
// states the program, the frequency, the rates and AYUDA/ALTO (CTIA).
TEST_F(SmsInbound, ComenzarOptsInWithTheSpanishConfirmation) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_FALSE(existing_contact(phone).count("language")) << "STOP tells no language";
  auto response = invoke_ok(
      event_of({sns_record(phone, "Comenzar", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(response["results"][0]["intent"], "opt_in");
  const AttributeMap c = existing_contact(phone);
  EXPECT_EQ(get_s(c, "consent_status"), "opted_in");
  EXPECT_EQ(get_s(c, "language"), "es");
  EXPECT_FALSE(on_opt_out_list(phone));
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);  // the English opt-out confirmation, then the Spanish opt-in one
  EXPECT_NE(sent[0]["MessageBody"].get<std::string>().find("unsubscribed"), std::string::npos);
  EXPECT_EQ(sent[1]["MessageBody"],
            "Acme Dental: Se ha suscrito de nuevo. La frecuencia de mensajes varia. Pueden aplicarse "
            "tarifas de mensajes y datos. Responda AYUDA o HELP para obtener ayuda, ALTO o STOP "
            "para cancelar.");
}

// A Spanish reply to a reminder (CONFIRMAR) is answered in Spanish, with the time in Spanish.
TEST_F(SmsInbound, SpanishReminderReplyGetsTheSpanishAnswer) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "START", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "en");
  const std::string id = fresh_id("appt");
  common::aws::PutItemRequest put;
  put.table_name = env_["APPOINTMENTS_TABLE"];
  put.item = {{"appointment_id", AttributeValue::S(id)},
              {"phone_number", AttributeValue::S(phone)},
              {"starts_at", AttributeValue::S("2099-11-24T22:00:00.000Z")},  // Tue 2:00 PM PST
              {"time_zone", AttributeValue::S("America/Los_Angeles")}};
  ASSERT_FALSE(db_->put_item(put).value().condition_failed);
  const std::vector<std::string> env = {"APPOINTMENTS_TABLE=" + env_["APPOINTMENTS_TABLE"]};

  auto response = invoke_ok(
      event_of({sns_record(phone, "CONFIRMAR", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  EXPECT_EQ(response["results"][0]["actions"][0], "appointment_confirmed");
  auto item = db_->get_item({env_["APPOINTMENTS_TABLE"], {{"appointment_id", AttributeValue::S(id)}}, true})
                  .value();
  ASSERT_TRUE(item);
  EXPECT_EQ(get_s(*item, "appointment_status"), "confirmed");
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "es");
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1]["MessageBody"],
            "Acme Dental: Cita confirmada para el mar 24 de nov a las 2:00 p. m. ¡Le esperamos!");

  // CAMBIAR asks to reschedule, in Spanish too.
  invoke_ok(event_of({sns_record(phone, "cambiar", fresh_id("in"), fresh_id("sns"), now_text())}), env);
  sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_NE(sent[2]["MessageBody"].get<std::string>().find("se cambiara"), std::string::npos)
      << sent[2]["MessageBody"];
}

// The language follows what the contact last wrote: English HELP after Spanish answers in
// English and records "en"; STOP (carrier-wide, no language) keeps what is recorded.
TEST_F(SmsInbound, EnglishHelpAfterSpanishSwitchesBack) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "ayuda", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "es");
  invoke_ok(event_of({sns_record(phone, "HELP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "en");
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0]["MessageBody"].get<std::string>().find("Ayuda en"), std::string::npos);
  EXPECT_EQ(sent[1]["MessageBody"],
            "Acme Dental: Help at help@acme.example. Msg&data rates may apply. Reply STOP to cancel.");

  invoke_ok(event_of({sns_record(phone, "Hola, gracias", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "es") << "an ordinary Spanish text";
  invoke_ok(event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(get_s(existing_contact(phone), "language"), "es");
  sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_NE(sent[2]["MessageBody"].get<std::string>().find("Se ha dado de baja"), std::string::npos);
}

// Configured texts that lack CTIA's required content are an init error naming the element and
// the language (docs/compliance.md#required-content), under the Runtime API emulator.
TEST_F(SmsInbound, ReplyTextsMissingAnElementIsAnInitError) {
  const std::string reply_texts = json{{"es",
                                        {{"opt_in_confirmation",
                                          "{program}: Se ha suscrito. Pueden aplicarse tarifas de "
                                          "mensajes y datos. Responda AYUDA o ALTO."}}}}
                                      .dump();
  auto lines = invoke(event_of({}), {"REPLY_TEXTS=" + reply_texts});
  ASSERT_FALSE(lines.empty()) << last_log_;
  EXPECT_EQ(lines[0]["status"], "init_error");
  const std::string message = lines[0]["error"]["errorMessage"];
  EXPECT_NE(message.find("REPLY_TEXTS es.opt_in_confirmation lacks 'frequency'"), std::string::npos)
      << message;

  // And a configuration that has everything starts and answers with it.
  const std::string phone = fresh_number();
  const std::string good = json{{"es", {{"help", "{program}: Llame al {help_contact}. Responda ALTO."}}}}.dump();
  invoke_ok(event_of({sns_record(phone, "AYUDA", fresh_id("in"), fresh_id("sns"), now_text())}),
            {"REPLY_TEXTS=" + good, "MESSAGE_FREQUENCY={\"en\": \"Up to 4 msgs/month\", \"es\": \"Hasta 4 mensajes al mes\"}"});
  auto sent = outbox_for(phone);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["MessageBody"], "Acme Dental: Llame al help@acme.example. Responda ALTO.");
}

// Start-up configuration is checked: a missing variable is an init error naming it.
TEST_F(SmsInbound, MissingConfigurationIsAnInitError) {
  auto lines = invoke(event_of({}), {"HELP_CONTACT="});
  ASSERT_FALSE(lines.empty()) << last_log_;
  EXPECT_EQ(lines[0]["status"], "init_error");
  EXPECT_NE(lines[0]["error"]["errorMessage"].get<std::string>().find("HELP_CONTACT"),
            std::string::npos);
}

// Logs never carry a full phone number (guide: mask like +1425***1234).
TEST_F(SmsInbound, LogsMaskPhoneNumbers) {
  const std::string phone = fresh_number();
  invoke_ok(event_of({sns_record(phone, "HELP", fresh_id("in"), fresh_id("sns"), now_text())}));
  EXPECT_EQ(last_log_.find(phone), std::string::npos) << last_log_;
  EXPECT_NE(last_log_.find(phone.substr(0, 5) + "***" + phone.substr(phone.size() - 4)),
            std::string::npos);
}

}  // namespace

namespace {

// Issue 2: the bootstrap may rely on nothing of the host but the kernel,
// /etc/hosts, /etc/resolv.conf and a CA bundle. It runs chrooted into a folder
// holding only those, and reaches the stack by name (resolved from /etc/hosts).
TEST_F(SmsInbound, StaticBootstrapRunsInEmptyChroot) {
  if (geteuid() != 0) GTEST_SKIP() << "chroot needs root; skipped (not root here)";
  const fs::path root = fs::temp_directory_path() / fresh_id("chroot");
  fs::create_directories(root / "etc/ssl/certs");
  fs::copy_file("/etc/hosts", root / "etc/hosts");
  if (fs::exists("/etc/resolv.conf")) fs::copy_file("/etc/resolv.conf", root / "etc/resolv.conf");
  const char* bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (fs::exists(bundle)) fs::copy_file(bundle, root / "etc/ssl/certs/ca-certificates.crt");
  fs::copy_file(SMSC_SMS_INBOUND, root / "bootstrap");

  // Probe whether chroot is permitted here (containers may forbid it).
  pid_t probe = fork();
  if (probe == 0) _exit(chroot(root.c_str()) == 0 ? 0 : 1);
  int status = 0;
  waitpid(probe, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fs::remove_all(root);
    GTEST_SKIP() << "chroot is not permitted on this machine";
  }

  auto by_name = [](std::string url) {
    return url.replace(url.find("127.0.0.1"), 9, "localhost");
  };
  const std::string phone = fresh_number();
  const std::string event_path = fs::temp_directory_path() / (fresh_id("event") + ".json");
  std::ofstream(event_path)
      << event_of({sns_record(phone, "STOP", fresh_id("in"), fresh_id("sns"), now_text())}).dump();
  const std::string cmd =
      std::string(SMSC_EMULATOR) + " --output json --chroot " + shell_quote(root.string()) +
      " --env-file " + shell_quote(std::string(SMSC_STACK_DIR) + "/env") +
      " --env PROGRAM_NAME=Acme --env HELP_CONTACT=help@acme.example" +
      " --env AWS_ENDPOINT_URL_DYNAMODB=" + by_name(env_["AWS_ENDPOINT_URL_DYNAMODB"]) +
      " --env AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2=" +
      by_name(env_["AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"]) + " /bootstrap " + event_path +
      " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  pclose(pipe);
  fs::remove_all(root);
  fs::remove(event_path);
  EXPECT_NE(out.find(R"("status":"success")"), std::string::npos) << out;
  EXPECT_TRUE(on_opt_out_list(phone)) << out;
  EXPECT_EQ(outbox_for(phone).size(), 1u) << out;
}

}  // namespace
