// ConsentStore::record_delivery_event against the local stack (dynalite), through the wire proxy
// so every call is counted at the wire: events duplicated, reordered (final then non-final and
// the reverse), for an unknown message, carrier blocks on the contact, the bounded history, the
// direct path by the key in Context, and a crash between the two writes of a block.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"
#include "tests/integration/consent_test_support.hpp"
#include "tests/integration/wire_proxy.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::get_int;
using common::aws::get_s;
using common::consent::ConsentStore;
using common::consent::DeliveryEvent;
using common::consent::DeliveryOutcome;
using consent_test::Stack;
using test_support::fresh_id;
using test_support::fresh_number;

class DeliveryStore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.up()) << "local stack env file missing: is the local_stack fixture up?";
    proxy_ = std::make_unique<wire_proxy::WireProxy>(
        stack_.env("AWS_ENDPOINT_URL_DYNAMODB"),
        stack_.env("AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2"));
    auto env = common::aws::Environment::from_map({{"AWS_REGION", stack_.env("AWS_REGION")},
                                                   {"AWS_ACCESS_KEY_ID", "local"},
                                                   {"AWS_SECRET_ACCESS_KEY", "local"},
                                                   {"AWS_ENDPOINT_URL_DYNAMODB", proxy_->url()},
                                                   {"AWS_MAX_ATTEMPTS", "1"}});
    db_ = std::make_unique<common::aws::DynamoDbClient>(
        common::aws::client_config_from_environment(common::aws::kDynamoDb, env));
    store_ = std::make_unique<ConsentStore>(
        *db_,
        common::consent::Tables{stack_.env("CONTACTS_TABLE"), stack_.env("MESSAGE_LOG_TABLE")});
  }

  // An outbound text to a fresh number, logged as the functions log it; returns its sort key.
  std::string sent_text(const std::string& phone, const std::string& message_id) {
    common::consent::OutboundRecord r;
    r.phone_number = phone;
    r.kind = "reply";
    r.body = "Acme Dental: reply HELP for help";
    r.message_id = message_id;
    r.origination_identity = "+12065550100";
    r.sent_at = common::now_ms();
    common::consent::LogWrites writes;
    writes.outbound.push_back(r);
    ConsentStore(stack_.db(), {stack_.env("CONTACTS_TABLE"), stack_.env("MESSAGE_LOG_TABLE")})
        .write_log(writes);
    return r.message_ref();
  }

  AttributeMap item(const std::string& phone, const std::string& sk) {
    auto found =
        stack_.db()
            .get_item({stack_.env("MESSAGE_LOG_TABLE"),
                       {{"phone_number", AttributeValue::S(phone)}, {"sk", AttributeValue::S(sk)}},
                       true})
            .value();
    return found.value_or(AttributeMap{});
  }

  // Records `e` through the proxy; the calls it made are left in calls_.
  common::consent::DeliveryRecorded record(const DeliveryEvent& e) {
    proxy_->reset();
    auto out = store_->record_delivery_event(e);
    calls_ = proxy_->operations();
    return out;
  }

  Stack stack_;
  std::unique_ptr<wire_proxy::WireProxy> proxy_;
  std::unique_ptr<common::aws::DynamoDbClient> db_;
  std::unique_ptr<ConsentStore> store_;
  std::vector<std::string> calls_;
};

using Calls = std::vector<std::string>;

DeliveryEvent event(const std::string& message_id, const std::string& phone, std::string type,
                    bool is_final, std::int64_t at) {
  DeliveryEvent e;
  e.message_id = message_id;
  e.destination_phone_number = phone;
  e.message_status = type.substr(5);
  e.message_status_description = "description of " + type;
  e.event_type = std::move(type);
  e.is_final = is_final;
  e.event_timestamp_ms = at;
  e.total_message_parts = 1;
  e.total_message_price = "0.00581";
  e.total_carrier_fee = is_final ? "0.00302" : "0.0";
  return e;
}

std::vector<std::string> history_types(const AttributeMap& item) {
  std::vector<std::string> out;
  auto it = item.find("delivery_events");
  if (it == item.end() || it->second.as_list() == nullptr) return out;
  for (const auto& entry : *it->second.as_list()) {
    out.push_back(entry.as_map() ? get_s(*entry.as_map(), "event_type").value_or("?") : "?");
  }
  return out;
}

constexpr std::int64_t kT0 = 1767261600000;  // 2026-01-01T10:00:00Z

