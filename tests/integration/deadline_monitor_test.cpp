// deadline-monitor end to end: the static bootstrap under the Runtime API emulator, against the
// local stack, each test on a contacts table of its own (so counts are exact); every expectation
// is read back from the stores. Rules: 47 CFR 64.1200(a)(10) (honoured within 10 business days),
// 5 U.S.C. 6103 (business days); docs/compliance.md#deadline-alerts.
#include <gtest/gtest.h>

#include <chrono>

#include "common/compliance/business_days.hpp"
#include "tests/integration/consent_test_support.hpp"

namespace {

using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::get_s;
using consent_test::fresh_id;
using consent_test::json;
using namespace std::chrono_literals;

AttributeValue S(const std::string& s) { return AttributeValue::S(s); }

class DeadlineMonitor : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(stack_.up()) << "local stack env missing";
    // A contacts table of this test's own (with the pending-opt-outs index), so that pending
    // opt-outs of other tests never show up in the counts.
    table_ = fresh_id("contacts");
    const std::string cmd = "CONTACTS_TABLE=" + table_ + " MESSAGE_LOG_TABLE=" +
                            stack_.env("MESSAGE_LOG_TABLE") + " APPOINTMENTS_TABLE=" +
                            stack_.env("APPOINTMENTS_TABLE") + " node " + SMSC_CREATE_TABLES +
                            " --endpoint " + stack_.env("AWS_ENDPOINT_URL_DYNAMODB") + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  void TearDown() override {
    // Thousands of numbers on the shared opt-out list would slow the stand-in down for the tests
    // after this one; each test reads only its own numbers, so an empty list is safe.
    if (big_) stack_.control_post("/_standin/reset", json::object());
    // Per-number faults of this test must not leak into the next.
    if (!failing_.empty()) {
      stack_.stand_in_faults({{"operation", "PutOptedOutNumber"}, {"numbers", failing_}, {"clear", true}});
    }
  }

  // A pending opt-out as sms-inbound or opt-out-api leaves it when the list update failed.
  void seed(const std::string& phone, common::TimePoint opted_out_at, bool synced = false) {
    common::aws::PutItemRequest put;
    put.table_name = table_;
    put.item = {{"phone_number", S(phone)},
                {"consent_status", S("opted_out")},
                {"opted_out_at", S(common::format_rfc3339(opted_out_at))},
                {"opt_out_deadline",
                 S(common::format_rfc3339(common::compliance::opt_out_deadline(opted_out_at)))},
                {"opt_out_channel", S("email")},
                {"opt_out_pending", S("PENDING")},
                {"version", AttributeValue::N(1)}};
    if (synced) put.item["opt_out_list_synced_at"] = S(common::format_rfc3339(opted_out_at));
    (void)stack_.db().put_item(put).value();
  }

  void fail_sync_for(const std::vector<std::string>& numbers) {
    failing_.insert(failing_.end(), numbers.begin(), numbers.end());
    ASSERT_TRUE(stack_.stand_in_faults({{"operation", "PutOptedOutNumber"},
                                        {"numbers", numbers},
                                        {"status", 500},
                                        {"code", "InternalServerException"}}));
  }

  // One run of the monitor; returns its summary (or the error result).
  json run(double timeout_seconds = 60, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env = {"CONTACTS_TABLE=" + table_, "AWS_MAX_ATTEMPTS=1"};
    env.insert(env.end(), extra.begin(), extra.end());
    auto r = consent_test::run_bootstrap(SMSC_DEADLINE_MONITOR, json{{"trigger", "test"}}, env,
                                         timeout_seconds);
    last_log_ = r.log;
    EXPECT_EQ(r.results.size(), 1u) << r.log.substr(0, 4000);
    if (r.results.empty()) return json();
    EXPECT_EQ(r.results[0]["status"], "success") << r.results[0].dump();
    return r.results[0]["response"];
  }

