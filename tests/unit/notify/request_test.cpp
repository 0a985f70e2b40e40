// notify's pure parts: the request parser, the templates configuration, the SQS envelope and the
// notification item's round trip through DynamoDB attributes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/consent/notifications.hpp"
#include "common/events/sqs_event.hpp"
#include "functions/notify/request.hpp"

namespace {

using json = nlohmann::json;

const notify::Templates& templates() {
  static const notify::Templates t = notify::parse_templates(R"({
    "update": {"text": "{program}: Hi {name}, {details}. Reply STOP to opt out.", "category": "transactional"},
    "offer": {"text": "{program}: {name}, 20% off. Reply STOP to opt out.", "category": "marketing"},
    "note": "{program}: {text}"
  })");
  return t;
}

const common::TimePoint kNow = *common::parse_rfc3339("2026-12-01T19:00:00Z");

json base() {
  return {{"idempotency_key", "order-1042:shipped"},
          {"phone_number", "+14255550101"},
          {"category", "transactional"},
          {"template", "update"},
          {"variables", {{"name", "Ana"}, {"details", "order 1042 shipped"}}}};
}

std::variant<notify::NotifyRequest, notify::FieldError> parse(const json& body, bool raw = false) {
  return notify::parse_request(body.dump(), {&templates(), "Acme Dental", raw});
}

std::string field_of(const json& body, bool raw = false) {
  const auto r = parse(body, raw);
  const auto* e = std::get_if<notify::FieldError>(&r);
  return e ? e->field : "(accepted)";
}

TEST(NotifyRequest, RendersTheTemplateWithTheProgramAndCountsParts) {
  const auto r = parse(base());
  ASSERT_TRUE(std::holds_alternative<notify::NotifyRequest>(r));
  const auto& req = std::get<notify::NotifyRequest>(r);
  EXPECT_EQ(req.body, "Acme Dental: Hi Ana, order 1042 shipped. Reply STOP to opt out.");
  EXPECT_EQ(req.segments, 1);
  EXPECT_EQ(req.encoding, "GSM-7");
  EXPECT_EQ(req.fingerprint.size(), 64u);
}

TEST(NotifyRequest, NamesTheFieldAtFault) {
  auto b = base();
  b["variables"].erase("details");
  EXPECT_EQ(field_of(b), "variables.details");
  b = base();
  b.erase("idempotency_key");
  EXPECT_EQ(field_of(b), "idempotency_key");
  b = base();
  b["idempotency_key"] = "has space";
  EXPECT_EQ(field_of(b), "idempotency_key");
  b = base();
  b["phone_number"] = "425-CALL-NOW";
  EXPECT_EQ(field_of(b), "phone_number");
  b = base();
  b["category"] = "promo";
  EXPECT_EQ(field_of(b), "category");
  b = base();
  b["template"] = "offer";  // marketing only
  EXPECT_EQ(field_of(b), "category");
  b = base();
  b["tempalte"] = "update";
  EXPECT_EQ(field_of(b), "tempalte");
  b = base();
  b["variables"]["program"] = "Not Us";
  EXPECT_EQ(field_of(b), "variables.program");
  b = base();
  b["variables"]["name"] = 7;
  EXPECT_EQ(field_of(b), "variables.name");
  b = base();
  b["send_after"] = "2026-12-02T10:00:00Z";
  b["expires_at"] = "2026-12-02T09:00:00Z";
  EXPECT_EQ(field_of(b), "expires_at");
  b = base();
  b["send_after"] = "tomorrow";
  EXPECT_EQ(field_of(b), "send_after");
  b = base();
  b["context"] = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}};
  EXPECT_EQ(field_of(b), "context");
  b = base();
  b["context"] = {{"message_ref", "x"}};
  EXPECT_EQ(field_of(b), "context.message_ref");
  EXPECT_EQ(field_of(json::array()), "body");
  EXPECT_EQ(notify::parse_request(R"({"idempotency_key":"a","idempotency_key":"b"})",
                                  {&templates(), "Acme", false}).index(), 1u);
}

TEST(NotifyRequest, RawBodiesOnlyWhenAllowedAndMarketingMustSayStop) {
  json b = {{"idempotency_key", "k"}, {"phone_number", "+14255550101"},
            {"category", "transactional"}, {"body", "Your code is 1234"}};
  EXPECT_EQ(field_of(b, false), "body");
  EXPECT_EQ(field_of(b, true), "(accepted)");
  b["category"] = "marketing";
  EXPECT_EQ(field_of(b, true), "body") << "no opt-out instructions";
  b["body"] = "Sale today. Reply STOP to opt out.";
  EXPECT_EQ(field_of(b, true), "(accepted)");
  b["template"] = "note";
  EXPECT_EQ(field_of(b, true), "body") << "a template and a body";
}

