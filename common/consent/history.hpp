// A number's consent history and the period report of opt-outs, read from the message log for
// the audit (opt-out-api GET /contacts/{phone_number}/history and GET /opt-outs; scripts/audit).
// Reads only: the number's own items (its partition and the sparse index kNotifyByPhoneIndex) and
// one day of the sparse index kOptOutsByDayIndex a Query, never a scan. The JSON shapes are
// README "opt-out-api" and docs/audit.md.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/aws/dynamodb.hpp"
#include "common/consent/store.hpp"
#include "common/time.hpp"

namespace common::consent {

/// The order of a history: by the time each item is ordered by (its sort key's time; a notify
/// request's `notify_at`).
enum class HistoryOrder { kOldestFirst, kNewestFirst };

/// One page of a number's history.
struct HistoryPage {
  nlohmann::json events = nlohmann::json::array();  ///< history_event() of each item, in order
  std::string next_cursor;                          ///< empty on the last page
};

/// One message-log item as a history event: `at` (RFC 3339 UTC, the time it is ordered by),
/// `type` (opt_in, opt_out, opt_out_honored, inbound, outbound, blocked, or the item's direction
/// when it is none of these), `id` (its sort key), then the members of its type, each only when
/// the item has it (the evidence, channel, rule or reason, deadline and honour, status, body,
/// delivery events with their times). Pure; an attribute of an unexpected type is left out, never
/// an error.
nlohmann::json history_event(const common::aws::AttributeMap& item);

/// Reads one page of `phone`'s history (E.164) from the message log `table`: at most `limit`
/// events (1-1000), continuing after `cursor` (empty: from the start). Two Queries a page: the
/// number's time-ordered items (sort keys before "notify#") and its notify requests by
/// `notify_at`, merged. Throws std::invalid_argument("cursor ...") for a cursor this function did
/// not give for this order; DynamoDB failures as common::aws::AwsException.
HistoryPage read_history(common::aws::DynamoDbClient& db, const std::string& table,
                         const std::string& phone, HistoryOrder order, int limit,
                         std::string_view cursor);

/// One page of the period report.
struct OptOutReportPage {
  nlohmann::json opt_outs = nlohmann::json::array();  ///< opt_out_report_entry() of each opt-out
  std::string next_cursor;                            ///< empty on the last page
};

/// The opt-outs received on the UTC days `from` to `to` (inclusive), in order, from the sparse
/// index kOptOutsByDayIndex of `tables.message_log` (one Query a day and page), each judged
/// against the number's own items (two Queries an opt-out: its time-ordered items from 15 minutes
/// before the request on, since a reply is keyed by the time of the text it answers; its notify
/// requests decided from the request on; and a GetItem of its contact in `tables.contacts` when
/// no honour is logged):
///  - `status`: honored_in_time, honored_late (the honour's evidence, else the contact's
///    `opt_out_honored_at`, then `honored_from` "contact"), pending, overdue (not honoured and the
///    deadline passed at `now`, or consent given again only after it), ended_by_opt_in (consent
///    given again before the deadline, never honoured), already_opted_out (a repeat report),
///    superseded (an opt-in newer than the request stood: it never revoked anything);
///  - `honored_at`, `business_days` (common::compliance::business_days_elapsed);
///  - `texts_after`: every text sent or maybe sent (outcome_unknown) after the request and before
///    consent was given again, except the first opt-out confirmation within 5 minutes
///    (47 CFR 64.1200(a)(10), (a)(12)): it must be empty.
/// At most `limit` opt-outs a page (1-200); an event without its number or request time is left
/// out. Throws std::invalid_argument("cursor ...") for a cursor it did not give; DynamoDB
/// failures as common::aws::AwsException.
OptOutReportPage read_opt_out_report(common::aws::DynamoDbClient& db, const Tables& tables,
                                     std::chrono::sys_days from, std::chrono::sys_days to,
                                     int limit, std::string_view cursor, common::TimePoint now);

}  // namespace common::consent