  AttributeMap contact(const std::string& phone) {
    auto item = stack_.item(table_, phone);
    EXPECT_TRUE(item.has_value());
    return item.value_or(AttributeMap{});
  }

  // Entries left in the pending index, by reading it (not the monitor's word).
  int pending_in_index() {
    int n = 0;
    AttributeMap start;
    do {
      common::aws::QueryRequest q;
      q.table_name = table_;
      q.index_name = "pending-opt-outs";
      q.key_condition_expression = q.expression.name("opt_out_pending") + " = " + q.expression.value(S("PENDING"));
      q.exclusive_start_key = start;
      auto page = stack_.db().query(q).value();
      n += static_cast<int>(page.items.size());
      start = page.last_evaluated_key;
    } while (!start.empty());
    return n;
  }

  // The EMF line's metric values.
  json metrics_line() const {
    std::istringstream in(last_log_);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("\"_aws\"") != std::string::npos) return json::parse(line);
    }
    return json();
  }

  int count_in_log(const std::string& needle) const {
    int n = 0;
    for (std::size_t at = last_log_.find(needle); at != std::string::npos;
         at = last_log_.find(needle, at + 1)) {
      ++n;
    }
    return n;
  }

  consent_test::Stack stack_;
  std::string table_;
  std::vector<std::string> failing_;
  std::string last_log_;
  bool big_ = false;
};

// A distinct number for index i (NXX 554 or 553, line 01XX, under area codes 201..): exchanges
// that fresh_number() never draws and no hand-picked test number uses, so the opt-out list
// counts below cannot be disturbed by numbers other tests of the same run put there.
std::string number_for(int i) {
  static const int kAreaCodes[] = {201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214,
                                   215, 216, 217, 218, 219, 224, 225, 228, 229, 231, 234, 239,
                                   240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270,
                                   272, 276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310,
                                   312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325};
  // 100 numbers per area code and exchange block NXX-01XX; more blocks via the exchange.
  const int area = kAreaCodes[(i / 100) % 60];
  const int exchange = 554 - (i / 6000);  // 554, 553: valid NXX
  char buf[32];
  std::snprintf(buf, sizeof buf, "+1%03d%03d01%02d", area, exchange, i % 100);
  return buf;
}

// Small run: sync retried, honoured, at-risk ones alerted with days left and what is missing.
TEST_F(DeadlineMonitor, HonoursWhatItCanAndAlertsOnAtRiskOnes) {
  const auto now = common::now_ms();
  const std::string ok = consent_test::fresh_number(), synced = consent_test::fresh_number();
  const std::string overdue = consent_test::fresh_number(), due_soon = consent_test::fresh_number();
  const std::string later = consent_test::fresh_number();
  seed(ok, now - 24h);
  seed(synced, now - 24h, true);
  seed(overdue, now - 24h * 30);
  // The earliest receipt whose deadline is still ahead: at most 2 business days left.
  common::TimePoint near = now - 1h;
  for (int k = 1; k < 30; ++k) {
    const auto candidate = now - 24h * k;
    if (common::compliance::opt_out_deadline(candidate) > now + 1h) near = candidate;
  }
  seed(due_soon, near);
  seed(later, now - 1h);
  fail_sync_for({overdue, due_soon, later});

  json s = run();
  EXPECT_EQ(s["scanned"], 5);
  EXPECT_EQ(s["honored"], 2);
  EXPECT_EQ(s["sync_failures"], 3);
  EXPECT_EQ(s["pending"], 3);
  EXPECT_EQ(s["overdue"], 1);
  EXPECT_EQ(s["complete"], true);
  EXPECT_EQ(s["due_soon"], 1);
  EXPECT_EQ(count_in_log("\"alert\":\"OptOutDueSoon\""), 1);

  EXPECT_TRUE(stack_.on_opt_out_list(ok));
  EXPECT_FALSE(stack_.on_opt_out_list(overdue));
  for (const auto& phone : {ok, synced}) {
    auto c = contact(phone);
    EXPECT_TRUE(c.count("opt_out_honored_at")) << phone;
    EXPECT_FALSE(c.count("opt_out_pending")) << phone;
    EXPECT_TRUE(c.count("opt_out_list_synced_at")) << phone;
  }
  EXPECT_EQ(get_s(contact(overdue), "opt_out_pending"), "PENDING");
  EXPECT_EQ(pending_in_index(), 3);

  auto m = metrics_line();
  EXPECT_EQ(m["OptOutsHonored"], 2);
  EXPECT_EQ(m["OptOutSyncFailures"], 3);
  EXPECT_EQ(m["OptOutsPending"], 3);
  EXPECT_EQ(m["OptOutsOverdue"], 1);
  EXPECT_EQ(count_in_log("\"alert\":\"OptOutOverdue\""), 1);
  EXPECT_NE(last_log_.find("\"missing\":[\"opt_out_list_sync\"]"), std::string::npos);
  EXPECT_EQ(last_log_.find(overdue), std::string::npos) << "numbers masked in alerts";
  EXPECT_NE(last_log_.find(common::compliance::mask_phone_number(overdue)), std::string::npos);
}

