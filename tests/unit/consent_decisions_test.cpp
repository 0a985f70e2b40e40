// Consent decisions (docs/compliance.md): fail-closed sending (47 CFR 64.1200(a)(2), prior
// express consent), the earliest revocation starts the 10-business-day clock
// (47 CFR 64.1200(a)(10)), and an opt-in never overrides a newer opt-out.
#include <gtest/gtest.h>

#include "common/consent/contact.hpp"

namespace common::consent {
namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;

AttributeValue S(const char* s) { return AttributeValue::S(s); }

common::TimePoint at(const char* rfc3339) { return *common::parse_rfc3339(rfc3339); }

Contact opted_in() {
  return Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                         {"consent_status", S("opted_in")},
                                         {"opted_in_at", S("2026-01-05T10:00:00.000Z")},
                                         {"version", AttributeValue::N(3)}});
}

Contact opted_out(const char* when) {
  return Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                         {"consent_status", S("opted_out")},
                                         {"opted_out_at", S(when)},
                                         {"opt_out_pending", S("PENDING")},
                                         {"opt_out_deadline", S("2026-01-20T10:00:00.000Z")}});
}

TEST(ContactFromItem, ReadsStoredFields) {
  const Contact c = opted_out("2026-01-06T10:00:00.000Z");
  EXPECT_TRUE(c.exists);
  EXPECT_FALSE(c.unreadable);
  EXPECT_TRUE(c.opted_out());
  EXPECT_TRUE(c.opt_out_pending);
  EXPECT_FALSE(c.honored());
  EXPECT_EQ(c.opt_out_deadline, "2026-01-20T10:00:00.000Z");
  EXPECT_EQ(opted_in().version, 3);
  EXPECT_FALSE(Contact::from_item(std::nullopt).exists);
}

// Fail closed: only a readable, explicit, current opt-in allows a text.
TEST(MayReceive, OnlyReadableCurrentOptIn) {
  EXPECT_TRUE(may_receive(opted_in()).allowed);
  EXPECT_EQ(may_receive(opted_in()).reason, "opted_in");
  EXPECT_EQ(may_receive(Contact::from_item(std::nullopt)).reason, "no_contact");
  EXPECT_EQ(may_receive(opted_out("2026-01-06T10:00:00.000Z")).reason, "opted_out");
  // A number that only ever asked for HELP: known, but no consent.
  const Contact help_only =
      Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                      {"message_count_in", AttributeValue::N(1)}});
  EXPECT_FALSE(may_receive(help_only).allowed);
  EXPECT_EQ(may_receive(help_only).reason, "no_consent");
}

TEST(MayReceive, UnreadableOrInconsistentStateBlocks) {
  const Contact unknown_status = Contact::from_item(
      AttributeMap{{"phone_number", S("+14255550123")}, {"consent_status", S("maybe")}});
  EXPECT_TRUE(unknown_status.unreadable);
  EXPECT_EQ(may_receive(unknown_status).reason, "unreadable_state");

  const Contact wrong_type = Contact::from_item(
      AttributeMap{{"phone_number", S("+14255550123")}, {"consent_status", AttributeValue::N(1)}});
  EXPECT_EQ(may_receive(wrong_type).reason, "unreadable_state");

  const Contact bad_time =
      Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                      {"consent_status", S("opted_in")},
                                      {"opted_in_at", S("yesterday")}});
  EXPECT_EQ(may_receive(bad_time).reason, "unreadable_state");

  const Contact both = Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                                       {"consent_status", S("opted_in")},
                                                       {"opted_in_at", S("2026-01-05T10:00:00Z")},
                                                       {"opted_out_at", S("2026-01-06T10:00:00Z")}});
  EXPECT_FALSE(may_receive(both).allowed);
  EXPECT_EQ(may_receive(both).reason, "opt_out_recorded");
}

// 47 CFR 64.1200(a)(10): the clock runs from the first revocation received.
TEST(OptOutChange, EarliestRequestWins) {
  EXPECT_EQ(opt_out_change(opted_in(), at("2026-01-06T10:00:00Z")), OptOutChange::kNew);
  EXPECT_EQ(opt_out_change(Contact::from_item(std::nullopt), at("2026-01-06T10:00:00Z")),
            OptOutChange::kNew);
  const Contact c = opted_out("2026-01-06T10:00:00.000Z");
  EXPECT_EQ(opt_out_change(c, at("2026-01-06T09:59:59.999Z")), OptOutChange::kEarlier);
  EXPECT_EQ(opt_out_change(c, at("2026-01-06T10:00:00Z")), OptOutChange::kUnchanged);
  EXPECT_EQ(opt_out_change(c, at("2026-02-01T00:00:00Z")), OptOutChange::kUnchanged);
  EXPECT_EQ(opt_out_change(opted_out("garbage"), at("2026-02-01T00:00:00Z")),
            OptOutChange::kEarlier);
}

// An opt-in never overrides a newer opt-out (docs/compliance.md#unordered-messages).
TEST(OptInApplies, NeverOverANewerOptOut) {
  const Contact c = opted_out("2026-01-06T10:00:00.000Z");
  EXPECT_FALSE(opt_in_applies(c, at("2026-01-06T09:00:00Z")));
  EXPECT_TRUE(opt_in_applies(c, at("2026-01-06T10:00:00Z")));
  EXPECT_TRUE(opt_in_applies(c, at("2026-01-07T10:00:00Z")));
  EXPECT_TRUE(opt_in_applies(opted_in(), at("2020-01-01T00:00:00Z")));
  EXPECT_FALSE(opt_in_applies(opted_out("garbage"), at("2030-01-01T00:00:00Z")));
}


// Texts and channels are not ordered: an opt-out older than the current opt-in is superseded
// by that newer express consent (docs/compliance.md#unordered-messages), and never resets the
// state.
TEST(OptOutChange, OlderThanTheCurrentOptInIsStale) {
  EXPECT_EQ(opt_out_change(opted_in(), at("2026-01-05T09:59:59Z")), OptOutChange::kStale);
  EXPECT_EQ(opt_out_change(opted_in(), at("2026-01-05T10:00:00Z")), OptOutChange::kNew);
}

// docs/compliance.md#unordered-messages, compared with the latest opt-out request, not only the
// earliest one that sets the deadline: STOP at 10:00, STOP at 10:02, then a delayed START sent at
// 10:01 stays ignored.
TEST(OptInApplies, ComparedWithTheLatestOptOutRequest) {
  Contact c = opted_out("2026-01-06T10:00:00.000Z");
  c.opt_out_latest_request_at = "2026-01-06T10:02:00.000Z";
  EXPECT_EQ(c.latest_opt_out(), "2026-01-06T10:02:00.000Z");
  EXPECT_FALSE(opt_in_applies(c, at("2026-01-06T10:01:00Z")));
  EXPECT_TRUE(opt_in_applies(c, at("2026-01-06T10:02:00Z")));
}

// Items first written by a counter update carry no version: the store must tell them apart.
TEST(ContactFromItem, KnowsWhetherTheItemHasAVersion) {
  EXPECT_TRUE(opted_in().has_version);
  EXPECT_FALSE(opted_out("2026-01-06T10:00:00.000Z").has_version);
  EXPECT_FALSE(Contact::from_item(AttributeMap{{"phone_number", S("+14255550123")},
                                               {"message_count_in", AttributeValue::N(1)}})
                   .has_version);
}

}  // namespace
}  // namespace common::consent
