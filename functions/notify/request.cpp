#include "functions/notify/request.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/aws/sigv4.hpp"
#include "common/compliance/phone.hpp"
#include "common/consent/delivery.hpp"
#include "common/http/http_event.hpp"
#include "common/sms/segments.hpp"

namespace notify {
namespace {

using json = nlohmann::json;

bool all_of(std::string_view s, std::string_view extra) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Unicode characters of valid UTF-8 text (what End User Messaging's length limit counts).
std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::optional<common::consent::Category> category_of(std::string_view s) {
  if (s == "transactional") return common::consent::Category::kTransactional;
  if (s == "marketing") return common::consent::Category::kMarketing;
  return std::nullopt;
}

struct Bad {
  FieldError error;
};
[[noreturn]] void fail(std::string field, std::string message) {
  throw Bad{{std::move(field), std::move(message)}};
}

std::string string_field(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) fail(name, "is required");
    return "";
  }
  if (!it->is_string()) fail(name, "must be a string");
  return it->get<std::string>();
}

std::optional<common::TimePoint> time_field(const json& body, const char* name) {
  const std::string text = string_field(body, name, false);
  if (text.empty()) return std::nullopt;
  auto t = common::parse_rfc3339(text);
  if (!t) fail(name, "must be an RFC 3339 time (2026-12-01T09:00:00Z)");
  return t;
}

// An object of string members, each name matching `name_chars` (1-`max_name` long) and each value
// 1-`max_value` characters.
std::map<std::string, std::string> string_map(const json& body, const char* name,
                                              std::size_t max_name, std::size_t max_value) {
  std::map<std::string, std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_object()) fail(name, "must be an object of strings");
  for (const auto& [key, value] : it->items()) {
    const std::string field = std::string(name) + "." + key;
    if (key.empty() || key.size() > max_name || !all_of(key, "_")) {
      fail(field, "names must be 1-" + std::to_string(max_name) + " of A-Z a-z 0-9 _");
    }
    if (!value.is_string()) fail(field, "must be a string");
    const auto& text = value.get_ref<const std::string&>();
    if (characters(text) > max_value) {
      fail(field, "must be at most " + std::to_string(max_value) + " characters");
    }
    out[key] = text;
  }
  return out;
}

RenderedText rendered(const std::string& text) {
  const auto encoded = common::sms::smart_encode(text);
  return {encoded.text, encoded.segments.parts,
          encoded.segments.encoding == common::sms::Encoding::kGsm7 ? "GSM-7" : "UCS-2"};
}

// The opt-out instruction a marketing text must carry (docs/compliance.md#notify): STOP, or in a
// Spanish variant STOP or ALTO (a Spanish opt-out keyword, docs/compliance.md#opt-out-keywords).
bool says_how_to_opt_out(std::string_view text, bool spanish) {
  return text.find("STOP") != std::string_view::npos ||
         (spanish && text.find("ALTO") != std::string_view::npos);
}

