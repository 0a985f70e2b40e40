// reminders: appointment reminders from the appointments table, sent once (claimed before
// sending), only with consent (fail closed), only inside quiet hours in the recipient's local
// time, paced to the origination number's throughput in message parts. Rules:
// docs/compliance.md#fail-closed, #quiet-hours, #one-text-per-intent.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/compliance/quiet_hours.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/time.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace reminders {

/// The shared settings reminders reads (scaffold/settings.hpp).
inline constexpr scaffold::Uses kUses = {
    .contacts_table = scaffold::kRequired, .message_log_table = scaffold::kRequired,
    .appointments_table = scaffold::kRequired, .origination_identity = scaffold::kRequired,
    .configuration_set_name = scaffold::kOptional, .program_name = scaffold::kRequired};

/// The function's configuration, from environment variables (checked at start-up).
struct Config : scaffold::Settings {
  /// REMINDER_TEMPLATE: {program}, {when} ("Tue, Nov 24 at 2:00 PM", appointment's local time),
  /// {location}, {at_location} (" at <location>" or nothing); {{ and }} for braces. Any other
  /// variable, or a brace out of place, is an init error (common/sms/text_template).
  std::string template_text =
      "{program}: Reminder: your appointment is {when}{at_location}. Reply C to confirm, "
      "R to reschedule, STOP to opt out.";
  std::vector<std::chrono::minutes> lead_times{std::chrono::hours(24)};  // REMINDER_LEAD_TIMES
  int shards = 8;                                   // REMINDER_SHARDS (must match the writers)
  std::chrono::hours lookback{25};                  // REMINDER_LOOKBACK_HOURS (default: longest lead + 1 h)
  double parts_per_second = 3;                      // SMS_MAX_PARTS_PER_SECOND
  std::chrono::seconds claim_lease{900};            // REMINDER_CLAIM_SECONDS (> function timeout)
  std::chrono::milliseconds stop_before_deadline{5000};  // REMINDER_STOP_BEFORE_DEADLINE_MS
  /// REMINDERS_ACCEPT_EVENT_TIME=1: an event {"now": "<RFC 3339>"} sets the run's clock (tests
  /// and replays only; never set it in production).
  bool accept_event_time = false;
  /// STATE_EMERGENCIES: USPS codes of states with a declared state of emergency whose rule bans
  /// solicitations meanwhile ("LA"); empty (off) by default. Set it when the governor declares
  /// one and clear it when it ends (docs/compliance.md#state-emergencies).
  common::compliance::QuietHoursOptions quiet_hours;
};

/// Reads Config. Throws std::invalid_argument naming every missing or bad variable.
Config config_from_environment(const common::aws::Environment& env);

/// The scaffold's clients and sinks (built once per process), and what reminders adds.
struct Services : scaffold::Services {
  std::ostream& metrics_out;  ///< for the per-reason EMF line of RemindersBlocked
  std::function<common::TimePoint()> clock = common::now_ms;
  std::function<void(std::chrono::microseconds)> sleep = {};  ///< pacing waits (default: this thread)
};

/// The reminder text from `template_text` (see Config::template_text).
std::string render_reminder(const std::string& template_text, const std::string& program,
                            const std::string& when, const std::string& location);

/// One run per invocation: queries the due reminders, and for each decides, claims, sends and
/// records. Returns a JSON summary {"now","sent","blocked":{reason:n},"deferred","missed",
/// "failed","already_claimed","segments","stopped_early"}; what is left is taken by the next run.
class Handler {
 public:
  Handler(Config config, Services services) : config_(std::move(config)), services_(std::move(services)) {}

  std::string handle(const scaffold::Invocation& invocation);

 private:
  Config config_;
  Services services_;
};

}  // namespace reminders
