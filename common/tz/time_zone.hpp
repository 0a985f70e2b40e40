// IANA time zones from data compiled into the program, for the edges that need local time
// (quiet hours, message text). Backed by CCTZ (Abseil's libabsl_time_zone.a from Debian), fed
// with embedded TZif files instead of /usr/share/zoneinfo, so a static bootstrap behaves the
// same on any host. Only the US zones are embedded (see embedded_zones.cmake): any other name
// does not load, and callers must fail closed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/internal/cctz/include/cctz/time_zone.h"
#include "common/time.hpp"

namespace common::tz {

/// A wall-clock time without a zone, in seconds (std::chrono::local_time's shape).
using LocalSeconds = std::chrono::local_time<std::chrono::seconds>;

/// One loaded IANA zone. Cheap to copy (CCTZ caches zones process-wide, read-only after load).
class TimeZone {
 public:
  /// The zone named `name` ("America/Los_Angeles", "US/Eastern", "UTC"), or nullopt when it is
  /// not embedded (unknown, misspelt, or outside the US zones).
  static std::optional<TimeZone> load(std::string_view name);

  const std::string& name() const { return name_; }

  /// The wall-clock time at instant `t` (fraction of a second dropped).
  LocalSeconds to_local(TimePoint t) const;

  /// The instant at which the wall clock in this zone first shows `local` or later: for a time
  /// skipped by a DST change (02:30 on a spring-forward day) the instant of the change; for a
  /// repeated time (01:30 on a fall-back day) the earlier of the two instants.
  TimePoint from_local(LocalSeconds local) const;

  /// The zone's abbreviation at `t` ("PST", "PDT").
  std::string abbreviation(TimePoint t) const;

 private:
  TimeZone(std::string name, absl::time_internal::cctz::time_zone zone)
      : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  absl::time_internal::cctz::time_zone zone_;
};

/// Names of every embedded zone, sorted.
std::vector<std::string> embedded_zone_names();
/// The tzdata release embedded, e.g. "2025b".
std::string_view tzdata_version();

}  // namespace common::tz
