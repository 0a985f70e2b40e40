// sms-inbound: two-way SMS from End User Messaging (via SNS) -> consent state, audit log, replies.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/http.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/compliance/keywords.hpp"
#include "common/consent/contact.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "functions/sms-inbound/reply_texts.hpp"
#include "functions/sms-inbound/sns_event.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace sms_inbound {

/// The shared settings sms-inbound reads (scaffold/settings.hpp); APPOINTMENTS_TABLE enables the
/// replies to reminders (C/CONFIRM, R/RESCHEDULE).
inline constexpr scaffold::Uses kUses = {
    .contacts_table = scaffold::kRequired, .message_log_table = scaffold::kRequired,
    .appointments_table = scaffold::kOptional, .origination_identity = scaffold::kRequired,
    .configuration_set_name = scaffold::kOptional, .opt_out_list_name = scaffold::kRequired,
    .program_name = scaffold::kRequired};

/// The function's configuration, from environment variables (checked at start-up): the shared
/// settings of kUses, then its own.
struct Config : scaffold::Settings {
  std::string help_contact;  // HELP_CONTACT (required): phone, e-mail or URL for HELP
  std::string backend_url;   // BACKEND_URL (optional): receives ordinary texts
  std::chrono::milliseconds backend_timeout{3000};  // BACKEND_TIMEOUT_MS
  /// How long one delivery owns a message before a redelivery may take over (a
  /// crashed attempt's lease expires). Must exceed the function timeout.
  std::chrono::seconds processing_lease{900};  // PROCESSING_LEASE_SECONDS
  /// The reply texts per language: the defaults with REPLY_TEXTS and MESSAGE_FREQUENCY, checked
  /// for the required content (docs/compliance.md#required-content). Unset (a Config built by
  /// hand): the Handler uses the defaults for program_name and help_contact.
  std::optional<ReplyTexts> reply_texts;
};

/// Reads Config. Throws std::invalid_argument naming every missing or bad
/// variable, so the init error says what to fix.
Config config_from_environment(const common::aws::Environment& env);

/// The clients and sinks the handler works with, built once per process by the scaffold;
/// `backend` is set only when BACKEND_URL is.
using Services = scaffold::Services;

/// Compliance constants, with their sources (docs/compliance.md).
/// The opt-out confirmation may only be sent this soon after receipt (CTIA; FCC 24-24 one-time
/// confirmation text within 5 minutes, 47 CFR 64.1200(a)(12)).
inline constexpr std::chrono::minutes kConfirmationWindow{5};
/// Records are kept at least 4 years (28 U.S.C. 1658); shared with every function.
inline constexpr std::chrono::days kRetention = common::consent::kRetention;

/// Processes SNS events of inbound SMS. Each record is handled on its own:
/// malformed ones are logged and counted, failed ones (AWS errors that a retry
/// may fix) make the invocation fail after the others are done, so Lambda
/// retries it; already-processed messages are skipped, so the retry repeats nothing.
/// Metrics (EMF, per invocation) include InboundTexts and OptOutsReceived: each text counted
/// once, when processed, as the numerators of ResponseRate and OptOutRate (docs/metrics.md).
class Handler {
 public:
  /// Throws std::invalid_argument when `config` has no reply_texts and the default ones cannot
  /// be built (an empty program_name or help_contact).
  Handler(Config config, Services services);

  /// One invocation: the SNS event in, a JSON summary out
  /// ({"records","processed","duplicates","malformed","failed","results":[...]}; a result has
  /// "language" when the text showed one, docs/compliance.md#languages).
  /// Throws runtime::FunctionError("InvalidEvent") for an event that is not an
  /// SNS event, and ("RecordsFailed") when any record failed retryably.
  std::string handle(const scaffold::Invocation& invocation);

  /// What became of one record (summary entry and log line).
  struct Outcome;

 private:
  Outcome process(const InboundSms& message);

  Config config_;
  Services services_;
  // This invocation's deadline with the scaffold's reserve, and Lambda's own (the lease).
  std::chrono::system_clock::time_point deadline_ = std::chrono::system_clock::time_point::max();
  std::chrono::system_clock::time_point lambda_deadline_ = std::chrono::system_clock::time_point::max();
};

}  // namespace sms_inbound
