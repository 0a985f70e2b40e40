#include "functions/notify/handler.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "common/aws/dynamodb.hpp"
#include "common/aws/sigv4.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/compliance/phone.hpp"
#include "common/compliance/state_rules.hpp"
#include "common/consent/delivery.hpp"
#include "common/consent/gate.hpp"
#include "common/consent/notifications.hpp"
#include "common/consent/store.hpp"
#include "common/error.hpp"
#include "common/events/sqs_event.hpp"
#include "common/http/http_event.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/sms/outbound.hpp"

namespace notify {
namespace {

using common::TimePoint;
using common::consent::Category;
using common::consent::Notification;
using common::consent::NotifyClaimed;
using common::consent::NotifyStatus;
using json = nlohmann::json;

std::string masked(const std::string& phone) { return common::compliance::mask_phone_number(phone); }

const char* category_name(Category c) {
  return c == Category::kMarketing ? "marketing" : "transactional";
}

// The category of a stored notification (its `category`, as category_name wrote it).
Category category_of(const Notification& n) {
  return n.category == category_name(Category::kMarketing) ? Category::kMarketing
                                                           : Category::kTransactional;
}

// "quiet_hours:America/New_York:FL" -> "quiet_hours": a metric dimension must not explode.
std::string reason_family(const std::string& reason) { return reason.substr(0, reason.find(':')); }

// Our message id: derived from the number and the key, so every attempt at one request (an SQS
// redelivery, a retried HTTP call) names it the same.
std::string notify_id_of(const std::string& phone, const std::string& key) {
  return "ntf-" + common::aws::sha256_hex(phone + "#" + key).substr(0, 32);
}

// What the caller is told about one request.
struct Answer {
  enum class Kind { kDecided, kInvalid, kConflict, kInProgress, kTransient };
  Kind kind = Kind::kDecided;
  Notification n;          // kDecided
  bool replayed = false;   // kDecided: the first result, answered again
  FieldError error;        // kInvalid, kConflict
  std::string detail;      // kTransient, kInProgress: for the log
};

// The counts of one invocation.
struct Counts {
  int requests = 0, sent = 0, blocked = 0, deferred = 0, expired = 0, duplicates = 0, invalid = 0,
      failed = 0, outcome_unknown = 0, segments = 0, released = 0;
  std::map<std::string, int> sent_by_category, blocked_by_category, deferred_by_category;
  std::map<std::string, int> blocked_by_reason;
};

// NOTIFY_ACCEPT_EVENT_TIME (tests and replays): the clock from the event itself: the schedule
// event's "now", the HTTP event's requestContext.timeEpoch, the first SQS record's SentTimestamp.
TimePoint event_time(const std::string& payload, TimePoint fallback) {
  const json event = json::parse(payload, nullptr, false);
  if (!event.is_object()) throw runtime::FunctionError("InvalidEvent", "the event is not JSON");
  if (event.contains("now") && event["now"].is_string()) {
    auto t = common::parse_rfc3339(event["now"].get<std::string>());
    if (!t) throw runtime::FunctionError("InvalidEvent", "'now' is not an RFC 3339 time");
    return *t;
  }
  const auto ms = [](std::int64_t v) { return TimePoint(std::chrono::milliseconds(v)); };
  const auto& context = event.value("/requestContext/timeEpoch"_json_pointer, json());
  if (context.is_number_integer()) return ms(context.get<std::int64_t>());
  const auto& sent = event.value("/Records/0/attributes/SentTimestamp"_json_pointer, json());
  if (sent.is_string()) {
    try {
      return ms(std::stoll(sent.get<std::string>()));
    } catch (const std::exception&) {
      throw runtime::FunctionError("InvalidEvent", "SentTimestamp is not a number");
    }
  }
  return fallback;
}

}  // namespace

struct Handler::State {
  Config config;
  Services s;
  common::consent::ConsentStore consent;
  common::consent::NotificationStore notifications;
  common::sms::Pacer pacer;

  State(Config c, Services services)
      : config(std::move(c)),
        s(std::move(services)),
        consent(s.dynamodb, {config.contacts_table, config.message_log_table}),
        notifications(s.dynamodb, config.message_log_table),
        pacer(config.parts_per_second) {}

  // ---- one invocation's context ----
  const scaffold::Invocation* invocation = nullptr;
  Counts counts;
  TimePoint clock_start{};
  std::chrono::steady_clock::time_point steady_start{};
  std::string owner;

