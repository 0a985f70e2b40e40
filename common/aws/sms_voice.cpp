#include "common/aws/sms_voice.hpp"

#include <simdjson.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace common::aws {
namespace {

using json = nlohmann::json;

// Counts characters as the service does (UTF-8 code points), not bytes.
size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string string_field(const std::string& body, std::string_view key) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  std::string_view value;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return "";
  if (doc[key].get_string().get(value) != simdjson::SUCCESS) return "";
  return std::string(value);
}

// JSON 1.0 timestamps are epoch seconds, possibly fractional.
std::chrono::system_clock::time_point from_epoch_seconds(double seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + (seconds < 0 ? -0.5 : 0.5))));
}

template <class Object>
OptedOutNumberInfo number_info(Object& o) {
  OptedOutNumberInfo info;
  for (auto member : o) {
    std::string_view key = member.unescaped_key();
    if (key == "OptedOutNumber") {
      info.opted_out_number = std::string(std::string_view(member.value().get_string()));
    } else if (key == "OptedOutTimestamp") {
      info.opted_out_at = from_epoch_seconds(double(member.value().get_number().value().as_double()));
    } else if (key == "EndUserOptedOut") {
      info.end_user_opted_out = bool(member.value().get_bool());
    }
  }
  return info;
}

Outcome<OptedOutNumberResult> opted_out_result(Outcome<std::string> raw) {
  if (!raw.ok()) return raw.error();
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(raw.value());
  OptedOutNumberResult result;
  try {
    auto doc = parser.iterate(padded);
    auto object = doc.get_object();
    for (auto member : object) {
      std::string_view key = member.unescaped_key();
      if (key == "OptOutListName") {
        result.opt_out_list_name = std::string(std::string_view(member.value().get_string()));
      } else if (key == "OptedOutNumber") {
        result.opted_out_number = std::string(std::string_view(member.value().get_string()));
      } else if (key == "OptedOutTimestamp") {
        result.opted_out_at = from_epoch_seconds(double(member.value().get_number().value().as_double()));
      } else if (key == "EndUserOptedOut") {
        result.end_user_opted_out = bool(member.value().get_bool());
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    throw std::runtime_error(std::string("malformed PinpointSMSVoiceV2 response: ") + e.what());
  }
  return result;
}

AwsError client_validation_error(std::string operation, std::string problem) {
  AwsError error;
  error.service = "sms-voice";
  error.operation = std::move(operation);
  error.code = "ClientValidationError";
  error.message = std::move(problem);
  error.attempts = 0;
  return error;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// \+?[1-9][0-9]{1,18}
bool valid_phone(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.size() < 2 || s.size() > 19 || s.front() == '0') return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// [0-9]{0,2}\.[0-9]{0,5}
bool valid_max_price(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos || dot > 2 || s.size() - dot - 1 > 5) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && !is_digit(s[i])) return false;
  }
  return true;
}

// [A-Za-z0-9_:/\+-]+
bool valid_identity(std::string_view s) {
  for (char c : s) {
    if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
          c == ':' || c == '/' || c == '+' || c == '-')) {
      return false;
    }
  }
  return !s.empty();
}

}  // namespace

std::optional<std::string> validate(const SendTextMessageRequest& r) {
  if (!valid_phone(r.destination_phone_number)) {
    return "DestinationPhoneNumber must match \\+?[1-9][0-9]{1,18}";
  }
  if (!r.origination_identity.empty() &&
      (r.origination_identity.size() > 256 || !valid_identity(r.origination_identity))) {
    return "OriginationIdentity must be 1-256 characters of [A-Za-z0-9_:/+-]";
  }
  const size_t body_length = code_points(r.message_body);
  if (body_length < 1 || body_length > 1600) return "MessageBody must be 1-1600 characters";
  if (!r.message_type.empty() && r.message_type != "TRANSACTIONAL" &&
      r.message_type != "PROMOTIONAL") {
    return "MessageType must be TRANSACTIONAL or PROMOTIONAL";
  }
  if (r.configuration_set_name.size() > 256) return "ConfigurationSetName is over 256 characters";
  if (r.keyword.size() > 50) return "Keyword is over 50 characters";
  if (!r.max_price.empty() && !valid_max_price(r.max_price)) {
    return "MaxPrice must be a decimal such as 0.05";
  }
  if (r.time_to_live && (*r.time_to_live < 5 || *r.time_to_live > 259200)) {
    return "TimeToLive must be 5-259200 seconds";
  }
  if (r.context.size() > 5) return "Context holds at most 5 entries";
  for (const auto& [k, v] : r.context) {
    if (k.empty() || k.size() > 100 || v.empty() || v.size() > 800) {
      return "Context keys must be 1-100 and values 1-800 characters";
    }
  }
  return std::nullopt;
}

