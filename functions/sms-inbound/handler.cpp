#include "functions/sms-inbound/handler.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "common/appointments/appointments.hpp"
#include "common/compliance/business_days.hpp"
#include "common/consent/store.hpp"
#include "common/compliance/phone.hpp"
#include "common/time.hpp"
#include "common/tz/time_zone.hpp"

namespace sms_inbound {
namespace {

using common::TimePoint;
using common::aws::AttributeMap;
using common::aws::AttributeValue;
using common::aws::AwsError;
using common::aws::AwsException;
using common::aws::ExpressionBuilder;
using common::compliance::MessageIntent;
using json = nlohmann::json;

// A message's lease ends this long after the invocation's deadline.
constexpr std::chrono::seconds kLeaseMargin{10};
constexpr std::string_view kInProgress = "in_progress";
constexpr std::string_view kProcessed = "processed";
using common::consent::Contact;
using common::consent::ContactUpdate;

AttributeValue S(std::string_view s) { return AttributeValue::S(std::string(s)); }
AttributeValue N(std::int64_t n) { return AttributeValue::N(n); }

std::string masked(const std::string& phone) {
  return common::compliance::mask_phone_number(phone);
}

}  // namespace

// What became of one record, for the summary and the log.
struct Handler::Outcome {
  std::string status = "processed";  // processed | duplicate | failed
  std::string intent;
  std::string rule;
  bool possible_revocation = false;
  std::vector<std::string> actions;
  std::string reason;
};

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "sms-inbound", c);
  c.help_contact = settings.required("HELP_CONTACT");
  c.backend_url = settings.get_or("BACKEND_URL", "");
  if (!c.backend_url.empty() && c.backend_url.rfind("http://", 0) != 0 &&
      c.backend_url.rfind("https://", 0) != 0) {
    settings.problem("BACKEND_URL must be an http:// or https:// URL");
  }
  c.backend_timeout = std::chrono::milliseconds(
      static_cast<long long>(settings.number("BACKEND_TIMEOUT_MS", 3000, 1, 900000)));
  c.processing_lease = std::chrono::seconds(
      static_cast<long long>(settings.number("PROCESSING_LEASE_SECONDS", 900, 1, 86400)));
  settings.check("sms-inbound");
  return c;
}

std::string help_text(const Config& c) {
  return c.program_name + ": Help at " + c.help_contact +
         ". Msg&data rates may apply. Reply STOP to cancel.";
}

std::string opt_out_confirmation_text(const Config& c) {
  return c.program_name +
         ": You are unsubscribed and will receive no more messages. Reply START to resubscribe.";
}

std::string appointment_reply_text(const Config& c, bool confirm, const std::string& when) {
  if (when.empty()) {
    return c.program_name + ": We found no upcoming appointment for this number. Help at " +
           c.help_contact + ".";
  }
  return confirm ? c.program_name + ": Confirmed. See you " + when + "."
                 : c.program_name + ": Thanks, we will contact you to reschedule your " + when +
                       " appointment.";
}

std::string opt_in_confirmation_text(const Config& c) {
  return c.program_name +
         ": You are subscribed again. Msg&data rates may apply. Reply HELP for help, STOP to "
         "cancel.";
}

namespace {

// The per-record work, with the stores and the message at hand. Every step is
// idempotent or guarded by a conditional write, so a retried record never
// duplicates a text, a log item or a counter.
class RecordProcessor {
 public:
  RecordProcessor(const Config& config, Services& services, const InboundSms& message)
      : config_(config),
        s_(services),
        m_(message),
        store_(services.dynamodb, {config.contacts_table, config.message_log_table}),
        owner_(services.logger.request_id()) {
    inbound_sk_ = common::format_rfc3339(m_.received_at) + "#in#" + m_.message_id();
    ttl_ = common::epoch_seconds(m_.received_at + kRetention);
  }

