#include "functions/sms-inbound/handler.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "common/appointments/appointments.hpp"
#include "common/compliance/business_days.hpp"
#include "common/compliance/language.hpp"
#include "common/compliance/phone.hpp"
#include "common/consent/delivery.hpp"
#include "common/consent/honor.hpp"
#include "common/consent/store.hpp"
#include "common/sms/outbound.hpp"
#include "common/error.hpp"
#include "common/sms/segments.hpp"
#include "common/time.hpp"
#include "common/tz/time_zone.hpp"

namespace sms_inbound {
namespace {

using common::TimePoint;
using common::aws::AwsError;
using common::aws::AwsException;
using common::compliance::MessageIntent;
using json = nlohmann::json;

// A message's lease ends this long after the invocation's deadline.
constexpr std::chrono::seconds kLeaseMargin{10};
using common::consent::Contact;


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
  std::string language;  // what the text showed (detect_language), may be empty
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
  // The reply texts and their required content (docs/compliance.md#required-content), once the
  // values they name are there (a missing one is already a problem of its own).
  if (!c.program_name.empty() && !c.help_contact.empty()) {
    try {
      c.reply_texts.emplace(ReplyTextsConfig{c.program_name, c.help_contact,
                                             settings.get_or("REPLY_TEXTS", ""),
                                             settings.get_or("MESSAGE_FREQUENCY", "")});
    } catch (const std::invalid_argument& e) {
      settings.problem(e.what());
    }
  }
  settings.check("sms-inbound");
  return c;
}

Handler::Handler(Config config, Services services)
    : config_(std::move(config)), services_(services) {
  if (!config_.reply_texts) {
    config_.reply_texts.emplace(ReplyTextsConfig{config_.program_name, config_.help_contact, "", ""});
  }
}

namespace {

using common::consent::ConsentStore;
using common::consent::Confirmation;
using common::consent::InboundApplied;
using common::consent::InboundClaim;
using common::consent::InboundRecord;

InboundRecord inbound_record(const InboundSms& m) {
  InboundRecord r;
  r.phone_number = m.origination_number;
  r.message_id = m.message_id();
  r.received_at = m.received_at;
  r.body = m.message_body;
  r.sns_message_id = m.sns_message_id;
  r.destination_number = m.destination_number;
  r.message_keyword = m.message_keyword;
  r.inbound_message_id = m.inbound_message_id;
  r.previous_published_message_id = m.previous_published_message_id;
  return r;
}

// One inbound text's unit of work: the decisions are the handler's, every write goes through
// the ConsentStore, and what can wait is written together at the end (complete()). Every step is
// idempotent or guarded by a conditional write, so a retried record never duplicates a text, a
// log item or a counter. Calls per path: docs/round-trips.md.
class RecordProcessor {
 public:
  RecordProcessor(const Config& config, Services& services, const InboundSms& message,
                  std::chrono::system_clock::time_point deadline)
      : config_(config),
        s_(services),
        m_(message),
        rec_(inbound_record(message)),
        store_(services.dynamodb, {config.contacts_table, config.message_log_table}),
        owner_(services.logger.request_id()),
        deadline_(deadline) {
    finish_.phone_number = m_.origination_number;
  }

  // Claims the message for this attempt. Returns false when it was already processed (a
  // redelivery); throws a retryable error while another attempt owns it.
  bool claim() {
    // The lease ends shortly after this invocation's deadline (so Lambda's retry a minute later
    // can take over a timed-out attempt), and never later than PROCESSING_LEASE_SECONDS.
    TimePoint lease_until = common::now_ms() + config_.processing_lease;
    if (deadline_ != std::chrono::system_clock::time_point::max()) {
      lease_until = std::min(lease_until, std::chrono::time_point_cast<std::chrono::milliseconds>(
                                              deadline_ + kLeaseMargin));
    }
    const auto claimed = store_.claim_inbound(rec_, owner_, lease_until);
    if (claimed.claim == InboundClaim::kDuplicate) return false;
    reply_claimed_ = claimed.reply_claimed;
    return true;
  }

  // Lets a redelivery take over at once after this attempt failed.
  void release() noexcept { store_.release_inbound(rec_, owner_); }

  // The text's one contact write (ConsentStore::apply_inbound), with the language the text
  // showed (empty: unchanged). Every reply after it is in the contact's language as written
  // (docs/compliance.md#languages).
  InboundApplied apply(const std::string& conversation_state,
                       std::optional<common::consent::OptOutRequest> opt_out, bool claim_confirmation,
                       const std::string& language) {
    common::consent::InboundChange change;
    change.message = &rec_;
    change.conversation_state = conversation_state;
    change.opt_out = std::move(opt_out);
    change.claim_confirmation = claim_confirmation;
    change.language = language;
    auto applied = store_.apply_inbound(change);
    language_ = applied.contact.language.empty() ? std::string(common::compliance::kEnglish)
                                                 : applied.contact.language;
    return applied;
  }