NotifyRequest parse(std::string_view text, const RequestRules& rules) {
  if (auto problem = common::http::check_json(text, common::http::kMaxJsonDepth, true)) {
    fail(problem->field.empty() ? "body" : problem->field, problem->message);
  }
  json body;
  try {
    body = json::parse(text);
  } catch (const json::exception&) {
    fail("body", "is not JSON (UTF-8)");
  }
  if (!body.is_object()) fail("body", "must be a JSON object");
  static const char* const kKnown[] = {"idempotency_key", "phone_number", "category", "template",
                                       "variables",       "send_after",   "expires_at", "context",
                                       "body"};
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) {
      fail(key.empty() ? "body" : key,
           key.empty() ? "has a member with an empty name" : "is not a member of a notify request");
    }
  }

  NotifyRequest r;
  r.idempotency_key = string_field(body, "idempotency_key", true);
  if (r.idempotency_key.empty() || r.idempotency_key.size() > 128 ||
      !all_of(r.idempotency_key, "._:-")) {
    fail("idempotency_key", "must be 1-128 of A-Z a-z 0-9 . _ : -");
  }
  const auto phone = common::compliance::parse_phone_number(
      string_field(body, "phone_number", true));
  if (!phone.ok) fail("phone_number", "must be an E.164 number (+14255550101): " + phone.error);
  r.phone_number = phone.e164;
  const auto category = category_of(string_field(body, "category", true));
  if (!category) fail("category", "must be \"transactional\" or \"marketing\"");
  r.category = *category;

  r.variables = string_map(body, "variables", 64, kMaxBodyCharacters);
  if (r.variables.count("program")) {
    fail("variables.program", "is set from the program's configuration (PROGRAM_NAME)");
  }
  r.context = string_map(body, "context", 100, 800);
  if (r.context.size() > kMaxCallerContext) {
    fail("context", "may have at most " + std::to_string(kMaxCallerContext) + " entries");
  }
  for (const char* ours : {common::consent::kContextMessageRef.data(), "notify_id"}) {
    if (r.context.count(ours)) fail(std::string("context.") + ours, "is set by notify");
  }
  r.send_after = time_field(body, "send_after");
  r.expires_at = time_field(body, "expires_at");
  if (r.expires_at && r.send_after && *r.expires_at <= *r.send_after) {
    fail("expires_at", "must be after send_after");
  }

  r.template_name = string_field(body, "template", false);
  const std::string raw = string_field(body, "body", false);
  std::string text_out;
  std::optional<std::string> text_es;
  if (!r.template_name.empty() && body.contains("body")) {
    fail("body", "cannot be given with a template");
  }
  if (r.template_name.empty()) {
    if (!body.contains("body")) fail("template", "is required");
    if (!rules.allow_raw_body) {
      fail("body", "is not allowed: send a configured template (NOTIFY_ALLOW_RAW_BODY is off)");
    }
    if (raw.empty()) fail("body", "is empty");
    text_out = raw;
  } else {
    const auto found = rules.templates ? rules.templates->find(r.template_name)
                                       : Templates::const_iterator();
    if (!rules.templates || found == rules.templates->end()) {
      fail("template", "is not a configured template");
    }
    if (found->second.category && *found->second.category != r.category) {
      fail("category", "template '" + r.template_name + "' is sent as " +
                           (*found->second.category == common::consent::Category::kMarketing
                                ? "marketing" : "transactional") + " only");
    }
    auto values = r.variables;
    values["program"] = rules.program_name;
    try {
      text_out = found->second.text.render(values);
      // The variant has the same variables (parse_templates): it renders whenever `text` does.
      if (found->second.text_es) text_es = found->second.text_es->render(values);
    } catch (const common::sms::TextTemplate::MissingVariable& missing) {
      fail("variables." + missing.name(), "is required by template '" + r.template_name + "'");
    }
  }
  if (r.category == common::consent::Category::kMarketing) {
    if (!says_how_to_opt_out(text_out, false)) {
      fail(r.template_name.empty() ? "body" : "template",
           "a marketing text must tell how to opt out (STOP)");
    }
    if (text_es && !says_how_to_opt_out(*text_es, true)) {
      fail("template", "a marketing text must tell how to opt out (STOP or ALTO in text_es)");
    }
  }
  RenderedText english = rendered(text_out);
  r.body = std::move(english.body);
  r.segments = english.segments;
  r.encoding = std::move(english.encoding);
  if (characters(r.body) > kMaxBodyCharacters) {
    fail(r.template_name.empty() ? "body" : "variables",
         "make a text of " + std::to_string(characters(r.body)) + " characters, over " +
             std::to_string(kMaxBodyCharacters));
  }
  if (text_es) {
    r.body_es = rendered(*text_es);
    if (characters(r.body_es->body) > kMaxBodyCharacters) {
      fail("variables", "make a Spanish text (text_es) of " +
                            std::to_string(characters(r.body_es->body)) + " characters, over " +
                            std::to_string(kMaxBodyCharacters));
    }
  }
  // What the request means, without its key: the same key with another meaning is a conflict.
  json meaning = {{"phone_number", r.phone_number},
                  {"category", string_field(body, "category", true)},
                  {"template", r.template_name},
                  {"body", raw},
                  {"variables", r.variables},
                  {"context", r.context},
                  {"send_after", string_field(body, "send_after", false)},
                  {"expires_at", string_field(body, "expires_at", false)}};
  r.fingerprint = common::aws::sha256_hex(meaning.dump());
  return r;
}

}  // namespace