  // Returns false when this message was already processed (a redelivery).
  // Claims the message for this attempt. Returns false when it was already
  // processed (a redelivery); throws a retryable error while another attempt owns it.
  bool claim() {
    const TimePoint now = common::now_ms();
    // The lease ends shortly after this invocation's deadline (so Lambda's retry a
    // minute later can take over a timed-out attempt), and never later than
    // PROCESSING_LEASE_SECONDS.
    TimePoint lease_until = now + config_.processing_lease;
    const auto deadline = s_.dynamodb.transport().deadline();
    if (deadline != std::chrono::system_clock::time_point::max()) {
      lease_until = std::min(lease_until, std::chrono::time_point_cast<std::chrono::milliseconds>(
                                              deadline + kLeaseMargin));
    }
    const std::string lease_text = common::format_rfc3339(lease_until);
    common::aws::PutItemRequest put;
    put.table_name = config_.message_log_table;
    put.item = {{"phone_number", S(m_.origination_number)},
                {"sk", S(inbound_sk_)},
                {"direction", S("inbound")},
                {"message_id", S(m_.message_id())},
                {"sns_message_id", S(m_.sns_message_id)},
                {"received_at", S(common::format_rfc3339(m_.received_at))},
                {"message_body", S(m_.message_body)},
                {"processing_status", S(kInProgress)},
                {"lease_expires_at", S(lease_text)},
                {"lease_owner", S(owner_)},
                {"ttl", N(ttl_)}};
    if (!m_.destination_number.empty()) put.item["destination_number"] = S(m_.destination_number);
    if (!m_.message_keyword.empty()) put.item["message_keyword"] = S(m_.message_keyword);
    if (!m_.inbound_message_id.empty()) {
      put.item["inbound_message_id"] = S(m_.inbound_message_id);
    }
    if (!m_.previous_published_message_id.empty()) {
      put.item["previous_published_message_id"] = S(m_.previous_published_message_id);
    }
    put.condition_expression = "attribute_not_exists(" + put.expression.name("phone_number") + ")";
    if (!s_.dynamodb.put_item(put).value().condition_failed) return true;

    auto existing = s_.dynamodb
                        .get_item({config_.message_log_table,
                                   {{"phone_number", S(m_.origination_number)}, {"sk", S(inbound_sk_)}},
                                   true})
                        .value();
    if (existing && common::aws::get_s(*existing, "processing_status") == kProcessed) return false;
    // An earlier attempt crashed or timed out and its lease expired: take it over
    // with an update, so what that attempt recorded (its reply claim) is kept.
    ExpressionBuilder e;
    common::aws::UpdateItemRequest takeover;
    takeover.table_name = config_.message_log_table;
    takeover.key = log_key(inbound_sk_);
    takeover.update_expression = "SET " + e.name("lease_expires_at") + " = " + e.value(S(lease_text)) +
                                 ", " + e.name("lease_owner") + " = " + e.value(S(owner_));
    takeover.condition_expression = e.name("processing_status") + " = " + e.value(S(kInProgress)) +
                                    " AND " + e.name("lease_expires_at") + " < " +
                                    e.value(S(common::format_rfc3339(now)));
    takeover.expression = std::move(e);
    if (!s_.dynamodb.update_item(takeover).value().condition_failed) return true;
    // Another delivery of the same message is being processed right now: let
    // this one fail so Lambda retries it after that one has finished.
    throw AwsException(AwsError{"sms-inbound", "ClaimMessage", "MessageInProgress",
                                "another delivery of this message is being processed", "", 0, "",
                                1, common::aws::ErrorKind::kTransient});
  }

  // Lets a redelivery take over at once after this attempt failed (only our own lease).
  void release_claim() noexcept {
    try {
      ExpressionBuilder e;
      common::aws::UpdateItemRequest u;
      u.table_name = config_.message_log_table;
      u.key = log_key(inbound_sk_);
      u.update_expression = "SET " + e.name("lease_expires_at") + " = " + e.value(S("0"));
      u.condition_expression = e.name("processing_status") + " = " + e.value(S(kInProgress)) +
                               " AND " + e.name("lease_owner") + " = " + e.value(S(owner_));
      u.expression = std::move(e);
      (void)s_.dynamodb.update_item(u);
    } catch (...) {
      // Best effort: the lease expires on its own.
    }
  }

