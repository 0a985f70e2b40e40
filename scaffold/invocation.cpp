#include "scaffold/invocation.hpp"

#include <algorithm>

namespace scaffold {

std::chrono::milliseconds reserve_for(std::chrono::milliseconds budget) {
  if (budget <= std::chrono::milliseconds::zero()) return std::chrono::milliseconds::zero();
  const auto reserve = std::clamp(budget / kReserveFraction, kMinimumReserve, kMaximumReserve);
  return std::min(reserve, budget);
}

Invocation::Invocation(const runtime::Invocation& raw)
    : runtime::Invocation(raw), lambda_deadline(raw.deadline) {}

Invocation Invocation::with_reserve(const runtime::Invocation& raw,
                                    std::chrono::system_clock::time_point now, bool cold_start) {
  Invocation invocation(raw);
  invocation.cold_start = cold_start;
  if (raw.deadline != std::chrono::system_clock::time_point::max()) {
    const auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(raw.deadline - now);
    invocation.deadline = raw.deadline - reserve_for(budget);
  }
  return invocation;
}

}  // namespace scaffold