TEST_F(DeliveryStore, SuccessfulThenDeliveredEndsDeliveredInOneWriteEach) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  auto first = record(event(id, phone, "TEXT_SUCCESSFUL", false, kT0 + 300));
  EXPECT_EQ(first.outcome, DeliveryOutcome::kApplied);
  EXPECT_EQ(first.phone_number, phone);
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem"}));
  EXPECT_FALSE(first.became_final);
  auto second = record(event(id, phone, "TEXT_DELIVERED", true, kT0 + 1200));
  EXPECT_EQ(second.outcome, DeliveryOutcome::kApplied);
  EXPECT_TRUE(second.became_final);
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem"}));
  EXPECT_FALSE(second.contact_flagged);

  const auto stored = item(phone, sk);
  EXPECT_EQ(get_s(stored, "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(get_s(stored, "delivery_message_status"), "DELIVERED");
  EXPECT_EQ(get_s(stored, "delivery_status_description"), "description of TEXT_DELIVERED");
  EXPECT_EQ(stored.at("delivery_final").as_bool(), true);
  EXPECT_EQ(get_int(stored, "delivery_event_at"), kT0 + 1200);
  EXPECT_EQ(get_int(stored, "delivery_parts"), 1);
  EXPECT_EQ(*stored.at("delivery_price").scalar(), "0.00581");
  EXPECT_EQ(*stored.at("delivery_carrier_fee").scalar(), "0.00302");
  EXPECT_EQ(history_types(stored), (std::vector<std::string>{"TEXT_SUCCESSFUL", "TEXT_DELIVERED"}));
  EXPECT_EQ(get_int(stored, "delivery_event_count"), 2);
  EXPECT_EQ(get_s(stored, "status"), "sent") << "the send's own record is untouched";
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone)) << "no contact written";
}

TEST_F(DeliveryStore, DuplicateChangesNothing) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  const auto successful = event(id, phone, "TEXT_SUCCESSFUL", false, kT0 + 300);
  const auto delivered = event(id, phone, "TEXT_DELIVERED", true, kT0 + 1200);
  record(successful);
  record(delivered);
  const auto before = item(phone, sk);
  const auto again = record(delivered);
  EXPECT_EQ(again.outcome, DeliveryOutcome::kDuplicate) << "the standing event again";
  EXPECT_FALSE(again.became_final);
  // dynalite answers a failed condition without the item, so the store reads it; DynamoDB
  // returns it (ReturnValuesOnConditionCheckFailure) and the GetItem is not made.
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem", "GetItem"}));
  EXPECT_EQ(record(successful).outcome, DeliveryOutcome::kDuplicate) << "an older event again";
  EXPECT_EQ(item(phone, sk), before);
}

TEST_F(DeliveryStore, FinalThenNonFinalKeepsTheFinalStatus) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  const auto final_first = record(event(id, phone, "TEXT_DELIVERED", true, kT0 + 1200));
  EXPECT_EQ(final_first.outcome, DeliveryOutcome::kApplied);
  EXPECT_TRUE(final_first.became_final);
  EXPECT_EQ(record(event(id, phone, "TEXT_SUCCESSFUL", false, kT0 + 300)).outcome,
            DeliveryOutcome::kHistoryOnly);
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem", "GetItem", "UpdateItem"}));
  // A non-final event later than the final one does not replace it either.
  EXPECT_EQ(record(event(id, phone, "TEXT_PENDING", false, kT0 + 5000)).outcome,
            DeliveryOutcome::kHistoryOnly);
  const auto stored = item(phone, sk);
  EXPECT_EQ(get_s(stored, "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(stored.at("delivery_final").as_bool(), true);
  EXPECT_EQ(get_int(stored, "delivery_event_at"), kT0 + 1200);
  EXPECT_EQ(*stored.at("delivery_carrier_fee").scalar(), "0.00302");
  EXPECT_EQ(history_types(stored),
            (std::vector<std::string>{"TEXT_DELIVERED", "TEXT_SUCCESSFUL", "TEXT_PENDING"}));
}

TEST_F(DeliveryStore, NonFinalThenFinalEndsFinalWhateverTheTimes) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  // The final event carries an earlier time than the intermediate one: final still wins.
  record(event(id, phone, "TEXT_PENDING", false, kT0 + 2000));
  EXPECT_EQ(record(event(id, phone, "TEXT_CARRIER_UNREACHABLE", true, kT0 + 1500)).outcome,
            DeliveryOutcome::kApplied);
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem"}));
  const auto stored = item(phone, sk);
  EXPECT_EQ(get_s(stored, "delivery_status"), "TEXT_CARRIER_UNREACHABLE");
  EXPECT_EQ(stored.at("delivery_final").as_bool(), true);
}

