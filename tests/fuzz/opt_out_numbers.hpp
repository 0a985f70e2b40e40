// The phone numbers an opt-out-api request carries (shared by its two fuzz targets), so the
// targets can check that none of them reaches the log whole.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/compliance/phone.hpp"
#include "common/http/http_event.hpp"
#include "tests/fuzz/handler_input.hpp"

namespace smsc_fuzz {

/// Digits (no '+') of: every '+' number in the body or the decoded path, the body's phone_number
/// and the /contacts/{phone_number} segment when they parse (E.164 form: "(206) 555-0123" ->
/// "12065550123").
inline std::vector<std::string> numbers_of(const common::http::HttpRequest& request) {
  std::string path;
  if (!common::http::percent_decode(request.path, path)) path = request.path;
  std::vector<std::string> out = e164_digits(request.body + " " + path);
  const auto add = [&](const std::string& raw) {
    const auto parsed = common::compliance::parse_phone_number(raw);
    if (parsed.ok) out.push_back(parsed.e164.substr(1));
  };
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_object()) {
    const auto phone = body.find("phone_number");
    if (phone != body.end() && phone->is_string()) add(phone->get<std::string>());
  }
  if (path.rfind("/contacts/", 0) == 0) add(path.substr(10));
  return out;
}

}  // namespace smsc_fuzz