  void begin(const scaffold::Invocation& inv, TimePoint now) {
    invocation = &inv;
    counts = Counts{};
    clock_start = now;
    steady_start = std::chrono::steady_clock::now();
    owner = inv.request_id.empty() ? "notify-" + common::format_rfc3339(now) : inv.request_id;
  }
  // The invocation's clock moved on by the real time elapsed (pacing waits included).
  TimePoint now() const {
    return clock_start + std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - steady_start);
  }
  bool time_short() const {
    return invocation->remaining_time() < config.stop_before_deadline;
  }
  void sleep(std::chrono::microseconds d) {
    if (s.sleep) {
      s.sleep(d);
    } else {
      std::this_thread::sleep_for(d);
    }
  }

  json log_context(const Notification& n) const {
    return {{"notify_id", n.notify_id}, {"phone", masked(n.phone_number)},
            {"category", n.category},   {"template", n.template_name},
            {"source", n.source}};
  }

  void count_decision(const Notification& n) {
    switch (n.status) {
      case NotifyStatus::kSent:
        ++counts.sent;
        ++counts.sent_by_category[n.category];
        counts.segments += n.segments;
        break;
      case NotifyStatus::kBlocked:
        ++counts.blocked;
        ++counts.blocked_by_category[n.category];
        ++counts.blocked_by_reason[reason_family(n.reason)];
        break;
      case NotifyStatus::kDeferred:
        ++counts.deferred;
        ++counts.deferred_by_category[n.category];
        break;
      case NotifyStatus::kExpired: ++counts.expired; break;
      case NotifyStatus::kOutcomeUnknown: ++counts.outcome_unknown; break;
      case NotifyStatus::kClaimed: break;
    }
  }

  // The gate's verdict on `n` for `contact` now, into n's decision fields (status kSent means
  // "send it"; the caller sends). Pure: no I/O.
  void decide(Notification& n, const common::consent::Contact& contact) {
    const TimePoint t = now();
    n.decided_at = t;
    n.reason.clear();
    n.rule.clear();
    n.send_at.reset();
    const Category category = category_of(n);
    const auto where = common::consent::locate_recipient(n.phone_number, contact.time_zone, "");
    n.quiet_hours = where.basis;
    auto gate = common::consent::check_send(contact, category, where, t, config.quiet_hours);
    using Verdict = common::consent::GateDecision::Verdict;
    if (gate.verdict == Verdict::kBlock) {
      n.status = NotifyStatus::kBlocked;
      n.reason = gate.reason;
      n.rule = gate.rule;
      return;
    }
    // Not before the caller's send_after; the gate is asked again when it is released. When the
    // window opens later still, that opening is when it may go (and why it waits).
    if (n.send_after && *n.send_after > t &&
        (gate.verdict != Verdict::kDefer || *gate.send_at < *n.send_after)) {
      gate.verdict = Verdict::kDefer;
      gate.reason = "send_after";
      gate.rule.clear();
      gate.send_at = n.send_after;
    }
    if (gate.verdict == Verdict::kDefer) {
      if (n.expires_at && *gate.send_at >= *n.expires_at) {
        // The lawful window opens only after the message stops being useful: refuse it now,
        // so the caller knows, rather than keep it until it expires.
        n.status = NotifyStatus::kBlocked;
        n.reason = "expires_before_window:" + gate.reason;
        n.rule = gate.rule;
        return;
      }
      n.status = NotifyStatus::kDeferred;
      n.reason = gate.reason;
      n.rule = gate.rule;
      n.send_at = gate.send_at;
      return;
    }
    if (n.expires_at && *n.expires_at - t < std::chrono::seconds(common::sms::kMinTimeToLiveSeconds)) {
      n.status = NotifyStatus::kExpired;
      n.reason = "expired";
      return;
    }
    n.status = NotifyStatus::kSent;
  }

  // The text in the contact's language (docs/compliance.md#template-languages): a template's
  // Spanish variant for a contact whose language is "es", else its English text. Chosen once,
  // at the request's first decision, and stored with it (`language`), so a deferred text is
  // released as accepted. A raw body is its caller's own words: no language is recorded.
  static void choose_language(Notification& n, const NotifyRequest& r,
                              const common::consent::Contact& contact) {
    if (r.template_name.empty()) return;
    if (contact.language == "es" && r.body_es) {
      n.body = r.body_es->body;
      n.segments = r.body_es->segments;
      n.encoding = r.body_es->encoding;
      n.language = "es";
    } else {
      n.language = "en";
    }
  }