TEST(NotifyRequest, TooLongTextsAreRefusedNotCut) {
  auto b = base();
  b["template"] = "note";
  b["variables"] = {{"text", std::string(1590, 'x')}};
  EXPECT_EQ(field_of(b), "variables");
}

TEST(NotifyRequest, FingerprintIgnoresTheKeyButNotTheMeaning) {
  auto a = std::get<notify::NotifyRequest>(parse(base()));
  auto b = base();
  b["idempotency_key"] = "other";
  EXPECT_EQ(std::get<notify::NotifyRequest>(parse(b)).fingerprint, a.fingerprint);
  b = base();
  b["variables"]["details"] = "order 1043 shipped";
  EXPECT_NE(std::get<notify::NotifyRequest>(parse(b)).fingerprint, a.fingerprint);
}

TEST(NotifyTemplates, ConfigurationErrorsNameTheTemplate) {
  EXPECT_THROW(notify::parse_templates("[]"), std::invalid_argument);
  try {
    notify::parse_templates(R"({"promo": {"text": "{program}: 20% off", "category": "marketing"}})");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("template 'promo'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(notify::parse_templates(R"({"a": "{program"})"), std::invalid_argument);
  EXPECT_THROW(notify::parse_templates(R"({"a": {"text": "x", "kind": "y"}})"), std::invalid_argument);
  EXPECT_THROW(notify::parse_templates(R"({"a b": "x"})"), std::invalid_argument);
  EXPECT_EQ(templates().size(), 3u);
}

TEST(SqsEvent, MalformedRecordsAreMarkedAndTheRestKept) {
  const auto e = common::events::parse_sqs_event(R"({"Records": [
    {"messageId": "a", "body": "{}", "eventSource": "aws:sqs", "attributes": {"ApproximateReceiveCount": "3"}},
    {"messageId": "b", "eventSource": "aws:sqs"},
    {"body": "x"},
    {"messageId": "d", "body": 5},
    7]})");
  ASSERT_EQ(e.records.size(), 5u);
  EXPECT_EQ(e.records[0].error, "");
  EXPECT_EQ(e.records[0].receive_count, 3);
  EXPECT_EQ(e.records[1].error, "Records[1].body is missing");
  EXPECT_EQ(e.records[1].message_id, "b");
  EXPECT_EQ(e.records[2].error, "Records[2].messageId is missing");
  EXPECT_EQ(e.records[3].error, "Records[3].body is not a string");
  EXPECT_EQ(e.records[4].error, "Records[4] is not an object");
  EXPECT_THROW(common::events::parse_sqs_event("{}"), std::invalid_argument);
  EXPECT_THROW(common::events::parse_sqs_event("nope"), std::invalid_argument);
  EXPECT_EQ(json::parse(common::events::batch_response({"a", "b"})),
            json::parse(R"({"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"b"}]})"));
  EXPECT_EQ(common::events::batch_response({}), R"({"batchItemFailures":[]})");
}

TEST(Notification, ItemRoundTripsAndOnlyADeferredItemIsInTheDueIndex) {
  common::consent::Notification n;
  n.phone_number = "+14255550101";
  n.idempotency_key = "k-1";
  n.notify_id = "ntf-1";
  n.category = "marketing";
  n.template_name = "offer";
  n.body = "text";
  n.segments = 1;
  n.encoding = "GSM-7";
  n.fingerprint = std::string(64, 'a');
  n.accepted_at = kNow;
  n.expires_at = kNow + std::chrono::hours(2);
  n.context = {{"order", "1"}};
  n.source = "sqs";
  n.status = common::consent::NotifyStatus::kDeferred;
  n.send_at = kNow + std::chrono::hours(1);
  n.reason = "quiet_hours:America/Los_Angeles:WA";
  auto item = n.to_item();
  EXPECT_EQ(common::aws::get_s(item, "sk"), "notify#k-1");
  EXPECT_EQ(common::aws::get_s(item, "notify_due_at"), "2026-12-01T20:00:00.000Z");
  EXPECT_EQ(common::aws::get_int(item, "notify_due_shard"),
            common::consent::notify_shard(n.phone_number, n.idempotency_key));
  const auto back = common::consent::Notification::from_item(item);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->context, n.context);
  EXPECT_EQ(back->send_at, n.send_at);
  EXPECT_EQ(back->expires_at, n.expires_at);
  EXPECT_EQ(back->reason, n.reason);
  n.status = common::consent::NotifyStatus::kSent;
  EXPECT_EQ(n.to_item().count("notify_due_at"), 0u);
  std::string error;
  EXPECT_FALSE(common::consent::Notification::from_item({}, &error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