// 5,000 pending opt-outs (some already synced, some failing at the stand-in, some near or past
// their deadline): exact counts, a second run changes nothing it should not, recovery after the
// stand-in heals.
TEST_F(DeadlineMonitor, FiveThousandPendingOptOuts) {
  constexpr int kTotal = 5000;
  big_ = true;
  const auto now = common::now_ms();
  std::vector<std::string> failing;
  int expected_overdue = 0, already_synced = 0;
  const auto seed_started = std::chrono::steady_clock::now();
  for (int i = 0; i < kTotal; ++i) {
    const std::string phone = number_for(i);
    if (i % 125 == 0) {  // 40 failing: half long overdue, half fresh
      failing.push_back(phone);
      const bool past = failing.size() % 2 == 0;
      expected_overdue += past ? 1 : 0;
      seed(phone, past ? now - 24h * 40 : now - 1h);
    } else {
      already_synced += i % 10 == 0 ? 1 : 0;
      seed(phone, now - 1h * (i % 300), i % 10 == 0);  // every tenth already synced
    }
  }
  const auto seed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - seed_started);
  fail_sync_for(failing);

  const auto started = std::chrono::steady_clock::now();
  json first = run(120);
  const auto run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::cout << "seeded " << kTotal << " in " << seed_ms.count() << " ms; first run "
            << run_ms.count() << " ms\n";
  EXPECT_EQ(first["complete"], true);
  EXPECT_EQ(first["scanned"], kTotal);
  EXPECT_EQ(first["honored"], kTotal - 40);
  EXPECT_EQ(first["sync_failures"], 40);
  EXPECT_EQ(first["pending"], 40);
  EXPECT_EQ(first["overdue"], expected_overdue);
  EXPECT_EQ(pending_in_index(), 40);
  const json list = stack_.opt_out_list();
  int listed = 0;
  for (int i = 0; i < kTotal; ++i) listed += list.contains(number_for(i)) ? 1 : 0;
  // Already-synced ones were not sent again, so the list holds the others that succeeded.
  EXPECT_EQ(listed, kTotal - 40 - already_synced);

  // Second run, faults still there: the honoured ones are left alone.
  const auto honored_sample = contact(number_for(1));
  json second = run(120);
  EXPECT_EQ(second["scanned"], 40);
  EXPECT_EQ(second["honored"], 0);
  EXPECT_EQ(second["sync_failures"], 40);
  EXPECT_EQ(second["pending"], 40);
  EXPECT_EQ(second["overdue"], expected_overdue);
  EXPECT_EQ(contact(number_for(1)).at("version"), honored_sample.at("version"));
  EXPECT_EQ(get_s(contact(number_for(1)), "opt_out_honored_at"),
            get_s(honored_sample, "opt_out_honored_at"));

  // The stand-in heals: the rest are honoured, the index is empty.
  stack_.stand_in_faults({{"operation", "PutOptedOutNumber"}, {"numbers", failing}, {"clear", true}});
  json third = run(120);
  EXPECT_EQ(third["honored"], 40);
  EXPECT_EQ(third["pending"], 0);
  EXPECT_EQ(pending_in_index(), 0);
  for (const auto& phone : failing) EXPECT_TRUE(stack_.on_opt_out_list(phone)) << phone;
  json fourth = run(120);
  EXPECT_EQ(fourth["scanned"], 0);
}