  // The gate's decision on `n` with the contact as stored now; for a text to send, after the
  // pacer's wait, with consent read and decided again when there was one (an opt-out may have
  // landed meanwhile: fail closed). False, with no wait, when the wait would run into the end of
  // the invocation.
  // With `request` (a new request, not a release), the contact's language also picks the text
  // first (choose_language), from the same read.
  bool decide_paced(Notification& n, const NotifyRequest* request = nullptr) {
    const common::consent::Contact contact = consent.read(n.phone_number);
    if (request) choose_language(n, *request, contact);
    decide(n, contact);
    if (n.status != NotifyStatus::kSent) return true;
    const Paced paced = pace();
    if (paced == Paced::kOutOfTime) return false;
    if (paced == Paced::kWaited) decide(n, consent.read(n.phone_number));
    return true;
  }

  // A marketing text to a state that caps solicitations a day (or to an unknown state) takes
  // its place before it is sent, atomically on the contact (docs/compliance.md#frequency-caps).
  // True when it may be sent; false with `n` deferred until a place frees up (blocked as
  // expiring first when that is after its expires_at).
  bool take_cap_place(Notification& n) {
    if (category_of(n) != Category::kMarketing) return true;
    const auto where = common::consent::locate_recipient(n.phone_number, "", "");
    const auto cap = common::compliance::solicitation_cap(where.state);
    if (!cap) return true;
    const auto until = consent.reserve_marketing_send(n.phone_number, now(), cap->per_24h);
    if (!until) return true;
    n.rule = cap->rule;
    if (n.expires_at && *until >= *n.expires_at) {
      n.status = NotifyStatus::kBlocked;
      n.reason = "expires_before_window:frequency_cap";
      return false;
    }
    n.status = NotifyStatus::kDeferred;
    n.reason = "frequency_cap";
    n.send_at = until;
    return false;
  }

  // What pace() did.
  enum class Paced { kAtOnce, kWaited, kOutOfTime };

  // Waits for the pacer; kOutOfTime (no wait) when the wait would run into the end of the
  // invocation.
  Paced pace() {
    const auto wait = pacer.next_start() - std::chrono::steady_clock::now();
    if (wait <= std::chrono::steady_clock::duration::zero()) return Paced::kAtOnce;
    if (invocation->remaining_time() - std::chrono::duration_cast<std::chrono::milliseconds>(wait) <
        config.stop_before_deadline) {
      return Paced::kOutOfTime;
    }
    sleep(std::chrono::duration_cast<std::chrono::microseconds>(wait));
    return Paced::kWaited;
  }

  // Sends a claimed notification whose decision is kSent and records the result. Returns the
  // notification as recorded, or throws common::Error (transient) after giving the claim back
  // when nothing was sent.
  Notification send(Notification n, bool was_deferred) {
    const Category category = category_of(n);
    const std::string message_ref = n.sk();
    std::map<std::string, std::string> context = n.context;
    context[std::string(common::consent::kContextMessageRef)] = message_ref;
    context["notify_id"] = n.notify_id;
    common::sms::OutboundText text{n.phone_number,        n.body,
                                   category,              config.origination_identity,
                                   config.configuration_set_name, n.expires_at,
                                   context};
    n.origination_identity = config.origination_identity;
    n.message_type = common::sms::message_type(category);
    const auto request = common::sms::send_request(text, now());
    if (!request) {
      n.status = NotifyStatus::kExpired;
      n.reason = "expired";
      record(n);
      return n;
    }
    auto sent = s.sms.send_text_message(*request);
    if (!sent) return send_failed(std::move(n), sent.error(), was_deferred);
    pacer.sent(n.segments);
    n.status = NotifyStatus::kSent;
    n.message_id = sent.value().message_id;
    n.decided_at = now();
    // Recorded as sent first, so nothing that fails afterwards makes a retry send it again.
    record(n);
    common::consent::ContactFinish finish;
    finish.phone_number = n.phone_number;
    finish.sent = 1;
    finish.last_outbound_at = n.decided_at;
    (void)consent.finish_contact(finish);
    return n;
  }