  void finish(const Handler::Outcome& outcome, const std::string& conversation_state) {
    // Conversation counters, counted once per message: the condition makes an
    // immediate retry of the same message a no-op.
    {
      ContactUpdate u;
      u.add("message_count_in", 1);
      u.set("last_inbound_at", S(common::format_rfc3339(m_.received_at)));
      u.set("last_counted_inbound", S(inbound_sk_));
      u.set("conversation_state", S(conversation_state));
      u.set_if_absent("created_at", S(common::format_rfc3339(common::now_ms())));
      auto& e = u.expression();
      std::string condition = "attribute_not_exists(" + e.name("last_counted_inbound") + ") OR " +
                              e.name("last_counted_inbound") + " <> " + e.value(S(inbound_sk_));
      (void)s_.dynamodb.update_item(u.build(config_.contacts_table, m_.origination_number, condition))
          .value();
    }
    ExpressionBuilder e;
    std::string actions;
    for (const auto& a : outcome.actions) actions += (actions.empty() ? "" : ",") + a;
    common::aws::UpdateItemRequest u;
    u.table_name = config_.message_log_table;
    u.key = log_key(inbound_sk_);
    u.update_expression = "SET " + e.name("processing_status") + " = " + e.value(S(kProcessed)) +
                          ", " + e.name("intent") + " = " + e.value(S(outcome.intent)) + ", " +
                          e.name("matched_rule") + " = " + e.value(S(outcome.rule)) + ", " +
                          e.name("possible_revocation") + " = " +
                          e.value(AttributeValue::Bool(outcome.possible_revocation)) + ", " +
                          e.name("actions") + " = " + e.value(S(actions)) + ", " +
                          e.name("processed_at") + " = " +
                          e.value(S(common::format_rfc3339(common::now_ms()))) + " REMOVE " +
                          e.name("lease_expires_at");
    u.expression = std::move(e);
    (void)s_.dynamodb.update_item(u).value();
  }

  Contact read_contact() { return store_.read(m_.origination_number); }

  common::consent::ConsentStore& store() { return store_; }

  void put_consent_event(std::string_view event, const std::string& rule, AttributeMap details) {
    details["rule"] = S(rule);
    details["inbound_message_id"] = S(m_.message_id());
    store_.put_consent_event({m_.origination_number, std::string(event), m_.received_at,
                              m_.message_id(), "sms", "sms_keyword", std::move(details)});
  }

  enum class Send { kSent, kSkipped, kBlocked };

  // Sends one reply to the customer, at most once per inbound message (a claim
  // on the inbound log item), logging it as outbound or blocked.
  // `allowed_without_consent` is for HELP and confirmations (SPEC 2).
  Send reply(std::string_view kind, const std::string& body, bool allowed_without_consent,
             Handler::Outcome& outcome) {
    if (!allowed_without_consent && !common::consent::may_receive(read_contact()).allowed) {
      log_blocked(kind, body, "no_consent");
      outcome.actions.push_back(std::string(kind) + "_blocked_no_consent");
      return Send::kBlocked;
    }
    if (!claim_reply()) {
      outcome.actions.push_back(std::string(kind) + "_already_sent");
      return Send::kSkipped;
    }
    return send(kind, body, outcome, [this] { release_reply_claim(); });
  }

