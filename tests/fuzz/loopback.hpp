// An AWS stand-in for the client and handler fuzz targets: an HTTP server on 127.0.0.1, in the
// fuzzer's own process, answering each request with the next scripted answer (the fuzz input
// chooses them) and, once the script is spent, with a canned answer for the operation.
// The clients under test are the real ones (libcurl, SigV4, retries), pointed at its URL.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/aws/json_client.hpp"

namespace smsc_fuzz {

/// One HTTP answer of the stand-in.
struct Answer {
  int status = 200;
  std::string error_type;  ///< sent as X-Amzn-Errortype when not empty
  std::string body;
  bool plausible = false;  ///< answer with the fallback (plausible_answer) instead
  /// When set ("PutOptedOutNumber"), the answer waits for the next request of that operation;
  /// requests of other operations before it get the fallback answer.
  std::string operation;
};

/// A 200 answer with `body`.
Answer ok_answer(std::string body);

/// Reads one scripted answer: "<3-digit status>[ <error type>]\n<body>", e.g.
/// "400 ConditionalCheckFailedException\n{\"Item\":{}}"; text not starting with a status line is
/// a 200 whose body is the whole text. Status 100-199 and 204/304 (no body allowed) become 200.
/// An empty text stands for the fallback answer (so a script can skip to the request it is about);
/// a leading "@<Operation> " addresses the answer to that operation's next request, e.g.
/// "@PutOptedOutNumber 400 ValidationException\n{}".
Answer parse_answer(std::string_view text);

/// The canned answer to an operation once the script is spent. `target` is X-Amz-Target
/// ("DynamoDB_20120810.GetItem"), `request` the request body.
using DefaultAnswer = std::function<Answer(std::string_view target, std::string_view request)>;

/// A plausible success answer of DynamoDB, End User Messaging SMS or the sms-inbound backend
/// (no X-Amz-Target), so a handler goes all the way when the script is spent: GetItem finds
/// nothing, UpdateItem with ALL_NEW returns its key and the values it sets (as on a new item),
/// other writes succeed, Query is empty, SMS calls succeed (an opted-out number is echoed with a
/// fixed time), the backend replies "Thanks!".
Answer plausible_answer(std::string_view target, std::string_view request);

/// The server. One per process (start it from LLVMFuzzerInitialize or a function-local static);
/// runs until the process ends.
class Loopback {
 public:
  explicit Loopback(DefaultAnswer fallback);
  ~Loopback();
  Loopback(const Loopback&) = delete;
  Loopback& operator=(const Loopback&) = delete;

  /// "http://127.0.0.1:<port>/".
  const std::string& url() const { return url_; }
  /// "127.0.0.1:<port>" (the Host header the clients sign).
  const std::string& host() const { return host_; }

  /// Replaces the script: the next requests get these answers, in order.
  void script(std::vector<Answer> answers);
  /// Requests answered since the last script().
  std::size_t requests() const;

  /// A JSON 1.0 client configuration pointing at this server: fixed test credentials, no sleep
  /// between retries, `max_attempts` attempts, short timeouts.
  common::aws::JsonClientConfig client_config(int max_attempts = 3) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string url_;
  std::string host_;
};

}  // namespace smsc_fuzz
