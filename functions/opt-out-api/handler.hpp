// opt-out-api: universal opt-out from any channel, consent capture and consent status over HTTP
// (API Gateway HTTP API payload 2.0, or a Function URL). Rules: docs/compliance.md;
// 47 CFR 64.1200(a)(10) (revocation by any reasonable means, honoured within 10 business days).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/time.hpp"
#include "common/http/http_event.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace opt_out_api {

/// The shared settings opt-out-api reads (scaffold/settings.hpp); it has none of its own.
inline constexpr scaffold::Uses kUses = {.contacts_table = scaffold::kRequired,
                                         .message_log_table = scaffold::kRequired,
                                         .opt_out_list_name = scaffold::kRequired};

/// The function's configuration, from environment variables (checked at start-up).
struct Config : scaffold::Settings {};

/// Reads Config. Throws std::invalid_argument naming every missing variable.
Config config_from_environment(const common::aws::Environment& env);

/// The clients and sinks the handler works with, built once per process by the scaffold.
using Services = scaffold::Services;

// The payload 2.0 request and response types (common/http), by their short names here.
using common::http::check_json;
using common::http::error_response;
using common::http::HttpRequest;
using common::http::HttpResponse;
using common::http::JsonProblem;
using common::http::kMaxJsonDepth;
using common::http::parse_http_event;
using common::http::percent_decode;

/// History events a page when the caller names no `limit`, and the most it may ask for.
inline constexpr int kHistoryPageSize = 50;
inline constexpr int kMaxHistoryPageSize = 200;
/// Opt-outs a page of the period report by default, and the most (each costs 2 Queries).
inline constexpr int kReportPageSize = 25;
inline constexpr int kMaxReportPageSize = 200;
/// The longest period one report covers (a Query per day).
inline constexpr std::chrono::days kMaxReportDays{366};

/// Request bodies above this size are refused with 413 (after base64 decoding).
inline constexpr std::size_t kMaxBodyBytes = 16 * 1024;
/// A reported request time may run ahead of our clock by this much (clock skew); later is refused,
/// since a future time would push the deadline out.
inline constexpr std::chrono::minutes kMaxClockSkew{5};

/// Routes:
///  - POST /opt-out {phone_number, channel, requested_at?, notes?, source?}: universal opt-out,
///    put on the End User Messaging opt-out list at once and marked honoured when that works;
///    200 {phone_number, status: "honored"|"pending", requested_at, deadline, honored_at}.
///  - POST /opt-in {phone_number, method, source, disclosure_version, disclosure_text?,
///    consented_at?}: express consent with evidence, never over a newer opt-out;
///    200 {phone_number, status, applied, ...} (applied false: a newer opt-out stands).
///  - GET /contacts/{phone_number}: consent status, deadline, honoured time (no message bodies).
///  - GET /contacts/{phone_number}/history?order=oldest|newest&limit=1..200&cursor=: the number's
///    timeline (common/consent/history.hpp), message bodies included: IAM only;
///    200 {phone_number, order, contact, events, next_cursor}.
///  - GET /opt-outs?from=YYYY-MM-DD&to=YYYY-MM-DD&limit=1..200&cursor=: the period report, every
///    opt-out requested on those UTC days with its verdict; 200 {from, to, generated_at,
///    opt_outs, next_cursor}.
/// Errors: {"error": {"code", "message", "field"?}} with 400, 404, 405, 413, 415; 500 only for our
/// own faults (details logged with the request id, never returned). 400 "invalid_event" for an
/// unusable part of the event (HttpRequest::invalid_field); 400 "invalid_field" also for a member
/// given twice in a body object or nesting deeper than kMaxJsonDepth.
class Handler {
 public:
  Handler(Config config, Services services) : config_(std::move(config)), services_(services) {}

  /// One invocation: a payload 2.0 event in, a payload 2.0 response out. Throws
  /// runtime::FunctionError("InvalidEvent") for an event that is not an HTTP event.
  std::string handle(const scaffold::Invocation& invocation);

  /// The routing and the work, for one parsed request at `now`.
  HttpResponse respond(const HttpRequest& request, common::TimePoint now);

 private:
  HttpResponse opt_out(const HttpRequest& request, common::TimePoint now);
  HttpResponse opt_in(const HttpRequest& request, common::TimePoint now);
  HttpResponse contact_status(const std::string& raw_phone);
  HttpResponse history(const HttpRequest& request, const std::string& raw_phone);
  HttpResponse opt_out_report(const HttpRequest& request, common::TimePoint now);

  Config config_;
  Services services_;
};

}  // namespace opt_out_api
