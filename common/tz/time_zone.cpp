#include "common/tz/time_zone.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/time/internal/cctz/include/cctz/zone_info_source.h"
#include "common/tz/embedded_zone_data.hpp"

namespace cctz = absl::time_internal::cctz;

namespace common::tz {
namespace {

const detail::EmbeddedZone* find_embedded(std::string_view name) {
  const auto& zones = detail::embedded_zones();
  auto it = std::lower_bound(zones.begin(), zones.end(), name,
                             [](const detail::EmbeddedZone& z, std::string_view n) { return z.name < n; });
  return it != zones.end() && it->name == name ? &*it : nullptr;
}

// A TZif file in memory, read the way CCTZ reads a file.
class EmbeddedSource : public cctz::ZoneInfoSource {
 public:
  explicit EmbeddedSource(const detail::EmbeddedZone& zone) : zone_(zone) {}
  std::size_t Read(void* ptr, std::size_t size) override {
    size = std::min(size, zone_.size - offset_);
    std::memcpy(ptr, zone_.data + offset_, size);
    offset_ += size;
    return size;
  }
  int Skip(std::size_t offset) override {
    if (offset > zone_.size - offset_) return -1;
    offset_ += offset;
    return 0;
  }
  std::string Version() const override { return std::string(detail::embedded_tzdata_version()); }

 private:
  const detail::EmbeddedZone& zone_;
  std::size_t offset_ = 0;
};

std::unique_ptr<cctz::ZoneInfoSource> embedded_factory(
    const std::string& name,
    const std::function<std::unique_ptr<cctz::ZoneInfoSource>(const std::string&)>&) {
  // Deliberately no fallback to the host's files: the same binary must decide the same way
  // everywhere, and a zone we do not carry is "unknown" (fail closed), not "whatever the host has".
  const auto* zone = find_embedded(name);
  if (zone == nullptr) return nullptr;
  return std::make_unique<EmbeddedSource>(*zone);
}

}  // namespace
}  // namespace common::tz

// CCTZ's documented extension point for zone data embedded in the program (zone_info_source.h):
// a constant function pointer that replaces the library's weak default at link time.
namespace absl::time_internal::cctz_extension {
ZoneInfoSourceFactory zone_info_source_factory = common::tz::embedded_factory;
}  // namespace absl::time_internal::cctz_extension

namespace common::tz {

std::optional<TimeZone> TimeZone::load(std::string_view name) {
  // CCTZ answers fixed-offset names ("UTC+05") and, on failure, quietly gives UTC: only names
  // we embed are accepted, so a typo can never become UTC.
  if (find_embedded(name) == nullptr) return std::nullopt;
  cctz::time_zone zone;
  if (!cctz::load_time_zone(std::string(name), &zone)) return std::nullopt;
  return TimeZone(std::string(name), zone);
}

LocalSeconds TimeZone::to_local(TimePoint t) const {
  const auto whole = std::chrono::floor<std::chrono::seconds>(t);
  const cctz::civil_second cs = cctz::convert(
      std::chrono::time_point_cast<cctz::seconds>(std::chrono::system_clock::time_point(whole)), zone_);
  using namespace std::chrono;
  const local_days day{year{static_cast<int>(cs.year())} / cs.month() / cs.day()};
  return day + hours(cs.hour()) + minutes(cs.minute()) + seconds(cs.second());
}

TimePoint TimeZone::from_local(LocalSeconds local) const {
  using namespace std::chrono;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const cctz::civil_second cs(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                              static_cast<unsigned>(ymd.day()), hms.hours().count(),
                              hms.minutes().count(), hms.seconds().count());
  const auto lookup = zone_.lookup(cs);
  // kSkipped: `trans` is the instant of the change (the first wall time after the gap);
  // kRepeated: `pre` is the earlier instant; kUnique: all three agree.
  const auto chosen = lookup.kind == cctz::time_zone::civil_lookup::SKIPPED ? lookup.trans : lookup.pre;
  return time_point_cast<milliseconds>(sys_seconds(duration_cast<seconds>(chosen.time_since_epoch())));
}

std::string TimeZone::abbreviation(TimePoint t) const {
  const auto whole = std::chrono::floor<std::chrono::seconds>(t);
  return zone_.lookup(std::chrono::time_point_cast<cctz::seconds>(
                          std::chrono::system_clock::time_point(whole)))
      .abbr;
}

std::vector<std::string> embedded_zone_names() {
  std::vector<std::string> out;
  for (const auto& z : detail::embedded_zones()) out.emplace_back(z.name);
  return out;
}

std::string_view tzdata_version() { return detail::embedded_tzdata_version(); }

}  // namespace common::tz