// A run cut short by its deadline stops cleanly; the next run finishes the rest, and the honoured
// counts add up to the total exactly (nothing lost, nothing counted twice).
TEST_F(DeadlineMonitor, RunCutShortResumesWithoutLossOrDoubleCount) {
  constexpr int kTotal = 1500;
  big_ = true;
  const auto now = common::now_ms();
  // Numbers of their own (exchange 553), apart from the 5,000 test's.
  for (int i = 0; i < kTotal; ++i) seed(number_for(6000 + i), now - 1h);
  // 2.1 s of invocation: 0.5 s the scaffold keeps before Lambda's deadline (scaffold/invocation.hpp),
  // 1.2 s of TIME_RESERVE_MS before that: about 0.4 s of work.
  json first = run(2.1, {"TIME_RESERVE_MS=1200", "PAGE_SIZE=50"});
  EXPECT_EQ(first["complete"], false);
  const int h1 = first["honored"];
  EXPECT_GT(h1, 0);
  EXPECT_LT(h1, kTotal);
  EXPECT_EQ(pending_in_index(), kTotal - h1);
  EXPECT_NE(last_log_.find("stopped early"), std::string::npos);

  json second = run(120);
  EXPECT_EQ(second["complete"], true);
  EXPECT_EQ(second["scanned"], kTotal - h1);
  EXPECT_EQ(h1 + second["honored"].get<int>(), kTotal);
  EXPECT_EQ(second["already_honored"], 0);
  EXPECT_EQ(pending_in_index(), 0);
}

// An opt-out-api opt-out whose list update failed stays pending until the monitor finishes it.
TEST_F(DeadlineMonitor, FinishesAnApiOptOutWhoseSyncFailed) {
  const std::string phone = consent_test::fresh_number();
  fail_sync_for({phone});
  json event = {{"version", "2.0"},
                {"rawPath", "/opt-out"},
                {"headers", {{"content-type", "application/json"}}},
                {"requestContext", {{"requestId", fresh_id("req")}, {"http", {{"method", "POST"}}}}},
                {"body", json{{"phone_number", phone}, {"channel", "email"}}.dump()},
                {"isBase64Encoded", false}};
  auto api = consent_test::run_bootstrap(SMSC_OPT_OUT_API, event,
                                         {"CONTACTS_TABLE=" + table_, "AWS_MAX_ATTEMPTS=1"});
  ASSERT_EQ(api.results.size(), 1u) << api.log;
  const json body = json::parse(api.results[0]["response"]["body"].get<std::string>());
  EXPECT_EQ(body["status"], "pending");
  EXPECT_EQ(get_s(contact(phone), "opt_out_pending"), "PENDING");
  EXPECT_FALSE(stack_.on_opt_out_list(phone));

  stack_.stand_in_faults({{"operation", "PutOptedOutNumber"}, {"numbers", {phone}}, {"clear", true}});
  json s = run();
  EXPECT_EQ(s["honored"], 1);
  EXPECT_TRUE(stack_.on_opt_out_list(phone));
  EXPECT_FALSE(contact(phone).count("opt_out_pending"));
  EXPECT_TRUE(contact(phone).count("opt_out_honored_at"));
}

}  // namespace
