#include "functions/reminders/handler.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "common/appointments/appointments.hpp"
#include "common/appointments/recipient.hpp"
#include "common/consent/gate.hpp"
#include "common/compliance/phone.hpp"
#include "common/compliance/quiet_hours.hpp"
#include "common/consent/contact.hpp"
#include "common/consent/store.hpp"
#include "common/sms/outbound.hpp"
#include "common/sms/segments.hpp"
#include "common/sms/text_template.hpp"
#include "common/tz/time_zone.hpp"

namespace reminders {

using common::TimePoint;
using common::appointments::Appointment;
using common::appointments::ReminderOutcome;
using json = nlohmann::json;

namespace {

std::string masked(const std::string& phone) { return common::compliance::mask_phone_number(phone); }

// What happened to one due reminder; counted into the summary.
enum class Result { kSent, kBlocked, kDeferred, kMissed, kFailed, kAlreadyClaimed };

struct Summary {
  int sent = 0, deferred = 0, missed = 0, failed = 0, already_claimed = 0, segments = 0;
  std::map<std::string, int> blocked;
  bool stopped_early = false;
};

// The blocked-reason family, without details such as a zone name (a metric dimension must not
// explode): "unknown_time_zone:Mars/Base" -> "unknown_time_zone".
std::string reason_family(const std::string& reason) { return reason.substr(0, reason.find(':')); }

// Paces sends to a rate in message parts per second; a throttled send halves the rate.
class Run {
 public:
  Run(const Config& config, Services& services, const runtime::Invocation& invocation, TimePoint now)
      : config_(config),
        s_(services),
        invocation_(invocation),
        run_start_(now),
        store_(services.dynamodb, config.appointments_table, config.shards),
        consent_(services.dynamodb, {config.contacts_table, config.message_log_table}),
        pacer_(config.parts_per_second),
        claimant_(invocation.request_id.empty() ? "run-" + common::format_rfc3339(now)
                                                : invocation.request_id) {}

  // One Query per shard (more only when a shard has over a page of due reminders): the due
  // index's layout, common/appointments/appointments.hpp.
  Summary run() {
    const TimePoint from = common::appointments::due_window_start(now(), config_.lookback);
    for (int shard = 0; shard < config_.shards; ++shard) {
      common::aws::AttributeMap start;
      do {
        if (time_short()) return stop();
        common::appointments::DuePage page;
        try {
          page = store_.due_page(shard, from, now(), start);
        } catch (const common::aws::AwsException& e) {
          s_.logger.error("querying due reminders failed", {{"shard", shard}, {"error", e.what()}});
          ++summary_.failed;
          break;
        }
        for (const auto& due : page.items) {
          if (time_short()) return stop();
          count(process(due));
          if (stopping_) return stop();
        }
        start = std::move(page.next);
      } while (!start.empty());
    }
    return summary_;
  }

 private:
  Summary stop() {
    summary_.stopped_early = true;
    s_.logger.info("stopping: invocation time is short; the next run picks up the rest",
                   {{"remaining_ms", invocation_.remaining_time().count()}});
    return summary_;
  }

  bool time_short() const { return invocation_.remaining_time() < config_.stop_before_deadline; }

  void count(Result r) {
    switch (r) {
      case Result::kSent: ++summary_.sent; break;
      case Result::kBlocked: break;  // counted by reason in block()
      case Result::kDeferred: ++summary_.deferred; break;
      case Result::kMissed: ++summary_.missed; break;
      case Result::kFailed: ++summary_.failed; break;
      case Result::kAlreadyClaimed: ++summary_.already_claimed; break;
    }
  }

  Result process(const common::appointments::DueItem& due) {
    if (!due.appointment) {
      s_.logger.error("appointment item unreadable; skipped",
                      {{"appointment_id", due.appointment_id}, {"error", due.error}});
      return Result::kFailed;
    }
    const Appointment& a = *due.appointment;
    try {
      return decide_and_send(a);
    } catch (const common::aws::AwsException& e) {
      s_.logger.error("reminder failed; it stays due for the next run",
                      {{"appointment_id", a.appointment_id}, {"error", e.what()}});
      return Result::kFailed;
    }
  }