  // The language of this text's replies: the contact's after apply() ("en" when none recorded).
  const std::string& language() const { return language_; }
  // A configured reply in the contact's language.
  std::string text(Reply reply, const std::string& when = {}) const {
    return config_.reply_texts->render(reply, language_, when);
  }

  Contact read_contact() { return store_.read(m_.origination_number); }
  ConsentStore& store() { return store_; }
  // The contact write after the sends; written by complete() unless honour() wrote it.
  common::consent::ContactFinish& finish() { return finish_; }

  // A consent event of this text (the audit log), for the final write.
  common::consent::ConsentEvent& consent_event(std::string_view event, const std::string& rule) {
    common::consent::ConsentEvent ev{m_.origination_number, std::string(event), m_.received_at,
                                     m_.message_id(), "sms", "sms_keyword"};
    ev.rule = rule;
    ev.inbound_message_id = m_.message_id();
    writes_.consent_events.push_back(std::move(ev));
    return writes_.consent_events.back();
  }

  // Puts the number on the opt-out list, then writes the contact with the honoured mark
  // (common::consent::honor_opt_out). A failed list update fails the record, so SNS redelivers.
  void honour(Handler::Outcome& outcome) {
    auto honoured = common::consent::honor_opt_out(store_, s_.sms, config_.opt_out_list_name, finish_);
    finish_written_ = true;
    if (!honoured.listed) throw AwsException(*honoured.list_error);
    outcome.actions.push_back("opt_out_list_updated");
    // The honour's evidence goes with this text's final log items (no extra call). Also when an
    // earlier attempt marked it: the item's key is the same, so the retry writes what it missed.
    if (honoured.finished.written) {
      if (auto ev = common::consent::honored_event(honoured.finished.contact, "sms-inbound")) {
        writes_.consent_events.push_back(std::move(*ev));
      }
    }
  }

  enum class Send { kSent, kSkipped, kBlocked };

  // Sends one reply to the customer, at most once per inbound message (a claim on the inbound
  // log item), logging it as outbound or blocked. `allowed_without_consent` is for HELP and
  // confirmations (CTIA; docs/compliance.md#help-answers); any other reply re-reads the contact
  // first, so a STOP that landed meanwhile blocks it (fail closed).
  Send reply(std::string_view kind, const std::string& body, bool allowed_without_consent,
             Handler::Outcome& outcome) {
    if (!allowed_without_consent && !common::consent::may_receive(read_contact()).allowed) {
      log_blocked(kind, body, "no_consent");
      outcome.actions.push_back(std::string(kind) + "_blocked_no_consent");
      return Send::kBlocked;
    }
    if (reply_claimed_ || !store_.claim_reply(rec_)) {
      reply_claimed_ = true;
      outcome.actions.push_back(std::string(kind) + "_already_sent");
      return Send::kSkipped;
    }
    reply_claimed_ = true;
    return send(kind, body, outcome, [this] {
      store_.release_reply(rec_);
      reply_claimed_ = false;
    });
  }

  // The opt-out confirmation: one per opt-out (claimed on the contact by apply_inbound), only
  // within kConfirmationWindow of receipt, before the number goes on the opt-out list.
  void confirm_opt_out(const InboundApplied& applied, bool within_window, Handler::Outcome& outcome) {
    const Contact& contact = applied.contact;
    const std::string kind = "opt_out_confirmation";
    switch (applied.confirmation) {
      case Confirmation::kClaimed: {
        auto sent = send(kind, text(Reply::kOptOutConfirmation), outcome, [this] {
          store_.release_confirmation(m_.origination_number, m_.message_id());
        });
        if (sent == Send::kSent) finish_.confirmation_message_id = last_message_id_;
        if (sent == Send::kBlocked && last_outcome_unknown_) {
          finish_.confirmation_outcome_unknown_at = common::format_rfc3339(common::now_ms());
        }
        return;
      }
      case Confirmation::kSentBefore:
        // An earlier attempt sent it and recorded its MessageId: its log item, once more.
        writes_.outbound.push_back(outbound(kind, text(Reply::kOptOutConfirmation),
                                            applied.confirmation_message_id, false));
        outcome.actions.push_back("confirmation_already_sent");
        return;
      case Confirmation::kOutcomeUnknown:
        // An earlier attempt claimed it and stopped before recording the send: it may have gone
        // out, so it is never sent again; the log says so.
        writes_.outbound.push_back(outbound(kind, text(Reply::kOptOutConfirmation), "", true));
        finish_.confirmation_outcome_unknown_at = common::format_rfc3339(common::now_ms());
        outcome.actions.push_back("confirmation_outcome_unknown");
        s_.logger.warn("opt-out confirmation of an interrupted attempt: outcome unknown, not resent",
                       {{"phone", masked(m_.origination_number)}, {"message_id", m_.message_id()}});
        return;
      case Confirmation::kNone:
        if (!within_window && contact.opt_out_inbound_id == m_.message_id() &&
            !contact.confirmation_claimed && contact.opt_out_list_synced_at.empty()) {
          outcome.actions.push_back("confirmation_skipped_window_passed");
          s_.metrics.add("ConfirmationsSkipped", 1);
        }
        return;
    }
  }

