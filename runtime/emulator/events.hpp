// Events for the emulator: loading them from files/stdin and the {{now}} template.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace runtime::emulator {

/// One event as text, and where it came from (for error messages).
struct Event {
  std::string text;
  std::string source;  ///< "events/a.json", "stdin line 3", ...
};

/// The result of loading events: the events, or an error message.
struct LoadedEvents {
  std::vector<Event> events;
  std::string error;  ///< non-empty: unreadable file or invalid JSON (exit 64)
};

/// Loads events in order. Each file is one JSON event; "-" (or no sources at
/// all) reads stdin: one JSON value, or else JSON Lines. Every event must be
/// valid JSON once {{now}} is substituted.
LoadedEvents load_events(const std::vector<std::string>& sources);

/// `when` as RFC 3339 UTC with milliseconds: "2026-11-21T10:00:00.123Z".
std::string rfc3339_millis(std::chrono::system_clock::time_point when);

/// `event` with every literal "{{now}}" replaced by rfc3339_millis(now).
std::string render_event(const std::string& event, std::chrono::system_clock::time_point now);

}  // namespace runtime::emulator
