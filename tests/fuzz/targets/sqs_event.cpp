// The SQS event envelope (common/events/sqs_event): notify's queue trigger. The bodies inside are
// the business's (fuzzed by notify_request); this is the envelope Lambda's poller builds.
// Properties: parse_sqs_event throws only std::invalid_argument; every record is either usable
// (a message id, no error) or malformed with a reason; a record with an error and an id can be
// named in the partial batch response, which is valid JSON listing exactly the ids given.
#include "common/events/sqs_event.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = smsc_fuzz::text(data, size);
  (void)common::events::is_sqs_event(input);
  common::events::SqsEvent event;
  try {
    event = common::events::parse_sqs_event(input);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  std::vector<std::string> ids;
  for (const auto& r : event.records) {
    if (r.error.empty()) {
      SMSC_FUZZ_CHECK(!r.message_id.empty(), "a usable record has its id");
    } else {
      SMSC_FUZZ_CHECK(r.error.rfind("Records[", 0) == 0, "a reason names the record");
    }
    SMSC_FUZZ_CHECK(r.receive_count >= 0, "receive count");
    if (!r.message_id.empty()) ids.push_back(r.message_id);
  }
  const auto response = nlohmann::json::parse(common::events::batch_response(ids), nullptr, false);
  SMSC_FUZZ_CHECK(response.is_object() && response["batchItemFailures"].size() == ids.size(),
                  "the batch response lists every id given");
  return 0;
}
