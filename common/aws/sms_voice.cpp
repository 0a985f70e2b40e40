#include "common/aws/sms_voice.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/aws/json_read.hpp"

namespace common::aws {
namespace {

using json = nlohmann::json;

// Counts characters as the service does (UTF-8 code points), not bytes.
size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

using json_read::SeenMembers;
using simdjson::simdjson_error;
using simdjson::ondemand::document;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

using json_read::bool_of;
using json_read::object_of;
using json_read::string_of;
using json_read::wrong_type;

// JSON 1.0 timestamps are epoch seconds, possibly fractional; rounded to milliseconds. The
// result must fit system_clock (libstdc++: nanoseconds, so about 1677-09-21 to 2262-04-11);
// anything else (1e300, NaN) makes the answer malformed instead of overflowing.
std::chrono::system_clock::time_point from_epoch_seconds(value v, const std::string& field) {
  using std::chrono::milliseconds;
  constexpr double kMaxMilliseconds = static_cast<double>(
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::duration::max()).count());
  double seconds = 0;
  const auto error = v.get_double().get(seconds);
  if (error == simdjson::INCORRECT_TYPE) wrong_type(field, "a number");
  if (error) throw simdjson_error(error);
  const double ms = std::round(seconds * 1000.0);
  if (!(ms >= -kMaxMilliseconds && ms <= kMaxMilliseconds)) {
    throw std::runtime_error(field + " is out of range (beyond what system_clock holds)");
  }
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          milliseconds(static_cast<std::int64_t>(ms))));
}

// One number of DescribeOptedOutNumbers (`o` at JSON depth 4).
OptedOutNumberInfo number_info(object o, const std::string& field) {
  OptedOutNumberInfo info;
  SeenMembers seen;
  for (auto member : o) {
    const std::string_view key = member.unescaped_key();
    const std::string path = field + "." + std::string(key);
    if (key == "OptedOutNumber") {
      seen.mark(key, path);
      info.opted_out_number = string_of(member.value(), path);
    } else if (key == "OptedOutTimestamp") {
      seen.mark(key, path);
      info.opted_out_at = from_epoch_seconds(member.value(), path);
    } else if (key == "EndUserOptedOut") {
      seen.mark(key, path);
      info.end_user_opted_out = bool_of(member.value(), path);
    } else {
      json_read::skip_value(member.value(), 5);
    }
  }
  return info;
}

// Runs `read` over the members of the answer's root object, then checks nothing follows; turns
// malformed JSON into the parsers' documented std::runtime_error naming the operation.
template <class ReadMember>
void read_answer_object(JsonParser& parser, std::string_view text, const char* operation,
                        ReadMember read) {
  try {
    document doc = json_read::iterate(parser, text);
    SeenMembers seen;
    for (auto member : doc.get_object()) {
      const std::string_view key = member.unescaped_key();
      read(key, member.value(), seen);
    }
    json_read::expect_end(doc);
  } catch (const simdjson_error& e) {
    throw std::runtime_error(std::string("malformed ") + operation + " response: " + e.what());
  }
}

// Runs `parse` on a success body with the client's parser; its std::runtime_error becomes the
// typed MalformedResponse.
template <class T>
Outcome<T> read_answer(JsonClient& client, std::string_view operation, Outcome<std::string> raw,
                       T (*parse)(JsonParser&, std::string_view)) {
  if (!raw.ok()) return raw.error();
  try {
    return parse(client.parser(), raw.value());
  } catch (const std::runtime_error& e) {
    return malformed_response_error(kSmsVoice.signing_name, operation, 200, e.what(), raw.value());
  }
}

AwsError client_validation_error(std::string_view operation, std::string problem) {
  return AwsError::client_validation(kSmsVoice.signing_name, operation, std::move(problem));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// nlohmann refuses to write a string that is not UTF-8 (type_error.316), and the service counts
// characters in it: text members are checked before a request is built.
bool valid_utf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

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
    if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' ||
          c == '/' || c == '+' || c == '-')) {
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
  if (!valid_utf8(r.message_body)) return "MessageBody is not valid UTF-8";
  const size_t body_length = code_points(r.message_body);
  if (body_length < 1 || body_length > 1600) return "MessageBody must be 1-1600 characters";
  if (!r.message_type.empty() && r.message_type != "TRANSACTIONAL" &&
      r.message_type != "PROMOTIONAL") {
    return "MessageType must be TRANSACTIONAL or PROMOTIONAL";
  }
  if (r.configuration_set_name.size() > 256) return "ConfigurationSetName is over 256 characters";
  if (!valid_utf8(r.configuration_set_name)) return "ConfigurationSetName is not valid UTF-8";
  if (r.keyword.size() > 50) return "Keyword is over 50 characters";
  if (!valid_utf8(r.keyword)) return "Keyword is not valid UTF-8";
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
    if (!valid_utf8(k) || !valid_utf8(v)) return "Context keys and values must be valid UTF-8";
  }
  return std::nullopt;
}

SendTextMessageResult parse_send_text_message_response(std::string_view text) {
  JsonParser parser;
  return parse_send_text_message_response(parser, text);
}

SendTextMessageResult parse_send_text_message_response(JsonParser& parser, std::string_view text) {
  SendTextMessageResult result;
  read_answer_object(parser, text, "SendTextMessage",
                     [&](std::string_view key, value v, SeenMembers& seen) {
                       if (key == "MessageId") {
                         seen.mark(key, "MessageId");
                         result.message_id = string_of(v, "MessageId");
                       } else {
                         json_read::skip_value(v, 2);
                       }
                     });
  return result;
}