  Notification send_failed(Notification n, const common::aws::AwsError& error, bool was_deferred) {
    json ctx = log_context(n);
    ctx["error"] = error.describe();
    if (error.throttling()) {
      pacer.throttled();
      ctx["parts_per_second"] = pacer.rate();
    }
    switch (common::sms::classify_send_failure(error)) {
      case common::sms::SendFailure::kOptedOut:
        // The account's opt-out list has the number (a carrier-level STOP): an opt-out of every
        // channel, so nothing else texts it either.
        consent.record_carrier_opt_out(n.phone_number, now(), "notify_id", n.notify_id);
        n.status = NotifyStatus::kBlocked;
        n.reason = "carrier_opted_out";
        record(n);
        s.logger.warn("notification blocked: the number is on the opt-out list", ctx);
        return n;
      case common::sms::SendFailure::kAccount:
        // Nothing about this text is wrong: a failure to retry (then the dead-letter queue),
        // never a decision.
        notifications.release(n, owner, was_deferred);
        s.logger.error("send refused for the account or its configuration; the notification is retried",
                       ctx);
        throw common::Error::transient("sms-voice", error.code, error.describe());
      case common::sms::SendFailure::kMaybeSent:
        n.status = NotifyStatus::kOutcomeUnknown;
        n.reason = "send_outcome_unknown:" + error.code;
        record(n);
        s.logger.error("send outcome unknown; the notification is not sent again", ctx);
        return n;
      case common::sms::SendFailure::kNotSent:
        notifications.release(n, owner, was_deferred);
        s.logger.warn("send failed; the notification is retried", ctx);
        throw common::Error::transient("sms-voice", error.code, error.describe());
      case common::sms::SendFailure::kRefused:
        break;
    }
    n.status = NotifyStatus::kBlocked;
    n.reason = "send_refused:" + error.code;
    record(n);
    s.logger.error("send refused; notification blocked", ctx);
    return n;
  }

  void record(const Notification& n) {
    if (!notifications.record(n, owner)) {
      s.logger.warn("the claim ran out before the notification was recorded",
                    log_context(n));
    }
  }

  // One request from either trigger.
  Answer process(const NotifyRequest& r, const std::string& source, const std::string& caller) {
    Notification n;
    n.phone_number = r.phone_number;
    n.idempotency_key = r.idempotency_key;
    n.notify_id = notify_id_of(r.phone_number, r.idempotency_key);
    n.category = category_name(r.category);
    n.template_name = r.template_name;
    n.body = r.body;
    n.segments = r.segments;
    n.encoding = r.encoding;
    n.fingerprint = r.fingerprint;
    n.accepted_at = now();
    n.send_after = r.send_after;
    n.expires_at = r.expires_at;
    n.context = r.context;
    n.source = source;
    n.caller = caller;
    n.attempts = 1;

    Answer a;
    try {
      if (n.expires_at && *n.expires_at <= n.accepted_at) {
        // Too late for a new text, but a redelivery of one decided before answers as it did.
        if (auto existing = notifications.read(n.phone_number, n.idempotency_key)) {
          if (existing->status != NotifyStatus::kClaimed) return replay(*existing, n);
        }
        a.kind = Answer::Kind::kInvalid;
        a.error = {"expires_at", "is in the past"};
        return a;
      }
      if (!decide_paced(n, &r)) {
        a.kind = Answer::Kind::kTransient;
        a.detail = "invocation time is short";
        return a;
      }
      // A decision that sends nothing is written once, conditionally, with no claim first.
      const bool sending = n.status == NotifyStatus::kSent;
      const auto claimed =
          notifications.claim(n, sending, owner, now() + config.claim_lease, now());
      switch (claimed.kind) {
        case NotifyClaimed::Kind::kExisting:
          return replay(*claimed.existing, n);
        case NotifyClaimed::Kind::kInProgress:
          if (claimed.existing && claimed.existing->fingerprint != n.fingerprint) {
            return conflict();
          }
          a.kind = Answer::Kind::kInProgress;
          a.detail = "another attempt is sending this notification";
          return a;
        case NotifyClaimed::Kind::kTakenOver:
          return taken_over(*claimed.existing, n);
        case NotifyClaimed::Kind::kClaimed:
          break;
      }
      if (sending && !take_cap_place(n)) {
        record(n);  // deferred (or blocked) by the state's frequency cap: nothing sent
      } else if (sending) {
        n = send(std::move(n), false);
      }
      count_decision(n);
      log_decision(n);
      a.n = std::move(n);
      return a;
    } catch (const common::aws::AwsException& e) {
      a.kind = Answer::Kind::kTransient;
      a.detail = e.what();
    } catch (const common::Error& e) {
      a.kind = Answer::Kind::kTransient;
      a.detail = e.what();
    }
    return a;
  }

