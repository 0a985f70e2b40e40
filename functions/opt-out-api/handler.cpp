#include "functions/opt-out-api/handler.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <variant>
#include <vector>

#include "common/compliance/business_days.hpp"
#include "common/compliance/phone.hpp"
#include "common/consent/history.hpp"
#include "common/consent/honor.hpp"
#include "common/consent/store.hpp"

namespace opt_out_api {
namespace {

using common::TimePoint;
using json = nlohmann::json;


constexpr std::size_t kMaxNotes = 2000;
constexpr std::size_t kMaxSourceValue = 512;
constexpr std::size_t kMaxSourceEntries = 20;
constexpr std::size_t kMaxDisclosureText = 4000;
const std::set<std::string> kChannels = {"sms", "email", "voice", "web", "api"};

// Reads a JSON object field by field; the first problem becomes a 400 naming the field.
class Fields {
 public:
  Fields(const json& object, std::set<std::string> known) : object_(object) {
    for (const auto& [name, value] : object.items()) {
      if (!known.count(name)) fail(name, "unknown field");
    }
  }

  std::optional<std::string> text(const char* name, bool required, std::size_t max_length) {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!it->is_string()) return fail(name, "must be a string"), std::nullopt;
    std::string value = it->get<std::string>();
    if (required && value.empty()) return fail(name, "must not be empty"), std::nullopt;
    if (value.size() > max_length) {
      return fail(name, "is longer than " + std::to_string(max_length) + " bytes"), std::nullopt;
    }
    return value;
  }

  std::optional<std::string> phone(const char* name) {
    auto raw = text(name, true, 64);
    if (!raw) return std::nullopt;
    auto parsed = common::compliance::parse_phone_number(*raw);
    if (!parsed.ok) return fail(name, parsed.error), std::nullopt;
    return parsed.e164;
  }

  // An RFC 3339 time no later than `latest`.
  std::optional<TimePoint> time(const char* name, TimePoint latest) {
    auto raw = text(name, false, 64);
    if (!raw) return std::nullopt;
    auto t = common::parse_rfc3339(*raw);
    if (!t) return fail(name, "must be an RFC 3339 date-time, e.g. 2026-11-20T15:04:05Z"), std::nullopt;
    if (*t > latest) return fail(name, "lies in the future"), std::nullopt;
    return t;
  }

  // A flat object of string, number or boolean values, kept as text.
  std::optional<common::consent::Evidence> source(const char* name, bool required,
                                       const std::set<std::string>* allowed_keys) {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!it->is_object()) return fail(name, "must be an object"), std::nullopt;
    if (it->size() > kMaxSourceEntries) return fail(name, "has too many entries"), std::nullopt;
    common::consent::Evidence out;
    for (const auto& [key, value] : it->items()) {
      const std::string field = std::string(name) + "." + key;
      if (allowed_keys && !allowed_keys->count(key)) return fail(field, "unknown field"), std::nullopt;
      std::string text;
      if (value.is_string()) {
        text = value.get<std::string>();
      } else if (value.is_number() || value.is_boolean()) {
        text = value.dump();
      } else {
        return fail(field, "must be a string, number or boolean"), std::nullopt;
      }
      if (text.size() > kMaxSourceValue) return fail(field, "is too long"), std::nullopt;
      if (!text.empty()) out[key] = text;
    }
    return out;
  }

  std::optional<HttpResponse> error() const { return error_; }

 private:
  void fail(const std::string& field, const std::string& message) {
    if (!error_) error_ = error_response(400, "invalid_field", field + " " + message, field);
  }

  const json& object_;
  std::optional<HttpResponse> error_;
};

