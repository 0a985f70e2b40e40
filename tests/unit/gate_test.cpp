// The send gate (common/consent/gate): where a recipient may be, consent per category (47 CFR
// 64.1200(a)(2), (f)(9) for marketing), and quiet hours as send / defer / block. Fixed instants.
#include "common/consent/gate.hpp"

#include <gtest/gtest.h>

namespace {

using common::consent::Category;
using common::consent::check_send;
using common::consent::Contact;
using common::consent::GateDecision;
using common::consent::has_written_marketing_consent;
using common::consent::locate_recipient;
using Verdict = GateDecision::Verdict;

common::TimePoint at(const char* text) { return *common::parse_rfc3339(text); }

Contact opted_in(std::string method = "web_form", std::string disclosure = "terms-v3") {
  Contact c;
  c.exists = true;
  c.phone_number = "+13055550123";
  c.consent_status = std::string(common::consent::kOptedIn);
  c.opted_in_at = "2026-01-05T15:00:00.000Z";
  c.opt_in_method = std::move(method);
  c.opt_in_disclosure_version = std::move(disclosure);
  return c;
}

TEST(Gate, LocatesByContactZoneThenHintThenAreaCodeThenEveryUsZone) {
  const auto contact = locate_recipient("+13055550123", "America/Chicago", "America/Denver");
  EXPECT_EQ(contact.state, "FL");
  EXPECT_EQ(contact.zone_basis, "contact");
  EXPECT_EQ(contact.basis, "FL@America/Chicago");
  const auto hint = locate_recipient("+13055550123", "", "America/Denver", "appointment");
  EXPECT_EQ(hint.zone_basis, "appointment");
  EXPECT_EQ(hint.basis, "FL@America/Denver");
  const auto area = locate_recipient("+18505550123", "", "");
  EXPECT_EQ(area.zone_basis, "area_code");
  EXPECT_EQ(area.basis, "FL@America/Chicago,America/New_York");
  const auto canada = locate_recipient("+14165550123", "", "");
  EXPECT_EQ(canada.state, "");
  EXPECT_TRUE(canada.zone_unknown());
  EXPECT_EQ(canada.places.size(), 8u);
  EXPECT_EQ(canada.basis, "any_state(unknown_area_code)@every_us_zone");
  const auto uk = locate_recipient("+442071234567", "", "");
  EXPECT_EQ(uk.basis, "any_state(not_nanp)@every_us_zone");
}

// A stored zone that is not embedded: every US zone for an unknown state; kept (and failing
// closed later) for a known one.
TEST(Gate, ZoneNotEmbeddedCountsAsNoZoneOnlyForAnUnknownState) {
  const auto canada = locate_recipient("+14165550123", "America/Toronto", "");
  EXPECT_EQ(canada.zone_basis, "every_us_zone(unknown_zone:America/Toronto)");
  EXPECT_TRUE(canada.zone_unknown());
  const auto florida = locate_recipient("+13055550123", "Europe/Paris", "");
  EXPECT_EQ(florida.basis, "FL@Europe/Paris");
  const auto d = check_send(opted_in(), Category::kTransactional, florida,
                            at("2026-11-17T17:00:00Z"), {});
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(d.reason, "unknown_time_zone:Europe/Paris");
}

// 47 CFR 64.1200(a)(2), (f)(9): marketing needs written consent whose disclosure names marketing.
TEST(Gate, MarketingNeedsWrittenConsentNamingMarketing_47CFR64_1200a2) {
  EXPECT_TRUE(has_written_marketing_consent(opted_in("web_form", "Marketing-Terms-v2")));
  EXPECT_TRUE(has_written_marketing_consent(opted_in("sms_keyword", "sms-marketing-2026")));
  EXPECT_FALSE(has_written_marketing_consent(opted_in("verbal", "marketing-v2")));
  EXPECT_FALSE(has_written_marketing_consent(opted_in("web_form", "appointments-v1")));
  EXPECT_FALSE(has_written_marketing_consent(opted_in("", "marketing-v2")));
  Contact out = opted_in("web_form", "marketing-v2");
  out.opted_out_at = "2026-02-01T00:00:00.000Z";
  EXPECT_FALSE(has_written_marketing_consent(out));

  const auto where = locate_recipient("+12125550123", "", "");
  const auto noon = at("2026-11-17T17:00:00Z");  // Tuesday 12:00 EST
  const auto transactional_only = opted_in("web_form", "appointments-v1");
  EXPECT_EQ(check_send(transactional_only, Category::kTransactional, where, noon, {}).verdict,
            Verdict::kSend);
  const auto refused = check_send(transactional_only, Category::kMarketing, where, noon, {});
  EXPECT_EQ(refused.verdict, Verdict::kBlock);
  EXPECT_EQ(refused.reason, "no_written_consent");
  EXPECT_EQ(check_send(opted_in("web_form", "marketing-v2"), Category::kMarketing, where, noon, {})
                .verdict,
            Verdict::kSend);
}

TEST(Gate, ConsentFailsClosedBeforeQuietHours) {
  const auto where = locate_recipient("+12125550123", "", "");
  Contact none;
  EXPECT_EQ(check_send(none, Category::kTransactional, where, at("2026-11-17T17:00:00Z"), {}).reason,
            "no_contact");
  Contact out = opted_in();
  out.consent_status = std::string(common::consent::kOptedOut);
  out.opted_out_at = "2026-02-01T00:00:00.000Z";
  // At night too: the consent reason wins, so nothing is deferred for a number opted out.
  const auto d = check_send(out, Category::kTransactional, where, at("2026-11-18T04:00:00Z"), {});
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(d.reason, "opted_out");
}

TEST(Gate, OutsideTheWindowDefersToItsOpening) {
  const auto where = locate_recipient("+13055550123", "", "");  // FL, 08-20
  const auto d = check_send(opted_in(), Category::kTransactional, where,
                            at("2026-11-18T01:30:00Z"), {});  // Tue 20:30 EST
  EXPECT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_EQ(d.reason, "quiet_hours:America/New_York:FL");
  EXPECT_EQ(d.rule, "Fla. Stat. 501.616(6)(a)");
  ASSERT_TRUE(d.send_at);
  EXPECT_EQ(*d.send_at, at("2026-11-18T13:00:00Z"));  // Wed 08:00 EST
  // A declared emergency has no computable end: blocked, with the rule named.
  const auto la = locate_recipient("+15045550123", "", "");
  const auto e = check_send(opted_in(), Category::kTransactional, la, at("2026-11-17T18:00:00Z"),
                            common::compliance::QuietHoursOptions{{"LA"}});
  EXPECT_EQ(e.verdict, Verdict::kBlock);
  EXPECT_EQ(e.rule, "emergency: La. R.S. 45:844.31");
}

// Frequency caps (Fla. Stat. 501.616(6)(b) and the MD, OK, OR rows): at most 3 marketing texts
// in any 24 hours; the 4th waits until the oldest of the 3 leaves the window. Transactional
// texts and states without a cap are not counted; an unknown state gets the strictest cap.
TEST(Gate, MarketingOverTheStateCapWaitsUntilAPlaceFreesUp) {
  Contact c = opted_in("web_form", "terms-v3-marketing");
  const auto now = at("2026-12-01T16:00:00Z");  // 11:00 in Miami
  c.marketing_sent_at = {at("2026-11-30T15:00:00Z"), at("2026-11-30T18:00:00Z"),
                         at("2026-12-01T14:00:00Z"), at("2026-12-01T15:00:00Z")};
  const auto florida = locate_recipient("+13055550123", "", "");
  // 3 in the last 24 hours (the first one left the window at 15:00).
  auto d = check_send(c, Category::kMarketing, florida, now, {});
  EXPECT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_EQ(d.reason, "frequency_cap");
  EXPECT_EQ(d.rule, "Fla. Stat. 501.616(6)(b)");
  EXPECT_EQ(d.send_at, at("2026-12-01T18:00:00Z"));
  EXPECT_EQ(check_send(c, Category::kTransactional, florida, now, {}).verdict, Verdict::kSend);
  const auto texas = locate_recipient("+15125550123", "", "");
  EXPECT_EQ(check_send(c, Category::kMarketing, texas, now, {}).verdict, Verdict::kSend);
  const auto unknown = locate_recipient("+12045550123", "", "");  // Manitoba: no US state
  d = check_send(c, Category::kMarketing, unknown, now, {});
  EXPECT_EQ(d.reason, "frequency_cap");
  EXPECT_NE(d.rule.find("Okla. Stat."), std::string::npos) << d.rule;
  // Two in the window: a third may go.
  c.marketing_sent_at.pop_back();
  EXPECT_EQ(check_send(c, Category::kMarketing, florida, now, {}).verdict, Verdict::kSend);
  EXPECT_EQ(common::consent::cap_frees_at({}, 3), std::nullopt);
}

}  // namespace
