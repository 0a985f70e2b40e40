// SQS events as Lambda's event source mapping delivers them (Records[] of one queue), and the
// partial batch response that names the records to deliver again ("batchItemFailures", with the
// mapping's FunctionResponseTypes = ReportBatchItemFailures). Used by notify.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace common::events {

/// One SQS message of the event. When `error` is set the record is malformed (its envelope, not
/// its body: the body is the consumer's to judge) and only `message_id` may be known.
struct SqsRecord {
  std::string message_id;        ///< Records[].messageId: the batch item identifier
  std::string body;              ///< Records[].body, as sent (the consumer parses it)
  std::string event_source_arn;  ///< the queue's ARN
  std::string sent_at;           ///< attributes.SentTimestamp (epoch ms, as text), may be empty
  std::int64_t receive_count = 0;  ///< attributes.ApproximateReceiveCount (0 when absent)
  std::string error;             ///< why the record is unusable ("Records[2].body is missing")
};

/// The records, in order.
struct SqsEvent {
  std::vector<SqsRecord> records;
};

/// True when `payload` looks like an SQS event (a JSON object whose first record's eventSource is
/// "aws:sqs"), without validating it: for functions with several triggers to choose a parser.
bool is_sqs_event(std::string_view payload);

/// Reads an SQS event. A record whose envelope is malformed (no messageId, a body that is not a
/// string, eventSource other than "aws:sqs") is returned with `error` set, so the rest of the
/// batch is still processed. Throws std::invalid_argument naming the problem when the payload is
/// not an SQS event at all (not JSON, no Records array).
SqsEvent parse_sqs_event(std::string_view payload);

/// The partial batch response: {"batchItemFailures":[{"itemIdentifier":"<message id>"},...]}
/// (an empty array when every record succeeded: none is delivered again).
std::string batch_response(const std::vector<std::string>& failed_message_ids);

}  // namespace common::events