Outcome<SendTextMessageResult> SmsVoiceClient::send_text_message(
    const SendTextMessageRequest& r) {
  if (auto problem = validate(r)) return client_validation_error("SendTextMessage", *problem);
  json body = {{"DestinationPhoneNumber", r.destination_phone_number},
               {"MessageBody", r.message_body}};
  if (!r.origination_identity.empty()) body["OriginationIdentity"] = r.origination_identity;
  if (!r.message_type.empty()) body["MessageType"] = r.message_type;
  if (!r.configuration_set_name.empty()) body["ConfigurationSetName"] = r.configuration_set_name;
  if (!r.keyword.empty()) body["Keyword"] = r.keyword;
  if (!r.max_price.empty()) body["MaxPrice"] = r.max_price;
  if (r.time_to_live) body["TimeToLive"] = *r.time_to_live;
  if (!r.context.empty()) body["Context"] = r.context;
  if (r.dry_run) body["DryRun"] = true;
  auto raw = client_.call("SendTextMessage", body.dump());
  if (!raw.ok()) return raw.error();
  return SendTextMessageResult{string_field(raw.value(), "MessageId")};
}

Outcome<OptedOutNumberResult> SmsVoiceClient::put_opted_out_number(const std::string& list_name,
                                                                   const std::string& number) {
  if (!valid_phone(number)) {
    return client_validation_error("PutOptedOutNumber", "OptedOutNumber must match \\+?[1-9][0-9]{1,18}");
  }
  json body = {{"OptOutListName", list_name}, {"OptedOutNumber", number}};
  return opted_out_result(client_.call("PutOptedOutNumber", body.dump()));
}

Outcome<OptedOutNumberResult> SmsVoiceClient::delete_opted_out_number(
    const std::string& list_name, const std::string& number) {
  if (!valid_phone(number)) {
    return client_validation_error("DeleteOptedOutNumber",
                                   "OptedOutNumber must match \\+?[1-9][0-9]{1,18}");
  }
  json body = {{"OptOutListName", list_name}, {"OptedOutNumber", number}};
  return opted_out_result(client_.call("DeleteOptedOutNumber", body.dump()));
}

std::string describe_opted_out_numbers_json(const DescribeOptedOutNumbersRequest& request,
                                            const std::vector<std::string>& numbers,
                                            const std::string& next_token) {
  json body = {{"OptOutListName", request.opt_out_list_name}};
  if (!numbers.empty()) body["OptedOutNumbers"] = numbers;
  if (request.end_user_opted_out) {
    body["Filters"] = json::array(
        {{{"Name", "end-user-opted-out"},
          {"Values", json::array({*request.end_user_opted_out ? "true" : "false"})}}});
  }
  body["MaxResults"] = request.page_size;
  if (!next_token.empty()) body["NextToken"] = next_token;
  return body.dump();
}

Outcome<std::vector<OptedOutNumberInfo>> SmsVoiceClient::describe_opted_out_numbers(
    const DescribeOptedOutNumbersRequest& request) {
  constexpr std::size_t kMaxNumbersPerRequest = 5;  // OptedOutNumbers: list max 5 in the model
  for (const auto& number : request.numbers) {
    if (!valid_phone(number)) {
      return client_validation_error("DescribeOptedOutNumbers",
                                     "OptedOutNumbers must match \\+?[1-9][0-9]{1,18}");
    }
  }
  if (request.page_size < 1 || request.page_size > 100) {
    return client_validation_error("DescribeOptedOutNumbers", "MaxResults must be 1-100");
  }
  // One batch of nothing means "the whole list".
  std::vector<std::vector<std::string>> batches;
  for (std::size_t i = 0; i < request.numbers.size(); i += kMaxNumbersPerRequest) {
    const auto end = std::min(request.numbers.size(), i + kMaxNumbersPerRequest);
    batches.emplace_back(request.numbers.begin() + static_cast<std::ptrdiff_t>(i),
                         request.numbers.begin() + static_cast<std::ptrdiff_t>(end));
  }
  if (batches.empty()) batches.emplace_back();

  std::vector<OptedOutNumberInfo> out;
  for (const auto& batch : batches) {
    std::string next_token;
    do {
      auto raw = client_.call("DescribeOptedOutNumbers",
                              describe_opted_out_numbers_json(request, batch, next_token));
      if (!raw.ok()) return raw.error();
      next_token.clear();
      simdjson::ondemand::parser parser;
      simdjson::padded_string padded(raw.value());
      try {
        auto doc = parser.iterate(padded);
        for (auto member : doc.get_object()) {
          std::string_view key = member.unescaped_key();
          if (key == "OptedOutNumbers") {
            for (auto entry : member.value().get_array()) {
              auto object = entry.get_object();
              out.push_back(number_info(object));
            }
          } else if (key == "NextToken") {
            next_token = std::string(std::string_view(member.value().get_string()));
          }
        }
      } catch (const simdjson::simdjson_error& e) {
        throw std::runtime_error(std::string("malformed DescribeOptedOutNumbers response: ") +
                                 e.what());
      }
    } while (!next_token.empty());
  }
  return out;
}

}  // namespace common::aws
