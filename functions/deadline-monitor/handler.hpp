// deadline-monitor: finishes pending opt-outs and alerts before the 10-business-day deadline
// (47 CFR 64.1200(a)(10); docs/compliance.md#deadline-alerts). Safe to run at any time, any
// number of times: every write is conditional, and what one run leaves undone the next one finds
// in the index.
#pragma once

#include <chrono>
#include <string>

#include "common/aws/dynamodb.hpp"
#include "common/aws/environment.hpp"
#include "common/aws/sms_voice.hpp"
#include "common/observe/logger.hpp"
#include "common/observe/metrics.hpp"
#include "common/time.hpp"
#include "scaffold/invocation.hpp"
#include "scaffold/services.hpp"
#include "scaffold/settings.hpp"

namespace deadline_monitor {

/// The shared settings deadline-monitor reads (scaffold/settings.hpp).
inline constexpr scaffold::Uses kUses = {.contacts_table = scaffold::kRequired,
                                         .message_log_table = scaffold::kRequired,
                                         .opt_out_list_name = scaffold::kRequired};

/// The function's configuration, from environment variables (checked at start-up).
struct Config : scaffold::Settings {
  int page_size = 100;  // PAGE_SIZE: index items per Query page
  /// TIME_RESERVE_MS: no new item is started with less than this left before the invocation's
  /// deadline (the reserved one, scaffold/invocation.hpp), so the summary and metrics always go
  /// out.
  std::chrono::milliseconds time_reserve{3000};
};

/// Reads Config. Throws std::invalid_argument naming every missing or bad variable.
Config config_from_environment(const common::aws::Environment& env);

/// The clients and sinks the handler works with, built once per process by the scaffold.
using Services = scaffold::Services;

/// An opt-out is "due soon" with this many business days left or fewer (and not yet overdue).
inline constexpr int kDueSoonBusinessDays = 2;

/// What one run did. Counts cover the items this run visited; `complete` is false when the
/// run stopped early (time reserve reached), and the next run picks up what is left.
struct RunSummary {
  int scanned = 0;          ///< pending index entries visited
  int honored = 0;          ///< opt-outs this run marked honoured
  int already_honored = 0;  ///< found honoured by someone else meanwhile (index lag, races)
  int sync_failures = 0;    ///< PutOptedOutNumber calls that failed
  int pending = 0;          ///< still not honoured after this run
  int due_soon = 0;         ///< of those, <= kDueSoonBusinessDays business days left
  int overdue = 0;          ///< of those, deadline passed (or unreadable: fail closed)
  int pages = 0;
  bool complete = false;
};

/// Runs over the sparse index of pending opt-outs (no table scan): retries the opt-out list
/// sync where it has not succeeded, marks opt-outs honoured, logs one alert line per at-risk
/// opt-out, emits the EMF metrics OptOutsPending, OptOutsDueSoon, OptOutsOverdue,
/// OptOutSyncFailures and OptOutsHonored once per run.
class Handler {
 public:
  Handler(Config config, Services services) : config_(std::move(config)), services_(services) {}

  /// One invocation (any event: the scheduler's input is not read); returns the RunSummary as
  /// JSON. DynamoDB failures are thrown (the run fails; the next run resumes).
  std::string handle(const scaffold::Invocation& invocation);

  /// The run itself, at `now`, stopping new work at `stop_at`.
  RunSummary run(common::TimePoint now, std::chrono::system_clock::time_point stop_at);

 private:
  Config config_;
  Services services_;
};

}  // namespace deadline_monitor
