// notify: the one way a business sends a text. Three triggers, one gate: an SQS queue (business
// systems enqueue; partial batch failures), POST /messages on the HTTP API (IAM; payload format
// 2.0), and a schedule every 15 minutes that releases deferred messages. Every request passes the
// gate (common/consent/gate: consent for its category, never to a number opted out on any
// channel, quiet hours with the state rules), is sent at most once per idempotency key, and is
// recorded on the message log (common/consent/notifications). docs/compliance.md#notify.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "common/aws/environment.hpp"
#include "common/compliance/quiet_hours.hpp"
#include "common/time.hpp"
#include "functions/notify/request.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace notify {

/// The shared settings notify reads (scaffold/settings.hpp).
inline constexpr scaffold::Uses kUses = {
    .contacts_table = scaffold::kRequired, .message_log_table = scaffold::kRequired,
    .origination_identity = scaffold::kRequired, .configuration_set_name = scaffold::kOptional,
    .program_name = scaffold::kRequired};

/// The largest request body accepted, in bytes (HTTP body or SQS message body).
inline constexpr std::size_t kMaxRequestBytes = 16 * 1024;

/// The function's configuration, from environment variables (checked at start-up).
struct Config : scaffold::Settings {
  /// NOTIFY_TEMPLATES (parse_templates): the program's texts; at least one unless raw bodies
  /// are allowed. An invalid template is an init error naming it.
  Templates templates;
  /// NOTIFY_ALLOW_RAW_BODY=1: a request may carry its own `body` instead of a template (off by
  /// default: configured templates are reviewed once, raw bodies never).
  bool allow_raw_body = false;
  double parts_per_second = 3;  ///< SMS_MAX_PARTS_PER_SECOND, shared with reminders
  /// NOTIFY_CLAIM_SECONDS: how long an attempt holds a message it is sending (> the timeout).
  std::chrono::seconds claim_lease{900};
  /// NOTIFY_STOP_BEFORE_DEADLINE_MS: a batch or release run stops taking new messages this long
  /// before the invocation's deadline; the rest are retried (SQS) or left due (schedule).
  std::chrono::milliseconds stop_before_deadline{3000};
  /// NOTIFY_ACCEPT_EVENT_TIME=1: a schedule event {"now": "<RFC 3339>"} sets the run's clock
  /// (tests and replays only; never set it in production).
  bool accept_event_time = false;
  /// STATE_EMERGENCIES, as reminders (docs/compliance.md#state-emergencies).
  common::compliance::QuietHoursOptions quiet_hours;
};

/// Reads Config. Throws std::invalid_argument naming every missing or bad variable.
Config config_from_environment(const common::aws::Environment& env);

/// The scaffold's clients and sinks, and what notify adds.
struct Services : scaffold::Services {
  std::ostream& metrics_out;  ///< the EMF lines by Category and Reason
  std::function<common::TimePoint()> clock = common::now_ms;
  std::function<void(std::chrono::microseconds)> sleep = {};  ///< pacing waits (default: this thread)
};

/// One invocation, by its trigger:
/// - SQS event: each record's body is a request; answers {"batchItemFailures": [...]} naming only
///   malformed records (an invalid request, a reused idempotency key) and transient failures; a
///   blocked or deferred message is a decision, never a failure.
/// - HTTP API event (payload format 2.0), POST /messages: 202 {"message_id", "status":
///   "sent"|"deferred"|"blocked", "reason"?, "send_at"?, "sms_message_id"?} (a replayed key
///   answers the first result again, with the header Idempotent-Replayed: true; it may then also
///   be "expired" or "outcome_unknown"); 400 naming the field, 409 for a key reused with another
///   request or still in progress, 503 for a transient failure (retry with the same key).
/// - anything else (the schedule's event): releases the deferred messages that are due, with
///   the gate checked again; answers a summary {"released","sent","deferred","blocked",
///   "expired","failed","stopped_early"}.
/// Metrics (EMF): NotifyRequests, NotifySent, NotifyBlocked, NotifyDeferred, NotifyExpired,
/// NotifyDuplicates, NotifyInvalid, NotifyFailed, NotifyOutcomeUnknown, SegmentsSent; NotifySent,
/// NotifyBlocked and NotifyDeferred also by Category, NotifyBlocked by Reason.
class Handler {
 public:
  Handler(Config config, Services services);
  ~Handler();
  Handler(Handler&&) noexcept;

  std::string handle(const scaffold::Invocation& invocation);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace notify
