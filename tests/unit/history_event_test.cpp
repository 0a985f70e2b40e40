// Message-log items as history events (common/consent/history.hpp history_event): the shapes
// the audit reads, from items as the store writes them; odd attribute types are left out.
#include "common/consent/history.hpp"

#include <gtest/gtest.h>

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using V = common::aws::AttributeValue;

TEST(HistoryEvent, AnOptOutCarriesItsChannelRuleAndDeadline) {
  const AttributeMap item = {{"phone_number", V::S("+12065550123")},
                             {"sk", V::S("2026-11-03T15:00:00.000Z#consent#in-1")},
                             {"direction", V::S("consent")},
                             {"event", V::S("opt_out")},
                             {"occurred_at", V::S("2026-11-03T15:00:00.000Z")},
                             {"channel", V::S("sms")},
                             {"method", V::S("sms_keyword")},
                             {"rule", V::S("keyword:ALTO")},
                             {"change", V::S("new")},
                             {"deadline", V::S("2026-11-17T15:00:00.000Z")},
                             {"opt_out_day", V::S("2026-11-03")}};
  const auto e = history_event(item);
  EXPECT_EQ(e["type"], "opt_out");
  EXPECT_EQ(e["at"], "2026-11-03T15:00:00.000Z");
  EXPECT_EQ(e["id"], "2026-11-03T15:00:00.000Z#consent#in-1");
  EXPECT_EQ(e["requested_at"], "2026-11-03T15:00:00.000Z");
  EXPECT_EQ(e["rule"], "keyword:ALTO");
  EXPECT_EQ(e["deadline"], "2026-11-17T15:00:00.000Z");
  EXPECT_FALSE(e.contains("opt_out_day")) << "index keys are not evidence";
  EXPECT_FALSE(e.contains("phone_number"));
}

TEST(HistoryEvent, AnHonourSaysWhenAndWhetherInTime) {
  const AttributeMap item = {
      {"sk", V::S("2026-11-03T15:00:01.000Z#honor#2026-11-03T15:00:00.000Z")},
      {"direction", V::S("honor")},
      {"event", V::S("opt_out_honored")},
      {"occurred_at", V::S("2026-11-03T15:00:01.000Z")},
      {"requested_at", V::S("2026-11-03T15:00:00.000Z")},
      {"business_days", V::N(std::int64_t{0})},
      {"within_deadline", V::Bool(true)},
      {"honored_by", V::S("sms-inbound")}};
  const auto e = history_event(item);
  EXPECT_EQ(e["type"], "opt_out_honored");
  EXPECT_EQ(e["honored_at"], "2026-11-03T15:00:01.000Z");
  EXPECT_EQ(e["requested_at"], "2026-11-03T15:00:00.000Z");
  EXPECT_EQ(e["business_days"], 0);
  EXPECT_EQ(e["within_deadline"], true);
  EXPECT_EQ(e["by"], "sms-inbound");
}

TEST(HistoryEvent, AnOutboundTextCarriesItsDeliveryEventsInTimeOrder) {
  const auto entry = [](const char* type, std::int64_t ms) {
    return V::M({{"event_type", V::S(type)}, {"event_at", V::N(ms)}, {"final", V::Bool(false)}});
  };
  const AttributeMap item = {{"sk", V::S("2026-11-03T15:00:00.000Z#out#m-1")},
                             {"direction", V::S("outbound")},
                             {"kind", V::S("reminder")},
                             {"status", V::S("sent")},
                             {"message_body", V::S("Acme: see you <b>soon</b>")},
                             {"sent_at", V::S("2026-11-03T15:00:00.020Z")},
                             {"delivery_status", V::S("TEXT_DELIVERED")},
                             {"delivery_final", V::Bool(true)},
                             // By arrival: the delivered event came first.
                             {"delivery_events", V::L({entry("TEXT_DELIVERED", 1793718003000),
                                                       entry("TEXT_SUCCESSFUL", 1793718001000)})}};
  const auto e = history_event(item);
  EXPECT_EQ(e["type"], "outbound");
  EXPECT_EQ(e["at"], "2026-11-03T15:00:00.000Z") << "ordered by its key's time";
  EXPECT_EQ(e["sent_at"], "2026-11-03T15:00:00.020Z");
  EXPECT_EQ(e["body"], "Acme: see you <b>soon</b>") << "bodies are data; the reader escapes";
  EXPECT_EQ(e["delivery"]["status"], "TEXT_DELIVERED");
  EXPECT_EQ(e["delivery"]["final"], true);
  ASSERT_EQ(e["delivery"]["events"].size(), 2u);
  EXPECT_EQ(e["delivery"]["events"][0]["status"], "TEXT_SUCCESSFUL");
  EXPECT_EQ(e["delivery"]["events"][0]["at"], "2026-11-03T15:00:01.000Z");
}

TEST(HistoryEvent, ANotifyRequestIsPlacedByNotifyAt) {
  const AttributeMap item = {{"sk", V::S("notify#order-1")},
                             {"direction", V::S("outbound")},
                             {"kind", V::S("notify")},
                             {"status", V::S("deferred")},
                             {"reason", V::S("quiet_hours")},
                             {"send_at", V::S("2026-11-04T16:00:00.000Z")},
                             {"notify_at", V::S("2026-11-04T03:00:00.000Z")}};
  const auto e = history_event(item);
  EXPECT_EQ(e["at"], "2026-11-04T03:00:00.000Z");
  EXPECT_EQ(e["status"], "deferred");
  EXPECT_EQ(e["reason"], "quiet_hours");
  EXPECT_EQ(e["send_at"], "2026-11-04T16:00:00.000Z");
}

TEST(HistoryEvent, AttributesOfAnUnexpectedTypeAreLeftOut) {
  const AttributeMap item = {{"sk", V::N(std::int64_t{7})},
                             {"direction", V::S("blocked")},
                             {"kind", V::L({})},
                             {"reason", V::S("no_consent")},
                             {"message_body", V::SS({"a"})}};
  const auto e = history_event(item);
  EXPECT_EQ(e["type"], "blocked");
  EXPECT_EQ(e["id"], "");
  EXPECT_EQ(e["reason"], "no_consent");
  EXPECT_FALSE(e.contains("kind"));
  EXPECT_FALSE(e.contains("body"));
}

}  // namespace
}  // namespace common::consent