TEST_F(DeliveryStore, BothArrivalOrdersOfTwoFinalEventsAgree) {
  // AWS's example shows a final TEXT_SUCCESSFUL; a final TEXT_DELIVERED after it is the later one.
  for (bool reversed : {false, true}) {
    const std::string phone = fresh_number(), id = fresh_id("msg");
    const std::string sk = sent_text(phone, id);
    std::vector<DeliveryEvent> events = {event(id, phone, "TEXT_SUCCESSFUL", true, kT0 + 300),
                                         event(id, phone, "TEXT_DELIVERED", true, kT0 + 1200)};
    if (reversed) std::swap(events[0], events[1]);
    int became_final = 0;
    for (const auto& e : events) became_final += record(e).became_final ? 1 : 0;
    EXPECT_EQ(became_final, 1) << "the message counted once, " << reversed;
    EXPECT_EQ(get_s(item(phone, sk), "delivery_status"), "TEXT_DELIVERED") << reversed;
  }
}

TEST_F(DeliveryStore, UnknownMessageIsReportedAndWritesNothing) {
  const std::string phone = fresh_number(), id = fresh_id("unknown");
  const auto out = record(event(id, phone, "TEXT_SPAM", true, kT0));
  EXPECT_EQ(out.outcome, DeliveryOutcome::kUnknownMessage);
  EXPECT_TRUE(out.phone_number.empty());
  EXPECT_FALSE(out.contact_flagged);
  EXPECT_EQ(calls_, (Calls{"Query"}));
  EXPECT_TRUE(stack_.log_items(phone, "outbound").empty());
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone));
}

TEST_F(DeliveryStore, CarrierBlockIsRecordedOnTheContactOncePerMessage) {
  const std::string phone = fresh_number();
  const std::string first_id = fresh_id("msg"), second_id = fresh_id("msg");
  const std::string sk = sent_text(phone, first_id);
  sent_text(phone, second_id);
  const auto spam = event(first_id, phone, "TEXT_SPAM", true, kT0 + 400);
  auto out = record(spam);
  EXPECT_EQ(out.outcome, DeliveryOutcome::kApplied);
  EXPECT_TRUE(out.contact_flagged);
  EXPECT_EQ(calls_, (Calls{"Query", "UpdateItem", "UpdateItem"}));
  auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
  ASSERT_TRUE(contact);
  EXPECT_EQ(get_s(*contact, "delivery_block_last_type"), "TEXT_SPAM");
  EXPECT_EQ(get_s(*contact, "delivery_block_last_at"), "2026-01-01T10:00:00.400Z");
  EXPECT_EQ(get_s(*contact, "delivery_block_last_message_id"), first_id);
  EXPECT_EQ(get_int(*contact, "delivery_block_count"), 1);
  EXPECT_EQ(get_int(*contact, "version"), 1) << "moves the optimistic-concurrency counter";
  EXPECT_EQ(get_s(item(phone, sk), "delivery_status"), "TEXT_SPAM");

  // The redelivery changes neither the message nor the contact.
  out = record(spam);
  EXPECT_EQ(out.outcome, DeliveryOutcome::kDuplicate);
  EXPECT_FALSE(out.contact_flagged);
  EXPECT_EQ(get_int(*stack_.item(stack_.env("CONTACTS_TABLE"), phone), "delivery_block_count"), 1);

  // Another message blocked by the carrier counts once more.
  out = record(event(second_id, phone, "TEXT_CARRIER_BLOCKED", true, kT0 + 9000));
  EXPECT_TRUE(out.contact_flagged);
  contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
  EXPECT_EQ(get_int(*contact, "delivery_block_count"), 2);
  EXPECT_EQ(get_s(*contact, "delivery_block_last_type"), "TEXT_CARRIER_BLOCKED");
  const auto* ids = contact->at("delivery_block_message_ids").as_set();
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->size(), 2u);
}

