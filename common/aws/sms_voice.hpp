// End User Messaging SMS (API PinpointSMSVoiceV2): sending texts and keeping the opt-out list.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/json_client.hpp"

namespace common::aws {

/// SendTextMessage input, members as the service model names them.
struct SendTextMessageRequest {
  std::string destination_phone_number;  // required, E.164 (pattern \+?[1-9][0-9]{1,18})
  std::string origination_identity;      // phone number, pool id, sender id or their ARNs
  std::string message_body;              // 1-1600 characters
  std::string message_type;              // "", "TRANSACTIONAL" or "PROMOTIONAL"
  std::string configuration_set_name;
  std::string keyword;
  std::string max_price;                       // decimal text, e.g. "0.05"
  std::optional<int> time_to_live;             // seconds, 5-259200
  std::map<std::string, std::string> context;  // at most 5 entries
  bool dry_run = false;
};

/// Checks a request against the service model's constraints before it is sent (and that its
/// text members are valid UTF-8). Returns a sentence naming the member at fault, or nullopt.
std::optional<std::string> validate(const SendTextMessageRequest& request);

/// Result of SendTextMessage.
struct SendTextMessageResult {
  std::string message_id;
};

/// Result of PutOptedOutNumber / DeleteOptedOutNumber.
struct OptedOutNumberResult {
  std::string opt_out_list_name;
  std::string opted_out_number;
  std::chrono::system_clock::time_point opted_out_at{};  // when it went on the list
  bool end_user_opted_out = false;  // the person texted STOP (not put there by us)
};

/// One number on an opt-out list (DescribeOptedOutNumbers).
struct OptedOutNumberInfo {
  std::string opted_out_number;
  std::chrono::system_clock::time_point opted_out_at;
  bool end_user_opted_out = false;
};

/// DescribeOptedOutNumbers input.
struct DescribeOptedOutNumbersRequest {
  std::string opt_out_list_name;
  /// Only these numbers (any count: sent 5 at a time, the API's limit); empty: the whole list.
  std::vector<std::string> numbers{};
  /// Only numbers whose EndUserOptedOut is this (filter end-user-opted-out).
  std::optional<bool> end_user_opted_out{};
  int page_size = 100;  // MaxResults per request, 1-100
};

/// DescribeOptedOutNumbers body for one request (at most 5 numbers; not checked here).
std::string describe_opted_out_numbers_json(const DescribeOptedOutNumbersRequest& request,
                                            const std::vector<std::string>& numbers,
                                            const std::string& next_token);

/// One page of DescribeOptedOutNumbers.
struct OptedOutNumbersPage {
  std::vector<OptedOutNumberInfo> numbers;
  std::string next_token;  // empty on the last page
};

// ---- Answers (pure; used by the client, tests and fuzz targets) ----
// Each throws std::runtime_error naming the member on malformed input: JSON malformed anywhere
// (members we do not use and trailing text included), nesting deeper than
// json_read::kMaxDepth, a member we read given twice or of the wrong type, or an
// OptedOutTimestamp (epoch seconds) that system_clock cannot hold (libstdc++: 1677-09-21 to
// 2262-04-11). Other members are ignored. Each comes twice: reading with a parser of its own,
// or with the caller's `parser`, whose buffers are reused (the client); the result is a copy.

/// SendTextMessage answer -> MessageId (empty when absent).
SendTextMessageResult parse_send_text_message_response(std::string_view json);
SendTextMessageResult parse_send_text_message_response(JsonParser& parser, std::string_view json);
/// PutOptedOutNumber / DeleteOptedOutNumber answer.
OptedOutNumberResult parse_opted_out_number_response(std::string_view json);
OptedOutNumberResult parse_opted_out_number_response(JsonParser& parser, std::string_view json);
/// DescribeOptedOutNumbers answer: one page.
OptedOutNumbersPage parse_describe_opted_out_numbers_response(std::string_view json);
OptedOutNumbersPage parse_describe_opted_out_numbers_response(JsonParser& parser,
                                                              std::string_view json);

/// Client for the End User Messaging SMS operations we use (one reused JsonParser, see
/// JsonClient). Errors come back as AwsError: e.g. ConflictException with reason
/// DESTINATION_PHONE_NUMBER_OPTED_OUT when texting a number on the opt-out list;
/// ResourceNotFoundException for an unknown list or number.
class SmsVoiceClient {
 public:
  explicit SmsVoiceClient(JsonClientConfig config) : client_(kSmsVoice, std::move(config)) {}

  /// Sends one text. An invalid request (see validate(); text members must be UTF-8) is
  /// refused before sending with code "ClientValidationError" (attempts 0). Every method: an
  /// answer the parsers above refuse comes back as AwsError "MalformedResponse", never thrown.
  Outcome<SendTextMessageResult> send_text_message(const SendTextMessageRequest& request);
  /// Adds `number` (E.164) to the opt-out list `list_name`; idempotent.
  Outcome<OptedOutNumberResult> put_opted_out_number(const std::string& list_name,
                                                     const std::string& number);
  /// Removes `number` from `list_name` (AWS allows this once per number per 30 days).
  Outcome<OptedOutNumberResult> delete_opted_out_number(const std::string& list_name,
                                                        const std::string& number);
  /// DescribeOptedOutNumbers, every page (NextToken followed) of every batch of 5
  /// numbers. Numbers not on the list are simply absent from the result. A number
  /// that does not match \+?[1-9][0-9]{1,18} is refused before sending with
  /// "ClientValidationError" (as are bad numbers for put/delete).
  Outcome<std::vector<OptedOutNumberInfo>> describe_opted_out_numbers(
      const DescribeOptedOutNumbersRequest& request);

  JsonClient& transport() { return client_; }

 private:
  JsonClient client_;
};

}  // namespace common::aws