  // Writes what waited for the end: the contact (unless honour() did), then the message-log
  // items with this text's final state, so a crash before it leaves a claim a redelivery finishes.
  void complete(const Handler::Outcome& outcome) {
    if (!finish_written_) (void)store_.finish_contact(finish_);
    writes_.inbound = &rec_;
    writes_.inbound_result = {outcome.intent, outcome.rule, outcome.possible_revocation,
                              outcome.actions, reply_claimed_, outcome.language};
    store_.write_log(writes_);
  }

 private:
  // Sends a claimed text. A refusal by the service is final and logged as blocked; a throttle or
  // 5xx releases the claim and fails the record so the retry can send; a lost response keeps the
  // claim (the text may have gone out: never risk a second one).
  Send send(std::string_view kind, const std::string& text, Handler::Outcome& outcome,
            const std::function<void()>& release) {
    // Smart-encoded (common/sms/segments.hpp): what is sent is what the log records. A reply
    // answers what the person just sent: transactional, no expiry (so send_request always
    // builds it).
    const std::string body = common::sms::smart_encode(text).text;
    // Context names the reply's message-log item (its key is known before the send), so its
    // delivery events update it in one call, without waiting for the message-id index.
    const auto request = common::sms::send_request(
        {m_.origination_number, body, common::consent::Category::kTransactional,
         config_.origination_identity, config_.configuration_set_name, std::nullopt,
         {{"kind", std::string(kind)},
          {std::string(common::consent::kContextMessageRef),
           outbound(kind, body, "", false).message_ref()}}},
        common::now_ms());
    auto result = s_.sms.send_text_message(*request);
    last_outcome_unknown_ = false;
    if (result.ok()) {
      last_message_id_ = result.value().message_id;
      writes_.outbound.push_back(outbound(kind, body, last_message_id_, false));
      finish_.sent += 1;
      finish_.last_outbound_at = common::now_ms();
      outcome.actions.push_back(std::string(kind) + "_sent");
      s_.metrics.add("OutboundMessages", 1);
      return Send::kSent;
    }
    const AwsError& error = result.error();
    if (error.outcome_unknown()) {
      last_outcome_unknown_ = true;
      writes_.outbound.push_back(outbound(kind, body, "", true));
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

  // The outbound item of a reply to this text: keyed by the inbound message and the kind, so
  // every attempt at the same reply writes the same item.
  common::consent::OutboundRecord outbound(std::string_view kind, const std::string& body,
                                           const std::string& message_id, bool outcome_unknown) const {
    common::consent::OutboundRecord r;
    r.phone_number = m_.origination_number;
    r.kind = std::string(kind);
    r.body = common::sms::smart_encode(body).text;  // as send() sent it (idempotent)
    r.message_id = message_id;
    r.in_reply_to = m_.message_id();
    r.origination_identity = config_.origination_identity;
    r.message_type = "TRANSACTIONAL";
    r.sent_at = common::now_ms();
    r.ref_id = m_.message_id();
    r.ref_at = m_.received_at;
    r.outcome_unknown = outcome_unknown;
    // A backend's reply is its own text, in a language we do not know.
    if (kind != "reply") r.language = language_;
    return r;
  }

  void log_blocked(std::string_view kind, const std::string& body, const std::string& reason) {
    writes_.blocked.push_back({m_.origination_number, std::string(kind), body, reason,
                               m_.message_id(), m_.message_id(), common::now_ms()});
    s_.logger.info("send blocked", {{"kind", kind}, {"reason", reason},
                                    {"phone", masked(m_.origination_number)}});
  }

  const Config& config_;
  Services& s_;
  const InboundSms& m_;
  InboundRecord rec_;
  ConsentStore store_;
  std::string owner_;  // this attempt's lease owner: the invocation's request id
  std::chrono::system_clock::time_point deadline_;
  bool reply_claimed_ = false;
  bool finish_written_ = false;
  bool last_outcome_unknown_ = false;
  std::string last_message_id_;
  std::string language_ = std::string(common::compliance::kEnglish);
  common::consent::ContactFinish finish_;
  common::consent::LogWrites writes_;
};

// "Tue, Nov 24 at 2:00 PM" in the appointment's zone; in UTC (and saying so) when the
// appointment carries no zone we know.
std::string appointment_when(const common::appointments::Appointment& a, std::string_view language) {
  if (auto zone = common::tz::TimeZone::load(a.time_zone)) {
    return format_when_in(zone->to_local(a.starts_at), language);
  }
  return format_when_in(std::chrono::local_seconds(
                            std::chrono::floor<std::chrono::seconds>(a.starts_at).time_since_epoch()),
                        language) +
         " UTC";
}

// A reply to a reminder (C/CONFIRM, R/RESCHEDULE, and YES from a contact who is
// already opted in) acts on the contact's next upcoming appointment and is
// answered briefly. Returns the conversation state when the text was such a
// reply, nullopt when it should be handled as usual (no appointments table, not
// a reply word, no consent, or a YES with no appointment to confirm).
std::optional<std::string> handle_appointment_reply(const Config& config, Services& services,
                                                    RecordProcessor& p, const Contact& contact,
                                                    const InboundSms& m,
                                                    const common::compliance::Classification& c,
                                                    Handler::Outcome& outcome) {
  using common::appointments::ReplyAction;
  if (config.appointments_table.empty()) return std::nullopt;
  std::optional<ReplyAction> action;
  // YES and its Spanish SI (docs/compliance.md#opt-in-keywords).
  const bool yes = c.intent == MessageIntent::kOptIn &&
                   (c.rule == "keyword:YES" || c.rule == "keyword:SI");
  if (c.intent == MessageIntent::kOther) action = common::appointments::parse_reply(m.message_body);
  if (yes) action = ReplyAction::kConfirm;
  if (!action) return std::nullopt;
  // YES from an opted-out contact stays the opt-in word (docs/compliance.md#opt-in-keywords);
  // replies go only to contacts who may receive texts (fail closed).
  if (!common::consent::may_receive(contact).allowed) return std::nullopt;

  common::appointments::AppointmentStore store(services.dynamodb, config.appointments_table);
  auto next = store.next_upcoming(m.origination_number, m.received_at);
  bool recorded = false;
  if (next) {
    recorded = store.record_reply(next->appointment_id, *action, m.received_at, m.message_id());
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
  const std::string when = recorded ? appointment_when(*next, p.language()) : std::string();
  const Reply reply = !recorded ? Reply::kAppointmentNotFound
                      : confirm ? Reply::kAppointmentConfirmed
                                : Reply::kAppointmentReschedule;
  p.reply("appointment_reply", p.text(reply, when), false, outcome);
  return recorded ? (confirm ? "appointment_confirmed" : "reschedule_requested") : "open";
}

// The conversation state an intent leaves, as far as it is known before acting on it.
std::string initial_state(MessageIntent intent) {
  switch (intent) {
    case MessageIntent::kOptOut: return "opted_out";
    case MessageIntent::kOptIn: return "opted_in";
    case MessageIntent::kHelp: return "help";
    case MessageIntent::kOther: break;
  }
  return "open";
}

}  // namespace

Handler::Outcome Handler::process(const InboundSms& m) {
  Outcome outcome;
  RecordProcessor p(config_, services_, m, lambda_deadline_);
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
    const std::string state = initial_state(c.intent);

    // The one contact write of this text; for STOP it records the opt-out (universal scope:
    // every channel, every category; the earliest pending request and its deadline are kept)
    // and claims the one confirmation when it is still due.
    std::optional<common::consent::OptOutRequest> opt_out;
    const bool within_window = common::now_ms() - m.received_at <= kConfirmationWindow;
    if (c.intent == MessageIntent::kOptOut) {
      opt_out.emplace();
      opt_out->phone_number = m.origination_number;
      opt_out->requested_at = m.received_at;
      opt_out->channel = "sms";
      opt_out->method = "sms";
      opt_out->rule = c.rule;
      opt_out->inbound_message_id = m.message_id();
    }
    outcome.language = common::compliance::detect_language(c);
    const InboundApplied applied =
        p.apply(state, opt_out, opt_out && within_window, outcome.language);

    if (auto next_state = handle_appointment_reply(config_, services_, p, applied.contact, m, c,
                                                   outcome)) {
      if (*next_state != state) p.finish().conversation_state = *next_state;
      p.complete(outcome);
      return outcome;
    }

    switch (c.intent) {
      case MessageIntent::kOptOut: {
        services_.metrics.add("OptOuts", 1);
        const bool stale = applied.change == common::consent::OptOutChange::kStale;
        auto& event = p.consent_event("opt_out", c.rule);
        event.deadline = common::compliance::opt_out_deadline(m.received_at);
        event.superseded_by_opt_in = stale;
        // A redelivery after a failed first attempt finds this text's own opt-out on record: it
        // is still this text's revocation, as the first attempt decided.
        event.change = std::string(common::consent::to_string(
            applied.own_opt_out ? common::consent::OptOutChange::kNew : applied.change));
        if (stale) {
          // Texts arrive unordered: an opt-in newer than this STOP stands
          // (docs/compliance.md#unordered-messages).
          // The request is still in the audit log.
          outcome.actions.push_back("opt_out_superseded_by_newer_opt_in");
          services_.logger.warn("opt-out older than the opt-in on record; superseded",
                                {{"phone", masked(m.origination_number)}});
          break;
        }
        outcome.actions.push_back("opted_out");
        p.confirm_opt_out(applied, within_window, outcome);
        // Only after the confirmation: AWS refuses texts to listed numbers.
        p.honour(outcome);
        break;
      }
      case MessageIntent::kOptIn: {
        common::consent::OptInRequest opt_in;
        opt_in.phone_number = m.origination_number;
        opt_in.opted_in_at = m.received_at;
        opt_in.method = "sms_keyword";
        opt_in.source = {{"channel", "sms"}, {"keyword", c.rule}, {"inbound_message_id", m.message_id()}};
        // Decided by the conditional write itself, so a concurrent newer STOP always wins.
        const auto recorded = p.store().record_opt_in(opt_in);
        if (!recorded.applied) {
          // An opt-in never overrides a newer opt-out (texts arrive unordered).
          outcome.actions.push_back("opt_in_ignored_newer_opt_out");
          services_.logger.warn("opt-in older than the opt-out on record; ignored",
                                {{"phone", masked(m.origination_number)}});
          p.finish().conversation_state = "opted_out";
          break;
        }
        services_.metrics.add("OptIns", 1);
        p.consent_event("opt_in", c.rule).applied = true;
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
          p.finish().conversation_state = "opted_out";
          break;
        }
        p.reply("opt_in_confirmation", p.text(Reply::kOptInConfirmation), true, outcome);
        break;
      }
      case MessageIntent::kHelp: {
        // HELP is answered to everyone, subscribed or not (CTIA).
        services_.metrics.add("HelpRequests", 1);
        p.reply("help", p.text(Reply::kHelp), true, outcome);
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
        const Contact& contact = applied.contact;
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
        // Never past the scaffold's reserve: a slow backend fails the record in time to say so.
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline_ - std::chrono::system_clock::now());
        http.timeout = deadline_ == std::chrono::system_clock::time_point::max()
                           ? config_.backend_timeout
                           : std::clamp(left, std::chrono::milliseconds(1), config_.backend_timeout);
        auto response = services_.backend->send(http);
        if (response.status < 200 || response.status > 299) {
          throw common::Error::transient(
              "backend", response.received() ? "HTTP" + std::to_string(response.status) : "NetworkError",
              response.received() ? "backend answered " + std::to_string(response.status)
                                  : response.transport_error);
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
    p.complete(outcome);
    return outcome;
  } catch (...) {
    p.release();
    throw;
  }
}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  deadline_ = invocation.deadline;
  lambda_deadline_ = invocation.lambda_deadline;
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
        // Once per text, only when it is done (a redelivery is a duplicate, a failed attempt
        // counts on its successful retry): the numerators of ResponseRate and OptOutRate
        // (docs/metrics.md), unlike InboundMessages and OptOuts, which count attempts.
        services_.metrics.add("InboundTexts", 1);
        if (outcome.intent == common::compliance::to_string(MessageIntent::kOptOut)) {
          services_.metrics.add("OptOutsReceived", 1);
        }
        entry["intent"] = outcome.intent;
        entry["rule"] = outcome.rule;
        entry["actions"] = outcome.actions;
        if (outcome.possible_revocation) entry["possible_revocation"] = true;
        if (!outcome.language.empty()) entry["language"] = outcome.language;
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