  Answer replay(const Notification& existing, const Notification& request) {
    if (existing.fingerprint != request.fingerprint) return conflict();
    ++counts.duplicates;
    Answer a;
    a.n = existing;
    a.replayed = true;
    s.logger.info("notification replayed: this idempotency key was decided before",
                  log_context(existing));
    return a;
  }

  Answer conflict() {
    Answer a;
    a.kind = Answer::Kind::kConflict;
    a.error = {"idempotency_key", "was used before for another request to this number"};
    return a;
  }

  // An earlier attempt claimed the message and ended before recording a decision: it may have
  // sent the text. Never sent again (docs/compliance.md#one-text-per-intent).
  Answer taken_over(const Notification& existing, Notification n) {
    if (existing.fingerprint != n.fingerprint) return conflict();
    Answer a;
    a.n = conclude(existing, NotifyStatus::kOutcomeUnknown, "earlier_attempt_interrupted");
    return a;
  }

  // Records a claimed notification as ended without a send (`status`, `reason`), counted and
  // logged; returns it as recorded.
  Notification conclude(Notification n, NotifyStatus status, std::string reason) {
    n.status = status;
    n.reason = std::move(reason);
    n.decided_at = now();
    record(n);
    count_decision(n);
    log_decision(n);
    return n;
  }

  void log_decision(const Notification& n) {
    json ctx = log_context(n);
    ctx["status"] = to_string(n.status);
    if (!n.reason.empty()) ctx["reason"] = n.reason;
    if (!n.rule.empty()) ctx["rule"] = n.rule;
    ctx["quiet_hours"] = n.quiet_hours;
    if (n.send_at) ctx["send_at"] = common::format_rfc3339(*n.send_at);
    if (!n.message_id.empty()) ctx["message_id"] = n.message_id;
    ctx["segments"] = n.segments;
    ctx["encoding"] = n.encoding;
    if (!n.language.empty()) ctx["language"] = n.language;
    if (n.status == NotifyStatus::kSent) {
      s.logger.info("notification sent", ctx);
    } else if (n.status == NotifyStatus::kDeferred) {
      s.logger.info("notification deferred", ctx);
    } else {
      s.logger.warn("notification not sent", ctx);
    }
  }

  // ---- SQS ----
  std::string handle_sqs(const std::string& payload) {
    common::events::SqsEvent event;
    try {
      event = common::events::parse_sqs_event(payload);
    } catch (const std::invalid_argument& e) {
      s.logger.error("invalid event", {{"reason", e.what()}});
      throw runtime::FunctionError("InvalidEvent", e.what());
    }
    std::vector<std::string> failures;
    json results = json::array();
    bool stopping = false;
    for (const auto& record : event.records) {
      ++counts.requests;
      if (stopping || time_short()) {
        // Left for the redelivery: the invocation's time is short.
        stopping = true;
        if (!record.message_id.empty()) failures.push_back(record.message_id);
        ++counts.failed;
        results.push_back({{"sqs_message_id", record.message_id}, {"result", "retry"}});
        continue;
      }
      if (!record.error.empty()) {
        ++counts.invalid;
        s.logger.error("malformed SQS record", {{"sqs_message_id", record.message_id},
                                                {"error", record.error}});
        // A record with no id cannot be named: an empty itemIdentifier makes Lambda treat the
        // whole batch as failed, which is safe (every request replays idempotently) and loses
        // nothing, where leaving it out would delete it unseen.
        failures.push_back(record.message_id);
        results.push_back({{"sqs_message_id", record.message_id}, {"result", "malformed"},
                           {"error", record.error}});
        continue;
      }
      json result = {{"sqs_message_id", record.message_id}};
      if (record.body.size() > kMaxRequestBytes) {
        fail_item(record.message_id, {"body", "is larger than " + std::to_string(kMaxRequestBytes) + " bytes"},
                  failures, result);
        results.push_back(result);
        continue;
      }
      auto parsed = parse_request(record.body, rules());
      if (auto* error = std::get_if<FieldError>(&parsed)) {
        fail_item(record.message_id, *error, failures, result);
        results.push_back(result);
        continue;
      }
      const Answer a = process(std::get<NotifyRequest>(parsed), "sqs", record.event_source_arn);
      switch (a.kind) {
        case Answer::Kind::kDecided:
          result.update(answer_body(a));
          break;
        case Answer::Kind::kInvalid:
        case Answer::Kind::kConflict:
          fail_item(record.message_id, a.error, failures, result);
          break;
        case Answer::Kind::kInProgress:
        case Answer::Kind::kTransient:
          ++counts.failed;
          failures.push_back(record.message_id);
          result["result"] = "retry";
          s.logger.warn("notification not processed; SQS delivers it again",
                        {{"sqs_message_id", record.message_id}, {"error", a.detail}});
          if (a.detail == "invocation time is short") stopping = true;
          break;
      }
      results.push_back(result);
    }
    s.logger.info("batch finished", {{"records", event.records.size()},
                                     {"failures", failures.size()},
                                     {"results", results}});
    return common::events::batch_response(failures);
  }

