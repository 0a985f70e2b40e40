// One outbound text as End User Messaging's SendTextMessage takes it, built in one place for every
// function that sends (reminders, sms-inbound's replies, and next notify): MessageType from the
// text's category, TimeToLive from when the text stops being useful, Context naming what it is.
// And the pace shared by every bulk sender, in message parts per second.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "common/aws/sms_voice.hpp"
#include "common/consent/gate.hpp"
#include "common/time.hpp"

namespace common::sms {

/// What a function wants sent.
struct OutboundText {
  std::string destination;  ///< E.164
  std::string body;         ///< the final text (1-1600 characters)
  common::consent::Category category = common::consent::Category::kTransactional;
  std::string origination_identity;    ///< our number, pool id or their ARN
  std::string configuration_set_name;  ///< "" for none
  /// The text is worthless after this instant (an appointment that starts, a notification's
  /// expires_at): carriers must not deliver it later. nullopt: End User Messaging's default.
  std::optional<TimePoint> expires_at{};
  /// What the text is, for the delivery events that echo it (at most 5 entries, AWS's limit).
  std::map<std::string, std::string> context{};
};

/// End User Messaging's limits on TimeToLive, in seconds (SendTextMessage).
inline constexpr int kMinTimeToLiveSeconds = 5;
inline constexpr int kMaxTimeToLiveSeconds = 259200;  // 72 hours

/// "PROMOTIONAL" for marketing, "TRANSACTIONAL" otherwise (SendTextMessage MessageType).
std::string message_type(common::consent::Category category);

/// The SendTextMessage request for `text` at `now`: MessageType from the category, TimeToLive
/// the whole seconds from `now` to `expires_at` (at most 72 hours; unset without expires_at).
/// nullopt when the text expires in less than kMinTimeToLiveSeconds: it must not be sent (the
/// caller records it as expired or missed).
std::optional<common::aws::SendTextMessageRequest> send_request(const OutboundText& text,
                                                                TimePoint now);

/// What a failed SendTextMessage means for the text, for every sender alike.
enum class SendFailure {
  kOptedOut,   ///< ConflictException, Reason DESTINATION_PHONE_NUMBER_OPTED_OUT: the number is on
               ///< the account's opt-out list (docs/compliance.md#carrier-opt-outs); not sent
  kAccount,    ///< answered AccessDenied, ServiceQuotaExceeded (the spend limit) or
               ///< ResourceNotFound (configuration set, identity): the account or its
               ///< configuration refused, not this text; not sent
  kNotSent,    ///< throttled or a 5xx, answered: not sent, a later attempt may succeed
  kMaybeSent,  ///< an attempt got no answer: it may have gone out; never sent again
  kRefused,    ///< any other final error: End User Messaging refuses this text
};

/// Classifies a SendTextMessage error (the order above: an opt-out first, then the account, then
/// whether an answer says nothing was sent).
SendFailure classify_send_failure(const common::aws::AwsError& error);

/// Paces sends to a throughput in message parts per second (an origination number's limit: 3 for
/// toll-free, more for 10DLC), halving it after a throttle. Not thread-safe: one per run.
class Pacer {
 public:
  /// `parts_per_second` > 0.
  explicit Pacer(double parts_per_second) : rate_(parts_per_second) {}
  /// When the next send may start (steady clock).
  std::chrono::steady_clock::time_point next_start() const { return next_; }
  /// Records a send of `parts` message parts now: the next one waits parts / rate seconds.
  void sent(int parts);
  /// Halves the rate (not below 0.1 parts a second) after End User Messaging throttled a send.
  void throttled();
  /// The current rate, in parts per second.
  double rate() const { return rate_; }

 private:
  double rate_;
  std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now();
};

}  // namespace common::sms
