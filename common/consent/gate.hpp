// The send gate: the one decision every scheduled or business text goes through before it is sent
// (reminders today, notify next): consent for the text's category, then quiet hours where the
// recipient may be. Pure functions, no I/O: the caller reads the contact and records the outcome
// through the ConsentStore. docs/compliance.md#fail-closed, #quiet-hours, #unknown-state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/compliance/quiet_hours.hpp"
#include "common/consent/contact.hpp"
#include "common/time.hpp"

namespace common::consent {

/// What a text is, for consent and for End User Messaging's MessageType.
enum class Category {
  kTransactional,  ///< informational (a reminder, an order update): prior express consent
  kMarketing,      ///< a telephone solicitation: prior express written consent
};

/// Where a text's recipient may be, for quiet hours, and how that was found.
struct RecipientLocation {
  /// The USPS code of the area code's state, or "" when not known (every state's rule applies).
  std::string state;
  /// The places quiet hours check (one per zone; every US zone when no zone is known).
  std::vector<common::compliance::RecipientPlace> places;
  /// Where the zones came from: "contact", the hint's name (e.g. "appointment"), "area_code",
  /// "every_us_zone" or "every_us_zone(unknown_zone:<name>)".
  std::string zone_basis;
  /// What the message log records (`quiet_hours` attribute): "<state or
  /// any_state(unknown_area_code|not_nanp)>@<zones or every_us_zone>", e.g.
  /// "FL@America/New_York".
  std::string basis;

  /// The zones of `places`, in order.
  std::vector<std::string> zones() const;
  /// True when no zone is known for the recipient (every US zone is checked).
  bool zone_unknown() const { return zone_basis.rfind("every_us_zone", 0) == 0; }
};

/// Finds where the holder of E.164 number `e164` may be: the state from its area code
/// (common/compliance/area_codes), the zone from `contact_zone`, else `hint_zone` (e.g. the
/// appointment's; zone_basis `hint_basis`), else the area code's zones, else every US zone. A stored zone that is not
/// embedded counts as no zone when the state is not known (a Canadian number's
/// America/Toronto); with a known state it is kept, and quiet hours then fail closed on it.
RecipientLocation locate_recipient(std::string_view e164, std::string_view contact_zone,
                                   std::string_view hint_zone, std::string_view hint_basis = "hint");

/// Whether `contact` holds prior express written consent to marketing texts (47 CFR
/// 64.1200(a)(2), (f)(9)): opted in (may_receive allows it), with evidence that says so: an
/// opt-in time, a method other than "verbal" (a written agreement, an e-signature, a web form or
/// a keyword reply under the E-SIGN Act; an unrecorded verbal consent is not written), and a
/// disclosure version that names marketing (contains "marketing", any case).
bool has_written_marketing_consent(const Contact& contact);

/// The marketing texts `contact` received in the 24 hours before `now` (Contact::marketing_sent_at
/// after `now` - 24 h), oldest first.
std::vector<TimePoint> marketing_sends_in_24h(const Contact& contact, TimePoint now);

/// Frequency caps (docs/compliance.md#frequency-caps): with `recent` (marketing_sends_in_24h)
/// under a cap of `per_24h` a day (common::compliance::solicitation_cap), nullopt when one more
/// text may go, else the instant the oldest text that counts leaves the 24 hours.
std::optional<TimePoint> cap_frees_at(const std::vector<TimePoint>& recent, int per_24h);

/// The gate's answer.
struct GateDecision {
  enum class Verdict { kSend, kDefer, kBlock };
  Verdict verdict = Verdict::kBlock;
  /// Why, when not kSend: a may_receive reason ("opted_out", "no_consent", ...),
  /// "no_written_consent" (marketing), or a quiet-hours reason ("quiet_hours:<zone>:<state>",
  /// "unknown_time_zone:<name>").
  std::string reason;
  /// The rule that closed the window (QuietHoursDecision::rule), when quiet hours did.
  std::string rule;
  /// kDefer: the first instant the text may go out.
  std::optional<TimePoint> send_at;
};

/// The decision for a text of `category` to `contact` at `now`, located by `where`: kBlock when
/// consent is missing for the category (fail closed) or quiet hours have no window within 14
/// days (an unknown zone, a declared emergency); kDefer for a marketing text over the state's
/// frequency cap (reason "frequency_cap", send_at = when one of the day's texts counts no more)
/// or outside the window (send_at = its next opening); else kSend. The caller that sends a
/// capped marketing text reserves its place first (ConsentStore::reserve_marketing_send).
GateDecision check_send(const Contact& contact, Category category, const RecipientLocation& where,
                        TimePoint now, const common::compliance::QuietHoursOptions& options);

}  // namespace common::consent