  void fail_item(const std::string& id, const FieldError& error, std::vector<std::string>& failures,
                 json& result) {
    ++counts.invalid;
    failures.push_back(id);
    result["result"] = "invalid";
    result["field"] = error.field;
    result["error"] = error.message;
    s.logger.error("invalid notify request; it goes to the dead-letter queue after its retries",
                   {{"sqs_message_id", id}, {"field", error.field}, {"error", error.message}});
  }

  RequestRules rules() const {
    return {&config.templates, config.program_name, config.allow_raw_body};
  }

  static json answer_body(const Answer& a) {
    json body = {{"message_id", a.n.notify_id}, {"status", to_string(a.n.status)}};
    if (!a.n.reason.empty()) body["reason"] = a.n.reason;
    if (a.n.status == NotifyStatus::kDeferred && a.n.send_at) {
      body["send_at"] = common::format_rfc3339(*a.n.send_at);
    }
    if (!a.n.message_id.empty()) body["sms_message_id"] = a.n.message_id;
    return body;
  }

  // ---- HTTP ----
  std::string handle_http(const std::string& payload) {
    common::http::HttpRequest request;
    try {
      request = common::http::parse_http_event(payload, kMaxRequestBytes);
    } catch (const std::invalid_argument& e) {
      s.logger.error("invalid event", {{"reason", e.what()}});
      throw runtime::FunctionError("InvalidEvent", e.what());
    }
    common::http::HttpResponse response = respond(request);
    s.logger.info("request", {{"method", request.method},
                              // The route, never the caller's raw path (it may hold a number).
                              {"route", request.path == "/messages" ? "/messages" : "(no route)"},
                              {"status", response.status},
                              {"caller", request.caller},
                              {"api_request_id", request.request_id}});
    return response.to_event_json();
  }

  common::http::HttpResponse respond(const common::http::HttpRequest& request) {
    using common::http::error_response;
    if (request.path != "/messages") {
      return error_response(404, "not_found", "no route; use POST /messages");
    }
    if (request.method != "POST") {
      auto r = error_response(405, "method_not_allowed", "use POST /messages");
      r.headers["allow"] = "POST";
      return r;
    }
    if (!request.invalid_field.empty()) {
      ++counts.invalid;
      return error_response(400, "invalid_request", request.invalid_field + " " + request.invalid_reason,
                            request.invalid_field);
    }
    if (request.body_too_large) {
      ++counts.invalid;
      return error_response(413, "payload_too_large",
                            "request body is larger than " + std::to_string(kMaxRequestBytes) + " bytes");
    }
    ++counts.requests;
    auto parsed = parse_request(request.body, rules());
    if (auto* error = std::get_if<FieldError>(&parsed)) {
      ++counts.invalid;
      return error_response(400, "invalid_request", error->field + " " + error->message, error->field);
    }
    const Answer a = process(std::get<NotifyRequest>(parsed), "http", request.caller);
    switch (a.kind) {
      case Answer::Kind::kDecided: {
        common::http::HttpResponse r;
        r.status = 202;
        r.body = answer_body(a);
        if (a.replayed) r.headers["idempotent-replayed"] = "true";
        return r;
      }
      case Answer::Kind::kInvalid:
        ++counts.invalid;
        return error_response(400, "invalid_request", a.error.field + " " + a.error.message, a.error.field);
      case Answer::Kind::kConflict:
        ++counts.invalid;
        return error_response(409, "idempotency_key_reused", a.error.field + " " + a.error.message,
                              a.error.field);
      case Answer::Kind::kInProgress: {
        auto r = error_response(409, "in_progress",
                                "this idempotency key is being sent; ask again in a minute",
                                "idempotency_key");
        r.headers["retry-after"] = "60";
        return r;
      }
      case Answer::Kind::kTransient: {
        ++counts.failed;
        s.logger.error("request failed", {{"error", a.detail}});
        auto r = error_response(503, "unavailable",
                                "try again with the same idempotency_key; quote request id " +
                                    invocation->request_id);
        r.headers["retry-after"] = "5";
        return r;
      }
    }
    return error_response(500, "internal_error", "unreachable");
  }

