// The delivery-event rules of common/consent/delivery.hpp: which event's status stands on a
// message (SNS delivers at least once and out of order; AWS End User Messaging SMS User Guide,
// "Messaging events": carrier receipts may take up to 72 hours), which events flag the number.
#include "common/consent/delivery.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using common::aws::AttributeValue;
using common::consent::delivery_supersedes;
using common::consent::DeliveryEvent;
using common::consent::DeliveryState;

DeliveryEvent event(std::string type, bool is_final, std::int64_t at) {
  DeliveryEvent e;
  e.message_id = "m-1";
  e.event_type = std::move(type);
  e.is_final = is_final;
  e.event_timestamp_ms = at;
  return e;
}

DeliveryState standing(const DeliveryEvent& e) {
  DeliveryState s;
  s.has_status = true;
  s.event_type = e.event_type;
  s.is_final = e.is_final;
  s.event_timestamp_ms = e.event_timestamp_ms;
  return s;
}

// What stands after `events` arrive in that order.
std::string status_after(const std::vector<DeliveryEvent>& events) {
  DeliveryState s;
  for (const auto& e : events) {
    if (delivery_supersedes(s, e)) s = standing(e);
  }
  return s.event_type;
}

TEST(DeliveryEvents, FirstEventStands) {
  EXPECT_TRUE(delivery_supersedes(DeliveryState{}, event("TEXT_SUCCESSFUL", false, 10)));
}

TEST(DeliveryEvents, FinalAfterNonFinalReplacesIt) {
  EXPECT_TRUE(delivery_supersedes(standing(event("TEXT_SUCCESSFUL", false, 10)),
                                  event("TEXT_DELIVERED", true, 20)));
}

TEST(DeliveryEvents, NonFinalNeverReplacesFinalEvenWhenLater) {
  // A carrier's late intermediate status (or a reordered SNS delivery) after the final one.
  EXPECT_FALSE(delivery_supersedes(standing(event("TEXT_DELIVERED", true, 20)),
                                   event("TEXT_SUCCESSFUL", false, 10)));
  EXPECT_FALSE(delivery_supersedes(standing(event("TEXT_DELIVERED", true, 20)),
                                   event("TEXT_PENDING", false, 30)));
}

TEST(DeliveryEvents, FinalBeatsNonFinalEvenWhenEarlier) {
  EXPECT_TRUE(delivery_supersedes(standing(event("TEXT_PENDING", false, 30)),
                                  event("TEXT_DELIVERED", true, 20)));
}

TEST(DeliveryEvents, AmongEqualFinalityTheLaterWins) {
  // AWS's example shows a final TEXT_SUCCESSFUL (countries without delivery receipts); a later
  // final TEXT_DELIVERED then replaces it, an earlier one does not.
  EXPECT_TRUE(delivery_supersedes(standing(event("TEXT_SUCCESSFUL", true, 10)),
                                  event("TEXT_DELIVERED", true, 20)));
  EXPECT_FALSE(delivery_supersedes(standing(event("TEXT_DELIVERED", true, 20)),
                                   event("TEXT_SUCCESSFUL", true, 10)));
  EXPECT_TRUE(delivery_supersedes(standing(event("TEXT_QUEUED", false, 10)),
                                  event("TEXT_PENDING", false, 11)));
  EXPECT_FALSE(delivery_supersedes(standing(event("TEXT_PENDING", false, 11)),
                                   event("TEXT_QUEUED", false, 10)));
}

TEST(DeliveryEvents, ARedeliveryNeverReplacesItself) {
  const auto e = event("TEXT_DELIVERED", true, 20);
  EXPECT_FALSE(delivery_supersedes(standing(e), e));
}

TEST(DeliveryEvents, EveryArrivalOrderEndsInTheSameStatus) {
  // Includes a tie: two different events at the same millisecond.
  std::vector<DeliveryEvent> events = {
      event("TEXT_QUEUED", false, 5), event("TEXT_SUCCESSFUL", false, 10),
      event("TEXT_PENDING", false, 10), event("TEXT_DELIVERED", true, 20),
      event("TEXT_SUCCESSFUL", true, 15)};
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.event_type + std::to_string(a.event_timestamp_ms) <
           b.event_type + std::to_string(b.event_timestamp_ms);
  });
  int orders = 0;
  do {
    EXPECT_EQ(status_after(events), "TEXT_DELIVERED");
    ++orders;
  } while (std::next_permutation(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.event_type + std::to_string(a.event_timestamp_ms) <
           b.event_type + std::to_string(b.event_timestamp_ms);
  }));
  EXPECT_EQ(orders, 120);
}

TEST(DeliveryEvents, KeyNamesTypeAndTime) {
  EXPECT_EQ(event("TEXT_DELIVERED", true, 1686975103470).key(), "TEXT_DELIVERED@1686975103470");
}

TEST(DeliveryEvents, StateReadsTheItemAndToleratesStrayTypes) {
  common::aws::AttributeMap item = {
      {"delivery_status", AttributeValue::S("TEXT_DELIVERED")},
      {"delivery_final", AttributeValue::Bool(true)},
      {"delivery_event_at", AttributeValue::N(std::int64_t{20})},
      {"delivery_event_keys", AttributeValue::SS({"TEXT_SUCCESSFUL@10", "TEXT_DELIVERED@20"})},
      {"delivery_event_count", AttributeValue::N(std::int64_t{2})},
      {"delivery_events", AttributeValue::L({AttributeValue::M({}), AttributeValue::M({})})}};
  const DeliveryState s = DeliveryState::from_item(item);
  EXPECT_TRUE(s.has_status);
  EXPECT_EQ(s.event_type, "TEXT_DELIVERED");
  EXPECT_TRUE(s.is_final);
  EXPECT_EQ(s.event_timestamp_ms, 20);
  EXPECT_TRUE(s.seen("TEXT_SUCCESSFUL@10"));
  EXPECT_FALSE(s.seen("TEXT_SUCCESSFUL@11"));
  EXPECT_EQ(s.count, 2);
  EXPECT_EQ(s.history.size(), 2u);

  item["delivery_events"] = AttributeValue::S("not a list");
  item["delivery_event_keys"] = AttributeValue::S("not a set");
  const DeliveryState stray = DeliveryState::from_item(item);
  EXPECT_TRUE(stray.history.empty());
  EXPECT_TRUE(stray.keys.empty());
  EXPECT_FALSE(DeliveryState::from_item({}).has_status);
}

TEST(DeliveryEvents, CarrierBlocksAndSpamFlagTheContact) {
  // AWS End User Messaging SMS User Guide, "Event types for SMS, MMS, and voice".
  for (const char* type :
       {"TEXT_BLOCKED", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_PROTECT_BLOCKED"}) {
    EXPECT_TRUE(common::consent::is_carrier_block(type)) << type;
  }
  for (const char* type :
       {"TEXT_DELIVERED", "TEXT_SUCCESSFUL", "TEXT_CARRIER_UNREACHABLE", "TEXT_UNREACHABLE",
        "TEXT_INVALID", "TEXT_UNKNOWN", "TEXT_TTL_EXPIRED"}) {
    EXPECT_FALSE(common::consent::is_carrier_block(type)) << type;
  }
  EXPECT_TRUE(common::consent::is_delivered("TEXT_DELIVERED"));
  EXPECT_TRUE(common::consent::is_delivered("TEXT_SUCCESSFUL"));
  EXPECT_FALSE(common::consent::is_delivered("TEXT_PENDING"));
}

}  // namespace