// The JSON object in a POST body, or the error response (415, 413, 400).
std::variant<json, HttpResponse> json_body(const HttpRequest& request) {
  if (request.body_too_large) {
    return error_response(413, "payload_too_large",
                          "request body is larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  }
  auto type = request.headers.find("content-type");
  std::string media = type == request.headers.end() ? "" : type->second.substr(0, type->second.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media != "application/json") {
    return error_response(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  if (request.body_undecodable) return error_response(400, "invalid_body", "body is not valid base64");
  // Checked first: a repeated member would otherwise be settled silently (the last one wins),
  // and deep nesting must never reach nlohmann's recursive operations.
  const auto problem = check_json(request.body, kMaxJsonDepth, true);
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return error_response(400, "invalid_json", "body is not valid JSON");
  if (problem) {
    return error_response(400, "invalid_field", problem->field + " " + problem->message,
                          problem->field);
  }
  if (!body.is_object()) return error_response(400, "invalid_json", "body must be a JSON object");
  return body;
}

json nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Who called, as the gateway tells it (IAM callers), for logs and the consent record.
std::string caller_of(const HttpRequest& request) {
  return request.caller.empty() ? "anonymous" : request.caller;
}

std::string event_id(const HttpRequest& request, TimePoint now) {
  return request.request_id.empty() ? "api-" + std::to_string(now.time_since_epoch().count())
                                    : request.request_id;
}

}  // namespace

Config config_from_environment(const common::aws::Environment& env) {
  common::aws::SettingsReader settings(env);
  Config c;
  scaffold::read_settings(settings, kUses, "opt-out-api", c);
  settings.check("opt-out-api");
  return c;
}

HttpResponse Handler::opt_out(const HttpRequest& request, TimePoint now) {
  auto parsed = json_body(request);
  if (auto* error = std::get_if<HttpResponse>(&parsed)) return *error;
  const json& body = std::get<json>(parsed);
  Fields f(body, {"phone_number", "channel", "requested_at", "notes", "source"});
  auto phone = f.phone("phone_number");
  auto channel = f.text("channel", true, 16);
  auto requested_at = f.time("requested_at", now + kMaxClockSkew);
  auto notes = f.text("notes", false, kMaxNotes);
  auto source = f.source("source", false, nullptr);
  if (auto error = f.error()) return *error;
  if (!kChannels.count(*channel)) {
    return error_response(400, "invalid_field", "channel must be one of sms, email, voice, web, api",
                          "channel");
  }
  const TimePoint at = requested_at.value_or(now);
  const std::string caller = caller_of(request);

  common::consent::ConsentStore store(services_.dynamodb,
                                      {config_.contacts_table, config_.message_log_table});
  common::consent::OptOutRequest opt_out;
  opt_out.phone_number = *phone;
  opt_out.requested_at = at;
  opt_out.channel = *channel;
  opt_out.method = "opt_out_api";
  opt_out.notes = notes.value_or("");
  opt_out.source = source;
  auto recorded = store.record_opt_out(opt_out);

  common::consent::ConsentEvent event{*phone, "opt_out", at, event_id(request, now), *channel,
                                      "opt_out_api"};
  event.deadline = common::compliance::opt_out_deadline(at);
  event.reported_by = caller;
  event.change = common::consent::to_string(recorded.change);
  event.caller_ip = request.source_ip;
  event.source = source;
  event.notes = notes.value_or("");
  // The report is on record before anything else is tried (the list update may hang).
  store.put_consent_event(event);
  services_.metrics.add("OptOuts", 1);

  common::consent::Contact contact = recorded.contact;
  std::string sync_error;
  if (contact.opted_out() && !contact.honored()) {
    // No text for a non-SMS opt-out: straight onto the list, so AWS itself blocks every send.
    common::consent::ContactFinish finish;
    finish.phone_number = *phone;
    auto honoured =
        common::consent::honor_opt_out(store, services_.sms, config_.opt_out_list_name, finish);
    if (honoured.listed) {
      if (honoured.finished.written) contact = honoured.finished.contact;
      // The honour's evidence (one PutItem), for the audit.
      if (honoured.finished.honored) {
        if (auto ev = common::consent::honored_event(contact, "opt-out-api")) {
          store.put_consent_event(*ev);
        }
      }
    } else {
      sync_error = honoured.list_error->code;
      services_.metrics.add("OptOutSyncFailures", 1);
      services_.logger.warn("opt-out list update failed; deadline-monitor will retry",
                            {{"phone", common::compliance::mask_phone_number(*phone)},
                             {"error", honoured.list_error->describe()}});
    }
  }
  services_.logger.info("opt-out recorded",
                        {{"phone", common::compliance::mask_phone_number(*phone)},
                         {"channel", *channel},
                         {"caller", caller},
                         {"honored", contact.honored()},
                         {"deadline", contact.opt_out_deadline}});
  HttpResponse response;
  // A request older than the contact's current opt-in is superseded by that consent
  // (docs/compliance.md#unordered-messages).
  const bool superseded = recorded.change == common::consent::OptOutChange::kStale;
  response.body = {{"phone_number", *phone},
                   {"status", superseded ? "superseded_by_opt_in"
                              : contact.honored() ? "honored"
                                                  : "pending"},
                   {"requested_at", nullable(contact.opted_out_at)},
                   {"deadline", nullable(contact.opt_out_deadline)},
                   {"honored_at", nullable(contact.opt_out_honored_at)},
                   {"channels", {"email", "sms", "voice"}},
                   {"categories", "all"}};
  if (!sync_error.empty()) response.body["opt_out_list_error"] = sync_error;
  return response;
}

HttpResponse Handler::opt_in(const HttpRequest& request, TimePoint now) {
  auto parsed = json_body(request);
  if (auto* error = std::get_if<HttpResponse>(&parsed)) return *error;
  const json& body = std::get<json>(parsed);
  Fields f(body, {"phone_number", "method", "source", "disclosure_version", "disclosure_text",
                  "consented_at"});
  static const std::set<std::string> kSourceKeys = {"ip", "user_agent", "channel"};
  auto phone = f.phone("phone_number");
  auto method = f.text("method", true, 64);
  auto source = f.source("source", true, &kSourceKeys);
  auto version = f.text("disclosure_version", true, 64);
  auto text = f.text("disclosure_text", false, kMaxDisclosureText);
  auto consented_at = f.time("consented_at", now + kMaxClockSkew);
  if (auto error = f.error()) return *error;
  if (source->empty()) {
    return error_response(400, "invalid_field", "source needs at least one of ip, user_agent, channel",
                          "source");
  }
  const TimePoint at = consented_at.value_or(now);
  const std::string caller = caller_of(request);

  common::consent::ConsentStore store(services_.dynamodb,
                                      {config_.contacts_table, config_.message_log_table});
  common::consent::OptInRequest opt_in;
  opt_in.phone_number = *phone;
  opt_in.opted_in_at = at;
  opt_in.method = *method;
  opt_in.source = *source;
  opt_in.disclosure_version = *version;
  opt_in.disclosure_text = text.value_or("");
  auto recorded = store.record_opt_in(opt_in);

  std::string channel = "api";
  if (auto it = source->find("channel"); it != source->end()) channel = it->second;
  common::consent::ConsentEvent event{*phone, "opt_in", at, event_id(request, now), channel, *method};
  event.disclosure_version = *version;
  event.disclosure_text = text.value_or("");
  event.source = *source;
  event.reported_by = caller;
  event.applied = recorded.applied;
  event.caller_ip = request.source_ip;
  store.put_consent_event(event);

  HttpResponse response;
  response.body = {{"phone_number", *phone}, {"applied", recorded.applied}};
  if (!recorded.applied) {
    // An opt-in never overrides a newer opt-out (docs/compliance.md#unordered-messages).
    response.body["status"] = "opted_out";
    response.body["reason"] = "newer_opt_out_on_record";
    response.body["opted_out_at"] = recorded.contact.opted_out_at;
    services_.logger.warn("opt-in older than the opt-out on record; ignored",
                          {{"phone", common::compliance::mask_phone_number(*phone)},
                           {"caller", caller}});
    return response;
  }
  services_.metrics.add("OptIns", 1);
  std::string list = "not_listed";
  if (recorded.before.opted_out()) {
    // AWS refuses every text to a listed number, so consent means leaving the list.
    auto removed = services_.sms.delete_opted_out_number(config_.opt_out_list_name, *phone);
    if (removed.ok() || removed.error().code == "ResourceNotFoundException") {
      list = "removed";
    } else {
      list = "removal_failed";
      services_.logger.warn("could not remove number from the opt-out list",
                            {{"phone", common::compliance::mask_phone_number(*phone)},
                             {"error", removed.error().describe()}});
    }
  }
  services_.logger.info("opt-in recorded",
                        {{"phone", common::compliance::mask_phone_number(*phone)},
                         {"method", *method},
                         {"caller", caller},
                         {"opt_out_list", list}});
  response.body["status"] = recorded.contact.consent_status;
  response.body["opted_in_at"] = recorded.contact.opted_in_at;
  response.body["disclosure_version"] = *version;
  response.body["opt_out_list"] = list;
  return response;
}

namespace {

// The number of a /contacts/{phone_number} path segment, or the 400 that says why not.
std::variant<std::string, HttpResponse> phone_of_segment(const std::string& raw_phone) {
  std::string decoded;
  if (!percent_decode(raw_phone, decoded)) {
    return error_response(400, "invalid_field", "phone_number is not a valid path segment",
                          "phone_number");
  }
  auto parsed = common::compliance::parse_phone_number(decoded);
  if (!parsed.ok) {
    return error_response(400, "invalid_field", "phone_number " + parsed.error, "phone_number");
  }
  return parsed.e164;
}

// The consent status of GET /contacts/{phone_number} (and the history's `contact`).
json contact_json(const common::consent::Contact& contact, const std::string& e164) {
  const auto decision = common::consent::may_receive(contact);
  return {{"phone_number", e164},
          {"consent_status", contact.consent_status.empty() ? "none" : contact.consent_status},
          {"may_receive", decision.allowed},
          {"reason", decision.reason},
          {"language", contact.language.empty() ? "en" : contact.language},
          {"opted_in_at", nullable(contact.opted_in_at)},
          {"opt_in_method", nullable(contact.opt_in_method)},
          {"opt_in_disclosure_version", nullable(contact.opt_in_disclosure_version)},
          {"opted_out_at", nullable(contact.opted_out_at)},
          {"opt_out_channel", nullable(contact.opt_out_channel)},
          {"deadline", nullable(contact.opt_out_deadline)},
          {"honored_at", nullable(contact.opt_out_honored_at)},
          {"pending", contact.opt_out_pending}};
}

// The query parameters of a GET route: only `allowed` names; the first other is returned.
std::optional<std::string> unknown_parameter(const HttpRequest& request,
                                             std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : request.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return name;
  }
  return std::nullopt;
}

// `limit` of a paginated route: absent -> fallback; else a whole number in [1, most].
std::variant<int, HttpResponse> limit_of(const HttpRequest& request, int fallback, int most) {
  const auto it = request.query.find("limit");
  if (it == request.query.end()) return fallback;
  const std::string& text = it->second;
  int value = 0;
  bool ok = !text.empty() && text.size() <= 4;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    else value = value * 10 + (c - '0');
  }
  if (!ok || value < 1 || value > most) {
    return error_response(400, "invalid_field",
                          "limit must be a whole number from 1 to " + std::to_string(most),
                          "limit");
  }
  return value;
}

// A YYYY-MM-DD query parameter as a UTC day.
std::optional<std::chrono::sys_days> day_of(const std::string& text) {
  if (text.size() != 10) return std::nullopt;
  const auto t = common::parse_rfc3339(text + "T00:00:00Z");
  if (!t) return std::nullopt;
  const auto day = std::chrono::floor<std::chrono::days>(*t);
  if (common::format_rfc3339(TimePoint(day)).substr(0, 10) != text) return std::nullopt;
  return day;
}

}  // namespace

HttpResponse Handler::contact_status(const std::string& raw_phone) {
  auto phone = phone_of_segment(raw_phone);
  if (auto* error = std::get_if<HttpResponse>(&phone)) return *error;
  const std::string& e164 = std::get<std::string>(phone);
  common::consent::ConsentStore store(services_.dynamodb,
                                      {config_.contacts_table, config_.message_log_table});
  const auto contact = store.read(e164);
  if (!contact.exists) {
    return error_response(404, "contact_not_found", "no consent record for this number");
  }
  HttpResponse response;
  response.body = contact_json(contact, e164);
  return response;
}

HttpResponse Handler::history(const HttpRequest& request, const std::string& raw_phone) {
  auto phone = phone_of_segment(raw_phone);
  if (auto* error = std::get_if<HttpResponse>(&phone)) return *error;
  const std::string& e164 = std::get<std::string>(phone);
  if (auto name = unknown_parameter(request, {"order", "limit", "cursor"})) {
    return error_response(400, "invalid_field",
                          "unknown query parameter " + *name + "; use order, limit, cursor", *name);
  }
  auto order = common::consent::HistoryOrder::kOldestFirst;
  if (auto it = request.query.find("order"); it != request.query.end()) {
    if (it->second == "newest") {
      order = common::consent::HistoryOrder::kNewestFirst;
    } else if (it->second != "oldest") {
      return error_response(400, "invalid_field", "order must be oldest or newest", "order");
    }
  }
  auto limit = limit_of(request, kHistoryPageSize, kMaxHistoryPageSize);
  if (auto* error = std::get_if<HttpResponse>(&limit)) return *error;
  const auto cursor = request.query.count("cursor") ? request.query.at("cursor") : "";
  common::consent::HistoryPage page;
  try {
    page = common::consent::read_history(services_.dynamodb, config_.message_log_table, e164,
                                         order, std::get<int>(limit), cursor);
  } catch (const std::invalid_argument& e) {
    return error_response(400, "invalid_field", e.what(), "cursor");
  }
  common::consent::ConsentStore store(services_.dynamodb,
                                      {config_.contacts_table, config_.message_log_table});
  const auto contact = store.read(e164);
  if (!contact.exists && page.events.empty() && cursor.empty()) {
    return error_response(404, "contact_not_found", "no consent record for this number");
  }
  HttpResponse response;
  response.body = {{"phone_number", e164},
                   {"order", order == common::consent::HistoryOrder::kOldestFirst ? "oldest"
                                                                                 : "newest"},
                   {"contact", contact.exists ? contact_json(contact, e164) : json(nullptr)},
                   {"events", std::move(page.events)},
                   {"next_cursor", nullable(page.next_cursor)}};
  return response;
}

HttpResponse Handler::opt_out_report(const HttpRequest& request, TimePoint now) {
  if (auto name = unknown_parameter(request, {"from", "to", "limit", "cursor"})) {
    return error_response(400, "invalid_field",
                          "unknown query parameter " + *name + "; use from, to, limit, cursor",
                          *name);
  }
  std::optional<std::chrono::sys_days> days[2];
  const char* names[2] = {"from", "to"};
  for (int i = 0; i < 2; ++i) {
    const auto it = request.query.find(names[i]);
    if (it == request.query.end()) {
      return error_response(400, "invalid_field",
                            std::string(names[i]) + " is required (YYYY-MM-DD, UTC)", names[i]);
    }
    days[i] = day_of(it->second);
    if (!days[i]) {
      return error_response(400, "invalid_field",
                            std::string(names[i]) + " must be a date YYYY-MM-DD", names[i]);
    }
  }
  if (*days[1] < *days[0] || *days[1] - *days[0] >= kMaxReportDays) {
    return error_response(400, "invalid_field",
                          "to must be on or after from, the period at most " +
                              std::to_string(kMaxReportDays.count()) + " days",
                          "to");
  }
  auto limit = limit_of(request, kReportPageSize, kMaxReportPageSize);
  if (auto* error = std::get_if<HttpResponse>(&limit)) return *error;
  const auto cursor = request.query.count("cursor") ? request.query.at("cursor") : "";
  common::consent::OptOutReportPage page;
  try {
    page = common::consent::read_opt_out_report(
        services_.dynamodb, {config_.contacts_table, config_.message_log_table}, *days[0],
        *days[1], std::get<int>(limit), cursor, now);
  } catch (const std::invalid_argument& e) {
    return error_response(400, "invalid_field", e.what(), "cursor");
  }
  HttpResponse response;
  response.body = {{"from", request.query.at("from")},
                   {"to", request.query.at("to")},
                   {"generated_at", common::format_rfc3339(now)},
                   {"opt_outs", std::move(page.opt_outs)},
                   {"next_cursor", nullable(page.next_cursor)}};
  return response;
}

HttpResponse Handler::respond(const HttpRequest& request, TimePoint now) {
  if (!request.invalid_field.empty()) {
    return error_response(400, "invalid_event",
                          request.invalid_field + " " + request.invalid_reason,
                          request.invalid_field);
  }
  const std::string& path = request.path;
  const std::string kContacts = "/contacts/";
  if (path == "/opt-out" || path == "/opt-in") {
    if (request.method != "POST") {
      auto r = error_response(405, "method_not_allowed", "use POST " + path);
      r.headers["allow"] = "POST";
      return r;
    }
    return path == "/opt-out" ? opt_out(request, now) : opt_in(request, now);
  }
  const auto get_only = [&request](const std::string& route) -> std::optional<HttpResponse> {
    if (request.method == "GET") return std::nullopt;
    auto r = error_response(405, "method_not_allowed", "use GET " + route);
    r.headers["allow"] = "GET";
    return r;
  };
  if (path.compare(0, kContacts.size(), kContacts) == 0 && path.size() > kContacts.size()) {
    const std::size_t slash = path.find('/', kContacts.size());
    const std::string segment = path.substr(kContacts.size(), slash - kContacts.size());
    if (slash == std::string::npos) {
      if (auto r = get_only("/contacts/{phone_number}")) return *r;
      return contact_status(segment);
    }
    if (path.compare(slash, std::string::npos, "/history") == 0 && !segment.empty()) {
      if (auto r = get_only("/contacts/{phone_number}/history")) return *r;
      return history(request, segment);
    }
  }
  if (path == "/opt-outs") {
    if (auto r = get_only("/opt-outs")) return *r;
    return opt_out_report(request, now);
  }
  return error_response(404, "not_found",
                        "no route; use POST /opt-out, POST /opt-in, GET /contacts/{phone_number}, "
                        "GET /contacts/{phone_number}/history or GET /opt-outs");
}

std::string Handler::handle(const scaffold::Invocation& invocation) {
  HttpRequest request;
  try {
    request = parse_http_event(invocation.payload, kMaxBodyBytes);
  } catch (const std::invalid_argument& e) {
    services_.logger.error("invalid event", {{"reason", e.what()}});
    services_.metrics.add("InvalidEvents", 1);
    services_.metrics.flush();
    throw runtime::FunctionError("InvalidEvent", e.what());
  }
  // The route, never the raw path: a path is the caller's text and may hold a number the log's
  // masking cannot see (digits glued to letters, "%2B1206555012x").
  const bool contacts = request.path.rfind("/contacts/", 0) == 0;
  const bool history = contacts && request.path.size() > 8 &&
                       request.path.compare(request.path.size() - 8, 8, "/history") == 0;
  const std::string route =
      history    ? "/contacts/{phone_number}/history"
      : contacts ? "/contacts/{phone_number}"
      : request.path == "/opt-out" || request.path == "/opt-in" || request.path == "/opt-outs"
          ? request.path
          : "(no route)";
  HttpResponse response;
  try {
    response = respond(request, common::now_ms());
  } catch (const std::exception& e) {
    // Our fault (or AWS's): the details go to the log with the request id, never to the caller.
    services_.logger.error("request failed", {{"route", route},
                                              {"method", request.method},
                                              {"api_request_id", request.request_id},
                                              {"error", e.what()}});
    response = error_response(500, "internal_error",
                              "internal error; quote request id " + invocation.request_id);
  }
  services_.metrics.add("ApiRequests", 1);
  if (response.status >= 500) {
    services_.metrics.add("ServerErrors", 1);
  } else if (response.status >= 400) {
    services_.metrics.add("ClientErrors", 1);
  }
  services_.logger.info("request", {{"method", request.method},
                                    {"route", route},
                                    {"status", response.status},
                                    {"caller", caller_of(request)},
                                    {"api_request_id", request.request_id}});
  services_.metrics.flush();
  return response.to_event_json();
}

}  // namespace opt_out_api