  // The opt-out confirmation: one per opt-out (a claim on the contact), only
  // within kConfirmationWindow of receipt, before the number goes on the opt-out list.
  void confirm_opt_out(Handler::Outcome& outcome) {
    if (common::now_ms() - m_.received_at > kConfirmationWindow) {
      outcome.actions.push_back("confirmation_skipped_window_passed");
      s_.metrics.add("ConfirmationsSkipped", 1);
      return;
    }
    ContactUpdate u;
    u.set("opt_out_confirmation_claimed_at", S(common::format_rfc3339(common::now_ms())));
    auto& e = u.expression();
    // Two claims: one per opt-out on the contact (an opt-in clears it), and one per
    // inbound message on its log item (survives a retry of this message whatever the
    // contact went through meanwhile). Never once the number is on the opt-out list.
    const std::string condition =
        "attribute_not_exists(" + e.name("opt_out_confirmation_claimed_at") + ") AND " +
        "attribute_not_exists(" + e.name("opt_out_list_synced_at") + ") AND " +
        e.name("opt_out_inbound_id") + " = " + e.value(S(m_.message_id()));
    auto claimed = s_.dynamodb
                       .update_item(u.build(config_.contacts_table, m_.origination_number, condition))
                       .value();
    if (claimed.condition_failed || !claim_reply()) {
      outcome.actions.push_back("confirmation_already_sent");
      return;
    }
    auto sent = send("opt_out_confirmation", opt_out_confirmation_text(config_), outcome, [this] {
      ContactUpdate release;
      release.remove("opt_out_confirmation_claimed_at");
      (void)s_.dynamodb.update_item(release.build(config_.contacts_table, m_.origination_number));
      release_reply_claim();
    });
    if (sent == Send::kSent) {
      ContactUpdate done;
      done.set("opt_out_confirmation_sent_at", S(common::format_rfc3339(common::now_ms())));
      done.set("opt_out_confirmation_message_id", S(last_message_id_));
      (void)s_.dynamodb.update_item(done.build(config_.contacts_table, m_.origination_number)).value();
    }
  }

  const std::string& last_message_id() const { return last_message_id_; }
  const InboundSms& message() const { return m_; }

 private:
  AttributeMap log_key(const std::string& sk) const {
    return {{"phone_number", S(m_.origination_number)}, {"sk", S(sk)}};
  }

  bool claim_reply() {
    ExpressionBuilder e;
    common::aws::UpdateItemRequest u;
    u.table_name = config_.message_log_table;
    u.key = log_key(inbound_sk_);
    u.update_expression = "SET " + e.name("reply_claimed_at") + " = " +
                          e.value(S(common::format_rfc3339(common::now_ms())));
    u.condition_expression = "attribute_not_exists(" + e.name("reply_claimed_at") + ")";
    u.expression = std::move(e);
    return !s_.dynamodb.update_item(u).value().condition_failed;
  }

  void release_reply_claim() {
    ExpressionBuilder e;
    common::aws::UpdateItemRequest u;
    u.table_name = config_.message_log_table;
    u.key = log_key(inbound_sk_);
    u.update_expression = "REMOVE " + e.name("reply_claimed_at");
    u.expression = std::move(e);
    (void)s_.dynamodb.update_item(u);
  }

  // Sends a claimed text. A refusal by the service is final and logged as
  // blocked; a throttle or 5xx releases the claim and fails the record so the
  // retry can send; a lost response keeps the claim (the text may have gone
  // out: never risk a second one).
  Send send(std::string_view kind, const std::string& body, Handler::Outcome& outcome,
            const std::function<void()>& release) {
    common::aws::SendTextMessageRequest request;
    request.destination_phone_number = m_.origination_number;
    request.origination_identity = config_.origination_identity;
    request.message_body = body;
    request.message_type = "TRANSACTIONAL";
    request.configuration_set_name = config_.configuration_set_name;
    auto result = s_.sms.send_text_message(request);
    if (result.ok()) {
      last_message_id_ = result.value().message_id;
      log_outbound(kind, body, last_message_id_);
      outcome.actions.push_back(std::string(kind) + "_sent");
      s_.metrics.add("OutboundMessages", 1);
      return Send::kSent;
    }
    const AwsError& error = result.error();
    if (error.outcome_unknown()) {
      log_blocked(kind, body, "outcome_unknown: " + error.code);
      outcome.actions.push_back(std::string(kind) + "_outcome_unknown");
      s_.logger.warn("reply outcome unknown; not resent", {{"kind", kind}, {"error", error.describe()}});
      return Send::kBlocked;
    }
    if (error.retryable()) {
      release();
      throw AwsException(error);
    }
    const std::string reason = error.reason.empty() ? error.code : error.code + "/" + error.reason;
    log_blocked(kind, body, reason);
    outcome.actions.push_back(std::string(kind) + "_refused");
    s_.metrics.add("BlockedSends", 1);
    s_.logger.warn("reply refused by End User Messaging",
                   {{"kind", kind}, {"phone", masked(m_.origination_number)}, {"error", error.describe()}});
    return Send::kBlocked;
  }

