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

// Spanish variants (docs/compliance.md#template-languages): text_es beside text, checked like it.
std::string template_error(const std::string& config) {
  try {
    notify::parse_templates(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(NotifyTemplates, SpanishVariantIsAcceptedAndRenderedBesideTheEnglishText) {
  const auto t = notify::parse_templates(R"({
    "update": {"text": "{program}: Hi {name}, {details}. Reply STOP to opt out.",
               "category": "transactional",
               "text_es": "{program}: Hola {name}, {details}. Responda ALTO para no recibir mensajes."},
    "plain": {"text": "{program}: {text}", "category": null, "text_es": null}
  })");
  ASSERT_EQ(t.size(), 2u);
  ASSERT_TRUE(t.at("update").text_es);
  EXPECT_FALSE(t.at("plain").text_es) << "null is absent (Terraform's unset optional attribute)";
  EXPECT_FALSE(t.at("plain").category);
  const auto r = notify::parse_request(base().dump(), {&t, "Acme Dental", false});
  ASSERT_TRUE(std::holds_alternative<notify::NotifyRequest>(r));
  const auto& req = std::get<notify::NotifyRequest>(r);
  EXPECT_EQ(req.body, "Acme Dental: Hi Ana, order 1042 shipped. Reply STOP to opt out.");
  ASSERT_TRUE(req.body_es);
  EXPECT_EQ(req.body_es->body,
            "Acme Dental: Hola Ana, order 1042 shipped. Responda ALTO para no recibir mensajes.");
  EXPECT_EQ(req.body_es->segments, 1);
  EXPECT_EQ(req.body_es->encoding, "GSM-7");
  // The fingerprint is the request's meaning: the same with or without a variant configured.
  EXPECT_EQ(req.fingerprint, std::get<notify::NotifyRequest>(parse(base())).fingerprint);
  // No variant: nothing to choose from; a raw body never has one.
  EXPECT_FALSE(std::get<notify::NotifyRequest>(parse(base())).body_es);
}

TEST(NotifyTemplates, SpanishVariantNeedsTheSameVariablesAndIsNamedWhenBad) {
  EXPECT_EQ(
      template_error(R"({"u": {"text": "{program}: Hi {name}", "text_es": "{program}: Hola"}})"),
      "template 'u': text_es must use the variables of text: {name} is missing");
  EXPECT_EQ(
      template_error(R"({"u": {"text": "{program}: Hi", "text_es": "{program}: Hola {name}"}})"),
      "template 'u': text_es must use the variables of text: {name} is not in text");
  EXPECT_EQ(template_error(R"({"u": {"text": "{program}: Hi", "text_es": "{program: Hola"}})")
                .rfind("template 'u': text_es: template: ", 0),
            0u);
  EXPECT_EQ(template_error(R"({"u": {"text": "{program}: Hi", "text_es": ""}})"),
            "template 'u': text_es is empty");
  EXPECT_EQ(template_error(R"({"u": {"text": "{program}: Hi", "text_es": 5}})"),
            "template 'u': text_es must be a string (the Spanish text)");
  EXPECT_EQ(template_error(R"({"u": {"text": "{program}: Hi", "text_fr": "Salut"}})"),
            "template 'u': unknown member 'text_fr'");
  // Marketing: the variant must say how to opt out too, with STOP or the Spanish ALTO.
  EXPECT_EQ(template_error(R"({"o": {"text": "{program}: 20% off. Reply STOP to opt out.",
                                   "category": "marketing", "text_es": "{program}: 20% menos."}})"),
            "template 'o': text_es: a marketing template must tell how to opt out (STOP or ALTO)");
  EXPECT_EQ(template_error(R"({"o": {"text": "{program}: 20% off. Reply STOP to opt out.",
                                   "category": "marketing",
                                   "text_es": "{program}: 20% menos. Responda ALTO para salir."}})"),
            "(accepted)");
  // The English text still needs STOP (ALTO alone is not an English opt-out instruction).
  EXPECT_EQ(
      template_error(R"({"o": {"text": "{program}: 20% off. ALTO.", "category": "marketing"}})"),
      "template 'o': a marketing template must tell how to opt out (STOP)");
}

TEST(NotifyRequest, SpanishVariantOverTheLengthLimitIsRefusedNamingIt) {
  const auto t = notify::parse_templates(R"({
    "note": {"text": "{program}: {text}", "text_es": "{program}: {text} {text}"}})");
  auto b = base();
  b["template"] = "note";
  b["variables"] = {{"text", std::string(900, 'x')}};
  const auto r = notify::parse_request(b.dump(), {&t, "Acme Dental", false});
  ASSERT_TRUE(std::holds_alternative<notify::FieldError>(r));
  const auto& e = std::get<notify::FieldError>(r);
  EXPECT_EQ(e.field, "variables");
  EXPECT_NE(e.message.find("Spanish text (text_es)"), std::string::npos) << e.message;
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
  n.language = "es";
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
  EXPECT_EQ(back->language, "es");
  n.language.clear();  // a raw body: no language attribute
  EXPECT_EQ(n.to_item().count("language"), 0u);
  n.status = common::consent::NotifyStatus::kSent;
  EXPECT_EQ(n.to_item().count("notify_due_at"), 0u);
  std::string error;
  EXPECT_FALSE(common::consent::Notification::from_item({}, &error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