OptedOutNumberResult parse_opted_out_number_response(std::string_view text) {
  JsonParser parser;
  return parse_opted_out_number_response(parser, text);
}

OptedOutNumberResult parse_opted_out_number_response(JsonParser& parser, std::string_view text) {
  OptedOutNumberResult result;
  read_answer_object(parser, text, "OptedOutNumber",
                     [&](std::string_view key, value v, SeenMembers& seen) {
                       const std::string field(key);
                       if (key == "OptOutListName") {
                         seen.mark(key, field);
                         result.opt_out_list_name = string_of(v, field);
                       } else if (key == "OptedOutNumber") {
                         seen.mark(key, field);
                         result.opted_out_number = string_of(v, field);
                       } else if (key == "OptedOutTimestamp") {
                         seen.mark(key, field);
                         result.opted_out_at = from_epoch_seconds(v, field);
                       } else if (key == "EndUserOptedOut") {
                         seen.mark(key, field);
                         result.end_user_opted_out = bool_of(v, field);
                       } else {
                         json_read::skip_value(v, 2);
                       }
                     });
  return result;
}

OptedOutNumbersPage parse_describe_opted_out_numbers_response(std::string_view text) {
  JsonParser parser;
  return parse_describe_opted_out_numbers_response(parser, text);
}

OptedOutNumbersPage parse_describe_opted_out_numbers_response(JsonParser& parser,
                                                              std::string_view text) {
  OptedOutNumbersPage page;
  read_answer_object(
      parser, text, "DescribeOptedOutNumbers",
      [&](std::string_view key, value v, SeenMembers& seen) {
        if (key == "OptedOutNumbers") {
          seen.mark(key, "OptedOutNumbers");
          simdjson::ondemand::array entries;
          const auto error = v.get_array().get(entries);
          if (error == simdjson::INCORRECT_TYPE) wrong_type("OptedOutNumbers", "an array");
          if (error) throw simdjson_error(error);
          std::size_t i = 0;
          for (auto entry : entries) {
            const std::string field = "OptedOutNumbers[" + std::to_string(i++) + "]";
            page.numbers.push_back(number_info(object_of(entry.value(), field), field));
          }
        } else if (key == "NextToken") {
          seen.mark(key, "NextToken");
          // The last page carries no token; a null one is read the same way.
          std::string_view token;
          const auto error = v.get_string().get(token);
          if (error == simdjson::INCORRECT_TYPE) {
            bool is_null = false;
            if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null)
              wrong_type("NextToken", "a string");
          } else if (error) {
            throw simdjson_error(error);
          }
          page.next_token = std::string(token);
        } else {
          json_read::skip_value(v, 2);
        }
      });
  return page;
}

Outcome<SendTextMessageResult> SmsVoiceClient::send_text_message(const SendTextMessageRequest& r) {
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
  // Never resent after an attempt with no answer: it may have gone out (JsonClient::Retry).
  return read_answer(client_, "SendTextMessage",
                     client_.call("SendTextMessage", body.dump(), JsonClient::Retry::kNotAfterNoAnswer),
                     parse_send_text_message_response);
}

Outcome<OptedOutNumberResult> SmsVoiceClient::put_opted_out_number(const std::string& list_name,
                                                                   const std::string& number) {
  if (!valid_phone(number)) {
    return client_validation_error("PutOptedOutNumber",
                                   "OptedOutNumber must match \\+?[1-9][0-9]{1,18}");
  }
  if (!valid_utf8(list_name)) {
    return client_validation_error("PutOptedOutNumber", "OptOutListName is not valid UTF-8");
  }
  json body = {{"OptOutListName", list_name}, {"OptedOutNumber", number}};
  return read_answer(client_, "PutOptedOutNumber", client_.call("PutOptedOutNumber", body.dump()),
                     parse_opted_out_number_response);
}

Outcome<OptedOutNumberResult> SmsVoiceClient::delete_opted_out_number(const std::string& list_name,
                                                                      const std::string& number) {
  if (!valid_phone(number)) {
    return client_validation_error("DeleteOptedOutNumber",
                                   "OptedOutNumber must match \\+?[1-9][0-9]{1,18}");
  }
  if (!valid_utf8(list_name)) {
    return client_validation_error("DeleteOptedOutNumber", "OptOutListName is not valid UTF-8");
  }
  json body = {{"OptOutListName", list_name}, {"OptedOutNumber", number}};
  return read_answer(client_, "DeleteOptedOutNumber",
                     client_.call("DeleteOptedOutNumber", body.dump()),
                     parse_opted_out_number_response);
}

std::string describe_opted_out_numbers_json(const DescribeOptedOutNumbersRequest& request,
                                            const std::vector<std::string>& numbers,
                                            const std::string& next_token) {
  json body = {{"OptOutListName", request.opt_out_list_name}};
  if (!numbers.empty()) body["OptedOutNumbers"] = numbers;
  if (request.end_user_opted_out) {
    body["Filters"] =
        json::array({{{"Name", "end-user-opted-out"},
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
  if (!valid_utf8(request.opt_out_list_name)) {
    return client_validation_error("DescribeOptedOutNumbers", "OptOutListName is not valid UTF-8");
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
      auto page =
          read_answer(client_, "DescribeOptedOutNumbers",
                      client_.call("DescribeOptedOutNumbers",
                                   describe_opted_out_numbers_json(request, batch, next_token)),
                      parse_describe_opted_out_numbers_response);
      if (!page.ok()) return page.error();
      OptedOutNumbersPage read = std::move(page).value();
      for (auto& info : read.numbers) out.push_back(std::move(info));
      next_token = std::move(read.next_token);
    } while (!next_token.empty());
  }
  return out;
}

}  // namespace common::aws