  Result decide_and_send(const Appointment& a) {
    const json ctx = {{"appointment_id", a.appointment_id}, {"phone", masked(a.phone_number)},
                      {"lead_minutes", a.reminder_lead.count()}};
    if (a.status == common::appointments::kCancelled) return block(a, "appointment_cancelled", ctx);
    if (now() >= a.starts_at) return miss(a, "appointment_started", ctx);

    // The gate (common/consent/gate): consent first (fail closed: opted in, no opt-out on any
    // channel), then quiet hours where the recipient may be (docs/compliance.md#quiet-hours,
    // #recipient-location, #unknown-state): never the federal window alone.
    const auto recipient = common::appointments::read_recipient(consent_, a.phone_number);
    const auto where = common::consent::locate_recipient(a.phone_number, recipient.time_zone,
                                                         a.time_zone, "appointment");
    const auto gate = common::consent::check_send(recipient.contact,
                                                  common::consent::Category::kTransactional, where,
                                                  now(), config_.quiet_hours);
    using Verdict = common::consent::GateDecision::Verdict;
    const std::vector<std::string> zones = where.zones();
    json qctx = ctx;
    qctx["zones"] = zones;
    qctx["zone_basis"] = where.zone_basis;
    qctx["state"] = where.basis.substr(0, where.basis.find('@'));
    if (gate.verdict == Verdict::kBlock) {
      if (!gate.rule.empty()) qctx["rule"] = gate.rule;
      return block(a, gate.reason, qctx);
    }
    if (gate.verdict == Verdict::kDefer) {
      qctx["rule"] = gate.rule;
      if (*gate.send_at >= a.starts_at) {
        return miss(a, "window_closes_before_appointment:" + gate.reason, qctx);
      }
      qctx["reason"] = gate.reason;
      qctx["next_allowed"] = common::format_rfc3339(*gate.send_at);
      s_.logger.info("reminder deferred: outside allowed hours", qctx);
      return Result::kDeferred;
    }
    const std::string& quiet_basis = where.basis;

    // The text, in the appointment's local time.
    const std::string text_zone = !a.time_zone.empty() ? a.time_zone : zones.front();
    const auto tz = common::tz::TimeZone::load(text_zone);
    if (!tz) return block(a, "unknown_time_zone:" + text_zone, ctx);
    // The contact's language picks the template (docs/compliance.md#template-languages): read
    // with consent above, so choosing it costs no call.
    const bool spanish = recipient.contact.language == "es";
    const std::string language = spanish ? "es" : "en";
    const std::string& template_text = spanish ? config_.template_text_es : config_.template_text;
    const std::chrono::local_seconds local(tz->to_local(a.starts_at).time_since_epoch());
    std::string when = spanish ? common::appointments::format_when_es(local)
                               : common::appointments::format_when(local);
    // With no zone known for the recipient the time alone would be read in their own zone: name
    // the zone it is given in ("Tue, Nov 19 at 2:30 PM EST").
    if (a.time_zone.empty() && where.zone_unknown()) {
      when += " " + tz->abbreviation(a.starts_at);
    }
    // Smart-encoded before counting (common/sms/segments.hpp): a typographic quote in the
    // template or the location never makes the text UCS-2.
    std::string body = common::sms::smart_encode(render_reminder(
        template_text, config_.program_name, when, a.location, language)).text;
    auto segments = common::sms::count_segments(body);
    if (segments.parts > 1 && !a.location.empty()) {
      // One part when the data allows it (healthcare reminders: 160 characters or fewer): the
      // location is what may be long, so it goes first.
      std::string shorter = common::sms::smart_encode(
          render_reminder(template_text, config_.program_name, when, "", language)).text;
      const auto short_segments = common::sms::count_segments(shorter);
      if (short_segments.parts < segments.parts) {
        body = std::move(shorter);
        segments = short_segments;
      }
    }

    const TimePoint claim_until = now() + config_.claim_lease;
    if (!store_.claim(a, claimant_, now(), claim_until)) {
      s_.logger.info("reminder already claimed by another run", ctx);
      return Result::kAlreadyClaimed;
    }

    // Pace in message parts; stop (and give the claim back) when the wait would run into the
    // end of the invocation.
    const auto start = pacer_.next_start();
    const auto wait = start - std::chrono::steady_clock::now();
    if (wait > std::chrono::steady_clock::duration::zero()) {
      if (invocation_.remaining_time() -
              std::chrono::duration_cast<std::chrono::milliseconds>(wait) <
          config_.stop_before_deadline) {
        stopping_ = true;
        release(a);
        return Result::kDeferred;
      }
      sleep(std::chrono::duration_cast<std::chrono::microseconds>(wait));
      // Consent again after the wait: an opt-out may have landed meanwhile (fail closed).
      const auto now_decision = common::consent::may_receive(consent_.read(a.phone_number));
      if (!now_decision.allowed) return finish_blocked(a, std::string(now_decision.reason), body, ctx,
                                                       common::appointments::next_lead(a.starts_at, config_.lead_times, now()));
    }

    // TimeToLive ends at the appointment: a carrier must not deliver a reminder after it starts.
    common::sms::OutboundText text{a.phone_number, body, common::consent::Category::kTransactional,
                                   config_.origination_identity, config_.configuration_set_name,
                                   a.starts_at,
                                   {{"kind", "reminder"}, {"appointment_id", a.appointment_id}}};
    const auto next = common::appointments::next_lead(a.starts_at, config_.lead_times, now());
    const auto request = common::sms::send_request(text, now());
    if (!request) {  // it starts within seconds (after a pacing wait): too late to text
      store_.finish(a, claimant_, ReminderOutcome::kMissed, "appointment_started", "", now(), next);
      json mctx = ctx;
      mctx["reason"] = "appointment_started";
      s_.logger.warn("reminder missed", mctx);
      return Result::kMissed;
    }
    auto sent = s_.sms.send_text_message(*request);
    if (!sent) return send_failed(a, sent.error(), body, ctx, next);
    pacer_.sent(segments.parts);

    const std::string& message_id = sent.value().message_id;
    // The reminder is marked sent first, so that nothing that fails afterwards can make
    // a later run send it again.
    const bool finished =
        store_.finish(a, claimant_, ReminderOutcome::kSent, "", message_id, now(), next);
    common::consent::OutboundRecord outbound{a.phone_number, "reminder", body, message_id, "",
                                             config_.origination_identity, "TRANSACTIONAL", now()};
    outbound.quiet_hours = quiet_basis;
    outbound.language = language;
    consent_.record_outbound(outbound);
    summary_.segments += segments.parts;
    json sctx = ctx;
    sctx["message_id"] = message_id;
    sctx["quiet_hours"] = quiet_basis;
    sctx["segments"] = segments.parts;
    sctx["language"] = language;
    sctx["encoding"] = segments.encoding == common::sms::Encoding::kGsm7 ? "GSM-7" : "UCS-2";
    if (!finished) sctx["warning"] = "claim expired before the reminder was recorded";
    s_.logger.info("reminder sent", sctx);
    return Result::kSent;
  }