TEST_F(DeliveryStore, CrashBetweenMessageAndContactIsFinishedByTheRedelivery) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  const auto blocked = event(id, phone, "TEXT_BLOCKED", true, kT0 + 400);
  // The message's UpdateItem takes effect, its answer and everything after it are lost.
  proxy_->cut_after(2);
  EXPECT_ANY_THROW(store_->record_delivery_event(blocked));
  EXPECT_EQ(get_s(item(phone, sk), "delivery_status"), "TEXT_BLOCKED");
  EXPECT_FALSE(stack_.item(stack_.env("CONTACTS_TABLE"), phone));
  auto out = record(blocked);
  EXPECT_EQ(out.outcome, DeliveryOutcome::kDuplicate);
  EXPECT_TRUE(out.contact_flagged);
  auto contact = stack_.item(stack_.env("CONTACTS_TABLE"), phone);
  ASSERT_TRUE(contact);
  EXPECT_EQ(get_s(*contact, "delivery_block_last_type"), "TEXT_BLOCKED");
  EXPECT_EQ(get_int(*contact, "delivery_block_count"), 1);
}

TEST_F(DeliveryStore, HistoryKeepsTheLastTenAndEveryKey) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(record(event(id, phone, "TEXT_PENDING", false, kT0 + i)).outcome,
              DeliveryOutcome::kApplied)
        << i;
  }
  // Past the fast path's room: the read-decide-write makes the status final, once.
  EXPECT_TRUE(record(event(id, phone, "TEXT_DELIVERED", true, kT0 + 20)).became_final);
  EXPECT_FALSE(record(event(id, phone, "TEXT_DELIVERED", true, kT0 + 21)).became_final);
  EXPECT_EQ(get_s(item(phone, sk), "delivery_status"), "TEXT_DELIVERED");
  auto stored = item(phone, sk);
  EXPECT_EQ(history_types(stored).size(), common::consent::kDeliveryHistory);
  const auto& last = *stored.at("delivery_events").as_list()->back().as_map();
  EXPECT_EQ(get_int(last, "event_at"), kT0 + 21);
  const auto& oldest = *stored.at("delivery_events").as_list()->front().as_map();
  EXPECT_EQ(get_int(oldest, "event_at"), kT0 + 4);
  EXPECT_EQ(get_int(stored, "delivery_event_count"), 14);
  EXPECT_EQ(stored.at("delivery_event_keys").as_set()->size(), 14u);
  EXPECT_EQ(get_int(stored, "delivery_event_at"), kT0 + 21);
  // An event dropped from the history is still known as recorded.
  EXPECT_EQ(record(event(id, phone, "TEXT_PENDING", false, kT0)).outcome,
            DeliveryOutcome::kDuplicate);
}

TEST_F(DeliveryStore, KeyInContextSavesTheQuery) {
  const std::string phone = fresh_number(), id = fresh_id("msg");
  const std::string sk = sent_text(phone, id);
  auto e = event(id, phone, "TEXT_DELIVERED", true, kT0 + 1200);
  e.message_ref = sk;
  EXPECT_EQ(record(e).outcome, DeliveryOutcome::kApplied);
  EXPECT_EQ(calls_, (Calls{"UpdateItem"}));
  EXPECT_EQ(get_s(item(phone, sk), "delivery_status"), "TEXT_DELIVERED");

  // A key that is not this message's (another message, or none at all) falls back to the index.
  const std::string other_id = fresh_id("msg");
  const std::string other_sk = sent_text(phone, other_id);
  auto wrong = event(other_id, phone, "TEXT_DELIVERED", true, kT0 + 1300);
  wrong.message_ref = sk;
  EXPECT_EQ(record(wrong).outcome, DeliveryOutcome::kApplied);
  EXPECT_EQ(calls_, (Calls{"UpdateItem", "GetItem", "Query", "UpdateItem"}));
  EXPECT_EQ(get_s(item(phone, other_sk), "delivery_status"), "TEXT_DELIVERED");
  EXPECT_EQ(get_int(item(phone, sk), "delivery_event_at"), kT0 + 1200)
      << "the other item untouched";
  wrong.message_ref = "2026-01-01T00:00:00.000Z#out#nothing-here";
  wrong.event_timestamp_ms += 1;
  EXPECT_EQ(record(wrong).outcome, DeliveryOutcome::kApplied);
  EXPECT_FALSE(stack_.db()
                   .get_item({stack_.env("MESSAGE_LOG_TABLE"),
                              {{"phone_number", AttributeValue::S(phone)},
                               {"sk", AttributeValue::S(wrong.message_ref)}},
                              true})
                   .value())
      << "no item created at a made-up key";
}

}  // namespace
