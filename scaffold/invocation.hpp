// One invocation as a function's handler sees it: the Runtime API's data, with the deadline moved
// forward by a reserve so the function's own work (every AWS call included) ends while there is
// still time to report (log line, metric, error result) before Lambda ends the invocation.
#pragma once

#include <chrono>

#include "runtime/runtime.hpp"

namespace scaffold {

/// Lambda's deadline minus this is when a function's work must be done: reserve_for(budget) =
/// max(kMinimumReserve, budget / kReserveFraction), at most kMaximumReserve, where budget is the
/// time from the invocation's start to Lambda's deadline (the function timeout, in effect).
/// Why: after the last AWS call gives up, a handler still fails the rest of its records fast,
/// releases what it claimed (calls that are refused at once), logs, flushes its metrics and posts
/// its result over loopback: milliseconds of CPU, but a 128 MB sandbox gets a small fraction of a
/// core, and a curl timeout ends a few ms late; 500 ms covers that many times over. The fraction
/// grows the reserve with the timeout for longer batches (a 60 s sms-inbound keeps 3 s); the cap
/// keeps a 900 s function from idling at its end.
inline constexpr std::chrono::milliseconds kMinimumReserve{500};
inline constexpr int kReserveFraction = 20;
inline constexpr std::chrono::milliseconds kMaximumReserve{5000};

/// The reserve for an invocation whose Lambda deadline is `budget` away at its start (see
/// kMinimumReserve). Never more than the budget itself.
std::chrono::milliseconds reserve_for(std::chrono::milliseconds budget);

/// runtime::Invocation (request id, payload, trace id, ...) with `deadline` set to Lambda's
/// deadline minus the reserve: the instant by which this function's work must be done. The
/// scaffold sets every AWS client's deadline to it, so no call runs past it (a call it would
/// overrun is cut short, one that cannot start fails at once with "DeadlineExceeded"), and
/// remaining_time() counts down to it. Handlers read deadlines here, never from a transport.
struct Invocation : runtime::Invocation {
  /// When Lambda ends the invocation (Lambda-Runtime-Deadline-Ms; time_point::max() if absent).
  std::chrono::system_clock::time_point lambda_deadline =
      std::chrono::system_clock::time_point::max();
  /// The first invocation of this process (its start-up cost is in this one's latency).
  bool cold_start = false;

  Invocation() = default;
  /// Without a reserve (deadline == lambda_deadline): for tests and tools that call a handler
  /// directly. Implicit on purpose, so they pass a runtime::Invocation as they always did.
  Invocation(const runtime::Invocation& raw);  // NOLINT(google-explicit-constructor)

  /// `raw` with the reserve applied, as the scaffold hands it to a handler; `now` is the
  /// invocation's start. Without a Lambda deadline nothing is reserved.
  static Invocation with_reserve(const runtime::Invocation& raw,
                                 std::chrono::system_clock::time_point now, bool cold_start);
};

}  // namespace scaffold