  Result send_failed(const Appointment& a, const common::aws::AwsError& error, const std::string& body,
                     const json& ctx, std::optional<std::chrono::minutes> next) {
    json ectx = ctx;
    ectx["error"] = error.describe();
    if (common::sms::classify_send_failure(error) == common::sms::SendFailure::kOptedOut) {
      // The carrier/AWS list says the person opted out: record it as an opt-out of every
      // channel (source carrier), so nothing else texts them either.
      common::appointments::record_carrier_opt_out(consent_, a, now());
      return finish_blocked(a, "carrier_opted_out", body, ctx, next);
    }
    if (error.kind == common::aws::ErrorKind::kThrottling) {
      pacer_.throttled();
      ectx["parts_per_second"] = pacer_.rate();
      s_.logger.warn("send throttled: slowing down; the reminder stays due", ectx);
      release(a);
      return Result::kFailed;
    }
    // (An account refusal, SendFailure::kAccount, is still blocked here like any refusal;
    // notify retries it instead.)
    if (error.retryable()) {
      // With no answer the text may have gone out: keep the claim so the reminder is retried
      // only after the lease, not by this run; with an answer (5xx) nothing was sent.
      if (!error.outcome_unknown()) release(a);
      s_.logger.error("send failed; the reminder stays due", ectx);
      return Result::kFailed;
    }
    s_.logger.error("send refused; reminder blocked", ectx);
    return finish_blocked(a, "send_refused:" + error.code, body, ctx, next);
  }