Templates parse_templates(std::string_view json_text) {
  json config;
  try {
    config = json::parse(json_text);
  } catch (const json::exception&) {
    throw std::invalid_argument("is not JSON");
  }
  if (!config.is_object()) throw std::invalid_argument("must be a JSON object of name -> template");
  Templates out;
  for (const auto& [name, value] : config.items()) {
    const std::string where = "template '" + name + "'";
    if (name.empty() || name.size() > 64 || !all_of(name, "_-")) {
      throw std::invalid_argument(where + ": names are 1-64 of A-Z a-z 0-9 _ -");
    }
    std::string text;
    std::optional<common::consent::Category> category;
    std::optional<std::string> text_es;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_object() && value.contains("text") && value["text"].is_string()) {
      text = value["text"].get<std::string>();
      for (const auto& [key, member] : value.items()) {
        if (key != "text" && key != "category" && key != "text_es") {
          throw std::invalid_argument(where + ": unknown member '" + key + "'");
        }
      }
      // null is absent: Terraform's jsonencode writes an optional attribute left unset as null.
      if (value.contains("category") && !value["category"].is_null()) {
        category = value["category"].is_string()
                       ? category_of(value["category"].get<std::string>()) : std::nullopt;
        if (!category) {
          throw std::invalid_argument(where + ": category must be transactional or marketing");
        }
      }
      if (value.contains("text_es") && !value["text_es"].is_null()) {
        if (!value["text_es"].is_string()) {
          throw std::invalid_argument(where + ": text_es must be a string (the Spanish text)");
        }
        text_es = value["text_es"].get<std::string>();
        if (text_es->empty()) throw std::invalid_argument(where + ": text_es is empty");
      }
    } else {
      throw std::invalid_argument(where + ": must be a string or {\"text\": \"...\"}");
    }
    if (text.empty()) throw std::invalid_argument(where + ": text is empty");
    const bool marketing = category == common::consent::Category::kMarketing;
    NotifyTemplate t{[&] {
                       try {
                         return common::sms::TextTemplate(text);
                       } catch (const std::invalid_argument& e) {
                         throw std::invalid_argument(where + ": " + e.what());
                       }
                     }(),
                     category};
    if (marketing && !says_how_to_opt_out(text, false)) {
      throw std::invalid_argument(where + ": a marketing template must tell how to opt out (STOP)");
    }
    if (text_es) {
      try {
        t.text_es = common::sms::TextTemplate(*text_es);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + ": text_es: " + e.what());
      }
      // The same variables in both languages: a request is checked once, against `text`, and
      // must never be refused (or half filled) only because the contact reads Spanish.
      for (const auto& v : t.text.variables()) {
        if (!t.text_es->variables().count(v)) {
          throw std::invalid_argument(where + ": text_es must use the variables of text: {" + v +
                                      "} is missing");
        }
      }
      for (const auto& v : t.text_es->variables()) {
        if (!t.text.variables().count(v)) {
          throw std::invalid_argument(where + ": text_es must use the variables of text: {" + v +
                                      "} is not in text");
        }
      }
      if (marketing && !says_how_to_opt_out(*text_es, true)) {
        throw std::invalid_argument(
            where + ": text_es: a marketing template must tell how to opt out (STOP or ALTO)");
      }
    }
    out.emplace(name, std::move(t));
  }
  return out;
}

std::variant<NotifyRequest, FieldError> parse_request(std::string_view json_text,
                                                      const RequestRules& rules) {
  try {
    return parse(json_text, rules);
  } catch (const Bad& bad) {
    return bad.error;
  }
}

}  // namespace notify
