// A SendTextMessage request from fuzz bytes, shared by the sms_voice and aws_clients targets.
#pragma once

#include <string>
#include <string_view>

#include "common/aws/sms_voice.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace smsc_fuzz {

/// The request whose members are the NUL-separated fields of `input`, in this order:
/// destination, origination, body, message type, configuration set, keyword, max price.
inline common::aws::SendTextMessageRequest send_request_from(std::string_view input) {
  const auto fields = split(input, std::string_view("\0", 1));
  const auto field = [&](std::size_t i) {
    return i < fields.size() ? std::string(fields[i]) : std::string();
  };
  common::aws::SendTextMessageRequest request;
  request.destination_phone_number = field(0);
  request.origination_identity = field(1);
  request.message_body = field(2);
  request.message_type = field(3);
  request.configuration_set_name = field(4);
  request.keyword = field(5);
  request.max_price = field(6);
  return request;
}

}  // namespace smsc_fuzz