  // Blocks a reminder that is not claimed yet.
  Result block(const Appointment& a, const std::string& reason, const json& ctx) {
    if (!store_.claim(a, claimant_, now(), now() + config_.claim_lease))
      return Result::kAlreadyClaimed;
    return finish_blocked(a, reason, "", ctx,
                          common::appointments::next_lead(a.starts_at, config_.lead_times, now()));
  }

  Result finish_blocked(const Appointment& a, const std::string& reason, const std::string& body,
                        const json& ctx, std::optional<std::chrono::minutes> next) {
    consent_.record_blocked({a.phone_number, "reminder", body, reason, a.appointment_id, "", now()});
    store_.finish(a, claimant_, ReminderOutcome::kBlocked, reason, "", now(), next);
    json bctx = ctx;
    bctx["reason"] = reason;
    s_.logger.warn("reminder blocked", bctx);
    ++summary_.blocked[reason_family(reason)];
    return Result::kBlocked;
  }

  Result miss(const Appointment& a, const std::string& reason, const json& ctx) {
    if (!store_.claim(a, claimant_, now(), now() + config_.claim_lease))
      return Result::kAlreadyClaimed;
    store_.finish(a, claimant_, ReminderOutcome::kMissed, reason, "", now(),
                  common::appointments::next_lead(a.starts_at, config_.lead_times, now()));
    json mctx = ctx;
    mctx["reason"] = reason;
    s_.logger.warn("reminder missed", mctx);
    return Result::kMissed;
  }

  // Gives the claim back so the next run may send the reminder. A failure here is only
  // logged: the claim then expires after REMINDER_CLAIM_SECONDS, with the same result later.
  void release(const Appointment& a) {
    try {
      store_.release(a, claimant_);
    } catch (const common::aws::AwsException& e) {
      s_.logger.warn("giving a claim back failed; it expires instead",
                     {{"appointment_id", a.appointment_id}, {"error", e.what()}});
    }
  }

  void sleep(std::chrono::microseconds d) {
    if (s_.sleep) {
      s_.sleep(d);
    } else {
      std::this_thread::sleep_for(d);
    }
  }