  // ---- the schedule: deferred messages that are due ----
  std::string handle_release() {
    bool stopped_early = false;
    for (int shard = 0; shard < common::consent::kNotifyShards && !stopped_early; ++shard) {
      common::aws::AttributeMap start;
      do {
        if (time_short()) {
          stopped_early = true;
          break;
        }
        common::consent::NotifyDuePage page;
        try {
          page = notifications.due_page(shard, now(), start);
        } catch (const common::aws::AwsException& e) {
          s.logger.error("querying due notifications failed", {{"shard", shard}, {"error", e.what()}});
          ++counts.failed;
          break;
        }
        for (const auto& bad : page.unreadable) {
          ++counts.failed;
          s.logger.error("deferred notification unreadable; skipped", {{"item", bad}});
        }
        for (const auto& due : page.items) {
          if (time_short()) {
            stopped_early = true;
            break;
          }
          release_one(due);
        }
        start = std::move(page.next);
      } while (!start.empty() && !stopped_early);
    }
    json summary = {{"now", common::format_rfc3339(clock_start)},
                    {"released", counts.released},
                    {"sent", counts.sent},
                    {"deferred", counts.deferred},
                    {"blocked", counts.blocked},
                    {"expired", counts.expired},
                    {"outcome_unknown", counts.outcome_unknown},
                    {"failed", counts.failed},
                    {"stopped_early", stopped_early}};
    s.logger.info("release run finished", summary);
    return summary.dump();
  }

  void release_one(Notification n) {
    const bool was_deferred = n.status == NotifyStatus::kDeferred;
    const Notification due = n;  // as found, for giving it back
    bool claimed = false, sending = false;
    json ctx = log_context(n);
    try {
      const auto claim = notifications.claim_due(n, owner, now() + config.claim_lease, now());
      if (claim == NotifyClaimed::Kind::kInProgress) return;  // another run has it
      claimed = true;
      ++counts.released;
      ++n.attempts;
      if (claim == NotifyClaimed::Kind::kTakenOver) {
        (void)conclude(std::move(n), NotifyStatus::kOutcomeUnknown, "earlier_attempt_interrupted");
        return;
      }
      if (n.expires_at && *n.expires_at <= now()) {
        (void)conclude(std::move(n), NotifyStatus::kExpired, "expired_while_deferred");
        return;
      }
      if (!decide_paced(n)) {
        notifications.release(n, owner, true);
        return;
      }
      if (n.status == NotifyStatus::kSent) (void)take_cap_place(n);
      if (n.status == NotifyStatus::kBlocked && n.reason.rfind("expires_before_window", 0) == 0) {
        n.status = NotifyStatus::kExpired;  // deferred again past its expiry: dropped
      }
      if (n.status == NotifyStatus::kSent) {
        sending = true;  // from here the text may have gone out: never given back
        n = send(std::move(n), true);
      } else {
        record(n);
      }
      count_decision(n);
      log_decision(n);
    } catch (const std::exception& e) {
      ++counts.failed;
      if (claimed && !sending && was_deferred) notifications.release(due, owner, true);
      ctx["error"] = e.what();
      s.logger.error("releasing a deferred notification failed; the next run retries", ctx);
    }
  }