  void log_outbound(std::string_view kind, const std::string& body, const std::string& message_id) {
    store_.record_outbound({m_.origination_number, std::string(kind), body, message_id,
                            m_.message_id(), config_.origination_identity, "TRANSACTIONAL",
                            common::now_ms()});
  }

  void log_blocked(std::string_view kind, const std::string& body, const std::string& reason) {
    store_.record_blocked({m_.origination_number, std::string(kind), body, reason, m_.message_id(),
                           m_.message_id(), common::now_ms()});
    s_.logger.info("send blocked", {{"kind", kind}, {"reason", reason},
                                    {"phone", masked(m_.origination_number)}});
  }

  const Config& config_;
  Services& s_;
  const InboundSms& m_;
  common::consent::ConsentStore store_;
  std::string owner_;  // this attempt's lease owner: the invocation's request id
  std::string inbound_sk_;
  std::int64_t ttl_ = 0;
  std::string last_message_id_;
};

}  // namespace

namespace {

// "Tue, Nov 24 at 2:00 PM" in the appointment's zone; in UTC (and saying so) when the
// appointment carries no zone we know.
std::string appointment_when(const common::appointments::Appointment& a) {
  if (auto zone = common::tz::TimeZone::load(a.time_zone)) {
    return common::appointments::format_when(zone->to_local(a.starts_at));
  }
  return common::appointments::format_when(std::chrono::local_seconds(
             std::chrono::floor<std::chrono::seconds>(a.starts_at).time_since_epoch())) +
         " UTC";
}

// A reply to a reminder (C/CONFIRM, R/RESCHEDULE, and YES from a contact who is
// already opted in) acts on the contact's next upcoming appointment and is
// answered briefly. Returns the conversation state when the text was such a
// reply, nullopt when it should be handled as usual (no appointments table, not
// a reply word, no consent, or a YES with no appointment to confirm).
std::optional<std::string> handle_appointment_reply(const Config& config, Services& services,
                                                    RecordProcessor& p, const InboundSms& m,
                                                    const common::compliance::Classification& c,
                                                    Handler::Outcome& outcome) {
  using common::appointments::ReplyAction;
  if (config.appointments_table.empty()) return std::nullopt;
  std::optional<ReplyAction> action;
  const bool yes = c.intent == MessageIntent::kOptIn && c.rule == "keyword:YES";
  if (c.intent == MessageIntent::kOther) action = common::appointments::parse_reply(m.message_body);
  if (yes) action = ReplyAction::kConfirm;
  if (!action) return std::nullopt;
  // YES from an opted-out contact stays the opt-in word (SPEC 2); replies go only
  // to contacts who may receive texts (fail closed).
  if (!common::consent::may_receive(p.read_contact()).allowed) return std::nullopt;

  common::appointments::AppointmentStore store(services.dynamodb, config.appointments_table);
  auto next = store.next_upcoming(m.origination_number, m.received_at).value();
  bool recorded = false;
  if (next) {
    recorded = store.record_reply(next->appointment_id, *action, m.received_at, m.message_id())
                   .value();
  }
  if (!recorded && yes) return std::nullopt;  // nothing to confirm: an ordinary opt-in
  const bool confirm = *action == ReplyAction::kConfirm;
  outcome.intent = "appointment_reply";
  outcome.rule = confirm ? "reply:CONFIRM" : "reply:RESCHEDULE";
  outcome.actions.push_back(!recorded ? "appointment_not_found"
                            : confirm ? "appointment_confirmed"
                                      : "appointment_reschedule_requested");
  services.metrics.add(!recorded ? "AppointmentRepliesUnmatched"
                       : confirm ? "AppointmentsConfirmed"
                                 : "AppointmentRescheduleRequests",
                       1);
  const std::string when = recorded ? appointment_when(*next) : std::string();
  p.reply("appointment_reply", appointment_reply_text(config, confirm, when), false, outcome);
  return recorded ? (confirm ? "appointment_confirmed" : "reschedule_requested") : "open";
}

}  // namespace