  const Config& config_;
  Services& s_;
  const runtime::Invocation& invocation_;
  // The run's clock: the time the run started at (the event may fix it in tests), moved on
  // by the real time elapsed, so a long run checks quiet hours and logs sends at send time.
  TimePoint now() const {
    return run_start_ + std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started_);
  }
  TimePoint run_start_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  common::appointments::AppointmentStore store_;
  common::consent::ConsentStore consent_;
  common::sms::Pacer pacer_;
  std::string claimant_;
  Summary summary_;
  bool stopping_ = false;
};

}  // namespace

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "reminders", c);
  c.template_text = settings.get_or("REMINDER_TEMPLATE", c.template_text);
  c.template_text_es = settings.get_or("REMINDER_TEMPLATE_ES", c.template_text_es);
  // Checked once here, each language the same way, so no run ever sends a half-filled text.
  const auto check_template = [&](const char* variable, const std::string& text) {
    try {
      const common::sms::TextTemplate parsed(text);
      for (const auto& name : parsed.variables()) {
        if (name != "program" && name != "when" && name != "location" && name != "at_location") {
          settings.problem(std::string(variable) + ": unknown variable {" + name +
                           "} (known: {program}, {when}, {location}, {at_location})");
        }
      }
    } catch (const std::invalid_argument& e) {
      settings.problem(std::string(variable) + ": " + e.what());
    }
  };
  check_template("REMINDER_TEMPLATE", c.template_text);
  check_template("REMINDER_TEMPLATE_ES", c.template_text_es);
  if (auto leads = env.get("REMINDER_LEAD_TIMES")) {
    auto parsed = common::appointments::parse_lead_times(*leads);
    if (!parsed) {
      settings.problem("REMINDER_LEAD_TIMES must be a list like 24h,2h or 90m");
    } else {
      c.lead_times = *parsed;
    }
  }
  c.shards = static_cast<int>(settings.number("REMINDER_SHARDS", 8, 1, 100));
  const auto longest = std::chrono::ceil<std::chrono::hours>(c.lead_times.front());
  c.lookback = std::chrono::hours(static_cast<int>(settings.number(
      "REMINDER_LOOKBACK_HOURS", static_cast<double>(longest.count() + 1), 0, 24 * 30)));
  c.parts_per_second = settings.number("SMS_MAX_PARTS_PER_SECOND", 3, 0.1, 10000);
  c.claim_lease = std::chrono::seconds(
      static_cast<long>(settings.number("REMINDER_CLAIM_SECONDS", 900, 30, 86400)));
  c.stop_before_deadline = std::chrono::milliseconds(
      static_cast<long>(settings.number("REMINDER_STOP_BEFORE_DEADLINE_MS", 5000, 0, 600000)));
  c.accept_event_time = settings.get_or("REMINDERS_ACCEPT_EVENT_TIME", "") == "1";
  scaffold::read_state_emergencies(settings, env.get("STATE_EMERGENCIES"), c.quiet_hours);
  settings.check("reminders");
  return c;
}

std::string render_reminder(const std::string& template_text, const std::string& program,
                            const std::string& when, const std::string& location,
                            const std::string& language) {
  const std::string at = language == "es" ? " en " : " at ";
  return common::sms::TextTemplate(template_text)
      .render({{"program", program},
               {"when", when},
               {"location", location},
               {"at_location", location.empty() ? std::string() : at + location}});
}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  TimePoint now = services_.clock();
  if (config_.accept_event_time) {
    try {
      auto event = json::parse(invocation.payload);
      if (event.is_object() && event.contains("now") && event["now"].is_string()) {
        auto t = common::parse_rfc3339(event["now"].get<std::string>());
        if (!t) throw runtime::FunctionError("InvalidEvent", "'now' is not an RFC 3339 time");
        now = *t;
      }
    } catch (const json::exception&) {
      throw runtime::FunctionError("InvalidEvent", "the event is not JSON");
    }
  }
  Run run(config_, services_, invocation, now);
  const Summary s = run.run();

  int blocked = 0;
  for (const auto& [reason, n] : s.blocked) blocked += n;
  auto& m = services_.metrics;
  m.add("RemindersSent", s.sent);
  m.add("RemindersBlocked", blocked);
  m.add("RemindersDeferred", s.deferred);
  m.add("RemindersMissed", s.missed);
  m.add("RemindersFailed", s.failed);
  m.add("SegmentsSent", s.segments);
  m.set_property("requestId", invocation.request_id);
  m.flush();
  // By Reason too (the shared Metrics carries FunctionName only).
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  for (const auto& [reason, n] : s.blocked) {
    common::observe::write_dimensioned_metric(services_.metrics_out, config_.metrics_namespace,
                                              config_.function_name, "Reason", reason,
                                              "RemindersBlocked", n, now_ms);
  }
  json summary = {{"now", common::format_rfc3339(now)},
                  {"sent", s.sent},
                  {"blocked", s.blocked},
                  {"deferred", s.deferred},
                  {"missed", s.missed},
                  {"failed", s.failed},
                  {"already_claimed", s.already_claimed},
                  {"segments", s.segments},
                  {"stopped_early", s.stopped_early}};
  services_.logger.info("run finished", summary);
  return summary.dump();
}

}  // namespace reminders
