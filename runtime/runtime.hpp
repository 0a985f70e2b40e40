// The Lambda Runtime API client loop: fetches invocations, runs the handler,
// posts its result. Knows nothing of AWS services; links into static bootstraps.
#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

namespace runtime {

/// One invocation as the Runtime API handed it over (GET .../invocation/next).
struct Invocation {
  std::string request_id;  ///< Lambda-Runtime-Aws-Request-Id
  /// From Lambda-Runtime-Deadline-Ms (epoch ms, UTC); time_point::max() if the header was absent.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  std::string invoked_function_arn;  ///< Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;  ///< Lambda-Runtime-Trace-Id (also exported as _X_AMZN_TRACE_ID)
  std::string client_context;    ///< Lambda-Runtime-Client-Context, raw JSON, empty if absent
  std::string cognito_identity;  ///< Lambda-Runtime-Cognito-Identity, raw JSON, empty if absent
  std::string payload;           ///< the event JSON, as received

  /// Time left until the deadline, in whole milliseconds; never negative.
  std::chrono::milliseconds remaining_time() const;
};

/// Thrown by a handler (or init) to choose the errorType reported to Lambda,
/// e.g. FunctionError("Validation.BadEvent", "field 'Message' missing").
class FunctionError : public std::runtime_error {
 public:
  /// `type` becomes errorType and the Lambda-Runtime-Function-Error-Type header;
  /// `message` becomes errorMessage.
  FunctionError(std::string type, const std::string& message);
  /// The errorType given at construction.
  const std::string& type() const noexcept { return type_; }

 private:
  std::string type_;
};

/// The function's logic: event in, response JSON out. Throwing reports an
/// invocation error (errorType: FunctionError::type(), else the demangled C++
/// exception class such as "std::runtime_error", else "Runtime.Unknown").
using Handler = std::function<std::string(const Invocation&)>;

/// Builds the handler once per process (read env, build clients). Throwing here
/// is reported as an init error and the process ends.
using Init = std::function<Handler()>;

/// Largest response Lambda accepts from a synchronous invocation (6 MB).
/// A bigger response is reported as error "Function.ResponseSizeTooLarge".
inline constexpr std::size_t kMaxResponseBytes = 6 * 1024 * 1024;

/// Runs the Lambda runtime: reads AWS_LAMBDA_RUNTIME_API (host:port), calls
/// curl_global_init (so clients built in `init` may use libcurl), runs `init`,
/// then fetches and answers invocations one at a time until the Runtime API
/// fails. Returns the process exit code, always non-zero (1):
///  - AWS_LAMBDA_RUNTIME_API unset or empty;
///  - init threw (after POST .../runtime/init/error);
///  - GET .../invocation/next failed: HTTP 500 (the sandbox is going away),
///    any other non-200 status, or a connection error;
///  - posting a result got HTTP 5xx or a connection error.
/// A 4xx answer to a posted result (e.g. 413, unknown request id) is logged on
/// stderr and the loop carries on: the sandbox is still usable.
/// Never throws. Not reentrant: it owns the process (sets _X_AMZN_TRACE_ID,
/// makes stdout line-buffered so log lines reach CloudWatch one by one).
int run(const Init& init);

}  // namespace runtime
