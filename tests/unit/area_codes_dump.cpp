// Prints the area code table (common::compliance::us_area_codes) as JSON on stdout, for
// area_codes_libphonenumber.mjs to compare with libphonenumber's data:
//   {"codes": [{"npa": 201, "state": "NJ", "time_zones": ["America/New_York"]}, ...]}
// Exit status 0; no arguments.
#include <cstdio>
#include <string>
#include <string_view>

#include "common/compliance/area_codes.hpp"

namespace {

// The table holds USPS codes and IANA zone names; escaping keeps the output JSON whatever it holds.
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

int main() {
  std::string out = "{\"codes\": [";
  bool first = true;
  for (const auto& [npa, location] : common::compliance::us_area_codes()) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "  {\"npa\": " + std::to_string(npa) + ", \"state\": " + json_string(location.state) +
           ", \"time_zones\": [";
    for (std::size_t i = 0; i < location.time_zones.size(); ++i) {
      out += (i ? ", " : "") + json_string(location.time_zones[i]);
    }
    out += "]}";
  }
  out += "\n]}\n";
  std::fputs(out.c_str(), stdout);
  return std::ferror(stdout) ? 1 : 0;
}