Handler::Outcome Handler::process(const InboundSms& m) {
  Outcome outcome;
  RecordProcessor p(config_, services_, m);
  if (!p.claim()) {
    outcome.status = "duplicate";
    return outcome;
  }
  try {
    const auto c = common::compliance::classify_message(m.message_body);
    outcome.intent = std::string(common::compliance::to_string(c.intent));
    outcome.rule = c.rule;
    outcome.possible_revocation = c.possible_revocation;
    const std::string received = common::format_rfc3339(m.received_at);
    std::string conversation_state = "open";

    if (auto state = handle_appointment_reply(config_, services_, p, m, c, outcome)) {
      p.finish(outcome, *state);
      return outcome;
    }

    switch (c.intent) {
      case MessageIntent::kOptOut: {
        conversation_state = "opted_out";
        services_.metrics.add("OptOuts", 1);
        const auto deadline = common::compliance::opt_out_deadline(m.received_at);
        // Universal scope (SPEC 2): every channel, every category. The earliest
        // pending request time, and its deadline, are kept.
        common::consent::OptOutRequest request;
        request.phone_number = m.origination_number;
        request.requested_at = m.received_at;
        request.channel = "sms";
        request.method = "sms";
        request.rule = c.rule;
        request.inbound_message_id = m.message_id();
        const auto recorded = p.store().record_opt_out(request);
        const Contact& contact = recorded.contact;
        const bool stale = recorded.change == common::consent::OptOutChange::kStale;
        p.put_consent_event("opt_out", c.rule,
                            {{"deadline", S(common::format_rfc3339(deadline))},
                             {"superseded_by_opt_in", AttributeValue::Bool(stale)}});
        if (stale) {
          // Texts arrive unordered: an opt-in newer than this STOP stands (SPEC 2). The
          // request is still in the audit log.
          outcome.actions.push_back("opt_out_superseded_by_newer_opt_in");
          services_.logger.warn("opt-out older than the opt-in on record; superseded",
                                {{"phone", masked(m.origination_number)}});
          conversation_state = "opted_in";
          break;
        }
        outcome.actions.push_back("opted_out");
        // One confirmation per opt-out, and never once the number is on the list.
        if (contact.opt_out_inbound_id == m.message_id() && !contact.confirmation_claimed &&
            contact.opt_out_list_synced_at.empty()) {
          p.confirm_opt_out(outcome);
        }
        // Only after the confirmation: AWS refuses texts to listed numbers.
        auto listed = services_.sms.put_opted_out_number(config_.opt_out_list_name,
                                                         m.origination_number);
        if (!listed.ok()) throw AwsException(listed.error());
        // False when opted in again meanwhile: nothing to mark.
        (void)p.store().mark_opt_out_honored(m.origination_number, common::now_ms(), false);
        outcome.actions.push_back("opt_out_list_updated");
        break;
      }
      case MessageIntent::kOptIn: {
        common::consent::OptInRequest opt_in;
        opt_in.phone_number = m.origination_number;
        opt_in.opted_in_at = m.received_at;
        opt_in.method = "sms_keyword";
        opt_in.source = AttributeValue::M({{"channel", S("sms")},
                                           {"keyword", S(c.rule)},
                                           {"inbound_message_id", S(m.message_id())}});
        // Decided by the conditional write itself, so a concurrent newer STOP always wins.
        const auto recorded = p.store().record_opt_in(opt_in);
        if (!recorded.applied) {
          // SPEC 2: an opt-in never overrides a newer opt-out (texts arrive unordered).
          outcome.actions.push_back("opt_in_ignored_newer_opt_out");
          services_.logger.warn("opt-in older than the opt-out on record; ignored",
                                {{"phone", masked(m.origination_number)}});
          conversation_state = "opted_out";
          break;
        }
        conversation_state = "opted_in";
        services_.metrics.add("OptIns", 1);
        p.put_consent_event("opt_in", c.rule, {});
        outcome.actions.push_back("opted_in");
        // Off the opt-out list after the consent is recorded. Asked every time (a number
        // not on the list is a cheap ResourceNotFoundException), so a retry of this
        // message repeats it even though the contact already reads opted in.
        auto removed = services_.sms.delete_opted_out_number(config_.opt_out_list_name,
                                                            m.origination_number);
        if (!removed.ok() && removed.error().retryable()) throw AwsException(removed.error());
        if (removed.ok()) {
          outcome.actions.push_back("opt_out_list_removed");
        } else if (removed.error().code != "ResourceNotFoundException") {
          // E.g. the once-per-30-days limit: consent is recorded, but AWS keeps
          // blocking texts to the number until it can be removed.
          outcome.actions.push_back("opt_out_list_removal_failed");
          services_.logger.warn("could not remove number from the opt-out list",
                                {{"phone", masked(m.origination_number)},
                                 {"error", removed.error().describe()}});
        }
        if (p.read_contact().opted_out()) {
          // A newer STOP landed while we were removing the number: put it back.
          auto relisted = services_.sms.put_opted_out_number(config_.opt_out_list_name,
                                                             m.origination_number);
          if (!relisted.ok()) throw AwsException(relisted.error());
          outcome.actions.push_back("relisted_after_newer_opt_out");
          conversation_state = "opted_out";
          break;
        }
        p.reply("opt_in_confirmation", opt_in_confirmation_text(config_), true, outcome);
        break;
      }
      case MessageIntent::kHelp: {
        // HELP is answered to everyone, subscribed or not (CTIA).
        conversation_state = "help";
        services_.metrics.add("HelpRequests", 1);
        p.reply("help", help_text(config_), true, outcome);
        break;
      }
      case MessageIntent::kOther: {
        if (c.possible_revocation) {
          services_.metrics.add("PossibleRevocations", 1);
          services_.logger.warn("possible revocation, for review",
                                {{"phone", masked(m.origination_number)}, {"rule", c.rule},
                                 {"message_id", m.message_id()}});
          outcome.actions.push_back("flagged_for_review");
        }
        Contact contact = p.read_contact();
        if (!common::consent::may_receive(contact).allowed) {
          outcome.actions.push_back(contact.opted_out() ? "no_reply_opted_out"
                                                        : "no_reply_no_consent");
          break;
        }
        if (services_.backend == nullptr) break;
        json request = {{"phone_number", m.origination_number},
                        {"message_body", m.message_body},
                        {"message_id", m.message_id()},
                        {"timestamp", received}};
        common::aws::HttpRequest http;
        http.method = "POST";
        http.url = config_.backend_url;
        http.headers = {{"Content-Type", "application/json"}};
        http.body = request.dump();
        http.timeout = config_.backend_timeout;
        auto response = services_.backend->send(http);
        if (response.status < 200 || response.status > 299) {
          throw AwsException(AwsError{
              "backend", "POST", response.received() ? "HTTP" + std::to_string(response.status) : "NetworkError",
              response.received() ? "backend answered " + std::to_string(response.status)
                                  : response.transport_error,
              "", response.status, "", 1, common::aws::ErrorKind::kTransient});
        }
        outcome.actions.push_back("forwarded_to_backend");
        std::string reply_text;
        try {
          auto answer = json::parse(response.body);
          if (answer.is_object() && answer.contains("reply") && answer["reply"].is_string()) {
            reply_text = answer["reply"].get<std::string>();
          }
        } catch (const json::exception&) {
          services_.logger.warn("backend answer is not JSON; no reply sent", {});
        }
        if (!reply_text.empty()) p.reply("reply", reply_text, false, outcome);
        break;
      }
    }
    p.finish(outcome, conversation_state);
    return outcome;
  } catch (...) {
    p.release_claim();
    throw;
  }
}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  std::vector<ParsedRecord> records;
  try {
    records = parse_sns_event(invocation.payload);
  } catch (const std::invalid_argument& e) {
    services_.logger.error("invalid event", {{"reason", e.what()}});
    services_.metrics.add("InvalidEvents", 1);
    services_.metrics.flush();
    throw runtime::FunctionError("InvalidEvent", e.what());
  }

  json results = json::array();
  int processed = 0, duplicates = 0, malformed = 0, failed = 0;
  std::string first_failure;
  for (const auto& record : records) {
    json entry = {{"index", record.index}, {"sns_message_id", record.sns_message_id}};
    if (!record.message) {
      ++malformed;
      entry["status"] = "malformed";
      entry["reason"] = record.error;
      services_.metrics.add("MalformedRecords", 1);
      services_.logger.error("malformed record skipped",
                             {{"index", record.index}, {"sns_message_id", record.sns_message_id},
                              {"reason", record.error}});
      results.push_back(entry);
      continue;
    }
    const InboundSms& m = *record.message;
    services_.metrics.add("InboundMessages", 1);
    try {
      Outcome outcome = process(m);
      entry["status"] = outcome.status;
      entry["message_id"] = m.message_id();
      if (outcome.status == "duplicate") {
        ++duplicates;
        services_.metrics.add("DuplicateDeliveries", 1);
        services_.logger.info("duplicate delivery ignored",
                              {{"phone", masked(m.origination_number)}, {"message_id", m.message_id()}});
      } else {
        ++processed;
        entry["intent"] = outcome.intent;
        entry["rule"] = outcome.rule;
        entry["actions"] = outcome.actions;
        if (outcome.possible_revocation) entry["possible_revocation"] = true;
        services_.logger.info("inbound processed",
                              {{"phone", masked(m.origination_number)},
                               {"message_id", m.message_id()},
                               {"intent", outcome.intent},
                               {"rule", outcome.rule},
                               {"actions", outcome.actions}});
      }
    } catch (const std::exception& e) {
      ++failed;
      entry["status"] = "failed";
      entry["message_id"] = m.message_id();
      entry["reason"] = e.what();
      if (first_failure.empty()) first_failure = e.what();
      services_.metrics.add("RecordFailures", 1);
      services_.logger.error("record failed; the invocation will fail so Lambda retries it",
                             {{"phone", masked(m.origination_number)},
                              {"message_id", m.message_id()},
                              {"error", e.what()}});
    }
    results.push_back(entry);
  }
  services_.metrics.flush();
  json summary = {{"records", records.size()}, {"processed", processed},
                  {"duplicates", duplicates},  {"malformed", malformed},
                  {"failed", failed},          {"results", results}};
  if (failed > 0) {
    throw runtime::FunctionError("RecordsFailed", std::to_string(failed) + " of " +
                                                      std::to_string(records.size()) +
                                                      " records failed: " + first_failure);
  }
  return summary.dump(-1, ' ', false, json::error_handler_t::replace);  // never throws here
}

}  // namespace sms_inbound