  void emit_metrics(const scaffold::Invocation& inv) {
    auto& m = s.metrics;
    m.add("NotifyRequests", counts.requests);
    m.add("NotifySent", counts.sent);
    m.add("NotifyBlocked", counts.blocked);
    m.add("NotifyDeferred", counts.deferred);
    m.add("NotifyExpired", counts.expired);
    m.add("NotifyDuplicates", counts.duplicates);
    m.add("NotifyInvalid", counts.invalid);
    m.add("NotifyFailed", counts.failed);
    m.add("NotifyOutcomeUnknown", counts.outcome_unknown);
    m.add("SegmentsSent", counts.segments);
    m.set_property("requestId", inv.request_id);
    m.flush();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        now().time_since_epoch()).count();
    // One call per line kind, with the names written out: tests/terraform reads them here.
    using common::observe::write_dimensioned_metric;
    std::ostream& out = s.metrics_out;
    const std::string& ns = config.metrics_namespace;
    const std::string& fn = config.function_name;
    for (const auto& [v, n] : counts.sent_by_category) {
      write_dimensioned_metric(out, ns, fn, "Category", v, "NotifySent", n, ms);
    }
    for (const auto& [v, n] : counts.blocked_by_category) {
      write_dimensioned_metric(out, ns, fn, "Category", v, "NotifyBlocked", n, ms);
    }
    for (const auto& [v, n] : counts.deferred_by_category) {
      write_dimensioned_metric(out, ns, fn, "Category", v, "NotifyDeferred", n, ms);
    }
    for (const auto& [v, n] : counts.blocked_by_reason) {
      write_dimensioned_metric(out, ns, fn, "Reason", v, "NotifyBlocked", n, ms);
    }
  }
};

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "notify", c);
  c.allow_raw_body = settings.get_or("NOTIFY_ALLOW_RAW_BODY", "") == "1";
  const std::string templates = settings.get_or("NOTIFY_TEMPLATES", "");
  if (!templates.empty()) {
    try {
      c.templates = parse_templates(templates);
    } catch (const std::invalid_argument& e) {
      settings.problem(std::string("NOTIFY_TEMPLATES: ") + e.what());
    }
  }
  if (c.templates.empty() && !c.allow_raw_body) {
    settings.problem("NOTIFY_TEMPLATES: no template is configured (and NOTIFY_ALLOW_RAW_BODY is off)");
  }
  c.parts_per_second = settings.number("SMS_MAX_PARTS_PER_SECOND", 3, 0.1, 10000);
  c.claim_lease = std::chrono::seconds(
      static_cast<long>(settings.number("NOTIFY_CLAIM_SECONDS", 900, 300, 86400)));
  c.stop_before_deadline = std::chrono::milliseconds(
      static_cast<long>(settings.number("NOTIFY_STOP_BEFORE_DEADLINE_MS", 3000, 0, 600000)));
  c.accept_event_time = settings.get_or("NOTIFY_ACCEPT_EVENT_TIME", "") == "1";
  // A clock from the event would let a caller move quiet hours: only for the local stack.
  if (c.accept_event_time && !env.get("AWS_ENDPOINT_URL_DYNAMODB") && !env.get("AWS_ENDPOINT_URL")) {
    settings.problem("NOTIFY_ACCEPT_EVENT_TIME is for tests on the local stack only (no "
                     "AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL is set)");
  }
  scaffold::read_state_emergencies(settings, env.get("STATE_EMERGENCIES"), c.quiet_hours);
  settings.check("notify");
  return c;
}

Handler::Handler(Config config, Services services)
    : state_(std::make_unique<State>(std::move(config), std::move(services))) {}
Handler::~Handler() = default;
Handler::Handler(Handler&&) noexcept = default;

std::string Handler::handle(const scaffold::Invocation& invocation) {
  State& st = *state_;
  const std::string& payload = invocation.payload;
  TimePoint now = st.s.clock();
  std::string answer;
  const bool http = payload.find("\"requestContext\"") != std::string::npos &&
                    payload.find("\"2.0\"") != std::string::npos;
  if (st.config.accept_event_time) now = event_time(payload, now);
  st.begin(invocation, now);
  try {
    if (common::events::is_sqs_event(payload)) {
      answer = st.handle_sqs(payload);
    } else if (http) {
      answer = st.handle_http(payload);
    } else {
      if (!json::accept(payload)) throw runtime::FunctionError("InvalidEvent", "the event is not JSON");
      answer = st.handle_release();
    }
  } catch (...) {
    st.emit_metrics(invocation);
    throw;
  }
  st.emit_metrics(invocation);
  return answer;
}

}  // namespace notify
