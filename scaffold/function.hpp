// The start-up every function shares, written once: `bootstrap --version`, logging as Lambda's
// advanced logging controls say, EMF metrics, AWS clients built once per process (only those the
// function asks for), and per invocation the request id, cold start and reserved deadline on the
// clients and the logger, then the Runtime API loop (runtime/). A function's main.cpp says only
// what is particular to it: its name, its configuration and its handler (docs/functions.md).
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/aws/environment.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"

namespace scaffold {

/// A function's per-invocation entry: the event in, the response JSON out. Throwing reports an
/// invocation error (runtime::FunctionError chooses its errorType).
using Handler = std::function<std::string(const Invocation&)>;

/// What a function's init gets: the environment and the process-wide objects. Every accessor
/// builds its object on first use and returns the same one afterwards; the scaffold owns them
/// for the life of the process. Client constructors may throw std::invalid_argument naming a bad
/// variable (AWS_REGION, an endpoint, ...): an init error.
class Start {
 public:
  /// `name`: the function's name in functions/functions.json (log and metric name unless
  /// AWS_LAMBDA_FUNCTION_NAME says otherwise). `out`: where log lines and metrics go.
  Start(std::string name, common::aws::Environment env, std::ostream& out);
  ~Start();
  Start(const Start&) = delete;
  Start& operator=(const Start&) = delete;

  const common::aws::Environment& env() const { return env_; }
  /// AWS_LAMBDA_FUNCTION_NAME, else the name given to serve().
  const std::string& function_name() const { return function_name_; }
  /// The stream of logs and metrics (stdout in Lambda), for a function's own EMF lines.
  std::ostream& out() const { return out_; }

  /// JSON or Text lines (AWS_LAMBDA_LOG_FORMAT) from AWS_LAMBDA_LOG_LEVEL up.
  common::observe::Logger& logger();
  /// EMF metrics in METRICS_NAMESPACE (default SmsCompliance), dimension FunctionName.
  common::observe::Metrics& metrics();
  /// DynamoDB, with the SDKs' environment (AWS_REGION, credentials, endpoint, retries).
  common::aws::DynamoDbClient& dynamodb();
  /// End User Messaging SMS (pinpoint-sms-voice-v2), same environment.
  common::aws::SmsVoiceClient& sms();
  /// A plain HTTPS client (kept-alive connection, the CA bundle the SDKs would use) with this
  /// connect timeout; its requests carry their own timeouts (keep them within the invocation's
  /// remaining_time()). One per process: a second call returns the first client.
  common::aws::HttpClient& http(std::chrono::milliseconds connect_timeout);
  /// dynamodb(), sms(), logger(), metrics(); backend unset.
  Services services();

  /// Before each invocation: `raw` with the reserve applied and its cold-start flag (see
  /// Invocation::with_reserve), that deadline given to every client built so far, the logger's
  /// request id and cold start, the metrics' requestId property. Returns what the handler gets.
  Invocation begin(const runtime::Invocation& raw);
  /// After each invocation, whatever happened: metrics not flushed yet are written.
  void end();

 private:
  struct Objects;
  std::string function_name_;
  common::aws::Environment env_;
  std::ostream& out_;
  std::unique_ptr<Objects> objects_;
};

/// Runs a function: handles `bootstrap --version` (common/build_info), then the Runtime API loop
/// with `init` called once to build the handler (an exception there is an init error naming its
/// cause, the process then ends), then every invocation through begin(), the handler, end(), with
/// the reserve applied to its deadline (scaffold/invocation.hpp). Returns main()'s exit code.
int serve(int argc, char** argv, std::string_view name, const std::function<Handler(Start&)>& init);

/// The usual handler: an object of class H built once from `args` (typically its Config and
/// Services), whose `std::string handle(const Invocation&)` serves every invocation.
template <class H, class... Args>
Handler handler(Args&&... args) {
  auto object = std::make_shared<H>(std::forward<Args>(args)...);
  return [object](const Invocation& invocation) { return object->handle(invocation); };
}

}  // namespace scaffold
