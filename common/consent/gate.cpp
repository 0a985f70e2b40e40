#include "common/consent/gate.hpp"

#include "common/compliance/state_rules.hpp"

#include <algorithm>
#include <cctype>

#include "common/compliance/area_codes.hpp"
#include "common/tz/time_zone.hpp"

namespace common::consent {

std::vector<std::string> RecipientLocation::zones() const {
  std::vector<std::string> out;
  for (const auto& place : places) out.push_back(place.time_zone);
  return out;
}

RecipientLocation locate_recipient(std::string_view e164, std::string_view contact_zone,
                                   std::string_view hint_zone, std::string_view hint_basis) {
  RecipientLocation where;
  const auto area = common::compliance::phone_number_location(e164);
  where.state = area ? std::string(area->state) : "";
  std::vector<std::string> zones;
  if (!contact_zone.empty()) {
    zones = {std::string(contact_zone)};
    where.zone_basis = "contact";
  } else if (!hint_zone.empty()) {
    zones = {std::string(hint_zone)};
    where.zone_basis = std::string(hint_basis);
  } else if (area) {
    zones.assign(area->time_zones.begin(), area->time_zones.end());
    where.zone_basis = "area_code";
  }
  // An unknown state's stored zone that is not embedded is no location (every US zone); a known
  // state's is kept and fails closed in check_quiet_hours (the state's own zones are embedded).
  if (!area && !zones.empty() && !common::tz::TimeZone::load(zones.front())) {
    where.zone_basis = "every_us_zone(unknown_zone:" + zones.front() + ")";
    zones.clear();
  }
  if (zones.empty()) {
    where.places = common::compliance::every_us_zone(where.state);
    if (where.zone_basis.empty()) where.zone_basis = "every_us_zone";
  } else {
    for (const auto& zone : zones) where.places.push_back({where.state, zone});
  }
  // Why the state is not known: a +1 number whose area code is not a US one (Canada, the
  // Caribbean, a code not in the table), or not a +1 number at all.
  where.basis = area ? where.state
                     : std::string(common::compliance::kAnyState) +
                           (e164.substr(0, 2) == "+1" ? "(unknown_area_code)" : "(not_nanp)");
  where.basis += "@";
  if (where.zone_unknown()) {
    where.basis += "every_us_zone";
  } else {
    for (std::size_t i = 0; i < zones.size(); ++i) where.basis += (i ? "," : "") + zones[i];
  }
  return where;
}

bool has_written_marketing_consent(const Contact& contact) {
  if (!may_receive(contact).allowed) return false;
  if (contact.opted_in_at.empty() || contact.opt_in_method.empty()) return false;
  std::string method = contact.opt_in_method;
  std::string disclosure = contact.opt_in_disclosure_version;
  const auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  };
  lower(method);
  lower(disclosure);
  return method != "verbal" && disclosure.find("marketing") != std::string::npos;
}

std::vector<TimePoint> marketing_sends_in_24h(const Contact& contact, TimePoint now) {
  std::vector<TimePoint> recent;
  for (TimePoint t : contact.marketing_sent_at) {
    if (t > now - std::chrono::hours(24) && t <= now) recent.push_back(t);
  }
  std::sort(recent.begin(), recent.end());
  return recent;
}

std::optional<TimePoint> cap_frees_at(const std::vector<TimePoint>& recent, int per_24h) {
  if (static_cast<int>(recent.size()) < per_24h) return std::nullopt;
  // With n >= cap texts in the window, one more may go once n - cap + 1 of them have left it.
  return recent[recent.size() - static_cast<std::size_t>(per_24h)] + std::chrono::hours(24);
}

GateDecision check_send(const Contact& contact, Category category, const RecipientLocation& where,
                        TimePoint now, const common::compliance::QuietHoursOptions& options) {
  using Verdict = GateDecision::Verdict;
  const auto consent = may_receive(contact);
  if (!consent.allowed) return {Verdict::kBlock, std::string(consent.reason), "", std::nullopt};
  if (category == Category::kMarketing && !has_written_marketing_consent(contact)) {
    return {Verdict::kBlock, "no_written_consent", "47 CFR 64.1200(a)(2)", std::nullopt};
  }
  if (category == Category::kMarketing) {
    if (const auto cap = common::compliance::solicitation_cap(where.state)) {
      if (auto until = cap_frees_at(marketing_sends_in_24h(contact, now), cap->per_24h)) {
        return {Verdict::kDefer, "frequency_cap", cap->rule, until};
      }
    }
  }
  const auto quiet = common::compliance::check_quiet_hours(where.places, now, options);
  if (quiet.allowed) return {Verdict::kSend, "", "", std::nullopt};
  if (!quiet.next_allowed) return {Verdict::kBlock, quiet.reason, quiet.rule, std::nullopt};
  return {Verdict::kDefer, quiet.reason, quiet.rule, quiet.next_allowed};
}

}  // namespace common::consent
