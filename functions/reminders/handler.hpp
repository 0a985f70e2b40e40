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
  /// REMINDER_TEMPLATE_ES: the Spanish reminder, sent instead when the contact's language is
  /// "es" (common::consent::Contact::language; docs/compliance.md#template-languages). The same
  /// variables, checked the same way; here {when} is Spanish ("mar 24 de nov a las 2:00 p. m.",
  /// common::appointments::format_when_es) and {at_location} is " en <location>". C and R are
  /// the reply words (sms-inbound reads them in either language), ALTO the opt-out (a Spanish
  /// keyword, docs/compliance.md#opt-out-keywords). The Spanish {when} ends with "p. m." or
  /// "a. m.": a template should not put a period right after it (hence "el {when} tiene...").
  std::string template_text_es =
      "{program}: Recordatorio: el {when} tiene una cita{at_location}. Responda C para "
      "confirmar, R para cambiarla, ALTO para no recibir mensajes.";
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

/// The reminder text from `template_text` (see Config::template_text) in `language` ("es":
/// {at_location} is " en <location>"; anything else: " at <location>"). `when` is already in
/// that language (format_when / format_when_es). Throws std::invalid_argument for a template that
/// does not parse, TextTemplate::MissingVariable for an unknown variable (both excluded at
/// start-up by config_from_environment).
std::string render_reminder(const std::string& template_text, const std::string& program,
                            const std::string& when, const std::string& location,
                            const std::string& language = "en");

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
