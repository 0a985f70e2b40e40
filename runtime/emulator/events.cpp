#include "runtime/emulator/events.hpp"

#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace runtime::emulator {
namespace {

constexpr std::string_view kNowPlaceholder = "{{now}}";

bool is_valid_event(const std::string& text) {
  // Validate the rendered form: {{now}} outside a string would be invalid JSON.
  return nlohmann::json::accept(render_event(text, std::chrono::system_clock::now()));
}

bool is_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Appends the events read from stdin; returns an error message or "".
std::string read_stdin_events(std::vector<Event>& out) {
  const std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (is_blank(all)) return "stdin: no event (expected JSON or JSON Lines)";
  if (is_valid_event(all)) {
    out.push_back({all, "stdin"});
    return {};
  }
  std::istringstream lines(all);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (is_blank(line)) continue;
    if (!is_valid_event(line)) {
      return "stdin line " + std::to_string(number) + ": not valid JSON (stdin holds one JSON " +
             "value or JSON Lines)";
    }
    out.push_back({line, "stdin line " + std::to_string(number)});
  }
  return {};
}

}  // namespace

LoadedEvents load_events(const std::vector<std::string>& sources) {
  LoadedEvents loaded;
  const std::vector<std::string> stdin_only{"-"};
  bool stdin_read = false;
  for (const std::string& source : sources.empty() ? stdin_only : sources) {
    if (source == "-") {
      if (stdin_read) continue;  // stdin can be drained only once
      stdin_read = true;
      loaded.error = read_stdin_events(loaded.events);
      if (!loaded.error.empty()) return loaded;
      continue;
    }
    std::ifstream in(source, std::ios::binary);
    if (!in) {
      loaded.error = source + ": cannot read event file";
      return loaded;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!is_valid_event(text)) {
      loaded.error = source + ": not valid JSON (an event file holds one JSON value)";
      return loaded;
    }
    loaded.events.push_back({std::move(text), source});
  }
  return loaded;
}

std::string rfc3339_millis(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(when);
  const auto days = floor<std::chrono::days>(ms);
  const year_month_day date(days);
  const hh_mm_ss time(ms - days);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buffer;
}

std::string render_event(const std::string& event, std::chrono::system_clock::time_point now) {
  if (event.find(kNowPlaceholder) == std::string::npos) return event;
  const std::string stamp = rfc3339_millis(now);
  std::string out;
  out.reserve(event.size());
  std::size_t from = 0;
  for (std::size_t at; (at = event.find(kNowPlaceholder, from)) != std::string::npos;) {
    out.append(event, from, at - from);
    out.append(stamp);
    from = at + kNowPlaceholder.size();
  }
  out.append(event, from);
  return out;
}

}  // namespace runtime::emulator
