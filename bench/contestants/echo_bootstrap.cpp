// The echo contestant: our Runtime API loop with a handler that returns the event
// unchanged, so a warm invocation costs only the loop and its two HTTP exchanges.
// bench/run compares it with floor_bootstrap.cpp to show what the loop adds.
#include "runtime/runtime.hpp"

int main() {
  return runtime::run([]() -> runtime::Handler {
    return [](const runtime::Invocation& invocation) { return invocation.payload; };
  });
}
